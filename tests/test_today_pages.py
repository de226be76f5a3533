"""The Today page of each role: which cards it shows, and that its queries do not grow with
the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.today_data import fill_today

SELLER_CARDS = [
    "Past their close date",
    "Plans slipped or at risk",
    "Deals with no close plan",
    "Estimates returned to you",
    "My checkups",
    "Closing this week",
]
ESTIMATOR_CARDS = ["Estimate requests for you", "My checkups", "Your deals closing within 30 days"]
FINANCE_CARDS = ["Won in the last 30 days", "Rate changes"]
EXECUTIVE_CARDS = [
    "Pipeline by stage and close month",
    "Biggest slips this week",
    "Pipeline hygiene",
]
EVERY_CARD = {*SELLER_CARDS, *ESTIMATOR_CARDS, *FINANCE_CARDS, *EXECUTIVE_CARDS}


def page_of(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def cards_on(html: str) -> list[str]:
    return [title for title in EVERY_CARD if f">{title}</h2>" in html]


@pytest.mark.parametrize(
    ("persona", "cards"),
    [
        ("seller", SELLER_CARDS),
        ("project_manager", ESTIMATOR_CARDS),
        ("resource_manager", ESTIMATOR_CARDS),
        ("finance", FINANCE_CARDS),
        ("executive", EXECUTIVE_CARDS),
        ("admin_user", sorted(EVERY_CARD)),
        ("crew", []),
    ],
)
def test_each_role_sees_its_own_cards(client, request, persona, cards):
    user = request.getfixturevalue(persona)

    assert sorted(cards_on(page_of(client, user))) == sorted(cards)


def test_a_seller_sees_their_own_deals_not_another_sellers(
    client, seller, other_seller, project_manager
):
    fill_today(2, seller=other_seller, estimator=project_manager)

    html = page_of(client, seller)

    assert "Late deal" not in html
    assert "Planned deal" not in html
    assert "Returned estimate" not in html
    assert "Nothing needs you right now" in html


def test_the_executive_sees_the_chart_and_hygiene_per_seller(
    client, executive, seller, project_manager
):
    fill_today(2, seller=seller, estimator=project_manager)

    html = page_of(client, executive)

    assert 'id="chart-pipeline-by-month"' in html
    # Hygiene per seller comes after the page, in a few columns.
    assert 'hx-get="/pipeline/hygiene/?view=today"' in html
    table = client.get("/pipeline/hygiene/?view=today", HTTP_HX_REQUEST="true")
    assert f'data-seller="{seller.pk}"' in table.content.decode()
    assert "Avg days slipped" not in table.content.decode()
    assert "Estimated deal 001" in html  # the biggest slip of the week
    # Informing cards (the chart, slips) add nothing to the headline.
    assert "Nothing needs you right now" in html


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "persona", ["seller", "project_manager", "finance", "executive", "admin_user"]
)
def test_the_page_reads_as_many_queries_for_6_things_a_card_as_for_20(
    client, request, persona, seller, project_manager
):
    # Above the five shown, so every card counts its rows in both cases.
    user = request.getfixturevalue(persona)
    fill_today(6, seller=seller, estimator=project_manager)
    few = _queries(client, user)
    fill_today(14, seller=seller, estimator=project_manager, start=6)
    many = _queries(client, user)

    assert few == many
    html = page_of(client, user)
    assert 'title="20 in all"' in html
