"""The editor writes its rows by hand for speed: they must say what Django's widgets say."""

from html.parser import HTMLParser

import pytest

from tandem.catalog.tests.factories import CatalogItemFactory, LabourRoleFactory
from tandem.estimates.scenarios.forms import line_formsets
from tandem.estimates.templatetags.estimate_editor import _field, line_row

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        # Bootstrap's is-invalid is the one class the editor adds to a field with errors.
        attrs = [(k, v.replace(" is-invalid", "") if k == "class" else v) for k, v in attrs]
        # Help text: a title on the editor's inputs, a described-by paragraph in Django's.
        attrs = [
            (k, v)
            for k, v in attrs
            if k != "title" and not (k == "aria-describedby" and v.endswith("_helptext"))
        ]
        self.tags.append((tag, sorted(attrs, key=lambda pair: pair[0])))


def _tags(html: str) -> list:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def formsets():
    item = CatalogItemFactory(sku="LED-P26", name='Panel <2.6> "indoor"')
    role = LabourRoleFactory(name="Rigger & co")
    data = {
        "equipment-TOTAL_FORMS": "1",
        "equipment-INITIAL_FORMS": "0",
        "equipment-0-catalog_item": "LED-P26",
        "equipment-0-qty": "ten",
        "equipment-0-name": '<script>alert("x")</script>',
        "labour-TOTAL_FORMS": "1",
        "labour-INITIAL_FORMS": "0",
        "labour-0-role": str(role.pk),
        "labour-0-crew_size": "2",
        "labour-0-hours_low": "9",
        "labour-0-hours_likely": "8",
        "labour-0-hours_high": "10",
        "labour-0-DELETE": "on",
        "subcontract-TOTAL_FORMS": "0",
        "subcontract-INITIAL_FORMS": "0",
        "expense-TOTAL_FORMS": "0",
        "expense-INITIAL_FORMS": "0",
    }
    sets = line_formsets(data, items=[item], roles=[role])
    for formset in sets.values():
        formset.is_valid()
    return sets


def test_each_field_is_written_as_djangos_widget_writes_it(formsets):
    for formset in formsets.values():
        for form in formset.forms:
            for bound in form:
                assert _tags(_field(bound)) == _tags(str(bound)), bound.html_name


def test_a_row_escapes_what_was_typed_and_shows_the_errors(formsets):
    row = line_row(formsets["equipment"].forms[0], "equipment")
    labour = line_row(formsets["labour"].forms[0], "labour")

    assert "<script>" not in row
    assert "&lt;script&gt;" in row
    assert "Enter a number, like 1250 or 1250.50." in row
    assert 'aria-invalid="true"' in row
    assert "Hours must run low ≤ likely ≤ high." in labour
