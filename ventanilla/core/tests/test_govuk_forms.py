"""GOV.UK form rendering, the date field, the partials, base.html and the error pages."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

from ventanilla.core.forms import (
    GovukBoundField,
    GovukDateField,
    GovukDateInput,
    GovukFormRenderer,
    HintedChoice,
)

# This module is also the URLconf of the tests that render base.html (pytest.mark.urls), so
# they do not depend on the project's URLs.
urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]

SNIPPET = (
    "<script>document.body.className += ' js-enabled' + ('noModule' in "
    "HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>"
)
STATIC = Path(settings.BASE_DIR) / "static"
VENDOR = STATIC / "vendor" / "govuk-frontend" / "6.6.0"


# -- helpers -------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: (v if v is not None else "") for k, v in attrs}))


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    """Start tags in ``html`` matching ``tag`` and attribute values (``class_`` for class)."""
    parser = _Collector()
    parser.feed(str(html))
    found = []
    for name, element_attrs in parser.elements:
        if tag and name != tag:
            continue
        ok = True
        for key, value in attrs.items():
            key = key.rstrip("_").replace("_", "-")
            if key == "class":
                if not set(value.split()) <= set(element_attrs.get("class", "").split()):
                    ok = False
            elif element_attrs.get(key) != value:
                ok = False
        if ok:
            found.append({"tag": name, **element_attrs})
    return found


def one(html: str, tag: str | None = None, **attrs: str) -> dict[str, str]:
    found = elements(html, tag, **attrs)
    assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
    return found[0]


def classes(element: dict[str, str]) -> set[str]:
    return set(element.get("class", "").split())


def described_by(element: dict[str, str]) -> list[str]:
    return element.get("aria-describedby", "").split()


@pytest.fixture(autouse=True)
def english():
    # The msgids are English; assert on them whatever the catalogue holds.
    with translation.override("en"):
        yield


# -- a sample form with every widget -------------------------------------------------------


class SampleForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your ID",
        widget=forms.TextInput(attrs={"width": "20", "autocomplete": "name"}),
    )
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone", widget=forms.TelInput(attrs={"width": "10"}))
    children = forms.IntegerField(label="Children", widget=forms.NumberInput(attrs={"width": "2"}))
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    province = forms.ChoiceField(
        label="Province", choices=[("", "Choose a province"), ("pi", "Pichincha"), ("gu", "Guayas")]
    )
    document_type = forms.ChoiceField(
        label="Document type",
        choices=[("cedula", "Cédula"), ("dni", HintedChoice("DNI", "Peruvian national ID"))],
        widget=forms.RadioSelect,
    )
    contact = forms.MultipleChoiceField(
        label="How can we contact you?",
        choices=[("sms", "SMS"), ("email", "Email")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I confirm my answers are true", help_text="You must agree")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    document = forms.FileField(label="Upload your document", help_text="JPG, PNG, HEIC or PDF")
    date_of_birth = GovukDateField(
        label="Date of birth", widget=GovukDateInput(attrs={"autocomplete": "bday"})
    )
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("full_name") == "Taken":
            raise forms.ValidationError("This person is already registered")
        return data


VALID = {
    "full_name": "Ana Pérez",
    "email": "ana@example.org",
    "phone": "0991234567",
    "children": "2",
    "notes": "None",
    "province": "pi",
    "document_type": "dni",
    "contact": ["sms"],
    "agree": "on",
    "password": "correct horse battery",
    "date_of_birth_day": "27",
    "date_of_birth_month": "3",
    "date_of_birth_year": "2007",
}


def test_renderer_is_configured():
    renderer = get_default_renderer()
    assert isinstance(renderer, GovukFormRenderer)
    assert renderer.form_template_name == "govuk/forms/form.html"
    assert renderer.field_template_name == "govuk/forms/field.html"
    assert isinstance(SampleForm()["full_name"], GovukBoundField)


def test_each_widget_gets_its_govuk_markup():
    html = str(SampleForm())
    assert len(elements(html, "div", class_="govuk-form-group")) >= 12

    name = one(html, "input", name="full_name")
    assert classes(name) == {"govuk-input", "govuk-input--width-20"}
    assert name["type"] == "text" and name["autocomplete"] == "name"
    assert "width" not in name  # a rendering option, never an HTML attribute
    assert "required" not in name  # GOV.UK validates on the server

    assert classes(one(html, "input", name="email")) == {"govuk-input"}
    assert one(html, "input", name="email")["type"] == "email"
    assert one(html, "input", name="phone")["type"] == "tel"
    assert "govuk-input--width-10" in classes(one(html, "input", name="phone"))
    assert one(html, "input", name="children")["type"] == "number"
    assert "govuk-input--width-2" in classes(one(html, "input", name="children"))
    assert classes(one(html, "textarea", name="notes")) == {"govuk-textarea"}
    assert classes(one(html, "select", name="province")) == {"govuk-select"}
    assert len(elements(html, "option")) == 3

    one(html, "div", class_="govuk-radios", data_module="govuk-radios")
    radios = elements(html, "input", name="document_type")
    assert [r["id"] for r in radios] == ["id_document_type_0", "id_document_type_1"]
    assert all(classes(r) == {"govuk-radios__input"} and r["type"] == "radio" for r in radios)
    one(html, "label", class_="govuk-label govuk-radios__label", for_="id_document_type_0")
    # A HintedChoice gives the option a hint, wired to it.
    one(html, "div", id="id_document_type_1_hint", class_="govuk-hint govuk-radios__hint")
    assert described_by(radios[1]) == ["id_document_type_1_hint"]

    # CheckboxSelectMultiple and the single "agree" checkbox.
    assert (
        len(elements(html, "div", class_="govuk-checkboxes", data_module="govuk-checkboxes")) == 2
    )
    boxes = elements(html, "input", name="contact")
    assert [b["type"] for b in boxes] == ["checkbox", "checkbox"]
    assert all(classes(b) == {"govuk-checkboxes__input"} for b in boxes)

    agree = one(html, "input", name="agree")
    assert classes(agree) == {"govuk-checkboxes__input"}
    one(html, "label", class_="govuk-checkboxes__label", for_="id_agree")
    assert described_by(agree) == ["id_agree_helptext"]

    password = one(html, "input", name="password")
    assert password["type"] == "password"
    assert {
        "govuk-input",
        "govuk-password-input__input",
        "govuk-js-password-input-input",
    } <= classes(password)
    assert password["autocomplete"] == "current-password"
    assert password["spellcheck"] == "false"
    group = one(html, "div", data_module="govuk-password-input")
    assert group["data-i18n.show-password"] == "Show"
    toggle = one(html, "button", class_="govuk-password-input__toggle")
    assert toggle["aria-controls"] == "id_password" and toggle["type"] == "button"

    upload = one(html, "input", name="document")
    assert upload["type"] == "file" and classes(upload) == {"govuk-file-upload"}
    assert "capture" not in upload
    one(html, "div", class_="govuk-file-upload-wrapper", data_module="govuk-file-upload")

    one(html, "input", type="hidden", name="step")


def test_labels_hints_and_optional():
    html = str(SampleForm())
    one(html, "label", class_="govuk-label", for_="id_full_name")
    hint = one(html, "div", id="id_full_name_helptext")
    assert classes(hint) == {"govuk-hint"}
    assert "As it appears on your ID" in html
    assert described_by(one(html, "input", name="full_name")) == ["id_full_name_helptext"]
    assert "aria-describedby" not in one(html, "input", name="phone")
    # Optional questions say so; required ones do not.
    assert re.search(r'for="id_email">Email address \(optional\)</label>', html)
    assert "Full name (optional)" not in html


def test_fieldsets_and_legends():
    html = str(SampleForm())
    fieldsets = elements(html, "fieldset", class_="govuk-fieldset")
    assert len(fieldsets) == 3  # radios, checkboxes, date
    assert len(elements(html, "legend", class_="govuk-fieldset__legend")) == 3
    date_fieldset = one(html, "fieldset", role="group")
    assert described_by(date_fieldset) == ["id_date_of_birth_helptext"]
    assert "For example, 27 3 2007" in html


def test_errors_are_shown_and_wired():
    form = SampleForm(data={"full_name": "", "province": "", "date_of_birth_day": "1"})
    assert not form.is_valid()
    html = str(form)

    name_group_error = one(html, "p", id="id_full_name_error")
    assert classes(name_group_error) == {"govuk-error-message"}
    assert '<span class="govuk-visually-hidden">Error:</span>' in html
    name = one(html, "input", name="full_name")
    assert classes(name) == {"govuk-input", "govuk-input--error", "govuk-input--width-20"}
    assert described_by(name) == ["id_full_name_helptext", "id_full_name_error"]
    assert name["aria-invalid"] == "true"
    assert "govuk-select--error" in classes(one(html, "select", name="province"))
    assert "govuk-textarea--error" in classes(one(html, "textarea", name="notes"))
    assert "govuk-file-upload--error" in classes(one(html, "input", name="document"))
    assert "govuk-input--error" in classes(one(html, "input", name="password"))
    # The optional email has no error.
    assert "govuk-input--error" not in classes(one(html, "input", name="email"))

    groups = elements(html, "div", class_="govuk-form-group govuk-form-group--error")
    assert len(groups) == 11  # every required visible field

    radios_fieldset = elements(html, "fieldset")[0]
    assert described_by(radios_fieldset) == ["id_document_type_error"]
    assert described_by(one(html, "input", name="agree")) == ["id_agree_helptext", "id_agree_error"]


def test_field_group_can_be_rendered_alone():
    form = SampleForm(data={})
    form.is_valid()
    html = form["full_name"].as_field_group()
    one(html, "div", class_="govuk-form-group govuk-form-group--error")
    one(html, "input", name="full_name", class_="govuk-input--error")


def test_stock_widget_rendering_is_unchanged():
    # {{ form.field }} and the Django admin keep Django's markup.
    html = str(SampleForm()["full_name"])
    assert "govuk-input" not in html
    assert 'width="20"' in html  # stock rendering passes attrs through untouched


class OneQuestionForm(forms.Form):
    page_heading_field = "full_name"
    full_name = forms.CharField(label="What is your full name?")


class OneChoiceForm(forms.Form):
    answer = forms.ChoiceField(
        label="Which document do you have?",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect(attrs={"data-page-heading": "true", "variant": "small"}),
    )


def test_label_as_page_heading():
    html = str(OneQuestionForm())
    assert re.search(
        r'<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" '
        r'for="id_full_name">What is your full name\?</label></h1>',
        html,
    )


def test_legend_as_page_heading_and_variant():
    html = str(OneChoiceForm())
    one(html, "legend", class_="govuk-fieldset__legend govuk-fieldset__legend--l")
    assert re.search(r'<h1 class="govuk-fieldset__heading">Which document do you have\?</h1>', html)
    one(html, "div", class_="govuk-radios govuk-radios--small")
    assert "data-page-heading" not in html and "variant=" not in html


# -- the date field ------------------------------------------------------------------------


class DateForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", max_value=datetime.date.today)


def _date_form(day="", month="", year=""):
    return DateForm(
        data={"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )


def test_date_field_parses_a_valid_date():
    form = _date_form("27", "03", " 2007 ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2007, 3, 27)


def test_date_field_rejects_an_impossible_date():
    form = _date_form("31", "2", "2000")
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Enter a real date"]
    html = str(form)
    boxes = elements(html, "input", class_="govuk-date-input__input")
    assert len(boxes) == 3
    assert all("govuk-input--error" in classes(b) for b in boxes)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "highlighted"),
    [
        ("", "3", "2007", "Date of birth must include a day", {"day"}),
        ("27", "", "2007", "Date of birth must include a month", {"month"}),
        ("27", "3", "", "Date of birth must include a year", {"year"}),
        ("", "", "2007", "Date of birth must include a day and month", {"day", "month"}),
        ("27", "3", "07", "Year must include 4 numbers", {"year"}),
        ("aa", "3", "2007", "Enter a real date", {"day", "month", "year"}),
        ("", "", "", "Enter the date", {"day", "month", "year"}),
    ],
)
def test_date_field_errors(day, month, year, message, highlighted):
    form = _date_form(day, month, year)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]
    html = str(form)
    boxes = {
        b["name"].rsplit("_", 1)[1]: b
        for b in elements(html, "input", class_="govuk-date-input__input")
    }
    assert {part for part, b in boxes.items() if "govuk-input--error" in classes(b)} == highlighted
    assert described_by(one(html, "fieldset")) == [
        "id_date_of_birth_helptext",
        "id_date_of_birth_error",
    ]


def test_date_field_limits():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    form = _date_form(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    assert not form.is_valid()
    assert form.errors["date_of_birth"][0].startswith("Date of birth must be the same as or before")


def test_date_field_optional_and_initial():
    class OptionalDate(forms.Form):
        when = GovukDateField(label="When", required=False)

    form = OptionalDate(data={"when_day": "", "when_month": "", "when_year": ""})
    assert form.is_valid() and form.cleaned_data["when"] is None
    html = str(OptionalDate(initial={"when": datetime.date(2020, 1, 5)}))
    assert one(html, "input", name="when_day")["value"] == "5"
    assert one(html, "input", name="when_month")["value"] == "1"
    assert one(html, "input", name="when_year")["value"] == "2020"


def test_date_input_markup():
    html = str(SampleForm())
    one(html, "div", class_="govuk-date-input", id="id_date_of_birth")
    day = one(html, "input", name="date_of_birth_day")
    assert day["id"] == "id_date_of_birth_0"
    assert day["inputmode"] == "numeric" and day["type"] == "text"
    assert day["autocomplete"] == "bday-day"
    assert "govuk-input--width-2" in classes(day)
    assert "govuk-input--width-4" in classes(one(html, "input", name="date_of_birth_year"))
    one(html, "label", class_="govuk-date-input__label", for_="id_date_of_birth_0")


# -- error summary -------------------------------------------------------------------------


def _summary(**context) -> str:
    return render_to_string("govuk/includes/error_summary.html", context)


def _bound(**changes) -> SampleForm:
    return SampleForm(data=dict(VALID, **changes), files={"document": _upload()})


def test_error_summary_links_to_fields():
    form = _bound(full_name="", document_type="", date_of_birth_month="")
    assert not form.is_valid()
    html = _summary(form=form)
    summary = one(html, "div", class_="govuk-error-summary")
    assert summary["data-module"] == "govuk-error-summary"
    one(html, "div", role="alert")
    assert "There is a problem" in html
    links = [a["href"] for a in elements(html, "a")]
    assert links == ["#id_full_name", "#id_document_type_0", "#id_date_of_birth_0"]
    assert "Date of birth must include a month" in html


def test_error_summary_non_field_and_extra_errors():
    form = _bound(full_name="Taken")
    assert not form.is_valid()
    html = _summary(form=form, errors=["The service is busy", {"text": "Pick one", "href": "#x"}])
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items == [
        "The service is busy",
        '<a href="#x">Pick one</a>',
        "This person is already registered",
    ]


def test_error_summary_renders_nothing_without_errors():
    assert _summary(form=SampleForm()).strip() == ""
    assert _summary(form=_bound()).strip() == ""


def test_valid_sample_form():
    form = _bound()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2007, 3, 27)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("id.pdf", b"%PDF-1.4", content_type="application/pdf")


def test_form_template_shows_non_field_errors():
    form = _bound(full_name="Taken")
    assert not form.is_valid()
    assert "This person is already registered" in str(form)


# -- partials ------------------------------------------------------------------------------


def test_partials():
    html = render_to_string(
        "govuk/includes/task_list.html",
        {
            "tasks": [
                {"name": "Personal details", "url": "/r/1/", "completed": True},
                {"name": "Documents", "url": "/r/2/", "hint": "Your ID", "completed": False},
            ]
        },
    )
    link = elements(html, "a", class_="govuk-task-list__link")[1]
    assert described_by(link) == ["task-list-2-hint", "task-list-2-status"]
    assert "Completed" in html
    assert re.search(r'<strong class="govuk-tag govuk-tag--blue">Pending</strong>', html)

    html = render_to_string(
        "govuk/includes/summary_list.html",
        {
            "rows": [
                {"key": "Name", "value": "Ana", "href": "/change/"},
                {"key": "Plan", "value": "A"},
            ]
        },
    )
    assert '<span class="govuk-visually-hidden"> name</span>' in html
    one(html, "div", class_="govuk-summary-list__row govuk-summary-list__row--no-actions")

    html = render_to_string("govuk/includes/button.html", {"text": "Continue"})
    button = one(html, "button", class_="govuk-button")
    assert button["data-prevent-double-click"] == "true" and button["type"] == "submit"
    html = render_to_string(
        "govuk/includes/button.html", {"text": "Start", "href": "/start/", "start": True}
    )
    one(html, "a", class_="govuk-button govuk-button--start", role="button")

    html = render_to_string("govuk/includes/panel.html", {"title": "Booked", "reference": "AB12"})
    assert "<strong>AB12</strong>" in html and "Your reference number" in html
    html = render_to_string("govuk/includes/tag.html", {"text": "Active", "colour": "green"})
    one(html, "strong", class_="govuk-tag govuk-tag--green")
    html = render_to_string("govuk/includes/back_link.html", {"href": "/prev/"})
    assert one(html, "a", class_="govuk-back-link")["href"] == "/prev/" and ">Back<" in html
    html = render_to_string(
        "govuk/includes/notification_banner.html", {"text": "Saved", "type": "success"}
    )
    banner = one(html, "div", class_="govuk-notification-banner--success")
    assert banner["role"] == "alert" and "Success" in html
    html = render_to_string(
        "govuk/includes/notification_banner.html", {"text": "Saved", "success": True}
    )
    assert one(html, "div", class_="govuk-notification-banner--success")["role"] == "alert"
    html = render_to_string("govuk/includes/notification_banner.html", {"text": "Note"})
    assert one(html, "div", class_="govuk-notification-banner")["role"] == "region"
    assert "Important" in html


# -- base.html -----------------------------------------------------------------------------


def _request(path="/somewhere/?a=1"):
    request = RequestFactory().get(path)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.urls(__name__)
def test_base_template():
    class Form(forms.Form):
        name = forms.CharField()

    html = render_to_string(
        "base.html",
        {"form": Form(data={}), "outage_banner": "The service is slow today"},
        request=_request(),
    )
    assert '<html lang="en" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' + SNIPPET in html
    # The snippet is the only inline script and matches the CSP hash in settings.
    digest = base64.b64encode(hashlib.sha256(SNIPPET[8:-9].encode()).digest()).decode()
    expected_hash = f"'sha256-{digest}'"
    assert expected_hash == settings.GOVUK_SUPPORTED_SNIPPET_HASH
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts[0] == "<script>" and all("src=" in s for s in scripts[1:])
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert re.search(r"<title>Error: {2}\u2013 Ventanilla</title>", html)  # empty title block
    assert 'type="module"' in scripts[1] and "govuk-frontend.min.js" in scripts[1]
    assert "js/init.js" in scripts[2] and "defer" in scripts[3] and "htmx.min.js" in scripts[3]
    one(html, "a", class_="govuk-skip-link", href="#main-content")
    one(html, "main", id="main-content")
    one(html, "img", class_="ventanilla-header__logo", alt="Ventanilla")
    assert "The service is slow today" in html
    one(html, "div", class_="govuk-notification-banner")
    assert "Apache-2.0" in html
    # Language switcher: a plain POST form, the other language named in that language.
    switcher = one(html, "form", class_="ventanilla-language-switcher")
    assert switcher["method"] == "post" and switcher["action"] == "/i18n/setlang/"
    one(html, "input", type="hidden", name="csrfmiddlewaretoken")
    assert one(html, "input", name="next")["value"] == "/somewhere/?a=1"
    button = one(html, "button", name="language")
    assert button["value"] == "es" and button["lang"] == "es"
    assert ">Español</button>" in html


@pytest.mark.urls(__name__)
def test_base_template_in_spanish_without_errors():
    with translation.override("es"):
        html = render_to_string("base.html", {}, request=_request())
    assert '<html lang="es" class="govuk-template">' in html
    assert "<title> \u2013 Ventanilla</title>" in html
    button = one(html, "button", name="language")
    assert button["value"] == "en" and button["lang"] == "en"
    assert "govuk-notification-banner" not in html


@pytest.mark.urls(__name__)
def test_page_has_errors_and_title_block():
    template = Template(
        '{% extends "base.html" %}{% block title %}Your name{% endblock %}'
        "{% block content %}<h1>x</h1>{% endblock %}"
    )
    request = _request()
    from django.template import RequestContext

    html = template.render(RequestContext(request, {"page_has_errors": True}))
    assert "<title>Error: Your name \u2013 Ventanilla</title>" in html


# -- error pages ---------------------------------------------------------------------------


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("400.html", "Sorry, there is a problem with your request"),
        ("403.html", "You cannot see this page"),
        ("404.html", "Page not found"),
        ("413.html", "The file is too big"),
        ("503.html", "Sorry, the service is unavailable"),
    ],
)
def test_error_pages(name, heading):
    html = render_to_string(name, {}, request=_request())
    assert f"<title>{heading} \u2013 Ventanilla</title>" in html
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert "ventanilla.min.css" in html


def test_500_renders_without_a_request():
    # Django's server_error handler renders the template with no context at all.
    with translation.override("es"):
        html = get_template("500.html").render()
    assert '<html lang="es" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' + SNIPPET in html
    assert "ventanilla.min.css" in html


@pytest.mark.urls(__name__)
def test_413_mentions_the_size():
    rendered = get_template("413.html").render({"max_upload_size": "8 MB"}, request=None)
    assert "The selected file must be smaller than 8 MB." in rendered


# -- vendored assets -----------------------------------------------------------------------


def test_vendored_files_exist_and_are_debranded():
    css = (VENDOR / "ventanilla.min.css").read_text()
    assert "@font-face" not in css and "GDS Transport" not in css
    assert 'system-ui,"Segoe UI",Roboto,Arial,sans-serif' in css
    assert "govuk-crest" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        url = url.strip("'\"")
        if not url.startswith("data:"):
            assert (STATIC / url.removeprefix("/static/")).is_file(), url
    for file in (
        VENDOR / "govuk-frontend.min.js",
        VENDOR / "LICENSE.txt",
        STATIC / "vendor" / "htmx" / "4.0.1" / "htmx.min.js",
        STATIC / "vendor" / "htmx" / "4.0.1" / "LICENSE.txt",
        STATIC / "js" / "init.js",
        STATIC / "images" / "ventanilla-logo.svg",
        STATIC / "images" / "favicon.svg",
    ):
        assert file.is_file(), file
    assert not (VENDOR / "assets" / "fonts").exists()
    assert "sourceMappingURL" not in (VENDOR / "govuk-frontend.min.js").read_text()


def test_context_is_plain_dict_safe():
    # Partials used with a plain Context (e.g. in e-mails or PDFs) still render.
    html = Template('{% include "govuk/includes/tag.html" with text="Hola" %}').render(Context({}))
    assert "govuk-tag" in html
