"""The automatic checks of a certificate (R-CER-01..05): every failure at once.

``certificate_checks`` reads what the person typed (``CertificateIn``, strings as typed),
the registry's facts about the patient and the country pack, and returns the values it
could read with *every* finding — missing fields, the ICD-10 code, the registry name and
ID, the dates, the R-CER-02 fields, the doctor's registration code, the deadlines, a
certificate from abroad. No database and no request: the service gathers the facts (the
patient, their other certificates) and the same function serves the form, the API's
``check`` and the submission, so what the person was told is exactly what is enforced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from ventanilla.core.dates import day_text
from ventanilla.countries.base import IdInvalid

from . import rules
from .icd10 import Icd10Answer, Icd10Problem, icd10_lookup
from .rules import Finding, Kind

# Text fields every certificate carries (R-CER-01), with the message when one is empty.
_REQUIRED = (
    ("doctor_name", N_("Enter the doctor's name as the letterhead gives it.")),
    ("doctor_specialty", N_("Enter the doctor's specialty.")),
    ("establishment", N_("Enter the hospital, clinic or practice.")),
    ("doctor_email", N_("Enter the doctor's e-mail address.")),
    ("doctor_registration", N_("Enter the doctor's registration code from the stamp.")),
    ("establishment_phone", N_("Enter the establishment's phone number.")),
    ("establishment_address", N_("Enter the establishment's address.")),
    ("issued_place", N_("Enter the place where the certificate was issued.")),
    ("patient_names", N_("Enter the patient's full names as on the ID card.")),
    ("patient_id_number", N_("Enter the patient's ID number.")),
    ("diagnosis", N_("Enter the diagnosis as the certificate writes it.")),
)
_DATES = (
    ("issued_on", N_("Enter the issue date.")),
    ("rest_start", N_("Enter the first day of rest.")),
    ("rest_end", N_("Enter the last day of rest.")),
)
BABY_SEXES = ("female", "male", "undetermined")


@dataclass
class CertificateIn:
    """A certificate as typed: every value a string (or None when not given)."""

    kind: str = ""
    doctor_name: str = ""
    doctor_specialty: str = ""
    establishment: str = ""
    doctor_email: str = ""
    doctor_registration: str = ""
    establishment_phone: str = ""
    establishment_address: str = ""
    issued_on: str = ""
    issued_place: str = ""
    issued_country: str = ""
    language: str = "es"
    patient_names: str = ""
    patient_id_number: str = ""
    diagnosis: str = ""
    icd10_code: str = ""
    rest_start: str = ""
    rest_end: str = ""
    rest_days: str = ""
    rest_days_words: str = ""     # R-CER-04 (Ecuador): "tres"
    admitted_on: str = ""
    discharged_on: str = ""
    procedure: str = ""
    delivered_on: str = ""
    live_birth: str = ""          # "yes" / "no"
    pregnancy_weeks: str = ""
    baby_sex: str = ""
    late_reason: str = ""

    @classmethod
    def of(cls, data) -> CertificateIn:
        """From a mapping (a form's POST, an API body): unknown keys ignored, values as
        text."""
        names = cls.__dataclass_fields__
        values = {}
        for key in names:
            value = data.get(key) if hasattr(data, "get") else None
            if value is None:
                continue
            if isinstance(value, bool):
                value = "yes" if value else "no"
            values[key] = str(value)
        return cls(**values)


@dataclass(frozen=True)
class PatientFacts:
    """What the registry knows of the patient."""

    country: str
    id_type: str
    id_number: str
    given_names: str
    family_names: str


@dataclass(frozen=True)
class OtherRest:
    reference: str
    start: date
    end: date


@dataclass
class Checked:
    values: dict = field(default_factory=dict)   # what could be read, typed
    findings: list[Finding] = field(default_factory=list)
    icd10: Icd10Answer | None = None
    deadline: rules.Deadline | None = None
    in_person: bool = False        # R-CER-04: too long to validate online
    becomes_official: bool = False  # R-CER-04 (Peru): becomes a CITT when validated
    late: bool = False

    @property
    def refusals(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def flags(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]

    @property
    def ok(self) -> bool:
        return not self.refusals


def name_key(text: str) -> tuple[str, ...]:
    """Names compared as an ID card prints them: no accents, case or extra spaces; the
    words in any order (a cédula prints family names first)."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c)).upper()
    return tuple(sorted(re.findall(r"[A-Z]+", folded)))


def _date(text: str, name: str, out: list[Finding]) -> date | None:
    if not (text or "").strip():
        return None
    try:
        return rules.parse_day(text)
    except rules.DateUnreadable:
        out.append(Finding(name, _("Enter the date as day/month/year, for example "
                                   "07/12/2026.")))
        return None


def _int(text: str, name: str, out: list[Finding], message: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        out.append(Finding(name, message))
        return None
    return int(text)


def icd10_finding(answer: Icd10Answer) -> Finding | None:
    """The message for a code that is not a valid, specific ICD-10 code, with the nearest
    valid codes to choose from."""
    if answer.valid:
        return None
    nearest = ", ".join(item.code for item in answer.nearest)
    if answer.problem == Icd10Problem.EMPTY:
        return Finding("icd10_code", _("Enter the ICD-10 code of the diagnosis, for example "
                                       "J06.9."))
    if answer.problem == Icd10Problem.NOT_SPECIFIC:
        message = _("%(code)s is a group of diagnoses: enter the full code from the "
                    "certificate.") % {"code": answer.typed.upper()}
    elif answer.problem == Icd10Problem.UNKNOWN:
        message = _("%(code)s is not a code of the ICD-10 classification.") % {
            "code": answer.typed.upper()}
    else:
        message = _("An ICD-10 code is a letter and two digits, then a dot and one more "
                    "digit, for example J06.9.")
    if nearest:
        codes = _("Nearest valid codes: %(codes)s.") % {"codes": nearest}
        message = f"{message} {codes}"
    return Finding("icd10_code", message)


def flag_message(code: str, params: dict) -> str:
    """A flag (a finding that does not refuse) in the active language."""
    days = {k: day_text(date.fromisoformat(v)) for k, v in params.items()
            if k in ("day", "start", "end") and v}
    if code == "late_justified":
        return _("Submitted after the deadline (%(day)s), with a justification.") % days
    if code == "overlap":
        return _("These days overlap certificate %(reference)s (%(start)s to %(end)s) of the "
                 "same person.") % {**params, **days}
    return code


def _flag(field_name: str, code: str, **params: str) -> Finding:
    return Finding(field_name, flag_message(code, params), blocking=False, code=code,
                   params=tuple(sorted(params.items())))


def stored_flag_message(flag: dict) -> str:
    """A flag as stored on a certificate (``{"field", "code", "params"}``), written now."""
    if flag.get("code"):
        return flag_message(flag["code"], flag.get("params") or {})
    return flag.get("message", "")


def certificate_checks(inp: CertificateIn, *, patient: PatientFacts, pack, today: date,
                       other_rests: Sequence[OtherRest] = (), has_scan: bool = True,
                       has_apostille: bool = False, has_translation: bool = False,
                       submitted_on: date | None = None) -> Checked:
    """Every automatic check of R-CER-01..05 at once (module docstring)."""
    out: list[Finding] = []
    checked = Checked(findings=out)
    values = checked.values
    text = {name: (getattr(inp, name) or "").strip() for name in CertificateIn.__dataclass_fields__}
    values.update({name: text[name] for name, _m in _REQUIRED})

    kind = text["kind"]
    if kind not in {k.value for k in Kind}:
        out.append(Finding("kind", _("Choose the kind of certificate.")))
        kind = ""
    values["kind"] = kind

    for name, message in _REQUIRED:
        if not text[name]:
            out.append(Finding(name, _(message)))
    if not has_scan:
        out.append(Finding("scan", _("Upload a photo or scan of the certificate.")))

    days_found: dict[str, date | None] = {}
    for name, message in _DATES:
        value = _date(text[name], name, out)
        if value is None and not text[name]:
            out.append(Finding(name, _(message)))
        days_found[name] = value
    values.update(days_found)
    rest_days = _int(text["rest_days"], "rest_days", out,
                     _("Enter the days of rest as a number, for example 3."))
    if rest_days is None and not text["rest_days"]:
        out.append(Finding("rest_days", _("Enter the number of days of rest.")))
    values["rest_days"] = rest_days
    values["rest_days_words"] = text["rest_days_words"]
    words = rules.days_in_words_finding(
        days=rest_days, words=text["rest_days_words"],
        required=(pack.certificate_days_in_words
                  and text["issued_country"].upper() in ("", pack.code)),
        language=text["language"] or "es")
    if words is not None:
        out.append(words)
    out.extend(rules.rest_findings(start=days_found["rest_start"], end=days_found["rest_end"],
                                   days=rest_days, issued_on=days_found["issued_on"],
                                   today=today))

    # The diagnosis code (R-CER-03): against the WHO classification
    answer = icd10_lookup(text["icd10_code"])
    checked.icd10 = answer
    values["icd10_code"] = answer.code or text["icd10_code"]
    problem = icd10_finding(answer)
    if problem:
        out.append(problem)

    # The doctor (R-CER-01): e-mail, phone, the registration code in the country's format
    if text["doctor_email"]:
        try:
            validate_email(text["doctor_email"])
        except ValidationError:
            out.append(Finding("doctor_email", _("Enter the doctor's e-mail as it is written, "
                                                 "for example nombre@clinica.ec.")))
    if text["establishment_phone"]:
        try:
            number = phonenumbers.parse(text["establishment_phone"], pack.phone_region)
            ok = phonenumbers.is_possible_number(number)
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            out.append(Finding("establishment_phone", _("Enter the establishment's phone "
                                                        "number with its area code.")))
    issued_abroad = bool(text["issued_country"]) and text["issued_country"].upper() != pack.code
    pattern = getattr(pack, "doctor_registration_pattern", None)
    if text["doctor_registration"] and pattern and not issued_abroad and not re.fullmatch(
            pattern, text["doctor_registration"].upper()):
        out.append(Finding("doctor_registration", _(
            "This is not a doctor's registration code of %(country)s. It looks like "
            "%(example)s on the doctor's stamp.") % {
            "country": pack.name, "example": pack.doctor_registration_example}))

    # The patient (R-CER-01): the names and the ID as on the ID card, matching the registry
    if text["patient_id_number"]:
        try:
            typed_id = pack.validate_id(patient.id_type, text["patient_id_number"])
        except IdInvalid:
            typed_id = None
            out.append(Finding("patient_id_number", _("This ID number is not valid: check it "
                                                      "against the ID card.")))
        if typed_id is not None and typed_id != patient.id_number:
            out.append(Finding("patient_id_number", _(
                "This ID number is not the patient's: the certificate must give the ID "
                "number of the person on leave.")))
    if text["patient_names"] and name_key(text["patient_names"]) != name_key(
            f"{patient.given_names} {patient.family_names}"):
        out.append(Finding("patient_names", _(
            "The names do not match the patient's ID card (%(names)s). A certificate with "
            "other names is rejected: ask the doctor to correct it.") % {
            "names": f"{patient.given_names} {patient.family_names}"}))

    # R-CER-02: the fields of a hospitalisation or a birth
    if kind == Kind.HOSPITALISATION:
        admitted = _date(text["admitted_on"], "admitted_on", out)
        discharged = _date(text["discharged_on"], "discharged_on", out)
        values.update(admitted_on=admitted, discharged_on=discharged,
                      procedure=text["procedure"])
        out.extend(f for f in rules.hospitalisation_findings(
            admitted=admitted, discharged=discharged, procedure=text["procedure"])
            if not (f.field in ("admitted_on", "discharged_on") and text[f.field]
                    and values[f.field] is None))
    elif kind == Kind.MATERNITY:
        delivered = _date(text["delivered_on"], "delivered_on", out)
        live = {"yes": True, "no": False, "true": True, "false": False}.get(
            text["live_birth"].lower())
        weeks = _int(text["pregnancy_weeks"], "pregnancy_weeks", out,
                     _("Enter the weeks of pregnancy as a number, for example 39."))
        sex = text["baby_sex"].lower()
        if sex and sex not in BABY_SEXES:
            out.append(Finding("baby_sex", _("Choose the baby's sex.")))
            sex = ""
        values.update(delivered_on=delivered, live_birth=live, pregnancy_weeks=weeks,
                      baby_sex=sex)
        out.extend(f for f in rules.maternity_findings(
            delivered_on=delivered, live_birth=live, weeks=weeks, baby_sex=sex)
            if not (f.field in ("delivered_on", "pregnancy_weeks") and text[f.field]
                    and values[f.field] is None))

    # R-CER-05: from abroad, the apostille and (not in Spanish) the translation
    values["issued_country"] = (text["issued_country"] or pack.code).upper()
    values["language"] = (text["language"] or "es").lower()
    out.extend(rules.abroad_findings(issued_in=values["issued_country"], home_country=pack.code,
                                     language=values["language"], has_apostille=has_apostille,
                                     has_translation=has_translation))

    start, end = days_found["rest_start"], days_found["rest_end"]
    submitted_on = submitted_on or today
    if start and end and end >= start:
        if start > submitted_on:
            out.append(Finding("rest_start", _(
                "A certificate is submitted from its first day of rest, %(day)s: come back "
                "then.") % {"day": day_text(start)}))
        # R-CER-04: the deadline; a late one needs a written justification
        deadline = rules.submission_deadline(
            rest_end=end, submitted_on=submitted_on,
            working_days=pack.certificate_submit_working_days,
            add_working_days=pack.add_working_days)
        checked.deadline = deadline
        checked.late = deadline.late
        values["late_reason"] = text["late_reason"]
        if deadline.late:
            last = day_text(deadline.last_day) if deadline.last_day else ""
            if not text["late_reason"]:
                out.append(Finding("late_reason", _(
                    "The last day to submit this certificate was %(day)s. Write why it is "
                    "submitted late: the validator decides whether the reason is accepted.")
                    % {"day": last}))
            elif deadline.last_day is not None:
                out.append(_flag("late_reason", "late_justified",
                                 day=deadline.last_day.isoformat()))
        days = rules.days_inclusive(start, end)
        limit = rules.online_limit_finding(days=days, max_days=pack.certificate_online_max_days)
        if limit is not None:
            checked.in_person = True
            out.append(limit)
        checked.becomes_official = rules.becomes_official(
            days=days, over_days=pack.certificate_official_over_days)
        # Another certificate of the same person for some of the same days: flagged to
        # the validator (it may be a continuation), never silently accepted.
        for other in other_rests:
            if rules.overlaps(start, end, other.start, other.end):
                out.append(_flag("rest_start", "overlap", reference=other.reference,
                                 start=other.start.isoformat(), end=other.end.isoformat()))
    return checked
