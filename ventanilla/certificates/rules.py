"""Pure rules of sick-leave certificates (R-CER-01..05): no ORM, no request.

Every check returns *all* its findings at once (R-CER-03), each naming its field, so the
person learns every problem a machine can see in one go. Dates are read as seed 004 writes
them (day-month-year, "07/12/2026" or "7-12-2026") or in ISO ("2026-12-07"); anything
ambiguous (a two-digit year) or impossible (31/02/2026) is a finding, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

MATERNITY_WEEKS = (20, 45)   # plausible weeks of pregnancy at delivery


class Kind(StrEnum):
    ILLNESS = "illness"
    ACCIDENT = "accident"
    HOSPITALISATION = "hospitalisation"
    MATERNITY = "maternity"


@dataclass(frozen=True)
class Finding:
    field: str
    message: str
    blocking: bool = True      # False: flagged to the validator, not a refusal
    # A flag is stored as its code and parameters and written in the reader's language
    # (``checks.flag_message``): the validator may not read the person's.
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()


class DateUnreadable(ValueError):
    pass


def parse_day(text: str) -> date:
    """A date as a certificate writes it: day-month-year with /, - or ., or ISO. Raises
    ``DateUnreadable`` for anything else (a two-digit year, 31/02, words)."""
    for pattern, order in ((_DMY, (3, 2, 1)), (_ISO, (1, 2, 3))):
        m = pattern.match(text or "")
        if m:
            year, month, day = (int(m.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise DateUnreadable(str(exc)) from exc
    raise DateUnreadable(text)


def days_inclusive(start: date, end: date) -> int:
    """Days off from ``start`` to ``end``, both included (7 to 9 December: 3 days)."""
    return (end - start).days + 1


def rest_findings(*, start: date | None, end: date | None, days: int | None,
                  issued_on: date | None, today: date) -> list[Finding]:
    """The days off: an end before the start, a count that does not match the dates, zero
    days, an issue date in the future."""
    out: list[Finding] = []
    if issued_on is not None and issued_on > today:
        out.append(Finding("issued_on", str(_("The issue date is in the future."))))
    if start is not None and end is not None:
        if end < start:
            out.append(Finding("rest_end", str(_("The last day of rest is before the "
                                                 "first."))))
        elif days is not None and days != days_inclusive(start, end):
            out.append(Finding("rest_days", str(_(
                "The certificate gives %(days)d days, but from the first to the last day "
                "of rest there are %(counted)d.") % {"days": days,
                                                     "counted": days_inclusive(start, end)})))
    if days is not None and days < 1:
        out.append(Finding("rest_days", str(_("A certificate gives at least one day of "
                                              "rest."))))
    return out


def hospitalisation_findings(*, admitted: date | None, discharged: date | None,
                             procedure: str) -> list[Finding]:
    """R-CER-02: admission, discharge and the procedure performed."""
    out: list[Finding] = []
    if admitted is None:
        out.append(Finding("admitted_on", str(_("Enter the date of admission."))))
    if discharged is None:
        out.append(Finding("discharged_on", str(_("Enter the date of discharge."))))
    if admitted and discharged and discharged < admitted:
        out.append(Finding("discharged_on", str(_("The discharge is before the "
                                                  "admission."))))
    if not (procedure or "").strip():
        out.append(Finding("procedure", str(_("Enter the procedure performed."))))
    return out


def maternity_findings(*, delivered_on: date | None, live_birth: bool | None,
                       weeks: int | None, baby_sex: str) -> list[Finding]:
    """R-CER-02: delivery date, live birth, weeks of pregnancy (a plausible number) and
    the baby's sex."""
    out: list[Finding] = []
    if delivered_on is None:
        out.append(Finding("delivered_on", str(_("Enter the date of delivery."))))
    if live_birth is None:
        out.append(Finding("live_birth", str(_("Say whether the baby was born alive."))))
    low, high = MATERNITY_WEEKS
    if weeks is None:
        out.append(Finding("pregnancy_weeks", str(_("Enter the weeks of pregnancy."))))
    elif not low <= weeks <= high:
        out.append(Finding("pregnancy_weeks", str(_(
            "Weeks of pregnancy must be between %(low)d and %(high)d.") % {
            "low": low, "high": high})))
    if not (baby_sex or "").strip():
        out.append(Finding("baby_sex", str(_("Enter the baby's sex."))))
    return out


@dataclass(frozen=True)
class Deadline:
    last_day: date | None        # the last day to submit it (None: no deadline)
    late: bool


def submission_deadline(*, rest_end: date, submitted_on: date, working_days: int | None,
                        add_working_days) -> Deadline:
    """R-CER-04 (Ecuador): from the first day of rest up to ``working_days`` working days
    after its last day, counted with the country's holidays (``add_working_days``, the
    pack's). A late certificate needs a written justification."""
    if working_days is None:
        return Deadline(None, False)
    last = add_working_days(rest_end, working_days)
    return Deadline(last, submitted_on > last)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def online_limit_finding(*, days: int, max_days: int | None) -> Finding | None:
    """R-CER-04 (Ecuador): online validation covers rests of up to 30 days; a longer rest
    is validated in person (the office-visit booking is offered)."""
    if max_days is not None and days > max_days:
        return Finding("rest_days", str(_(
            "Rests of more than %(max)d days are validated in person, not online: book a "
            "visit to a service centre.") % {"max": max_days}))
    return None


def becomes_official(*, days: int, over_days: int | None) -> bool:
    """R-CER-04 (Peru): a private rest certificate over 20 days is converted into an
    official incapacity certificate (CITT)."""
    return over_days is not None and days > over_days


def within_leave_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(days_inclusive(start, end))]


def abroad_findings(*, issued_in: str, home_country: str, language: str,
                    has_apostille: bool, has_translation: bool) -> list[Finding]:
    """R-CER-05: a certificate issued in another country is an original, apostilled there,
    and officially translated when it is not in Spanish. ``issued_in`` and
    ``home_country`` are ISO country codes, ``language`` the certificate's (ISO 639-1)."""
    if not issued_in or issued_in.upper() == home_country.upper():
        return []
    out: list[Finding] = []
    if not has_apostille:
        out.append(Finding("apostille", str(_(
            "A certificate from abroad needs the apostille of the country where it was "
            "issued: upload it."))))
    if (language or "").lower() != "es" and not has_translation:
        out.append(Finding("translation", str(_(
            "A certificate that is not in Spanish needs an official translation: upload "
            "it."))))
    return out


def review_due(*, submitted_on: date, working_days: int, add_working_days) -> date:
    """R-CER-05: the institution's own deadline to validate a certificate (EsSalud's TUPA:
    3 working days), counted with the country's holidays."""
    return add_working_days(submitted_on, working_days)


# What only a person can judge on the scan (R-CER-01): the validator ticks each before a
# certificate is validated.
CHECKLIST = {
    "letterhead": _("The doctor's letterhead: name, specialty, hospital or clinic"),
    "typed": _("Typed, not handwritten"),
    "stamp": _("The doctor's stamp with the registration code"),
    "no_amendments": _("No amendments, crossings-out or corrections"),
    "legible": _("Every part legible, and the typed fields match the paper"),
}
# From abroad (R-CER-05), also:
CHECKLIST_ABROAD = {
    "apostille": _("The apostille of the country of issue"),
    "translation": _("The official translation, when it is not in Spanish"),
}

# Why a validator rejects (R-CER-03: every failing requirement listed); "other" needs the
# validator's own words.
REJECTION_REASONS = {
    "no_letterhead": _("It has no letterhead with the doctor's name, specialty and "
                       "establishment."),
    "handwritten": _("It is handwritten; it must be typed."),
    "no_stamp": _("It has no stamp with the doctor's registration code."),
    "amended": _("It has amendments or corrections."),
    "illegible": _("Parts of it cannot be read."),
    "fields_mismatch": _("What was typed does not match the paper."),
    "diagnosis_mismatch": _("The diagnosis does not match its ICD-10 code."),
    "doctor_not_registered": _("The doctor is not in the registry of health "
                               "professionals."),
    "not_original": _("It is not the original, or the apostille is missing."),
    "late_not_justified": _("It was submitted late without a reason that can be "
                            "accepted."),
    "other": _("Another reason (see the note)."),
}


def decision_findings(*, checklist: set[str], abroad: bool, language: str) -> list[str]:
    """The checklist items not yet ticked for a validation (an empty list: it may be
    validated)."""
    needed = set(CHECKLIST)
    if abroad:
        needed.add("apostille")
        if (language or "es").lower() != "es":
            needed.add("translation")
    return sorted(needed - set(checklist))


def official_number(*, prefix: str, country: str, year: int, sequence: int) -> str:
    """R-CER-04 (Peru): the CITT's own number, e.g. CITT-PE-2026-0000042."""
    return f"{prefix}-{country}-{year}-{sequence:07d}"


def _folded_words(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text or "").lower()
    folded = "".join(c for c in folded if c.isalpha() or c == " ")
    words = [w for w in folded.split() if w not in ("dias", "dia", "de", "descanso")]
    joined = "".join(words)
    # "veintiún días", "un día": the apocopated forms of "uno"
    return joined[:-2] + "uno" if joined.endswith("un") else joined


def days_in_words_finding(*, days: int | None, words: str, required: bool,
                          language: str) -> Finding | None:
    """R-CER-04 (Ecuador): the days off are written in numbers *and* in words on the
    certificate, and the two agree ("3 (tres) días"). Spanish words only (a certificate in
    another language comes with its official translation)."""
    from num2words import num2words

    if not required or (language or "es").lower() != "es":
        return None
    if not (words or "").strip():
        return Finding("rest_days_words", str(_("Enter the days of rest in words, as the "
                                                "certificate writes them.")))
    if days is None or days < 1:
        return None
    expected = {_folded_words(num2words(days, lang="es"))}
    if 16 <= days % 100 <= 19:   # "diez y seis": the older spelling of "dieciséis"
        expected.add(_folded_words(f"diez y {num2words(days % 10, lang='es')}"))
    if _folded_words(words) not in expected:
        return Finding("rest_days_words", str(_(
            "The days in words (%(words)s) do not say %(days)d. The certificate must give "
            "the same number in figures and in words.") % {"words": words.strip(),
                                                           "days": days}))
    return None
