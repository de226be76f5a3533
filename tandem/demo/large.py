"""A large data set for benchmarks: 50,000 accounts, 200,000 contacts, 170,000 deals of
which about 100,000 are open, each open deal with a close plan of 10 steps.

Rows go in with bulk_create in batches (plan steps, a million of them, with plain INSERTs or
PostgreSQL's COPY), not through the services: it would take hours otherwise. So history tables
stay empty and rows are not validated one by one; the generator keeps to the same rules the
services enforce (periods end after they start, close dates after the deal was created, closed
deals have a close day, no step due after its close date, customer steps carry their value,
blocked steps say why). Plan health is then set by the service that refreshes it every
morning. Counts are arguments, so a test can build the same shape at 1/1000 of the size.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from tandem.closeplans.logic import StepSpec, schedule_backwards
from tandem.closeplans.models import (
    ClosePlan,
    Health,
    PlanStep,
    PlanTemplate,
    Side,
    StepStatus,
    UpdateVia,
)
from tandem.closeplans.services import do_create_template_with_steps, refresh_all_health
from tandem.core.calendar import company_calendar
from tandem.crm.models import Account, Contact, ContactEmail, Stakeholder
from tandem.demo.names import FIRST_NAMES, LAST_NAMES, ORG_KINDS, ORG_WORDS, TITLES
from tandem.demo.phrases import DEAL_TEMPLATES, LOST_NOTES, NEXT_STEPS, PUSH_REASONS
from tandem.demo.plans import BLOCKERS, EXTRA_STEPS, PLAN_TEMPLATES
from tandem.people.models import Role, User
from tandem.people.services import do_create_user
from tandem.pipeline.models import CloseDateChange, Deal, Stage

RANDOM_SEED = 50_000
BATCH_SIZE = 5_000
SQLITE_CACHE_KB = 256 * 1024
SELLER_PASSWORD = "demo"  # for seller01 only, so someone can sign in and look around


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind the large data set has."""

    accounts: int = 50_000
    contacts: int = 200_000
    # 60% of the deals are open: about 100,000 open deals, each with a close plan.
    deals: int = 170_000
    sellers: int = 20

    def times(self, factor: float) -> "Scale":
        return Scale(
            accounts=max(1, round(self.accounts * factor)),
            contacts=max(1, round(self.contacts * factor)),
            deals=max(1, round(self.deals * factor)),
            sellers=self.sellers if factor >= 0.01 else min(self.sellers, 3),
        )


FULL = Scale()
_TIERS, _TIER_WEIGHTS = ["strategic", "key", "standard"], [5, 20, 75]
_STATUSES, _STATUS_WEIGHTS = ["prospect", "customer", "former", "partner"], [45, 45, 6, 4]
_SOURCES = ["existing", "referral", "inbound", "outbound", "partner", "trade_show"]
# How many times a deal's close date moved: 1.5 on average.
_CHANGES, _CHANGE_WEIGHTS = [0, 1, 2, 3, 4], [30, 25, 20, 15, 10]
_FORECAST = {1: "pipeline", 2: "pipeline", 3: "best_case", 4: "best_case", 5: "commit"}


def data_exists() -> bool:
    return Account.objects.exists() or Contact.objects.exists() or Deal.objects.exists()


def _sales_models() -> list[type[models.Model]]:
    """Accounts, contacts and deals, every table that points at them, and their history."""
    found: list[type[models.Model]] = [Account, Contact, Deal]
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in found or model._meta.proxy:
                continue
            if any(
                (f.many_to_one or f.one_to_one) and f.related_model in found
                for f in model._meta.concrete_fields
            ):
                found.append(model)
                changed = True
    for model in list(found):
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model") and history.model not in found:
            found.append(history.model)
    return found


def delete_sales_data() -> None:
    """Empty every table of sales data with plain SQL (no signals, no history rows written).

    Foreign keys are checked at commit on SQLite and PostgreSQL, so the order of the DELETEs
    does not matter inside the transaction; PostgreSQL truncates them all in one statement.
    """
    tables = [connection.ops.quote_name(m._meta.db_table) for m in reversed(_sales_models())]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in the same transaction leave deferred foreign-key checks
            # pending, and TRUNCATE refuses to run past them: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's table, not input


class _Batcher:
    """Collect rows and bulk_create them BATCH_SIZE at a time; remember the new ids."""

    def __init__(self, model, batch_size: int, keep_ids: bool = False):
        self.model, self.batch_size, self.keep_ids = model, batch_size, keep_ids
        self.rows: list = []
        self.ids: list[int] = []
        self.count = 0

    def add(self, row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> list:
        rows, self.rows = self.rows, []
        if rows:
            self.model.objects.bulk_create(rows, batch_size=self.batch_size)
            self.count += len(rows)
            if self.keep_ids:
                self.ids.extend(row.pk for row in rows)
        return rows


@dataclass
class _Accounts:
    """What the contact and deal generators need to know about each account, by index."""

    ids: list[int]
    industries: list[str]
    owners: list[int]

    def pick(self, index: int, rng: random.Random, sellers: list[int]) -> tuple[int, str, int]:
        """The account's id, industry and a deal owner: mostly the account's owner."""
        owner = self.owners[index] if rng.random() < 0.8 else rng.choice(sellers)
        return self.ids[index], self.industries[index], owner


def _sellers(count: int) -> list[User]:
    sellers = []
    for n in range(1, count + 1):
        username = f"seller{n:02d}"
        user = User.objects.filter(username=username).first() or do_create_user(
            username,
            role=Role.SELLER,
            password=SELLER_PASSWORD if n == 1 else None,
            display_name=f"{FIRST_NAMES[n * 7 % len(FIRST_NAMES)]} {LAST_NAMES[n * 11 % len(LAST_NAMES)]}",  # noqa: E501
            email=f"{username}@northlight.example",
        )
        sellers.append(user)
    return sellers


def _skewed(rng: random.Random, count: int) -> int:
    """An index into `count` items where the first 5% (the big accounts) get 30% of the hits."""
    big = max(1, count // 20)
    return rng.randrange(big) if rng.random() < 0.3 else rng.randrange(count)


def seed_large(
    scale: Scale = FULL,
    *,
    batch_size: int = BATCH_SIZE,
    seed: int = RANDOM_SEED,
    stdout=None,
) -> dict[str, int]:
    """Bulk-create the large data set in one transaction and return the row counts.

    The caller must make sure no sales data exists (see data_exists / delete_sales_data).
    """
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(f"{time.monotonic() - started:6.1f}s  {message}\n")

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A million plan steps' indexes outgrow SQLite's default 2 MB page cache.
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    with transaction.atomic():
        sellers = [u.pk for u in _sellers(scale.sellers)]
        accounts = _create_accounts(rng, scale, sellers, now, batch_size)
        say(f"{len(accounts.ids):,} accounts")
        counts = _create_contacts(rng, scale, accounts, today, now, batch_size)
        say(f"{counts['contacts']:,} contacts and {counts['stakeholders']:,} stakeholders")
        counts.update(_create_deals(rng, scale, accounts, sellers, today, now, batch_size))
        say(f"{counts['deals']:,} deals and {counts['close_date_changes']:,} close-date changes")
        counts.update(create_plans(rng, today, now, batch_size))
        say(f"{counts['plans']:,} close plans with {counts['plan_steps']:,} steps")
    changed = refresh_all_health(today)
    say(f"health of {changed:,} plans judged")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["accounts"] = len(accounts.ids)
    return counts


def _create_accounts(rng, scale: Scale, sellers: list[int], now, batch_size) -> _Accounts:
    batcher = _Batcher(Account, batch_size, keep_ids=True)
    industries, owners = [], []
    cities = [
        ("Chicago", "IL"),
        ("Denver", "CO"),
        ("Dallas", "TX"),
        ("Seattle", "WA"),
        ("Atlanta", "GA"),
        ("Boston", "MA"),
        ("Nashville", "TN"),
        ("Phoenix", "AZ"),
        ("Columbus", "OH"),
        ("Minneapolis", "MN"),
        ("Orlando", "FL"),
        ("New York", "NY"),
    ]
    for i in range(scale.accounts):
        first, second = rng.choice(ORG_WORDS), rng.choice(ORG_WORDS)
        kind, industry = rng.choice(ORG_KINDS)
        city, region = rng.choice(cities)
        owner = rng.choice(sellers)
        industries.append(industry)
        owners.append(owner)
        batcher.add(
            Account(
                name=f"{first} {second} {kind}" if first != second else f"{first} {kind}",
                industry=industry,
                website=f"https://www.{first.lower()}{second.lower()}{i}.example",
                owner_id=owner,
                tier=rng.choices(_TIERS, _TIER_WEIGHTS)[0],
                status=rng.choices(_STATUSES, _STATUS_WEIGHTS)[0],
                city=city,
                region=region,
                country="United States",
                created_at=now - dt.timedelta(days=rng.randint(30, 2000)),
            )
        )
    batcher.flush()
    return _Accounts(batcher.ids, industries, owners)


def _create_contacts(rng, scale: Scale, accounts: _Accounts, today, now, batch_size) -> dict:
    """Contacts with one email each and one stakeholder period (10% of them ended)."""
    contacts = _Batcher(Contact, batch_size)
    emails = _Batcher(ContactEmail, batch_size)
    stakeholders = _Batcher(Stakeholder, batch_size)

    def flush() -> None:
        for contact, (email, account_index, started) in zip(contacts.flush(), pending, strict=True):
            emails.add(
                ContactEmail(contact_id=contact.pk, email=email, label="work", is_primary=True)
            )
            title, influence = rng.choice(TITLES[accounts.industries[account_index]])
            ended = None
            if rng.random() < 0.1:
                ended = started + dt.timedelta(days=rng.randint(1, (today - started).days))
            stakeholders.add(
                Stakeholder(
                    contact_id=contact.pk,
                    account_id=accounts.ids[account_index],
                    title=title,
                    influence=influence,
                    start_date=started,
                    end_date=ended,
                    created_at=now,
                )
            )
        pending.clear()

    pending: list[tuple[str, int, dt.date]] = []
    for i in range(scale.contacts):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        started = today - dt.timedelta(days=rng.randint(30, 2500))
        account_index = _skewed(rng, len(accounts.ids))
        pending.append((f"{first}.{last}{i}@example.com".lower(), account_index, started))
        contacts.rows.append(
            Contact(first_name=first, last_name=last, created_at=now - (today - started))
        )
        if len(contacts.rows) >= batch_size:
            flush()
    flush()
    emails.flush()
    stakeholders.flush()
    return {"contacts": contacts.count, "emails": emails.count, "stakeholders": stakeholders.count}


def _create_deals(rng, scale, accounts: _Accounts, sellers, today, now, batch_size) -> dict:
    """Deals over every stage with close dates a year either side of today, and their moves."""
    stages = list(Stage.objects.order_by("order"))
    open_stages = [s for s in stages if not s.is_closed]
    won = next(s for s in stages if s.is_won)
    lost = next(s for s in stages if s.is_lost)
    # 60% open (fewer in each later stage), 22% won, 18% lost.
    choices = open_stages + [won, lost]
    open_weights = [max(2, 15 - 2 * i) for i in range(len(open_stages))]
    weights = [w * 60 / sum(open_weights) for w in open_weights] + [22, 18]
    positions = {stage.pk: i for i, stage in enumerate(open_stages, start=1)}
    deals = _Batcher(Deal, batch_size)
    changes = _Batcher(CloseDateChange, batch_size)
    moves: list[list[tuple[dt.datetime, dt.date, dt.date]]] = []  # per pending deal

    def flush() -> None:
        for deal, deal_moves in zip(deals.flush(), moves, strict=True):
            for when, old, new in deal_moves:
                changes.add(
                    CloseDateChange(
                        deal_id=deal.pk,
                        changed_by_id=deal.owner_id,
                        changed_at=when,
                        old_date=old,
                        new_date=new,
                        reason=rng.choice(PUSH_REASONS),
                    )
                )
        moves.clear()

    for _ in range(scale.deals):
        index = _skewed(rng, len(accounts.ids))
        stage = rng.choices(choices, weights)[0]
        closed = stage.is_closed
        close = today + dt.timedelta(days=-rng.randint(1, 365) if closed else rng.randint(-30, 365))
        dates = [close]
        for _ in range(rng.choices(_CHANGES, _CHANGE_WEIGHTS)[0]):
            dates.insert(0, dates[0] - dt.timedelta(days=rng.randint(14, 75)))
        created = min(
            now - dt.timedelta(days=1), _at(dates[0]) - dt.timedelta(days=rng.randint(10, 120))
        )
        # Each change happened some time between the deal's creation and its close (or now).
        span = (min(now, _at(close)) - created).total_seconds()
        times = sorted(created + dt.timedelta(seconds=rng.random() * span) for _ in dates[1:])
        moves.append(list(zip(times, dates[:-1], dates[1:], strict=True)))
        position = positions.get(stage.pk, 0)
        deals.rows.append(
            _deal(rng, stage, position, accounts.pick(index, rng, sellers), close, created, today)
        )
        if len(deals.rows) >= batch_size:
            flush()
    flush()
    changes.flush()
    return {"deals": deals.count, "close_date_changes": changes.count}


def _deal(rng, stage: Stage, position: int, account: tuple, close, created, today) -> Deal:
    """One deal row; `position` is the open stage's place in the pipeline (0 when closed)."""
    account_id, industry, owner_id = account
    closed = stage.is_closed
    name, project_type, _low, _high = rng.choice(DEAL_TEMPLATES[industry])
    nurture = not closed and rng.random() < 0.03
    lost_reason = rng.choice(list(LOST_NOTES)) if stage.is_lost else ""
    if stage.is_lost or nurture:
        forecast = "omitted"
    else:
        forecast = "commit" if stage.is_won else _FORECAST.get(position, "pipeline")
    return Deal(
        name=name,
        account_id=account_id,
        owner_id=owner_id,
        stage_id=stage.pk,
        amount=Decimal(int(8000 + 442_000 * rng.random() ** 2) // 500 * 500),
        currency="USD",
        target_close_date=close,
        probability=stage.probability,
        forecast_category=forecast,
        requested_delivery_date=close + dt.timedelta(days=rng.randint(14, 120)),
        project_type=project_type,
        source=rng.choice(_SOURCES),
        next_step=rng.choice(NEXT_STEPS.get(position, NEXT_STEPS[5])) if not closed else "",
        closed_on=close if closed else None,
        lost_reason=lost_reason,
        lost_note=rng.choice(LOST_NOTES[lost_reason]) if lost_reason else "",
        nurture=nurture,
        nurture_since=today - dt.timedelta(days=rng.randint(1, 90)) if nurture else None,
        created_at=created,
    )


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


# Close plans ---------------------------------------------------------------------------------

PLAN_STEPS = 10
PLAN_SHARE = 0.98  # of open deals; the rest have no plan yet
LARGE_TEMPLATE_NAME = "{name}, enterprise"  # the demo's steps plus reference, legal, insurance
# Rentals and other work borrow the nearest template.
_TEMPLATE_FOR = {"rental": "event_staging", "other": "av_installation"}
_DONE_WHEN_DUE, _BLOCKED_WHEN_DUE = 0.8, 0.1  # steps due before today
_DONE_EARLY, _BLOCKED_AHEAD = 0.04, 0.025  # steps due from today on
_QUIET_MINUTES = 42 * 24 * 60  # open steps were last updated within the past six weeks
_VIA_LINK = 0.15  # of customer steps done: ticked by the customer through the shared link
# Plain strings: the database drivers are given what they would read back.
_OPEN, _DONE, _BLOCKED = StepStatus.OPEN.value, StepStatus.DONE.value, StepStatus.BLOCKED.value
_INTERNAL, _CUSTOMER_LINK = UpdateVia.INTERNAL.value, UpdateVia.CUSTOMER_LINK.value
_US, _CUSTOMER = Side.US.value, Side.CUSTOMER.value


def large_template_steps(project_type: str) -> list[tuple]:
    """A demo template grown to PLAN_STEPS steps: the extra ones go before the budget."""
    _name, _description, steps = PLAN_TEMPLATES[project_type]
    extra = EXTRA_STEPS[: max(0, PLAN_STEPS - len(steps))]
    at = next(i for i, step in enumerate(steps) if step[0] == "Budget approval")
    return [*steps[:at], *extra, *steps[at:]]


def create_large_templates() -> dict[str, PlanTemplate]:
    """The three templates with PLAN_STEPS steps each, by project type (existing ones kept).

    Named apart from the demo company's shorter ones, which may be in the same database.
    """
    templates = {}
    for project_type, (demo_name, description, _steps) in PLAN_TEMPLATES.items():
        name = LARGE_TEMPLATE_NAME.format(name=demo_name)
        template = PlanTemplate.objects.filter(name=name).first()
        if template is None:
            template = do_create_template_with_steps(
                None,
                name=name,
                project_type=project_type,
                description=description,
                steps=large_template_steps(project_type),
            )
        templates[project_type] = template
    return templates


class _RawWriter:
    """Insert rows of one model fast: COPY on PostgreSQL, one executemany elsewhere.

    Rows are tuples in the order of `fields`, their values already in the database's form
    (dates and strings as they are, datetimes through _Clock, JSON through its field).
    """

    def __init__(self, model, fields: tuple[str, ...]):
        ops = connection.ops
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(ops.quote_name(model._meta.get_field(f).column) for f in fields)
        self.marks = ", ".join(["%s"] * len(fields))
        self.count = 0

    def write(self, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.marks})"  # noqa: S608
                cursor.executemany(sql, rows)
        self.count += len(rows)


class _Clock:
    """Moments as whole minutes before `now`, each converted to the database's form once:
    a million steps share a few tens of thousands of distinct minutes."""

    def __init__(self, now: dt.datetime):
        self.now = now.replace(second=0, microsecond=0)
        self._forms: dict[int, object] = {}
        self._days: dict[dt.date, int] = {}

    def minutes_before(self, moment: dt.datetime) -> int:
        return max(0, int((self.now - moment).total_seconds()) // 60)

    def day(self, day: dt.date) -> int:
        """Minutes before now of 10 o'clock on `day` (now, for today or later)."""
        minutes = self._days.get(day)
        if minutes is None:
            minutes = self._days[day] = self.minutes_before(_at(day))
        return minutes

    def form(self, minutes: int):
        value = self._forms.get(minutes)
        if value is None:
            moment = self.now - dt.timedelta(minutes=minutes)
            value = self._forms[minutes] = connection.ops.adapt_datetimefield_value(moment)
        return value


_PLAN_FIELDS = (
    "created_at",
    "updated_at",
    "deal",
    "template",
    "created_by",
    "health",
    "proposed_close",
    "slack_days",
    "health_reasons",
    "health_checked_on",
)
_STEP_FIELDS = (
    "created_at",
    "updated_at",
    "plan",
    "position",
    "title",
    "side",
    "owner_user",
    "owner_contact",
    "due_date",
    "duration_days",
    "value_statement",
    "status",
    "blocker",
    "completed_on",
    "last_update_at",
    "last_update_via",
    "last_update_by",
)


@dataclass(frozen=True)
class _Source:
    """What every plan step copies from its template step."""

    position: int
    title: str
    side: str
    value_statement: str
    blocker: str


def create_plans(rng, today: dt.date, now: dt.datetime, batch_size: int) -> dict:
    """A close plan with PLAN_STEPS steps on most open deals, laid out backwards from each
    deal's close date and worked up to today: steps due before today mostly done, some
    overdue or blocked, a few later ones done early or blocked.

    The plan and step tables must hold no rows of these deals (delete_sales_data empties
    them); health is left for refresh_all_health to judge.
    """
    templates = create_large_templates()
    calendar = company_calendar(today)
    steps_of = {
        project_type: list(template.steps.order_by("position"))
        for project_type, template in templates.items()
    }
    sources = {
        project_type: [
            _Source(
                s.position,
                s.title,
                str(s.side),
                s.value_statement,
                BLOCKERS.get(s.title, "Waiting for the customer to confirm a date"),
            )
            for s in steps
        ]
        for project_type, steps in steps_of.items()
    }
    schedules: dict[tuple[str, dt.date], list] = {}

    def schedule(project_type: str, close: dt.date) -> list:
        key = (project_type, close)
        if key not in schedules:
            specs = [
                StepSpec(s.title, s.side, s.duration_days, s.lead_days)
                for s in steps_of[project_type]
            ]
            planned = schedule_backwards(specs, close, min(today, close), calendar).steps
            schedules[key] = [(p.start, p.due, p.duration_days) for p in planned]
        return schedules[key]

    clock = _Clock(now)
    no_reasons = ClosePlan._meta.get_field("health_reasons").get_db_prep_save([], connection)
    plans, steps = _RawWriter(ClosePlan, _PLAN_FIELDS), _RawWriter(PlanStep, _STEP_FIELDS)
    deals = list(
        Deal.objects.filter(closed_on__isnull=True)
        .order_by("id")
        .values_list("id", "owner_id", "project_type", "target_close_date", "created_at")
    )
    for first in range(0, len(deals), batch_size):
        picked = []
        for deal_id, owner, project_type, close, created in deals[first : first + batch_size]:
            if rng.random() >= PLAN_SHARE:
                continue
            project_type = _TEMPLATE_FOR.get(project_type, project_type)
            dates = schedule(project_type, close)
            # Laid out after the deal was created, before its first step was to start.
            oldest = clock.minutes_before(created)
            newest = min(oldest, clock.day(dates[0][0]))
            made = newest + int((oldest - newest) * rng.random())
            picked.append((deal_id, owner, project_type, dates, made))
        last = ClosePlan.objects.aggregate(last=models.Max("pk"))["last"] or 0
        plans.write(
            [
                (
                    clock.form(made),
                    clock.form(made),
                    deal_id,
                    templates[project_type].pk,
                    owner,
                    Health.ON_TRACK.value,
                    None,
                    None,
                    no_reasons,
                    None,
                )
                for deal_id, owner, project_type, _dates, made in picked
            ]
        )
        ids = dict(ClosePlan.objects.filter(pk__gt=last).values_list("deal_id", "pk"))
        rows = []
        for deal_id, owner, project_type, dates, made in picked:
            plan_id = ids[deal_id]
            for source, step_dates in zip(sources[project_type], dates, strict=True):
                rows.append(_step_row(rng, clock, today, plan_id, owner, source, step_dates, made))
        steps.write(rows)
    return {"plans": plans.count, "plan_steps": steps.count}


def _step_row(rng, clock: _Clock, today, plan_id, owner, source: _Source, dates, made) -> tuple:
    """One plan step as a row of _STEP_FIELDS; `dates` are its start, due and duration and
    `made` the minutes before now the plan was laid out."""
    start, due, duration = dates
    roll = rng.random()
    status, blocker, completed, via, by = _OPEN, "", None, _INTERNAL, owner
    if due < today:
        if roll < _DONE_WHEN_DUE:
            status = _DONE
        elif roll < _DONE_WHEN_DUE + _BLOCKED_WHEN_DUE:
            status = _BLOCKED
    elif roll < _DONE_EARLY:
        status = _DONE
    elif roll < _DONE_EARLY + _BLOCKED_AHEAD:
        status = _BLOCKED
    if status == _DONE:
        span = (due - start).days + 1
        completed = min(start + dt.timedelta(days=int(span * rng.random())), today)
        updated = min(made, clock.day(completed))
        if source.side == _CUSTOMER and rng.random() < _VIA_LINK:
            via, by = _CUSTOMER_LINK, None
    else:
        if status == _BLOCKED:
            blocker = source.blocker
        updated = min(made, int(_QUIET_MINUTES * rng.random()))
    updated = clock.form(updated)
    return (
        clock.form(made),
        updated,
        plan_id,
        source.position,
        source.title,
        source.side,
        owner if source.side == _US else None,
        None,
        due,
        duration,
        source.value_statement,
        status,
        blocker,
        completed,
        updated,
        via,
        by,
    )
