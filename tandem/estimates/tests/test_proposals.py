import dataclasses
import datetime as dt
import re
import runpy
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

import tandem.settings
from tandem.catalog import services
from tandem.catalog.tests.factories import CatalogItemFactory
from tandem.estimates.models import LineKind
from tandem.estimates.proposals import render as proposals
from tandem.estimates.requests.services import do_create_request
from tandem.estimates.scenarios.fetch import COST_FIELDS
from tandem.estimates.scenarios.services import (
    do_accept_estimate,
    do_create_estimate,
    do_save_version,
)
from tandem.people.tests.factories import UserFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)
# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def rigger():
    role = services.do_create_role(None, name="Rigger", union=True)
    services.do_add_rate(
        role, None, effective_from=JAN, cost_rate=Decimal("67.89"), bill_rate=Decimal("110")
    )
    return role


@pytest.fixture
def panel():
    return CatalogItemFactory(
        name="LED panel 2.6 mm",
        unit_cost=Decimal("123.45"),
        list_price=Decimal("250"),
        lead_time_days=21,
    )


@pytest.fixture
def deal(seller):
    return DealFactory(name="Spring expo booth", account__name="Acme Events & Co.", owner=seller)


def _lines(panel, rigger):
    return [
        {"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("2")},
        {
            "kind": LineKind.LABOUR,
            "role": rigger,
            "name": "Truss crew",
            "description": "Flying the 360° screen",
            "crew_size": Decimal("2"),
            "hours_low": Decimal("8"),
            "hours_likely": Decimal("10"),
            "hours_high": Decimal("15"),
        },
        {
            "kind": LineKind.SUBCONTRACT,
            "name": "Rigging inspection",
            "cost": Decimal("4321.09"),
            "markup_pct": Decimal("17.5"),
        },
        {
            "kind": LineKind.EXPENSE,
            "name": "Freight",
            "cost": Decimal("98.76"),
            "markup_pct": Decimal("12.5"),
        },
    ]


@pytest.fixture
def estimate(deal, panel, rigger):
    estimate = do_create_estimate(None, deal, name="Full 360° screen")
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=_lines(panel, rigger),
        contingency_pct=Decimal("10"),
    )
    estimate.refresh_from_db()
    return estimate


def _url(estimate, name="estimates:proposal", query=""):
    return reverse(name, args=[estimate.pk]) + query


def _cost_figures(estimate) -> set[str]:
    """Every cost figure of the latest version, written the ways a page could print it."""
    version = estimate.latest_version
    values = [version.cost, version.margin, version.margin_pct]
    for line in version.lines.all():
        values += [line.unit_cost, line.cost_rate, line.line_cost, line.cost, line.markup_pct]
    figures = set()
    for value in values:
        if value:
            figures |= {f"{value:.2f}", f"{value:,.2f}", f"{value.normalize():f}"}
    return figures


def test_a_seller_sees_the_prices_and_none_of_the_costs(seller_client, estimate):
    response = seller_client.get(_url(estimate))

    assert response.status_code == 200
    html = response.content.decode()
    figures = _cost_figures(estimate)
    # The unit cost, cost rate and the costs of the specialist and the expense, at least.
    assert {"123.45", "67.89", "4,321.09", "98.76"} <= figures
    for figure in figures:
        assert figure not in html, figure
    # 2 panels at the list price; 2 riggers × PERT 10.5 h at 110; 4321.09 + 17.5 %;
    # 98.76 + 12.5 %; 10 % contingency on top.
    # Labour in whole units, the rest to the cent.
    for price in ("$500.00", "$250.00", "$2,310<", "$5,077.28", "$111.11", "$8,798.22"):
        assert price in html, price
    assert "<th>Contingency (10%)</th><td>$799.83</td>" in html
    assert "Acme Events &amp; Co." in html
    assert "Spring expo booth" in html
    assert "Full 360° screen" in html


def test_a_project_manager_who_sees_costs_elsewhere_sees_none_on_the_proposal(pm_client, estimate):
    html = pm_client.get(_url(estimate)).content.decode()

    for figure in _cost_figures(estimate):
        assert figure not in html, figure


def test_the_pdf_is_printed_from_a_page_without_costs(seller_client, estimate, monkeypatch):
    printed = []
    monkeypatch.setattr(proposals, "render_pdf", lambda html: printed.append(html) or b"%PDF-")

    response = seller_client.get(_url(estimate, "estimates:proposal_pdf"))

    assert response.status_code == 200
    (html,) = printed
    for figure in _cost_figures(estimate):
        assert figure not in html, figure
    assert "$8,798.22" in html
    # The page's own buttons are not printed.
    assert "Download PDF" not in html


def test_the_pdf_is_an_attachment_named_after_the_account_and_scenario(seller_client, estimate):
    response = seller_client.get(_url(estimate, "estimates:proposal_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-events-co-full-360-screen-v1.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 5_000


def test_the_proposal_data_has_sections_by_kind_and_adds_up_to_the_price(estimate):
    proposal = proposals.build_proposal(
        estimate, estimate.latest_version, today=dt.date(2026, 3, 2)
    )

    equipment, labour, specialists, expenses = proposal.sections
    assert [s.title for s in proposal.sections] == [
        "Equipment",
        "Labour",
        "Specialists",
        "Expenses",
    ]
    assert equipment.rows == (
        proposals.ProposalRow(
            name="LED panel 2.6 mm",
            description="",
            price=Decimal("500.00"),
            qty=Decimal("2"),
            unit_price=Decimal("250.00"),
        ),
    )
    assert labour.rows == (
        proposals.ProposalRow(
            name="Truss crew",
            description="Flying the 360° screen",
            price=Decimal("2310.00"),
            role="Rigger",
            crew=Decimal("2"),
            hours=Decimal("21"),
        ),
    )
    assert specialists.total == Decimal("5077.28")
    assert expenses.total == Decimal("111.11")
    assert proposal.subtotal == Decimal("7998.39")
    assert proposal.contingency == Decimal("799.83")
    assert proposal.subtotal + proposal.contingency == proposal.price == Decimal("8798.22")
    assert proposal.valid_until == dt.date(2026, 4, 1)
    assert proposal.lead_time_days == 21


def test_no_cost_field_can_reach_the_proposal_data():
    customer_fields = set(proposals.CUSTOMER_LINE_FIELDS)
    assert customer_fields.isdisjoint(COST_FIELDS)
    names = {
        field.name
        for cls in (proposals.Proposal, proposals.ProposalRow, proposals.Section)
        for field in dataclasses.fields(cls)
    } | customer_fields
    assert not [n for n in names if "cost" in n or "margin" in n or "markup" in n or "rate" in n]


def test_equipment_priced_by_markup_shows_its_unit_price_to_the_cent(deal, panel):
    estimate = do_create_estimate(None, deal, name="Half booth")
    version = do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[
            {
                "kind": LineKind.EQUIPMENT,
                "catalog_item": panel,
                "qty": Decimal("3"),
                "markup_pct": Decimal("33.3"),
            },
            # Not ordered: nothing to show the customer.
            {"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("0")},
        ],
    )

    proposal = proposals.build_proposal(estimate, version, today=JAN)

    (section,) = proposal.sections
    (row,) = section.rows
    # 3 × 123.45 × 1.333 = 493.68 to the cent; a third of it, to the cent.
    assert (row.price, row.unit_price) == (Decimal("493.68"), Decimal("164.56"))
    assert proposal.contingency == Decimal("0")
    assert not proposal.has_range


def _printed(html: str, pattern: str) -> list[Decimal]:
    # "−$0.01" and "$1,234.56" as the page prints them, back to numbers.
    return [
        Decimal(text.replace("−", "-").replace("$", "").replace(",", ""))
        for text in re.findall(pattern, html)
    ]


def test_without_contingency_the_rounding_is_shown_so_the_page_adds_up(seller_client, deal):
    estimate = do_create_estimate(None, deal, name="Catering run")
    expense = {"kind": LineKind.EXPENSE, "cost": Decimal("10.68"), "markup_pct": Decimal("12.5")}
    lines = [expense | {"name": name} for name in ("Lunch", "Dinner", "Water")]
    version = do_save_version(estimate, None, base_number=0, lines=lines)

    html = seller_client.get(_url(estimate)).content.decode()

    # 10.68 + 12.5 % is 12.015: 12.02 a line as printed; the three together, 36.045: 36.05.
    assert version.price == Decimal("36.05")
    section = html.split('id="section-expense"', 1)[1].split("</table>", 1)[0]
    lines, total_row = section.split('<tr class="section-total">')
    row_prices = _printed(lines, r'<td class="num">(\$[\d,.]+)</td>')
    (section_total,) = _printed(total_row, r'<td class="num">(\$[\d,.]+)</td>')
    totals = html.split('<table class="totals">', 1)[1].split("</table>", 1)[0]
    subtotal, rounding, total = _printed(totals, r"<td>(−?\$[\d,.]+)</td>")
    assert row_prices == [Decimal("12.02")] * 3
    assert section_total == sum(row_prices) == subtotal == Decimal("36.06")
    assert "<th>Rounding</th>" in totals
    assert "Contingency" not in totals
    assert rounding == Decimal("-0.01")
    assert subtotal + rounding == total == version.price


def test_without_contingency_or_rounding_only_the_total_is_shown(seller_client, deal):
    estimate = do_create_estimate(None, deal, name="Catering run")
    line = {"kind": LineKind.EXPENSE, "name": "Lunch", "cost": Decimal("10"), "markup_pct": 0}
    do_save_version(estimate, None, base_number=0, lines=[line])

    html = seller_client.get(_url(estimate)).content.decode()

    totals = html.split('<table class="totals">', 1)[1].split("</table>", 1)[0]
    assert "Subtotal" not in totals
    assert "Rounding" not in totals
    assert "<th>Total</th><td>$10.00</td>" in totals


def test_the_event_venue_dates_and_the_day_to_confirm_by_come_from_the_request(
    seller_client, seller, project_manager, deal, panel
):
    request = do_create_request(
        seller,
        deal,
        title="Expo booth",
        brief="360° screen over the booth.",
        needed_by=dt.date.today() + dt.timedelta(days=7),
        estimators=[(project_manager, "everything")],
        venue="McCormick Place, Hall B",
        event_start=dt.date(2099, 6, 10),
        event_end=dt.date(2099, 6, 12),
    )
    estimate = do_create_estimate(None, deal, name="Full booth", request=request)
    do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("4")}],
    )

    html = seller_client.get(_url(estimate)).content.decode()

    assert "McCormick Place, Hall B" in html
    assert "10 Jun 2099 – 12 Jun 2099" in html
    # The panels take 21 days: confirm three weeks before the show opens.
    assert "up to 21 days" in html
    assert "please confirm by <strong>20 May 2099</strong>" in html


def test_without_an_event_date_the_proposal_asks_to_allow_for_the_lead_time(
    seller_client, estimate
):
    html = seller_client.get(_url(estimate)).content.decode()

    assert "up to 21 days" in html
    assert "Please allow for this between your confirmation and the event." in html


def test_a_version_can_be_asked_for_by_number(seller_client, estimate, panel):
    do_save_version(
        estimate,
        None,
        base_number=1,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("40")}],
    )

    first = seller_client.get(_url(estimate, query="?version=1")).content.decode()
    latest = seller_client.get(_url(estimate)).content.decode()

    assert "$8,798.22" in first
    assert "version 1" in first
    assert "$10,000.00" in latest
    assert "version 2" in latest


def test_the_accepted_version_is_proposed_even_after_a_later_save(seller, estimate, panel):
    do_accept_estimate(estimate, seller)
    do_save_version(
        estimate,
        None,
        base_number=1,
        lines=[{"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("40")}],
    )
    estimate.refresh_from_db()

    assert proposals.proposal_version(estimate, None).number == 1
    assert proposals.proposal_version(estimate, "2").number == 2


@pytest.mark.parametrize("name", ["estimates:proposal", "estimates:proposal_pdf"])
@pytest.mark.parametrize("version", ["2", "0", "abc", "-1", "1.5", "1234567890123"])
def test_an_unknown_or_malformed_version_is_not_found(seller_client, estimate, name, version):
    response = seller_client.get(_url(estimate, name, f"?version={version}"))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["estimates:proposal", "estimates:proposal_pdf"])
def test_a_scenario_with_no_saved_version_has_nothing_to_propose_yet(seller_client, deal, name):
    estimate = do_create_estimate(None, deal, name="Half booth")

    response = seller_client.get(_url(estimate, name))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Nothing to propose yet" in response.content.decode()


def test_an_unknown_scenario_is_not_found(seller_client, estimate):
    response = seller_client.get(reverse("estimates:proposal", args=[estimate.pk + 1000]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["estimates:proposal", "estimates:proposal_pdf"])
def test_someone_who_cannot_see_estimates_is_refused(client, estimate, name):
    outsider = UserFactory(username="outsider")
    outsider.groups.clear()
    client.force_login(outsider)

    response = client.get(_url(estimate, name))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["estimates:proposal", "estimates:proposal_pdf"])
def test_signed_out_visitors_are_sent_to_sign_in(client, estimate, name):
    response = client.get(_url(estimate, name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_post_is_refused(seller_client, estimate):
    assert seller_client.post(_url(estimate)).status_code == 405


def test_the_page_carries_the_company_brand_and_terms(seller_client, estimate, settings):
    settings.TANDEM_COMPANY_NAME = "Northlight AV & Staging"
    settings.TANDEM_COMPANY_EMAIL = "hello@northlight.example"
    settings.TANDEM_BRAND_COLOUR = "#ffd60a"
    settings.TANDEM_PROPOSAL_TERMS = "Half on signing, half after the show."
    settings.TANDEM_PROPOSAL_VALID_DAYS = 14

    html = seller_client.get(_url(estimate)).content.decode()

    assert "Northlight AV &amp; Staging" in html
    assert "hello@northlight.example" in html
    assert "--brand: #ffd60a; --on-brand: #1b2533;" in html
    assert "Half on signing, half after the show." in html
    valid_until = timezone.localdate() + dt.timedelta(days=14)
    assert f"{valid_until.day} {valid_until:%b %Y}" in html
    assert "<img" not in html


def test_the_logo_is_embedded_in_the_page(seller_client, estimate, settings, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    settings.TANDEM_COMPANY_LOGO = str(logo)

    html = seller_client.get(_url(estimate)).content.decode()

    assert '<img src="data:image/png;base64,iVBORw0KGgo' in html


@pytest.mark.parametrize("name", ["missing.png", "logo.gif"])
def test_a_missing_or_unusable_logo_leaves_the_logo_out(
    seller_client, estimate, settings, tmp_path, name
):
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    settings.TANDEM_COMPANY_LOGO = str(tmp_path / name)

    response = seller_client.get(_url(estimate))

    assert response.status_code == 200
    assert "<img" not in response.content.decode()


def test_a_light_brand_colour_gets_dark_text_and_a_dark_one_white(settings):
    settings.TANDEM_BRAND_COLOUR = "#fd0"
    assert proposals.branding().on_colour == "#1b2533"
    settings.TANDEM_BRAND_COLOUR = "#1f3a5f"
    assert proposals.branding().on_colour == "#ffffff"


def _load_settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(Path(tandem.settings.__file__))


@pytest.mark.parametrize("colour", ["blue", "#12345", "1f3a5f", "#1f3a5f;}body{x:y"])
def test_a_brand_colour_that_is_not_hex_stops_start_up(monkeypatch, colour):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        _load_settings(monkeypatch, TANDEM_BRAND_COLOUR=colour)

    assert str(excinfo.value) == (
        f"TANDEM_BRAND_COLOUR must be a hex colour such as #1f3a5f, got {colour!r}"
    )


def test_bad_paper_and_validity_settings_stop_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="TANDEM_PROPOSAL_PAPER must be letter or a4"):
        _load_settings(monkeypatch, TANDEM_PROPOSAL_PAPER="legal")
    monkeypatch.delenv("TANDEM_PROPOSAL_PAPER")
    with pytest.raises(ImproperlyConfigured, match="TANDEM_PROPOSAL_VALID_DAYS must be 1"):
        _load_settings(monkeypatch, TANDEM_PROPOSAL_VALID_DAYS="0")


def test_blank_proposal_settings_take_their_defaults(monkeypatch):
    for name in ("TANDEM_COMPANY_NAME", "TANDEM_BRAND_COLOUR", "TANDEM_PROPOSAL_TERMS"):
        monkeypatch.setenv(name, "")
    loaded = _load_settings(monkeypatch, TANDEM_PROPOSAL_PAPER="A4")

    assert loaded["TANDEM_COMPANY_NAME"] == "Tandem"
    assert loaded["TANDEM_BRAND_COLOUR"] == "#1f3a5f"
    assert loaded["TANDEM_PROPOSAL_TERMS"].startswith("The total is our price")
    assert loaded["TANDEM_PROPOSAL_PAPER"] == "a4"


@pytest.mark.parametrize(
    ("account", "scenario", "expected"),
    [
        ("Acme Events & Co.", "Half booth", "acme-events-co-half-booth-v3.pdf"),
        ("北京展览", "Half booth", "half-booth-v3.pdf"),
        ("北京展览", "全场", "proposal-v3.pdf"),
    ],
)
def test_the_pdf_file_name_is_plain_letters(account, scenario, expected):
    proposal = dataclasses.replace(
        _blank_proposal(),
        account=account,
        scenario=scenario,
        version_number=3,
    )

    assert proposals.pdf_filename(proposal) == expected


def _blank_proposal():
    return proposals.Proposal(
        currency="USD",
        account="",
        deal="",
        scenario="",
        version_number=1,
        issued_on=JAN,
        valid_until=JAN,
        seller_name="",
        seller_email="",
        venue="",
        event_start=None,
        event_end=None,
        sections=(),
        subtotal=Decimal(0),
        contingency_pct=Decimal(0),
        contingency=Decimal(0),
        rounding=Decimal(0),
        price=Decimal(0),
        budget_low=Decimal(0),
        budget_high=Decimal(0),
        lead_time_days=0,
        order_by=None,
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_proposal_takes_the_same_queries_for_5_and_50_lines(
    seller_client, deal, panel, rigger, django_assert_num_queries, rows
):
    estimate = do_create_estimate(None, deal, name="Big booth")
    lines = [
        {"kind": LineKind.EQUIPMENT, "catalog_item": panel, "qty": Decimal("1")}
        if n % 2
        else {
            "kind": LineKind.LABOUR,
            "role": rigger,
            "crew_size": Decimal("1"),
            "hours_low": Decimal("4"),
            "hours_likely": Decimal("4"),
            "hours_high": Decimal("4"),
        }
        for n in range(rows)
    ]
    do_save_version(estimate, None, base_number=0, lines=lines)

    # Session, user, the user's and their group's permissions, the scenario with its deal,
    # account, owner and request, its latest version, and the lines.
    with django_assert_num_queries(7):
        response = seller_client.get(_url(estimate))

    assert response.status_code == 200


def _crew_of_three(rigger, hours="10.25", name="Load-in crew"):
    hours = Decimal(hours)
    return {
        "kind": LineKind.LABOUR,
        "role": rigger,
        "name": name,
        "crew_size": Decimal("3"),
        "hours_low": hours,
        "hours_likely": hours,
        "hours_high": hours,
    }


def test_labour_shows_whole_hours_and_whole_amounts_and_the_page_still_adds_up(
    seller_client, deal, rigger
):
    estimate = do_create_estimate(None, deal, name="Crew only")
    version = do_save_version(
        estimate,
        None,
        base_number=0,
        lines=[_crew_of_three(rigger)],
        contingency_pct=Decimal("10"),
    )

    html = seller_client.get(_url(estimate)).content.decode()

    # 3 × 10.25 h = 30.75 h at 110: 3,382.50; with 10 % contingency, 3,720.75.
    assert version.price == Decimal("3720.75")
    section = html.split('id="section-labour"', 1)[1].split("</table>", 1)[0]
    assert '<td class="num">3</td><td class="num">31 h</td>' in section
    assert '<td class="num">$3,383</td>' in section
    assert ".50" not in section
    assert "30.75" not in section
    totals = html.split('<table class="totals">', 1)[1].split("</table>", 1)[0]
    subtotal, contingency, rounding, total = _printed(totals, r"<td>(−?\$[\d,.]+)</td>")
    assert "<th>Contingency (10%)</th>" in totals
    assert "<th>Rounding</th>" in totals
    # The contingency is 10 % of the lines' own prices; the rounded-off half stays visible.
    assert (subtotal, contingency, rounding) == (
        Decimal("3383"),
        Decimal("338.25"),
        Decimal("-0.50"),
    )
    assert subtotal + contingency + rounding == total == version.price


def test_a_company_that_shows_cents_sees_labour_as_estimated(seller_client, deal, rigger, settings):
    settings.TANDEM_PROPOSAL_LABOUR_CENTS = True
    estimate = do_create_estimate(None, deal, name="Crew only")
    do_save_version(estimate, None, base_number=0, lines=[_crew_of_three(rigger)])

    html = seller_client.get(_url(estimate)).content.decode()

    section = html.split('id="section-labour"', 1)[1].split("</table>", 1)[0]
    assert '<td class="num">30.75 h</td>' in section
    assert section.count("$3,382.50") == 2  # the line and the labour total
    totals = html.split('<table class="totals">', 1)[1].split("</table>", 1)[0]
    assert "Rounding" not in totals
    assert "<th>Total</th><td>$3,382.50</td>" in totals


@pytest.mark.parametrize(
    ("expected", "shown"),
    [("0", "0"), ("0.2", "1"), ("0.5", "1"), ("2.49", "2"), ("2.5", "3"), ("40", "40")],
)
def test_whole_hours_round_half_up_and_a_crew_that_comes_is_an_hour_at_least(expected, shown):
    line = {
        "kind": LineKind.LABOUR,
        "name": "Crew",
        "description": "",
        "qty": None,
        "crew_size": Decimal("1"),
        "expected_hours": Decimal(expected),
        "line_price": Decimal("10.49"),
        "role__name": "Rigger",
    }

    row = proposals._row(line, labour_cents=False)

    assert row.hours == Decimal(shown)
    assert row.price == Decimal("10")


def test_the_labour_cents_setting_must_be_true_or_false(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="TANDEM_PROPOSAL_LABOUR_CENTS must be true"):
        _load_settings(monkeypatch, TANDEM_PROPOSAL_LABOUR_CENTS="cents")
    monkeypatch.delenv("TANDEM_PROPOSAL_LABOUR_CENTS")
    assert _load_settings(monkeypatch)["TANDEM_PROPOSAL_LABOUR_CENTS"] is False


def _page_texts(html: str) -> list[str]:
    """The text WeasyPrint lays out on each printed page, in reading order."""
    from weasyprint import HTML

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    # WeasyPrint has no public text API; each page keeps its laid-out box tree.
    document = HTML(string=html).render()
    return [" ".join(texts(page._page_box)) for page in document.pages]


def test_a_long_proposal_repeats_the_header_on_every_page_and_the_total_once_at_the_end(
    seller_client, deal, rigger, monkeypatch
):
    estimate = do_create_estimate(None, deal, name="Arena tour")
    lines = [_crew_of_three(rigger, name=f"Crew call {n:02}") for n in range(1, 61)]
    do_save_version(estimate, None, base_number=0, lines=lines)
    printed = []
    monkeypatch.setattr(proposals, "render_pdf", lambda html: printed.append(html) or b"%PDF-")
    seller_client.get(_url(estimate, "estimates:proposal_pdf"))
    (html,) = printed

    pages = _page_texts(html)

    with_lines = [text for text in pages if "Crew call" in text]
    assert len(with_lines) >= 2
    # Every page with labour lines starts its table with the column headings.
    for text in with_lines:
        assert "Crew People Total hours Price" in text
        assert text.index("Crew People Total hours Price") < text.index("Crew call")
    everything = " ".join(pages)
    assert everything.count("Labour total") == 1
    # The total comes after the last line, and reads the sum of the 60 lines above it.
    assert everything.index("Crew call 60") < everything.index("Labour total $202,980")
    assert "Labour total" not in " ".join(pages[: pages.index(with_lines[-1])])
