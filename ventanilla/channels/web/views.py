"""Online registration, case lookup and card verification: adapters over the services."""

from __future__ import annotations

import functools

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.cases import services as case_services
from ventanilla.cases.models import CaseStatus
from ventanilla.cases.selectors import case_history
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.dates import day_text
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.people import selectors as people_selectors
from ventanilla.registration import rules as registration_rules
from ventanilla.registration import selectors, services
from ventanilla.registration.card import card_pdf
from ventanilla.registration.models import Application

from . import forms, session, steps

INVALID = 422  # a form with errors is re-rendered with this status


def apply_errors(form: django_forms.Form, exc: DomainError) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    fields: dict = exc.fields or {None: exc.message}
    for name, message in fields.items():
        target = name if name in form.fields else None
        if target is None and name in ("id_type",) and "id_number" in form.fields:
            target = "id_number"
        form.add_error(target, str(message))


def _actor(request):
    return request.user if request.user.is_authenticated and request.user.is_staff else None


def application_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        app = session.current(request)
        if app is None:
            return redirect("registration:start")
        needs_code = app.channel != Channel.IN_PERSON and app.email_verified_at is None
        if needs_code and view.__name__ != "email_code":
            return redirect("registration:code")
        actor = _actor(request)
        if actor is not None:  # an agent at the counter reads the person's data: audited
            audit_record(actor=actor, action="application.view", obj=app,
                         subject_ref=app.subject_ref, channel=app.channel,
                         details={"page": view.__name__})
        return view(request, app, *args, **kwargs)
    return wrapper


def _render(request, template, context, *, status=200):
    form = context.get("form")
    context.setdefault("page_has_errors", bool(form is not None and form.errors))
    return render(request, template, context, status=status)


# --- start -------------------------------------------------------------------------------

def home(request):
    return render(request, "web/home.html")


@require_http_methods(["GET", "POST"])
def start(request):
    form = forms.CountryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("registration:email", country=form.cleaned_data["country"])
    packs = []
    from ventanilla.countries.base import Situation
    from ventanilla.countries.registry import all_packs

    for pack in all_packs():
        packs.append((pack, pack.required_documents(Situation(id_type=pack.id_types[0].code))))
    return _render(request, "web/start.html", {"form": form, "packs": packs},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def email(request, country: str):
    pack = get_pack(country)
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_start(
                country=pack.code, channel=Channel.WEB, email=form.cleaned_data["email"],
                language=get_language() or "es")
            services.application_update(application=app,
                                        answers={"email": form.cleaned_data["email"]})
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session.remember(request, app)
            return redirect("registration:code")
    return _render(request, "web/question.html", {
        "form": form, "page_title": form.fields["email"].label, "pack": pack,
        "back_url": reverse("registration:start")},
        status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
@application_required
def email_code(request, app: Application):
    if app.email_verified_at is not None:
        return redirect("registration:tasks")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.application_send_email_code(application=app)
            messages.success(request, _("We sent a new code to %(email)s") % {
                "email": app.email})
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("registration:code")
    if request.method == "POST" and form.is_valid():
        try:
            services.application_confirm_email(application=app, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("registration:tasks")
    return _render(request, "web/code.html", {"form": form, "application": app},
                   status=INVALID if form.errors else 200)


# --- task list and questions -------------------------------------------------------------

def _task_status(app: Application, task: str) -> bool:
    if task in steps.TASK_FIELDS:
        return all(getattr(app, f) for f in steps.TASK_FIELDS[task])
    if task == "situation":
        return app.situation_answered and bool(app.affiliation_type)
    if task == "documents":
        return not any(i.blocks_submission for i in selectors.application_checklist(app))
    return app.status != CaseStatus.DRAFT


@application_required
def task_list(request, app: Application):
    if app.status not in (CaseStatus.DRAFT, CaseStatus.ACTION_REQUIRED):
        return redirect("registration:confirmation")
    tasks = []
    for key, label in steps.TASKS:
        if key == "documents":
            url = reverse("registration:documents")
        elif key == "review":
            url = reverse("registration:check")
        else:
            url = reverse("registration:question", args=[steps.first_step(key).slug])
        tasks.append({"key": key, "label": label, "url": url,
                      "done": _task_status(app, key)})
    done = sum(1 for t in tasks if t["done"])
    return render(request, "web/tasks.html", {
        "application": app, "tasks": tasks, "done": done, "total": len(tasks),
        "pack": get_pack(app.country)})


def _form_for(step: steps.Step, app: Application, request, data=None):
    kwargs = {}
    for name in step.form_kwargs:
        kwargs[name] = app.country if name == "country" else getattr(app, name)
    if step.form is forms.PlaceForm:
        level = step.extra["level"]
        path = _place_path(request, app)
        kwargs["level"] = level
        kwargs["parent"] = path[level - 1] if level > 0 else None
        initial = {"place": path[level] if len(path) > level else ""}
    else:
        initial = {f: getattr(app, f) for f in step.answers}
    form = step.form(data, request.FILES if data is not None else None, initial=initial,
                     **kwargs)
    if step.form is forms.SituationForm:
        pack = get_pack(app.country)
        for q in ("employed_locally", "has_previous_health_card"):
            if q not in pack.situation_questions:
                del form.fields[q]
        if not pack.asks_social_security_number:
            del form.fields["social_security_number"]
    return form


def _answered(step: steps.Step, app: Application, request) -> bool:
    """Whether the answer of ``step`` is known (a place level is in the session until the
    last level is saved)."""
    if step.form is forms.PlaceForm:
        return len(_place_path(request, app)) > step.extra["level"]
    return all(getattr(app, name) not in (None, "") for name in step.answers)


def _place_path(request, app: Application) -> list[str]:
    stored = request.session.get("place_path")
    if stored:
        return list(stored)
    if app.subdivision_code:
        return [s.code for s in get_pack(app.country).geography.path(app.subdivision_code)]
    return []


@require_http_methods(["GET", "POST"])
@application_required
def question(request, app: Application, slug: str):
    step = steps.BY_SLUG.get(slug)
    if step is None:
        raise Http404
    if app.status != CaseStatus.DRAFT:
        return redirect("registration:tasks")
    returning = request.GET.get("volver") == "revisar"
    missing = next((s for s in steps.prerequisites(step)
                    if not _answered(s, app, request)), None)
    if missing is not None:  # opened before the page it is built from (a bookmark, Back)
        return redirect(reverse("registration:question", args=[missing.slug])
                        + ("?volver=revisar" if returning else ""))
    form = _form_for(step, app, request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _save_step(request, app, step, form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            nxt = steps.next_step(step)
            if step.form is forms.PlaceForm and nxt is not None:
                return redirect(reverse("registration:question", args=[nxt.slug])
                                + ("?volver=revisar" if returning else ""))
            if returning:
                return redirect("registration:check")
            if step.slug == "tipo-de-documento":
                return redirect("registration:question", slug="numero-de-documento")
            return redirect("registration:question", slug=nxt.slug) if nxt else redirect(
                "registration:tasks")
    back = reverse("registration:check") if returning else reverse("registration:tasks")
    i = steps.STEPS.index(step)
    if i > 0 and steps.STEPS[i - 1].task == step.task and not returning:
        back = reverse("registration:question", args=[steps.STEPS[i - 1].slug])
    return _render(request, "web/question.html", {
        "form": form, "page_title": step.heading or form.fields[next(iter(form.fields))].label,
        "heading": step.heading, "back_url": back, "application": app,
        "pack": get_pack(app.country)},
        status=INVALID if form.errors else 200)


def _save_step(request, app: Application, step: steps.Step, data: dict) -> None:
    if step.form is forms.PlaceForm:
        level = step.extra["level"]
        path = [*_place_path(request, app)[:level], data["place"]]
        request.session["place_path"] = path
        if level < get_pack(app.country).geography.depth - 1:
            return
        services.application_update(application=app, answers={"subdivision_code": path[-1]},
                                     actor=_actor(request))
        request.session.pop("place_path", None)
        return
    answers = {k: v for k, v in data.items() if k in step.answers}
    services.application_update(application=app, answers=answers, actor=_actor(request))


# --- documents ---------------------------------------------------------------------------

@application_required
def documents(request, app: Application):
    return render(request, "web/documents.html", {
        "application": app, "checklist": selectors.application_checklist(app),
        "pack": get_pack(app.country)})


@require_http_methods(["GET", "POST"])
@application_required
def upload(request, app: Application, kind: str):
    pack = get_pack(app.country)
    doc_kind = pack.document_kind(kind)
    if doc_kind is None or doc_kind.provided_by_form:
        raise Http404
    item = next((i for i in selectors.application_checklist(app) if i.kind.code == kind), None)
    current = app.documents.filter(kind=kind, is_current=True).first()
    current_back = (app.documents.filter(kind=registration_rules.back_kind(kind),
                                         is_current=True).first()
                    if doc_kind.sides > 1 else None)
    form = forms.DocumentUploadForm(request.POST or None, request.FILES or None,
                                    sides=doc_kind.sides, has_front=current is not None)
    if request.method == "POST" and form.is_valid():
        # Front, then back, each through the same service and checks. A refused back leaves
        # the stored front in place and says what to do about the back.
        sent = [(False, form.cleaned_data.get("file")), (True, form.cleaned_data.get("file_back"))]
        try:
            for back, f in sent:
                if f:
                    try:
                        services.document_upload(application=app, kind=kind, back=back,
                                                 data=f.read(settings.UPLOAD_MAX_BYTES + 1),
                                                 filename=f.name, actor=_actor(request))
                    except DomainError as exc:
                        if back and exc.fields and "file" in exc.fields:  # the back's field
                            exc.fields = {"file_back": exc.fields["file"]}
                        raise
        except DomainError as exc:
            apply_errors(form, exc)
            current = app.documents.filter(kind=kind, is_current=True).first()
        else:
            messages.success(request, _("%(document)s uploaded") % {"document": doc_kind.label})
            return redirect("registration:documents")
    return _render(request, "web/upload.html", {
        "form": form, "kind": doc_kind, "item": item, "current": current,
        "current_back": current_back, "application": app},
        status=INVALID if form.errors else 200)


@require_POST
@application_required
def remove_document(request, app: Application, kind: str):
    # A two-sided document goes with both its sides.
    for doc in app.documents.filter(kind__in=(kind, registration_rules.back_kind(kind)),
                                    is_current=True):
        try:
            services.document_remove(application=app, document_id=doc.public_id,
                                     actor=_actor(request))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            break
    return redirect("registration:documents")


# --- check, declare, confirm -------------------------------------------------------------

def _answers_summary(app: Application) -> list[dict]:
    pack = get_pack(app.country)
    from ventanilla.core.i18n import country_names

    def change(slug):
        return reverse("registration:question", args=[slug]) + "?volver=revisar"

    place = ", ".join(s.name for s in reversed(pack.geography.path(app.subdivision_code)))
    rows = [
        (_("Name"), app.full_name, "nombre"),
        (_("Date of birth"), day_text(app.date_of_birth) if app.date_of_birth
         else "", "fecha-de-nacimiento"),
        (_("Nationality"), country_names(get_language() or "es").get(app.nationality, ""),
         "nacionalidad"),
        (_("Identity document"), str(pack.id_type(app.id_type).label) if app.id_type else "",
         "tipo-de-documento"),
        (_("Document number"), app.id_number, "numero-de-documento"),
        (_("Mobile phone"), f"{app.mobile_phone} ({app.carrier})" if app.carrier
         else app.mobile_phone, "celular"),
        (_("Place"), place, "lugar-1"),
        (_("Street address"), app.street, "calle"),
        (_("Type of affiliation"), str(kind.label) if (
            kind := pack.affiliation_type(app.affiliation_type)) else "",
         "tipo-de-afiliacion"),
        (_("E-mail"), app.email, None),
    ]
    return [{"key": k, "value": v, "change_url": change(s) if s else None} for k, v, s in rows]


@require_http_methods(["GET", "POST"])
@application_required
def check(request, app: Application):
    if app.status not in (CaseStatus.DRAFT, CaseStatus.ACTION_REQUIRED):
        return redirect("registration:confirmation")
    missing = selectors.application_missing(app)
    if request.method == "POST" and app.status == CaseStatus.ACTION_REQUIRED:
        try:
            services.application_submit(application=app, declaration=True, actor=_actor(request))
        except DomainError as exc:
            problems: dict = exc.fields or {"": exc.message}
            missing = {k: str(v) for k, v in problems.items()}
        else:
            return redirect("registration:confirmation")
    return _render(request, "web/check.html", {
        "application": app, "rows": _answers_summary(app),
        "checklist": selectors.application_checklist(app), "missing": missing,
        "page_has_errors": request.method == "POST" and bool(missing)},
        status=INVALID if request.method == "POST" and missing else 200)


@require_http_methods(["GET", "POST"])
@application_required
def declaration(request, app: Application):
    if app.status != CaseStatus.DRAFT:
        return redirect("registration:check")
    missing = selectors.application_missing(app)
    if missing:
        return redirect("registration:check")
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(application=app, declaration=True, actor=_actor(request))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("registration:confirmation")
    return _render(request, "web/declaration.html", {"form": form, "application": app},
                   status=INVALID if form.errors else 200)


@application_required
def confirmation(request, app: Application):
    if app.status in (CaseStatus.DRAFT,):
        return redirect("registration:tasks")
    pack = get_pack(app.country)
    # R-AFF-04 / R-AFF-09: the clave is given at a service centre; a national ID holder
    # (cédula, DNI) can also create it online once registered.
    id_kind = pack.id_type(app.id_type) if app.id_type else None
    return render(request, "web/confirmation.html", {
        "application": app, "case": app.case, "pack": pack,
        "clave_online_id": id_kind.label if id_kind is not None and id_kind.national else "",
        "history": case_history(app.case, kind_labels={
            k.code: k.label for k in pack.all_document_kinds()})})


@application_required
def card(request, app: Application):
    if app.status != CaseStatus.APPROVED or app.person is None:
        raise Http404
    response = HttpResponse(card_pdf(app.person), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{app.person.registration_number}.pdf"')
    return response


# --- returning, looking up, verifying ----------------------------------------------------

def resume(request, token: str):
    try:
        app = services.application_resume(token=token)
    except DomainError as exc:
        return render(request, "web/link_expired.html", {"message": exc.message}, status=410)
    session.remember(request, app)
    return redirect("registration:tasks")


@require_http_methods(["GET", "POST"])
def resume_request(request):
    form = forms.ResumeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_send_resume_links(email=form.cleaned_data["email"],
                                                   reference=form.cleaned_data["reference"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            # The same answer whether or not anything matched.
            return render(request, "web/resume_sent.html", {"email": form.cleaned_data["email"]})
    return _render(request, "web/resume_request.html", {"form": form},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def case_lookup(request):
    form = forms.CaseLookupForm(request.POST or None)
    case = None
    history = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_lookup(reference=form.cleaned_data["reference"],
                                             id_number=form.cleaned_data["id_number"])
        except DomainError as exc:
            form.add_error("reference", str(exc.message))
            status = exc.status
        else:
            pack = get_pack(case.country)
            history = case_history(case, kind_labels={k.code: k.label
                                                      for k in pack.all_document_kinds()})
    elif form.errors:
        status = INVALID
    return _render(request, "web/case_lookup.html", {
        "form": form, "case": case, "history": history}, status=status)


@require_http_methods(["GET", "POST"])
def plan_status(request):
    """R-AFF-08: anyone can see the status of a SIS plan by DNI: the plan and Activo /
    Inactivo / Cancelado only."""
    from ventanilla.affiliation.services import plan_status_public

    form = forms.PlanStatusForm(request.POST or None)
    answer, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            answer = plan_status_public(country="PE", id_type="dni",
                                        id_number=form.cleaned_data["id_number"],
                                        on=timezone.localdate())
        except DomainError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            if answer is None:
                form.add_error("id_number", _("No SIS plan was found for this DNI."))
                status = 404
    elif form.errors:
        status = INVALID
    return _render(request, "web/plan_status.html", {"form": form, "answer": answer},
                   status=status)


def verify(request, code: str):
    person = people_selectors.person_get_by_verification_code(code)
    pack = get_pack(person.country) if person else None
    return render(request, "web/verify.html", {"person": person, "pack": pack},
                  status=200 if person else 404)


@require_POST
def session_keepalive(request):
    """"Stay signed in": saving the session (every request does) restarts its clock."""
    request.session.modified = True
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"expires_in": request.session.get_expiry_age()})
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
