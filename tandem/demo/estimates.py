"""The demo company's estimate requests and scenarios, written through the services.

The exhibit booth from article 004: Sam asks Pat for numbers on a 360° curved LED screen 15
feet up; Pat prices it, the client asks "what if we did half the booth?", Pat copies the
scenario and halves the screen, and both go back to Sam to compare. Around it, requests in
every state: one overdue, one declined with its reason, one still being worked on; and one
scenario the customer accepted yesterday, whose deal now asks its seller for a new next step.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.catalog.models import CatalogItem, LabourRole
from tandem.estimates.models import LineKind
from tandem.estimates.requests.services import (
    do_create_request,
    do_decline_request,
    do_return_request,
    do_send_round_again,
)
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_copy_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.notifications.models import Notification
from tandem.pipeline.models import Deal

# Phase one of a refresh, which the customer took as priced: a 4 × 2 m lobby wall, its
# processor and a crew day.
LOBBY_WALL = [
    ("equipment", "LED-P26-IN", "", {"qty": "32", "description": "8 m² wall, 4 × 2 m"}),
    ("equipment", "PROC-BROMPTON-S8", "", {"qty": "1"}),
    ("equipment", "CAB-FIBRE-100", "", {"qty": "1"}),
    (
        "labour",
        "LED technician",
        "Install, calibrate and train the front desk",
        {"crew": "2", "hours": ("14", "16", "22"), "calls": 2},
    ),
    ("expense", "", "Freight, one box truck", {"cost": "900", "markup": "10"}),
]
UNION_RIGGER = "Union rigger (IATSE)"
UNION_STAGEHAND = "Union stagehand (IATSE)"

# The full booth: a ring of 2.6 mm LED, 30 m round and 2 m tall, flown 15 ft up on truss.
# (kind, catalog SKU or role name, name, figures)
FULL_BOOTH = [
    (
        "equipment",
        "LED-P26-IN",
        "",
        # A show price below list: the panels come back to stock after the show.
        {"qty": "240", "unit_price": "520", "description": "60 m² ring, 30 × 2 m"},
    ),
    ("equipment", "LED-CURVE-26", "", {"qty": "60"}),
    ("equipment", "LED-FLY-BAR", "", {"qty": "60"}),
    ("equipment", "PROC-BROMPTON-S8", "", {"qty": "2", "description": "Main and backup"}),
    ("equipment", "PROC-MEDIA-SRV", "", {"qty": "1"}),
    ("equipment", "TRUSS-F34-3M", "", {"qty": "24", "description": "Circular grid"}),
    ("equipment", "RIG-HOIST-500", "", {"qty": "8"}),
    ("equipment", "RIG-CTRL-8", "", {"qty": "2"}),
    ("equipment", "CAB-FIBRE-100", "", {"qty": "4"}),
    (
        "labour",
        UNION_RIGGER,
        "Riggers: points, motors, flying the ring",
        {"crew": "6", "hours": ("22", "28", "40"), "calls": 3, "ot": "0.15"},
    ),
    (
        "labour",
        "LED technician",
        "LED build, mapping and strike",
        {"crew": "4", "hours": ("34", "40", "56"), "calls": 5, "ot": "0.1"},
    ),
    (
        "labour",
        UNION_STAGEHAND,
        "Load-in and strike crew",
        {"crew": "8", "hours": ("16", "20", "28"), "calls": 2, "ot": "0.1"},
    ),
    (
        "labour",
        "Video engineer",
        "Show operation, three show days",
        {"crew": "1", "hours": ("36", "40", "48"), "calls": 5},
    ),
    (
        "labour",
        "Project manager",
        "Advance, site and settlement",
        {"crew": "1", "hours": ("50", "60", "80"), "calls": 6},
    ),
    (
        "subcontract",
        "",
        "Structural engineer: rigging plot sign-off",
        {"cost": "4200", "markup": "15"},
    ),
    ("subcontract", "", "Content studio: 360° wrap-around loop", {"cost": "12000", "markup": "12"}),
    ("expense", "", "Freight, two 53 ft trucks round trip", {"cost": "7800", "markup": "10"}),
    ("expense", "", "Crew hotel and per diems", {"cost": "6400", "markup": "0"}),
]

# What halving the booth changes: half the ring, one processor, half the motors and crews.
HALF_BOOTH = {
    "LED-P26-IN": {"qty": "120", "description": "30 m² half ring, 15 × 2 m"},
    "LED-CURVE-26": {"qty": "30"},
    "LED-FLY-BAR": {"qty": "30"},
    "PROC-BROMPTON-S8": {"qty": "1", "description": "Single processor, spare on the shelf"},
    "TRUSS-F34-3M": {"qty": "12", "description": "Half-circle grid"},
    "RIG-HOIST-500": {"qty": "4"},
    "RIG-CTRL-8": {"qty": "1"},
    "CAB-FIBRE-100": {"qty": "2"},
    UNION_RIGGER: {"crew": "4", "hours": ("18", "22", "32")},
    "LED technician": {"crew": "3", "hours": ("24", "30", "42")},
    UNION_STAGEHAND: {"crew": "6", "hours": ("14", "18", "24")},
    "Content studio: 360° wrap-around loop": {"cost": "7500"},
    "Freight, two 53 ft trucks round trip": {
        "cost": "4300",
        "name": "Freight, one 53 ft truck round trip",
    },
}


def _floor_plan_pdf() -> bytes:
    """A one-page PDF of the booth's floor plan: the 20 × 20 m island and the ring above it."""
    drawing = (
        b"0.2 0.2 0.2 RG 2 w 100 200 400 400 re S "
        b"0.9 0.4 0.1 RG 6 w 140 400 m 140 600 460 600 460 400 c 460 200 140 200 140 400 c S "
        b"BT /F1 18 Tf 100 640 Td (Kestrel Robotics - island booth 20 x 20 m) Tj ET "
        b"BT /F1 11 Tf 100 170 Td (LED ring 30 m round, 2 m tall, trim 4.6 m / 15 ft) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(ctx, days_ago: int, hour: int) -> dt.datetime:
    # Rates start on 1 January: nothing is priced before the year's rate card.
    day = max(ctx.days_ago(days_ago), dt.date(ctx.today.year, 1, 1))
    return ctx.at(day, hour=hour)


def _lines(spec, items, roles, changes=None) -> list[dict]:
    lines = []
    for kind, key, name, figures in spec:
        figures = {**figures, **(changes or {}).get(key or name, {})}
        line = {
            "kind": kind,
            "name": figures.get("name", name),
            "description": figures.get("description", ""),
        }
        if kind == LineKind.EQUIPMENT:
            line |= {"catalog_item": items[key], "qty": Decimal(figures["qty"])}
            if "unit_price" in figures:
                line["unit_price"] = Decimal(figures["unit_price"])
        elif kind == LineKind.LABOUR:
            low, likely, high = (Decimal(h) for h in figures["hours"])
            line |= {
                "role": roles[key],
                "crew_size": Decimal(figures["crew"]),
                "hours_low": low,
                "hours_likely": likely,
                "hours_high": high,
                "calls": figures.get("calls", 1),
                "overtime_share": Decimal(figures.get("ot", "0")),
            }
        else:
            line |= {"cost": Decimal(figures["cost"]), "markup_pct": Decimal(figures["markup"])}
        lines.append(line)
    return lines


def create_estimates(ctx) -> None:
    """The exhibit booth's request and its two scenarios, and requests in every state."""
    from tandem.demo.deals import EXHIBIT_BOOTH

    items = {item.sku: item for item in CatalogItem.objects.all()}
    roles = {role.name: role for role in LabourRole.objects.all()}
    sam, sofia, pat, rory = (ctx.users[name] for name in ("sam", "sofia", "pat", "rory"))
    booth = Deal.objects.get(name=EXHIBIT_BOOTH)

    request = do_create_request(
        sam,
        booth,
        title="Kestrel booth: 360° LED ring, 15 ft up",
        brief=(
            "Kestrel wants a curved LED screen that goes all the way around the booth, 15 feet "
            "up in the air, so the robots below are framed from every aisle. 20 × 20 m island "
            "booth, 3 show days plus 2 days build and 1 strike. They will supply content "
            "direction; we produce the loop. Budget range first, detail later."
        ),
        needed_by=ctx.days_ago(16),
        venue="McCormick Place, Chicago (union hall)",
        dimensions="20 × 20 m island, 9 m ceiling, hang points every 6 m",
        event_start=ctx.today + dt.timedelta(days=110),
        event_end=ctx.today + dt.timedelta(days=112),
        estimators=[(pat, "everything"), (rory, "labour")],
        files=[
            SimpleUploadedFile("kestrel-booth-floor-plan.pdf", _floor_plan_pdf(), "application/pdf")
        ],
        now=_at(ctx, 24, 10),
    )
    full = do_create_estimate(
        pat,
        booth,
        name="Full 360° screen",
        request=request,
        venue_type="convention",
        screen_area_m2=Decimal("60"),
        show_days=3,
        now=_at(ctx, 21, 9),
    )
    first = _lines(FULL_BOOTH, items, roles)
    do_save_version(
        full,
        pat,
        base_number=0,
        lines=first,
        contingency_pct=Decimal("5"),
        note="First pass from the brief",
        now=_at(ctx, 21, 16),
    )
    # Rory's crew check: riggers need longer on a 30 m ring than the first pass allowed.
    second = _lines(
        FULL_BOOTH,
        items,
        roles,
        {UNION_RIGGER: {"hours": ("26", "32", "44")}},
    )
    do_save_version(
        full,
        rory,
        base_number=1,
        lines=second,
        contingency_pct=Decimal("5"),
        note="Rigger hours after the venue walk-through",
        now=_at(ctx, 19, 11),
    )
    do_return_request(
        request, pat, note="Full ring priced; see the budget range.", now=_at(ctx, 18, 15)
    )
    do_send_round_again(
        request,
        sam,
        note="Client asks: what if we did half the booth? Same height, ring on the front half only.",
        needed_by=ctx.today + dt.timedelta(days=3),
        now=_at(ctx, 12, 9),
    )
    half = do_copy_estimate(
        full, pat, name="Half booth", screen_area_m2=Decimal("30"), now=_at(ctx, 10, 10)
    )
    do_save_version(
        half,
        pat,
        base_number=1,
        lines=_lines(
            FULL_BOOTH, items, roles, {UNION_RIGGER: {"hours": ("26", "32", "44")}, **HALF_BOOTH}
        ),
        contingency_pct=Decimal("5"),
        note="Halved the screen, one processor, smaller crews",
        now=_at(ctx, 10, 15),
    )
    do_return_request(
        request, pat, note="Half booth priced beside the full ring.", now=_at(ctx, 9, 17)
    )
    _other_requests(ctx, sam, sofia, pat, rory)
    # These notices are the demo's past: they sit in the inbox, but nobody is emailed now.
    Notification.objects.filter(kind="estimate_request", emailed_at__isnull=True).update(
        emailed_at=ctx.now
    )


def _other_requests(ctx, sam, sofia, pat, rory) -> None:
    deals = list(
        Deal.objects.filter(stage__is_won=False, stage__is_lost=False, nurture=False)
        .exclude(estimate_requests__isnull=False)
        .select_related("account", "owner")
        .order_by("target_close_date", "id")[:6]
    )
    if len(deals) < 3:
        return
    overdue, declined, working = deals[0], deals[1], deals[2]
    # The keynote is worked on a deal that closes within the month, so it shows on the
    # estimators' Today page among the deals they are on that close soon.
    soon = (
        Deal.objects.filter(
            stage__is_won=False,
            stage__is_lost=False,
            nurture=False,
            target_close_date__gt=ctx.today + dt.timedelta(days=7),
            target_close_date__lte=ctx.today + dt.timedelta(days=30),
        )
        .exclude(estimate_requests__isnull=False)
        .exclude(pk__in=[overdue.pk, declined.pk])
        .select_related("account", "owner")
        .order_by("target_close_date", "id")
        .first()
    )
    working = soon or working
    do_create_request(
        overdue.owner,
        overdue,
        title=f"{overdue.account.name}: budget for the AV refresh",
        brief="Room-by-room budget for displays, conferencing and control, 12 rooms.",
        needed_by=ctx.days_ago(3),
        venue=overdue.account.name,
        estimators=[(pat, "equipment"), (rory, "schedule")],
        now=_at(ctx, 14, 11),
    )
    request = do_create_request(
        declined.owner,
        declined,
        title=f"{declined.account.name}: outdoor screen for the summer series",
        brief="Outdoor LED for six weekends, 4.8 mm, 40 m², weatherproof staging.",
        needed_by=ctx.today + dt.timedelta(days=5),
        estimators=[(pat, "everything")],
        now=_at(ctx, 8, 14),
    )
    do_decline_request(
        request,
        pat,
        reason="We have no outdoor 4.8 mm stock free on those weekends; suggest a partner quote.",
        now=_at(ctx, 7, 9),
    )
    request = do_create_request(
        working.owner,
        working,
        title=f"{working.account.name}: keynote staging",
        brief="Main stage with a 12 × 4 m LED backdrop, two IMAG screens, 1,200 seats.",
        needed_by=ctx.today + dt.timedelta(days=6),
        estimators=[(rory, "everything"), (pat, "schedule")],
        now=_at(ctx, 2, 10),
    )
    do_create_estimate(
        rory,
        working,
        name="Main stage",
        request=request,
        venue_type="hotel",
        screen_area_m2=Decimal("48"),
        show_days=1,
        now=_at(ctx, 1, 9),
    )
    # An installation still ahead of its close date, with nothing estimated yet.
    taken = (
        Deal.objects.filter(
            stage__is_won=False,
            stage__is_lost=False,
            nurture=False,
            project_type="av_installation",
            target_close_date__gte=ctx.today + dt.timedelta(days=14),
            estimates__isnull=True,
            estimate_requests__isnull=True,
        )
        .order_by("target_close_date", "id")
        .first()
    )
    if taken is None:
        return
    items = {item.sku: item for item in CatalogItem.objects.all()}
    roles = {role.name: role for role in LabourRole.objects.all()}
    lobby = do_create_estimate(
        pat, taken, name="Phase one: lobby video wall", venue_type="corporate", now=_at(ctx, 6, 10)
    )
    do_save_version(
        lobby,
        pat,
        base_number=0,
        lines=_lines(LOBBY_WALL, items, roles),
        contingency_pct=Decimal("5"),
        note="Priced from the site photos",
        now=_at(ctx, 6, 15),
    )
    # Accepted yesterday; the deal's next step is older, so its page asks for a new one.
    do_accept_estimate(lobby, taken.owner, now=_at(ctx, 1, 11))
