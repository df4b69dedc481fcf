"""Forms of the online registration: one question per page. They check the shape of an
answer; the rules (ID algorithms, phones, geography, duplicates) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ventanilla.core.fields import TextField
from ventanilla.core.forms import GovukDateField, GovukDateInput
from ventanilla.core.i18n import country_choices
from ventanilla.countries.registry import all_packs, get_pack


class CountryForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Which country's health system do you want to register with?"),
        widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select the country where you live")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            (p.code, f"{p.name} ({p.institution})") for p in all_packs()]


class EmailForm(forms.Form):
    page_heading_field = "email"
    email = forms.EmailField(
        label=_("What is your e-mail address?"),
        help_text=_("We will send you a code to confirm it, and write to you about your "
                    "application."),
        error_messages={"required": _("Enter your e-mail address"),
                        "invalid": _("Enter an e-mail address in the correct format, like "
                                     "name@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class StaffEmailForm(EmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].label = _("What is the person's e-mail address?")
        self.fields["email"].help_text = _("Optional. Decisions are sent to this address.")


class CodeForm(forms.Form):
    code = TextField(
        label=_("Enter the code we sent to your e-mail"),
        help_text=_("The code has 6 digits."), max_length=12,
        error_messages={"required": _("Enter the 6-digit code from the e-mail")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "govuk-input--width-5"}),
    )


class NameForm(forms.Form):
    given_names = TextField(
        label=_("Given names"), max_length=120,
        error_messages={"required": _("Enter your given names")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}))
    family_names = TextField(
        label=_("Family names"), max_length=120,
        help_text=_("As written on your identity document."),
        error_messages={"required": _("Enter your family names")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}))


class DateOfBirthForm(forms.Form):
    page_heading_field = "date_of_birth"
    date_of_birth = GovukDateField(
        label=_("What is your date of birth?"), help_text=_("For example, 27 3 1985"),
        widget=GovukDateInput(attrs={"autocomplete": "bday"}),
        error_messages={"required": _("Enter your date of birth")})


class NationalityForm(forms.Form):
    page_heading_field = "nationality"
    nationality = forms.ChoiceField(
        label=_("What is your nationality?"),
        error_messages={"required": _("Select your nationality"),
                        "invalid_choice": _("Select your nationality")})

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = country_choices(get_language() or "es")
        own = [c for c in choices if c[0] == country]
        self.fields["nationality"].choices = [  # type: ignore[attr-defined]
            ("", _("Select a country")), *own, *choices]


class IdTypeForm(forms.Form):
    page_heading_field = "id_type"
    id_type = forms.ChoiceField(
        label=_("Which identity document do you have?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of identity document")})

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_type"].choices = [  # type: ignore[attr-defined]
            (t.code, t.label) for t in get_pack(country).id_types]


class IdNumberForm(forms.Form):
    page_heading_field = "id_number"
    id_number = TextField(
        max_length=24, error_messages={"required": _("Enter the number of your identity "
                                                     "document")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off",
                                      "class": "govuk-input--width-20"}))

    def __init__(self, *args, country: str, id_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        kind = get_pack(country).id_type(id_type)
        self.fields["id_number"].label = _("What is your %(document)s number?") % {
            "document": kind.label}
        self.fields["id_number"].help_text = str(kind.hint)


class MobileForm(forms.Form):
    page_heading_field = "mobile_phone"
    mobile_phone = TextField(
        label=_("What is your mobile phone number?"), max_length=24,
        error_messages={"required": _("Enter your mobile phone number")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                      "class": "govuk-input--width-20"}))

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile_phone"].help_text = _(
            "A mobile number of %(country)s, like %(example)s") % {
            "country": get_pack(country).name, "example": get_pack(country).mobile_example()}


class PlaceForm(forms.Form):
    page_heading_field = "place"
    place = forms.ChoiceField(error_messages={"required": _("Select where you live"),
                                              "invalid_choice": _("Select where you live")})

    def __init__(self, *args, country: str, level: int, parent: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        geo = get_pack(country).geography
        label = geo.level_labels[level]
        self.fields["place"].label = _("%(level)s where you live") % {"level": label}
        self.fields["place"].error_messages["required"] = _(
            "Select your %(level)s") % {"level": str(label).lower()}
        self.fields["place"].choices = [("", _("Select")), *[  # type: ignore[attr-defined]
            (s.code, s.label) for s in geo.children(parent)]]


class StreetForm(forms.Form):
    page_heading_field = "street"
    street = TextField(
        label=_("What is your street address?"), max_length=200,
        help_text=_("Street, number and any reference that helps find it."),
        error_messages={"required": _("Enter your street address")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))


class SituationForm(forms.Form):
    employed_locally = forms.BooleanField(
        required=False, label=_("I work under a local employment contract"))
    has_previous_health_card = forms.BooleanField(
        required=False, label=_("I have a health or insurance card from before"))
    documents_in_other_language = forms.BooleanField(
        required=False, label=_("Some of my documents are not in Spanish"))
    residency_document = TextField(
        required=False, max_length=60, label=_("Visa or residency document number"),
        help_text=_("Foreign residents only. As printed on your visa or residency card."))
    social_security_number = TextField(
        required=False, max_length=20, label=_("Social security number, if you have one"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}))


class AffiliationTypeForm(forms.Form):
    page_heading_field = "affiliation_type"
    affiliation_type = forms.ChoiceField(
        label=_("How will you be insured?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select how you will be insured")})

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation_type"].choices = [  # type: ignore[attr-defined]
            (t.code, t.label) for t in get_pack(country).affiliation_types
            if not t.is_dependant]


_ACCEPT = {"accept": ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,"
                     "image/heic,image/heif"}


class DocumentUploadForm(forms.Form):
    """One file, or for a two-sided document (``DocumentKind.sides``) the front and the
    back: both with the same hint and the same checks (the service's). When the front is
    already stored, the back alone may be sent."""

    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("JPG, PNG, HEIC or PDF, up to 10 MB. A photo taken with your phone is "
                    "fine."),
        error_messages={"required": _("Select a file to upload"),
                        "empty": _("The selected file is empty")},
        widget=forms.ClearableFileInput(attrs=_ACCEPT))

    def __init__(self, *args, sides: int = 1, has_front: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sides < 2:
            return
        self.fields["file"].label = pgettext_lazy("side of a card", "Front")
        self.fields["file"].required = not has_front
        self.fields["file_back"] = forms.FileField(
            label=pgettext_lazy("side of a card", "Back"), required=False,
            help_text=_("JPG, PNG, HEIC or PDF, up to 10 MB. Leave it empty if the front's "
                        "file already shows both sides."),
            error_messages={"empty": _("The selected file is empty")},
            widget=forms.ClearableFileInput(attrs=_ACCEPT))

    def clean(self):
        data = super().clean()
        if ("file_back" in self.fields and not data.get("file") and not data.get("file_back")
                and not self.errors):
            self.add_error("file", _("Select a file to upload"))
        return data


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("I confirm that the information I gave is true and complete"),
        error_messages={"required": _("Confirm that the information you gave is true")})


class ResumeRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like "
                         "name@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    reference = TextField(
        label=_("Application reference number"), max_length=20, required=False,
        help_text=_("If you have it: it is in the e-mail we sent you, for example "
                    "EC-7KQ29XW4P."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}))


class CaseLookupForm(forms.Form):
    reference = TextField(
        label=_("Case reference number"), max_length=20,
        help_text=_("For example EC-7KQ29XW4P."),
        error_messages={"required": _("Enter the reference number")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}))
    id_number = TextField(
        label=_("Identity document number of the person"), max_length=24,
        error_messages={"required": _("Enter the identity document number")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false",
                                      "autocomplete": "off"}))


class PlanStatusForm(forms.Form):
    """R-AFF-08: Peru's SIS status by DNI."""

    id_number = TextField(
        label=_("DNI number"), max_length=12, help_text=_("8 digits."),
        error_messages={"required": _("Enter the DNI number")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric",
                                      "spellcheck": "false", "autocomplete": "off"}))


class CertificateVerifyForm(forms.Form):
    """The employer's check of a sick-leave certificate (R-CER-05): the reference and the
    worker's ID number, nothing else."""

    reference = TextField(
        label=_("Certificate reference number"), max_length=20,
        help_text=_("It is on the worker's receipt, for example EC-7KQ29XW4P."),
        error_messages={"required": _("Enter the certificate reference number")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false",
                                      "autocapitalize": "characters"}))
    id_number = TextField(
        label=_("The worker's ID number"), max_length=20,
        help_text=_("As on their identity card (cédula or DNI)."),
        error_messages={"required": _("Enter the worker's ID number")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false",
                                      "autocomplete": "off", "inputmode": "numeric"}))
