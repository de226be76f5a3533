import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, PlanStep, ShareLink, StepComment
from tandem.closeplans.tests.factories import av_template
from tandem.pipeline.tests.factories import DealFactory, stage

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, target_close_date=timezone.localdate() + dt.timedelta(days=70))


@pytest.fixture
def plan(deal, seller):
    return services.do_apply_template(deal, av_template(), seller)


def steps(plan):
    return list(plan.steps.order_by("position"))


def test_deal_page_offers_a_template_matching_the_project_type(seller_client, deal):
    template = av_template()
    page = seller_client.get(deal.get_absolute_url())
    assert page.status_code == 200
    assert b"Lay out the plan" in page.content
    assert page.context["apply_form"].initial["template"] == template


def test_apply_template_from_the_deal_page(seller_client, deal):
    template = av_template()
    response = seller_client.post(
        reverse("closeplans:plan_apply", args=[deal.pk]), {"template": template.pk}
    )
    assert response.status_code == 302
    plan = ClosePlan.objects.get(deal=deal)
    assert plan.steps.count() == 5
    page = seller_client.get(deal.get_absolute_url())
    assert "Technical walkthrough" in page.content.decode()
    assert "gets us to" in page.content.decode()


def test_too_near_close_shows_the_earliest_date_and_offers_to_move(seller_client, seller):
    deal = DealFactory(owner=seller, target_close_date=timezone.localdate() + dt.timedelta(days=3))
    template = av_template()
    url = reverse("closeplans:plan_apply", args=[deal.pk])
    response = seller_client.post(url, {"template": template.pk}, **HTMX)
    assert response.status_code == 200
    assert "too near" in response.content.decode()
    assert "Move the close date and lay out the plan" in response.content.decode()
    assert not ClosePlan.objects.exists()
    seller_client.post(url, {"template": template.pk, "move_close": "on"}, **HTMX)
    deal.refresh_from_db()
    assert deal.close_date_changes.count() == 1
    assert ClosePlan.objects.get(deal=deal).steps.count() == 5


def test_other_seller_cannot_change_the_plan(client, other_seller, plan):
    client.force_login(other_seller)
    step = steps(plan)[0]
    for url, data in [
        (reverse("closeplans:plan_apply", args=[plan.deal_id]), {"template": plan.template_id}),
        (reverse("closeplans:step_edit", args=[step.pk]), {f"s{step.pk}-title": "Hacked"}),
        (reverse("closeplans:step_status", args=[step.pk]), {f"st{step.pk}-status": "done"}),
        (reverse("closeplans:step_remove", args=[step.pk]), {}),
        (reverse("closeplans:share", args=[plan.deal_id]), {"days": 5}),
    ]:
        assert client.post(url, data).status_code == 403
    step.refresh_from_db()
    assert step.title == "Discovery call"
    assert step.status == "open"
    assert not ShareLink.objects.exists()


def test_step_owner_may_report_without_editing_the_deal(client, plan, project_manager, finance):
    step = steps(plan)[2]  # Proposal review, owned by the project manager
    step.owner_user = finance
    step.save()
    client.force_login(finance)
    url = reverse("closeplans:step_status", args=[step.pk])
    assert client.post(url, {f"st{step.pk}-status": "done"}, **HTMX).status_code == 200
    step.refresh_from_db()
    assert step.status == "done"
    edit = reverse("closeplans:step_edit", args=[step.pk])
    assert client.post(edit, {f"s{step.pk}-title": "x"}).status_code == 403


def test_block_without_reason_is_refused_and_keeps_the_step(seller_client, plan):
    step = steps(plan)[1]
    url = reverse("closeplans:step_status", args=[step.pk])
    response = seller_client.post(url, {f"st{step.pk}-status": "blocked"}, **HTMX)
    assert "Say what blocks this step" in response.content.decode()
    step.refresh_from_db()
    assert step.status == "open"
    seller_client.post(
        url, {f"st{step.pk}-status": "blocked", f"st{step.pk}-blocker": "No floor plans"}, **HTMX
    )
    step.refresh_from_db()
    assert step.status == "blocked"
    assert step.blocker == "No floor plans"


def test_edit_step_after_close_date_keeps_input(seller_client, plan):
    step = steps(plan)[0]
    late = plan.deal.target_close_date + dt.timedelta(days=5)
    data = {
        f"s{step.pk}-title": "Discovery call with the CTO",
        f"s{step.pk}-side": "us",
        f"s{step.pk}-owner": f"u:{plan.deal.owner_id}",
        f"s{step.pk}-due_date": late.isoformat(),
        f"s{step.pk}-duration_days": "1",
    }
    response = seller_client.post(reverse("closeplans:step_edit", args=[step.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "No step can be due after the close date" in body
    assert "Discovery call with the CTO" in body
    step.refresh_from_db()
    assert step.title == "Discovery call"


def test_stale_step_edit_is_refused(seller_client, plan, seller):
    step = steps(plan)[0]
    url = reverse("closeplans:step_edit", args=[step.pk])
    data = {
        f"s{step.pk}-title": "Mine",
        f"s{step.pk}-side": "us",
        f"s{step.pk}-due_date": step.due_date.isoformat(),
        f"s{step.pk}-duration_days": "1",
        f"s{step.pk}-version": "2000-01-01T00:00:00+00:00",
    }
    response = seller_client.post(url, data, **HTMX)
    assert "Someone else changed this" in response.content.decode()
    step.refresh_from_db()
    assert step.title == "Discovery call"


def test_bad_input_types_are_refused(seller_client, plan):
    url = reverse("closeplans:step_add", args=[plan.deal_id])
    response = seller_client.post(
        url,
        {"new-title": "", "new-side": "moon", "new-due_date": "soon", "new-duration_days": "-2"},
        **HTMX,
    )
    form = response.context["add_step_form"]
    assert set(form.errors) >= {"title", "side", "due_date", "duration_days"}
    assert plan.steps.count() == 5


def test_add_note_and_reorder(seller_client, plan):
    step = steps(plan)[3]
    seller_client.post(
        reverse("closeplans:step_comment", args=[step.pk]),
        {f"c{step.pk}-body": "Finance meets on Tuesdays", f"c{step.pk}-shared": ""},
        **HTMX,
    )
    assert StepComment.objects.get().shared is False
    seller_client.post(reverse("closeplans:step_move", args=[step.pk]), {"position": 1}, **HTMX)
    assert steps(plan)[0].pk == step.pk


def test_share_link_made_listed_and_withdrawn(seller_client, plan):
    response = seller_client.post(
        reverse("closeplans:share", args=[plan.deal_id]), {"days": 14}, **HTMX
    )
    link = ShareLink.objects.get()
    assert services.share_token(link) in response.content.decode()
    seller_client.post(reverse("closeplans:share_revoke", args=[link.pk]), **HTMX)
    link.refresh_from_db()
    assert link.revoked_at is not None
    bad = seller_client.post(reverse("closeplans:share", args=[plan.deal_id]), {"days": 0}, **HTMX)
    assert bad.context["share_form"].errors
    assert ShareLink.objects.count() == 1


def test_slipped_plan_offers_accept_and_nurture(seller_client, plan):
    first = steps(plan)[0]
    PlanStep.objects.filter(pk=first.pk).update(duration_days=200)
    services.refresh_health(plan)
    page = seller_client.get(plan.deal.get_absolute_url()).content.decode()
    assert "The plan has slipped" in page
    assert "Move to nurture" in page
    plan.refresh_from_db()
    proposed = plan.proposed_close
    response = seller_client.post(
        reverse("closeplans:accept_close", args=[plan.deal_id]), {"reason": "CFO agreed"}, **HTMX
    )
    assert response.status_code == 204
    plan.deal.refresh_from_db()
    assert plan.deal.target_close_date == proposed
    assert "CFO agreed" in plan.deal.close_date_changes.get().reason


def test_close_date_form_can_leave_steps_where_they_are(seller_client, plan):
    before = [s.due_date for s in steps(plan)]
    deal = plan.deal
    new = deal.target_close_date + dt.timedelta(days=14)
    seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": new.isoformat(), "reason": "Board moved"},
    )
    assert [s.due_date for s in steps(plan)] == before
    seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {
            "target_close_date": (new + dt.timedelta(days=7)).isoformat(),
            "reason": "Again",
            "shift_plan": "on",
        },
    )
    assert [s.due_date for s in steps(plan)] != before


def test_closed_deal_plan_is_read_only(seller_client, plan):
    deal = plan.deal
    deal.stage = stage("Won")
    deal.save()
    page = seller_client.get(deal.get_absolute_url()).content.decode()
    assert "Add a step" not in page
    step = steps(plan)[0]
    response = seller_client.post(
        reverse("closeplans:step_status", args=[step.pk]), {f"st{step.pk}-status": "done"}
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.status == "open"


def test_board_queries_do_not_grow_with_plans(seller_client, seller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    template = av_template()
    counts = []
    for batch in (5, 45):
        for _ in range(batch):
            deal = DealFactory(
                owner=seller, target_close_date=timezone.localdate() + dt.timedelta(days=70)
            )
            services.do_apply_template(deal, template, seller)
        with CaptureQueriesContext(connection) as captured:
            page = seller_client.get(reverse("pipeline:board"))
        assert page.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert "no plan" not in page.content.decode()


def test_a_link_can_be_withdrawn_after_the_deal_closed(seller_client, plan, seller):
    link = services.do_create_share_link(plan, seller)
    deal = plan.deal
    deal.stage = stage("Won")
    deal.save()
    page = seller_client.get(deal.get_absolute_url()).content.decode()
    assert "The customer can still open this plan" in page
    response = seller_client.post(reverse("closeplans:share_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_step_owner_who_cannot_edit_the_plan_cannot_share_notes(client, plan, finance):
    step = steps(plan)[2]
    step.owner_user = finance
    step.save()
    client.force_login(finance)
    client.post(
        reverse("closeplans:step_comment", args=[step.pk]),
        {f"c{step.pk}-body": "Discount approved internally", f"c{step.pk}-shared": "on"},
        **HTMX,
    )
    assert StepComment.objects.get().shared is False


def test_an_empty_template_is_refused_with_a_message(seller_client, deal):
    from tandem.closeplans.tests.factories import PlanTemplateFactory

    empty = PlanTemplateFactory(name="New and empty")
    response = seller_client.post(
        reverse("closeplans:plan_apply", args=[deal.pk]), {"template": empty.pk}
    )
    assert response.status_code == 400
    assert "has no steps yet" in response.content.decode()


def test_the_deal_page_queries_do_not_grow_with_steps(seller_client, plan, seller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for extra in (0, 10):
        for number in range(extra):
            services.do_add_step(
                plan,
                seller,
                title=f"Extra {number}",
                side="us",
                due_date=plan.deal.target_close_date,
                owner_user=seller,
            )
        with CaptureQueriesContext(connection) as captured:
            assert seller_client.get(plan.deal.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_our_blockers_stay_internal_on_the_customer_page(client, plan, seller):
    ours, theirs = steps(plan)[2], steps(plan)[1]
    services.do_set_step_status(ours, seller, "blocked", blocker="Discount needs CFO sign-off")
    services.do_set_step_status(theirs, seller, "blocked", blocker="Venue floor plans missing")
    link = services.do_create_share_link(plan, seller)
    page = client.get(reverse("shared:plan", args=[services.share_token(link)])).content.decode()
    assert "Discount needs CFO sign-off" not in page
    assert "Venue floor plans missing" in page


def test_the_plan_panel_carries_the_timeline_to_the_close_date(seller_client, plan, seller):
    first = steps(plan)[0]
    services.do_set_step_status(first, seller, "done")
    page = seller_client.get(plan.deal.get_absolute_url())
    timeline = page.context["plan_timeline"]
    assert [task["name"] for task in timeline["tasks"]] == [s.title for s in steps(plan)]
    assert timeline["tasks"][0]["custom_class"] == "tl-done--us"
    assert timeline["tasks"][0]["progress"] == 100
    assert {task["end"] for task in timeline["tasks"]} == {
        s.due_date.isoformat() for s in steps(plan)
    }
    assert timeline["close"] == plan.deal.target_close_date.isoformat()
    assert ("Done", "done", 1) in timeline["counts"]
    html = page.content.decode()
    assert 'id="plan-timeline-data"' in html
    assert "js/plan_timeline.js" in html


def test_a_deal_without_steps_draws_no_timeline(seller_client, deal):
    page = seller_client.get(deal.get_absolute_url())
    assert page.context["plan_timeline"] is None
    assert "plan-timeline-data" not in page.content.decode()
