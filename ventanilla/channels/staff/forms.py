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
