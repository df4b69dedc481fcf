"""The forms of a certificate in the portal, one per step, and the correction's (all of
them on one page).

They check only the shape of an answer (lengths, a choice from the list, a file given).
Whether an answer is right — missing, a date that cannot be read, an ICD-10 code, the
registry's name — is the automatic checks' (``certificates.checks``), run by the views at
each step with the very messages the submission enforces, each under the field it names
(the field names are the service's: ``Finding.field``)."""

from __future__ import annotations

import copy

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.certificates.checks import BABY_SEXES
from ventanilla.certificates.models import Certificate
from ventanilla.core.fields import TextField
from ventanilla.core.forms import HintedChoice
from ventanilla.core.i18n import country_choices

from .forms import YES_NO

DATE_HINT = _("As the certificate writes it, day/month/year: for example 07/12/2026.")
ACCEPT = {"accept": ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,"
                    "image/heic,image/heif"}
# Languages a certificate from abroad is most often written in; any other: "other".
LANGUAGES = ("es", "en", "pt", "fr", "it", "de", "zh", "ru")


class _Form(forms.Form):
    # Every answer is needed; the checks say which one is missing, so nothing is marked
    # "(optional)".
    govuk_mark_optional = False


def _text(label, max_length: int, *, hint=None, width: str | None = None, widget=None,
          **attrs) -> TextField:
    attrs.setdefault("autocomplete", "off")
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    return TextField(label=label, max_length=max_length, required=False, help_text=hint,
                     widget=widget(attrs=attrs) if widget else forms.TextInput(attrs=attrs))


def _date(label) -> TextField:
    return _text(label, 20, hint=DATE_HINT, width="10", spellcheck="false")


def _radios(label, choices, *, required_message=None, heading: bool = False,
            inline: bool = False) -> forms.ChoiceField:
    attrs = {"data-label-size": "m"} if not heading else {}
    if inline:
        attrs["variant"] = "inline"
    return forms.ChoiceField(
        label=label, choices=choices, required=required_message is not None,
        widget=forms.RadioSelect(attrs=attrs),
        error_messages={"required": required_message or "",
                        "invalid_choice": required_message or _("Choose one of the answers")})


class WhoForm(_Form):
    page_heading_field = "patient"
    patient = forms.ChoiceField(
        label=_("Who is on sick leave?"), widget=forms.RadioSelect,
        help_text=_("You can submit a certificate for yourself or for a dependant covered "
                    "through you."),
        error_messages={"required": _("Select who is on sick leave"),
                        "invalid_choice": _("Select who is on sick leave")})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [  # type: ignore[attr-defined]
            (str(p.public_id), _("Me (%(name)s)") % {"name": p.full_name} if i == 0
             else p.full_name) for i, p in enumerate(people)]


def kind_choices():
    hints = {
        "illness": _("An illness, treated at home or at a practice."),
        "accident": _("An injury, at work or anywhere else."),
        "hospitalisation": _("Admitted to a hospital or clinic. We also ask the dates and "
                             "the procedure."),
        "maternity": _("The birth of a baby. We also ask about the birth."),
    }
    return [(value, HintedChoice(label, hints.get(value)))
            for value, label in Certificate.Kind.choices]


def language_choices():
    from babel import Locale

    locale = Locale.parse("en" if (get_language() or "es").startswith("en") else "es")
    names = [(code, (locale.languages.get(code) or code).capitalize()) for code in LANGUAGES]
    return [("", _("Select a language")), *names, ("other", _("Another language"))]


class KindForm(_Form):
    kind = forms.ChoiceField(
        label=_("What kind of certificate is it?"), widget=forms.RadioSelect(
            attrs={"data-label-size": "m"}),
        error_messages={"required": _("Choose the kind of certificate."),
                        "invalid_choice": _("Choose the kind of certificate.")})
    abroad = forms.ChoiceField(
        label=_("Where was it issued?"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Say whether the certificate was issued in this "
                                      "country or abroad"),
                        "invalid_choice": _("Say whether the certificate was issued in this "
                                            "country or abroad")})
    issued_country = forms.ChoiceField(
        label=_("Country where it was issued"), required=False,
        help_text=_("Only for a certificate from abroad."))
    language = forms.ChoiceField(
        label=_("Language of the certificate"), required=False,
        help_text=_("Only for a certificate from abroad. One that is not in Spanish needs "
                    "an official translation."))

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack = pack
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]
        self.fields["abroad"].choices = [  # type: ignore[attr-defined]
            ("no", _("In %(country)s") % {"country": pack.name}),
            ("yes", _("In another country"))]
        countries = [c for c in country_choices(get_language() or "es") if c[0] != pack.code]
        self.fields["issued_country"].choices = [  # type: ignore[attr-defined]
            ("", _("Select a country")), *countries]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def clean(self):
        return clean_abroad(self, super().clean())


def clean_abroad(form, data: dict) -> dict:
    """From abroad: the country and the language are needed; at home they are the
    country's and Spanish."""
    if data.get("abroad") == "yes":
        if not data.get("issued_country"):
            form.add_error("issued_country", _("Select the country where the certificate "
                                               "was issued"))
        if not data.get("language"):
            form.add_error("language", _("Select the language of the certificate"))
    elif data.get("abroad") == "no":
        data["issued_country"], data["language"] = form.pack.code, "es"
    return data


class DoctorForm(_Form):
    doctor_name = _text(_("Doctor's full name"), 160, hint=_("As the letterhead gives it."))
    doctor_specialty = _text(_("Doctor's specialty"), 120)
    establishment = _text(_("Hospital, clinic or practice"), 160)
    doctor_email = _text(_("Doctor's e-mail address"), 254, widget=forms.EmailInput,
                         spellcheck="false")
    doctor_registration = _text(_("Doctor's registration code"), 40, width="20",
                                spellcheck="false")
    establishment_phone = _text(_("Establishment's phone number"), 30, widget=forms.TelInput,
                                width="20", hint=_("With its area code."))
    establishment_address = _text(_("Establishment's address"), 200)
    issued_place = _text(_("Place of issue"), 120, hint=_("The city the certificate gives."))
    issued_on = _date(_("Issue date"))

    def __init__(self, *args, pack, abroad: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["doctor_registration"]
        if abroad:
            field.help_text = _("As on the doctor's stamp.")
        else:
            field.help_text = _(
                "As on the doctor's stamp. In %(country)s it looks like %(example)s.") % {
                "country": pack.name, "example": pack.doctor_registration_example}


class PatientForm(_Form):
    patient_names = _text(_("Patient's full names"), 240, spellcheck="false")
    patient_id_number = _text(_("Patient's ID number"), 20, width="20", spellcheck="false")
    diagnosis = _text(_("Diagnosis"), 2000, widget=forms.Textarea, rows="3",
                      hint=_("As the certificate writes it."))
    icd10_code = _text(_("ICD-10 code of the diagnosis"), 12, width="10", spellcheck="false",
                       autocapitalize="characters",
                       hint=_("As on the certificate: a letter and numbers, for example "
                              "J06.9."))
    icd10_seen = TextField(required=False, widget=forms.HiddenInput, max_length=12)

    def __init__(self, *args, patient, nearest=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = self.fields["patient_names"]
        names.help_text = _("As the certificate writes them. The ID card says: %(names)s.") % {
            "names": patient.full_name}
        self.fields["patient_id_number"].help_text = _(
            "As the certificate writes it. The ID card says: %(number)s.") % {
            "number": patient.id_number}
        self.fields["icd10_code"].widget.attrs.update({
            "data-module": "icd10-autocomplete", "aria-describedby": "icd10-chosen"})
        if nearest:
            self.fields["icd10_choice"] = forms.ChoiceField(
                label=_("Is it one of these codes?"), required=False,
                widget=forms.RadioSelect(attrs={"data-label-size": "s"}),
                help_text=_("Choose the code that is on the certificate, or type it again "
                            "above."),
                choices=[(item.code, HintedChoice(item.code, item.description))
                         for item in nearest])


class CodeConfirmForm(_Form):
    page_heading_field = "confirmed"
    confirmed = forms.ChoiceField(
        label=_("Is this the diagnosis on the certificate?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, the certificate gives this code")),
                 ("no", _("No, I will check the code again"))],
        error_messages={"required": _("Say whether the description matches the "
                                      "certificate"),
                        "invalid_choice": _("Say whether the description matches the "
                                            "certificate")})


class DaysForm(_Form):
    rest_start = _date(_("First day of rest"))
    rest_end = _date(_("Last day of rest"))
    rest_days = _text(_("Number of days of rest"), 4, width="3", inputmode="numeric",
                      hint=_("The number the certificate gives, in figures."))
    rest_days_words = _text(_("Number of days of rest in words"), 80, width="20",
                            hint=_("As the certificate writes it, for example tres."))

    def __init__(self, *args, pack, abroad: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not days_in_words(pack, abroad=abroad):
            del self.fields["rest_days_words"]


def days_in_words(pack, *, abroad: bool) -> bool:
    """R-CER-04 (Ecuador): a certificate of the country gives the days in figures and in
    words."""
    return bool(pack.certificate_days_in_words) and not abroad


def _sex_choices():
    labels = {"female": _("Female"), "male": _("Male"), "undetermined": _("Undetermined")}
    return [(s, labels[s]) for s in BABY_SEXES]


class HospitalisationForm(_Form):
    admitted_on = _date(_("Date of admission"))
    discharged_on = _date(_("Date of discharge"))
    procedure = _text(_("Procedure performed"), 240,
                      hint=_("As the certificate writes it, for example appendectomy."))


class MaternityForm(_Form):
    delivered_on = _date(_("Date of delivery"))
    live_birth = _radios(_("Was the baby born alive?"), YES_NO, inline=True)
    pregnancy_weeks = _text(_("Weeks of pregnancy at delivery"), 3, width="3",
                            inputmode="numeric", hint=_("In figures, for example 39."))
    baby_sex = _radios(_("Baby's sex"), [], inline=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baby_sex"].choices = _sex_choices()  # type: ignore[attr-defined]


def details_form_class(kind: str):
    return {"hospitalisation": HospitalisationForm, "maternity": MaternityForm}.get(kind)


UPLOAD_LABELS = {
    "scan": (_("Upload the certificate"),
             _("Upload a photo or scan of the certificate.")),
    "apostille": (_("Upload the apostille"),
                  _("A certificate from abroad needs the apostille of the country where it "
                    "was issued: upload it.")),
    "translation": (_("Upload the official translation"),
                    _("A certificate that is not in Spanish needs an official translation: "
                      "upload it.")),
}


def upload_hint():
    mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return _("JPG, PNG, HEIC or PDF, up to %(mb)s MB. A photo taken with your phone is "
             "fine.") % {"mb": mb}


def _file_field(role: str, *, required: bool) -> forms.FileField:
    label, missing = UPLOAD_LABELS[role]
    return forms.FileField(
        label=label, required=required, help_text=upload_hint(),
        error_messages={"required": missing, "empty": _("The selected file is empty")},
        widget=forms.ClearableFileInput(attrs=ACCEPT))


class UploadForm(forms.Form):
    def __init__(self, *args, role: str, kept: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.fields[role] = _file_field(role, required=not kept)
        self.fields[role].label = (_("Replace it with another file") if kept
                                   else _("Upload a file"))


class LateForm(_Form):
    late_reason = _text(_("Why is it submitted late?"), 2000, widget=forms.Textarea,
                        rows="4", hint=_("The validator reads it and decides whether the "
                                         "reason is accepted."))


class CorrectionForm(_Form):
    """Every answer of a certificate on one page, with the files to replace (optional):
    a certificate sent back is corrected, not started again (R-CER-05)."""

    def __init__(self, *args, pack, patient, kind: str, abroad: bool, language: str,
                 **kwargs):
        super().__init__(*args, **kwargs)
        parts = [KindForm(pack=pack), DoctorForm(pack=pack, abroad=abroad),
                 PatientForm(patient=patient), DaysForm(pack=pack, abroad=abroad)]
        details = details_form_class(kind)
        if details is not None:
            parts.append(details())
        for part in parts:
            for name, field in part.fields.items():
                if name != "icd10_seen":
                    self.fields[name] = field
        self.fields["icd10_code"].widget.attrs.pop("data-module", None)
        self.fields["icd10_code"].widget.attrs.pop("aria-describedby", None)
        self.fields["late_reason"] = copy.deepcopy(LateForm.base_fields["late_reason"])
        self.fields["late_reason"].label = _("If it is submitted late: why?")
        self.pack = pack
        roles = ["scan"] + (["apostille"] if abroad else []) + (
            ["translation"] if abroad and language != "es" else [])
        for role in roles:
            self.fields[role] = _file_field(role, required=False)
            self.fields[role].label = {"scan": _("Replace the certificate's scan"),
                                       "apostille": _("Replace the apostille"),
                                       "translation": _("Replace the translation")}[role]

    def clean(self):
        return clean_abroad(self, super().clean())
