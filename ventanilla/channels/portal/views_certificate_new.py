"""Submitting a sick-leave certificate in the portal (issue 13): who is on leave, the kind
and where it was issued, the doctor, the patient and the diagnosis (its ICD-10 code
confirmed against the official description), the days of rest, the R-CER-02 details, the
uploads, the check page with every finding, the confirmation.

Every step runs the automatic checks (``certificate_check``) on what is typed so far and
shows the problems of its own fields with the messages the submission enforces; the
answers are kept in the session whatever they are (``certificate_steps``), so going back
never loses one. Thin adapters: the rules are the certificates app's."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.certificates import selectors as certificate_selectors
from ventanilla.certificates import services as certificate_services
from ventanilla.certificates.errors import PatientNotAllowed
from ventanilla.certificates.icd10 import icd10_lookup
from ventanilla.countries.registry import get_pack

from ..web.views import INVALID
from . import certificate_pages as pages
from . import certificate_steps as steps
from . import certificate_uploads as kept_files
from . import forms_certificates as cforms
from .views import _render, affiliate_required


def _people(person) -> list:
    """The person first, then their dependants (the youngest last)."""
    return [person, *certificate_selectors.patients_of(person).exclude(pk=person.pk)
            .order_by("date_of_birth")]


def _patient(person, draft):
    if draft is None:
        return None
    return next((p for p in _people(person) if str(p.public_id) == draft["patient"]), None)


def _review(request) -> bool:
    return request.GET.get("revisar") == "1"


@affiliate_required
@require_http_methods(["GET", "POST"])
def certificate_new(request, person):
    """Step 1: who is on leave — the person or one of their dependants."""
    people = _people(person)
    draft = steps.draft_get(request)
    initial = {"patient": draft["patient"]} if draft else {}
    form = cforms.WhoForm(request.POST or None, people=people, initial=initial)
    pack = get_pack(person.country)
    if request.method == "POST" and form.is_valid():
        chosen = next(p for p in people if str(p.public_id) == form.cleaned_data["patient"])
        draft = steps.draft_start(request, chosen)
        return redirect(steps.next_url("quien", draft, pack, review=_review(request)))
    return _render(request, "portal/certificates/step.html", {
        "form": form, "step": steps.BY_SLUG["quien"],
        "back_url": steps.back_url("quien", draft, pack)},
        status=INVALID if form.errors else 200)


def _form(slug: str, data, *, draft, patient, pack, nearest=()):
    stored = draft.get("data") or {}
    initial = dict(stored)
    if slug == "tipo":
        country = stored.get("issued_country", "")
        initial["abroad"] = "" if not country else ("yes" if country != pack.code else "no")
        return cforms.KindForm(data, pack=pack, initial=initial)
    if slug == "medico":
        return cforms.DoctorForm(data, pack=pack, abroad=steps.is_abroad(draft, pack),
                                 initial=initial)
    if slug == "paciente":
        return cforms.PatientForm(data, patient=patient, nearest=nearest, initial=initial)
    if slug == "dias":
        return cforms.DaysForm(data, pack=pack, abroad=steps.is_abroad(draft, pack),
                               initial=initial)
    if slug == "detalles":
        cls = cforms.details_form_class(stored.get("kind", ""))
        return cls(data, initial=initial) if cls is not None else None
    return None


def _stored_as_data(form, draft) -> QueryDict:
    """The kept answers as a posted form, to show a step's problems when it is opened from
    the check page."""
    data = QueryDict(mutable=True)
    stored = draft.get("data") or {}
    for name in form.fields:
        if name in stored:
            data[name] = stored[name]
    if "abroad" in form.fields:
        data["abroad"] = form.initial.get("abroad", "")
    return data


def _check(person, patient, draft, **changes):
    """The automatic checks on the answers so far (with ``changes``), nothing stored."""
    files = draft.get("files") or {}
    pack = get_pack(patient.country)
    roles = [r for r in ("scan", "apostille", "translation")
             if steps.applies(steps.STEP_OF_ROLE[r], {**draft, "data": {
                 **(draft.get("data") or {}), **changes}}, pack)]
    return certificate_services.certificate_check(
        submitter=person, patient=patient, data=steps.draft_input(draft, **changes),
        has_scan=kept_files.upload_exists(files.get("scan")),
        has_apostille="apostille" in roles and kept_files.upload_exists(files.get("apostille")),
        has_translation="translation" in roles and kept_files.upload_exists(
            files.get("translation")))


def _values(slug: str, form) -> dict:
    """What a step's form says, as the service's fields (text)."""
    out = {}
    for name, value in form.cleaned_data.items():
        if name in ("abroad", "icd10_seen", "icd10_choice"):
            continue
        out[name] = "" if value is None else str(value)
    return out


def _code_answer(form, draft):
    """The patient step's code: a code chosen among the nearest wins over the one typed;
    a valid one is confirmed when it was chosen from a list that showed its description
    (the nearest codes, or the autocomplete)."""
    chosen = form.cleaned_data.get("icd10_choice") or ""
    answer = icd10_lookup(chosen or form.cleaned_data.get("icd10_code") or "")
    confirmed = draft.get("icd10_confirmed", "")
    if answer.valid:
        seen = icd10_lookup(form.cleaned_data.get("icd10_seen") or "")
        if chosen or (seen.valid and seen.code == answer.code):
            confirmed = answer.code
        elif confirmed != answer.code:
            confirmed = ""
    return answer, confirmed


@affiliate_required
@require_http_methods(["GET", "POST"])
def certificate_step(request, person, step: str):
    """Steps 2 to 6: one group of questions each (``certificate_steps.STEPS``)."""
    if step == "codigo":
        return certificate_code(request, person)
    draft = steps.draft_get(request)
    patient = _patient(person, draft)
    if draft is None or patient is None:
        return redirect("portal:certificate_new")
    pack = get_pack(patient.country)
    if step not in steps.BY_SLUG or steps.BY_SLUG[step].url_name != "portal:certificate_step":
        raise Http404
    review = _review(request)
    if not steps.applies(step, draft, pack):
        return redirect(steps.next_url(step, draft, pack, review=review))
    context = {"step": steps.BY_SLUG[step], "back_url": steps.step_url("revisar") if review
               else steps.back_url(step, draft, pack), "patient": patient, "review": review,
               "icd10_text": pages.icd10_texts() if step == "paciente" else None}
    if request.method == "POST":
        # the nearest codes the page showed, so the one chosen among them is read
        shown = (icd10_lookup(draft["data"].get("icd10_code", "")).nearest
                 if step == "paciente" else ())
        form = _form(step, request.POST, draft=draft, patient=patient, pack=pack,
                     nearest=shown)
        if form is not None and form.is_valid():
            values = _values(step, form)
            answer = None
            if step == "paciente":
                answer, draft["icd10_confirmed"] = _code_answer(form, draft)
                values["icd10_code"] = answer.code or values.get("icd10_code", "")
            draft["data"] = {**(draft.get("data") or {}), **values}
            steps.draft_save(request, draft)
            try:
                problems = steps.step_findings(_check(person, patient, draft), step, pack)
            except PatientNotAllowed:
                return redirect("portal:certificate_new")
            if not problems:
                if answer is not None and draft["icd10_confirmed"] != answer.code:
                    return redirect(steps.step_url("codigo", review=review))
                return redirect(steps.next_url(step, draft, pack, review=review))
            if answer is not None and answer.nearest:
                form = _form(step, request.POST, draft=draft, patient=patient, pack=pack,
                             nearest=answer.nearest)
                form.is_valid()
            pages.add_findings(form, problems)
        return _render(request, "portal/certificates/step.html", {**context, "form": form},
                       status=INVALID)
    form = _form(step, None, draft=draft, patient=patient, pack=pack)
    if review and form is not None:
        # Opened from the check page: this step's problems are shown at once.
        problems = steps.step_findings(_check(person, patient, draft), step, pack)
        if problems:
            nearest = icd10_lookup(draft["data"].get("icd10_code", "")).nearest
            form = _form(step, _stored_as_data(form, draft), draft=draft, patient=patient,
                         pack=pack, nearest=nearest if step == "paciente" else ())
            form.is_valid()
            pages.add_findings(form, problems)
    return _render(request, "portal/certificates/step.html", {**context, "form": form})


def certificate_code(request, person):
    """The code typed is valid: its official description, to confirm it is the one on the
    paper (R-CER-03). Without JavaScript this is how a person sees it."""
    draft = steps.draft_get(request)
    patient = _patient(person, draft)
    if draft is None or patient is None:
        return redirect("portal:certificate_new")
    review = _review(request)
    answer = icd10_lookup(draft["data"].get("icd10_code", ""))
    if not answer.valid:
        return redirect(steps.step_url("paciente", review=review))
    pack = get_pack(patient.country)
    form = cforms.CodeConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirmed"] == "yes":
            draft["icd10_confirmed"] = answer.code
            steps.draft_save(request, draft)
            return redirect(steps.next_url("codigo", draft, pack, review=review))
        return redirect(steps.step_url("paciente", review=review, anchor="id_icd10_code"))
    return _render(request, "portal/certificates/code.html", {
        "form": form, "step": steps.BY_SLUG["codigo"], "answer": answer,
        "description": pages.icd10_description(answer),
        "back_url": steps.step_url("paciente", review=review)},
        status=INVALID if form.errors else 200)


@affiliate_required
@require_http_methods(["GET", "POST"])
def certificate_upload(request, person, step: str):
    """Step 7: one file per page — the scan and, from abroad, the apostille and the
    translation. Checked at once; kept until the submission (``certificate_uploads``)."""
    role = steps.ROLE_OF_STEP.get(step)
    if role is None:
        raise Http404
    draft = steps.draft_get(request)
    patient = _patient(person, draft)
    if draft is None or patient is None:
        return redirect("portal:certificate_new")
    pack = get_pack(patient.country)
    review = _review(request)
    if not steps.applies(step, draft, pack):
        return redirect(steps.next_url(step, draft, pack, review=review))
    files = draft.setdefault("files", {})
    kept = files.get(role) if kept_files.upload_exists(files.get(role)) else None
    form = cforms.UploadForm(request.POST or None, request.FILES or None, role=role,
                             kept=kept is not None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get(role)
        if not upload:
            return redirect(steps.next_url(step, draft, pack, review=review))
        try:
            new = kept_files.upload_keep(data=upload.read(settings.UPLOAD_MAX_BYTES + 1),
                                         filename=upload.name, role=role)
        except kept_files.UploadInvalid as exc:
            form.add_error(role, str(exc.message))
        else:
            kept_files.upload_forget(files.get(role))
            files[role] = new
            steps.draft_save(request, draft)
            return redirect(steps.next_url(step, draft, pack, review=review))
    return _render(request, "portal/certificates/upload.html", {
        "form": form, "step": steps.BY_SLUG[step], "role": role, "kept": kept,
        "review": review, "back_url": steps.step_url("revisar") if review
        else steps.back_url(step, draft, pack)},
        status=INVALID if form.errors else 200)


@affiliate_required
@require_POST
def certificate_upload_remove(request, person, step: str):
    role = steps.ROLE_OF_STEP.get(step)
    draft = steps.draft_get(request)
    if role is None or draft is None:
        raise Http404
    kept_files.upload_forget((draft.get("files") or {}).pop(role, None))
    steps.draft_save(request, draft)
    return redirect(steps.step_url(step, review=_review(request)))


@affiliate_required
@require_POST
def certificate_discard(request, person):
    """Forget the draft and its files."""
    steps.draft_clear(request)
    return redirect("portal:certificates")


@affiliate_required
@require_http_methods(["GET", "POST"])
def certificate_check(request, person):
    """Step 8: every answer with a "Change" link, and every finding at the top, each
    linking to the field that fixes it; then the submission (step 9)."""
    posted_key = request.POST.get("key", "") if request.method == "POST" else ""
    if posted_key and len(posted_key) <= 64 and posted_key.isprintable():
        done = certificate_selectors.certificates_of(person).filter(
            submitted_by=person, idempotency_key=posted_key).first()
        if done is not None:   # a second click, or the page sent again after it was done
            steps.draft_clear(request)
            return redirect("portal:certificate_sent", reference=done.case.reference)
    draft = steps.draft_get(request)
    patient = _patient(person, draft)
    if draft is None or patient is None:
        return redirect("portal:certificate_new")
    pack = get_pack(patient.country)
    key = steps.draft_key(request, draft)
    late = cforms.LateForm(request.POST if request.method == "POST" else {
        "late_reason": draft["data"].get("late_reason", "")})
    if late.is_valid() and request.method == "POST":
        draft["data"]["late_reason"] = late.cleaned_data.get("late_reason") or ""
        steps.draft_save(request, draft)
    try:
        checked = _check(person, patient, draft)
    except PatientNotAllowed:
        return redirect("portal:certificate_new")
    review = pages.review(checked, draft, pack)
    refused = None
    if request.method == "POST" and review.may_submit:
        cert, refused = pages.submit(person, patient, draft, key)
        if cert is not None:
            steps.draft_clear(request)
            return redirect("portal:certificate_sent", reference=cert.case.reference)
        review = pages.review(checked, draft, pack, extra=refused)
    if review.late_problem:
        late.add_error("late_reason", review.late_problem)
    return _render(request, "portal/certificates/check.html", {
        "review": review, "late_form": late, "key": key, "patient": patient,
        "back_url": steps.back_url("revisar", draft, pack),
        "step": steps.BY_SLUG["revisar"], "sections": pages.sections(draft, patient, pack),
        "page_has_errors": bool(review.problems), "pack": pack},
        status=INVALID if request.method == "POST" else 200)


@affiliate_required
def certificate_sent(request, person, reference: str):
    """Step 9: the confirmation — the reference, the validator's due date in working days,
    what happens next."""
    from ventanilla.certificates.errors import CertificateNotFound

    try:
        cert = certificate_selectors.certificate_get_for(person, reference)
    except CertificateNotFound as exc:
        raise Http404 from exc
    pack = get_pack(cert.country)
    to = cert.submitted_by or cert.patient
    return _render(request, "portal/certificates/sent.html", {
        "cert": cert, "working_days": pack.certificate_review_working_days,
        "email": to.email, "verify_url": pages.verify_path(),
        "becomes_official": pack.certificate_official_over_days is not None
        and cert.rest_days > pack.certificate_official_over_days})

