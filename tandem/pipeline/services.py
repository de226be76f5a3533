"""Writes to deals: create, edit, move between stages, close-date changes, lost and nurture.

check_* functions validate and raise ValidationError; do_* functions write in one transaction.
"""

import copy
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.core.currencies import CURRENCIES, default_currency, normalise_currency
from tandem.core.events import emit
from tandem.core.services import (
    ErrorCollector,
    apply_changes,
    check_not_stale,
    day,
    full_clean_or_raise,
)
from tandem.core.templatetags.tandem import money
from tandem.crm.models import Account
from tandem.people.models import User
from tandem.pipeline.events import (
    CloseDateChanged,
    DealLost,
    DealReopened,
    DealStageChanged,
    DealWon,
)
from tandem.pipeline.models import Activity, CloseDateChange, Deal, Stage

# Fields a plain edit may change; stage and close date have their own services.
DEAL_FIELDS = (
    "name",
    "account",
    "owner",
    "amount",
    "currency",
    "probability",
    "forecast_category",
    "requested_delivery_date",
    "project_type",
    "source",
    "next_step",
)
# Written only by the lost, nurture, return and reopen services, never by a plain edit.
OUTCOME_FIELDS = (
    "closed_on",
    "lost_reason",
    "lost_note",
    "nurture",
    "nurture_since",
    "nurture_note",
)


STAGE_FIELDS = ("name", "order", "probability", "is_won", "is_lost")
# The code of the refusal of an outsized amount: a form offers to confirm it, the API
# names the flag that does.
CONFIRM_AMOUNT = "confirm_amount"


@transaction.atomic
def do_create_stage(**fields) -> Stage:
    """Add a pipeline stage (admins shape the pipeline)."""
    stage = Stage(**fields)
    full_clean_or_raise(stage)
    stage.save()
    return stage


@transaction.atomic
def do_update_stage(stage: Stage, changes: dict) -> Stage:
    """Rename, reorder or re-weight a stage. Deals keep their own probability."""
    stage = Stage.objects.select_for_update(of=("self",)).get(pk=stage.pk)
    if stage.deals.exists() and (
        changes.get("is_won", stage.is_won) != stage.is_won
        or changes.get("is_lost", stage.is_lost) != stage.is_lost
    ):
        raise ValidationError(
            "Deals are in this stage: a stage cannot become won or lost (or stop being so) "
            "while it holds deals."
        )
    if apply_changes(stage, changes, STAGE_FIELDS):
        full_clean_or_raise(stage)
        stage.save()
    return stage


def _attribute(deal: Deal, by: User | None, now: dt.datetime | None = None) -> Deal:
    # simple_history reads these: who made the change, and when (imports record the past).
    deal._history_user = by
    if now is not None:
        deal._history_date = now
    return deal


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def first_open_stage() -> Stage:
    stage = Stage.objects.filter(is_won=False, is_lost=False).order_by("order").first()
    if stage is None:
        raise ValidationError("No open pipeline stage exists: an admin must create one first.")
    return stage


def check_close_date(deal: Deal, new_date: dt.date | None) -> None:
    """A close date is required and cannot come before the deal was created."""
    if new_date is None:
        raise ValidationError({"target_close_date": "A deal needs a target close date."})
    created = timezone.localdate(deal.created_at) if deal.created_at else None
    if created and new_date < created:
        raise ValidationError(
            {
                "target_close_date": f"The close date cannot be before the deal was created "
                f"({day(created)})."
            }
        )


def check_amount(amount) -> None:
    if amount is None or amount < 0:
        raise ValidationError({"amount": "The amount must be zero or more."})


def amount_to_confirm_above(currency: str) -> tuple[Decimal, Decimal | None]:
    """Above what amount a deal in `currency` must be confirmed, and the largest deal so far
    in that currency it is worked out from (None while there is none: then the settings'
    ceiling applies)."""
    largest = Deal.objects.filter(currency=currency).aggregate(largest=Max("amount"))["largest"]
    if largest:
        return largest * settings.TANDEM_AMOUNT_CONFIRM_FACTOR, largest
    return Decimal(settings.TANDEM_AMOUNT_CONFIRM_ABOVE), None


def check_amount_confirmed(amount, currency: str, confirmed: bool) -> None:
    """Refuse, until confirmed, an amount far above any deal so far: it is usually extra
    zeros, and one such deal makes the board's totals meaningless."""
    if confirmed or amount is None or currency not in CURRENCIES:
        return
    above, largest = amount_to_confirm_above(currency)
    if amount <= above:
        return
    if largest is None:
        why = f"more than {money(above, currency)}, above any deal we expect"
    else:
        factor = settings.TANDEM_AMOUNT_CONFIRM_FACTOR
        why = f"more than {factor} times our largest deal so far ({money(largest, currency)})"
    raise ValidationError(
        {
            "amount": ValidationError(
                f"{money(amount, currency)} is {why}. Check for extra zeros; if the amount is "
                "right, confirm it.",
                code=CONFIRM_AMOUNT,
            )
        }
    )


def new_deal(
    by: User | None,
    *,
    name: str = "",
    account=None,
    target_close_date: dt.date | None = None,
    owner: User | None = None,
    stage: Stage | None = None,
    amount=0,
    currency: str = "",
    probability: int | None = None,
    now: dt.datetime | None = None,
    **fields,
) -> Deal:
    """The unsaved deal do_create_deal would write from these values, its defaults filled in:
    stage the first open one, probability the stage's, currency the company's, owner whoever
    creates it."""
    stage = stage or first_open_stage()
    deal = Deal(
        name=name,
        account=account,
        owner=owner or by,
        stage=stage,
        amount=amount,
        currency=normalise_currency(currency) or default_currency(),
        target_close_date=target_close_date,
        probability=stage.probability if probability is None else probability,
        created_at=now or timezone.now(),
        **fields,
    )
    if deal.next_step:
        deal.next_step_updated_at = deal.created_at
    return deal


def check_new_deal(deal: Deal, *, confirm_amount: bool = False, skip: Iterable[str] = ()) -> None:
    """Check every rule a new deal must meet and report all that fail at once, by field.

    `skip` names fields whose value is missing or could not be read (a form reports those
    itself), so no rule about them runs."""
    skip = set(skip)
    errors = ErrorCollector()
    if deal.stage_id and (deal.stage.is_won or deal.stage.is_lost):
        errors.add(ValidationError({"stage": "A new deal starts in an open stage."}))
    if "amount" not in skip:
        with errors:
            check_amount(deal.amount)
        if not errors.has("amount") and "currency" not in skip:
            with errors:
                check_amount_confirmed(deal.amount, deal.currency, confirm_amount)
    if "target_close_date" not in skip:
        with errors:
            check_close_date(deal, deal.target_close_date)
    try:
        full_clean_or_raise(deal, exclude=skip)
    except ValidationError as error:
        errors.add(error, only_new_fields=True)
    errors.raise_if_any()


@transaction.atomic
def do_create_deal(
    by: User | None,
    *,
    name: str,
    account,
    target_close_date: dt.date,
    confirm_amount: bool = False,
    now: dt.datetime | None = None,
    **fields,
) -> Deal:
    """Open a deal on an account. Stage defaults to the first open one, probability to the
    stage's, currency to the company's, owner to whoever creates it. An amount far above the
    largest deal so far needs `confirm_amount`."""
    deal = new_deal(
        by, name=name, account=account, target_close_date=target_close_date, now=now, **fields
    )
    check_new_deal(deal, confirm_amount=confirm_amount)
    _attribute(deal, by, now).save()
    return deal


def _locked(deal: Deal) -> Deal:
    return Deal.objects.select_for_update(of=("self",)).select_related("stage").get(pk=deal.pk)


def check_deal_changes(
    deal: Deal,
    changes: dict,
    *,
    close_date_reason: str = "",
    confirm_past: bool = False,
    confirm_amount: bool = False,
    skip: Iterable[str] = (),
    today: dt.date | None = None,
) -> dict:
    """Check an edit of `deal` (plain fields, and `target_close_date` if it moves) against
    every rule at once, reporting all that fail by field; `skip` as for check_new_deal.
    Return the changes as they will be written (the currency as its ISO code)."""
    skip = set(skip)
    changes = dict(changes)
    errors = ErrorCollector()
    if "currency" in changes:
        changes["currency"] = normalise_currency(changes["currency"]) or default_currency()
    new_close = changes.pop("target_close_date", None)
    if "amount" in changes and "amount" not in skip:
        amount = changes["amount"]
        with errors:
            check_amount(amount)
        if not errors.has("amount") and deal.stage.is_won and amount <= 0:
            errors.add(ValidationError({"amount": "A won deal needs an amount."}))
        currency = changes.get("currency", deal.currency)
        moved = amount != deal.amount or currency != deal.currency
        if not errors.has("amount") and moved and "currency" not in skip:
            with errors:
                check_amount_confirmed(amount, currency, confirm_amount)
    # A closed deal's probability is its outcome (100 or 0), not an estimate.
    if deal.stage.is_closed and changes.get("probability", deal.probability) != deal.probability:
        errors.add(
            ValidationError(
                {
                    "probability": f"This deal is closed as {deal.stage.name}: its probability "
                    "stays as it is."
                }
            )
        )
    account = changes.get("account")
    if account is not None and account.pk != deal.account_id and deal.activities.exists():
        errors.add(
            ValidationError(
                {
                    "account": "Notes, calls and meetings of this deal belong to its account: "
                    "open a new deal on the other account instead."
                }
            )
        )
    if new_close is not None and new_close != deal.target_close_date:
        with errors:
            check_close_date_change(
                deal, new_close, close_date_reason, confirm_past=confirm_past, today=today
            )
    # The model's own rules, on a copy: the deal itself changes only once all of them pass.
    candidate = copy.copy(deal)
    for field, value in changes.items():
        if field in DEAL_FIELDS:
            setattr(candidate, field, value)
    try:
        full_clean_or_raise(candidate, exclude=skip)
    except ValidationError as error:
        errors.add(error, only_new_fields=True)
    errors.raise_if_any()
    if new_close is not None:
        changes["target_close_date"] = new_close
    return changes


@transaction.atomic
def do_update_deal(
    deal: Deal,
    by: User | None,
    changes: dict,
    *,
    close_date_reason: str = "",
    shift_plan: bool = True,
    confirm_past: bool = False,
    version: str | None = None,
    confirm_amount: bool = False,
    now: dt.datetime | None = None,
) -> Deal:
    """Edit a deal. A new `target_close_date` in `changes` goes through do_change_close_date
    (and needs `close_date_reason` when it moves later, `confirm_past` and a reason when it
    is before today); `stage` through do_move_deal. Every rule is checked before anything is
    written (check_deal_changes)."""
    deal = _locked(deal)
    check_not_stale(deal, version)
    changes = dict(changes)
    new_stage = changes.pop("stage", None)
    changes = check_deal_changes(
        deal,
        changes,
        close_date_reason=close_date_reason,
        confirm_past=confirm_past,
        confirm_amount=confirm_amount,
        today=_today(now),
    )
    new_close = changes.pop("target_close_date", None)
    old_next_step = deal.next_step
    if apply_changes(deal, changes, DEAL_FIELDS):
        if deal.next_step != old_next_step:
            deal.next_step_updated_at = now or timezone.now()
        _attribute(deal, by, now).save()
    if new_close is not None and new_close != deal.target_close_date:
        deal = do_change_close_date(
            deal,
            by,
            new_close,
            close_date_reason,
            shift_plan=shift_plan,
            confirm_past=confirm_past,
            now=now,
        )
    if new_stage is not None and new_stage.pk != deal.stage_id:
        deal = do_move_deal(deal, by, new_stage, now=now)
    return deal


@transaction.atomic
def do_set_next_step(
    deal: Deal, by: User | None, next_step: str, *, now: dt.datetime | None = None
) -> Deal:
    """Write the deal's next step, or confirm the one it has: either way it counts as fresh,
    so prompts for a new next step stop asking."""
    deal = _locked(deal)
    next_step = next_step.strip()
    if not next_step:
        raise ValidationError({"next_step": "Say what happens next on this deal."})
    deal.next_step = next_step
    deal.next_step_updated_at = now or timezone.now()
    full_clean_or_raise(deal)
    _attribute(deal, by, now).save(
        update_fields=["next_step", "next_step_updated_at", "updated_at"]
    )
    return deal


def check_close_date_not_passed(
    new_date: dt.date, today: dt.date, *, confirm_past: bool = False, reason: str = ""
) -> None:
    """The one rule for a close date before today, shared by the deal page, the API and the
    close plan's layout: refused, unless the person confirms it on purpose and says why (a
    deal that really closed last week). The plan's layout never confirms: no step can be
    laid out to a day that has gone."""
    if new_date >= today:
        return
    if not confirm_past:
        raise ValidationError(
            {
                "target_close_date": ValidationError(
                    f"{day(new_date)} has passed: pick a date the customer has agreed to, or "
                    "confirm that the close date is in the past on purpose and say why.",
                    code="close_passed",
                )
            }
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": f"Say why the close date goes back to {day(new_date)}, in the past."}
        )


def check_close_date_change(
    deal: Deal,
    new_date: dt.date | None,
    reason: str,
    *,
    confirm_past: bool = False,
    today: dt.date | None = None,
) -> None:
    check_close_date(deal, new_date)
    check_close_date_not_passed(
        new_date, today or _today(None), confirm_past=confirm_past, reason=reason
    )
    if new_date > deal.target_close_date and not reason.strip():
        raise ValidationError(
            {
                "reason": f"Say why the close date moves later (from "
                f"{day(deal.target_close_date)} to {day(new_date)})."
            }
        )


@transaction.atomic
def do_change_close_date(
    deal: Deal,
    by: User | None,
    new_date: dt.date,
    reason: str = "",
    *,
    shift_plan: bool = True,
    confirm_past: bool = False,
    source: str = "",
    now: dt.datetime | None = None,
) -> Deal:
    """Move the target close date and keep the change (who, when, old, new, why).

    A date before today is refused unless `confirm_past` with a reason (see
    check_close_date_not_passed); the change then says it was set in the past on purpose.
    Emits CloseDateChanged: a close plan follows it (with `shift_plan` its open steps move
    by as many business days; either way no step stays due after the new date, and none is
    moved to a day already gone). `source` names the app that moved the date as part of its
    own change and has followed it already."""
    deal = _locked(deal)
    if new_date == deal.target_close_date:
        return deal
    today = _today(now)
    check_close_date_change(deal, new_date, reason, confirm_past=confirm_past, today=today)
    CloseDateChange.objects.create(
        deal=deal,
        changed_by=by,
        changed_at=now or timezone.now(),
        old_date=deal.target_close_date,
        new_date=new_date,
        reason=reason.strip(),
        set_in_past=new_date < today,
    )
    old_date = deal.target_close_date
    deal.target_close_date = new_date
    _attribute(deal, by, now).save(update_fields=["target_close_date", "updated_at"])
    emit(
        CloseDateChanged(
            deal_id=deal.pk,
            old_date=old_date,
            new_date=new_date,
            by_id=by.pk if by else None,
            at=now or timezone.now(),
            shift_plan=shift_plan,
            source=source,
        )
    )
    return deal


def check_stage_move(deal: Deal, stage: Stage) -> None:
    """Say why `deal` may not enter `stage`, or return quietly when it may."""
    if deal.nurture:
        raise ValidationError("This deal is in nurture: return it to the pipeline first.")
    if deal.stage.is_closed and stage.pk != deal.stage_id:
        raise ValidationError(
            f"This deal is closed as {deal.stage.name}: reopen it from the deal page first."
        )
    if stage.is_lost:
        raise ValidationError("A lost deal needs a reason: use “Mark lost” on the deal page.")
    if stage.is_won and deal.amount <= 0:
        raise ValidationError("A won deal needs an amount: enter what the customer signed for.")


@transaction.atomic
def do_move_deal(
    deal: Deal, by: User | None, stage: Stage, *, now: dt.datetime | None = None
) -> Deal:
    """Move a deal to another open or won stage; its probability becomes the stage's."""
    deal = _locked(deal)
    if stage.pk == deal.stage_id:
        return deal
    check_stage_move(deal, stage)
    old_stage = deal.stage
    deal.stage = stage
    deal.probability = stage.probability
    deal.closed_on = _today(now) if stage.is_won else None
    _attribute(deal, by, now).save()
    _emit_stage_change(deal, old_stage, by, now)
    return deal


def _emit_stage_change(deal: Deal, old_stage: Stage, by: User | None, now) -> None:
    at = now or timezone.now()
    by_id = by.pk if by else None
    emit(DealStageChanged(deal.pk, old_stage.pk, deal.stage_id, by_id, at))
    if deal.stage.is_won:
        emit(
            DealWon(
                deal_id=deal.pk,
                account_id=deal.account_id,
                amount=deal.amount,
                currency=deal.currency,
                closed_on=deal.closed_on,
                by_id=by_id,
                at=at,
            )
        )
    elif deal.stage.is_lost:
        emit(DealLost(deal.pk, deal.account_id, deal.lost_reason, deal.closed_on, by_id, at))
    elif old_stage.is_closed:
        emit(DealReopened(deal_id=deal.pk, by_id=by_id, at=at))


@transaction.atomic
def do_mark_lost(
    deal: Deal,
    by: User | None,
    *,
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Deal:
    """Close a deal as lost, with the reason (required) and a note."""
    deal = _locked(deal)
    if not reason:
        raise ValidationError({"lost_reason": "Say why the deal was lost."})
    if deal.stage.is_closed:
        raise ValidationError(f"This deal is already closed as {deal.stage.name}.")
    lost = Stage.objects.filter(is_lost=True).order_by("order").first()
    if lost is None:
        raise ValidationError("No lost stage exists: an admin must create one first.")
    old_stage = deal.stage
    deal.stage = lost
    deal.probability = 0
    deal.lost_reason = reason
    deal.lost_note = note.strip()
    deal.closed_on = _today(now)
    deal.nurture = False
    deal.nurture_since = None
    full_clean_or_raise(deal)
    _attribute(deal, by, now).save()
    _emit_stage_change(deal, old_stage, by, now)
    return deal


@transaction.atomic
def do_reopen_deal(deal: Deal, by: User | None, stage: Stage | None = None) -> Deal:
    """Bring a won or lost deal back into an open stage (the first one by default)."""
    deal = _locked(deal)
    if not deal.stage.is_closed:
        raise ValidationError("This deal is open already.")
    stage = stage or first_open_stage()
    if stage.is_closed:
        raise ValidationError({"stage": "Reopen the deal into an open stage."})
    old_stage = deal.stage
    deal.stage = stage
    deal.probability = stage.probability
    deal.closed_on = None
    deal.lost_reason = ""
    deal.lost_note = ""
    _attribute(deal, by).save()
    _emit_stage_change(deal, old_stage, by, None)
    return deal


@transaction.atomic
def do_nurture(
    deal: Deal, by: User | None, note: str = "", *, now: dt.datetime | None = None
) -> Deal:
    """Take an open deal out of the pipeline to be worked offline; nothing about it is lost."""
    deal = _locked(deal)
    if deal.stage.is_closed:
        raise ValidationError(f"This deal is closed as {deal.stage.name}; only open deals nurture.")
    if deal.nurture:
        raise ValidationError("This deal is in nurture already.")
    deal.nurture = True
    deal.nurture_since = _today(now)
    deal.nurture_note = note.strip()
    _attribute(deal, by, now).save()
    return deal


@transaction.atomic
def do_return_to_pipeline(deal: Deal, by: User | None) -> Deal:
    """Bring a nurtured deal back onto the board where it was."""
    deal = _locked(deal)
    if not deal.nurture:
        raise ValidationError("This deal is in the pipeline already.")
    deal.nurture = False
    deal.nurture_since = None
    _attribute(deal, by).save()
    return deal


@transaction.atomic
def do_log_activity(
    author: User,
    *,
    account: Account,
    subject: str,
    kind: str = "note",
    body: str = "",
    occurred_at: dt.datetime | None = None,
    deal=None,
    contacts=(),
    attendees=(),
) -> Activity:
    """Record a note, call, meeting or email on an account (and a deal of that account)."""
    if deal is not None and deal.account_id != account.pk:
        raise ValidationError({"deal": "That deal belongs to another account."})
    activity = Activity(
        kind=kind,
        author=author,
        occurred_at=occurred_at or timezone.now(),
        subject=subject,
        body=body,
        account=account,
        deal=deal,
    )
    full_clean_or_raise(activity)
    activity.save()
    if contacts:
        activity.contacts.set(contacts)
    if attendees:
        activity.attendees.set(attendees)
    return activity
