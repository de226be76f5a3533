"""Every list page, empty, says what to do: the button to do it when the user may, and a way
to clear the filters when they are what left the list empty."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from tandem.core.templatetags.tandem import has_filters

# (list, what it says when empty, where its first action goes)
LISTS = [
    ("pipeline:deal_list", "No open deals yet.", "pipeline:deal_create"),
    ("crm:account_list", "No accounts yet.", "crm:account_create"),
    ("crm:contact_list", "No contacts yet.", "crm:contact_create"),
    ("catalog:catalog_list", "The catalog is empty.", "catalog:item_create"),
    ("catalog:supplier_list", "No suppliers yet.", "catalog:supplier_create"),
    ("catalog:role_list", "No crew roles yet.", "catalog:role_create"),
    ("closeplans:template_list", "No plan templates yet.", "closeplans:template_create"),
    ("estimates:past_project_list", "No past projects yet.", "estimates:past_project_create"),
    ("estimates:request_list", "No requests asked by you or for you.", "pipeline:deal_list"),
]

# Lists with filters, and the sentence they show when the filters leave nothing.
FILTERED = [
    ("pipeline:deal_list", "No deals match these filters."),
    ("crm:account_list", "No accounts match these filters."),
    ("crm:contact_list", "No contacts match these filters."),
    ("catalog:catalog_list", "No items match these filters."),
    ("closeplans:template_list", "No templates match these filters."),
    ("estimates:past_project_list", "No past projects match these filters."),
]


@pytest.fixture
def empty_company(db):
    """Plan templates come with the migrations; an empty company has none."""
    from tandem.closeplans.models import PlanTemplate

    PlanTemplate.objects.all().delete()


@pytest.mark.parametrize(("url_name", "says", "action"), LISTS)
def test_an_empty_list_says_what_to_do_and_offers_it(
    admin_client_, empty_company, url_name, says, action
):
    html = admin_client_.get(reverse(url_name)).content.decode()

    assert 'data-empty="none"' in html
    assert says in html
    assert f'id="empty-action" href="{reverse(action)}"' in html
    assert 'id="clear-filters"' not in html


@pytest.mark.parametrize(("url_name", "says", "action"), LISTS)
def test_who_may_not_add_gets_the_words_without_the_button(
    client, empty_company, finance, url_name, says, action
):
    if url_name == "estimates:request_list":
        pytest.skip("Going to the deals is open to everyone who sees the requests.")
    client.force_login(finance)
    response = client.get(reverse(url_name))
    if response.status_code == 403:
        pytest.skip("finance does not open this list")

    html = response.content.decode()
    assert says in html
    assert f'href="{reverse(action)}"' not in html.split('id="empty-state"', 1)[1]


@pytest.mark.parametrize(("url_name", "says"), FILTERED)
def test_a_filter_that_leaves_nothing_offers_to_clear_it(admin_client_, url_name, says):
    url = reverse(url_name)

    html = admin_client_.get(url, {"q": "zzz-nothing-like-this"}).content.decode()

    assert 'data-empty="filtered"' in html
    assert says in html
    assert f'id="clear-filters" href="{url}"' in html
    assert 'id="empty-action"' not in html


def test_each_tab_of_estimate_requests_says_its_own_empty(admin_client_):
    url = reverse("estimates:request_list")
    overdue = admin_client_.get(url, {"tab": "overdue"}).content.decode()
    everyone = admin_client_.get(url, {"tab": "all"}).content.decode()

    assert "Nothing overdue" in overdue
    assert 'id="clear-filters"' not in overdue  # a tab is not a filter
    assert "No estimate requests yet." in everyone


def test_empty_checkups_say_where_steps_come_from(admin_client_):
    html = admin_client_.get(reverse("closeplans:checkups")).content.decode()

    assert 'id="checkups-empty"' in html
    assert "Steps come from the close plans laid out on deals" in html


def test_an_empty_hygiene_page_says_figures_come_with_deals(admin_client_):
    html = admin_client_.get(reverse("closeplans:hygiene")).content.decode()

    assert 'id="hygiene-empty"' in html
    assert f'href="{reverse("pipeline:deal_list")}"' in html


def test_a_search_that_finds_nothing_suggests_what_to_try(admin_client_):
    html = admin_client_.get(
        reverse("search"), {"q": "zzz-nothing"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "Nothing matches “zzz-nothing”. Try fewer words" in html


@pytest.mark.parametrize(
    ("query", "filtered"),
    [
        ("", False),
        ("page=2", False),
        ("sort=-close&tab=all", False),
        ("q=", False),
        ("q=%20%20", False),
        ("status=", False),
        ("q=av", True),
        ("status=open", True),
        ("page=2&owner=3", True),
    ],
)
def test_only_a_filter_with_a_value_counts_as_filtering(query, filtered):
    assert has_filters(QueryDict(query)) is filtered
