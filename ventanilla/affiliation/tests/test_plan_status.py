"""R-AFF-08: the SIS plan's status (Activo / Inactivo / Cancelado), looked up publicly by DNI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.affiliation import rules

pytestmark = pytest.mark.django_db


def lookup(dni, **extra):
    return Client().post("/api/v1/affiliations/plan-status",
                         {"country": "PE", "id_number": dni, **extra},
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_r_aff_08_an_active_sis_plan_shows_plan_and_status_only(make_affiliate):
    make_affiliate(country="PE", id_type="dni", id_number="10117410",
                   affiliation_type="sis_para_todos", mobile_phone="+51912345678")
    r = lookup("10117410")
    assert r.status_code == 200
    body = r.json()
    assert body["plan"] == "SIS Para Todos" and body["status"] == "active"
    assert body["status_label"] == "Active"
    assert "Ana" not in r.content.decode() and "Paz" not in r.content.decode()


def test_r_aff_08_an_ended_plan_is_cancelled(make_affiliate):
    today = timezone.localdate()
    make_affiliate(country="PE", id_type="dni", id_number="10117410",
                   affiliation_type="sis_gratuito", starts_on=date(2020, 1, 1),
                   ends_on=today - timedelta(days=3))
    assert lookup("10117410").json()["status"] == "cancelled"


def test_r_aff_08_other_schemes_and_unknown_ids_are_not_found(make_affiliate):
    make_affiliate(country="PE", id_type="dni", id_number="10117410",
                   affiliation_type="essalud_regular")
    assert lookup("10117410").status_code == 404   # EsSalud is not a public lookup
    assert lookup("44444444").status_code in (404, 422)
    bad = lookup("12")
    assert bad.status_code == 422 and "id_number" in bad.json()["fields"]


def test_r_aff_08_status_rules():
    covered = rules.Coverage(True, rules.Reason.COVERED, "")
    lapsed = rules.Coverage(False, rules.Reason.LAPSED_UNPAID, "")
    ended = rules.Coverage(False, rules.Reason.ENDED, "")
    assert rules.plan_status(covered) == rules.PlanStatus.ACTIVE
    assert rules.plan_status(lapsed) == rules.PlanStatus.INACTIVE
    assert rules.plan_status(ended) == rules.PlanStatus.CANCELLED


def test_r_aff_08_the_public_page_shows_plan_and_status(make_affiliate):
    make_affiliate(country="PE", id_type="dni", id_number="10117410",
                   affiliation_type="sis_independiente")
    client = Client()
    page = client.post("/consulta-sis/", {"id_number": "10117410"},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SIS Independiente" in page and "Active" in page and "Paz" not in page
    missing = client.post("/consulta-sis/", {"id_number": "44444444"})
    assert missing.status_code == 404
    assert client.post("/consulta-sis/", {"id_number": ""}).status_code == 422
