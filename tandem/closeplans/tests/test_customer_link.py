"""The customer's shared plan, opened through a signed link without signing in.

Security first: an altered, foreign, unknown, expired or withdrawn link opens nothing and
changes nothing; a live link reaches only its own plan's steps, and only the customer's
steps can be ticked; the page never shows amounts, internal notes or other deals.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.closeplans import services
from tandem.closeplans.models import PlanStep, ShareLink, Side, StepComment, StepStatus
from tandem.closeplans.tests.factories import av_template
from tandem.crm.tests.factories import AccountFactory, StakeholderFactory
from tandem.pipeline.services import do_move_deal
from tandem.pipeline.tests.factories import DealFactory, stage

PRIVATE_HEADERS = {
    "Cache-Control": "no-store, private",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def make_deal(seller, name, account_name, **stakeholders):
    deal = DealFactory(
        owner=seller,
        name=name,
        account=AccountFactory(name=account_name),
        stage=stage("Negotiation"),
        amount=Decimal("123456.00"),
        probability=35,
        target_close_date=timezone.localdate() + dt.timedelta(days=70),
    )
    for influence, (first, last) in stakeholders.items():
        StakeholderFactory(
            account=deal.account,
            influence=influence,
            contact__first_name=first,
            contact__last_name=last,
        )
    return deal


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def deal(seller):
    return make_deal(
        seller,
        "Auditorium refit",
        "Lakeside University",
        user=("Una", "Userton"),
        finance=("Fay", "Fincher"),
        decision_maker=("Dora", "Decker"),
    )


@pytest.fixture
def plan(deal, seller, now):
    return services.do_apply_template(deal, av_template(), seller, now=now)


@pytest.fixture
def link(plan, seller, now):
    return services.do_create_share_link(plan, seller, now=now)


@pytest.fixture
def other_plan(seller, now):
    deal = make_deal(seller, "Harbour stadium screens", "Harbour Sports Club")
    return services.do_apply_template(deal, av_template("Stadium"), seller, now=now)


def step(plan, title) -> PlanStep:
    return plan.steps.get(title=title)


def page_url(link) -> str:
    return reverse("shared:plan", args=[services.share_token(link)])


def mark_url(link, step_id) -> str:
    return reverse("shared:step_mark", args=[services.share_token(link), step_id])


def comment_url(link, step_id) -> str:
    return reverse("shared:step_comment", args=[services.share_token(link), step_id])


def name_url(link) -> str:
    return reverse("shared:name", args=[services.share_token(link)])


def name_key(link) -> str:
    return f"closeplans.shared_name.{link.pk}"


def snapshot(plan) -> tuple:
    """Everything a write through the link could touch, to compare before and after."""
    steps = list(
        PlanStep.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "status", "blocker", "completed_on", "last_update_at", "last_update_via")
    )
    comments = list(
        StepComment.objects.filter(step__plan=plan).order_by("pk").values_list("pk", "body")
    )
    history = PlanStep.history.filter(plan_id=plan.pk).count()
    links = list(ShareLink.objects.filter(plan=plan).values_list("pk", "last_used_at"))
    return steps, comments, history, links


def assert_private(response):
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value, header


def assert_reveals_nothing(response, plan):
    text = response.content.decode()
    deal = plan.deal
    for secret in (deal.name, deal.account.name, "Technical walkthrough", "Una Userton"):
        assert secret not in text
    assert "<form" not in text


# A live link ------------------------------------------------------------------------------


def test_anonymous_visitor_opens_a_live_link(client, link):
    response = client.get(page_url(link))

    assert response.status_code == 200
    assert_private(response)
    text = response.content.decode()
    assert "Auditorium refit" in text
    assert "Lakeside University" in text
    assert "Shared with you by Sam Seller" in text
    close = link.plan.deal.target_close_date
    assert f'<div class="fs-5" id="target-close">{close:%-d %b %Y}</div>' in text


def test_page_lists_every_step_in_the_customers_words(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")
    response = client.get(page_url(link))

    steps = response.context["steps"]
    assert [s.title for s in steps] == [
        "Discovery call",
        "Technical walkthrough",
        "Proposal review",
        "Budget approval",
        "Contract signature",
    ]
    assert [s.side_label for s in steps] == ["Us", "You", "Us", "You", "You"]
    assert [s.can_tick for s in steps] == [False, True, False, True, True]
    text = response.content.decode()
    card = section_of(text, walkthrough.pk)
    assert "Una Userton" in card
    assert f"Due {walkthrough.due_date:%-d %b %Y}" in card
    assert "Gets us to: <strong>a fixed scope</strong>" in card
    assert ">Open<" in card
    assert "Sam Seller" in section_of(text, step(plan, "Discovery call").pk)
    assert "Dora Decker" in section_of(text, step(plan, "Contract signature").pk)


def test_blocked_step_shows_what_blocks_it(client, plan, link, seller):
    budget = step(plan, "Budget approval")
    services.do_set_step_status(budget, seller, StepStatus.BLOCKED, blocker="Board meets in May")

    card = section_of(client.get(page_url(link)).content.decode(), budget.pk)

    assert "Blocked by: Board meets in May" in card
    assert ">Blocked<" in card


def test_page_never_shows_amounts_internal_notes_or_other_deals(client, plan, link, other_plan):
    walkthrough = step(plan, "Technical walkthrough")
    services.do_comment(walkthrough, plan.deal.owner, "Their CFO hates us", shared=False)
    services.do_comment(walkthrough, plan.deal.owner, "Agenda attached", shared=True)
    other_step = step(other_plan, "Technical walkthrough")
    services.do_comment(other_step, plan.deal.owner, "Stadium news", shared=True)

    response = client.get(page_url(link))

    text = response.content.decode()
    for secret in (
        "123,456",
        "123456",
        "$",
        "35%",
        "Negotiation",
        "Their CFO hates us",
        "Harbour stadium screens",
        "Harbour Sports Club",
        "Stadium news",
        "sam@example.com",
    ):
        assert secret not in text, secret
    card = section_of(text, walkthrough.pk)
    assert "Agenda attached" in card
    assert '<strong class="text-body">Sam Seller</strong>' in card


def test_page_links_nowhere_inside_the_app(client, link):
    text = client.get(page_url(link)).content.decode()

    targets = re.findall(r'(?:href|action|hx-post|hx-get|src)="([^"]*)"', text)
    token_prefix = page_url(link)
    assert targets
    for target in targets:
        assert target.startswith((token_prefix, "/static/", "#")), target


def test_signed_in_staff_see_the_same_customer_page(seller_client, link):
    response = seller_client.get(page_url(link))

    assert response.status_code == 200
    assert "navbar" not in response.content.decode()


# Links that do not open -------------------------------------------------------------------


def tampered(value: str, index: int) -> str:
    swapped = "A" if value[index] != "A" else "B"
    return value[:index] + swapped + value[index + 1 :]


def refused_urls(value: str, step_id: int) -> dict[str, str]:
    return {
        "page": reverse("shared:plan", args=[value]),
        "mark": reverse("shared:step_mark", args=[value, step_id]),
        "comment": reverse("shared:step_comment", args=[value, step_id]),
        "name": reverse("shared:name", args=[value]),
    }


def assert_refused_everywhere(client, plan, value, status, title):
    walkthrough = step(plan, "Technical walkthrough")
    urls = refused_urls(value, walkthrough.pk)
    before = snapshot(plan)

    response = client.get(urls["page"])
    assert response.status_code == status
    assert title in response.content.decode()
    assert "ask your contact for a new" in response.content.decode()
    assert_private(response)
    assert_reveals_nothing(response, plan)
    posts = {
        "mark": {"done": "1"},
        "comment": {"name": "Mallory", "body": "Let me in"},
        "name": {"name": "Mallory"},
    }
    for kind, data in posts.items():
        response = client.post(urls[kind], data)
        assert response.status_code == status, kind
        assert_private(response)
        assert_reveals_nothing(response, plan)

    assert snapshot(plan) == before
    assert not any(key.startswith("closeplans.shared_name") for key, _ in client.session.items())


@pytest.mark.parametrize("where", ["token", "signature"])
def test_a_link_with_one_character_changed_is_refused(client, plan, link, where):
    value = services.share_token(link)
    index = 0 if where == "token" else len(value) - 1

    assert_refused_everywhere(client, plan, tampered(value, index), 404, "doesn’t work")


def test_a_link_signed_with_another_salt_is_refused(client, plan, link):
    value = signing.Signer(salt="tandem.somewhere.else").sign(link.token)

    assert_refused_everywhere(client, plan, value, 404, "doesn’t work")


def test_a_link_signed_with_another_key_is_refused(client, plan, link):
    value = signing.Signer(key="not-our-secret", salt=ShareLink.SALT).sign(link.token)

    assert_refused_everywhere(client, plan, value, 404, "doesn’t work")


def test_a_bare_token_without_signature_is_refused(client, plan, link):
    assert_refused_everywhere(client, plan, link.token, 404, "doesn’t work")


def test_an_unknown_but_well_signed_token_is_refused(client, plan, link):
    value = signing.Signer(salt=ShareLink.SALT).sign("no-such-link")

    assert_refused_everywhere(client, plan, value, 404, "doesn’t work")


def test_an_expired_link_is_refused(client, plan, seller, now):
    link = services.do_create_share_link(plan, seller, days=1, now=now - dt.timedelta(days=2))

    assert_refused_everywhere(client, plan, services.share_token(link), 410, "has expired")


def test_a_revoked_link_is_refused(client, plan, link, seller):
    services.do_revoke_share_link(link, seller)

    assert_refused_everywhere(client, plan, services.share_token(link), 410, "was withdrawn")


def test_a_revoked_link_is_refused_even_with_a_name_already_given(client, plan, link, seller):
    walkthrough = step(plan, "Technical walkthrough")
    client.post(comment_url(link, walkthrough.pk), {"name": "Jane Buyer", "body": "Hello"})
    services.do_revoke_share_link(link, seller)
    before = snapshot(plan)

    response = client.post(mark_url(link, walkthrough.pk), {"done": "1"})

    assert response.status_code == 410
    assert snapshot(plan) == before


def test_htmx_post_on_a_dead_link_reloads_the_page(client, plan, link, seller):
    services.do_revoke_share_link(link, seller)
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(mark_url(link, walkthrough.pk), {"done": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 410
    assert response["HX-Refresh"] == "true"
    assert step(plan, "Technical walkthrough").status == StepStatus.OPEN


# Reaching outside the plan ----------------------------------------------------------------


def test_a_step_of_another_plan_cannot_be_ticked_through_this_link(client, plan, link, other_plan):
    foreign = step(other_plan, "Technical walkthrough")
    before, before_other = snapshot(plan), snapshot(other_plan)

    response = client.post(mark_url(link, foreign.pk), {"done": "1"})

    assert response.status_code == 404
    assert "That step is not part of this plan." in response.content.decode()
    assert "Harbour" not in response.content.decode()
    assert snapshot(plan) == before
    assert snapshot(other_plan) == before_other


def test_a_step_of_another_plan_cannot_be_commented_through_this_link(
    client, plan, link, other_plan
):
    foreign = step(other_plan, "Proposal review")
    before_other = snapshot(other_plan)

    response = client.post(comment_url(link, foreign.pk), {"name": "Jane", "body": "Hi"})

    assert response.status_code == 404
    assert snapshot(other_plan) == before_other
    assert not StepComment.objects.exists()


def test_a_step_id_that_does_not_exist_is_refused(client, plan, link):
    before = snapshot(plan)
    missing = PlanStep.objects.order_by("-pk").first().pk + 1000

    response = client.post(mark_url(link, missing), {"done": "1"})

    assert response.status_code == 404
    assert snapshot(plan) == before


def test_a_step_id_that_is_not_a_number_matches_no_page(client, link):
    url = page_url(link) + "steps/abc/mark/"

    assert client.post(url, {"done": "1"}).status_code == 404


@pytest.mark.parametrize("title", ["Discovery call", "Proposal review"])
def test_our_steps_cannot_be_ticked_by_the_customer(client, plan, link, title):
    ours = step(plan, title)
    assert ours.side == Side.US
    before = snapshot(plan)

    response = client.post(mark_url(link, ours.pk), {"done": "1"})

    assert response.status_code == 200
    card = section_of(response.content.decode(), ours.pk)
    assert "Only your own steps can be ticked off here." in card
    assert snapshot(plan) == before


# Changes through the link -----------------------------------------------------------------


def test_customer_ticks_their_step_and_it_is_recorded_as_from_the_link(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")
    client.post(name_url(link), {"name": "Jane Buyer"})

    response = client.post(mark_url(link, walkthrough.pk), {"done": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(link)}#step-{walkthrough.pk}"
    assert_private(response)
    walkthrough.refresh_from_db()
    assert walkthrough.status == StepStatus.DONE
    assert walkthrough.last_update_via == "customer_link"
    assert walkthrough.last_update_by is None
    record = walkthrough.history.latest()
    assert record.status == StepStatus.DONE
    assert "customer link" in record.history_change_reason
    assert "Jane Buyer" in record.history_change_reason
    assert ShareLink.objects.get(pk=link.pk).last_used_at is not None
    page = client.get(page_url(link)).content.decode()
    assert "Thanks: the step is marked done." in page
    assert "Not done yet" in section_of(page, walkthrough.pk)


def test_customer_unticks_a_step_they_ticked(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")
    client.post(mark_url(link, walkthrough.pk), {"done": "1"})

    client.post(mark_url(link, walkthrough.pk), {"done": "0"})

    walkthrough.refresh_from_db()
    assert walkthrough.status == StepStatus.OPEN
    assert walkthrough.completed_on is None
    assert walkthrough.history.latest().history_change_reason == (
        "From the customer link, by the customer"
    )


@pytest.mark.parametrize("data", [{}, {"done": "maybe"}, {"done": ""}])
def test_a_tick_with_a_bad_value_changes_nothing(client, plan, link, data):
    walkthrough = step(plan, "Technical walkthrough")
    before = snapshot(plan)

    response = client.post(mark_url(link, walkthrough.pk), data)

    assert response.status_code == 200
    assert response.context["steps"][1].mark_errors
    assert snapshot(plan) == before


def test_customer_comments_with_their_name_once(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")
    budget = step(plan, "Budget approval")

    response = client.post(
        comment_url(link, walkthrough.pk), {"name": "Jane Buyer", "body": "Tuesday works"}
    )

    assert response.status_code == 302
    assert client.session[name_key(link)] == "Jane Buyer"
    comment = StepComment.objects.get()
    assert (comment.step, comment.author_name, comment.via, comment.shared) == (
        walkthrough,
        "Jane Buyer",
        "customer_link",
        True,
    )
    assert comment.author_user is None
    walkthrough.refresh_from_db()
    assert walkthrough.last_update_via == "customer_link"

    page = client.get(page_url(link)).content.decode()
    assert "You’re commenting as <strong>Jane Buyer</strong>" in page
    assert f'id="id_s{budget.pk}_name"' not in page
    assert "Tuesday works" in section_of(page, walkthrough.pk)

    client.post(comment_url(link, budget.pk), {"body": "Budget is with the board"})
    second = StepComment.objects.get(step=budget)
    assert second.author_name == "Jane Buyer"


def test_the_name_is_remembered_per_link(client, plan, link, other_plan, seller):
    other_link = services.do_create_share_link(other_plan, seller)
    client.post(name_url(link), {"name": "Jane Buyer"})

    page = client.get(page_url(other_link)).content.decode()

    assert "Jane Buyer" not in page
    foreign = step(other_plan, "Technical walkthrough")
    assert f'id="id_s{foreign.pk}_name"' in page


def test_a_comment_without_a_name_is_refused_and_the_text_kept(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(comment_url(link, walkthrough.pk), {"body": "Tuesday works"})

    assert response.status_code == 200
    card = section_of(response.content.decode(), walkthrough.pk)
    assert "Tell us your name, so we know who wrote." in card
    assert "Tuesday works</textarea>" in card
    assert not StepComment.objects.exists()
    assert name_key(link) not in client.session


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write something first."),
        ("   ", "Write something first."),
        ("x" * 4001, "Keep this to 4000 characters or fewer (it has 4001)."),
    ],
)
def test_a_bad_comment_is_refused_next_to_the_form_with_input_kept(client, plan, link, body, error):
    walkthrough = step(plan, "Technical walkthrough")
    before = snapshot(plan)

    response = client.post(comment_url(link, walkthrough.pk), {"name": "Jane Buyer", "body": body})

    assert response.status_code == 200
    card = section_of(response.content.decode(), walkthrough.pk)
    assert error in card
    assert 'value="Jane Buyer"' in card
    assert snapshot(plan) == before


def test_the_customer_can_change_their_name(client, plan, link):
    client.post(name_url(link), {"name": "Jane Buyer"})

    response = client.post(name_url(link), {"name": "  Janet Buyer  "})

    assert response.status_code == 302
    assert client.session[name_key(link)] == "Janet Buyer"


@pytest.mark.parametrize("name", ["", "   ", "J" * 121])
def test_a_bad_name_is_refused_and_the_old_one_kept(client, plan, link, name):
    client.post(name_url(link), {"name": "Jane Buyer"})

    response = client.post(name_url(link), {"name": name})

    assert response.status_code == 200
    assert response.context["name_form"].errors["name"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert client.session[name_key(link)] == "Jane Buyer"


def test_posts_need_the_csrf_token(plan, link):
    browser = Client(enforce_csrf_checks=True)
    walkthrough = step(plan, "Technical walkthrough")
    before = snapshot(plan)

    assert browser.post(mark_url(link, walkthrough.pk), {"done": "1"}).status_code == 403
    assert browser.post(comment_url(link, walkthrough.pk), {"body": "x"}).status_code == 403
    assert snapshot(plan) == before


def test_the_forms_carry_the_csrf_token(link):
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(page_url(link)).content.decode()

    assert page.count('name="csrfmiddlewaretoken"') == page.count("<form")


@pytest.mark.parametrize("view", ["shared:step_mark", "shared:step_comment"])
def test_write_urls_answer_get_with_method_not_allowed(client, plan, link, view):
    walkthrough = step(plan, "Technical walkthrough")
    url = reverse(view, args=[services.share_token(link), walkthrough.pk])

    response = client.get(url)

    assert response.status_code == 405
    assert_private(response)


def test_the_plan_page_does_not_take_posts(client, link):
    response = client.post(page_url(link))

    assert response.status_code == 405


def test_htmx_tick_answers_the_step_card_alone(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(mark_url(link, walkthrough.pk), {"done": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert_private(response)
    text = response.content.decode()
    assert text.lstrip().startswith(f'<li class="card-section" id="step-{walkthrough.pk}">')
    assert "<html" not in text
    assert "Not done yet" in text
    assert step(plan, "Technical walkthrough").status == StepStatus.DONE


def test_htmx_comment_error_answers_the_step_card_with_the_error(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(
        comment_url(link, walkthrough.pk), {"name": "Jane", "body": ""}, HTTP_HX_REQUEST="true"
    )

    text = response.content.decode()
    assert "<html" not in text
    assert "Write something first." in text
    assert not StepComment.objects.exists()


def test_htmx_comment_shows_the_new_comment_in_the_card(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(
        comment_url(link, walkthrough.pk),
        {"name": "Jane", "body": "See you Tuesday"},
        HTTP_HX_REQUEST="true",
    )

    assert "See you Tuesday" in response.content.decode()
    assert StepComment.objects.get().author_name == "Jane"


# A closed deal -----------------------------------------------------------------------------


def test_a_closed_deals_plan_is_shown_read_only(client, plan, link, seller):
    do_move_deal(plan.deal, seller, stage("Won"))
    walkthrough = step(plan, "Technical walkthrough")
    before = snapshot(plan)

    page = client.get(page_url(link))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Technical walkthrough" in text
    assert "can no longer change" in text
    assert "<form" not in text
    for url, data in (
        (mark_url(link, walkthrough.pk), {"done": "1"}),
        (comment_url(link, walkthrough.pk), {"name": "Jane", "body": "Late note"}),
    ):
        response = client.post(url, data)
        assert "This deal is closed: its plan can no longer change." in response.content.decode()
    assert snapshot(plan) == before


# Queries -----------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_reads_a_constant_number_of_queries(client, plan, link, seller):
    # link (with plan, deal, account, stage), deal owner, steps with owners, shared comments
    for s in plan.steps.all():
        services.do_comment(s, seller, f"Note on {s.title}", shared=True)
    assert count_queries(client, page_url(link)) == 4

    close = plan.deal.target_close_date
    for n in range(45):
        services.do_add_step(plan, seller, title=f"Extra {n}", side=Side.US, due_date=close)
    for s in plan.steps.all():
        services.do_comment(s, seller, "Another shared note", shared=True)
        services.do_comment(s, seller, "An internal note")
    assert plan.steps.count() == 50
    assert count_queries(client, page_url(link)) == 4


def section_of(text: str, step_id: int) -> str:
    """The HTML of one step's card on the page."""
    start = text.index(f'id="step-{step_id}"')
    end = text.find('<li class="card-section" id="step-', start + 1)
    return text[start : end if end != -1 else len(text)]


def test_a_token_signed_for_another_kind_of_link_is_refused(client, plan, link):
    # Another kind of link (acceptance, calendar feeds) signs with its own salt.
    value = signing.Signer(salt="tandem.somewhere.else").sign(link.token)

    assert_refused_everywhere(client, plan, value, 404, "doesn’t work")
