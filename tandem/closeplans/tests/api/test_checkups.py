"""The checkups endpoint: today's checkups, mine, someone else's or everyone's."""

import datetime as dt

import pytest

from tandem.closeplans import services
from tandem.closeplans.tests.api.helpers import CHECKUPS, today
from tandem.core.calendar import company_calendar
from tandem.core.tests.api_clients import as_user

pytestmark = pytest.mark.django_db


# Checkups


@pytest.fixture
def checkups(seller, project_manager, plan):
    """An overdue step of the seller's and a blocked one of the project manager's."""
    overdue = services.do_add_step(
        plan, seller, title="Send references", side="us", owner_user=seller,
        due_date=today() - dt.timedelta(days=2), position=1,
    )  # fmt: skip
    proposal = plan.steps.get(title="Proposal review")
    services.do_set_step_status(proposal, seller, "blocked", blocker="Waiting on drawings")
    return overdue, proposal


def test_checkups_list_my_own_by_default(seller, checkups, plan):
    overdue, _ = checkups

    response = as_user(seller).get(CHECKUPS)

    assert response.status_code == 200
    assert response.data["results"] == [
        {
            "step": overdue.pk,
            "step_title": "Send references",
            "deal": plan.deal_id,
            "deal_name": plan.deal.name,
            "kind": "overdue",
            "due_date": overdue.due_date.isoformat(),
            "days": -company_calendar(today()).count(today(), overdue.due_date),
            "owner_name": "Sam Seller",
            "recipient": seller.pk,
            "recipient_name": "Sam Seller",
        }
    ]


def test_checkups_for_someone_else_or_everyone(seller, project_manager, checkups):
    overdue, blocked = checkups
    client = as_user(seller)

    theirs = client.get(f"{CHECKUPS}?owner={project_manager.pk}")
    everyone = client.get(f"{CHECKUPS}?owner=all")
    as_pm = as_user(project_manager).get(f"{CHECKUPS}?owner=me")

    assert [(r["step"], r["kind"]) for r in theirs.data["results"]] == [(blocked.pk, "blocked")]
    assert theirs.data["results"][0]["recipient_name"] == "Pat PM"
    assert {(r["step"], r["kind"]) for r in everyone.data["results"]} == {
        (overdue.pk, "overdue"),
        (blocked.pk, "blocked"),
    }
    assert as_pm.data["results"] == theirs.data["results"]


def test_finance_reads_the_checkups(finance, checkups):
    response = as_user(finance).get(f"{CHECKUPS}?owner=all")

    assert response.status_code == 200
    assert response.data["count"] == 2


@pytest.mark.parametrize("owner", ["someone", "999999", "-1", ""])
def test_checkups_for_an_unknown_owner_are_a_400(seller, owner):
    response = as_user(seller).get(f"{CHECKUPS}?owner={owner}")

    assert response.status_code == 400
    assert set(response.data) == {"owner"}
