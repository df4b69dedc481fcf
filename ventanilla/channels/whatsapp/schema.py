"""A typed model of the WhatsApp Cloud API webhook payload (pydantic).

Meta's reference: "Webhooks — messages" of the WhatsApp Business Platform (Cloud API).
Only what Ventanilla reads is modelled; unknown keys are ignored, so a field Meta adds
tomorrow changes nothing::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>", "changes": [{"field": "messages", "value": {
         "messaging_product": "whatsapp",
         "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
         "contacts": [{"profile": {"name": "Ana"}, "wa_id": "593991234567"}],
         "messages": [{"from": "593991234567", "id": "wamid.X", "timestamp": "1700000000",
                       "type": "text", "text": {"body": "Hola"}}],
         "statuses": [{"id": "wamid.Y", "status": "delivered", "recipient_id": "..."}],
         "errors": [{"code": 131051, "title": "Unsupported message type"}]}}]}]}

Every list is read item by item: an item of an unexpected shape (a message without an id,
a text without a body, an entry that is a number) is logged and left out, and the rest of
the delivery is still read. A message of a type not listed here becomes
``UnknownMessage``: it is answered as a message that is not text, never read as text.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
)

logger = logging.getLogger("ventanilla.channels.whatsapp")

Id = Annotated[str, Field(min_length=1, max_length=256, strict=True)]
Text = Annotated[str, Field(strict=True)]


def _each_valid(item_type: Any, where: str):
    """A list whose items of another shape are logged and dropped (not the whole list)."""
    adapter: TypeAdapter[Any] = TypeAdapter(item_type)

    def keep_valid(value: Any) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            logger.warning("WhatsApp webhook: %s is a %s, not a list; ignored", where,
                           type(value).__name__)
            return []
        out = []
        for i, item in enumerate(value):
            try:
                out.append(adapter.validate_python(item))
            except ValidationError as exc:
                logger.warning("WhatsApp webhook: %s[%d] of an unexpected shape, ignored: %s",
                               where, i, exc.errors(include_url=False, include_input=False))
        return out

    return Annotated[list[item_type], BeforeValidator(keep_valid)]


def _valid_or_none(model: type[BaseModel], where: str):
    """An optional part that, of another shape, is logged and read as missing."""

    def check(value: Any) -> Any:
        if value is None or isinstance(value, model):
            return value
        try:
            return model.model_validate(value)
        except ValidationError as exc:
            logger.warning("WhatsApp webhook: %s of an unexpected shape, ignored: %s", where,
                           exc.errors(include_url=False, include_input=False))
            return None

    return Annotated[model | None, BeforeValidator(check)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


# --- messages ----------------------------------------------------------------------------

class _Message(_Model):
    sender: Id = Field(alias="from")
    id: Id
    timestamp: str | int = ""


class TextBody(_Model):
    body: Text


class TextMessage(_Message):
    type: Literal["text"]
    text: TextBody


class QuickReplyButton(_Model):
    text: Text
    payload: str = ""


class ButtonMessage(_Message):
    """A quick-reply button of a template message."""

    type: Literal["button"]
    button: QuickReplyButton


class Reply(_Model):
    id: str = ""
    title: Text


class InteractiveReply(_Model):
    type: str = ""
    button_reply: Reply | None = None
    list_reply: Reply | None = None


class InteractiveMessage(_Message):
    type: Literal["interactive"]
    interactive: InteractiveReply


class Media(_Model):
    id: str = ""
    mime_type: str = ""
    caption: str = ""


class MediaMessage(_Message):
    type: Literal["image", "audio", "video", "document", "sticker"]


class Location(_Model):
    latitude: float | None = None
    longitude: float | None = None


class LocationMessage(_Message):
    type: Literal["location"]
    location: Location


class UnknownMessage(_Message):
    """Any other type (reaction, contacts, order, system, unsupported ...). A known type
    without its content (a text without a body) is of an unexpected shape: left out."""

    type: str = ""


KNOWN_MEDIA = {"image", "audio", "video", "document", "sticker"}


def _message_kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    if kind in KNOWN_MEDIA:
        return "media"
    if kind in ("text", "button", "interactive", "location"):
        return kind
    return "unknown"


Message = Annotated[
    Annotated[TextMessage, Tag("text")] | Annotated[ButtonMessage, Tag("button")]
    | Annotated[InteractiveMessage, Tag("interactive")] | Annotated[MediaMessage, Tag("media")]
    | Annotated[LocationMessage, Tag("location")] | Annotated[UnknownMessage, Tag("unknown")],
    Discriminator(_message_kind),
]


def message_text(message: Any) -> str | None:
    """What the person wrote or chose, or None for a message that is not text."""
    if isinstance(message, TextMessage):
        return message.text.body
    if isinstance(message, ButtonMessage):
        return message.button.text
    if isinstance(message, InteractiveMessage):
        chosen = message.interactive.button_reply or message.interactive.list_reply
        return chosen.title if chosen is not None else None
    return None


# --- the rest of a change ------------------------------------------------------------------

class Profile(_Model):
    name: str = ""


class Contact(_Model):
    wa_id: str = ""
    profile: Profile = Profile()


class Status(_Model):
    """A delivery status of a message we sent (sent, delivered, read, failed)."""

    id: str = ""
    status: str = ""
    recipient_id: str = ""


class Error(_Model):
    code: int | None = None
    title: str = ""
    message: str = ""


class Metadata(_Model):
    display_phone_number: str = ""
    phone_number_id: str = ""


class Value(_Model):
    messaging_product: str = ""
    metadata: _valid_or_none(Metadata, "metadata") = None  # type: ignore[valid-type]
    contacts: _each_valid(Contact, "contacts") = []  # type: ignore[valid-type]
    messages: _each_valid(Message, "messages") = []  # type: ignore[valid-type]
    statuses: _each_valid(Status, "statuses") = []  # type: ignore[valid-type]
    errors: _each_valid(Error, "errors") = []  # type: ignore[valid-type]


class Change(_Model):
    field: str = ""
    value: Value


class Entry(_Model):
    id: str | int = ""
    changes: _each_valid(Change, "changes") = []  # type: ignore[valid-type]


class Delivery(_Model):
    """One POST of the webhook."""

    object: Any = ""  # "whatsapp_business_account"; not read
    entry: _each_valid(Entry, "entry") = []  # type: ignore[valid-type]
