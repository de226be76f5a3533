"""`tandem seed demo` and `tandem seed large`: what they build and when they refuse."""

import importlib.util
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from tandem.closeplans.models import ClosePlan, PlanStep
from tandem.crm.models import Account, Contact, ContactEmail, Stakeholder
from tandem.crm.tests.factories import AccountFactory
from tandem.demo.company import DEMO_CREW, DEMO_LOGINS, DEMO_PASSWORD
from tandem.demo.deals import (
    DEAL_COUNT,
    EXHIBIT_BOOTH,
    LOST_COUNT,
    NURTURE_COUNTS,
    OPEN_COUNTS,
    WON_COUNT,
)
from tandem.demo.large import FULL, delete_sales_data, seed_large
from tandem.demo.management.commands.seed import (
    BENCH_POSTGRES,
    BENCH_SQLITE,
    check_may_wipe,
    database_name,
)
from tandem.estimates.models import Estimate
from tandem.people.models import Role, User
from tandem.people.roles import group_name
from tandem.pipeline.models import Activity, CloseDateChange, Deal, Stage

BASE_DIR = Path(__file__).resolve().parents[3]
# Seeding the demo takes a few seconds, so the module shares one copy: under xdist the whole
# module runs on one worker (the marker only exists when xdist is loaded).
pytestmark = [pytest.mark.xdist_group("seed")] if os.environ.get("PYTEST_XDIST_WORKER") else []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo company, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", "demo", "--if-empty", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    models = [User, Account, Contact, Stakeholder, Deal, CloseDateChange, Activity]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_creates_the_logins_with_their_roles_and_groups(demo, db):
    for username, role, display_name, _title in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert (user.role, user.display_name) == (role, display_name)
        assert [g.name for g in user.groups.all()] == [group_name(role)]
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_superuser == (username == "admin")
    assert User.objects.get(username="sam").display_name == "Sam Rivera"
    assert User.objects.get(username="sofia").display_name == "Sofia Chen"


def test_demo_crew_cannot_sign_in(demo, db):
    crew = User.objects.filter(role=Role.CREW)
    assert crew.count() == len(DEMO_CREW)
    assert not any(user.has_usable_password() for user in crew)


def test_demo_has_every_deal_in_the_stage_it_was_planned_for(demo, db):
    stages = list(Stage.objects.order_by("order"))
    counts = {stage.name: stage.deals.count() for stage in stages}
    open_counts = list(OPEN_COUNTS.values())
    open_counts[2] += 1  # the exhibit booth deal is in Proposal
    assert Deal.objects.count() == DEAL_COUNT == 120
    assert list(counts.values()) == [*open_counts, WON_COUNT, LOST_COUNT]
    assert Deal.objects.filter(nurture=True).count() == sum(NURTURE_COUNTS.values())
    assert not Deal.objects.filter(stage__is_lost=True, lost_reason="").exists()
    assert not Deal.objects.filter(stage__is_won=True, closed_on__isnull=True).exists()


def test_demo_sellers_each_own_a_good_share_of_the_deals(demo, db):
    assert Deal.objects.filter(owner__username="sam").count() > 30
    assert Deal.objects.filter(owner__username="sofia").count() > 30


def test_demo_follows_stakeholders_who_moved_to_another_account(demo, db):
    moved = [
        contact
        for contact in Contact.objects.prefetch_related("stakeholders__account__owner")
        if len({s.account_id for s in contact.stakeholders.all()}) > 1
    ]
    assert len(moved) == 5
    sams = []
    for contact in moved:
        ended = [s for s in contact.stakeholders.all() if s.end_date is not None]
        current = [s for s in contact.stakeholders.all() if s.end_date is None]
        assert len(ended) == len(current) == 1
        assert ended[0].account_id != current[0].account_id
        assert current[0].start_date > ended[0].end_date
        if current[0].account.owner.username == "sam":
            sams.append(contact)
    assert sams


def test_demo_keeps_the_close_date_history_with_reasons(demo, db):
    changes = CloseDateChange.objects.select_related("deal")
    pushed = [c for c in changes if c.new_date > c.old_date]
    assert pushed
    assert all(c.reason for c in changes)
    assert all(c.changed_at >= c.deal.created_at for c in changes)
    with_history = Deal.objects.filter(close_date_changes__isnull=False).distinct().count()
    # About half the deals moved; the exact share depends on the random seed.
    assert DEAL_COUNT * 0.35 < with_history < DEAL_COUNT * 0.65
    for deal in Deal.objects.filter(close_date_changes__isnull=False).distinct()[:20]:
        latest = deal.close_date_changes.order_by("-changed_at", "-id").first()
        assert latest.new_date == deal.target_close_date


def test_demo_never_sets_a_close_date_already_gone(demo, db):
    # Sellers move a close date before it passes; the app refuses a past one unconfirmed.
    changes = list(CloseDateChange.objects.all())
    gone = [c for c in changes if c.new_date < timezone.localdate(c.changed_at)]
    assert changes
    assert gone == []
    assert not any(c.set_in_past for c in changes)


def test_demo_plans_have_no_step_moved_into_the_past_by_a_close_date(demo, db):
    moved = PlanStep.history.filter(history_change_reason__startswith="The close date moved")
    assert [h for h in moved if h.due_date < timezone.localdate(h.history_date)] == []


def test_demo_has_an_accepted_scenario_whose_deal_asks_for_a_new_next_step(demo, db):
    accepted = Estimate.objects.filter(accepted_at__isnull=False).select_related("deal")
    assert [e.name for e in accepted] == ["Phase one: lobby video wall"]
    deal = accepted[0].deal
    assert deal.next_step_updated_at < accepted[0].accepted_at
    assert deal.amount == accepted[0].accepted_version.price


def test_demo_includes_the_articles_exhibit_booth_deal(demo, db):
    deal = Deal.objects.get(name=EXHIBIT_BOOTH)
    assert (deal.account.name, deal.owner.username, deal.stage.name) == (
        "Kestrel Robotics",
        "sam",
        "Proposal",
    )
    assert deal.close_date_changes.count() == 1
    assert deal.activities.filter(body__contains="half the booth").exists()


def test_demo_activities_have_participants(demo, db):
    assert Activity.objects.count() > 250
    assert Activity.objects.filter(contacts__isnull=False).distinct().count() > 200
    assert Activity.objects.filter(kind="meeting", attendees__username="pat").exists()


def test_seed_demo_if_empty_leaves_an_existing_company_alone(demo, db):
    before = _counts()
    out = StringIO()

    call_command("seed", "demo", "--if-empty", stdout=out)

    assert _counts() == before
    assert "not seeded again" in out.getvalue()


def test_seed_demo_refuses_when_deals_exist_without_if_empty(demo, db):
    with pytest.raises(CommandError, match="Deals exist already"):
        call_command("seed", "demo", stdout=StringIO())


def test_large_seeder_builds_its_shape_at_a_thousandth_of_the_size(db):
    delete_sales_data()  # the demo company may be in the database when this runs

    counts = seed_large(FULL.times(0.001))

    assert counts == {
        "accounts": 50,
        "contacts": 200,
        "emails": 200,
        "stakeholders": 200,
        "deals": 170,
        "close_date_changes": CloseDateChange.objects.count(),
        "plans": ClosePlan.objects.count(),
        "plan_steps": PlanStep.objects.count(),
    }
    assert (Account.objects.count(), Contact.objects.count(), Deal.objects.count()) == (
        50,
        200,
        170,
    )
    assert ContactEmail.objects.filter(is_primary=True).count() == 200
    assert Stakeholder.objects.filter(end_date__isnull=False).exists()
    assert User.objects.filter(username__startswith="seller", role=Role.SELLER).count() == 3
    assert 170 < counts["close_date_changes"] < 340
    assert not Deal.objects.filter(stage__is_won=True, closed_on__isnull=True).exists()


def _this_database() -> str:
    """The name --yes-wipe takes for the test database (for SQLite, its file name)."""
    return database_name(connection.vendor, str(connection.settings_dict["NAME"]))


def test_seed_large_refuses_existing_data_unless_forced(db, settings):
    settings.DEBUG = True
    delete_sales_data()
    AccountFactory(name="Keep me?")

    with pytest.raises(CommandError, match="--force"):
        call_command("seed", "large", "--scale", "0.001", stdout=StringIO())
    call_command(
        "seed",
        "large",
        "--scale",
        "0.001",
        "--force",
        "--yes-wipe",
        _this_database(),
        stdout=StringIO(),
    )

    assert not Account.objects.filter(name="Keep me?").exists()
    assert Account.objects.count() == 50


def test_seed_large_force_is_refused_without_debug_even_when_the_database_is_named(db, settings):
    settings.DEBUG = False
    AccountFactory(name="Keep me")

    with pytest.raises(CommandError, match="only with DEBUG=true"):
        call_command("seed", "large", "--force", "--yes-wipe", _this_database(), stdout=StringIO())

    assert Account.objects.filter(name="Keep me").exists()


def test_seed_large_force_asks_for_the_database_name_and_refuses_another(db, settings):
    settings.DEBUG = True
    AccountFactory(name="Keep me")
    name = _this_database()

    with pytest.raises(CommandError) as unnamed:
        call_command("seed", "large", "--force", stdout=StringIO())
    with pytest.raises(CommandError) as misnamed:
        call_command("seed", "large", "--force", "--yes-wipe", "tandem", stdout=StringIO())

    assert str(unnamed.value) == (
        f"--force would delete every account, contact and deal in the database {name!r}. "
        f"Pass --yes-wipe {name} to confirm. Nothing was deleted."
    )
    assert str(misnamed.value) == (
        f"--yes-wipe 'tandem' does not name this database ({name!r}). Nothing was deleted."
    )
    assert Account.objects.filter(name="Keep me").exists()


def test_yes_wipe_is_refused_without_force(db, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="pass them together"):
        call_command("seed", "large", "--yes-wipe", _this_database(), stdout=StringIO())


@pytest.mark.parametrize(
    ("vendor", "name"),
    [
        ("sqlite", str(BASE_DIR / "var" / "bench" / "large.sqlite3")),
        ("postgresql", "tandem_bench"),
    ],
)
def test_the_benchs_databases_are_wiped_with_debug_and_no_name(vendor, name):
    check_may_wipe(debug=True, vendor=vendor, name=name, yes_wipe=None)

    with pytest.raises(CommandError, match="only with DEBUG=true"):
        check_may_wipe(debug=False, vendor=vendor, name=name, yes_wipe=None)


@pytest.mark.parametrize(
    ("vendor", "name", "yes_wipe"),
    [
        ("sqlite", str(BASE_DIR / "var" / "tandem.sqlite3"), "tandem.sqlite3"),
        (
            "sqlite",
            str(BASE_DIR / "var" / "tandem.sqlite3"),
            str(BASE_DIR / "var" / "tandem.sqlite3"),
        ),
        ("postgresql", "tandem", "tandem"),
    ],
)
def test_another_database_is_wiped_when_named(vendor, name, yes_wipe):
    check_may_wipe(debug=True, vendor=vendor, name=name, yes_wipe=yes_wipe)


@pytest.mark.parametrize(
    ("vendor", "name", "yes_wipe"),
    [
        ("sqlite", str(BASE_DIR / "var" / "tandem.sqlite3"), None),
        ("sqlite", str(BASE_DIR / "var" / "large.sqlite3"), None),
        ("sqlite", str(BASE_DIR / "var" / "tandem.sqlite3"), "large.sqlite3"),
        ("postgresql", "tandem", None),
        ("postgresql", "tandem", "tandem_bench"),
        ("postgresql", "large.sqlite3", None),
    ],
)
def test_another_database_is_refused_unless_named(vendor, name, yes_wipe):
    with pytest.raises(CommandError, match="Nothing was deleted"):
        check_may_wipe(debug=True, vendor=vendor, name=name, yes_wipe=yes_wipe)


def test_the_bench_names_its_databases_as_the_seed_command_expects():
    spec = importlib.util.spec_from_file_location("bench_run", BASE_DIR / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    assert bench.PG_DATABASE == BENCH_POSTGRES
    assert bench.CACHE / "large.sqlite3" == BASE_DIR / BENCH_SQLITE


def test_demo_logins_prints_the_address_every_login_and_the_api_docs(demo, db):
    out = StringIO()

    call_command("demo_logins", "--port", "8123", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/api/docs/" in text
    assert f"password: {DEMO_PASSWORD}" in text
    for username, role, display_name, _title in DEMO_LOGINS:
        line = next(line for line in text.splitlines() if line.split()[:1] == [username])
        assert Role(role).label in line
        assert display_name in line


def test_demo_logins_says_how_to_create_them_when_there_are_none(db):
    # The demo company may be in the database when this runs: rename its people away.
    logins = User.objects.filter(username__in=[login[0] for login in DEMO_LOGINS])
    logins.update(username=Concat(Value("former-"), "username"))
    out = StringIO()

    call_command("demo_logins", stdout=out)

    assert "tandem seed demo" in out.getvalue()


def test_demo_prices_the_booth_two_ways_and_has_requests_in_every_state(demo, db):
    from django.utils import timezone

    from tandem.demo.deals import EXHIBIT_BOOTH
    from tandem.estimates.models import EstimateRequest, PastProject, RequestStatus
    from tandem.notifications.models import Notification

    booth = Deal.objects.get(name=EXHIBIT_BOOTH)
    full, half = booth.estimates.order_by("created_at").select_related("latest_version")
    assert (full.name, half.name) == ("Full 360° screen", "Half booth")
    assert (full.latest_number, half.latest_number) == (2, 2)
    assert half.copied_from == full
    assert half.latest_version.price < full.latest_version.price
    request = booth.estimate_requests.get()
    assert request.status == RequestStatus.RETURNED
    assert request.attachments.count() == 1
    today = timezone.localdate()
    assert EstimateRequest.objects.overdue(today).exists()
    assert EstimateRequest.objects.filter(status=RequestStatus.DECLINED).exists()
    assert EstimateRequest.objects.filter(status=RequestStatus.IN_PROGRESS).exists()
    assert PastProject.objects.count() == 30
    # The demo's past notices are in the inbox without being emailed when it starts.
    assert not Notification.objects.filter(kind="estimate_request", emailed_at=None).exists()


def test_demo_quotes_one_show_abroad_in_canadian_dollars(demo, db):
    abroad = Deal.objects.exclude(currency="USD")

    assert [(d.currency, d.name.endswith("— Toronto"), d.stage.is_closed) for d in abroad] == [
        ("CAD", True, False)
    ]
