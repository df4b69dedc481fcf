"""The affiliates' portal: sign-in with ID number + clave, the clave itself (at a counter
or online), the home page, contributions and cases. Thin adapters over the services."""

from __future__ import annotations

import functools
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
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
from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.dependants import rules as dependant_rules
from ventanilla.dependants import selectors as dependant_selectors
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.errors import InPersonOnly
from ventanilla.dependants.selectors import dependants_of
from ventanilla.scheduling import quotas as scheduling_quotas
from ventanilla.scheduling import rules as scheduling_rules
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling import services as scheduling_services
from ventanilla.scheduling.defaults import office_services_ensure
from ventanilla.scheduling.models import Centre, Service

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


# --- dependants (R-DEP-01..03) -------------------------------------------------------------

@affiliate_required
def dependants(request, person):
    today = timezone.localdate()
    rows = _dependant_rows(person, on=today)
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


# --- office visits (R-REG-07) ---------------------------------------------------------------

def _local(person, moment):
    return timezone.localtime(moment, get_pack(person.country).tz)


def _visit_choices(person):
    today = timezone.localdate()
    return {
        "services": office_services_ensure(person.country),
        "centres": list(Centre.objects.filter(country=person.country, is_active=True,
                                              kind=Centre.Kind.SERVICE).order_by("name")),
        # the person first, then their dependants
        "people": [person, *scheduling_selectors.people_bookable_by(person, on=today)
                   .exclude(pk=person.pk).order_by("date_of_birth")],
    }


def _visit_what(request, person):
    """Step 1's answers from the query string, checked again on every later step."""
    choices = _visit_choices(person)
    form = forms.VisitWhatForm(request.GET, **choices)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return {
        "service": next(s for s in choices["services"] if s.code == data["service"]),
        "centre": next(c for c in choices["centres"] if str(c.public_id) == data["centre"]),
        "booked_for": next(p for p in choices["people"]
                           if str(p.public_id) == data["booked_for"]),
        "query": urlencode({k: data[k] for k in ("service", "centre", "booked_for")}
                           | ({"case": request.GET["case"]} if request.GET.get("case") else {})),
    }


@booker_required
def visits(request, person):
    rows = [{"booking": b, "starts": _local(person, b.slot.starts_at)}
            for b in scheduling_selectors.bookings_of(person, kind="office")]
    now = timezone.now()
    return _render(request, "portal/visits.html", {
        "upcoming": [r for r in rows if r["booking"].status == "booked"
                     and r["booking"].slot.starts_at >= now],
        "past": [r for r in rows if not (r["booking"].status == "booked"
                                         and r["booking"].slot.starts_at >= now)][-20:]})


@booker_required
def visit_new(request, person):
    """Step 1: what for, where, for whom (GET form: the answers travel in the URL)."""
    choices = _visit_choices(person)
    geography = get_pack(person.country).geography
    province = geography.top_level_of(person.subdivision_code)
    near = next((c for c in choices["centres"]
                 if province and geography.top_level_of(c.subdivision_code) == province), None)
    initial = {"service": request.GET.get("service", ""),
               "centre": str(near.public_id) if near else "",
               "booked_for": str(person.public_id)}
    form = forms.VisitWhatForm(request.GET if "centre" in request.GET else None,
                               initial=initial, **choices)
    if form.is_bound and form.is_valid():
        return redirect(f"{reverse('portal:visit_date')}?{request.GET.urlencode()}")
    return _render(request, "portal/visit_new.html", {"form": form},
                   status=INVALID if form.errors else 200)


@booker_required
def visit_date(request, person):
    """Step 2: the next dates with a free place, and the first free time."""
    what = _visit_what(request, person)
    if what is None:
        return redirect("portal:visit_new")
    dates = scheduling_selectors.slot_dates_free(service=what["service"],
                                                 centre=what["centre"], limit=10)
    first = (scheduling_selectors.slots_free(service=what["service"], centre=what["centre"])
             .first())
    return _render(request, "portal/visit_date.html", {
        **what, "dates": dates, "first": first,
        "first_starts": _local(person, first.starts_at) if first else None})


@booker_required
@require_http_methods(["GET", "POST"])
def visit_time(request, person):
    """Step 3: a time on the chosen date; booking it."""
    what = _visit_what(request, person)
    if what is None:
        return redirect("portal:visit_new")
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return redirect(f"{reverse('portal:visit_date')}?{what['query']}")
    slots = list(scheduling_selectors.slots_free(service=what["service"],
                                                 centre=what["centre"], date_from=day,
                                                 date_to=day))
    choices = [(str(s.public_id), f"{_local(person, s.starts_at):%H:%M}") for s in slots]
    form = forms.VisitTimeForm(request.POST or None, slots=choices,
                               initial={"slot": request.GET.get("slot", "")})
    if request.method == "POST" and form.is_valid():
        slot = next(s for s in slots if str(s.public_id) == form.cleaned_data["slot"])
        case = None
        if request.GET.get("case"):
            case = cases_of(person).filter(reference=request.GET["case"].upper()).first()
        try:
            booking = scheduling_services.booking_create(
                slot=slot, person=person, booked_for=what["booked_for"], channel=Channel.WEB,
                case=case)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return redirect("portal:visit", public_id=booking.public_id)
    return _render(request, "portal/visit_time.html", {
        **what, "day": day, "form": form, "has_slots": bool(slots)},
        status=INVALID if form.errors else 200)


@booker_required
def visit(request, person, public_id):
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    pack = get_pack(booking.slot.centre.country)
    starts = _local(person, booking.slot.starts_at)
    can_cancel = booking.status == "booked" and scheduling_rules.may_change(
        starts_at=booking.slot.starts_at, now=timezone.now(),
        notice_hours=pack.cancel_notice_hours)
    return _render(request, "portal/visit.html", {
        "booking": booking, "starts": starts, "can_cancel": can_cancel,
        "notice_hours": pack.cancel_notice_hours})


@booker_required
@require_POST
def visit_cancel(request, person, public_id):
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    try:
        scheduling_services.booking_cancel(booking=booking, channel=Channel.WEB,
                                           by_person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:visit", public_id=booking.public_id)
    messages.success(request, _("Your visit is cancelled. The time is free for someone "
                                "else."))
    return redirect("portal:visits")


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


@booker_required
def visit_document(request, person, public_id, kind: str):
    """The visit as a calendar file or a printable PDF."""
    booking = scheduling_selectors.booking_get_for(person, public_id, kind="office")
    if booking is None:
        raise Http404
    return booking_document_response(booking, kind)



# --- office visits without a clave (R-REG-07) ------------------------------------------------

@require_http_methods(["GET", "POST"])
def visitor(request):
    """Step 1 for people without a clave: ID, date of birth; a code goes to the e-mail on
    file. The next page is the same whether or not the details matched anyone."""
    from ventanilla.accounts.visitor import visitor_code_send

    form = forms.VisitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ident = form.identity()
        try:
            visitor_code_send(**ident, date_of_birth=form.cleaned_data["date_of_birth"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            request.session[VISITOR_PENDING_KEY] = ident
            target = request.GET.get("next", "")
            query = f"?{urlencode({'next': target})}" if target else ""
            return redirect(f"{reverse('portal:visitor_code')}{query}")
    return _render(request, "portal/visitor.html", {"form": form,
                                                    "login_url": reverse("portal:login")},
                   status=INVALID if form.errors else 200)


@require_http_methods(["GET", "POST"])
def visitor_code(request):
    from ventanilla.accounts.visitor import visitor_code_check

    ident = request.session.get(VISITOR_PENDING_KEY)
    if not ident:
        return redirect("portal:visitor")
    form = forms.VisitorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = visitor_code_check(**ident, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            request.session.cycle_key()
            request.session.pop(VISITOR_PENDING_KEY, None)
            request.session[VISITOR_SESSION_KEY] = {
                "person": str(person.public_id),
                "until": timezone.now().timestamp() + VISITOR_MINUTES * 60}
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("portal:visit_new")
            return redirect(target)
    return _render(request, "portal/visitor_code.html", {"form": form},
                   status=INVALID if form.errors else 200)
