"""The demo company, Northlight AV & Staging: its people, customers, contacts and stakeholders.

Everything is written through the services, so seeding exercises the code paths a user's
clicks do. The shape is fixed by one random seed; dates count back and forward from the day
the demo is seeded. Deals and activities are in demo_deals.py, close plans in demo_plans.py.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tandem.crm.models import Account, Contact, Stakeholder
from tandem.crm.services import (
    do_add_stakeholder,
    do_create_account,
    do_create_contact,
    do_end_stakeholder,
    do_move_stakeholder,
)
from tandem.demo.names import (
    CITY_BY_NAME,
    DEMO_ACCOUNTS,
    FIRST_NAMES,
    LAST_NAMES,
    STREETS,
    TITLES,
)
from tandem.people.models import Role, User
from tandem.people.services import do_create_user

RANDOM_SEED = 20_240_611
DEMO_PASSWORD = "demo"
COMPANY = "Northlight AV & Staging"
CONTACT_COUNT = 150

# The people who sign in: (username, role, display name, title).
DEMO_LOGINS = [
    ("sam", Role.SELLER, "Sam Rivera", "Account Manager"),
    ("sofia", Role.SELLER, "Sofia Chen", "Senior Account Manager"),
    ("pat", Role.PROJECT_MANAGER, "Pat Okafor", "Senior Project Manager"),
    ("rory", Role.RESOURCE_MANAGER, "Rory Byrne", "Resource Manager"),
    ("fin", Role.FINANCE, "Fin Larsen", "Finance Manager"),
    ("eve", Role.EXECUTIVE, "Eve Marshall", "Managing Director"),
    ("admin", Role.ADMIN, "Ada Novak", "Systems Administrator"),
]

# Crew we schedule but who do not sign in: (username, display name, title).
DEMO_CREW = [
    ("marcus.bell", "Marcus Bell", "Lead AV Technician"),
    ("jo.alvarez", "Jo Alvarez", "AV Technician"),
    ("priya.nair", "Priya Nair", "Control Systems Programmer"),
    ("owen.walsh", "Owen Walsh", "Lighting Programmer"),
    ("tomas.silva", "Tomás Silva", "Head Rigger"),
    ("kenji.mori", "Kenji Mori", "Rigger"),
    ("lena.fischer", "Lena Fischer", "LED Technician"),
    ("dev.patel", "Dev Patel", "LED Technician"),
    ("grace.kim", "Grace Kim", "Audio Engineer"),
]

# Stakeholders who changed jobs: the champion of the first account moved to the second.
# (from account, to account, new title, new influence)
# fmt: off
DEMO_MOVES = [
    ("Harborview Convention Center", "Riverbend Performing Arts Center", "Director of Operations", "decision_maker"),
    ("Grand Meridian Hotel", "The Aldridge Hotel & Conference Centre", "Director of Catering & Events", "champion"),
    ("Cascade Federal Credit Union", "Keystone Insurance", "Director of Workplace Technology", "champion"),
    ("Lakeshore University", "Evergreen State University", "Director of Academic Technology", "champion"),
    ("Ironclad Software", "Kestrel Robotics", "Director of Field Marketing", "decision_maker"),
]
# fmt: on
LEAVER_COUNT = 10

_TIER_WEIGHT = {"strategic": 3.0, "key": 1.8, "standard": 1.0}
_CONTACT_NOTES = [
    "Prefers a text message to email.",
    "Met at InfoComm; came up through touring production.",
    "Signs off anything over $50k with the CFO.",
    "Out every Friday in summer.",
    "Knows our crew from the last install; ask for Marcus on site.",
    "Likes a one-page summary before any meeting.",
]


@dataclass
class Period:
    """One stakeholder period as the deal and activity builders need it."""

    contact: Contact
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class DemoContext:
    """What each step of the demo seeding hands to the next."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    users: dict[str, User] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    periods: dict[int, list[Period]] = field(default_factory=dict)
    moves: list[tuple[Contact, Account, Account, dt.date]] = field(default_factory=list)
    leavers: list[tuple[Contact, Account, dt.date]] = field(default_factory=list)

    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        """An aware datetime on `day` in working hours, never later than now."""
        hour = self.rng.randint(8, 17) if hour is None else hour
        minute = self.rng.choice((0, 15, 30, 45))
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(when, self.now - dt.timedelta(minutes=5))

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def people_at(self, account: Account, day: dt.date) -> list[Contact]:
        return [p.contact for p in self.periods.get(account.pk, []) if p.covers(day)]


def seed_demo(stdout=None) -> DemoContext:
    """Build the whole demo company in one transaction and return what was made."""
    from tandem.demo.catalog import create_catalog
    from tandem.demo.deals import create_account_activities, create_deals
    from tandem.demo.estimates import create_estimates
    from tandem.demo.past_projects import create_past_projects
    from tandem.demo.plans import create_close_plans

    now = timezone.now()
    ctx = DemoContext(rng=random.Random(RANDOM_SEED), today=timezone.localdate(now), now=now)
    with transaction.atomic():
        create_people(ctx)
        create_accounts(ctx)
        create_contacts(ctx)
        record_leavers(ctx)
        record_moves(ctx)
        create_deals(ctx)
        create_account_activities(ctx)
        create_close_plans(ctx)
        create_catalog(ctx)
        create_past_projects(ctx)
        create_estimates(ctx)
    if stdout is not None:
        stdout.write(
            f"{COMPANY}: {len(ctx.users)} people, {len(ctx.accounts)} accounts, "
            f"{Contact.objects.count()} contacts, {Stakeholder.objects.count()} stakeholder "
            f"periods.\n"
        )
    return ctx


def create_people(ctx: DemoContext) -> None:
    """Create the sign-ins and the crew; anyone who exists already is kept as they are."""
    people = [(u, role, name, title, DEMO_PASSWORD) for u, role, name, title in DEMO_LOGINS]
    people += [(u, Role.CREW, name, title, None) for u, name, title in DEMO_CREW]
    existing = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in people])}
    for username, role, name, title, password in people:
        if username in existing:
            ctx.users[username] = existing[username]
            continue
        first, last = name.split(" ", 1)
        ctx.users[username] = do_create_user(
            username,
            role=role,
            password=password,
            display_name=name,
            title=title,
            email=f"{username}@northlight.example",
            first_name=first,
            last_name=last,
            is_superuser=role == Role.ADMIN,
        )


def create_accounts(ctx: DemoContext) -> None:
    rng = ctx.rng
    for name, industry, tier, status, city, domain, owner in DEMO_ACCOUNTS:
        city, region, _area, postal_code = CITY_BY_NAME[city]
        account = do_create_account(
            ctx.users[owner],
            name=name,
            industry=industry,
            tier=tier,
            status=status,
            website=f"https://www.{domain}",
            owner=ctx.users[owner],
            street=f"{rng.randint(10, 980) * 10} {rng.choice(STREETS)}",
            city=city,
            region=region,
            postal_code=postal_code,
            country="United States",
            created_at=ctx.at(ctx.days_ago(rng.randint(400, 2400))),
        )
        ctx.accounts[name] = account


def contact_counts(tiers: list[str], total: int = CONTACT_COUNT) -> list[int]:
    """Share `total` contacts among accounts by tier, at least two each."""
    weights = [_TIER_WEIGHT[tier] for tier in tiers]
    counts = [max(2, round(total * w / sum(weights))) for w in weights]
    by_weight = sorted(range(len(tiers)), key=lambda i: (-weights[i], i))
    step = 0
    while sum(counts) != total:
        if sum(counts) < total:
            counts[by_weight[step % len(tiers)]] += 1
        else:
            i = by_weight[-1 - step % len(tiers)]
            if counts[i] > 2:
                counts[i] -= 1
        step += 1
    return counts


def _unique_name(rng: random.Random, taken: set[tuple[str, str]]) -> tuple[str, str]:
    while True:
        name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if name not in taken:
            taken.add(name)
            return name


def create_contacts(ctx: DemoContext) -> None:
    """Create the contacts and give each a stakeholder period at one account."""
    rng = ctx.rng
    accounts = list(ctx.accounts.values())
    counts = contact_counts([a.tier for a in accounts])
    taken: set[tuple[str, str]] = set()
    for account, count in zip(accounts, counts, strict=True):
        _city, _region, area, _postal = CITY_BY_NAME[account.city]
        titles = TITLES[account.industry]
        order = titles[:2] + rng.sample(titles[2:], len(titles) - 2)
        for i in range(count):
            first, last = _unique_name(rng, taken)
            local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            domain = account.website.removeprefix("https://www.")
            phones = [f"+1 ({area}) 555-01{rng.randint(0, 99):02d}"]
            if rng.random() < 0.3:
                phones.append(f"+1 ({area}) 555-01{rng.randint(0, 99):02d}")
            started = ctx.days_ago(rng.randint(420, 2200) if i < 2 else rng.randint(60, 2200))
            contact = do_create_contact(
                account.owner,
                first_name=first,
                last_name=last,
                emails=[f"{local}@{domain}"],
                phones=phones,
                notes=rng.choice(_CONTACT_NOTES) if rng.random() < 0.2 else "",
                created_at=ctx.at(started),
            )
            title, influence = order[i % len(order)]
            do_add_stakeholder(
                account.owner,
                contact=contact,
                account=account,
                start_date=started,
                title=title,
                influence=influence,
            )
            ctx.periods.setdefault(account.pk, []).append(Period(contact, started, None))


def _period(ctx: DemoContext, account: Account, contact: Contact) -> Period:
    return next(p for p in ctx.periods[account.pk] if p.contact.pk == contact.pk)


def record_moves(ctx: DemoContext) -> None:
    """Move each DEMO_MOVES champion to their new account (one Contact, two periods)."""
    for from_name, to_name, title, influence in DEMO_MOVES:
        source, target = ctx.accounts[from_name], ctx.accounts[to_name]
        stakeholder = (
            Stakeholder.objects.filter(account=source, end_date__isnull=True)
            .select_related("contact")
            .order_by("id")[1]
        )
        moved_on = ctx.days_ago(ctx.rng.randint(30, 240))
        do_move_stakeholder(
            stakeholder,
            source.owner,
            to_account=target,
            moved_on=moved_on,
            title=title,
            influence=influence,
        )
        contact = stakeholder.contact
        _period(ctx, source, contact).end = moved_on - dt.timedelta(days=1)
        ctx.periods.setdefault(target.pk, []).append(Period(contact, moved_on, None))
        ctx.moves.append((contact, source, target, moved_on))


def record_leavers(ctx: DemoContext) -> None:
    """End the periods of a few people who left their organisation (and went nowhere we know)."""
    rng = ctx.rng
    moving_from = {ctx.accounts[m[0]].pk for m in DEMO_MOVES}
    candidates = list(
        Stakeholder.objects.filter(start_date__lte=ctx.days_ago(200))
        .exclude(account_id__in=moving_from)
        .select_related("contact", "account")
        .order_by("id")
    )
    # Keep each account's decision maker and champion so every account has someone to call.
    firsts = {}
    for stakeholder in Stakeholder.objects.order_by("id"):
        firsts.setdefault(stakeholder.account_id, []).append(stakeholder.pk)
    candidates = [s for s in candidates if s.pk not in firsts[s.account_id][:2]]
    for stakeholder in rng.sample(candidates, min(LEAVER_COUNT, len(candidates))):
        gap = (ctx.today - stakeholder.start_date).days
        left_on = ctx.days_ago(rng.randint(15, min(gap - 1, 400)))
        do_end_stakeholder(stakeholder, stakeholder.account.owner, left_on)
        _period(ctx, stakeholder.account, stakeholder.contact).end = left_on
        ctx.leavers.append((stakeholder.contact, stakeholder.account, left_on))
