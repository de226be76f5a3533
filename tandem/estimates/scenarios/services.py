"""Every write to estimates: scenarios, their versions and lines, copies and acceptance."""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from tandem.catalog.models import CatalogItem, LabourRole, rates_on
from tandem.core.events import emit
from tandem.core.services import day, full_clean_or_raise
from tandem.estimates.events import EstimateAccepted
from tandem.estimates.logic.totals import Totals, estimate_totals
from tandem.estimates.models import (
    Estimate,
    EstimateLine,
    EstimateRequest,
    EstimateVersion,
    LineKind,
    RequestStatus,
)
from tandem.estimates.scenarios.fetch import LINE_FIELDS, RATE_FIELDS, to_logic
from tandem.people.models import User
from tandem.pipeline.models import Deal

DRIVER_FIELDS = ("venue_type", "screen_area_m2", "show_days")
SCENARIO_FIELDS = ("name", *DRIVER_FIELDS)


class StaleEstimate(ValidationError):
    """The scenario was saved by someone else since this edit began; `latest` is theirs."""

    def __init__(self, estimate: Estimate, base_number: int):
        self.estimate = estimate
        self.base_number = base_number
        self.latest = estimate.latest_number
        super().__init__(
            f"{estimate.name} was saved as version {self.latest} while you were editing "
            f"version {base_number}. Nothing of yours was saved: see what changed, then apply "
            "your edits to the latest version.",
            code="stale",
        )


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _check_name(deal: Deal, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the scenario a name, such as “Half booth”."})
    clash = Estimate.objects.filter(deal=deal).annotate(lower=Lower("name"))
    if clash.filter(lower=name.lower()).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": f"This deal has a scenario called “{name}” already."})
    return name


def _check_drivers(drivers: Mapping) -> dict:
    unknown = set(drivers) - set(DRIVER_FIELDS)
    if unknown:
        raise ValueError(f"Scenario fields cannot be set here: {sorted(unknown)}")
    return dict(drivers)


@transaction.atomic
def do_create_estimate(
    by: User | None,
    deal: Deal,
    *,
    name: str,
    request: EstimateRequest | None = None,
    currency: str = "",
    now: dt.datetime | None = None,
    **drivers,
) -> Estimate:
    """Open a scenario on a deal; its first save makes version 1.

    A scenario built for a request moves that request from requested to in progress.
    """
    if request is not None and request.deal_id != deal.pk:
        raise ValidationError({"request": "That request belongs to another deal."})
    estimate = Estimate(
        deal=deal,
        request=request,
        name=_check_name(deal, name),
        currency=(currency or deal.currency or settings.TANDEM_CURRENCY).upper(),
        created_by=by,
        created_at=_now(now),
        **_check_drivers(drivers),
    )
    full_clean_or_raise(estimate, exclude=["deal", "request", "accepted_version", "latest_version"])
    estimate.save()
    if request is not None:
        _start_request(request, by, now)
    return estimate


def _start_request(request: EstimateRequest, by: User | None, now: dt.datetime | None) -> None:
    # Imported here: request services notify through the inbox, estimates do not need to.
    from tandem.estimates.requests.services import do_start_request

    if request.status == RequestStatus.REQUESTED:
        do_start_request(request, by, now=now)


def _locked(estimate: Estimate) -> Estimate:
    return (
        Estimate.objects.select_for_update(of=("self",)).select_related("deal").get(pk=estimate.pk)
    )


def _price_labour(
    line: dict, carried: EstimateLine | None, rates: dict, rate_day: dt.date, currency: str
) -> None:
    role: LabourRole = line["role"]
    if carried is not None and carried.kind == LineKind.LABOUR and carried.role_id == role.pk:
        # The estimate keeps the rates it was built with, whatever the card says today.
        for field in RATE_FIELDS:
            line[field] = getattr(carried, field)
        return
    rate = rates.get(role.pk)
    if rate is None:
        raise ValidationError(
            f"{role.name} has no rate in effect on {day(rate_day)}: add one on the rate card first."
        )
    if rate.currency != currency:
        raise ValidationError(
            f"{role.name}'s rate is in {rate.currency}, this scenario is in {currency}: add a "
            f"rate in {currency} on the rate card."
        )
    for field in RATE_FIELDS:
        line[field] = getattr(rate, field)


def _fill_from_catalog(line: dict, carried: EstimateLine | None, currency: str) -> None:
    item: CatalogItem | None = line.get("catalog_item")
    if item is None:
        return
    if not (line.get("name") or "").strip():
        line["name"] = item.name
    needs_catalog_money = line.get("unit_cost") is None or (
        line.get("unit_price") is None and line.get("markup_pct") is None
    )
    same = carried is not None and carried.catalog_item_id == item.pk
    # The catalog is kept in the company's currency: its figures mean nothing in another.
    if needs_catalog_money and not same and currency != settings.TANDEM_CURRENCY:
        raise ValidationError(
            f"{line['name']}: the catalog's costs and prices are in "
            f"{settings.TANDEM_CURRENCY}, this scenario is in {currency}. Type its unit cost "
            f"and unit price in {currency}."
        )
    if line.get("unit_cost") is None:
        line["unit_cost"] = carried.unit_cost if same else item.unit_cost
    if line.get("lead_time_days") is None:
        line["lead_time_days"] = item.effective_lead_time_days
    if line.get("unit_price") is None and line.get("markup_pct") is None:
        line["unit_price"] = item.list_price


_DEFAULTS = {
    "description": "",
    "qty": Decimal(0),
    "unit_cost": Decimal(0),
    "markup_pct": Decimal(0),
    "lead_time_days": 0,
    "crew_size": Decimal(0),
    "hours_low": Decimal(0),
    "hours_likely": Decimal(0),
    "hours_high": Decimal(0),
    "overtime_share": Decimal(0),
    "calls": 1,
    "cost": Decimal(0),
}


def prepare_lines(
    lines: Iterable[Mapping],
    *,
    carried: Mapping[int, EstimateLine] | None = None,
    rate_day: dt.date,
    currency: str,
) -> list[dict]:
    """Complete the lines as typed: catalog defaults, rates, and the fields of their kind only.

    Each line is a mapping with `kind`, the fields of its kind (see fetch.LINE_FIELDS) and
    optionally `source`, the id of the earlier line it continues; such a line keeps that
    line's rates and catalog cost. New labour lines take the rates in effect on `rate_day`;
    rates and catalog figures in another currency than `currency` are refused. Raises
    ValidationError naming the line when a line cannot be priced.
    """
    carried = carried or {}
    lines = list(lines)
    needs_rates = [
        line["role"]
        for line in lines
        if line.get("kind") == LineKind.LABOUR and line.get("role") is not None
    ]
    rates = rates_on(rate_day, roles=needs_rates) if needs_rates else {}
    prepared = []
    for position, raw in enumerate(lines, start=1):
        kind = raw.get("kind")
        if kind not in LINE_FIELDS:
            raise ValidationError(
                f"Line {position}: choose equipment, labour, subcontract or expense."
            )
        source = carried.get(raw.get("source"))
        line = {"kind": kind, "position": position}
        for field in LINE_FIELDS[kind]:
            line[field] = raw.get(field)
        if kind == LineKind.EQUIPMENT:
            _fill_from_catalog(line, source, currency)
        if kind == LineKind.LABOUR:
            if line.get("role") is None:
                raise ValidationError(f"Line {position}: a labour line needs a role.")
            if not (line.get("name") or "").strip():
                line["name"] = line["role"].name
            _price_labour(line, source, rates, rate_day, currency)
        for field, default in _DEFAULTS.items():
            if field in line and line[field] is None:
                line[field] = default
        line["name"] = (line.get("name") or "").strip()
        if not line["name"]:
            raise ValidationError(f"Line {position}: give the line a name.")
        prepared.append(line)
    return prepared


def rate_day_for(estimate: Estimate, today: dt.date) -> dt.date:
    """The day whose rate card prices new labour lines: the event's first day when the
    scenario's request names it (a raise agreed for before the show applies to its crew),
    today otherwise."""
    request = estimate.request if estimate.request_id else None
    if request is not None and request.event_start:
        return request.event_start
    return today


def price_lines(estimate: Estimate, lines: Iterable[Mapping], *, today: dt.date) -> list[dict]:
    """Prepare a scenario's lines as typed (see prepare_lines), with the rates and costs of the
    earlier lines they continue and new rates as of `rate_day_for`. Writes nothing: the
    editor prices unsaved lines with it."""
    lines = list(lines)
    # Any version's line: after a refused save the editor still points at the version it
    # started from.
    sources = {line.get("source") for line in lines} - {None}
    carried = EstimateLine.objects.filter(version__estimate=estimate, pk__in=sources)
    return prepare_lines(
        lines,
        carried={line.pk: line for line in carried},
        rate_day=rate_day_for(estimate, today),
        currency=estimate.currency,
    )


def totals_for(lines: Iterable[Mapping], contingency_pct, currency: str) -> Totals:
    """Add up prepared lines, turning a line the logic refuses into a ValidationError."""
    lines = list(lines)
    try:
        return estimate_totals(
            [to_logic(line, currency, _role_name(line)) for line in lines],
            contingency_pct if contingency_pct is not None else Decimal(0),
            currency,
        )
    except (TypeError, ValueError) as error:
        raise ValidationError(str(error)) from error


def _role_name(line: Mapping | EstimateLine) -> str:
    role = line.get("role") if isinstance(line, Mapping) else line.role
    return role.name if isinstance(role, LabourRole) else ""


@transaction.atomic
def do_save_version(
    estimate: Estimate,
    by: User | None,
    *,
    base_number: int,
    lines: Iterable[Mapping],
    contingency_pct=Decimal(0),
    note: str = "",
    scenario: Mapping | None = None,
    now: dt.datetime | None = None,
) -> EstimateVersion:
    """Save the scenario as a new read-only version built on version `base_number`.

    The save is refused with StaleEstimate when someone saved another version since
    `base_number` (optimistic concurrency: the scenario row is locked while checking, so two
    saves of the same version cannot both pass). `scenario` may rename the scenario or change
    its size drivers in the same save.
    """
    estimate = _locked(estimate)
    if base_number != estimate.latest_number:
        raise StaleEstimate(estimate, base_number)
    now = _now(now)
    prepared = price_lines(estimate, lines, today=timezone.localdate(now))
    if scenario:
        _apply_scenario(estimate, dict(scenario))
    version = _write_version(estimate, by, prepared, contingency_pct, note, now)
    _start_request_if_any(estimate, by, now)
    return version


def _start_request_if_any(estimate: Estimate, by, now) -> None:
    if estimate.request_id:
        request = EstimateRequest.objects.get(pk=estimate.request_id)
        _start_request(request, by, now)


def _apply_scenario(estimate: Estimate, changes: dict) -> None:
    unknown = set(changes) - set(SCENARIO_FIELDS)
    if unknown:
        raise ValueError(f"Scenario fields cannot be set here: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = _check_name(estimate.deal, changes["name"], exclude_pk=estimate.pk)
    for field, value in changes.items():
        setattr(estimate, field, value)
    full_clean_or_raise(estimate, exclude=["deal", "request", "accepted_version", "latest_version"])


# What a money column (12 digits, 2 of them cents) can hold.
LARGEST_AMOUNT = Decimal("9999999999.99")
_TOTALS = (("cost", "cost"), ("price", "price"), ("budget_high", "high end of the budget"))


def _check_fits(totals: Totals) -> None:
    for field, label in _TOTALS:
        amount = getattr(totals, field)
        if abs(amount) > LARGEST_AMOUNT:
            raise ValidationError(
                f"The scenario's {label} comes to {amount:,.2f} {totals.currency}, more than an "
                "estimate can hold: check the quantities, hours and rates."
            )


def _check_line_fits(row: EstimateLine) -> None:
    # Field checks only: uniqueness and constraints would cost a query per line.
    try:
        row.clean_fields(exclude=["version", "catalog_item", "role"])
    except ValidationError as error:
        problems = "; ".join(
            f"{field.replace('_', ' ')}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise ValidationError(f"Line {row.position} ({row.name}): {problems}") from error


def _write_version(
    estimate: Estimate,
    by: User | None,
    prepared: list[dict],
    contingency_pct,
    note: str,
    now: dt.datetime,
) -> EstimateVersion:
    totals = totals_for(prepared, contingency_pct, estimate.currency)
    _check_fits(totals)
    version = EstimateVersion(
        estimate=estimate,
        number=estimate.latest_number + 1,
        note=(note or "").strip()[:300],
        contingency_pct=totals.contingency_pct,
        created_by=by,
        created_at=now,
        cost=totals.cost,
        price=totals.price,
        margin=totals.margin,
        margin_pct=totals.margin_pct,
        budget_low=totals.budget_low,
        budget_high=totals.budget_high,
        longest_lead_time_days=totals.longest_lead_time_days,
        line_count=len(prepared),
    )
    full_clean_or_raise(version, exclude=["estimate", "created_by"])
    version.save()
    rows = []
    for line, figures in zip(prepared, totals.lines, strict=True):
        row = EstimateLine(version=version, **{k: v for k, v in line.items() if k != "source"})
        row.line_cost = figures.cost
        row.line_price = figures.price
        row.expected_hours = figures.expected_hours
        _check_line_fits(row)
        rows.append(row)
    EstimateLine.objects.bulk_create(rows)
    estimate.latest_number = version.number
    estimate.latest_version = version
    estimate.save()
    return version


@transaction.atomic
def do_copy_estimate(
    estimate: Estimate,
    by: User | None,
    *,
    name: str,
    now: dt.datetime | None = None,
    **drivers,
) -> Estimate:
    """Start a new scenario from this one's latest version, rates and costs included.

    The copy's version 1 holds the same lines, so "what if we did half the booth?" starts
    from the full booth's numbers. Drivers not given are copied too.
    """
    source = _locked(estimate)
    now = _now(now)
    copy = Estimate(
        deal=source.deal,
        request=source.request,
        name=_check_name(source.deal, name),
        currency=source.currency,
        copied_from=source,
        created_by=by,
        created_at=now,
        **{field: getattr(source, field) for field in DRIVER_FIELDS},
    )
    for field, value in _check_drivers(drivers).items():
        setattr(copy, field, value)
    full_clean_or_raise(
        copy, exclude=["deal", "request", "accepted_version", "latest_version", "copied_from"]
    )
    copy.save()
    if source.latest_number:
        latest = source.versions.get(number=source.latest_number)
        _write_version(
            copy,
            by,
            [_copied(line) for line in latest.lines.select_related("role")],
            latest.contingency_pct,
            f"Copied from {source.name} v{latest.number}",
            now,
        )
    return copy


def _copied(line: EstimateLine) -> dict:
    fields = ("kind", "position", *LINE_FIELDS[line.kind], *RATE_FIELDS)
    copied = {field: getattr(line, field) for field in fields if field != "catalog_item"}
    if "catalog_item" in LINE_FIELDS[line.kind]:
        # The id is enough: the copy keeps the cost it was priced at, not today's.
        copied["catalog_item_id"] = line.catalog_item_id
    return copied


@transaction.atomic
def do_accept_estimate(
    estimate: Estimate,
    by: User | None,
    *,
    number: int | None = None,
    now: dt.datetime | None = None,
) -> Estimate:
    """Accept the scenario's latest version for the deal: the deal's amount follows its price.

    `number` is the version the person accepting saw: when someone saved a newer one since,
    the accept is refused so nobody accepts a price they never saw. Any other scenario of the
    deal stops being the accepted one, and the request it answered becomes accepted.
    Accepting the version already accepted changes nothing. The deal row is locked first, so
    two accepts on one deal run one after the other. The caller checks that `by` may change
    the deal.
    """
    from tandem.estimates.requests.services import do_mark_request_accepted
    from tandem.pipeline.services import do_update_deal

    Deal.objects.select_for_update(of=("self",)).get(pk=estimate.deal_id)
    estimate = _locked(estimate)
    if not estimate.latest_number:
        raise ValidationError("This scenario has no saved version to accept yet.")
    if number is not None and number != estimate.latest_number:
        raise ValidationError(
            f"{estimate.name} was saved as version {estimate.latest_number} since you looked at "
            f"version {number}: check the new figures, then accept.",
            code="stale",
        )
    if estimate.deal.stage.is_lost:
        raise ValidationError("This deal is lost: reopen it before accepting a scenario.")
    if estimate.accepted_version_id == estimate.latest_version_id:
        return estimate
    now = _now(now)
    version = estimate.latest_version
    Estimate.objects.filter(deal=estimate.deal_id).exclude(pk=estimate.pk).update(
        accepted_version=None, accepted_at=None, accepted_by=None
    )
    estimate.accepted_version = version
    estimate.accepted_at = now
    estimate.accepted_by = by
    estimate.save()
    emit(
        EstimateAccepted(
            estimate_id=estimate.pk,
            version_id=version.pk,
            deal_id=estimate.deal_id,
            price=version.price,
            currency=estimate.currency,
            by_id=by.pk if by else None,
            at=now,
        )
    )
    do_update_deal(
        estimate.deal,
        by,
        {"amount": version.price, "currency": estimate.currency},
        now=now,
    )
    if estimate.request_id:
        do_mark_request_accepted(estimate.request, by, estimate, now=now)
    return estimate
