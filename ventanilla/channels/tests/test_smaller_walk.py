"""Issue 12 item 13: the smaller problems found on the same walk, one test each."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_landing_page_explains_medical_appointments_and_links_to_booking():
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h2 class="govuk-heading-m" id="appointments">Medical appointments</h2>' in page
    # R-APT-01: who may book, and who may not
    assert "children under 18 covered as their dependants can book" in page
    assert "peasant insurance (seguro campesino) cannot use this service" in page
    assert 'href="/portal/citas/nueva/">Book a medical appointment</a>' in page


def test_the_landing_page_booking_link_asks_to_sign_in_first():
    r = Client().get("/portal/citas/nueva/")
    assert r.status_code == 302
    assert r["Location"] == "/portal/entrar/?next=/portal/citas/nueva/"
