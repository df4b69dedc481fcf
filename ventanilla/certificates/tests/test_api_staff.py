"""The certificates API for everyone but the person: the permission matrix over every
endpoint (the owner, another affiliate, nobody, a validator of the country, one of another
country, a registration reviewer), the validators' queue and decisions, each audited, and
the employer's check, which never shows the diagnosis (R-CER-01..05)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ventanilla.certificates import services
from ventanilla.certificates.models import Certificate
from ventanilla.core.audit import AuditEntry
from ventanilla.countries.registry import get_pack

from .api_helpers import ALL_CHECKS, Api, form
from .conftest import typed

pytestmark = pytest.mark.django_db

CALLERS = ("owner", "other", "anonymous", "validator_ec", "validator_pe", "reviewer")
# (how it is sent, path, body); {ref} is the owner's pending certificate
ENDPOINTS = {
    "list": ("get", "", None),
    "get": ("get", "/{ref}", None),
    "check": ("json", "/check", "form"),
    "submit": ("multipart", "", "form"),
    "correction": ("multipart", "/{ref}/correction", {}),
    "receipt": ("get", "/{ref}/receipt.pdf", None),
    "queue": ("get", "/queue", None),
    "validate": ("json", "/{ref}/validate", {"checklist": ALL_CHECKS}),
    "reject": ("json", "/{ref}/reject", {"reasons": ["illegible"], "note": ""}),
    "return": ("json", "/{ref}/return", {"note": "Photograph it again."}),
    "verify": ("json", "/verify", {"reference": "{ref}", "id_number": "1710034065"}),
}
_AFFILIATES_ONLY = dict(owner=None, other=None, anonymous=401, validator_ec=401,
                        validator_pe=401, reviewer=401)
_DECISION = dict(owner=401, other=401, anonymous=401, validator_ec=200, validator_pe=404,
                 reviewer=403)
EXPECTED = {
    "list": {**_AFFILIATES_ONLY, "owner": 200, "other": 200},
    "get": dict(owner=200, other=404, anonymous=401, validator_ec=200, validator_pe=404,
                reviewer=403),
    "check": {**_AFFILIATES_ONLY, "owner": 200, "other": 403},
    "submit": {**_AFFILIATES_ONLY, "owner": 201, "other": 403},
    "correction": {**_AFFILIATES_ONLY, "owner": 409, "other": 404},   # not sent back
    "receipt": {**_AFFILIATES_ONLY, "owner": 409, "other": 404},      # not validated
    "queue": dict(owner=401, other=401, anonymous=401, validator_ec=200, validator_pe=200,
                  reviewer=403),
    "validate": _DECISION, "reject": _DECISION, "return": _DECISION,
    "verify": dict.fromkeys(CALLERS, 200),   # the employer's: public
}
MATRIX = [(e, c) for e in ENDPOINTS for c in CALLERS]


@pytest.fixture
def luis(make_affiliate):
    return make_affiliate(id_number="0926687856", given_names="Luis", email="l@example.com")


@pytest.fixture
def pending(ana):
    """Ana's certificate, waiting for validation (submitted through the API today)."""
    r = Api(person=ana).multipart("", form())
    assert r.status_code == 201, r.content
    return Certificate.objects.get(case__reference=r.json()["reference"])


def caller(name, *, ana, luis, validator_ec, validator_pe, reviewer) -> Api:
    return {"owner": lambda: Api(person=ana), "other": lambda: Api(person=luis),
            "anonymous": Api, "validator_ec": lambda: Api(staff=validator_ec),
            "validator_pe": lambda: Api(staff=validator_pe),
            "reviewer": lambda: Api(staff=reviewer)}[name]()


def send(api: Api, endpoint: str, ref: str, *, patient=None):
    how, path, body = ENDPOINTS[endpoint]
    path = path.format(ref=ref)
    if body == "form":
        body = form(patient=str(patient.public_id)) if patient else form()
    if isinstance(body, dict):
        body = {k: (v.format(ref=ref) if isinstance(v, str) else v) for k, v in body.items()}
    if how == "get":
        return api.get(path)
    if how == "json":
        return api.json(path, {**body, "has_scan": True} if endpoint == "check" else body)
    return api.multipart(path, body)


@pytest.mark.parametrize(("endpoint", "who"), MATRIX, ids=[f"{e}-{c}" for e, c in MATRIX])
def test_permission_matrix(endpoint, who, ana, luis, validator_ec, validator_pe, reviewer,
                           pending):
    api = caller(who, ana=ana, luis=luis, validator_ec=validator_ec,
                 validator_pe=validator_pe, reviewer=reviewer)
    # another affiliate acts for Ana: refused as for anyone who is not a dependant
    r = send(api, endpoint, pending.case.reference, patient=ana if who == "other" else None)
    assert r.status_code == EXPECTED[endpoint][who], (r.status_code, r.content[:300])
    if r.status_code == 404:
        assert r.json()["code"] == "CERTIFICATE_NOT_FOUND"
    if r.status_code >= 400:
        pending.refresh_from_db()
        assert pending.status == Certificate.Status.SUBMITTED
        assert Certificate.objects.count() == 1


def test_lists_and_queues_hold_only_what_the_caller_may_see(ana, luis, validator_ec,
                                                           validator_pe, pending):
    ref = pending.case.reference
    assert [c["reference"] for c in Api(person=ana).get("").json()] == [ref]
    assert Api(person=luis).get("").json() == []
    assert [i["reference"] for i in Api(staff=validator_ec).get("/queue").json()["items"]] == [
        ref]
    assert Api(staff=validator_pe).get("/queue").json()["items"] == []
    # a validator of Ecuador asking for Peru's queue still gets Ecuador's
    assert Api(staff=validator_ec).get("/queue", country="PE").json()["total"] == 1


def test_every_staff_view_and_decision_is_audited(ana, validator_ec, pending):
    ref = pending.case.reference
    staff = Api(staff=validator_ec)
    one = staff.get(f"/{ref}")
    assert one.status_code == 200 and one.json()["diagnosis"].startswith("Infección")
    staff.get("/queue")
    r = staff.json(f"/{ref}/validate", {"checklist": ALL_CHECKS})
    assert r.status_code == 200 and r.json()["status"] == "validated"
    actions = list(AuditEntry.objects.filter(actor=validator_ec).order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["certificate.view_certificate", "certificate.view_queue",
                       "certificate.validate"]
    queue_entry = AuditEntry.objects.get(action="certificate.view_queue")
    assert queue_entry.details["references"] == [ref]


def test_r_cer_01_validation_needs_every_check_and_is_decided_once(validator_ec, pending):
    ref = pending.case.reference
    staff = Api(staff=validator_ec)
    r = staff.json(f"/{ref}/validate", {"checklist": ["letterhead", "typed"]})
    assert r.status_code == 422
    assert r.json()["fields"] == {"checklist": (
        "Tick every check before validating, or reject or send it back: Every part legible, "
        "and the typed fields match the paper; No amendments, crossings-out or corrections; "
        "The doctor's stamp with the registration code.")}
    assert staff.json(f"/{ref}/validate", {"checklist": ALL_CHECKS}).status_code == 200
    again = staff.json(f"/{ref}/reject", {"reasons": ["illegible"]})
    assert again.status_code == 409 and again.json()["code"] == "CERTIFICATE_DECIDED"


def test_r_cer_03_a_rejection_lists_every_reason(ana, validator_ec, pending):
    ref = pending.case.reference
    staff = Api(staff=validator_ec)
    for body, field in (({"reasons": []}, "reasons"), ({"reasons": ["made_up"]}, "reasons"),
                        ({"reasons": ["other"], "note": ""}, "note")):
        r = staff.json(f"/{ref}/reject", body)
        assert r.status_code == 422 and list(r.json()["fields"]) == [field]
    r = staff.json(f"/{ref}/reject", {"reasons": ["handwritten", "no_stamp", "other"],
                                      "note": "La fecha está corregida a mano."})
    assert r.status_code == 200
    assert r.json()["rejection_reasons"] == [
        {"code": "handwritten", "label": "It is handwritten; it must be typed."},
        {"code": "no_stamp", "label": "It has no stamp with the doctor's registration code."},
        {"code": "other", "label": "Another reason (see the note)."}]
    mine = Api(person=ana).get(f"/{ref}").json()
    assert (mine["status"], mine["decision_note"]) == ("rejected",
                                                       "La fecha está corregida a mano.")


def test_r_cer_05_sent_back_with_a_note(ana, validator_ec, pending):
    ref = pending.case.reference
    staff = Api(staff=validator_ec)
    r = staff.json(f"/{ref}/return", {"note": "  "})
    assert r.status_code == 422
    assert r.json()["fields"] == {"note": "Write what the person must correct."}
    r = staff.json(f"/{ref}/return", {"note": "The scan is blurred."})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert Api(person=ana).get(f"/{ref}").json()["status_label"] == (
        "Sent back to you for a correction")


def test_the_queue_by_due_date_with_its_filters_counts_and_pages(ana, submit, validator_ec,
                                                                  pending):
    old = submit(typed(issued_on="02/11/2026", rest_start="02/11/2026",
                       rest_end="04/11/2026"), now=datetime(2026, 11, 5, 15, tzinfo=UTC))
    accident = submit(typed(kind="accident", establishment="Hospital Metropolitano",
                            issued_on="16/11/2026", rest_start="16/11/2026",
                            rest_end="18/11/2026"),
                      now=datetime(2026, 11, 19, 15, tzinfo=UTC))
    staff = Api(staff=validator_ec)

    def refs(**params):
        r = staff.get("/queue", **params)
        assert r.status_code == 200, r.content
        return [i["reference"] for i in r.json()["items"]]

    everyone = [old.case.reference, accident.case.reference, pending.case.reference]
    assert refs() == everyone                              # the oldest due first
    assert refs(overdue="true") == everyone[:2]
    assert refs(kind="accident") == [accident.case.reference]
    assert refs(centre="metropolitano") == [accident.case.reference]
    assert refs(status="validated") == []
    assert refs(per_page=1, page=2) == [accident.case.reference]
    body = staff.get("/queue", per_page=1).json()
    assert (body["total"], body["waiting"], body["overdue"], body["oldest_due"]) == (
        3, 3, 2, "2026-11-10")
    item = body["items"][0]
    assert (item["overdue"], item["patient_name"], item["kind_label"]) == (
        True, "Ana Paz Vera", "Illness")


def test_a_validator_of_every_country_names_the_queue(roles, pending):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    national = Api(staff=staff_create(username="validador", password="Staff-password-123",
                                      role=Role.VALIDATOR, country=""))
    r = national.get("/queue")
    assert r.status_code == 422
    assert r.json()["fields"] == {"country": "Choose the country of the queue."}
    assert national.get("/queue", country="ec").json()["total"] == 1
    assert national.get("/queue", country="ZZ").status_code == 404


# --- the employer --------------------------------------------------------------------------

VERIFIED_KEYS = {"reference", "validated", "status", "status_label", "rest_start", "rest_end",
                 "rest_days", "validated_on", "official_number"}


def test_r_cer_05_the_employer_sees_the_days_never_the_diagnosis(validator_ec, pending):
    ref = pending.case.reference
    employer = Api()
    r = employer.json("/verify", {"reference": ref, "id_number": "1710034065"})
    assert r.status_code == 200
    assert r.json() == {
        "reference": ref, "validated": False, "status": "submitted",
        "status_label": "Waiting for validation", "rest_start": str(pending.rest_start),
        "rest_end": str(pending.rest_end), "rest_days": 3, "validated_on": None,
        "official_number": None}
    validated = services.certificate_validate(certificate=pending, actor=validator_ec,
                                              checklist=ALL_CHECKS)
    r = employer.json("/verify", {"reference": ref.lower(), "id_number": "1710034065"})
    body = r.json()
    assert set(body) == VERIFIED_KEYS
    assert (body["validated"], body["status_label"], body["validated_on"]) == (
        True, "Validated", str(get_pack("EC").localtime(validated.decided_at).date()))
    text = r.content.decode()
    for secret in ("J06", "Infección", "Andrade", "La Merced", "illness", "1005-2016"):
        assert secret not in text


def test_r_cer_05_a_wrong_id_and_an_unknown_reference_get_the_same_answer(pending):
    employer = Api()
    wrong_id = employer.json("/verify", {"reference": pending.case.reference,
                                         "id_number": "1713175071"})
    bad_id = employer.json("/verify", {"reference": pending.case.reference,
                                       "id_number": "12"})
    unknown = employer.json("/verify", {"reference": "EC-ZZZZZZZZZ",
                                        "id_number": "1710034065"})
    nonsense = employer.json("/verify", {"reference": "hello", "id_number": ""})
    assert {r.status_code for r in (wrong_id, bad_id, unknown, nonsense)} == {404}
    assert wrong_id.json() == bad_id.json() == unknown.json() == nonsense.json() == {
        "code": "CERTIFICATE_NOT_FOUND", "fields": {},
        "message": "We could not find a certificate with this reference number and ID "
                   "number. Check both with the worker and try again."}


def test_r_cer_05_the_employers_check_is_rate_limited_with_the_case_lookup(pending):
    from django.test import Client

    employer = Api()
    codes = [employer.json("/verify", {"reference": "EC-ZZZZZZZZZ",
                                       "id_number": "1710034065"}).status_code
             for _ in range(10)]
    assert codes == [404] * 10
    r = employer.json("/verify", {"reference": pending.case.reference,
                                  "id_number": "1710034065"})
    assert r.status_code == 429 and r.json()["code"] == "RATE_LIMITED"
    assert int(r["Retry-After"]) >= 1
    # the case lookup counts in the same bucket
    lookup = Client().post("/api/v1/cases/lookup", {"reference": pending.case.reference,
                                                    "id_number": "1710034065"},
                           content_type="application/json")
    assert lookup.status_code == 429


def test_the_id_number_never_travels_in_a_url():
    from ventanilla.config.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1")
    assert set(document["paths"]["/api/v1/certificates/verify"]) == {"post"}


def test_r_cer_04_a_peruvian_citt_number_is_shown_to_the_employer(make_affiliate,
                                                                   validator_pe):
    from ventanilla.core.channels import Channel

    from .conftest import scan

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
    services.certificate_validate(certificate=cert, actor=validator_pe, checklist=ALL_CHECKS,
                                  now=now)
    r = Api().json("/verify", {"reference": cert.case.reference, "id_number": "45678912"})
    assert (r.json()["official_number"], r.json()["rest_days"]) == ("CITT-PE-2026-0000001", 25)


def test_the_receipt_of_a_validated_certificate_is_its_owners(ana, luis, validator_ec,
                                                              pending):
    ref = pending.case.reference
    r = Api(person=ana).get(f"/{ref}/receipt.pdf")
    assert r.status_code == 409
    assert r.json()["message"] == "The receipt exists once the certificate is validated."
    services.certificate_validate(certificate=pending, actor=validator_ec,
                                  checklist=ALL_CHECKS)
    r = Api(person=ana).get(f"/{ref}/receipt.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:5] == b"%PDF-"
    assert Api(person=luis).get(f"/{ref}/receipt.pdf").status_code == 404
