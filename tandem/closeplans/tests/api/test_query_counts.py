"""Every close-plan list costs the same number of queries however many rows it shows."""

import datetime as dt

import pytest
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, PlanStep
from tandem.closeplans.tests.api.helpers import CHECKUPS, PLANS, STEPS, TEMPLATES, today
from tandem.closeplans.tests.factories import PlanTemplateFactory, TemplateStepFactory
from tandem.core.tests.api_clients import as_user, url
from tandem.crm.tests.factories import StakeholderFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _templates(rows: int, user) -> str:
    for template in PlanTemplateFactory.create_batch(rows):
        TemplateStepFactory.create_batch(2, template=template)
    return TEMPLATES


def _plan_rows(rows: int, owner) -> list[ClosePlan]:
    """Plans with two steps each (one ours, one the customer's), written straight to the
    database: what is measured is the read."""
    moment = timezone.now()
    plans = []
    for _ in range(rows):
        deal = DealFactory(owner=owner)
        plan = ClosePlan.objects.create(deal=deal)
        contact = StakeholderFactory(account=deal.account).contact
        PlanStep.objects.create(
            plan=plan, position=1, title="Ours", side="us", owner_user=owner,
            due_date=today() - dt.timedelta(days=3), last_update_at=moment,
        )  # fmt: skip
        PlanStep.objects.create(
            plan=plan, position=2, title="Theirs", side="customer", owner_contact=contact,
            value_statement="a date", due_date=today() + dt.timedelta(days=5),
            status="blocked", blocker="Waiting", last_update_at=moment,
        )  # fmt: skip
        plans.append(plan)
    return plans


def _plans(rows: int, user) -> str:
    _plan_rows(rows, user)
    return PLANS


def _steps(rows: int, user) -> str:
    _plan_rows((rows + 1) // 2, user)
    return f"{STEPS}?page_size={rows}"


def _checkups(rows: int, user) -> str:
    _plan_rows((rows + 1) // 2, user)
    return f"{CHECKUPS}?owner=all&page_size={rows}"


def _share_links(rows: int, user) -> str:
    [plan] = _plan_rows(1, user)
    for _ in range(rows):
        services.do_create_share_link(plan, user)
    return url(PLANS, plan, "share-links")


def _comments(rows: int, user) -> str:
    [plan] = _plan_rows(1, user)
    step = plan.steps.first()
    for i in range(rows):
        services.do_comment(step, user, f"Note {i}")
    return url(STEPS, step, "comments")


LISTS = {
    # Each list: session, user, the user's own permissions, their group's permissions,
    # COUNT(*) and the page of rows with its foreign keys joined ...
    # ... plus the prefetched template steps.
    "plan-templates": (_templates, 7),
    # ... plus the prefetched plan steps with their owners.
    "close-plans": (_plans, 7),
    "plan-steps": (_steps, 6),
    # ... with the plan or step the list belongs to instead of the prefetch.
    "share-links": (_share_links, 7),
    "comments": (_comments, 7),
    # Session, user, permissions (2), the company's days off, every step with a checkup
    # today (paged in memory, no COUNT) and the people the page's checkups go to.
    "checkups": (_checkups, 8),
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("endpoint", LISTS)
def test_each_close_plan_list_takes_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_num_queries, executive, endpoint, rows
):
    make, queries = LISTS[endpoint]
    path = make(rows, executive)
    client = as_user(executive)

    with django_assert_num_queries(queries):
        response = client.get(path)

    assert response.status_code == 200
    assert len(response.data["results"]) == rows
