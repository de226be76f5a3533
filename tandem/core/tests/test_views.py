import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


# Who may open which page or post which action: tests/test_permission_matrix.py.


@pytest.fixture
def objects():
    stakeholder = StakeholderFactory()
    deal = DealFactory(account=stakeholder.account)
    return {"deal": deal.pk, "account": deal.account_id, "contact": stakeholder.contact_id}


def test_signing_in_lands_on_today(client, seller):
    response = client.post(reverse("login"), {"username": "sam", "password": "pw"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Sam Seller" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, seller):
    response = client.post(reverse("login"), {"username": "sam", "password": "nope"})

    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(seller_client):
    response = seller_client.post(reverse("logout"))

    assert response.status_code == 302
    assert seller_client.get(reverse("pipeline:board")).status_code == 302


def test_changing_the_password(seller_client, seller):
    response = seller_client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "brass-lantern-42",
            "new_password2": "brass-lantern-42",
        },
    )

    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.check_password("brass-lantern-42")


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, seller):
    client.post(reverse("password_reset"), {"email": seller.email})

    assert len(mail.outbox) == 1
    link = re.search(r"/password/reset/[^/]+/[^/]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "stage-left-99", "new_password2": "stage-left-99"}
    )

    assert done.status_code == 302
    seller.refresh_from_db()
    assert seller.check_password("stage-left-99")


def test_a_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert mail.outbox == []
    assert "If an account uses that address" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/people/user/",
        "/admin/crm/account/",
        "/admin/crm/contact/",
        "/admin/crm/stakeholder/",
        "/admin/pipeline/activity/",
        "/admin/pipeline/stage/",
        "/admin/pipeline/deal/",
    ],
)
def test_the_admin_manages_everything(client, admin_user, objects, path):
    client.force_login(admin_user)

    assert client.get(path).status_code == 200


def test_the_admin_shows_a_deal_with_its_close_date_read_only(client, admin_user, objects):
    client.force_login(admin_user)

    response = client.get(f"/admin/pipeline/deal/{objects['deal']}/change/")

    assert response.status_code == 200
    assert 'name="target_close_date"' not in response.content.decode()


def test_a_seller_cannot_reach_the_admin(seller_client):
    assert seller_client.get("/admin/").status_code == 302


def test_the_home_page_is_today_with_the_cards_of_the_users_role(client, seller, finance):
    client.force_login(seller)
    seller_page = client.get("/")
    client.force_login(finance)
    finance_page = client.get("/")

    assert seller_page.status_code == 200
    assert "Past their close date" in seller_page.content.decode()
    assert "Past their close date" not in finance_page.content.decode()


def test_the_account_lookup_needs_two_letters(seller_client):
    AccountFactory(name="Acme")

    response = seller_client.get(reverse("crm:account_lookup"), {"q": "a"})

    assert "Acme" not in response.content.decode()


def test_the_admin_cannot_add_deals_or_type_over_their_state(client, admin_user, objects):
    client.force_login(admin_user)

    add = client.get("/admin/pipeline/deal/add/")
    change = client.get(f"/admin/pipeline/deal/{objects['deal']}/change/").content.decode()

    assert add.status_code == 403
    for field in ("stage", "closed_on", "lost_reason", "nurture", "probability"):
        assert f'name="{field}"' not in change


def test_the_admin_cannot_delete_deals_one_by_one_or_in_bulk(client, admin_user, objects):
    client.force_login(admin_user)

    delete = client.get(f"/admin/pipeline/deal/{objects['deal']}/delete/")
    listing = client.get("/admin/pipeline/deal/")

    assert delete.status_code == 403
    assert "delete_selected" not in listing.content.decode()


def test_the_admin_cannot_revert_a_deal_from_its_history(client, admin_user, objects):
    from tandem.pipeline.models import Deal

    client.force_login(admin_user)
    record = Deal.objects.get(pk=objects["deal"]).history.earliest()

    response = client.get(f"/admin/pipeline/deal/{objects['deal']}/history/{record.history_id}/")

    assert "Revert" not in response.content.decode()


def test_a_stage_with_deals_cannot_start_closing_them(client, admin_user, objects):
    from tandem.pipeline.models import Deal

    client.force_login(admin_user)
    stage_id = Deal.objects.get(pk=objects["deal"]).stage_id

    body = client.get(f"/admin/pipeline/stage/{stage_id}/change/").content.decode()

    assert 'name="is_won"' not in body
    assert 'name="is_lost"' not in body
