"""Checkups: which steps are found (SQL and logic agree), who is asked, and the morning job."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from tandem.closeplans import services
from tandem.closeplans.checkups import (
    CheckupRow,
    checkup_steps,
    find_checkup_rows,
    run_checkups,
)
from tandem.closeplans.models import ClosePlan, StepStatus
from tandem.closeplans.tasks import send_checkups
from tandem.closeplans.tests.factories import av_template
from tandem.core.calendar import do_add_company_holiday
from tandem.core.models import PeriodicRun
from tandem.crm.tests.factories import StakeholderFactory
from tandem.notifications.models import Notification
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.services import do_mark_lost, do_move_deal, do_nurture
from tandem.pipeline.tests.factories import DealFactory, stage

# The plan is laid out on Monday 1 March 2027 and nobody touches it afterwards. The AV steps
# fall due on Wed 14 Apr (Discovery call, the seller), Fri 16 Apr (Technical walkthrough,
# customer), Wed 21 Apr (Proposal review, the PM), Wed 28 Apr and Fri 30 Apr (customer).
LAID_OUT = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
MON_12_APR = dt.date(2027, 4, 12)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def rules(settings):
    settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS = 3
    settings.TANDEM_CHECKUP_QUIET_DAYS = 3
    settings.TANDEM_HOLIDAY_COUNTRY = "US"
    settings.TANDEM_HOLIDAY_SUBDIVISION = ""
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def template(db):
    return av_template()


@pytest.fixture
def deal(seller, project_manager):
    return DealFactory(owner=seller, name="Harbour hall AV", target_close_date=dt.date(2027, 4, 30))


@pytest.fixture
def plan(deal, template, seller):
    return services.do_apply_template(deal, template, seller, now=LAID_OUT)


def step(plan: ClosePlan, title: str):
    return plan.steps.get(title=title)


def found(today: dt.date, owner=None) -> list[tuple[str, str, int, int]]:
    """(title, kind, days, recipient id) of the checkups today, through SQL and logic."""
    rows = find_checkup_rows(checkup_steps(today, owner=owner), today)
    return [(row.step.title, row.kind, row.days, row.recipient_id) for row in rows]


# Which steps get a checkup -----------------------------------------------------------------


def test_a_quiet_step_due_within_three_business_days_gets_a_checkup(plan, seller):
    assert found(MON_12_APR) == [("Discovery call", "due_soon", 2, seller.pk)]


def test_a_step_updated_two_days_ago_is_left_alone(plan, seller):
    services.do_comment(
        step(plan, "Discovery call"), seller, "Agenda sent", now=at(dt.date(2027, 4, 10))
    )

    assert found(MON_12_APR) == []
    assert not checkup_steps(MON_12_APR).exists()


def test_a_step_quiet_for_exactly_three_days_gets_its_checkup_again(plan, seller):
    # Updated late on Friday 9 April: three days before Monday 12 April.
    services.do_comment(
        step(plan, "Discovery call"), seller, "Agenda sent", now=at(dt.date(2027, 4, 9), 23)
    )

    assert found(MON_12_APR) == [("Discovery call", "due_soon", 2, seller.pk)]


def test_an_overdue_step_gets_a_checkup_even_just_after_an_update(plan, seller):
    thu_15_apr = dt.date(2027, 4, 15)
    services.do_comment(step(plan, "Discovery call"), seller, "Chasing", now=at(thu_15_apr, 8))

    # The walkthrough (customer side, no owner yet) is due tomorrow: its deal's owner is asked.
    assert found(thu_15_apr) == [
        ("Discovery call", "overdue", 1, seller.pk),
        ("Technical walkthrough", "due_soon", 1, seller.pk),
    ]


def test_a_blocked_step_gets_a_checkup_whatever_its_due_date(plan, project_manager):
    services.do_set_step_status(
        step(plan, "Proposal review"),
        project_manager,
        StepStatus.BLOCKED,
        blocker="Waiting for the floor plans",
        now=at(dt.date(2027, 3, 26)),
    )

    rows = find_checkup_rows(checkup_steps(dt.date(2027, 3, 29)), dt.date(2027, 3, 29))

    assert rows == [CheckupRow(step(plan, "Proposal review"), "blocked", 1, project_manager.pk)]


def test_a_done_step_never_gets_one(plan, seller):
    services.do_set_step_status(step(plan, "Discovery call"), seller, StepStatus.DONE, now=LAID_OUT)

    assert found(MON_12_APR) == []
    assert found(dt.date(2027, 4, 20)) == [
        ("Technical walkthrough", "overdue", 2, seller.pk),
        ("Proposal review", "due_soon", 1, plan.steps.get(position=3).owner_user_id),
    ]


@pytest.mark.parametrize("close", ["lost", "won", "nurture"])
def test_closed_and_nurtured_deals_have_no_checkups(plan, deal, seller, close):
    services.do_set_step_status(
        step(plan, "Proposal review"), seller, StepStatus.BLOCKED, blocker="Budget", now=LAID_OUT
    )
    if close == "lost":
        do_mark_lost(deal, seller, reason="price", now=LAID_OUT)
    elif close == "won":
        do_move_deal(deal, seller, stage("Won"), now=LAID_OUT)
    else:
        do_nurture(deal, seller, "Next year", now=LAID_OUT)

    assert found(MON_12_APR) == []
    assert found(dt.date(2027, 5, 10)) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Friday 9 April: three business days ahead is Wednesday 14 April, over the weekend.
        (dt.date(2027, 4, 9), [("Discovery call", "due_soon", 3)]),
        # On the Saturday and Sunday the window still reaches the Wednesday.
        (dt.date(2027, 4, 10), [("Discovery call", "due_soon", 3)]),
        (dt.date(2027, 4, 11), [("Discovery call", "due_soon", 3)]),
        # Thursday 8 April: the window ends on Tuesday 13 April.
        (dt.date(2027, 4, 8), []),
    ],
)
def test_the_window_counts_business_days_across_the_weekend(plan, today, expected):
    assert [row[:3] for row in found(today)] == expected


def test_a_company_day_off_stretches_the_window(plan, seller):
    do_add_company_holiday(seller, date=dt.date(2027, 4, 9), name="Company day")

    assert found(dt.date(2027, 4, 8)) == [("Discovery call", "due_soon", 3, seller.pk)]


def test_the_window_and_quiet_period_follow_the_settings(plan, seller, settings):
    settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS = 1
    assert found(MON_12_APR) == []

    settings.TANDEM_CHECKUP_DUE_WITHIN_DAYS = 2
    settings.TANDEM_CHECKUP_QUIET_DAYS = 60
    assert found(MON_12_APR) == []

    settings.TANDEM_CHECKUP_QUIET_DAYS = 3
    assert found(MON_12_APR) == [("Discovery call", "due_soon", 2, seller.pk)]


def test_quiet_days_are_counted_in_company_time(plan, seller, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 02:00 UTC on Saturday 10 April is still Friday 9 April in Los Angeles: three days ago.
    services.do_comment(
        step(plan, "Discovery call"),
        seller,
        "Agenda sent",
        now=dt.datetime(2027, 4, 10, 2, 0, tzinfo=dt.UTC),
    )

    assert found(MON_12_APR) == [("Discovery call", "due_soon", 2, seller.pk)]


# Who is asked ------------------------------------------------------------------------------


def test_customer_steps_go_to_the_deal_owner_and_ours_to_their_owner(
    deal, template, seller, other_seller, project_manager
):
    StakeholderFactory(account=deal.account, influence="user")
    plan = services.do_apply_template(deal, template, seller, now=LAID_OUT)
    walkthrough = step(plan, "Technical walkthrough")
    assert walkthrough.owner_contact_id is not None
    services.do_update_step(
        step(plan, "Discovery call"), seller, {"owner_user": other_seller}, now=LAID_OUT
    )
    for title in ("Discovery call", "Technical walkthrough", "Proposal review"):
        services.do_set_step_status(
            step(plan, title), seller, StepStatus.BLOCKED, blocker="Waiting", now=LAID_OUT
        )
    today = dt.date(2027, 3, 3)

    recipients = {title: recipient for title, _, _, recipient in found(today)}

    assert recipients == {
        "Discovery call": other_seller.pk,
        "Technical walkthrough": seller.pk,
        "Proposal review": project_manager.pk,
    }
    assert {row[0] for row in found(today, owner=seller)} == {"Technical walkthrough"}
    assert {row[0] for row in found(today, owner=other_seller)} == {"Discovery call"}
    assert {row[0] for row in found(today, owner=project_manager)} == {"Proposal review"}


def test_a_step_without_an_owner_goes_to_the_deal_owner(plan, seller):
    services.do_update_step(
        step(plan, "Discovery call"), seller, {"owner_user": None}, now=LAID_OUT
    )

    assert found(MON_12_APR, owner=seller) == [("Discovery call", "due_soon", 2, seller.pk)]


def test_finding_checkups_of_no_steps_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert find_checkup_rows([], MON_12_APR) == []


# The morning job ---------------------------------------------------------------------------


@pytest.fixture
def busy_plan(plan, seller, project_manager):
    """On Monday 12 April: the discovery call is due soon (seller) and the proposal review
    is blocked (PM)."""
    services.do_set_step_status(
        step(plan, "Proposal review"),
        project_manager,
        StepStatus.BLOCKED,
        blocker="Waiting for the floor plans",
        now=LAID_OUT,
    )
    return plan


def test_the_job_sends_each_person_one_notice_and_one_email(busy_plan, seller, project_manager):
    result = run_checkups(MON_12_APR, now=at(MON_12_APR, 7))

    assert result == {
        "period": "2027-04-12",
        "skipped": False,
        "plans_refreshed": 1,
        "checkups": 2,
        "recipients": 2,
        "notified": 2,
        "emailed": 2,
    }
    notice = Notification.objects.get(recipient=seller)
    assert notice.key == "checkups:2027-04-12"
    assert notice.kind == "checkups"
    assert notice.title == "1 checkup today: 1 due soon"
    assert notice.body == "- Due 14 Apr 2027: Discovery call (Harbour hall AV)"
    assert notice.url == reverse("closeplans:checkups")
    assert notice.emailed_at == at(MON_12_APR, 7)
    assert notice.read_at is None
    theirs = Notification.objects.get(recipient=project_manager)
    assert theirs.title == "1 checkup today: 1 blocked"
    assert theirs.body == (
        "- Blocked (Waiting for the floor plans): Proposal review (Harbour hall AV)"
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [seller.email, project_manager.email]
    )
    seller_mail = next(m for m in mail.outbox if m.to == [seller.email])
    assert seller_mail.subject == "1 checkup today: 1 due soon"
    assert "Discovery call (Harbour hall AV)" in seller_mail.body
    assert "/checkups/" in seller_mail.body


def test_running_twice_the_same_day_sends_each_notice_and_email_once(busy_plan):
    first = run_checkups(MON_12_APR, now=at(MON_12_APR, 7))
    second = run_checkups(
        MON_12_APR,
        now=at(
            MON_12_APR,
            7,
        )
        + dt.timedelta(minutes=5),
    )

    assert first["notified"] == 2
    assert second == {"period": "2027-04-12", "skipped": True}
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    run = PeriodicRun.objects.get(job="checkups", period="2027-04-12")
    assert run.finished_at is not None
    assert run.result["notified"] == 2


def test_the_next_day_brings_new_notices(busy_plan, seller):
    run_checkups(MON_12_APR, now=at(MON_12_APR, 7))
    tuesday = dt.date(2027, 4, 13)

    result = run_checkups(tuesday, now=at(tuesday, 7))

    assert result["notified"] == 2
    assert list(
        Notification.objects.filter(recipient=seller)
        .order_by("created_at")
        .values_list("key", flat=True)
    ) == ["checkups:2027-04-12", "checkups:2027-04-13"]
    assert len(mail.outbox) == 4


def test_a_run_going_on_elsewhere_makes_this_one_send_nothing(busy_plan):
    # Another worker claimed the day a minute ago and is still at it.
    PeriodicRun.objects.create(job="checkups", period="2027-04-12", started_at=at(MON_12_APR, 7))

    result = run_checkups(MON_12_APR, now=at(MON_12_APR, 7) + dt.timedelta(minutes=1))

    assert result == {"period": "2027-04-12", "skipped": True}
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_run_that_died_is_taken_over_without_doubling_what_it_did(busy_plan, seller):
    # The dead run wrote the seller's notice but crashed before emailing it.
    PeriodicRun.objects.create(job="checkups", period="2027-04-12", started_at=at(MON_12_APR, 7))
    Notification.objects.create(
        recipient=seller,
        key="checkups:2027-04-12",
        kind="checkups",
        title="1 checkup today: 1 due soon",
        created_at=at(MON_12_APR, 7),
    )

    result = run_checkups(MON_12_APR, now=at(MON_12_APR, 9))

    assert result["notified"] == 1  # only the PM's notice was missing
    assert Notification.objects.count() == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2
    assert PeriodicRun.objects.get(job="checkups").started_at == at(MON_12_APR, 9)


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_failure_leaves_the_emails_for_the_next_run(busy_plan, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with pytest.raises(ConnectionRefusedError):
        run_checkups(MON_12_APR, now=at(MON_12_APR, 7))

    assert Notification.objects.count() == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    assert PeriodicRun.objects.get(job="checkups").finished_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = run_checkups(MON_12_APR, now=at(MON_12_APR, 9))

    assert result["emailed"] == 2
    assert result["notified"] == 0
    assert len(mail.outbox) == 2


def test_a_gone_owners_steps_go_to_the_deal_owner_and_no_address_means_no_email(
    busy_plan, seller, project_manager
):
    seller.email = ""
    seller.save()
    project_manager.is_active = False
    project_manager.save()

    result = run_checkups(MON_12_APR, now=at(MON_12_APR, 7))

    assert result["notified"] == 1
    assert result["emailed"] == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=project_manager).exists()
    assert Notification.objects.filter(recipient=seller).count() == 1


def test_a_notice_lists_ten_steps_and_counts_the_rest(template, seller):
    for number in range(6):
        deal = DealFactory(
            owner=seller, name=f"Deal {number}", target_close_date=dt.date(2027, 4, 30)
        )
        services.do_apply_template(deal, template, seller, now=LAID_OUT)
    # 3 May: the five steps of each of the six plans are overdue, all the seller's (no PM).
    today = dt.date(2027, 5, 3)

    run_checkups(today, now=at(today, 7))

    notice = Notification.objects.get(recipient=seller)
    assert notice.title == "30 checkups today: 30 overdue"
    lines = notice.body.splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("- Overdue since 14 Apr 2027: Discovery call (Deal ")
    assert lines[-1] == "…and 20 more on the Checkups page."


def test_the_job_refreshes_plan_health_for_the_day(busy_plan):
    ClosePlan.objects.update(health="on_track", health_reasons=[], health_checked_on=None)

    run_checkups(MON_12_APR, now=at(MON_12_APR, 7))

    busy_plan.refresh_from_db()
    assert busy_plan.health_checked_on == MON_12_APR
    assert busy_plan.health != "on_track"
    assert "blocked" in " ".join(busy_plan.health_reasons)


def test_nothing_due_sends_nothing_but_the_day_is_recorded(plan):
    result = run_checkups(dt.date(2027, 3, 2), now=at(dt.date(2027, 3, 2), 7))

    assert result["checkups"] == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert PeriodicRun.objects.get(job="checkups").result["checkups"] == 0


def test_the_task_runs_the_job_for_the_day_it_was_given(busy_plan):
    result = send_checkups.enqueue("2027-04-12")

    assert result.return_value["period"] == "2027-04-12"
    assert result.return_value["notified"] == 2
    assert Notification.objects.filter(key="checkups:2027-04-12").count() == 2


def test_the_job_reaches_people_who_own_no_deal(template, seller):
    helper = UserFactory(username="helper", email="helper@example.com")
    deal = DealFactory(owner=seller, target_close_date=dt.date(2027, 4, 30))
    plan = services.do_apply_template(deal, template, seller, now=LAID_OUT)
    services.do_update_step(
        step(plan, "Discovery call"), seller, {"owner_user": helper}, now=LAID_OUT
    )

    run_checkups(MON_12_APR, now=at(MON_12_APR, 7))

    assert Notification.objects.get().recipient == helper
    assert mail.outbox[0].to == ["helper@example.com"]


def test_the_deals_with_checkups_are_those_a_person_answers_for(
    busy_plan, seller, project_manager, other_seller
):
    from tandem.closeplans.checkups import checkup_deal_ids
    from tandem.pipeline.models import Deal

    def deals_of(owner):
        return set(Deal.objects.filter(pk__in=checkup_deal_ids(MON_12_APR, owner=owner)))

    deal = busy_plan.deal
    assert deals_of(seller) == {deal}  # the discovery call is theirs
    assert deals_of(project_manager) == {deal}  # the blocked proposal review is the PM's
    assert deals_of(other_seller) == set()
    assert deals_of(None) == {deal}

    project_manager.is_active = False
    project_manager.save()
    step(busy_plan, "Discovery call").delete()
    # The PM has left: their blocked step falls to the deal's owner.
    assert deals_of(seller) == {deal}
    assert deals_of(project_manager) == set()
