"""Sick-leave certificates through the API (R-CER-01..05): thin adapters over the services.

- The person (an affiliate's token or portal session): submit for themself or a dependant,
  check without storing, list and read their own (their own health data, the diagnosis
  included), correct one sent back, and download the receipt of a validated one. Another
  person's certificate answers 404, exactly like one that does not exist.
- The validators (a staff session, CSRF-checked): the queue of their country, one
  certificate (every view audited) and the three decisions, each audited by its service.
- The employer (no sign-in): ``POST /verify``, whether a certificate is validated and for
  which days, never the diagnosis.

Literal paths (``/verify``, ``/check``, ``/queue``) are declared before ``/{reference}``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ventanilla.accounts.api.auth import AFFILIATE_AUTH, StaffSession, actor_of, person_of
from ventanilla.accounts.authz import staff_acting
from ventanilla.core.api_contract import errors
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import Conflict, ValidationFailed
from ventanilla.countries.registry import get_pack

from .. import selectors, services
from ..checks import CertificateIn
from ..errors import PatientNotAllowed
from ..models import Certificate
from ..services.review import REVIEW
from .schemas import (
    CertificateCheckIn,
    CertificateCheckOut,
    CertificateFormIn,
    CertificateOut,
    CertificateQueueOut,
    CertificateQueueQuery,
    CertificateRejectIn,
    CertificateReturnIn,
    CertificateSummaryOut,
    CertificateValidateIn,
    CertificateVerifiedOut,
    CertificateVerifyIn,
)
from .shapes import certificate_out, check_out, queue_item_out, summary_out, verified_out

router = Router(tags=["certificates"])
_person_or_staff = [*AFFILIATE_AUTH, StaffSession()]
Upload = File[UploadedFile | None]   # each may be left out
_PDF = {"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}}


class ReceiptNotReady(Conflict):
    code = "CERTIFICATE_NOT_VALIDATED"
    default_message = _("The receipt exists once the certificate is validated.")


def _channel(request) -> Channel:
    return Channel.API if request.headers.get("Authorization") else Channel.WEB


def _patient(person, patient_id):
    """The person on leave: the signed-in person or one of their dependants. Anyone else
    is refused alike, whether or not they exist."""
    if patient_id is None or patient_id == person.public_id:
        return person
    patient = selectors.patients_of(person).filter(public_id=patient_id).first()
    if patient is None:
        raise PatientNotAllowed(field="patient")
    return patient


def _typed(payload) -> CertificateIn:
    return CertificateIn.of(payload.dict(exclude={"patient", "has_scan", "has_apostille",
                                                  "has_translation"}))


def _uploads(**files: UploadedFile | None) -> dict[str, services.Upload | None]:
    """The files as the services take them; one byte past the limit is enough to refuse a
    file too large without reading all of it."""
    return {role: (services.Upload(f.read(settings.UPLOAD_MAX_BYTES + 1), f.name or "")
                   if f is not None else None) for role, f in files.items()}


def _own(request, reference: str) -> Certificate:
    return selectors.certificate_get_for(person_of(request), reference)


def _for_staff(request, reference: str, *, perm: str) -> Certificate:
    return selectors.certificate_get_for_staff(actor_of(request), reference, perm=perm)


# --- the employer ---------------------------------------------------------------------------

@router.post("/verify", response={200: CertificateVerifiedOut, **errors(404, 429)}, auth=None)
def verify(request, payload: CertificateVerifyIn):
    """The employer's check (R-CER-05): whether the certificate with this reference number
    is validated, for which days and, in Peru, its CITT number — never the diagnosis, the
    ICD-10 code, the doctor or the kind of leave. A wrong ID number answers exactly like an
    unknown reference; attempts share the case lookup's limit per address (429).

    POST with a JSON body and no GET: the worker's ID number never travels in a URL, so it
    does not land in access logs, proxies or browser histories."""
    return verified_out(services.certificate_verify(reference=payload.reference,
                                                    id_number=payload.id_number))


# --- the person -------------------------------------------------------------------------------

@router.post("/check", response={200: CertificateCheckOut, **errors(403)},
             auth=AFFILIATE_AUTH)
def check(request, payload: CertificateCheckIn):
    """Every automatic check of a certificate at once (R-CER-03), storing nothing: each
    finding with its field (``blocking: false`` ones are flagged to the validator), the
    official description of a valid ICD-10 code, the R-CER-04 deadline, whether it must be
    validated in person and whether it becomes a CITT. Only for the signed-in person and
    their dependants (403 ``CERTIFICATE_PATIENT_REFUSED`` for anyone else, existing or
    not): it never confirms a name and ID pair to anyone else."""
    person = person_of(request)
    checked = services.certificate_check(
        submitter=person, patient=_patient(person, payload.patient), data=_typed(payload),
        has_scan=payload.has_scan, has_apostille=payload.has_apostille,
        has_translation=payload.has_translation)
    return check_out(checked)


@router.get("", response=list[CertificateSummaryOut], auth=AFFILIATE_AUTH)
def certificates_list(request):
    """The certificates the person submitted and those about them or their dependants,
    the newest first."""
    return [summary_out(c) for c in selectors.certificates_of(person_of(request))[:200]]


@router.post("", response={201: CertificateOut, **errors(403, 409)}, auth=AFFILIATE_AUTH)
def submit(request, payload: Form[CertificateFormIn], scan: Upload = None,
           apostille: Upload = None,
           translation: Upload = None):
    """Submit a private certificate for validation (multipart: the typed fields and the
    ``scan``, a PDF, JPEG, PNG or HEIC read by its content; from abroad the ``apostille``
    and, when not in Spanish, the ``translation``). Every problem is refused at once: 422
    ``CERTIFICATE_INVALID`` with ``fields`` naming each one, and nothing is stored. Send an
    ``Idempotency-Key`` header to retry safely: the same key returns the first submission
    (409 ``IDEMPOTENCY_KEY_REUSED`` when it was used for another patient)."""
    person = person_of(request)
    cert = services.certificate_submit(
        submitter=person, patient=_patient(person, payload.patient), data=_typed(payload),
        files=_uploads(scan=scan, apostille=apostille, translation=translation),
        channel=_channel(request), idempotency_key=request.headers.get("Idempotency-Key"))
    return Status(201, certificate_out(cert))


# --- the validators: the queue (before /{reference}) ----------------------------------------

@router.get("/queue", response={200: CertificateQueueOut, **errors(404)}, auth=StaffSession())
def queue(request, filters: Query[CertificateQueueQuery]):
    """The validators' queue of their country (staff of every country name one), ordered by
    due date with the overdue ones marked; the counts waiting and the oldest due date."""
    actor = staff_acting(request.auth, perm=REVIEW, country=None)  # then its country
    country = getattr(actor, "country", "") or filters.country.upper()
    if not country:
        raise ValidationFailed(_("Choose the country of the queue."), field="country")
    staff_acting(actor, perm=REVIEW, country=country)
    pack = get_pack(country)
    today = pack.today()
    chosen = selectors.QueueFilters(status=filters.status, kind=filters.kind,
                                    centre=filters.centre.strip(),
                                    overdue_only=filters.overdue)
    qs = selectors.queue(pack.code, chosen, today=today)
    start = (filters.page - 1) * filters.per_page
    items = list(qs[start:start + filters.per_page])
    counts = selectors.queue_counts(pack.code, today=today)
    audit_record(actor=actor, action="certificate.view_queue", object_type="certificates.queue",
                 channel=Channel.BACK_OFFICE,
                 details={"country": pack.code, "page": filters.page,
                          "references": [c.case.reference for c in items]})
    return {"items": [queue_item_out(c, today=today) for c in items], "total": qs.count(),
            "page": filters.page, "per_page": filters.per_page, "waiting": counts.waiting,
            "overdue": counts.overdue, "oldest_due": counts.oldest_due}


# --- one certificate ---------------------------------------------------------------------------

@router.get("/{reference}/receipt.pdf", auth=AFFILIATE_AUTH,
            response={200: None, **errors(409)}, openapi_extra=_PDF)
def receipt(request, reference: str):
    """The receipt of a validated certificate (tagged PDF): the dates and days, with a QR
    code to the employer's check; never the diagnosis. 409 until it is validated."""
    from ..receipt import receipt_pdf

    cert = _own(request, reference)
    if cert.status != Certificate.Status.VALIDATED:
        raise ReceiptNotReady()
    response = HttpResponse(receipt_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.case.reference}.pdf"'
    return response


@router.get("/{reference}", response=CertificateOut, auth=_person_or_staff)
def certificate_get(request, reference: str):
    """One certificate: the person's own (any other answers 404 as unknown), or for a
    validator of its country (audited: every staff view is in the audit log)."""
    actor = actor_of(request)
    if actor is not None:
        cert = _for_staff(request, reference, perm="certificates.view_certificate")
        services.certificate_viewed(certificate=cert, actor=actor)
        return certificate_out(cert)
    return certificate_out(_own(request, reference))


@router.post("/{reference}/correction", response={200: CertificateOut, **errors(403, 409)},
             auth=AFFILIATE_AUTH)
def correction(request, reference: str, payload: Form[CertificateFormIn],
               scan: Upload = None,
               apostille: Upload = None,
               translation: Upload = None):
    """Correct a certificate sent back (R-CER-05): the fields sent replace the typed ones
    (the others stay as they were), a file sent replaces its current one (kept as history).
    It goes back to the queue with a new due date; 409 ``CERTIFICATE_NOT_EDITABLE`` unless
    it was sent back. Every problem at once, as on submission (422)."""
    cert = _own(request, reference)
    data = CertificateIn.of({**_as_typed(cert), **payload.dict(
        exclude_unset=True, exclude={"patient"})})
    cert = services.certificate_correct(
        certificate=cert, submitter=person_of(request), data=data,
        files=_uploads(scan=scan, apostille=apostille, translation=translation),
        channel=_channel(request))
    return certificate_out(cert)


def _as_typed(cert: Certificate) -> dict[str, str]:
    """The stored certificate as text, as if typed again (what a correction keeps)."""
    out: dict[str, str] = {}
    for name in CertificateIn.__dataclass_fields__:
        value = getattr(cert, name, "")
        if value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()      # ISO: read back as typed (rules.parse_day)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out[name] = str(value)
    return out


# --- the validators' decisions ---------------------------------------------------------------

@router.post("/{reference}/validate", response={200: CertificateOut, **errors(409)},
             auth=StaffSession())
def validate(request, reference: str, payload: CertificateValidateIn):
    """Validate: every item of the checklist ticked (what only a person can judge on the
    scan; from abroad the apostille and the translation too). In Peru a rest over 20 days
    becomes a CITT with its own number (R-CER-04). 409 once decided or sent back."""
    cert = services.certificate_validate(
        certificate=_for_staff(request, reference, perm=REVIEW), actor=request.auth,
        checklist=payload.checklist)
    return certificate_out(cert)


@router.post("/{reference}/reject", response={200: CertificateOut, **errors(409)},
             auth=StaffSession())
def reject(request, reference: str, payload: CertificateRejectIn):
    """Reject with every failing requirement (R-CER-03): reasons from the list (``other``
    with the validator's own words in ``note``)."""
    cert = services.certificate_reject(
        certificate=_for_staff(request, reference, perm=REVIEW), actor=request.auth,
        reasons=payload.reasons, note=payload.note)
    return certificate_out(cert)


@router.post("/{reference}/return", response={200: CertificateOut, **errors(409)},
             auth=StaffSession())
def send_back(request, reference: str, payload: CertificateReturnIn):
    """Send back for a correction (R-CER-05): the note tells the person what to fix."""
    cert = services.certificate_return(
        certificate=_for_staff(request, reference, perm=REVIEW), actor=request.auth,
        note=payload.note)
    return certificate_out(cert)
