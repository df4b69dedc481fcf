"""The JSON API under /api/v1: routers from each domain app, one error shape."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer

from ventanilla.accounts.api.router import router as auth_router
from ventanilla.affiliation.api.router import router as affiliation_router
from ventanilla.cases.api.router import router as cases_router
from ventanilla.certificates.api.icd10 import router as icd10_router
from ventanilla.channels.whatsapp.router import router as whatsapp_router
from ventanilla.contributions.api.router import router as contributions_router
from ventanilla.core.api_contract import ContractAPI
from ventanilla.core.api_errors import unexpected_error_response
from ventanilla.core.api_schema import UNENCODABLE
from ventanilla.core.errors import DomainError
from ventanilla.countries.api.router import router as countries_router
from ventanilla.dependants.api.router import router as dependants_router
from ventanilla.people.api.router import router as me_router
from ventanilla.registration.api.router import router as registration_router
from ventanilla.scheduling.api.appointments import appointments_router
from ventanilla.scheduling.api.bookable import bookable_router
from ventanilla.scheduling.api.router import slots_router, visits_router


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        import orjson

        return orjson.dumps(data, option=orjson.OPT_PASSTHROUGH_SUBCLASS, default=str)


api = ContractAPI(
    title="Ventanilla API",
    version="1",
    description=(
        "Registration with the health systems of Ecuador and Peru, case tracking and "
        "country facts. Errors are JSON: `{code, message, fields}`; messages follow the "
        "`Accept-Language` header (es by default, en)."
    ),
    urls_namespace="api",
    renderer=ORJSONRenderer(),
)
api.add_router("/registrations", registration_router)
api.add_router("/cases", cases_router)
api.add_router("/countries", countries_router)
api.add_router("/icd10", icd10_router)
api.add_router("/contributions", contributions_router)
api.add_router("/affiliations", affiliation_router)
api.add_router("/dependants", dependants_router)
api.add_router("/auth", auth_router)
api.add_router("/slots", slots_router)
api.add_router("/visits", visits_router)
api.add_router("/appointments/bookable", bookable_router)   # before /{appointment_id}
api.add_router("/appointments", appointments_router)
api.add_router("/me", me_router)
api.add_router("/whatsapp", whatsapp_router)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(request, {"code": code, "message": message,
                                         "fields": fields or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "form",
                                                                "file", "payload")]
        name = ".".join(loc) or "body"
        kind = err.get("type", "")
        limit = (err.get("ctx") or {}).get("max_length")
        if kind == "missing":
            fields[name] = _("This field is required.")
        elif kind in ("json_invalid", "model_attributes_type"):
            fields[name] = _("The request body must be a JSON object.")
        elif kind == "string_too_long" and isinstance(limit, int):
            fields[name] = _("Use at most %(max)d characters.") % {"max": limit}
        elif kind == UNENCODABLE:   # translated where it was raised (core.api_schema)
            fields[name] = str(err.get("msg"))
        else:
            fields[name] = _("This value is not valid: %(reason)s") % {"reason": err.get("msg")}
    return _error(request, 422, "VALIDATION_FAILED", _("Some answers need correcting."), fields)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "UNAUTHENTICATED",
                  _("Sign in, or send the access token of this application."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "NOT_FOUND", _("Not found."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # django-ninja's own refusals: a body it cannot parse (400). The CSRF refusal is
    # accounts.api.auth's CsrfFailed, a DomainError.
    if exc.status_code == 400:
        return _error(request, 400, "BAD_REQUEST", _("The request could not be read."))
    return _error(request, exc.status_code, "HTTP_ERROR", str(exc))


@api.exception_handler(Exception)
def unexpected_error(request, exc: Exception):
    """Anything else: 500 (or 503 when the database is unreachable), JSON, logged."""
    return unexpected_error_response(request, exc)
