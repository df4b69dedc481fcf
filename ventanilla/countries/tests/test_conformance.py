"""Every country pack, including a fictitious one registered at run time, passes these."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.countries.base import CountryPack, Situation
from ventanilla.countries.ec import EcuadorPack
from ventanilla.countries.pe import PeruPack
from ventanilla.countries.tests.zembla import ZemblaPack

PACKS = [EcuadorPack(), PeruPack(), ZemblaPack()]


@pytest.fixture(params=PACKS, ids=lambda p: p.code)
def pack(request) -> CountryPack:
    return request.param


def test_metadata_is_declared(pack):
    assert len(pack.code) == 2 and pack.code.isupper()
    assert pack.default_language in ("es", "en")
    assert pack.tz is not None
    assert len(pack.currency) == 3
    assert pack.id_types
    assert len({t.code for t in pack.id_types}) == len(pack.id_types)


def test_geography_is_a_consistent_tree(pack):
    geo = pack.geography
    assert geo.depth == len(pack.geography_levels)
    codes = set()
    for level in range(geo.depth):
        assert geo.count(level) > 0
    for top in geo.top_level():
        assert top.parent is None and top.level == 0
        stack = [top]
        while stack:
            node = stack.pop()
            codes.add(node.code)
            assert node.name.strip() == node.name and node.name
            children = geo.children(node.code)
            if node.level == geo.depth - 1:
                assert not children and geo.is_leaf(node.code)
            for child in children:
                assert child.level == node.level + 1 and child.parent == node.code
            stack.extend(children)
    assert len(codes) == sum(geo.count(level) for level in range(geo.depth))


def test_holidays_fall_in_the_year_and_are_not_working_days(pack):
    days = pack.holidays(2026)
    assert days
    for day in days:
        assert day.year == 2026
        assert not pack.is_working_day(day)


def test_working_days_skip_weekends_and_holidays(pack):
    start = date(2026, 3, 2)  # a Monday
    due = pack.add_working_days(start, 10)
    walked = 0
    day = start
    while day < due:
        day = date.fromordinal(day.toordinal() + 1)
        walked += pack.is_working_day(day)
    assert walked == 10 and pack.is_working_day(due)


def test_checklist_starts_with_identity_and_has_known_kinds(pack):
    docs = pack.required_documents(Situation(id_type=pack.id_types[0].code))
    assert docs[0].code == "identity"
    known = {k.code for k in pack.all_document_kinds()}
    assert {d.code for d in docs} <= known


def test_registration_numbers_round_trip(pack):
    number = pack.registration_number(42, date(2026, 11, 25))
    assert pack.registration_number_is_valid(number)
    assert not pack.registration_number_is_valid(number[:-1] + ("0" if number[-1] != "0"
                                                                else "1"))


def test_example_mobile_number_is_accepted(pack):
    phone = pack.validate_mobile(pack.mobile_example())
    assert phone.e164.startswith("+")


def test_affiliation_types_include_one_a_person_can_apply_for(pack):
    codes = [t.code for t in pack.affiliation_types]
    assert len(codes) == len(set(codes))
    assert any(not t.is_dependant for t in pack.affiliation_types)


def test_r_hlp_01_every_pack_has_an_appointments_channel_with_a_dated_source(pack):
    channels = pack.contact_channels("appointments")
    assert channels, f"{pack.code} has no channel for appointments"
    for channel in pack.contact_channels():
        for source in channel.sources:
            assert source.title.strip() and isinstance(source.on, date)
            assert source.url == "" or source.url.startswith(("https://", "http://"))
        assert channel.institution and channel.display and channel.purposes
    assert pack.main_channels()


def test_r_hlp_01_every_channel_link_is_well_formed(pack):
    import re

    for channel in pack.contact_channels():
        if channel.kind == "phone":
            # a short number stays short, anything longer is E.164
            assert re.fullmatch(r"tel:(\d{3,4}|\+[1-9]\d{7,14})", channel.href), channel
        elif channel.kind == "whatsapp":
            assert re.fullmatch(r"https://wa\.me/[1-9]\d{7,14}", channel.href), channel
        else:
            assert channel.href.startswith("https://"), channel


def test_r_apt_14_care_elsewhere_names_a_place_and_a_channel(pack):
    for option in pack.care_options:
        assert pack.care_elsewhere(option.reason) is option
        assert str(option.place) and str(option.explanation) and option.channels
        assert option.source.title
