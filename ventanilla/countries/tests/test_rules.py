"""Country facts: identity algorithms (R-ID-01), phones (R-ID-02), holidays (R-APT-10),
working days (R-REG-05), checklists (R-REG-03), geography."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.countries.base import IdInvalid, PhoneInvalid, Situation
from ventanilla.countries.ec import EcuadorPack
from ventanilla.countries.pe import PeruPack

EC = EcuadorPack()
PE = PeruPack()


@pytest.mark.parametrize("value,expected", [
    ("1710034065", "1710034065"),
    ("171003406-5", "1710034065"),
    (" 1710034065 ", "1710034065"),
], ids=["plain", "dash", "spaces"])
def test_r_id_01_valid_cedula_is_accepted_in_compact_form(value, expected):
    assert EC.validate_id("cedula", value) == expected


@pytest.mark.parametrize("value,fragment", [
    ("1710034066", "last digit does not match"),
    ("171003406", "10 digits"),
    ("17100340651", "10 digits"),
    ("17a0034065", "only digits"),
    ("9910034065", "province code"),
    ("", "Enter your cédula"),
], ids=["check-digit", "short", "long", "letters", "province", "empty"])
def test_r_id_01_invalid_cedula_says_what_is_wrong(value, fragment):
    with pytest.raises(IdInvalid) as exc:
        EC.validate_id("cedula", value)
    assert fragment in str(exc.value.message)
    assert "id_number" in exc.value.fields


@pytest.mark.parametrize("value,expected", [
    ("10117410", "10117410"), ("101174102", "10117410"), ("10117410-2", "10117410"),
    ("10117410-G", "10117410"),
], ids=["8-digits", "with-digit-check", "dash", "letter-check"])
def test_r_id_01_dni_with_or_without_verification_character(value, expected):
    assert PE.validate_id("dni", value) == expected


@pytest.mark.parametrize("value,fragment", [
    ("101174103", "verification character does not match"),
    ("1011741", "8 digits"),
    ("ABCDEFGH", "8 digits"),
], ids=["wrong-check", "short", "letters"])
def test_r_id_01_invalid_dni_says_what_is_wrong(value, fragment):
    with pytest.raises(IdInvalid) as exc:
        PE.validate_id("dni", value)
    assert fragment in str(exc.value.message)


def test_r_id_01_carne_de_extranjeria_and_passport():
    assert PE.validate_id("ce", "001234567") == "001234567"
    with pytest.raises(IdInvalid, match="9 digits"):
        PE.validate_id("ce", "12345")
    assert EC.validate_id("passport", "x123-4567") == "X1234567"
    with pytest.raises(IdInvalid, match="5 to 9"):
        EC.validate_id("passport", "AB1")
    with pytest.raises(IdInvalid, match="only letters and numbers"):
        EC.validate_id("passport", "AB#12345")


def test_r_id_01_unknown_document_type_is_refused():
    with pytest.raises(IdInvalid):
        EC.validate_id("dni", "10117410")


def test_r_id_02_mobile_phone_validated_for_the_country_with_carrier():
    phone = EC.validate_mobile("0991234567")
    assert phone.e164 == "+593991234567"
    assert phone.carrier  # phonenumbers knows Ecuador's mobile ranges
    assert PE.validate_mobile("912 345 678").e164 == "+51912345678"


@pytest.mark.parametrize("value", ["+51912345678", "022345678", "12", "abc"],
                         ids=["peruvian-number", "landline", "too-short", "letters"])
def test_r_id_02_phone_refused_when_not_a_mobile_of_the_country(value):
    with pytest.raises(PhoneInvalid) as exc:
        EC.validate_mobile(value)
    assert "mobile_phone" in exc.value.fields


def test_r_apt_10_ecuador_closes_on_the_observed_day_not_the_legal_date():
    days = EC.holidays(2024)
    assert date(2024, 5, 3) in days          # Día del Trabajo moved to Friday
    assert date(2024, 5, 1) not in days      # the legal date is a working day
    assert EC.is_working_day(date(2024, 5, 1))
    assert date(2024, 12, 25) in days        # not moved: stays


def test_r_apt_10_peru_keeps_its_holidays():
    days = PE.holidays(2026)
    assert date(2026, 7, 28) in days and date(2026, 7, 29) in days


def test_holidays_in_english_and_spanish():
    assert EC.holidays(2026, language="es")[date(2026, 12, 25)] == "Navidad"
    assert EC.holidays(2026, language="en")[date(2026, 12, 25)] == "Christmas Day"


def test_r_reg_05_three_working_days_skip_weekend_and_holiday():
    # Thursday 31 Dec 2026 + 3 working days: Fri 1 Jan is a holiday, then weekend.
    assert EC.add_working_days(date(2026, 12, 31), 3) == date(2027, 1, 6)
    # Friday 24 July 2026 in Peru: Mon 27, Tue 28 and Wed 29 July... 28-29 are holidays
    assert PE.add_working_days(date(2026, 7, 24), 3) == date(2026, 7, 31)


def test_r_reg_03_ecuador_checklist_depends_on_situation():
    citizen = [d.code for d in EC.required_documents(Situation(id_type="cedula"))]
    assert citizen == ["identity", "residence", "previous_card", "registration_form"]
    foreigner = [d.code for d in EC.required_documents(Situation(
        id_type="passport", is_foreign_national=True, documents_in_other_language=True))]
    assert foreigner == ["identity", "residence", "residency_permit", "previous_card",
                         "translation", "registration_form"]
    previous = next(d for d in EC.required_documents(Situation(id_type="cedula"))
                    if d.code == "previous_card")
    assert previous.required is False


def test_r_reg_03_peru_checklist_depends_on_situation():
    base = [d.code for d in PE.required_documents(Situation(id_type="dni"))]
    assert base == ["identity", "address", "copies"]
    worker = [d.code for d in PE.required_documents(Situation(id_type="dni",
                                                              employed_locally=True))]
    assert worker == ["identity", "address", "income", "copies"]


def test_geography_is_complete():
    ec, pe = EC.geography, PE.geography
    assert [ec.count(i) for i in range(3)] == [24, 222, 1306]
    assert [pe.count(i) for i in range(3)] == [25, 196, 1893]
    urban = sum(1 for s in ec._by_code.values() if s.kind == "urban")
    assert urban == 491  # 222 canton seats + 269 urban parishes


def test_geography_names_have_their_accents():
    ec_names = {s.name for s in EC.geography.top_level()}
    assert {"Bolívar", "Cañar", "Los Ríos", "Manabí", "Sucumbíos", "Galápagos",
            "Santo Domingo de los Tsáchilas"} <= ec_names
    pe_names = {s.name for s in PE.geography.top_level()}
    assert {"Áncash", "Apurímac", "Huánuco", "Junín", "San Martín"} <= pe_names
    assert [s.name for s in PE.geography.path("150113")] == ["Lima", "Lima", "Jesús María"]


def test_r_apt_10_observed_day_of_next_years_holiday_does_not_cancel_this_years():
    # 1 Jan 2028 is a Saturday, observed on Friday 31 Dec 2027; 1 Jan 2027 stays closed.
    days = EC.holidays(2027)
    assert date(2027, 1, 1) in days
    assert date(2027, 12, 31) in days
