"""A deal's currency is an ISO 4217 code, an outsized amount must be confirmed, and one send
of the deal form shows every mistake at once (page and API)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.core.tests.api_clients import DEALS, as_user, deal_url
from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline import services
from tandem.pipeline.models import Deal
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=30)


def _new_deal(**changes) -> dict:
    data = {
        "name": "Lobby video wall",
        "account": AccountFactory().pk,
        "amount": "85000",
        "currency": "USD",
        "target_close_date": SOON.isoformat(),
        "forecast_category": "pipeline",
        "project_type": "av_installation",
        "stage": stage("Qualify").pk,
    }
    data.update(changes)
    return data


# Currency


@pytest.mark.parametrize(("sent", "kept"), [("usd", "USD"), (" eur ", "EUR"), ("", "USD")])
def test_a_currency_in_any_case_is_kept_as_its_code_and_none_means_the_companys(seller, sent, kept):
    deal = services.do_create_deal(
        seller, name="X", account=AccountFactory(), target_close_date=SOON, currency=sent
    )

    assert Deal.objects.get(pk=deal.pk).currency == kept


@pytest.mark.parametrize("sent", ["dol", "DOL", "US$", "12"])
def test_a_currency_that_is_no_iso_code_is_refused_by_the_service(seller, sent):
    with pytest.raises(ValidationError) as refused:
        services.do_create_deal(
            seller, name="X", account=AccountFactory(), target_close_date=SOON, currency=sent
        )

    assert "is not a currency we know" in refused.value.message_dict["currency"][0]
    assert Deal.objects.count() == 0


def test_the_new_deal_form_offers_the_currency_list_with_the_companys_chosen(
    seller_client, settings
):
    settings.TANDEM_CURRENCY = "EUR"

    page = seller_client.get(reverse("pipeline:deal_create")).content.decode()

    assert '<select name="currency"' in page
    assert '<option value="EUR" selected>EUR — Euro</option>' in page
    assert '<option value="JPY">JPY — Japanese yen</option>' in page


@pytest.mark.parametrize(("sent", "status", "kept"), [("dol", 400, None), ("gbp", 302, "GBP")])
def test_the_deal_form_refuses_dol_and_takes_gbp_in_small_letters(
    seller_client, sent, status, kept
):
    response = seller_client.post(reverse("pipeline:deal_create"), _new_deal(currency=sent))

    assert response.status_code == status
    if kept is None:
        assert "“DOL” is not a currency we know. Choose one from the list." in (
            response.content.decode()
        )
        assert Deal.objects.count() == 0
    else:
        assert Deal.objects.get().currency == kept


@pytest.mark.parametrize(("sent", "status"), [("dol", 400), (7, 400), (["USD"], 400)])
def test_the_api_refuses_a_currency_that_is_no_iso_code(seller, sent, status):
    account = AccountFactory()

    response = as_user(seller).post(
        DEALS,
        {"name": "X", "account": account.pk, "target_close_date": SOON, "currency": sent},
        format="json",
    )

    assert response.status_code == status
    assert "is not a currency we know" in response.data["currency"][0]


def test_the_api_takes_a_currency_in_small_letters(seller):
    response = as_user(seller).post(
        DEALS,
        {"name": "X", "account": AccountFactory().pk, "target_close_date": SOON, "currency": "cad"},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["currency"] == "CAD"


# Outsized amounts


def test_an_amount_ten_times_the_largest_deal_is_refused_until_confirmed(seller):
    DealFactory(amount=Decimal("1200000"))
    fields = {"name": "X", "account": AccountFactory(), "target_close_date": SOON}

    with pytest.raises(ValidationError) as refused:
        services.do_create_deal(seller, amount=Decimal("9999999999"), **fields)
    deal = services.do_create_deal(
        seller, amount=Decimal("9999999999"), confirm_amount=True, **fields
    )

    assert refused.value.message_dict["amount"] == [
        "$9,999,999,999 is more than 10 times our largest deal so far ($1,200,000). Check for "
        "extra zeros; if the amount is right, confirm it."
    ]
    assert deal.amount == Decimal("9999999999")


def test_ten_times_the_largest_deal_exactly_needs_no_confirmation(seller):
    DealFactory(amount=Decimal("100000"))

    deal = services.do_create_deal(
        seller, name="X", account=AccountFactory(), target_close_date=SOON, amount=1_000_000
    )

    assert deal.amount == 1_000_000


def test_with_no_deal_in_the_currency_the_settings_ceiling_applies(seller, settings):
    settings.TANDEM_AMOUNT_CONFIRM_ABOVE = 5_000_000
    DealFactory(amount=Decimal("100"), currency="USD")
    fields = {"name": "X", "account": AccountFactory(), "target_close_date": SOON}

    euros = services.do_create_deal(seller, amount=4_000_000, currency="EUR", **fields)
    with pytest.raises(ValidationError) as refused:
        services.do_create_deal(seller, amount=6_000_000, currency="GBP", **fields)

    assert euros.currency == "EUR"
    assert refused.value.message_dict["amount"] == [
        "£6,000,000 is more than £5,000,000, above any deal we expect. Check for extra zeros; "
        "if the amount is right, confirm it."
    ]


def test_an_edit_that_keeps_an_outsized_amount_is_not_asked_again(seller):
    DealFactory(amount=Decimal("1000"))
    big = DealFactory(owner=seller, amount=Decimal("1000"))
    services.do_update_deal(big, seller, {"amount": Decimal("500000")}, confirm_amount=True)

    services.do_update_deal(big, seller, {"amount": Decimal("500000"), "next_step": "Call"})
    with pytest.raises(ValidationError) as refused:
        services.do_update_deal(big, seller, {"amount": Decimal("9000000")})

    assert (
        "more than 10 times our largest deal so far ($500,000)"
        in (refused.value.message_dict["amount"][0])
    )


def test_the_form_asks_to_confirm_an_outsized_amount_and_keeps_it_when_ticked(seller_client):
    DealFactory(amount=Decimal("1200000"))
    url = reverse("pipeline:deal_create")

    asked = seller_client.post(url, _new_deal(amount="9999999999"))
    kept = seller_client.post(url, _new_deal(amount="9999999999", confirm_amount="on"))

    page = asked.content.decode()
    assert asked.status_code == 400
    assert "is more than 10 times our largest deal so far ($1,200,000)" in page
    assert 'name="confirm_amount"' in page
    assert "Yes, this amount is right" in page
    assert 'value="9999999999"' in page
    assert kept.status_code == 302
    assert Deal.objects.get(name="Lobby video wall").amount == Decimal("9999999999")


def test_the_form_does_not_offer_the_confirmation_before_it_is_needed(seller_client):
    page = seller_client.get(reverse("pipeline:deal_create")).content.decode()

    assert 'name="confirm_amount"' not in page


def test_the_api_refuses_an_outsized_amount_without_the_flag(seller):
    DealFactory(amount=Decimal("1200000"))
    body = {
        "name": "X",
        "account": AccountFactory().pk,
        "target_close_date": SOON,
        "amount": "9999999999.00",
    }

    refused = as_user(seller).post(DEALS, body, format="json")
    confirmed = as_user(seller).post(DEALS, {**body, "confirm_amount": True}, format="json")

    assert refused.status_code == 400
    assert refused.data["amount"] == [
        "$9,999,999,999 is more than 10 times our largest deal so far ($1,200,000). Check for "
        "extra zeros; if the amount is right, confirm it. Send confirm_amount: true to keep it."
    ]
    assert confirmed.status_code == 201, confirmed.data
    assert "confirm_amount" not in confirmed.data


def test_the_api_asks_for_the_flag_on_an_edit_too(seller):
    DealFactory(amount=Decimal("1000"))
    deal = DealFactory(owner=seller, amount=Decimal("1000"))

    refused = as_user(seller).patch(deal_url(deal), {"amount": "50000"}, format="json")
    confirmed = as_user(seller).patch(
        deal_url(deal), {"amount": "50000", "confirm_amount": True}, format="json"
    )

    assert refused.status_code == 400
    assert "Send confirm_amount: true" in refused.data["amount"][0]
    assert confirmed.status_code == 200
    deal.refresh_from_db()
    assert deal.amount == Decimal("50000")


# Every mistake at once


def test_one_send_of_a_new_deal_shows_every_mistake_beside_its_field(seller_client):
    DealFactory(amount=Decimal("1000"))
    data = _new_deal(
        name="",
        amount="500000",
        currency="dol",
        target_close_date="2001-01-01",
        requested_delivery_date="next week",
        probability="140",
        next_step="x" * 300,
    )

    response = seller_client.post(reverse("pipeline:deal_create"), data)

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors == {
        "name": ["Fill this in."],
        "currency": ["“DOL” is not a currency we know. Choose one from the list."],
        "target_close_date": [
            f"The close date cannot be before the deal was created "
            f"({dt.date.today().day} {dt.date.today():%b %Y})."
        ],
        "requested_delivery_date": ["Enter a date like 2026-12-31."],
        "probability": ["Enter 100 or less."],
        "next_step": ["Keep this to 250 characters or fewer (it has 300)."],
    }
    page = response.content.decode()
    assert "Ensure" not in page
    assert 'value="500000"' in page
    assert Deal.objects.count() == 1


def test_the_amount_rules_show_with_the_others_in_one_send(seller_client):
    DealFactory(amount=Decimal("1000"))

    response = seller_client.post(
        reverse("pipeline:deal_create"),
        _new_deal(name="", amount="500000", target_close_date="2001-01-01"),
    )

    assert set(response.context["form"].errors) == {"name", "amount", "target_close_date"}
    assert response.context["form"].asks_to_confirm_amount


def test_an_edit_shows_the_close_date_reason_and_the_amount_at_once(seller_client, seller):
    deal = DealFactory(owner=seller, amount=Decimal("1000"))

    response = seller_client.post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        {
            "name": deal.name,
            "account": deal.account_id,
            "amount": "-5",
            "currency": "usd",
            "target_close_date": (deal.target_close_date + dt.timedelta(days=20)).isoformat(),
            "forecast_category": "pipeline",
            "project_type": "av_installation",
            "probability": "abc",
        },
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert set(errors) == {"amount", "close_date_reason", "probability"}
    assert errors["amount"] == ["The amount must be zero or more."]
    assert errors["probability"] == ["Enter a whole number, like 12."]
    deal.refresh_from_db()
    assert deal.amount == Decimal("1000")


def test_the_api_answers_every_rule_a_new_deal_breaks_at_once(seller):
    DealFactory(amount=Decimal("1000"))

    response = as_user(seller).post(
        DEALS,
        {
            "name": "X",
            "account": AccountFactory().pk,
            "target_close_date": "2001-01-01",
            "amount": "500000",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"amount", "target_close_date"}


def test_a_finance_user_cannot_open_a_deal_even_with_every_field_right(finance_client):
    response = finance_client.post(reverse("pipeline:deal_create"), _new_deal())

    assert response.status_code == 403
    assert Deal.objects.count() == 0


def _input(page: str, name: str) -> str:
    return re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)


def test_a_refused_field_is_outlined_as_well(seller_client):
    response = seller_client.post(reverse("pipeline:deal_create"), _new_deal(name="", amount="-1"))

    page = response.content.decode()
    assert "is-invalid" in _input(page, "name")
    assert "is-invalid" in _input(page, "amount")
    assert "is-invalid" not in _input(page, "target_close_date")
