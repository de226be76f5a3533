import datetime as dt

import pytest
from django.utils import timezone

from tandem.crm.filters import AccountFilter, ContactFilter, StakeholderFilter
from tandem.crm.models import Account, Contact, Stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)


def _accounts(data) -> list[str]:
    return [a.name for a in AccountFilter(data, queryset=Account.objects.all()).qs]


def _contacts(data) -> list[str]:
    return [c.full_name for c in ContactFilter(data, queryset=Contact.objects.all()).qs]


def _stakeholders(data) -> list[str]:
    qs = StakeholderFilter(data, queryset=Stakeholder.objects.all()).qs
    return sorted(s.title for s in qs)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def lakeside():
    return AccountFactory(name="Lakeside College", city="Evanston")


@pytest.fixture
def harbor():
    return AccountFactory(name="Harbor Arena", city="Chicago")


# --- accounts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_search_matches_every_word_in_the_name_or_city(lakeside, harbor):
    AccountFactory(name="Lakeside Marina", city="Chicago")

    assert _accounts({"q": "lakeside"}) == ["Lakeside College", "Lakeside Marina"]
    assert _accounts({"q": "LAKESIDE chicago"}) == ["Lakeside Marina"]
    assert _accounts({"q": "evanston"}) == ["Lakeside College"]
    assert _accounts({"q": "zeppelin"}) == []


@pytest.mark.django_db
def test_accounts_filter_by_tier():
    AccountFactory(name="Big", tier="strategic")
    AccountFactory(name="Middle", tier="key")
    AccountFactory(name="Small", tier="standard")

    assert _accounts({"tier": "key"}) == ["Middle"]


@pytest.mark.django_db
def test_accounts_filter_by_status():
    AccountFactory(name="Hopeful", status="prospect")
    AccountFactory(name="Paying", status="customer")
    AccountFactory(name="Gone", status="former")

    assert _accounts({"status": "customer"}) == ["Paying"]


@pytest.mark.django_db
def test_accounts_filter_by_industry_and_owner(seller, other_seller):
    AccountFactory(name="School", industry="education", owner=seller)
    AccountFactory(name="Other school", industry="education", owner=other_seller)
    AccountFactory(name="Church", industry="worship", owner=seller)

    assert _accounts({"industry": "education", "owner": seller.pk}) == ["School"]


# --- contacts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_contacts_filter_by_the_account_they_are_at_now(lakeside, harbor, today):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    StakeholderFactory(contact=ana, account=lakeside, start_date=today - dt.timedelta(days=30))
    bo = ContactFactory(first_name="Bo", last_name="Berg")
    StakeholderFactory(
        contact=bo,
        account=lakeside,
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=1),
    )
    StakeholderFactory(contact=bo, account=harbor, start_date=today)
    cy = ContactFactory(first_name="Cy", last_name="Cole")
    StakeholderFactory(contact=cy, account=lakeside, start_date=today + dt.timedelta(days=1))

    assert _contacts({"account": lakeside.pk}) == ["Ana Lima"]
    assert _contacts({"account": harbor.pk}) == ["Bo Berg"]


@pytest.mark.django_db
def test_a_contact_whose_role_ends_today_is_still_at_the_account(lakeside, today):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    StakeholderFactory(
        contact=ana, account=lakeside, start_date=today - dt.timedelta(days=30), end_date=today
    )

    assert _contacts({"account": lakeside.pk}) == ["Ana Lima"]


@pytest.mark.django_db
def test_a_contact_with_two_current_roles_at_an_account_is_listed_once(lakeside, today):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    StakeholderFactory(contact=ana, account=lakeside, title="CIO", start_date=today)
    StakeholderFactory(contact=ana, account=lakeside, title="Board member", start_date=today)

    assert _contacts({"account": lakeside.pk}) == ["Ana Lima"]


@pytest.mark.django_db
def test_contact_search_matches_names_and_any_of_their_emails():
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=ana, email="ana@lakeside.edu", is_primary=True)
    ContactEmailFactory(contact=ana, email="ana.lima@gmail.com", is_primary=False)
    bo = ContactFactory(first_name="Bo", last_name="Berg")
    ContactEmailFactory(contact=bo, email="bo@harbor.com")

    assert _contacts({"q": "gmail.com"}) == ["Ana Lima"]
    assert _contacts({"q": "harbor"}) == ["Bo Berg"]
    assert _contacts({"q": "lima LAKESIDE"}) == ["Ana Lima"]
    assert _contacts({"q": "berg lakeside"}) == []


@pytest.mark.django_db
def test_contact_search_and_account_combine(lakeside, today):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    StakeholderFactory(contact=ana, account=lakeside, start_date=today)
    ContactFactory(first_name="Ana", last_name="Silva")

    assert _contacts({"q": "ana", "account": lakeside.pk}) == ["Ana Lima"]


# --- stakeholders ---------------------------------------------------------------------------


@pytest.fixture
def roles(lakeside, today):
    for title, start, end in [
        ("open-ended", -30, None),
        ("ends today", -30, 0),
        ("starts today", 0, None),
        ("ended yesterday", -30, -1),
        ("starts tomorrow", 1, None),
    ]:
        StakeholderFactory(
            account=lakeside,
            title=title,
            start_date=today + dt.timedelta(days=start),
            end_date=None if end is None else today + dt.timedelta(days=end),
        )


@pytest.mark.django_db
def test_stakeholders_filter_to_the_current_ones(roles):
    assert _stakeholders({"current": "true"}) == ["ends today", "open-ended", "starts today"]


@pytest.mark.django_db
def test_stakeholders_filter_to_the_ones_not_current(roles):
    assert _stakeholders({"current": "false"}) == ["ended yesterday", "starts tomorrow"]


@pytest.mark.django_db
def test_stakeholders_without_the_current_filter_are_all_listed(roles):
    assert len(_stakeholders({})) == 5


@pytest.mark.django_db
def test_stakeholders_filter_by_account_and_influence(lakeside, harbor, today):
    StakeholderFactory(account=lakeside, title="Lakeside champion", influence="champion")
    StakeholderFactory(account=lakeside, title="Lakeside blocker", influence="blocker")
    StakeholderFactory(account=harbor, title="Harbor champion", influence="champion")

    data = {"account": lakeside.pk, "influence": "champion"}

    assert _stakeholders(data) == ["Lakeside champion"]


@pytest.mark.django_db
def test_is_current_agrees_with_the_current_filter(roles):
    current = set(_stakeholders({"current": "true"}))

    assert {s.title for s in Stakeholder.objects.all() if s.is_current} == current


# --- activities -----------------------------------------------------------------------------
