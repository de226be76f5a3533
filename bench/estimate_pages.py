"""Time the estimate pages at scale, for bench/run.py's child process (Django set up).

`prepare_estimates` makes sure the bench database holds, besides the large data set: six
labour roles with rates, 200 catalog items, 5,000 past projects with their hours, a deal with
a scenario "Big" of 2,000 lines saved as two versions and its copy "Half", and 50 estimate
requests of which 20 are overdue. What is there already is reused; the estimates are built
through the services, the past projects and the catalog written in bulk (setup only, not
what is measured). `measure_estimates` then times the pages as a project manager.
"""

import datetime as dt
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

BIG, HALF = "Big", "Half"
# The mix of a large exhibit build's 2,000 lines.
MIX = {"equipment": 1_200, "labour": 500, "subcontract": 200, "expense": 100}
CHANGED_IN_V2 = 150  # lines whose numbers change between the two versions
REPLACED_IN_V2 = 20  # lines dropped, and as many new ones added
ITEMS = 200
PAST_PROJECTS = 5_000
REQUESTS = 50
OVERDUE = 20
PM_USERNAME = "pm01"
SELLER_USERNAME = "seller01"
SKU_PREFIX = "BENCH-"
SUPPLIER = "Bench Staging Supply"
PAST_PREFIX = "BENCH-PP-"
REQUEST_PREFIX = "Bench request"
RATES_FROM = dt.date(2020, 1, 1)
BATCH = 1_000
FORM_ENCODED = "application/x-www-form-urlencoded"
# Role -> (base hours, hours per m² ** AREA_POWER, hours per show day, share of projects
# that had the role): a past project's hours follow its drivers, as in the demo's history.
ROLES = {
    "Bench stagehand": (40, 3.0, 12, 1.0),
    "Bench rigger": (8, 4.5, 0, 0.9),
    "Bench LED technician": (6, 5.0, 8, 0.85),
    "Bench video engineer": (16, 0.3, 12, 0.85),
    "Bench lighting programmer": (10, 0.0, 8, 0.8),
    "Bench audio engineer": (12, 0.0, 10, 0.8),
}
AREA_POWER = 0.9
NOISE = 0.15
# Fewer samples where a request can take seconds at 2,000 lines (the editor, its preview, the
# PDF), and for saves, each of which writes a version.
SLOW_WARMUP, SLOW_SAMPLES = 1, 10
EDITOR_SAMPLES = 5
SAVE_SAMPLES = 5
PDF_SAMPLES = 3
COLD_SAMPLES = 3


@dataclass(frozen=True)
class BenchEstimates:
    pm_id: int
    deal_id: int
    big_id: int
    half_id: int
    role_ids: tuple[int, ...]


def _log_default(message: str) -> None:
    # Beside the figures, never among them: stdout holds only the `<name> p50=…` lines.
    print(f"# {message}", file=sys.stderr, flush=True)


def prepare_estimates(log: Callable[[str], None] = _log_default) -> BenchEstimates:
    """Make sure the estimate data the bench measures is there; return where it is."""
    pm = _project_manager()
    roles = _roles()
    items = _catalog()
    _past_projects(roles, log)
    big, half = _scenarios(pm, roles, items, log)
    _requests(pm, log)
    return BenchEstimates(pm.pk, big.deal_id, big.pk, half.pk, tuple(r.pk for r in roles))


def _project_manager():
    from tandem.people.models import Role, User
    from tandem.people.services import do_create_user

    return User.objects.filter(username=PM_USERNAME).first() or do_create_user(
        PM_USERNAME,
        role=Role.PROJECT_MANAGER,
        display_name="Pat Bench",
        email=f"{PM_USERNAME}@northlight.example",
    )


def _roles() -> list:
    from tandem.catalog import services
    from tandem.catalog.models import LabourRole, rates_on

    roles = []
    for n, name in enumerate(ROLES):
        role = LabourRole.objects.filter(name=name).first() or services.do_create_role(
            None, name=name, union=n < 2
        )
        roles.append(role)
    rated = rates_on(dt.date.today(), roles=roles)
    for n, role in enumerate(roles):
        if role.pk not in rated:
            cost = Decimal(38 + 6 * n)
            services.do_add_rate(
                role,
                None,
                effective_from=RATES_FROM,
                cost_rate=cost,
                bill_rate=(cost * Decimal("1.65")).quantize(Decimal("0.01")),
                minimum_call_hours=Decimal(5 if n < 2 else 0),
            )
    return roles


def _catalog() -> list:
    from tandem.catalog.models import CatalogItem, Category, Supplier, Unit

    supplier = Supplier.objects.filter(name=SUPPLIER).first() or Supplier.objects.create(
        name=SUPPLIER, default_lead_time_days=14
    )
    have = {item.sku for item in CatalogItem.objects.filter(sku__startswith=SKU_PREFIX)}
    rng = random.Random(11)
    categories = [c for c, _ in Category.choices]
    missing = []
    for n in range(ITEMS):
        cost = Decimal(rng.randint(500, 400_000)) / 100
        sku = f"{SKU_PREFIX}{n:04d}"
        if sku not in have:
            missing.append(
                CatalogItem(
                    sku=sku,
                    name=f"Bench item {n:04d}",
                    category=categories[n % len(categories)],
                    unit=rng.choice([Unit.EACH, Unit.DAY, Unit.METRE, Unit.SET]),
                    unit_cost=cost,
                    list_price=(cost * Decimal("1.4")).quantize(Decimal("0.01")),
                    supplier=supplier,
                    lead_time_days=rng.choice([None, 0, 3, 7, 21, 45]),
                )
            )
    # Bulk: the setup needs rows, not the catalog's history of who added them.
    CatalogItem.objects.bulk_create(missing)
    return list(CatalogItem.objects.filter(sku__startswith=SKU_PREFIX).order_by("sku"))


def _past_projects(roles: list, log) -> None:
    from django.db import transaction

    from tandem.estimates.models import PastProject, PastProjectHours, VenueType
    from tandem.pipeline.models import ProjectType

    projects = PastProject.objects.filter(reference__startswith=PAST_PREFIX)
    hours = PastProjectHours.objects.filter(project__reference__startswith=PAST_PREFIX)
    if projects.count() == PAST_PROJECTS and hours.exists():
        return
    log(f"writing {PAST_PROJECTS:,} past projects with their hours…")
    rng = random.Random(7)
    types = [t for t, _ in ProjectType.choices]
    venues = [v for v, _ in VenueType.choices]
    today = dt.date.today()
    with transaction.atomic():
        hours.delete()
        projects.delete()
        for start in range(0, PAST_PROJECTS, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, PAST_PROJECTS)):
                batch.append(
                    PastProject(
                        reference=f"{PAST_PREFIX}{n:05d}",
                        name=f"Bench past project {n:05d}",
                        project_type=rng.choice(types),
                        venue_type=rng.choice(venues),
                        screen_area_m2=Decimal(round(math.exp(rng.uniform(1.5, 6.0)), 1)),
                        show_days=rng.randint(1, 10),
                        completed_on=today - dt.timedelta(days=rng.randint(10, 3_000)),
                    )
                )
            PastProject.objects.bulk_create(batch)
            rows = []
            for project in PastProject.objects.filter(
                reference__in=[p.reference for p in batch]
            ).only("pk", "screen_area_m2", "show_days"):
                area = float(project.screen_area_m2)
                for role in roles:
                    base, per_m2, per_day, share = ROLES[role.name]
                    if rng.random() >= share:
                        continue
                    value = base + per_m2 * area**AREA_POWER + per_day * project.show_days
                    value = max(1.0, value * math.exp(rng.gauss(0, NOISE)))
                    rows.append(
                        PastProjectHours(project=project, role=role, hours=Decimal(round(value)))
                    )
            PastProjectHours.objects.bulk_create(rows)


def _lines(roles: list, items: list, rng: random.Random) -> list[dict]:
    """The 2,000 lines of "Big" version 1, as the editor's service takes them."""
    from tandem.estimates.models import LineKind

    lines = []
    for n in range(MIX["equipment"]):
        line = {
            "kind": LineKind.EQUIPMENT,
            "catalog_item": items[rng.randrange(len(items))],
            "qty": Decimal(rng.choice([1, 2, 4, 8, 12, 24, 48, 96])),
            "description": f"Zone {n % 12 + 1}" if n % 3 == 0 else "",
        }
        # Most lines priced by markup, the rest at the catalog's list price.
        if rng.random() < 0.7:
            line["markup_pct"] = Decimal(rng.choice([15, 25, 35]))
        lines.append(line)
    for n in range(MIX["labour"]):
        low = Decimal(rng.randint(4, 40))
        likely = low + rng.randint(0, 16)
        lines.append(
            {
                "kind": LineKind.LABOUR,
                "role": roles[n % len(roles)],
                "name": f"Crew {n + 1}",
                "crew_size": Decimal(rng.randint(1, 8)),
                "hours_low": low,
                "hours_likely": likely,
                "hours_high": likely + rng.randint(0, 24),
                "overtime_share": Decimal(rng.choice(["0", "0.1", "0.25"])),
                "calls": rng.randint(1, 3),
            }
        )
    for kind, label in ((LineKind.SUBCONTRACT, "Specialist"), (LineKind.EXPENSE, "Expense")):
        for n in range(MIX[kind]):
            lines.append(
                {
                    "kind": kind,
                    "name": f"{label} {n + 1}",
                    "cost": Decimal(rng.randint(2_000, 4_000_000)) / 100,
                    "markup_pct": Decimal(rng.choice([0, 10, 15, 20])),
                }
            )
    return lines


def _second_version(lines: list[dict], roles: list, items: list, rng) -> list[dict]:
    """Version 2: some quantities and hours changed, some lines replaced by new ones."""
    from tandem.estimates.models import LineKind

    lines = [dict(line) for line in lines]
    for index in rng.sample(range(len(lines)), CHANGED_IN_V2):
        line = lines[index]
        if line["kind"] == LineKind.EQUIPMENT:
            line["qty"] += 1
        elif line["kind"] == LineKind.LABOUR:
            line["hours_high"] += 4
        else:
            line["cost"] += Decimal(100)
    for index in sorted(rng.sample(range(len(lines)), REPLACED_IN_V2), reverse=True):
        del lines[index]
    extra = _lines(roles, items, rng)
    return lines + rng.sample(extra, REPLACED_IN_V2)


def _scenarios(pm, roles: list, items: list, log):
    from tandem.estimates.models import Estimate
    from tandem.estimates.scenarios.services import (
        do_copy_estimate,
        do_create_estimate,
        do_save_version,
    )
    from tandem.people.models import User
    from tandem.pipeline.models import Deal

    big = Estimate.objects.filter(name=BIG).first()
    if big is not None:
        trim_versions(big)
        big.refresh_from_db()
        half = Estimate.objects.filter(deal=big.deal_id, name=HALF).first()
        if big.latest_number == 2 and big.latest_version.line_count == sum(MIX.values()) and half:
            return big, half
        _forget(Estimate.objects.filter(deal=big.deal_id))
    log(f"building the scenarios {BIG} ({sum(MIX.values()):,} lines, 2 versions) and {HALF}…")
    seller = User.objects.get(username=SELLER_USERNAME)
    deal = Deal.objects.open().filter(owner=seller).order_by("pk").first()
    big = do_create_estimate(
        pm,
        deal,
        name=BIG,
        venue_type="convention",
        screen_area_m2=Decimal("110"),
        show_days=3,
    )
    rng = random.Random(4)
    first = _lines(roles, items, rng)
    do_save_version(
        big, pm, base_number=0, lines=first, contingency_pct=Decimal(10), note="From the brief"
    )
    do_save_version(
        big,
        pm,
        base_number=1,
        lines=_second_version(first, roles, items, rng),
        contingency_pct=Decimal(8),
        note="After the venue walk-through",
    )
    big.refresh_from_db()
    half = do_copy_estimate(big, pm, name=HALF, screen_area_m2=Decimal("55"))
    return big, half


def _forget(estimates) -> None:
    """Delete scenarios with their versions (their `latest_version` protects them first)."""
    estimates.update(latest_version=None, accepted_version=None)
    estimates.delete()


def trim_versions(big) -> None:
    """Take "Big" back to its two versions: the saves the bench times add one each."""
    from tandem.estimates.models import Estimate, EstimateVersion

    extra = EstimateVersion.objects.filter(estimate=big, number__gt=2)
    if not extra.exists():
        return
    second = EstimateVersion.objects.get(estimate=big, number=2)
    Estimate.objects.filter(pk=big.pk).update(latest_number=2, latest_version=second)
    extra.delete()


def _requests(pm, log) -> None:
    from django.utils import timezone

    from tandem.estimates.models import EstimateRequest, EstimatorPart
    from tandem.estimates.requests.services import do_create_request
    from tandem.people.models import User
    from tandem.pipeline.models import Deal

    have = set(
        EstimateRequest.objects.filter(title__startswith=REQUEST_PREFIX).values_list(
            "title", flat=True
        )
    )
    if len(have) >= REQUESTS:
        return
    log(f"writing {REQUESTS - len(have)} estimate requests…")
    seller = User.objects.get(username=SELLER_USERNAME)
    deals = list(Deal.objects.open().filter(owner=seller).order_by("pk")[:REQUESTS])
    now = timezone.now()
    today = timezone.localdate()
    for n in range(REQUESTS):
        title = f"{REQUEST_PREFIX} {n + 1:02d}"
        if title in have:
            continue
        if n < OVERDUE:
            # Asked a month ago for a date now past: open and overdue.
            asked, needed_by = now - dt.timedelta(days=30), today - dt.timedelta(days=n + 1)
        else:
            asked, needed_by = now, today + dt.timedelta(days=7 + n)
        do_create_request(
            seller,
            deals[n % len(deals)],
            title=title,
            brief="Booth with a 360° LED ring, rigging from the venue's points, three show days.",
            needed_by=needed_by,
            estimators=[(pm, EstimatorPart.EVERYTHING)],
            venue="Convention centre, hall B",
            now=asked,
        )


class _FormFields(HTMLParser):
    """The fields a browser sends when the form with id `form_id` is submitted (no button):
    inputs, checked boxes, each select's chosen option, textareas; not a <template>'s rows."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.templates = 0
        self.pairs: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "template":
            self.templates += 1
        elif self.templates:
            return
        elif tag == "option":
            if self.select is not None:
                self.options.append((a.get("value") or "", "selected" in a))
        elif "disabled" in a or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select, self.options = a["name"], []
        elif tag == "textarea":
            self.textarea, self.text = a["name"], []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "template" and self.templates:
            self.templates -= 1
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected] or [
                value for value, _ in self.options[:1]
            ]
            if chosen:
                self.pairs.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.pairs.append((self.textarea, "".join(self.text)))
            self.textarea = None


def _editor_post(html: str) -> dict[str, str]:
    """The editor's form as a browser posts it, read from the editor page."""
    parser = _FormFields("estimate-form")
    parser.feed(html)
    parser.close()
    data: dict[str, str] = {}
    for name, value in parser.pairs:
        assert name not in data, f"the editor sends {name} twice"
        data[name] = value
    return data


def measure_estimates(report, log=_log_default, *, warmup: int, samples: int) -> bool:
    """Time the estimate pages over the bench's scenarios as a project manager; one line per
    page through `report(name, timings, queries)` (bench/run.py's `_report`).

    A page that fails is logged and the others are still timed; returns whether all passed.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.estimates.actuals.predictions import predictions_for
    from tandem.estimates.models import Estimate
    from tandem.people.models import User

    started = time.monotonic()
    bench = prepare_estimates(log)
    log(f"estimate data ready in {time.monotonic() - started:.0f}s")
    pm = User.objects.get(pk=bench.pm_id)
    big = Estimate.objects.select_related("deal").get(pk=bench.big_id)
    client = Client()
    client.force_login(pm)
    failed = []

    def page(name, url, *, post=None, rounds=(warmup, samples), status=200, before=None):
        """Time `rounds` (warm-up, samples) requests, count the queries of one more; return
        the last response, or None when the page failed."""

        # `post`: the form to send, or a function that makes it (untimed); `before` runs
        # untimed ahead of every request.
        def send():
            if before:
                before()
            data = post() if callable(post) else post
            began = time.perf_counter()
            if data is None:
                response = client.get(url)
            else:
                # As the browser and HTMX send it: urlencoded, not the test client's multipart.
                response = client.post(url, urlencode(data), content_type=FORM_ENCODED)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == status, f"{url} answered {response.status_code}"
            return response, elapsed

        first, count = rounds
        try:
            timings = [send()[1] for _ in range(first + count)][first:]
            with CaptureQueriesContext(connection) as queries:
                response, _ = send()
        except Exception as error:  # one broken page must not hide the others
            log(f"{name} failed: {type(error).__name__}: {error}")
            failed.append(name)
            return None
        report(name, timings, len(queries))
        return response

    detail = f"/estimates/{big.pk}/"
    edit = f"{detail}edit/"
    preview = f"{detail}preview/"

    # Cold: the history's fitted models are cached per process; empty the cache first.
    page("estimate_editor_2000_lines_cold", edit, rounds=(0, COLD_SAMPLES), before=cache.clear)
    editor = page("estimate_editor_2000_lines", edit, rounds=(SLOW_WARMUP, EDITOR_SAMPLES))
    if editor is not None:
        form = _editor_post(editor.content.decode())
        log(f"the editor posts {len(form):,} fields")
        _measure_form(page, log, failed, big, form, edit, preview, cache)
    _time_predictions(report, big, bench.role_ids, predictions_for, cache, samples)

    page("estimate_detail_2000_lines", detail)
    page("estimate_diff_2000_lines", f"{detail}diff/?from=1&to=2")
    page("estimate_compare", f"/deals/{bench.deal_id}/estimates/compare/")
    page("proposal_2000_lines", f"{detail}proposal/")
    page("proposal_pdf_2000_lines", f"{detail}proposal.pdf", rounds=(1, PDF_SAMPLES))
    page("estimate_requests_list", "/estimate-requests/")
    page("estimate_requests_overdue", "/estimate-requests/?tab=overdue")
    version = big.latest_version_id
    page("api_estimate_lines", f"/api/v1/estimate-lines/?version={version}")
    page("api_estimate_lines_200", f"/api/v1/estimate-lines/?version={version}&page_size=200")
    if failed:
        log(f"estimate pages that failed: {', '.join(failed)}")
    return not failed


def _measure_form(page, log, failed, big, form, edit, preview, cache) -> None:
    """The pages that post the editor's form: the live preview, and saving it."""
    page(
        "history_prediction_page_cold",
        preview,
        post=form,
        rounds=(0, COLD_SAMPLES),
        before=cache.clear,
    )
    panel = page(
        "estimate_preview_2000_lines", preview, post=form, rounds=(SLOW_WARMUP, SLOW_SAMPLES)
    )
    # A preview that refused the lines would be timed doing nothing.
    if panel is not None and (
        'id="total-price"' not in (text := panel.content.decode())
        or "left out of the totals" in text
    ):
        log(f"estimate_preview_2000_lines did not add the lines up: {text[:300]}")
        failed.append("estimate_preview_2000_lines")

    def next_save():
        # Each save makes a version: the next one builds on it.
        big.refresh_from_db(fields=["latest_number"])
        return {**form, "base_number": str(big.latest_number), "note": "Bench save"}

    try:
        if page(
            "estimate_save_2000_lines", edit, post=next_save, rounds=(0, SAVE_SAMPLES), status=302
        ):
            big.refresh_from_db()
            if (saved := big.latest_version.line_count) != sum(MIX.values()):
                log(f"estimate_save_2000_lines saved {saved} lines, not {sum(MIX.values())}")
                failed.append("estimate_save_2000_lines")
    finally:
        trim_versions(big)
        big.refresh_from_db()


def _time_predictions(report, estimate, role_ids, predictions_for, cache, samples) -> None:
    """The history beside each role on its own: fitting the roles' models (cold) and
    predicting from cached ones (warm), over 5,000 past projects."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, rounds, clear in (
        ("history_predictions_cold", COLD_SAMPLES, True),
        ("history_predictions_warm", samples, False),
    ):
        timings = []
        queries = 0
        for _ in range(rounds):
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                predicted = predictions_for(estimate, role_ids)
                timings.append((time.perf_counter() - began) * 1000)
            queries = len(captured)
            assert len(predicted) == len(role_ids), f"{name}: predicted {len(predicted)} roles"
        report(name, timings, queries)
