"""The date step of web booking (R-APT-03, UX "Booking" step 3): ten dates at a time, each
with its number of free times, "More dates"; and the "No slots" empty state, never a dead
end: other cities with times, when new times open, "Notify me" (Avisarme)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from .test_portal_appointments import sign_in, what_query

pytestmark = pytest.mark.django_db
DATE_URL = "/portal/citas/nueva/fecha/"
QUITO_TZ = "America/Guayaquil"


@pytest.fixture
def dentistry(db):
    from ventanilla.scheduling.defaults import medical_services_ensure

    return {s.code: s for s in medical_services_ensure("EC")}["dentistry"]


@pytest.fixture
def centre(db):
    from ventanilla.scheduling.models import Centre

    def make(code: str, place: str, name: str):
        return Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code=code,
                                     name=name, subdivision_code=place, address="Av. 1")

    return make


def today_ec() -> date:
    from ventanilla.countries.registry import get_pack

    return timezone.localtime(timezone.now(), get_pack("EC").tz).date()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    from ventanilla.countries.registry import get_pack

    return datetime.combine(day, time(hour, minute), tzinfo=get_pack("EC").tz)


def slot(centre, service, starts: datetime, *, capacity=1, booked=0):
    from ventanilla.scheduling.models import Slot

    return Slot.objects.create(centre=centre, service=service, starts_at=starts,
                               ends_at=starts + timedelta(minutes=20), capacity=capacity,
                               booked_count=booked)


@pytest.fixture
def twelve_dates(centre, dentistry):
    """Dentistry in Quito on 12 dates from the day after tomorrow: 1, 2, 3, 1, 2, 3… free
    times; the first date also has a full time (not free) and one with 3 places (one free
    time); a centre in Cayambe has a time too (another city)."""
    quito = centre("ec-quito", "170150", "Hospital del Sur")
    start = today_ec() + timedelta(days=2)
    expected = []
    for i in range(12):
        day = start + timedelta(days=i)
        free = i % 3 + 1
        for n in range(free):
            slot(quito, dentistry, at(day, 8 + n))
        expected.append((day, free))
    slot(quito, dentistry, at(start, 12), booked=1)
    slot(quito, dentistry, at(start, 13), capacity=3, booked=1)
    expected[0] = (start, expected[0][1] + 1)
    slot(centre("ec-cayambe", "170250", "Centro Cayambe"), dentistry, at(start, 9))
    return expected


def shown_dates(page: str) -> list[tuple[date, int]]:
    rows = re.findall(r'date=(\d{4}-\d{2}-\d{2})">[^<]*— (\d+) free times?</a>', page)
    return [(date.fromisoformat(d), int(n)) for d, n in rows]


def test_r_apt_03_date_selector_counts_free_times_per_local_day(twelve_dates, dentistry):
    from ventanilla.scheduling.selectors import slot_dates_free, slot_dates_free_counts

    counts = slot_dates_free_counts(country="EC", service=dentistry, place="1701", limit=20)
    assert counts == twelve_dates
    assert slot_dates_free(country="EC", service=dentistry, place="1701",
                           limit=20) == [d for d, _ in twelve_dates]
    later = slot_dates_free_counts(country="EC", service=dentistry, place="1701",
                                   date_from=twelve_dates[10][0])
    assert later == twelve_dates[10:]


def test_r_apt_03_date_step_lists_ten_dates_with_their_free_time_counts(make_affiliate,
                                                                       twelve_dates):
    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    r = client.get(f"{DATE_URL}?{what_query(person)}", HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 200
    assert shown_dates(page) == twelve_dates[:10]
    first_day, first_free = twelve_dates[0]
    with translation.override("en"):
        label = (f"{formats.date_format(first_day, 'l')} "
                 f"{formats.date_format(first_day, 'DATE_FORMAT')} — {first_free} free times")
    assert label in page
    assert "— 1 free time</a>" in page  # singular
    tenth = twelve_dates[9][0].isoformat()
    assert f"desde={tenth}" in page and "More dates" in page
    assert "Back to the first dates" not in page
    # in Spanish the date reads as Spanish dates do
    page_es = client.get(f"{DATE_URL}?{what_query(person)}").content.decode()
    with translation.override("es"):
        assert formats.date_format(first_day, "DATE_FORMAT") in page_es
        assert " de " in formats.date_format(first_day, "DATE_FORMAT")


def test_r_apt_03_more_dates_shows_the_dates_after_the_last_one_shown(make_affiliate,
                                                                     twelve_dates):
    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    tenth = twelve_dates[9][0].isoformat()
    page = client.get(f"{DATE_URL}?{what_query(person)}&desde={tenth}",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert shown_dates(page) == twelve_dates[10:]
    assert "More dates" not in page  # nothing after those
    assert "Back to the first dates" in page
    last = twelve_dates[-1][0].isoformat()
    page = client.get(f"{DATE_URL}?{what_query(person)}&desde={last}",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert shown_dates(page) == []
    assert "There are no more dates with free times after" in page
    assert "Back to the first dates" in page and "Notify me" not in page


@pytest.mark.parametrize("desde", ["mañana", "2026-13-45", "9999-12-31", "0001-01-01",
                                   "", "2026-12-01T00:00%00"])
def test_r_apt_03_a_bad_desde_falls_back_to_today(make_affiliate, twelve_dates, desde):
    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    r = client.get(f"{DATE_URL}?{what_query(person)}&desde={desde}",
                   HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert shown_dates(r.content.decode()) == twelve_dates[:10]


def test_ux_no_slots_names_specialty_city_and_days_and_offers_other_cities(
        make_affiliate, centre, dentistry, settings):
    settings.SLOTS_AHEAD_DAYS = 28
    person = make_affiliate(affiliation_type="employee")
    day = today_ec() + timedelta(days=3)
    quito = centre("ec-quito", "170150", "Hospital del Sur")
    sangolqui = centre("ec-sangolqui", "170501", "Centro Sangolquí")
    for n in range(3):
        slot(quito, dentistry, at(day, 8 + n))
    slot(sangolqui, dentistry, at(day, 8))
    slot(sangolqui, dentistry, at(day, 9), booked=1)  # full: not counted
    client = sign_in(Client(), person)
    query = what_query(person).replace("city=1701", "city=1702")  # Cayambe: nothing
    r = client.get(f"{DATE_URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    page = re.sub(r"\s+", " ", r.content.decode())
    assert r.status_code == 200
    assert "<title>No free times" in page
    assert "There are no Dentistry appointments in Cayambe in the next 28 days." in page
    assert "New times open every day, 28 days ahead" in page
    others = re.findall(r'city=(\d+)">([^<]*) — (\d+) free times?</a>', page)
    assert others == [("1701", "Quito", "3"), ("1705", "Rumiñahui", "1")]
    assert "Choose another city or specialty" in page
    # R-HLP-01: the call is to a number
    assert "Or call: operators can see every centre." in page
    assert '<a class="govuk-link ventanilla-contact-link" href="tel:140">Call 140</a>' in page
    assert 'action="/portal/citas/avisos/"' in page and "Notify me" in page
    assert ("We will e-mail you once, when a Dentistry time opens in Cayambe in the next 60 "
            "days.") in page
    assert f'name="booked_for" value="{person.public_id}"' in page
    assert 'name="city" value="1702"' in page


def test_ux_no_slots_other_cities_are_at_most_five(make_affiliate, centre, dentistry):
    from ventanilla.countries.registry import get_pack

    person = make_affiliate(affiliation_type="employee")
    day = today_ec() + timedelta(days=3)
    cities = [c for c in get_pack("EC").geography.children("17") if c.code != "1702"]
    for i, city in enumerate(cities):
        parish = get_pack("EC").geography.children(city.code)[0]
        c = centre(f"ec-{i}", parish.code, f"Centro {i}")
        slot(c, dentistry, at(day, 8))
    client = sign_in(Client(), person)
    query = what_query(person).replace("city=1701", "city=1702")
    page = client.get(f"{DATE_URL}?{query}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(cities) > 5
    assert len(re.findall(r'city=\d+">[^<]* — 1 free time</a>', page)) == 5


def test_slot_alert_notify_me_once_then_listed_with_stop(make_affiliate, dentistry):
    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.models import SlotAlert

    person = make_affiliate(affiliation_type="employee")
    client = sign_in(Client(), person)
    form = {"booked_for": str(person.public_id), "specialty": "dentistry", "province": "17",
            "city": "1702"}
    for _ in range(2):  # a double click, or asking again
        r = client.post("/portal/citas/avisos/", form, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 302 and r["Location"] == "/portal/citas/"
    alert = SlotAlert.objects.get()
    assert (alert.person, alert.booked_for, alert.service, alert.place_code) == (
        person, person, dentistry, "1702")
    # watched SLOT_ALERT_DAYS (60) days from now, which the person is told
    until = timezone.localtime(alert.expires_at, get_pack("EC").tz)
    assert abs(alert.expires_at - alert.created_at - timedelta(days=60)) < timedelta(seconds=5)
    until_text = f"{until.day} {until:%B %Y}"
    page = re.sub(r"\s+", " ", client.get("/portal/citas/", HTTP_ACCEPT_LANGUAGE="en")
                  .content.decode())
    assert ("We will e-mail ana@example.com once, when a Dentistry time opens in Cayambe, "
            f"until {until_text}.") in page
    assert f"Dentistry in Cayambe, for Ana Paz Vera, until {until_text}" in page
    assert f'action="/portal/citas/avisos/{alert.public_id}/dejar/"' in page
    assert "Stop notifying me" in page
    # the empty date step now says it is set, without a second button
    page = re.sub(r"\s+", " ", client.get(
        f"{DATE_URL}?{what_query(person).replace('city=1701', 'city=1702')}",
        HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert ("We will e-mail you once, when a Dentistry time opens in Cayambe, until "
            f"{until_text}.") in page
    assert "Notify me</button>" not in page
    # stop it
    assert client.get(f"/portal/citas/avisos/{alert.public_id}/dejar/").status_code == 405
    r = client.post(f"/portal/citas/avisos/{alert.public_id}/dejar/")
    assert r["Location"] == "/portal/citas/"
    alert.refresh_from_db()
    assert alert.cancelled_at is not None
    assert "Stop notifying me" not in client.get("/portal/citas/").content.decode()


def test_slot_alert_for_someone_not_bookable_is_refused_and_nothing_saved(make_affiliate,
                                                                         dentistry):
    from ventanilla.scheduling.models import SlotAlert

    person = make_affiliate(affiliation_type="employee")
    stranger = make_affiliate(id_number="0926687856", email="o@example.com",
                              affiliation_type="employee")
    client = sign_in(Client(), person)
    r = client.post("/portal/citas/avisos/", {
        "booked_for": str(stranger.public_id), "specialty": "dentistry", "province": "17",
        "city": "1702"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    page = r.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert not SlotAlert.objects.exists()


def test_slot_alert_another_persons_alert_cannot_be_stopped(make_affiliate, dentistry):
    from ventanilla.scheduling.alerts import slot_alert_create
    from ventanilla.scheduling.models import SlotAlert

    other = make_affiliate(id_number="0926687856", email="o@example.com",
                           affiliation_type="employee")
    alert = slot_alert_create(person=other, booked_for=other, service=dentistry,
                              place="1702")
    me = make_affiliate(id_number="1713175071", email="m@example.com",
                        affiliation_type="employee")
    client = sign_in(Client(), me)
    assert client.post(f"/portal/citas/avisos/{alert.public_id}/dejar/").status_code == 404
    assert SlotAlert.objects.get().is_open


def test_slot_alert_without_an_email_says_what_to_do(make_affiliate, dentistry):
    from ventanilla.scheduling.models import SlotAlert

    person = make_affiliate(affiliation_type="employee", email="")
    client = sign_in(Client(), person)
    r = client.post("/portal/citas/avisos/", {
        "booked_for": str(person.public_id), "specialty": "dentistry", "province": "17",
        "city": "1702"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    assert "Add an e-mail address to your contact details" in r.content.decode()
    assert not SlotAlert.objects.exists()


def test_slot_alert_needs_sign_in_and_csrf(make_affiliate, dentistry):
    person = make_affiliate(affiliation_type="employee")
    form = {"booked_for": str(person.public_id), "specialty": "dentistry", "province": "17",
            "city": "1702"}
    r = Client().post("/portal/citas/avisos/", form)
    assert r.status_code == 302 and r["Location"].startswith("/portal/entrar/")
    client = sign_in(Client(), person)
    client.handler.enforce_csrf_checks = True
    assert client.post("/portal/citas/avisos/", form).status_code == 403
