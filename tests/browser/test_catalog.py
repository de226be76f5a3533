"""The catalog import end to end in headless Chromium: a dry run that finds a bad row, then
importing the valid rows only; a seller sees prices but no costs."""

import pytest
from playwright.sync_api import expect

from tandem.catalog.models import CatalogItem
from tandem.catalog.tests.factories import SupplierFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CSV = (
    "sku,name,category,unit,unit_cost,list_price,supplier,lead_time_days,active\n"
    "LED-2.6,LED panel 2.6 mm,LED,each,410.00,690.00,Lumen Supply,21,yes\n"
    "HOIST-1T,One-ton chain hoist,rigging,each,-5,240.00,Lumen Supply,,yes\n"
    "PROJ-20K,20k lumen projector,projection,each,9800.00,14500.00,Lumen Supply,14,yes\n"
)


def test_a_manager_imports_the_valid_rows_and_a_seller_sees_no_costs(
    page, login, shot, tmp_path, project_manager, seller
):
    SupplierFactory(name="Lumen Supply")
    upload = tmp_path / "catalog.csv"
    upload.write_text(CSV)

    login(page, "pat")
    page.goto("/catalog/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("HOIST-1T")).to_be_visible()
    shot(page, "catalog-dry-run")
    assert CatalogItem.objects.count() == 0

    page.get_by_role("button", name="Import the 2 valid rows").click()
    expect(page.get_by_text("LED panel 2.6 mm")).to_be_visible()
    assert set(CatalogItem.objects.values_list("sku", flat=True)) == {"LED-2.6", "PROJ-20K"}

    page.context.clear_cookies()
    login(page, "sam")
    page.goto("/catalog/")
    expect(page.get_by_text("LED panel 2.6 mm")).to_be_visible()
    expect(page.get_by_text("690.00")).to_be_visible()
    expect(page.get_by_text("410.00")).to_have_count(0)
    shot(page, "catalog-seller")
