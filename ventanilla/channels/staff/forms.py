from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ventanilla.core.fields import TextField
from ventanilla.core.forms import GovukDateField, GovukDateInput
from ventanilla.countries.registry import all_packs

PASSWORD_MAX_LENGTH = 1024


class StaffLoginForm(AuthenticationForm):
    """The back office's sign-in; the admin's sign-in is the same form
    (``AdminLoginForm``)."""

    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's AuthenticationForm sets the username's max_length after building the
        # field, so only the browser's maxlength attribute bounded it: a longer name went
        # on to authenticate() and to the sign-in throttle's record (axes keeps 255
        # characters: a 500 on PostgreSQL). A TextField checks the length of the column
        # and drops control characters before anything reads it.
        length = self.fields["username"].max_length or 150
        self.fields["username"] = TextField(
            max_length=length, label=_("Username"),
            widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false",
                                          "autocapitalize": "none", "autofocus": True,
                                          "maxlength": length}))
        # No one types a longer password; a longer one would only cost hashing time.
        self.fields["password"] = forms.CharField(
            label=_("Password"), strip=False, max_length=PASSWORD_MAX_LENGTH,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].error_messages["required"] = _("Enter your password")

    def get_invalid_login_error(self):
        # this username must wait, or is locked (accounts.throttle): say so
        refusal = getattr(self.request, "signin_refusal", None)
        if refusal is not None:
            return forms.ValidationError(str(refusal.message), code="locked")
        return super().get_invalid_login_error()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:  # affiliates sign in to the portal, not the back office
            raise forms.ValidationError(self.error_messages["invalid_login"],
                                        code="invalid_login")


class AdminLoginForm(StaffLoginForm, AdminAuthenticationForm):
    """The Django admin's sign-in (``admin.site.login_form``), bounded like the staff's."""


class QueueFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All")), *[(p.code, p.name)
                                                            for p in all_packs()]]


class DocumentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        error_messages={"required": _("Select accept or reject")})
    reason = TextField(
        label=_("Reason (the applicant will read it)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}))


class RejectApplicationForm(forms.Form):
    reason = TextField(
        label=_("Reason for rejecting the application (the applicant will read it)"),
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason for rejecting the application")})


class CounterStartForm(forms.Form):
    country = forms.ChoiceField(label=_("Health system"), widget=forms.RadioSelect,
                                error_messages={"required": _("Select the country")})
    email = forms.EmailField(
        label=_("The person's e-mail address"), required=False,
        help_text=_("Optional. Decisions are sent to this address."),
        error_messages={"invalid": _("Enter an e-mail address in the correct format, like "
                                     "name@example.com")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        packs = [p for p in all_packs() if not user or not user.country
                 or p.code == user.country]
        self.fields["country"].choices = [(p.code, p.name) for p in packs]
        if len(packs) == 1:
            self.fields["country"].initial = packs[0].code


# --- people at the counter (issue 3) -----------------------------------------------------

class PersonFindForm(forms.Form):
    """Find a person by their identity document; the country pack checks the number."""

    country = forms.ChoiceField(label=_("Health system"),
                                error_messages={"required": _("Select the country")})
    id_type = forms.ChoiceField(label=_("Identity document"),
                                error_messages={"required": _("Select the type of identity "
                                                              "document")})
    id_number = TextField(
        label=_("Identity document number"), max_length=24,
        error_messages={"required": _("Enter the identity document number")},
        widget=forms.TextInput(attrs={"width": "20", "spellcheck": "false",
                                      "autocomplete": "off"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        packs = [p for p in all_packs() if not user or not user.country
                 or p.code == user.country]
        self.fields["country"].choices = [(p.code, p.name) for p in packs]
        if user is not None and user.country:
            self.fields["country"].initial = user.country
        types = {}
        for pack in packs:
            for kind in pack.id_types:
                types.setdefault(kind.code, kind.label)
        self.fields["id_type"].choices = list(types.items())


class ClaveIssueForm(forms.Form):
    """R-AFF-04: the clave is handed over only after the agent saw the identity document."""

    identity_checked = forms.BooleanField(
        label=_("I have checked the identity document in person"),
        help_text=_("The person is here, and the document is theirs and valid."),
        error_messages={"required": _("Check the person's identity document and tick the "
                                      "box before you issue a code")})


class AccountUnblockForm(forms.Form):
    reason = TextField(
        label=_("Reason for unblocking the web account"), max_length=300,
        help_text=_("It is recorded with your name."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the reason for unblocking")})


class AccountBlockForm(forms.Form):
    detail = TextField(
        label=_("Reason for blocking the web account"), max_length=300,
        help_text=_("It is recorded with your name."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the reason")})


class CaseOpenInPersonForm(forms.Form):
    """R-AFF-05: complex matters become an in-person case."""

    kind = forms.ChoiceField(
        label=_("What is the matter about?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select what the matter is about")})
    description = TextField(
        label=_("Describe the problem"), max_length=2000,
        help_text=_("A few sentences: what happened, when, and what the person asks for."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the problem in a few words")})

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class ResidentsCountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Health system"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(p.code, p.name) for p in all_packs()]


# --- dependants (R-DEP-01..03, R-AFF-05) and office visits (R-REG-07) ------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DependantDecisionForm(forms.Form):
    """Approve or reject a coverage request; the service asks a reason for a rejection."""

    govuk_mark_optional = False  # the reason is needed to reject, and the hint says so

    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve: the person is covered from today")),
                 ("reject", _("Reject"))],
        error_messages={"required": _("Select approve or reject")})
    reason = TextField(
        label=_("Reason (the affiliate will read it)"), required=False, max_length=2000,
        help_text=_("Needed to reject: say what is missing or wrong."),
        widget=forms.Textarea(attrs={"rows": 3}))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class DependantCounterForm(forms.Form):
    """A coverage request filed at the counter, with the affiliate in front of the agent.
    The answers are only parsed here: the service decides what may be filed (R-DEP-02)."""

    govuk_mark_optional = False  # the labels say when a question applies

    relationship = forms.ChoiceField(
        label=_("Who is the person to cover?"),
        widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        choices=[("spouse", _("The affiliate's spouse or partner")),
                 ("child", _("The affiliate's child under 18"))],
        error_messages={"required": _("Select spouse or partner, or child")})
    union_kind = forms.ChoiceField(
        label=_("For a spouse or partner: married or in a de-facto union?"),
        widget=forms.RadioSelect, required=False,
        choices=[("marriage", _("Married")),
                 ("de_facto", _("De-facto union (unión de hecho)"))])
    marriage_abroad = forms.ChoiceField(
        label=_("For a marriage: was it celebrated in another country?"),
        widget=forms.RadioSelect(attrs={"variant": "inline"}), required=False, choices=YES_NO)
    inscription_reference = TextField(
        label=_("Registro Civil inscription reference"), max_length=60, required=False,
        help_text=_("Only for a marriage celebrated abroad: the reference on the certificate "
                    "of its inscription at the Registro Civil."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "width": "20"}))
    given_names = TextField(
        label=_("Given names"), max_length=120,
        error_messages={"required": _("Enter their given names")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    family_names = TextField(
        label=_("Family names"), max_length=120,
        error_messages={"required": _("Enter their family names")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    date_of_birth = GovukDateField(
        label=_("Date of birth"), help_text=_("For example, 27 3 2015"),
        widget=GovukDateInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter their date of birth")})
    nationality = forms.ChoiceField(label=_("Nationality"),
                                    error_messages={"required": _("Select their nationality")})
    id_type = forms.ChoiceField(label=_("Identity document"),
                                error_messages={"required": _("Select the type of identity "
                                                              "document")})
    id_number = TextField(
        label=_("Identity document number"), max_length=20,
        error_messages={"required": _("Enter their identity document number")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "width": "20"}))

    def __init__(self, *args, id_types=(), nationalities=(), nationality: str = "",
                 with_inscription: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        id_type = self.fields["id_type"]
        country = self.fields["nationality"]
        assert isinstance(id_type, forms.ChoiceField)
        assert isinstance(country, forms.ChoiceField)
        id_type.choices = list(id_types)
        country.choices = [("", _("Select")), *nationalities]
        country.initial = nationality
        if not with_inscription:
            del self.fields["inscription_reference"]

    def clean(self):
        data = super().clean()
        if data.get("relationship") == "spouse":
            if not data.get("union_kind"):
                self.add_error("union_kind", _("Select married or de-facto union"))
            elif data["union_kind"] == "marriage" and not data.get("marriage_abroad"):
                self.add_error("marriage_abroad",
                               _("Select yes if the marriage was celebrated abroad"))
        return data

    def situation(self) -> dict:
        d = self.cleaned_data
        return {"relationship": d["relationship"], "union_kind": d.get("union_kind") or "marriage",
                "marriage_abroad": d.get("marriage_abroad") == "yes",
                "inscription_reference": d.get("inscription_reference", "")}

    def dependant(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("id_type", "id_number", "given_names",
                                                  "family_names", "date_of_birth",
                                                  "nationality")}


class NativeDateInput(forms.DateInput):
    """The browser's own date picker; it sends YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VisitsDayForm(forms.Form):
    """Which centre and which day; the field names are the query parameters."""

    govuk_mark_optional = False

    centro = forms.ChoiceField(label=_("Service centre"), required=False)
    fecha = forms.DateField(
        label=_("Day"), required=False, input_formats=["%Y-%m-%d"], widget=NativeDateInput(),
        error_messages={"invalid": _("Enter a real date, like 2026-03-27")})

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centres is None:
            del self.fields["centro"]
        else:
            centre = self.fields["centro"]
            assert isinstance(centre, forms.ChoiceField)
            centre.choices = [("", _("Select")),
                              *[(str(c.public_id), c.name) for c in centres]]


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(choices=YES_NO)


# --- call centre console (R-APT-06) -----------------------------------------------------------

class CallerAppointmentForm(forms.Form):
    """What the caller asks for: for whom, which specialty, where. The answers are only
    parsed here: the booking service decides who may be booked for and what."""

    booked_for = forms.ChoiceField(
        label=_("Who is the appointment for?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select who the appointment is for")})
    specialty = forms.ChoiceField(
        label=_("Specialty"), widget=forms.RadioSelect,
        error_messages={"required": _("Select a specialty")})
    province = forms.ChoiceField(
        label=_("Province or region"),
        error_messages={"required": _("Select a province or region")})
    city = forms.ChoiceField(
        label=_("City (canton or province)"),
        error_messages={"required": _("Select a city")})

    def __init__(self, *args, caller=None, people=(), specialties=(), provinces=(), cities=(),
                 **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "booked_for": [(str(p.public_id), _("The caller (%(name)s)") % {"name": p.full_name}
                            if caller is not None and p.pk == caller.pk else p.full_name)
                           for p in people],
            "specialty": list(specialties),
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


class CallerSlotForm(forms.Form):
    """One of the free times offered to the caller (on their phone days only)."""

    slot = forms.ChoiceField(
        label=_("Free times on the caller's phone days"), widget=forms.RadioSelect,
        error_messages={"required": _("Select the time the caller chose")})

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(slots)


# --- referrals to second-level specialties (R-APT-08, R-APT-12) ------------------------------

class ReferralIssueForm(forms.Form):
    """A referral the person brings from a doctor or health centre. The dates are checked by
    the same rule as the service (``referrals.referral_date_problems``), so every problem
    shows at once; the service decides what may be recorded."""

    specialty = forms.ChoiceField(
        label=_("Specialty"), widget=forms.RadioSelect(attrs={"data-label-size": "m"}),
        error_messages={"required": _("Select the specialty of the referral"),
                        "invalid_choice": _("Select the specialty of the referral")})
    issued_by = TextField(
        label=_("Referred by"), max_length=200,
        help_text=_("The doctor or health centre that signed the referral, as written on it."),
        error_messages={"required": _("Enter the doctor or health centre that refers"),
                        "max_length": _("Referred by must be 200 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    doctor = forms.ChoiceField(
        label=_("Doctor who referred (optional)"), required=False,
        help_text=_("Only if the doctor works for the health system."),
        error_messages={"invalid_choice": _("Select a doctor from the list, or leave it "
                                            "empty")})
    issued_on = GovukDateField(
        label=_("Issue date"), help_text=_("The date on the referral. For example, 27 3 2026"),
        error_messages={"required": _("Enter the issue date")})
    expires_on = GovukDateField(
        label=_("Expiry date"),
        help_text=_("Usually 90 days after the issue date; at most one year."),
        error_messages={"required": _("Enter the expiry date")})

    govuk_mark_optional = False  # the doctor's label says it is optional

    def __init__(self, *args, specialties=(), doctors=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        specialty = self.fields["specialty"]
        doctor = self.fields["doctor"]
        assert isinstance(specialty, forms.ChoiceField)
        assert isinstance(doctor, forms.ChoiceField)
        specialty.choices = list(specialties)
        doctor.choices = [("", _("None")), *doctors]
        if not doctors:
            del self.fields["doctor"]
        if len(specialty.choices) == 1:
            specialty.initial = specialty.choices[0][0]
        self.today = today

    def clean(self):
        from ventanilla.scheduling.referrals import referral_date_problems

        data = super().clean()
        issued_on = data.get("issued_on")
        if issued_on and self.today is not None:
            problems = referral_date_problems(issued_on=issued_on,
                                              expires_on=data.get("expires_on"),
                                              today=self.today)
            for field, message in problems.items():
                self.add_error(field, message)
        return data
