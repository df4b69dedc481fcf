"""Pure rules of the conversation (no database): R-APT-07 specialties, names, keywords."""

from __future__ import annotations

import pytest

from ventanilla.whatsapp import rules


@pytest.mark.parametrize("text, code", [
    ("ODONTOLOGÍA", "dentistry"), ("odontologia", "dentistry"), ("Odontología ", "dentistry"),
    ("dentistry", "dentistry"), ("DENTISTRY", "dentistry"), ("1", "dentistry"),
    ("Medicina general", "general_medicine"), ("MEDICINA  GENERAL", "general_medicine"),
    ("medicina géneral", "general_medicine"), ("General Medicine", "general_medicine"),
    ("2", "general_medicine"), ("quiero una cita de odontología", "dentistry"),
    ("PEDIATRÍA", "pediatrics"), ("pediatrics", "pediatrics"),
    ("medicina familiar", "family_medicine"), ("pizza", None), ("3", None), ("", None),
], ids=lambda v: str(v))
def test_r_apt_07_specialties_tolerate_accents_and_capitals(text, code):
    assert rules.specialty_code(text) == code


def test_r_apt_07_only_dentistry_and_general_medicine_are_booked_by_whatsapp():
    assert [c for c in rules.SPECIALTY_WORDS if rules.may_book_here(c)] == [
        "dentistry", "general_medicine"]


@pytest.mark.parametrize("typed, ok", [
    ("Ana Paz Vera", True), ("ANA PAZ VERA", True), ("  ana   paz  vera ", True),
    ("Paz Vera Ana", True), ("Ána Páz Verá", True), ("Ana Paz", False), ("Ana", False),
    ("Ana Paz Vera Vera", False), ("Luis Paz Vera", False), ("", False),
], ids=lambda v: str(v))
def test_r_apt_07_the_full_name_must_match_in_any_order_and_case(typed, ok):
    assert rules.name_matches(typed, given_names="Ana", family_names="Paz Vera") is ok


@pytest.mark.parametrize("text, expected", [
    ("MIS CITAS", rules.Command("list")), ("mis citas", rules.Command("list")),
    ("MY APPOINTMENTS", rules.Command("list")), ("CANCELAR 2", rules.Command("cancel", 2)),
    ("cancelar cita 1", rules.Command("cancel", 1)), ("CANCEL 3", rules.Command("cancel", 3)),
    ("cancel #1", rules.Command("cancel", 1)), ("cancelar", None), ("hola", None),
], ids=lambda v: str(v))
def test_r_apt_09_keywords(text, expected):
    assert rules.command(text) == expected


@pytest.mark.parametrize("text, lang", [
    ("hello", "en"), ("Hi", "en"), ("book", "en"), ("MY APPOINTMENTS", "en"),
    ("Hola", "es"), ("MIS CITAS", "es"), ("buenos días", "es"), ("Ana Paz Vera", None),
    ("I need an appointment with the dentist please", "en"),
    ("Good morning, I would like to book a doctor", "en"),
    ("Necesito una cita con el dentista por favor", "es"),
    ("quisiera agendar medicina general", "es"),
    ("1710034065", None), ("dentista", None), ("general", None), ("Ana Paz", None),
])
def test_language_follows_what_the_person_writes(text, lang):
    assert rules.language_hint(text) == lang


def test_ids_and_numbers_are_cleaned():
    assert rules.clean_id(" 171.003.406-5 ") == "1710034065"
    assert rules.clean_id("ab 123456") == "AB123456"
    assert rules.digits("+593 99 123 4567") == "593991234567"
    assert rules.choice("2", count=3) == 1
    assert rules.choice("opción 3", count=3) == 2
    assert rules.choice("4", count=3) is None
