"""Forms of the validators' desk and of the institution's rest certificate (R-CER-01..05).

They only parse: the certificates' services decide (every tick of the checklist, the reasons
of a rejection, what a note must say, the dates and the ICD-10 code of an issued one)."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ventanilla.certificates import rules
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.selectors import QueueFilters
from ventanilla.certificates.services.review import NOTE_MAX
from ventanilla.core.fields import TextField
from ventanilla.countries.registry import all_packs

StrOrPromise = str | Promise
CENTRE_MAX = 160     # Certificate.establishment
# The statuses as staff read them (the model's labels speak to the person: "sent back to
# you")
STAFF_STATUS: dict[str, StrOrPromise] = {
    Certificate.Status.SUBMITTED: _("Waiting for validation"),
    Certificate.Status.RETURNED: _("Sent back for a correction"),
    Certificate.Status.VALIDATED: _("Validated"),
    Certificate.Status.REJECTED: _("Rejected"),
}


class CertificateQueueForm(forms.Form):
    """The queue's filters; the field names are the query parameters (a GET form that works
    without JavaScript)."""

    govuk_mark_optional = False

    pais = forms.ChoiceField(label=_("Country"), required=False)
    estado = forms.ChoiceField(
        label=_("Status"), required=False,
        error_messages={"invalid_choice": _("Choose a status from the list")})
    tipo = forms.ChoiceField(
        label=_("Kind of certificate"), required=False,
        error_messages={"invalid_choice": _("Choose a kind of certificate from the list")})
    centro = TextField(label=_("Hospital, clinic or practice"), required=False,
                       max_length=CENTRE_MAX, widget=forms.TextInput(attrs={"width": "20"}),
                       help_text=_("Part of its name is enough"))
    vencidos = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, choose_country: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_country:
            self._choices("pais", [(p.code, p.name) for p in all_packs()])
        else:
            del self.fields["pais"]
        self._choices("estado", list(STAFF_STATUS.items()))
        self._choices("tipo", [("", _("Any kind")), *Certificate.Kind.choices])

    def _choices(self, name: str, choices) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> QueueFilters:
        """The filters chosen (the defaults for a field with an error)."""
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(status=data.get("estado") or Certificate.Status.SUBMITTED,
                            kind=data.get("tipo") or "", centre=data.get("centro") or "",
                            overdue_only=bool(data.get("vencidos")))

    def country(self, default: str) -> str:
        data = getattr(self, "cleaned_data", {})
        return data.get("pais") or default


class ValidateForm(forms.Form):
    """The checklist of what only a person can judge on the scan; the service refuses a
    validation with an item not ticked."""

    govuk_mark_optional = False
    prefix = "validar"
    checklist = forms.MultipleChoiceField(
        label=_("Checked on the scan"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each one after looking at the scan: a certificate is validated "
                    "only with every tick."),
        error_messages={"invalid_choice": _("Tick the checks from the list")})

    def __init__(self, *args, certificate: Certificate, **kwargs):
        super().__init__(*args, **kwargs)
        items = dict(rules.CHECKLIST)
        if certificate.issued_country != certificate.country:   # R-CER-05: from abroad
            items["apostille"] = rules.CHECKLIST_ABROAD["apostille"]
            if (certificate.language or "es").lower() != "es":
                items["translation"] = rules.CHECKLIST_ABROAD["translation"]
        field = self.fields["checklist"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(items.items())


class RejectForm(forms.Form):
    govuk_mark_optional = False
    prefix = "rechazar"
    reasons = forms.MultipleChoiceField(
        label=_("Why it is rejected"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(rules.REJECTION_REASONS.items()),
        help_text=_("Choose every reason that applies: the person reads them all."),
        error_messages={"invalid_choice": _("Choose the reasons from the list.")})
    note = TextField(label=_("Note to the person"), required=False, max_length=NOTE_MAX,
                     widget=forms.Textarea(attrs={"rows": 3}),
                     help_text=_("Needed for another reason; the person reads it."))


class ReturnForm(forms.Form):
    govuk_mark_optional = False
    prefix = "devolver"
    note = TextField(label=_("What the person must correct"), required=False,
                     max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                     help_text=_("For example: the scan is blurred, photograph it again. "
                                 "The person corrects it without starting again."))


# --- the institution's own certificate (R-CER-01) -------------------------------------------

class IssueForm(forms.Form):
    """The rest certificate of an attended appointment, as the clinician writes it. Nothing
    is required here: the service reads the dates (day/month/year, as on paper) and the
    code, and names every problem at once (R-CER-03)."""

    govuk_mark_optional = False

    kind = forms.ChoiceField(
        label=_("Kind of certificate"), widget=forms.RadioSelect, required=False,
        choices=Certificate.Kind.choices,
        error_messages={"invalid_choice": _("Choose the kind of certificate.")})
    diagnosis = TextField(label=_("Diagnosis"), max_length=2000, required=False,
                          widget=forms.Textarea(attrs={"rows": 3}))
    icd10_code = TextField(
        label=_("ICD-10 code"), max_length=8, required=False,
        help_text=_("The full code, for example J06.9"),
        widget=forms.TextInput(attrs={"width": "5", "spellcheck": "false",
                                      "autocapitalize": "characters"}))
    rest_start = TextField(
        label=_("First day of rest"), max_length=10, required=False,
        help_text=_("Day/month/year, for example 07/12/2026"),
        widget=forms.TextInput(attrs={"width": "10"}))
    rest_end = TextField(
        label=_("Last day of rest"), max_length=10, required=False,
        help_text=_("Day/month/year, for example 09/12/2026"),
        widget=forms.TextInput(attrs={"width": "10"}))
