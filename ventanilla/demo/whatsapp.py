"""The WhatsApp simulator (demo only): a newcomer holds the appointments conversation in the
browser. The page builds a Cloud API delivery, signs it with ``WHATSAPP_APP_SECRET`` like
Meta does, hands it to the real webhook and shows the replies the sender would deliver.
Off unless ``settings.DEMO_WHATSAPP``; production settings turn it off."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ventanilla.channels.whatsapp.payload import SIGNATURE_HEADER, build, signature
from ventanilla.whatsapp.models import WhatsAppMessage
from ventanilla.whatsapp.rules import digits

WEBHOOK_PATH = "/api/v1/whatsapp/webhook"
SHOWN = 40


def demo_senders() -> list[tuple[str, str]]:
    """(digits, label) of the people with a registered mobile: the demo affiliates."""
    from ventanilla.people.models import Person

    people = (Person.objects.exclude(mobile_phone="").order_by("country", "family_names")
              .values_list("mobile_phone", "given_names", "family_names", "id_type",
                           "id_number")[:30])
    seen: dict[str, str] = {}
    for phone, given, family, id_type, id_number in people:
        number = digits(phone)
        if number and number not in seen:
            seen[number] = f"+{number} · {given} {family} ({id_type} {id_number})"
    return list(seen.items())


class SimulatorForm(forms.Form):
    sender = forms.ChoiceField(label=_("Send from this number"), required=False)
    other_number = forms.CharField(
        label=_("Or another number"), required=False, max_length=20,
        help_text=_("With the country code, for example +593991234567. Try a number that is "
                    "not registered to see what a stranger gets."),
        widget=forms.TextInput(attrs={"width": "20", "inputmode": "tel"}))
    text = forms.CharField(label=_("Message"), max_length=1000,
                           widget=forms.TextInput(attrs={"width": "full",
                                                         "autocomplete": "off"}))

    def __init__(self, *args, senders: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        sender = self.fields["sender"]
        assert isinstance(sender, forms.ChoiceField)
        sender.choices = [("", _("Choose a number")), *senders]

    def clean(self):
        data = super().clean()
        number = digits(data.get("other_number") or "") or data.get("sender") or ""
        if not 8 <= len(number) <= 15:
            self.add_error("other_number", _("Choose a number or write one with its country "
                                             "code."))
        data["phone"] = number
        return data


def deliver(*, phone: str, text: str) -> HttpResponse:
    """POST a signed Cloud API delivery to the webhook, in-process."""
    body = json.dumps(build(phone=phone, text=text, name="Demo")).encode()
    request = RequestFactory().post(
        WEBHOOK_PATH, data=body, content_type="application/json",
        headers={SIGNATURE_HEADER: signature(body, settings.WHATSAPP_APP_SECRET)})
    match = resolve(WEBHOOK_PATH)
    return match.func(request, *match.args, **match.kwargs)


def simulator(request: HttpRequest):
    if not getattr(settings, "DEMO_WHATSAPP", False):
        raise Http404
    senders = demo_senders()
    phone = digits(request.GET.get("numero", ""))[:15]
    if request.method == "POST":
        form = SimulatorForm(request.POST, senders=senders)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            response = deliver(phone=phone, text=form.cleaned_data["text"])
            if response.status_code == 200:
                return redirect(reverse("demo_whatsapp") + "?" + urlencode({"numero": phone})
                                + "#compose")
            form.add_error(None, _("The webhook refused the message (HTTP %(status)d).")
                           % {"status": response.status_code})
    else:
        known = dict(senders)
        initial = {"sender": phone if phone in known else (senders[0][0] if senders else "")}
        if phone and phone not in known:
            initial["other_number"] = "+" + phone
        form = SimulatorForm(initial=initial, senders=senders)
    messages = []
    if phone:
        # newest first, under the message box: the reply to a send is never screens away
        messages = list(WhatsAppMessage.objects.filter(phone=phone)
                        .order_by("-created_at", "-pk")[:SHOWN])
    return render(request, "demo/whatsapp.html",
                  {"form": form, "phone": phone, "messages": messages,
                   "status": WhatsAppMessage.Status},
                  status=422 if form.errors else 200)
