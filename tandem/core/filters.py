import django_filters
from django import forms

from tandem.core.forms import StyledFormMixin


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders with the toolkit's small controls."""

    def get_form_class(self):
        base = super().get_form_class()
        form_class = type(f"Styled{base.__name__}", (StyledFormMixin, base), {})
        original_init = form_class.__init__

        def __init__(form, *args, **kwargs):
            original_init(form, *args, **kwargs)
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = "Any"
                css = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {css}-sm".strip()

        form_class.__init__ = __init__
        return form_class
