"""The slots and visits API: public slots, an affiliate's own visits, 404 for anyone else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ventanilla.scheduling.models import Booking, Slot

pytestmark = pytest.mark.django_db

PASSWORD = "una clave larga 2026"


@pytest.fixture
def soon(centre_ec, office_ec, make_slot):
    """Two free slots three and four days from now (real clock), the first for two people."""
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return (make_slot(centre_ec, office_ec, start, capacity=2),
            make_slot(centre_ec, office_ec, start + timedelta(days=1)))


def token_for(client, person) -> str:
    r = client.post("/api/v1/auth/token", {"country": person.country, "id_type": person.id_type,
                                           "id_number": person.id_number, "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


def bearer(person) -> dict:
    from ventanilla.accounts.signin import api_token_issue

    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(person.user)}"}


def book(client, person, slot, **body):
    headers = bearer(person)
    if "key" in body:
        headers["HTTP_IDEMPOTENCY_KEY"] = body.pop("key")
    return client.post("/api/v1/visits", {"slot": str(slot.public_id), **body},
                       content_type="application/json", **headers)


# --- slots -----------------------------------------------------------------------------------

def test_r_reg_07_free_slots_are_public_with_local_times(client, soon, centre_ec):
    r = client.get("/api/v1/slots", {"country": "EC", "service": "document_submission"})
    assert r.status_code == 200
    data = r.json()
    assert [s["id"] for s in data] == [str(s.public_id) for s in soon]
    first = data[0]
    assert first["starts_at"].endswith("-05:00")
    assert first["centre"] == {"id": str(centre_ec.public_id), "code": "ec-quito",
                               "name": "CAU Quito", "address": "Av. 10 de Agosto"}
    assert first["service"]["code"] == "document_submission"
    assert first["free"] == 2
    r = client.get("/api/v1/slots", {"country": "EC", "centre": str(centre_ec.public_id),
                                     "limit": 1})
    assert len(r.json()) == 1
    assert client.get("/api/v1/slots", {"country": "PE"}).json() == []
    r = client.get("/api/v1/slots/dates", {"country": "EC"})
    assert r.status_code == 200 and len(r.json()) == 2


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"country": "XX"}, 404, "COUNTRY_UNKNOWN"),
    ({}, 422, "VALIDATION_FAILED"),
    ({"country": "EC", "centre": "nope"}, 422, "VALIDATION_FAILED"),
    ({"country": "EC", "centre": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e"}, 404, "NOT_FOUND"),
    ({"country": "EC", "date_from": "2030-05-10", "date_to": "2030-05-01"}, 422,
     "VALIDATION_FAILED"),
    ({"country": "EC", "date_from": "2030-01-01", "date_to": "2031-01-01"}, 422,
     "VALIDATION_FAILED"),
    ({"country": "EC", "date_from": "yesterday"}, 422, "VALIDATION_FAILED"),
], ids=["unknown-country", "no-country", "bad-centre-id", "unknown-centre", "reversed-range",
        "range-too-long", "bad-date"])
def test_bad_slot_queries_get_a_clear_error(client, db, params, status, code):
    r = client.get("/api/v1/slots", params)
    assert r.status_code == status
    assert r.json()["code"] == code


# --- visits ----------------------------------------------------------------------------------

def test_r_reg_07_an_affiliate_books_with_their_token_and_sees_the_visit(client, soon, ana):
    token = token_for(client, ana)
    r = client.post("/api/v1/visits", {"slot": str(soon[0].public_id), "purpose": "Papeles"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.content
    visit = r.json()
    assert visit["status"] == "booked" and visit["channel"] == "api"
    assert visit["booked_for"]["full_name"] == "Ana Paz Vera"
    assert visit["purpose"] == "Papeles" and visit["can_change"] is True
    listed = client.get("/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [v["id"] for v in listed] == [visit["id"]]
    r = client.get(f"/api/v1/visits/{visit['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json()["id"] == visit["id"]


def test_the_portal_session_works_too(client, soon, ana):
    client.force_login(ana.user)
    r = client.post("/api/v1/visits", {"slot": str(soon[0].public_id)},
                    content_type="application/json")
    assert r.status_code == 201
    assert r.json()["channel"] == "web"
    assert len(client.get("/api/v1/visits").json()) == 1


def test_visits_need_an_affiliate(client, soon, agent):
    assert client.get("/api/v1/visits").status_code == 401
    client.force_login(agent)
    assert client.get("/api/v1/visits").status_code == 401


def test_the_idempotency_key_makes_a_retry_safe(client, soon, ana):
    first = book(client, ana, soon[0], key="retry-1")
    again = book(client, ana, soon[0], key="retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.count() == 1


def test_r_apt_10_a_full_slot_answers_409(client, soon, ana, stranger):
    assert book(client, ana, soon[1]).status_code == 201
    r = book(client, stranger, soon[1])
    assert r.status_code == 409 and r.json()["code"] == "SLOT_TAKEN"


def test_r_reg_07_booking_for_a_dependant_or_a_stranger(client, soon, ana, child, stranger):
    r = book(client, ana, soon[0], booked_for=str(child.public_id))
    assert r.status_code == 201 and r.json()["booked_for"]["id"] == str(child.public_id)
    r = book(client, ana, soon[0], booked_for=str(stranger.public_id))
    assert r.status_code == 422 and r.json()["code"] == "BOOKED_FOR_REFUSED"


def test_another_affiliate_s_visit_is_not_found(client, soon, ana, stranger):
    visit = book(client, ana, soon[0]).json()
    headers = bearer(stranger)
    for r in (client.get(f"/api/v1/visits/{visit['id']}", **headers),
              client.post(f"/api/v1/visits/{visit['id']}/cancel", **headers),
              client.post(f"/api/v1/visits/{visit['id']}/reschedule",
                          {"slot": str(soon[1].public_id)}, content_type="application/json",
                          **headers)):
        assert r.status_code == 404, r.content
        assert r.json()["code"] == "NOT_FOUND"
    assert client.get("/api/v1/visits", **headers).json() == []
    assert Booking.objects.get().status == "booked"
    assert Slot.objects.get(pk=soon[0].pk).booked_count == 1


def test_r_apt_04_cancel_and_reschedule_through_the_api(client, soon, ana):
    visit = book(client, ana, soon[0]).json()
    r = client.post(f"/api/v1/visits/{visit['id']}/reschedule",
                    {"slot": str(soon[1].public_id)}, content_type="application/json",
                    **bearer(ana))
    assert r.status_code == 200 and r.json()["starts_at"] != visit["starts_at"]
    r = client.post(f"/api/v1/visits/{visit['id']}/cancel", **bearer(ana))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert r.json()["can_change"] is False
    assert [s.booked_count for s in Slot.objects.order_by("starts_at")] == [0, 0]


def test_r_apt_04_cancel_too_late_answers_with_the_reason(client, centre_ec, office_ec,
                                                         make_slot, ana):
    slot = make_slot(centre_ec, office_ec, timezone.now() + timedelta(hours=2))
    visit = book(client, ana, slot).json()
    assert visit["can_change"] is False
    r = client.post(f"/api/v1/visits/{visit['id']}/cancel", **bearer(ana),
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    assert r.json()["code"] == "CANCEL_TOO_LATE"
    assert "12 hours" in r.json()["message"]


@pytest.mark.parametrize(("body", "status"), [
    ({"slot": "not-a-uuid"}, 422),
    ({}, 422),
    ({"slot": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e"}, 404),
    ({"slot": "8d6f1c1e-3c39-4a43-9a43-0a8a1b2c3d4e", "purpose": "x" * 301}, 422),
], ids=["bad-uuid", "missing", "unknown-slot", "purpose-too-long"])
def test_bad_booking_requests_never_500(client, soon, ana, body, status):
    r = client.post("/api/v1/visits", body, content_type="application/json", **bearer(ana))
    assert r.status_code == status, r.content
    r = client.get("/api/v1/visits/not-a-uuid", **bearer(ana))
    assert r.status_code == 422
