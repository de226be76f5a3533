"""A scenario's proposal for the customer: what we will supply and its price, never our costs.

`build_proposal` reads a saved version's lines through a list of the fields a customer may
see (`CUSTOMER_LINE_FIELDS`), so unit costs, cost rates, line costs and markups never leave
the database for a proposal, whoever asks for it. `render_pdf` turns the proposal page into a
PDF with WeasyPrint.
"""

import base64
import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils.text import slugify

from tandem.estimates.models import Estimate, EstimateVersion, LineKind

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
WHOLE = Decimal(1)
# The only line fields a proposal reads. A cost field added here would reach the customer.
CUSTOMER_LINE_FIELDS = (
    "kind",
    "name",
    "description",
    "qty",
    "crew_size",
    "expected_hours",
    "line_price",
    "role__name",
)
SECTIONS = (
    (LineKind.EQUIPMENT, "Equipment"),
    (LineKind.LABOUR, "Labour"),
    (LineKind.SUBCONTRACT, "Specialists"),
    (LineKind.EXPENSE, "Expenses"),
)
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}
LOGO_MAX_BYTES = 2 * 1024 * 1024
# Version numbers are small; a longer string is a typo or a probe, not a version.
VERSION_PARAM = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True, slots=True)
class Branding:
    """The company the proposal comes from and its terms, as the settings describe them.

    `on_colour` is the text colour (black or white) that reads on `colour`; `logo` is the
    logo as a data URI, so the page and the PDF carry it without serving a file, or "".
    """

    name: str
    address: str
    email: str
    phone: str
    colour: str
    on_colour: str
    logo: str
    paper: str
    terms: str


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """One line as the customer sees it. Equipment has `qty` and `unit_price`; labour has
    `role`, `crew` and `hours` (expected hours of the whole crew); the rest only a price."""

    name: str
    description: str
    price: Decimal
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    role: str = ""
    crew: Decimal | None = None
    hours: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """One table of the proposal. `whole` prints its prices in whole units (labour, unless
    the company shows labour to the cent); its rows' prices are then whole already, so the
    total printed under them is their sum."""

    kind: str
    title: str
    rows: tuple[ProposalRow, ...]
    total: Decimal
    whole: bool = False


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a customer's proposal shows: who it is for, the sections, totals and dates.

    `subtotal` is the sum of the line prices as printed, `contingency` the version's
    contingency (zero without a contingency percent) and `rounding` the rest, so the figures
    on the page add up to `price`, the version's price to the cent. The rest is rounding: the
    line prices are rounded each on its own (labour to whole units unless the company shows
    cents), the price once, so they may differ by a cent or a few units.
    `order_by` is the last day to confirm so that the slowest equipment arrives before the
    event starts (None without an event date or equipment with a lead time).
    """

    currency: str
    account: str
    deal: str
    scenario: str
    version_number: int
    issued_on: dt.date
    valid_until: dt.date
    seller_name: str
    seller_email: str
    venue: str
    event_start: dt.date | None
    event_end: dt.date | None
    sections: tuple[Section, ...]
    subtotal: Decimal
    contingency_pct: Decimal
    contingency: Decimal
    rounding: Decimal
    price: Decimal
    budget_low: Decimal
    budget_high: Decimal
    lead_time_days: int
    order_by: dt.date | None

    @property
    def shows_subtotal(self) -> bool:
        # Rounding alone is shown too: a total the printed lines do not add up to reads as
        # a mistake, and the total must stay the price the deal carries.
        return bool(self.contingency_pct or self.rounding)

    @property
    def contingency_size(self) -> Decimal:
        """The contingency without its sign, for a page that prints a minus of its own."""
        return abs(self.contingency)

    @property
    def rounding_size(self) -> Decimal:
        return abs(self.rounding)

    @property
    def has_range(self) -> bool:
        return self.budget_low != self.budget_high

    @property
    def order_by_passed(self) -> bool:
        return self.order_by is not None and self.order_by < self.issued_on


def proposal_version(estimate: Estimate, number: str | None) -> EstimateVersion | None:
    """The version to propose: version `number` when asked for, else the accepted one, else
    the latest; None when the scenario has no saved version yet.

    Raises Http404 for a number that is not a whole number or not a version of the scenario.
    """
    if number:
        if not VERSION_PARAM.fullmatch(number):
            raise Http404("Version must be a version number, such as 2.")
        version = estimate.versions.filter(number=int(number)).first()
        if version is None:
            raise Http404(f"{estimate.name} has no version {int(number)}.")
        return version
    return estimate.accepted_version or estimate.latest_version


def build_proposal(
    estimate: Estimate,
    version: EstimateVersion,
    *,
    today: dt.date,
    labour_cents: bool | None = None,
) -> Proposal:
    """Gather a version's proposal: its lines by section, totals, budget range and dates.

    Reads the lines once, through CUSTOMER_LINE_FIELDS only. `estimate` needs its deal,
    account, owner and request loaded (access.get_estimate_for_user does so). Equipment of
    quantity zero is left out: nothing of it is supplied. The proposal is issued `today` and
    holds for TANDEM_PROPOSAL_VALID_DAYS. Labour shows whole hours and whole amounts unless
    `labour_cents` (by default TANDEM_PROPOSAL_LABOUR_CENTS); the cents a rounded labour
    price leaves out are shown with the rounding, so the page still adds up to the price.
    """
    if labour_cents is None:
        labour_cents = settings.TANDEM_PROPOSAL_LABOUR_CENTS
    lines = list(version.lines.order_by("position").values(*CUSTOMER_LINE_FIELDS))
    rows: dict[str, list[ProposalRow]] = {kind: [] for kind, _ in SECTIONS}
    for line in lines:
        row = _row(line, labour_cents=labour_cents)
        if row is not None:
            rows[line["kind"]].append(row)
    sections = tuple(
        Section(
            kind,
            title,
            tuple(rows[kind]),
            sum((r.price for r in rows[kind]), Decimal(0)),
            whole=kind == LineKind.LABOUR and not labour_cents,
        )
        for kind, title in SECTIONS
        if rows[kind]
    )
    subtotal = sum((section.total for section in sections), Decimal(0))
    # The contingency is on the lines' own prices, not on the rounded ones printed.
    exact = sum((line["line_price"] for line in lines), Decimal(0))
    contingency = version.price - exact if version.contingency_pct else Decimal(0)
    deal = estimate.deal
    request = estimate.request
    event_start = request.event_start if request else None
    lead = version.longest_lead_time_days
    return Proposal(
        currency=estimate.currency,
        account=deal.account.name,
        deal=deal.name,
        scenario=estimate.name,
        version_number=version.number,
        issued_on=today,
        valid_until=today + dt.timedelta(days=settings.TANDEM_PROPOSAL_VALID_DAYS),
        seller_name=deal.owner.name,
        seller_email=deal.owner.email,
        venue=request.venue if request else "",
        event_start=event_start,
        event_end=request.event_end if request else None,
        sections=sections,
        subtotal=subtotal,
        contingency_pct=version.contingency_pct,
        contingency=contingency,
        # The page adds up to the price the deal carries, to the cent.
        rounding=version.price - subtotal - contingency,
        price=version.price,
        budget_low=version.budget_low,
        budget_high=version.budget_high,
        lead_time_days=lead,
        order_by=event_start - dt.timedelta(days=lead) if event_start and lead else None,
    )


def _row(line: dict, *, labour_cents: bool) -> ProposalRow | None:
    kind = line["kind"]
    base = {"name": line["name"], "description": line["description"], "price": line["line_price"]}
    if kind == LineKind.EQUIPMENT:
        qty = line["qty"]
        if not qty:
            return None
        unit_price = (line["line_price"] / qty).quantize(CENT, rounding=ROUND_HALF_UP)
        return ProposalRow(**base, qty=_plain(qty), unit_price=unit_price)
    if kind == LineKind.LABOUR:
        role = line["role__name"] or ""
        hours = line["expected_hours"] or Decimal(0)
        if not labour_cents:
            base["price"] = base["price"].quantize(WHOLE, rounding=ROUND_HALF_UP)
            hours = _whole_hours(hours)
        return ProposalRow(
            **base,
            # The role says who comes when the line has a name of its own ("Load-in crew").
            role="" if role == line["name"] else role,
            crew=_plain(line["crew_size"]),
            hours=_plain(hours),
        )
    return ProposalRow(**base)


def _whole_hours(hours: Decimal) -> Decimal:
    # A crew that comes at all comes for an hour at least: 0.4 h is not shown as 0 h.
    if hours <= 0:
        return Decimal(0)
    return max(hours.quantize(WHOLE, rounding=ROUND_HALF_UP), WHOLE)


def _plain(number: Decimal) -> Decimal:
    """10.00 → 10 and 2.50 → 2.5, for quantities and hours a person reads."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def branding() -> Branding:
    """The company's letterhead from the settings, its logo read now (absent when missing)."""
    colour = settings.TANDEM_BRAND_COLOUR
    return Branding(
        name=settings.TANDEM_COMPANY_NAME,
        address=settings.TANDEM_COMPANY_ADDRESS,
        email=settings.TANDEM_COMPANY_EMAIL,
        phone=settings.TANDEM_COMPANY_PHONE,
        colour=colour,
        on_colour=_text_colour_on(colour),
        logo=_logo_data_uri(settings.TANDEM_COMPANY_LOGO),
        paper=settings.TANDEM_PROPOSAL_PAPER,
        terms=settings.TANDEM_PROPOSAL_TERMS,
    )


def _text_colour_on(colour: str) -> str:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    # Perceived brightness (ITU-R BT.601 weights): white text on dark brands, black on light.
    return "#ffffff" if (299 * red + 587 * green + 114 * blue) / 1000 < 150 else "#1b2533"


def _logo_data_uri(setting: str) -> str:
    if not setting:
        return ""
    path = Path(setting)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    media_type = LOGO_TYPES.get(path.suffix.lower())
    if media_type is None:
        logger.warning("TANDEM_COMPANY_LOGO %s is not a PNG, SVG or JPG: no logo shown.", path)
        return ""
    # A missing or unreadable logo must not stop a seller sending the proposal.
    try:
        if path.stat().st_size > LOGO_MAX_BYTES:
            logger.warning("TANDEM_COMPANY_LOGO %s is over 2 MB: no logo shown.", path)
            return ""
        data = path.read_bytes()
    except OSError as error:
        logger.warning("TANDEM_COMPANY_LOGO %s cannot be read (%s): no logo shown.", path, error)
        return ""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def pdf_filename(proposal: Proposal) -> str:
    """account-scenario-vN.pdf, in plain letters a mail client keeps."""
    stem = "-".join(
        part for part in (slugify(proposal.account), slugify(proposal.scenario)) if part
    )
    return f"{stem or 'proposal'}-v{proposal.version_number}.pdf"


def render_pdf(html: str) -> bytes:
    """Print the proposal page to PDF. Only data: URLs are fetched (the logo is one), so text
    in the page cannot make the server fetch anything."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
