import pytest
from django.urls import reverse

from tandem.core.nav import navigation
from tandem.core.registry import NavItem, Registry, needs


def shape(menus):
    """The bar as labels: a link's label, or a dropdown's label with its sections' links."""
    return [
        menu.label
        if menu.link
        else (menu.label, [(s.heading, [link.label for link in s.links]) for s in menu.sections])
        for menu in menus
    ]


def test_a_seller_finds_every_page_on_the_bar_or_under_company(seller):
    assert shape(navigation(seller)) == [
        "Today",
        "Pipeline",
        "Deals",
        "Accounts",
        "Contacts",
        "Checkups",
        "Estimate requests",
        ("Reports", [("", ["Pipeline hygiene"])]),
        (
            "Company",
            [
                ("Selling", ["Plan templates", "Days off"]),
                ("Cost basis", ["Catalog", "Suppliers", "Rate cards", "Past projects"]),
            ],
        ),
    ]


def test_someone_with_no_permission_sees_only_the_pages_they_may_open(outsider):
    # The permission matrix: the outsider opens Today, estimate requests and the days off.
    assert shape(navigation(outsider)) == [
        "Today",
        "Estimate requests",
        ("Company", [("Selling", ["Days off"])]),
    ]


def test_the_current_page_lights_up_its_item_and_its_dropdown(seller):
    menus = {menu.label: menu for menu in navigation(seller, "closeplans:template_detail")}
    assert menus["Company"].active
    assert [link.label for s in menus["Company"].sections for link in s.links if link.active] == [
        "Plan templates"
    ]
    assert not menus["Deals"].active
    assert not menus["Reports"].active


@pytest.mark.parametrize(
    ("view_name", "active"),
    [
        ("pipeline:deal_list", True),
        ("pipeline:deal_detail", True),  # a prefix ending in "_"
        ("pipeline:dealer", False),
        ("pipeline:board", False),
        ("", False),
    ],
)
def test_an_item_is_active_on_its_page_and_the_pages_it_names(view_name, active):
    item = NavItem(
        name="d", label="Deals", url_name="pipeline:deal_list", active=("pipeline:deal_",)
    )
    assert item.is_active(view_name) is active


def test_a_higher_app_adds_a_dropdown_without_touching_the_template(seller):
    reg = Registry()
    reg.add_nav_item(NavItem(name="core.today", label="Today", url_name="home", order=0))
    reg.add_nav_item(
        NavItem(name="p.list", label="Projects", url_name="pipeline:board", group="Delivery")
    )
    reg.add_nav_item(
        NavItem(
            name="p.hidden",
            label="Capacity",
            url_name="pipeline:board",
            group="Delivery",
            visible=needs("nobody.has_this"),
        )
    )
    reg.add_nav_item(
        NavItem(
            name="q.only",
            label="Secret",
            url_name="home",
            group="Hidden",
            visible=lambda user: False,
        )
    )
    menus = navigation(seller, "", reg.nav_items_in_order())
    assert shape(menus) == ["Today", ("Delivery", [("", ["Projects"])])]
    assert menus[1].sections[0].links[0].url == reverse("pipeline:board")


def test_two_items_cannot_share_a_name():
    reg = Registry()
    reg.add_nav_item(NavItem(name="a", label="A", url_name="home"))
    with pytest.raises(ValueError, match="exists already"):
        reg.add_nav_item(NavItem(name="a", label="B", url_name="home"))


def test_the_page_shows_plan_templates_and_the_cost_basis_in_the_top_bar(seller_client):
    html = seller_client.get(reverse("catalog:catalog_list")).content.decode()
    bar = html[html.index('id="main-nav"') : html.index('role="search"')]
    assert f'href="{reverse("closeplans:template_list")}"' in bar
    assert f'href="{reverse("catalog:role_list")}"' in bar
    assert 'class="dropdown-item active" href="/catalog/" aria-current="page"' in bar


def test_the_user_menu_no_longer_hides_plan_templates(seller_client):
    html = seller_client.get(reverse("home")).content.decode()
    menu = html[html.index('id="main-nav"') :]
    assert menu.count(f'href="{reverse("closeplans:template_list")}"') == 1


def test_signed_out_pages_have_no_bar(client):
    html = client.get(reverse("login")).content.decode()
    assert 'id="main-nav"' not in html
