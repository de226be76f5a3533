from django import forms


class StyledFormMixin:
    """Give every widget the toolkit's classes so templates render fields one way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_service_errors(form: forms.Form, error) -> None:
    """Attach a service's ValidationError to the form: field errors where the field is on the
    form, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit(request, form, write, success):
    """Run the write service on a valid posted form and say so; return what it wrote.

    `write(cleaned_data)` calls one service; its ValidationError lands on the form's fields
    and None comes back, so the view shows the form again with what was typed.
    `success(obj)` gives the flash message.
    """
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success(obj))
    return obj
