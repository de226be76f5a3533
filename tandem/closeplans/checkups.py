"""Checkups: the close-plan steps to ask their owners about today, before the deadline.

`checkup_steps` finds them in SQL (for the page and the API), `find_checkup_rows` says of
what kind each is with the pure `logic.find_checkups`, and `run_checkups` is the morning
job: one notice per person per day, in Tandem and by email, safe to run twice.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.logic import BusinessCalendar, Checkup, StepState, find_checkups
from tandem.closeplans.logic.checkups import checkup_period
from tandem.closeplans.models import PlanStep, StepStatus
from tandem.core.calendar import company_calendar
from tandem.core.scheduler import claim_run, finish_run
from tandem.core.services import day
from tandem.notifications.models import Notification
from tandem.notifications.services import do_email_pending, do_notify_many
from tandem.people.models import User
from tandem.pipeline.models import Deal

logger = logging.getLogger(__name__)

JOB = "checkups"
NOTIFICATION_KIND = "checkups"
# A notice lists this many steps; the Checkups page has the rest.
LISTED_STEPS = 10
_KIND_LABELS = {"overdue": "overdue", "blocked": "blocked", "due_soon": "due soon"}


@dataclass(frozen=True)
class CheckupRow:
    """One checkup with its step: what kind, how many business days, and who is asked."""

    step: PlanStep
    kind: str  # "overdue" | "blocked" | "due_soon"
    days: int
    recipient_id: int


def _company_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _start_of(day_: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day_, dt.time.min), timezone.get_default_timezone()
    )


def _rules() -> dict:
    return {
        "due_within_days": settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS,
        "quiet_days": settings.TANDEM_CHECKUP_QUIET_DAYS,
    }


def checkup_steps(
    today: dt.date, *, owner: User | None = None, calendar: BusinessCalendar | None = None
) -> QuerySet[PlanStep]:
    """Return the steps that have a checkup today, found in SQL.

    The steps of plans whose deal is open (not won, lost or nurtured) that are blocked, or
    open and due by the horizon (TANDEM_CHECKUP_DUE_WITHIN_DAYS business days from today)
    and either overdue or quiet (no update for TANDEM_CHECKUP_QUIET_DAYS days, counted in
    company days as `logic.find_checkups` counts them). With `owner`, only the steps that
    person answers for: theirs, and the unowned or customer-side steps of the deals they own.
    Reads the company's days off once unless `calendar` is given.
    """
    calendar = calendar or company_calendar(today)
    horizon = calendar.add(today, settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS)
    # Quiet means last updated on or before today - quiet_days (a company date), so before
    # the first moment of the day after that.
    quiet_before = _start_of(today - dt.timedelta(days=settings.TANDEM_CHECKUP_QUIET_DAYS - 1))
    due = Q(status=StepStatus.OPEN, due_date__lte=horizon) & (
        Q(due_date__lt=today) | Q(last_update_at__lt=quiet_before)
    )
    steps = PlanStep.objects.filter(
        Q(status=StepStatus.BLOCKED) | due,
        plan__deal__nurture=False,
        plan__deal__stage__is_won=False,
        plan__deal__stage__is_lost=False,
    )
    if owner is not None:
        steps = steps.filter(_answered_by(owner))
    return steps.select_related("plan__deal__account", "owner_user", "owner_contact")


def checkup_count(
    today: dt.date, *, owner: User | None = None, calendar: BusinessCalendar | None = None
) -> int:
    """How many checkups `owner` (None: everyone) has today: the one number the Checkups
    page and the bell's dropdown state.

    Someone's are counted in two parts, as `checkup_keys` reads them (they never overlap):
    one count of both ways a step falls to someone walked every open step at scale."""
    steps = checkup_steps(today, calendar=calendar).order_by()
    if owner is None:
        return steps.count()
    return (
        steps.filter(_owned_by(owner)).count() + steps.filter(_falls_to_deal_owner(owner)).count()
    )


def _owned_by(owner: User) -> Q:
    return Q(owner_user=owner, owner_user__is_active=True)


def _falls_to_deal_owner(owner: User) -> Q:
    # A step whose owner has left falls to the deal's owner, like an unowned one.
    return (Q(owner_user__isnull=True) | Q(owner_user__is_active=False)) & Q(
        plan__deal__owner=owner
    )


def _answered_by(owner: User) -> Q:
    return _owned_by(owner) | _falls_to_deal_owner(owner)


def checkup_deal_ids(
    today: dt.date, *, owner: User | None = None, calendar: BusinessCalendar | None = None
) -> QuerySet:
    """The ids of the deals with a checkup today (those `owner` answers for), as a subquery.

    With an owner, the two ways a step falls to someone are asked separately: each can then
    start from its own index (the step's owner, the deal's owner) instead of one pass over
    every open deal's steps, which made the Checkups page several times slower at scale.
    """
    steps = checkup_steps(today, calendar=calendar)
    if owner is None:
        return steps.values("plan__deal_id")
    theirs = steps.filter(_owned_by(owner)).order_by().values("plan__deal_id")
    of_their_deals = steps.filter(_falls_to_deal_owner(owner)).order_by().values("plan__deal_id")
    if connection.vendor == "postgresql":
        # PostgreSQL misjudges an OR of two subqueries and walks every deal; a UNION it plans
        # well. SQLite is the other way round (it runs the OR as two index searches).
        return theirs.union(of_their_deals)
    return Deal.objects.filter(Q(pk__in=theirs) | Q(pk__in=of_their_deals)).values("pk")


def checkup_keys(
    today: dt.date, owner: User, *, calendar: BusinessCalendar | None = None
) -> list[tuple[dt.date, int]]:
    """(due date, step id) of every step with a checkup today that `owner` answers for, the
    earliest due first.

    The two ways a step falls to someone are read apart, each from its own index, as
    `checkup_deal_ids` does: one query joining both walked every open step at scale. Only
    the two keys are read, from covering indexes, so one pass gives the order and the count.
    """
    steps = checkup_steps(today, calendar=calendar).order_by()
    keys = [
        *steps.filter(_owned_by(owner)).values_list("due_date", "pk"),
        *steps.filter(_falls_to_deal_owner(owner)).values_list("due_date", "pk"),
    ]
    return sorted(keys)


def recipient_of(step: PlanStep) -> int:
    """Who is asked about a step: its owner among us while they are here, else the deal's
    owner."""
    if step.owner_user_id and step.owner_user.is_active:
        return step.owner_user_id
    return step.plan.deal.owner_id


def find_checkup_rows(
    steps: Iterable[PlanStep], today: dt.date, calendar: BusinessCalendar | None = None
) -> list[CheckupRow]:
    """Classify `steps` (with plan__deal loaded) into today's checkups.

    Steps without a checkup today are left out; the rows come in `find_checkups` order: by
    recipient, then overdue, blocked, due soon, then due date.
    """
    steps = {step.pk: step for step in steps}
    if not steps:
        return []
    calendar = calendar or company_calendar(today)
    states = (
        StepState(
            step.pk,
            str(recipient_of(step)),
            step.due_date,
            step.status,
            _company_date(step.last_update_at),
        )
        for step in steps.values()
    )
    return [
        CheckupRow(steps[found.step_id], found.kind, found.days, int(found.owner_key))
        for found in find_checkups(states, today, calendar, **_rules())
    ]


# The morning job --------------------------------------------------------------------------


def _checkups_by_recipient(today: dt.date, calendar: BusinessCalendar) -> dict[int, list]:
    """Today's checkups grouped by recipient, from plain tuples: the pass over every open
    deal's steps builds no model instances."""
    rows = (
        checkup_steps(today, calendar=calendar)
        .order_by()
        .values_list(
            "id",
            "owner_user_id",
            "owner_user__is_active",
            "plan__deal__owner_id",
            "due_date",
            "status",
            "last_update_at",
        )
        .iterator(chunk_size=10_000)
    )
    tz = timezone.get_default_timezone()
    states = (
        StepState(
            step_id,
            str(owner_id if owner_id and active else deal_owner_id),
            due,
            status,
            updated.astimezone(tz).date(),
        )
        for step_id, owner_id, active, deal_owner_id, due, status, updated in rows
    )

    grouped: dict[int, list[Checkup]] = defaultdict(list)
    for found in find_checkups(states, today, calendar, **_rules()):
        grouped[int(found.owner_key)].append(found)
    return grouped


def _step_details(step_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """(title, deal name, blocker) of the steps a notice lists."""
    details = {}
    for start in range(0, len(step_ids), 500):
        chunk = step_ids[start : start + 500]
        for pk, *values in PlanStep.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "plan__deal__name", "blocker"
        ):
            details[pk] = tuple(values)
    return details


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def checkup_title(kinds: Counter) -> str:
    """'5 checkups today: 2 overdue, 1 blocked, 2 due soon' (kinds with none left out)."""
    parts = [f"{kinds[kind]} {label}" for kind, label in _KIND_LABELS.items() if kinds[kind]]
    return f"{_plural(sum(kinds.values()), 'checkup')} today: {', '.join(parts)}"


def _line(found: Checkup, title: str, deal_name: str, blocker: str) -> str:
    if found.kind == "overdue":
        when = f"Overdue since {day(found.due)}"
    elif found.kind == "blocked":
        when = f"Blocked ({blocker})" if blocker else "Blocked"
    else:
        when = "Due today" if found.days == 0 else f"Due {day(found.due)}"
    return f"- {when}: {title} ({deal_name})"


def checkup_body(checkups: list[Checkup], details: dict) -> str:
    lines = [_line(found, *details[found.step_id]) for found in checkups[:LISTED_STEPS]]
    if len(checkups) > LISTED_STEPS:
        lines.append(f"…and {len(checkups) - LISTED_STEPS} more on the Checkups page.")
    return "\n".join(lines)


def run_checkups(
    today: dt.date | None = None, *, now: dt.datetime | None = None, email: bool = True
) -> dict:
    """Run the morning checkups for `today`: refresh plan health, notify, email.

    Claims the day's PeriodicRun first, so a second or concurrent run returns
    `{"skipped": True}` and sends nothing. Each recipient gets one notice for the day (key
    `checkups:<date>`), listing up to LISTED_STEPS steps; notices not emailed yet are emailed
    to recipients with an address (unless `email` is False: the demo company's first morning).
    Returns the counts, also kept on the PeriodicRun.
    """
    now = now or timezone.now()
    today = today or _company_date(now)
    period = checkup_period(today)
    run = claim_run(JOB, period, now)
    if run is None:
        logger.info("Checkups for %s: already run or running, skipped", period)
        return {"period": period, "skipped": True}
    plans_changed = services.refresh_all_health(today)
    calendar = company_calendar(today)
    grouped = _checkups_by_recipient(today, calendar)
    key = f"checkups:{period}"
    listed = [found.step_id for checkups in grouped.values() for found in checkups[:LISTED_STEPS]]
    details = _step_details(listed)
    url = reverse("closeplans:checkups")
    before = Notification.objects.filter(key=key).count()
    do_notify_many(
        Notification(
            recipient_id=recipient_id,
            key=key,
            kind=NOTIFICATION_KIND,
            title=checkup_title(Counter(found.kind for found in checkups)),
            body=checkup_body(checkups, details),
            url=url,
            created_at=now,
        )
        for recipient_id, checkups in grouped.items()
    )
    notified = Notification.objects.filter(key=key).count() - before
    emailed = do_email_pending(key, now=now) if email else 0
    result = {
        "period": period,
        "skipped": False,
        "plans_refreshed": plans_changed,
        "checkups": sum(len(checkups) for checkups in grouped.values()),
        "recipients": len(grouped),
        "notified": notified,
        "emailed": emailed,
    }
    finish_run(run, result)
    return result
