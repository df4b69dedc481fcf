"""The registration task list and its question pages, declared once.

Each step names its form, the answers it writes, the question whose answer it depends on
(``needs``: the document number needs the type of document, a city its province) and the
next step. Views are generic: a page opened before the one it needs redirects there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    title: Any
    task: str
    answers: tuple[str, ...] = ()
    form_kwargs: tuple[str, ...] = ()
    heading: Any = None  # the page's h1 when the form has several fields
    extra: dict = field(default_factory=dict)
    needs: str | None = None  # the slug of the step whose answer this page is built from


STEPS: list[Step] = [
    Step("nombre", forms.NameForm, _("What is your name?"), "personal",
         ("given_names", "family_names"), heading=_("What is your name?")),
    Step("fecha-de-nacimiento", forms.DateOfBirthForm, _("What is your date of birth?"),
         "personal", ("date_of_birth",)),
    Step("nacionalidad", forms.NationalityForm, _("What is your nationality?"), "personal",
         ("nationality",), ("country",)),
    Step("tipo-de-documento", forms.IdTypeForm, _("Which identity document do you have?"),
         "identity", ("id_type",), ("country",)),
    Step("numero-de-documento", forms.IdNumberForm, _("Identity document number"), "identity",
         ("id_number",), ("country", "id_type"), needs="tipo-de-documento"),
    Step("celular", forms.MobileForm, _("What is your mobile phone number?"), "contact",
         ("mobile_phone",), ("country",)),
    Step("lugar-1", forms.PlaceForm, _("Where do you live?"), "contact", (), ("country",),
         extra={"level": 0}),
    Step("lugar-2", forms.PlaceForm, _("Where do you live?"), "contact", (), ("country",),
         extra={"level": 1}, needs="lugar-1"),
    Step("lugar-3", forms.PlaceForm, _("Where do you live?"), "contact", ("subdivision_code",),
         ("country",), extra={"level": 2}, needs="lugar-2"),
    Step("calle", forms.StreetForm, _("What is your street address?"), "contact", ("street",)),
    Step("situacion", forms.SituationForm, _("Your situation"), "situation",
         ("employed_locally", "has_previous_health_card", "documents_in_other_language",
          "residency_document", "social_security_number"),
         heading=_("Your situation")),
    Step("tipo-de-afiliacion", forms.AffiliationTypeForm, _("How will you be insured?"),
         "situation", ("affiliation_type",), ("country",)),
]
BY_SLUG = {s.slug: s for s in STEPS}


def prerequisites(step: Step) -> list[Step]:
    """The steps ``step`` depends on, the first one to answer first."""
    chain: list[Step] = []
    while step.needs is not None:
        step = BY_SLUG[step.needs]
        chain.insert(0, step)
    return chain

TASKS = [
    ("personal", _("Personal details")),
    ("identity", _("Identity document")),
    ("contact", _("Contact and address")),
    ("situation", _("Your situation")),
    ("documents", _("Documents")),
    ("review", _("Check and send")),
]

TASK_FIELDS = {
    "personal": ("given_names", "family_names", "date_of_birth", "nationality"),
    "identity": ("id_type", "id_number"),
    "contact": ("mobile_phone", "subdivision_code", "street"),
}


def first_step(task: str) -> Step:
    return next(s for s in STEPS if s.task == task)


def next_step(step: Step) -> Step | None:
    i = STEPS.index(step)
    if i + 1 < len(STEPS) and STEPS[i + 1].task == step.task:
        return STEPS[i + 1]
    return None
