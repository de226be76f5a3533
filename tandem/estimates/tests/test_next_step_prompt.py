"""After a scenario is accepted the deal page asks the seller to bring the next step up to
date, until they write (or confirm) one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.estimates.models import LineKind
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.pipeline.services import do_update_deal
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PROMPT = 'id="next-step-prompt"'


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, amount=Decimal("1000"), next_step="Send the first budget")


@pytest.fixture
def accepted(deal, seller):
    item = CatalogItemFactory(unit_cost=Decimal("100"), list_price=Decimal("200"))
    estimate = do_create_estimate(seller, deal, name="Half booth")
    do_save_version(
        estimate,
        seller,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": item, "qty": Decimal(3)}],
    )
    return do_accept_estimate(estimate, seller)


def test_no_prompt_before_any_scenario_is_accepted(seller_client, deal):
    assert PROMPT not in seller_client.get(deal.get_absolute_url()).content.decode()


def test_an_accepted_scenario_asks_the_seller_for_the_next_step(seller_client, deal, accepted):
    body = seller_client.get(deal.get_absolute_url()).content.decode()

    assert PROMPT in body
    assert "“Half booth” was accepted" in body
    assert 'value="Send the first budget"' in body


def test_saving_the_next_step_in_place_updates_the_page_and_ends_the_prompt(
    seller_client, deal, accepted
):
    response = seller_client.post(
        reverse("pipeline:deal_next_step", args=[deal.pk]),
        {"next_step": "Send the half-booth contract by Friday"},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Next step saved" in body
    assert 'id="deal-next-step" hx-swap-oob="true"' in body
    deal.refresh_from_db()
    assert deal.next_step == "Send the half-booth contract by Friday"
    assert PROMPT not in seller_client.get(deal.get_absolute_url()).content.decode()


def test_saving_the_same_next_step_counts_as_confirmed(seller_client, deal, accepted):
    response = seller_client.post(
        reverse("pipeline:deal_next_step", args=[deal.pk]), {"next_step": "Send the first budget"}
    )

    assert response.status_code == 302
    assert PROMPT not in seller_client.get(deal.get_absolute_url()).content.decode()


def test_an_empty_next_step_is_refused_in_place_and_the_prompt_stays(seller_client, deal, accepted):
    response = seller_client.post(
        reverse("pipeline:deal_next_step", args=[deal.pk]),
        {"next_step": "   ", "prompt": "“Half booth” was accepted"},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Say what happens next on this deal." in body
    assert "“Half booth” was accepted" in body
    deal.refresh_from_db()
    assert deal.next_step == "Send the first budget"


def test_a_too_long_next_step_is_refused_without_javascript_with_the_text_kept(
    seller_client, deal, accepted
):
    text = "x" * 251

    response = seller_client.post(
        reverse("pipeline:deal_next_step", args=[deal.pk]), {"next_step": text}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Keep this to 250 characters or fewer" in body
    assert text in body
    assert PROMPT in body


def test_editing_the_next_step_on_the_deal_form_also_ends_the_prompt(
    seller_client, deal, accepted, seller
):
    do_update_deal(deal, seller, {"next_step": "Book the site visit"})

    assert PROMPT not in seller_client.get(deal.get_absolute_url()).content.decode()


def test_a_later_acceptance_asks_again(seller_client, deal, accepted, seller):
    seller_client.post(reverse("pipeline:deal_next_step", args=[deal.pk]), {"next_step": "Sign"})
    do_save_version(accepted, seller, base_number=1, lines=[])
    do_accept_estimate(accepted, seller)

    assert PROMPT in seller_client.get(deal.get_absolute_url()).content.decode()


def test_someone_who_cannot_change_the_deal_is_not_asked_and_cannot_post(
    client, deal, accepted, other_seller, finance
):
    for user in (other_seller, finance):
        client.force_login(user)
        page = client.get(deal.get_absolute_url()).content.decode()
        post = client.post(reverse("pipeline:deal_next_step", args=[deal.pk]), {"next_step": "x"})

        assert PROMPT not in page
        assert post.status_code == 403
    deal.refresh_from_db()
    assert deal.next_step == "Send the first budget"
