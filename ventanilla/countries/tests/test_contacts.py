"""R-HLP-01: the institutions' real channels, each with its source; R-APT-01: where
Seguro Social Campesino members get care instead."""

from __future__ import annotations

import phonenumbers
import pytest
from django.utils import translation

from ventanilla.countries.contacts import CareReason, ChannelKind, Purpose
from ventanilla.countries.ec import EcuadorPack
from ventanilla.countries.pe import PeruPack

EC, PE = EcuadorPack(), PeruPack()


def _hrefs(pack, purpose=None):
    return [c.href for c in pack.contact_channels(purpose)]


def test_r_hlp_01_iess_appointment_lines_are_the_seeds_numbers():
    assert _hrefs(EC, Purpose.APPOINTMENTS) == [
        "tel:140", "tel:+5931800100000", "tel:161", "https://wa.me/593967300000"]
    assert [c.display for c in EC.contact_channels("appointments")] == [
        "140", "1800-100-000", "161", "096 730 0000"]
    assert all(str(c.source).startswith("Seed 004") for c in EC.contact_channels("appointments"))


def test_r_hlp_01_iess_general_information_is_131_from_seed_002():
    general = EC.contact_channels(Purpose.GENERAL, kinds=[ChannelKind.PHONE])
    assert [c.href for c in general] == ["tel:140", "tel:131"]
    assert general[1].source.title.startswith("Seed 002")
    assert [c.display for c in EC.main_channels()] == ["140"]


def test_r_hlp_01_essalud_en_linea_is_lima_411_8000_option_1_all_day():
    line = PE.contact_channels(Purpose.APPOINTMENTS)[0]
    assert (line.href, line.display, line.name) == (
        "tel:+5114118000", "(01) 411-8000", "EsSalud en Línea")
    with translation.override("en"):
        assert (str(line.instructions), str(line.hours)) == (
            "Option 1: appointments.", "24 hours, every day")
    with translation.override("es"):
        assert (str(line.instructions), str(line.hours)) == (
            "Opción 1: citas.", "Las 24 horas, todos los días")
    assert line.source.on.year == 2026 and line.source.url.startswith("https://elcomercio.pe/")
    assert _hrefs(PE, "appointments") == ["tel:+5114118000", "tel:107"]


@pytest.mark.parametrize("pack", [EC, PE], ids=lambda p: p.code)
def test_r_hlp_01_full_numbers_are_valid_e164_of_the_country(pack):
    for channel in pack.contact_channels(kinds=["phone", "whatsapp"]):
        if channel.dial.startswith("+"):
            number = phonenumbers.parse(channel.dial)
            assert phonenumbers.is_valid_number(number), channel.dial
            assert phonenumbers.region_code_for_number(number) == pack.phone_region


def test_r_apt_01_peasant_insurance_members_go_to_the_ssc_dispensaries():
    care = EC.care_elsewhere(CareReason.PEASANT_INSURANCE)
    assert care is not None
    with translation.override("es"):
        assert str(care.place) == ("Un dispensario del Seguro Social Campesino "
                                   "(dispensario del SSC)")
    assert care.source.url.startswith("http://www.iess.gob.ec/")
    assert "dispensarios" in care.source.title
    assert [c.href for c in care.channels] == ["tel:140", "tel:131"]
    # the pack's affiliation type that may not book is the one sent there
    assert EC.affiliation_type("peasant").may_book_appointments is False


def test_r_apt_14_peru_sends_people_without_cover_to_essalud_and_the_sis():
    care = PE.care_elsewhere("not_covered")
    assert care is not None and care.source.url == (
        "http://www.sis.gob.pe/Portal/paginas/preguntas.html")
    assert [c.href for c in care.channels] == [
        "tel:+5114118000", "tel:107", "tel:113", "https://wa.me/51941986682"]
    assert PE.care_elsewhere("peasant_insurance") is None


def test_r_hlp_01_messages_name_the_numbers_of_the_country():
    from ventanilla.countries.help import numbers_text

    with translation.override("es"):
        assert numbers_text("EC") == "140, 1800-100-000 o 161"
        assert numbers_text("PE") == "(01) 411-8000 o 107"
    assert numbers_text("EC", kind="whatsapp") == "096 730 0000"
    assert numbers_text("PE", kind="whatsapp") == ""  # EsSalud has no WhatsApp for this
    with translation.override("en"):
        # nobody knows the country: every country's, each named
        assert numbers_text("") == ("IESS 140, IESS 1800-100-000, IESS 161, "
                                    "EsSalud (01) 411-8000 or EsSalud 107")
