"""Extension points: how a higher app joins a lower app's pages, search, roles and schedule
without the lower app importing it.

Each app declares what it adds in its own modules (`panels.py`, `search.py`, `jobs.py`, role
grants in `access.py`, and its REST endpoints in `api.py`, on core's shared router in
tandem/core/api/routers.py); `CoreConfig.ready` imports those modules of every installed app
once at start-up, so registration happens before the first request and in every process.
The lower app only asks the registry ("which panels does the deal page have?") and renders
what it gets.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Modules of each app that register something here (imported by CoreConfig.ready).
DISCOVERED_MODULES = ("access", "nav", "panels", "today", "search", "jobs", "events", "api")


def _always(user, obj) -> bool:
    return True


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    """A page in the top navigation, added by the app that owns the page.

    `group` puts the item in a dropdown of that name ("" keeps it on the bar itself) and
    `section` under a heading inside the dropdown. Items and dropdowns stand in `order` (a
    dropdown where its first item would). `active` are URL names, or prefixes ending in "_"
    or ":", that light the item up besides `url_name` itself. `visible(user)` hides a page
    the user may not open.
    """

    name: str
    label: str
    url_name: str
    group: str = ""
    section: str = ""
    order: int = 100
    active: tuple[str, ...] = ()
    visible: Callable[[Any], bool] = _everyone

    def is_active(self, view_name: str) -> bool:
        if not view_name:
            return False
        for name in (self.url_name, *self.active):
            if view_name == name or (name.endswith(("_", ":")) and view_name.startswith(name)):
                return True
        return False


@dataclass(frozen=True)
class Panel:
    """A section an app adds to another app's page.

    `page` names the page ("deal", "account", "contact", "board_card", "deal_close_date"…)
    and `slot` the place on it ("main", "side", "actions", "badges"…). `context(request, obj,
    **state)` returns what the template needs beyond the page's own context; `state` is what
    the page view was given for this panel (say, bound forms after a refused post).
    `prepare(request, objects)` loads what the panel needs for a whole list of objects at once
    (board cards, list rows), so a list costs one query per panel, not one per row.
    """

    page: str
    name: str
    template: str
    context: Callable[..., dict] | None = None
    visible: Callable[[Any, Any], bool] = _always
    prepare: Callable[[Any, list], None] | None = None
    slot: str = "main"
    order: int = 100


@dataclass(frozen=True)
class Column:
    """A column an app adds to another app's list page.

    `annotate(queryset)` adds what the cell shows (one query for the page, whatever its
    size); `sort` are the fields to order by when the user sorts on `key`; `template`
    renders one cell with `row` in its context.
    """

    page: str
    key: str
    header: str
    template: str
    annotate: Callable[[Any], Any]
    sort: tuple[str, ...] = ()
    css: str = ""
    order: int = 100


@dataclass(frozen=True)
class SearchIndex:
    """One kind of thing the quick search finds.

    `search(user, words, limit)` returns at most `limit` rows the user may see whose text
    contains every word; `template` renders one row (as `row`).
    """

    name: str
    label: str
    search: Callable[[Any, list[str], int], list]
    template: str
    order: int = 100


@dataclass(frozen=True)
class Job:
    """Periodic work the scheduler enqueues once per period.

    `task` is the dotted path of a django-tasks task taking the period's ISO day.
    `cadence` is "daily" or "weekly" (then on `weekday`, Monday being 0).
    """

    name: str
    task: str
    cadence: str = "daily"
    weekday: int = 0

    def __post_init__(self):
        if self.cadence not in ("daily", "weekly"):
            raise ValueError(f"Job {self.name}: cadence must be daily or weekly")
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"Job {self.name}: weekday must be 0 (Monday) to 6")


@dataclass
class Registry:
    """What every app has added. One instance per process, filled at start-up."""

    panels: dict[str, list[Panel]] = field(default_factory=lambda: defaultdict(list))
    nav_items: dict[str, NavItem] = field(default_factory=dict)
    columns: dict[str, list[Column]] = field(default_factory=lambda: defaultdict(list))
    search_indexes: dict[str, SearchIndex] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    role_grants: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hooks: dict[str, list[Callable]] = field(default_factory=lambda: defaultdict(list))

    def add_panel(self, panel: Panel) -> Panel:
        existing = self.panels[panel.page]
        if any(p.name == panel.name for p in existing):
            raise ValueError(f"A panel named {panel.name} is already on the {panel.page} page")
        existing.append(panel)
        existing.sort(key=lambda p: (p.order, p.name))
        return panel

    def panels_for(self, page: str, slot: str | None = None) -> list[Panel]:
        return [p for p in self.panels.get(page, ()) if slot is None or p.slot == slot]

    def add_nav_item(self, item: NavItem) -> NavItem:
        if item.name in self.nav_items:
            raise ValueError(f"A navigation item named {item.name} exists already")
        self.nav_items[item.name] = item
        return item

    def nav_items_in_order(self) -> list[NavItem]:
        return sorted(self.nav_items.values(), key=lambda i: (i.order, i.name))

    def add_column(self, column: Column) -> Column:
        existing = self.columns[column.page]
        if any(c.key == column.key for c in existing):
            raise ValueError(f"A column {column.key} is already on the {column.page} list")
        existing.append(column)
        existing.sort(key=lambda c: (c.order, c.key))
        return column

    def columns_for(self, page: str) -> list[Column]:
        return list(self.columns.get(page, ()))

    def add_search_index(self, index: SearchIndex) -> SearchIndex:
        if index.name in self.search_indexes:
            raise ValueError(f"A search index named {index.name} exists already")
        self.search_indexes[index.name] = index
        return index

    def search_indexes_in_order(self) -> list[SearchIndex]:
        return sorted(self.search_indexes.values(), key=lambda i: (i.order, i.name))

    def add_job(self, job: Job) -> Job:
        if job.name in self.jobs:
            raise ValueError(f"A periodic job named {job.name} exists already")
        self.jobs[job.name] = job
        return job

    def grant(self, grants: dict[str, Iterable[str]]) -> None:
        """Give each role (by its value) these permissions ("app_label.codename")."""
        for role, permissions in grants.items():
            self.role_grants[str(role)].update(permissions)

    def permissions_of(self, role: str) -> list[str]:
        return sorted(self.role_grants.get(str(role), ()))

    def add_hook(self, name: str, function: Callable) -> Callable:
        self.hooks[name].append(function)
        return function

    def call_hooks(self, name: str, *args, **kwargs) -> list:
        """Call every function registered under `name`; their results in a list."""
        return [function(*args, **kwargs) for function in self.hooks.get(name, ())]


registry = Registry()

register_panel = registry.add_panel
register_nav_item = registry.add_nav_item
register_column = registry.add_column
register_search_index = registry.add_search_index
register_job = registry.add_job
grant = registry.grant


def needs(permission: str) -> Callable[[Any], bool]:
    """A `visible` test for a NavItem: the user holds `permission` ("app_label.codename")."""

    def visible(user) -> bool:
        return user.has_perm(permission)

    return visible


def hook(name: str) -> Callable[[Callable], Callable]:
    """Decorator: register a function under a hook a lower app calls by `name`."""

    def decorate(function: Callable) -> Callable:
        return registry.add_hook(name, function)

    return decorate


def prepare_panels(page: str, request, objects: list, slot: str | None = None) -> None:
    """Let each panel of `page` load what it shows for all of `objects` at once."""
    if not objects:
        return
    for panel in registry.panels_for(page, slot):
        if panel.prepare is not None:
            panel.prepare(request, objects)
