"""The top navigation, built from the pages every app registers (NavItem in registry.py),
so a higher app adds its pages without base.html naming them."""

from dataclasses import dataclass, field

from django.urls import reverse

from tandem.core.registry import NavItem, register_nav_item, registry


@dataclass
class NavLink:
    label: str
    url: str
    active: bool
    name: str


@dataclass
class NavSection:
    heading: str
    links: list[NavLink] = field(default_factory=list)


@dataclass
class NavMenu:
    """One entry of the bar: a link alone (`link`) or a dropdown of sections."""

    label: str
    link: NavLink | None = None
    sections: list[NavSection] = field(default_factory=list)

    @property
    def active(self) -> bool:
        if self.link is not None:
            return self.link.active
        return any(link.active for section in self.sections for link in section.links)

    @property
    def slug(self) -> str:
        return self.label.lower().replace(" ", "-")


def navigation(user, view_name: str = "", items: list[NavItem] | None = None) -> list[NavMenu]:
    """The bar for `user`: the pages they may open, in order, dropdowns grouped by name with
    their sections in the order of their first item; a dropdown with nothing visible is left
    out. `view_name` is the current page's URL name ("app:name"), which lights its item up."""
    menus: list[NavMenu] = []
    groups: dict[str, NavMenu] = {}
    for item in registry.nav_items_in_order() if items is None else items:
        if not item.visible(user):
            continue
        link = NavLink(item.label, reverse(item.url_name), item.is_active(view_name), item.name)
        if not item.group:
            menus.append(NavMenu(item.label, link=link))
            continue
        menu = groups.get(item.group)
        if menu is None:
            menu = groups[item.group] = NavMenu(item.group)
            menus.append(menu)
        section = next((s for s in menu.sections if s.heading == item.section), None)
        if section is None:
            section = NavSection(item.section)
            menu.sections.append(section)
        section.links.append(link)
    return menus


register_nav_item(NavItem(name="core.today", label="Today", url_name="home", order=0))
