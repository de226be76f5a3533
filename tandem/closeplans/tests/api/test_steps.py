"""The plan-step endpoints: filtering, adding, editing, moving and removing steps, their
status and their notes."""

import datetime as dt

import pytest
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import PlanStep, StepComment
from tandem.closeplans.tests.api.helpers import STEPS, steps_of, titles, today
from tandem.core.services import day, version_of
from tandem.core.tests.api_clients import as_user, url
from tandem.crm.tests.factories import ContactFactory, StakeholderFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


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
