"""Forms of the estimate editor: the scenario, and one formset of lines per kind."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from tandem.core.forms import StyledFormMixin
from tandem.estimates.models import (
    Estimate,
    EstimateLine,
    EstimateRequest,
    LineKind,
    RequestStatus,
    VenueType,
)

HUNDRED = Decimal(100)


def _decimal(
    label, *, required=False, min_value=Decimal(0), max_value=None, digits=12, places=2, **kw
):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        max_digits=digits,
        decimal_places=places,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kw,
    )


def _line_decimal(name: str, label: str, **kw):
    """A number as the line's column can hold it, so a typo is an error beside the field
    rather than a database error."""
    column = EstimateLine._meta.get_field(name)
    return _decimal(label, digits=column.max_digits, places=column.decimal_places, **kw)


class PickField(forms.ChoiceField):
    """One of a list of objects loaded once for the whole formset, named by `key`.

    A ModelChoiceField would query its queryset again for every row it renders and validates:
    an estimate of hundreds of lines would run hundreds of queries.
    """

    def __init__(self, *, objects=(), key=lambda obj: obj.pk, **kwargs):
        self.key = key
        super().__init__(**kwargs)
        self.set_objects(objects)

    def set_objects(self, objects) -> None:
        self.use(self.keyed(objects))

    def keyed(self, objects) -> dict:
        return {str(self.key(obj)): obj for obj in objects}

    def use(self, keyed: dict) -> None:
        """Choose among objects already keyed (one dict shared by a formset's rows)."""
        self.objects = keyed
        if isinstance(self.widget, forms.Select):
            # Only a select lists the objects; a typed SKU picks from the page's one list.
            self.choices = [("", "—")] + [(key, str(obj)) for key, obj in self.objects.items()]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        return self.objects.get(value, value) if value else None

    def validate(self, value):
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        if isinstance(value, str):
            raise ValidationError(f"“{value}” is not in the list.", code="invalid_choice")


class SkuInput(forms.TextInput):
    """A catalog item typed or picked by SKU from the page's one list of items: a select per
    row would repeat the whole catalog on every equipment line."""

    def __init__(self):
        super().__init__(attrs={"list": "catalog-skus", "autocomplete": "off"})


class ScenarioForm(StyledFormMixin, forms.Form):
    """The scenario's name and size drivers, its contingency and what this save changes."""

    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(max_length=120)
    venue_type = forms.ChoiceField(
        choices=[("", "—"), *VenueType.choices], required=False, label="Venue"
    )
    screen_area_m2 = _decimal("Screen area (m²)", max_value=Decimal("999999"))
    show_days = forms.IntegerField(min_value=0, max_value=365, required=False, label="Show days")
    contingency_pct = _decimal("Contingency %", required=True, max_value=HUNDRED)
    note = forms.CharField(
        max_length=300,
        required=False,
        label="What changed",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Halved the screen"}),
    )

    def scenario(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in ("name", "venue_type", "screen_area_m2", "show_days")
        }


class NewScenarioForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Estimate
        fields = ["name", "request", "venue_type", "screen_area_m2", "show_days"]
        labels = {"request": "For the request"}

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        # A declined request can never be accepted, so nothing is built for it.
        self.fields["request"].queryset = EstimateRequest.objects.filter(deal=deal).exclude(
            status=RequestStatus.DECLINED
        )
        self.fields["request"].required = False

    def validate_unique(self):
        # The service checks the name per deal, case-insensitively.
        pass


class CopyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Name of the new scenario")
    screen_area_m2 = _decimal("Screen area (m²)", max_value=Decimal("999999"))


class _LineForm(StyledFormMixin, forms.Form):
    """What every line row has: the line it continues, its name and a short description."""

    kind: str = ""
    source = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(max_length=300, required=False)

    def line(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "DELETE"}
        return {"kind": self.kind, **data}


class EquipmentForm(_LineForm):
    kind = LineKind.EQUIPMENT
    field_order = ["catalog_item", "name", "description"]
    catalog_item = PickField(
        required=False, label="Catalog item (SKU)", key=lambda item: item.sku, widget=SkuInput
    )
    qty = _line_decimal("qty", "Qty", required=True)
    unit_cost = _line_decimal("unit_cost", "Unit cost", help_text="Empty: the catalog's cost.")
    markup_pct = _line_decimal("markup_pct", "Markup %", min_value=Decimal(-100))
    unit_price = _line_decimal(
        "unit_price", "Unit price", help_text="Empty: cost plus markup, or the list price."
    )
    lead_time_days = forms.IntegerField(min_value=0, max_value=3650, required=False, label="Lead")

    def clean(self):
        data = super().clean()
        if not data.get("catalog_item") and not (data.get("name") or "").strip():
            raise ValidationError("Pick a catalog item or name the equipment.")
        if not data.get("catalog_item") and data.get("unit_cost") is None:
            self.add_error("unit_cost", "Give the unit cost of equipment not in the catalog.")
        return data


class LabourForm(_LineForm):
    kind = LineKind.LABOUR
    field_order = ["role", "name", "description"]
    role = PickField(label="Role")
    crew_size = _line_decimal("crew_size", "Crew", required=True)
    hours_low = _line_decimal("hours_low", "Low h", required=True)
    hours_likely = _line_decimal("hours_likely", "Likely h", required=True)
    hours_high = _line_decimal("hours_high", "High h", required=True)
    # The share is stored to 0.001, so the percent is typed to 0.1.
    overtime_pct = _decimal("OT %", max_value=HUNDRED, digits=4, places=1)
    calls = forms.IntegerField(min_value=1, max_value=1000, required=False, initial=1)

    def clean(self):
        data = super().clean()
        low, likely, high = (data.get(f"hours_{n}") for n in ("low", "likely", "high"))
        if None not in (low, likely, high) and not low <= likely <= high:
            raise ValidationError("Hours must run low ≤ likely ≤ high.")
        return data

    def line(self) -> dict:
        line = super().line()
        pct = line.pop("overtime_pct", None)
        line["overtime_share"] = (pct or Decimal(0)) / HUNDRED
        return line


class FixedCostForm(_LineForm):
    cost = _line_decimal("cost", "Cost", required=True)
    markup_pct = _line_decimal("markup_pct", "Markup %", min_value=Decimal(-100))

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip():
            self.add_error("name", "Name the line.")
        return data


class SubcontractForm(FixedCostForm):
    kind = LineKind.SUBCONTRACT


class ExpenseForm(FixedCostForm):
    kind = LineKind.EXPENSE


class _LineFormSet(forms.BaseFormSet):
    def __init__(self, *args, items=None, roles=None, **kwargs):
        self.items = items
        self.roles = roles
        self._keyed = {}
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._limit(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        self._limit(form)
        return form

    def _limit(self, form):
        for name, objects in (("catalog_item", self.items), ("role", self.roles)):
            if name in form.fields and objects is not None:
                field = form.fields[name]
                if name not in self._keyed:
                    self._keyed[name] = field.keyed(objects)
                field.use(self._keyed[name])

    def typed_lines(self) -> tuple[list[dict], int]:
        """The valid rows that hold something and are not marked for removal, and how many
        rows have errors (the live totals leave those out)."""
        lines, invalid = [], 0
        for form in self.forms:
            valid = form.is_valid()  # fills cleaned_data, which says whether it is removed
            if self._should_delete_form(form):
                continue
            if not valid:
                invalid += 1
            elif form.has_changed():
                lines.append(form.line())
        return lines, invalid


def _formset(form):
    return forms.formset_factory(
        form, formset=_LineFormSet, extra=0, can_delete=True, max_num=2000, validate_max=True
    )


FORMSETS = {
    LineKind.EQUIPMENT: ("equipment", _formset(EquipmentForm)),
    LineKind.LABOUR: ("labour", _formset(LabourForm)),
    LineKind.SUBCONTRACT: ("subcontract", _formset(SubcontractForm)),
    LineKind.EXPENSE: ("expense", _formset(ExpenseForm)),
}


def _initial(line: EstimateLine) -> dict:
    initial = {"source": line.pk, "name": line.name, "description": line.description}
    if line.kind == LineKind.EQUIPMENT:
        initial |= {
            "catalog_item": line.catalog_item.sku if line.catalog_item_id else "",
            "qty": line.qty,
            "unit_cost": line.unit_cost,
            "markup_pct": line.markup_pct,
            "unit_price": line.unit_price,
            "lead_time_days": line.lead_time_days,
        }
    elif line.kind == LineKind.LABOUR:
        initial |= {
            "role": line.role_id,
            "crew_size": line.crew_size,
            "hours_low": line.hours_low,
            "hours_likely": line.hours_likely,
            "hours_high": line.hours_high,
            # Quantized, not normalized: 10 % would print as 1E+1.
            "overtime_pct": (line.overtime_share * HUNDRED).quantize(Decimal("0.1")),
            "calls": line.calls,
        }
    else:
        initial |= {"cost": line.cost, "markup_pct": line.markup_pct}
    return initial


def line_formsets(data=None, *, lines=(), items=None, roles=None) -> dict:
    """One formset per kind of line, filled from `lines` (a version's) or from posted data."""
    by_kind = {kind: [] for kind in FORMSETS}
    for line in lines:
        by_kind[line.kind].append(_initial(line))
    return {
        kind: formset_class(
            data,
            initial=None if data is not None else by_kind[kind],
            prefix=prefix,
            items=items,
            roles=roles,
        )
        for kind, (prefix, formset_class) in FORMSETS.items()
    }
