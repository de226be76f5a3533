import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import PlanTemplate, TemplateStep
from tandem.closeplans.template_forms import reorder_moves
from tandem.closeplans.tests.factories import (
    AV_STEPS,
    PlanTemplateFactory,
    TemplateStepFactory,
    av_template,
)
from tandem.core.models import CompanyHoliday
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
AV_TITLES = [title for title, *_ in AV_STEPS]


@pytest.fixture(autouse=True)
def _us_holidays(settings):
    # The preview dates below are worked out with the US federal holidays.
    settings.TANDEM_HOLIDAY_COUNTRY = "US"
    settings.TANDEM_HOLIDAY_SUBDIVISION = ""


@pytest.fixture
def template():
    return av_template()


def titles(template) -> list[str]:
    return list(template.steps.order_by("position").values_list("title", flat=True))


def step_titled(template, title) -> TemplateStep:
    return template.steps.get(title=title)


def url(name, *args) -> str:
    return reverse(f"closeplans:{name}", args=args)


def step_data(prefix="new", **overrides) -> dict:
    data = {
        "title": "Site survey",
        "side": "us",
        "owner_role": "project_manager",
        "duration_days": "2",
        "lead_days": "",
        "value_statement": "",
        **overrides,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()}


def signed_in(client, role):
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    return client


def a_tuesday_in_march(year: int) -> dt.date:
    # No US federal holiday falls in March, so only weekends move these dates.
    day = dt.date(year, 3, 10)
    while day.weekday() != 1:
        day += dt.timedelta(days=1)
    return day


# --- who may see and do what ------------------------------------------------------------


@pytest.mark.parametrize("name", ["template_list", "template_create"])
def test_an_outsider_is_sent_to_the_login_page(client, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_outsider_cannot_read_a_template(client, template):
    response = client.get(template.get_absolute_url())

    assert response.status_code == 302
    assert "Technical walkthrough" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.SELLER, Role.FINANCE, Role.CREW])
def test_everyone_signed_in_reads_templates_but_sees_no_edit_controls(client, template, role):
    client = signed_in(client, role)

    listing = client.get(url("template_list"))
    page = client.get(template.get_absolute_url())

    assert listing.status_code == 200
    assert template.name in listing.content.decode()
    body = page.content.decode()
    assert page.status_code == 200
    assert "Technical walkthrough" in body
    assert url("template_step_add", template.pk) not in body
    assert url("template_edit", template.pk) not in body
    assert url("template_step_reorder", template.pk) not in body


def _write_requests(template):
    step = step_titled(template, "Proposal review")
    return [
        ("get", url("template_create"), {}),
        ("post", url("template_create"), {"name": "Mine", "project_type": "rental"}),
        ("get", url("template_edit", template.pk), {}),
        ("post", url("template_edit", template.pk), {"name": "Renamed", "project_type": "rental"}),
        ("post", url("template_step_add", template.pk), step_data()),
        ("get", url("template_step_edit", template.pk, step.pk), {}),
        ("post", url("template_step_edit", template.pk, step.pk), step_data("step")),
        ("post", url("template_step_delete", template.pk, step.pk), {}),
        ("post", url("template_step_move", template.pk, step.pk), {"direction": "up"}),
        (
            "post",
            url("template_step_reorder", template.pk),
            {"order": list(reversed(template.steps.values_list("pk", flat=True)))},
        ),
    ]


@pytest.mark.parametrize("role", [Role.SELLER, Role.FINANCE])
@pytest.mark.parametrize("htmx", [False, True])
def test_sellers_and_finance_are_refused_every_template_write(client, template, role, htmx):
    client = signed_in(client, role)
    before = list(TemplateStep.objects.order_by("pk").values())

    for method, target, data in _write_requests(template):
        response = getattr(client, method)(target, data, **(HTMX if htmx else {}))
        assert response.status_code == 403, (method, target)

    assert list(TemplateStep.objects.order_by("pk").values()) == before
    assert list(PlanTemplate.objects.values_list("name", flat=True)) == ["AV installation"]


@pytest.mark.parametrize(
    "role", [Role.PROJECT_MANAGER, Role.RESOURCE_MANAGER, Role.EXECUTIVE, Role.ADMIN]
)
def test_managers_and_admins_add_templates(client, role):
    client = signed_in(client, role)

    response = client.post(
        url("template_create"),
        {"name": "Stage rental", "project_type": "rental", "is_active": "on"},
    )

    template = PlanTemplate.objects.get(name="Stage rental")
    assert response.status_code == 302
    assert response["Location"] == template.get_absolute_url()
    assert template.project_type == "rental"
    assert template.is_active is True


def test_a_project_manager_sees_the_edit_controls(pm_client, template):
    body = pm_client.get(template.get_absolute_url()).content.decode()

    assert url("template_step_add", template.pk) in body
    assert url("template_step_reorder", template.pk) in body
    assert url("template_edit", template.pk) in body


def test_an_unknown_template_is_a_404(pm_client):
    assert pm_client.get(url("template_detail", 999999)).status_code == 404
    assert pm_client.post(url("template_step_add", 999999), step_data()).status_code == 404


def test_a_step_is_reached_only_through_its_own_template(pm_client, template):
    other = av_template("Event staging")
    theirs = step_titled(other, "Proposal review")

    edit = pm_client.post(
        url("template_step_edit", template.pk, theirs.pk), step_data("step", title="Hijacked")
    )
    delete = pm_client.post(url("template_step_delete", template.pk, theirs.pk))

    assert edit.status_code == 404
    assert delete.status_code == 404
    assert titles(other) == AV_TITLES


# --- the template list --------------------------------------------------------------------


def test_the_list_shows_step_counts_and_business_days(seller_client, template):
    PlanTemplateFactory(name="Empty one", project_type="rental")

    response = seller_client.get(url("template_list"))

    rows = {t.name: t for t in response.context["page_obj"]}
    assert rows["AV installation"].step_count == 5
    assert rows["AV installation"].work_days == 13  # 1 + 2 + 3 + 5 + 2
    assert rows["Empty one"].step_count == 0
    assert rows["Empty one"].work_days is None
    assert "Empty one" in response.content.decode()


def test_the_list_filters_by_project_type_and_use(seller_client, template):
    PlanTemplateFactory(name="Staging", project_type="event_staging")
    PlanTemplateFactory(name="Old staging", project_type="event_staging", is_active=False)

    by_type = seller_client.get(url("template_list"), {"project_type": "event_staging"})
    in_use = seller_client.get(
        url("template_list"), {"project_type": "event_staging", "is_active": "true"}
    )
    bad = seller_client.get(url("template_list"), {"project_type": "spaceships"})

    assert [t.name for t in by_type.context["page_obj"]] == ["Old staging", "Staging"]
    assert [t.name for t in in_use.context["page_obj"]] == ["Staging"]
    assert list(bad.context["page_obj"]) == []
    assert "project_type" in bad.context["filter"].errors


def test_the_list_is_paginated(seller_client):
    PlanTemplateFactory.create_batch(55, project_type="rental")

    first = seller_client.get(url("template_list"))
    second = seller_client.get(url("template_list"), {"page": 2})

    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 5


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_the_same_queries_whatever_the_data(
    seller_client, rows, django_assert_num_queries
):
    for template in PlanTemplateFactory.create_batch(rows):
        TemplateStepFactory.create_batch(3, template=template)
    seller_client.get(url("template_list"))  # warm the session and permission caches

    # session, user, permissions (user, group), unread notifications, count, the page with
    # its step counts and business days
    with django_assert_num_queries(7):
        response = seller_client.get(url("template_list"))
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_template_page_runs_the_same_queries_whatever_the_steps(
    pm_client, rows, django_assert_num_queries
):
    template = PlanTemplateFactory()
    TemplateStepFactory.create_batch(rows, template=template, duration_days=1)
    pm_client.get(template.get_absolute_url())

    # session, user, permissions (user, group), unread notifications, template, steps,
    # company days off (public holidays are cached per process)
    with django_assert_num_queries(8):
        response = pm_client.get(template.get_absolute_url())
    assert len(response.context["steps"]) == rows


# --- creating and editing templates -------------------------------------------------------


def test_a_name_already_taken_is_refused_next_to_the_field(pm_client, template):
    response = pm_client.post(
        url("template_create"),
        {"name": "AV installation", "project_type": "rental", "description": "Kept as typed"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert "Kept as typed" in response.content.decode()
    assert PlanTemplate.objects.count() == 1


def test_a_template_needs_a_name_and_a_known_project_type(pm_client):
    response = pm_client.post(url("template_create"), {"name": "", "project_type": "spaceships"})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "project_type"}
    assert not PlanTemplate.objects.exists()


def test_editing_a_template_renames_and_retires_it(pm_client, template):
    response = pm_client.post(
        url("template_edit", template.pk),
        {"name": "AV installation (2027)", "project_type": "av_installation", "description": ""},
    )

    template.refresh_from_db()
    assert response.status_code == 302
    assert template.name == "AV installation (2027)"
    assert template.is_active is False  # the box was left unticked
    assert titles(template) == AV_TITLES


# --- steps ----------------------------------------------------------------------------------


def test_adding_a_step_appends_it_and_answers_with_the_steps(pm_client, template):
    response = pm_client.post(
        url("template_step_add", template.pk),
        step_data(title="Site survey", duration_days="3", lead_days="10"),
        **HTMX,
    )

    step = template.steps.get(title="Site survey")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "templateStepsChanged"
    assert 'id="steps"' in response.content.decode()
    assert (step.position, step.side, step.owner_role) == (6, "us", "project_manager")
    assert (step.duration_days, step.lead_days, step.value_statement) == (3, 10, "")


def test_a_plain_post_adds_a_step_and_goes_back_to_the_template(pm_client, template):
    response = pm_client.post(url("template_step_add", template.pk), step_data())

    assert response.status_code == 302
    assert response["Location"] == f"{template.get_absolute_url()}#steps"
    assert titles(template)[-1] == "Site survey"


def test_a_customer_step_without_value_is_refused_next_to_the_field(pm_client, template):
    data = step_data(
        title="Legal review", side="customer", owner_role="decision_maker", value_statement=" "
    )

    response = pm_client.post(url("template_step_add", template.pk), data, **HTMX)

    form = response.context["add_form"]
    assert response.status_code == 200
    assert "every ask carries its value" in " ".join(form.errors["value_statement"])
    assert "HX-Trigger" not in response
    assert 'value="Legal review"' in response.content.decode()
    assert titles(template) == AV_TITLES


def test_a_refused_plain_post_shows_the_page_again_with_the_input(pm_client, template):
    data = step_data(title="Legal review", side="customer", owner_role="decision_maker")

    response = pm_client.post(url("template_step_add", template.pk), data)

    assert response.status_code == 400
    assert response.context["add_form"].errors["value_statement"]
    assert 'value="Legal review"' in response.content.decode()
    assert titles(template) == AV_TITLES


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Fill this in."),
        ({"title": "   "}, "title", "Fill this in."),
        ({"duration_days": "-1"}, "duration_days", "Business days cannot be negative."),
        ({"duration_days": "261"}, "duration_days", "At most 260 business days (about a year)."),
        ({"duration_days": "three"}, "duration_days", "Enter a whole number of business days."),
        ({"duration_days": "1.5"}, "duration_days", "Enter a whole number of business days."),
        ({"lead_days": "-3"}, "lead_days", "Business days cannot be negative."),
        ({"side": "them"}, "side", "Choose one of the options in the list."),
        ({"owner_role": "decision_maker"}, "owner_role", "Our steps are owned by one of our"),
        ({"owner_role": "astronaut"}, "owner_role", "Choose one of the options in the list."),
        (
            {"side": "customer", "owner_role": "seller", "value_statement": "a start date"},
            "owner_role",
            "The customer's steps are owned by one of their people.",
        ),
    ],
)
def test_bad_step_input_is_refused_and_nothing_is_added(
    pm_client, template, overrides, field, message
):
    response = pm_client.post(url("template_step_add", template.pk), step_data(**overrides), **HTMX)

    errors = response.context["add_form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert template.steps.count() == 5


def test_a_milestone_step_keeps_no_duration_and_a_customer_step_takes_their_role(
    pm_client, template
):
    pm_client.post(
        url("template_step_add", template.pk),
        step_data(
            title="Board sign-off",
            side="customer",
            owner_role="finance",
            duration_days="",
            value_statement="a purchase order",
        ),
    )

    step = template.steps.get(title="Board sign-off")
    assert (step.duration_days, step.lead_days, step.owner_role) == (None, None, "finance")


def test_opening_a_step_shows_its_form_with_its_values(pm_client, template):
    step = step_titled(template, "Budget approval")

    response = pm_client.get(url("template_step_edit", template.pk, step.pk), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["editing"] == step.pk
    assert 'value="Budget approval"' in body
    assert 'value="a signed-off budget"' in body
    assert "HX-Trigger" not in response


def test_without_javascript_a_step_is_edited_on_its_own_page(pm_client, template):
    step = step_titled(template, "Budget approval")

    page = pm_client.get(url("template_step_edit", template.pk, step.pk))
    refused = pm_client.post(
        url("template_step_edit", template.pk, step.pk),
        step_data("step", title="Budget approval", side="customer", owner_role="finance"),
    )

    assert page.status_code == 200
    assert "closeplans/template_step_form.html" in [t.name for t in page.templates]
    assert refused.status_code == 400
    assert refused.context["form"].errors["value_statement"]


def test_editing_a_step_saves_it(pm_client, template):
    step = step_titled(template, "Budget approval")

    response = pm_client.post(
        url("template_step_edit", template.pk, step.pk),
        step_data(
            "step",
            title="Budget approval by the board",
            side="customer",
            owner_role="finance",
            duration_days="8",
            lead_days="4",
            value_statement="a signed-off budget",
        ),
        **HTMX,
    )

    step.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "templateStepsChanged"
    assert (step.title, step.duration_days, step.lead_days) == (
        "Budget approval by the board",
        8,
        4,
    )
    assert step.position == 4


def test_editing_a_customer_step_to_drop_its_value_changes_nothing(pm_client, template):
    step = step_titled(template, "Budget approval")

    response = pm_client.post(
        url("template_step_edit", template.pk, step.pk),
        step_data("step", title="Budget", side="customer", owner_role="finance", duration_days="9"),
        **HTMX,
    )

    step.refresh_from_db()
    assert response.context["edit_form"].errors["value_statement"]
    assert 'value="Budget"' in response.content.decode()
    assert (step.title, step.duration_days, step.value_statement) == (
        "Budget approval",
        5,
        "a signed-off budget",
    )


def test_a_role_typed_before_the_choices_is_kept_when_the_step_is_edited(pm_client, template):
    step = TemplateStepFactory(template=template, position=6, owner_role="Procurement lead")

    response = pm_client.post(
        url("template_step_edit", template.pk, step.pk),
        step_data("step", title="Renamed", owner_role="Procurement lead"),
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert (step.title, step.owner_role) == ("Renamed", "Procurement lead")


def test_removing_a_step_closes_the_gap(pm_client, template):
    step = step_titled(template, "Proposal review")

    response = pm_client.post(url("template_step_delete", template.pk, step.pk), **HTMX)

    assert response.status_code == 200
    assert titles(template) == [t for t in AV_TITLES if t != "Proposal review"]
    assert list(template.steps.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_the_arrows_move_a_step_one_place(pm_client, template):
    step = step_titled(template, "Proposal review")

    up = pm_client.post(url("template_step_move", template.pk, step.pk), {"direction": "up"})
    after_up = titles(template)
    pm_client.post(url("template_step_move", template.pk, step.pk), {"direction": "down"})
    pm_client.post(url("template_step_move", template.pk, step.pk), {"direction": "down"})

    assert up.status_code == 302
    assert after_up[:3] == ["Discovery call", "Proposal review", "Technical walkthrough"]
    assert titles(template)[2:4] == ["Budget approval", "Proposal review"]


def test_the_arrows_stop_at_the_ends(pm_client, template):
    first = step_titled(template, "Discovery call")
    last = step_titled(template, "Contract signature")

    pm_client.post(url("template_step_move", template.pk, first.pk), {"direction": "up"})
    pm_client.post(url("template_step_move", template.pk, last.pk), {"direction": "down"})
    sideways = pm_client.post(
        url("template_step_move", template.pk, first.pk), {"direction": "sideways"}
    )

    assert sideways.status_code == 400
    assert titles(template) == AV_TITLES


def _order(template, new_titles) -> list[int]:
    pks = dict(template.steps.values_list("title", "pk"))
    return [pks[title] for title in new_titles]


@pytest.mark.parametrize(
    "new_titles",
    [
        # A drag down, a drag up, and everything backwards.
        [AV_TITLES[1], AV_TITLES[2], AV_TITLES[3], AV_TITLES[0], AV_TITLES[4]],
        [AV_TITLES[4], AV_TITLES[0], AV_TITLES[1], AV_TITLES[2], AV_TITLES[3]],
        list(reversed(AV_TITLES)),
    ],
)
def test_dragging_steps_saves_their_new_order(pm_client, template, new_titles):
    response = pm_client.post(
        url("template_step_reorder", template.pk), {"order": _order(template, new_titles)}, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "templateStepsChanged"
    assert titles(template) == new_titles
    assert [s.title for s in response.context["steps"]] == new_titles
    assert [s.position for s in response.context["steps"]] == [1, 2, 3, 4, 5]


def test_a_reorder_with_a_step_of_another_template_is_refused(pm_client, template):
    other = av_template("Event staging")
    order = _order(template, AV_TITLES[::-1])
    order[0] = step_titled(other, "Contract signature").pk

    htmx = pm_client.post(url("template_step_reorder", template.pk), {"order": order}, **HTMX)
    plain = pm_client.post(url("template_step_reorder", template.pk), {"order": order})

    assert "That step is not part of this template." in htmx.context["steps_error"]
    assert "HX-Trigger" not in htmx
    assert [s.title for s in htmx.context["steps"]] == AV_TITLES
    assert plain.status_code == 400
    assert titles(template) == AV_TITLES
    assert titles(other) == AV_TITLES


@pytest.mark.parametrize(
    "order",
    [
        lambda pks: pks[:-1],  # one missing: the page is out of date
        lambda pks: [*pks[:-1], pks[0]],  # one twice
        lambda pks: [],
        lambda pks: [*pks[:-1], "x"],
    ],
)
def test_a_reorder_that_is_not_exactly_the_templates_steps_changes_nothing(
    pm_client, template, order
):
    pks = _order(template, AV_TITLES[::-1])

    response = pm_client.post(url("template_step_reorder", template.pk), {"order": order(pks)})

    assert response.status_code == 400
    assert response.context["steps_error"]
    assert titles(template) == AV_TITLES


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_reorder_moves_turn_any_order_into_any_other(size):
    items = list(range(size))
    for wanted in itertools.permutations(items):
        order = list(items)
        for item, position in reorder_moves(items, list(wanted)):
            # As the services move a step: out of the list, back in at `position`.
            order.remove(item)
            order.insert(position - 1, item)
        assert order == list(wanted)


@pytest.mark.parametrize(("source", "target"), [(0, 4), (4, 0), (1, 3), (3, 1), (0, 2)])
def test_one_drag_is_one_move(source, target):
    items = list("abcde")
    wanted = list(items)
    wanted.insert(target, wanted.pop(source))

    assert reorder_moves(items, wanted) == [(items[source], target + 1)]


def test_swapping_neighbours_is_one_move():
    assert len(reorder_moves(list("abcde"), list("abdce"))) == 1


def test_reorder_moves_refuse_different_items():
    with pytest.raises(ValueError, match="same items"):
        reorder_moves([1, 2, 3], [1, 2, 4])


# --- the preview ----------------------------------------------------------------------------


def _two_step_template():
    template = PlanTemplateFactory(name="Two steps")
    TemplateStepFactory(template=template, position=1, title="Design", duration_days=3)
    TemplateStepFactory(template=template, position=2, title="Sign", duration_days=2)
    return template


def _preview_dates(response) -> list[tuple[dt.date, dt.date]]:
    return [(planned.start, planned.due) for planned, _ in response.context["preview"]["rows"]]


def test_the_preview_lays_steps_out_over_weekends(seller_client):
    template = _two_step_template()
    close = a_tuesday_in_march(timezone.localdate().year + 2)

    response = seller_client.get(template.get_absolute_url(), {"close": close.isoformat()})

    friday = close - dt.timedelta(days=4)
    # Sign: 2 business days before Tuesday are Monday and Friday; Design: 3 before Friday.
    assert _preview_dates(response) == [
        (close - dt.timedelta(days=7), friday),
        (friday, close),
    ]
    body = response.content.decode()
    assert f"Laid out for a close on {close:%a} {close.day} {close:%b %Y}" in body
    assert "Fits from today" in body


def test_the_preview_skips_the_company_days_off(seller_client):
    template = _two_step_template()
    close = a_tuesday_in_march(timezone.localdate().year + 2)
    monday = close - dt.timedelta(days=1)
    CompanyHoliday.objects.create(date=monday, name="Company day")

    response = seller_client.get(template.get_absolute_url(), {"close": close.isoformat()})

    thursday = close - dt.timedelta(days=5)
    # Sign: Monday is off, so Friday and Thursday; Design: Wednesday, Tuesday, Monday.
    assert _preview_dates(response) == [
        (thursday - dt.timedelta(days=3), thursday),
        (thursday, close),
    ]


def test_a_close_on_a_saturday_is_planned_for_the_friday(seller_client):
    template = _two_step_template()
    saturday = a_tuesday_in_march(timezone.localdate().year + 2) + dt.timedelta(days=4)

    response = seller_client.get(template.get_absolute_url(), {"close": saturday.isoformat()})

    assert _preview_dates(response)[-1][1] == saturday - dt.timedelta(days=1)
    assert "is not a business day: the plan aims for Friday" in response.content.decode()


def test_the_preview_defaults_to_a_close_sixty_days_out(seller_client, template):
    response = seller_client.get(template.get_absolute_url())

    preview = response.context["preview"]
    assert preview["close"] == timezone.localdate() + dt.timedelta(days=60)
    assert [planned.title for planned, _ in preview["rows"]] == AV_TITLES
    assert preview["rows"][-1][0].due <= preview["close"]


def test_the_preview_says_when_a_close_is_too_near(seller_client, template):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = seller_client.get(template.get_absolute_url(), {"close": tomorrow.isoformat()})

    schedule = response.context["preview"]["schedule"]
    body = response.content.decode()
    assert schedule.fits is False
    assert schedule.earliest_close > tomorrow
    assert "would not fit from today" in body
    earliest = schedule.earliest_close
    assert (
        f"The earliest close that fits is <strong>{earliest:%a} {earliest.day} {earliest:%b %Y}"
        in body
    )


@pytest.mark.parametrize(
    ("close", "message"),
    [
        (lambda today: today - dt.timedelta(days=1), "That date has passed"),
        (lambda today: "next Friday", "Enter a date like 2026-12-31."),
        (lambda today: dt.date(today.year + 4, 1, 5), "Pick a close before"),
    ],
)
def test_a_close_the_preview_cannot_use_is_refused_and_the_default_shown(
    seller_client, template, close, message
):
    today = timezone.localdate()
    value = close(today)

    response = seller_client.get(
        template.get_absolute_url(), {"close": getattr(value, "isoformat", lambda: value)()}
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["preview_form"].errors["close"])
    assert response.context["preview"]["close"] == today + dt.timedelta(days=60)


def test_a_template_without_steps_says_so(seller_client):
    template = PlanTemplateFactory()

    body = seller_client.get(template.get_absolute_url()).content.decode()

    assert "No steps yet." in body
    assert "Add steps to see them laid out." in body


# --- the admin --------------------------------------------------------------------------------


def test_the_admin_lists_close_plan_rows_but_adds_no_plans_or_steps(client, admin_user, seller):
    deal = DealFactory(owner=seller, target_close_date=timezone.localdate() + dt.timedelta(days=90))
    plan = services.do_apply_template(deal, av_template(), seller)
    step = plan.steps.first()
    client.force_login(admin_user)

    plans = ("plantemplate", "closeplan", "planstep", "sharelink")
    for model in [*(f"closeplans_{m}" for m in plans), "core_companyholiday"]:
        changelist = reverse(f"admin:{model}_changelist")
        assert client.get(changelist).status_code == 200, model
    template_page = client.get(
        reverse("admin:closeplans_plantemplate_change", args=[plan.template_id])
    )
    history = client.get(reverse("admin:closeplans_planstep_history", args=[step.pk]))
    add_step = client.get(reverse("admin:closeplans_planstep_add"))
    add_plan = client.get(reverse("admin:closeplans_closeplan_add"))
    change_step = client.post(
        reverse("admin:closeplans_planstep_change", args=[step.pk]), {"title": "Renamed"}
    )

    assert template_page.status_code == 200
    assert "Technical walkthrough" in template_page.content.decode()
    assert history.status_code == 200
    assert add_step.status_code == 403
    assert add_plan.status_code == 403
    assert change_step.status_code == 403
    step.refresh_from_db()
    assert step.title == "Discovery call"
