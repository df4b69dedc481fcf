from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ventanilla.countries.registry import all_packs


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username",
                                                     "spellcheck": "false"})
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].error_messages["required"] = _("Enter your password")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:  # affiliates sign in to the portal, not the back office
            raise forms.ValidationError(self.error_messages["invalid_login"],
                                        code="invalid_login")


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
    reason = forms.CharField(
        label=_("Reason (the applicant will read it)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}))


class RejectApplicationForm(forms.Form):
    reason = forms.CharField(
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
    id_number = forms.CharField(
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
    reason = forms.CharField(
        label=_("Reason for unblocking the web account"), max_length=300,
        help_text=_("It is recorded with your name."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the reason for unblocking")})


class AccountBlockForm(forms.Form):
    detail = forms.CharField(
        label=_("Reason for blocking the web account"), max_length=300,
        help_text=_("It is recorded with your name."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the reason")})


class CaseOpenInPersonForm(forms.Form):
    """R-AFF-05: complex matters become an in-person case."""

    kind = forms.ChoiceField(
        label=_("What is the matter about?"), widget=forms.RadioSelect,
        error_messages={"required": _("Select what the matter is about")})
    description = forms.CharField(
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
