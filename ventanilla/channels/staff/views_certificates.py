"""Back office, the validators' desk (R-CER-01..05): the queue of private certificates of
the validator's country by due date, one certificate per screen (the scan beside what was
typed, the automatic findings, the checklist) and its three outcomes, after which the next
certificate waiting in the same filtered queue opens.

Adapters only: ``certificates.selectors`` read (scoped to the country) and
``certificates.services`` decide and audit. Every rendering of a certificate and every file
served is in the audit log (``certificate_viewed``).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.certificates import selectors, services
from ventanilla.certificates.errors import CertificateNotFound
from ventanilla.certificates.icd10 import icd10_lookup
from ventanilla.certificates.models import Certificate, CertificateFile
from ventanilla.certificates.rules import REJECTION_REASONS
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError, PermissionDenied
from ventanilla.core.i18n import country_names
from ventanilla.countries.registry import all_packs, get_pack
from ventanilla.registration import uploads

from ..web.views import INVALID, apply_errors
from . import forms_certificates as forms
from .views import staff_required

REVIEW = "certificates.review_certificate"
# The queue's filters, carried on every link and form of the desk so that the next
# certificate after a decision is the next one of the same queue.
FILTER_KEYS = ("pais", "estado", "tipo", "centro", "vencidos")
PAGE_SIZE = selectors.QUEUE_PAGE_SIZE
FILE_ORDER = {role: i for i, role in enumerate(CertificateFile.Role.values)}


def _status(exc: DomainError) -> int:
    return exc.status if exc.status != 400 else INVALID


def _filter_query(request: HttpRequest) -> str:
    return urlencode([(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k)])


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _queue_form(request: HttpRequest) -> tuple[forms.CertificateQueueForm, str]:
    """The filters and the country: the validator's own; staff serving every country (a
    national validator) choose one."""
    own = request.user.country  # type: ignore[union-attr]
    data = {k: request.GET[k] for k in FILTER_KEYS if k in request.GET} or None
    default = own or all_packs()[0].code
    form = forms.CertificateQueueForm(data, choose_country=not own,
                                      initial={"estado": Certificate.Status.SUBMITTED,
                                               "pais": default})
    if form.is_bound:
        form.is_valid()   # a wrong value is shown as an error; the other filters still apply
    return form, own or form.country(default)


def _overdue_days(cert: Certificate, today: date) -> int:
    """Days past the due date of a certificate still waiting (0: not overdue)."""
    if cert.status != Certificate.Status.SUBMITTED or cert.due_on is None:
        return 0
    return max((today - cert.due_on).days, 0)


# --- the queue ------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required(REVIEW, raise_exception=True)
def certificate_queue(request: HttpRequest) -> HttpResponse:
    form, country = _queue_form(request)
    today = get_pack(country).today()
    page = selectors.queue_page(country, form.filters(), today=today,
                                after=request.GET.get("despues", "")[:20],
                                before=request.GET.get("antes", "")[:20], size=PAGE_SIZE)
    counts = selectors.queue_counts(country, today=today)
    query = _filter_query(request)
    rows = [{"cert": c, "late": _overdue_days(c, today),
             "status": forms.STAFF_STATUS.get(c.status, c.status),
             "url": _with_query(reverse("staff:certificate", args=[c.case.reference]), query)}
            for c in page.rows]
    audit_record(actor=request.user, action="certificate.queue.view",
                 object_type="certificates.queue", object_id=country,
                 details={"count": len(rows), "subjects": [c.patient.subject_ref
                                                           for c in page.rows]})
    here = reverse("staff:certificates")
    return render(request, "staff/certificates_queue.html", {
        "form": form, "rows": rows, "counts": counts, "pack": get_pack(country),
        "next_url": _with_query(here, urlencode([*parse_qsl(query), ("despues", page.after)]))
        if page.after else "",
        "previous_url": _with_query(here, urlencode([*parse_qsl(query), ("antes", page.before)]))
        if page.before else "",
    }, status=INVALID if form.errors else 200)


# --- one certificate ------------------------------------------------------------------------

def _certificate(request: HttpRequest, reference: str) -> Certificate:
    """The certificate, if this validator may review it; another country's answers 404."""
    try:
        return selectors.certificate_get_for_staff(request.user, reference, perm=REVIEW)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except CertificateNotFound as exc:
        raise Http404 from exc


def _file_shown(cert: Certificate, f: CertificateFile) -> dict:
    serving = uploads.stored_file_serving(f.content_type, name=f.role)
    return {"file": f, "image": f.content_type.startswith("image/"),
            "downloads": serving.as_attachment,
            "url": reverse("staff:certificate_file", args=[cert.case.reference, f.public_id])}


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _decision_forms(cert: Certificate, data=None, action: str = "") -> dict:
    return {
        "validate_form": forms.ValidateForm(data if action == "validar" else None,
                                            certificate=cert),
        "reject_form": forms.RejectForm(data if action == "rechazar" else None),
        "return_form": forms.ReturnForm(data if action == "devolver" else None),
    }


def _page(request: HttpRequest, cert: Certificate, *, decision_forms: dict | None = None,
          errors=(), status: int = 200) -> HttpResponse:
    """Every rendering shows health data, so every rendering is audited."""
    services.certificate_viewed(certificate=cert, actor=request.user)
    pack = get_pack(cert.country)
    today = pack.today()
    query = _filter_query(request)
    form, _country = _queue_form(request)
    files = sorted(cert.files.all(), key=lambda f: (FILE_ORDER.get(f.role, 9), f.created_at))
    following = selectors.queue_after(cert.country, form.filters(), today=today, cert=cert)
    decision_forms = decision_forms or _decision_forms(cert)
    return render(request, "staff/certificate.html", {
        "cert": cert,
        "pack": pack,
        "late": _overdue_days(cert, today),
        "status_label": forms.STAFF_STATUS.get(cert.status, cert.status),
        "files": [_file_shown(cert, f) for f in files if f.is_current],
        "earlier_files": [_file_shown(cert, f) for f in files if not f.is_current],
        "icd10": icd10_lookup(cert.icd10_code),
        "issued_country": country_names(get_language() or "es").get(cert.issued_country,
                                                                    cert.issued_country),
        "language_name": _language_name(cert.language),
        "channel_label": (Channel(cert.channel).label if cert.channel in Channel.values
                          else cert.channel),
        "abroad": cert.issued_country != cert.country,
        "rejection_reasons": [str(REJECTION_REASONS.get(r, r)) for r in cert.rejection_reasons],
        "history": selectors.certificate_history(cert, public_only=False),
        "may_decide": cert.status == Certificate.Status.SUBMITTED,
        "query": query,
        "queue_url": _with_query(reverse("staff:certificates"), query),
        "next_url": _with_query(reverse("staff:certificate", args=[following.case.reference]),
                                query) if following else "",
        "errors": list(errors),
        "page_has_errors": status != 200,
        "decision_form_list": list(decision_forms.values()),
        **decision_forms,
    }, status=status)


@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required(REVIEW, raise_exception=True)
def certificate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _certificate(request, reference))


@never_cache
@require_http_methods(["GET"])
@staff_required
@permission_required(REVIEW, raise_exception=True)
def certificate_file(request: HttpRequest, reference: str, file_id) -> FileResponse:
    """A scan, apostille or translation: an image opens (and shows on the page), a PDF
    downloads; never active content of this origin (``STORED_FILE_HEADERS``)."""
    cert = _certificate(request, reference)
    found = selectors.file_get(cert, file_id)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except OSError as exc:   # a file missing on disk: not found, never a 500
        raise Http404 from exc
    services.certificate_viewed(certificate=cert, actor=request.user, what="file",
                                file=str(found.public_id), role=found.role)
    serving = uploads.stored_file_serving(found.content_type,
                                          name=f"{cert.case.reference}-{found.role}")
    response = FileResponse(handle, content_type=serving.content_type,
                            as_attachment=serving.as_attachment, filename=serving.filename)
    for header, value in uploads.STORED_FILE_HEADERS.items():
        response[header] = value
    return response


# --- the three outcomes ---------------------------------------------------------------------

DONE = {
    "validar": lambda c: (_("Certificate %(reference)s is validated. It became incapacity "
                            "certificate %(number)s.")
                          if c.official_number else _("Certificate %(reference)s is "
                                                      "validated."))
    % {"reference": c.case.reference, "number": c.official_number},
    "rechazar": lambda c: _("Certificate %(reference)s is rejected. The person is told every "
                            "reason.") % {"reference": c.case.reference},
    "devolver": lambda c: _("Certificate %(reference)s is sent back to the person for a "
                            "correction.") % {"reference": c.case.reference},
}


def _decide(action: str, cert: Certificate, form, actor) -> Certificate:
    data = form.cleaned_data
    if action == "validar":
        return services.certificate_validate(certificate=cert, actor=actor,
                                             checklist=data["checklist"])
    if action == "rechazar":
        return services.certificate_reject(certificate=cert, actor=actor,
                                           reasons=data["reasons"], note=data["note"] or "")
    return services.certificate_return(certificate=cert, actor=actor, note=data["note"] or "")


@require_POST
@staff_required
@permission_required(REVIEW, raise_exception=True)
def certificate_decide(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    if action not in DONE:
        raise Http404
    cert = _certificate(request, reference)
    decision_forms = _decision_forms(cert, request.POST, action)
    form = next(f for f in decision_forms.values() if f.is_bound)
    if not form.is_valid():
        return _page(request, cert, decision_forms=decision_forms, status=INVALID)
    try:
        done = _decide(action, cert, form, request.user)
    except DomainError as exc:
        if set(exc.fields) & set(form.fields):
            apply_errors(form, exc)
            errors = []
        else:   # decided meanwhile by someone else, or not allowed: above everything
            errors = [str(exc.message)]
        cert.refresh_from_db()
        return _page(request, cert, decision_forms=decision_forms, errors=errors,
                     status=_status(exc))
    form_filters, _country = _queue_form(request)
    following = selectors.queue_next(cert.country, form_filters.filters(),
                                     today=get_pack(cert.country).today(), after=done)
    query = _filter_query(request)
    if following is None:
        then = _("No more certificates are waiting in this queue.")
        messages.success(request, f"{DONE[action](done)} {then}")
        return redirect(_with_query(reverse("staff:certificates"), query))
    then = _("This is the next certificate waiting.")
    messages.success(request, f"{DONE[action](done)} {then}")
    return redirect(_with_query(reverse("staff:certificate", args=[following.case.reference]),
                                query))
