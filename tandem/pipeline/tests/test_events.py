import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.core.models import OutboxEvent
from tandem.pipeline import services
from tandem.pipeline.events import CloseDateChanged, DealLost, DealReopened, DealWon
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def kept(event_class):
    return [
        event_class.from_payload(row.payload)
        for row in OutboxEvent.objects.filter(name=event_class.name).order_by("id")
    ]


@pytest.fixture
def deal(seller):
    return DealFactory(
        owner=seller, amount=Decimal("48000"), target_close_date=dt.date(2027, 4, 30)
    )


def test_a_close_date_change_is_told_with_who_when_and_how(deal, seller):
    services.do_change_close_date(
        deal, seller, dt.date(2027, 5, 14), "Board meets later", shift_plan=False, now=NOW
    )
    assert kept(CloseDateChanged) == [
        CloseDateChanged(
            deal_id=deal.pk,
            old_date=dt.date(2027, 4, 30),
            new_date=dt.date(2027, 5, 14),
            by_id=seller.pk,
            at=NOW,
            shift_plan=False,
        )
    ]


def test_the_same_close_date_again_tells_nothing(deal, seller):
    services.do_change_close_date(deal, seller, deal.target_close_date, now=NOW)
    assert kept(CloseDateChanged) == []


def test_winning_a_deal_is_told_with_what_was_sold(deal, seller):
    services.do_move_deal(deal, seller, stage("Won"), now=NOW)
    assert kept(DealWon) == [
        DealWon(
            deal_id=deal.pk,
            account_id=deal.account_id,
            amount=Decimal("48000.00"),
            currency=deal.currency,
            closed_on=NOW.date(),
            by_id=seller.pk,
            at=NOW,
        )
    ]


def test_losing_then_reopening_a_deal_is_told(deal, seller):
    services.do_mark_lost(deal, seller, reason="price", now=NOW)
    services.do_reopen_deal(deal, seller)
    [lost] = kept(DealLost)
    assert (lost.deal_id, lost.reason, lost.closed_on) == (deal.pk, "price", NOW.date())
    assert [e.deal_id for e in kept(DealReopened)] == [deal.pk]


def test_a_refused_move_tells_nothing(deal, seller):
    with pytest.raises(ValidationError, match="needs a reason"):
        services.do_move_deal(deal, seller, stage("Lost"), now=NOW)
    assert not OutboxEvent.objects.exists()
