"""The receipt of a validated certificate (R-CER-05): a PDF naming the reference, the dates
and the days, with a QR code leading to the employer's check — never the diagnosis, its
ICD-10 code or the doctor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import segno

from ventanilla.certificates import receipt, services

from .api_helpers import ALL_CHECKS
from .conftest import NOW, scan, typed
from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db
SECRETS = ("J06", "Infección", "respiratory", "Andrade", "La Merced", "1005-2016")


@pytest.fixture
def rendered(monkeypatch):
    """The HTML each receipt was rendered from, before it became a PDF."""
    pages: list[str] = []
    render = receipt.render_to_string

    def keep(*args, **kwargs):
        pages.append(render(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(receipt, "render_to_string", keep)
    return pages


def test_r_cer_05_the_receipt_has_the_days_and_the_qr_code_never_the_diagnosis(
        submit, validator_ec, rendered, settings):
    cert = services.certificate_validate(certificate=submit(), actor=validator_ec,
                                         checklist=ALL_CHECKS, now=NOW)
    ref = cert.case.reference
    pdf = receipt.receipt_pdf(cert)
    assert pdf[:5] == b"%PDF-"
    text = " ".join(pdf_text(pdf).split())   # lines wrap on A5
    assert ref in text
    assert "3 days, from 1 December 2026 to 3 December 2026" in text
    assert "VALIDATED ON 7 December 2026" in text
    url = f"{settings.SITE_URL}/certificados/verificar/?reference={ref}"
    assert receipt.verify_url(cert) == url
    assert url in text.replace(" ", "")
    [html] = rendered
    # the QR code drawn is the one of the employer's page with this reference
    assert segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#0b0c0c") in html
    for secret in SECRETS:
        assert secret not in text and secret not in html


def test_r_cer_04_a_citt_receipt_carries_its_number(make_affiliate, validator_pe):
    from ventanilla.core.channels import Channel

    rosa = make_affiliate(country="PE", id_type="dni", id_number="45678912",
                          given_names="Rosa", family_names="Quispe Mamani",
                          mobile_phone="+51987654321")
    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    cert = services.certificate_submit(
        submitter=rosa, patient=rosa, channel=Channel.WEB, files=scan(), now=now,
        data=typed(patient_names="Rosa Quispe Mamani", patient_id_number="45678912",
                   doctor_registration="CMP 045123", establishment_phone="01 415 3000",
                   issued_country="PE", issued_place="Lima", issued_on="20/11/2026",
                   rest_start="20/11/2026", rest_end="14/12/2026", rest_days="25"))
    cert = services.certificate_validate(certificate=cert, actor=validator_pe,
                                         checklist=ALL_CHECKS, now=now)
    text = " ".join(pdf_text(receipt.receipt_pdf(cert)).split())   # lines wrap on A5
    assert "INCAPACITY CERTIFICATE (CITT) CITT-PE-2026-0000001" in text
    assert "25 days, from 20 November 2026 to 14 December 2026" in text
