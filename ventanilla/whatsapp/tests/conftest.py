"""Fixtures of the WhatsApp channel: a medical centre with Dentistry and General Medicine
slots in the coming days, affiliates, a replayable conversation and a signed webhook."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.channels.whatsapp.payload import SIGNATURE_HEADER, build, signature

ANA_PHONE = "593991234567"          # make_affiliate's default mobile, as WhatsApp sends it
STRANGER_PHONE = "593980000000"
ANA = {"name": "Ana Paz Vera", "id": "1710034065"}
WEBHOOK = "/api/v1/whatsapp/webhook"


def cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


def quito_at(days: int, hour: int, minute: int = 0) -> datetime:
    from ventanilla.countries.registry import get_pack

    tz = get_pack("EC").tz
    day = timezone.now().astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


@pytest.fixture
def clinic(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hd-norte",
                                 name="Hospital del Día Norte", subdivision_code="170150",
                                 address="Av. Amazonas N36-152")


@pytest.fixture
def specialties(db):
    from ventanilla.scheduling.defaults import medical_services_ensure

    return {s.code: s for s in medical_services_ensure("EC")}


@pytest.fixture
def make_slot(db):
    from ventanilla.scheduling.models import Slot

    def make(centre, service, starts_at: datetime, *, capacity: int = 1):
        return Slot.objects.create(centre=centre, service=service, starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=20),
                                   capacity=capacity)

    return make


@pytest.fixture
def slots(clinic, specialties, make_slot):
    """Dentistry at 08:00, 08:20 and 08:40 and General Medicine at 09:00, in 3 days; one
    Pediatrics slot (not bookable by WhatsApp)."""
    dent = specialties["dentistry"]
    out = {"dentistry": [make_slot(clinic, dent, quito_at(3, 8, m)) for m in (0, 20, 40)],
           "general_medicine": [make_slot(clinic, specialties["general_medicine"],
                                          quito_at(3, 9))],
           "pediatrics": [make_slot(clinic, specialties["pediatrics"], quito_at(3, 10))]}
    make_slot(clinic, dent, quito_at(4, 8))  # a fourth: only three are offered
    return out


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def stranger(make_affiliate):
    return make_affiliate(id_number=cedula("090000001"), given_names="Luis",
                          family_names="Mendoza Ruiz", email="luis@example.com",
                          mobile_phone="+" + STRANGER_PHONE)


@pytest.fixture
def child(make_affiliate, ana):
    from datetime import date

    return make_affiliate(id_number=cedula("171234567"), given_names="Sofía",
                          family_names="Paz Andrade", date_of_birth=date(2018, 3, 1),
                          affiliation_type="dependant", holder=ana.affiliations.get(),
                          relationship="child", with_clave=False, mobile_phone="", email="")


@pytest.fixture
def chat(db):
    """Replay messages through the conversation (no HTTP); returns the last replies."""
    from ventanilla.whatsapp.conversation import conversation_reply

    counter = iter(range(1, 10_000))

    def send(phone: str, *texts: str) -> list[str]:
        replies: list[str] = []
        for text in texts:
            replies = conversation_reply(phone=phone, text=text,
                                         message_id=f"wamid.test{next(counter)}").replies
        return replies

    return send


@pytest.fixture
def webhook(db, django_capture_on_commit_callbacks):
    """POST a correctly signed delivery to the webhook; returns the response."""
    client = Client()

    def post(phone: str, text: str, *, message_id: str | None = None, secret: str | None = None,
             raw: bytes | None = None):
        from django.conf import settings

        body = raw if raw is not None else json.dumps(
            build(phone=phone, text=text, name="Ana", message_id=message_id)).encode()
        sig = signature(body, secret if secret is not None else settings.WHATSAPP_APP_SECRET)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(WEBHOOK, data=body, content_type="application/json",
                               headers={SIGNATURE_HEADER: sig})

    return post


def replies_to(phone: str) -> list[str]:
    from ventanilla.whatsapp.models import WhatsAppMessage

    return list(WhatsAppMessage.objects.filter(phone=phone, direction="out")
                .order_by("created_at", "pk").values_list("body", flat=True))
