from functools import partial

from django import forms

from tandem.catalog.imports import MAX_BYTES
from tandem.catalog.models import CatalogItem, LabourRole, RoleRate, Supplier
from tandem.core.forms import CurrencyField, FriendlyErrorsMixin, StyledFormMixin


class SupplierForm(StyledFormMixin, forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Supplier
        fields = [
            "name",
            "contact_name",
            "email",
            "phone",
            "website",
            "default_lead_time_days",
            "notes",
            "active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}

    def validate_unique(self):
        # The service checks uniqueness (case-insensitively) and reports it on the field.
        pass


class CatalogItemForm(StyledFormMixin, forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CatalogItem
        fields = [
            "sku",
            "name",
            "category",
            "unit",
            "unit_cost",
            "list_price",
            "supplier",
            "lead_time_days",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        suppliers = Supplier.objects.filter(active=True)
        if self.instance.pk:
            # An item keeps its supplier even after the supplier stops being offered.
            suppliers = Supplier.objects.filter(active=True) | Supplier.objects.filter(
                pk=self.instance.supplier_id
            )
        self.fields["supplier"].queryset = suppliers.distinct().order_by("name")

    def validate_unique(self):
        pass


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: sku, name, category, unit, unit_cost, list_price, supplier, "
            "lead_time_days, active. Up to 20 MB, UTF-8."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; files up to "
                f"{MAX_BYTES // 1024 // 1024} MB can be imported. Split it and import the parts."
            )
        return upload


class ImportConfirmForm(FriendlyErrorsMixin, forms.Form):
    mode = forms.ChoiceField(choices=[("all", "Import"), ("valid", "Import the valid rows")])


class LabourRoleForm(StyledFormMixin, forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LabourRole
        fields = ["name", "union", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self):
        pass


class RoleRateForm(StyledFormMixin, forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    currency = CurrencyField()

    class Meta:
        model = RoleRate
        fields = [
            "effective_from",
            "cost_rate",
            "bill_rate",
            "overtime_multiplier",
            "minimum_call_hours",
            "currency",
        ]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}

    def validate_unique(self):
        # The service reports a second rate on the same day next to the date.
        pass
