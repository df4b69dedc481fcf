"""Sick-leave certificates in the portal (issue 13, R-CER-01..05) through its pages, with
the Django client and no JavaScript: the steps, the check page with every finding linked
to its field, the submission once, the confirmation, the list and one certificate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from ventanilla.certificates.models import Certificate
from ventanilla.core.dates import weekday_day_text

from .certificate_walk import (
    CHECK,
    NEW,
    answers,
    dmy,
    scan,
    step,
    text,
    today,
    upload_step,
    walk,
)
from .test_portal import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    """Each test its own private storage: what it keeps is what it sees."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def browser(ana):
    """Ana signed in, reading English."""
    client = Client()
    sign_in(client, ana)
    client.cookies["django_language"] = "en"
    return client


def kept_files() -> list[str]:
    try:
        return default_storage.listdir("certificate-uploads")[1]
    except FileNotFoundError:
        return []


def test_r_cer_01_the_whole_flow_submits_a_certificate_and_tells_the_due_date(browser, ana):
    home = text(browser.get("/portal/"))
    assert "Sick-leave certificates" in home
    assert "Submit a certificate" in text(browser.get("/portal/certificados/"))
    r = browser.post(NEW, {"patient": str(ana.public_id)})
    assert r["Location"] == step("tipo")
    values = answers()
    assert browser.post(step("tipo"), values["tipo"])["Location"] == step("medico")
    page = text(browser.get(step("medico")))
    assert "In Ecuador it looks like 1005-2016-1727394." in page
    assert "day/month/year: for example 07/12/2026" in page
    assert browser.post(step("medico"), values["medico"])["Location"] == step("paciente")
    assert "The ID card says: Ana Paz Vera." in text(browser.get(step("paciente")))
    # "j069" is read as J06.9; its official description is shown to confirm it
    assert browser.post(step("paciente"), values["paciente"])["Location"] == step("codigo")
    page = text(browser.get(step("codigo")))
    assert "J06.9" in page and "Acute upper respiratory infection, unspecified" in page
    assert browser.post(step("codigo"), {"confirmed": "yes"})["Location"] == step("dias")
    # an illness has no R-CER-02 details: the next step is the scan
    assert browser.post(step("dias"), values["dias"])["Location"] == upload_step("certificado")
    page = text(browser.get(upload_step("certificado")))
    assert "JPG, PNG, HEIC or PDF, up to 10 MB." in page
    r = browser.post(upload_step("certificado"), {"scan": scan()})
    assert r["Location"] == CHECK
    assert len(kept_files()) == 1
    check = browser.get(CHECK)
    page = text(check)
    assert check.status_code == 200 and "There is a problem" not in page
    assert "Dra. Lucía Andrade" in page and "J06.9 – Acute upper respiratory infection" in page
    assert "certificado.pdf" in page
    assert check.content.decode().count(">Change<") == 21
    key = check.context["key"]

    r = browser.post(CHECK, {"key": key})
    cert = Certificate.objects.get()
    assert r["Location"] == f"/portal/certificados/{cert.case.reference}/enviado/"
    assert (cert.patient, cert.submitted_by, cert.icd10_code, cert.rest_days) == (
        ana, ana, "J06.9", 3)
    assert cert.rest_end == today() and cert.files.get().role == "scan"
    assert cert.channel == "web" and cert.idempotency_key == key
    page = text(browser.get(r["Location"]))
    assert cert.case.reference in page
    assert (f"A validator decides by {weekday_day_text(cert.due_on)}, 3 working days."
            in page)
    assert "We will e-mail ana@example.com" in page
    assert "/certificados/verificar/" in browser.get(r["Location"]).content.decode()
    assert kept_files() == []                        # the kept scan went with the submission
    assert browser.get(CHECK)["Location"] == NEW     # the draft is gone
    listed = text(browser.get("/portal/certificados/"))
    assert cert.case.reference in listed and "Waiting for validation" in listed


def test_r_cer_03_every_finding_at_once_on_the_check_page_each_linking_to_its_field(browser,
                                                                                  ana):
    bad = answers(doctor_email="andrade-at-lamerced", doctor_registration="12345",
                  patient_names="PEDRO PEREZ", icd10_code="J06",
                  rest_end=dmy(today() - timedelta(days=5)), issued_on="2026-31-12")
    check = walk(browser, ana, bad, files={})
    body = check.content.decode()
    expected = {
        "medico/?revisar=1#id_doctor_email": "Enter the doctor&#x27;s e-mail as it is written",
        "medico/?revisar=1#id_doctor_registration": "This is not a doctor&#x27;s "
                                                    "registration code of Ecuador",
        "medico/?revisar=1#id_issued_on": "Enter the issue date as day/month/year",
        "paciente/?revisar=1#id_patient_names": "The names do not match the patient",
        "paciente/?revisar=1#id_icd10_code": "J06 is a group of diagnoses",
        "dias/?revisar=1#id_rest_end": "The last day of rest is before the first.",
        "archivo/certificado/?revisar=1#id_scan": "Upload a photo or scan of the "
                                                  "certificate.",
    }
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert summary.count("<li>") == len(expected)
    for href, message in expected.items():
        assert f'<a href="{NEW}{href}">{message}' in summary, href
    assert "Submit the certificate" in body   # the page still lets her try, and says why not
    r = browser.post(CHECK, {"key": check.context["key"]})
    assert r.status_code == 422 and Certificate.objects.count() == 0
    # following a link opens the step with its problems under their fields
    page = browser.get(f"{step('medico')}?revisar=1")
    assert page.status_code == 200 and page.context["form"].errors.keys() == {
        "doctor_email", "doctor_registration", "issued_on"}
    assert "Save and go back to the check page" in text(page)
    r = browser.post(f"{step('medico')}?revisar=1", {**bad["medico"],
                                                     **answers()["medico"]})
    assert r["Location"] == CHECK


def test_r_cer_03_a_code_that_is_not_one_offers_the_nearest_codes_as_choices(browser, ana):
    walk(browser, ana, answers(icd10_code="ZZZ"), files={})
    r = browser.post(step("paciente"), answers(icd10_code="J06-9")["paciente"])
    assert r.status_code == 422
    page = text(r)
    assert "An ICD-10 code is a letter and two digits" in page
    assert "Is it one of these codes?" in page
    choices = [value for value, _label in r.context["form"].fields["icd10_choice"].choices]
    assert "J06.9" in choices
    r = browser.post(step("paciente"), {**answers(icd10_code="J06-9")["paciente"],
                                        "icd10_choice": "J06.9"})
    # chosen with its description on the page: no confirmation page
    assert r["Location"] == step("dias")
    assert browser.session["portal_certificate"]["data"]["icd10_code"] == "J06.9"


def test_the_autocomplete_confirms_a_code_it_showed_and_works_without_it(browser, ana):
    walk(browser, ana, files={})
    page = browser.get(step("paciente")).content.decode()
    assert '<script type="module" src="/static/js/icd10-autocomplete.js"></script>' in page
    assert 'data-module="icd10-autocomplete"' in page and 'data-icd10-url="/api/v1/icd10"' in page
    r = browser.post(step("paciente"), {**answers()["paciente"], "icd10_code": "J06.9",
                                        "icd10_seen": "J06.9"})
    assert r["Location"] == step("dias")


def test_a_dependant_certificate_is_submitted_by_the_holder(browser, ana, make_affiliate):
    child = make_affiliate(id_number="1713175071", given_names="Luis", with_clave=False,
                           date_of_birth=date(2015, 3, 1), holder=ana.affiliations.first(),
                           relationship="child")
    assert "Luis Paz Vera" in text(browser.get(NEW))
    values = answers(patient_names="Luis Paz Vera", patient_id_number="1713175071")
    check = walk(browser, child, values)
    assert "Luis Paz Vera" in text(check) and check.context["review"].may_submit
    browser.post(CHECK, {"key": check.context["key"]})
    cert = Certificate.objects.get()
    assert (cert.patient, cert.submitted_by) == (child, ana)
    assert "Luis Paz Vera" in text(browser.get("/portal/certificados/"))
    # Ana's name on the child's certificate is refused
    walk(browser, child, answers())
    assert "The names do not match the patient" in text(browser.get(CHECK))


def test_someone_elses_certificate_answers_404(browser, make_affiliate):
    from ventanilla.certificates.services import certificate_submit
    from ventanilla.certificates.tests.conftest import scan as scan_files
    from ventanilla.certificates.tests.conftest import typed

    luis = make_affiliate(id_number="1713175071", given_names="Luis", email="l@example.com")
    cert = certificate_submit(
        submitter=luis, patient=luis, data=typed(
            patient_names="Luis Paz Vera", patient_id_number="1713175071",
            issued_on=dmy(today()), rest_start=dmy(today()), rest_end=dmy(today()),
            rest_days="1", rest_days_words="uno"), files=scan_files(), channel="web")
    ref = cert.case.reference
    for path in ("", "enviado/", "corregir/", "comprobante.pdf"):
        assert browser.get(f"/portal/certificados/{ref}/{path}").status_code == 404, path
    assert browser.get("/portal/certificados/NO-SUCH-REF/").status_code == 404
    assert ref not in text(browser.get("/portal/certificados/"))
    # and nobody else's ID can be picked as the patient
    r = browser.post(NEW, {"patient": str(luis.public_id)})
    assert r.status_code == 422 and "Select who is on sick leave" in text(r)


def test_r_cer_04_a_late_ecuadorian_certificate_asks_for_the_justification(browser, ana):
    end = today() - timedelta(days=30)
    late = answers(issued_on=dmy(end - timedelta(days=2)), rest_start=dmy(end - timedelta(
        days=2)), rest_end=dmy(end))
    check = walk(browser, ana, late)
    page = text(check)
    assert "It is submitted after the deadline" in page
    assert "The last day to submit this certificate was" in page
    assert f'href="{CHECK}#id_late_reason"' in check.content.decode()
    assert 'name="late_reason"' in check.content.decode()
    r = browser.post(CHECK, {"key": check.context["key"], "late_reason": ""})
    assert r.status_code == 422 and Certificate.objects.count() == 0
    assert r.context["late_form"].errors["late_reason"]
    r = browser.post(CHECK, {"key": check.context["key"],
                             "late_reason": "I was in hospital until last week."})
    cert = Certificate.objects.get()
    assert cert.late_reason == "I was in hospital until last week."
    assert [f["field"] for f in cert.flags] == ["late_reason"]


def test_r_cer_04_35_days_in_ecuador_are_validated_in_person_with_the_visit_offered(browser,
                                                                                   ana):
    start = today() - timedelta(days=34)
    check = walk(browser, ana, answers(issued_on=dmy(start), rest_start=dmy(start),
                                       rest_days="35"))
    body = check.content.decode()
    assert "Rests of more than 30 days are validated in person, not online" in text(check)
    assert 'href="/portal/visitas/nueva/?service=document_submission"' in body
    assert "Submit the certificate" not in body
    r = browser.post(CHECK, {"key": check.context["key"]})
    assert r.status_code == 422 and Certificate.objects.count() == 0


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"<html><script>alert(1)</script></html>", "certificado.png",
     "The selected file must be a JPG, PNG, HEIC or PDF"),
    (b"", "certificado.pdf", "The selected file is empty"),
    (b"%PDF-1.4 but not really a pdf", "certificado.pdf", "The selected file is not a "
                                                           "complete PDF"),
], ids=["html-as-png", "empty", "broken-pdf"])
def test_a_bad_upload_is_refused_at_its_step_and_the_answers_stay(browser, ana, data, name,
                                                                   message):
    walk(browser, ana, files={})
    r = browser.post(upload_step("certificado"), {"scan": scan(data, name)})
    assert r.status_code == 422 and message in text(r)
    assert "<title>Error:" in r.content.decode()
    assert 'href="#id_scan"' in r.content.decode()
    assert kept_files() == [] and browser.session["portal_certificate"]["files"] == {}
    assert browser.session["portal_certificate"]["data"]["doctor_name"] == "Dra. Lucía Andrade"


def test_a_scan_over_the_size_limit_is_refused_with_the_limit(browser, ana, settings):
    walk(browser, ana, files={})
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    assert "up to 2 MB" in text(browser.get(upload_step("certificado")))
    r = browser.post(upload_step("certificado"), {"scan": scan(b"%PDF-1.4\n" + b"0" *
                                                               (3 * 1024 * 1024))})
    assert r.status_code == 422 and "must be smaller than 2 MB" in text(r)


def test_a_double_submit_with_the_same_key_stores_one_certificate(browser, ana):
    check = walk(browser, ana)
    key = check.context["key"]
    first = browser.post(CHECK, {"key": key})
    again = browser.post(CHECK, {"key": key})      # the second click, the page sent again
    assert first["Location"] == again["Location"]
    assert Certificate.objects.count() == 1


def test_r_cer_02_hospitalisation_asks_admission_discharge_and_procedure(browser, ana):
    start = today() - timedelta(days=2)
    values = answers(kind="hospitalisation", admitted_on=dmy(start),
                     discharged_on=dmy(start - timedelta(days=1)), procedure="")
    check = walk(browser, ana, values)
    body = check.content.decode()
    assert f'href="{step("detalles")}?revisar=1#id_discharged_on">The discharge is before ' \
           f'the admission.' in body
    assert f'href="{step("detalles")}?revisar=1#id_procedure">Enter the procedure' in body
    browser.post(f"{step('detalles')}?revisar=1", {"admitted_on": dmy(start),
                                                   "discharged_on": dmy(today()),
                                                   "procedure": "Apendicectomía"})
    browser.post(CHECK, {"key": check.context["key"]})
    cert = Certificate.objects.get()
    assert (cert.kind, cert.admitted_on, cert.procedure) == ("hospitalisation", start,
                                                              "Apendicectomía")


def test_r_cer_05_from_abroad_the_apostille_and_the_translation_are_asked(browser, ana):
    values = answers(abroad="yes", issued_country="US", language="en")
    check = walk(browser, ana, values, files={"certificado": scan()})
    body = check.content.decode()
    assert f'href="{upload_step("apostilla")}?revisar=1#id_apostille"' in body
    assert f'href="{upload_step("traduccion")}?revisar=1#id_translation"' in body
    assert "United States, in English" in text(check)
    for slug, role in (("apostilla", "apostille"), ("traduccion", "translation")):
        browser.post(upload_step(slug), {role: scan(name=f"{role}.pdf")})
    browser.post(CHECK, {"key": browser.get(CHECK).context["key"]})
    cert = Certificate.objects.get()
    assert cert.issued_country == "US" and sorted(f.role for f in cert.files.all()) == [
        "apostille", "scan", "translation"]
