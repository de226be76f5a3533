"""Forms of the past projects: one project with its hours per role, and the CSV upload."""

from decimal import Decimal

from django import forms

from tandem.catalog.forms import ImportUploadForm
from tandem.catalog.models import LabourRole
from tandem.core.forms import DateInput, StyledFormMixin
from tandem.estimates.actuals.services import PROJECT_FIELDS
from tandem.estimates.models import PastProject


class PastProjectForm(StyledFormMixin, forms.ModelForm):
    """The project's drivers, then a field of hours per role (empty: not on the project)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PastProject
        fields = list(PROJECT_FIELDS)
        widgets = {"completed_on": DateInput()}

    def __init__(self, *args, roles: list[LabourRole], hours: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        for role in roles:
            # The service says what is wrong with 0 or less, worded for this form.
            self.fields[f"hours_{role.pk}"] = forms.DecimalField(
                label=role.name,
                required=False,
                max_digits=10,
                decimal_places=2,
                initial=hours.get(role.pk),
                # Added after StyledFormMixin has styled the declared fields.
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )

    def validate_unique(self):
        # The service checks the reference case-insensitively and says so on the field.
        pass

    @property
    def hour_fields(self):
        return [self[f"hours_{role.pk}"] for role in self.roles]

    def project_data(self) -> tuple[dict, dict[LabourRole, Decimal | None]]:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        return data, {role: self.cleaned_data.get(f"hours_{role.pk}") for role in self.roles}


class PastProjectUploadForm(ImportUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Columns: reference, name, project_type, venue_type, screen_area_m2, show_days, "
            "completed_on (YYYY-MM-DD), then one column per role named hours:<role name> "
            "(hours:Stagehand); an empty cell means the role was not on the project. "
            "Up to 20 MB, UTF-8."
        )
