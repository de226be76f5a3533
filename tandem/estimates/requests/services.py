"""Every write to estimate requests: asking, attaching files, and moving them through their
status, with a notice to whoever has to act next."""

import datetime as dt
import os
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tandem.core.services import (
    ErrorCollector,
    apply_changes,
    check_not_stale,
    day,
    full_clean_or_raise,
)
from tandem.estimates.models import (
    EstimateRequest,
    EstimatorPart,
    RequestAttachment,
    RequestEstimator,
    RequestStatus,
)
from tandem.notifications.models import Notification
from tandem.notifications.services import do_notify_and_email
from tandem.people.models import User
from tandem.pipeline.models import Deal

REQUEST_FIELDS = ("title", "brief", "venue", "dimensions", "event_start", "event_end", "needed_by")
MAX_ATTACHMENTS = 20
# What a brief comes with: documents, drawings, spreadsheets, pictures. The first bytes must
# agree with the extension, so a renamed program is not passed on as a floor plan.
_ZIP = (b"PK\x03\x04",)
_TEXT = None  # any UTF-8 text
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".zip": ("application/zip", _ZIP),
    ".dwg": ("application/acad", (b"AC10",)),
    ".dxf": ("application/dxf", _TEXT),
    ".csv": ("text/csv", _TEXT),
    ".txt": ("text/plain", _TEXT),
}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def max_attachment_bytes() -> int:
    return settings.TANDEM_ATTACHMENT_MAX_MB * 1024 * 1024


def check_attachment(upload: UploadedFile) -> str:
    """Refuse a file that is too big, empty or not of a kind a brief comes with; return its
    content type."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_TYPES:
        kinds = ", ".join(sorted(ext.lstrip(".").upper() for ext in ALLOWED_TYPES))
        raise ValidationError(f"{name}: this kind of file cannot be attached. Attach {kinds}.")
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.")
    limit = settings.TANDEM_ATTACHMENT_MAX_MB
    if upload.size > max_attachment_bytes():
        raise ValidationError(
            f"{name} is {upload.size / 1024 / 1024:.1f} MB; files can be {limit} MB at most."
        )
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at 2,048 bytes is still text.
            if error.start < len(head) - 3:
                raise ValidationError(f"{name} is not a text file.") from error
    elif not head.startswith(signatures):
        raise ValidationError(
            f"{name} does not look like a {extension.lstrip('.').upper()} file inside."
        )
    return content_type


def _attach(request: EstimateRequest, by: User | None, upload: UploadedFile, now) -> None:
    content_type = check_attachment(upload)
    attachment = RequestAttachment(
        request=request,
        name=os.path.basename(upload.name)[:255],
        size=upload.size,
        content_type=content_type,
        uploaded_by=by,
        uploaded_at=now,
    )
    # The stored name is ours; the one people see stays on the row.
    stored = f"{now:%Y%m%d%H%M%S%f}{os.path.splitext(upload.name)[1].lower()}"
    attachment.file.save(stored, upload, save=False)
    attachment.save()


def _check_estimators(estimators: Sequence[tuple[User, str]]) -> list[tuple[User, str]]:
    if not estimators:
        raise ValidationError({"estimators": "Choose at least one estimator."})
    seen = set()
    for user, part in estimators:
        if part not in EstimatorPart.values:
            raise ValidationError({"estimators": f"{part!r} is not a part of an estimate."})
        if not user.is_active:
            raise ValidationError({"estimators": f"{user.name} has left."})
        if not user.has_perm("estimates.change_estimate"):
            raise ValidationError(
                {"estimators": f"{user.name} does not build estimates: choose an estimator."}
            )
        if (user.pk, part) in seen:
            raise ValidationError(
                {"estimators": f"{user.name} is down for {part} twice: once is enough."}
            )
        seen.add((user.pk, part))
    return list(estimators)


def _check_dates(request: EstimateRequest, today: dt.date, *, new: bool) -> None:
    errors = ErrorCollector()
    if new and request.needed_by and request.needed_by < today:
        errors.add(ValidationError({"needed_by": "The needed-by date is in the past."}))
    if request.event_start and request.event_end and request.event_end < request.event_start:
        errors.add(ValidationError({"event_end": "The event cannot end before it starts."}))
    errors.raise_if_any()


def check_request(
    request: EstimateRequest, today: dt.date, *, new: bool, skip: Iterable[str] = ()
) -> None:
    """Check a request's brief and dates, reporting every rule that fails at once, by field:
    the needed-by date is not past (when `new`: a request's own date may since have passed),
    the event ends after it starts, and the model's rules. `skip` names fields whose value
    is missing or could not be read (a form reports those itself)."""
    errors = ErrorCollector()
    with errors:
        _check_dates(request, today, new=new)
    # A field refused already is not checked again (nor the constraints that read it).
    exclude = {"deal", "requested_by", *skip, *errors.errors}
    with errors:
        full_clean_or_raise(request, exclude=exclude)
    errors.raise_if_any()


def _notify(
    request: EstimateRequest,
    recipients: Iterable[User],
    event: str,
    title: str,
    body: str,
    now: dt.datetime,
) -> None:
    key = f"estimate-request:{request.pk}:{event}:{now:%Y%m%d%H%M%S%f}"
    do_notify_and_email(
        Notification(
            recipient=user,
            key=key,
            kind="estimate_request",
            title=title[:200],
            body=body,
            url=request.get_absolute_url(),
            created_at=now,
        )
        for user in {user.pk: user for user in recipients if user is not None}.values()
    )


def _estimators(request: EstimateRequest) -> list[User]:
    return [a.estimator for a in request.assignments.select_related("estimator")]


@transaction.atomic
def do_create_request(
    by: User | None,
    deal: Deal,
    *,
    title: str,
    brief: str,
    needed_by: dt.date,
    estimators: Sequence[tuple[User, str]],
    files: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
    **fields,
) -> EstimateRequest:
    """Ask estimators for numbers on a deal; each estimator is told, in Tandem and by email."""
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"Request fields cannot be set here: {sorted(unknown)}")
    now = _now(now)
    if deal.stage.is_closed:
        raise ValidationError("This deal is closed: reopen it before asking for an estimate.")
    request = EstimateRequest(
        deal=deal,
        requested_by=by,
        title=(title or "").strip(),
        brief=(brief or "").strip(),
        needed_by=needed_by,
        status_changed_at=now,
        created_at=now,
        **{
            key: value.strip() if isinstance(value, str) else value for key, value in fields.items()
        },
    )
    # Every mistake at once, so that one send shows them all.
    errors = ErrorCollector()
    with errors:
        check_request(request, timezone.localdate(now), new=True)
    with errors:
        estimators = _check_estimators(estimators)
    if len(files) > MAX_ATTACHMENTS:
        errors.add(ValidationError({"files": f"Attach {MAX_ATTACHMENTS} files at most."}))
    for upload in files:
        with errors:
            check_attachment(upload)
    errors.raise_if_any()
    request._history_user = by
    request._history_date = now
    request.save()
    RequestEstimator.objects.bulk_create(
        RequestEstimator(request=request, estimator=user, part=part) for user, part in estimators
    )
    for upload in files:
        _attach(request, by, upload, now)
    who = by.name if by else "Someone"
    _notify(
        request,
        [user for user, _ in estimators],
        "requested",
        f"Estimate wanted by {day(needed_by)}: {request.title}",
        f"{who} asks for an estimate on {deal.name} ({deal.account}).\n\n{request.brief}",
        now,
    )
    return request


def _locked(request: EstimateRequest) -> EstimateRequest:
    return (
        EstimateRequest.objects.select_for_update(of=("self",))
        .select_related("deal", "requested_by")
        .get(pk=request.pk)
    )


@transaction.atomic
def do_update_request(
    request: EstimateRequest,
    by: User | None,
    changes: dict,
    *,
    estimators: Sequence[tuple[User, str]] | None = None,
    version: str | None = None,
    now: dt.datetime | None = None,
) -> EstimateRequest:
    """Edit the brief, dates or estimators of a request that is still open.

    Newly added estimators are told; a moved needed-by date is told to all of them. A
    `version` read before the edit refuses the write when someone changed the request since.
    """
    request = _locked(request)
    check_not_stale(request, version)
    if not request.is_open:
        raise ValidationError(
            f"This request is {request.get_status_display().lower()}: it can no longer change."
        )
    now = _now(now)
    old_needed_by = request.needed_by
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    changed = apply_changes(request, changes, REQUEST_FIELDS)
    errors = ErrorCollector()
    if changed:
        with errors:
            check_request(request, timezone.localdate(now), new="needed_by" in changed)
    if estimators is not None:
        with errors:
            estimators = _check_estimators(estimators)
    errors.raise_if_any()
    if changed:
        request._history_user = by
        request._history_date = now
        request.save()
    added = []
    if estimators is not None:
        before = {(a.estimator_id, a.part) for a in request.assignments.all()}
        wanted = {(user.pk, part) for user, part in estimators}
        request.assignments.exclude(
            pk__in=[a.pk for a in request.assignments.all() if (a.estimator_id, a.part) in wanted]
        ).delete()
        new = [(user, part) for user, part in estimators if (user.pk, part) not in before]
        RequestEstimator.objects.bulk_create(
            RequestEstimator(request=request, estimator=user, part=part) for user, part in new
        )
        added = [user for user, _ in new if user.pk not in {pk for pk, _ in before}]
    if added:
        _notify(
            request,
            added,
            "assigned",
            f"Estimate wanted by {day(request.needed_by)}: {request.title}",
            f"You were added to an estimate request on {request.deal.name}.",
            now,
        )
    if request.needed_by != old_needed_by:
        _notify(
            request,
            _estimators(request),
            "needed-by",
            f"Needed by {day(request.needed_by)} now: {request.title}",
            f"The needed-by date moved from {day(old_needed_by)} to {day(request.needed_by)}.",
            now,
        )
    return request


@transaction.atomic
def do_add_attachments(
    request: EstimateRequest,
    by: User | None,
    files: Sequence[UploadedFile],
    *,
    now: dt.datetime | None = None,
) -> EstimateRequest:
    """Attach more files to a request; all are checked before any is kept."""
    request = _locked(request)
    if not files:
        raise ValidationError({"files": "Choose a file to attach."})
    if request.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": f"A request holds {MAX_ATTACHMENTS} files at most."})
    for upload in files:
        check_attachment(upload)
    now = _now(now)
    for upload in files:
        _attach(request, by, upload, now)
    return request


@transaction.atomic
def do_remove_attachment(attachment: RequestAttachment, by: User | None) -> None:
    """Remove a file from its request; the stored file goes once the row's removal commits."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _move(request: EstimateRequest, by: User | None, status: str, note: str, now) -> None:
    request.status = status
    request.status_note = note
    request.status_changed_at = now
    request._history_user = by
    request._history_date = now
    full_clean_or_raise(request, exclude=["deal", "requested_by"])
    request.save()


def _refuse(request: EstimateRequest, doing: str) -> None:
    raise ValidationError(
        f"This request is {request.get_status_display().lower()}, so it cannot be {doing}."
    )


@transaction.atomic
def do_start_request(
    request: EstimateRequest, by: User | None, *, now: dt.datetime | None = None
) -> EstimateRequest:
    """Mark a request as being worked on (the first scenario built for it does this too)."""
    request = _locked(request)
    if request.status == RequestStatus.IN_PROGRESS:
        return request
    if request.status != RequestStatus.REQUESTED:
        _refuse(request, "started")
    _move(request, by, RequestStatus.IN_PROGRESS, "", _now(now))
    return request


@transaction.atomic
def do_return_request(
    request: EstimateRequest, by: User | None, *, note: str = "", now: dt.datetime | None = None
) -> EstimateRequest:
    """Hand the numbers back to the seller; needs at least one saved scenario."""
    request = _locked(request)
    if not request.is_open:
        _refuse(request, "returned")
    if not request.estimates.filter(latest_number__gt=0).exists():
        raise ValidationError("Save at least one scenario for this request before returning it.")
    now = _now(now)
    _move(request, by, RequestStatus.RETURNED, note.strip(), now)
    who = by.name if by else "The estimators"
    _notify(
        request,
        [request.requested_by, request.deal.owner],
        "returned",
        f"Estimate ready: {request.title}",
        f"{who} returned the estimate for {request.deal.name}." + (f"\n\n{note}" if note else ""),
        now,
    )
    return request


@transaction.atomic
def do_decline_request(
    request: EstimateRequest, by: User | None, *, reason: str, now: dt.datetime | None = None
) -> EstimateRequest:
    """Decline a request with a reason the seller is told."""
    request = _locked(request)
    if not request.is_open:
        _refuse(request, "declined")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the request is declined."})
    now = _now(now)
    _move(request, by, RequestStatus.DECLINED, reason, now)
    who = by.name if by else "An estimator"
    _notify(
        request,
        [request.requested_by, request.deal.owner],
        "declined",
        f"Estimate declined: {request.title}",
        f"{who} declined the request for {request.deal.name}: {reason}",
        now,
    )
    return request


@transaction.atomic
def do_send_round_again(
    request: EstimateRequest,
    by: User | None,
    *,
    note: str,
    needed_by: dt.date | None = None,
    now: dt.datetime | None = None,
) -> EstimateRequest:
    """Send a returned request back to the estimators with what to change ("half the booth")."""
    request = _locked(request)
    if request.status not in (RequestStatus.RETURNED, RequestStatus.ACCEPTED):
        _refuse(request, "sent round again")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the client wants changed."})
    now = _now(now)
    if needed_by is not None:
        if needed_by < timezone.localdate(now):
            raise ValidationError({"needed_by": "The needed-by date is in the past."})
        request.needed_by = needed_by
    _move(request, by, RequestStatus.IN_PROGRESS, note, now)
    _notify(
        request,
        _estimators(request),
        "again",
        f"Another round, by {day(request.needed_by)}: {request.title}",
        note,
        now,
    )
    return request


@transaction.atomic
def do_mark_request_accepted(
    request: EstimateRequest, by: User | None, estimate, *, now: dt.datetime | None = None
) -> EstimateRequest:
    """Record that the seller accepted one of the request's scenarios; estimators are told."""
    request = _locked(request)
    if request.status == RequestStatus.DECLINED:
        _refuse(request, "accepted")
    now = _now(now)
    _move(request, by, RequestStatus.ACCEPTED, f"Accepted: {estimate.name}", now)
    _notify(
        request,
        _estimators(request),
        "accepted",
        f"Scenario accepted: {estimate.name}",
        f"{request.deal.name} goes ahead on “{estimate.name}”.",
        now,
    )
    return request


def overdue_requests(today: dt.date):
    """Open requests past their needed-by date, the longest overdue first."""
    return (
        EstimateRequest.objects.overdue(today)
        .select_related("deal", "deal__account", "requested_by")
        .order_by("needed_by", "id")
    )
