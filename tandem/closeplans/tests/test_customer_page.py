"""How the customer's shared plan looks and reads: the company's branding, a progress summary
with the next step, one comment box per step opened on demand, the name asked once; and that
what the customer does there reaches the seller."""

import datetime as dt
import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

import tandem.settings
from tandem.closeplans import services
from tandem.closeplans.models import CustomerActivity, StepComment
from tandem.closeplans.tests.factories import av_template
from tandem.closeplans.tests.test_customer_link import (
    comment_url,
    make_deal,
    mark_url,
    page_url,
    section_of,
    snapshot,
    step,
)
from tandem.closeplans.views_customer import plan_progress
from tandem.core.branding import text_colour_on
from tandem.notifications.models import Notification
from tandem.pipeline.services import do_move_deal
from tandem.pipeline.tests.factories import stage


@pytest.fixture
def plan(seller):
    deal = make_deal(
        seller,
        "Auditorium refit",
        "Lakeside University",
        user=("Una", "Userton"),
        finance=("Fay", "Fincher"),
        decision_maker=("Dora", "Decker"),
    )
    return services.do_apply_template(deal, av_template(), seller, now=timezone.now())


@pytest.fixture
def link(plan, seller):
    return services.do_create_share_link(plan, seller)


def comment_boxes(text: str) -> int:
    return text.count('<details class="comment-box')


# Branding -----------------------------------------------------------------------------------


def test_the_page_wears_the_companys_name_logo_and_colour(client, link, settings):
    settings.TANDEM_COMPANY_NAME = "Northlight AV & Staging"
    settings.TANDEM_BRAND_COLOUR = "#f2c14e"
    settings.TANDEM_COMPANY_LOGO_URL = "/static/demo/northlight-logo.svg"

    text = client.get(page_url(link)).content.decode()

    assert '<span class="fw-semibold" id="brand-name">Northlight AV &amp; Staging</span>' in text
    assert '<img src="/static/demo/northlight-logo.svg" alt="" class="customer-brand-logo"' in text
    # A light brand colour takes dark text.
    assert 'style="background: #f2c14e; color: #1b2533"' in text
    assert "Shared with you by Sam Seller at Northlight AV &amp; Staging" in text


def test_without_a_logo_the_page_shows_the_name_alone(client, link, settings):
    settings.TANDEM_COMPANY_LOGO_URL = ""

    text = client.get(page_url(link)).content.decode()

    assert "customer-brand-logo" not in text
    assert 'id="brand-name">Tandem<' in text


@pytest.mark.parametrize(
    ("colour", "text"), [("#1f3a5f", "#ffffff"), ("#fff", "#1b2533"), ("#000000", "#ffffff")]
)
def test_text_on_the_brand_colour_stays_readable(colour, text):
    assert text_colour_on(colour) == text


def _load_settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(Path(tandem.settings.__file__))


@pytest.mark.parametrize(
    "url",
    [
        "logo.svg",
        "//evil.example/logo.svg",
        'https://cdn.example/logo.svg" onerror="alert(1)',
        "javascript:alert(1)",
        "/static/my logo.svg",
    ],
)
def test_a_logo_address_that_is_not_a_plain_path_or_web_address_stops_start_up(monkeypatch, url):
    with pytest.raises(ImproperlyConfigured, match="TANDEM_COMPANY_LOGO_URL must be a path"):
        _load_settings(monkeypatch, TANDEM_COMPANY_LOGO_URL=url)


@pytest.mark.parametrize("url", ["", "/static/logo.svg", "https://cdn.example/n/logo.png?v=2"])
def test_a_logo_address_may_be_blank_a_path_or_a_web_address(monkeypatch, url):
    assert (
        _load_settings(monkeypatch, TANDEM_COMPANY_LOGO_URL=url)["TANDEM_COMPANY_LOGO_URL"] == url
    )


# Progress -----------------------------------------------------------------------------------


def test_the_page_opens_with_how_far_the_plan_has_come_and_whats_next(client, plan, link, seller):
    services.do_set_step_status(step(plan, "Discovery call"), seller, "done")

    response = client.get(page_url(link))

    progress = response.context["progress"]
    assert (progress.done, progress.total, progress.percent) == (1, 5, 20)
    assert (progress.next_title, progress.next_yours) == ("Technical walkthrough", True)
    text = response.content.decode()
    assert '<strong class="fs-5" id="progress-summary">1 of 5 steps done</strong>' in text
    assert 'next: <strong class="text-body">Technical walkthrough</strong> (yours, due' in text
    assert 'aria-valuenow="20"' in text


def test_a_blocked_next_step_says_so():
    rows = [(1, "Call", "us", "done", None), (2, "Review", "customer", "blocked", None)]

    progress = plan_progress(rows)

    assert (progress.next_title, progress.next_yours, progress.next_blocked) == (
        "Review",
        True,
        True,
    )


def test_a_plan_with_every_step_done_says_so():
    rows = [(1, "Call", "us", "done", dt.date(2027, 1, 4)), (2, "Sign", "customer", "done", None)]

    progress = plan_progress(rows)

    assert (progress.done, progress.total, progress.next_title, progress.percent) == (2, 2, "", 100)


def test_an_empty_plan_has_no_progress_to_divide():
    assert plan_progress([]).percent == 0


def test_an_htmx_tick_also_refreshes_the_progress_at_the_top(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(mark_url(link, walkthrough.pk), {"done": "1"}, HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert text.lstrip().startswith(f'<li class="card-section" id="step-{walkthrough.pk}">')
    assert '<section class="card-section" id="plan-progress" hx-swap-oob="true"' in text
    assert "1 of 5 steps done" in text
    assert 'next: <strong class="text-body">Discovery call</strong> (ours' in text


# One comment box per step, the name asked once ------------------------------------------------


def test_each_step_has_one_closed_comment_box_and_the_name_is_asked_until_known(client, link):
    first = client.get(page_url(link)).content.decode()
    client.post(reverse("shared:name", args=[services.share_token(link)]), {"name": "Jane"})
    known = client.get(page_url(link)).content.decode()

    assert comment_boxes(first) == 5
    assert '<details class="comment-box mt-2" open>' not in first
    assert len(re.findall(r'name="name" id="id_s\d+_name"', first)) == 5
    assert comment_boxes(known) == 5
    assert re.findall(r'name="name" id="id_s\d+_name"', known) == []
    assert 'Comment <span class="text-muted">as Jane</span>' in known


def test_a_refused_comment_comes_back_in_its_open_box_with_what_was_typed(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")
    before = snapshot(plan)

    response = client.post(
        comment_url(link, walkthrough.pk), {"name": "J" * 121, "body": "Tuesday works"}
    )

    card = section_of(response.content.decode(), walkthrough.pk)
    assert '<details class="comment-box mt-2" open>' in card
    assert "Keep this to 120 characters or fewer (it has 121)." in card
    assert "Tuesday works</textarea>" in card
    assert snapshot(plan) == before
    assert CustomerActivity.objects.count() == 0


def test_an_empty_comment_opens_its_box_with_the_error_and_tells_nobody(client, plan, link):
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(comment_url(link, walkthrough.pk), {"name": "Jane", "body": "  "})

    card = section_of(response.content.decode(), walkthrough.pk)
    assert '<details class="comment-box mt-2" open>' in card
    assert "Write something first." in card
    assert Notification.objects.count() == 0


def test_a_closed_deal_has_no_comment_boxes(client, plan, link, seller):
    do_move_deal(plan.deal, seller, stage("Won"))

    assert comment_boxes(client.get(page_url(link)).content.decode()) == 0


# What the customer does reaches the seller ----------------------------------------------------


def test_a_tick_and_a_comment_on_the_page_reach_the_seller_as_one_notice(
    client, plan, link, seller
):
    walkthrough = step(plan, "Technical walkthrough")

    client.post(comment_url(link, walkthrough.pk), {"name": "Jane Buyer", "body": "All set"})
    client.post(mark_url(link, walkthrough.pk), {"done": "1"})

    (notice,) = Notification.objects.filter(recipient=seller)
    assert notice.title == "2 updates from Lakeside University on the close plan"
    assert "- Jane Buyer ticked off “Technical walkthrough”" in notice.body
    assert notice.url == reverse("pipeline:deal_detail", args=[plan.deal_id]) + "#customer-news"
    assert StepComment.objects.get().author_name == "Jane Buyer"


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_dead_link_tells_the_seller_nothing(client, plan, seller, how):
    if how == "revoked":
        link = services.do_create_share_link(plan, seller)
        services.do_revoke_share_link(link, seller)
    else:
        link = services.do_create_share_link(
            plan, seller, days=1, now=timezone.now() - dt.timedelta(days=3)
        )
    walkthrough = step(plan, "Technical walkthrough")

    response = client.post(comment_url(link, walkthrough.pk), {"name": "J", "body": "Hello"})
    client.post(mark_url(link, walkthrough.pk), {"done": "1"})

    assert response.status_code == 410
    assert CustomerActivity.objects.count() == 0
    assert Notification.objects.count() == 0
