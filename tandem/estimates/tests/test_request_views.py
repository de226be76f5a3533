import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tandem.core.services import version_of
from tandem.estimates.models import EstimateRequest, LineKind, RequestAttachment, RequestStatus
from tandem.estimates.requests.services import (
    do_create_request,
    do_decline_request,
    do_return_request,
    do_start_request,
    do_update_request,
)
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.notifications.models import Notification
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
LIST = reverse("estimates:request_list")
PDF = b"%PDF-1.7\n% the hall's floor plan\n"
BRIEF = "20 x 20 ft island booth, 360 degree LED ring overhead, two demo pods"


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, name="Expo booth")


def _today():
    return timezone.localdate()


def _ask(seller, deal, estimator, **fields):
    values = {
        "title": "360° booth",
        "brief": BRIEF,
        "needed_by": _today() + dt.timedelta(days=5),
        "estimators": [(estimator, "everything")],
        **fields,
    }
    return do_create_request(seller, deal, **values)


@pytest.fixture
def asked(seller, deal, project_manager):
    return _ask(
        seller,
        deal,
        project_manager,
        files=[SimpleUploadedFile("floorplan.pdf", PDF)],
        venue="LVCC North Hall",
    )


def _form(estimators=(), **over) -> dict:
    data = {
        "title": "360° booth",
        "brief": BRIEF,
        "venue": "LVCC North Hall",
        "dimensions": "20 x 20 ft, 18 ft ceiling",
        "event_start": (_today() + dt.timedelta(days=40)).isoformat(),
        "event_end": (_today() + dt.timedelta(days=43)).isoformat(),
        "needed_by": (_today() + dt.timedelta(days=5)).isoformat(),
        "estimators-TOTAL_FORMS": "3",
        "estimators-INITIAL_FORMS": "0",
        "estimators-MIN_NUM_FORMS": "1",
        "estimators-MAX_NUM_FORMS": "20",
    }
    for index in range(3):
        user, part = estimators[index] if index < len(estimators) else ("", "everything")
        data[f"estimators-{index}-estimator"] = getattr(user, "pk", user)
        data[f"estimators-{index}-part"] = part
    data.update(over)
    return data


def _pdf(name="floorplan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _saved_scenario(req, by, name="Full booth"):
    estimate = do_create_estimate(by, req.deal, name=name, request=req)
    line = {
        "kind": LineKind.EXPENSE,
        "name": "Freight",
        "cost": Decimal("1234.56"),
        "markup_pct": Decimal("50"),
    }
    do_save_version(estimate, by, base_number=0, lines=[line])
    estimate.refresh_from_db()
    return estimate


def _create_url(deal):
    return reverse("estimates:request_create", args=[deal.pk])


def _url(name, req):
    return reverse(f"estimates:{name}", args=[req.pk])


# Asking for an estimate


def test_the_seller_sends_a_brief_with_files_to_two_estimators(
    seller_client, seller, deal, project_manager, django_capture_on_commit_callbacks
):
    rigger = UserFactory(username="rita", display_name="Rita R", role=Role.RESOURCE_MANAGER)
    data = _form([(project_manager, "equipment"), (rigger, "rigging")])
    data["files"] = [_pdf(), SimpleUploadedFile("render.png", b"\x89PNG\r\n\x1a\n....")]

    with django_capture_on_commit_callbacks(execute=True):
        response = seller_client.post(_create_url(deal), data)

    req = EstimateRequest.objects.get()
    assert response.status_code == 302
    assert response.url == req.get_absolute_url()
    assert (req.deal, req.requested_by, req.brief, req.venue) == (
        deal,
        seller,
        BRIEF,
        "LVCC North Hall",
    )
    assert sorted(req.assignments.values_list("estimator__username", "part")) == [
        ("pat", "equipment"),
        ("rita", "rigging"),
    ]
    assert sorted(req.attachments.values_list("name", flat=True)) == ["floorplan.pdf", "render.png"]
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "pat",
        "rita",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.com", "rita@example.com"]


def test_the_form_starts_from_the_deal_and_offers_only_people_who_build_estimates(
    seller_client, deal, project_manager, admin_user, other_seller, finance
):
    UserFactory(username="gone", role=Role.PROJECT_MANAGER, is_active=False)

    response = seller_client.get(_create_url(deal))

    form = response.context["form"]
    assert form["title"].value() == "Expo booth"
    assert form["needed_by"].value() == _today() + dt.timedelta(days=7)
    row = response.context["formset"].forms[0]
    assert list(row.fields["estimator"].queryset) == [admin_user, project_manager]
    assert len(response.context["formset"].forms) == 3


@pytest.mark.parametrize("who", ["other_seller", "finance", "crew"])
def test_only_the_deals_owner_or_a_manager_asks_for_an_estimate(
    client, request, deal, project_manager, who
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(_create_url(deal)).status_code == 403
    assert client.post(_create_url(deal), _form([(project_manager, "everything")])).status_code == (
        403
    )
    assert EstimateRequest.objects.count() == 0


def test_a_manager_asks_for_an_estimate_on_any_deal(client, executive, deal, project_manager):
    client.force_login(executive)

    response = client.post(_create_url(deal), _form([(project_manager, "everything")]))

    assert response.status_code == 302
    assert EstimateRequest.objects.get().requested_by == executive


def test_the_deal_page_shows_its_requests_and_the_button_for_whoever_may_ask(
    client, seller, other_seller, asked
):
    deal_url = asked.deal.get_absolute_url()
    client.force_login(seller)
    body = client.get(deal_url).content.decode()
    assert asked.get_absolute_url() in body
    assert _create_url(asked.deal) in body

    client.force_login(other_seller)
    body = client.get(deal_url).content.decode()
    assert asked.get_absolute_url() in body
    assert _create_url(asked.deal) not in body


def _bad(project_manager, other_seller):
    return {
        "missing brief": (
            _form([(project_manager, "everything")], brief=""),
            "Fill this in.",
        ),
        "needed-by in the past": (
            _form([(project_manager, "everything")], needed_by="2020-01-01"),
            "The needed-by date is in the past.",
        ),
        "event ends before it starts": (
            _form(
                [(project_manager, "everything")], event_start="2030-05-10", event_end="2030-05-09"
            ),
            "The event cannot end before it starts.",
        ),
        "no estimator": (_form([]), "Choose at least one estimator."),
        "estimator twice on one part": (
            _form([(project_manager, "rigging"), (project_manager, "rigging")]),
            "Pat PM is down for rigging twice: once is enough.",
        ),
        "not an estimator": (
            _form([(other_seller, "everything")]),
            "Choose someone who builds estimates.",
        ),
        "a program": (
            _form([(project_manager, "everything")], files=[_pdf("setup.exe", b"MZ")]),
            "setup.exe: this kind of file cannot be attached.",
        ),
        "an empty file": (
            _form([(project_manager, "everything")], files=[_pdf("plan.pdf", b"")]),
            "That file is empty.",
        ),
        "a file over the limit": (
            _form(
                [(project_manager, "everything")],
                files=[_pdf(), _pdf("big.pdf", b"%PDF" + b"0" * 1_153_430)],
            ),
            "big.pdf is 1.1 MB; files can be 1 MB at most.",
        ),
        "a pdf that is not one": (
            _form([(project_manager, "everything")], files=[_pdf("plan.pdf", b"<html>")]),
            "plan.pdf does not look like a PDF file inside.",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing brief",
        "needed-by in the past",
        "event ends before it starts",
        "no estimator",
        "estimator twice on one part",
        "not an estimator",
        "a program",
        "an empty file",
        "a file over the limit",
        "a pdf that is not one",
    ],
)
def test_a_refused_request_saves_nothing_and_keeps_what_was_typed(
    seller_client, deal, project_manager, other_seller, settings, media, case
):
    settings.TANDEM_ATTACHMENT_MAX_MB = 1
    data, message = _bad(project_manager, other_seller)[case]

    response = seller_client.post(_create_url(deal), data)

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert data["brief"] in body
    assert 'value="LVCC North Hall"' in body
    # Browsers cannot keep chosen files, so the page says to choose them again.
    assert ("choose them again" in body) is ("files" in data)
    assert EstimateRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert Notification.objects.count() == 0
    assert not list(media.rglob("*.*"))


def test_a_closed_deal_takes_no_request_and_says_why(seller_client, deal, project_manager):
    from tandem.pipeline.tests.factories import stage

    deal.stage = stage("Won")
    deal.save()

    response = seller_client.post(_create_url(deal), _form([(project_manager, "everything")]))

    assert "This deal is closed: reopen it before asking for an estimate." in (
        response.content.decode()
    )
    assert EstimateRequest.objects.count() == 0


# Editing


def test_the_seller_edits_the_brief_and_swaps_estimators(
    seller_client, asked, project_manager, admin_user
):
    data = _form(
        [(project_manager, "equipment"), (admin_user, "schedule")],
        brief="Half the booth now",
        **{"estimators-INITIAL_FORMS": "1"},
    )

    response = seller_client.post(_url("request_edit", asked), data)

    asked.refresh_from_db()
    assert response.status_code == 302
    assert asked.brief == "Half the booth now"
    assert sorted(asked.assignments.values_list("estimator__username", "part")) == [
        ("admin", "schedule"),
        ("pat", "equipment"),
    ]
    assert Notification.objects.filter(recipient=admin_user).count() == 1


def test_the_edit_form_starts_from_the_request(seller_client, asked, project_manager):
    response = seller_client.get(_url("request_edit", asked))

    assert response.context["form"]["venue"].value() == "LVCC North Hall"
    first = response.context["formset"].forms[0]
    assert (first["estimator"].value(), first["part"].value()) == (project_manager.pk, "everything")
    assert "files" not in response.context["form"].fields


def test_a_refused_edit_keeps_what_was_typed(seller_client, asked):
    data = _form([], brief="Half the booth now", **{"estimators-INITIAL_FORMS": "1"})

    response = seller_client.post(_url("request_edit", asked), data)

    assert "Choose at least one estimator." in response.content.decode()
    assert "Half the booth now" in response.content.decode()
    asked.refresh_from_db()
    assert asked.brief == BRIEF


def test_an_edit_of_a_request_someone_changed_since_is_refused_and_kept(
    seller_client, asked, project_manager
):
    opened = version_of(asked)
    do_update_request(asked, project_manager, {"venue": "LVCC West Hall"})
    data = _form(
        [(project_manager, "everything")],
        brief="Half the booth now",
        version=opened,
        **{"estimators-INITIAL_FORMS": "1"},
    )

    response = seller_client.post(_url("request_edit", asked), data)

    page = response.content.decode()
    assert "Someone else changed this since you opened it" in page
    assert "Half the booth now" in page
    asked.refresh_from_db()
    assert (asked.brief, asked.venue) == (BRIEF, "LVCC West Hall")


def test_a_returned_request_can_no_longer_be_edited(seller_client, returned, project_manager):
    data = _form([(project_manager, "everything")], brief="Half the booth now")
    data["estimators-INITIAL_FORMS"] = "1"

    response = seller_client.post(_url("request_edit", returned), data)

    body = response.content.decode()
    assert "This request is returned: it can no longer change." in body
    assert "Half the booth now" in body
    returned.refresh_from_db()
    assert returned.brief == BRIEF


@pytest.mark.parametrize("who", ["other_seller", "finance"])
def test_only_the_deals_owner_or_a_manager_edits_a_request(client, request, asked, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(_url("request_edit", asked)).status_code == 403
    assert client.post(_url("request_edit", asked), _form(brief="Mine")).status_code == 403


# Reading


def test_the_request_page_shows_the_brief_people_files_and_history(
    client, finance, asked, project_manager
):
    do_start_request(asked, project_manager)
    do_decline_request(asked, project_manager, reason="Fully booked that week")
    client.force_login(finance)

    response = client.get(asked.get_absolute_url())

    body = response.content.decode()
    attachment = asked.attachments.get()
    assert response.status_code == 200
    assert BRIEF in body
    assert "LVCC North Hall" in body
    assert "Pat PM" in body
    assert "Everything" in body
    assert attachment.get_absolute_url() in body
    assert f"{len(PDF)}\xa0bytes" in body
    assert "Fully booked that week" in body
    history = response.context["status_history"]
    assert [(r.status, r.history_user) for r in history] == [
        ("requested", asked.requested_by),
        ("in_progress", project_manager),
        ("declined", project_manager),
    ]
    # The file is only ever reached through the download view.
    assert attachment.file.name not in body
    # Finance reads but acts on nothing.
    for action in ("request_start", "request_return", "request_decline", "request_again"):
        assert _url(action, asked) not in body


def test_an_overdue_needed_by_date_is_red(seller_client, seller, deal, project_manager):
    long_ago = timezone.now() - dt.timedelta(days=10)
    req = _ask(
        seller, deal, project_manager, needed_by=_today() - dt.timedelta(days=3), now=long_ago
    )

    body = seller_client.get(req.get_absolute_url()).content.decode()

    assert 'text-danger fw-semibold" id="needed-by"' in body


def test_estimators_are_offered_to_build_a_scenario_and_sellers_are_not(
    client, seller, project_manager, asked
):
    build = f"/deals/{asked.deal.pk}/estimates/new/?request={asked.pk}"
    client.force_login(project_manager)
    assert build in client.get(asked.get_absolute_url()).content.decode()
    client.force_login(seller)
    assert build not in client.get(asked.get_absolute_url()).content.decode()


def test_the_scenarios_built_for_a_request_show_price_and_budget_but_no_cost(
    seller_client, asked, project_manager
):
    try:
        reverse("estimates:estimate_detail", args=[1])
    except NoReverseMatch:
        pytest.skip("the scenario pages are not there yet")
    estimate = _saved_scenario(asked, project_manager)
    version = estimate.latest_version

    body = seller_client.get(asked.get_absolute_url()).content.decode()

    assert estimate.get_absolute_url() in body
    # A cost of 1,234.56 marked up by half; no labour, so the range is one price.
    assert (version.price, version.budget_low, version.budget_high) == (
        Decimal("1851.84"),
        Decimal("1851.84"),
        Decimal("1851.84"),
    )
    assert "<td>v1 · " in body
    assert "$1,852 – $1,852" in body
    assert "$1,235" not in body
    assert "1,234.56" not in body


def test_people_without_the_permission_cannot_read_requests(client, asked):
    nobody = UserFactory(username="nobody", role=Role.CREW)
    nobody.groups.clear()
    client.force_login(nobody)

    assert client.get(asked.get_absolute_url()).status_code == 403
    assert client.get(asked.attachments.get().get_absolute_url()).status_code == 403
    assert list(client.get(LIST).context["page_obj"]) == []


def test_crew_read_requests(client, crew, asked):
    client.force_login(crew)

    assert client.get(asked.get_absolute_url()).status_code == 200


# Files


def test_a_file_downloads_under_its_own_name_and_is_never_sniffed(client, finance, asked):
    attachment = asked.attachments.get()
    client.force_login(finance)

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="floorplan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_gone_from_the_disk_is_not_found(seller_client, asked, media):
    attachment = asked.attachments.get()
    (media / attachment.file.name).unlink()

    assert seller_client.get(attachment.get_absolute_url()).status_code == 404


def test_an_estimator_adds_files_to_the_brief(pm_client, asked, project_manager):
    response = pm_client.post(
        _url("request_attach", asked), {"files": [_pdf("site-survey.pdf"), _pdf("rig-plot.pdf")]}
    )

    assert response.status_code == 302
    assert sorted(asked.attachments.values_list("name", "uploaded_by__username")) == [
        ("floorplan.pdf", "sam"),
        ("rig-plot.pdf", "pat"),
        ("site-survey.pdf", "pat"),
    ]


def test_a_refused_file_shows_the_page_again_with_the_reason(pm_client, asked):
    response = pm_client.post(_url("request_attach", asked), {"files": [_pdf("x.pdf", b"nope")]})

    assert response.status_code == 400
    assert "x.pdf does not look like a PDF file inside." in response.content.decode()
    assert asked.attachments.count() == 1


def test_attaching_nothing_asks_for_a_file(pm_client, asked):
    response = pm_client.post(_url("request_attach", asked), {})

    assert response.status_code == 400
    assert "Choose a file to attach." in response.content.decode()


def test_the_seller_removes_a_file(seller_client, asked, media, django_capture_on_commit_callbacks):
    attachment = asked.attachments.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = seller_client.post(reverse("estimates:attachment_remove", args=[attachment.pk]))

    assert response.status_code == 302
    assert not asked.attachments.exists()
    assert not (media / attachment.file.name).exists()


@pytest.mark.parametrize("who", ["finance", "crew", "other_seller"])
def test_readers_neither_add_nor_remove_files(client, request, asked, who):
    attachment = asked.attachments.get()
    client.force_login(request.getfixturevalue(who))

    added = client.post(_url("request_attach", asked), {"files": [_pdf("more.pdf")]})
    removed = client.post(reverse("estimates:attachment_remove", args=[attachment.pk]))

    assert (added.status_code, removed.status_code) == (403, 403)
    assert list(asked.attachments.values_list("name", flat=True)) == ["floorplan.pdf"]


def test_files_are_removed_only_by_post(seller_client, asked):
    attachment = asked.attachments.get()

    response = seller_client.get(reverse("estimates:attachment_remove", args=[attachment.pk]))

    assert response.status_code == 405


# Status


def test_an_estimator_starts_returns_and_the_seller_is_told(pm_client, asked, project_manager):
    assert pm_client.post(_url("request_start", asked)).status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.IN_PROGRESS
    _saved_scenario(asked, project_manager)

    response = pm_client.post(_url("request_return", asked), {"note": "Two options inside"})

    asked.refresh_from_db()
    assert response.status_code == 302
    assert (asked.status, asked.status_note) == (RequestStatus.RETURNED, "Two options inside")
    assert Notification.objects.get(key__contains=":returned:").recipient == asked.requested_by


def test_returning_without_a_scenario_is_refused_on_the_page(pm_client, asked):
    response = pm_client.post(_url("request_return", asked), {"note": "Here you are"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Save at least one scenario for this request before returning it." in body
    assert "Here you are" in body
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_declining_without_a_reason_shows_the_form_again_with_the_error(pm_client, asked):
    response = pm_client.post(_url("request_decline", asked), {"reason": "  "})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Say why the request is declined." in body
    assert 'class="collapse show mt-3" id="decline"' in body
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_an_estimator_declines_with_a_reason(pm_client, asked):
    response = pm_client.post(_url("request_decline", asked), {"reason": "Fully booked"})

    asked.refresh_from_db()
    assert response.status_code == 302
    assert (asked.status, asked.status_note) == (RequestStatus.DECLINED, "Fully booked")


def test_starting_a_declined_request_is_refused_with_a_message(pm_client, asked, project_manager):
    do_decline_request(asked, project_manager, reason="Fully booked")

    response = pm_client.post(_url("request_start", asked), follow=True)

    assert "This request is declined, so it cannot be started." in response.content.decode()


@pytest.mark.parametrize("who", ["seller", "finance", "crew"])
def test_only_estimators_move_a_request_along(client, request, asked, who):
    client.force_login(request.getfixturevalue(who))

    for action, data in (
        ("request_start", {}),
        ("request_return", {"note": "x"}),
        ("request_decline", {"reason": "x"}),
    ):
        assert client.post(_url(action, asked), data).status_code == 403
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_status_actions_are_post_only(pm_client, asked):
    for action in ("request_start", "request_return", "request_decline", "request_again"):
        assert pm_client.get(_url(action, asked)).status_code == 405


@pytest.fixture
def returned(asked, project_manager):
    _saved_scenario(asked, project_manager)
    return do_return_request(asked, project_manager)


def test_the_seller_sends_a_returned_request_round_again(seller_client, returned, project_manager):
    new_date = _today() + dt.timedelta(days=10)
    body = seller_client.get(returned.get_absolute_url()).content.decode()
    assert _url("request_again", returned) in body

    response = seller_client.post(
        _url("request_again", returned),
        {"note": "What if we did half the booth?", "needed_by": new_date.isoformat()},
    )

    returned.refresh_from_db()
    assert response.status_code == 302
    assert (returned.status, returned.needed_by) == (RequestStatus.IN_PROGRESS, new_date)
    notice = Notification.objects.get(key__contains=":again:")
    assert (notice.recipient, notice.body) == (project_manager, "What if we did half the booth?")


def test_sending_round_again_needs_a_note_and_keeps_the_date_typed(seller_client, returned):
    response = seller_client.post(
        _url("request_again", returned), {"note": "", "needed_by": "2031-02-03"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Say what the client wants changed." in body
    assert 'value="2031-02-03"' in body
    returned.refresh_from_db()
    assert returned.status == RequestStatus.RETURNED


def test_a_new_needed_by_date_in_the_past_is_refused(seller_client, returned):
    response = seller_client.post(
        _url("request_again", returned), {"note": "Half", "needed_by": "2020-01-01"}
    )

    assert response.status_code == 400
    assert "The needed-by date is in the past." in response.content.decode()


@pytest.mark.parametrize("who", ["other_seller", "finance", "crew"])
def test_only_the_deals_owner_or_a_manager_sends_a_request_round_again(
    client, request, returned, who
):
    client.force_login(request.getfixturevalue(who))

    response = client.post(_url("request_again", returned), {"note": "Half"})

    assert response.status_code == 403
    returned.refresh_from_db()
    assert returned.status == RequestStatus.RETURNED


# The list


def _many(rows, seller, deal, estimator, *, overdue=False):
    long_ago = timezone.now() - dt.timedelta(days=90)
    for index in range(rows):
        due = _today() + dt.timedelta(days=(-1 - index) if overdue else (index + 1))
        _ask(seller, deal, estimator, title=f"R{index:02}", needed_by=due, now=long_ago)


@pytest.mark.parametrize("tab", ["mine", "open", "overdue", "all"])
@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_the_same_queries_whatever_the_data(
    pm_client, seller, deal, project_manager, rows, tab, django_assert_num_queries
):
    _many(rows, seller, deal, project_manager, overdue=True)
    pm_client.get(LIST, {"tab": tab})

    # session, user, permissions (user, group), overdue count, page count, the page's rows with
    # their deals, accounts and askers, their estimators, the navbar's unread count
    with django_assert_num_queries(9):
        response = pm_client.get(LIST, {"tab": tab})
    assert len(response.context["page_obj"]) == min(rows, 25)


def test_mine_is_what_i_asked_for_or_was_asked_to_do(
    client, seller, other_seller, deal, project_manager, admin_user
):
    mine = _ask(seller, deal, project_manager, title="Mine")
    others = _ask(other_seller, DealFactory(owner=other_seller), admin_user, title="Someone else's")

    def titles(user, tab="mine"):
        client.force_login(user)
        return [r.title for r in client.get(LIST, {"tab": tab}).context["page_obj"]]

    assert titles(seller) == [mine.title]
    assert titles(project_manager) == [mine.title]
    assert titles(admin_user) == [others.title]
    assert titles(seller, "all") == [others.title, mine.title]


def test_overdue_lists_the_longest_overdue_first_and_is_counted_on_its_tab(
    seller_client, seller, deal, project_manager
):
    _many(3, seller, deal, project_manager, overdue=True)
    _many(2, seller, deal, project_manager)
    do_decline_request(EstimateRequest.objects.get(title="R02"), project_manager, reason="No")

    response = seller_client.get(LIST, {"tab": "overdue"})

    assert [r.title for r in response.context["page_obj"]] == ["R01", "R00"]
    assert response.context["overdue_count"] == 2
    assert "overdue" in response.content.decode()


def test_open_lists_requests_waiting_on_estimators_soonest_first(
    seller_client, seller, deal, project_manager
):
    first = _ask(seller, deal, project_manager, title="Soon", needed_by=_today())
    later = _ask(seller, deal, project_manager, title="Later")
    done = _ask(seller, deal, project_manager, title="Declined")
    do_decline_request(done, project_manager, reason="No")

    response = seller_client.get(LIST, {"tab": "open"})

    assert list(response.context["page_obj"]) == [first, later]


def test_the_list_pages_by_25_and_ignores_an_unknown_tab(pm_client, seller, deal, project_manager):
    _many(30, seller, deal, project_manager)

    first = pm_client.get(LIST, {"tab": "nonsense"})
    second = pm_client.get(LIST, {"tab": "all", "page": 2})

    assert first.context["tab"] == "mine"
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5


def test_one_send_shows_every_mistake_of_a_request_at_once(seller_client, deal, project_manager):
    yesterday = _today() - dt.timedelta(days=1)
    data = _form(
        estimators=[(project_manager, "everything"), (project_manager, "everything")],
        title="",
        venue="v" * 250,
        event_start=(_today() + dt.timedelta(days=40)).isoformat(),
        event_end=(_today() + dt.timedelta(days=30)).isoformat(),
        needed_by=yesterday.isoformat(),
    )

    response = seller_client.post(_create_url(deal), data)

    form = response.context["form"]
    assert response.status_code == 400
    assert form.errors == {
        "title": ["Fill this in."],
        "venue": ["Keep this to 200 characters or fewer (it has 250)."],
        "event_end": ["The event cannot end before it starts."],
        "needed_by": ["The needed-by date is in the past."],
    }
    assert response.context["formset"].non_form_errors() == [
        "Pat PM is down for everything twice: once is enough."
    ]
    assert "Ensure" not in response.content.decode()
    assert not EstimateRequest.objects.exists()


def test_a_bad_date_and_a_missing_estimator_show_together(seller_client, deal):
    response = seller_client.post(_create_url(deal), _form(needed_by="31/12/2026", brief=""))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "brief": ["Fill this in."],
        "needed_by": ["Enter a date like 2026-12-31."],
    }
    assert response.context["formset"].non_form_errors() == ["Choose at least one estimator."]


def test_an_edit_keeps_its_own_passed_needed_by_date_but_checks_the_event_dates(
    seller_client, asked
):
    EstimateRequest.objects.filter(pk=asked.pk).update(needed_by=_today() - dt.timedelta(days=3))
    asked.refresh_from_db()

    response = seller_client.post(
        _url("request_edit", asked),
        _form(
            estimators=[(asked.assignments.get().estimator, "everything")],
            needed_by=asked.needed_by.isoformat(),
            event_start=(_today() + dt.timedelta(days=9)).isoformat(),
            event_end=(_today() + dt.timedelta(days=8)).isoformat(),
            version=version_of(asked),
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "event_end": ["The event cannot end before it starts."]
    }
