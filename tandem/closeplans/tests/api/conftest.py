"""Fixtures of the close plans' API tests: the standard AV template, a seller's deal closing
in 60 days, and its plan laid out from the template."""

import datetime as dt

import pytest

from tandem.closeplans import services
from tandem.closeplans.tests.api.helpers import today
from tandem.closeplans.tests.factories import av_template
from tandem.pipeline.tests.factories import DealFactory


@pytest.fixture
def template(db):
    return av_template()


@pytest.fixture
def deal(seller, project_manager):
    # The project manager exists first, so the template's PM step goes to them.
    return DealFactory(owner=seller, target_close_date=today() + dt.timedelta(days=60))


@pytest.fixture
def plan(deal, template, seller):
    return services.do_apply_template(deal, template, seller)
