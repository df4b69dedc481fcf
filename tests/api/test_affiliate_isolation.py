"""Another person's records are never visible: every affiliate API object, fetched or acted
on with a second affiliate's token, answers 404 (not 403: existence is not revealed), and
lists never include it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.cases.models import CaseKind
from ventanilla.cases.services import case_open_in_person
from ventanilla.core.channels import Channel

pytestmark = pytest.mark.django_db
CLAVE = "una clave larga 2026"


def token(client, person) -> dict:
    r = client.post("/api/v1/auth/token", {
        "country": person.country, "id_type": person.id_type, "id_number": person.id_number,
        "password": CLAVE}, content_type="application/json")
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


@pytest.fixture
def objects_of_ana(make_affiliate):
    from ventanilla.dependants.services import dependant_request_create
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre, Slot
    from ventanilla.scheduling.services import booking_create

    ana = make_affiliate(affiliation_type="employee")
    case = case_open_in_person(person=ana, kind=CaseKind.APPEAL, description="Apelación",
                               channel=Channel.WEB)
    request = dependant_request_create(
        holder_person=ana, relationship="child", channel=Channel.WEB, actor=ana.user,
        dependant={"id_type": "cedula", "id_number": "1713175071", "given_names": "Leo",
                   "family_names": "Paz", "date_of_birth": date(2018, 1, 1),
                   "nationality": "EC"})
    centre = Centre.objects.create(country="EC", code="ec-q", name="CAU Quito",
                                   subdivision_code="170150", address="Av. 10 de Agosto")
    service = office_services_ensure("EC")[0]
    start = timezone.now() + timedelta(days=5)
    slots = [Slot.objects.create(centre=centre, service=service,
                                 starts_at=start + timedelta(hours=i),
                                 ends_at=start + timedelta(hours=i, minutes=20))
             for i in range(2)]
    visit = booking_create(slot=slots[0], person=ana, channel=Channel.WEB)
    return {"ana": ana, "case": case, "request": request, "visit": visit, "free": slots[1]}


def test_every_affiliate_object_is_404_for_another_affiliate(objects_of_ana, make_affiliate):
    o = objects_of_ana
    luis = make_affiliate(id_number="0926687856", given_names="Luis", email="l@example.com")
    client = Client()
    mine, theirs = token(client, o["ana"]), token(client, luis)
    reads = [f"/api/v1/me/cases/{o['case'].reference}",
             f"/api/v1/dependants/requests/{o['request'].public_id}",
             f"/api/v1/visits/{o['visit'].public_id}"]
    for path in reads:
        assert client.get(path, **mine).status_code == 200, path
        r = client.get(path, **theirs)
        assert r.status_code == 404, (path, r.status_code)
        assert r.json()["code"].endswith("NOT_FOUND")
    writes = [(f"/api/v1/visits/{o['visit'].public_id}/cancel", {}),
              (f"/api/v1/visits/{o['visit'].public_id}/reschedule",
               {"slot": str(o["free"].public_id)})]
    for path, body in writes:
        r = client.post(path, body, content_type="application/json", **theirs)
        assert r.status_code == 404, (path, r.status_code, r.content)
    o["visit"].refresh_from_db()
    assert o["visit"].status == "booked" and o["visit"].slot_id != o["free"].pk
    # lists show only their own
    for path in ("/api/v1/me/cases", "/api/v1/dependants/requests", "/api/v1/visits",
                 "/api/v1/dependants"):
        assert client.get(path, **theirs).json() == [], path
        assert client.get(path, **mine).status_code == 200
    # and the person data is their own
    assert client.get("/api/v1/me", **theirs).json()["id_number"] == "0926687856"
