import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.utils import timezone

from tandem.core.services import day
from tandem.estimates.models import EstimateRequest, LineKind, RequestAttachment, RequestStatus
from tandem.estimates.requests.services import (
    MAX_ATTACHMENTS,
    check_attachment,
    do_add_attachments,
    do_create_request,
    do_decline_request,
    do_remove_attachment,
    do_return_request,
    do_send_round_again,
    do_start_request,
    do_update_request,
    overdue_requests,
)
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.notifications.models import Notification
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.tests.factories import DealFactory, stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
PDF = b"%PDF-1.7\n% a floor plan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller, name="Expo booth")


@pytest.fixture
def rigging_lead(db):
    return UserFactory(username="rita", display_name="Rita Rigging", role=Role.RESOURCE_MANAGER)


def _today():
    return timezone.localdate()


def _ask(by, deal, estimators, **fields):
    values = {
        "title": "360° booth",
        "brief": "20 x 20 ft booth with a 360° LED ring overhead",
        "needed_by": _today() + dt.timedelta(days=5),
        **fields,
    }
    return do_create_request(by, deal, estimators=estimators, **values)


def _pdf(name="floorplan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _saved_scenario(req, by, name="Full booth"):
    estimate = do_create_estimate(by, req.deal, name=name, request=req)
    line = {
        "kind": LineKind.EXPENSE,
        "name": "Freight",
        "cost": Decimal("1000"),
        "markup_pct": Decimal("20"),
    }
    do_save_version(estimate, by, base_number=0, lines=[line])
    estimate.refresh_from_db()
    return estimate


def test_a_request_tells_each_estimator_in_tandem_and_by_email(
    seller, deal, project_manager, rigging_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = _ask(seller, deal, [(project_manager, "equipment"), (rigging_lead, "rigging")])

    notices = Notification.objects.filter(kind="estimate_request").order_by("recipient__username")
    assert [n.recipient for n in notices] == [project_manager, rigging_lead]
    assert {n.url for n in notices} == {req.get_absolute_url()}
    assert notices[0].title == f"Estimate wanted by {day(req.needed_by)}: 360° booth"
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.com", "rita@example.com"]
    assert "Sam Seller asks for an estimate on Expo booth" in mail.outbox[0].body
    assert req.status == RequestStatus.REQUESTED
    assert req.requested_by == seller


def test_a_request_keeps_its_files_with_the_names_people_gave_them(
    seller, deal, project_manager, media
):
    req = _ask(
        seller,
        deal,
        [(project_manager, "everything")],
        files=[_pdf(), SimpleUploadedFile("render.PNG", PNG, content_type="image/png")],
    )

    files = list(req.attachments.order_by("name"))
    assert [(f.name, f.size, f.content_type) for f in files] == [
        ("floorplan.pdf", len(PDF), "application/pdf"),
        ("render.PNG", len(PNG), "image/png"),
    ]
    assert all(f.uploaded_by == seller for f in files)
    # Stored under our own name, in the request's folder.
    assert files[0].file.name.startswith(f"estimate-requests/{req.pk}/")
    assert not files[0].file.name.endswith("floorplan.pdf")
    assert (media / files[0].file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "this kind of file cannot be attached"),
        (SimpleUploadedFile("empty.pdf", b""), "empty.pdf is empty."),
        (SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 a program"), "does not look like a PDF"),
        (SimpleUploadedFile("notes.txt", b"\xff\xfe\x00\x00" * 600), "notes.txt is not a text"),
        (SimpleUploadedFile("huge.pdf", b"%PDF" + b"0" * 1_153_434), "1.1 MB; files can be 1 MB"),
    ],
)
def test_nothing_is_saved_when_a_file_is_refused(
    seller, deal, project_manager, settings, media, upload, message
):
    settings.TANDEM_ATTACHMENT_MAX_MB = 1

    with pytest.raises(ValidationError) as refused:
        _ask(seller, deal, [(project_manager, "everything")], files=[_pdf(), upload])

    assert message in " ".join(refused.value.messages)
    assert EstimateRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert not list(media.rglob("*.*"))


def test_a_text_file_cut_inside_a_character_is_still_text():
    text = ("é" * 1023 + "a" + "é" * 10).encode()  # byte 2,048 falls inside an "é"

    assert check_attachment(SimpleUploadedFile("brief.txt", text)) == "text/plain"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"brief": "  "}, "brief", "Fill this in."),
        ({"needed_by": dt.date(2020, 1, 1)}, "needed_by", "The needed-by date is in the past."),
        (
            {"event_start": dt.date(2030, 5, 10), "event_end": dt.date(2030, 5, 9)},
            "event_end",
            "The event cannot end before it starts.",
        ),
    ],
)
def test_a_bad_brief_is_refused_on_its_field(seller, deal, project_manager, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        _ask(seller, deal, [(project_manager, "everything")], **fields)

    assert refused.value.message_dict[field] == [message]
    assert EstimateRequest.objects.count() == 0
    assert Notification.objects.count() == 0


def test_bad_estimators_are_refused(seller, other_seller, deal, project_manager, rigging_lead):
    rigging_lead.is_active = False
    rigging_lead.save()
    cases = [
        ([], "Choose at least one estimator."),
        (
            [(project_manager, "rigging"), (project_manager, "rigging")],
            "Pat PM is down for rigging twice: once is enough.",
        ),
        ([(other_seller, "everything")], "Sofia Seller does not build estimates"),
        ([(rigging_lead, "rigging")], "Rita Rigging has left."),
        ([(project_manager, "catering")], "'catering' is not a part of an estimate."),
    ]
    for estimators, message in cases:
        with pytest.raises(ValidationError) as refused:
            _ask(seller, deal, estimators)
        assert message in refused.value.message_dict["estimators"][0]
    assert EstimateRequest.objects.count() == 0


def test_one_estimator_may_own_several_parts(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "equipment"), (project_manager, "labour")])

    assert sorted(req.assignments.values_list("part", flat=True)) == ["equipment", "labour"]
    assert Notification.objects.filter(recipient=project_manager).count() == 1


def test_a_deal_with_an_estimate_request_cannot_be_deleted(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "equipment")])

    with pytest.raises(ProtectedError):
        deal.delete()

    assert EstimateRequest.objects.filter(pk=req.pk).exists()


def test_a_closed_deal_takes_no_requests(seller, project_manager):
    deal = DealFactory(owner=seller, stage=stage("Won"))

    with pytest.raises(ValidationError, match="This deal is closed"):
        _ask(seller, deal, [(project_manager, "everything")])


def test_fields_the_service_does_not_own_are_a_programming_error(seller, deal, project_manager):
    with pytest.raises(ValueError, match="status"):
        _ask(seller, deal, [(project_manager, "everything")], status="returned")


def test_editing_tells_new_estimators_and_everyone_when_the_needed_by_date_moves(
    seller, deal, project_manager, rigging_lead
):
    req = _ask(seller, deal, [(project_manager, "everything")])
    later = req.needed_by + dt.timedelta(days=3)

    do_update_request(
        req,
        seller,
        {"needed_by": later, "venue": " Las Vegas Convention Center "},
        estimators=[(project_manager, "equipment"), (rigging_lead, "rigging")],
    )

    req.refresh_from_db()
    assert req.venue == "Las Vegas Convention Center"
    assert sorted(req.assignments.values_list("estimator__username", "part")) == [
        ("pat", "equipment"),
        ("rita", "rigging"),
    ]
    assert sorted(
        Notification.objects.filter(key__contains=":assigned:").values_list(
            "recipient__username", flat=True
        )
    ) == ["rita"]
    assert sorted(
        Notification.objects.filter(key__contains=":needed-by:").values_list(
            "recipient__username", flat=True
        )
    ) == ["pat", "rita"]


def test_a_returned_request_can_no_longer_change(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "everything")])
    _saved_scenario(req, project_manager)
    do_return_request(req, project_manager)

    with pytest.raises(ValidationError, match="This request is returned: it can no longer change"):
        do_update_request(req, seller, {"title": "Another title"})

    req.refresh_from_db()
    assert req.title == "360° booth"


def test_starting_twice_is_harmless_and_the_history_says_who_started(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "everything")])

    do_start_request(req, project_manager)
    do_start_request(req, project_manager)

    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS
    records = list(req.history.order_by("history_id"))
    assert [(r.status, r.history_user) for r in records] == [
        ("requested", seller),
        ("in_progress", project_manager),
    ]


def test_a_request_is_returned_only_with_a_saved_scenario_and_the_seller_is_told(
    seller, deal, project_manager, django_capture_on_commit_callbacks
):
    req = _ask(seller, deal, [(project_manager, "everything")])
    with pytest.raises(ValidationError, match="Save at least one scenario"):
        do_return_request(req, project_manager)
    _saved_scenario(req, project_manager)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        do_return_request(req, project_manager, note="  Two options inside.  ")

    req.refresh_from_db()
    assert (req.status, req.status_note) == (RequestStatus.RETURNED, "Two options inside.")
    notice = Notification.objects.get(key__contains=":returned:")
    assert (notice.recipient, notice.title) == (seller, "Estimate ready: 360° booth")
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_declining_needs_a_reason_and_tells_the_seller(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "everything")])

    with pytest.raises(ValidationError) as refused:
        do_decline_request(req, project_manager, reason="   ")
    assert refused.value.message_dict == {"reason": ["Say why the request is declined."]}
    do_decline_request(req, project_manager, reason="We are fully booked that week.")

    req.refresh_from_db()
    assert (req.status, req.status_note) == ("declined", "We are fully booked that week.")
    notice = Notification.objects.get(key__contains=":declined:")
    assert notice.recipient == seller
    assert notice.body.endswith("We are fully booked that week.")
    with pytest.raises(ValidationError, match="This request is declined, so it cannot be started"):
        do_start_request(req, project_manager)


def test_a_request_goes_round_again_with_what_to_change(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "everything")])
    with pytest.raises(ValidationError, match="cannot be sent round again"):
        do_send_round_again(req, seller, note="Half the booth")
    _saved_scenario(req, project_manager)
    do_return_request(req, project_manager)
    with pytest.raises(ValidationError) as refused:
        do_send_round_again(req, seller, note="")
    assert refused.value.message_dict == {"note": ["Say what the client wants changed."]}
    with pytest.raises(ValidationError) as refused:
        do_send_round_again(req, seller, note="Half", needed_by=_today() - dt.timedelta(days=1))
    assert refused.value.message_dict == {"needed_by": ["The needed-by date is in the past."]}
    new_date = _today() + dt.timedelta(days=9)

    do_send_round_again(req, seller, note="What if we did half the booth?", needed_by=new_date)

    req.refresh_from_db()
    assert (req.status, req.status_note, req.needed_by) == (
        RequestStatus.IN_PROGRESS,
        "What if we did half the booth?",
        new_date,
    )
    notice = Notification.objects.get(key__contains=":again:")
    assert (notice.recipient, notice.body) == (project_manager, "What if we did half the booth?")


def test_accepting_a_scenario_accepts_its_request_and_tells_the_estimators(
    seller, deal, project_manager
):
    req = _ask(seller, deal, [(project_manager, "everything")])
    estimate = _saved_scenario(req, project_manager, name="Half booth")
    do_return_request(req, project_manager)

    do_accept_estimate(estimate, seller)

    req.refresh_from_db()
    assert (req.status, req.status_note) == (RequestStatus.ACCEPTED, "Accepted: Half booth")
    notice = Notification.objects.get(key__contains=":accepted:")
    assert (notice.recipient, notice.title) == (project_manager, "Scenario accepted: Half booth")


def test_overdue_requests_are_the_open_ones_past_due_longest_overdue_first(
    seller, deal, project_manager
):
    now = timezone.now()
    today = _today()

    def asked(days_ago, due_days_ago, title):
        return _ask(
            seller,
            deal,
            [(project_manager, "everything")],
            title=title,
            needed_by=today - dt.timedelta(days=due_days_ago),
            now=now - dt.timedelta(days=days_ago),
        )

    late = asked(10, 2, "Two days late")
    later = asked(10, 6, "Six days late")
    asked(10, -1, "Due tomorrow")
    declined = asked(10, 8, "Declined")
    do_decline_request(declined, project_manager, reason="Not our kind of show")
    asked(1, 0, "Due today")

    assert list(overdue_requests(today)) == [later, late]
    declined.refresh_from_db()
    assert later.is_overdue(today)
    assert not declined.is_overdue(today)


def test_files_added_later_are_all_checked_before_any_is_kept(seller, deal, project_manager):
    req = _ask(seller, deal, [(project_manager, "everything")], files=[_pdf()])

    with pytest.raises(ValidationError, match="does not look like a PDF"):
        do_add_attachments(req, project_manager, [_pdf("survey.pdf"), _pdf("bad.pdf", b"nope")])
    with pytest.raises(ValidationError) as refused:
        do_add_attachments(req, project_manager, [_pdf(f"p{i}.pdf") for i in range(20)])
    assert refused.value.message_dict == {
        "files": [f"A request holds {MAX_ATTACHMENTS} files at most."]
    }
    do_add_attachments(req, project_manager, [_pdf("survey.pdf")])

    assert sorted(req.attachments.values_list("name", "uploaded_by__username")) == [
        ("floorplan.pdf", "sam"),
        ("survey.pdf", "pat"),
    ]


def test_removing_a_file_deletes_it_from_the_disk_once_committed(
    seller, deal, project_manager, media, django_capture_on_commit_callbacks
):
    req = _ask(seller, deal, [(project_manager, "everything")], files=[_pdf()])
    attachment = req.attachments.get()
    stored = media / attachment.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_remove_attachment(attachment, seller)
    assert stored.exists()  # a rolled-back removal would still have its file
    for callback in callbacks:
        callback()

    assert not stored.exists()
    assert not req.attachments.exists()
