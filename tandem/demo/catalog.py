"""The demo company's suppliers, catalog of AV gear and crew rates, written through the services."""

from decimal import Decimal

from tandem.catalog.models import CatalogItem, Supplier
from tandem.catalog.services import do_create_item, do_create_supplier
from tandem.demo.rates import create_rates

SUPPLIERS = [
    ("Lumen Wall Systems", "Grace Whitfield", "orders@lumenwall.example", "+1 312 555 0141", 21),
    ("Northlight Projection", "Marcus Bell", "sales@northlight.example", "+1 773 555 0188", 10),
    ("Crestline Audio", "Priya Raman", "rentals@crestline.example", "+1 630 555 0112", 7),
    ("Summit Rigging Supply", "Tom Kowalski", "quotes@summitrig.example", "+1 708 555 0175", 14),
    ("TrussWorks Midwest", "Elena Novak", "desk@trussworks.example", "+1 847 555 0163", 5),
    ("Signal Path Cable Co.", "Dev Patel", "hello@signalpath.example", "+1 224 555 0107", 3),
]

# SKU, name, category, unit, unit cost, list price, supplier index, lead time (None: supplier's)
ITEMS = [
    ("LED-P19-IN", "LED panel 1.9 mm indoor 500×500", "led", "each", 690, 1150, 0, 35),
    ("LED-P26-IN", "LED panel 2.6 mm indoor 500×500", "led", "each", 410, 720, 0, None),
    ("LED-P29-IN", "LED panel 2.9 mm indoor 500×1000", "led", "each", 520, 890, 0, None),
    ("LED-P39-OUT", "LED panel 3.9 mm outdoor 500×1000", "led", "each", 610, 1040, 0, None),
    ("LED-P48-OUT", "LED panel 4.8 mm outdoor 500×1000", "led", "each", 480, 820, 0, None),
    ("LED-FLOOR-39", "LED floor tile 3.9 mm 500×500", "led", "each", 560, 980, 0, 28),
    ("LED-CURVE-26", "Curve lock bracket set, 2.6 mm", "led", "set", 85, 150, 0, None),
    ("LED-FLY-BAR", "LED header fly bar 1000 mm", "rigging", "each", 120, 210, 0, None),
    (
        "PROC-NOVA-VX1000",
        "LED video processor 6.5 M pixels",
        "processing",
        "each",
        3200,
        5400,
        0,
        14,
    ),
    ("PROC-BROMPTON-S8", "LED processor 4K, 8 outputs", "processing", "each", 9800, 15800, 0, 30),
    ("PROC-FIBRE-CONV", "Fibre converter 10G", "processing", "each", 900, 1500, 0, None),
    (
        "PROC-SWITCHER-4K",
        "Presentation switcher 4K, 12 inputs",
        "processing",
        "each",
        7400,
        11900,
        1,
        None,
    ),
    ("PROC-MEDIA-SRV", "Media server, 4 outputs 4K", "processing", "each", 16500, 26000, 1, 21),
    (
        "PJ-LASER-20K",
        "Laser projector 20,000 lm WUXGA",
        "projection",
        "each",
        38000,
        59000,
        1,
        None,
    ),
    ("PJ-LASER-31K", "Laser projector 31,000 lm 4K", "projection", "each", 72000, 108000, 1, 28),
    ("PJ-LENS-ST", "Short-throw lens 0.65–0.75:1", "projection", "each", 6400, 9900, 1, None),
    ("PJ-LENS-STD", "Standard zoom lens 1.2–1.8:1", "projection", "each", 3900, 6200, 1, None),
    ("PJ-LENS-LT", "Long-throw lens 2.9–5.5:1", "projection", "each", 7200, 11200, 1, None),
    ("PJ-FRAME", "Projector rigging frame", "rigging", "each", 750, 1250, 1, None),
    ("PJ-SCREEN-FAST", "Fast-fold screen 16:9, 4.3 m", "staging", "each", 1600, 2600, 1, None),
    ("AUD-LA-MAIN", "Line array cabinet, 2×10 in", "audio", "each", 5200, 8400, 2, None),
    ("AUD-LA-SUB", "Flown subwoofer 2×18 in", "audio", "each", 4800, 7700, 2, None),
    ("AUD-LA-BUMPER", "Line array bumper", "rigging", "each", 900, 1450, 2, None),
    ("AUD-AMP-4CH", "Amplified controller 4×4400 W", "audio", "each", 6100, 9600, 2, None),
    ("AUD-CONSOLE-64", "Digital mixing console 64 ch", "audio", "each", 21000, 32500, 2, 14),
    ("AUD-WIRELESS-HH", "Wireless handheld microphone kit", "audio", "each", 1400, 2300, 2, None),
    ("AUD-MONITOR-12", "Stage monitor wedge 12 in", "audio", "each", 1300, 2100, 2, None),
    ("RIG-HOIST-500", "Chain hoist 500 kg D8+", "rigging", "each", 2100, 3400, 3, None),
    ("RIG-HOIST-1000", "Chain hoist 1 t D8+", "rigging", "each", 2900, 4600, 3, None),
    ("RIG-CTRL-8", "Motor controller 8 channels", "rigging", "each", 3600, 5800, 3, None),
    ("RIG-SPANSET-2M", "Round sling 2 m, 2 t", "rigging", "each", 18, 35, 3, None),
    ("RIG-SHACKLE-3T", "Shackle 3.25 t", "rigging", "each", 12, 24, 3, None),
    ("RIG-LOADCELL", "Load cell, wireless", "rigging", "each", 1800, 2900, 3, 21),
    ("TRUSS-F34-1M", "Box truss F34, 1 m section", "truss", "each", 95, 165, 4, None),
    ("TRUSS-F34-3M", "Box truss F34, 3 m section", "truss", "each", 210, 360, 4, None),
    ("TRUSS-F44-3M", "Box truss F44, 3 m section", "truss", "each", 290, 490, 4, None),
    ("TRUSS-CORNER-4W", "Box corner 4-way F34", "truss", "each", 140, 240, 4, None),
    ("TRUSS-BASE", "Truss base plate 800 mm", "truss", "each", 110, 190, 4, None),
    ("CAB-SOCAPEX-20", "Socapex multicore 20 m", "cabling", "each", 240, 420, 5, None),
    ("CAB-CAT6-50", "CAT6 tactical cable 50 m", "cabling", "each", 95, 170, 5, None),
    ("CAB-FIBRE-100", "OpticalCON fibre 100 m", "cabling", "each", 680, 1150, 5, None),
    ("CAB-POWER-32A", "Powerlock feeder 32 A, per metre", "cabling", "metre", 6, 11, 5, None),
]


def create_catalog(ctx) -> None:
    """Add the suppliers and items that are not there yet (the demo can be seeded twice)."""
    create_rates(ctx)
    by = ctx.users.get("pat")
    existing = set(Supplier.objects.values_list("name", flat=True))
    suppliers = []
    for name, contact, email, phone, lead in SUPPLIERS:
        if name in existing:
            suppliers.append(Supplier.objects.get(name=name))
            continue
        suppliers.append(
            do_create_supplier(
                by,
                name=name,
                contact_name=contact,
                email=email,
                phone=phone,
                default_lead_time_days=lead,
            )
        )
    skus = set(CatalogItem.objects.values_list("sku", flat=True))
    for sku, name, category, unit, cost, price, supplier, lead in ITEMS:
        if sku in skus:
            continue
        do_create_item(
            by,
            sku=sku,
            name=name,
            category=category,
            unit=unit,
            unit_cost=Decimal(cost),
            list_price=Decimal(price),
            supplier=suppliers[supplier],
            lead_time_days=lead,
            now=ctx.now,
        )
