"""The affiliates' portal: sign-in with ID number + clave, the clave itself (at a counter
or online), the home page, contributions and cases. Thin adapters over the services."""

from __future__ import annotations

import functools
from datetime import date

from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.accounts import clave
from ventanilla.accounts.blocks import account_block_active
from ventanilla.accounts.signin import affiliate_authenticate
from ventanilla.affiliation.selectors import affiliate_overview
from ventanilla.cases import services as case_services
from ventanilla.cases.models import CaseKind
from ventanilla.cases.selectors import case_history, cases_of
from ventanilla.contributions.selectors import contribution_history
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.dependants import rules as dependant_rules
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.selectors import dependants_of
from ventanilla.scheduling import quotas as scheduling_quotas
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling.models import Service

from ..web.views import INVALID, apply_errors
from . import forms

PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def affiliate_required(view):
    """Signed in as an affiliate (not staff); else to the sign-in page and back."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and not user.is_staff and hasattr(user, "person")):
            return redirect(f"{reverse('portal:login')}?next={request.get_full_path()}")
        return view(request, user.person, *args, **kwargs)
    return wrapper


VISITOR_SESSION_KEY = "portal_visitor"
VISITOR_PENDING_KEY = "portal_visitor_pending"
VISITOR_MINUTES = 30


def _visitor(request):
    """The person who proved who they are with an e-mailed code (no clave), if still valid."""
    from ventanilla.people.selectors import person_get

    data = request.session.get(VISITOR_SESSION_KEY) or {}
    if not data or data.get("until", 0) < timezone.now().timestamp():
        return None
    return person_get(data.get("person"))


def booker_required(view):
    """An affiliate signed in, or a visitor who proved who they are with an e-mailed code:
    both may book office visits (R-REG-07)."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_staff and hasattr(user, "person"):
            return view(request, user.person, *args, **kwargs)
        person = _visitor(request)
        if person is None:
            return redirect(f"{reverse('portal:visitor')}?next={request.get_full_path()}")
        return view(request, person, *args, **kwargs)
    return wrapper


def _render(request, template, context, *, status=200):
    form = context.get("form")
    context.setdefault("page_has_errors", bool(form is not None and form.errors))
    return render(request, template, context, status=status)


# --- sign-in ---------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and hasattr(request.user, "person"):
        return redirect("portal:home")
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = affiliate_authenticate(request, **form.identity(),
                                          password=form.cleaned_data["password"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend=PORTAL_BACKEND)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("portal:home")
            return redirect(target)
    return _render(request, "portal/sign_in.html", {"form": form},
                   status=INVALID if form.errors else 200)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("portal:login")


# --- the clave -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def clave_set(request):
    """R-AFF-04: turn the code handed over at a counter into the person's own clave."""
    form = forms.ClaveCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clave.clave_set_with_code(**form.identity(), code=form.cleaned_data["code"],
                                      password=form.cleaned_data["password"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return _render(request, "portal/clave_done.html", {})
    return _render(request, "portal/clave_set.html", {"form": form},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def clave_online(request):
    """R-AFF-09: a national ID holder creates (or resets) the clave online."""
    form = forms.ClaveOnlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ident = form.identity()
        try:
            masked = clave.clave_online_request(
                **ident, date_of_birth=form.cleaned_data["date_of_birth"],
                province_code=form.cleaned_data["province"].partition(":")[2],
                phone_last_digits=form.cleaned_data["phone_last_digits"])
        except clave.ClaveInPersonOnly as exc:
            return _render(request, "portal/clave_in_person.html", {"message": exc.message},
                           status=INVALID)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return _render(request, "portal/clave_link_sent.html", {"email": masked})
    return _render(request, "portal/clave_online.html", {"form": form},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def clave_link(request, token: str):
    person = clave.clave_link_check(token)
    if person is None:
        return _render(request, "portal/clave_link_expired.html", {}, status=410)
    form = forms.ClaveLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clave.clave_set_by_link(token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return _render(request, "portal/clave_done.html", {})
    return _render(request, "portal/clave_link.html", {"form": form, "person": person},
                   status=INVALID if form.errors else 200)


# --- signed in -------------------------------------------------------------------------------

HOME_UPCOMING = 3  # appointments shown on the home page; the rest are one link away


def _dependant_rows(person, *, on: date) -> list[dict]:
    """Each dependant with their coverage and, when it ends within
    ``dependant_rules.ENDING_SOON_DAYS``, the day it ends (R-DEP-01)."""
    return [{"person": p, "relationship": a.get_relationship_display(), "coverage": c,
             "is_child": a.relationship == dependant_rules.CHILD,
             "ends_soon": dependant_rules.coverage_ends_soon(c, on=on)}
            for p, a, c in dependants_of(person, on=on)]


@affiliate_required
def home(request, person):
    today = timezone.localdate()
    overview = affiliate_overview(person, on=today)
    dependants = _dependant_rows(person, on=today)
    now = timezone.now()
    # The next appointments come first on the page: what people sign in to check.
    upcoming = [{"booking": b, "starts": _local(person, b.slot.starts_at)}
                for b in scheduling_selectors.bookings_of(
                    person, active_only=True, kind=Service.Kind.MEDICAL
                ).filter(slot__starts_at__gte=now)[:HOME_UPCOMING]]
    return _render(request, "portal/home.html", {
        "person": person, "overview": overview, "cases": cases_of(person)[:10],
        "upcoming": upcoming,
        "account_block": account_block_active(person), "dependants": dependants,
        "booking_blocks": scheduling_quotas.blocks_of(person, now=now),
        "can_request_dependants": dependant_services.holder_may_request(person, on=today),
        "visits_enabled": True})


@affiliate_required
def contributions(request, person):
    today = timezone.localdate()
    overview = affiliate_overview(person, on=today)
    rows = []
    affiliation = overview.affiliation
    if affiliation is not None and not affiliation.holder_id:
        rows = list(reversed(contribution_history(affiliation, until=today)))
    arrears = sum((r.owed for r in rows), start=0)
    years = sorted({r.period.year for r in rows}, reverse=True)
    try:
        year = int(request.GET.get("ano", ""))
    except ValueError:
        year = years[0] if years else today.year
    if years and year not in years:
        year = years[0]
    return _render(request, "portal/contributions.html", {
        "person": person, "country": person.country, "overview": overview,
        "arrears": arrears, "year": year,
        "years": years, "rows": [r for r in rows if r.period.year == year],
        "missing_months": sum(1 for r in rows if r.owed)})


@affiliate_required
@require_http_methods(["GET", "POST"])
def contribution_error(request, person):
    """R-AFF-03: an error in the contribution history becomes an in-person case."""
    form = forms.ContributionErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_open_in_person(
                person=person, kind=CaseKind.CONTRIBUTION_ERROR,
                description=form.cleaned_data["description"], channel=Channel.WEB)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:case", reference=case.reference)
    return _render(request, "portal/contribution_error.html", {"form": form},
                   status=INVALID if form.errors else 200)


# Matters a person raises themself; a contribution error has its own page from the
# contribution history, and repeated rejections of a dependant are opened by the system.
PERSON_RAISED_KINDS = (CaseKind.BENEFIT_DENIED, CaseKind.VISA_CONFLICT, CaseKind.APPEAL,
                       CaseKind.CONTRIBUTION_ERROR)


@affiliate_required
@require_http_methods(["GET", "POST"])
def in_person_matter(request, person):
    """R-AFF-05: denied benefits, visa-status conflicts, appeals (and contribution errors)
    become an in-person case with a notice that legal advice may be needed."""
    kinds = [(k.value, k.label) for k in PERSON_RAISED_KINDS]
    form = forms.InPersonMatterForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_open_in_person(
                person=person, kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"], channel=Channel.WEB)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:case", reference=case.reference)
    return _render(request, "portal/in_person_matter.html", {"form": form},
                   status=INVALID if form.errors else 200)


@affiliate_required
def case_detail(request, person, reference: str):
    case = cases_of(person).filter(reference=reference.upper()).first()
    if case is None:
        raise Http404
    return _render(request, "portal/case.html", {
        "case": case, "history": case_history(case),
        "in_person": case.status == "awaiting_visit",
        "notice": case_services.IN_PERSON_NOTICE})

# --- shared with the split modules ---------------------------------------------------------

def _local(person, moment):
    return timezone.localtime(moment, get_pack(person.country).tz)


def booking_document_response(booking, kind: str):
    """A booking as a calendar file (``ics``) or a printable PDF, never cached."""
    from django.http import HttpResponse

    from ventanilla.scheduling.documents import booking_ics, booking_pdf

    name = f"cita-{booking.slot.starts_at:%Y%m%d}"
    if kind == "ics":
        response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    else:
        response = HttpResponse(booking_pdf(booking), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
