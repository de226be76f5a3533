"""Scenario pages: open one, build it line by line with live totals, read any version, compare
versions and scenarios, copy one, accept one."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.catalog.access import can_see_costs
from tandem.catalog.models import CatalogItem, LabourRole
from tandem.core.forms import add_service_errors, submit
from tandem.core.templatetags.tandem import money
from tandem.estimates import access
from tandem.estimates.actuals.predictions import predictions_for
from tandem.estimates.models import Estimate, EstimateLine, EstimateVersion, LineKind
from tandem.estimates.scenarios.charts import (
    ComparedScenario,
    RoleHours,
    price_by_kind_chart,
    role_hours_chart,
)
from tandem.estimates.scenarios.fetch import VersionChanges, hours_by_role, version_changes
from tandem.estimates.scenarios.forms import (
    CopyForm,
    NewScenarioForm,
    ScenarioForm,
    line_formsets,
)
from tandem.estimates.scenarios.services import (
    StaleEstimate,
    do_accept_estimate,
    do_copy_estimate,
    do_create_estimate,
    do_save_version,
    price_lines,
    rate_day_for,
    totals_for,
)
from tandem.pipeline.access import get_deal_for_user

MAX_COMPARED = 4


@require_http_methods(["GET", "POST"])
def estimate_create(request: HttpRequest, deal_pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, deal_pk)
    if not access.can_edit_estimates(request.user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins build estimates."
        )
    initial = {"request": request.GET.get("request")} if request.GET.get("request") else {}
    form = NewScenarioForm(request.POST or None, deal=deal, initial=initial)
    estimate = submit(
        request,
        form,
        lambda data: do_create_estimate(request.user, deal, **data),
        lambda estimate: f"Scenario “{estimate.name}” opened: add its lines.",
    )
    if estimate:
        return redirect("estimates:estimate_edit", estimate.pk)
    return render(request, "estimates/estimate_new.html", {"deal": deal, "form": form})


def _choices(estimate: Estimate):
    # An item or role since retired stays choosable where this scenario uses it, in any
    # version (a refused save may still point at an older one).
    used = EstimateLine.objects.filter(version__estimate=estimate)
    items = list(
        CatalogItem.objects.filter(
            Q(active=True)
            | Q(pk__in=used.filter(catalog_item__isnull=False).values("catalog_item"))
        )
        .select_related("supplier")
        .order_by("category", "sku")
    )
    roles = list(
        LabourRole.objects.filter(
            Q(active=True) | Q(pk__in=used.filter(role__isnull=False).values("role"))
        ).order_by("name")
    )
    return items, roles


def _bound(request, estimate, data=None):
    lines = []
    if data is None and estimate.latest_version_id:
        # Loaded once for the rows and the totals panel alike.
        lines = list(estimate.latest_version.lines.select_related("catalog_item", "role"))
    items, roles = _choices(estimate)
    version = estimate.latest_version
    scenario = ScenarioForm(
        data,
        initial={
            "base_number": estimate.latest_number,
            "name": estimate.name,
            "venue_type": estimate.venue_type,
            "screen_area_m2": estimate.screen_area_m2,
            "show_days": estimate.show_days,
            "contingency_pct": version.contingency_pct if version else Decimal("10"),
        },
    )
    formsets = line_formsets(data, lines=lines, items=items, roles=roles)
    return scenario, formsets, items, lines


def _typed_lines(formsets) -> list[dict]:
    return [line for formset in formsets.values() for line in formset.typed_lines()[0]]


def _valid(scenario, formsets) -> bool:
    # Evaluate every form so each shows its own errors.
    results = [scenario.is_valid(), *(formset.is_valid() for formset in formsets.values())]
    return all(results)


def _editor(request, estimate, scenario, formsets, items, lines=(), *, stale=None, status=200):
    context = {
        "estimate": estimate,
        "deal": estimate.deal,
        "scenario": scenario,
        "formsets": [(kind, LineKind(kind).label, formsets[kind]) for kind in formsets],
        "items": items,
        "items_json": {
            item.sku: {
                "name": item.name,
                # Editors see costs today; a role that edits without seeing them gets none.
                "cost": str(item.unit_cost) if can_see_costs(request.user) else "",
                "price": str(item.list_price),
                "lead": item.effective_lead_time_days,
            }
            for item in items
        },
        "stale": stale,
        "panel": _panel(request, estimate, scenario, formsets, lines),
    }
    return render(request, "estimates/estimate_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def estimate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return _editor(request, estimate, *_bound(request, estimate))
    scenario, formsets, items, _ = _bound(request, estimate, request.POST)
    if not _valid(scenario, formsets):
        return _editor(request, estimate, scenario, formsets, items, status=422)
    try:
        version = do_save_version(
            estimate,
            request.user,
            base_number=scenario.cleaned_data["base_number"],
            lines=_typed_lines(formsets),
            contingency_pct=scenario.cleaned_data["contingency_pct"],
            note=scenario.cleaned_data["note"],
            scenario=scenario.scenario(),
        )
    except StaleEstimate as error:
        return _refused_as_stale(request, error, scenario, formsets, items)
    except ValidationError as error:
        add_service_errors(scenario, error)
        return _editor(request, estimate, scenario, formsets, items, status=422)
    messages.success(request, f"Saved as version {version.number}.")
    return redirect("estimates:estimate_detail", estimate.pk)


def _refused_as_stale(request, error: StaleEstimate, scenario, formsets, items):
    """Show the other person's change beside what was typed, which stays in the form; saving
    again now builds on their version, knowingly."""
    estimate = error.estimate
    versions = {
        v.number: v for v in estimate.versions.filter(number__in=[error.base_number, error.latest])
    }
    theirs = versions[error.latest]
    data = scenario.data.copy()
    data["base_number"] = str(error.latest)
    scenario = ScenarioForm(data)
    scenario.is_valid()
    scenario.add_error(None, error)
    costs = can_see_costs(request.user)
    _, changes = _named(version_changes(versions.get(error.base_number), theirs, costs=costs))
    stale = {"version": theirs, "changes": changes}
    return _editor(request, estimate, scenario, formsets, items, stale=stale, status=409)


@require_POST
def estimate_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The totals panel for the lines as typed, before they are saved."""
    estimate = access.get_estimate_for_user(request.user, pk, write=True)
    scenario, formsets, _, _ = _bound(request, estimate, request.POST)
    _valid(scenario, formsets)
    return render(
        request,
        "estimates/partials/_estimate_panel.html",
        {"estimate": estimate, "panel": _panel(request, estimate, scenario, formsets)},
    )


def _panel(request, estimate, scenario, formsets, saved_lines=()) -> dict:
    """Totals, the margin check and the history beside each role, for the editor's panel:
    of the lines as typed once the form is posted, of the saved version before."""
    panel = {
        "invalid_rows": 0,
        "target": settings.TANDEM_TARGET_MARGIN_PCT,
        "costs": can_see_costs(request.user),
    }
    version = estimate.latest_version
    today = timezone.localdate()
    panel["rate_day"] = rate_day_for(estimate, today)
    if scenario.is_bound:
        typed = []
        for formset in formsets.values():
            valid, invalid = formset.typed_lines()
            typed += valid
            panel["invalid_rows"] += invalid
        contingency = Decimal(0)
        if scenario.is_valid():
            contingency = scenario.cleaned_data["contingency_pct"]
            _drivers_as_typed(estimate, scenario)
        try:
            lines = price_lines(estimate, typed, today=today)
        except ValidationError as error:
            panel["error"] = " ".join(error.messages)
            return panel
    else:
        lines = list(saved_lines)
        contingency = version.contingency_pct if version else Decimal(0)
    try:
        totals = totals_for(lines, contingency, estimate.currency)
    except ValidationError as error:
        panel["error"] = " ".join(error.messages)
        return panel
    panel["totals"] = totals
    panel["below_target"] = (
        totals.margin_pct is not None and totals.margin_pct < settings.TANDEM_TARGET_MARGIN_PCT
    )
    panel["roles"] = _role_rows(estimate, lines, totals)
    panel["hours_chart"] = role_hours_chart(
        [
            RoleHours(
                row["role"].name,
                row["hours"],
                *(
                    (row["prediction"].low, row["prediction"].value, row["prediction"].high)
                    if row["prediction"]
                    else ()
                ),
            )
            for row in panel["roles"]
        ]
    )
    return panel


def _drivers_as_typed(estimate: Estimate, scenario: ScenarioForm) -> None:
    # Predictions follow the drivers in the form (halving the screen), saved or not; the
    # instance is never saved from here.
    for field in ("venue_type", "screen_area_m2", "show_days"):
        setattr(estimate, field, scenario.cleaned_data[field])


def _role_rows(estimate: Estimate, lines, totals) -> list[dict]:
    roles = {}
    for line in lines:
        role = line.get("role") if isinstance(line, dict) else line.role
        if role is not None:
            roles.setdefault(role.pk, role)
    predictions = predictions_for(estimate, list(roles)) if roles else {}
    return [
        {
            "role": role,
            "hours": totals.hours_by_role.get(role.name),
            "prediction": predictions.get(role.pk),
        }
        for role in roles.values()
    ]


def _grouped(lines) -> list[tuple[str, str, list[EstimateLine]]]:
    by_kind = defaultdict(list)
    for line in lines:
        by_kind[line.kind].append(line)
    return [(kind, label, by_kind[kind]) for kind, label in LineKind.choices if by_kind[kind]]


def _version_page(
    request,
    estimate: Estimate,
    version: EstimateVersion | None,
    *,
    copy_form: CopyForm | None = None,
    status: int = 200,
):
    user = request.user
    lines = list(version.lines.select_related("role", "catalog_item")) if version else []
    context = {
        "estimate": estimate,
        "deal": estimate.deal,
        "version": version,
        "is_latest": version is not None and version.pk == estimate.latest_version_id,
        "sections": _grouped(lines),
        "hours_by_role": hours_by_role(lines),
        "versions": estimate.versions.select_related("created_by").order_by("-number")[:100],
        "siblings": Estimate.objects.filter(deal=estimate.deal_id, latest_number__gt=0).exclude(
            pk=estimate.pk
        ),
        "can_see_costs": can_see_costs(user),
        "can_edit": access.can_edit_estimates(user),
        "can_accept": access.can_accept_estimate(user, estimate.deal),
        "copy_form": copy_form
        or CopyForm(initial={"name": "", "screen_area_m2": estimate.screen_area_m2}),
        "target": settings.TANDEM_TARGET_MARGIN_PCT,
    }
    return render(request, "estimates/estimate_detail.html", context, status=status)


@require_GET
def estimate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk)
    return _version_page(request, estimate, estimate.latest_version)


@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk)
    version = get_object_or_404(estimate.versions, number=number)
    return _version_page(request, estimate, version)


FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "catalog_item": "Catalog item",
    "qty": "Qty",
    "unit_cost": "Unit cost",
    "unit_price": "Unit price",
    "markup_pct": "Markup %",
    "lead_time_days": "Lead time (days)",
    "role": "Role",
    "crew_size": "Crew",
    "hours_low": "Low hours",
    "hours_likely": "Likely hours",
    "hours_high": "High hours",
    "overtime_share": "Overtime share",
    "calls": "Calls",
    "cost_rate": "Cost rate",
    "bill_rate": "Bill rate",
    "overtime_multiplier": "Overtime ×",
    "minimum_call_hours": "Minimum call (h)",
    "cost": "Cost",
    "line_cost": "Line cost",
    "line_price": "Line price",
}
FIGURE_LABELS = {
    "contingency_pct": "Contingency %",
    "cost": "Cost",
    "price": "Price",
    "margin": "Margin",
    "margin_pct": "Margin %",
    "budget_low": "Budget low",
    "budget_high": "Budget high",
    "longest_lead_time_days": "Longest lead time (days)",
    "line_count": "Lines",
}


MONEY_FIELDS = frozenset(
    {
        "cost",
        "price",
        "margin",
        "budget_low",
        "budget_high",
        "unit_cost",
        "unit_price",
        "cost_rate",
        "bill_rate",
        "line_cost",
        "line_price",
    }
)


def _named(changes: VersionChanges) -> tuple[list, list]:
    """The figure and line changes with labels and names in place of field names and ids."""
    names = {}
    for line in changes.rows:
        if line.role_id:
            names[("role", line.role_id)] = line.role.name
        if line.catalog_item_id:
            names[("catalog_item", line.catalog_item_id)] = line.catalog_item.sku
    figures = [
        {
            "label": FIGURE_LABELS[f.field],
            "old": f.old,
            "new": f.new,
            "money": f.field in MONEY_FIELDS,
        }
        for f in changes.figures
    ]
    lines = [
        {
            "change": change.change,
            "kind": change.kind,
            "name": change.name,
            "fields": [
                {
                    "label": FIELD_LABELS[f.field],
                    "old": names.get((f.field, f.old), f.old),
                    "new": names.get((f.field, f.new), f.new),
                    "money": f.field in MONEY_FIELDS,
                }
                for f in change.fields
                if f.field in FIELD_LABELS
            ],
        }
        for change in changes.lines
    ]
    return figures, lines


@require_GET
def estimate_diff(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk)
    costs = can_see_costs(request.user)
    latest = estimate.latest_number
    try:
        old_number = int(request.GET.get("from", latest - 1))
        new_number = int(request.GET.get("to", latest))
    except ValueError as error:
        raise Http404("Versions are numbers.") from error
    versions = {v.number: v for v in estimate.versions.filter(number__in=[old_number, new_number])}
    if new_number not in versions or (old_number not in versions and old_number != 0):
        raise Http404("No such version.")
    old, new = versions.get(old_number), versions[new_number]
    figures, changes = _named(version_changes(old, new, costs=costs))
    return render(
        request,
        "estimates/estimate_diff.html",
        {
            "estimate": estimate,
            "deal": estimate.deal,
            "old": old,
            "new": new,
            "numbers": range(latest, 0, -1),
            "figures": figures,
            "changes": changes,
        },
    )


@require_GET
def estimate_compare(request: HttpRequest, deal_pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, deal_pk)
    if not request.user.has_perm("estimates.view_estimate"):
        raise PermissionDenied("You cannot see estimates.")
    costs = can_see_costs(request.user)
    available = list(
        Estimate.objects.filter(deal=deal, latest_version__isnull=False)
        .select_related("latest_version", "accepted_version")
        .order_by("created_at", "id")
    )
    wanted = set(request.GET.getlist("s"))
    chosen = [e for e in available if str(e.pk) in wanted] or available
    chosen = chosen[:MAX_COMPARED]
    versions = [e.latest_version_id for e in chosen]
    subtotals = defaultdict(dict)
    for row in (
        EstimateLine.objects.filter(version__in=versions)
        .values("version_id", "kind")
        .annotate(total=Sum("line_price"), cost=Sum("line_cost"))
        .order_by()
    ):
        subtotals[row["kind"]][row["version_id"]] = row
    hours = defaultdict(dict)
    for row in (
        EstimateLine.objects.filter(version__in=versions, kind=LineKind.LABOUR)
        .values("version_id", "role__name")
        .annotate(hours=Sum("expected_hours"))
        .order_by("role__name")
    ):
        hours[row["role__name"]][row["version_id"]] = row["hours"]
    price_chart = price_by_kind_chart(
        [
            ComparedScenario(
                e.name,
                e.latest_version.price,
                e.currency,
                {
                    kind: by_version[e.latest_version_id]["total"]
                    for kind, by_version in subtotals.items()
                    if e.latest_version_id in by_version
                },
            )
            for e in chosen
        ]
    )
    return render(
        request,
        "estimates/estimate_compare.html",
        {
            "deal": deal,
            "price_chart": price_chart,
            "available": available,
            "chosen": chosen,
            "chosen_ids": {e.pk for e in chosen},
            "subtotals": [
                (label, [(e, subtotals[kind].get(e.latest_version_id)) for e in chosen])
                for kind, label in LineKind.choices
                if kind in subtotals
            ],
            "hours": [
                (role, [by_version.get(v) for v in versions])
                for role, by_version in sorted(hours.items())
            ],
            "can_see_costs": costs,
            "can_accept": access.can_accept_estimate(request.user, deal),
            "target": settings.TANDEM_TARGET_MARGIN_PCT,
        },
    )


@require_POST
def estimate_copy(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk, write=True)
    form = CopyForm(request.POST)
    copy = submit(
        request,
        form,
        lambda data: do_copy_estimate(
            estimate,
            request.user,
            name=data["name"],
            **(
                {"screen_area_m2": data["screen_area_m2"]}
                if data["screen_area_m2"] is not None
                else {}
            ),
        ),
        lambda copy: f"“{copy.name}” starts as a copy of “{estimate.name}”: change what differs.",
    )
    if copy:
        return redirect("estimates:estimate_edit", copy.pk)
    return _version_page(request, estimate, estimate.latest_version, copy_form=form, status=422)


@require_POST
def estimate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    estimate = access.get_estimate_for_user(request.user, pk)
    if not access.can_accept_estimate(request.user, estimate.deal):
        raise PermissionDenied("Only the deal's owner or a manager accepts a scenario.")
    number = request.POST.get("number", "")
    try:
        estimate = do_accept_estimate(
            estimate, request.user, number=int(number) if number.isdigit() else None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("estimates:estimate_detail", estimate.pk)
    messages.success(
        request,
        f"“{estimate.name}” accepted: the deal's amount is now "
        f"{money(estimate.accepted_version.price, estimate.currency)}. Check its next step.",
    )
    return redirect(estimate.deal.get_absolute_url())
