"""GOV.UK Design System rendering for Django forms.

``settings.FORM_RENDERER`` points at :class:`GovukFormRenderer`, so every form in the project
renders GOV.UK markup with ``{{ form }}`` or ``{{ field.as_field_group }}``:

- a ``govuk-form-group`` per field, with ``govuk-form-group--error`` when it has errors;
- the label (or, for radios, checkboxes and the date input, a ``<fieldset>`` + ``<legend>``);
- ``help_text`` as a ``govuk-hint`` and errors as a ``govuk-error-message`` with a visually
  hidden "Error:" prefix, both wired into ``aria-describedby``;
- the widget in its GOV.UK form (``govuk-input``, ``govuk-select``, ``govuk-radios`` ...).

Per-field options, set on the widget's ``attrs`` (they are never output as HTML attributes):

- ``width``: input width, ``"2"``, ``"3"``, ``"4"``, ``"5"``, ``"10"``, ``"20"``, ``"30"`` (a
  character-based ``govuk-input--width-N``) or ``"full"``, ``"three-quarters"``,
  ``"two-thirds"``, ``"one-half"``, ``"one-third"``, ``"one-quarter"`` (``govuk-!-width-*``);
- ``data-page-heading``: make the label/legend the page's ``<h1>`` (one question per page).
  A form can instead say ``page_heading_field = "name"``;
- ``data-label-size``: ``"s"``, ``"m"``, ``"l"`` or ``"xl"`` for a bigger label/legend;
- ``variant`` (radios and checkboxes): ``"small"``, ``"inline"`` or ``"small inline"``.

Radio/checkbox options can carry a hint: use :class:`HintedChoice` as the choice label.

Only forms rendered through the GOV.UK field template change: ``{{ form.name }}`` on its own
and the Django admin keep Django's stock widget markup.

See docs/frontend.md.
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ventanilla.core.dates import day_text

__all__ = [
    "GOVUK_WIDGET_TEMPLATES",
    "GovukBoundField",
    "GovukDateField",
    "GovukDateInput",
    "GovukFormRenderer",
    "HintedChoice",
]

# Widget class -> GOV.UK template. The most specific class in a widget's MRO wins, so
# EmailInput, NumberInput, TelInput, URLInput, DateInput ... all use "input.html".
GOVUK_WIDGET_TEMPLATES: dict[type[forms.Widget], str] = {
    forms.CheckboxSelectMultiple: "govuk/forms/widgets/checkboxes.html",
    forms.RadioSelect: "govuk/forms/widgets/radios.html",
    forms.Select: "govuk/forms/widgets/select.html",
    forms.CheckboxInput: "govuk/forms/widgets/checkbox.html",
    forms.FileInput: "govuk/forms/widgets/file.html",
    forms.PasswordInput: "govuk/forms/widgets/password.html",
    forms.Textarea: "govuk/forms/widgets/textarea.html",
    forms.widgets.Input: "govuk/forms/widgets/input.html",
}

# Options read from widget.attrs that must not reach the HTML.
PRIVATE_ATTRS = ("width", "data-page-heading", "data-label-size", "variant")

CHARACTER_WIDTHS = {"2", "3", "4", "5", "10", "20", "30"}
FLUID_WIDTHS = {"full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"}
LABEL_SIZES = {"s", "m", "l", "xl"}


def width_class(width: object) -> str:
    """CSS class for a ``width`` widget attr ("10" -> "govuk-input--width-10")."""
    width = str(width or "")
    if width in CHARACTER_WIDTHS:
        return f"govuk-input--width-{width}"
    if width in FLUID_WIDTHS:
        return f"govuk-!-width-{width}"
    return ""


def govuk_template_for(widget: forms.Widget) -> str | None:
    if (widget.template_name or "").startswith("govuk/"):
        return widget.template_name
    for cls in type(widget).__mro__:
        if cls in GOVUK_WIDGET_TEMPLATES:
            return GOVUK_WIDGET_TEMPLATES[cls]
    return None


def _join(*classes: str | bool | None) -> str:
    return " ".join(c for c in classes if isinstance(c, str) and c)


class HintedChoice:
    """A radio/checkbox option label with a hint under it.

    ``choices = [("quito", HintedChoice(_("Quito centre"), _("Av. Amazonas 123 · 2 km")))]``
    """

    def __init__(self, label, hint=None):
        self.label = label
        self.hint = hint

    def __str__(self) -> str:
        return str(self.label)

    def __html__(self) -> str:
        return str(conditional_escape(self.label))


class GovukBoundField(BoundField):
    """A BoundField that knows how to render itself the GOV.UK way.

    It adds properties for the GOV.UK field template and :meth:`govuk_widget`; it does not
    change the stock ``{{ field }}`` rendering (the admin relies on it).
    """

    # -- what kind of markup the field needs -------------------------------------------

    @cached_property
    def govuk_kind(self) -> str:
        widget = self.field.widget
        if widget.is_hidden:
            return "hidden"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, GovukDateInput):
            return "date"
        if self.use_fieldset:
            return "fieldset"
        if isinstance(widget, forms.PasswordInput):
            return "password"
        if isinstance(widget, forms.FileInput):
            return "file"
        return "input"

    @property
    def govuk_uses_fieldset(self) -> bool:
        return self.govuk_kind in {"checkboxes", "radios", "date", "fieldset"}

    @property
    def is_page_heading(self) -> bool:
        if getattr(self.form, "page_heading_field", None) == self.name:
            return True
        value = self.field.widget.attrs.get("data-page-heading")
        return bool(value) and value not in {"false", "0"}

    @property
    def govuk_label_size(self) -> str:
        if self.is_page_heading:
            return "l"
        size = str(self.field.widget.attrs.get("data-label-size", ""))
        return size if size in LABEL_SIZES else ""

    @property
    def govuk_label_classes(self) -> str:
        size = self.govuk_label_size
        return _join("govuk-label", size and f"govuk-label--{size}")

    @property
    def govuk_legend_classes(self) -> str:
        size = self.govuk_label_size
        return _join("govuk-fieldset__legend", size and f"govuk-fieldset__legend--{size}")

    @property
    def govuk_show_optional(self) -> bool:
        """GOV.UK marks optional questions with "(optional)" rather than required ones."""
        return (
            not self.field.required
            and self.govuk_kind != "checkbox"
            and getattr(self.form, "govuk_mark_optional", True)
        )

    @property
    def govuk_hint_id(self) -> str:
        return f"{self.auto_id}_helptext" if self.auto_id else ""

    @property
    def govuk_error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id else ""

    @property
    def govuk_error_target_id(self) -> str:
        """The id the error summary links to: the input, or the first radio/checkbox/day box."""
        return error_target_id(self)

    # -- rendering ------------------------------------------------------------------------

    def _govuk_classes(self, widget: forms.Widget, width: object) -> str:
        error = bool(self.errors)
        kind = self.govuk_kind
        if kind == "checkbox":
            base = "govuk-checkboxes__input"
        elif kind == "password":
            base = _join(
                "govuk-input govuk-password-input__input govuk-js-password-input-input",
                error and "govuk-input--error",
                width_class(width),
            )
        elif kind == "file":
            base = _join("govuk-file-upload", error and "govuk-file-upload--error")
        elif isinstance(widget, forms.Textarea):
            base = _join("govuk-textarea", error and "govuk-textarea--error", width_class(width))
        elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
            base = _join("govuk-select", error and "govuk-select--error", width_class(width))
        elif kind == "input":
            base = _join("govuk-input", error and "govuk-input--error", width_class(width))
        else:
            return widget.attrs.get("class", "")
        return _join(base, widget.attrs.get("class"))

    def govuk_widget(self):
        """Render the widget with its GOV.UK template and classes (``{{ field.govuk_widget }}``)."""
        widget = self.field.widget
        if widget.is_hidden:
            return self.as_widget()
        private = {k: widget.attrs[k] for k in PRIVATE_ATTRS if k in widget.attrs}
        widget = copy.copy(widget)
        widget.attrs = {k: v for k, v in widget.attrs.items() if k not in PRIVATE_ATTRS}
        template = govuk_template_for(widget)
        if template:
            widget.template_name = template
        if self.field.localize:
            widget.is_localized = True

        attrs: dict[str, object] = {}
        classes = self._govuk_classes(widget, private.get("width"))
        if classes:
            attrs["class"] = classes
        if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
            attrs["rows"] = "5"  # GOV.UK's default height instead of Django's "10"
        if self.govuk_kind == "password":
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
            if "autocomplete" not in widget.attrs:
                attrs["autocomplete"] = "current-password"
        attrs = self.build_widget_attrs(attrs, widget)
        # GOV.UK validates on the server and shows its own messages: no HTML5 `required`
        # (browsers would show their own bubbles in the browser's language).
        attrs.pop("required", None)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        context = widget.get_context(self.html_name, self.value(), attrs)
        variant = str(private.get("variant", ""))
        context["widget"]["govuk_variants"] = [
            v for v in variant.split() if v in {"small", "inline"}
        ]
        return mark_safe(self.form.renderer.render(widget.template_name, context))  # noqa: S308


def error_target_id(bound_field: BoundField) -> str:
    """Id of the element an error summary link should move focus to."""
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    widget_id = widget.attrs.get("id") or auto_id
    if isinstance(widget, (forms.RadioSelect, forms.MultiWidget)):
        return f"{widget_id}_0"
    return bound_field.id_for_label or widget_id


class GovukFormRenderer(TemplatesSetting):
    """Form renderer for GOV.UK markup (``settings.FORM_RENDERER``).

    Templates come from ``settings.TEMPLATES`` (so ``ventanilla/templates/govuk/forms/`` is
    found); anything else a form needs (Django's own widget and error-list templates, used by
    the admin and by ``{{ form.name }}``) falls back to Django's built-in form templates.
    ``django.forms`` is in INSTALLED_APPS too, because admin widget templates include
    Django's own (``django/forms/widgets/date.html``) through the project engine.
    """

    form_template_name = "govuk/forms/form.html"
    formset_template_name = "django/forms/formsets/div.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return _builtin_renderer().get_template(template_name)


@functools.cache
def _builtin_renderer() -> DjangoTemplates:
    return DjangoTemplates()


# -- Date input --------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three text boxes (day, month, year) in a fieldset.

    The boxes are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and have the ids
    ``<id>_0``, ``<id>_1`` and ``<id>_2`` (the error summary links to the day box). Pass
    ``attrs={"autocomplete": "bday"}`` for a date of birth: the boxes get ``bday-day``,
    ``bday-month`` and ``bday-year``.
    """

    template_name = "govuk/forms/widgets/date.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput() for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    @staticmethod
    def error_parts(values) -> set[str]:
        """Which boxes to highlight when the field has an error (GOV.UK guidance)."""
        parts = [str(v or "").strip() for v in values]
        missing = {p for p, v in zip(DATE_PARTS, parts, strict=True) if not v}
        if missing and len(missing) < 3:
            return missing
        if not missing and not (parts[2].isdigit() and len(parts[2]) == 4):
            return {"year"}
        return set(DATE_PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        final_attrs = widget["attrs"]
        invalid = final_attrs.pop("aria-invalid", None)
        autocomplete = final_attrs.pop("autocomplete", None)
        final_attrs.pop("required", None)
        values = value if isinstance(value, (list, tuple)) else self.decompress(value)
        errors = self.error_parts(values) if invalid else set()
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        for part, sub in zip(DATE_PARTS, widget["subwidgets"], strict=True):
            sub_attrs = sub["attrs"]
            for key in ("aria-invalid", "required", "autocomplete", "aria-describedby"):
                sub_attrs.pop(key, None)
            sub_attrs["class"] = _join(
                "govuk-input govuk-date-input__input",
                "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                part in errors and "govuk-input--error",
            )
            sub_attrs["inputmode"] = "numeric"
            if autocomplete and autocomplete != "off":
                sub_attrs["autocomplete"] = f"{autocomplete}-{part}"
            if part in errors:
                sub_attrs["aria-invalid"] = "true"
            sub["govuk_label"] = labels[part]
            sub["govuk_part"] = part
        return context


class GovukDateField(forms.MultiValueField):
    """A date entered in the GOV.UK three-box date input; cleans to ``datetime.date``.

    Give it a ``label``: the error messages use it ("Date of birth must include a month").
    ``min_value`` / ``max_value`` may be dates or callables (``max_value=datetime.date.today``).
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": _("Enter the date"),
        "invalid": _("Enter a real date"),
        "year_digits": _("Year must include 4 numbers"),
        "missing_day": _("%(label)s must include a day"),
        "missing_month": _("%(label)s must include a month"),
        "missing_year": _("%(label)s must include a year"),
        "missing_day_month": _("%(label)s must include a day and month"),
        "missing_day_year": _("%(label)s must include a day and year"),
        "missing_month_year": _("%(label)s must include a month and year"),
        "min_value": _("%(label)s must be the same as or after %(date)s"),
        "max_value": _("%(label)s must be the same as or before %(date)s"),
    }

    def __init__(
        self,
        *,
        min_value: datetime.date | Callable[[], datetime.date] | None = None,
        max_value: datetime.date | Callable[[], datetime.date] | None = None,
        **kwargs,
    ):
        self.min_value = min_value
        self.max_value = max_value
        kwargs.setdefault("help_text", _("For example, 27 3 2007"))
        fields = tuple(forms.CharField(required=False) for _part in DATE_PARTS)
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        for subwidget in self.widget.widgets:
            subwidget.attrs.pop("required", None)

    def _label(self) -> str:
        return str(self.label) if self.label else str(_("The date"))

    def compress(self, data_list):
        if not data_list:
            return None
        return self._to_date([str(v or "").strip() for v in data_list])

    def _to_date(self, parts: list[str]) -> datetime.date:
        day, month, year = parts
        if not all(p.isdigit() for p in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year_digits"], code="year_digits")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def clean(self, value):
        if isinstance(value, datetime.date):
            value = self.widget.decompress(value)
        if not isinstance(value, (list, tuple)):
            value = [None, None, None]
        parts = [str(v or "").strip() for v in value]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [p for p, v in zip(DATE_PARTS, parts, strict=True) if not v]
        if missing:
            code = "missing_" + "_".join(missing)
            raise ValidationError(
                self.error_messages[code], code=code, params={"label": self._label()}
            )
        result = self._to_date(parts)
        self.validate(result)
        self.run_validators(result)
        for bound, code, too_far in (
            (self.min_value, "min_value", lambda d, b: d < b),
            (self.max_value, "max_value", lambda d, b: d > b),
        ):
            limit = bound() if callable(bound) else bound
            if limit is not None and too_far(result, limit):
                raise ValidationError(
                    self.error_messages[code],
                    code=code,
                    params={"label": self._label(), "date": day_text(limit)},
                )
        return result

    def validate(self, value):
        # MultiValueField.validate() is a no-op; required-ness is handled in clean().
        pass
