import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.pipeline import services
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.tests.factories import DealFactory, stage


@pytest.mark.django_db
def test_moving_the_close_date_later_requires_a_reason(seller):
    deal = DealFactory(owner=seller)
    later = deal.target_close_date + dt.timedelta(days=30)

    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, later, "")

    assert "reason" in excinfo.value.message_dict
    deal.refresh_from_db()
    assert deal.target_close_date != later
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_a_won_deal_needs_an_amount(seller):
    deal = DealFactory(owner=seller, amount=Decimal("0"))

    with pytest.raises(ValidationError, match="needs an amount"):
        services.do_move_deal(deal, seller, stage("Won"))
