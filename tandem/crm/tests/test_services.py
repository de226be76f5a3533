import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tandem.core.models import OutboxEvent
from tandem.core.services import version_of
from tandem.crm import services
from tandem.crm.events import StakeholderEnded
from tandem.crm.models import Account, Contact, ContactEmail, ContactPhone, Stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)

OCCURRED = dt.datetime(2025, 3, 10, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(seller):
    return AccountFactory(name="Lakeside College", owner=seller, website="https://lakeside.edu")


@pytest.fixture
def other_account(seller):
    return AccountFactory(name="Harbor Arena", owner=seller)


@pytest.fixture
def contact():
    contact = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=contact, email="ana@lakeside.edu", is_primary=True)
    ContactPhone.objects.create(contact=contact, number="555-0100", is_primary=True)
    return contact


@pytest.fixture
def stakeholder(contact, account):
    return StakeholderFactory(
        contact=contact,
        account=account,
        title="Head of AV",
        influence="champion",
        start_date=dt.date(2024, 1, 1),
    )


def _emails(contact):
    return list(contact.emails.values_list("email", "is_primary"))


def _phones(contact):
    return list(contact.phones.values_list("number", "is_primary"))


# --- accounts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_account_makes_its_creator_the_owner(seller):
    account = services.do_create_account(seller, name="Lakeside College", tier="key")

    account.refresh_from_db()
    assert account.name == "Lakeside College"
    assert account.owner == seller
    assert account.tier == "key"
    assert account.status == "prospect"
    assert account.history.get().history_user == seller


@pytest.mark.django_db
def test_creating_an_account_for_another_owner(seller, other_seller):
    account = services.do_create_account(seller, name="Lakeside College", owner=other_seller)

    assert account.owner == other_seller


@pytest.mark.django_db
def test_creating_an_account_refuses_a_bad_website(seller):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_account(seller, name="Lakeside College", website="not a url")

    assert list(excinfo.value.message_dict) == ["website"]
    assert Account.objects.count() == 0


@pytest.mark.django_db
def test_creating_an_account_refuses_a_blank_name(seller):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_account(seller, name="")

    assert list(excinfo.value.message_dict) == ["name"]
    assert Account.objects.count() == 0


@pytest.mark.django_db
def test_creating_an_account_refuses_an_unknown_tier(seller):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_account(seller, name="Lakeside College", tier="platinum")

    assert list(excinfo.value.message_dict) == ["tier"]
    assert Account.objects.count() == 0


@pytest.mark.django_db
def test_updating_an_account_changes_its_fields_and_records_who(project_manager, account):
    services.do_update_account(
        account,
        project_manager,
        {"name": "Lakeside Community College", "status": "customer"},
        version=version_of(account),
    )

    account.refresh_from_db()
    assert account.name == "Lakeside Community College"
    assert account.status == "customer"
    assert account.history.first().history_user == project_manager


@pytest.mark.django_db
def test_updating_an_account_from_a_stale_copy_is_refused_and_changes_nothing(
    seller, project_manager, account
):
    # Given two people who opened the same account
    mine = Account.objects.get(pk=account.pk)
    theirs = Account.objects.get(pk=account.pk)
    # When the first saves
    services.do_update_account(theirs, project_manager, {"city": "Evanston"}, version_of(theirs))

    # Then the second is refused
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_account(mine, seller, {"tier": "strategic"}, version_of(mine))

    assert excinfo.value.code == "stale"
    account.refresh_from_db()
    assert account.city == "Evanston"
    assert account.tier == "standard"


@pytest.mark.django_db
def test_updating_an_account_with_a_bad_website_changes_nothing(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_account(account, seller, {"website": "lakeside", "city": "Evanston"})

    assert list(excinfo.value.message_dict) == ["website"]
    account.refresh_from_db()
    assert account.website == "https://lakeside.edu"
    assert account.city == "Chicago"


@pytest.mark.django_db
def test_updating_an_account_to_a_blank_name_is_refused(seller, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_account(account, seller, {"name": ""})

    assert list(excinfo.value.message_dict) == ["name"]
    account.refresh_from_db()
    assert account.name == "Lakeside College"


@pytest.mark.django_db
def test_an_account_edit_that_changes_nothing_keeps_its_version(seller, account):
    before = version_of(account)

    services.do_update_account(account, seller, {"name": "Lakeside College"}, before)

    account.refresh_from_db()
    assert version_of(account) == before
    assert account.history.count() == 1


@pytest.mark.django_db
def test_updating_an_account_field_that_is_not_editable_is_a_programming_error(seller, account):
    with pytest.raises(ValueError, match="created_at"):
        services.do_update_account(account, seller, {"created_at": OCCURRED})


# --- contacts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_contact_keeps_their_emails_and_phones_first_one_primary(seller):
    contact = services.do_create_contact(
        seller,
        first_name="Ana",
        last_name="Lima",
        emails=[" Ana@Lakeside.edu ", "ana@lakeside.edu", "", "ana.lima@gmail.com"],
        phones=["555-0100", " 555-0100 ", "  ", "555-0199"],
    )

    assert (contact.first_name, contact.last_name) == ("Ana", "Lima")
    assert _emails(contact) == [("ana@lakeside.edu", True), ("ana.lima@gmail.com", False)]
    assert _phones(contact) == [("555-0100", True), ("555-0199", False)]
    assert contact.history.get().history_user == seller


@pytest.mark.django_db
def test_creating_a_contact_with_an_invalid_email_writes_nothing(seller):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_contact(
            seller,
            first_name="Ana",
            last_name="Lima",
            emails=["ana@lakeside.edu", "not-an-email"],
            phones=["555-0100"],
        )

    assert list(excinfo.value.message_dict) == ["email"]
    assert Contact.objects.count() == 0
    assert ContactEmail.objects.count() == 0
    assert ContactPhone.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_contact_refuses_a_blank_last_name(seller):
    with pytest.raises(ValidationError) as excinfo:
        services.do_create_contact(seller, first_name="Ana", last_name="")

    assert list(excinfo.value.message_dict) == ["last_name"]
    assert Contact.objects.count() == 0


@pytest.mark.django_db
def test_creating_a_contact_may_record_when_we_first_met_them(seller):
    met = dt.datetime(2023, 5, 2, 9, 0, tzinfo=dt.UTC)

    contact = services.do_create_contact(seller, first_name="Ana", last_name="Lima", created_at=met)

    contact.refresh_from_db()
    assert contact.created_at == met


@pytest.mark.django_db
def test_updating_a_contact_replaces_their_emails_and_phones(seller, contact):
    services.do_update_contact(
        contact,
        seller,
        {},
        emails=["ana.lima@gmail.com", "ANA@lakeside.edu"],
        phones=["555-0199"],
    )

    assert _emails(contact) == [("ana.lima@gmail.com", True), ("ana@lakeside.edu", False)]
    assert _phones(contact) == [("555-0199", True)]


@pytest.mark.django_db
def test_updating_a_contacts_emails_keeps_their_phones(seller, contact):
    services.do_update_contact(contact, seller, {}, emails=["ana.lima@gmail.com"])

    assert _emails(contact) == [("ana.lima@gmail.com", True)]
    assert _phones(contact) == [("555-0100", True)]


@pytest.mark.django_db
def test_updating_a_contacts_phones_keeps_their_emails(seller, contact):
    services.do_update_contact(contact, seller, {}, phones=["555-0199", "555-0100"])

    assert _emails(contact) == [("ana@lakeside.edu", True)]
    assert _phones(contact) == [("555-0199", True), ("555-0100", False)]


@pytest.mark.django_db
def test_updating_a_contacts_name_leaves_their_emails_and_phones_alone(seller, contact):
    services.do_update_contact(contact, seller, {"last_name": "Lima-Souza"})

    contact.refresh_from_db()
    assert contact.last_name == "Lima-Souza"
    assert _emails(contact) == [("ana@lakeside.edu", True)]
    assert _phones(contact) == [("555-0100", True)]


@pytest.mark.django_db
def test_updating_a_contact_with_no_emails_clears_them(seller, contact):
    services.do_update_contact(contact, seller, {}, emails=[])

    assert _emails(contact) == []
    assert _phones(contact) == [("555-0100", True)]


@pytest.mark.django_db
def test_updating_a_contact_with_an_invalid_email_changes_nothing(seller, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.do_update_contact(
            contact, seller, {"first_name": "Anna"}, emails=["ana@", "ana.lima@gmail.com"]
        )

    assert list(excinfo.value.message_dict) == ["email"]
    contact.refresh_from_db()
    assert contact.first_name == "Ana"
    assert _emails(contact) == [("ana@lakeside.edu", True)]


@pytest.mark.django_db
def test_updating_a_contact_from_a_stale_copy_is_refused_and_changes_nothing(
    seller, project_manager, contact
):
    mine = Contact.objects.get(pk=contact.pk)
    theirs = Contact.objects.get(pk=contact.pk)
    services.do_update_contact(
        theirs, project_manager, {"notes": "Prefers calls"}, version=version_of(theirs)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.do_update_contact(
            mine, seller, {"first_name": "Anna"}, emails=["x@y.com"], version=version_of(mine)
        )

    assert excinfo.value.code == "stale"
    contact.refresh_from_db()
    assert (contact.first_name, contact.notes) == ("Ana", "Prefers calls")
    assert _emails(contact) == [("ana@lakeside.edu", True)]


# --- stakeholders ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_stakeholder_records_the_role(seller, contact, account):
    stakeholder = services.do_add_stakeholder(
        seller,
        contact=contact,
        account=account,
        start_date=dt.date(2024, 2, 1),
        title="CIO",
        influence="decision_maker",
    )

    stakeholder.refresh_from_db()
    assert (stakeholder.contact, stakeholder.account) == (contact, account)
    assert (stakeholder.title, stakeholder.influence) == ("CIO", "decision_maker")
    assert (stakeholder.start_date, stakeholder.end_date) == (dt.date(2024, 2, 1), None)
    assert stakeholder.history.get().history_user == seller


@pytest.mark.django_db
def test_a_stakeholder_period_cannot_end_before_it_starts(seller, contact, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_add_stakeholder(
            seller,
            contact=contact,
            account=account,
            start_date=dt.date(2024, 2, 1),
            end_date=dt.date(2024, 1, 31),
        )

    assert list(excinfo.value.message_dict) == ["end_date"]
    assert Stakeholder.objects.count() == 0


@pytest.mark.django_db
def test_a_stakeholder_period_may_start_and_end_on_the_same_day(seller, contact, account):
    stakeholder = services.do_add_stakeholder(
        seller,
        contact=contact,
        account=account,
        start_date=dt.date(2024, 2, 1),
        end_date=dt.date(2024, 2, 1),
    )

    assert (stakeholder.start_date, stakeholder.end_date) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 1),
    )


@pytest.mark.django_db
def test_a_stakeholder_needs_a_start_date(seller, contact, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_add_stakeholder(seller, contact=contact, account=account, start_date=None)

    assert list(excinfo.value.message_dict) == ["start_date"]
    assert Stakeholder.objects.count() == 0


@pytest.mark.django_db
def test_a_stakeholder_with_an_unknown_influence_is_refused(seller, contact, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_add_stakeholder(
            seller,
            contact=contact,
            account=account,
            start_date=dt.date(2024, 2, 1),
            influence="kingmaker",
        )

    assert list(excinfo.value.message_dict) == ["influence"]
    assert Stakeholder.objects.count() == 0


@pytest.mark.django_db
def test_ending_a_stakeholder_sets_its_end_date(seller, stakeholder):
    services.do_end_stakeholder(stakeholder, seller, dt.date(2024, 12, 31))

    stakeholder.refresh_from_db()
    assert stakeholder.end_date == dt.date(2024, 12, 31)
    assert stakeholder.history.first().history_user == seller


@pytest.mark.django_db
def test_ending_a_stakeholder_before_it_started_is_refused(seller, stakeholder):
    with pytest.raises(ValidationError) as excinfo:
        services.do_end_stakeholder(stakeholder, seller, dt.date(2023, 12, 31))

    assert list(excinfo.value.message_dict) == ["end_date"]
    stakeholder.refresh_from_db()
    assert stakeholder.end_date is None


@pytest.mark.django_db
def test_updating_a_stakeholder_from_a_stale_copy_is_refused(seller, project_manager, stakeholder):
    mine = Stakeholder.objects.get(pk=stakeholder.pk)
    theirs = Stakeholder.objects.get(pk=stakeholder.pk)
    services.do_update_stakeholder(theirs, project_manager, {"title": "CTO"}, version_of(theirs))

    with pytest.raises(ValidationError) as excinfo:
        services.do_update_stakeholder(mine, seller, {"influence": "blocker"}, version_of(mine))

    assert excinfo.value.code == "stale"
    stakeholder.refresh_from_db()
    assert (stakeholder.title, stakeholder.influence) == ("CTO", "champion")


@pytest.mark.django_db
def test_moving_a_stakeholder_ends_the_old_role_the_day_before_and_starts_the_new_one(
    seller, stakeholder, other_account
):
    new = services.do_move_stakeholder(
        stakeholder,
        seller,
        to_account=other_account,
        moved_on=dt.date(2025, 3, 1),
        title="Venue director",
        influence="decision_maker",
    )

    stakeholder.refresh_from_db()
    assert stakeholder.end_date == dt.date(2025, 2, 28)
    new.refresh_from_db()
    assert new.contact == stakeholder.contact
    assert new.account == other_account
    assert (new.start_date, new.end_date) == (dt.date(2025, 3, 1), None)
    assert (new.title, new.influence) == ("Venue director", "decision_maker")
    assert Stakeholder.objects.count() == 2


@pytest.mark.django_db
def test_moving_a_stakeholder_keeps_their_title_unless_a_new_one_is_given(
    seller, stakeholder, other_account
):
    new = services.do_move_stakeholder(
        stakeholder, seller, to_account=other_account, moved_on=dt.date(2025, 3, 1)
    )

    assert new.title == "Head of AV"


@pytest.mark.django_db
def test_moving_a_stakeholder_the_day_after_they_started_is_allowed(
    seller, stakeholder, other_account
):
    services.do_move_stakeholder(
        stakeholder, seller, to_account=other_account, moved_on=dt.date(2024, 1, 2)
    )

    stakeholder.refresh_from_db()
    assert stakeholder.end_date == dt.date(2024, 1, 1)


@pytest.mark.django_db
def test_moving_a_stakeholder_to_the_same_account_is_refused(seller, stakeholder, account):
    with pytest.raises(ValidationError) as excinfo:
        services.do_move_stakeholder(
            stakeholder, seller, to_account=account, moved_on=dt.date(2025, 3, 1)
        )

    assert list(excinfo.value.message_dict) == ["to_account"]
    stakeholder.refresh_from_db()
    assert stakeholder.end_date is None
    assert Stakeholder.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("moved_on", [dt.date(2024, 1, 1), dt.date(2023, 6, 1)])
def test_a_move_must_come_after_the_role_started(seller, stakeholder, other_account, moved_on):
    with pytest.raises(ValidationError) as excinfo:
        services.do_move_stakeholder(
            stakeholder, seller, to_account=other_account, moved_on=moved_on
        )

    assert list(excinfo.value.message_dict) == ["moved_on"]
    stakeholder.refresh_from_db()
    assert stakeholder.end_date is None
    assert Stakeholder.objects.count() == 1


@pytest.mark.django_db
def test_moving_a_stakeholder_whose_role_already_ended_is_refused(
    seller, stakeholder, other_account
):
    services.do_end_stakeholder(stakeholder, seller, dt.date(2024, 6, 30))

    with pytest.raises(ValidationError, match="already ended on 30 Jun 2024"):
        services.do_move_stakeholder(
            stakeholder, seller, to_account=other_account, moved_on=dt.date(2025, 3, 1)
        )

    stakeholder.refresh_from_db()
    assert stakeholder.end_date == dt.date(2024, 6, 30)
    assert Stakeholder.objects.count() == 1


@pytest.mark.django_db
def test_a_move_whose_new_role_is_refused_leaves_the_old_role_open(
    seller, stakeholder, other_account
):
    with pytest.raises(ValidationError) as excinfo:
        services.do_move_stakeholder(
            stakeholder,
            seller,
            to_account=other_account,
            moved_on=dt.date(2025, 3, 1),
            influence="kingmaker",
        )

    assert list(excinfo.value.message_dict) == ["influence"]
    stakeholder.refresh_from_db()
    assert stakeholder.end_date is None
    assert Stakeholder.objects.count() == 1


# --- activities -----------------------------------------------------------------------------


def _ended():
    return [
        StakeholderEnded.from_payload(row.payload)
        for row in OutboxEvent.objects.filter(name=StakeholderEnded.name).order_by("id")
    ]


@pytest.mark.django_db
def test_ending_a_stakeholder_tells_the_apps_above_who_left_where_and_when(seller, stakeholder):
    services.do_end_stakeholder(stakeholder, seller, dt.date(2024, 12, 31))

    [ended] = _ended()
    assert (ended.stakeholder_id, ended.contact_id, ended.account_id, ended.end_date) == (
        stakeholder.pk,
        stakeholder.contact_id,
        stakeholder.account_id,
        dt.date(2024, 12, 31),
    )
    assert ended.by_id == seller.pk


@pytest.mark.django_db
def test_moving_a_stakeholder_tells_that_the_old_role_ended(seller, stakeholder, other_account):
    services.do_move_stakeholder(
        stakeholder, seller, to_account=other_account, moved_on=dt.date(2025, 3, 1)
    )

    assert [e.end_date for e in _ended()] == [dt.date(2025, 2, 28)]


@pytest.mark.django_db
def test_a_change_that_ends_nothing_tells_nothing(seller, stakeholder):
    services.do_update_stakeholder(stakeholder, seller, {"title": "CTO"})

    assert _ended() == []
