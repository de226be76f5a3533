"""A large data set for benchmarks: 50,000 accounts, 200,000 contacts, 100,000 deals.

Rows go in with bulk_create in batches, not through the services: it would take hours
otherwise. So history tables stay empty and rows are not validated one by one; the generator
keeps to the same rules the services enforce (periods end after they start, close dates after
the deal was created, closed deals have a close day). Counts are arguments, so a test can build
the same shape at 1/1000 of the size.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from tandem.core.seed.names import FIRST_NAMES, LAST_NAMES, ORG_KINDS, ORG_WORDS, TITLES
from tandem.core.seed.phrases import DEAL_TEMPLATES, LOST_NOTES, NEXT_STEPS, PUSH_REASONS
from tandem.crm.models import Account, Contact, ContactEmail, Stakeholder
from tandem.people.models import Role, User
from tandem.people.services import do_create_user
from tandem.pipeline.models import CloseDateChange, Deal, Stage

RANDOM_SEED = 50_000
BATCH_SIZE = 5_000
SELLER_PASSWORD = "demo"  # for seller01 only, so someone can sign in and look around


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind the large data set has."""

    accounts: int = 50_000
    contacts: int = 200_000
    deals: int = 100_000
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
            if any(f.many_to_one and f.related_model in found for f in model._meta.concrete_fields):
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

    with transaction.atomic():
        sellers = [u.pk for u in _sellers(scale.sellers)]
        accounts = _create_accounts(rng, scale, sellers, now, batch_size)
        say(f"{len(accounts.ids):,} accounts")
        counts = _create_contacts(rng, scale, accounts, today, now, batch_size)
        say(f"{counts['contacts']:,} contacts and {counts['stakeholders']:,} stakeholders")
        counts.update(_create_deals(rng, scale, accounts, sellers, today, now, batch_size))
        say(f"{counts['deals']:,} deals and {counts['close_date_changes']:,} close-date changes")
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
