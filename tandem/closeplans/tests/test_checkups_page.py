"""The Checkups page: who sees what, the one-click actions, and its query count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import PlanStep, StepComment, StepStatus
from tandem.closeplans.tests.factories import av_template
from tandem.pipeline.tests.factories import DealFactory

LAID_OUT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
# Thursday 15 April 2027: the discovery call (due the 14th) is overdue and the walkthrough
# (due the 16th, customer side) is due soon; the later steps are not checkups yet.
NOW = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.UTC)
PAGE = reverse("closeplans:checkups")


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS = 3
    settings.TANDEM_CHECKUP_QUIET_DAYS = 3
    settings.TIME_ZONE = "UTC"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def template(db):
    return av_template()


def plan_for(owner, template, name="Harbour hall AV", **fields):
    deal = DealFactory(owner=owner, name=name, target_close_date=dt.date(2027, 4, 30), **fields)
    return services.do_apply_template(deal, template, owner, now=LAID_OUT)


@pytest.fixture
def plan(seller, template):
    return plan_for(seller, template)


def step(plan, title):
    return PlanStep.objects.get(plan=plan, title=title)


def action(name, target):
    return reverse(f"closeplans:checkup_{name}", args=[target.pk])


# The page ----------------------------------------------------------------------------------


def test_the_page_lists_todays_checkups_by_deal(seller_client, plan):
    response = seller_client.get(PAGE)

    assert response.status_code == 200
    deals = list(response.context["page_obj"])
    assert [deal.name for deal in deals] == ["Harbour hall AV"]
    rows = deals[0].checkup_rows
    assert [(row.step.title, row.kind, row.days) for row in rows] == [
        ("Discovery call", "overdue", 1),
        ("Technical walkthrough", "due_soon", 1),
    ]
    body = response.content.decode()
    assert reverse("pipeline:deal_detail", args=[plan.deal_id]) in body
    assert plan.deal.account.name in body
    assert "30 Apr 2027" in body
    assert f'id="checkup-step-{rows[0].step.pk}"' in body
    assert "Overdue" in body
    assert "Due soon" in body
    assert f"health-{plan.health}" in body


def test_nothing_due_shows_the_empty_state(seller_client, seller, template):
    plan = plan_for(seller, template)
    for title in ("Discovery call", "Technical walkthrough"):
        services.do_set_step_status(step(plan, title), seller, StepStatus.DONE)

    response = seller_client.get(PAGE)

    assert response.context["page_obj"].paginator.count == 0
    assert 'id="checkups-empty"' in response.content.decode()


def test_a_seller_starts_on_their_own_checkups(seller_client, plan, other_seller, template):
    plan_for(other_seller, template, name="Someone else's deal")

    mine = seller_client.get(PAGE)
    everyone = seller_client.get(PAGE, {"owner": "everyone"})
    theirs = seller_client.get(PAGE, {"owner": str(other_seller.pk)})

    assert [d.name for d in mine.context["page_obj"]] == ["Harbour hall AV"]
    assert [d.name for d in everyone.context["page_obj"]] == [
        "Harbour hall AV",
        "Someone else's deal",
    ]
    assert [d.name for d in theirs.context["page_obj"]] == ["Someone else's deal"]


def test_a_manager_starts_on_their_own_like_everyone(pm_client, plan, other_seller, template):
    plan_for(other_seller, template, name="Someone else's deal")

    response = pm_client.get(PAGE)
    everyone = pm_client.get(PAGE, {"owner": "everyone"})

    assert response.context["filter_form"]["owner"].value() == "mine"
    assert len(response.context["page_obj"]) == 0
    assert response.context["checkup_count"] == 0
    assert len(everyone.context["page_obj"]) == 2


@pytest.mark.parametrize("owner", ["nobody", "999999", "-1"])
def test_an_unknown_owner_says_so_and_lists_nothing(seller_client, plan, owner):
    response = seller_client.get(PAGE, {"owner": owner})

    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert response.context["page_obj"].paginator.count == 0


def test_the_page_pages_by_deal(seller_client, seller, template):
    for number in range(27):
        plan_for(seller, template, name=f"Deal {number:02}")

    first = seller_client.get(PAGE)
    second = seller_client.get(PAGE, {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert [d.name for d in second.context["page_obj"]] == ["Deal 25", "Deal 26"]
    assert all(len(d.checkup_rows) == 2 for d in second.context["page_obj"])


@pytest.mark.parametrize("deals", [5, 50])
def test_the_page_runs_the_same_queries_whatever_the_data(
    seller_client, seller, template, deals, django_assert_num_queries
):
    for number in range(deals):
        plan_for(seller, template, name=f"Deal {number:02}")
    seller_client.get(PAGE)  # warm the session and permission caches

    # session, user, permissions (user, group), the owner choices, the company's days off,
    # deals count, the checkups count, the page of deals (with account, owner and plan),
    # their checkup steps, and the unread count in the navbar
    with django_assert_num_queries(11):
        response = seller_client.get(PAGE, {"owner": "everyone"})

    assert response.context["page_obj"].paginator.count == deals


def test_people_who_cannot_see_deals_are_refused(client, template, seller):
    from tandem.people.tests.factories import UserFactory

    plan_for(seller, template)
    nobody = UserFactory(username="nobody", role="seller")
    nobody.groups.clear()
    client.force_login(nobody)

    assert client.get(PAGE).status_code == 403


def test_signed_out_visitors_go_to_the_login_page(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# One-click actions -------------------------------------------------------------------------


def test_done_replaces_the_row_and_marks_the_step_done(seller_client, seller, plan):
    target = step(plan, "Discovery call")

    response = seller_client.post(action("done", target), HTTP_HX_REQUEST="true")

    target.refresh_from_db()
    assert target.status == StepStatus.DONE
    assert target.completed_on == NOW.date()
    assert target.last_update_by == seller
    body = response.content.decode()
    assert body.lstrip().startswith(
        f'<div class="plan-step side-us status-done" id="checkup-step-{target.pk}"'
    )
    assert "No checkup left on this step today" in body
    assert "<html" not in body


def test_done_without_javascript_returns_to_the_page_it_came_from(seller_client, plan):
    target = step(plan, "Discovery call")

    response = seller_client.post(action("done", target), {"back": f"{PAGE}?owner=everyone&page=1"})

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?owner=everyone&page=1"
    target.refresh_from_db()
    assert target.status == StepStatus.DONE


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/admin/", ""])
def test_the_way_back_never_leaves_the_checkups_page(seller_client, plan, back):
    response = seller_client.post(action("done", step(plan, "Discovery call")), {"back": back})

    assert response["Location"] == PAGE


def test_blocked_needs_a_reason_and_changes_nothing_without_one(seller_client, plan):
    target = step(plan, "Discovery call")
    before = target.last_update_at

    response = seller_client.post(
        action("blocked", target), {"blocker": "   "}, HTTP_HX_REQUEST="true"
    )

    target.refresh_from_db()
    assert target.status == StepStatus.OPEN
    assert target.blocker == ""
    assert target.last_update_at == before
    body = response.content.decode()
    assert "Say what blocks this step" in body
    assert '<details class="inline-form" open>' in body


def test_blocked_without_javascript_shows_the_error_on_its_own_page(seller_client, plan):
    target = step(plan, "Discovery call")
    long_reason = "x" * 251

    response = seller_client.post(action("blocked", target), {"blocker": long_reason})

    assert response.status_code == 400
    assert "Keep this to 250 characters or fewer (it has 251)." in response.content.decode()
    assert long_reason in response.content.decode()  # what was typed is kept
    target.refresh_from_db()
    assert target.status == StepStatus.OPEN


def test_blocked_because_records_the_reason(seller_client, seller, plan):
    target = step(plan, "Technical walkthrough")

    response = seller_client.post(
        action("blocked", target),
        {"blocker": " Waiting for the floor plans "},
        HTTP_HX_REQUEST="true",
    )

    target.refresh_from_db()
    assert target.status == StepStatus.BLOCKED
    assert target.blocker == "Waiting for the floor plans"
    assert "Blocked by: Waiting for the floor plans" in response.content.decode()
    plan.refresh_from_db()
    assert plan.health != "on_track"


def test_a_note_is_kept_and_counts_as_news(seller_client, seller, plan):
    target = step(plan, "Technical walkthrough")

    response = seller_client.post(
        action("note", target), {"body": "Customer confirmed Friday"}, HTTP_HX_REQUEST="true"
    )

    comment = StepComment.objects.get(step=target)
    assert comment.body == "Customer confirmed Friday"
    assert comment.author_user == seller
    assert comment.shared is False
    target.refresh_from_db()
    assert target.last_update_at == NOW
    # News on a step due soon answers its checkup.
    assert "No checkup left on this step today" in response.content.decode()


def test_an_empty_note_is_refused(seller_client, plan):
    target = step(plan, "Technical walkthrough")

    response = seller_client.post(action("note", target), {"body": ""}, HTTP_HX_REQUEST="true")

    assert "Write something first" in response.content.decode()
    assert not StepComment.objects.exists()


def test_someone_elses_step_is_refused_and_left_alone(client, other_seller, finance, plan):
    target = step(plan, "Discovery call")
    for person in (other_seller, finance):
        client.force_login(person)
        for name, data in [("done", {}), ("blocked", {"blocker": "No"}), ("note", {"body": "Hi"})]:
            response = client.post(action(name, target), data, HTTP_HX_REQUEST="true")
            assert response.status_code == 403

    target.refresh_from_db()
    assert target.status == StepStatus.OPEN
    assert not StepComment.objects.exists()


def test_the_owner_of_a_step_reports_on_it_on_another_sellers_deal(
    client, seller, other_seller, plan
):
    target = step(plan, "Discovery call")
    services.do_update_step(target, seller, {"owner_user": other_seller}, now=LAID_OUT)
    client.force_login(other_seller)

    mine = client.get(PAGE)
    response = client.post(action("done", target), HTTP_HX_REQUEST="true")

    assert [row.step.title for row in mine.context["page_obj"][0].checkup_rows] == [
        "Discovery call"
    ]
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.status == StepStatus.DONE


def test_a_closed_deal_refuses_the_action_with_the_reason(seller_client, seller, plan):
    from tandem.pipeline.services import do_mark_lost

    target = step(plan, "Discovery call")
    do_mark_lost(plan.deal, seller, reason="price")

    response = seller_client.post(action("done", target), HTTP_HX_REQUEST="true")

    assert "closed as Lost" in response.content.decode()
    target.refresh_from_db()
    assert target.status == StepStatus.OPEN


def test_actions_only_answer_posts(seller_client, plan):
    assert seller_client.get(action("done", step(plan, "Discovery call"))).status_code == 405


def test_an_unknown_step_is_not_found(seller_client, db):
    assert seller_client.post(reverse("closeplans:checkup_done", args=[987654])).status_code == 404


# One count, stated alike ------------------------------------------------------------------


def test_the_page_and_the_bell_state_the_same_count_of_my_checkups(
    seller_client, plan, other_seller, template
):
    plan_for(other_seller, template, name="Someone else's deal")

    page = seller_client.get(PAGE)
    everyone = seller_client.get(PAGE, {"owner": "everyone"})
    bell = seller_client.get(reverse("notifications:bell")).content.decode()

    rows = sum(len(deal.checkup_rows) for deal in page.context["page_obj"])
    assert page.context["checkup_count"] == rows == 2
    assert "<strong>2 checkups today</strong>\n  for you, on 1 deal." in page.content.decode()
    assert "2 checkups of yours today" in bell
    assert everyone.context["checkup_count"] == 4
    assert "across everyone, on 2 deals." in everyone.content.decode()
