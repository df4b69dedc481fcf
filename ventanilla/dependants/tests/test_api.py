"""The dependants API: who sees what, refusals as JSON, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from ventanilla.core.models import AuditEntry
from ventanilla.dependants.models import DependantRequest

from .conftest import CHILD_ID, HOLDER_ID, OTHER_ID, child, spouse, today, years_ago

pytestmark = pytest.mark.django_db
PASSWORD = "una clave larga 2026"


def bearer(client, person) -> dict:
    r = client.post("/api/v1/auth/token", {"country": person.country, "id_type": person.id_type,
                                           "id_number": person.id_number, "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def body(relationship="child", who=None, **extra) -> dict:
    who = dict(who or (child() if relationship == "child" else spouse()))
    who["date_of_birth"] = str(who["date_of_birth"])
    return {"relationship": relationship, **who, **extra}


def post(client, data, auth=None):
    return client.post("/api/v1/dependants/requests", data, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="en", **(auth or {}))


def test_unauthenticated_requests_get_401():
    client = Client()
    for path in ("/api/v1/dependants", "/api/v1/dependants/requests",
                 "/api/v1/dependants/requests/4b1d1c8e-4a36-4f57-9cf7-2f3d1a9b6a11"):
        r = client.get(path)
        assert r.status_code == 401 and r.json()["code"] == "UNAUTHENTICATED"
    assert post(client, body()).status_code == 401


def test_r_dep_01_affiliate_files_a_child_request_with_a_bearer_token(holder):
    client = Client()
    auth = bearer(client, holder)
    r = post(client, body(), auth)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "submitted" and data["relationship"] == "child"
    assert data["id_number"] == CHILD_ID and data["reference"].startswith("EC-")
    assert data["channel"] == "web"
    assert [i["code"] for i in data["checklist"]] == ["holder_id", "birth_certificate",
                                                      "child_id"]
    assert data["surcharge"]["applies"] is False
    assert [e["code"] for e in data["history"]] == ["opened", "submitted"]
    listed = client.get("/api/v1/dependants/requests", **auth).json()
    assert [x["id"] for x in listed] == [data["id"]]
    detail = client.get(f"/api/v1/dependants/requests/{data['id']}", **auth)
    assert detail.status_code == 200 and detail.json()["reference"] == data["reference"]


def test_another_affiliates_request_is_not_found(holder, make_affiliate):
    client = Client()
    created = post(client, body(), bearer(client, holder)).json()
    other = make_affiliate(id_number=OTHER_ID)
    auth = bearer(client, other)
    r = client.get(f"/api/v1/dependants/requests/{created['id']}", **auth)
    assert r.status_code == 404 and r.json()["code"] == "DEPENDANT_REQUEST_NOT_FOUND"
    assert client.get("/api/v1/dependants/requests/not-a-uuid", **auth).status_code == 404
    assert client.get("/api/v1/dependants/requests", **auth).json() == []


def test_r_dep_02_ecuador_spouse_married_abroad_online_is_refused_with_the_checklist(holder):
    client = Client()
    r = post(client, body("spouse", marriage_abroad=True, inscription_reference="RC-1"),
             bearer(client, holder))
    assert r.status_code == 422
    data = r.json()
    assert data["code"] == "IN_PERSON_ONLY" and set(data["fields"]) == {"channel"}
    assert "Book a visit to a service centre" in data["message"]
    assert [i["code"] for i in data["checklist"]] == [
        "extension_form", "holder_id", "spouse_id", "marriage_certificate_apostilled",
        "certified_translation", "civil_registry_inscription"]
    assert not DependantRequest.objects.exists()


def test_session_login_and_refusals_name_the_field(holder):
    client = Client()
    client.force_login(holder.user)
    r = post(client, body(who=child(born=years_ago(18))))
    assert r.status_code == 422 and r.json()["code"] == "CHILD_TOO_OLD"
    assert "art. 11" in r.json()["fields"]["date_of_birth"]
    r = post(client, body(who={**child(), "id_number": "123"}))
    assert r.status_code == 422 and set(r.json()["fields"]) == {"id_number"}
    r = post(client, {"relationship": "child"})
    assert r.status_code == 422 and "id_number" in r.json()["fields"]
    r = client.post("/api/v1/dependants/requests", "[]", content_type="application/json")
    assert r.status_code == 422
    r = post(client, body(who=spouse(HOLDER_ID), relationship="spouse"))
    assert r.status_code == 422 and r.json()["code"] == "SELF_AS_DEPENDANT"
    assert post(client, body()).status_code == 201
    r = post(client, body())
    assert r.status_code == 409 and r.json()["code"] == "DUPLICATE_REQUEST"


def test_public_checklist_needs_no_sign_in():
    client = Client()
    r = client.get("/api/v1/dependants/checklist?country=ec&relationship=spouse"
                   "&marriage_abroad=true", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    data = r.json()
    assert data["in_person_only"] is True and data["needs_inscription"] is True
    assert data["items"][-1]["code"] == "civil_registry_inscription"
    assert data["surcharge"]["applies"] is True and data["surcharge"]["rate"] == "3.41"
    r = client.get("/api/v1/dependants/checklist?country=PE&relationship=spouse"
                   "&union_kind=de_facto")
    assert r.status_code == 200 and r.json()["items"][-1]["code"] == "union_recognition"
    assert client.get("/api/v1/dependants/checklist?country=EC&relationship=uncle"
                      ).status_code == 422
    assert client.get("/api/v1/dependants/checklist?country=XX&relationship=child"
                      ).status_code == 404
    assert client.get("/api/v1/dependants/checklist?country=EC&relationship=child"
                      "&affiliation_type=astronaut").status_code == 422
    assert client.get("/api/v1/dependants/checklist").status_code == 422


def test_staff_decide_through_the_api_audited_and_the_dependant_appears(holder, clerk,
                                                                        peru_clerk, reviewer):
    client = Client()
    auth = bearer(client, holder)
    created = post(client, body(), auth).json()
    path = f"/api/v1/dependants/requests/{created['id']}"
    # the affiliate cannot decide
    assert client.post(f"{path}/decision", {"approve": True},
                       content_type="application/json", **auth).status_code == 401
    for outsider, status in ((peru_clerk, 404), (reviewer, 403)):
        other = Client()
        other.force_login(outsider)
        assert other.post(f"{path}/decision", {"approve": True},
                          content_type="application/json").status_code == status
    staff = Client()
    staff.force_login(clerk)
    queue = staff.get("/api/v1/dependants/review/queue").json()
    assert [q["id"] for q in queue] == [created["id"]]
    assert staff.get(path).status_code == 200
    assert AuditEntry.objects.filter(actor=clerk, action="dependant_request.view").exists()
    r = staff.post(f"{path}/decision", {"approve": False}, content_type="application/json",
                   HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and set(r.json()["fields"]) == {"reason"}
    r = staff.post(f"{path}/decision", {"approve": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and r.json()["affiliation_number"] == CHILD_ID
    assert AuditEntry.objects.filter(actor=clerk, action="dependant_request.approve").exists()
    mine = client.get("/api/v1/dependants", **auth).json()
    assert [(d["id_number"], d["relationship"], d["covered"], d["starts_on"]) for d in mine] == [
        (CHILD_ID, "child", True, str(today()))]
    again = staff.post(f"{path}/decision", {"approve": True}, content_type="application/json")
    assert again.status_code == 409


def test_staff_session_with_forged_csrf_is_refused(holder, clerk):
    client = Client()
    created = post(client, body(), bearer(client, holder)).json()
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(clerk)
    r = forged.post(f"/api/v1/dependants/requests/{created['id']}/decision", {"approve": True},
                    content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "CSRF_FAILED"
