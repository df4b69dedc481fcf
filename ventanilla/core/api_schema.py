"""The API's schema bases: what every input and every output has in common.

``InputSchema`` is the base of every request body: text that cannot be written as UTF-8
(a lone surrogate such as ``"\\ud800"``, which JSON can spell but no database, e-mail or
PDF can hold) is refused with 422 naming the field, before any service sees it. Its
string fields take their maximum length from the model column they fill (``column``), so
an answer too long for the database is a 422 naming the field, not a 500 from PostgreSQL.
``tests/api/test_input_schemas.py`` checks that every body of the OpenAPI document is an
``InputSchema`` and every string in it has a ``maxLength``.

``OutputSchema`` is the base of every answer: each field is always present in the JSON,
so the OpenAPI document marks every field required, defaults included.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .text import EMAIL_MAX_LENGTH

UNENCODABLE = "text_unencodable"


def _encodable(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_encodable(v) for v in value)
    return True


# Control characters other than line breaks and tabs: dropped from every string of a body
# before its length is checked (the services drop them too, core.text.clean_text), so a NUL
# that PostgreSQL cannot store neither counts towards the limit nor reaches a query.
_CONTROLS = dict.fromkeys(c for c in range(0x20) if chr(c) not in "\t\n\r") | {0x7F: None}


class InputSchema(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _refuse_unencodable_text(cls, value: Any) -> Any:
        if not _encodable(value):
            raise PydanticCustomError(
                UNENCODABLE, _("This value contains a character that is not allowed."))
        if isinstance(value, str):
            return value.translate(_CONTROLS)
        return value


class OutputSchema(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


def column(model: type[Model], name: str, default: Any = ..., *,
           max_length: int | None = None, **kwargs: Any) -> Any:
    """A pydantic ``Field`` for a string that fills ``model.name``: its ``max_length`` is
    the column's (or ``max_length`` for a text column without one)."""
    limit = max_length or getattr(model._meta.get_field(name), "max_length", None)
    if not limit:
        raise ValueError(f"{model.__name__}.{name} has no max_length: pass one")
    return Field(default, max_length=limit, **kwargs)


def email_field(default: Any = ..., **kwargs: Any) -> Any:
    """An e-mail address: at most 254 characters, documented as ``format: email``; whether
    it can receive a code is the services' check (``core.text.email_clean``)."""
    return Field(default, max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"},
                 **kwargs)
