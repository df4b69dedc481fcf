"""What the certificate pages show: the check page's findings (each linking to its field)
and answers, the submission with the kept files, the employer's check page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.certificates import rules
from ventanilla.certificates import services as certificate_services
from ventanilla.certificates.errors import (
    CertificateRefused,
    IdempotencyKeyReused,
    PatientNotAllowed,
)
from ventanilla.certificates.icd10 import icd10_lookup
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.rules import Finding
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.core.i18n import country_names
from ventanilla.countries.registry import get_pack

from . import certificate_steps as steps
from . import certificate_uploads as kept_files
from .forms_certificates import days_in_words, language_choices

VERIFY_PATH = "/certificados/verificar/"


def verify_path() -> str:
    """The employer's check page (its URL is the public site's; the literal path until it
    is mounted)."""
    for name in ("web:certificate_verify", "registration:certificate_verify"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return VERIFY_PATH


def add_findings(form, findings) -> None:
    """Each finding under the field it names (or above the form)."""
    for finding in findings:
        target = finding.field if finding.field in form.fields else None
        form.add_error(target, str(finding.message))


def icd10_description(answer) -> dict:
    """The official description and its language (the classification's English one is
    marked as English on a Spanish page)."""
    return {"text": answer.description,
            "lang": getattr(answer, "description_language", "") or "en"}


def icd10_texts() -> dict:
    """What the autocomplete says (js/icd10-autocomplete.js fills the placeholders in)."""
    return {"results": _("%(count)s matching codes"),
            "none": _("No code matches. Check the code on the certificate."),
            "chosen": _("You chose this code:"),
            "choose": _("Matching codes")}


@dataclass
class Review:
    problems: list[dict] = field(default_factory=list)   # blocking: {"text", "href"}
    flags: list[dict] = field(default_factory=list)      # for the validator
    in_person: str = ""        # R-CER-04: too long to validate online
    late: bool = False         # R-CER-04: asks for the written justification
    becomes_official: bool = False
    late_problem: str = ""     # the justification is missing

    @property
    def may_submit(self) -> bool:
        return not self.problems and not self.in_person


def review(checked, draft: dict, pack, *, extra=()) -> Review:
    """Every finding of the checks (and of a refused submission, ``extra``) with the page
    that fixes it; the in-person limit on its own."""
    limit = steps.in_person_finding(checked, pack)
    findings = [steps.named(f) for f in checked.findings]
    for finding in extra:
        finding = steps.named(finding)
        if finding not in findings:
            findings.append(finding)
    out = Review(in_person=str(limit.message) if limit else "", late=checked.late,
                 becomes_official=checked.becomes_official)
    code = checked.icd10.code if checked.icd10 is not None else None
    if code and draft.get("icd10_confirmed") != code:
        out.problems.append({"text": _("Confirm that code %(code)s, with its description, "
                                       "is the one on the certificate.") % {"code": code},
                             "href": steps.step_url("codigo", review=True)})
    for finding in findings:
        if limit is not None and finding == limit:
            continue
        item = {"text": str(finding.message), "href": steps.finding_href(finding)}
        if finding.field == "late_reason" and finding.blocking:
            out.late_problem = str(finding.message)
        (out.problems if finding.blocking else out.flags).append(item)
    return out


def _files(draft: dict, pack) -> dict:
    out = {}
    for role, kept in (draft.get("files") or {}).items():
        if role not in steps.STEP_OF_ROLE or not steps.applies(steps.STEP_OF_ROLE[role],
                                                               draft, pack):
            continue
        data = kept_files.upload_read(kept)
        if data:
            out[role] = certificate_services.Upload(data, kept.get("name", ""))
    return out


def submit(person, patient, draft: dict, key: str):
    """Submit with the kept files; ``(certificate, [])`` or ``(None, findings)``."""
    pack = get_pack(patient.country)
    try:
        cert = certificate_services.certificate_submit(
            submitter=person, patient=patient, data=steps.draft_input(draft),
            files=_files(draft, pack), channel=Channel.WEB, idempotency_key=key)
    except CertificateRefused as exc:
        return None, list(exc.findings)
    except PatientNotAllowed as exc:
        return None, [Finding("patient", str(exc.message))]
    except IdempotencyKeyReused as exc:
        return None, [Finding("", str(exc.message))]
    return cert, []


# --- the answers, with their "Change" links ---------------------------------------------------

def _day(text: str | None) -> str:
    """A date as the pages write it ("7 December 2026"), so a day and a month typed the
    wrong way round show; what cannot be read, as typed."""
    try:
        return day_text(rules.parse_day(text or ""))
    except rules.DateUnreadable:
        return text or ""


def _row(key, value, slug: str, anchor: str = "") -> dict:
    return {"key": key, "value": value if value not in (None, "") else _("Not given"),
            "href": steps.step_url(slug, review=True, anchor=anchor)}


def kind_label(kind: str) -> str:
    return str(dict(Certificate.Kind.choices).get(kind, kind))


def where_issued(country: str, language: str, pack) -> str:
    if not country or country.upper() == pack.code:
        return pack.name
    names = country_names(get_language() or "es")
    place = names.get(country.upper(), country)
    tongue = dict(language_choices()).get(language, language)
    return _("%(country)s, in %(language)s") % {"country": place, "language": tongue}


def sections(draft: dict, patient, pack) -> list[dict]:
    d = draft.get("data") or {}
    answer = icd10_lookup(d.get("icd10_code", ""))
    code = (f"{answer.code} – {answer.description}" if answer.valid
            else d.get("icd10_code", ""))
    out = [
        {"title": _("Who is on sick leave?"), "rows": [
            _row(_("Patient"), patient.full_name, "quien", "id_patient_0")]},
        {"title": _("The certificate"), "rows": [
            _row(_("Kind"), kind_label(d.get("kind", "")) if d.get("kind") else "", "tipo",
                 "id_kind_0"),
            _row(_("Issued in"), where_issued(d.get("issued_country", ""),
                                              d.get("language", "es"), pack)
                 if d.get("issued_country") else "", "tipo", "id_abroad_0")]},
        {"title": _("The doctor who issued it"), "rows": [
            _row(_("Doctor's full name"), d.get("doctor_name"), "medico", "id_doctor_name"),
            _row(_("Doctor's specialty"), d.get("doctor_specialty"), "medico",
                 "id_doctor_specialty"),
            _row(_("Hospital, clinic or practice"), d.get("establishment"), "medico",
                 "id_establishment"),
            _row(_("Doctor's e-mail address"), d.get("doctor_email"), "medico",
                 "id_doctor_email"),
            _row(_("Doctor's registration code"), d.get("doctor_registration"), "medico",
                 "id_doctor_registration"),
            _row(_("Establishment's phone number"), d.get("establishment_phone"), "medico",
                 "id_establishment_phone"),
            _row(_("Establishment's address"), d.get("establishment_address"), "medico",
                 "id_establishment_address"),
            _row(_("Place of issue"), d.get("issued_place"), "medico", "id_issued_place"),
            _row(_("Issue date"), _day(d.get("issued_on")), "medico", "id_issued_on")]},
        {"title": _("The patient and the diagnosis"), "rows": [
            _row(_("Patient's full names"), d.get("patient_names"), "paciente",
                 "id_patient_names"),
            _row(_("Patient's ID number"), d.get("patient_id_number"), "paciente",
                 "id_patient_id_number"),
            _row(_("Diagnosis"), d.get("diagnosis"), "paciente", "id_diagnosis"),
            _row(_("ICD-10 code"), code, "paciente", "id_icd10_code")]},
        {"title": _("The days of rest"), "rows": [
            _row(_("First day of rest"), _day(d.get("rest_start")), "dias", "id_rest_start"),
            _row(_("Last day of rest"), _day(d.get("rest_end")), "dias", "id_rest_end"),
            _row(_("Number of days of rest"), d.get("rest_days"), "dias", "id_rest_days"),
            *([_row(_("Number of days of rest in words"), d.get("rest_days_words"), "dias",
                    "id_rest_days_words")]
              if days_in_words(pack, abroad=steps.is_abroad(draft, pack)) else [])]},
    ]
    if d.get("kind") == "hospitalisation":
        out.append({"title": _("The hospital stay"), "rows": [
            _row(_("Date of admission"), _day(d.get("admitted_on")), "detalles", "id_admitted_on"),
            _row(_("Date of discharge"), _day(d.get("discharged_on")), "detalles",
                 "id_discharged_on"),
            _row(_("Procedure performed"), d.get("procedure"), "detalles", "id_procedure")]})
    elif d.get("kind") == "maternity":
        yes_no = {"yes": _("Yes"), "no": _("No")}
        sexes = {"female": _("Female"), "male": _("Male"), "undetermined": _("Undetermined")}
        out.append({"title": _("The birth"), "rows": [
            _row(_("Date of delivery"), _day(d.get("delivered_on")), "detalles", "id_delivered_on"),
            _row(_("Was the baby born alive?"), yes_no.get(d.get("live_birth", ""), ""),
                 "detalles", "id_live_birth_0"),
            _row(_("Weeks of pregnancy at delivery"), d.get("pregnancy_weeks"), "detalles",
                 "id_pregnancy_weeks"),
            _row(_("Baby's sex"), sexes.get(d.get("baby_sex", ""), ""), "detalles",
                 "id_baby_sex_0")]})
    files = draft.get("files") or {}
    rows = []
    for role, label in (("scan", _("The certificate")), ("apostille", _("The apostille")),
                        ("translation", _("The official translation"))):
        slug = steps.STEP_OF_ROLE[role]
        if not steps.applies(slug, draft, pack):
            continue
        kept = files.get(role)
        name = kept.get("name") if kept and kept_files.upload_exists(kept) else ""
        rows.append(_row(label, name or _("Not uploaded"), slug, f"id_{role}"))
    out.append({"title": _("Files"), "rows": rows})
    return out
