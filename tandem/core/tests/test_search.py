import datetime as dt

import pytest

from tandem.core.search import PER_KIND, global_search
from tandem.crm.tests.factories import AccountFactory, ContactEmailFactory, ContactFactory
from tandem.people.models import User
from tandem.pipeline.tests.factories import DealFactory


@pytest.fixture
def lakeside(seller):
    return AccountFactory(name="Lakeside Community College", city="Evanston", owner=seller)


@pytest.fixture
def harbor(seller):
    return AccountFactory(name="Harbor Arena", city="Chicago", owner=seller)


def _names(rows):
    return [str(row) for row in rows]


@pytest.mark.django_db
def test_search_finds_accounts_containing_every_word_in_any_order(lakeside, harbor, seller):
    AccountFactory(name="Lakeside Marina")

    results = global_search("college LAKE", seller)

    assert _names(results.accounts) == ["Lakeside Community College"]


@pytest.mark.django_db
def test_search_finds_a_contact_by_part_of_their_email(seller):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=ana, email="ana@lakeside.edu")
    ContactEmailFactory(email="bo@harbor.com")

    results = global_search("lakeside.edu", seller)

    assert results.contacts == [ana]


@pytest.mark.django_db
def test_search_finds_a_contact_whose_words_match_their_name_and_their_email(seller):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=ana, email="ana@lakeside.edu", is_primary=True)
    ContactEmailFactory(contact=ana, email="ana.lima@gmail.com", is_primary=False)
    ContactFactory(first_name="Ana", last_name="Silva")

    results = global_search("ana lakeside", seller)

    assert results.contacts == [ana]


@pytest.mark.django_db
def test_a_contact_with_several_matching_emails_is_found_once(seller):
    ana = ContactFactory(first_name="Ana", last_name="Lima")
    ContactEmailFactory(contact=ana, email="ana@lakeside.edu", is_primary=True)
    ContactEmailFactory(contact=ana, email="ana.lima@lakeside.edu", is_primary=False)

    results = global_search("lakeside", seller)

    assert results.contacts == [ana]


@pytest.mark.django_db
def test_contacts_are_listed_by_last_then_first_name(seller):
    ContactFactory(first_name="Zoe", last_name="Adams")
    ContactFactory(first_name="Ann", last_name="Baker")
    ContactFactory(first_name="Amy", last_name="Adams")

    results = global_search("a", seller)

    assert _names(results.contacts) == ["Amy Adams", "Zoe Adams", "Ann Baker"]


@pytest.mark.django_db
def test_search_finds_deals_by_their_name_or_their_accounts_name(lakeside, harbor, seller):
    DealFactory(name="Auditorium refit", account=lakeside, target_close_date=dt.date(2025, 6, 1))
    DealFactory(name="Gym sound", account=lakeside, target_close_date=dt.date(2025, 9, 1))
    DealFactory(name="Arena LED wall", account=harbor, target_close_date=dt.date(2025, 7, 1))

    results = global_search("lakeside auditorium", seller)

    assert _names(results.deals) == ["Auditorium refit"]
    assert _names(global_search("lakeside", seller).deals) == ["Gym sound", "Auditorium refit"]


@pytest.mark.django_db
def test_one_query_searches_accounts_contacts_and_deals_together(harbor, seller):
    bo = ContactFactory(first_name="Bo", last_name="Harbor")
    DealFactory(name="LED wall", account=harbor)

    results = global_search("harbor", seller)

    assert _names(results.accounts) == ["Harbor Arena"]
    assert results.contacts == [bo]
    assert _names(results.deals) == ["LED wall"]
    assert results.empty is False


@pytest.mark.django_db
def test_search_with_no_match_is_empty(lakeside, seller):
    results = global_search("zeppelin", seller)

    assert (results.accounts, results.contacts, results.deals) == ([], [], [])
    assert results.empty is True


@pytest.mark.django_db
def test_search_returns_at_most_the_limit_of_each_kind(seller):
    for n in range(3):
        account = AccountFactory(name=f"Venue {n}", owner=seller)
        ContactFactory(first_name="Venue", last_name=f"Manager {n}")
        DealFactory(
            name=f"Venue deal {n}",
            account=account,
            target_close_date=dt.date(2025, 6, 1) + dt.timedelta(days=n),
        )

    results = global_search("venue", seller, limit=2)

    assert _names(results.accounts) == ["Venue 0", "Venue 1"]
    assert _names(results.contacts) == ["Venue Manager 0", "Venue Manager 1"]
    assert _names(results.deals) == ["Venue deal 2", "Venue deal 1"]


@pytest.mark.django_db
def test_search_returns_eight_of_each_kind_by_default(seller):
    AccountFactory.create_batch(PER_KIND + 1, owner=seller)

    results = global_search("account", seller)

    assert PER_KIND == 8
    assert len(results.accounts) == 8


@pytest.mark.django_db
def test_someone_who_may_not_read_accounts_contacts_or_deals_finds_none(harbor):
    # Signed in, but in no role's group: no permission at all.
    outsider = User.objects.create_user("nobody", password="pw")
    ContactFactory(first_name="Bo", last_name="Harbor")
    DealFactory(name="LED wall", account=harbor)

    results = global_search("harbor", outsider)

    assert results.empty is True


@pytest.mark.django_db
def test_the_search_page_lists_each_kind_as_its_app_shows_it(client, seller, harbor):
    DealFactory(name="LED wall", account=harbor)
    client.force_login(seller)

    html = client.get("/search/", {"q": "harbor"}).content.decode()

    assert '<i class="bi bi-building"></i> Harbor Arena' in html
    assert 'LED wall <span class="text-muted">Harbor Arena · Discovery</span>' in html
