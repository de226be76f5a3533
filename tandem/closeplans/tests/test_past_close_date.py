"""The close plan and a close date in the past: laying a plan out refuses it with the same
rule as the close-date form, and a close date confirmed in the past never drags open steps
into days already gone."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, StepStatus
from tandem.closeplans.tests.factories import av_template
from tandem.pipeline.services import do_change_close_date
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

# A Monday with no US holiday near it; three weeks later the seller records the real close.
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2027, 3, 22, 9, 0, tzinfo=dt.UTC)
LATER_DAY = LATER.date()
PAST_CLOSE = dt.date(2027, 3, 15)


@pytest.fixture
def plan(seller):
    deal = DealFactory(
        owner=seller, target_close_date=dt.date(2027, 4, 30), created_at=NOW - dt.timedelta(days=20)
    )
    return services.do_apply_template(deal, av_template(), seller, now=NOW)


def _open_dues(plan) -> list[dt.date]:
    return [s.due_date for s in plan.steps.exclude(status=StepStatus.DONE).order_by("position")]


@pytest.mark.parametrize("shift_plan", [True, False])
def test_a_close_date_confirmed_in_the_past_moves_no_step_into_the_past(plan, seller, shift_plan):
    before = _open_dues(plan)
    assert min(before) >= LATER_DAY  # every open step is still ahead when the date is set

    do_change_close_date(
        plan.deal,
        seller,
        PAST_CLOSE,
        "Signed on the 15th; recording it late",
        shift_plan=shift_plan,
        confirm_past=True,
        now=LATER,
    )

    after = _open_dues(plan)
    assert all(due >= LATER_DAY for due in after)
    assert after == sorted(after)
    plan.refresh_from_db()
    assert plan.health == "slipped"  # the plan says it no longer fits, rather than overdue steps


def test_a_step_already_overdue_is_not_pushed_further_back(plan, seller):
    first = plan.steps.order_by("position").first()
    first.due_date = dt.date(2027, 3, 10)
    first.save()

    do_change_close_date(
        plan.deal, seller, PAST_CLOSE, "Recorded late", confirm_past=True, now=LATER
    )

    first.refresh_from_db()
    assert first.due_date == dt.date(2027, 3, 10)


def test_an_unconfirmed_past_close_date_leaves_the_plan_alone(plan, seller):
    before = _open_dues(plan)

    with pytest.raises(ValidationError):
        do_change_close_date(plan.deal, seller, PAST_CLOSE, "Recorded late", now=LATER)

    assert _open_dues(plan) == before


def test_laying_out_a_plan_refuses_a_passed_close_date_with_the_shared_rule(seller):
    deal = DealFactory(
        owner=seller, target_close_date=dt.date(2027, 2, 26), created_at=NOW - dt.timedelta(days=40)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.do_apply_template(deal, av_template(), seller, now=NOW)

    assert excinfo.value.code == "close_passed"
    assert "has passed" in excinfo.value.messages[0]
    assert not ClosePlan.objects.exists()


def test_the_deal_page_refuses_to_lay_out_a_plan_on_a_passed_close_date(seller_client, seller):
    deal = DealFactory(owner=seller, target_close_date=timezone.localdate() - dt.timedelta(days=2))

    response = seller_client.post(
        reverse("closeplans:plan_apply", args=[deal.pk]), {"template": av_template().pk}
    )

    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    assert not ClosePlan.objects.exists()
