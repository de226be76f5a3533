"""The plan-template endpoints: reading, filtering, adding, editing and removing templates
with their steps."""

import pytest

from tandem.closeplans.models import PlanTemplate, TemplateStep
from tandem.closeplans.tests.api.helpers import TEMPLATES
from tandem.closeplans.tests.factories import PlanTemplateFactory, TemplateStepFactory
from tandem.core.tests.api_clients import as_user, url

pytestmark = pytest.mark.django_db


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
