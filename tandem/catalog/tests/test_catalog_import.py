import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.catalog.imports import MAX_BYTES, do_import_catalog, dry_run
from tandem.catalog.models import CatalogItem
from tandem.catalog.tests.factories import CatalogItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db

HEADER = "sku,name,category,unit,unit_cost,list_price,supplier,lead_time_days,active\n"


def csv_file(body: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO((header + body).encode())


@pytest.fixture
def supplier():
    return SupplierFactory(name="Stageline")


def test_a_clean_file_reports_created_updated_and_unchanged(supplier):
    CatalogItemFactory(
        sku="OLD-1",
        name="Same",
        unit_cost=Decimal("1.00"),
        list_price=Decimal("2.00"),
        supplier=supplier,
        category="led",
        unit="each",
    )
    CatalogItemFactory(sku="OLD-2", name="Was", supplier=supplier)
    report = dry_run(
        csv_file(
            "NEW-1,Panel,LED,each,10,20,stageline,5,yes\n"
            "OLD-1,Same,led,each,1.00,2,Stageline,,\n"
            "OLD-2,Renamed,led,each,100,180,Stageline,,\n"
        )
    )
    assert not report.file_errors
    assert [r.status for r in report.rows] == ["created", "unchanged", "updated"]
    assert report.rows[2].changed == ["name"]
    assert CatalogItem.objects.count() == 2


def test_headers_are_case_and_space_insensitive(supplier):
    header = " SKU , Name,CATEGORY,unit,Unit Cost,list_price,Supplier\n"
    report = dry_run(csv_file("A,Panel,led,each,1,2,Stageline\n", header))
    assert not report.has_errors
    assert report.counts["created"] == 1


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("sku,name,category,unit,unit_cost,supplier\n", "list_price"),
        (HEADER.replace("active", "colour"), "colour"),
        ("A,Panel,led,each,1,2,Stageline\n", "Missing column"),
    ],
)
def test_wrong_or_missing_columns_are_one_file_error(supplier, header, words):
    report = dry_run(csv_file("A,Panel,led,each,1,2,Stageline,,\n", header))
    assert report.file_errors
    assert words in " ".join(report.file_errors)
    assert report.rows == []


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("A,Panel,led,each,abc,2,Stageline,,", "Unit cost is not a number"),
        ("A,Panel,led,each,1,-2,Stageline,,", "List price cannot be negative"),
        ("A,Panel,led,each,1.234,2,Stageline,,", "more than 2 decimal places"),
        ("A,Panel,led,each,NaN,2,Stageline,,", "not a number"),
        ("A,Panel,toaster,each,1,2,Stageline,,", "Unknown category"),
        ("A,Panel,led,furlong,1,2,Stageline,,", "Unknown unit"),
        ("A,Panel,led,each,1,2,Nobody Inc,,", "Unknown supplier"),
        (",Panel,led,each,1,2,Stageline,,", "SKU is missing"),
        ("A,,led,each,1,2,Stageline,,", "Name is missing"),
        ("A,Panel,led,each,,2,Stageline,,", "Unit cost is missing"),
        ("A,Panel,led,each,1,2,Stageline,-4,", "Lead time cannot be negative"),
        ("A,Panel,led,each,1,2,Stageline,soon,", "Lead time is not a whole number"),
        ("A,Panel,led,each,1,2,Stageline,,maybe", "Active must be yes or no"),
        ("A,Panel,led,each,1,2", "Expected 9 values"),
    ],
)
def test_bad_rows_are_reported_with_their_reason(supplier, row, reason):
    report = dry_run(csv_file("OK,Fine,led,each,1,2,Stageline,,\n" + row + "\n"))
    assert report.rows[0].status == "created"
    bad = report.rows[1]
    assert bad.status == "error"
    assert bad.line == 3
    assert reason in " ".join(bad.errors)


def test_a_sku_twice_in_the_file_is_an_error_on_both_lines(supplier):
    report = dry_run(
        csv_file(
            "A,One,led,each,1,2,Stageline,,\nB,Two,led,each,1,2,Stageline,,\n"
            "a,Three,led,each,1,2,Stageline,,\n"
        )
    )
    assert [r.status for r in report.rows] == ["error", "created", "error"]
    assert "repeated on line 4" in report.rows[0].errors[0]
    assert "also on line 2" in report.rows[2].errors[0]


def test_an_empty_file_is_refused():
    assert "empty" in dry_run(io.BytesIO(b"")).file_errors[0]
    assert "no items" in dry_run(csv_file("")).file_errors[0]


def test_a_non_utf8_file_is_refused_clearly(supplier):
    data = (HEADER + "A,Caf\xe9 panel,led,each,1,2,Stageline,,\n").encode("latin-1")
    report = dry_run(io.BytesIO(data))
    assert "not UTF-8" in report.file_errors[0]
    assert report.rows == []


def test_a_binary_file_is_refused_clearly():
    report = dry_run(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10))
    assert "binary" in report.file_errors[0]


def test_a_file_over_20_mb_is_refused():
    report = dry_run(io.BytesIO(b"x" * (MAX_BYTES + 1)))
    assert "up to 20 MB" in report.file_errors[0]


def test_nothing_is_written_when_the_file_has_errors(supplier):
    fileobj = csv_file("A,One,led,each,1,2,Stageline,,\nB,Two,led,each,-1,2,Stageline,,\n")
    with pytest.raises(ValidationError) as exc:
        do_import_catalog(None, fileobj)
    assert "nothing was imported" in exc.value.messages[0]
    assert not CatalogItem.objects.exists()


def test_the_valid_rows_only_are_written_when_asked(supplier, project_manager):
    existing = CatalogItemFactory(sku="OLD", name="Old name", supplier=supplier)
    fileobj = csv_file(
        "A,One,led,each,1,2,Stageline,3,\nB,Two,led,each,-1,2,Stageline,,\n"
        "OLD,New name,led,each,100,180,Stageline,,no\n"
    )
    report = do_import_catalog(project_manager, fileobj, valid_rows_only=True)
    assert report.counts == {"created": 1, "updated": 1, "unchanged": 0, "error": 1}
    assert set(CatalogItem.objects.values_list("sku", flat=True)) == {"A", "OLD"}
    created = CatalogItem.objects.get(sku="A")
    assert (created.unit_cost, created.lead_time_days, created.active) == (Decimal("1"), 3, True)
    assert created.history.get().history_user == project_manager
    existing.refresh_from_db()
    assert existing.name == "New name"
    assert not existing.active
    assert existing.history.count() == 2


def test_a_clean_file_is_written(supplier):
    do_import_catalog(None, csv_file("A,One,projection,metre,1.5,2,Stageline,,\n"))
    item = CatalogItem.objects.get()
    assert (item.category, item.unit, item.unit_cost) == ("projection", "metre", Decimal("1.50"))


@pytest.mark.xdist_group(name="big_import")
def test_a_20_mb_file_dry_runs_with_a_fixed_number_of_queries(
    supplier, django_assert_max_num_queries
):
    CatalogItemFactory(sku="ROW-000001", supplier=supplier)
    lines = [HEADER]
    size = len(HEADER)
    n = 0
    while True:
        n += 1
        line = (
            f"ROW-{n:06d},LED panel 2.6 mm outdoor rated with flight case and spares {n},"
            f"led,each,{n % 900 + 100}.50,{n % 900 + 300}.75,Stageline,{n % 30},yes\n"
        )
        if size + len(line) > MAX_BYTES:
            break
        lines.append(line)
        size += len(line)
    data = "".join(lines).encode()
    assert MAX_BYTES - 200 < len(data) <= MAX_BYTES
    with django_assert_max_num_queries(3):
        report = dry_run(io.BytesIO(data))
    assert not report.has_errors
    assert len(report.rows) == len(lines) - 1 > 100_000
    assert report.counts["updated"] == 1
