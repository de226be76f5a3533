"""Pipeline hygiene: how well each seller keeps their deals honest, and the team as a whole.

Three queries whatever the data: open deals grouped by owner, recent close-date pushes
grouped by owner, and the sellers named in either; the weekly trend of pushes one more.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from tandem.closeplans.models import Health, PlanStep
from tandem.core.charts import Chart, Series
from tandem.people.models import Role, User
from tandem.pipeline.models import CloseDateChange, Deal

PUSH_WINDOW_DAYS = 90


@dataclass
class HygieneRow:
    """One seller's figures (`seller` is None on the team row)."""

    seller: User | None = None
    open_deals: int = 0
    with_plan: int = 0
    past_close: int = 0
    slipped_plans: int = 0
    pushes: int = 0
    days_slipped: int = 0

    @property
    def plan_share(self) -> float | None:
        """Percent of open deals with a plan; None when there is no open deal to judge."""
        if not self.open_deals:
            return None
        return self.with_plan * 100 / self.open_deals

    @property
    def average_days_slipped(self) -> float | None:
        if not self.pushes:
            return None
        return self.days_slipped / self.pushes

    @property
    def links_to_list(self) -> bool:
        """Whether the deal list can show this row's deals: the team's always, a seller's only
        when the list's owner filter offers them (active people who are not crew)."""
        if self.seller is None:
            return True
        return self.seller.is_active and self.seller.role != Role.CREW

    def add(self, other: "HygieneRow") -> None:
        self.open_deals += other.open_deals
        self.with_plan += other.with_plan
        self.past_close += other.past_close
        self.slipped_plans += other.slipped_plans
        self.pushes += other.pushes
        self.days_slipped += other.days_slipped


@dataclass
class Hygiene:
    rows: list[HygieneRow]
    team: HygieneRow
    since: dt.date

    @property
    def table(self) -> list[HygieneRow]:
        """The sellers by name, then the team."""
        return [*self.rows, self.team]


def push_window_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=PUSH_WINDOW_DAYS)


def pipeline_hygiene(today: dt.date | None = None) -> Hygiene:
    """Per deal owner, and for the team: open deals and how many have a plan with steps,
    are past their target close date, or have a slipped plan; and the close-date pushes
    (moves to a later date) of the last PUSH_WINDOW_DAYS days with the days they added.

    Open means neither won, lost nor in nurture. Pushes count on any deal of the owner,
    whatever its state now, so a seller with no open deal but recent pushes still has a row.
    Earlier moves (a close date brought forward) are not pushes.
    """
    today = today or timezone.localdate()
    since = push_window_start(today)
    rows: dict[int, HygieneRow] = {}

    for figures in _open_deal_figures(today):
        row = rows.setdefault(figures["owner_id"], HygieneRow())
        row.open_deals = figures["open_deals"]
        row.with_plan = figures["with_plan"]
        row.past_close = figures["past_close"]
        row.slipped_plans = figures["slipped_plans"]
    for figures in _push_figures(since):
        row = rows.setdefault(figures["owner_id"], HygieneRow())
        row.pushes = figures["pushes"]
        row.days_slipped = figures["moved"].days

    if rows:
        for user in (
            User.objects.filter(pk__in=rows)
            .order_by()
            .only("username", "display_name", "first_name", "last_name", "is_active", "role")
        ):
            rows[user.pk].seller = user

    team = HygieneRow()
    for row in rows.values():
        team.add(row)
    ordered = sorted(rows.values(), key=lambda row: (row.seller.name.casefold(), row.seller.pk))
    return Hygiene(rows=ordered, team=team, since=since)


def _open_deal_figures(today: dt.date):
    # Exists probes the steps' plan index once per open deal that has a plan; joining the
    # steps instead would multiply every deal by its ten-odd steps.
    has_steps = Exists(PlanStep.objects.filter(plan_id=OuterRef("close_plan__id")))
    return (
        Deal.objects.open()
        .order_by()
        .values("owner_id")
        .annotate(
            open_deals=Count("pk"),
            with_plan=Count("pk", filter=Q(close_plan__isnull=False) & Q(has_steps)),
            past_close=Count("pk", filter=Q(target_close_date__lt=today)),
            slipped_plans=Count("pk", filter=Q(close_plan__health=Health.SLIPPED)),
        )
    )


def _push_figures(since: dt.date):
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    # Both backends hand the sum back as a timedelta (an interval on PostgreSQL, microseconds
    # on SQLite that Django converts); between dates it is always whole days.
    moved = ExpressionWrapper(F("new_date") - F("old_date"), output_field=DurationField())
    return (
        CloseDateChange.objects.filter(changed_at__gte=start, new_date__gt=F("old_date"))
        .order_by()
        # Grouping on a computed owner keeps SQLite from walking every deal in owner-index
        # order; it reads just the window's changes through the changed_at index instead
        # (PostgreSQL plans both forms alike: changes by changed_at, deals hashed).
        .values(owner_id=F("deal__owner_id") + 0)
        .annotate(pushes=Count("pk"), moved=Sum(moved))
    )


TREND_WEEKS = 12


@dataclass
class PushTrend:
    """Close-date pushes per seller per week: `weeks` are the Mondays the weeks start on,
    oldest first; `pushes[owner_id]` and `days[owner_id]` hold one figure per week."""

    weeks: list[dt.date]
    pushes: dict[int, list[int]]
    days: dict[int, list[int]]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def push_trend(today: dt.date | None = None, weeks: int = TREND_WEEKS) -> PushTrend:
    """Count each deal owner's close-date pushes (moves to a later date) per calendar week,
    Monday to Sunday, for the `weeks` weeks up to and including this one; and the days they
    added. One query.

    This is the part of hygiene the stored history tells honestly week by week: every close
    date move is kept as a CloseDateChange with its moment, while plan coverage and slipped
    plans are only known as they stand today (a plan's health is refreshed in place, not
    recorded), so their past cannot be charted without guessing. Pushes count on deals of
    any state and belong to the deal's owner now, as on the table; earlier moves are not
    pushes. Weeks without pushes count 0; a seller without any push in the period has no
    line.
    """
    today = today or timezone.localdate()
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    mondays = [first + dt.timedelta(weeks=n) for n in range(weeks)]
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    moved = ExpressionWrapper(F("new_date") - F("old_date"), output_field=DurationField())
    pushes: dict[int, list[int]] = {}
    added: dict[int, list[int]] = {}
    figures = (
        CloseDateChange.objects.filter(changed_at__gte=start, new_date__gt=F("old_date"))
        .order_by()
        .annotate(week=TruncWeek("changed_at", output_field=DateField()))
        # As in _push_figures: the computed owner keeps SQLite on the changed_at index.
        .values("week", owner_id=F("deal__owner_id") + 0)
        .annotate(pushes=Count("pk"), moved=Sum(moved))
    )
    for row in figures:
        index = (row["week"] - first).days // 7
        if not 0 <= index < weeks:
            continue  # a change stamped in the future (a clock set wrong) stays off the chart
        pushes.setdefault(row["owner_id"], [0] * weeks)[index] += row["pushes"]
        added.setdefault(row["owner_id"], [0] * weeks)[index] += row["moved"].days
    return PushTrend(weeks=mondays, pushes=pushes, days=added)


def push_trend_chart(trend: PushTrend, hygiene: Hygiene) -> Chart:
    """The trend as a line per seller, named and ordered as on the table (every owner with a
    push in the trend's weeks has a row there: the table's window is longer)."""
    sellers = {row.seller.pk: row.seller for row in hygiene.rows}
    owners = sorted(
        trend.pushes,
        key=lambda pk: (sellers[pk].name.casefold(), pk) if pk in sellers else ("", pk),
    )
    return Chart(
        name="hygiene-trend",
        title=f"Close dates pushed per week, the last {len(trend.weeks)} weeks",
        kind="line",
        # The last week is the current one, counted so far.
        labels=[f"{monday.day} {monday:%b}" for monday in trend.weeks[:-1]]
        + [f"{trend.weeks[-1].day} {trend.weeks[-1]:%b} (so far)"],
        series=[
            Series(
                sellers[pk].name if pk in sellers else "Someone no longer here",
                trend.pushes[pk],
                extra={"tension": 0, "pointRadius": 3},
            )
            for pk in owners
        ],
        unit="",
        height=280,
        options={
            "scales": {
                "y": {"ticks": {"precision": 0}, "title": {"display": True, "text": "pushes"}}
            }
        },
    )
