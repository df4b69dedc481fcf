"""R-CER-01 in the back office: the clinician of a medical centre issues the rest
certificate of an attended appointment from the day's list; it is valid at once and the
confirmation gives its reference."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ventanilla.certificates.models import Certificate
from ventanilla.certificates.tests import factories
from ventanilla.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DAY = "/staff/visitas/?fecha=2026-12-07"
FORM = {"kind": "illness", "diagnosis": "Faringitis aguda", "icd10_code": "j02.9",
        "rest_start": "07/12/2026", "rest_end": "08/12/2026"}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def form_of(booking) -> str:
    return f"/staff/citas/{booking.public_id}/certificado/"


def summary(html: str) -> str:
    m = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    return " ".join(m.group(0).split()) if m else ""


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def clinic(db):
    return factories.medical_centre()


@pytest.fixture
def doctor(clinic):
    return factories.clinician(clinic)


@pytest.fixture
def seen(clinic, ana):
    return factories.visit(clinic, ana)


def test_r_cer_01_a_clinician_lands_on_the_days_list_with_the_link_on_attended_visits(
        clinic, doctor, ana):
    attended = factories.visit(clinic, ana)
    factories.visit(clinic, ana, status="booked", service_code="dentistry")
    factories.visit(clinic, ana, office=True)   # an office visit, attended: no certificate
    client = signed_in(doctor)
    home = client.get("/staff/")
    assert home.status_code == 302 and home["Location"] == "/staff/visitas/"
    html = client.get(DAY).content.decode()
    assert html.count("Issue a rest certificate") == 1
    assert f'href="{form_of(attended)}"' in html
    assert 'href="/staff/visitas/">Office visits</a>' in html
    assert "/staff/certificados/" not in html   # not a validator


def test_r_cer_01_issuing_it_gives_the_reference_at_once(seen, doctor, ana):
    client = signed_in(doctor)
    page = client.get(form_of(seen))
    assert page.status_code == 200
    assert re.search(r'value="illness"[^>]* checked', page.content.decode())
    response = client.post(form_of(seen), FORM)
    assert response.status_code == 302
    assert response["Location"] == f"{form_of(seen)}emitido/"
    cert = Certificate.objects.get()
    assert (cert.status, cert.icd10_code, cert.rest_days, cert.booking) == (
        Certificate.Status.VALIDATED, "J02.9", 2, seen)
    html = client.get(response["Location"]).content.decode()
    assert re.search(rf'id="reference">{cert.case.reference}<', html)
    assert "J02.9</strong> · Acute pharyngitis, unspecified" in html
    assert "2 days, from" in html
    assert AuditEntry.objects.filter(action="certificate.view_certificate",
                                     actor=doctor).count() == 1
    # the day's list now links to it, and the form is not offered twice
    day = client.get(DAY).content.decode()
    assert f"Rest certificate {cert.case.reference}" in day
    assert "Issue a rest certificate" not in day
    again = client.get(form_of(seen))
    assert again.status_code == 302 and again["Location"] == f"{form_of(seen)}emitido/"


def test_r_cer_03_every_problem_of_the_form_is_at_the_top_with_its_field(seen, doctor):
    response = signed_in(doctor).post(form_of(seen), {
        **FORM, "icd10_code": "J06", "rest_end": "31/02/2026", "diagnosis": ""})
    assert response.status_code == 422
    top = summary(response.content.decode())
    assert '<a href="#id_icd10_code">J06 is a group of diagnoses' in top
    assert ('<a href="#id_rest_end">Enter the date as day/month/year, for example '
            "07/12/2026.</a>") in top
    assert '<a href="#id_diagnosis">Enter the diagnosis.</a>' in top
    assert Certificate.objects.count() == 0


def test_r_cer_01_a_visit_not_attended_is_refused_with_the_reason(clinic, ana, doctor):
    booked = factories.visit(clinic, ana, status="booked")
    response = signed_in(doctor).post(form_of(booked), FORM)
    assert response.status_code == 409
    assert ("A rest certificate is issued only for an appointment the patient attended."
            in summary(response.content.decode()))
    assert Certificate.objects.count() == 0


def test_r_cer_01_staff_of_another_centre_or_country_or_role_cannot(seen, ana):
    other_centre = factories.clinician(factories.medical_centre(code="ec-sur", name="Sur"),
                                       username="medico.sur")
    assert signed_in(other_centre).post(form_of(seen), FORM).status_code == 403
    peru = factories.clinician(factories.medical_centre("PE", "pe-reb", "Rebagliati"),
                               username="medico.pe")
    assert signed_in(peru).get(form_of(seen)).status_code == 404
    validator = factories.validator()
    assert signed_in(validator).get(form_of(seen)).status_code == 403
    assert Certificate.objects.count() == 0
    assert Client().get(form_of(seen)).status_code == 302   # to the staff sign-in
