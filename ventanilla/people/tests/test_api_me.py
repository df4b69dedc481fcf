"""Affiliates in the API: a token from ID number + clave, and only their own data
(R-AFF-04, R-APT-03, R-AFF-03)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ventanilla.accounts.blocks import account_block
from ventanilla.cases.models import CaseKind
from ventanilla.cases.services import case_open_in_person
from ventanilla.core.channels import Channel

pytestmark = pytest.mark.django_db
CLAVE = "una clave larga 2026"


def token_for(client, person, password=CLAVE):
    return client.post("/api/v1/auth/token", {
        "country": person.country, "id_type": person.id_type, "id_number": person.id_number,
        "password": password}, content_type="application/json")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate(affiliation_type="voluntary", starts_on=date(2024, 1, 1))


@pytest.fixture
def luis(make_affiliate):
    return make_affiliate(id_number="0926687856", given_names="Luis", email="luis@example.com")


def test_r_apt_03_me_gives_name_id_type_of_insured_and_coverage(ana):
    client = Client()
    r = token_for(client, ana)
    assert r.status_code == 200, r.content
    me = client.get("/api/v1/me", **bearer(r.json()["token"]),
                    HTTP_ACCEPT_LANGUAGE="en").json()
    assert me["full_name"] == "Ana Paz Vera" and me["id_number"] == "1710034065"
    assert me["affiliation_type"] == "voluntary"
    assert me["affiliation_type_label"] == "Voluntary affiliation"
    assert set(me["coverage"]) == {"covered", "reason", "message", "until"}


def test_r_aff_04_the_token_endpoint_refuses_a_wrong_clave_and_locks_after_repeats(ana):
    from axes.models import AccessAttempt

    client = Client()
    wrong = token_for(client, ana, password="nope")
    assert wrong.status_code == 401 and wrong.json()["code"] == "SIGN_IN_FAILED"
    for _ in range(4):
        token_for(client, ana, password="nope")
    locked = token_for(client, ana)
    assert locked.status_code == 429 and locked.json()["code"] == "SIGN_IN_LOCKED"
    assert AccessAttempt.objects.get(username="EC:cedula:1710034065").failures_since_start >= 5


def test_without_a_token_the_affiliate_endpoints_answer_401(ana):
    client = Client()
    for path in ("/api/v1/me", "/api/v1/me/contributions", "/api/v1/me/cases"):
        assert client.get(path).status_code == 401
        assert client.get(path, **bearer("forged.token")).status_code == 401


def test_another_persons_objects_are_404_with_a_second_affiliates_token(ana, luis):
    case = case_open_in_person(person=ana, kind=CaseKind.CONTRIBUTION_ERROR,
                               description="March missing", channel=Channel.WEB)
    client = Client()
    mine = token_for(client, ana).json()["token"]
    theirs = token_for(client, luis).json()["token"]
    assert client.get(f"/api/v1/me/cases/{case.reference}", **bearer(mine)).status_code == 200
    r = client.get(f"/api/v1/me/cases/{case.reference}", **bearer(theirs))
    assert r.status_code == 404
    assert client.get("/api/v1/me/cases", **bearer(theirs)).json() == []
    assert client.get("/api/v1/me", **bearer(theirs)).json()["id_number"] == "0926687856"


def test_r_aff_04_a_token_dies_when_the_clave_changes(ana):
    client = Client()
    token = token_for(client, ana).json()["token"]
    ana.user.set_password("otra clave larga 2027")
    ana.user.save()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_r_apt_05_a_blocked_account_gets_no_token_and_its_tokens_stop_working(ana):
    client = Client()
    token = token_for(client, ana).json()["token"]
    account_block(person=ana, cause="no_shows", detail="3 no-shows")
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    r = token_for(client, ana)
    assert r.status_code == 403 and r.json()["code"] == "ACCOUNT_BLOCKED"


def test_r_aff_03_my_contributions_list_missing_months_as_arrears(ana):
    client = Client()
    token = token_for(client, ana).json()["token"]
    body = client.get("/api/v1/me/contributions", **bearer(token)).json()
    assert body["months"] and body["months"][0]["status"] == "missing"
    assert float(body["arrears"]) > 0


def test_staff_sessions_are_not_affiliates(agent):
    client = Client()
    client.force_login(agent)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("field", ["country", "id_type", "id_number"])
def test_a_token_request_with_a_nul_character_is_a_clean_401(ana, field):
    """Found by schemathesis on PostgreSQL, which refuses NUL in text: the sign-in drops
    control characters (as every text input does), so its lock-out lookup never sees one
    and the answer is the ordinary refusal, not a 500."""
    body = {"country": ana.country, "id_type": ana.id_type, "id_number": ana.id_number,
            "password": "wrong clave\x00"}
    body[field] = body[field] + "\x00"
    r = Client().post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code == 401 and r.json()["code"] == "SIGN_IN_FAILED", r.content


def test_a_slot_search_with_a_nul_character_is_never_a_500():
    for query in ("country=EC&specialty=dentistry%00", "country=EC%00", "country=EC&city=17%00",
                  "country=EC&province=%0017"):
        r = Client().get(f"/api/v1/slots?{query}")
        assert r.status_code < 500, (query, r.content)
