"""Back office, people at the counter (issue 3): find a person, read their page (audited),
issue a clave after checking the identity document (R-AFF-04), unblock or block the web
account (R-APT-05), open an in-person case for a complex matter (R-AFF-05), and the foreign
residents whose coverage lapsed (R-ID-03).

Adapters only: every decision is taken by the services these views call.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.accounts import blocks
from ventanilla.accounts.authz import staff_may, staff_serves
from ventanilla.accounts.clave import CLAVE_TTL, clave_issue
from ventanilla.accounts.models import AccountBlock
from ventanilla.affiliation.selectors import (
    affiliate_overview,
    foreign_residents_without_coverage,
)
from ventanilla.cases import rules as case_rules
from ventanilla.cases.models import CaseKind
from ventanilla.cases.services import IN_PERSON_NOTICE, case_get, case_open_in_person
from ventanilla.core.audit import audit_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.core.i18n import country_names
from ventanilla.countries.registry import all_packs, get_pack
from ventanilla.dependants.selectors import dependants_of
from ventanilla.people.models import Person
from ventanilla.people.selectors import person_find, person_get
from ventanilla.scheduling import quotas as scheduling_quotas

from ..web.views import INVALID, apply_errors
from . import forms
from .views import staff_required

# The portal page where a person turns the code into their clave. The fallback keeps this
# page working in a deployment that does not mount the portal under its URL name.
CLAVE_SET_URL_NAME = "portal:clave_set"
CLAVE_SET_FALLBACK_PATH = "/portal/clave/"



def _in_person_kinds() -> list[tuple[str, str | Promise]]:
    return [(k.value, k.label) for k in CaseKind if case_rules.needs_in_person_visit(k.value)]


def _staff_person(request: HttpRequest, public_id) -> Person:
    """The person, if this staff member serves their country; otherwise a 404 (staff of
    another country must not learn that the person exists)."""
    person = person_get(public_id)
    if person is None or not staff_serves(request.user, person.country):
        raise Http404
    return person


def _id_label(country: str, id_type: str) -> str:
    try:
        return str(get_pack(country).id_type(id_type).label)
    except DomainError:
        return id_type


# --- find --------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@staff_required
@permission_required("people.view_person", raise_exception=True)
def person_find_view(request: HttpRequest) -> HttpResponse:
    """The ID number travels in a POST body, not in the URL (nor in the server's logs)."""
    form = forms.PersonFindForm(request.POST or None, user=request.user)
    not_found = False
    if request.method == "POST" and form.is_valid():
        country = form.cleaned_data["country"]
        id_type = form.cleaned_data["id_type"]
        try:
            id_number = get_pack(country).validate_id(id_type, form.cleaned_data["id_number"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            person = person_find(country=country, id_type=id_type, id_number=id_number)
            subject_ref = f"{country}:{id_type}:{id_number}"
            audit_record(actor=request.user, action="person.find", object_type="people.person",
                         object_id=str(person.public_id) if person else "",
                         subject_ref=subject_ref, details={"found": person is not None})
            if person is not None and staff_serves(request.user, person.country):
                return redirect("staff:person", public_id=person.public_id)
            not_found = True
    status = INVALID if form.errors else 200
    return render(request, "staff/person_find.html", {
        "form": form, "not_found": not_found, "page_has_errors": bool(form.errors)},
        status=status)


# --- the person's page ---------------------------------------------------------------------

@never_cache  # personal data, on counter computers shared by several agents
@require_http_methods(["GET"])
@staff_required
@permission_required("people.view_person", raise_exception=True)
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _person_page(request, _staff_person(request, public_id))


def _person_page(request: HttpRequest, person: Person, *, bound: dict | None = None,
                 status: int = 200) -> HttpResponse:
    """Render the person's page; ``bound`` holds the one form that came back with errors.
    Every rendering shows personal data, so every rendering is audited."""
    bound = bound or {}
    pack = get_pack(person.country)
    today = get_pack(person.country).today()
    overview = affiliate_overview(person, on=today)
    active_block = blocks.account_block_active(person)
    block_history = [b for b in person.account_blocks.select_related(
        "blocked_by", "unblocked_by") if b.unblocked_at is not None]
    user = person.user
    page_forms = {
        "clave_form": bound.get("clave_form") or forms.ClaveIssueForm(prefix="clave"),
        "unblock_form": bound.get("unblock_form") or forms.AccountUnblockForm(prefix="unblock"),
        "block_form": bound.get("block_form") or forms.AccountBlockForm(prefix="block"),
        "case_form": bound.get("case_form") or forms.CaseOpenInPersonForm(
            prefix="case", kinds=_in_person_kinds()),
    }
    audit_record(actor=request.user, action="person.view", obj=person,
                 subject_ref=person.subject_ref, channel=Channel.IN_PERSON)
    return render(request, "staff/person.html", {
        "person": person,
        "pack": pack,
        "today": today,
        "id_label": _id_label(person.country, person.id_type),
        "nationality": country_names(get_language() or "es").get(person.nationality,
                                                                  person.nationality),
        "affiliation": overview.affiliation,
        "affiliation_label": overview.type_label,
        "holder_name": overview.holder_name,
        "coverage": overview.coverage,
        "appointments": overview.appointments,
        "dependants": dependants_of(person, on=today),
        "has_clave": bool(user is not None and user.has_usable_password()),
        "active_block": active_block,
        "booking_blocks": scheduling_quotas.blocks_of(person, now=timezone.now()),
        "block_history": block_history,
        "cases": list(person.cases.all()),
        "referrals": _referral_rows(request, person, today=today),
        "errors_in": [f for f in bound.values() if f.errors],
        "page_has_errors": status != 200,
        **page_forms,
    }, status=status)


def _referral_rows(request: HttpRequest, person: Person, *, today: date) -> list | None:
    """The person's referrals (R-APT-08) for staff who may read them, else None."""
    if not (staff_may(request.user, "scheduling.view_referral")
            or staff_may(request.user, "scheduling.add_referral")):
        return None
    from .views_referrals import referral_rows  # it imports this module

    return referral_rows(person, today=today)


def _service_error_status(exc: DomainError) -> int:
    return exc.status if exc.status != 400 else INVALID


# --- clave (R-AFF-04) ------------------------------------------------------------------------

@never_cache
@require_POST
@staff_required
@permission_required("people.issue_clave", raise_exception=True)
def person_clave_issue(request: HttpRequest, public_id) -> HttpResponse:
    """Shows the code in this response only: it is not stored anywhere readable (only its
    hash, by the service), not put in the session, and the page is not cached."""
    person = _staff_person(request, public_id)
    form = forms.ClaveIssueForm(request.POST, prefix="clave")
    if not form.is_valid():
        return _person_page(request, person, bound={"clave_form": form}, status=INVALID)
    try:
        code = clave_issue(person=person, actor=request.user)
    except DomainError as exc:
        apply_errors(form, exc)
        return _person_page(request, person, bound={"clave_form": form},
                            status=_service_error_status(exc))
    try:
        clave_path = reverse(CLAVE_SET_URL_NAME)
    except NoReverseMatch:
        clave_path = CLAVE_SET_FALLBACK_PATH
    return render(request, "staff/clave_issued.html", {
        "person": person,
        "code": code,
        "clave_url": request.build_absolute_uri(clave_path),
        "valid_until": timezone.localtime(timezone.now() + CLAVE_TTL,
                                          get_pack(person.country).tz),
    })


# --- web account (R-APT-05) ----------------------------------------------------------------

@require_POST
@staff_required
@permission_required("accounts.unblock_account", raise_exception=True)
def person_unblock(request: HttpRequest, public_id) -> HttpResponse:
    person = _staff_person(request, public_id)
    form = forms.AccountUnblockForm(request.POST, prefix="unblock")
    if form.is_valid():
        try:
            blocks.account_unblock(person=person, reason=form.cleaned_data["reason"],
                                   actor=request.user)
        except DomainError as exc:
            apply_errors(form, exc)
            return _person_page(request, person, bound={"unblock_form": form},
                                status=_service_error_status(exc))
        messages.success(request, _("The web account is unblocked. The person can sign in "
                                    "again."))
        return redirect("staff:person", public_id=person.public_id)
    return _person_page(request, person, bound={"unblock_form": form}, status=INVALID)


@require_POST
@staff_required
@permission_required("accounts.unblock_account", raise_exception=True)
def person_block(request: HttpRequest, public_id) -> HttpResponse:
    person = _staff_person(request, public_id)
    form = forms.AccountBlockForm(request.POST, prefix="block")
    if form.is_valid():
        try:
            blocks.account_block(person=person, cause=AccountBlock.Cause.STAFF,
                                 detail=form.cleaned_data["detail"], actor=request.user)
        except DomainError as exc:
            apply_errors(form, exc)
            return _person_page(request, person, bound={"block_form": form},
                                status=_service_error_status(exc))
        messages.success(request, _("The web account is blocked."))
        return redirect("staff:person", public_id=person.public_id)
    return _person_page(request, person, bound={"block_form": form}, status=INVALID)


# --- in-person case (R-AFF-05) ---------------------------------------------------------------

@require_POST
@staff_required
@permission_required("cases.add_case", raise_exception=True)
def person_case_open(request: HttpRequest, public_id) -> HttpResponse:
    person = _staff_person(request, public_id)
    form = forms.CaseOpenInPersonForm(request.POST, prefix="case", kinds=_in_person_kinds())
    if form.is_valid():
        try:
            case = case_open_in_person(person=person, kind=form.cleaned_data["kind"],
                                       description=form.cleaned_data["description"],
                                       channel=Channel.IN_PERSON, actor=request.user)
        except DomainError as exc:
            apply_errors(form, exc)
            return _person_page(request, person, bound={"case_form": form},
                                status=_service_error_status(exc))
        # Redirect, so that reloading the confirmation cannot open the case twice.
        return redirect("staff:person_case_opened", public_id=person.public_id,
                        reference=case.reference)
    return _person_page(request, person, bound={"case_form": form}, status=INVALID)


@require_http_methods(["GET"])
@staff_required
@permission_required("cases.view_case", raise_exception=True)
def person_case_opened(request: HttpRequest, public_id, reference: str) -> HttpResponse:
    person = _staff_person(request, public_id)
    case = case_get(reference)
    if case is None or case.person_id != person.pk:
        raise Http404
    audit_record(actor=request.user, action="case.view", obj=case,
                 subject_ref=person.subject_ref, channel=Channel.IN_PERSON)
    return render(request, "staff/case_opened.html", {
        "person": person, "case": case, "notice": IN_PERSON_NOTICE})


# --- foreign residents without coverage (R-ID-03) --------------------------------------------

@require_http_methods(["GET"])
@staff_required
@permission_required("people.view_person", raise_exception=True)
def residents_lapsed(request: HttpRequest) -> HttpResponse:
    """Staff of one country see theirs; staff without a country choose one."""
    country_form = None
    if request.user.country:  # type: ignore[union-attr]
        country = request.user.country  # type: ignore[union-attr]
    else:
        country_form = forms.ResidentsCountryForm(request.GET or None)
        country = ""
        if country_form.is_valid():
            country = country_form.cleaned_data["country"]
        country = country or all_packs()[0].code
        country_form = forms.ResidentsCountryForm(initial={"country": country})
    pack = get_pack(country)
    today = get_pack(country).today()
    rows = []
    for person, affiliation, coverage in foreign_residents_without_coverage(country=country,
                                                                            on=today):
        rows.append({"person": person, "affiliation": affiliation, "coverage": coverage,
                     "id_label": _id_label(person.country, person.id_type)})
    audit_record(actor=request.user, action="residents.lapsed.view",
                 object_type="people.person", object_id=country,
                 details={"count": len(rows), "on": today.isoformat(),
                          "subjects": [r["person"].subject_ref for r in rows]})
    return render(request, "staff/residents_lapsed.html", {
        "rows": rows, "pack": pack, "today": today, "country_form": country_form})
