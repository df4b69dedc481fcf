"""The affiliates' portal: sign-in with ID number + clave, the clave itself (at a counter
or online), the home page, contributions and cases. Thin adapters over the services."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
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
from ventanilla.core.errors import DomainError, RateLimited
from ventanilla.core.ratelimit import ensure_not_rate_limited
from ventanilla.dependants import rules as dependant_rules
from ventanilla.dependants import selectors as dependant_selectors
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.errors import InPersonOnly
from ventanilla.dependants.selectors import dependants_of
from ventanilla.people.selectors import person_find

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
            ensure_not_rate_limited(request, group="portal-clave-code", rate="20/h")
            ident = form.identity()
            person = person_find(**ident)
            if person is None:  # the same answer as a wrong code
                raise clave.one_time.CodeInvalid(
                    _("The code is not right. Check it and try again"), field="code")
            clave.clave_set(person=person, code=form.cleaned_data["code"],
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
            ensure_not_rate_limited(request, group="portal-clave-online", rate="20/h")
            _limit_per_id(request, ident["id_number"])
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


def _limit_per_id(request, id_number: str) -> None:
    """At most 5 tries an hour per ID number, whatever the address (R-AFF-09)."""
    from django_ratelimit.core import is_ratelimited

    digits = "".join(ch for ch in id_number if ch.isalnum()).upper()
    if is_ratelimited(request, group="portal-clave-online-id", key=lambda g, r: digits,
                      rate="5/h", method=is_ratelimited.ALL, increment=True):
        raise RateLimited(_("Too many attempts with this ID number. Try again in an hour, "
                            "or ask for your clave at a service centre."), field="id_number")


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

@affiliate_required
def home(request, person):
    today = timezone.localdate()
    overview = affiliate_overview(person, on=today)
    dependants = [{"person": p, "relationship": a.get_relationship_display(), "coverage": c}
                  for p, a, c in dependants_of(person, on=today)]
    return _render(request, "portal/home.html", {
        "person": person, "overview": overview, "cases": cases_of(person)[:10],
        "account_block": account_block_active(person), "dependants": dependants,
        "can_request_dependants": dependant_services.holder_may_request(person, on=today),
        "visits_enabled": False})


@affiliate_required
def contributions(request, person):
    overview = affiliate_overview(person, on=timezone.localdate())
    rows = []
    affiliation = overview.affiliation
    if affiliation is not None and not affiliation.holder_id:
        rows = list(reversed(contribution_history(affiliation, until=timezone.localdate())))
    arrears = sum((r.owed for r in rows), start=0)
    return _render(request, "portal/contributions.html", {
        "person": person, "overview": overview, "rows": rows, "arrears": arrears})


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


@affiliate_required
def case_detail(request, person, reference: str):
    case = cases_of(person).filter(reference=reference.upper()).first()
    if case is None:
        raise Http404
    return _render(request, "portal/case.html", {
        "case": case, "history": case_history(case),
        "in_person": case.status == "awaiting_visit",
        "notice": case_services.IN_PERSON_NOTICE})


# --- dependants (R-DEP-01..03) -------------------------------------------------------------

@affiliate_required
def dependants(request, person):
    today = timezone.localdate()
    rows = [{"person": p, "relationship": a.get_relationship_display(), "coverage": c}
            for p, a, c in dependants_of(person, on=today)]
    return _render(request, "portal/dependants.html", {
        "dependants": rows, "requests": dependant_selectors.requests_of(person)[:50],
        "can_request": dependant_services.holder_may_request(person, on=today)})


@affiliate_required
@require_http_methods(["GET", "POST"])
def dependant_new(request, person):
    """Step 1: who. An Ecuadorian spouse married abroad is filed in person only: the person
    gets the checklist and a link to book the office visit (R-DEP-02)."""
    form = forms.DependantSituationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        situation = form.situation()
        if not dependant_rules.filing_channel_allowed(
                person.country, situation["relationship"], situation["marriage_abroad"],
                Channel.WEB):
            return _in_person_page(request, person, situation)
        query = urlencode({**situation, "marriage_abroad": int(situation["marriage_abroad"])})
        return redirect(f"{reverse('portal:dependant_details')}?{query}")
    return _render(request, "portal/dependant_new.html", {"form": form},
                   status=INVALID if form.errors else 200)


def _in_person_page(request, person, situation, *, message=""):
    items = dependant_rules.checklist(person.country, situation["relationship"],
                                      marriage_abroad=situation["marriage_abroad"],
                                      union_kind=situation["union_kind"])
    return _render(request, "portal/dependant_in_person.html", {
        "checklist": items, "message": message}, status=200)


@affiliate_required
@require_http_methods(["GET", "POST"])
def dependant_details(request, person):
    """Step 2: who the dependant is; the request becomes a case with its history."""
    situation_form = forms.DependantSituationForm({
        "relationship": request.GET.get("relationship", ""),
        "union_kind": request.GET.get("union_kind", ""),
        "marriage_abroad": "yes" if request.GET.get("marriage_abroad") == "1" else "no"})
    if not situation_form.is_valid():
        return redirect("portal:dependant_new")
    situation = situation_form.situation()
    needs = dependant_rules.needs_inscription(person.country, situation["relationship"],
                                              situation["marriage_abroad"])
    form = forms.DependantDetailsForm(request.POST or None, country=person.country,
                                      needs_inscription=needs)
    if request.method == "POST" and form.is_valid():
        try:
            created = dependant_services.dependant_request_create(
                holder_person=person, dependant=form.dependant(), channel=Channel.WEB,
                actor=request.user,
                inscription_reference=form.cleaned_data.get("inscription_reference", ""),
                **situation)
        except InPersonOnly as exc:
            return _in_person_page(request, person, situation, message=exc.message)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:dependant_request", public_id=created.public_id)
    items = dependant_rules.checklist(person.country, situation["relationship"],
                                      marriage_abroad=situation["marriage_abroad"],
                                      union_kind=situation["union_kind"])
    return _render(request, "portal/dependant_details.html", {
        "form": form, "situation": situation, "checklist": items},
        status=INVALID if form.errors else 200)


@affiliate_required
def dependant_request(request, person, public_id):
    try:
        found = dependant_selectors.request_get_for_holder(person, public_id)
    except DomainError as exc:
        raise Http404 from exc
    holder = found.holder_affiliation
    return _render(request, "portal/dependant_request.html", {
        "r": found, "history": dependant_selectors.request_history(found),
        "checklist": dependant_rules.checklist(
            found.country, found.relationship, marriage_abroad=found.marriage_abroad,
            union_kind=found.union_kind or "marriage"),
        "surcharge": dependant_selectors.surcharge_for(
            country=found.country, relationship=found.relationship,
            affiliation_type=holder.affiliation_type, on=timezone.localdate())})
