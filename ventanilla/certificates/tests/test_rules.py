"""R-CER-01..05 as pure rules: ICD-10 codes against the WHO classification, dates as a
certificate writes them, every finding at once, the deadlines of each country."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ventanilla.certificates import rules
from ventanilla.certificates.icd10 import Icd10Problem, icd10_lookup
from ventanilla.countries.registry import get_pack


@pytest.mark.parametrize("typed", ["j069", "J06.9", "j06.9", " J06 .9 "])
def test_r_cer_03_an_icd10_code_is_read_without_regard_to_case_spaces_or_dot(typed):
    answer = icd10_lookup(typed, language="en")
    assert answer.valid and answer.code == "J06.9"
    assert answer.description == "Acute upper respiratory infection, unspecified"


@pytest.mark.parametrize("typed, problem, first_nearest", [
    ("J06", Icd10Problem.NOT_SPECIFIC, "J06.0"),      # a category with subcategories
    ("J06.99", Icd10Problem.UNKNOWN, "J06.9"),         # one character too many
    ("J06-9", Icd10Problem.MALFORMED, "J06.9"),        # a dash instead of the dot
    ("ZZZ", Icd10Problem.MALFORMED, None),
    ("", Icd10Problem.EMPTY, None),
    ("U99", Icd10Problem.UNKNOWN, None),               # the shape of a code, not one
])
def test_r_cer_03_nonsense_gets_a_reason_and_the_nearest_valid_codes(typed, problem,
                                                                     first_nearest):
    answer = icd10_lookup(typed)
    assert not answer.valid and answer.problem == problem
    if first_nearest is not None:
        assert answer.nearest[0][0] == first_nearest
    for code, _description, _language in answer.nearest:   # each suggestion is valid
        assert icd10_lookup(code).valid, code


def test_r_cer_03_a_subcategory_without_children_is_specific_enough():
    assert icd10_lookup("A00.0").code == "A00.0"
    assert icd10_lookup("A00").problem == Icd10Problem.NOT_SPECIFIC


@pytest.mark.parametrize("text, expected", [
    ("07/12/2026", date(2026, 12, 7)), ("7-12-2026", date(2026, 12, 7)),
    ("7.12.2026", date(2026, 12, 7)), ("2026-12-07", date(2026, 12, 7)),
])
def test_r_cer_01_dates_are_read_day_month_year_or_iso(text, expected):
    assert rules.parse_day(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "12/07/26", "December 7, 2026", "", "2026/13/01",
                                  "07/12/20261"])
def test_r_cer_01_an_ambiguous_or_impossible_date_is_refused(text):
    with pytest.raises(rules.DateUnreadable):
        rules.parse_day(text)


def test_r_cer_03_every_problem_of_the_days_off_at_once():
    today = date(2026, 12, 7)
    findings = rules.rest_findings(start=date(2026, 12, 5), end=date(2026, 12, 1), days=0,
                                   issued_on=date(2026, 12, 8), today=today)
    assert {f.field for f in findings} == {"issued_on", "rest_end", "rest_days"}
    assert len(findings) == 3
    mismatch = rules.rest_findings(start=date(2026, 12, 1), end=date(2026, 12, 3), days=5,
                                   issued_on=today, today=today)
    assert [f.message for f in mismatch] == [
        "The certificate gives 5 days, but from the first to the last day of rest there "
        "are 3."]
    assert rules.rest_findings(start=date(2026, 12, 1), end=date(2026, 12, 3), days=3,
                               issued_on=today, today=today) == []


def test_r_cer_02_hospitalisation_and_maternity_add_their_fields():
    h = rules.hospitalisation_findings(admitted=date(2026, 12, 5),
                                       discharged=date(2026, 12, 1), procedure=" ")
    assert {f.field for f in h} == {"discharged_on", "procedure"}
    m = rules.maternity_findings(delivered_on=None, live_birth=None, weeks=52, baby_sex="")
    assert {f.field for f in m} == {"delivered_on", "live_birth", "pregnancy_weeks",
                                    "baby_sex"}
    assert rules.maternity_findings(delivered_on=date(2026, 12, 1), live_birth=True,
                                    weeks=39, baby_sex="f") == []


def test_r_cer_04_ecuador_8_working_days_after_the_last_day_with_holidays():
    ec = get_pack("EC")
    # rest ends Wednesday 23 December 2026; 25 December and 1 January are holidays
    deadline = rules.submission_deadline(rest_end=date(2026, 12, 23),
                                         submitted_on=date(2027, 1, 6),
                                         working_days=ec.certificate_submit_working_days,
                                         add_working_days=ec.add_working_days)
    assert deadline.last_day == ec.add_working_days(date(2026, 12, 23), 8)
    # two holidays and two weekends: more than 8 calendar days later
    assert deadline.last_day > date(2026, 12, 23) + timedelta(days=8)
    assert deadline.late is (date(2027, 1, 6) > deadline.last_day)
    on_time = rules.submission_deadline(rest_end=date(2026, 12, 23),
                                        submitted_on=deadline.last_day, working_days=8,
                                        add_working_days=ec.add_working_days)
    late = rules.submission_deadline(rest_end=date(2026, 12, 23),
                                     submitted_on=deadline.last_day + timedelta(days=1),
                                     working_days=8, add_working_days=ec.add_working_days)
    assert not on_time.late and late.late
    # Peru sets no such deadline
    pe = get_pack("PE")
    assert rules.submission_deadline(rest_end=date(2026, 12, 23),
                                     submitted_on=date(2027, 6, 1),
                                     working_days=pe.certificate_submit_working_days,
                                     add_working_days=pe.add_working_days).late is False


def test_r_cer_04_online_up_to_30_days_in_ecuador_and_citt_over_20_in_peru():
    ec, pe = get_pack("EC"), get_pack("PE")
    assert rules.online_limit_finding(days=30, max_days=ec.certificate_online_max_days) is None
    longer = rules.online_limit_finding(days=31, max_days=ec.certificate_online_max_days)
    assert longer is not None and "validated in person" in longer.message
    assert rules.online_limit_finding(days=90, max_days=pe.certificate_online_max_days) is None
    assert rules.becomes_official(days=25, over_days=pe.certificate_official_over_days)
    assert not rules.becomes_official(days=20, over_days=pe.certificate_official_over_days)
    assert not rules.becomes_official(days=25, over_days=ec.certificate_official_over_days)


def test_r_cer_03_overlapping_rests_are_seen():
    assert rules.overlaps(date(2026, 12, 1), date(2026, 12, 5), date(2026, 12, 5),
                          date(2026, 12, 9))
    assert not rules.overlaps(date(2026, 12, 1), date(2026, 12, 4), date(2026, 12, 5),
                              date(2026, 12, 9))


def test_r_cer_05_a_certificate_from_abroad_needs_its_apostille_and_a_translation():
    from_spain = rules.abroad_findings(issued_in="ES", home_country="EC", language="es",
                                       has_apostille=False, has_translation=False)
    assert [f.field for f in from_spain] == ["apostille"]      # Spanish: no translation
    from_usa = rules.abroad_findings(issued_in="US", home_country="EC", language="en",
                                     has_apostille=False, has_translation=False)
    assert [f.field for f in from_usa] == ["apostille", "translation"]
    assert rules.abroad_findings(issued_in="US", home_country="EC", language="en",
                                 has_apostille=True, has_translation=True) == []
    assert rules.abroad_findings(issued_in="EC", home_country="EC", language="en",
                                 has_apostille=False, has_translation=False) == []


def test_r_cer_05_the_validators_deadline_is_3_working_days_with_holidays():
    pe = get_pack("PE")
    # submitted Wednesday 23 December 2026; 25 December is a holiday, then a weekend
    due = rules.review_due(submitted_on=date(2026, 12, 23),
                           working_days=pe.certificate_review_working_days,
                           add_working_days=pe.add_working_days)
    # Thursday 24, (Friday 25 Christmas, the weekend), Monday 28, Tuesday 29
    assert due == date(2026, 12, 29) and pe.is_working_day(due)


@pytest.mark.parametrize("days, words", [
    (3, "tres"), (3, "Tres (3) días"), (16, "dieciséis"), (16, "dieciseis"),
    (16, "diez y seis"), (21, "veintiún días"), (21, "veintiuno"), (30, "TREINTA"),
    (31, "treinta y uno"), (1, "un día")])
def test_r_cer_04_days_in_words_agree_with_the_figure(days, words):
    assert rules.days_in_words_finding(days=days, words=words, required=True,
                                       language="es") is None


@pytest.mark.parametrize("days, words, message", [
    (3, "cuatro", "The days in words (cuatro) do not say 3. The certificate must give the "
                  "same number in figures and in words."),
    (3, "", "Enter the days of rest in words, as the certificate writes them."),
])
def test_r_cer_04_days_in_words_that_disagree_or_are_missing(days, words, message):
    finding = rules.days_in_words_finding(days=days, words=words, required=True,
                                          language="es")
    assert finding is not None and finding.field == "rest_days_words"
    assert finding.message == message


def test_r_cer_04_days_in_words_only_where_the_country_asks_and_in_spanish():
    assert rules.days_in_words_finding(days=3, words="", required=False, language="es") is None
    assert rules.days_in_words_finding(days=3, words="", required=True, language="en") is None
    assert get_pack("EC").certificate_days_in_words
    assert not get_pack("PE").certificate_days_in_words
