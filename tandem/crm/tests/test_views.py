import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tandem.crm.models import Account, Contact, Stakeholder
from tandem.crm.services import do_move_stakeholder
from tandem.crm.tests.factories import (
    AccountFactory,
    ContactEmailFactory,
    ContactFactory,
    StakeholderFactory,
)
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/accounts/", "/contacts/", "/accounts/new/", "/contacts/new/", "/search/?q=ab"],
)
def test_an_outsider_is_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_finance_reads_accounts_but_cannot_change_them(finance_client):
    account = AccountFactory()

    page = finance_client.get(account.get_absolute_url())
    edit = finance_client.get(reverse("crm:account_edit", args=[account.pk]))
    add = finance_client.post(
        reverse("crm:account_add_person", args=[account.pk]),
        {"person-first_name": "A", "person-last_name": "B", "person-start_date": "2025-01-01"},
    )

    assert page.status_code == 200
    assert edit.status_code == 403
    assert add.status_code == 403
    assert Contact.objects.count() == 0


def test_unknown_account_is_a_404(seller_client):
    assert seller_client.get(reverse("crm:account_detail", args=[424242])).status_code == 404


def test_the_account_list_searches_and_filters(seller_client):
    AccountFactory(name="Lakeside Convention Center", tier="strategic")
    AccountFactory(name="Lakeside Church", tier="standard")
    AccountFactory(name="Harbor Hotel", tier="strategic")

    response = seller_client.get(
        reverse("crm:account_list"), {"q": "lakeside", "tier": "strategic"}
    )

    assert [a.name for a in response.context["page_obj"]] == ["Lakeside Convention Center"]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_account_list_runs_the_same_queries_whatever_the_data(
    seller_client, rows, django_assert_num_queries
):
    for account in AccountFactory.create_batch(rows):
        DealFactory(account=account)
    seller_client.get(reverse("crm:account_list"))

    # session, user, permissions (user, group), owner choices, count, page with deal counts,
    # the navbar's unread count
    with django_assert_num_queries(8):
        response = seller_client.get(reverse("crm:account_list"), {"sort": "-open"})
    assert response.context["page_obj"][0].open_deal_count == 1


@pytest.mark.parametrize("rows", [5, 50])
def test_the_contact_list_runs_the_same_queries_whatever_the_data(
    seller_client, rows, django_assert_num_queries
):
    for _ in range(rows):
        email = ContactEmailFactory()
        StakeholderFactory(contact=email.contact)
    seller_client.get(reverse("crm:contact_list"))

    # session, user, count, permissions (user, group), page, emails, current roles, the
    # navbar's unread count
    with django_assert_num_queries(9):
        seller_client.get(reverse("crm:contact_list"))


def test_the_account_page_shows_a_stakeholder_who_moved(seller_client):
    old = AccountFactory(name="Old Co")
    new = AccountFactory(name="New Co")
    role = StakeholderFactory(
        account=old,
        contact=ContactFactory(first_name="Dana", last_name="Whit"),
        start_date=dt.date(2021, 3, 1),
    )
    do_move_stakeholder(role, None, to_account=new, moved_on=dt.date(2024, 2, 1))

    response = seller_client.get(old.get_absolute_url())

    body = response.content.decode()
    assert response.context["current_people"] == []
    assert [s.contact.last_name for s in response.context["former_people"]] == ["Whit"]
    assert "moved to" in body
    assert "New Co" in body


def test_adding_a_person_creates_the_contact_and_the_role(seller_client):
    account = AccountFactory()

    response = seller_client.post(
        reverse("crm:account_add_person", args=[account.pk]),
        {
            "person-first_name": "Lee",
            "person-last_name": "Marsh",
            "person-email": "lee@example.com",
            "person-title": "Events Director",
            "person-influence": "decision_maker",
            "person-start_date": "2025-04-01",
        },
    )

    assert response.status_code == 302
    role = Stakeholder.objects.get(account=account)
    assert role.contact.full_name == "Lee Marsh"
    assert role.contact.emails.get().email == "lee@example.com"


def test_adding_a_person_with_a_bad_email_saves_nothing(seller_client):
    account = AccountFactory()

    response = seller_client.post(
        reverse("crm:account_add_person", args=[account.pk]),
        {
            "person-first_name": "Lee",
            "person-last_name": "Marsh",
            "person-email": "not-an-email",
            "person-influence": "user",
            "person-start_date": "2025-04-01",
        },
        follow=True,
    )

    assert "Enter an email address like name@example.com." in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_role_that_ends_before_it_starts_is_refused(seller_client):
    contact = ContactFactory()
    account = AccountFactory()

    response = seller_client.post(
        reverse("crm:contact_add_role", args=[contact.pk]),
        {
            "role-account": account.pk,
            "role-influence": "user",
            "role-start_date": "2025-05-01",
            "role-end_date": "2025-01-01",
        },
        follow=True,
    )

    assert "cannot end" in response.content.decode()
    assert Stakeholder.objects.count() == 0


def test_a_role_at_an_unknown_account_is_refused(seller_client):
    contact = ContactFactory()

    response = seller_client.post(
        reverse("crm:contact_add_role", args=[contact.pk]),
        {"role-account": "99999", "role-influence": "user", "role-start_date": "2025-05-01"},
        follow=True,
    )

    assert "That account does not exist" in response.content.decode()
    assert Stakeholder.objects.count() == 0


def test_moved_to_ends_one_role_and_starts_the_next(seller_client):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1), title="AV Manager")
    new = AccountFactory(name="Riverside Arena")

    response = seller_client.post(
        reverse("crm:stakeholder_move", args=[role.pk]),
        {
            "move-to_account": new.pk,
            "move-moved_on": "2025-03-01",
            "move-title": "Head of Production",
            "move-influence": "champion",
        },
        follow=True,
    )

    role.refresh_from_db()
    assert role.end_date == dt.date(2025, 2, 28)
    assert Stakeholder.objects.get(account=new).title == "Head of Production"
    body = response.content.decode()
    assert "moved from" in body
    assert "Riverside Arena" in body


def test_the_contact_page_shows_employment_history(seller_client):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1))
    do_move_stakeholder(
        role, None, to_account=AccountFactory(name="Next Co"), moved_on=dt.date(2024, 1, 1)
    )

    response = seller_client.get(role.contact.get_absolute_url())

    roles = response.context["roles"]
    assert [r.account.name for r in roles] == ["Next Co", role.account.name]


def test_a_stale_account_edit_is_refused(seller_client, project_manager):
    account = AccountFactory(name="Before")
    page = seller_client.get(reverse("crm:account_edit", args=[account.pk]))
    version = page.context["form"].initial["version"]
    from tandem.crm.services import do_update_account

    do_update_account(account, project_manager, {"name": "Pat's name"})

    response = seller_client.post(
        reverse("crm:account_edit", args=[account.pk]),
        {
            "name": "Sam's name",
            "industry": "corporate",
            "tier": "standard",
            "status": "prospect",
            "version": version,
        },
    )

    assert "Someone else changed this" in response.content.decode()
    assert Account.objects.get(pk=account.pk).name == "Pat's name"


def test_the_account_page_shows_its_history(seller_client, seller):
    account = AccountFactory(name="Before")
    seller_client.post(
        reverse("crm:account_edit", args=[account.pk]),
        {"name": "After", "industry": "corporate", "tier": "key", "status": "customer"},
    )

    response = seller_client.get(account.get_absolute_url())

    changes = {(c.label, c.old, c.new) for c in response.context["history"][0].changes}
    assert ("Name", "Before", "After") in changes
    assert ("Tier", "Standard", "Key") in changes


def test_the_quick_search_finds_accounts_people_and_deals(seller_client):
    AccountFactory(name="Summit Stadium")
    ContactEmailFactory(contact=ContactFactory(last_name="Summitt"))
    DealFactory(name="Summit keynote staging")

    response = seller_client.get(reverse("search"), {"q": "summit"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Summit Stadium" in body
    assert "Summitt" in body
    assert "Summit keynote staging" in body


def test_the_account_lookup_suggests_matching_accounts(seller_client):
    AccountFactory(name="Grand Hyatt Ballroom")

    response = seller_client.get(reverse("crm:account_lookup"), {"q": "hyatt"})

    assert "Grand Hyatt Ballroom" in response.content.decode()


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_contact_page_shows_the_history_of_their_roles(seller_client, seller):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1), account=AccountFactory(name="Old Co"))
    do_move_stakeholder(
        role, seller, to_account=AccountFactory(name="Next Co"), moved_on=dt.date(2024, 1, 1)
    )

    response = seller_client.get(role.contact.get_absolute_url())

    entries = response.context["role_history"]
    assert [(e.subject, e.kind, e.who) for e in entries[:2]] == [
        ("Role at Next Co", "created", seller.name),
        ("Role at Old Co", "changed", seller.name),
    ]
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [
        ("End date", "—", "31 Dec 2023")
    ]


def test_the_account_history_names_the_owners(seller_client, seller, project_manager):
    from tandem.crm.services import do_update_account

    account = AccountFactory(owner=seller)
    do_update_account(account, project_manager, {"owner": project_manager})

    response = seller_client.get(account.get_absolute_url())

    changes = [(c.label, c.old, c.new) for c in response.context["history"][0].changes]
    assert changes == [("Owner", seller.name, project_manager.name)]


def test_a_refused_role_comes_back_open_with_what_was_typed_and_the_error_beside_it(
    seller_client,
):
    contact = ContactFactory()
    account = AccountFactory(name="Harbor Hotel")

    response = seller_client.post(
        reverse("crm:contact_add_role", args=[contact.pk]),
        {
            "role-account": account.pk,
            "role-title": "Head of Events",
            "role-influence": "champion",
            "role-start_date": "2025-05-01",
            "role-end_date": "someday",
        },
    )

    body = response.content.decode()
    form = response.context["role_form"]
    assert response.status_code == 400
    assert form.errors == {"end_date": ["Enter a date like 2026-12-31."]}
    assert 'id="add-role" class="collapse show' in body
    assert 'value="Head of Events"' in body
    assert 'value="Harbor Hotel"' in body
    assert 'value="someday"' in body
    # Beside the field, not as a message at the top of the page.
    assert list(get_messages(response.wsgi_request)) == []
    assert Stakeholder.objects.count() == 0


def test_left_on_a_day_before_the_role_started_is_shown_beside_the_date(seller_client):
    role = StakeholderFactory(start_date=dt.date(2024, 6, 1))

    response = seller_client.post(
        reverse("crm:stakeholder_end", args=[role.pk]), {"end-end_date": "2024-01-01"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="end-{role.pk}" class="collapse show' in body
    assert 'value="2024-01-01"' in body
    assert "cannot end" in str(response.context["roles"][0].end_form.errors)
    role.refresh_from_db()
    assert role.end_date is None


def test_moved_to_without_an_account_keeps_the_new_title_and_asks_for_the_account(
    seller_client,
):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1))

    response = seller_client.post(
        reverse("crm:stakeholder_move", args=[role.pk]),
        {
            "move-to_account": "",
            "move-moved_on": "2025-13-45",
            "move-title": "Head of Production",
            "move-influence": "champion",
        },
    )

    body = response.content.decode()
    move_form = response.context["roles"][0].move_form
    assert response.status_code == 400
    assert move_form.errors == {
        "to_account": ["Pick the account they moved to."],
        "moved_on": ["Enter a date like 2026-12-31."],
    }
    assert f'id="move-{role.pk}" class="collapse show' in body
    assert 'value="Head of Production"' in body
    assert Stakeholder.objects.count() == 1


def test_moved_to_shows_a_missing_account_and_a_too_early_date_together(seller_client):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1))

    response = seller_client.post(
        reverse("crm:stakeholder_move", args=[role.pk]),
        {"move-to_account": "", "move-moved_on": "2021-06-01", "move-influence": "champion"},
    )

    assert response.status_code == 400
    assert response.context["roles"][0].move_form.errors == {
        "to_account": ["Pick the account they moved to."],
        "moved_on": [
            f"They started at {role.account} on 1 Jan 2022; the move must come after that."
        ],
    }


@pytest.mark.parametrize("url_name", ["crm:stakeholder_end", "crm:stakeholder_move"])
def test_finance_cannot_end_or_move_a_role(finance_client, url_name):
    role = StakeholderFactory(start_date=dt.date(2022, 1, 1))

    response = finance_client.post(
        reverse(url_name, args=[role.pk]), {"end-end_date": "2025-01-01"}
    )

    assert response.status_code == 403
    role.refresh_from_db()
    assert role.end_date is None


def test_finance_cannot_add_a_role(finance_client):
    contact = ContactFactory()

    response = finance_client.post(
        reverse("crm:contact_add_role", args=[contact.pk]),
        {"role-account": AccountFactory().pk, "role-start_date": "2025-01-01"},
    )

    assert response.status_code == 403
    assert Stakeholder.objects.count() == 0
