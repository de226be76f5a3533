"""Close plans in the demo company and in the large data set."""

import datetime as dt
import os
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.urls import resolve
from django.utils import timezone

from tandem.closeplans.models import (
    ClosePlan,
    Health,
    PlanStep,
    PlanTemplate,
    ShareLink,
    Side,
    StepComment,
    StepStatus,
    TemplateStep,
    UpdateVia,
)
from tandem.closeplans.services import (
    do_revoke_share_link,
    open_share_link,
    refresh_all_health,
    share_token,
)
from tandem.core.calendar import company_calendar
from tandem.core.models import CompanyHoliday
from tandem.crm.models import Influence
from tandem.demo.deals import EXHIBIT_BOOTH
from tandem.demo.large import FULL, PLAN_STEPS, delete_sales_data, large_template_steps, seed_large
from tandem.demo.plans import (
    BLOCKERS,
    BOOTH_BLOCKER,
    PLAN_TEMPLATES,
    SHARE_LINK_DAYS,
    YEAR_END_SHUTDOWN,
)
from tandem.people.models import Role
from tandem.pipeline.models import CloseDateChange, Deal

pytestmark = (
    [pytest.mark.xdist_group("seed-plans")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo company, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", "demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


# The demo company ----------------------------------------------------------------------------


def test_demo_ships_the_three_templates_with_owners_durations_and_values(demo, db):
    templates = {t.project_type: t for t in PlanTemplate.objects.prefetch_related("steps")}

    assert {t.name for t in templates.values()} == {
        "AV installation",
        "Event staging",
        "Service contract",
    }
    for project_type, (name, _description, specs) in PLAN_TEMPLATES.items():
        steps = list(templates[project_type].steps.all())
        assert templates[project_type].name == name
        assert 6 <= len(steps) <= 9
        assert [s.position for s in steps] == list(range(1, len(steps) + 1))
        assert [s.title for s in steps] == [spec[0] for spec in specs]
        assert {s.side for s in steps} == {Side.US, Side.CUSTOMER}
        assert all(s.duration_days for s in steps)
        for step in steps:
            roles = Role.values if step.side == Side.US else Influence.values
            assert step.owner_role in roles, step.title
    customer_steps = TemplateStep.objects.filter(side=Side.CUSTOMER)
    assert customer_steps.count() > 6
    assert not customer_steps.filter(value_statement="").exists()
    walkthrough = TemplateStep.objects.get(title="Technical walkthrough")
    assert walkthrough.value_statement == "a fixed scope"


def test_demo_plans_show_every_state_at_once(demo, db):
    states = dict(
        ClosePlan.objects.values_list("health").annotate(n=Count("id")).order_by("health")
    )

    assert set(states) == {Health.ON_TRACK, Health.AT_RISK, Health.SLIPPED}
    assert states[Health.SLIPPED] >= 2
    assert states[Health.AT_RISK] >= 2
    slipped = ClosePlan.objects.filter(health=Health.SLIPPED).select_related("deal")
    for plan in slipped:
        assert plan.proposed_close > plan.deal.target_close_date
        assert plan.slack_days < 0
        assert "earliest close" in plan.health_reasons[0]
    # The board's flags are today's: judging every plan again changes none.
    assert refresh_all_health(timezone.localdate()) == 0
    assert set(ClosePlan.objects.values_list("health_checked_on", flat=True)) == {
        timezone.localdate()
    }


def test_demo_plans_sit_on_most_open_deals_with_their_project_types_template(demo, db):
    open_deals = Deal.objects.open()
    planned = open_deals.filter(close_plan__isnull=False)

    assert planned.count() >= 0.6 * open_deals.count()
    assert not ClosePlan.objects.filter(deal__stage__is_won=True).exists()
    assert not ClosePlan.objects.filter(deal__stage__is_lost=True).exists()
    assert not ClosePlan.objects.filter(deal__nurture=True).exists()
    assert not ClosePlan.objects.exclude(template__project_type=F("deal__project_type")).exists()
    assert not ClosePlan.objects.filter(deal__project_type="rental").exists()


def test_no_demo_step_is_due_after_its_deals_close_or_on_a_day_off(demo, db):
    today = timezone.localdate()
    calendar = company_calendar(today)

    assert PlanStep.objects.count() > 200
    assert not PlanStep.objects.filter(due_date__gt=F("plan__deal__target_close_date")).exists()
    dues = set(PlanStep.objects.values_list("due_date", flat=True))
    assert all(calendar.is_business_day(due) for due in dues)
    shutdown = set(CompanyHoliday.objects.values_list("date", flat=True))
    assert not dues & shutdown


def test_demo_company_takes_its_year_end_shutdown_on_weekdays(demo, db):
    shutdown = list(CompanyHoliday.objects.filter(name=YEAR_END_SHUTDOWN))

    assert len(shutdown) >= 6
    assert all(day.date.weekday() < 5 and day.date.month == 12 for day in shutdown)
    assert not CompanyHoliday.objects.filter(date__month=12, date__day=25).exists()


def test_demo_steps_done_have_dates_and_blocked_ones_say_what_blocks_them(demo, db):
    today = timezone.localdate()
    done = PlanStep.objects.filter(status=StepStatus.DONE)
    blocked = PlanStep.objects.filter(status=StepStatus.BLOCKED)

    assert done.count() > 20
    assert not done.filter(completed_on__isnull=True).exists()
    assert not done.filter(completed_on__gt=today).exists()
    assert not PlanStep.objects.exclude(status=StepStatus.DONE).exclude(completed_on=None).exists()
    assert blocked.count() >= 3
    assert set(blocked.values_list("blocker", flat=True)) <= {*BLOCKERS.values(), BOOTH_BLOCKER}
    assert not PlanStep.objects.filter(last_update_at__gt=timezone.now()).exists()
    # Each blocked step has the seller's note on how they chase it.
    for step in blocked:
        assert step.comments.filter(shared=False, via=UpdateVia.INTERNAL).exists()


def test_demo_customer_steps_carry_their_value_and_the_customers_people(demo, db):
    customer_steps = PlanStep.objects.filter(side=Side.CUSTOMER)

    assert not customer_steps.filter(value_statement="").exists()
    assert not customer_steps.filter(owner_user__isnull=False).exists()
    # Most accounts have someone of the influence a step asks for; the rest wait for a name.
    assert customer_steps.filter(owner_contact__isnull=False).count() > 0.5 * customer_steps.count()
    ours = PlanStep.objects.filter(side=Side.US)
    assert not ours.filter(owner_user__isnull=True).exists()
    assert ours.filter(owner_user__role=Role.PROJECT_MANAGER).exists()


def test_demo_plans_have_notes_and_comments_the_customer_sees(demo, db):
    comments = StepComment.objects.all()

    assert comments.filter(via=UpdateVia.INTERNAL, shared=False).count() > 5
    assert comments.filter(via=UpdateVia.INTERNAL, shared=True).count() >= 2
    assert comments.filter(via=UpdateVia.CUSTOMER_LINK, shared=True, author_user=None).count() >= 2
    assert not comments.filter(created_at__gt=timezone.now()).exists()


def test_exactly_the_exhibit_booth_plan_is_shared_by_a_live_long_link(demo, db):
    now = timezone.now()
    live = list(ShareLink.objects.live(now).select_related("plan__deal"))

    assert len(live) == 1 == ShareLink.objects.count()
    link = live[0]
    assert link.plan.deal.name == EXHIBIT_BOOTH
    assert link.expires_at > now + dt.timedelta(days=SHARE_LINK_DAYS - 30)
    assert open_share_link(share_token(link), now=now) == link
    plan = link.plan
    assert plan.health == Health.AT_RISK
    ticked = plan.steps.get(title="Venue floor plans and rigging specs")
    assert (ticked.status, ticked.last_update_via) == (StepStatus.DONE, UpdateVia.CUSTOMER_LINK)
    review = plan.steps.get(title="Design review with marketing")
    assert review.status == StepStatus.BLOCKED
    assert "half booth" in review.blocker
    from_customer = StepComment.objects.filter(step__plan=plan, via=UpdateVia.CUSTOMER_LINK)
    assert from_customer.count() == 2
    assert all(c.shared and c.author_name for c in from_customer)
    # Amounts stay in our notes, which the customer never sees.
    assert StepComment.objects.filter(step__plan=plan, shared=False, body__contains="$").exists()
    assert not StepComment.objects.filter(step__plan=plan, shared=True, body__contains="$").exists()


def test_demo_plans_too_near_for_their_template_moved_the_close_date_with_a_reason(demo, db):
    moved = CloseDateChange.objects.filter(reason__contains="close plan needs")

    assert moved.exists()
    for change in moved.select_related("deal"):
        assert change.new_date > change.old_date
        assert change.deal.close_plan.health in (Health.ON_TRACK, Health.AT_RISK)


def test_demo_plans_slipped_by_extra_customer_work_propose_a_later_close(demo, db):
    extra = PlanStep.objects.filter(title="Third bid for procurement").select_related("plan__deal")

    assert extra.count() == 2
    for step in extra:
        assert step.plan.health == Health.SLIPPED
        assert step.plan.proposed_close > step.plan.deal.target_close_date
        assert step.value_statement


def test_demo_logins_prints_the_customer_link_that_opens_the_shared_plan(demo, db, client):
    out = StringIO()

    call_command("demo_logins", "--port", "8123", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if "Customer view" in line)
    match = re.fullmatch(
        r"\s*Customer view of (.+): http://127\.0\.0\.1:8123(/shared/[^/]+/)", line
    )
    assert match is not None, line
    assert match[1] == EXHIBIT_BOOTH
    path = match[2]
    assert resolve(path).view_name == "shared:plan"
    token = resolve(path).kwargs["token"]
    assert open_share_link(token).plan.deal.name == EXHIBIT_BOOTH
    response = client.get(path)
    assert response.status_code == 200
    assert "Design review with marketing" in response.content.decode()


def test_demo_logins_prints_no_customer_link_once_it_is_revoked_or_expired(demo, db):
    link = ShareLink.objects.get()
    do_revoke_share_link(link, None)
    out = StringIO()

    call_command("demo_logins", stdout=out)

    assert "Customer view" not in out.getvalue()
    ShareLink.objects.filter(pk=link.pk).update(
        revoked_at=None, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "Customer view" not in out.getvalue()
    assert "Sign in as" in out.getvalue()


# The large data set --------------------------------------------------------------------------


def test_large_templates_grow_the_demo_ones_to_ten_steps_before_the_budget():
    for project_type, (_name, _description, demo_steps) in PLAN_TEMPLATES.items():
        steps = large_template_steps(project_type)
        assert len(steps) == PLAN_STEPS
        assert [s for s in steps if s in demo_steps] == demo_steps
        titles = [s[0] for s in steps]
        added = [i for i, s in enumerate(steps) if s not in demo_steps]
        assert max(added) < titles.index("Budget approval")
        assert all(s[5] for s in steps if s[1] == Side.CUSTOMER)


def test_large_seeder_gives_open_deals_plans_of_ten_steps_worked_up_to_today(db):
    delete_sales_data()  # the demo company may be in the database when this runs
    today = timezone.localdate()

    counts = seed_large(FULL.times(0.001))

    plans = ClosePlan.objects.select_related("deal__stage")
    open_deals = Deal.objects.filter(closed_on__isnull=True).count()
    assert counts["plans"] == plans.count() > 0.9 * open_deals
    assert counts["plan_steps"] == PlanStep.objects.count() == PLAN_STEPS * counts["plans"]
    assert not plans.filter(deal__closed_on__isnull=False).exists()
    per_plan = set(PlanStep.objects.values("plan").annotate(n=Count("id")).values_list("n"))
    assert per_plan == {(PLAN_STEPS,)}
    templates = PlanTemplate.objects.filter(pk__in=ClosePlan.objects.values("template"))
    assert sorted(templates.values_list("name", flat=True)) == [
        "AV installation, enterprise",
        "Event staging, enterprise",
        "Service contract, enterprise",
    ]
    assert set(templates.annotate(n=Count("steps")).values_list("n", flat=True)) == {PLAN_STEPS}
    steps = PlanStep.objects.all()
    assert not steps.filter(due_date__gt=F("plan__deal__target_close_date")).exists()
    assert not steps.filter(side=Side.CUSTOMER, value_statement="").exists()
    assert not steps.filter(status=StepStatus.BLOCKED, blocker="").exists()
    assert not steps.filter(status=StepStatus.DONE, completed_on=None).exists()
    assert not steps.filter(completed_on__gt=today).exists()
    assert not steps.filter(side=Side.US).exclude(owner_user=F("plan__deal__owner")).exists()
    assert not steps.filter(side=Side.CUSTOMER, owner_user__isnull=False).exists()
    assert not steps.filter(last_update_at__gt=timezone.now()).exists()
    statuses = dict(steps.values_list("status").annotate(n=Count("id")).order_by("status"))
    assert statuses[StepStatus.OPEN] > statuses[StepStatus.DONE] > statuses[StepStatus.BLOCKED] > 0
    assert statuses[StepStatus.BLOCKED] < 0.1 * counts["plan_steps"]
    # Health was judged for today by the same service as every morning.
    assert set(plans.values_list("health_checked_on", flat=True)) == {today}
    assert {Health.ON_TRACK, Health.AT_RISK, Health.SLIPPED} <= set(
        plans.values_list("health", flat=True)
    )
    assert refresh_all_health(today) == 0


def test_seed_large_command_reports_the_plans_and_refuses_a_bad_scale(db):
    delete_sales_data()

    for scale in ("0", "-0.5", "1.5"):
        with pytest.raises(CommandError, match="--scale"):
            call_command("seed", "large", "--scale", scale, stdout=StringIO())
    assert not ClosePlan.objects.exists()
    out = StringIO()
    call_command("seed", "large", "--scale", "0.001", stdout=out)

    plans = ClosePlan.objects.count()
    assert plans > 0
    assert f"{plans:,} close plans with {plans * PLAN_STEPS:,} steps" in out.getvalue()


def test_demo_board_and_shared_deal_page_render_with_their_plans(demo, db, client):
    booth = Deal.objects.get(name=EXHIBIT_BOOTH)
    client.force_login(booth.owner)

    board = client.get("/pipeline/")
    deal_page = client.get(f"/deals/{booth.pk}/")

    assert board.status_code == 200
    assert deal_page.status_code == 200
    page = deal_page.content.decode()
    assert "Design review with marketing" in page
    assert "Marketing picks the full wrap or the half booth" in page


def test_demo_inbox_holds_the_first_mornings_checkups_without_emailing(demo, db):
    from django.core import mail

    from tandem.core.models import PeriodicRun
    from tandem.notifications.models import Notification

    sam_notices = Notification.objects.filter(recipient__username="sam", kind="checkups")
    assert sam_notices.count() == 1
    assert "checkup" in sam_notices.get().title
    assert PeriodicRun.objects.filter(job="checkups", finished_at__isnull=False).exists()
    assert mail.outbox == []


def test_demo_sam_finds_whats_new_from_kestrel_on_today_and_in_his_bell(demo, db):
    from django.core import mail
    from django.test import RequestFactory

    from tandem.closeplans.panels import customer_news_card
    from tandem.notifications.models import Notification
    from tandem.people.models import User

    sam = User.objects.get(username="sam")
    request = RequestFactory().get("/")
    request.user = sam

    card = customer_news_card(request, sam)["today"]

    assert card.count == 1
    assert card.items[0].label.startswith(EXHIBIT_BOOTH)
    assert card.items[0].note.startswith("3 updates · latest: ")
    assert "commented on “Design review with marketing”" in card.items[0].note
    news = Notification.objects.filter(recipient=sam, kind="customer_activity")
    assert news.count() == 2
    assert not news.filter(emailed_at=None).exists()
    assert mail.outbox == []
