"""A certificate after its submission, in the portal: the outcome on its page (the reasons of
a rejection, the CITT number, the receipt of a validated one), the correction of one sent
back (R-CER-05: corrected, not started again), and the sweep of files never submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import png_bytes
from ventanilla.certificates import services
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.tests.conftest import scan as scan_files
from ventanilla.certificates.tests.conftest import typed

from .certificate_walk import dmy, scan, text, today
from .test_portal import sign_in

pytestmark = pytest.mark.django_db
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def browser(ana):
    client = Client()
    sign_in(client, ana)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def cert(ana):
    """Ana's certificate, submitted today for the last three days."""
    start = today() - timedelta(days=2)
    return services.certificate_submit(
        submitter=ana, patient=ana, channel="web", files=scan_files(),
        data=typed(issued_on=dmy(start), rest_start=dmy(start), rest_end=dmy(today())))


@pytest.fixture
def validator(roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username="validador.ec", password="Staff-password-123",
                        role=Role.VALIDATOR, country="EC")


def page_of(browser, cert, suffix=""):
    return browser.get(f"/portal/certificados/{cert.case.reference}/{suffix}")


def test_a_submitted_certificate_shows_its_status_due_date_and_history(browser, cert):
    page = text(page_of(browser, cert))
    assert "Waiting for validation" in page
    assert "Certificate submitted for validation" in page      # the case's history
    assert "Application started" not in page
    assert "Correct it" not in page and "Download the receipt" not in page


def test_r_cer_03_a_rejection_shows_every_reason_and_the_note(browser, cert, validator):
    services.certificate_reject(certificate=cert, actor=validator,
                                reasons=["handwritten", "no_stamp", "other"],
                                note="La fecha de emisión está tachada.")
    page = text(page_of(browser, cert))
    assert "Rejected" in page and "Certificate rejected" in page
    for reason in ("It is handwritten; it must be typed.",
                   "It has no stamp with the doctor's registration code.",
                   "Another reason (see the note).", "La fecha de emisión está tachada."):
        assert reason in page
    assert page_of(browser, cert, "comprobante.pdf").status_code == 404


def test_the_receipt_is_downloaded_only_once_validated(browser, cert, validator,
                                                       monkeypatch):
    from ventanilla.certificates import receipt

    assert page_of(browser, cert, "comprobante.pdf").status_code == 404
    services.certificate_validate(certificate=cert, actor=validator, checklist=ALL_CHECKS)
    try:
        reverse("web:certificate_verify")
    except NoReverseMatch:   # the employer's page comes with the public site's helper
        monkeypatch.setattr(receipt, "verify_url", lambda c: "http://testserver/certificados/"
                            f"verificar/?reference={c.case.reference}")
    page = text(page_of(browser, cert))
    assert "Validated" in page and "Download the receipt (PDF)" in page
    r = page_of(browser, cert, "comprobante.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and "no-store" in r["Cache-Control"]


def test_r_cer_05_sent_back_it_is_corrected_on_one_page_with_a_new_scan(browser, cert,
                                                                        validator):
    services.certificate_return(certificate=cert, actor=validator,
                                note="El número de días no se lee: suba otra foto.")
    detail = page_of(browser, cert)
    page = text(detail)
    assert "Sent back to you for a correction" in page
    assert "El número de días no se lee: suba otra foto." in page
    correct_url = f"/portal/certificados/{cert.case.reference}/corregir/"
    assert f'href="{correct_url}"' in detail.content.decode()
    form = browser.get(correct_url)
    body = form.content.decode()
    assert 'value="Dra. Lucía Andrade"' in body and f'value="{dmy(today())}"' in body
    assert 'value="J06.9"' in body
    fields = {name: str(value) for name, value in form.context["form"].initial.items()}
    fields["abroad"] = "no"
    # a wrong answer and a file that is not one: both at the top, nothing changed
    bad = browser.post(correct_url, {**fields, "rest_days": "4",
                                      "scan": scan(b"<html></html>", "x.png")})
    assert bad.status_code == 422
    summary = bad.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_rest_days"' in summary and 'href="#id_scan"' in summary
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.RETURNED and cert.files.count() == 1
    # corrected, with a new photo: back in the queue, the old scan kept as history
    r = browser.post(correct_url, {**fields, "scan": scan(png_bytes(), "nueva.png")})
    assert r["Location"] == f"/portal/certificados/{cert.case.reference}/"
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUBMITTED
    current = cert.files.get(is_current=True)
    assert (current.original_name, current.content_type) == ("nueva.png", "image/png")
    assert cert.files.count() == 2
    page = text(browser.get(r["Location"]))
    assert "Your correction is sent" in page and "Corrected certificate sent for validation" in page
    # no second correction of a certificate waiting for validation
    again = browser.get(correct_url)
    assert again["Location"] == f"/portal/certificados/{cert.case.reference}/"


def test_a_file_that_passed_its_check_is_kept_while_the_rest_is_corrected(browser, cert,
                                                                          validator):
    services.certificate_return(certificate=cert, actor=validator, note="Otra foto.")
    url = f"/portal/certificados/{cert.case.reference}/corregir/"
    fields = {k: str(v) for k, v in browser.get(url).context["form"].initial.items()}
    r = browser.post(url, {**fields, "rest_days": "9", "scan": scan(png_bytes(), "n.png")})
    assert r.status_code == 422 and "Kept for this correction: n.png" in text(r)
    r = browser.post(url, fields)          # the file is not sent again
    assert r.status_code == 302
    assert cert.files.get(is_current=True).original_name == "n.png"


def test_the_sweep_removes_only_files_older_than_the_grace_period(browser, ana, tmp_path):
    import os
    import time

    from .certificate_walk import NEW, upload_step

    browser.post(NEW, {"patient": str(ana.public_id)})
    browser.post(upload_step("certificado"), {"scan": scan()})
    folder = tmp_path / "private" / "certificate-uploads"
    [kept] = os.listdir(folder)
    call_command("certificate_uploads_sweep")
    assert os.listdir(folder) == [kept]                   # a draft of today stays
    old = time.time() - 25 * 3600
    os.utime(folder / kept, (old, old))
    call_command("certificate_uploads_sweep")
    assert not folder.exists() or os.listdir(folder) == []
    # the check page then asks for the file again
    assert "Upload a photo or scan of the certificate." in text(
        browser.get("/portal/certificados/nuevo/revisar/"))
