"""The person's certificates in the portal: the list (their own and their dependants'),
one certificate with its history and outcome, the receipt of a validated one, and the
correction of one sent back (R-CER-05: corrected, not started again). Another person's
reference answers as one that does not exist. The steps of a new certificate are
``views_certificate_new``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ventanilla.cases.selectors import case_history
from ventanilla.certificates import rules
from ventanilla.certificates import selectors as certificate_selectors
from ventanilla.certificates import services as certificate_services
from ventanilla.certificates.checks import CertificateIn
from ventanilla.certificates.errors import CertificateNotFound, CertificateRefused
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack

from ..web.views import INVALID
from . import certificate_pages as pages
from . import certificate_steps as steps
from . import certificate_uploads as kept_files
from . import forms_certificates as cforms
from .views import _render, affiliate_required

STATUS_TAGS = {"submitted": "blue", "returned": "orange", "validated": "green",
               "rejected": "red"}
CORRECTION_KEY = "portal_certificate_correction"


def _own(person, reference: str):
    try:
        return certificate_selectors.certificate_get_for(person, reference)
    except CertificateNotFound as exc:
        raise Http404 from exc


@affiliate_required
def certificates(request, person):
    rows = [{"cert": c, "tag": STATUS_TAGS.get(c.status, "grey"),
             "status": c.get_status_display(), "kind": c.get_kind_display()}
            for c in certificate_selectors.certificates_of(person)[:100]]
    draft = steps.draft_get(request)
    return _render(request, "portal/certificates/list.html", {
        "rows": rows, "draft": draft})


@affiliate_required
def certificate(request, person, reference: str):
    cert = _own(person, reference)
    pack = get_pack(cert.country)
    reasons = [str(rules.REJECTION_REASONS[code]) for code in cert.rejection_reasons or ()
               if code in rules.REJECTION_REASONS]
    return _render(request, "portal/certificates/detail.html", {
        "cert": cert, "tag": STATUS_TAGS.get(cert.status, "grey"),
        # the case's "opened" event is the submission itself
        "history": [e for e in case_history(cert.case) if e["code"] != "opened"],
        "reasons": reasons,
        "kind": cert.get_kind_display(), "pack": pack,
        "issued_in": pages.where_issued(cert.issued_country, cert.language, pack),
        "verify_url": pages.verify_path(),
        "working_days": pack.certificate_review_working_days})


@affiliate_required
def certificate_receipt(request, person, reference: str):
    """The receipt of a validated certificate (no diagnosis on it), for the employer."""
    from ventanilla.certificates.receipt import receipt_pdf

    cert = _own(person, reference)
    if cert.status != cert.Status.VALIDATED:
        raise Http404
    response = HttpResponse(receipt_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificado-{cert.case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _initial(cert, pack) -> dict:
    day = "%d/%m/%Y"
    abroad = cert.issued_country != pack.code
    out = {name: getattr(cert, name) or "" for name in (
        "kind", "doctor_name", "doctor_specialty", "establishment", "doctor_email",
        "doctor_registration", "establishment_phone", "establishment_address",
        "issued_place", "issued_country", "language", "patient_names", "patient_id_number",
        "diagnosis", "icd10_code", "procedure", "baby_sex", "late_reason",
        "rest_days_words")}
    for name in ("issued_on", "rest_start", "rest_end", "admitted_on", "discharged_on",
                 "delivered_on"):
        value = getattr(cert, name)
        out[name] = value.strftime(day) if value else ""
    out["rest_days"] = str(cert.rest_days)
    out["pregnancy_weeks"] = str(cert.pregnancy_weeks or "")
    out["live_birth"] = {True: "yes", False: "no"}.get(cert.live_birth, "")
    out["abroad"] = "yes" if abroad else "no"
    if not abroad:
        out["issued_country"] = ""
    return out


def _correction_files(request, reference: str) -> dict:
    store = request.session.get(CORRECTION_KEY) or {}
    return dict(store.get(reference) or {})


def _correction_files_save(request, reference: str, files: dict | None) -> None:
    store = dict(request.session.get(CORRECTION_KEY) or {})
    if files:
        store[reference] = files
    else:
        for kept in (store.pop(reference, None) or {}).values():
            kept_files.upload_forget(kept)
    request.session[CORRECTION_KEY] = store


@affiliate_required
@require_http_methods(["GET", "POST"])
def certificate_correct(request, person, reference: str):
    """A certificate sent back: every answer on one page, pre-filled, and the files to
    replace; submitted again with every finding at the top when something is wrong. A file
    that passed its own check is kept while the rest is corrected."""
    cert = _own(person, reference)
    if cert.status != cert.Status.RETURNED:
        messages.error(request, _("This certificate is not waiting for a correction."))
        return redirect("portal:certificate", reference=cert.case.reference)
    pack = get_pack(cert.country)
    initial = _initial(cert, pack)
    posted = request.POST if request.method == "POST" else None
    kind = (posted or {}).get("kind") or cert.kind
    abroad = ((posted or {}).get("abroad") or initial["abroad"]) == "yes"
    language = (posted or {}).get("language") or cert.language
    form = cforms.CorrectionForm(posted, request.FILES or None, pack=pack,
                                 patient=cert.patient, kind=kind, abroad=abroad,
                                 language=language, initial=initial)
    kept = _correction_files(request, cert.case.reference)
    findings: list = []
    if request.method == "POST" and form.is_valid():
        data = {k: "" if v is None else str(v) for k, v in form.cleaned_data.items()
                if k in CertificateIn.__dataclass_fields__}
        for role in ("scan", "apostille", "translation"):
            upload = form.cleaned_data.get(role)
            if not upload:
                continue
            try:
                new = kept_files.upload_keep(data=upload.read(settings.UPLOAD_MAX_BYTES + 1),
                                             filename=upload.name, role=role)
            except kept_files.UploadInvalid as exc:
                findings.append(rules.Finding(role, str(exc.message)))
            else:
                kept_files.upload_forget(kept.get(role))
                kept[role] = new
        _correction_files_save(request, cert.case.reference, kept)
        files: dict[str, certificate_services.Upload | None] = {}
        for role, item in kept.items():
            if role in form.fields and (content := kept_files.upload_read(item)):
                files[role] = certificate_services.Upload(content, item.get("name", ""))
        try:
            if findings:   # a refused file: with every other problem, all at once
                current = certificate_selectors.current_files(cert)
                checked = certificate_services.certificate_check(
                    submitter=person, patient=cert.patient, data=CertificateIn.of(data),
                    exclude=cert, has_scan=True,
                    has_apostille="apostille" in current or "apostille" in files,
                    has_translation="translation" in current or "translation" in files)
                raise CertificateRefused([*findings, *checked.refusals])
            certificate_services.certificate_correct(
                certificate=cert, submitter=person, data=CertificateIn.of(data), files=files,
                channel=Channel.WEB)
        except CertificateRefused as exc:
            for finding in exc.findings:
                if finding not in findings:
                    findings.append(finding)
            pages.add_findings(form, [steps.named(f) for f in findings])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            _correction_files_save(request, cert.case.reference, None)
            messages.success(request, _("Your correction is sent. A validator checks the "
                                        "certificate again."))
            return redirect("portal:certificate", reference=cert.case.reference)
    return _render(request, "portal/certificates/correct.html", {
        "form": form, "cert": cert, "kept": {r: k for r, k in kept.items()
                                             if kept_files.upload_exists(k)},
        "details": cforms.details_form_class(kind) is not None, "kind": kind},
        status=INVALID if form.errors else 200)
