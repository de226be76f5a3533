import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans.hygiene import pipeline_hygiene, push_trend, push_trend_chart
from tandem.closeplans.models import ClosePlan, Health, PlanStep, Side
from tandem.closeplans.services import do_apply_template
from tandem.closeplans.tests.factories import av_template
from tandem.people.models import Role, User
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def plan_for(deal, steps: int = 1, health: str = Health.ON_TRACK) -> ClosePlan:
    plan = ClosePlan.objects.create(deal=deal, health=health)
    for position in range(1, steps + 1):
        PlanStep.objects.create(
            plan=plan,
            position=position,
            title=f"Step {position}",
            side=Side.US,
            due_date=deal.target_close_date,
            last_update_at=timezone.now(),
        )
    return plan


def change(deal, *, days_ago: int, old: dt.date, new: dt.date, today: dt.date = TODAY):
    at = timezone.make_aware(dt.datetime.combine(today - days(days_ago), dt.time(12)))
    return CloseDateChange.objects.create(deal=deal, changed_at=at, old_date=old, new_date=new)


def won(owner, **kwargs):
    return DealFactory(owner=owner, stage=stage("Won"), closed_on=TODAY - days(3), **kwargs)


@pytest.fixture
def pusher(db):
    # A lower-case name: the sort must not put it after the capitalised ones.
    return UserFactory(username="ava", display_name="ava Push", role=Role.SELLER)


@pytest.fixture
def crafted(seller, other_seller, pusher):
    """Sam: three open deals (one with a slipped plan of two steps, one with an empty plan,
    one without) and excluded ones; Sofia: two open deals with plans; ava: only pushes;
    Nora: a nurtured deal and nothing else, so no row."""
    slipped = DealFactory(owner=seller, target_close_date=TODAY - days(5))
    plan_for(slipped, steps=2, health=Health.SLIPPED)
    empty_plan = DealFactory(owner=seller, target_close_date=TODAY + days(30))
    plan_for(empty_plan, steps=0)
    no_plan = DealFactory(owner=seller, target_close_date=TODAY + days(60))
    nurtured = DealFactory(owner=seller, nurture=True, target_close_date=TODAY - days(9))
    plan_for(nurtured, steps=3, health=Health.SLIPPED)
    closed = won(seller, target_close_date=TODAY - days(20))
    plan_for(closed, steps=2, health=Health.SLIPPED)
    DealFactory(owner=seller, stage=stage("Lost"), target_close_date=TODAY - days(40))

    # Sam's pushes: 10 + 5 + 2 days count; an earlier move, a non-move and a push from
    # before the window do not.
    change(slipped, days_ago=10, old=TODAY - days(15), new=TODAY - days(5))
    change(no_plan, days_ago=89, old=TODAY + days(55), new=TODAY + days(60))
    change(closed, days_ago=30, old=TODAY - days(22), new=TODAY - days(20))
    change(slipped, days_ago=5, old=TODAY + days(2), new=TODAY - days(5))
    change(empty_plan, days_ago=3, old=TODAY + days(30), new=TODAY + days(30))
    change(no_plan, days_ago=91, old=TODAY + days(25), new=TODAY + days(55))

    due_today = DealFactory(owner=other_seller, target_close_date=TODAY)
    plan_for(due_today, steps=1)
    yesterday = DealFactory(owner=other_seller, target_close_date=TODAY - days(1))
    plan_for(yesterday, steps=3, health=Health.AT_RISK)

    change(won(pusher), days_ago=20, old=TODAY - days(10), new=TODAY - days(3))

    nora = UserFactory(username="nora", display_name="Nora Nurture")
    DealFactory(owner=nora, nurture=True, target_close_date=TODAY - days(30))


def figures(row):
    return (
        row.open_deals,
        row.with_plan,
        row.past_close,
        row.slipped_plans,
        row.pushes,
        row.days_slipped,
    )


# --- the figures ----------------------------------------------------------------------------


def test_each_seller_gets_their_own_figures(crafted, seller, other_seller, pusher):
    hygiene = pipeline_hygiene(today=TODAY)

    by_seller = {row.seller: row for row in hygiene.rows}
    assert figures(by_seller[seller]) == (3, 1, 1, 1, 3, 17)
    assert figures(by_seller[other_seller]) == (2, 2, 1, 0, 0, 0)
    assert figures(by_seller[pusher]) == (0, 0, 0, 0, 1, 7)


def test_shares_and_averages_are_exact(crafted, seller, other_seller, pusher):
    hygiene = pipeline_hygiene(today=TODAY)

    by_seller = {row.seller: row for row in hygiene.rows}
    assert by_seller[seller].plan_share == pytest.approx(100 / 3)
    assert by_seller[seller].average_days_slipped == pytest.approx(17 / 3)
    assert by_seller[other_seller].plan_share == 100
    assert by_seller[other_seller].average_days_slipped is None
    assert by_seller[pusher].plan_share is None
    assert by_seller[pusher].average_days_slipped == 7


def test_the_team_row_adds_every_seller_up(crafted):
    team = pipeline_hygiene(today=TODAY).team

    assert team.seller is None
    assert figures(team) == (5, 3, 2, 1, 4, 24)
    assert team.plan_share == 60
    assert team.average_days_slipped == 6


def test_sellers_are_sorted_by_name_whatever_the_case_and_the_team_comes_last(crafted):
    hygiene = pipeline_hygiene(today=TODAY)

    assert [row.seller.name for row in hygiene.rows] == ["ava Push", "Sam Seller", "Sofia Seller"]
    assert hygiene.table[-1] is hygiene.team


def test_a_seller_with_nurtured_deals_only_and_no_pushes_has_no_row(crafted):
    names = [row.seller.name for row in pipeline_hygiene(today=TODAY).rows]

    assert "Nora Nurture" not in names


def test_the_push_window_starts_at_midnight_ninety_days_ago(seller):
    deal = DealFactory(owner=seller, target_close_date=TODAY + days(40))
    start = timezone.make_aware(dt.datetime.combine(TODAY - days(90), dt.time.min))
    for at, moved in ((start, 4), (start - dt.timedelta(seconds=1), 100)):
        CloseDateChange.objects.create(
            deal=deal, changed_at=at, old_date=TODAY, new_date=TODAY + days(moved)
        )

    row = pipeline_hygiene(today=TODAY).rows[0]

    assert pipeline_hygiene(today=TODAY).since == TODAY - days(90)
    assert (row.pushes, row.days_slipped) == (1, 4)


def test_pushes_over_month_and_year_ends_count_calendar_days(seller):
    deal = DealFactory(owner=seller, target_close_date=dt.date(2027, 3, 1))
    change(deal, days_ago=2, old=dt.date(2026, 12, 30), new=dt.date(2027, 1, 2))
    change(deal, days_ago=1, old=dt.date(2027, 2, 27), new=dt.date(2027, 3, 1))

    row = pipeline_hygiene(today=TODAY).rows[0]

    assert (row.pushes, row.days_slipped, row.average_days_slipped) == (2, 5, 2.5)


def test_a_plan_applied_from_a_template_counts_as_a_plan(seller):
    deal = DealFactory(owner=seller, target_close_date=dt.date(2027, 4, 30))
    do_apply_template(deal, av_template(), seller, now=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))

    row = pipeline_hygiene(today=dt.date(2027, 3, 1)).rows[0]

    assert (row.open_deals, row.with_plan, row.plan_share) == (1, 1, 100)


def test_an_empty_pipeline_gives_zeros_and_no_shares(db):
    hygiene = pipeline_hygiene(today=TODAY)

    assert hygiene.rows == []
    assert figures(hygiene.team) == (0, 0, 0, 0, 0, 0)
    assert hygiene.team.plan_share is None
    assert hygiene.team.average_days_slipped is None


def build(rows: int, sellers: list[User]) -> None:
    """`rows` open deals spread over the sellers, each with a plan and a push, and as many
    closed or nurtured deals with pushes."""
    for n in range(rows):
        owner = sellers[n % len(sellers)]
        deal = DealFactory(owner=owner, target_close_date=TODAY + days(n - rows // 2))
        plan_for(deal, steps=n % 3, health=[Health.ON_TRACK, Health.SLIPPED][n % 2])
        change(deal, days_ago=n % 120, old=deal.target_close_date - days(n % 9), new=TODAY)
        other = won(owner) if n % 2 else DealFactory(owner=owner, nurture=True)
        change(other, days_ago=n % 60, old=TODAY - days(n % 5), new=TODAY)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_figures_take_three_queries_whatever_the_data(
    rows, seller, other_seller, pusher, django_assert_num_queries
):
    build(rows, [seller, other_seller, pusher])

    # open deals by owner, pushes by owner, the sellers named in either
    with django_assert_num_queries(3):
        hygiene = pipeline_hygiene(today=TODAY)
        [row.seller.name for row in hygiene.rows]

    assert hygiene.team.open_deals == rows


def test_an_empty_pipeline_takes_two_queries(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        pipeline_hygiene(today=TODAY)


# --- the page and the board panel -----------------------------------------------------------

URL = reverse("closeplans:hygiene")


def test_the_board_offers_the_panel_without_computing_it(seller_client, seller):
    DealFactory(owner=seller, target_close_date=timezone.localdate() - days(3))

    body = seller_client.get(reverse("pipeline:board")).content.decode()

    assert 'id="hygiene-panel"' in body
    assert f'hx-get="{URL}"' in body
    assert 'hx-trigger="toggle once"' in body
    assert "hygiene-figures" not in body


@pytest.mark.parametrize("rows", [5, 50])
def test_the_board_reads_no_hygiene_figures_whatever_the_data(
    seller_client, seller, other_seller, pusher, rows
):
    build(rows, [seller, other_seller, pusher])
    seller_client.get(reverse("pipeline:board"))

    with CaptureQueriesContext(connection) as board:
        response = seller_client.get(reverse("pipeline:board"))

    assert response.status_code == 200
    assert not [q for q in board.captured_queries if "closedatechange" in q["sql"]]


def test_the_panel_comes_alone_to_htmx(seller_client, seller):
    DealFactory(owner=seller)

    response = seller_client.get(URL, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="hygiene-figures"' in body
    assert "Sam Seller" in body


def test_a_plain_visit_gets_the_whole_page(seller_client, seller):
    DealFactory(owner=seller)

    body = seller_client.get(URL).content.decode()

    assert "<html" in body
    assert "<h1>Pipeline hygiene</h1>" in body
    assert 'id="hygiene-figures"' in body


def test_the_panel_shows_percentages_with_one_decimal_and_the_team_last(seller_client, seller):
    today = timezone.localdate()
    for steps in (1, 0, 0):
        plan_for(DealFactory(owner=seller, target_close_date=today + days(10)), steps=steps)
    deal = DealFactory(owner=seller, target_close_date=today + days(10))
    change(deal, days_ago=1, old=today, new=today + days(10), today=today)
    change(deal, days_ago=2, old=today, new=today + days(1), today=today)
    change(deal, days_ago=3, old=today, new=today + days(1), today=today)

    body = seller_client.get(URL, HTTP_HX_REQUEST="true").content.decode()

    # 1 plan of 4 open deals; 12 days over 3 pushes
    assert "25.0%" in body
    assert "(1 of 4)" in body
    assert '<td class="text-end" data-avg-days>4.0</td>' in body
    assert body.index("Sam Seller") < body.index(">Team<")
    assert "Plans slipped now" in body
    assert "at least one step" in body


def test_an_empty_pipeline_shows_zeros_and_dashes(seller_client):
    response = seller_client.get(URL, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "No open deals, and no close date pushed since" in body
    assert '<td class="text-end" data-plan-share>—</td>' in body
    assert '<td class="text-end" data-avg-days>—</td>' in body
    assert '<td class="text-end" data-open>0</td>' in body


def test_past_close_links_to_the_same_deals_in_the_list(seller_client, seller, other_seller):
    today = timezone.localdate()
    late = DealFactory(owner=seller, name="Late one", target_close_date=today - days(2))
    DealFactory(owner=seller, name="On time", target_close_date=today)
    DealFactory(owner=seller, name="Late but won", stage=stage("Won"), closed_on=today)
    DealFactory(owner=other_seller, name="Someone else's", target_close_date=today - days(2))

    panel = seller_client.get(URL, HTTP_HX_REQUEST="true")

    link = f"{reverse('pipeline:deal_list')}?status=open&close_period=overdue&owner={seller.pk}"
    assert f'href="{link.replace("&", "&amp;")}"' in panel.content.decode()
    listed = seller_client.get(link).context["page_obj"]
    assert [deal.pk for deal in listed] == [late.pk]


def test_a_seller_the_list_cannot_filter_on_gets_no_link(seller_client, seller):
    crew = UserFactory(username="cole", display_name="Cole Crew", role=Role.CREW)
    DealFactory(owner=crew, target_close_date=timezone.localdate() - days(2))

    body = seller_client.get(URL, HTTP_HX_REQUEST="true").content.decode()

    assert f"owner={crew.pk}" not in body
    assert "close_period=overdue" in body  # the team row still links to all of them


@pytest.mark.parametrize("rows", [5, 50])
def test_the_panel_runs_the_same_queries_whatever_the_data(
    seller_client, seller, other_seller, pusher, rows, django_assert_num_queries
):
    build(rows, [seller, other_seller, pusher])
    seller_client.get(URL, HTTP_HX_REQUEST="true")  # warm the session and permission caches

    # session, user, permissions (user, group), open deals by owner, pushes by owner, sellers
    with django_assert_num_queries(7):
        seller_client.get(URL, HTTP_HX_REQUEST="true")


# --- who may see it -------------------------------------------------------------------------


def test_a_seller_sees_every_sellers_figures(seller_client, seller, other_seller):
    DealFactory(owner=other_seller)

    body = seller_client.get(URL, HTTP_HX_REQUEST="true").content.decode()

    assert "Sofia Seller" in body


@pytest.mark.parametrize("persona", ["finance", "project_manager", "executive"])
def test_every_role_that_reads_deals_sees_it(client, request, persona, seller):
    DealFactory(owner=seller)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(URL)

    assert response.status_code == 200
    assert "Sam Seller" in response.content.decode()


def test_someone_who_cannot_read_deals_is_refused(client, seller):
    DealFactory(owner=seller)
    nobody = User.objects.create_user("nobody", password="pw")  # no role group, no permission
    client.force_login(nobody)

    response = client.get(URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert "Sam Seller" not in response.content.decode()


def test_an_outsider_is_sent_to_the_login_page(client, seller):
    DealFactory(owner=seller)

    page = client.get(URL)
    panel = client.get(URL, HTTP_HX_REQUEST="true")

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))
    assert panel["HX-Redirect"].startswith(reverse("login"))
    assert "Sam Seller" not in panel.content.decode()


def test_the_panel_only_answers_get(seller_client):
    response = seller_client.post(URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 405


# --- the weekly trend -----------------------------------------------------------------------


def test_the_trend_counts_each_sellers_pushes_per_week(seller, other_seller):
    ours = DealFactory(owner=seller, target_close_date=TODAY + days(40))
    theirs = won(other_seller, target_close_date=TODAY - days(4))
    # TODAY is Monday 23 Nov: twelve weeks start on Monday 7 Sep.
    change(ours, days_ago=0, old=TODAY + days(30), new=TODAY + days(40))  # this week
    change(ours, days_ago=1, old=TODAY + days(28), new=TODAY + days(30))  # Sunday: last week
    change(ours, days_ago=6, old=TODAY + days(27), new=TODAY + days(28))  # Tuesday: last week
    change(ours, days_ago=77, old=TODAY + days(20), new=TODAY + days(27))  # Monday 7 Sep
    change(ours, days_ago=78, old=TODAY + days(10), new=TODAY + days(20))  # before the weeks
    change(ours, days_ago=3, old=TODAY + days(50), new=TODAY + days(40))  # earlier: no push
    change(theirs, days_ago=10, old=TODAY - days(8), new=TODAY - days(4))  # Friday 13 Nov

    trend = push_trend(TODAY)

    assert trend.weeks[0] == dt.date(2026, 9, 7)
    assert trend.weeks[-1] == TODAY
    assert len(trend.weeks) == 12
    assert trend.pushes == {
        seller.pk: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1],
        other_seller.pk: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
    }
    assert trend.days[seller.pk] == [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 10]
    assert trend.days[other_seller.pk][9] == 4


def test_the_trend_chart_has_a_line_per_seller_named_as_on_the_table(seller, other_seller):
    deal = DealFactory(owner=other_seller, target_close_date=TODAY + days(10))
    change(deal, days_ago=2, old=TODAY + days(5), new=TODAY + days(10))
    DealFactory(owner=seller, target_close_date=TODAY + days(10))

    chart = push_trend_chart(push_trend(TODAY), pipeline_hygiene(TODAY))

    assert [series.label for series in chart.series] == ["Sofia Seller"]
    assert chart.series[0].values == [0] * 10 + [1, 0]
    assert chart.labels[0] == "7 Sep"
    assert chart.labels[-1] == "23 Nov (so far)"
    assert chart.kind == "line"


def test_no_push_in_twelve_weeks_makes_an_empty_chart(seller):
    DealFactory(owner=seller, target_close_date=TODAY + days(10))

    chart = push_trend_chart(push_trend(TODAY), pipeline_hygiene(TODAY))

    assert chart.series == []
    assert chart.is_empty


@pytest.mark.parametrize("rows", [5, 50])
def test_the_trend_takes_one_query_whatever_the_data(
    rows, seller, other_seller, pusher, django_assert_num_queries
):
    build(rows, [seller, other_seller, pusher])

    with django_assert_num_queries(1):
        push_trend(TODAY)


def test_the_page_draws_the_trend_and_the_boards_panel_does_not(seller_client, seller):
    deal = DealFactory(owner=seller, target_close_date=timezone.localdate() + days(10))
    change(
        deal,
        days_ago=1,
        old=deal.target_close_date - days(3),
        new=deal.target_close_date,
        today=timezone.localdate(),
    )

    page = seller_client.get(URL).content.decode()
    panel = seller_client.get(URL, HTTP_HX_REQUEST="true").content.decode()

    assert 'id="chart-hygiene-trend"' in page
    assert 'data-chart="chart-hygiene-trend-config"' in page
    assert "<summary>Numbers</summary>" in page
    assert "chart-hygiene-trend" not in panel


@pytest.mark.parametrize("rows", [5, 50])
def test_the_page_runs_the_same_queries_whatever_the_data(
    seller_client, seller, other_seller, pusher, rows, django_assert_num_queries
):
    build(rows, [seller, other_seller, pusher])
    seller_client.get(URL)

    # session, user, permissions (user, group), open deals by owner, pushes by owner,
    # sellers, the weekly pushes, and the bar's unread notifications
    with django_assert_num_queries(9):
        seller_client.get(URL)
