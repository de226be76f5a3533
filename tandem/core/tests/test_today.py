from decimal import Decimal

from django.template import engines
from django.test import RequestFactory

from tandem.core.charts import Chart, Series
from tandem.core.registry import Panel, Registry
from tandem.core.today import TodayItem, TodayList, cards_for, work_count
from tandem.people.models import Role
from tandem.people.roles import for_roles


class Person:
    def __init__(self, role):
        self.role = role


def test_a_card_counts_what_it_does_not_show():
    card = TodayList(title="Late", count=7, items=[TodayItem("a", "/a"), TodayItem("b", "/b")])

    assert card.hidden == 5


def test_the_headline_adds_up_cards_that_ask_for_work_only():
    cards = [
        (None, {"today": TodayList(title="Late", count=3)}),
        (None, {"today": TodayList(title="This week", count=4, counts_as_work=False)}),
        (None, {"chart": "not a list"}),
    ]

    assert work_count(cards) == 3


def test_cards_follow_the_role_and_the_panels_order(monkeypatch):
    reg = Registry()
    for name, order, roles in (
        ("b", 20, (Role.SELLER,)),
        ("a", 10, (Role.SELLER, Role.FINANCE)),
        ("c", 5, (Role.EXECUTIVE,)),
    ):
        reg.add_panel(
            Panel(
                page="today",
                name=name,
                template="x.html",
                context=lambda request, user, name=name: {"name": name},
                visible=for_roles(*roles),
                order=order,
            )
        )
    monkeypatch.setattr("tandem.core.registry.registry", reg)
    request = RequestFactory().get("/")

    seller = [ctx["name"] for _p, ctx in cards_for(request, Person(Role.SELLER), "main")]
    finance = [ctx["name"] for _p, ctx in cards_for(request, Person(Role.FINANCE), "main")]
    admin = [ctx["name"] for _p, ctx in cards_for(request, Person(Role.ADMIN), "main")]
    nobody = cards_for(request, Person(None), "main")

    assert seller == ["a", "b"]
    assert finance == ["a"]
    assert admin == ["c", "a", "b"]
    assert nobody == []


def test_a_chart_keeps_its_numbers_for_the_table_and_turns_decimals_into_numbers():
    chart = Chart(
        name="pipe",
        title="Pipeline",
        kind="bar",
        labels=["Jan", "Feb"],
        series=[Series("Proposal", [Decimal("1500.50"), 0]), Series("Won", [None, 3])],
        money=True,
        stacked=True,
    )

    config = chart.config()

    assert config["data"]["datasets"][0]["data"] == [1500.5, 0]
    assert config["tandem"] == {
        "money": True,
        "currency": "",
        "stacked": True,
        "horizontal": False,
        "unit": "",
    }
    assert chart.rows() == [("Jan", [Decimal("1500.50"), None]), ("Feb", [0, 3])]
    assert not chart.is_empty


def test_an_empty_chart_says_so_instead_of_drawing_nothing():
    chart = Chart(name="e", title="Empty", kind="bar", labels=["Jan"], series=[Series("x", [0])])

    html = engines["django"].from_string("{% load tandem %}{% chart c %}").render({"c": chart})

    assert "Nothing to chart yet" in html
    assert "<canvas" not in html


def test_the_chart_tag_renders_canvas_config_and_numbers_table():
    chart = Chart(
        name="p",
        title="Pipeline",
        kind="bar",
        labels=["Jan"],
        series=[Series("Won", [2500])],
        money=True,
        currency="EUR",
    )

    html = engines["django"].from_string("{% load tandem %}{% chart c %}").render({"c": chart})

    assert 'data-chart="chart-p-config"' in html
    assert 'id="chart-p-config"' in html
    assert "<summary>Numbers</summary>" in html
    assert "€2,500" in html
