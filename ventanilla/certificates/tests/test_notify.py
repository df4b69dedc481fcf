"""The person hears of each step: an e-mail through the outbox and, where their mobile opted
in, a WhatsApp message in their conversation's language (after the commit)."""

from __future__ import annotations

import pytest
from django.core import mail

from ventanilla.certificates import services
from ventanilla.notifications.models import OutboundMessage
from ventanilla.whatsapp.models import WhatsAppConversation, WhatsAppMessage

pytestmark = pytest.mark.django_db(transaction=True)


def test_r_cer_05_each_outcome_is_queued_by_e_mail_and_whatsapp_where_opted_in(
        submit, validator_ec):
    WhatsAppConversation.objects.create(phone="593991234567", whatsapp_opt_in=True,
                                        language="en")
    cert = submit()
    services.certificate_return(certificate=cert, actor=validator_ec,
                                note="The stamp is cut off: photograph the whole page.")
    assert list(OutboundMessage.objects.filter(kind="certificates.certificate_event")
                .values_list("to", "status")) == [("ana@example.com", "sent")] * 2
    ref = cert.case.reference
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@example.com"], f"Recibimos su certificado {ref}"),
        (["ana@example.com"], f"Su certificado {ref} necesita una corrección")]
    assert "The stamp is cut off: photograph the whole page." in mail.outbox[1].body
    assert f"/portal/certificados/{ref}/corregir/" in mail.outbox[1].body
    texts = list(WhatsAppMessage.objects.filter(direction="out").order_by("pk")
                 .values_list("body", flat=True))
    assert texts == [
        f"We received certificate {ref}. A validator decides by 10 December 2026.",
        f"Certificate {ref} needs a correction: open it in your account to fix it."]


def test_no_whatsapp_without_opt_in(submit):
    WhatsAppConversation.objects.create(phone="593991234567", whatsapp_opt_in=False)
    submit()
    assert not WhatsAppMessage.objects.filter(direction="out").exists()


@pytest.mark.django_db(transaction=False)
def test_the_whatsapp_notice_is_written_in_the_decisions_transaction(submit):
    """The notice is an outbox row of the same transaction (inside a test transaction no
    commit ever happens): a crash after the commit cannot lose it."""
    WhatsAppConversation.objects.create(phone="593991234567", whatsapp_opt_in=True)
    cert = submit()
    assert WhatsAppMessage.objects.filter(direction="out").count() == 1
    assert OutboundMessage.objects.filter(kind="whatsapp.text").count() == 1
    assert cert.case.reference in WhatsAppMessage.objects.get(direction="out").body
