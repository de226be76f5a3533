"""The demo company's past projects: thirty jobs of the last three years with their actuals.

Exhibit booths, keynotes, galas, conference staging, installs and outdoor stages, with the
hours each crew role actually took. Hours follow what drives them on a real job: riggers and
LED technicians grow with the screen (less than in proportion: a bigger wall is the same
work repeated by a crew that has got going), stagehands with the screen and the show days,
operators and programmers with the show days; then timesheet noise. Union venues (convention
centres, arenas, hotels, theatres) take union stagehands and riggers; the others non-union
stagehands. Eleven booths at convention centres give the article's booth (110 m² of LED all
the way round, 3 show days) and its half (55 m²) enough close analogues.

Written through the service, so seeding runs the checks an import does.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from tandem.catalog.models import LabourRole
from tandem.estimates.actuals.services import do_create_past_project
from tandem.estimates.models import PastProject

U_STAGE = "Union stagehand (IATSE)"
U_RIG = "Union rigger (IATSE)"
STAGE = "Stagehand"
LED = "LED technician"
VIDEO = "Video engineer"
LX = "Lighting programmer"
AUDIO = "Audio engineer"
PM = "Project manager"

UNION_VENUES = {"convention", "arena", "hotel", "theatre"}
STAGEHANDS = "stagehands"  # union or not, by venue
NOISE = 0.12  # spread of timesheets around the drivers (log scale)
AREA_POWER = 0.9

# Per kind of job: role -> (base hours, hours per m² ** AREA_POWER, hours per show day,
# smallest screen the role is needed for).
# fmt: off
KINDS = {
    "booth": {
        U_RIG: (0, 5.5, 0, 1), LED: (0, 6.0, 10, 1), STAGEHANDS: (40, 4.0, 12, 0),
        VIDEO: (16, 0, 12, 0), LX: (10, 0, 6, 0), AUDIO: (0, 0, 8, 80), PM: (30, 0.4, 10, 0),
    },
    "keynote": {
        U_RIG: (20, 3.0, 0, 1), LED: (12, 3.5, 8, 1), STAGEHANDS: (40, 2.5, 14, 0),
        VIDEO: (24, 0, 16, 0), LX: (20, 0, 14, 0), AUDIO: (20, 0, 14, 0), PM: (30, 0, 12, 0),
    },
    "gala": {
        U_RIG: (24, 2.0, 0, 0), LED: (8, 4.0, 0, 12), STAGEHANDS: (40, 1.5, 14, 0),
        VIDEO: (10, 0, 8, 1), LX: (24, 0, 14, 0), AUDIO: (18, 0, 12, 0), PM: (20, 0, 8, 0),
    },
    "conference": {
        U_RIG: (16, 2.5, 0, 1), LED: (10, 3.0, 6, 1), STAGEHANDS: (50, 2.0, 16, 0),
        VIDEO: (20, 0, 16, 0), LX: (12, 0, 10, 0), AUDIO: (20, 0, 16, 0), PM: (24, 0, 14, 0),
    },
    "install": {
        STAGEHANDS: (24, 2.0, 0, 0), LED: (16, 5.0, 0, 1), VIDEO: (40, 0.5, 0, 0),
        AUDIO: (20, 0, 0, 0), PM: (40, 0.4, 0, 0),
    },
    "outdoor": {
        STAGEHANDS: (80, 2.5, 20, 0), LED: (16, 4.0, 8, 1), VIDEO: (20, 0, 14, 0),
        LX: (20, 0, 12, 0), AUDIO: (30, 0, 18, 0), PM: (30, 0, 14, 0),
    },
}

# (name, kind, project type, venue type, screen m², show days, about how many days ago)
PAST_PROJECTS = [
    ("Orion Biotech booth — BIO International", "booth", "event_staging", "convention", 72, 3, 1040),
    ("Ironclad Software booth — DevWorld Expo", "booth", "event_staging", "convention", 48, 3, 990),
    ("Vantage Pharmaceuticals booth — oncology congress", "booth", "event_staging", "convention", 120, 4, 930),
    ("Trident Trade Shows pavilion LED wall — IPW", "booth", "event_staging", "convention", 140, 3, 860),
    ("Sterling Auto Group stand — Dallas Auto Show", "booth", "event_staging", "convention", 160, 5, 800),
    ("Meridian Health booth — HIMSS", "booth", "event_staging", "convention", 84, 3, 700),
    ("Lumen Broadcasting booth — NAB Show", "booth", "event_staging", "convention", 110, 4, 610),
    ("Northwind Logistics booth — ProMat", "booth", "event_staging", "convention", 55, 3, 520),
    ("Cobalt Financial booth — Money20/20", "booth", "event_staging", "convention", 60, 3, 400),
    ("Apex Fitness Clubs booth — IHRSA", "booth", "event_staging", "convention", 36, 2, 300),
    ("Keystone Insurance 360° booth — RIMS RISKWORLD", "booth", "event_staging", "convention", 100, 3, 150),
    ("Ironclad Software DevWorld keynote", "keynote", "event_staging", "convention", 180, 2, 1010),
    ("Vantage Pharmaceuticals national sales meeting", "keynote", "event_staging", "hotel", 120, 3, 880),
    ("Summit Arena season launch show", "keynote", "event_staging", "arena", 250, 1, 760),
    ("Cobalt Financial investor day", "keynote", "event_staging", "hotel", 60, 1, 560),
    ("Evergreen State University commencement", "keynote", "event_staging", "arena", 90, 1, 430),
    ("Halcyon Events product launch keynote", "keynote", "event_staging", "theatre", 140, 2, 90),
    ("Grand Meridian Hotel New Year's Eve gala", "gala", "event_staging", "hotel", 24, 1, 690),
    ("Midtown Medical Foundation gala", "gala", "event_staging", "hotel", 16, 1, 480),
    ("Crescent Bay Resort awards gala", "gala", "event_staging", "hotel", 40, 2, 250),
    ("Riverbend PAC donor gala", "gala", "event_staging", "theatre", 0, 1, 60),
    ("Midwest Healthcare Summit staging", "conference", "event_staging", "convention", 80, 3, 950),
    ("Great Lakes Insurance Forum", "conference", "event_staging", "hotel", 30, 2, 740),
    ("Florida Tourism Conference: general session and breakouts", "conference", "event_staging", "convention", 100, 4, 350),
    ("Meridian Health System leadership conference", "conference", "event_staging", "hotel", 45, 3, 200),
    ("Caldwell & Pierce lobby LED wall", "install", "av_installation", "corporate", 12, None, 820),
    ("Keystone Insurance boardroom and town-hall AV", "install", "av_installation", "corporate", 8, None, 460),
    ("Grace Fellowship Church IMAG screens", "install", "av_installation", "other", 28, None, 120),
    ("Sunset Amphitheater summer series screens", "outdoor", "event_staging", "outdoor", 64, 3, 640),
    ("City of Fairhaven Fourth of July stage", "outdoor", "event_staging", "outdoor", 40, 1, 30),
]
# fmt: on


def _hours(kind: str, venue: str, area: int, days: int | None, rng: random.Random) -> dict:
    union = venue in UNION_VENUES
    hours = {}
    for role, (base, per_area, per_day, least_area) in KINDS[kind].items():
        if area < least_area:
            continue
        if role == STAGEHANDS:
            role = U_STAGE if union else STAGE
        elif role == U_RIG and not union:
            continue  # ground-supported: no points to hang
        expected = base + per_area * area**AREA_POWER + per_day * (days or 0)
        actual = expected * rng.lognormvariate(0, NOISE)
        # Timesheets come in half hours.
        hours[role] = (Decimal(str(actual)) * 2).quantize(Decimal(1)) / 2
    return hours


def _recorded(ctx, completed_on: dt.date) -> dt.datetime:
    # A week after the job, when the timesheets were in (not from ctx.rng: see below).
    day = min(completed_on + dt.timedelta(days=7), ctx.today)
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(16))), ctx.now)


def create_past_projects(ctx) -> None:
    """Add the past projects that are not there yet (the demo can be seeded twice).

    Needs the rate cards' roles (demo_rates.py, run by create_catalog) first.
    """
    # A generator of its own, seeded once from the demo's: the projects do not shift
    # whatever is seeded after them.
    rng = random.Random(ctx.rng.getrandbits(32))
    by = ctx.users.get("pat")
    roles = {role.name: role for role in LabourRole.objects.all()}
    existing = set(PastProject.objects.values_list("reference", flat=True))
    # Numbered in the order they were done; the number does not depend on the day of seeding.
    oldest_first = sorted(PAST_PROJECTS, key=lambda entry: -entry[-1])
    for number, (name, kind, project_type, venue, area, days, ago) in enumerate(oldest_first):
        reference = f"NL-{1001 + number}"
        completed_on = ctx.days_ago(ago + rng.randint(-10, 10))
        hours = _hours(kind, venue, area, days, rng)
        if reference in existing:
            continue
        do_create_past_project(
            by,
            reference=reference,
            name=name,
            project_type=project_type,
            venue_type=venue,
            screen_area_m2=Decimal(area),
            show_days=days,
            completed_on=completed_on,
            hours={roles[role]: value for role, value in hours.items()},
            now=_recorded(ctx, completed_on),
        )
