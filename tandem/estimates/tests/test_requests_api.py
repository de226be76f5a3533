"""The estimate request endpoints: who asks and who works on a request, bad input, files,
filters and query counts."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tandem.core.tests.api_clients import as_user
from tandem.estimates.models import (
    EstimateRequest,
    RequestAttachment,
    RequestEstimator,
    RequestStatus,
)
from tandem.estimates.requests.services import (
    do_create_request,
    do_return_request,
    do_update_request,
)
from tandem.estimates.scenarios.services import do_create_estimate, do_save_version
from tandem.estimates.tests.api_data import (
    REQUESTS,
    at,
    count_queries,
    days,
    freight,
    new_request,
    pdf,
)
from tandem.notifications.models import Notification
from tandem.pipeline.models import Stage
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm_api(project_manager) -> APIClient:
    return as_user(project_manager)


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, name="Expo booth", amount=Decimal("1000"))


@pytest.fixture
def asked(deal, seller, project_manager):
    return do_create_request(
        seller,
        deal,
        title="Expo booth",
        brief="Full 360° screen.",
        needed_by=days(7),
        estimators=[(project_manager, "everything")],
    )


# Estimate requests: asking --------------------------------------------------------------


def test_a_seller_asks_for_an_estimate_on_their_deal_and_the_estimator_is_told(
    seller, deal, project_manager
):
    response = as_user(seller).post(REQUESTS, new_request(deal, project_manager), format="json")

    assert response.status_code == 201, response.data
    assert response.data["status"] == "requested"
    assert response.data["deal_name"] == "Expo booth"
    assert response.data["requested_by"] == seller.pk
    assert response.data["is_overdue"] is False
    assert response.data["estimators"] == [
        {"estimator": project_manager.pk, "estimator_name": "Pat PM", "part": "everything"}
    ]
    request = EstimateRequest.objects.get()
    assert request.venue == "Las Vegas Convention Center"
    assert Notification.objects.filter(recipient=project_manager).count() == 1


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("seller", 201),
        ("project_manager", 201),
        ("executive", 201),
        ("other_seller", 403),
        ("finance", 403),
    ],
)
def test_only_the_deals_editors_ask_for_an_estimate(request, deal, project_manager, persona, code):
    client = as_user(request.getfixturevalue(persona))

    response = client.post(REQUESTS, new_request(deal, project_manager), format="json")

    assert response.status_code == code
    assert EstimateRequest.objects.count() == (1 if code == 201 else 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_start": days(43).isoformat(), "event_end": days(40).isoformat()}, "event_end"),
        ({"needed_by": days(-1).isoformat()}, "needed_by"),
        ({"needed_by": "next week"}, "needed_by"),
        ({"title": ""}, "title"),
        ({"brief": ["a", "list"]}, "brief"),
        ({"deal": 999999}, "deal"),
        ({"estimators": []}, "estimators"),
        ({"estimators": [{"estimator": 999999}]}, "estimators"),
        ({"estimators": [{"estimator": "pat"}]}, "estimators"),
        ({"estimators": "pat"}, "estimators"),
    ],
)
def test_a_bad_request_is_a_400_on_the_field_and_writes_nothing(
    seller, deal, project_manager, change, field
):
    body = new_request(deal, project_manager, **change)

    response = as_user(seller).post(REQUESTS, body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not EstimateRequest.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("missing", ["deal", "title", "brief", "needed_by", "estimators"])
def test_a_request_missing_a_required_field_is_a_400(seller, deal, project_manager, missing):
    body = new_request(deal, project_manager)
    del body[missing]

    response = as_user(seller).post(REQUESTS, body, format="json")

    assert response.status_code == 400
    assert missing in response.data
    assert not EstimateRequest.objects.exists()


def test_the_estimators_must_build_estimates_and_be_named_once(seller, deal, project_manager):
    client = as_user(seller)

    not_estimator = client.post(
        REQUESTS,
        new_request(deal, project_manager, estimators=[{"estimator": seller.pk}]),
        format="json",
    )
    twice = client.post(
        REQUESTS,
        new_request(
            deal,
            project_manager,
            estimators=[{"estimator": project_manager.pk}, {"estimator": project_manager.pk}],
        ),
        format="json",
    )
    bad_part = client.post(
        REQUESTS,
        new_request(
            deal, project_manager, estimators=[{"estimator": project_manager.pk, "part": "tea"}]
        ),
        format="json",
    )

    assert not_estimator.data["estimators"] == [
        "Sam Seller does not build estimates: choose an estimator."
    ]
    assert "twice" in twice.data["estimators"][0]
    assert "part" in bad_part.data["estimators"][0]
    assert not EstimateRequest.objects.exists()


def test_a_request_on_a_closed_deal_is_refused(seller, deal, project_manager):
    deal.stage = Stage.objects.get(is_lost=True)
    deal.save()

    response = as_user(seller).post(REQUESTS, new_request(deal, project_manager), format="json")

    assert response.status_code == 400
    assert "closed" in response.data["non_field_errors"][0]


def test_a_patch_on_an_old_version_answers_409_and_writes_nothing(seller, asked, project_manager):
    read = as_user(seller).get(at(REQUESTS, asked)).data["version"]
    do_update_request(asked, project_manager, {"venue": "LVCC West Hall"})

    response = as_user(seller).patch(
        at(REQUESTS, asked), {"brief": "Half the booth now.", "version": read}, format="json"
    )

    assert response.status_code == 409
    asked.refresh_from_db()
    assert asked.brief != "Half the booth now."


def test_a_patch_changes_the_brief_and_replaces_the_estimators(
    seller, asked, project_manager, admin_user
):
    response = as_user(seller).patch(
        at(REQUESTS, asked),
        {
            "brief": "Half the booth now.",
            "estimators": [
                {"estimator": admin_user.pk, "part": "rigging"},
                {"estimator": project_manager.pk, "part": "labour"},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["brief"] == "Half the booth now."
    assert {(e["estimator"], e["part"]) for e in response.data["estimators"]} == {
        (admin_user.pk, "rigging"),
        (project_manager.pk, "labour"),
    }
    assert RequestEstimator.objects.filter(request=asked).count() == 2
    # The newly added estimator is told; the one who stays is not told again.
    assert Notification.objects.filter(recipient=admin_user).count() == 1
    assert Notification.objects.filter(recipient=project_manager).count() == 1


def test_a_patch_with_bad_dates_keeps_the_request_as_it_was(seller, asked):
    response = as_user(seller).patch(
        at(REQUESTS, asked),
        {
            "brief": "Changed",
            "event_start": days(10).isoformat(),
            "event_end": days(9).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.data["event_end"] == ["The event cannot end before it starts."]
    asked.refresh_from_db()
    assert (asked.brief, asked.event_start) == ("Full 360° screen.", None)


def test_a_request_stays_on_its_deal(seller, asked):
    other = DealFactory(owner=seller)

    response = as_user(seller).patch(at(REQUESTS, asked), {"deal": other.pk}, format="json")

    assert response.status_code == 400
    assert "deal" in response.data
    asked.refresh_from_db()
    assert asked.deal_id != other.pk


@pytest.mark.parametrize("persona", ["other_seller", "finance"])
def test_others_cannot_change_a_request_or_send_it_round_again(request, asked, persona):
    client = as_user(request.getfixturevalue(persona))

    attempts = [
        client.patch(at(REQUESTS, asked), {"brief": "Mine"}, format="json"),
        client.post(at(REQUESTS, asked, "round-again"), {"note": "Again"}, format="json"),
    ]

    assert [r.status_code for r in attempts] == [403, 403]
    asked.refresh_from_db()
    assert asked.brief == "Full 360° screen."


# Estimate requests: the estimators' side -----------------------------------------------


@pytest.mark.parametrize("persona", ["seller", "finance", "executive"])
def test_only_estimators_start_return_and_decline_requests(request, asked, persona):
    client = as_user(request.getfixturevalue(persona))

    attempts = [
        client.post(at(REQUESTS, asked, "start")),
        client.post(at(REQUESTS, asked, "return"), {"note": "Here"}, format="json"),
        client.post(at(REQUESTS, asked, "decline"), {"reason": "No"}, format="json"),
    ]

    assert [r.status_code for r in attempts] == [403, 403, 403]
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED


def test_an_estimator_starts_and_returns_a_request_and_the_seller_is_told(
    pm_api, asked, seller, project_manager
):
    started = pm_api.post(at(REQUESTS, asked, "start"))
    assert started.status_code == 200
    assert started.data["status"] == "in_progress"

    too_soon = pm_api.post(at(REQUESTS, asked, "return"), {"note": "Done"}, format="json")
    assert too_soon.status_code == 400
    assert "Save at least one scenario" in too_soon.data["non_field_errors"][0]

    scenario = do_create_estimate(project_manager, asked.deal, name="Full", request=asked)
    do_save_version(scenario, project_manager, base_number=0, lines=[freight()])
    returned = pm_api.post(at(REQUESTS, asked, "return"), {"note": "Done"}, format="json")

    assert returned.status_code == 200
    assert (returned.data["status"], returned.data["status_note"]) == ("returned", "Done")
    assert Notification.objects.filter(recipient=seller, title__startswith="Estimate ready")


def test_declining_needs_a_reason(pm_api, asked):
    url = at(REQUESTS, asked, "decline")

    bare = pm_api.post(url, {}, format="json")
    declined = pm_api.post(url, {"reason": "We do not do outdoor rigging."}, format="json")

    assert bare.status_code == 400
    assert bare.data["reason"] == ["Say why the request is declined."]
    assert declined.status_code == 200
    assert declined.data["status"] == "declined"
    assert declined.data["status_note"] == "We do not do outdoor rigging."


def test_a_seller_sends_a_returned_request_round_again_with_a_new_date(
    seller, asked, project_manager
):
    client = as_user(seller)
    url = at(REQUESTS, asked, "round-again")

    while_open = client.post(url, {"note": "Half the booth"}, format="json")
    assert while_open.status_code == 400
    assert "cannot be sent round again" in while_open.data["non_field_errors"][0]

    scenario = do_create_estimate(project_manager, asked.deal, name="Full", request=asked)
    do_save_version(scenario, project_manager, base_number=0, lines=[freight()])
    do_return_request(asked, project_manager)
    no_note = client.post(url, {"note": ""}, format="json")
    past = client.post(url, {"note": "Half", "needed_by": days(-2).isoformat()}, format="json")
    again = client.post(
        url, {"note": "Half the booth", "needed_by": days(10).isoformat()}, format="json"
    )

    assert no_note.data["note"] == ["Say what the client wants changed."]
    assert past.data["needed_by"] == ["The needed-by date is in the past."]
    assert again.status_code == 200
    assert again.data["status"] == "in_progress"
    assert again.data["needed_by"] == days(10).isoformat()
    assert again.data["status_note"] == "Half the booth"


def test_the_request_filters_are_the_pages_filters(seller, deal, project_manager, admin_user):
    other_deal = DealFactory(owner=seller)
    late = do_create_request(
        seller,
        deal,
        title="Late",
        brief="b",
        needed_by=days(3),
        estimators=[(project_manager, "everything")],
    )
    EstimateRequest.objects.filter(pk=late.pk).update(needed_by=days(-3))
    do_create_request(
        seller,
        other_deal,
        title="Elsewhere",
        brief="b",
        needed_by=days(5),
        estimators=[(admin_user, "rigging")],
    )
    client = as_user(seller)

    def titles(**params):
        response = client.get(REQUESTS, params)
        assert response.status_code == 200, response.data
        return [row["title"] for row in response.data["results"]]

    assert titles() == ["Late", "Elsewhere"]
    assert titles(deal=other_deal.pk) == ["Elsewhere"]
    assert titles(estimator=admin_user.pk) == ["Elsewhere"]
    assert titles(overdue="true") == ["Late"]
    assert titles(overdue="false") == ["Elsewhere"]
    assert titles(status="requested", ordering="-needed_by") == ["Elsewhere", "Late"]
    assert client.get(REQUESTS, {"status": "lost"}).status_code == 400
    assert client.get(REQUESTS, {"overdue": "true"}).data["results"][0]["is_overdue"] is True


# Estimate requests: attachments ---------------------------------------------------------


def test_files_are_attached_and_listed_with_a_download_address(seller, asked):
    client = as_user(seller)
    url = at(REQUESTS, asked, "attachments")

    posted = client.post(url, {"files": [pdf(), pdf("render.pdf")]}, format="multipart")
    listed = client.get(url)

    assert posted.status_code == 201, posted.data
    assert [row["name"] for row in posted.data] == ["floorplan.pdf", "render.pdf"]
    first = listed.data["results"][0]
    assert (first["name"], first["size"], first["content_type"]) == (
        "floorplan.pdf",
        17,
        "application/pdf",
    )
    assert first["uploaded_by"] == seller.pk
    attachment = RequestAttachment.objects.get(name="floorplan.pdf")
    assert first["download_url"] == f"http://testserver{attachment.get_absolute_url()}"


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "cannot be attached"),
        (SimpleUploadedFile("plan.pdf", b"not a pdf at all"), "does not look like a PDF"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_a_bad_file_is_refused_and_none_of_the_files_is_kept(seller, asked, upload, words):
    response = as_user(seller).post(
        at(REQUESTS, asked, "attachments"), {"files": [pdf(), upload]}, format="multipart"
    )

    assert response.status_code == 400
    assert words in str(response.data)
    assert not RequestAttachment.objects.exists()


def test_an_upload_without_files_is_a_400(seller, asked):
    response = as_user(seller).post(at(REQUESTS, asked, "attachments"), {}, format="multipart")

    assert response.status_code == 400
    assert "files" in response.data


@pytest.mark.parametrize(("persona", "code"), [("finance", 403), ("other_seller", 403)])
def test_only_the_deals_editors_and_estimators_attach_files(request, asked, persona, code):
    client = as_user(request.getfixturevalue(persona))
    url = at(REQUESTS, asked, "attachments")

    response = client.post(url, {"files": [pdf()]}, format="multipart")

    assert response.status_code == code
    assert client.get(url).status_code == 200
    assert not RequestAttachment.objects.exists()


def test_an_estimator_attaches_files_too(pm_api, asked):
    response = pm_api.post(
        at(REQUESTS, asked, "attachments"), {"files": [pdf()]}, format="multipart"
    )

    assert response.status_code == 201


# Query counts ----------------------------------------------------------------------------


def _requests(n, deal, estimator):
    for i in range(n):
        do_create_request(
            None,
            deal,
            title=f"R{i}",
            brief="b",
            needed_by=days(1 + i % 9),
            estimators=[(estimator, "equipment"), (estimator, "labour")],
        )


@pytest.mark.parametrize("persona", ["seller", "project_manager"])
def test_the_request_list_takes_the_same_number_of_queries_for_5_or_50_requests(
    request, persona, deal, project_manager
):
    client = as_user(request.getfixturevalue(persona))
    url = f"{REQUESTS}?overdue=false&estimator={project_manager.pk}"
    _requests(5, deal, project_manager)
    few, shown_few = count_queries(client, url)
    _requests(45, deal, project_manager)

    many, shown_many = count_queries(client, url)

    assert (shown_few, shown_many) == (5, 50)
    # Session, user, the user's permissions and their group's, the estimator filtered by,
    # COUNT(*), the page, and the page's estimators.
    assert few == many == 8
