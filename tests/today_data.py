"""Data that fills every card of every role's Today page, `n` of each kind: the page tests
count queries at two sizes with it, and the browser tests show it."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tandem.catalog.tests.factories import LabourRoleFactory, RoleRateFactory
from tandem.closeplans import services as plans
from tandem.closeplans.models import ClosePlan, Health
from tandem.closeplans.tests.factories import av_template
from tandem.crm.tests.factories import AccountFactory
from tandem.estimates.models import EstimateRequest, RequestEstimator, RequestStatus
from tandem.pipeline.tests.factories import CloseDateChangeFactory, DealFactory, stage


def fill_today(n: int, *, seller, estimator, template=None, start: int = 0) -> None:
    """`n` things for each card: the seller's deals past their date, with no plan, with a
    slipped plan and a checkup, with an estimate returned; requests and soon-closing deals
    for the estimator; recent wins and rate changes for finance; slips for the executive.
    `start` numbers the rows, so a second call adds to the first."""
    now = timezone.now()
    today = timezone.localdate()
    template = template or av_template(f"AV installation {start}")
    for i in range(start, start + n):
        account = AccountFactory(name=f"Account {i:03d}")
        DealFactory(
            owner=seller,
            account=account,
            name=f"Late deal {i:03d}",
            target_close_date=today - dt.timedelta(days=i + 1),
        )
        # A plan laid out weeks ago: its first steps are overdue, so they have checkups.
        laid_out = DealFactory(
            owner=seller,
            account=account,
            name=f"Planned deal {i:03d}",
            target_close_date=today + dt.timedelta(days=15 + i),
        )
        plan = plans.do_apply_template(laid_out, template, seller, now=now - dt.timedelta(days=40))
        ClosePlan.objects.filter(pk=plan.pk).update(
            health=Health.SLIPPED, proposed_close=laid_out.target_close_date + dt.timedelta(days=9)
        )
        shared = DealFactory(
            owner=seller,
            account=account,
            name=f"Estimated deal {i:03d}",
            amount=Decimal(10_000 + i),
            target_close_date=today + dt.timedelta(days=5 + i % 20),
        )
        returned = EstimateRequest.objects.create(
            deal=shared,
            requested_by=seller,
            title=f"Returned estimate {i:03d}",
            brief="Screens and sound for the hall.",
            needed_by=today - dt.timedelta(days=2),
            status=RequestStatus.RETURNED,
            status_changed_at=now - dt.timedelta(days=i + 1),
        )
        waiting = EstimateRequest.objects.create(
            deal=shared,
            requested_by=seller,
            title=f"Waiting request {i:03d}",
            brief="Rigging for the ballroom.",
            needed_by=today + dt.timedelta(days=i - n // 2),
        )
        for request in (returned, waiting):
            RequestEstimator.objects.create(request=request, estimator=estimator, part="everything")
        DealFactory(
            owner=seller,
            account=account,
            name=f"Won deal {i:03d}",
            stage=stage("Won"),
            closed_on=today - dt.timedelta(days=i % 30),
        )
        RoleRateFactory(
            role=LabourRoleFactory(name=f"Role {i:03d}"),
            effective_from=today - dt.timedelta(days=i % 30),
        )
        CloseDateChangeFactory(
            deal=shared,
            changed_at=now - dt.timedelta(days=1),
            old_date=shared.target_close_date - dt.timedelta(days=14),
            new_date=shared.target_close_date,
        )
