"""R-APT-14 on the web: the booking walked as the people the rules affect. Nobody is offered
a time that the booking would then refuse or punish, and every refusal says why and where
to go instead."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from .test_portal_appointments import medical, sign_in, what_query  # noqa: F401

pytestmark = pytest.mark.django_db
QUITO = timezone.get_fixed_timezone(-300)


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _slot(centre, service, starts_at, minutes=20):
    from ventanilla.scheduling.models import Slot

    return Slot.objects.create(centre=centre, service=service, starts_at=starts_at,
                               ends_at=starts_at + timedelta(minutes=minutes), capacity=1)


def test_r_apt_14_carmen_at_her_daily_limit_is_never_offered_that_day(make_affiliate,
                                                                     medical):  # noqa: F811
    """Two appointments already that day: the date list, "first available" and the check
    page keep away from it; a time from an old page is explained, not booked, and costs
    her no warning and no block."""
    from ventanilla.scheduling.models import ChannelBlock, QuotaAttempt
    from ventanilla.scheduling.services import booking_create

    carmen = make_affiliate(given_names="Carmen", family_names="Vásquez")
    services, near = medical["services"], medical["near"]
    day_start = medical["slots"][0].starts_at
    for code, hours in (("general_medicine", 2), ("family_medicine", 3)):
        booking_create(slot=_slot(near, services[code], day_start + timedelta(hours=hours)),
                       person=carmen, channel="web")
    later = _slot(near, services["dentistry"], day_start + timedelta(days=1))
    client = sign_in(Client(), carmen)
    page = text(client.get(f"/portal/citas/nueva/fecha/?{what_query(carmen)}",
                           HTTP_ACCEPT_LANGUAGE="en"))
    day = medical["day"]
    assert f"date={day.isoformat()}" not in page                 # the full day is not listed
    assert f"slot={later.public_id}" in page                     # first available: the next day
    assert "Some days are not offered because of your other appointments" in page
    assert "at most 2 medical appointments a day" in page
    # a time of that day from an old page: the reason, other times, no button, no sanction
    check = f"/portal/citas/nueva/confirmar/?{what_query(carmen)}&slot={medical['slots'][0].public_id}"
    page = text(client.get(check, HTTP_ACCEPT_LANGUAGE="en"))
    assert "at most 2 medical appointments a day" in page
    assert "Book this appointment" not in page
    assert f"slot={later.public_id}" in page
    r = client.post(check, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409
    assert not QuotaAttempt.objects.exists() and not ChannelBlock.objects.exists()
    # the check page of the offered time says how many more she may book
    page = text(client.get(f"/portal/citas/nueva/confirmar/?{what_query(carmen)}"
                           f"&slot={later.public_id}", HTTP_ACCEPT_LANGUAGE="en"))
    assert "That day: 2 more appointments (the limit is 2), this one included." in page
    assert "In any 7 days around it: 2 more (the limit is 4), this one included." in page
    assert client.post(f"/portal/citas/nueva/confirmar/?{what_query(carmen)}"
                       f"&slot={later.public_id}").status_code == 302


def test_r_apt_14_a_second_dentistry_the_same_day_is_not_offered_and_the_first_is_linked(
        make_affiliate, medical):  # noqa: F811
    from ventanilla.scheduling.services import booking_create

    person = make_affiliate()
    first = booking_create(slot=medical["slots"][0], person=person, channel="web")
    client = sign_in(Client(), person)
    page = text(client.get(f"/portal/citas/nueva/fecha/?{what_query(person)}",
                           HTTP_ACCEPT_LANGUAGE="en"))
    assert "You already have a Dentistry appointment that day" in page
    assert f"/portal/citas/{first.public_id}/" in page
    assert f"date={medical['day'].isoformat()}" not in page
    # the Spanish page says the same in Spanish
    page = text(client.get(f"/portal/citas/nueva/fecha/?{what_query(person)}"))
    assert "Ya tiene una cita de Odontología ese día" in page


def test_r_apt_04_a_time_inside_the_cancellation_window_is_marked_before_booking(
        make_affiliate, medical):  # noqa: F811
    person = make_affiliate()
    soon = _slot(medical["near"], medical["services"]["dentistry"],
                 timezone.now().replace(second=0, microsecond=0) + timedelta(hours=2))
    day = timezone.localtime(soon.starts_at, QUITO).date().isoformat()
    client = sign_in(Client(), person)
    page = text(client.get(f"/portal/citas/nueva/hora/?{what_query(person)}&date={day}"
                           f"&centre={medical['near'].public_id}", HTTP_ACCEPT_LANGUAGE="en"))
    at = f"{timezone.localtime(soon.starts_at, QUITO):%H:%M}"
    assert f"{at} (cannot be changed or cancelled online)" in page
    assert "Times less than 12 hours away are marked" in page
    page = text(client.get(f"/portal/citas/nueva/confirmar/?{what_query(person)}"
                           f"&slot={soon.public_id}", HTTP_ACCEPT_LANGUAGE="en"))
    assert "once booked, it cannot be changed or cancelled online" in page
    assert "3 missed appointments block booking online" in page
    far = medical["slots"][0]
    page = text(client.get(f"/portal/citas/nueva/confirmar/?{what_query(person)}"
                           f"&slot={far.public_id}", HTTP_ACCEPT_LANGUAGE="en"))
    assert "You can change or cancel it online up to 12 hours before it starts." in page


def test_r_apt_14_a_blocked_web_account_is_told_at_the_start_with_the_numbers(
        make_affiliate, medical):  # noqa: F811
    from ventanilla.accounts.blocks import account_block

    person = make_affiliate()
    client = sign_in(Client(), person)
    account_block(person=person, cause="no_shows", detail="3")     # while signed in
    r = client.get("/portal/citas/nueva/", HTTP_ACCEPT_LANGUAGE="en")
    page = text(r)
    assert "You cannot book this appointment online" in page
    assert 'href="tel:140"' in page
    assert "/portal/visitas/nueva/" in page                   # a real place to go instead
    assert "/portal/citas/nueva/especialidad/" not in page


def test_r_apt_14_a_child_about_to_turn_18_is_offered_only_the_days_still_covered(
        make_affiliate, medical):  # noqa: F811
    """A dependant who turns 18 tomorrow: no time after today is offered for him, the page
    says why, and a time from an old page is refused with the reason."""
    from datetime import date

    parent = make_affiliate()
    today = timezone.localdate(timezone=QUITO)
    child = make_affiliate(id_number="1712345674", given_names="Mateo", family_names="Paz",
                           date_of_birth=date(today.year - 18, today.month, today.day)
                           + timedelta(days=1),
                           affiliation_type="dependant", holder=parent.affiliations.get(),
                           relationship="child", with_clave=False)
    client = sign_in(Client(), parent)
    query = what_query(child)
    page = text(client.get(f"/portal/citas/nueva/fecha/?{query}", HTTP_ACCEPT_LANGUAGE="en"))
    # covered until today: the slots in three days are not offered, and the page says why
    assert "No free times" in page
    assert f"date={medical['day'].isoformat()}" not in page
    assert ("Appointments for Mateo Paz can be booked up to" in page
            and "a child's coverage as a dependant ends on their 18th birthday" in page)
    r = client.post(f"/portal/citas/nueva/confirmar/?{query}"
                    f"&slot={medical['slots'][0].public_id}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409 and "18th birthday" in text(r)
    # the parent, covered, is offered those times
    page = text(client.get(f"/portal/citas/nueva/fecha/?{what_query(parent)}"))
    assert f"date={medical['day'].isoformat()}" in page


def test_r_apt_14_every_screen_that_shows_the_person_shows_every_block_with_its_end(
        make_affiliate, medical, agent):  # noqa: F811
    """Carmen's channel blocked from her phone: her home page, the staff person page and
    the call centre all say so, with the end — not "you can book" / "Not blocked"."""
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import roles_sync, staff_create
    from ventanilla.scheduling.models import ChannelBlock

    carmen = make_affiliate(given_names="Carmen", family_names="Vásquez")
    until = timezone.now() + timedelta(days=30)
    ChannelBlock.objects.create(kind="phone", key="593991234567", person=carmen,
                                channel="phone", reason="Over the daily quota.", until=until)
    ChannelBlock.objects.create(kind="web", key=str(carmen.public_id), person=carmen,
                                channel="web", reason="Over the weekly quota.", until=None)
    day = timezone.localtime(until, QUITO)
    end = f"Blocked until {day.day} {day:%B} {day.year}."
    home = text(sign_in(Client(), carmen).get("/portal/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Booking from the phone number +593991234567" in home and end in home
    assert "Booking on the web and the app" in home and "Blocked for good" in home
    assert "You can book medical appointments." not in home
    roles_sync()
    operator = staff_create(username="operador.ec", password="Staff-password-123",
                            role=Role.OPERATOR, country="EC")
    for user, url in ((operator, f"/staff/llamadas/{carmen.public_id}/"),
                      (agent, f"/staff/personas/{carmen.public_id}/")):
        staff = Client(HTTP_ACCEPT_LANGUAGE="en")
        staff.force_login(user)
        page = text(staff.get(url))
        assert "Booking blocks" in page, url
        assert "+593991234567" in page and end in page and "Blocked for good" in page, url


def test_r_apt_14_gloria_in_cuenca_is_offered_the_nearest_cities_across_provinces(
        make_affiliate, medical):  # noqa: F811
    """Nothing in Cuenca: the empty state lists Azogues (another province, ~30 km) before
    Quito, each leading to its dates, and offers "Notify me"."""
    from ventanilla.scheduling.models import Centre

    Centre.objects.filter(pk__in=[medical["near"].pk, medical["far"].pk]).update(
        latitude=-0.2, longitude=-78.5)
    Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-cue",
                          name="Centro Cuenca", subdivision_code="010150",
                          address="Av. Solano", latitude=-2.90, longitude=-79.00)
    azogues = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-azo",
                                    name="Centro Azogues", subdivision_code="030150",
                                    address="Av. 16 de Abril", latitude=-2.74,
                                    longitude=-78.85)
    _slot(azogues, medical["services"]["dentistry"], medical["slots"][0].starts_at)
    gloria = make_affiliate(given_names="Gloria", family_names="Sarmiento")
    client = sign_in(Client(), gloria)
    query = f"booked_for={gloria.public_id}&specialty=dentistry&province=01&city=0101"
    page = text(client.get(f"/portal/citas/nueva/fecha/?{query}", HTTP_ACCEPT_LANGUAGE="en"))
    assert "No free times" in page and "Notify me" in page
    assert "The nearest cities with free times" in page
    assert page.index("Azogues") < page.index("Quito")
    link = re.search(r'href="([^"]*city=0301[^"]*)"', client.get(
        f"/portal/citas/nueva/fecha/?{query}").content.decode()).group(1)
    assert "province=03" in link          # the link leads into Azogues' own province
