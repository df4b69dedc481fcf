"""The registration API: bad input, nothing half-saved, and who may see what."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PDF, VALID_EC, VALID_PE
from ventanilla.cases.models import Case
from ventanilla.registration.models import Application, ApplicationDocument

pytestmark = pytest.mark.django_db


def body(country="EC", **over):
    answers = {**(VALID_EC if country == "EC" else VALID_PE), **over}
    answers["date_of_birth"] = str(answers["date_of_birth"])
    return {"country": country, "email": "ana@example.com", **answers}


def create(client, **kwargs):
    return client.post("/api/v1/registrations", body(**kwargs), content_type="application/json")


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def confirm(client, data):
    from django.utils import timezone

    from ventanilla.accounts import one_time
    from ventanilla.accounts.models import OneTimeSecret

    app = Application.objects.get(case__reference=data["reference"])
    code = one_time.code_issue(purpose=OneTimeSecret.Purpose.EMAIL_CODE,
                               subject=str(app.public_id), ttl=timezone.timedelta(minutes=5))
    r = client.post(f"/api/v1/registrations/{data['reference']}/email-confirmation",
                    {"code": code}, content_type="application/json", **auth(data["access_token"]))
    assert r.status_code == 200, r.content
    return r.json()


def upload(client, data, kind, content=PDF, name="doc.pdf"):
    return client.post(f"/api/v1/registrations/{data['reference']}/documents",
                       {"kind": kind, "file": SimpleUploadedFile(name, content)},
                       **auth(data["access_token"]))


def test_r_reg_02_api_registration_from_create_to_submitted_case():
    client = Client()
    r = create(client)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "draft" and data["email_confirmed"] is False
    assert data["missing"] == {"document:identity": "Suba este documento: Documento de identidad",
                               "document:residence":
                               "Suba este documento: Comprobante de domicilio"}
    confirm(client, data)
    assert upload(client, data, "identity").status_code == 201
    assert upload(client, data, "residence").status_code == 201
    r = client.post(f"/api/v1/registrations/{data['reference']}/submit", {"declaration": True},
                    content_type="application/json", **auth(data["access_token"]))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and r.json()["due_on"]
    r = client.get(f"/api/v1/cases/{data['reference']}", **auth(data["access_token"]))
    assert r.status_code == 200
    assert [e["code"] for e in r.json()["history"]] == ["opened", "email_verified", "submitted"]


@pytest.mark.parametrize("over,field,fragment", [
    ({"id_number": "1710034066"}, "id_number", "last digit does not match"),
    ({"id_number": "171003406"}, "id_number", "10 digits"),
    ({"id_number": "17A0034065"}, "id_number", "only digits"),
    ({"id_number": "9910034065"}, "id_number", "province code"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "in the past"),
    ({"mobile_phone": "+51912345678"}, "mobile_phone", "of Ecuador"),
    ({"subdivision_code": "17"}, "subdivision_code", "Select your parish"),
], ids=["check-digit", "length", "letters", "province", "future-birth", "foreign-phone",
        "not-a-parish"])
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(over, field, fragment):
    r = Client().post("/api/v1/registrations", body(**over), content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    payload = r.json()
    assert payload["code"] in ("ID_INVALID", "VALIDATION_FAILED", "PHONE_INVALID")
    assert fragment in payload["fields"][field]
    assert Application.objects.count() == 0 and Case.objects.count() == 0


def test_r_lng_01_errors_are_spanish_by_default_english_on_request():
    es = create(Client(), id_number="1710034066").json()
    en = Client().post("/api/v1/registrations", body(id_number="1710034066"),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["fields"]["id_number"].startswith("This cédula number is not valid")
    assert es["fields"]["id_number"].startswith("Este número de cédula no es válido")


def test_malformed_json_and_missing_fields_are_4xx_not_5xx():
    client = Client()
    r = client.post("/api/v1/registrations", "{not json", content_type="application/json")
    assert r.status_code in (400, 422)
    r = client.post("/api/v1/registrations", {"email": "a@b.c"}, content_type="application/json")
    assert r.status_code == 422 and "country" in r.json()["fields"]
    r = client.post("/api/v1/registrations", body(country="XX"), content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "COUNTRY_UNKNOWN"


def test_duplicate_registration_is_a_409():
    client = Client()
    first = create(client).json()
    confirm(client, first)
    upload(client, first, "identity")
    upload(client, first, "residence")
    client.post(f"/api/v1/registrations/{first['reference']}/submit", {"declaration": True},
                content_type="application/json", **auth(first["access_token"]))
    r = create(client)
    assert r.status_code == 409 and r.json()["code"] == "ALREADY_REGISTERED"
    assert "id_number" in r.json()["fields"]
    assert Application.objects.count() == 1


@pytest.mark.parametrize("content,name,fragment", [
    (b"This is plain text pretending to be a PDF", "fake.pdf", "JPG, PNG, HEIC or PDF"),
    (b"", "empty.pdf", "empty"),
    (PDF + b"0" * (10 * 1024 * 1024), "huge.pdf", "smaller than 10 MB"),
], ids=["fake-pdf", "empty", "oversized"])
def test_uploads_are_checked_by_content_and_size(content, name, fragment):
    client = Client()
    data = create(client).json()
    confirm(client, data)
    r = client.post(f"/api/v1/registrations/{data['reference']}/documents",
                    {"kind": "identity", "file": SimpleUploadedFile(name, content)},
                    HTTP_ACCEPT_LANGUAGE="en", **auth(data["access_token"]))
    assert r.status_code == 422, r.content
    assert fragment in r.json()["fields"]["file"]
    assert ApplicationDocument.objects.count() == 0


def test_upload_before_confirming_the_email_is_refused():
    client = Client()
    data = create(client).json()
    r = upload(client, data, "identity")
    assert r.status_code == 403 and r.json()["code"] == "EMAIL_NOT_CONFIRMED"


def test_missing_documents_at_submit_are_listed():
    client = Client()
    data = create(client).json()
    confirm(client, data)
    upload(client, data, "identity")
    r = client.post(f"/api/v1/registrations/{data['reference']}/submit", {"declaration": True},
                    content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                    **auth(data["access_token"]))
    assert r.status_code == 422
    assert r.json()["code"] == "APPLICATION_INCOMPLETE"
    assert list(r.json()["fields"]) == ["document:residence"]


def test_permissions_another_applicant_anonymous_and_staff(reviewer, agent):
    client = Client()
    a = create(client).json()
    b = create(client, country="PE").json()
    ref = a["reference"]
    assert client.get(f"/api/v1/registrations/{ref}").status_code == 401
    assert client.get(f"/api/v1/registrations/{ref}", **auth(b["access_token"])).status_code == 404
    assert client.get(f"/api/v1/cases/{ref}", **auth(b["access_token"])).status_code == 404
    assert client.get(f"/api/v1/registrations/{ref}", **auth(a["access_token"])).status_code == 200
    staff = Client()
    staff.force_login(reviewer)
    assert staff.get(f"/api/v1/registrations/{ref}").status_code == 200
    assert staff.get(f"/api/v1/cases/{ref}").status_code == 200
    counter = Client(enforce_csrf_checks=True)
    counter.force_login(agent)
    r = counter.post(f"/api/v1/registrations/{ref}/approve")
    assert r.status_code in (401, 403)  # no CSRF token and no review permission
    counter_csrf = Client()
    counter_csrf.force_login(agent)
    r = counter_csrf.post(f"/api/v1/registrations/{ref}/approve")
    assert r.status_code == 403


def test_reviewer_decides_through_the_api(reviewer):
    client = Client()
    data = create(client).json()
    confirm(client, data)
    upload(client, data, "identity")
    upload(client, data, "residence")
    client.post(f"/api/v1/registrations/{data['reference']}/submit", {"declaration": True},
                content_type="application/json", **auth(data["access_token"]))
    staff = Client()
    staff.force_login(reviewer)
    queue = staff.get("/api/v1/registrations/review/queue").json()
    assert [q["reference"] for q in queue] == [data["reference"]]
    detail = staff.get(f"/api/v1/registrations/{data['reference']}").json()
    for doc in detail["documents"]:
        r = staff.post(f"/api/v1/registrations/{data['reference']}/documents/{doc['id']}/review",
                       {"accept": True}, content_type="application/json")
        assert r.status_code == 200, r.content
    r = staff.post(f"/api/v1/registrations/{data['reference']}/approve")
    assert r.status_code == 200
    assert r.json()["status"] == "approved" and r.json()["registration_number"]


def test_r_reg_06_public_lookup_same_answer_for_wrong_pair_and_unknown_reference(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "100/m"}
    client = Client()
    data = create(client).json()
    confirm(client, data)
    upload(client, data, "identity")
    upload(client, data, "residence")
    client.post(f"/api/v1/registrations/{data['reference']}/submit", {"declaration": True},
                content_type="application/json", **auth(data["access_token"]))

    def lookup(reference, id_number):
        return client.post("/api/v1/cases/lookup", {"reference": reference,
                                                    "id_number": id_number},
                           content_type="application/json")

    ok = lookup(data["reference"].lower(), "171003406-5")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    wrong_id = lookup(data["reference"], "0926687856")
    unknown = lookup("EC-00000000" + "0", "1710034065")
    garbage = lookup("nonsense", "x")
    assert wrong_id.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong_id.json() == unknown.json() == garbage.json()


def test_r_reg_06_lookup_is_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "3/m"}
    from django.core.cache import cache

    cache.clear()
    client = Client()
    codes = [client.post("/api/v1/cases/lookup", {"reference": f"EC-AAAAAAAA{i}",
                                                  "id_number": "1"},
                         content_type="application/json").status_code for i in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_the_lookup_never_takes_an_id_number_in_the_url():
    from ventanilla.config.api import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        assert "id_number" not in path
        for op in ops.values():
            for param in op.get("parameters", []):
                assert param["name"] != "id_number" or param["in"] not in ("query", "path")


def test_country_facts():
    r = Client().get("/api/v1/countries/EC?year=2024", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    data = r.json()
    assert [t["code"] for t in data["id_types"]] == ["cedula", "passport"]
    assert data["geography_counts"] == [24, 222, 1306]
    assert {"date": "2024-05-03", "name": "Labor Day (observed)"} in data["holidays"]
    assert data["required_documents"][0]["documents"][0]["code"] == "identity"
    peasant = next(t for t in data["affiliation_types"] if t["code"] == "peasant")
    assert peasant["may_book_appointments"] is False
    r = Client().get("/api/v1/countries/PE/subdivisions?parent=1501")
    assert any(s["name"] == "Jesús María" and s["code"] == "150113" for s in r.json())
    assert Client().get("/api/v1/countries/EC?year=99999").status_code == 422
    assert Client().get("/api/v1/countries/QQ").status_code == 404


def test_openapi_document_and_docs_page():
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/registrations", "/api/v1/registrations/{reference}/documents",
                 "/api/v1/registrations/{reference}/submit", "/api/v1/cases/lookup",
                 "/api/v1/cases/{reference}", "/api/v1/countries/{code}"):
        assert path in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_a_fictitious_third_country_registers_through_the_same_core(zembla, reviewer):
    client = Client()
    answers = {"country": "ZZ", "email": "k@example.com", "given_names": "Charles",
               "family_names": "Kinbote", "date_of_birth": "1915-07-05", "nationality": "NO",
               "id_type": "zid", "id_number": "700000", "mobile_phone": "+4741234567",
               "subdivision_code": "11", "street": "Palace 1",
               "documents_in_other_language": False, "affiliation_type": "resident"}
    r = client.post("/api/v1/registrations", answers, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    confirm(client, data)
    assert upload(client, data, "identity").status_code == 201
    assert upload(client, data, "lease").status_code == 201
    r = client.post(f"/api/v1/registrations/{data['reference']}/submit", {"declaration": True},
                    content_type="application/json", **auth(data["access_token"]))
    assert r.status_code == 200, r.content
    staff = Client()
    staff.force_login(reviewer)
    detail = staff.get(f"/api/v1/registrations/{data['reference']}").json()
    for doc in detail["documents"]:
        staff.post(f"/api/v1/registrations/{data['reference']}/documents/{doc['id']}/review",
                   {"accept": True}, content_type="application/json")
    r = staff.post(f"/api/v1/registrations/{data['reference']}/approve")
    assert r.json()["registration_number"] == "Z000011"
    assert data["reference"].startswith("ZZ-")


def test_control_characters_never_reach_the_database():
    """NUL breaks PostgreSQL text columns: it is dropped, never a 500."""
    client = Client()
    r = client.post("/api/v1/registrations", body(given_names="Ana\x00 María",
                                                  street="Calle\x00 1\x07"),
                    content_type="application/json")
    assert r.status_code == 201, r.content
    app = Application.objects.get()
    assert app.given_names == "Ana María" and app.street == "Calle 1"
    token = r.json()["access_token"]
    assert client.get("/api/v1/registrations/EC-\x00ABC", **auth(token)).status_code == 404
    assert client.post("/api/v1/cases/lookup", {"reference": "EC-\x00", "id_number": "\x00"},
                       content_type="application/json").status_code == 404


def test_in_person_registration_needs_a_staff_session_with_csrf(agent):
    anonymous = create(Client(), in_person=True)
    assert anonymous.status_code == 403
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(agent)
    r = forged.post("/api/v1/registrations", body(in_person=True),
                    content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "CSRF_FAILED"
    staff = Client()
    staff.force_login(agent)
    r = staff.post("/api/v1/registrations", body(in_person=True), content_type="application/json")
    assert r.status_code == 201 and r.json()["channel"] == "in_person"
    assert Application.objects.count() == 1


def test_a_bearer_token_never_acts_as_staff(reviewer):
    client = Client()
    own = create(client).json()
    other = create(client, country="PE").json()
    client.force_login(reviewer)  # a staff cookie in the same client, plus a bearer token
    r = client.get(f"/api/v1/registrations/{other['reference']}", **auth(own["access_token"]))
    assert r.status_code == 404  # the request is the applicant's, not the reviewer's
    assert client.get(f"/api/v1/registrations/{other['reference']}").status_code == 200


def test_r_reg_03_the_back_of_a_cedula_through_the_api_with_the_same_checks():
    client = Client()
    data = create(client).json()
    confirm(client, data)
    url = f"/api/v1/registrations/{data['reference']}/documents"
    r = client.post(url, {"kind": "identity", "side": "back",
                          "file": SimpleUploadedFile("reverso.pdf", PDF)},
                    **auth(data["access_token"]))
    assert r.status_code == 201, r.content
    assert ApplicationDocument.objects.get().kind == "identity-back"
    r = client.post(url, {"kind": "identity", "side": "back",
                          "file": SimpleUploadedFile("x.pdf", b"not a pdf")},
                    HTTP_ACCEPT_LANGUAGE="en", **auth(data["access_token"]))
    assert r.status_code == 422 and "JPG, PNG, HEIC or PDF" in r.json()["fields"]["file"]
    r = client.post(url, {"kind": "residence", "side": "back",
                          "file": SimpleUploadedFile("r.pdf", PDF)},
                    HTTP_ACCEPT_LANGUAGE="en", **auth(data["access_token"]))
    assert r.status_code == 422 and r.json()["fields"] == {
        "kind": "This document has only one side"}
