import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, PlanStep, Side, StepStatus
from tandem.closeplans.tests.factories import av_template
from tandem.core.models import CompanyHoliday
from tandem.crm.tests.factories import StakeholderFactory
from tandem.pipeline.services import do_change_close_date
from tandem.pipeline.tests.factories import DealFactory

# A Monday with no US holiday near it.
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, target_close_date=dt.date(2027, 4, 30))


def steps_of(plan):
    return list(plan.steps.order_by("position"))


def test_apply_template_lays_steps_backwards_on_business_days(deal, seller, project_manager):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    steps = steps_of(plan)
    assert [s.title for s in steps][:2] == ["Discovery call", "Technical walkthrough"]
    assert steps[-1].due_date == dt.date(2027, 4, 30)  # a Friday
    assert all(s.due_date.weekday() < 5 for s in steps)
    assert [s.due_date for s in steps] == sorted(s.due_date for s in steps)
    assert steps[2].owner_user == project_manager
    assert steps[0].owner_user == seller
    assert plan.health == "on_track"
    assert plan.steps.first().history.count() == 1


def test_a_deal_with_a_close_plan_cannot_be_deleted(deal, seller):
    services.do_apply_template(deal, av_template(), seller, now=NOW)

    with pytest.raises(ProtectedError):
        deal.delete()

    assert ClosePlan.objects.filter(deal=deal).exists()


def test_company_holiday_is_skipped(deal, seller):
    CompanyHoliday.objects.create(date=dt.date(2027, 4, 29), name="Company day")
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    # Contract signature takes 2 business days: 30 Apr back over the 29th lands on 27 Apr.
    budget = steps_of(plan)[3]
    assert budget.due_date == dt.date(2027, 4, 27)


def test_too_near_close_refused_with_earliest_date_and_nothing_written(seller):
    deal = DealFactory(owner=seller, target_close_date=dt.date(2027, 3, 5))
    template = av_template()
    with pytest.raises(ValidationError) as error:
        services.do_apply_template(deal, template, seller, now=NOW)
    assert "too near" in str(error.value)
    assert not ClosePlan.objects.exists()
    plan = services.do_apply_template(deal, template, seller, move_close=True, now=NOW)
    deal.refresh_from_db()
    assert deal.target_close_date > dt.date(2027, 3, 5)
    assert deal.close_date_changes.get().reason.startswith("The AV installation close plan")
    assert steps_of(plan)[0].due_date >= TODAY


def test_customer_step_needs_value_and_no_step_after_close(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    with pytest.raises(ValidationError) as error:
        services.do_add_step(
            plan, seller, title="Sign NDA", side=Side.CUSTOMER, due_date=dt.date(2027, 4, 1)
        )
    assert "value_statement" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.do_add_step(plan, seller, title="Late", side=Side.US, due_date=dt.date(2027, 5, 3))
    assert "due_date" in error.value.message_dict
    assert plan.steps.count() == 5


def test_reorder_and_remove_keep_positions_dense(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    last = steps_of(plan)[-1]
    services.do_update_step(last, seller, {"position": 1}, now=NOW)
    assert steps_of(plan)[0].pk == last.pk
    assert [s.position for s in steps_of(plan)] == [1, 2, 3, 4, 5]
    services.do_remove_step(steps_of(plan)[2], seller, now=NOW)
    assert [s.position for s in steps_of(plan)] == [1, 2, 3, 4]


def test_blocked_needs_a_blocker(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    step = steps_of(plan)[1]
    with pytest.raises(ValidationError):
        services.do_set_step_status(step, seller, StepStatus.BLOCKED, blocker="  ", now=NOW)
    step = services.do_set_step_status(
        step, seller, StepStatus.BLOCKED, blocker="Venue plans missing", now=NOW
    )
    plan.refresh_from_db()
    assert plan.health in ("at_risk", "slipped")
    assert any("blocked" in reason for reason in plan.health_reasons)


def test_close_date_change_shifts_open_steps(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    done = steps_of(plan)[0]
    services.do_set_step_status(done, seller, StepStatus.DONE, now=NOW)
    before = {s.pk: s.due_date for s in steps_of(plan)}
    do_change_close_date(deal, seller, dt.date(2027, 5, 7), "Board meets later", now=NOW)
    after = {s.pk: s.due_date for s in steps_of(plan)}
    assert after[done.pk] == before[done.pk]
    moved = [pk for pk in before if pk != done.pk]
    assert all((after[pk] - before[pk]).days == 7 for pk in moved)


def test_close_date_earlier_without_shift_pulls_in_late_steps(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    do_change_close_date(deal, seller, dt.date(2027, 4, 23), "", shift_plan=False, now=NOW)
    assert max(s.due_date for s in steps_of(plan)) <= dt.date(2027, 4, 23)


def test_slip_then_accept_proposed_close(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    later = NOW + dt.timedelta(days=50)  # 20 Apr: nothing done yet, 13 days of work left
    services.refresh_health(plan, today=later.date())
    plan.refresh_from_db()
    assert plan.health == "slipped"
    proposed = plan.proposed_close
    assert proposed > deal.target_close_date
    deal = services.do_accept_proposed_close(deal, seller, "Customer agreed", now=later)
    assert deal.target_close_date == proposed
    change = deal.close_date_changes.get()
    assert "slipped" in change.reason
    assert "Customer agreed" in change.reason
    plan.refresh_from_db()
    assert plan.health != "slipped"
    assert all(later.date() <= s.due_date <= proposed for s in steps_of(plan))


def test_customer_owner_defaults_to_matching_stakeholder(deal, seller):
    finance_person = StakeholderFactory(account=deal.account, influence="finance")
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    budget = steps_of(plan)[3]
    assert budget.owner_contact == finance_person.contact
    assert budget.owner_user is None


def test_refresh_all_health_matches_single_refresh(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    later = (NOW + dt.timedelta(days=50)).date()
    assert services.refresh_all_health(later) == 1
    plan.refresh_from_db()
    assert plan.health == "slipped"
    assert services.refresh_all_health(later) == 0
    assert PlanStep.objects.count() == 5


def test_a_customer_comment_on_our_step_leaves_its_checkup_waiting(deal, seller):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    link = services.do_create_share_link(plan, seller, now=NOW)
    ours, theirs = steps_of(plan)[0], steps_of(plan)[1]
    later = NOW + dt.timedelta(days=5)
    services.do_customer_comment(link, ours.pk, "When is the call?", "Dana", now=later)
    services.do_customer_comment(link, theirs.pk, "Walkthrough booked", "Dana", now=later)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.last_update_at == NOW
    assert theirs.last_update_at == later
    assert theirs.last_update_via == "customer_link"


def test_notes_and_close_date_moves_leave_a_closed_deals_plan_alone(deal, seller):
    from tandem.pipeline.tests.factories import stage

    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    before = [s.due_date for s in steps_of(plan)]
    deal.stage = stage("Won")
    deal.save()
    with pytest.raises(ValidationError):
        services.do_comment(steps_of(plan)[0], seller, "Late note", now=NOW)
    do_change_close_date(deal, seller, dt.date(2027, 6, 30), "Signed later", now=NOW)
    assert [s.due_date for s in steps_of(plan)] == before


def test_a_close_date_change_moves_the_plan_through_its_event(deal, seller, monkeypatch):
    services.do_apply_template(deal, av_template(), seller, now=NOW)
    followed = []
    monkeypatch.setattr(
        "tandem.closeplans.events.follow_close_date",
        lambda *args, **kwargs: followed.append(args[2]),
    )
    do_change_close_date(deal, seller, dt.date(2027, 5, 7), "Later board", now=NOW)
    assert followed == [dt.date(2027, 5, 7)]


def test_accepting_the_proposed_close_re_plans_the_steps_once(deal, seller, monkeypatch):
    plan = services.do_apply_template(deal, av_template(), seller, now=NOW)
    later = NOW + dt.timedelta(days=50)
    services.refresh_health(plan, today=later.date())
    followed = []
    monkeypatch.setattr(
        "tandem.closeplans.events.follow_close_date",
        lambda *args, **kwargs: followed.append(args),
    )
    services.do_accept_proposed_close(deal, seller, now=later)
    # The plan laid its steps out itself; the close-date event does not move them again.
    assert followed == []
    for step in steps_of(plan):
        reasons = [h.history_change_reason for h in step.history.all()]
        assert not any(r and r.startswith("The close date moved") for r in reasons)
