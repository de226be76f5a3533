"""What the customer does through the link, kept for the seller: each tick, reopening and
comment is recorded, the deal's owner gets one notice per deal and hour that sums them up,
and a marker per person and plan says what they have seen."""

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.urls import reverse

from tandem.closeplans.models import (
    ClosePlan,
    CustomerActivity,
    CustomerActivityKind,
    PlanSeen,
    PlanStep,
    StepComment,
)
from tandem.closeplans.services.common import _now
from tandem.notifications.services import do_bundle_notice, do_mark_read_about
from tandem.people.models import User
from tandem.pipeline.models import Deal

NOTICE_KIND = "customer_activity"
# A notice lists this many of the hour's updates; the deal page has them all.
LISTED = 10
_HOUR = dt.timedelta(hours=1)


def notice_key_prefix(deal_id: int) -> str:
    return f"customer-activity:deal:{deal_id}:"


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The clock hour (UTC) a moment falls in: one notice per deal covers one such hour."""
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def news_anchor(deal: Deal) -> str:
    return reverse("pipeline:deal_detail", args=[deal.pk]) + "#customer-news"


def describe_activity(activity: CustomerActivity) -> str:
    """'Una Userton ticked off “Budget approval”' (with the start of a comment's text)."""
    line = f"{activity.name} {activity.get_kind_display().lower()} “{activity.step.title}”"
    if activity.comment_id:
        body = " ".join(activity.comment.body.split())
        line += f": “{body[:80]}{'…' if len(body) > 80 else ''}”"
    return line


def describe_hour(deal: Deal, start: dt.datetime) -> tuple[str, str]:
    """The (title, body) of the deal's notice for the hour from `start`."""
    rows = list(
        CustomerActivity.objects.filter(plan__deal=deal, at__gte=start, at__lt=start + _HOUR)
        .select_related("step", "comment")
        .order_by("at", "id")
    )
    account = deal.account.name
    if len(rows) == 1:
        title = f"{describe_activity(rows[0]).split(': “')[0]} · {account}"
    else:
        title = f"{len(rows)} updates from {account} on the close plan"
    lines = [f"{deal.name}:"] + [f"- {describe_activity(row)}" for row in rows[:LISTED]]
    if len(rows) > LISTED:
        lines.append(f"…and {len(rows) - LISTED} more on the deal page.")
    return title, "\n".join(lines)


def do_record_customer_activity(
    plan: ClosePlan,
    step: PlanStep,
    kind: str,
    name: str,
    *,
    comment: StepComment | None = None,
    now: dt.datetime | None = None,
) -> CustomerActivity:
    """Keep what the customer did and tell the deal's owner.

    The owner gets at most one notice per deal per clock hour: a later update in the same
    hour rewrites that notice ("3 updates from Acme…") and makes it unread again, and
    concurrent updates still make one (see notifications' do_bundle_notice). An owner who
    has left gets no notice; the activity is kept for whoever takes the deal on. Runs in the
    caller's transaction, after its write.
    """
    moment = _now(now)
    if kind not in CustomerActivityKind.values:
        raise ValueError(f"Unknown customer activity {kind!r}")
    activity = CustomerActivity.objects.create(
        plan=plan,
        step=step,
        comment=comment,
        kind=kind,
        name=name.strip()[:120] or "The customer",
        at=moment,
    )
    deal = Deal.objects.select_related("account", "owner").get(pk=plan.deal_id)
    if deal.owner.is_active:
        start = hour_of(moment)
        do_bundle_notice(
            deal.owner,
            f"{notice_key_prefix(deal.pk)}{start:%Y%m%d%H}",
            kind=NOTICE_KIND,
            url=news_anchor(deal),
            describe=lambda: describe_hour(deal, start),
            now=moment,
        )
    return activity


class Seen(NamedTuple):
    before: dt.datetime | None  # when they last looked (None: never)
    notices_read: int  # the deal's customer notices that were unread until now


@transaction.atomic
def do_mark_plan_seen(user: User, plan: ClosePlan, *, now: dt.datetime | None = None) -> Seen:
    """Record that `user` has the plan's deal page open now, and read the deal's customer
    notices for them."""
    moment = _now(now)
    before = PlanSeen.objects.filter(user=user, plan=plan).values_list("seen_at", flat=True).first()
    if before is None:
        # Two tabs opening at once: the second insert finds the row and changes nothing.
        PlanSeen.objects.bulk_create(
            [PlanSeen(user=user, plan=plan, seen_at=moment)], ignore_conflicts=True
        )
    else:
        PlanSeen.objects.filter(user=user, plan=plan, seen_at__lt=moment).update(seen_at=moment)
    read = do_mark_read_about(user, notice_key_prefix(plan.deal_id), now=moment)
    return Seen(before, read)
