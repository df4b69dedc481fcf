"""Issue 12 item 13: the smaller problems found on the same walk, one test each."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

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


# --- the portal home: the next appointments first --------------------------------------------

CLAVE = "una clave larga 2026"


def signed_in(person):
    client = Client()
    r = client.post("/portal/entrar/", {"document": f"{person.country}:{person.id_type}",
                                        "id_number": person.id_number, "password": CLAVE})
    assert r.status_code == 302
    return client


@pytest.fixture
def dentistry_slot(db):
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Slot

    services = {s.code: s for s in medical_services_ensure("EC")}
    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq-sur",
                                   name="Hospital del Sur", subdivision_code="170150",
                                   address="Av. Maldonado", latitude=-0.28, longitude=-78.54)
    start = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0,
                                                         microsecond=0)
    return Slot.objects.create(centre=centre, service=services["dentistry"], starts_at=start,
                               ends_at=start + timedelta(minutes=20), capacity=1)


def test_the_portal_home_shows_the_next_appointment_before_coverage_and_cases(
        make_affiliate, dentistry_slot):
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate(affiliation_type="employee")
    booking = booking_create(slot=dentistry_slot, person=person, channel="web")
    page = signed_in(person).get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = f'href="/portal/citas/{booking.public_id}/"'
    assert link in page and "Hospital del Sur" in page
    assert 'href="/portal/citas/nueva/" role="button"' in page  # "Book an appointment"
    assert page.index("Your next appointments") < page.index(link) < page.index(
        "Health coverage today") < page.index("My cases")


def test_the_portal_home_with_no_appointment_says_so_and_offers_to_book(make_affiliate):
    person = make_affiliate(affiliation_type="employee")
    page = signed_in(person).get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no appointments booked." in page
    assert ">Book an appointment</a>" in page
    assert page.index("Book an appointment") < page.index("Health coverage today")


def test_a_cancelled_appointment_is_not_shown_as_next(make_affiliate, dentistry_slot):
    from ventanilla.scheduling.models import Booking
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate(affiliation_type="employee")
    booking = booking_create(slot=dentistry_slot, person=person, channel="web")
    Booking.objects.filter(pk=booking.pk).update(status="cancelled",
                                                 cancelled_at=timezone.now())
    page = signed_in(person).get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/portal/citas/{booking.public_id}/" not in page
    assert "You have no appointments booked." in page


# --- a dependant whose coverage ends soon (R-DEP-01) -----------------------------------------

def _holder_with_child(make_affiliate, *, born):
    from ventanilla.affiliation.models import Affiliation

    holder = make_affiliate(affiliation_type="employee")
    make_affiliate(id_number="0926687856", given_names="Mateo", family_names="Paz",
                   date_of_birth=born, affiliation_type="dependant",
                   holder=Affiliation.objects.get(person=holder), relationship="child",
                   with_clave=False)
    return holder


@pytest.mark.parametrize("path", ["/portal/", "/portal/dependientes/"], ids=["home", "page"])
def test_r_dep_01_a_child_turning_18_within_30_days_is_flagged_with_the_date_and_what_to_do(
        make_affiliate, path):
    today = timezone.localdate()
    turns_18 = today + timedelta(days=21)
    holder = _holder_with_child(make_affiliate,
                                born=turns_18.replace(year=turns_18.year - 18))
    page = signed_in(holder).get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    last_day = turns_18 - timedelta(days=1)
    assert "Coverage ends soon" in page
    assert (f"Covered until {date_format(last_day, 'j F Y')}, the day before their 18th "
            "birthday.") in page
    assert ('<a class="govuk-link" href="/registro/">They can register with the health system '
            'in their own name') in page


def test_r_dep_01_a_child_turning_18_in_two_months_is_not_flagged(make_affiliate):
    today = timezone.localdate()
    turns_18 = today + timedelta(days=61)
    holder = _holder_with_child(make_affiliate,
                                born=turns_18.replace(year=turns_18.year - 18))
    page = signed_in(holder).get("/portal/dependientes/",
                                 HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mateo Paz" in page and "Coverage ends soon" not in page


@pytest.mark.parametrize(("days", "flagged"), [(0, True), (30, True), (31, False)],
                         ids=["today", "30-days", "31-days"])
def test_r_dep_01_coverage_ends_soon_within_30_days(days, flagged):
    from ventanilla.affiliation.rules import Coverage, Reason
    from ventanilla.dependants.rules import coverage_ends_soon

    on = date(2026, 12, 8)
    until = on + timedelta(days=days)
    covered = Coverage(True, Reason.COVERED, "Covered.", until)
    assert coverage_ends_soon(covered, on=on) == (until if flagged else None)
    assert coverage_ends_soon(Coverage(False, Reason.ENDED, "Ended.", until), on=on) is None
    assert coverage_ends_soon(Coverage(True, Reason.COVERED, "Covered."), on=on) is None


# --- a two-sided identity document (R-REG-03: Ecuador's cédula) --------------------------------

def _photo(colour) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 40), colour).save(buf, "PNG")
    return buf.getvalue()


def _applicant(make_application):
    from ventanilla.channels.web import session as web_session

    app = make_application("EC", state="draft")
    client = Client()
    session = client.session  # the browser holds the application, as after the e-mail code
    session[web_session.KEY] = str(app.public_id)
    session.save()
    return app, client


def test_r_reg_03_ecuador_cedula_is_two_sided_in_the_pack():
    from ventanilla.countries.registry import get_pack

    assert get_pack("EC").document_kind("identity").sides == 2
    assert get_pack("PE").document_kind("identity").sides == 1


def test_r_reg_03_the_identity_page_takes_the_front_and_the_back(make_application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app, client = _applicant(make_application)
    page = client.get("/solicitud/documentos/identity/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="file"' in html and 'name="file_back"' in html
    assert ">Front<" in html and ">Back<" in html
    r = client.post("/solicitud/documentos/identity/", {
        "file": SimpleUploadedFile("frente.png", _photo((200, 0, 0))),
        "file_back": SimpleUploadedFile("reverso.png", _photo((0, 0, 200)))})
    assert r.status_code == 302, r.content.decode()[:2000]
    current = {d.kind: d.original_name for d in app.documents.filter(is_current=True)}
    assert current == {"identity": "frente.png", "identity-back": "reverso.png"}
    html = client.get("/solicitud/documentos/identity/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "frente.png" in html and "reverso.png" in html


def test_r_reg_03_the_back_gets_the_same_checks_as_the_front(make_application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app, client = _applicant(make_application)
    r = client.post("/solicitud/documentos/identity/", {
        "file": SimpleUploadedFile("frente.png", _photo((200, 0, 0))),
        "file_back": SimpleUploadedFile("reverso.pdf", b"not really a pdf")},
        HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="file_back-error"' in html or "file_back" in html.split("govuk-error-message")[1]
    assert "must be a JPG, PNG, HEIC or PDF" in html
    # the front that passed is kept; the back is not stored
    assert set(app.documents.values_list("kind", flat=True)) == {"identity"}


def test_r_reg_03_a_one_sided_document_page_has_one_file(make_application):
    _app, client = _applicant(make_application)
    html = client.get("/solicitud/documentos/residence/").content.decode()
    assert 'name="file"' in html and 'name="file_back"' not in html


def test_r_reg_03_one_decision_covers_both_sides_and_the_review_shows_both(
        make_application, reviewer):
    from ventanilla.registration import services

    app = make_application("EC", state="draft")
    services.document_upload(application=app, kind="identity", data=_photo((200, 0, 0)),
                             filename="frente.png")
    services.document_upload(application=app, kind="identity", back=True,
                             data=_photo((0, 0, 200)), filename="reverso.png")
    services.document_upload(application=app, kind="residence", data=_photo((0, 90, 0)),
                             filename="recibo.png")
    services.application_submit(application=app, declaration=True)
    front = app.documents.get(kind="identity")
    back = app.documents.get(kind="identity-back")
    client = Client()
    client.force_login(reviewer)
    html = client.get(f"/staff/solicitudes/{app.public_id}/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for doc in (front, back):
        assert f"{doc.public_id}/?vista=miniatura" in html, (doc.kind, re.findall(
            r'<div class="app-document .*?</div>', html, re.S)[:2])
    assert ">Front</h4>" in html and ">Back</h4>" in html
    r = client.post(f"/staff/solicitudes/{app.public_id}/documentos/identity/decidir/",
                    {"identity-decision": "reject", "identity-reason": "El reverso no se lee"})
    assert r.status_code == 302, r.content.decode()[:1500]
    back.refresh_from_db()
    assert back.status == "rejected" and back.rejection_reason == "El reverso no se lee"


def test_r_reg_03_a_back_for_a_one_sided_document_is_refused(make_application):
    from ventanilla.core.errors import ValidationFailed
    from ventanilla.registration import services

    app = make_application("EC", state="draft")
    with pytest.raises(ValidationFailed):
        services.document_upload(application=app, kind="residence", back=True,
                                 data=_photo((0, 0, 0)), filename="x.png")


def test_the_new_words_of_the_portal_are_in_spanish_by_default(make_affiliate):
    today = timezone.localdate()
    turns_18 = today + timedelta(days=10)
    holder = _holder_with_child(make_affiliate,
                                born=turns_18.replace(year=turns_18.year - 18))
    page = signed_in(holder).get("/portal/").content.decode()
    assert "La cobertura termina pronto" in page and "Sus próximas citas" in page


def test_the_new_words_of_registration_are_in_spanish_by_default(make_application):
    _app, client = _applicant(make_application)
    html = client.get("/solicitud/documentos/identity/").content.decode()
    assert ">Anverso<" in html and ">Reverso<" in html
    assert "Citas médicas" in Client().get("/").content.decode()
