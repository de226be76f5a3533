"""The estimate editor's line rows, written straight to HTML.

An estimate of 2,000 lines has some 20,000 inputs; rendering each through Django's widget
templates takes seconds, and even format_html's lazy escaping costs a second. These rows carry
the same names, ids, values, classes and errors as `{{ field }}` would, every value escaped
with the standard library's html.escape before the row is marked safe once.
"""

from html import escape

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(bound: forms.BoundField, extra: dict) -> str:
    # In the order Django's widget templates write them: name and value, the widget's own
    # attributes, then the id.
    first = {key: extra.pop(key) for key in ("name", "value") if key in extra}
    attrs = {**first, **bound.field.widget.attrs, **extra}
    if bound.help_text:
        # A table row has no room for help text under each input: it shows on hover.
        attrs["title"] = bound.help_text
    if bound.errors:
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound.auto_id}_error"
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {escape(key)}")
        elif value is not None and value is not False:
            parts.append(f' {escape(key)}="{escape(str(value))}"')
    return "".join(parts)


def _field(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    value = bound.value()
    ids = {"name": bound.html_name, "id": bound.auto_id}
    if isinstance(widget, forms.CheckboxInput):
        checked = {"checked": True} if widget.check_test(value) else {}
        return f'<input type="checkbox"{_attrs(bound, {**ids, **checked})}>'
    if isinstance(widget, forms.Select):
        chosen = "" if value is None else str(getattr(value, "pk", value))
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in bound.field.choices
        )
        return f"<select{_attrs(bound, ids)}>{options}</select>"
    shown = widget.format_value(value)
    value_attr = {} if shown in (None, "") else {"value": shown}
    return f'<input type="{widget.input_type}"{_attrs(bound, {**ids, **value_attr})}>'


def _errors(errors, id_: str = "") -> str:
    if not errors:
        return ""
    messages = " ".join(escape(str(error)) for error in errors)
    return f'<div class="invalid-feedback d-block" id="{escape(id_)}">{messages}</div>'


@register.simple_tag
def line_row(form: forms.Form, kind: str) -> SafeString:
    """One editor row: the hidden fields, a cell per visible field with its errors, and a
    row of the form's own errors under it."""
    hidden = "".join(_field(bound) for bound in form.hidden_fields())
    cells = []
    for bound in form.visible_fields():
        label = (
            f'<label class="visually-hidden" for="{escape(bound.auto_id)}">Remove</label>'
            if bound.name == "DELETE"
            else ""
        )
        cells.append(
            f'<td class="field-{escape(bound.name)}">{label}{_field(bound)}'
            f"{_errors(bound.errors, f'{bound.auto_id}_error')}</td>"
        )
    row = f'<tr class="line-row" data-kind="{escape(kind)}">{hidden}{"".join(cells)}</tr>'
    if form.non_field_errors():
        row += (
            '<tr class="line-errors"><td colspan="20">'
            f"{_errors(form.non_field_errors(), f'{form.prefix}-errors')}</td></tr>"
        )
    # Every value above went through html.escape.
    return mark_safe(row)  # noqa: S308
