"""The person hears of each outcome by e-mail, in their language, through a real SMTP
server (R-CER-03, R-CER-05): a validated certificate comes with its PDF receipt, a
rejection lists every reason."""

from __future__ import annotations

import pytest

from ventanilla.certificates import services

from .api_helpers import ALL_CHECKS
from .conftest import NOW
from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db
REASONS = ["handwritten", "no_stamp", "other"]


def _decided(ana, submit, validator_ec, capture, *, language: str, outcome: str):
    ana.language = language
    ana.save(update_fields=["language"])
    with capture(execute=True):
        cert = submit()
    with capture(execute=True):
        if outcome == "validated":
            cert = services.certificate_validate(certificate=cert, actor=validator_ec,
                                                 checklist=ALL_CHECKS, now=NOW)
        else:
            cert = services.certificate_reject(certificate=cert, actor=validator_ec,
                                               reasons=REASONS,
                                               note='La fecha "1/12" está corregida a mano & '
                                                    "sin firma <nueva>.",
                                               now=NOW)
    return cert


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_r_cer_05_a_validated_certificate_is_mailed_with_its_receipt(
        ana, submit, validator_ec, smtp_server, django_capture_on_commit_callbacks):
    cert = _decided(ana, submit, validator_ec, django_capture_on_commit_callbacks,
                    language="en", outcome="validated")
    ref = cert.case.reference
    received, validated = smtp_server.wait_for(2)
    assert received["Subject"] == f"We received your certificate {ref}"
    assert validated["To"] == "ana@example.com"
    assert validated["Subject"] == f"Your certificate {ref} is validated"
    body = _body(validated)
    assert (f"The sick-leave certificate {ref} of Ana is validated: 3 days of rest, from "
            "1 December 2026 to 3 December 2026.") in body
    assert "J06" not in body and "Infección" not in body
    [attachment] = list(validated.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{ref}.pdf"
    pdf = attachment.get_content()
    assert pdf[:5] == b"%PDF-" and ref in pdf_text(pdf)


def test_r_cer_03_a_rejection_mail_lists_every_reason(
        ana, submit, validator_ec, smtp_server, django_capture_on_commit_callbacks):
    cert = _decided(ana, submit, validator_ec, django_capture_on_commit_callbacks,
                    language="en", outcome="rejected")
    _received, rejected = smtp_server.wait_for(2)
    assert rejected["Subject"] == f"Your certificate {cert.case.reference} was not validated"
    body = _body(rejected)
    assert ("- It is handwritten; it must be typed.\n"
            "- It has no stamp with the doctor's registration code.\n"
            "- Another reason (see the note).\n") in body
    # plain text: the validator's words and the reasons exactly, nothing HTML-escaped
    assert 'La fecha "1/12" está corregida a mano & sin firma <nueva>.' in body
    assert list(rejected.iter_attachments()) == []


def test_r_cer_03_the_mails_are_in_the_persons_language(
        ana, submit, validator_ec, smtp_server, django_capture_on_commit_callbacks):
    """Spanish (the catalogue's msgids: the translations from the issue's JSON files)."""
    cert = _decided(ana, submit, validator_ec, django_capture_on_commit_callbacks,
                    language="es", outcome="rejected")
    _received, rejected = smtp_server.wait_for(2)
    assert rejected["Subject"] == f"Su certificado {cert.case.reference} no fue validado"
    body = _body(rejected)
    assert ("- Está escrito a mano; debe estar escrito a máquina o computadora.\n"
            "- No tiene el sello con el código de registro del médico.\n"
            "- Otro motivo (vea la nota).\n") in body
