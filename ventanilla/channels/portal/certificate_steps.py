"""A certificate being typed in the portal: its steps, the answers kept in the session, and
where each finding of the automatic checks is fixed.

The answers are kept in the session (``SESSION_KEY``) as the service's field names, as
typed, so going back never loses one; the files are kept by ``certificate_uploads``. Each
field of the service (``Finding.field``) is asked by exactly one step (``STEP_OF_FIELD``),
so every finding links to the page and the field that fixes it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.certificates import rules
from ventanilla.certificates.checks import CertificateIn
from ventanilla.certificates.rules import Finding

from . import certificate_uploads

SESSION_KEY = "portal_certificate"


@dataclass(frozen=True)
class Step:
    slug: str
    title: object            # a lazy string: the page's title and heading
    fields: tuple[str, ...]  # the service's fields this step asks
    url_name: str = "portal:certificate_step"


STEPS: tuple[Step, ...] = (
    Step("quien", gettext_lazy("Who is on sick leave?"), ("patient",),
         "portal:certificate_new"),
    Step("tipo", gettext_lazy("The certificate"), ("kind", "issued_country", "language")),
    Step("medico", gettext_lazy("The doctor who issued it"),
         ("doctor_name", "doctor_specialty", "establishment", "doctor_email",
          "doctor_registration", "establishment_phone", "establishment_address",
          "issued_place", "issued_on")),
    Step("paciente", gettext_lazy("The patient and the diagnosis"),
         ("patient_names", "patient_id_number", "diagnosis", "icd10_code")),
    Step("codigo", gettext_lazy("Check the diagnosis code"), ()),
    Step("dias", gettext_lazy("The days of rest"),
         ("rest_start", "rest_end", "rest_days", "rest_days_words")),
    Step("detalles", gettext_lazy("The hospital stay or the birth"),
         ("admitted_on", "discharged_on", "procedure", "delivered_on", "live_birth",
          "pregnancy_weeks", "baby_sex")),
    Step("certificado", gettext_lazy("Upload the certificate"), ("scan",),
         "portal:certificate_upload"),
    Step("apostilla", gettext_lazy("Upload the apostille"), ("apostille",),
         "portal:certificate_upload"),
    Step("traduccion", gettext_lazy("Upload the official translation"), ("translation",),
         "portal:certificate_upload"),
    Step("revisar", gettext_lazy("Check your answers before submitting the certificate"),
         ("late_reason",), "portal:certificate_check"),
)
BY_SLUG = {s.slug: s for s in STEPS}
STEP_OF_FIELD = {name: s.slug for s in STEPS for name in s.fields}
ROLE_OF_STEP = {"certificado": "scan", "apostilla": "apostille", "traduccion": "translation"}
STEP_OF_ROLE = {role: slug for slug, role in ROLE_OF_STEP.items()}
# Fields asked with radio buttons: the error links to the first one.
RADIOS = {"patient", "kind", "live_birth", "baby_sex", "abroad", "confirmed"}
DETAIL_FIELDS = {
    "hospitalisation": ("admitted_on", "discharged_on", "procedure"),
    "maternity": ("delivered_on", "live_birth", "pregnancy_weeks", "baby_sex"),
}


# --- the draft in the session ----------------------------------------------------------------

def draft_get(request) -> dict | None:
    draft = request.session.get(SESSION_KEY)
    return draft if isinstance(draft, dict) and draft.get("patient") else None


def draft_save(request, draft: dict) -> None:
    request.session[SESSION_KEY] = draft
    request.session.modified = True


def draft_start(request, patient) -> dict:
    """The draft, now for ``patient`` (who is on leave can be changed without losing the
    other answers; the check page then holds them against that person's ID card)."""
    draft = draft_get(request) or {"data": {}, "files": {}, "icd10_confirmed": "", "key": ""}
    draft["patient"] = str(patient.public_id)
    draft_save(request, draft)
    return draft


def draft_clear(request) -> None:
    old = request.session.pop(SESSION_KEY, None)
    if isinstance(old, dict):
        for kept in (old.get("files") or {}).values():
            certificate_uploads.upload_forget(kept)
    request.session.modified = True


def draft_key(request, draft: dict) -> str:
    """The idempotency key of this submission, made when the check page is first shown:
    a double click or a refresh submits it once."""
    if not draft.get("key"):
        draft["key"] = f"portal-{secrets.token_urlsafe(24)}"
        draft_save(request, draft)
    return draft["key"]


def draft_input(draft: dict, **changes) -> CertificateIn:
    return CertificateIn.of({**(draft.get("data") or {}), **changes})


def is_abroad(draft: dict, pack) -> bool:
    country = (draft.get("data") or {}).get("issued_country", "")
    return bool(country) and country.upper() != pack.code


# --- which steps, in which order --------------------------------------------------------------

def applies(slug: str, draft: dict, pack) -> bool:
    data = draft.get("data") or {}
    if slug == "detalles":
        return data.get("kind") in DETAIL_FIELDS
    if slug == "codigo":
        return False   # reached from the patient step only, never by "Back" or "Continue"
    if slug == "apostilla":
        return is_abroad(draft, pack)
    if slug == "traduccion":
        return is_abroad(draft, pack) and (data.get("language") or "es") != "es"
    return True


def steps_for(draft: dict, pack) -> list[Step]:
    return [s for s in STEPS if applies(s.slug, draft, pack)]


def step_url(slug: str, *, review: bool = False, anchor: str = "") -> str:
    step = BY_SLUG[slug]
    if step.url_name in ("portal:certificate_step", "portal:certificate_upload"):
        url = reverse(step.url_name, args=[slug])
    else:
        url = reverse(step.url_name)
    if review and slug != "revisar":
        url += "?revisar=1"
    return url + (f"#{anchor}" if anchor else "")


def next_url(slug: str, draft: dict, pack, *, review: bool = False) -> str:
    """The next page: the check page when changing an answer from it, else the next step
    that applies."""
    if review:
        return step_url("revisar")
    order = [s.slug for s in steps_for(draft, pack)]
    if slug == "codigo":
        slug = "paciente"
    at = order.index(slug) if slug in order else -1
    return step_url(order[at + 1] if at + 1 < len(order) else "revisar")


def back_url(slug: str, draft: dict | None, pack) -> str:
    if draft is None or slug == "quien":
        return reverse("portal:certificates")
    if slug == "codigo":
        return step_url("paciente")
    order = [s.slug for s in steps_for(draft, pack)]
    at = order.index(slug) if slug in order else len(order)
    return step_url(order[at - 1]) if at > 0 else reverse("portal:certificates")


def field_anchor(name: str) -> str:
    return f"id_{name}_0" if name in RADIOS else f"id_{name}"


def finding_href(finding: Finding) -> str:
    slug = STEP_OF_FIELD.get(finding.field)
    if slug is None:
        return ""
    return step_url(slug, review=True, anchor=field_anchor(finding.field))


# --- the messages, each naming its field ------------------------------------------------------

def _date_messages() -> dict[str, str]:
    return {
        "issued_on": _("Enter the issue date as day/month/year, for example 07/12/2026."),
        "rest_start": _("Enter the first day of rest as day/month/year, for example "
                        "07/12/2026."),
        "rest_end": _("Enter the last day of rest as day/month/year, for example "
                      "07/12/2026."),
        "admitted_on": _("Enter the date of admission as day/month/year, for example "
                         "07/12/2026."),
        "discharged_on": _("Enter the date of discharge as day/month/year, for example "
                           "07/12/2026."),
        "delivered_on": _("Enter the date of delivery as day/month/year, for example "
                          "07/12/2026."),
    }


def named(finding: Finding) -> Finding:
    """The checks say "Enter the date as day/month/year" under each date; in a list of
    problems the message must say which date."""
    generic = _("Enter the date as day/month/year, for example 07/12/2026.")
    if str(finding.message) == generic and finding.field in _date_messages():
        return Finding(finding.field, _date_messages()[finding.field], finding.blocking)
    return finding


def in_person_finding(checked, pack) -> Finding | None:
    """R-CER-04: the finding that says the rest is too long to validate online (not a
    problem of any one answer: the check page offers the visit instead)."""
    start, end = checked.values.get("rest_start"), checked.values.get("rest_end")
    if not checked.in_person or not start or not end:
        return None
    return rules.online_limit_finding(days=rules.days_inclusive(start, end),
                                      max_days=pack.certificate_online_max_days)


def step_findings(checked, slug: str, pack) -> list[Finding]:
    """The refusals a step can fix (its own fields; the in-person limit is the check
    page's)."""
    limit = in_person_finding(checked, pack)
    fields = set(BY_SLUG[slug].fields)
    return [named(f) for f in checked.refusals if f.field in fields and f != limit]
