import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.services import version_of
from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline import services
from tandem.pipeline.models import CloseDateChange, Deal, Stage
from tandem.pipeline.tests.factories import DealFactory, stage

NOW = dt.datetime(2025, 3, 10, 15, 30, tzinfo=dt.UTC)
TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def account(seller):
    return AccountFactory(name="Lakeside College", owner=seller)


@pytest.fixture
def deal(seller, account):
    """An open deal of the seller, created on 10 Mar 2025, to close on 1 Jun 2025."""
    return DealFactory(
        name="Auditorium refit",
        account=account,
        owner=seller,
        stage=stage("Discovery"),
        amount=Decimal("50000.00"),
        probability=20,
        target_close_date=dt.date(2025, 6, 1),
        created_at=NOW,
    )


def _won(deal, by):
    return services.do_move_deal(deal, by, stage("Won"), now=NOW)


# --- create ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_deal_starts_in_the_first_open_stage_with_its_probability(seller, account):
    deal = services.do_create_deal(
        seller, name="Gym PA", account=account, target_close_date=dt.date(2025, 5, 1), now=NOW
    )

    deal.refresh_from_db()
    assert deal.stage == stage("Qualify")
    assert deal.probability == 10
    assert deal.owner == seller
    assert deal.created_at == NOW
    assert deal.closed_on is None
    assert deal.nurture is False


@pytest.mark.django_db
def test_a_new_deal_takes_the_company_currency_when_none_is_given(seller, account, settings):
    settings.TANDEM_CURRENCY = "EUR"

    deal = services.do_create_deal(
        seller, name="Gym PA", account=account, target_close_date=dt.date(2025, 5, 1), now=NOW
    )

    assert deal.currency == "EUR"


@pytest.mark.django_db
def test_a_new_deal_keeps_a_given_currency_in_capitals(seller, account):
    deal = services.do_create_deal(
        seller,
        name="Gym PA",
        account=account,
        target_close_date=dt.date(2025, 5, 1),
        currency="cad",
        now=NOW,
    )

    assert deal.currency == "CAD"


@pytest.mark.django_db
def test_a_new_deal_takes_a_given_stage_probability_and_owner(seller, other_seller, account):
    deal = services.do_create_deal(
        seller,
        name="Gym PA",
        account=account,
        target_close_date=dt.date(2025, 5, 1),
        owner=other_seller,
        stage=stage("Proposal"),
        probability=35,
        now=NOW,
    )

    deal.refresh_from_db()
    assert deal.owner == other_seller
    assert deal.stage == stage("Proposal")
    assert deal.probability == 35


@pytest.mark.django_db
def test_a_new_deal_in_a_later_stage_takes_that_stages_probability(seller, account):
    deal = services.do_create_deal(
        seller,
        name="Gym PA",
        account=account,
        target_close_date=dt.date(2025, 5, 1),
        stage=stage("Negotiation"),
        now=NOW,
    )

    assert deal.probability == 60


@pytest.mark.django_db
def test_a_new_deal_may_close_on_the_day_it_is_created(seller, account):
    deal = services.do_create_deal(
        seller, name="Gym PA", account=account, target_close_date=TODAY, now=NOW
    )

    assert deal.target_close_date == TODAY


@pytest.mark.django_db
def test_creating_a_deal_refuses_a_close_date_before_the_day_it_is_created(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_deal(
            seller,
            name="Gym PA",
            account=account,
            target_close_date=dt.date(2025, 3, 9),
            now=NOW,
        )

    assert list(excinfo.value.message_dict) == ["target_close_date"]
    assert Deal.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_deal_refuses_a_missing_close_date(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_deal(
            seller, name="Gym PA", account=account, target_close_date=None, now=NOW
        )

    assert list(excinfo.value.message_dict) == ["target_close_date"]
    assert Deal.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_deal_refuses_a_negative_amount(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_deal(
            seller,
            name="Gym PA",
            account=account,
            target_close_date=dt.date(2025, 5, 1),
            amount=Decimal("-1.00"),
            now=NOW,
        )

    assert list(excinfo.value.message_dict) == ["amount"]
    assert Deal.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("closed_stage", ["Won", "Lost"])
def test_a_new_deal_cannot_start_closed(seller, account, closed_stage):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_deal(
            seller,
            name="Gym PA",
            account=account,
            target_close_date=dt.date(2025, 5, 1),
            stage=stage(closed_stage),
            amount=Decimal("1000.00"),
            now=NOW,
        )

    assert list(excinfo.value.message_dict) == ["stage"]
    assert Deal.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_deal_is_refused_when_no_open_stage_exists(seller, account):
    Stage.objects.filter(is_won=False, is_lost=False).delete()

    with pytest.raises(ValidationError, match="No open pipeline stage exists"):
        services.do_create_deal(
            seller, name="Gym PA", account=account, target_close_date=dt.date(2025, 5, 1)
        )


@pytest.mark.django_db
def test_creating_a_deal_records_its_creator_in_the_history(seller, project_manager, account):
    deal = services.do_create_deal(
        project_manager,
        name="Gym PA",
        account=account,
        target_close_date=dt.date(2025, 5, 1),
        owner=seller,
        now=NOW,
    )

    assert [(h.history_type, h.history_user) for h in deal.history.all()] == [
        ("+", project_manager)
    ]


# --- update ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_updating_a_deal_changes_the_fields_a_plain_edit_may_change(seller, deal):
    services.do_update_deal(
        deal,
        seller,
        {"name": "Auditorium refit, phase 1", "amount": Decimal("62000.00"), "currency": "gbp"},
        version=version_of(deal),
    )

    deal.refresh_from_db()
    assert deal.name == "Auditorium refit, phase 1"
    assert deal.amount == Decimal("62000.00")
    assert deal.currency == "GBP"


@pytest.mark.django_db
def test_updating_a_deal_with_a_blank_currency_takes_the_company_currency(seller, deal, settings):
    settings.TANDEM_CURRENCY = "EUR"

    services.do_update_deal(deal, seller, {"currency": ""})

    deal.refresh_from_db()
    assert deal.currency == "EUR"


@pytest.mark.django_db
def test_updating_a_deal_from_a_stale_copy_is_refused_and_changes_nothing(
    seller, project_manager, deal
):
    # Given two people who opened the same deal
    mine = Deal.objects.get(pk=deal.pk)
    theirs = Deal.objects.get(pk=deal.pk)
    # When the first saves
    services.do_update_deal(
        theirs, project_manager, {"next_step": "Site visit"}, version=version_of(theirs)
    )

    # Then the second is refused
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_deal(
            mine, seller, {"amount": Decimal("99000.00")}, version=version_of(mine)
        )

    assert excinfo.value.code == "stale"
    deal.refresh_from_db()
    assert deal.amount == Decimal("50000.00")
    assert deal.next_step == "Site visit"


@pytest.mark.django_db
def test_a_stale_close_date_change_through_an_edit_is_refused_and_records_nothing(
    seller, project_manager, deal
):
    mine = Deal.objects.get(pk=deal.pk)
    services.do_update_deal(deal, project_manager, {"next_step": "Site visit"})

    with pytest.raises(ValidationError):
        services.do_update_deal(
            mine,
            seller,
            {"target_close_date": dt.date(2025, 5, 1)},
            version=version_of(mine),
            now=NOW,
        )

    deal.refresh_from_db()
    assert deal.target_close_date == dt.date(2025, 6, 1)
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_updating_a_deal_without_a_version_skips_the_stale_check(seller, project_manager, deal):
    mine = Deal.objects.get(pk=deal.pk)
    services.do_update_deal(deal, project_manager, {"next_step": "Site visit"})

    services.do_update_deal(mine, seller, {"amount": Decimal("99000.00")})

    deal.refresh_from_db()
    assert deal.amount == Decimal("99000.00")
    assert deal.next_step == "Site visit"


@pytest.mark.django_db
def test_updating_a_deal_refuses_a_negative_amount(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_deal(deal, seller, {"amount": Decimal("-5.00")})

    assert list(excinfo.value.message_dict) == ["amount"]
    deal.refresh_from_db()
    assert deal.amount == Decimal("50000.00")


@pytest.mark.django_db
def test_updating_a_field_a_plain_edit_may_not_change_is_a_programming_error(seller, deal):
    with pytest.raises(ValueError, match="closed_on"):
        services.do_update_deal(deal, seller, {"closed_on": TODAY})


@pytest.mark.django_db
def test_an_edit_moving_the_close_date_later_without_a_reason_saves_none_of_its_changes(
    seller, deal
):
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_deal(
            deal,
            seller,
            {"name": "Renamed", "target_close_date": dt.date(2025, 7, 1)},
            now=NOW,
        )

    assert list(excinfo.value.message_dict) == ["reason"]
    deal.refresh_from_db()
    assert deal.name == "Auditorium refit"
    assert deal.target_close_date == dt.date(2025, 6, 1)
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_an_edit_moving_the_close_date_later_with_a_reason_records_the_change(seller, deal):
    services.do_update_deal(
        deal,
        seller,
        {"target_close_date": dt.date(2025, 7, 1)},
        close_date_reason="Board meets in June",
        now=NOW,
    )

    deal.refresh_from_db()
    assert deal.target_close_date == dt.date(2025, 7, 1)
    assert list(
        CloseDateChange.objects.values_list("old_date", "new_date", "reason", "changed_by")
    ) == [(dt.date(2025, 6, 1), dt.date(2025, 7, 1), "Board meets in June", seller.pk)]


@pytest.mark.django_db
def test_an_edit_with_a_new_stage_moves_the_deal(seller, deal):
    services.do_update_deal(deal, seller, {"stage": stage("Negotiation")})

    deal.refresh_from_db()
    assert deal.stage == stage("Negotiation")
    assert deal.probability == 60


@pytest.mark.django_db
def test_an_edit_that_sets_an_amount_and_wins_the_deal_applies_both(seller, deal):
    deal.amount = Decimal("0")
    deal.save()

    services.do_update_deal(
        deal, seller, {"amount": Decimal("12000.00"), "stage": stage("Won")}, now=NOW
    )

    deal.refresh_from_db()
    assert deal.amount == Decimal("12000.00")
    assert deal.stage == stage("Won")
    assert deal.closed_on == TODAY


# --- close date -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_moving_the_close_date_later_requires_a_reason(seller):
    deal = DealFactory(owner=seller)
    later = deal.target_close_date + dt.timedelta(days=30)

    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, later, "")

    assert "reason" in excinfo.value.message_dict
    deal.refresh_from_db()
    assert deal.target_close_date != later
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_a_reason_of_only_spaces_does_not_count(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, dt.date(2025, 7, 1), "   ", now=NOW)

    assert list(excinfo.value.message_dict) == ["reason"]
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_moving_the_close_date_earlier_needs_no_reason(seller, deal):
    services.do_change_close_date(deal, seller, dt.date(2025, 5, 15), now=NOW)

    deal.refresh_from_db()
    assert deal.target_close_date == dt.date(2025, 5, 15)
    change = CloseDateChange.objects.get()
    assert (change.old_date, change.new_date, change.reason) == (
        dt.date(2025, 6, 1),
        dt.date(2025, 5, 15),
        "",
    )
    assert change.days_moved == -17


@pytest.mark.django_db
def test_moving_the_close_date_later_records_who_when_old_new_and_why(project_manager, deal):
    services.do_change_close_date(
        deal, project_manager, dt.date(2025, 8, 1), "  Budget moved to Q3  ", now=NOW
    )

    deal.refresh_from_db()
    assert deal.target_close_date == dt.date(2025, 8, 1)
    change = CloseDateChange.objects.get()
    assert change.deal == deal
    assert change.changed_by == project_manager
    assert change.changed_at == NOW
    assert change.old_date == dt.date(2025, 6, 1)
    assert change.new_date == dt.date(2025, 8, 1)
    assert change.reason == "Budget moved to Q3"
    assert change.days_moved == 61


@pytest.mark.django_db
def test_moving_the_close_date_to_the_same_day_records_nothing(seller, deal):
    before = version_of(deal)

    services.do_change_close_date(deal, seller, dt.date(2025, 6, 1), "", now=NOW)

    deal.refresh_from_db()
    assert CloseDateChange.objects.count() == 0
    assert version_of(deal) == before


@pytest.mark.django_db
def test_the_close_date_cannot_move_before_the_day_the_deal_was_created(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, dt.date(2025, 3, 9), now=NOW)

    assert list(excinfo.value.message_dict) == ["target_close_date"]
    assert "10 Mar 2025" in excinfo.value.message_dict["target_close_date"][0]
    deal.refresh_from_db()
    assert deal.target_close_date == dt.date(2025, 6, 1)
    assert CloseDateChange.objects.count() == 0


@pytest.mark.django_db
def test_the_close_date_may_move_to_the_day_the_deal_was_created(seller, deal):
    services.do_change_close_date(deal, seller, TODAY, now=NOW)

    deal.refresh_from_db()
    assert deal.target_close_date == TODAY


@pytest.mark.django_db
def test_every_close_date_change_is_kept_newest_first(seller, deal):
    services.do_change_close_date(deal, seller, dt.date(2025, 7, 1), "Slipped", now=NOW)
    services.do_change_close_date(deal, seller, dt.date(2025, 5, 1), now=NOW + dt.timedelta(days=1))

    assert list(deal.close_date_changes.values_list("old_date", "new_date")) == [
        (dt.date(2025, 7, 1), dt.date(2025, 5, 1)),
        (dt.date(2025, 6, 1), dt.date(2025, 7, 1)),
    ]


# --- stage moves ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_moving_a_deal_to_an_open_stage_takes_the_stages_probability(seller, deal):
    services.do_move_deal(deal, seller, stage("Negotiation"), now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Negotiation")
    assert deal.probability == 60
    assert deal.closed_on is None


@pytest.mark.django_db
def test_moving_a_deal_to_the_stage_it_is_in_changes_nothing(seller, deal):
    deal.probability = 35
    deal.save()

    services.do_move_deal(deal, seller, stage("Discovery"), now=NOW)

    deal.refresh_from_db()
    assert deal.probability == 35


@pytest.mark.django_db
def test_winning_a_deal_closes_it_today_at_full_probability(seller, deal):
    _won(deal, seller)

    deal.refresh_from_db()
    assert deal.stage == stage("Won")
    assert deal.probability == 100
    assert deal.closed_on == TODAY


@pytest.mark.django_db
def test_moving_a_deal_locks_the_deal_row_and_not_its_stage(seller, deal):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: it ignores FOR UPDATE")

    with CaptureQueriesContext(connection) as queries:
        services.do_move_deal(deal, seller, stage("Negotiation"), now=NOW)

    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1
    assert locks[0].endswith('FOR UPDATE OF "pipeline_deal"')


@pytest.mark.django_db
def test_a_won_deal_needs_an_amount(seller):
    deal = DealFactory(owner=seller, amount=Decimal("0"))

    with pytest.raises(ValidationError, match="needs an amount"):
        services.do_move_deal(deal, seller, stage("Won"))


@pytest.mark.django_db
def test_moving_a_deal_to_lost_is_refused_pointing_to_mark_lost(seller, deal):
    with pytest.raises(ValidationError, match="Mark lost"):
        services.do_move_deal(deal, seller, stage("Lost"), now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")
    assert deal.closed_on is None


@pytest.mark.django_db
def test_a_won_deal_cannot_move_until_it_is_reopened(seller, deal):
    _won(deal, seller)

    with pytest.raises(ValidationError, match="closed as Won: reopen it"):
        services.do_move_deal(deal, seller, stage("Proposal"), now=NOW)

    services.do_reopen_deal(deal, seller)
    services.do_move_deal(deal, seller, stage("Proposal"), now=NOW)
    deal.refresh_from_db()
    assert deal.stage == stage("Proposal")


@pytest.mark.django_db
def test_a_lost_deal_cannot_move_until_it_is_reopened(seller, deal):
    services.do_mark_lost(deal, seller, reason="price", now=NOW)

    with pytest.raises(ValidationError, match="closed as Lost: reopen it"):
        services.do_move_deal(deal, seller, stage("Proposal"), now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Lost")


@pytest.mark.django_db
def test_a_nurtured_deal_cannot_move(seller, deal):
    services.do_nurture(deal, seller, now=NOW)

    with pytest.raises(ValidationError, match="in nurture"):
        services.do_move_deal(deal, seller, stage("Proposal"), now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


# --- mark lost ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_marking_a_deal_lost_needs_a_reason(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_mark_lost(deal, seller, reason="", now=NOW)

    assert list(excinfo.value.message_dict) == ["lost_reason"]
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


@pytest.mark.django_db
def test_marking_a_deal_lost_refuses_an_unknown_reason(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_mark_lost(deal, seller, reason="bad_luck", now=NOW)

    assert list(excinfo.value.message_dict) == ["lost_reason"]
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


@pytest.mark.django_db
def test_marking_a_deal_lost_closes_it_at_zero_probability(seller, deal):
    services.do_mark_lost(
        deal, seller, reason="competitor", note="  They went with AVCo.  ", now=NOW
    )

    deal.refresh_from_db()
    assert deal.stage == stage("Lost")
    assert deal.probability == 0
    assert deal.lost_reason == "competitor"
    assert deal.lost_note == "They went with AVCo."
    assert deal.closed_on == TODAY


@pytest.mark.django_db
def test_a_won_deal_cannot_be_marked_lost(seller, deal):
    _won(deal, seller)

    with pytest.raises(ValidationError, match="already closed as Won"):
        services.do_mark_lost(deal, seller, reason="price", now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Won")


@pytest.mark.django_db
def test_marking_a_nurtured_deal_lost_takes_it_out_of_nurture(seller, deal):
    services.do_nurture(deal, seller, now=NOW)

    services.do_mark_lost(deal, seller, reason="no_decision", now=NOW)

    deal.refresh_from_db()
    assert deal.stage == stage("Lost")
    assert deal.nurture is False


# --- reopen ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reopening_a_lost_deal_puts_it_in_the_first_open_stage(seller, deal):
    services.do_mark_lost(deal, seller, reason="price", now=NOW)

    services.do_reopen_deal(deal, seller)

    deal.refresh_from_db()
    assert deal.stage == stage("Qualify")
    assert deal.probability == 10
    assert deal.closed_on is None
    assert deal.lost_reason == ""


@pytest.mark.django_db
def test_reopening_a_won_deal_into_a_chosen_stage(seller, deal):
    _won(deal, seller)

    services.do_reopen_deal(deal, seller, stage("Verbal commit"))

    deal.refresh_from_db()
    assert deal.stage == stage("Verbal commit")
    assert deal.probability == 80
    assert deal.closed_on is None


@pytest.mark.django_db
def test_reopening_an_open_deal_is_refused(seller, deal):
    with pytest.raises(ValidationError, match="open already"):
        services.do_reopen_deal(deal, seller)


@pytest.mark.django_db
def test_reopening_into_a_closed_stage_is_refused(seller, deal):
    services.do_mark_lost(deal, seller, reason="price", now=NOW)

    with pytest.raises(ValidationError) as excinfo:
        services.do_reopen_deal(deal, seller, stage("Won"))

    assert list(excinfo.value.message_dict) == ["stage"]
    deal.refresh_from_db()
    assert deal.stage == stage("Lost")


# --- nurture --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nurturing_a_deal_takes_it_off_the_board(seller, deal):
    services.do_nurture(deal, seller, "  Call back after the summer  ", now=NOW)

    deal.refresh_from_db()
    assert deal.nurture is True
    assert deal.nurture_since == TODAY
    assert deal.nurture_note == "Call back after the summer"
    assert deal.stage == stage("Discovery")
    assert list(Deal.objects.open()) == []
    assert list(Deal.objects.in_pipeline()) == []


@pytest.mark.django_db
def test_nurturing_a_closed_deal_is_refused(seller, deal):
    _won(deal, seller)

    with pytest.raises(ValidationError, match="only open deals nurture"):
        services.do_nurture(deal, seller, now=NOW)

    deal.refresh_from_db()
    assert deal.nurture is False


@pytest.mark.django_db
def test_nurturing_a_deal_twice_is_refused(seller, deal):
    services.do_nurture(deal, seller, "First", now=NOW)

    with pytest.raises(ValidationError, match="in nurture already"):
        services.do_nurture(deal, seller, "Second", now=NOW + dt.timedelta(days=3))

    deal.refresh_from_db()
    assert deal.nurture_since == TODAY
    assert deal.nurture_note == "First"


@pytest.mark.django_db
def test_returning_a_nurtured_deal_puts_it_back_where_it_was(seller, deal):
    services.do_nurture(deal, seller, "Later", now=NOW)

    services.do_return_to_pipeline(deal, seller)

    deal.refresh_from_db()
    assert deal.nurture is False
    assert deal.nurture_since is None
    assert deal.stage == stage("Discovery")
    assert deal.probability == 20
    assert list(Deal.objects.open()) == [deal]


@pytest.mark.django_db
def test_returning_a_deal_already_in_the_pipeline_is_refused(seller, deal):
    with pytest.raises(ValidationError, match="in the pipeline already"):
        services.do_return_to_pipeline(deal, seller)


# --- history --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda d, by: services.do_update_deal(d, by, {"name": "X"}), id="update"),
        pytest.param(
            lambda d, by: services.do_change_close_date(d, by, dt.date(2025, 5, 1), now=NOW),
            id="close_date",
        ),
        pytest.param(
            lambda d, by: services.do_move_deal(d, by, stage("Proposal"), now=NOW), id="move"
        ),
        pytest.param(
            lambda d, by: services.do_mark_lost(d, by, reason="price", now=NOW), id="mark_lost"
        ),
        pytest.param(lambda d, by: services.do_nurture(d, by, now=NOW), id="nurture"),
    ],
)
def test_each_change_to_a_deal_is_kept_in_its_history_with_who_made_it(
    project_manager, deal, action
):
    action(deal, project_manager)

    latest = deal.history.order_by("-history_id").first()
    assert latest.history_type == "~"
    assert latest.history_user == project_manager


@pytest.mark.django_db
def test_reopen_and_return_are_kept_in_the_history_with_who_made_them(
    seller, project_manager, executive, deal
):
    services.do_mark_lost(deal, seller, reason="price", now=NOW)
    services.do_reopen_deal(deal, project_manager)
    services.do_nurture(deal, seller, now=NOW)
    services.do_return_to_pipeline(deal, executive)

    users = [h.history_user for h in deal.history.order_by("history_id")]
    assert users == [None, seller, project_manager, seller, executive]


@pytest.mark.django_db
def test_a_won_deal_keeps_an_amount_and_its_probability(seller):
    deal = DealFactory(owner=seller, amount=Decimal("1000"))
    services.do_move_deal(deal, seller, stage("Won"))

    with pytest.raises(ValidationError, match="won deal needs an amount"):
        services.do_update_deal(deal, seller, {"amount": Decimal("0")})
    with pytest.raises(ValidationError, match="probability stays"):
        services.do_update_deal(deal, seller, {"probability": 50})

    deal.refresh_from_db()
    assert (deal.amount, deal.probability) == (Decimal("1000.00"), 100)


@pytest.mark.django_db
def test_a_deal_with_activities_stays_on_its_account(seller):
    from tandem.crm.tests.factories import AccountFactory
    from tandem.pipeline.tests.factories import ActivityFactory

    deal = DealFactory(owner=seller)
    ActivityFactory(account=deal.account, deal=deal)

    with pytest.raises(ValidationError, match="belong to its account"):
        services.do_update_deal(deal, seller, {"account": AccountFactory()})
