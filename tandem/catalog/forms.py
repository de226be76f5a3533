import datetime as dt
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
    """A rate, with the confirmations the service asks for: billing below cost (anyone who
    keeps the rate cards) and back-dating before today (admins). Each box is offered once
    the typed rate needs it, beside the field it is about."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_below_cost = forms.BooleanField(
        label="Bill below cost",
        required=False,
        help_text="I know every hour of this role loses money at this rate.",
    )
    confirm_back_dated = forms.BooleanField(
        label="Back-date this rate",
        required=False,
        help_text="Estimates already built keep the rates they copied.",
    )
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

    def __init__(self, *args, today: dt.date, can_back_date: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.can_back_date = can_back_date

    def validate_unique(self):
        # The service reports a second rate on the same day next to the date.
        pass

    def _typed(self, name):
        # From what was posted, not cleaned_data: a service error beside the field takes the
        # field out of cleaned_data, and that is exactly when the box must be offered.
        if not self.is_bound:
            return getattr(self.instance, name, None)
        try:
            return self.fields[name].clean(self[name].value())
        except forms.ValidationError:
            return None

    @property
    def bills_below_cost(self) -> bool:
        """The rate as typed (or as saved, before a post) bills below its cost."""
        bill, cost = self._typed("bill_rate"), self._typed("cost_rate")
        return bill is not None and cost is not None and bill < cost

    @property
    def offers_back_dating(self) -> bool:
        """An admin typed a day before today: offer the box that confirms it."""
        start = self._typed("effective_from")
        return self.can_back_date and self.is_bound and start is not None and start < self.today
