"""The demo company's close plans: its three templates, a plan on most open deals, and one
plan shared with the customer.

Plans are applied on the day the seller would have laid them out and then played forward to
today through the services (steps ticked off, blocked, commented on), so the board shows every
state at once: on track, at risk, slipped. Which state an in-flight deal ends in is chosen up
front and reached by working out, with the same health rules the services use, how many of
its steps were done in time.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from tandem.closeplans.checkups import run_checkups
from tandem.closeplans.logic import BusinessCalendar, PlanHealth, StepSpec, schedule_backwards
from tandem.closeplans.models import ClosePlan, Health, PlanStep, PlanTemplate, Side, StepStatus
from tandem.closeplans.services import (
    assess,
    do_add_step,
    do_apply_template,
    do_comment,
    do_create_share_link,
    do_create_template_with_steps,
    do_customer_comment,
    do_customer_mark_step,
    do_set_step_status,
    refresh_health,
)
from tandem.closeplans.services.news import NOTICE_KIND as NEWS_NOTICE_KIND
from tandem.core.calendar import company_calendar, do_add_company_holiday
from tandem.core.models import CompanyHoliday
from tandem.crm.models import Influence
from tandem.demo.company import DemoContext
from tandem.notifications.models import Notification
from tandem.people.models import Role
from tandem.pipeline.models import Deal

US, CUSTOMER = Side.US, Side.CUSTOMER

# (title, side, owner role, business days of work, lead days before close, what it gets us to)
# fmt: off
PLAN_TEMPLATES = {
    "av_installation": (
        "AV installation",
        "A fixed-scope install: survey and walkthrough first, then IT, proposal, budget and paper.",
        [
            ("Discovery call and room walk", US, Role.SELLER, 1, None, ""),
            ("Site survey: power, network and mounting", US, Role.PROJECT_MANAGER, 2, None, ""),
            ("Technical walkthrough", CUSTOMER, Influence.USER, 2, None, "a fixed scope"),
            ("Security/IT review of the networked devices", CUSTOMER, Influence.BLOCKER, 4, None,
             "approval to put the control system on your network"),
            ("Proposal review", US, Role.PROJECT_MANAGER, 3, None, ""),
            ("Proposal walkthrough with the decision maker", CUSTOMER, Influence.DECISION_MAKER,
             1, None, "any last changes made before the price is final"),
            ("Budget approval", CUSTOMER, Influence.FINANCE, 5, None,
             "a signed-off budget, so we can hold your install window"),
            ("Contract signature", CUSTOMER, Influence.DECISION_MAKER, 2, None,
             "a start date on our install calendar"),
            ("PO issued", CUSTOMER, Influence.FINANCE, 2, 0,
             "equipment ordered in time for the install date"),
        ],
    ),
    "event_staging": (
        "Event staging",
        "A show or booth: venue specs and a design both sides agree on before the firm price.",
        [
            ("Show brief call", US, Role.SELLER, 1, None, ""),
            ("Venue floor plans and rigging specs", CUSTOMER, Influence.USER, 3, None,
             "a design that fits the hall's rigging points and power"),
            ("Concept and budget range", US, Role.PROJECT_MANAGER, 4, None, ""),
            ("Design review with marketing", CUSTOMER, Influence.CHAMPION, 3, None,
             "one agreed design we can price firmly"),
            ("Rigging and union labour quote", US, Role.PROJECT_MANAGER, 3, None, ""),
            ("Proposal review", US, Role.SELLER, 2, None, ""),
            ("Budget approval", CUSTOMER, Influence.FINANCE, 4, None,
             "a signed-off budget, so we hold LED stock and crew for your show dates"),
            ("Contract signature", CUSTOMER, Influence.DECISION_MAKER, 2, 0,
             "your show dates held on our crew calendar"),
        ],
    ),
    "service_contract": (
        "Service contract",
        "A support agreement or renewal: cover sized from the equipment and the ticket history.",
        [
            ("Service review call", US, Role.SELLER, 1, None, ""),
            ("Equipment audit and ticket history", US, Role.PROJECT_MANAGER, 3, None, ""),
            ("Coverage options review", CUSTOMER, Influence.USER, 2, None,
             "cover sized to how you use the rooms, not a guess"),
            ("Renewal proposal", US, Role.SELLER, 2, None, ""),
            ("Budget approval", CUSTOMER, Influence.FINANCE, 4, None,
             "the new term approved before your current cover lapses"),
            ("Contract signature", CUSTOMER, Influence.DECISION_MAKER, 1, 0,
             "the same response times, without a gap"),
        ],
    ),
}

# Steps that bigger plans add before the budget is approved (the large data set's plans).
EXTRA_STEPS = [
    ("Reference call with a past customer", CUSTOMER, Influence.CHAMPION, 1, None,
     "confidence from someone whose rooms we already run"),
    ("Legal review of our terms", CUSTOMER, Influence.DECISION_MAKER, 3, None,
     "terms agreed before the price is approved, so signature is a formality"),
    ("Installation schedule draft", US, Role.PROJECT_MANAGER, 2, None, ""),
    ("Insurance certificates and site rules", CUSTOMER, Influence.OTHER, 1, None,
     "our crew cleared to work on your site from day one"),
]

BLOCKERS = {
    "Discovery call and room walk": "Their office moves floors next week; no rooms to walk until then",
    "Site survey: power, network and mounting":
        "Building management has not confirmed access for the survey",
    "Technical walkthrough": "Facilities manager on leave; nobody else has keys to the ceiling voids",
    "Security/IT review of the networked devices":
        "IT security questionnaire is queued behind their annual audit",
    "Proposal walkthrough with the decision maker": "Decision maker on leave until the end of the month",
    "Budget approval": "Budget frozen until their board meets",
    "Contract signature": "Legal is still redlining the master services agreement",
    "PO issued": "Their purchasing system is down for the year-end migration",
    "Show brief call": "Event date not fixed yet; they are holding two weekends with the venue",
    "Venue floor plans and rigging specs": "Waiting for venue floor plans from the customer",
    "Concept and budget range": "LED supplier has not confirmed stock for the show dates",
    "Design review with marketing": "Marketing has not picked between the two design options",
    "Rigging and union labour quote": "Union rep has not confirmed the crew calls for load-in",
    "Proposal review": "Waiting for the supplier's revised equipment prices",
    "Service review call": "Their AV lead left; we are finding out who owns the rooms now",
    "Equipment audit and ticket history": "Waiting for the customer's asset list",
    "Coverage options review": "Waiting for the customer's room-usage figures",
    "Renewal proposal": "Waiting for the manufacturer's new warranty terms",
}

# Internal notes (only we see them), by step title; {contact} is the customer's owner of it.
NOTES = {
    "Site survey: power, network and mounting":
        "Survey done: the boardroom needs a dedicated 20A circuit, flagged for the proposal.",
    "Technical walkthrough":
        "Walked the rooms with {contact}: two ceilings are hard lid, so we quote surface mount there.",
    "Security/IT review of the networked devices":
        "{contact} wants the control processors on their own VLAN; Priya says that is fine.",
    "Proposal review": "Pat checked labour against the last two installs; margin holds at 32%.",
    "Budget approval":
        "{contact} takes it to their CFO on Tuesday; I offered a one-page summary.",
    "Contract signature": "Their legal accepted our payment terms; only the insurance clause left.",
    "Venue floor plans and rigging specs":
        "Venue sent PDFs only; asked for the CAD files so Pat can lay out the truss.",
    "Concept and budget range":
        "Lena confirmed LED stock for the show dates; holding it for two weeks.",
    "Rigging and union labour quote":
        "Tomás: two extra riggers for the load-in, the venue's ceiling height needs a mother grid.",
    "Equipment audit and ticket history":
        "Three rooms raise 80% of the tickets; the projectors there are past end of life.",
    "Coverage options review":
        "{contact} leans to Standard cover with next-day response for the training rooms.",
}
CHASES = [
    "Chased {contact} by phone; they expect an answer this week.",
    "Offered {contact} a 20-minute call to get this moving.",
    "Asked {contact} who else can sign this off while it waits.",
]
# Comments the customer sees on the shared plan, by step title.
SHARED_COMMENTS = {
    "Technical walkthrough":
        "Thanks for the walkthrough. The scope we agreed is in the proposal draft; tell us if "
        "anything is missing.",
    "Budget approval":
        "If it helps your CFO, we can bill in two milestones: equipment on delivery, labour on "
        "handover.",
    "Contract signature":
        "The contract is out for e-signature. Once it is back, we book the crew and order the kit.",
    "Design review with marketing":
        "Renders of both options are in the shared folder, with the sight lines from the aisle.",
    "Coverage options review":
        "The usage report shows most tickets come from three rooms; Standard cover fits the rest.",
    "Venue floor plans and rigging specs":
        "The CAD files rather than PDFs would save us a day on the truss layout.",
    "Security/IT review of the networked devices":
        "Our security answers and the device list are attached; Priya can join a call with IT.",
}
# fmt: on

SHARE_LINK_DAYS = 365
BOOTH_BLOCKER = "Marketing picks the full wrap or the half booth at their review next week"
YEAR_END_SHUTDOWN = "Year-end shutdown"
CREW_DAY = "Crew training and safety day"
# How the plans already under way end up, taken in turn (so every state is there).
IN_FLIGHT_STATES = [
    "slipped",
    "on_track",
    "blocked",
    "tight",
    "blocked_slipped",
    "on_track",
    "slipped",
    "blocked",
]
# Plans on track whose customer then adds work they have no room for (so they slip).
EXTRA_WORK_SLACK = (4, 25)
EXTRA_WORK_LIMIT = 2
MOVE_CLOSE_LIMIT = 2  # deals too new for their plan: the plan moves their close date
QUALIFY_WITHOUT_PLAN = 0.5  # share of the first stage's deals that have no plan yet


@dataclass
class PlanSetup:
    """One deal's plan as seeding decides it before writing anything."""

    deal: Deal
    template: PlanTemplate
    specs: list[StepSpec]
    applied_on: dt.date
    in_flight: bool  # the plan should have started before today


def create_close_plans(ctx: DemoContext) -> None:
    """Holidays, templates, a plan on most open deals played forward, one shared plan."""
    create_company_holidays(ctx)
    templates = create_templates(ctx)
    calendar = company_calendar(ctx.today)
    booth, setups, too_near = _plan_setups(ctx, templates, calendar)
    flight, ahead = 0, []
    for setup in setups:
        if setup.in_flight:
            state = IN_FLIGHT_STATES[flight % len(IN_FLIGHT_STATES)]
            flight += 1
        else:
            state = "ahead"
        plan = refresh_health(_play_plan(ctx, setup, state, calendar), today=ctx.today)
        if state == "ahead" and plan.health == Health.ON_TRACK:
            ahead.append(plan)
    slipping = [p for p in ahead if EXTRA_WORK_SLACK[0] <= p.slack_days <= EXTRA_WORK_SLACK[1]]
    for plan in slipping[:EXTRA_WORK_LIMIT]:
        add_third_bid_step(ctx, plan)
    for deal, template in too_near[:MOVE_CLOSE_LIMIT]:
        # Too new to have been planned in time: laying the plan out today moves the close.
        do_apply_template(deal, template, deal.owner, move_close=True, now=ctx.at(ctx.today))
    if booth is not None:
        share_exhibit_booth_plan(ctx, booth, templates["event_staging"], calendar)
    # Today's morning run, so a visitor finds the day's checkups in their inbox (the emails
    # would only flood the console the demo prints its logins to).
    run_checkups(ctx.today, now=ctx.now, email=False)


def create_company_holidays(ctx: DemoContext) -> list[CompanyHoliday]:
    """The year-end shutdown (weekdays that are not public holidays) and a crew day."""
    calendar = company_calendar(ctx.today)
    days = {}
    for year in (ctx.today.year, ctx.today.year + 1):
        for day in range(24, 32):
            date = dt.date(year, 12, day)
            if calendar.is_business_day(date):
                days[date] = YEAR_END_SHUTDOWN
        first_feb = dt.date(year + 1, 2, 1)
        days[first_feb + dt.timedelta(days=(4 - first_feb.weekday()) % 7)] = CREW_DAY
    taken = set(CompanyHoliday.objects.filter(date__in=days).values_list("date", flat=True))
    admin = ctx.users["admin"]
    return [
        do_add_company_holiday(admin, date=date, name=name)
        for date, name in days.items()
        if date not in taken
    ]


def create_templates(ctx: DemoContext) -> dict[str, PlanTemplate]:
    """The demo company's three templates, by project type (kept when they exist already)."""
    admin = ctx.users["admin"]
    templates = {}
    for project_type, (name, description, steps) in PLAN_TEMPLATES.items():
        template = PlanTemplate.objects.filter(name=name).first()
        if template is None:
            template = do_create_template_with_steps(
                admin,
                name=name,
                project_type=project_type,
                description=description,
                steps=steps,
            )
        templates[project_type] = template
    return templates


def _specs(template: PlanTemplate) -> list[StepSpec]:
    return [
        StepSpec(s.title, s.side, s.duration_days, s.lead_days)
        for s in template.steps.order_by("position")
    ]


def _plan_setups(ctx: DemoContext, templates: dict, calendar: BusinessCalendar):
    """Decide which open deals get a plan and on which day it was laid out.

    A plan is applied after the deal's latest close-date change, so the history reads in
    order; one that must already be under way was applied before its first step was due to
    start. Returns the exhibit booth deal, the setups, and deals too near to plan in time.
    """
    from tandem.demo.deals import EXHIBIT_BOOTH

    rng, today = ctx.rng, ctx.today
    specs = {project_type: _specs(t) for project_type, t in templates.items()}
    deals = (
        Deal.objects.open()
        .select_related("account", "owner", "stage")
        .annotate(last_change=Max("close_date_changes__changed_at"))
        .order_by("id")
    )
    booth, setups, too_near = None, [], []
    for deal in deals:
        if deal.name == EXHIBIT_BOOTH:
            booth = deal
            continue
        template = templates.get(deal.project_type)
        if template is None or deal.target_close_date < today:
            continue  # rentals go without a plan; a passed close date needs the seller first
        if deal.stage.order == 1 and rng.random() < QUALIFY_WITHOUT_PLAN:
            continue
        known = max(deal.created_at, deal.last_change or deal.created_at)
        earliest = calendar.on_or_after(timezone.localdate(known) + _DAY)
        schedule = schedule_backwards(
            specs[deal.project_type], deal.target_close_date, today, calendar
        )
        if schedule.fits:
            recent = calendar.on_or_after(today - dt.timedelta(days=rng.randint(3, 25)))
            applied = min(max(earliest, recent), calendar.on_or_before(today))
            in_flight = False
        else:
            latest = schedule.first_start
            if earliest > latest:
                too_near.append((deal, template))
                continue
            applied = max(earliest, calendar.add(latest, -rng.randint(0, 3)))
            in_flight = True
        setups.append(PlanSetup(deal, template, specs[deal.project_type], applied, in_flight))
    return booth, setups, too_near


_DAY = dt.timedelta(days=1)


def _health(steps: list[PlanStep], done: int, blocked: int | None, deal, today, calendar):
    """The plan's health if its first `done` steps were done and step `blocked` blocked."""
    rows = []
    for index, step in enumerate(steps):
        status = StepStatus.OPEN
        if index < done:
            status = StepStatus.DONE
        elif index == blocked:
            status = StepStatus.BLOCKED
        rows.append((step.position, step.duration_days, step.due_date, status))
    return assess(rows, deal.target_close_date, today, calendar)


def _progress(state: str, steps: list[PlanStep], deal, ctx: DemoContext, calendar) -> tuple:
    """How many leading steps are done and which (if any) is blocked, to end in `state`.

    An open step past its due always slips a plan laid out with no slack, so a plan on track
    or at risk has every step due before today done, and often some later ones early.
    """
    rng, today, count = ctx.rng, ctx.today, len(steps)
    past = sum(step.due_date < today for step in steps)

    def first(wanted: str, blocking: bool) -> tuple[int, int | None] | None:
        for done in range(past, count + 1):
            blocked = done if blocking and done < count else None
            health: PlanHealth = _health(steps, done, blocked, deal, today, calendar)
            if health.state == wanted:
                return done, blocked
        return None

    if state == "slipped":
        return max(0, past - rng.randint(1, 2)), None
    if state == "blocked_slipped":
        done = max(0, past - 1)
        return done, done
    if state == "blocked":
        return first(Health.AT_RISK, True) or (past, past if past < count else None)
    if state == "tight":
        return first(Health.AT_RISK, False) or first(Health.ON_TRACK, False) or (count, None)
    if state == "on_track":
        return first(Health.ON_TRACK, False) or (count, None)
    # A plan laid out ahead of time: later deals have done their first steps early.
    early = rng.randint(0, min(deal.stage.order - 1, 3))
    blocked = early if early < count and rng.random() < 0.12 else None
    return early, blocked


def _completion_days(steps, start: dt.date, today: dt.date, calendar, rng) -> list[dt.date]:
    """The business days the steps were done: near their due, in order, none after today."""
    last = calendar.on_or_before(today)
    days: list[dt.date] = []
    for index, step in enumerate(steps):
        after = len(steps) - 1 - index
        latest = calendar.add(last, -after) if after else last
        day = min(calendar.add(step.due_date, -rng.randint(0, 2)), latest)
        days.append(max(day, start, days[-1] if days else start))
    return days


def _contact_name(step: PlanStep) -> str:
    return step.owner_contact.first_name if step.owner_contact_id else "the customer"


def _play_plan(ctx: DemoContext, setup: PlanSetup, state: str, calendar) -> ClosePlan:
    """Apply the template on its day, then tick, block and comment up to today."""
    rng, deal = ctx.rng, setup.deal
    owner = deal.owner
    plan = do_apply_template(deal, setup.template, owner, now=ctx.at(setup.applied_on))
    steps = list(plan.steps.select_related("owner_user", "owner_contact").order_by("position"))
    done, blocked = _progress(state, steps, deal, ctx, calendar)
    days = _completion_days(steps[:done], setup.applied_on, ctx.today, calendar, rng)
    for step, day in zip(steps[:done], days, strict=True):
        who = step.owner_user or owner
        do_set_step_status(step, who, StepStatus.DONE, now=ctx.at(day))
        note = NOTES.get(step.title)
        if note and rng.random() < 0.35:
            do_comment(step, who, note.format(contact=_contact_name(step)), now=ctx.at(day))
        shared = SHARED_COMMENTS.get(step.title)
        if shared and step.side == Side.CUSTOMER and rng.random() < 0.25:
            do_comment(step, owner, shared, shared=True, now=ctx.at(day))
    if blocked is not None:
        step = steps[blocked]
        since = max([setup.applied_on, *days])
        day = calendar.on_or_after(since + dt.timedelta(days=rng.randint(0, 3)))
        day = min(day, ctx.today)
        blocker = BLOCKERS.get(step.title, "Waiting for the customer to confirm a date")
        do_set_step_status(step, owner, StepStatus.BLOCKED, blocker=blocker, now=ctx.at(day))
        chase = rng.choice(CHASES).format(contact=_contact_name(step))
        do_comment(step, owner, chase, now=ctx.at(min(day + _DAY, ctx.today)))
    return plan


def add_third_bid_step(ctx: DemoContext, plan: ClosePlan) -> PlanStep:
    """The customer's procurement asks for a third bid: a step longer than the plan's slack,
    put before the budget approval, so the plan slips and proposes a later close."""
    deal = plan.deal
    steps = list(plan.steps.order_by("position"))
    budget = next((s for s in steps if s.title == "Budget approval"), steps[-1])
    before = max((s for s in steps if s.position < budget.position), key=lambda s: s.position)
    day = ctx.days_ago(ctx.rng.randint(1, 4))
    step = do_add_step(
        plan,
        deal.owner,
        position=budget.position,
        title="Third bid for procurement",
        side=Side.CUSTOMER,
        owner_contact=budget.owner_contact,
        due_date=before.due_date,
        duration_days=plan.slack_days + ctx.rng.randint(3, 6),
        value_statement="an award without a re-tender",
        now=ctx.at(day),
    )
    do_comment(
        step,
        deal.owner,
        "Procurement wants a third bid before award. That is weeks we did not plan for: talk "
        "to the champion about moving the close rather than hoping.",
        now=ctx.at(day),
    )
    return step


def share_exhibit_booth_plan(ctx: DemoContext, deal: Deal, template, calendar) -> ClosePlan:
    """The article's booth: planned after the half-booth request, shared with Kestrel's
    champion, who ticked off the floor plans and is deciding between the two options."""
    sam, pat = ctx.users["sam"], ctx.users["pat"]
    last_change = deal.close_date_changes.aggregate(last=Max("changed_at"))["last"]
    known = timezone.localdate(last_change) if last_change else ctx.days_ago(30)
    applied = calendar.on_or_after(known + _DAY)
    plan = do_apply_template(deal, template, sam, now=ctx.at(applied, hour=9))
    steps = {s.position: s for s in plan.steps.select_related("owner_contact").order_by("position")}
    brief, floor_plans, concept, review = steps[1], steps[2], steps[3], steps[4]
    champion = ctx.people_at(deal.account, ctx.today)[1]

    def on(days_ago: int, hour: int | None = None) -> dt.datetime:
        return ctx.at(calendar.on_or_before(ctx.days_ago(days_ago)), hour=hour)

    do_set_step_status(brief, sam, StepStatus.DONE, now=ctx.at(applied, hour=10))
    link = do_create_share_link(plan, sam, days=SHARE_LINK_DAYS, now=on(8, hour=9))
    do_comment(
        floor_plans,
        sam,
        "Could you send the hall's floor plan and rigging specs? They decide how high and how "
        "far round the screen can go.",
        shared=True,
        now=on(8, hour=10),
    )
    do_customer_comment(
        link,
        floor_plans.pk,
        "Attached in my email: hall C plans from the venue, rigging points every 10 feet.",
        champion.full_name,
        now=on(7, hour=14),
    )
    do_customer_mark_step(link, floor_plans.pk, True, champion.full_name, now=on(7, hour=14))
    do_set_step_status(concept, pat, StepStatus.DONE, now=on(5, hour=16))
    do_comment(
        concept,
        pat,
        "Both ranges out: the full 360° wrap at $357k–$392k and the half booth (180°, same 15 ft "
        "height) at $206k–$228k. Lena holds the LED panels for two weeks.",
        now=on(5, hour=16),
    )
    do_comment(
        concept,
        sam,
        "Both options are in your inbox: the full 360° wrap and the half booth, same height.",
        shared=True,
        now=on(5, hour=17),
    )
    do_set_step_status(
        review,
        sam,
        StepStatus.BLOCKED,
        blocker=BOOTH_BLOCKER,
        now=on(3, hour=11),
    )
    do_comment(
        review,
        sam,
        f"Asked {champion.first_name} who sits in the marketing review; offered to walk them "
        "through both options myself, with Pat on the call for the rigging questions.",
        now=on(3, hour=12),
    )
    do_customer_comment(
        link,
        review.pk,
        "Our marketing review is next Thursday; we will pick one of the two options there.",
        champion.full_name,
        now=on(2, hour=15),
    )
    # What the champion did is sam's "new from the customer" until he opens the deal; the
    # notices are the demo's past, in his bell but not emailed when the demo starts.
    Notification.objects.filter(kind=NEWS_NOTICE_KIND, emailed_at__isnull=True).update(
        emailed_at=ctx.now
    )
    return plan
