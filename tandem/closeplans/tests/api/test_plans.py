"""The close-plan endpoints: signing in, the schema, laying out plans, their proposed close
and their customer links."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.closeplans import services
from tandem.closeplans.models import ClosePlan, PlanTemplate, ShareLink
from tandem.closeplans.tests.api.helpers import CHECKUPS, PLANS, STEPS, TEMPLATES, steps_of, today
from tandem.core.services import day
from tandem.core.tests.api_clients import as_user, url
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.services import do_change_close_date
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db


# Signing in


@pytest.mark.parametrize("path", [TEMPLATES, PLANS, STEPS, CHECKUPS, f"{PLANS}apply/"])
def test_anonymous_requests_to_close_plans_are_refused_with_401(path):
    client = APIClient()

    read = client.get(path)
    write = client.post(path, {"title": "Sneaky"})

    assert read.status_code == 401
    assert write.status_code == 401


def test_the_schema_generates_without_warnings_and_lists_the_close_plan_paths(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = out.read_text()
    for path in [
        "/api/v1/plan-templates/{id}/:",
        "/api/v1/close-plans/apply/:",
        "/api/v1/close-plans/{id}/accept-proposed-close/:",
        "/api/v1/close-plans/{id}/share-links/:",
        "/api/v1/close-plans/{id}/share-links/{link_id}/revoke/:",
        "/api/v1/plan-steps/{id}/status/:",
        "/api/v1/plan-steps/{id}/comments/:",
        "/api/v1/checkups/:",
        "/api/v1/notifications/read-all/:",
    ]:
        assert path in schema


# Close plans


def test_a_seller_lays_out_a_plan_on_their_deal(seller, deal, template):
    response = as_user(seller).post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )

    assert response.status_code == 201, response.data
    plan = ClosePlan.objects.get(deal=deal)
    assert response.data["id"] == plan.pk
    assert response.data["deal_name"] == deal.name
    assert response.data["deal_owner"] == seller.pk
    assert response.data["template_name"] == "AV installation"
    assert response.data["target_close_date"] == deal.target_close_date.isoformat()
    assert response.data["health"] == "on_track"
    assert response.data["proposed_close"] is None
    assert response.data["slack_days"] == plan.slack_days
    assert response.data["health_reasons"] == plan.health_reasons
    steps = response.data["steps"]
    assert [s["position"] for s in steps] == [1, 2, 3, 4, 5]
    assert steps[-1]["due_date"] <= deal.target_close_date.isoformat()
    assert steps[2]["owner_name"] == "Pat PM"
    assert steps[0]["deal"] == deal.pk


def test_a_project_manager_lays_out_a_plan_on_a_sellers_deal(project_manager, deal, template):
    response = as_user(project_manager).post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )

    assert response.status_code == 201
    assert ClosePlan.objects.get(deal=deal).created_by == project_manager


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("other_seller", "Only the deal's owner or a manager can change its close plan."),
        ("finance", "Only the deal's owner or a manager can change its close plan."),
    ],
)
def test_no_plan_is_laid_out_on_a_deal_one_may_not_change(
    request, persona, message, deal, template
):
    client = as_user(request.getfixturevalue(persona))

    response = client.post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )

    assert response.status_code == 403
    assert response.data["detail"] == message
    assert not ClosePlan.objects.exists()


def test_a_close_date_too_near_is_refused_naming_the_earliest_date(seller, template):
    close = today() + dt.timedelta(days=3)
    deal = DealFactory(owner=seller, target_close_date=close)
    client = as_user(seller)

    refused = client.post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )

    assert refused.status_code == 400
    [message] = refused.data["non_field_errors"]
    assert "too near" in message
    assert f"a close on {day(close)} is too near" in message
    earliest = re.match(r"The AV installation steps need until (\d+ \w+ \d{4}):", message)
    assert earliest is not None
    assert not ClosePlan.objects.exists()
    deal.refresh_from_db()
    assert deal.target_close_date == close

    moved = client.post(
        f"{PLANS}apply/",
        {"deal": deal.pk, "template": template.pk, "move_close": True},
        format="json",
    )

    assert moved.status_code == 201
    deal.refresh_from_db()
    assert day(deal.target_close_date) == earliest.group(1)
    assert moved.data["target_close_date"] == deal.target_close_date.isoformat()
    assert CloseDateChange.objects.get(deal=deal).reason.startswith("The AV installation")


def test_a_second_plan_needs_replace(seller, plan, deal, template):
    client = as_user(seller)
    first_steps = {s.pk for s in steps_of(plan)}

    refused = client.post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )
    replaced = client.post(
        f"{PLANS}apply/",
        {"deal": deal.pk, "template": template.pk, "replace": True},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.data == {
        "non_field_errors": [
            "This deal has a close plan already: edit its steps, or replace the plan."
        ]
    }
    assert replaced.status_code == 200
    assert replaced.data["id"] == plan.pk
    assert first_steps.isdisjoint({s.pk for s in steps_of(plan)})


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"deal", "template"}),
        ({"deal": "big one", "template": "{template}"}, {"deal"}),
        ({"deal": "{deal}", "template": 999999}, {"template"}),
        ({"deal": "{deal}", "template": "{template}", "replace": "perhaps"}, {"replace"}),
    ],
)
def test_applying_with_bad_input_is_refused_field_by_field(seller, deal, template, data, fields):
    data = {
        key: value.format(deal=deal.pk, template=template.pk) if isinstance(value, str) else value
        for key, value in data.items()
    }

    response = as_user(seller).post(f"{PLANS}apply/", data, format="json")

    assert response.status_code == 400
    assert set(response.data) == fields
    assert not ClosePlan.objects.exists()


def test_a_retired_template_is_refused(seller, deal, template):
    PlanTemplate.objects.filter(pk=template.pk).update(is_active=False)

    response = as_user(seller).post(
        f"{PLANS}apply/", {"deal": deal.pk, "template": template.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"template": ["This template is retired: pick another one."]}
    assert not ClosePlan.objects.exists()


def _slip(plan, by):
    """Pull the close date in so the steps left no longer fit: the plan slips."""
    do_change_close_date(plan.deal, by, today() + dt.timedelta(days=7), shift_plan=False)
    plan.refresh_from_db()
    assert plan.health == "slipped"
    return plan


def test_the_plans_filter_by_deal_health_and_deal_owner(seller, other_seller, plan, template):
    theirs = services.do_apply_template(
        DealFactory(owner=other_seller, target_close_date=today() + dt.timedelta(days=90)),
        template,
        other_seller,
    )
    _slip(theirs, other_seller)
    client = as_user(seller)

    def ids(query):
        response = client.get(f"{PLANS}?{query}")
        assert response.status_code == 200
        return [row["id"] for row in response.data["results"]]

    assert ids(f"deal={plan.deal_id}") == [plan.pk]
    assert ids("health=slipped") == [theirs.pk]
    assert ids("health=on_track") == [plan.pk]
    assert ids(f"owner={other_seller.pk}") == [theirs.pk]
    assert ids(f"owner={seller.pk}&health=slipped") == []
    assert client.get(f"{PLANS}?health=sideways").status_code == 400


def test_accepting_the_proposed_close_moves_the_deal_and_keeps_the_reason(seller, plan):
    _slip(plan, seller)
    proposed = plan.proposed_close

    response = as_user(seller).post(
        url(PLANS, plan, "accept-proposed-close"), {"reason": "Agreed on the call"}
    )

    assert response.status_code == 200, response.data
    assert response.data["target_close_date"] == proposed.isoformat()
    assert response.data["health"] != "slipped"
    change = CloseDateChange.objects.filter(deal=plan.deal).latest("changed_at")
    assert change.new_date == proposed
    assert change.reason.endswith("Agreed on the call")
    assert all(s.due_date <= proposed for s in steps_of(plan))


def test_a_plan_that_has_not_slipped_has_no_date_to_accept(seller, plan):
    close = plan.deal.target_close_date

    response = as_user(seller).post(url(PLANS, plan, "accept-proposed-close"), {})

    assert response.status_code == 400
    assert response.data == {
        "non_field_errors": ["The plan has not slipped: there is no new date to accept."]
    }
    plan.deal.refresh_from_db()
    assert plan.deal.target_close_date == close


@pytest.mark.parametrize("persona", ["other_seller", "finance"])
def test_only_the_plans_editors_accept_its_proposed_close(request, persona, seller, plan):
    _slip(plan, seller)
    close = plan.deal.target_close_date

    response = as_user(request.getfixturevalue(persona)).post(
        url(PLANS, plan, "accept-proposed-close"), {"reason": "Mine"}
    )

    assert response.status_code == 403
    plan.deal.refresh_from_db()
    assert plan.deal.target_close_date == close


# Customer links


def test_a_seller_makes_a_customer_link_and_lists_it(seller, plan):
    client = as_user(seller)

    made = client.post(url(PLANS, plan, "share-links"), {"days": 14})
    listed = client.get(url(PLANS, plan, "share-links"))

    assert made.status_code == 201, made.data
    link = ShareLink.objects.get()
    token = services.share_token(link)
    assert made.data["url"] == f"http://testserver/shared/{token}/"
    assert made.data["created_by_name"] == "Sam Seller"
    assert link.expires_at - link.created_at == dt.timedelta(days=14)
    assert listed.status_code == 200
    assert [row["url"] for row in listed.data["results"]] == [made.data["url"]]
    assert services.open_share_link(token).pk == link.pk


def test_a_revoked_link_no_longer_shows_its_address(seller, plan):
    client = as_user(seller)
    kept = client.post(url(PLANS, plan, "share-links"), {"days": 30}).data
    revoked = client.post(url(PLANS, plan, "share-links"), {"days": 30}).data

    response = client.post(url(PLANS, plan, f"share-links/{revoked['id']}/revoke"))
    listed = client.get(url(PLANS, plan, "share-links"))

    assert response.status_code == 200
    assert response.data["url"] is None
    assert response.data["revoked_by_name"] == "Sam Seller"
    assert {row["id"]: row["url"] for row in listed.data["results"]} == {
        revoked["id"]: None,
        kept["id"]: kept["url"],
    }
    assert ShareLink.objects.get(pk=revoked["id"]).revoked_at is not None
    assert ShareLink.objects.get(pk=kept["id"]).revoked_at is None


def test_an_expired_link_no_longer_shows_its_address(seller, plan):
    link = services.do_create_share_link(
        plan, seller, days=1, now=timezone.now() - dt.timedelta(days=2)
    )

    listed = as_user(seller).get(url(PLANS, plan, "share-links"))

    assert [(row["id"], row["url"]) for row in listed.data["results"]] == [(link.pk, None)]


def test_a_link_of_another_plan_cannot_be_revoked_through_this_one(seller, plan, template):
    theirs = services.do_apply_template(
        DealFactory(owner=seller, target_close_date=today() + dt.timedelta(days=90)),
        template,
        seller,
    )
    link = services.do_create_share_link(theirs, seller)

    response = as_user(seller).post(url(PLANS, plan, f"share-links/{link.pk}/revoke"))

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("days", [0, 366, "a week"])
def test_a_link_lasting_an_odd_number_of_days_is_refused(seller, plan, days):
    response = as_user(seller).post(url(PLANS, plan, "share-links"), {"days": days})

    assert response.status_code == 400
    assert set(response.data) == {"days"}
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("persona", ["other_seller", "finance"])
def test_only_the_plans_editors_see_and_make_its_links(request, persona, seller, plan):
    link = services.do_create_share_link(plan, seller)
    client = as_user(request.getfixturevalue(persona))

    listed = client.get(url(PLANS, plan, "share-links"))
    made = client.post(url(PLANS, plan, "share-links"), {"days": 5})
    revoked = client.post(url(PLANS, plan, f"share-links/{link.pk}/revoke"))
    read = client.get(url(PLANS, plan))

    assert [listed.status_code, made.status_code, revoked.status_code] == [403, 403, 403]
    assert read.status_code == 200
    assert ShareLink.objects.get().revoked_at is None


def test_a_closed_deals_plan_gets_no_new_link(seller, plan):
    plan.deal.stage = stage("Won")
    plan.deal.save()

    response = as_user(seller).post(url(PLANS, plan, "share-links"), {"days": 5})

    assert response.status_code == 400
    assert response.data["non_field_errors"][0].startswith("This deal is closed as Won")
    assert not ShareLink.objects.exists()
