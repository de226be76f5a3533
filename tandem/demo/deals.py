"""The demo company's deals, with their stage moves and close-date history, and its activities.

Each deal is planned first (outcome, dates, how often the close date moved and why), then
played forward in time through the pipeline services, so the history reads as if sellers had
worked the deals day by day.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from tandem.crm.models import Account
from tandem.demo.company import DemoContext
from tandem.demo.phrases import (
    ACCOUNT_TEMPLATES,
    ACTIVITY_TEMPLATES,
    DEAL_TEMPLATES,
    LOST_NOTES,
    NEXT_STEPS,
    NURTURE_NOTES,
    PULL_REASONS,
    PUSH_REASONS,
)
from tandem.people.models import User
from tandem.pipeline.models import Deal, Stage
from tandem.pipeline.services import (
    do_change_close_date,
    do_create_deal,
    do_log_activity,
    do_mark_lost,
    do_move_deal,
    do_nurture,
)

# How many deals end where: open ones by stage position (1 = first open stage).
OPEN_COUNTS = {1: 13, 2: 13, 3: 14, 4: 12, 5: 8}
NURTURE_COUNTS = {1: 2, 2: 2, 3: 1}
WON_COUNT = 34
LOST_COUNT = 25
EXHIBIT_BOOTH = "Exhibit booth — 360° curved LED screen"
DEAL_COUNT = sum(OPEN_COUNTS.values()) + WON_COUNT + LOST_COUNT + 1  # + the exhibit booth

_DAY = dt.timedelta(days=1)
_SOURCES = ["existing", "referral", "inbound", "outbound", "partner", "trade_show"]
_SOURCE_WEIGHTS = [30, 20, 20, 15, 8, 7]
_KINDS = ["call", "email", "meeting", "note"]
_KIND_WEIGHTS = [30, 30, 20, 20]
_LOST_WEIGHTS = [25, 25, 20, 15, 8, 7]  # price, competitor, timing, no decision, scope, other
_TIER_WEIGHT = {"strategic": 4.0, "key": 2.5, "standard": 1.0}
_DELIVERY_LEAD = {
    "av_installation": (30, 120),
    "event_staging": (20, 90),
    "service_contract": (14, 30),
    "rental": (7, 45),
    "other": (14, 60),
}


@dataclass
class DealPlan:
    """Where a demo deal ends up and the dated steps that take it there."""

    account: Account
    owner: User
    outcome: str  # "open", "won" or "lost"
    position: int  # the last open stage reached, 1-based
    nurture: bool
    created: dt.date
    dates: list[dt.date]  # the target close date as first set, then after each change
    reasons: list[str]
    end: dt.date  # the day it closed, or today for open deals


def create_deals(ctx: DemoContext) -> None:
    """Create DEAL_COUNT deals across every stage, with history and activities."""
    rng = ctx.rng
    stages = list(Stage.objects.filter(is_won=False, is_lost=False).order_by("order"))
    won = Stage.objects.filter(is_won=True).order_by("order").first()
    create_exhibit_booth_deal(ctx, stages)
    outcomes = [("won", 0, False)] * WON_COUNT + [("lost", 0, False)] * LOST_COUNT
    for position, count in OPEN_COUNTS.items():
        nurtured = NURTURE_COUNTS.get(position, 0)
        outcomes += [("open", min(position, len(stages)), i < nurtured) for i in range(count)]
    rng.shuffle(outcomes)
    names: dict[int, set[str]] = defaultdict(set)  # deal names used, by account
    abroad = {"done": False}  # one show across the border, quoted in Canadian dollars
    for (outcome, position, nurture), account in zip(
        outcomes, _deal_accounts(ctx, len(outcomes)), strict=True
    ):
        if outcome != "open":
            position = rng.randint(2, len(stages)) if outcome == "won" else rng.randint(1, 4)
        plan = _plan(ctx, account, outcome, min(position, len(stages)), nurture)
        deal = _play(ctx, plan, stages, won, names, abroad)
        _log_deal_activities(ctx, deal, plan)


def _deal_accounts(ctx: DemoContext, count: int) -> list[Account]:
    """Every account gets a deal; the rest go mostly to strategic and key accounts."""
    accounts = list(ctx.accounts.values())
    chosen = ctx.rng.sample(accounts, len(accounts))
    weights = [_TIER_WEIGHT[a.tier] for a in accounts]
    chosen += ctx.rng.choices(accounts, weights=weights, k=count - len(chosen))
    return chosen


def _owner(ctx: DemoContext, account: Account) -> User:
    roll = ctx.rng.random()
    if roll < 0.8:
        return account.owner
    if roll < 0.92 or account.tier == "standard":
        other = "sofia" if account.owner.username == "sam" else "sam"
        return ctx.users[other]
    return ctx.users["eve"]


def _plan(ctx: DemoContext, account, outcome: str, position: int, nurture: bool) -> DealPlan:
    rng = ctx.rng
    if outcome == "open":
        offset = rng.randint(3, 180) if rng.random() > 0.05 else -rng.randint(2, 20)
        final = ctx.today + dt.timedelta(days=offset)
    else:
        final = ctx.days_ago(rng.randint(5, 360))
    dates, reasons = [final], []
    changes = 0 if rng.random() < 0.5 else rng.choice((1, 1, 2, 2, 3))
    for _ in range(changes):
        if rng.random() < 0.12:
            dates.insert(0, dates[0] + dt.timedelta(days=rng.randint(10, 30)))
            reasons.insert(0, rng.choice(PULL_REASONS))
        else:
            dates.insert(0, dates[0] - dt.timedelta(days=rng.randint(14, 75)))
            reasons.insert(0, rng.choice(PUSH_REASONS))
    # Deals further down the pipeline (or moved more often) have been open longer.
    worked = ctx.days_ago(rng.randint(5, 40) + 10 * (position + changes))
    created = min(min(dates) - dt.timedelta(days=rng.randint(20, 120)), worked)
    return DealPlan(
        account=account,
        owner=_owner(ctx, account),
        outcome=outcome,
        position=position,
        nurture=nurture,
        created=created,
        dates=dates,
        reasons=reasons,
        end=ctx.today if outcome == "open" else final,
    )


def _deal_name(ctx: DemoContext, plan: DealPlan, used: dict) -> tuple[str, str, Decimal, dt.date]:
    """Pick what the deal sells; name it so one account never has two deals of one name."""
    rng = ctx.rng
    templates = DEAL_TEMPLATES[plan.account.industry]
    fresh = [t for t in templates if not any(n.startswith(t[0]) for n in used[plan.account.pk])]
    name, project_type, low, high = rng.choice(fresh or templates)
    amount = Decimal(rng.randint(low // 500, high // 500) * 500)
    lead_low, lead_high = _DELIVERY_LEAD[project_type]
    delivery = plan.dates[-1] + dt.timedelta(days=rng.randint(lead_low, lead_high))
    if project_type == "event_staging":
        name = f"{name} {delivery.year}"
    base, phase = name, 1
    while name in used[plan.account.pk]:
        phase += 1
        name = f"{base} — phase {phase}"
    used[plan.account.pk].add(name)
    return name, project_type, amount, delivery


def _forecast(plan: DealPlan) -> str:
    if plan.outcome == "won":
        return "commit"
    if plan.outcome == "lost" or plan.nurture:
        return "omitted"
    return {1: "pipeline", 2: "pipeline", 3: "best_case", 4: "best_case"}.get(
        plan.position, "commit"
    )


def _play(ctx: DemoContext, plan: DealPlan, stages, won: Stage, names: dict, abroad: dict) -> Deal:
    """Create the deal on its first day and replay its moves and close-date changes. The first
    open show is staged in Toronto and quoted in Canadian dollars, so the board shows a second
    currency beside the company's."""
    rng = ctx.rng
    name, project_type, amount, delivery = _deal_name(ctx, plan, names)
    currency = ""
    if not abroad["done"] and plan.outcome == "open" and project_type == "event_staging":
        name, currency, abroad["done"] = f"{name} — Toronto", "CAD", True
    deal = do_create_deal(
        plan.owner,
        name=name,
        account=plan.account,
        owner=plan.owner,
        target_close_date=plan.dates[0],
        amount=amount,
        currency=currency,
        project_type=project_type,
        source=rng.choices(_SOURCES, weights=_SOURCE_WEIGHTS)[0],
        forecast_category=_forecast(plan),
        requested_delivery_date=delivery,
        next_step=rng.choice(NEXT_STEPS[plan.position]) if plan.outcome == "open" else "",
        now=ctx.at(plan.created),
    )
    changes = [
        ("change", (new, why)) for new, why in zip(plan.dates[1:], plan.reasons, strict=True)
    ]
    moves = [("move", stage) for stage in stages[1 : plan.position]]
    steps = changes + moves
    rng.shuffle(steps)
    # Changes keep their order, and so do moves: only how they interleave is random.
    changes_iter, moves_iter = iter(changes), iter(moves)
    steps = [next(changes_iter) if kind == "change" else next(moves_iter) for kind, _ in steps]
    span = (plan.end - plan.created).days
    days = sorted(rng.sample(range(1, span), len(steps)))
    # A seller moves a close date before it passes, never to a day already gone (the app
    # refuses that unless confirmed): each change happens by its new date, earlier steps
    # no later than the ones after them.
    latest = span
    for index in reversed(range(len(steps))):
        kind, payload = steps[index]
        if kind == "change":
            latest = min(latest, (payload[0] - plan.created).days)
        days[index] = latest = max(1, min(days[index], latest))
    for offset, (kind, payload) in zip(days, steps, strict=True):
        when = ctx.at(plan.created + dt.timedelta(days=offset))
        if kind == "change":
            deal = do_change_close_date(deal, plan.owner, payload[0], payload[1], now=when)
        else:
            deal = do_move_deal(deal, plan.owner, payload, now=when)
    closing = ctx.at(plan.end, hour=16)
    if plan.outcome == "won":
        deal = do_move_deal(deal, plan.owner, won, now=closing)
    elif plan.outcome == "lost":
        reason = rng.choices(list(LOST_NOTES), weights=_LOST_WEIGHTS)[0]
        note = rng.choice(LOST_NOTES[reason])
        deal = do_mark_lost(deal, plan.owner, reason=reason, note=note, now=closing)
    elif plan.nurture:
        last = plan.created + dt.timedelta(days=days[-1] if days else 0)
        since = last + dt.timedelta(days=rng.randint(1, max(1, (ctx.today - last).days)))
        deal = do_nurture(deal, plan.owner, rng.choice(NURTURE_NOTES), now=ctx.at(since))
    return deal


def _log(ctx, account, author, day, kind, subject, body, *, deal=None, attendees=()):
    people = ctx.people_at(account, day)
    contacts = ctx.rng.sample(people, min(len(people), ctx.rng.randint(1, 2)))
    fill = {
        "contact": contacts[0].full_name if contacts else "the customer",
        "deal": deal.name if deal else "the next project",
        "account": account.name,
        "pm": "Pat",
    }
    return do_log_activity(
        author,
        account=account,
        kind=kind,
        subject=subject.format(**fill)[:200],
        body=body.format(**fill),
        occurred_at=ctx.at(day),
        deal=deal,
        contacts=contacts,
        attendees=attendees,
    )


def _log_deal_activities(ctx: DemoContext, deal: Deal, plan: DealPlan) -> None:
    rng = ctx.rng
    count = rng.choice((1, 2, 2, 3))
    span = max(1, (plan.end - plan.created).days)
    for offset in sorted(rng.sample(range(span), min(count, span))):
        kind = rng.choices(_KINDS, weights=_KIND_WEIGHTS)[0]
        subject, body = rng.choice(ACTIVITY_TEMPLATES[kind])
        attendees = {
            "meeting": [plan.owner, ctx.users["pat"]],
            "call": [plan.owner],
        }.get(kind, [])
        day = plan.created + dt.timedelta(days=offset)
        _log(
            ctx, plan.account, plan.owner, day, kind, subject, body, deal=deal, attendees=attendees
        )


def create_account_activities(ctx: DemoContext) -> None:
    """Log account-level news: reviews and catch-ups, who left, who moved where."""
    rng = ctx.rng
    for account in ctx.accounts.values():
        for kind, subject, body in rng.sample(ACCOUNT_TEMPLATES, rng.randint(0, 2)):
            author = ctx.users["pat"] if "{pm}" in body else account.owner
            attendees = [account.owner] if kind in ("meeting", "call") else []
            day = ctx.days_ago(rng.randint(10, 400))
            _log(ctx, account, author, day, kind, subject, body, attendees=attendees)
    for contact, source, target, moved_on in ctx.moves:
        old = source.stakeholders.filter(contact=contact).get()
        new = target.stakeholders.filter(contact=contact).get()
        do_log_activity(
            source.owner,
            account=source,
            kind="note",
            subject=f"{contact.full_name} has moved to {target.name}",
            body=f"{contact.first_name} told us they start as {new.title} at {target.name}. "
            f"Ask who takes over as {old.title} here.",
            occurred_at=ctx.at(moved_on - 7 * _DAY),
            contacts=[contact],
        )
        do_log_activity(
            target.owner,
            account=target,
            kind="call",
            subject=f"Welcome call with {contact.full_name}",
            body=f"{contact.first_name} was {old.title} at {source.name} and knows our work "
            "there. Wants to hear what we could do for their main spaces; intro meeting next.",
            occurred_at=ctx.at(min(moved_on + 14 * _DAY, ctx.today)),
            contacts=[contact],
            attendees=[target.owner],
        )
    for contact, account, left_on in ctx.leavers:
        do_log_activity(
            account.owner,
            account=account,
            kind="note",
            subject=f"{contact.full_name} has left {account.name}",
            body="Their email bounced; reception confirmed they left. Find out who owns AV "
            "decisions now.",
            occurred_at=ctx.at(min(left_on + 3 * _DAY, ctx.today)),
            contacts=[contact],
        )


def create_exhibit_booth_deal(ctx: DemoContext, stages: list[Stage]) -> Deal:
    """The article's booth: a curved LED screen all the way round, 15 feet up, then half."""
    account = ctx.accounts["Kestrel Robotics"]
    sam, pat = ctx.users["sam"], ctx.users["pat"]
    champion = ctx.people_at(account, ctx.today)[1]
    deal = do_create_deal(
        sam,
        name=EXHIBIT_BOOTH,
        account=account,
        owner=sam,
        target_close_date=ctx.today + 30 * _DAY,
        amount=Decimal("340000"),
        project_type="event_staging",
        source="inbound",
        forecast_category="best_case",
        requested_delivery_date=ctx.today + 110 * _DAY,
        next_step="Pat re-pricing the half-booth option; send both budget ranges by Friday",
        now=ctx.at(ctx.days_ago(45), hour=9),
    )
    deal = do_move_deal(deal, sam, stages[1], now=ctx.at(ctx.days_ago(40), hour=15))
    deal = do_move_deal(deal, sam, stages[2], now=ctx.at(ctx.days_ago(30), hour=11))
    deal = do_change_close_date(
        deal,
        sam,
        ctx.today + 52 * _DAY,
        "Customer asked for a half-booth option before deciding; Pat is re-estimating.",
        now=ctx.at(ctx.days_ago(28), hour=10),
    )
    lines = [
        (
            "call",
            44,
            "Booth concept call",
            [sam],
            "They want a giant curved LED screen that "
            "goes all the way around the booth, 15 feet up in the air. Told them: yes, we can do "
            "that. Let me talk to my team.",
        ),
        (
            "meeting",
            40,
            "Booth scoping with Pat",
            [sam, pat, ctx.users["lena.fischer"], ctx.users["tomas.silva"]],
            "Pat: let's figure out dimensions, then get hardware "
            "costs for the LED, consult a rigging expert and ask the union rep how many people "
            "for how long. Lena on LED, Tomás on rigging.",
        ),
        (
            "email",
            30,
            "Budget range for the full 360° booth",
            [],
            "Sent the budget range: "
            "$357k–$392k for the full wrap, LED, rigging and union labour included. They went "
            "quiet for a day, then asked: what if we did it on half the booth?",
        ),
        (
            "note",
            28,
            "Half-booth option requested",
            [],
            "Back through the process with Pat: "
            "a 180° wrap at the same height. Second budget range due before their marketing "
            "review.",
        ),
    ]
    for kind, days, subject, attendees, body in lines:
        do_log_activity(
            pat if kind == "note" else sam,
            account=account,
            kind=kind,
            subject=subject,
            body=body,
            occurred_at=ctx.at(ctx.days_ago(days)),
            deal=deal,
            contacts=[champion],
            attendees=attendees,
        )
    return deal
