"""The close-plan endpoints: templates, plans, steps, customer links, checkups and the inbox."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.api.tests.clients import as_user
from tandem.closeplans import services
from tandem.closeplans.models import (
    ClosePlan,
    PlanStep,
    PlanTemplate,
    ShareLink,
    StepComment,
    TemplateStep,
)
from tandem.closeplans.tests.factories import (
    PlanTemplateFactory,
    TemplateStepFactory,
    av_template,
)
from tandem.core.calendar import company_calendar
from tandem.core.services import day, version_of
from tandem.crm.tests.factories import ContactFactory, StakeholderFactory
from tandem.notifications.models import Notification
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.models import CloseDateChange
from tandem.pipeline.services import do_change_close_date
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = pytest.mark.django_db

TEMPLATES = "/api/v1/plan-templates/"
PLANS = "/api/v1/close-plans/"
STEPS = "/api/v1/plan-steps/"
CHECKUPS = "/api/v1/checkups/"
NOTIFICATIONS = "/api/v1/notifications/"


def today() -> dt.date:
    return timezone.localdate()


def url(base: str, row, action: str = "") -> str:
    return f"{base}{row.pk}/{action + '/' if action else ''}"


def titles(response) -> list[str]:
    return [row["title"] for row in response.data["results"]]


@pytest.fixture
def template(db):
    return av_template()


@pytest.fixture
def deal(seller, project_manager):
    # The project manager exists first, so the template's PM step goes to them.
    return DealFactory(owner=seller, target_close_date=today() + dt.timedelta(days=60))


@pytest.fixture
def plan(deal, template, seller):
    return services.do_apply_template(deal, template, seller)


def steps_of(plan) -> list[PlanStep]:
    return list(plan.steps.order_by("position"))


# Signing in


@pytest.mark.parametrize(
    "path", [TEMPLATES, PLANS, STEPS, CHECKUPS, NOTIFICATIONS, f"{PLANS}apply/"]
)
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


# Plan templates


def test_everyone_reads_the_templates_with_their_steps_in_order(finance, template):
    response = as_user(finance).get(TEMPLATES)

    assert response.status_code == 200
    row = response.data["results"][0]
    assert row["name"] == "AV installation"
    assert [s["title"] for s in row["steps"]] == [
        "Discovery call",
        "Technical walkthrough",
        "Proposal review",
        "Budget approval",
        "Contract signature",
    ]
    assert [s["position"] for s in row["steps"]] == [1, 2, 3, 4, 5]
    assert row["steps"][1]["value_statement"] == "a fixed scope"


def test_the_templates_filter_by_project_type_and_use(seller):
    PlanTemplateFactory(name="Stage build", project_type="event_staging")
    PlanTemplateFactory(name="Old stage build", project_type="event_staging", is_active=False)
    PlanTemplateFactory(name="Screens", project_type="av_installation")
    client = as_user(seller)

    staging = client.get(f"{TEMPLATES}?project_type=event_staging")
    in_use = client.get(f"{TEMPLATES}?project_type=event_staging&is_active=true")
    searched = client.get(f"{TEMPLATES}?q=old")

    assert {r["name"] for r in staging.data["results"]} == {"Stage build", "Old stage build"}
    assert [r["name"] for r in in_use.data["results"]] == ["Stage build"]
    assert [r["name"] for r in searched.data["results"]] == ["Old stage build"]


NEW_TEMPLATE = {
    "name": "Event staging",
    "project_type": "event_staging",
    "description": "Stages and rigging for one event",
    "steps": [
        {"title": "Site visit", "side": "us", "owner_role": "seller", "duration_days": 2},
        {
            "title": "Budget approval",
            "side": "customer",
            "owner_role": "finance",
            "duration_days": 5,
            "value_statement": "a signed-off budget",
        },
        {"title": "Contract", "side": "us", "duration_days": 1, "lead_days": 0},
    ],
}


def test_a_manager_adds_a_template_with_its_steps_in_order(project_manager):
    response = as_user(project_manager).post(TEMPLATES, NEW_TEMPLATE, format="json")

    assert response.status_code == 201, response.data
    template = PlanTemplate.objects.get(name="Event staging")
    steps = list(template.steps.order_by("position"))
    assert [(s.position, s.title, s.side) for s in steps] == [
        (1, "Site visit", "us"),
        (2, "Budget approval", "customer"),
        (3, "Contract", "us"),
    ]
    assert (steps[1].duration_days, steps[1].value_statement) == (5, "a signed-off budget")
    assert steps[2].lead_days == 0
    assert [s["id"] for s in response.data["steps"]] == [s.pk for s in steps]


@pytest.mark.parametrize("persona", ["seller", "finance"])
def test_sellers_and_finance_cannot_change_templates(request, persona, template):
    client = as_user(request.getfixturevalue(persona))

    created = client.post(TEMPLATES, NEW_TEMPLATE, format="json")
    edited = client.patch(url(TEMPLATES, template), {"name": "Mine"}, format="json")
    removed = client.delete(url(TEMPLATES, template))

    assert [created.status_code, edited.status_code, removed.status_code] == [403, 403, 403]
    assert created.data["detail"] == "Only managers and admins can change plan templates."
    assert list(PlanTemplate.objects.values_list("name", flat=True)) == ["AV installation"]
    assert template.steps.count() == 5


def test_a_template_with_a_customer_step_without_value_is_refused_whole(project_manager):
    data = {
        **NEW_TEMPLATE,
        "steps": [
            NEW_TEMPLATE["steps"][0],
            {"title": "Sign NDA", "side": "customer", "duration_days": 1},
        ],
    }

    response = as_user(project_manager).post(TEMPLATES, data, format="json")

    assert response.status_code == 400
    assert response.data == {
        "steps": [
            {},
            {
                "value_statement": [
                    "Say what this customer step gets us to: every ask carries its value."
                ]
            },
        ]
    }
    assert not PlanTemplate.objects.filter(name="Event staging").exists()
    assert TemplateStep.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "AV installation"}, "name"),
        ({"project_type": "juggling"}, "project_type"),
        ({"is_active": "maybe"}, "is_active"),
        ({"steps": "all of them"}, "steps"),
        ({"steps": [{"side": "us"}]}, "steps"),
        ({"steps": [{"title": "Visit", "side": "sideways"}]}, "steps"),
        ({"steps": [{"title": "Visit", "side": "us", "duration_days": "two"}]}, "steps"),
        ({"steps": [{"title": "Visit", "side": "us", "duration_days": 300}]}, "steps"),
        ({"steps": [{"title": "Visit", "side": "us", "lead_days": -1}]}, "steps"),
        ({"steps": [{"id": 999999, "title": "Visit", "side": "us"}]}, "steps"),
    ],
)
def test_a_template_with_bad_input_is_refused_and_not_written(
    project_manager, template, change, field
):
    data = {**NEW_TEMPLATE, **change}
    data = {key: value for key, value in data.items() if value is not None}

    response = as_user(project_manager).post(TEMPLATES, data, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert PlanTemplate.objects.count() == 1
    assert TemplateStep.objects.count() == 5


def test_editing_a_template_replaces_its_steps_in_the_order_sent(project_manager, template):
    discovery, walkthrough, proposal, budget, contract = template.steps.order_by("position")
    data = {
        "name": "AV installation (2027)",
        "steps": [
            {"id": contract.pk, "title": "Contract signature", "side": "customer",
             "value_statement": "a start date on our calendar", "duration_days": 3},
            {"title": "Security review", "side": "us", "owner_role": "project_manager"},
            {"id": discovery.pk, "title": "Discovery call", "side": "us"},
            {"id": budget.pk, "title": "Budget approval", "side": "customer",
             "value_statement": "a signed-off budget"},
        ],
    }  # fmt: skip

    response = as_user(project_manager).patch(url(TEMPLATES, template), data, format="json")

    assert response.status_code == 200, response.data
    steps = list(template.steps.order_by("position"))
    assert [(s.position, s.title) for s in steps] == [
        (1, "Contract signature"),
        (2, "Security review"),
        (3, "Discovery call"),
        (4, "Budget approval"),
    ]
    assert [steps[0].pk, steps[2].pk, steps[3].pk] == [contract.pk, discovery.pk, budget.pk]
    assert steps[0].duration_days == 3
    assert not TemplateStep.objects.filter(pk__in=[walkthrough.pk, proposal.pk]).exists()
    assert [s["title"] for s in response.data["steps"]] == [s.title for s in steps]
    template.refresh_from_db()
    assert template.name == "AV installation (2027)"


def test_a_partial_edit_without_steps_keeps_them(project_manager, template):
    response = as_user(project_manager).patch(
        url(TEMPLATES, template), {"description": "Screens and sound"}, format="json"
    )

    assert response.status_code == 200
    assert len(response.data["steps"]) == 5
    assert template.steps.count() == 5
    template.refresh_from_db()
    assert template.description == "Screens and sound"


def test_a_step_of_another_template_cannot_be_taken_over(project_manager, template):
    other = TemplateStepFactory(template=PlanTemplateFactory(name="Other"), title="Theirs")
    before = list(template.steps.values_list("pk", "position", "title"))

    response = as_user(project_manager).patch(
        url(TEMPLATES, template),
        {"name": "Renamed", "steps": [{"id": other.pk, "title": "Mine", "side": "us"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"steps": [{"id": ["This step is not part of this template."]}]}
    assert list(template.steps.values_list("pk", "position", "title")) == before
    other.refresh_from_db()
    assert (other.template.name, other.title) == ("Other", "Theirs")
    template.refresh_from_db()
    assert template.name == "AV installation"


def test_a_step_listed_twice_is_refused(project_manager, template):
    first = template.steps.get(position=1)
    item = {"id": first.pk, "title": "Discovery call", "side": "us"}

    response = as_user(project_manager).patch(
        url(TEMPLATES, template), {"steps": [item, item]}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"steps": [{}, {"id": ["This step is listed twice."]}]}
    assert template.steps.count() == 5


def test_a_manager_removes_a_template_and_the_plans_made_from_it_stay(
    project_manager, plan, template
):
    response = as_user(project_manager).delete(url(TEMPLATES, template))

    assert response.status_code == 204
    assert not PlanTemplate.objects.exists()
    assert TemplateStep.objects.count() == 0
    plan.refresh_from_db()
    assert plan.template is None
    assert plan.steps.count() == 5


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


# Plan steps


def test_the_steps_filter_by_plan_status_side_owner_and_due_dates(
    seller, project_manager, plan, template
):
    other = services.do_apply_template(
        DealFactory(owner=seller, target_close_date=today() + dt.timedelta(days=90)),
        template,
        seller,
    )
    walkthrough = steps_of(plan)[1]
    services.do_set_step_status(walkthrough, seller, "blocked", blocker="Waiting on IT")
    first, last = steps_of(plan)[0].due_date, steps_of(plan)[-1].due_date
    client = as_user(seller)

    def got(query):
        response = client.get(f"{STEPS}?{query}")
        assert response.status_code == 200, response.data
        return titles(response)

    assert got(f"plan={plan.pk}&ordering=position") == [s.title for s in steps_of(plan)]
    assert got(f"deal={other.deal_id}&ordering=position") == [s.title for s in steps_of(other)]
    assert got("status=blocked") == ["Technical walkthrough"]
    assert got(f"plan={plan.pk}&side=customer&ordering=position") == [
        "Technical walkthrough",
        "Budget approval",
        "Contract signature",
    ]
    assert got(f"owner_user={project_manager.pk}") == ["Proposal review", "Proposal review"]
    assert got(f"plan={plan.pk}&due_after={last}") == ["Contract signature"]
    assert got(f"plan={plan.pk}&due_before={first}") == ["Discovery call"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("due_after=2027-05-01&due_before=2027-04-01", "due_before"),
        ("due_after=soon", "due_after"),
        ("status=paused", "status"),
        ("plan=abc", "plan"),
    ],
)
def test_a_bad_step_filter_is_a_400(seller, query, field):
    response = as_user(seller).get(f"{STEPS}?{query}")

    assert response.status_code == 400
    assert set(response.data) == {field}


def _new_step(for_plan, **change):
    data = {
        "plan": for_plan.pk,
        "title": "Security review",
        "side": "us",
        "due_date": (today() + dt.timedelta(days=20)).isoformat(),
        "duration_days": 2,
    }
    data.update(change)
    return {key: value for key, value in data.items() if value is not None}


def test_a_seller_adds_a_step_to_their_plan_at_a_position(seller, plan):
    response = as_user(seller).post(
        STEPS, _new_step(plan, owner_user=seller.pk, position=2), format="json"
    )

    assert response.status_code == 201, response.data
    steps = steps_of(plan)
    assert [s.position for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[1].title == "Security review"
    assert steps[1].owner_user == seller
    assert steps[1].last_update_by == seller
    assert response.data["id"] == steps[1].pk
    assert response.data["owner_name"] == "Sam Seller"
    assert response.data["status"] == "open"
    assert response.data["version"] == version_of(steps[1])


def test_a_customer_step_is_owned_by_one_of_the_accounts_people(seller, plan):
    contact = StakeholderFactory(account=plan.deal.account).contact

    response = as_user(seller).post(
        STEPS,
        _new_step(plan, side="customer", owner_contact=contact.pk, value_statement="a signed NDA"),
        format="json",
    )

    assert response.status_code == 201, response.data
    assert PlanStep.objects.get(pk=response.data["id"]).owner_contact == contact
    assert response.data["owner_name"] == str(contact)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"side": None}, "side"),
        ({"due_date": None}, "due_date"),
        ({"plan": None}, "plan"),
        ({"plan": "first"}, "plan"),
        ({"plan": 999999}, "plan"),
        ({"due_date": "next week"}, "due_date"),
        ({"due_date": 20270101}, "due_date"),
        ({"side": "both"}, "side"),
        ({"duration_days": "two"}, "duration_days"),
        ({"duration_days": 300}, "duration_days"),
        ({"duration_days": -1}, "duration_days"),
        ({"owner_user": 999999}, "owner_user"),
        ({"position": 0}, "position"),
        ({"due_date": "after close"}, "due_date"),
        ({"side": "customer"}, "value_statement"),
        ({"owner_contact": "stranger"}, "owner_contact"),
    ],
)
def test_a_step_with_bad_input_is_refused_and_nothing_is_written(seller, plan, change, field):
    if change.get("due_date") == "after close":
        change["due_date"] = (plan.deal.target_close_date + dt.timedelta(days=1)).isoformat()
    if change.get("owner_contact") == "stranger":
        change["owner_contact"] = ContactFactory().pk
    before = list(plan.steps.values_list("pk", "position", "due_date"))

    response = as_user(seller).post(STEPS, _new_step(plan, **change), format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert list(plan.steps.values_list("pk", "position", "due_date")) == before


def test_a_step_due_after_the_close_date_says_which_date(seller, plan):
    close = plan.deal.target_close_date

    response = as_user(seller).post(
        STEPS, _new_step(plan, due_date=(close + dt.timedelta(days=3)).isoformat()), format="json"
    )

    assert response.status_code == 400
    assert response.data["due_date"][0].startswith(
        f"No step can be due after the close date ({day(close)})"
    )


@pytest.mark.parametrize("persona", ["other_seller", "finance"])
def test_no_step_is_added_to_a_plan_one_may_not_change(request, persona, plan):
    response = as_user(request.getfixturevalue(persona)).post(STEPS, _new_step(plan), format="json")

    assert response.status_code == 403
    assert plan.steps.count() == 5


def test_a_step_is_edited_and_moved(seller, plan):
    last = steps_of(plan)[-1]
    client = as_user(seller)
    version = client.get(url(STEPS, last)).data["version"]
    new_due = last.due_date - dt.timedelta(days=1)

    response = client.patch(
        url(STEPS, last),
        {"title": "Contract signed", "position": 1, "due_date": new_due, "version": version},
        format="json",
    )

    assert response.status_code == 200, response.data
    last.refresh_from_db()
    assert (last.title, last.position, last.due_date) == ("Contract signed", 1, new_due)
    assert [s.position for s in steps_of(plan)] == [1, 2, 3, 4, 5]
    assert response.data["position"] == 1
    assert response.data["version"] == version_of(last)
    assert response.data["version"] != version


def test_a_step_edit_based_on_a_stale_version_is_a_409_and_changes_nothing(seller, plan):
    step = steps_of(plan)[0]
    client = as_user(seller)
    version = client.get(url(STEPS, step)).data["version"]
    # Someone else saves in between.
    PlanStep.objects.filter(pk=step.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1))

    response = client.patch(
        url(STEPS, step), {"title": "Mine", "position": 3, "version": version}, format="json"
    )

    assert response.status_code == 409
    assert response.data["detail"].startswith("Someone else changed this since you opened it.")
    step.refresh_from_db()
    assert (step.title, step.position) == ("Discovery call", 1)


def test_a_status_change_based_on_a_stale_version_is_a_409(seller, plan):
    step = steps_of(plan)[0]
    version = version_of(step)
    PlanStep.objects.filter(pk=step.pk).update(updated_at=timezone.now() + dt.timedelta(seconds=1))

    response = as_user(seller).post(
        url(STEPS, step, "status"), {"status": "done", "version": version}, format="json"
    )

    assert response.status_code == 409
    step.refresh_from_db()
    assert step.status == "open"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "tomorrowish"}, "due_date"),
        ({"due_date": "after close"}, "due_date"),
        ({"side": "customer", "value_statement": ""}, "value_statement"),
        ({"plan": "other"}, "plan"),
        ({"version": 12}, "version"),
        ({"title": ""}, "title"),
    ],
)
def test_a_step_edit_with_bad_input_changes_nothing(seller, plan, template, change, field):
    step = steps_of(plan)[0]
    if change.get("due_date") == "after close":
        change["due_date"] = (plan.deal.target_close_date + dt.timedelta(days=1)).isoformat()
    if change.get("plan") == "other":
        other = services.do_apply_template(
            DealFactory(owner=step.plan.deal.owner), template, seller
        )
        change["plan"] = other.pk
    before = PlanStep.objects.filter(pk=step.pk).values().get()

    response = as_user(seller).patch(url(STEPS, step), change, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert PlanStep.objects.filter(pk=step.pk).values().get() == before


@pytest.mark.parametrize("persona", ["other_seller", "finance"])
def test_a_step_is_changed_only_by_the_plans_editors(request, persona, plan):
    step = steps_of(plan)[0]
    client = as_user(request.getfixturevalue(persona))

    edited = client.patch(url(STEPS, step), {"title": "Mine"}, format="json")
    removed = client.delete(url(STEPS, step))
    blocked = client.post(url(STEPS, step, "status"), {"status": "blocked", "blocker": "Me"})
    noted = client.post(url(STEPS, step, "comments"), {"body": "Hello"})
    read = client.get(url(STEPS, step))

    assert [edited.status_code, removed.status_code, blocked.status_code] == [403, 403, 403]
    assert noted.status_code == 403
    assert read.status_code == 200
    step.refresh_from_db()
    assert (step.title, step.status) == ("Discovery call", "open")
    assert not StepComment.objects.exists()


def test_a_project_manager_removes_a_step_and_the_rest_close_up(project_manager, plan):
    second = steps_of(plan)[1]

    response = as_user(project_manager).delete(url(STEPS, second))

    assert response.status_code == 204
    assert not PlanStep.objects.filter(pk=second.pk).exists()
    assert [s.position for s in steps_of(plan)] == [1, 2, 3, 4]


def test_a_step_is_blocked_with_its_blocker_then_done(seller, plan):
    step = steps_of(plan)[1]
    client = as_user(seller)

    blocked = client.post(
        url(STEPS, step, "status"), {"status": "blocked", "blocker": "IT is on leave"}
    )
    done = client.post(url(STEPS, step, "status"), {"status": "done"})

    assert blocked.status_code == 200, blocked.data
    assert (blocked.data["status"], blocked.data["blocker"]) == ("blocked", "IT is on leave")
    assert done.status_code == 200
    step.refresh_from_db()
    assert (step.status, step.blocker, step.completed_on) == ("done", "", today())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "blocked"}, "blocker"),
        ({"status": "blocked", "blocker": "   "}, "blocker"),
        ({"status": "paused"}, "status"),
        ({}, "status"),
        ({"status": "blocked", "blocker": "x" * 251}, "blocker"),
    ],
)
def test_a_bad_status_changes_nothing(seller, plan, data, field):
    step = steps_of(plan)[1]

    response = as_user(seller).post(url(STEPS, step, "status"), data, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    step.refresh_from_db()
    assert (step.status, step.blocker) == ("open", "")


def test_the_owner_of_a_step_reports_on_it_but_does_not_edit_it(seller, finance, plan):
    step = services.do_add_step(
        plan, seller, title="Credit check", side="us", owner_user=finance,
        due_date=today() + dt.timedelta(days=10),
    )  # fmt: skip
    client = as_user(finance)

    done = client.post(url(STEPS, step, "status"), {"status": "done"})
    noted = client.post(url(STEPS, step, "comments"), {"body": "Cleared"})
    edited = client.patch(url(STEPS, step), {"title": "Mine"}, format="json")
    removed = client.delete(url(STEPS, step))

    assert (done.status_code, noted.status_code) == (200, 201)
    assert (edited.status_code, removed.status_code) == (403, 403)
    step.refresh_from_db()
    assert (step.status, step.title) == ("done", "Credit check")
    assert step.comments.get().author_user == finance


def test_notes_on_a_step_are_written_and_read_oldest_first(seller, plan):
    step = steps_of(plan)[0]
    client = as_user(seller)

    first = client.post(url(STEPS, step, "comments"), {"body": "Called them", "shared": True})
    client.post(url(STEPS, step, "comments"), {"body": "  Left a message  "})
    listed = client.get(url(STEPS, step, "comments"))

    assert first.status_code == 201, first.data
    assert (first.data["author_name"], first.data["shared"]) == ("Sam Seller", True)
    assert [(c["body"], c["shared"]) for c in listed.data["results"]] == [
        ("Called them", True),
        ("Left a message", False),
    ]
    step.refresh_from_db()
    assert step.last_update_by == seller


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "body"), ({"body": "   "}, "body"), ({"body": "x" * 4001}, "body"),
     ({"body": "Hi", "shared": "maybe"}, "shared")],
)  # fmt: skip
def test_a_bad_note_is_refused(seller, plan, data, field):
    step = steps_of(plan)[0]

    response = as_user(seller).post(url(STEPS, step, "comments"), data, format="json")

    assert response.status_code == 400
    assert set(response.data) == {field}
    assert not StepComment.objects.exists()


# Checkups


@pytest.fixture
def checkups(seller, project_manager, plan):
    """An overdue step of the seller's and a blocked one of the project manager's."""
    overdue = services.do_add_step(
        plan, seller, title="Send references", side="us", owner_user=seller,
        due_date=today() - dt.timedelta(days=2), position=1,
    )  # fmt: skip
    proposal = plan.steps.get(title="Proposal review")
    services.do_set_step_status(proposal, seller, "blocked", blocker="Waiting on drawings")
    return overdue, proposal


def test_checkups_list_my_own_by_default(seller, checkups, plan):
    overdue, _ = checkups

    response = as_user(seller).get(CHECKUPS)

    assert response.status_code == 200
    assert response.data["results"] == [
        {
            "step": overdue.pk,
            "step_title": "Send references",
            "deal": plan.deal_id,
            "deal_name": plan.deal.name,
            "kind": "overdue",
            "due_date": overdue.due_date.isoformat(),
            "days": -company_calendar(today()).count(today(), overdue.due_date),
            "owner_name": "Sam Seller",
            "recipient": seller.pk,
            "recipient_name": "Sam Seller",
        }
    ]


def test_checkups_for_someone_else_or_everyone(seller, project_manager, checkups):
    overdue, blocked = checkups
    client = as_user(seller)

    theirs = client.get(f"{CHECKUPS}?owner={project_manager.pk}")
    everyone = client.get(f"{CHECKUPS}?owner=all")
    as_pm = as_user(project_manager).get(f"{CHECKUPS}?owner=me")

    assert [(r["step"], r["kind"]) for r in theirs.data["results"]] == [(blocked.pk, "blocked")]
    assert theirs.data["results"][0]["recipient_name"] == "Pat PM"
    assert {(r["step"], r["kind"]) for r in everyone.data["results"]} == {
        (overdue.pk, "overdue"),
        (blocked.pk, "blocked"),
    }
    assert as_pm.data["results"] == theirs.data["results"]


def test_finance_reads_the_checkups(finance, checkups):
    response = as_user(finance).get(f"{CHECKUPS}?owner=all")

    assert response.status_code == 200
    assert response.data["count"] == 2


@pytest.mark.parametrize("owner", ["someone", "999999", "-1", ""])
def test_checkups_for_an_unknown_owner_are_a_400(seller, owner):
    response = as_user(seller).get(f"{CHECKUPS}?owner={owner}")

    assert response.status_code == 400
    assert set(response.data) == {"owner"}


# Notifications


def _notice(recipient, title, *, read=False, minutes_ago=0):
    moment = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=recipient,
        key=f"test:{title}",
        kind="checkups",
        title=title,
        created_at=moment,
        read_at=moment if read else None,
    )


def test_each_person_reads_only_their_own_notifications(seller, other_seller):
    _notice(seller, "Mine, read", read=True, minutes_ago=5)
    _notice(seller, "Mine, new", minutes_ago=10)
    theirs = _notice(other_seller, "Theirs")
    client = as_user(seller)

    listed = client.get(NOTIFICATIONS)
    unread = client.get(f"{NOTIFICATIONS}?unread=true")
    other = client.get(url(NOTIFICATIONS, theirs))
    marked = client.post(url(NOTIFICATIONS, theirs, "read"))

    assert [n["title"] for n in listed.data["results"]] == ["Mine, new", "Mine, read"]
    assert [n["title"] for n in unread.data["results"]] == ["Mine, new"]
    assert (other.status_code, marked.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_is_marked_read_once(seller):
    notice = _notice(seller, "Checkups")
    client = as_user(seller)

    first = client.post(url(NOTIFICATIONS, notice, "read"))
    read_at = Notification.objects.get().read_at
    again = client.post(url(NOTIFICATIONS, notice, "read"))

    assert first.status_code == 200
    assert first.data["is_read"] is True
    assert again.status_code == 200
    assert Notification.objects.get().read_at == read_at


def test_reading_all_leaves_other_peoples_notifications_alone(seller, other_seller):
    _notice(seller, "One")
    _notice(seller, "Two")
    _notice(seller, "Old", read=True)
    theirs = _notice(other_seller, "Theirs")

    response = as_user(seller).post(f"{NOTIFICATIONS}read-all/")

    assert response.status_code == 200
    assert response.data == {"marked": 2}
    assert not Notification.objects.filter(recipient=seller, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# Query counts: every list costs the same however many rows it shows.


def _templates(rows: int, user) -> str:
    for template in PlanTemplateFactory.create_batch(rows):
        TemplateStepFactory.create_batch(2, template=template)
    return TEMPLATES


def _plan_rows(rows: int, owner) -> list[ClosePlan]:
    """Plans with two steps each (one ours, one the customer's), written straight to the
    database: what is measured is the read."""
    moment = timezone.now()
    plans = []
    for _ in range(rows):
        deal = DealFactory(owner=owner)
        plan = ClosePlan.objects.create(deal=deal)
        contact = StakeholderFactory(account=deal.account).contact
        PlanStep.objects.create(
            plan=plan, position=1, title="Ours", side="us", owner_user=owner,
            due_date=today() - dt.timedelta(days=3), last_update_at=moment,
        )  # fmt: skip
        PlanStep.objects.create(
            plan=plan, position=2, title="Theirs", side="customer", owner_contact=contact,
            value_statement="a date", due_date=today() + dt.timedelta(days=5),
            status="blocked", blocker="Waiting", last_update_at=moment,
        )  # fmt: skip
        plans.append(plan)
    return plans


def _plans(rows: int, user) -> str:
    _plan_rows(rows, user)
    return PLANS


def _steps(rows: int, user) -> str:
    _plan_rows((rows + 1) // 2, user)
    return f"{STEPS}?page_size={rows}"


def _checkups(rows: int, user) -> str:
    _plan_rows((rows + 1) // 2, user)
    return f"{CHECKUPS}?owner=all&page_size={rows}"


def _notifications(rows: int, user) -> str:
    for i in range(rows):
        _notice(user, f"Notice {i}")
    _notice(UserFactory(), "Someone else's")
    return NOTIFICATIONS


def _share_links(rows: int, user) -> str:
    [plan] = _plan_rows(1, user)
    for _ in range(rows):
        services.do_create_share_link(plan, user)
    return url(PLANS, plan, "share-links")


def _comments(rows: int, user) -> str:
    [plan] = _plan_rows(1, user)
    step = plan.steps.first()
    for i in range(rows):
        services.do_comment(step, user, f"Note {i}")
    return url(STEPS, step, "comments")


LISTS = {
    # Each list: session, user, the user's own permissions, their group's permissions,
    # COUNT(*) and the page of rows with its foreign keys joined ...
    # ... plus the prefetched template steps.
    "plan-templates": (_templates, 7),
    # ... plus the prefetched plan steps with their owners.
    "close-plans": (_plans, 7),
    "plan-steps": (_steps, 6),
    # ... with the plan or step the list belongs to instead of the prefetch.
    "share-links": (_share_links, 7),
    "comments": (_comments, 7),
    # Session, user, permissions (2), the company's days off, every step with a checkup
    # today (paged in memory, no COUNT) and the people the page's checkups go to.
    "checkups": (_checkups, 8),
    # Session, user, COUNT(*), the page: anyone signed in reads their own inbox, so no
    # permission is read.
    "notifications": (_notifications, 4),
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("endpoint", LISTS)
def test_each_close_plan_list_takes_the_same_number_of_queries_for_5_or_50_rows(
    django_assert_num_queries, executive, endpoint, rows
):
    make, queries = LISTS[endpoint]
    path = make(rows, executive)
    client = as_user(executive)

    with django_assert_num_queries(queries):
        response = client.get(path)

    assert response.status_code == 200
    assert len(response.data["results"]) == rows
