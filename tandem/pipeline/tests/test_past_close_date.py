"""A close date before today: refused unless confirmed with a reason, the same way on the deal
page, the deal's edit form and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.core.services import version_of
from tandem.core.tests.api_clients import as_user, deal_url
from tandem.pipeline import services
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - dt.timedelta(days=7)


@pytest.fixture
def deal(seller):
    """An open deal of the seller, opened a month ago, to close in three weeks."""
    return DealFactory(
        owner=seller,
        target_close_date=TODAY + dt.timedelta(days=21),
        created_at=timezone.now() - dt.timedelta(days=30),
    )


# --- the rule, in the service ---------------------------------------------------------------


def test_a_close_date_in_the_past_is_refused_beside_the_field(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, LAST_WEEK, "They signed last week")

    assert list(excinfo.value.message_dict) == ["target_close_date"]
    assert "has passed" in excinfo.value.message_dict["target_close_date"][0]
    assert excinfo.value.error_dict["target_close_date"][0].code == "close_passed"
    assert CloseDateChange.objects.count() == 0


def test_a_confirmed_past_close_date_needs_a_reason(seller, deal):
    with pytest.raises(ValidationError) as excinfo:
        services.do_change_close_date(deal, seller, LAST_WEEK, "  ", confirm_past=True)

    assert list(excinfo.value.message_dict) == ["reason"]
    deal.refresh_from_db()
    assert deal.target_close_date == TODAY + dt.timedelta(days=21)


def test_a_confirmed_past_close_date_with_a_reason_is_kept_and_marked(seller, deal):
    deal = services.do_change_close_date(
        deal,
        seller,
        LAST_WEEK,
        "PO arrived last Tuesday; recording the real date",
        confirm_past=True,
    )

    change = CloseDateChange.objects.get()
    assert deal.target_close_date == LAST_WEEK
    assert change.set_in_past is True
    assert change.reason == "PO arrived last Tuesday; recording the real date"


def test_today_and_later_need_no_confirmation(seller, deal):
    services.do_change_close_date(deal, seller, TODAY, "")

    assert CloseDateChange.objects.get().set_in_past is False


def test_the_rule_judges_the_past_from_the_moment_of_the_change(seller, deal):
    # An import replays a change made back then: a date that was still ahead then is fine.
    then = timezone.now() - dt.timedelta(days=10)

    services.do_change_close_date(deal, seller, LAST_WEEK, "", now=then)

    assert CloseDateChange.objects.get().set_in_past is False


# --- the deal page --------------------------------------------------------------------------


def test_the_page_refuses_a_past_date_keeps_what_was_typed_and_asks_to_confirm(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": LAST_WEEK.isoformat(), "reason": "Signed already"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "has passed" in body
    assert 'id="confirm-past"' in body
    assert f'value="{LAST_WEEK.isoformat()}"' in body
    assert "Signed already" in body
    assert CloseDateChange.objects.count() == 0


def test_the_page_does_not_ask_to_confirm_before_a_past_date_is_refused(seller_client, deal):
    response = seller_client.get(deal.get_absolute_url())

    assert 'id="confirm-past"' not in response.content.decode()


def test_the_page_takes_a_confirmed_past_date_with_a_reason(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {
            "target_close_date": LAST_WEEK.isoformat(),
            "reason": "PO arrived last Tuesday",
            "confirm_past": "on",
        },
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.target_close_date == LAST_WEEK
    page = seller_client.get(deal.get_absolute_url()).content.decode()
    assert "set in the past" in page


def test_the_page_wants_a_reason_with_the_confirmation(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": LAST_WEEK.isoformat(), "reason": "", "confirm_past": "on"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Say why the close date goes back" in body
    assert 'id="confirm-past"' in body


def test_the_page_refuses_a_date_that_is_not_a_date(seller_client, deal):
    response = seller_client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": "last friday", "reason": "x"},
    )

    assert response.status_code == 400
    assert "Enter a date like 2026-12-31." in response.content.decode()


def test_another_seller_cannot_confirm_a_past_date_on_my_deal(client, other_seller, deal):
    client.force_login(other_seller)

    response = client.post(
        reverse("pipeline:deal_close_date", args=[deal.pk]),
        {"target_close_date": LAST_WEEK.isoformat(), "reason": "x", "confirm_past": "on"},
    )

    assert response.status_code == 403
    assert CloseDateChange.objects.count() == 0


def test_the_edit_form_refuses_a_past_date_then_takes_it_confirmed(seller_client, deal):
    url = reverse("pipeline:deal_edit", args=[deal.pk])
    data = {
        "name": deal.name,
        "account": deal.account_id,
        "amount": "50000",
        "currency": "USD",
        "target_close_date": LAST_WEEK.isoformat(),
        "forecast_category": deal.forecast_category,
        "project_type": deal.project_type,
        "close_date_reason": "",
        "version": version_of(deal),
    }

    refused = seller_client.post(url, data)
    data |= {"confirm_past": "on", "close_date_reason": "Signed on the 3rd"}
    confirmed = seller_client.post(url, data)

    assert refused.status_code == 400
    assert "has passed" in refused.content.decode()
    assert 'name="confirm_past"' in refused.content.decode()
    assert confirmed.status_code == 302
    deal.refresh_from_db()
    assert deal.target_close_date == LAST_WEEK
    assert CloseDateChange.objects.get().set_in_past is True


# --- the API --------------------------------------------------------------------------------


def test_the_api_refuses_a_past_date_on_the_field(seller, deal):
    response = as_user(seller).post(
        deal_url(deal, "close-date"), {"target_close_date": LAST_WEEK, "reason": "Signed"}
    )

    assert response.status_code == 400
    assert set(response.data) == {"target_close_date"}
    assert CloseDateChange.objects.count() == 0


def test_the_api_takes_a_confirmed_past_date_and_lists_it_as_such(seller, deal):
    client = as_user(seller)

    moved = client.post(
        deal_url(deal, "close-date"),
        {"target_close_date": LAST_WEEK, "reason": "Signed on the 3rd", "confirm_past": True},
    )
    history = client.get(deal_url(deal, "close-date-changes"))

    assert moved.status_code == 200
    assert moved.data["target_close_date"] == LAST_WEEK.isoformat()
    assert history.data["results"][0]["set_in_past"] is True


def test_the_api_wants_a_reason_with_the_confirmation(seller, deal):
    response = as_user(seller).post(
        deal_url(deal, "close-date"), {"target_close_date": LAST_WEEK, "confirm_past": True}
    )

    assert response.status_code == 400
    assert set(response.data) == {"reason"}


def test_the_api_refuses_a_confirmation_that_is_not_a_yes_or_no(seller, deal):
    response = as_user(seller).post(
        deal_url(deal, "close-date"),
        {"target_close_date": LAST_WEEK, "reason": "x", "confirm_past": "perhaps"},
    )

    assert response.status_code == 400
    assert set(response.data) == {"confirm_past"}


def test_the_api_edit_follows_the_same_rule(seller, deal):
    client = as_user(seller)
    url = deal_url(deal)

    refused = client.patch(url, {"target_close_date": LAST_WEEK, "close_date_reason": "x"})
    confirmed = client.patch(
        url,
        {"target_close_date": LAST_WEEK, "close_date_reason": "Signed", "confirm_past": True},
    )

    assert refused.status_code == 400
    assert set(refused.data) == {"target_close_date"}
    assert confirmed.status_code == 200
    assert "confirm_past" not in confirmed.data
    assert CloseDateChange.objects.get().set_in_past is True


def test_another_seller_cannot_set_a_past_date_through_the_api(other_seller, deal):
    response = as_user(other_seller).post(
        deal_url(deal, "close-date"),
        {"target_close_date": LAST_WEEK, "reason": "x", "confirm_past": True},
    )

    assert response.status_code == 403
