"""The employer's check of a sick-leave certificate (R-CER-05), a public page: the
reference and the worker's ID number show whether the certificate is validated, for which
days and, in Peru, its CITT number — never the diagnosis, its code or the doctor (LOPDP
art. 26, Ley 29733). The service answers a wrong ID number exactly like an unknown
reference and counts every attempt against the case lookup's limit (429)."""

from __future__ import annotations

from django.views.decorators.http import require_http_methods

from ventanilla.certificates.services import certificate_verify as verify_service
from ventanilla.core.errors import DomainError

from . import forms
from .views import INVALID, _render


@require_http_methods(["GET", "POST"])
def certificate_verify(request):
    """The receipt's QR code links here with ``?reference=`` (never the ID number, which
    travels only in the POST body, out of access logs)."""
    if request.method == "POST":
        form = forms.CertificateVerifyForm(request.POST)
    else:
        form = forms.CertificateVerifyForm(
            initial={"reference": request.GET.get("reference", "")[:20].strip()})
    seen, status, retry_after = None, 200, None
    if request.method == "POST" and form.is_valid():
        try:
            seen = verify_service(reference=form.cleaned_data["reference"],
                                  id_number=form.cleaned_data["id_number"])
        except DomainError as exc:
            form.add_error("reference", str(exc.message))
            status, retry_after = exc.status, exc.retry_after
    elif form.errors:
        status = INVALID
    response = _render(request, "web/certificate_verify.html", {"form": form, "seen": seen},
                       status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
