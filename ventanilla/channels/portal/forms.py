"""Forms of the affiliates' portal. They check the shape of an answer; the rules are the
services' (sign-in, the clave, cases)."""

from __future__ import annotations

import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.clave import CLAVE_MAX_LENGTH, clave_rule_text_lazy
from ventanilla.core.fields import TextField
from ventanilla.core.forms import GovukDateField, GovukDateInput
from ventanilla.countries.registry import all_packs


def document_choices(*, national_only: bool = False) -> list[tuple[str, str]]:
    """One choice per country and identity document: "EC:cedula" → "Ecuador: Cédula", in
    the language active now."""
    return [(f"{p.code}:{t.code}", f"{p.name}: {t.label}") for p in all_packs()
            for t in p.id_types if t.national or not national_only]


class DocumentField(forms.ChoiceField):
    def __init__(self, *, national_only: bool = False, **kwargs):
        kwargs.setdefault("label", _("Identity document"))
        kwargs.setdefault("error_messages", {"required": _("Select your identity document"),
                                             "invalid_choice": _("Select your identity "
                                                                 "document")})
        super().__init__(**kwargs)
        # A callable: the field is built when the module loads, and labels built then would
        # stay in that moment's language (the English sign-in pages said "Pasaporte").
        # Django calls it each time the choices are read, in the request's language.
        self.choices = functools.partial(document_choices, national_only=national_only)


def _id_number_field():
    return TextField(
        label=_("Identity document number"), max_length=20,
        error_messages={"required": _("Enter your identity document number")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false",
                                      "class": "govuk-input--width-20"}))


class _IdentityForm(forms.Form):
    def identity(self) -> dict:
        country, _sep, id_type = self.cleaned_data["document"].partition(":")
        return {"country": country, "id_type": id_type,
                "id_number": self.cleaned_data["id_number"]}


class SignInForm(_IdentityForm):
    document = DocumentField()
    id_number = _id_number_field()
    password = forms.CharField(
        label=_("Clave"), strip=False, max_length=128,
        error_messages={"required": _("Enter your clave")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class NewClaveField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Choose your clave"), strip=False, max_length=CLAVE_MAX_LENGTH,
            help_text=clave_rule_text_lazy(),
            error_messages={"required": _("Choose your clave")},
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), **kwargs)


class ClaveCodeForm(_IdentityForm):
    document = DocumentField()
    id_number = _id_number_field()
    code = TextField(
        label=_("Code from the service centre"), max_length=12,
        help_text=_("8 letters and digits, printed for you at the counter. For example, "
                    "7KQ2-M9XD."),
        error_messages={"required": _("Enter the code you got at the service centre")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                      "autocapitalize": "characters",
                                      "class": "govuk-input--width-10"}))
    password = NewClaveField()


def province_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [(str(p.name), [(f"{p.code}:{s.code}", s.name) for s in p.geography.top_level()])
            for p in all_packs()]


class ClaveOnlineForm(_IdentityForm):
    document = DocumentField(national_only=True,
                             help_text=_("Only for the national identity card. With a "
                                         "passport or residence card, ask at a service "
                                         "centre."))
    id_number = _id_number_field()
    date_of_birth = GovukDateField(
        label=_("Date of birth"), help_text=_("For example, 27 3 1985"),
        widget=GovukDateInput(attrs={"autocomplete": "bday"}),
        error_messages={"required": _("Enter your date of birth")})
    province = forms.ChoiceField(
        label=_("Province or region where you live"),
        help_text=_("As in your registration with the health system."),
        error_messages={"required": _("Select the province or region where you live")})
    phone_last_digits = TextField(
        label=_("Last 4 digits of your mobile phone number"), max_length=4, min_length=4,
        help_text=_("The number you gave when you registered."),
        error_messages={"required": _("Enter the last 4 digits of your mobile phone number"),
                        "min_length": _("Enter 4 digits")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "class": "govuk-input--width-4"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Select")), *province_choices()]

    def clean(self):
        data = super().clean()
        document, province = data.get("document", ""), data.get("province", "")
        if document and province and document[:2] != province[:2]:
            self.add_error("province", _("Select a province or region of the same country "
                                         "as your identity document"))
        return data


class ClaveLinkForm(forms.Form):
    password = NewClaveField()


class ContributionErrorForm(forms.Form):
    description = TextField(
        label=_("What is wrong in your contribution history?"), max_length=2000,
        help_text=_("Say which months and what you expected to see. Do not include "
                    "passwords."),
        error_messages={"required": _("Describe the problem in a few words")},
        widget=forms.Textarea(attrs={"rows": 5}))


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DependantSituationForm(forms.Form):
    """Who the affiliate asks coverage for (R-DEP-01, R-DEP-02)."""

    relationship = forms.ChoiceField(
        label=_("Who do you want to cover?"),
        widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        choices=[("spouse", _("My spouse or partner")),
                 ("child", _("My child under 18"))],
        error_messages={"required": _("Select who you want to cover")})
    union_kind = forms.ChoiceField(
        label=_("For a spouse or partner: are you married or in a de-facto union?"),
        widget=forms.RadioSelect, required=False,
        choices=[("marriage", _("Married")),
                 ("de_facto", _("De-facto union (unión de hecho)"))])
    marriage_abroad = forms.ChoiceField(
        label=_("For a marriage: was it celebrated in another country?"),
        widget=forms.RadioSelect, required=False, choices=YES_NO)

    def clean(self):
        data = super().clean()
        if data.get("relationship") == "spouse":
            if not data.get("union_kind"):
                self.add_error("union_kind", _("Select married or de-facto union"))
            elif data["union_kind"] == "marriage" and not data.get("marriage_abroad"):
                self.add_error("marriage_abroad",
                               _("Select yes if the marriage was celebrated abroad"))
        else:
            data["union_kind"], data["marriage_abroad"] = "marriage", "no"
        if data.get("union_kind") == "de_facto":
            data["marriage_abroad"] = "no"
        return data

    def situation(self) -> dict:
        d = self.cleaned_data
        return {"relationship": d["relationship"], "union_kind": d["union_kind"] or "marriage",
                "marriage_abroad": d.get("marriage_abroad") == "yes"}


class DependantDetailsForm(forms.Form):
    given_names = TextField(
        label=_("Their given names"), max_length=120,
        error_messages={"required": _("Enter their given names")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    family_names = TextField(
        label=_("Their family names"), max_length=120,
        error_messages={"required": _("Enter their family names")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    date_of_birth = GovukDateField(
        label=_("Their date of birth"), help_text=_("For example, 27 3 2015"),
        widget=GovukDateInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter their date of birth")})
    nationality = forms.ChoiceField(label=_("Their nationality"),
                                    error_messages={"required": _("Select their nationality")})
    id_type = forms.ChoiceField(label=_("Their identity document"),
                                error_messages={"required": _("Select their identity "
                                                              "document")})
    id_number = TextField(
        label=_("Their identity document number"), max_length=20,
        error_messages={"required": _("Enter their identity document number")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "class": "govuk-input--width-20"}))
    inscription_reference = TextField(
        label=_("Registro Civil inscription reference"), max_length=60, required=False,
        help_text=_("The reference of the inscription of your marriage at the Registro "
                    "Civil."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, country: str, needs_inscription: bool, **kwargs):
        from django.utils.translation import get_language

        from ventanilla.core.i18n import country_choices
        from ventanilla.countries.registry import get_pack

        super().__init__(*args, **kwargs)
        pack = get_pack(country)
        id_type = self.fields["id_type"]
        nationality = self.fields["nationality"]
        assert isinstance(id_type, forms.ChoiceField)
        assert isinstance(nationality, forms.ChoiceField)
        id_type.choices = [(t.code, t.label) for t in pack.id_types]
        nationality.choices = [("", _("Select")), *country_choices(get_language() or "es")]
        self.fields["nationality"].initial = pack.code
        if not needs_inscription:
            del self.fields["inscription_reference"]

    def dependant(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("id_type", "id_number", "given_names",
                                                  "family_names", "date_of_birth",
                                                  "nationality")}


class VisitWhatForm(forms.Form):
    """Office visit, step 1: what for, where, and for whom (R-REG-07)."""

    service = forms.ChoiceField(
        label=_("What is the visit for?"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select what the visit is for")})
    centre = forms.ChoiceField(
        label=_("Service centre"),
        error_messages={"required": _("Select a service centre")})
    booked_for = forms.ChoiceField(
        label=_("Who is the visit for?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select who the visit is for")})

    def __init__(self, *args, services, centres, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (("service", [(s.code, s.label) for s in services]),
                              ("centre", [(str(c.public_id), f"{c.name} – {c.address}")
                                          for c in centres]),
                              ("booked_for", [(str(p.public_id),
                                               _("Me (%(name)s)") % {"name": p.full_name}
                                               if i == 0 else p.full_name)
                                              for i, p in enumerate(people)])):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class VisitTimeForm(forms.Form):
    slot = forms.ChoiceField(
        label=_("Choose a time"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select a time")})

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = slots


class InPersonMatterForm(forms.Form):
    """R-AFF-05: matters that cannot be solved online or by phone."""

    kind = forms.ChoiceField(
        label=_("What is it about?"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select what it is about")})
    description = TextField(
        label=_("Tell us what happened"), max_length=2000,
        help_text=_("When it happened, what you were told, and what you ask for. Do not "
                    "include passwords."),
        error_messages={"required": _("Describe the problem in a few words")},
        widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kinds


class VisitorForm(_IdentityForm):
    """Who wants to book an office visit without a clave."""

    document = DocumentField()
    id_number = _id_number_field()
    date_of_birth = GovukDateField(
        label=_("Date of birth"), help_text=_("For example, 27 3 1985"),
        widget=GovukDateInput(attrs={"autocomplete": "bday"}),
        error_messages={"required": _("Enter your date of birth")})


class VisitorCodeForm(forms.Form):
    code = TextField(
        label=_("Enter the code we sent to your e-mail"),
        help_text=_("The code has 6 digits."), max_length=12,
        error_messages={"required": _("Enter the 6-digit code from the e-mail")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "govuk-input--width-5"}))


class ContactForm(forms.Form):
    """R-APT-03: the person confirms how to reach them before booking."""

    mobile_phone = TextField(
        label=_("Mobile phone"), max_length=20,
        error_messages={"required": _("Enter your mobile phone number")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                      "class": "govuk-input--width-20"}))
    carrier = forms.ChoiceField(
        label=_("Mobile phone carrier"), required=False,
        help_text=_("We read it from the number when we can; otherwise choose yours."))
    email = forms.EmailField(
        label=_("E-mail"), max_length=254,
        error_messages={"required": _("Enter your e-mail address"),
                        "invalid": _("Enter an e-mail address in the correct format, like "
                                     "name@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))

    def __init__(self, *args, carriers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["carrier"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Select")), *[(c, c) for c in carriers]]


class AppointmentWhatForm(forms.Form):
    """R-APT-03: for whom, which specialty, where (province and city)."""

    booked_for = forms.ChoiceField(
        label=_("Who is the appointment for?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select who the appointment is for")})
    specialty = forms.ChoiceField(
        label=_("Specialty"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select a specialty")})
    province = forms.ChoiceField(
        label=_("Province or region"),
        widget=forms.Select(attrs={"data-module": "place-select"}),
        error_messages={"required": _("Select a province or region")})
    city = forms.ChoiceField(
        label=_("City (canton or province)"),
        help_text=_("The cities of the province you chose. Changing the province shows "
                    "its cities."),
        error_messages={"required": _("Select a city")})

    def __init__(self, *args, people, specialties, provinces, cities, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "booked_for": [(str(p.public_id), _("Me (%(name)s)") % {"name": p.full_name}
                            if i == 0 else p.full_name) for i, p in enumerate(people)],
            "specialty": specialties,
            "province": [("", _("Select")), *provinces],
            "city": [("", _("Select")), *cities],
        }
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values

    def clean(self):
        data = super().clean()
        province, city = data.get("province", ""), data.get("city", "")
        if province and city and not city.startswith(province):
            self.add_error("city", _("Select a city of the province you chose"))
        return data


def province_changed_alone(form: AppointmentWhatForm) -> bool:
    """The form came back with a valid province and a city that is not one of its cities
    (the person changed the province and pressed Continue without JavaScript)."""
    if form.is_valid() or set(form.errors) != {"city"}:
        return False
    city = form.data.get("city", "")
    return bool(form.cleaned_data.get("province")) and bool(city) and \
        not city.startswith(form.cleaned_data["province"])


class AppointmentTimeForm(forms.Form):
    """UX: times grouped morning / afternoon; the doctor is optional ("any doctor")."""

    time = forms.ChoiceField(
        label=_("Time"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select a time")})
    doctor = forms.ChoiceField(label=_("Doctor"), required=False)

    def __init__(self, *args, times, doctors, final=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)

        def label(t: str) -> str:
            # R-APT-04, R-APT-13: a time inside the cancellation window is marked
            return _("%(time)s (cannot be changed or cancelled online)") % {"time": t} \
                if t in final else t

        morning = [(t, label(t)) for t in times if t < "12:00"]
        afternoon = [(t, label(t)) for t in times if t >= "12:00"]
        groups = [(str(_("Morning")), morning)] if morning else []
        if afternoon:
            groups.append((str(_("Afternoon")), afternoon))
        time_field, doctor_field = self.fields["time"], self.fields["doctor"]
        assert isinstance(time_field, forms.ChoiceField)
        assert isinstance(doctor_field, forms.ChoiceField)
        time_field.choices = groups
        doctor_field.choices = [("", _("Any doctor")), *doctors]
