"""Affiliates' API access: ID number + clave give a bearer token (R-AFF-04)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from ninja import Router
from pydantic import Field

from ventanilla.core.api_contract import errors
from ventanilla.core.api_schema import InputSchema, OutputSchema, column
from ventanilla.people.models import Person

from ..clave import CLAVE_MAX_LENGTH
from ..signin import affiliate_authenticate, api_token_issue

router = Router(tags=["auth"])


class TokenIn(InputSchema):
    country: str = column(Person, "country")
    id_type: str = column(Person, "id_type")
    id_number: str = column(Person, "id_number")
    password: str = Field(..., max_length=CLAVE_MAX_LENGTH, description="The clave")


class TokenOut(OutputSchema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime


@router.post("/token", response={200: TokenOut, **errors(401, 403, 429)}, auth=None)
def token(request, payload: TokenIn):
    """Sign in with ID number and clave; returns a bearer token for the affiliate endpoints.
    Failures are counted per ID number and address and lock the ID after repeated tries."""
    user = affiliate_authenticate(request, country=payload.country.upper(),
                                  id_type=payload.id_type, id_number=payload.id_number,
                                  password=payload.password)
    return {"token": api_token_issue(user),
            "expires_at": timezone.now() + timedelta(seconds=settings.AFFILIATE_TOKEN_TTL)}
