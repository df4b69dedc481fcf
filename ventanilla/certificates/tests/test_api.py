"""The person's half of the certificates API (R-CER-01..05): submit, check, list, read and
correct, with every bad input of issue 13 — each a 4xx naming its field with its exact
message, and nothing stored. The validators', the employer's and the permission matrix
are in ``test_api_staff.py``."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage

from conftest import PDF, png_bytes
from ventanilla.cases.models import Case
from ventanilla.certificates import services
from ventanilla.certificates.models import Certificate, CertificateFile

from .api_helpers import Api, dmy, ec_today, form

pytestmark = pytest.mark.django_db

REFUSED = "The certificate has problems to correct before it can be submitted."
NOT_A_DATE = "Enter the date as day/month/year, for example 07/12/2026."
NOT_A_FILE = "The selected file must be a JPG, PNG, HEIC or PDF"
NOT_YOURS = "You can submit certificates only for yourself and your dependants."


def _files_on_disk() -> set[str]:
    if not default_storage.exists("certificates"):
        return set()
    folders, _files = default_storage.listdir("certificates")
    return {f"{folder}/{name}" for folder in folders
            for name in default_storage.listdir(f"certificates/{folder}")[1]}


@pytest.fixture
def stored_nothing():
    """A check that nothing was stored since the test began: no certificate, no file row,
    no case and no new file on disk (the test storage outlives one test)."""
    before = _files_on_disk()

    def check() -> bool:
        return (not Certificate.objects.exists() and not CertificateFile.objects.exists()
                and not Case.objects.filter(kind="sick_leave").exists()
                and _files_on_disk() == before)

    return check


@pytest.fixture
def luis(make_affiliate):
    """Another affiliate, with a clave of his own."""
    return make_affiliate(id_number="0926687856", given_names="Luis", email="l@example.com")


@pytest.fixture
def child(ana, make_affiliate):
    return make_affiliate(id_number="1713175071", given_names="Leo", with_clave=False,
                          date_of_birth=date(2016, 3, 1), holder=ana.affiliations.first(),
                          relationship="child")


def test_r_cer_01_a_valid_certificate_is_submitted_with_its_scan(ana):
    r = Api(person=ana).multipart("", form())
    assert r.status_code == 201, r.content
    body = r.json()
    cert = Certificate.objects.get()
    assert body["reference"] == cert.case.reference
    assert (body["status"], body["status_label"], body["kind"], body["channel"]) == (
        "submitted", "Waiting for validation", "illness", "api")
    assert body["icd10_code"] == "J06.9"            # typed "j069"
    assert body["icd10_description"] == "Acute upper respiratory infection, unspecified"
    assert body["diagnosis"] == "Infección aguda de las vías respiratorias superiores"
    today = ec_today()
    assert (body["rest_start"], body["rest_end"], body["rest_days"]) == (
        (today - timedelta(days=2)).isoformat(), today.isoformat(), 3)
    assert body["patient"] == {"id": str(ana.public_id), "full_name": "Ana Paz Vera"}
    [scan] = body["files"]
    assert (scan["role"], scan["content_type"], scan["original_name"], scan["pages"]) == (
        "scan", "application/pdf", "certificado.pdf", 1)
    assert body["due_on"] == cert.due_on.isoformat()


def test_r_cer_01_a_dependant_certificate_names_the_dependant(ana, child):
    r = Api(person=ana).multipart("", form(patient=str(child.public_id),
                                           patient_names="Leo Paz Vera",
                                           patient_id_number="1713175071"))
    assert r.status_code == 201, r.content
    cert = Certificate.objects.get()
    assert (cert.patient, cert.submitted_by) == (child, ana)
    assert r.json()["patient"]["full_name"] == "Leo Paz Vera"


@pytest.mark.parametrize("patient", ["stranger", "unknown"])
def test_a_certificate_for_someone_who_is_not_a_dependant_is_refused_alike(
        ana, stored_nothing, make_affiliate, patient):
    stranger = make_affiliate(id_number="1713175071", given_names="Leo", with_clave=False)
    public_id = stranger.public_id if patient == "stranger" else uuid.uuid4()
    api = Api(person=ana)
    fields = form(patient=str(public_id), patient_names="Leo Paz Vera",
                  patient_id_number="1713175071")
    submitted = api.multipart("", fields)
    checked = api.json("/check", {**fields, "has_scan": True})
    for r in (submitted, checked):
        assert r.status_code == 403
        assert r.json() == {"code": "CERTIFICATE_PATIENT_REFUSED", "message": NOT_YOURS,
                            "fields": {"patient": NOT_YOURS}}
    assert stored_nothing()


@pytest.mark.parametrize(("typed", "message"), [
    ("J06.99", "J06.99 is not a code of the ICD-10 classification. Nearest valid codes: "
               "J06.9."),
    ("J06-9", "An ICD-10 code is a letter and two digits, then a dot and one more digit, "
              "for example J06.9. Nearest valid codes: J06.9."),
    ("ZZZ", "An ICD-10 code is a letter and two digits, then a dot and one more digit, "
            "for example J06.9."),
    ("", "Enter the ICD-10 code of the diagnosis, for example J06.9."),
    ("J06", "J06 is a group of diagnoses: enter the full code from the certificate. "
            "Nearest valid codes: J06.0, J06.8, J06.9."),
], ids=["too-many-digits", "dash", "nonsense", "empty", "category-with-subcategories"])
def test_r_cer_03_a_code_that_is_not_a_specific_icd10_code_is_refused(ana, stored_nothing, typed, message):
    r = Api(person=ana).multipart("", form(icd10_code=typed))
    assert r.status_code == 422
    assert r.json() == {"code": "CERTIFICATE_INVALID", "message": REFUSED,
                        "fields": {"icd10_code": message}}
    assert stored_nothing()


@pytest.mark.parametrize("typed", ["j069", "J06.9", "j06.9", " J069 "])
def test_r_cer_03_the_code_is_read_without_case_dot_or_spaces(ana, typed):
    r = Api(person=ana).json("/check", {**form(icd10_code=typed), "has_scan": True})
    assert r.status_code == 200
    assert r.json()["icd10"] == {"code": "J06.9", "description": (
        "Acute upper respiratory infection, unspecified")}
    assert r.json()["ok"] is True


@pytest.mark.parametrize("typed", ["31/02/2026", "2026/12/01", "1/2/26", "7 de diciembre",
                                   "12-31-2026"],
                         ids=["impossible", "year-first-slashes", "two-digit-year", "words",
                              "month-first"])
def test_r_cer_03_a_date_in_another_format_or_impossible_is_refused(ana, stored_nothing, typed):
    r = Api(person=ana).multipart("", form(rest_start=typed))
    assert r.status_code == 422
    assert r.json()["fields"] == {"rest_start": NOT_A_DATE}
    assert stored_nothing()


def test_r_cer_03_dates_are_day_month_year_or_iso(ana):
    today = ec_today()
    start = today - timedelta(days=2)
    r = Api(person=ana).multipart("", form(rest_start=start.isoformat(),
                                           rest_end=f"{today.day}-{today.month}-{today.year}",
                                           issued_on=start.strftime("%d.%m.%Y")))
    assert r.status_code == 201, r.content
    assert (r.json()["rest_start"], r.json()["rest_end"]) == (start.isoformat(),
                                                              today.isoformat())


def test_r_cer_03_a_leave_of_0_days_is_refused(ana, stored_nothing):
    today = dmy(ec_today())
    r = Api(person=ana).multipart("", form(rest_start=today, rest_end=today, rest_days="0",
                                           issued_on=today))
    assert r.status_code == 422
    assert r.json()["fields"] == {"rest_days": (
        "The certificate gives 0 days, but from the first to the last day of rest there "
        "are 1. A certificate gives at least one day of rest.")}
    assert stored_nothing()


def test_r_cer_03_an_end_before_the_start_is_refused(ana, stored_nothing):
    r = Api(person=ana).multipart("", form(rest_end=dmy(ec_today() - timedelta(days=3))))
    assert r.status_code == 422
    assert r.json()["fields"] == {"rest_end": "The last day of rest is before the first."}
    assert stored_nothing()


def test_r_cer_03_every_problem_at_once_and_the_missing_scan_among_them(ana, stored_nothing):
    r = Api(person=ana).multipart("", form(icd10_code="J06", doctor_email="",
                                           patient_names="PEDRO PEREZ"), files={})
    assert r.status_code == 422
    assert sorted(r.json()["fields"]) == ["doctor_email", "icd10_code", "patient_names",
                                          "scan"]
    assert r.json()["fields"]["scan"] == "Upload a photo or scan of the certificate."
    assert stored_nothing()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"just some words, not a document", "certificado.pdf", NOT_A_FILE),
    (b"<html><script>alert(1)</script></html>", "certificado.png", NOT_A_FILE),
    (b"MZ\x90\x00" + b"\x00" * 100, "certificado.jpg", NOT_A_FILE),
    (b"%PDF-1.4 but not really a pdf", "certificado.pdf",
     "The selected file is not a complete PDF. Save it again and upload it"),
], ids=["text-as-pdf", "html-as-png", "exe-as-jpg", "broken-pdf"])
def test_a_scan_that_is_not_an_image_or_pdf_is_refused(ana, stored_nothing, content, name,
                                                       message):
    r = Api(person=ana).multipart("", form(), files={"scan": (content, name)})
    assert r.status_code == 422
    assert r.json()["fields"] == {"scan": message}
    assert stored_nothing()


def test_a_scan_too_large_is_refused_with_the_limit(ana, stored_nothing, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = PDF + b"%" + b"0" * (1024 * 1024)
    r = Api(person=ana).multipart("", form(), files={"scan": (big, "certificado.pdf")})
    assert r.status_code == 422
    assert r.json()["fields"] == {"scan": "The selected file must be smaller than 1 MB"}
    assert stored_nothing()


def test_a_photo_with_a_misleading_extension_is_stored_as_what_it_is(ana):
    r = Api(person=ana).multipart("", form(), files={"scan": (png_bytes(), "certificado.pdf")})
    assert r.status_code == 201, r.content
    [scan] = CertificateFile.objects.all()
    # the type is read from the content; the name on disk is never the person's
    assert (scan.content_type, scan.original_name) == ("image/png", "certificado.pdf")
    assert not scan.file.name.endswith(".pdf")


def test_an_apostille_that_is_not_a_document_is_refused_with_the_scan_kept_out(ana, stored_nothing):
    r = Api(person=ana).multipart("", form(issued_country="CO", doctor_registration="RM-1"),
                                  files={"scan": (PDF, "c.pdf"),
                                         "apostille": (b"nothing", "apostilla.pdf")})
    assert r.status_code == 422
    assert r.json()["fields"] == {"apostille": NOT_A_FILE}
    assert stored_nothing()


def test_the_same_submission_twice_with_an_idempotency_key_is_stored_once(ana, child):
    api = Api(person=ana)
    first = api.multipart("", form(), HTTP_IDEMPOTENCY_KEY="cert-2026-1")
    again = api.multipart("", form(), HTTP_IDEMPOTENCY_KEY="cert-2026-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Certificate.objects.count() == 1 and CertificateFile.objects.count() == 1
    other = api.multipart("", form(patient=str(child.public_id), patient_names="Leo Paz Vera",
                                   patient_id_number="1713175071"),
                          HTTP_IDEMPOTENCY_KEY="cert-2026-1")
    assert other.status_code == 409
    assert other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert Certificate.objects.count() == 1


def test_without_a_key_the_same_submission_twice_is_two_certificates_flagged(ana):
    api = Api(person=ana)
    first = api.multipart("", form()).json()
    second = api.multipart("", form()).json()
    assert second["reference"] != first["reference"]
    assert [f["field"] for f in second["flags"]] == ["rest_start"]   # the overlap


def test_r_cer_03_the_check_runs_every_check_and_stores_nothing(ana, stored_nothing):
    r = Api(person=ana).json("/check", {**form(icd10_code="J06", rest_days="4")})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is False and body["icd10"] is None
    assert [(f["field"], f["blocking"]) for f in body["findings"]] == [
        ("scan", True), ("rest_days", True), ("icd10_code", True)]
    assert body["deadline"] is not None and body["late"] is False
    assert (body["in_person"], body["becomes_official"]) == (False, False)
    assert stored_nothing()


def test_r_cer_04_the_check_says_a_long_rest_is_validated_in_person(ana):
    today = ec_today()
    start = today - timedelta(days=34)
    r = Api(person=ana).json("/check", {**form(rest_start=dmy(start), issued_on=dmy(start),
                                               rest_days="35"), "has_scan": True})
    body = r.json()
    assert body["in_person"] is True and body["ok"] is False
    assert [f["message"] for f in body["findings"]] == [
        "Rests of more than 30 days are validated in person, not online: book a visit to "
        "a service centre."]


def test_the_person_lists_and_reads_their_own_with_the_diagnosis(ana, luis, child):
    api = Api(person=ana)
    mine = api.multipart("", form()).json()["reference"]
    theirs = api.multipart("", form(patient=str(child.public_id), patient_names="Leo Paz Vera",
                                    patient_id_number="1713175071")).json()["reference"]
    listed = api.get("").json()
    assert [c["reference"] for c in listed] == [theirs, mine]
    assert "diagnosis" not in listed[0]
    one = api.get(f"/{mine}")
    assert one.status_code == 200 and one.json()["diagnosis"].startswith("Infección")
    other = Api(person=luis)
    assert other.get("").json() == []
    for ref in (mine, "EC-ZZZZZZZZZ", "not-a-reference"):
        r = other.get(f"/{ref}")
        assert r.status_code == 404
        assert r.json()["code"] == "CERTIFICATE_NOT_FOUND"


def test_r_cer_05_a_certificate_sent_back_is_corrected_without_starting_again(
        ana, luis, validator_ec):
    api = Api(person=ana)
    ref = api.multipart("", form(doctor_specialty="Medicina")).json()["reference"]
    cert = Certificate.objects.get()
    r = api.multipart(f"/{ref}/correction", {"doctor_specialty": "Medicina general"},
                      files={})
    assert r.status_code == 409 and r.json()["code"] == "CERTIFICATE_NOT_EDITABLE"
    services.certificate_return(certificate=cert, actor=validator_ec,
                                note="The scan is blurred: photograph it again.")
    assert Api(person=luis).multipart(f"/{ref}/correction", {}, files={}).status_code == 404
    bad = api.multipart(f"/{ref}/correction", {"icd10_code": "J06"},
                        files={"scan": (b"nope", "c.jpg")})
    assert bad.status_code == 422
    assert sorted(bad.json()["fields"]) == ["icd10_code", "scan"]
    r = api.multipart(f"/{ref}/correction", {"doctor_specialty": "Medicina general"},
                      files={"scan": (png_bytes(), "foto.png")})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["doctor_specialty"], body["icd10_code"]) == (
        "submitted", "Medicina general", "J06.9")
    assert [f["content_type"] for f in body["files"]] == ["image/png"]
    assert list(CertificateFile.objects.order_by("created_at").values_list(
        "content_type", "is_current")) == [("application/pdf", False), ("image/png", True)]


@pytest.mark.parametrize("body", ["[null, null]", '"a certificate"', "3", "null"])
def test_a_check_body_that_is_not_an_object_is_refused(ana, body):
    api = Api(person=ana)
    r = api.client.post("/api/v1/certificates/check", body, content_type="application/json",
                        **api.headers)
    assert r.status_code == 422
    assert r.json()["fields"] == {"body": "The request body must be a JSON object."}
