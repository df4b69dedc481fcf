"""Back office: the review queue, reviewing an application, registering at the counter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required, user_passes_test
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.accounts.authz import staff_may, staff_serves
from ventanilla.cases.selectors import case_history
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.core.i18n import country_names
from ventanilla.countries.registry import get_pack
from ventanilla.registration import rules as registration_rules
from ventanilla.registration import selectors, services, uploads
from ventanilla.registration.errors import ApplicationNotFound

from ..web import session
from ..web.views import INVALID, apply_errors
from . import forms


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = forms.StaffLoginForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = INVALID
        return response


def logout_view(request):
    from django.contrib.auth import logout

    if request.method == "POST":
        logout(request)
    return redirect("staff:login")


def staff_required(view):
    """Signed in as staff: an affiliate's portal session never opens the back office."""
    return user_passes_test(lambda u: u.is_authenticated and u.is_staff,
                            login_url="staff:login")(view)


@staff_required
def home(request):
    if staff_may(request.user, "registration.review_application"):
        return redirect("staff:queue")
    if staff_may(request.user, "registration.register_in_person"):
        return redirect("staff:counter")
    if staff_may(request.user, "scheduling.add_booking"):  # call centre operators
        return redirect("staff:callcentre")
    if staff_may(request.user, "certificates.review_certificate"):  # validators
        return redirect("staff:certificates")
    if staff_may(request.user, "scheduling.view_booking"):  # a medical centre's clinicians
        return redirect("staff:visits")
    raise Http404


@staff_required
@permission_required("registration.review_application", raise_exception=True)
def queue(request):
    form = forms.QueueFilterForm(request.GET or None, initial={"country": request.user.country})
    country = overdue = None
    if form.is_valid():
        country = form.cleaned_data["country"] or None
        overdue = form.cleaned_data["overdue"]
    elif request.user.country:
        country = request.user.country
    apps = list(selectors.review_queue(country=country, overdue_only=bool(overdue),
                                       actor=request.user)[:200])
    rows = [{"app": a, "overdue": selectors.is_overdue(a)} for a in apps]
    audit_record(actor=request.user, action="queue.view", object_type="registration.queue",
                 object_id=country or "all", details={"count": len(rows)})
    return render(request, "staff/queue.html", {"form": form, "rows": rows,
                                                "now": timezone.now()})


def _staff_app(request, public_id):
    try:
        app = selectors.application_get(public_id)
    except ApplicationNotFound as exc:
        raise Http404 from exc
    if not staff_serves(request.user, app.country):
        raise Http404
    return app


@staff_required
@permission_required("registration.review_application", raise_exception=True)
def application_detail(request, public_id):
    app = _staff_app(request, public_id)
    services.application_open_for_review(application=app, actor=request.user)
    app.refresh_from_db()
    return _detail(request, app)


def _file_shown(doc, *, side=None) -> dict:
    """One stored file as the review page shows it: a thumbnail for a photo; for a PDF (no
    library in the lockfile renders a page) its number of pages and file name."""
    serving = uploads.stored_file_serving(doc.content_type, name=doc.kind)
    shown = {"doc": doc, "side": side, "downloads": serving.as_attachment,
             "image": doc.content_type.startswith("image/"), "pages": None}
    if doc.content_type == "application/pdf":
        try:
            with doc.file.open("rb") as fh:
                shown["pages"] = uploads.pdf_page_count(fh.read())
        except OSError:
            pass  # a missing file: documents_sweep reports it; the page still opens
    return shown


def _detail(request, app, *, forms_with_errors=None, reject_form=None, status=200):
    pack = get_pack(app.country)
    labels = {k.code: k.label for k in pack.all_document_kinds()}
    checklist = selectors.application_checklist(app)
    all_docs = list(app.documents.all())
    docs = []
    for item in checklist:
        if item.kind.provided_by_form:
            continue
        doc = next((d for d in all_docs if d.kind == item.kind.code and d.is_current), None)
        form = (forms_with_errors or {}).get(item.kind.code) or forms.DocumentDecisionForm(
            prefix=item.kind.code)
        back_code = registration_rules.back_kind(item.kind.code)
        history = [d for d in all_docs if d.kind in (item.kind.code, back_code)
                   and not d.is_current]
        files = []
        if item.kind.sides > 1:  # each side with its own preview, one decision for both
            back = next((d for d in all_docs if d.kind == back_code and d.is_current), None)
            files = [_file_shown(d, side=side) for d, side in (
                (doc, pgettext("side of a card", "Front")),
                (back, pgettext("side of a card", "Back"))) if d is not None]
        elif doc is not None:
            files = [_file_shown(doc)]
        docs.append({"item": item, "doc": doc, "form": form, "history": history,
                     "files": files})
    place = ", ".join(s.name for s in reversed(pack.geography.path(app.subdivision_code)))
    return render(request, "staff/application.html", {
        "application": app, "pack": pack, "docs": docs, "place": place,
        "nationality": country_names(get_language() or "es").get(app.nationality, ""),
        "id_label": pack.id_type(app.id_type).label if app.id_type else "",
        "overdue": selectors.is_overdue(app),
        "history": case_history(app.case, public_only=False, kind_labels=labels),
        "reject_form": reject_form or forms.RejectApplicationForm(),
        "page_has_errors": status != 200,
    }, status=status)


@require_POST
@staff_required
@permission_required("registration.review_application", raise_exception=True)
def document_decide(request, public_id, kind):
    app = _staff_app(request, public_id)
    doc = app.documents.filter(kind=kind, is_current=True).first()
    if doc is None:
        raise Http404
    form = forms.DocumentDecisionForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.document_review(document=doc,
                                     accept=form.cleaned_data["decision"] == "accept",
                                     reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("staff:application", public_id=app.public_id)
    app.refresh_from_db()
    return _detail(request, app, forms_with_errors={kind: form}, status=INVALID)


@require_POST
@staff_required
@permission_required("registration.review_application", raise_exception=True)
def application_decide(request, public_id, action):
    app = _staff_app(request, public_id)
    reject_form = None
    try:
        if action == "approve":
            services.application_approve(application=app, actor=request.user)
            messages.success(request, _("Application approved."))
        elif action == "request-changes":
            services.application_request_changes(application=app, actor=request.user)
            messages.success(request, _("Application sent back to the applicant."))
        elif action == "reject":
            reject_form = forms.RejectApplicationForm(request.POST)
            if not reject_form.is_valid():
                return _detail(request, app, reject_form=reject_form, status=INVALID)
            services.application_reject(application=app,
                                        reason=reject_form.cleaned_data["reason"],
                                        actor=request.user)
            messages.success(request, _("Application rejected."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
        app.refresh_from_db()
        return _detail(request, app, reject_form=reject_form, status=exc.status)
    return redirect("staff:application", public_id=app.public_id)


@staff_required
@permission_required("registration.view_application", raise_exception=True)
def document_file(request, public_id, document_id):
    app = _staff_app(request, public_id)
    try:
        doc = selectors.document_get(app, document_id)
    except DomainError as exc:
        raise Http404 from exc
    details = {"kind": doc.kind, "document": str(doc.public_id)}
    if request.GET.get("vista") == "miniatura":
        details["preview"] = True  # seen as a thumbnail on the review page
    audit_record(actor=request.user, action="document.view", obj=app,
                 subject_ref=app.subject_ref, details=details)
    # Never active content of this origin: a PDF downloads, an image opens sandboxed. An
    # <img> on the review page still shows it: a response's own CSP governs only documents
    # (the sandbox), not its use as an image; the page's img-src 'self' allows it.
    serving = uploads.stored_file_serving(doc.content_type,
                                          name=f"{app.case.reference}-{doc.kind}")
    if request.GET.get("vista") == "miniatura" and doc.content_type in ("image/jpeg",
                                                                        "image/png"):
        from django.conf import settings
        from django.http import HttpResponse

        with doc.file.open("rb") as fh:
            try:
                small = uploads.image_thumbnail(fh.read(), doc.content_type,
                                                max_pixels=settings.UPLOAD_MAX_PIXELS)
            except DomainError as exc:
                raise Http404 from exc
        response = HttpResponse(small, content_type=serving.content_type)
        response["Content-Disposition"] = f'inline; filename="{serving.filename}"'
    else:
        response = FileResponse(doc.file.open("rb"), content_type=serving.content_type,
                                as_attachment=serving.as_attachment, filename=serving.filename)
    for header, value in uploads.STORED_FILE_HEADERS.items():
        response[header] = value
    return response


@require_http_methods(["GET", "POST"])
@staff_required
@permission_required("registration.register_in_person", raise_exception=True)
def counter(request):
    """R-REG-02: an agent registers a person at the counter, with the same pages."""
    form = forms.CounterStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_start(
                country=form.cleaned_data["country"], channel=Channel.IN_PERSON,
                email=form.cleaned_data["email"], language=get_language() or "es",
                actor=request.user)
            if form.cleaned_data["email"]:
                services.application_update(application=app, actor=request.user,
                                            answers={"email": form.cleaned_data["email"]})
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session.remember(request, app)
            return redirect("registration:tasks")
    return render(request, "staff/counter.html", {"form": form,
                                                  "page_has_errors": bool(form.errors)},
                  status=INVALID if form.errors else 200)
