import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.core.periods import period_bounds
from tandem.core.services import version_of
from tandem.crm.models import Account, Activity, Contact, Stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ActivityFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory
from tandem.pipeline import services
from tandem.pipeline.models import CloseDateChange, Deal, Stage
from tandem.pipeline.tests.factories import CloseDateChangeFactory, DealFactory, stage

pytestmark = pytest.mark.django_db

DEALS = "/api/v1/deals/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def deal_url(deal, action: str = "") -> str:
    return f"{DEALS}{deal.pk}/{action + '/' if action else ''}"


def names(response) -> set[str]:
    return {row["name"] for row in response.data["results"]}


# Signing in


def test_a_token_from_the_token_endpoint_signs_api_requests_in(seller):
    DealFactory(name="Auditorium refit", owner=seller)
    client = APIClient()

    token = client.post("/api/v1/auth/token/", {"username": "sam", "password": "pw"})
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
    response = client.get(DEALS)

    assert token.status_code == 200
    assert response.status_code == 200
    assert names(response) == {"Auditorium refit"}


def test_the_token_endpoint_refuses_a_wrong_password(seller):
    response = APIClient().post("/api/v1/auth/token/", {"username": "sam", "password": "nope"})

    assert response.status_code == 400
    assert "token" not in response.data


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/accounts/",
        "/api/v1/contacts/",
        "/api/v1/stakeholders/",
        "/api/v1/activities/",
        "/api/v1/stages/",
        DEALS,
    ],
)
def test_anonymous_requests_are_refused_with_401(url):
    client = APIClient()

    read = client.get(url)
    write = client.post(url, {"name": "Sneaky"})

    assert read.status_code == 401
    assert read.headers["WWW-Authenticate"] == 'Token realm="api"'
    assert write.status_code == 401


def test_anonymous_cannot_read_one_deal():
    deal = DealFactory()

    response = APIClient().get(deal_url(deal))

    assert response.status_code == 401


def test_a_user_without_a_role_group_is_refused(seller):
    seller.groups.clear()

    response = as_user(seller).get(DEALS)

    assert response.status_code == 403


def test_the_schema_endpoint_answers_without_signing_in():
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/deals/{id}/close-date-changes/" in response.content


# Listing deals


@pytest.fixture
def board(seller, other_seller):
    today = timezone.localdate()
    next_quarter_start, _ = period_bounds("next_quarter", today)
    lakeside = AccountFactory(name="Lakeside Arena")
    DealFactory(
        name="Auditorium refit",
        owner=seller,
        target_close_date=today,
        forecast_category="commit",
    )
    DealFactory(
        name="Summit staging",
        owner=other_seller,
        account=lakeside,
        target_close_date=next_quarter_start,
        project_type="event_staging",
        forecast_category="best_case",
    )
    DealFactory(name="Signed lobby screens", owner=seller, stage=stage("Won"))
    DealFactory(name="Gone to a rival", owner=other_seller, stage=stage("Lost"))
    DealFactory(name="Someday maybe", owner=seller, nurture=True)
    DealFactory(
        name="Slipped boardroom", owner=seller, target_close_date=today - dt.timedelta(days=3)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner={other_seller}", {"Summit staging", "Gone to a rival"}),
        ("close_period=next_quarter", {"Summit staging"}),
        ("close_period=overdue", {"Slipped boardroom"}),
        ("project_type=event_staging", {"Summit staging"}),
        ("forecast_category=commit", {"Auditorium refit"}),
        ("status=won", {"Signed lobby screens"}),
        ("status=lost", {"Gone to a rival"}),
        ("status=nurture", {"Someday maybe"}),
        (
            "status=open",
            {"Auditorium refit", "Summit staging", "Slipped boardroom"},
        ),
        ("q=lakeside", {"Summit staging"}),
        ("q=boardroom", {"Slipped boardroom"}),
        ("owner={other_seller}&status=open", {"Summit staging"}),
    ],
)
def test_the_deal_list_filters_like_the_pages(board, seller, other_seller, query, expected):
    url = f"{DEALS}?{query.format(other_seller=other_seller.pk)}"

    response = as_user(seller).get(url)

    assert response.status_code == 200
    assert names(response) == expected
    assert response.data["count"] == len(expected)


def test_an_unknown_filter_value_is_a_400(seller):
    response = as_user(seller).get(f"{DEALS}?status=sideways")

    assert response.status_code == 400
    assert set(response.data) == {"status"}


def test_the_deal_list_orders_by_a_field_on_request(seller):
    DealFactory(name="Small", amount=Decimal("10.00"))
    DealFactory(name="Large", amount=Decimal("900.00"))
    DealFactory(name="Medium", amount=Decimal("300.00"))

    response = as_user(seller).get(f"{DEALS}?ordering=-amount")

    assert [row["name"] for row in response.data["results"]] == ["Large", "Medium", "Small"]


def test_the_deal_list_pages_by_the_requested_size(seller):
    DealFactory.create_batch(7)
    client = as_user(seller)

    first = client.get(f"{DEALS}?page_size=5")
    second = client.get(first.data["next"])

    assert first.data["count"] == 7
    assert len(first.data["results"]) == 5
    assert len(second.data["results"]) == 2
    assert second.data["next"] is None
    assert {r["id"] for r in first.data["results"]}.isdisjoint(
        {r["id"] for r in second.data["results"]}
    )


def test_a_deal_reads_with_names_weighted_amount_and_version(seller):
    deal = DealFactory(
        owner=seller,
        account=AccountFactory(name="Lakeside Arena"),
        amount=Decimal("12500.00"),
        probability=20,
    )

    response = as_user(seller).get(deal_url(deal))

    assert response.status_code == 200
    assert response.data["account_name"] == "Lakeside Arena"
    assert response.data["owner"] == seller.pk
    assert response.data["owner_name"] == "Sam Seller"
    assert response.data["stage_name"] == "Discovery"
    assert response.data["amount"] == "12500.00"
    assert response.data["weighted_amount"] == "2500.00"
    assert response.data["version"] == version_of(deal)
    assert response.data["url"] == f"http://testserver{deal_url(deal)}"
    assert "close_date_reason" not in response.data


def test_an_unknown_deal_is_a_404(seller):
    response = as_user(seller).get(f"{DEALS}999999/")

    assert response.status_code == 404


# Creating deals


def test_a_seller_opens_a_deal_in_the_first_stage_owned_by_themselves(seller):
    account = AccountFactory()
    close = timezone.localdate() + dt.timedelta(days=30)

    response = as_user(seller).post(
        DEALS,
        {
            "name": "Ballroom sound",
            "account": account.pk,
            "target_close_date": close.isoformat(),
            "amount": "12500.50",
            "project_type": "event_staging",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    deal = Deal.objects.get()
    assert deal.owner == seller
    assert deal.stage == stage("Qualify")
    assert deal.probability == 10
    assert deal.currency == "USD"
    assert deal.amount == Decimal("12500.50")
    assert deal.target_close_date == close
    assert response.data["id"] == deal.pk
    assert response.data["owner_name"] == "Sam Seller"
    assert response.data["weighted_amount"] == "1250.05"
    assert response.data["version"] == version_of(deal)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"name": None}, "name"),
        ({"target_close_date": "yesterday"}, "target_close_date"),
        ({"target_close_date": "not a date"}, "target_close_date"),
        ({"account": 999999}, "account"),
        ({"account": "lakeside"}, "account"),
        ({"stage": 999999}, "stage"),
        ({"probability": 101}, "probability"),
        ({"project_type": "juggling"}, "project_type"),
    ],
)
def test_a_deal_with_bad_input_is_refused_field_by_field(seller, change, field):
    today = timezone.localdate()
    data = {
        "name": "Ballroom sound",
        "account": AccountFactory().pk,
        "target_close_date": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(change)
    if data["target_close_date"] == "yesterday":
        data["target_close_date"] = (today - dt.timedelta(days=1)).isoformat()
    data = {key: value for key, value in data.items() if value is not None}

    response = as_user(seller).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert Deal.objects.count() == 0


def test_an_unknown_account_says_which_id_does_not_exist(seller):
    response = as_user(seller).post(
        DEALS,
        {"name": "Ghost", "account": 999999, "target_close_date": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["account"] == ['Invalid pk "999999" - object does not exist.']


def test_a_close_date_before_the_deal_exists_is_refused_with_the_services_message(seller):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = as_user(seller).post(
        DEALS,
        {"name": "Late", "account": AccountFactory().pk, "target_close_date": yesterday},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["target_close_date"][0].startswith(
        "The close date cannot be before the deal was created"
    )


def test_a_new_deal_cannot_start_won(seller):
    response = as_user(seller).post(
        DEALS,
        {
            "name": "Too easy",
            "account": AccountFactory().pk,
            "target_close_date": "2099-01-01",
            "stage": stage("Won").pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"stage": ["A new deal starts in an open stage."]}
    assert Deal.objects.count() == 0


def test_finance_cannot_open_a_deal(finance):
    response = as_user(finance).post(
        DEALS,
        {"name": "Audit", "account": AccountFactory().pk, "target_close_date": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 403
    assert response.data["detail"] == "Your role cannot open deals."
    assert Deal.objects.count() == 0


def test_deals_cannot_be_deleted(admin_user):
    deal = DealFactory()

    response = as_user(admin_user).delete(deal_url(deal))

    assert response.status_code == 405
    assert Deal.objects.filter(pk=deal.pk).exists()


# Editing deals


def test_a_seller_cannot_edit_someone_elses_deal(seller, other_seller):
    deal = DealFactory(owner=other_seller, name="Theirs")

    response = as_user(seller).patch(deal_url(deal), {"name": "Mine now"}, format="json")

    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.name == "Theirs"


def test_a_seller_edits_their_own_deal(seller):
    deal = DealFactory(owner=seller, amount=Decimal("100.00"))

    response = as_user(seller).patch(
        deal_url(deal), {"amount": "2500.00", "next_step": "Site visit"}, format="json"
    )

    assert response.status_code == 200, response.data
    deal.refresh_from_db()
    assert deal.amount == Decimal("2500.00")
    assert deal.next_step == "Site visit"
    assert response.data["version"] == version_of(deal)


def test_a_project_manager_edits_any_deal(project_manager, seller):
    deal = DealFactory(owner=seller)

    response = as_user(project_manager).patch(
        deal_url(deal), {"forecast_category": "commit"}, format="json"
    )

    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.forecast_category == "commit"


@pytest.mark.parametrize("persona", ["finance", "other_seller"])
def test_read_only_personas_cannot_use_deal_actions(request, persona, seller):
    deal = DealFactory(owner=seller)
    client = as_user(request.getfixturevalue(persona))

    responses = [
        client.post(deal_url(deal, "move"), {"stage": stage("Proposal").pk}),
        client.post(deal_url(deal, "lost"), {"lost_reason": "price"}),
        client.post(deal_url(deal, "nurture"), {}),
        client.put(deal_url(deal), {}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")
    assert deal.nurture is False


def test_an_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(seller):
    deal = DealFactory(owner=seller, name="Original", amount=Decimal("100.00"))
    client = as_user(seller)
    read = client.get(deal_url(deal)).data["version"]
    services.do_update_deal(deal, seller, {"next_step": "Someone else was here"})

    response = client.patch(
        deal_url(deal), {"name": "Mine", "amount": "999.00", "version": read}, format="json"
    )

    assert response.status_code == 409
    assert response.data["detail"].startswith("Someone else changed this since you opened it.")
    deal.refresh_from_db()
    assert (deal.name, deal.amount) == ("Original", Decimal("100.00"))


def test_an_edit_with_the_current_version_goes_through(seller):
    deal = DealFactory(owner=seller)
    client = as_user(seller)
    read = client.get(deal_url(deal)).data["version"]

    response = client.patch(deal_url(deal), {"name": "Renamed", "version": read}, format="json")

    assert response.status_code == 200
    assert response.data["name"] == "Renamed"


def test_moving_the_close_date_later_through_an_edit_needs_a_reason(seller):
    deal = DealFactory(owner=seller, name="Original")
    later = deal.target_close_date + dt.timedelta(days=14)

    response = as_user(seller).patch(
        deal_url(deal), {"name": "Renamed", "target_close_date": later}, format="json"
    )

    assert response.status_code == 400
    assert set(response.data) == {"close_date_reason"}
    deal.refresh_from_db()
    assert (deal.name, deal.target_close_date) == ("Original", later - dt.timedelta(days=14))
    assert CloseDateChange.objects.count() == 0


def test_moving_the_close_date_later_through_an_edit_keeps_the_reason(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date
    later = old + dt.timedelta(days=14)

    response = as_user(seller).patch(
        deal_url(deal),
        {"target_close_date": later, "close_date_reason": "Board meets later"},
        format="json",
    )

    assert response.status_code == 200
    change = CloseDateChange.objects.get()
    assert (change.deal, change.changed_by) == (deal, seller)
    assert (change.old_date, change.new_date, change.reason) == (old, later, "Board meets later")


# Deal actions


def test_a_deal_moves_to_another_open_stage_and_takes_its_probability(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "move"), {"stage": stage("Proposal").pk})

    assert response.status_code == 200
    assert response.data["stage_name"] == "Proposal"
    assert response.data["probability"] == 40


def test_moving_a_deal_to_lost_is_refused_with_the_reason(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "move"), {"stage": stage("Lost").pk})

    assert response.status_code == 400
    assert response.data == {
        "non_field_errors": ["A lost deal needs a reason: use “Mark lost” on the deal page."]
    }
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


def test_marking_a_deal_lost_needs_a_reason(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "lost"), {"lost_note": "No idea"})

    assert response.status_code == 400
    assert response.data == {"lost_reason": ["Say why the deal was lost."]}
    deal.refresh_from_db()
    assert deal.stage == stage("Discovery")


def test_marking_a_deal_lost_closes_it_with_reason_and_note(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(
        deal_url(deal, "lost"), {"lost_reason": "price", "lost_note": "Cheaper rival"}
    )

    assert response.status_code == 200
    assert response.data["stage_name"] == "Lost"
    assert response.data["lost_reason"] == "price"
    assert response.data["lost_note"] == "Cheaper rival"
    assert response.data["closed_on"] == timezone.localdate().isoformat()


def test_a_later_close_date_without_a_reason_is_refused_and_not_recorded(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date

    response = as_user(seller).post(
        deal_url(deal, "close-date"),
        {"target_close_date": old + dt.timedelta(days=7), "reason": "  "},
    )

    assert response.status_code == 400
    assert set(response.data) == {"reason"}
    deal.refresh_from_db()
    assert deal.target_close_date == old
    assert CloseDateChange.objects.count() == 0


def test_a_close_date_change_is_recorded_and_listed_on_the_deal(seller):
    deal = DealFactory(owner=seller)
    old = deal.target_close_date
    client = as_user(seller)

    moved = client.post(
        deal_url(deal, "close-date"),
        {"target_close_date": old + dt.timedelta(days=7), "reason": "Budget sign-off"},
    )
    history = client.get(deal_url(deal, "close-date-changes"))

    assert moved.status_code == 200
    assert history.status_code == 200
    assert history.data["count"] == 1
    row = history.data["results"][0]
    assert row["changed_by"] == seller.pk
    assert row["changed_by_name"] == "Sam Seller"
    assert row["old_date"] == old.isoformat()
    assert row["days_moved"] == 7
    assert row["reason"] == "Budget sign-off"


def test_a_deal_goes_to_nurture_and_returns(seller):
    deal = DealFactory(owner=seller)
    client = as_user(seller)

    nurtured = client.post(deal_url(deal, "nurture"), {"note": "Next budget year"})
    returned = client.post(deal_url(deal, "return"))

    assert nurtured.status_code == 200
    assert nurtured.data["nurture"] is True
    assert nurtured.data["nurture_note"] == "Next budget year"
    assert returned.status_code == 200
    assert returned.data["nurture"] is False


def test_returning_a_deal_that_is_not_in_nurture_is_a_400(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "return"))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["This deal is in the pipeline already."]}


def test_a_lost_deal_reopens_into_the_stage_asked_for(seller):
    deal = DealFactory(owner=seller, stage=stage("Lost"), lost_reason="price")

    response = as_user(seller).post(deal_url(deal, "reopen"), {"stage": stage("Proposal").pk})

    assert response.status_code == 200
    assert response.data["stage_name"] == "Proposal"
    assert response.data["lost_reason"] == ""


def test_reopening_an_open_deal_is_a_400(seller):
    deal = DealFactory(owner=seller)

    response = as_user(seller).post(deal_url(deal, "reopen"))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["This deal is open already."]}


# Stages


def test_everyone_reads_the_stages_in_order(finance):
    response = as_user(finance).get("/api/v1/stages/")

    assert response.status_code == 200
    assert [row["name"] for row in response.data["results"]] == [
        "Qualify",
        "Discovery",
        "Proposal",
        "Negotiation",
        "Verbal commit",
        "Won",
        "Lost",
    ]


@pytest.mark.parametrize("persona", ["seller", "project_manager", "executive", "finance"])
def test_only_admins_change_stages(request, persona):
    client = as_user(request.getfixturevalue(persona))
    qualify = stage("Qualify")

    created = client.post("/api/v1/stages/", {"name": "Scoping", "order": 20})
    edited = client.patch(f"/api/v1/stages/{qualify.pk}/", {"probability": 5})

    assert (created.status_code, edited.status_code) == (403, 403)
    assert not Stage.objects.filter(name="Scoping").exists()


def test_an_admin_adds_and_edits_a_stage(admin_user):
    client = as_user(admin_user)

    created = client.post("/api/v1/stages/", {"name": "Scoping", "order": 20, "probability": 15})
    edited = client.patch(f"/api/v1/stages/{created.data['id']}/", {"probability": 25})

    assert created.status_code == 201
    assert edited.status_code == 200
    assert Stage.objects.get(name="Scoping").probability == 25


def test_a_stage_cannot_be_both_won_and_lost(admin_user):
    response = as_user(admin_user).post(
        "/api/v1/stages/", {"name": "Confused", "order": 30, "is_won": True, "is_lost": True}
    )

    assert response.status_code == 400
    assert set(response.data) == {"non_field_errors"}
    assert not Stage.objects.filter(name="Confused").exists()


# Accounts and contacts


def test_a_seller_adds_an_account_they_own(seller):
    response = as_user(seller).post(
        "/api/v1/accounts/", {"name": "Lakeside Arena", "industry": "sports", "city": "Austin"}
    )

    assert response.status_code == 201
    account = Account.objects.get()
    assert (account.name, account.owner) == ("Lakeside Arena", seller)
    assert response.data["owner_name"] == "Sam Seller"


def test_finance_reads_accounts_but_cannot_change_them(finance):
    account = AccountFactory(name="Lakeside Arena")
    client = as_user(finance)

    read = client.get("/api/v1/accounts/")
    created = client.post("/api/v1/accounts/", {"name": "New"})
    edited = client.patch(f"/api/v1/accounts/{account.pk}/", {"name": "Renamed"})

    assert read.status_code == 200
    assert names(read) == {"Lakeside Arena"}
    assert (created.status_code, edited.status_code) == (403, 403)
    account.refresh_from_db()
    assert account.name == "Lakeside Arena"


def test_crew_cannot_change_contacts():
    crew = UserFactory(username="cal", role=Role.CREW)
    contact = ContactFactory(first_name="Ana")

    response = as_user(crew).patch(f"/api/v1/contacts/{contact.pk}/", {"first_name": "Ann"})

    assert response.status_code == 403


def test_a_stale_account_edit_is_a_409(seller):
    account = AccountFactory(name="Original")
    client = as_user(seller)
    read = client.get(f"/api/v1/accounts/{account.pk}/").data["version"]
    Account.objects.filter(pk=account.pk).update(updated_at=timezone.now() + dt.timedelta(1))

    response = client.patch(
        f"/api/v1/accounts/{account.pk}/", {"name": "Mine", "version": read}, format="json"
    )

    assert response.status_code == 409
    account.refresh_from_db()
    assert account.name == "Original"


def test_a_contact_is_created_with_emails_and_phones_and_reads_them_nested(seller):
    client = as_user(seller)

    created = client.post(
        "/api/v1/contacts/",
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "emails": ["Ana@Example.com", "ana.l@example.org"],
            "phones": ["+1 512 555 0100"],
        },
        format="json",
    )
    read = client.get(created.data["url"])

    assert created.status_code == 201, created.data
    assert read.data["full_name"] == "Ana Lopez"
    assert [(e["email"], e["is_primary"]) for e in read.data["emails"]] == [
        ("ana@example.com", True),
        ("ana.l@example.org", False),
    ]
    assert [p["number"] for p in read.data["phones"]] == ["+1 512 555 0100"]


def test_a_contact_edit_replaces_the_emails_it_is_given_and_keeps_the_phones(seller):
    contact = ContactFactory()
    ContactEmailFactory(contact=contact, email="old@example.com")
    contact.phones.create(number="555 0100", is_primary=True)

    response = as_user(seller).patch(
        f"/api/v1/contacts/{contact.pk}/", {"emails": ["new@example.com"]}, format="json"
    )

    assert response.status_code == 200
    assert [e["email"] for e in response.data["emails"]] == ["new@example.com"]
    assert [p["number"] for p in response.data["phones"]] == ["555 0100"]


def test_a_contact_with_a_bad_email_is_not_created(seller):
    response = as_user(seller).post(
        "/api/v1/contacts/",
        {"first_name": "Ana", "last_name": "Lopez", "emails": ["not-an-email"]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"emails"}
    assert Contact.objects.count() == 0


# Stakeholders


def test_a_stakeholder_period_cannot_end_before_it_starts(seller):
    response = as_user(seller).post(
        "/api/v1/stakeholders/",
        {
            "contact": ContactFactory().pk,
            "account": AccountFactory().pk,
            "start_date": "2025-03-01",
            "end_date": "2025-02-01",
        },
    )

    assert response.status_code == 400
    assert response.data == {
        "end_date": ["The role cannot end (01 Feb 2025) before it starts (01 Mar 2025)."]
    }
    assert Stakeholder.objects.count() == 0


def test_a_stakeholder_edit_cannot_end_the_period_before_it_starts(seller):
    period = StakeholderFactory(start_date=dt.date(2025, 3, 1))

    response = as_user(seller).patch(
        f"/api/v1/stakeholders/{period.pk}/", {"end_date": "2025-02-01"}
    )

    assert response.status_code == 400
    assert set(response.data) == {"end_date"}
    period.refresh_from_db()
    assert period.end_date is None


def test_a_stakeholder_edit_cannot_hand_the_role_to_another_account(seller):
    period = StakeholderFactory()

    response = as_user(seller).patch(
        f"/api/v1/stakeholders/{period.pk}/", {"account": AccountFactory().pk}
    )

    assert response.status_code == 400
    assert set(response.data) == {"account"}


def test_moving_a_stakeholder_ends_the_old_period_and_starts_a_new_one(seller):
    period = StakeholderFactory(start_date=dt.date(2024, 1, 1), title="Head of AV")
    new_account = AccountFactory(name="Lakeside Arena")

    response = as_user(seller).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": new_account.pk, "moved_on": "2025-06-01", "influence": "decision_maker"},
    )

    assert response.status_code == 201, response.data
    period.refresh_from_db()
    assert period.end_date == dt.date(2025, 5, 31)
    new_period = Stakeholder.objects.get(pk=response.data["id"])
    assert new_period.contact == period.contact
    assert new_period.account == new_account
    assert (new_period.start_date, new_period.end_date) == (dt.date(2025, 6, 1), None)
    assert (new_period.title, new_period.influence) == ("Head of AV", "decision_maker")
    assert response.data["account_name"] == "Lakeside Arena"


def test_moving_a_stakeholder_to_the_same_account_changes_nothing(seller):
    period = StakeholderFactory()

    response = as_user(seller).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": period.account_id, "moved_on": "2025-06-01"},
    )

    assert response.status_code == 400
    assert set(response.data) == {"to_account"}
    assert Stakeholder.objects.count() == 1
    period.refresh_from_db()
    assert period.end_date is None


def test_finance_cannot_move_a_stakeholder(finance):
    period = StakeholderFactory()

    response = as_user(finance).post(
        f"/api/v1/stakeholders/{period.pk}/move/",
        {"to_account": AccountFactory().pk, "moved_on": "2025-06-01"},
    )

    assert response.status_code == 403
    assert Stakeholder.objects.count() == 1


# Activities


def test_an_activity_is_logged_with_the_requester_as_author(seller, other_seller):
    account = AccountFactory()
    contact = ContactFactory()

    response = as_user(seller).post(
        "/api/v1/activities/",
        {
            "account": account.pk,
            "kind": "call",
            "subject": "Budget call",
            "contacts": [contact.pk],
            "attendees": [other_seller.pk],
            "author": other_seller.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    activity = Activity.objects.get()
    assert activity.author == seller
    assert list(activity.contacts.all()) == [contact]
    assert list(activity.attendees.all()) == [other_seller]
    assert response.data["author_name"] == "Sam Seller"


def test_an_activity_on_another_accounts_deal_is_refused(seller):
    response = as_user(seller).post(
        "/api/v1/activities/",
        {"account": AccountFactory().pk, "deal": DealFactory().pk, "subject": "Mixed up"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"deal": ["That deal belongs to another account."]}
    assert Activity.objects.count() == 0


def test_activities_cannot_be_edited(seller):
    activity = ActivityFactory(author=seller)

    response = as_user(seller).patch(f"/api/v1/activities/{activity.pk}/", {"subject": "New"})

    assert response.status_code == 405


# Query counts: every list costs the same however many rows it shows.


def _close_date_changes(rows: int) -> str:
    deal = DealFactory()
    CloseDateChangeFactory.create_batch(rows, deal=deal)
    return deal_url(deal, "close-date-changes")


def _stages(rows: int) -> str:
    for i in range(rows):
        Stage.objects.create(name=f"Step {i}", order=100 + i)
    return "/api/v1/stages/"


LISTS = {
    # Each list: session, user, the user's own permissions, their group's permissions,
    # COUNT(*) and the page of rows with its foreign keys joined ...
    "accounts": (lambda n: AccountFactory.create_batch(n) and "/api/v1/accounts/", 6),
    # ... plus the prefetched emails and phones ...
    "contacts": (lambda n: ContactEmailFactory.create_batch(n) and "/api/v1/contacts/", 8),
    "stakeholders": (lambda n: StakeholderFactory.create_batch(n) and "/api/v1/stakeholders/", 6),
    # ... plus the prefetched contacts and attendees ...
    "activities": (lambda n: ActivityFactory.create_batch(n) and "/api/v1/activities/", 8),
    "stages": (_stages, 6),
    "deals": (lambda n: DealFactory.create_batch(n) and DEALS, 6),
    # ... plus the deal itself before COUNT(*) and the page of changes.
    "close-date-changes": (_close_date_changes, 7),
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("endpoint", LISTS)
def test_each_list_takes_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_num_queries, executive, endpoint, rows
):
    make, queries = LISTS[endpoint]
    url = make(rows)
    client = as_user(executive)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.data["results"]) == min(rows + (7 if endpoint == "stages" else 0), 50)
