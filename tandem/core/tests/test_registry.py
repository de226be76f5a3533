import pytest
from django.template import engines
from django.test import RequestFactory

from tandem.core.registry import Column, Job, Panel, Registry, registry


def test_panels_come_in_their_order_and_by_slot():
    reg = Registry()
    reg.add_panel(Panel(page="deal", name="b", template="b.html", order=20))
    reg.add_panel(Panel(page="deal", name="a", template="a.html", order=10))
    reg.add_panel(Panel(page="deal", name="s", template="s.html", slot="side"))
    assert [p.name for p in reg.panels_for("deal", "main")] == ["a", "b"]
    assert [p.name for p in reg.panels_for("deal", "side")] == ["s"]
    assert reg.panels_for("account", "main") == []


def test_two_panels_cannot_share_a_name_on_one_page():
    reg = Registry()
    reg.add_panel(Panel(page="deal", name="a", template="a.html"))
    with pytest.raises(ValueError, match="already on the deal page"):
        reg.add_panel(Panel(page="deal", name="a", template="other.html"))


def test_two_columns_cannot_share_a_key_on_one_list():
    reg = Registry()
    reg.add_column(Column("accounts", "open", "Open", "c.html", annotate=lambda qs: qs))
    with pytest.raises(ValueError, match="already on the accounts list"):
        reg.add_column(Column("accounts", "open", "Other", "c.html", annotate=lambda qs: qs))


def test_role_grants_from_several_apps_add_up():
    reg = Registry()
    reg.grant({"seller": ["crm.view_account"]})
    reg.grant({"seller": ["pipeline.view_deal", "crm.view_account"], "finance": ["a.b"]})
    assert reg.permissions_of("seller") == ["crm.view_account", "pipeline.view_deal"]
    assert reg.permissions_of("crew") == []


def test_hooks_answer_with_every_registered_function():
    reg = Registry()
    reg.add_hook("x", lambda n: n + 1)
    reg.add_hook("x", lambda n: n * 2)
    assert reg.call_hooks("x", 5) == [6, 10]
    assert reg.call_hooks("nobody", 5) == []


@pytest.mark.parametrize(
    ("cadence", "weekday", "message"),
    [("hourly", 0, "daily or weekly"), ("weekly", 7, "weekday must be")],
)
def test_a_job_with_an_unknown_cadence_or_day_is_refused(cadence, weekday, message):
    with pytest.raises(ValueError, match=message):
        Job("digest", "tandem.x.tasks.digest", cadence=cadence, weekday=weekday)


LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"greeting.html": "<p>{{ greeting }} from {{ page_word }}</p>"},
                )
            ],
            "builtins": ["tandem.core.templatetags.tandem"],
        },
    }
]


def test_the_panels_tag_renders_visible_panels_with_their_context_and_state(monkeypatch, settings):
    settings.TEMPLATES = LOCMEM_TEMPLATES
    reg = Registry()
    reg.add_panel(
        Panel(
            page="thing",
            name="greeting",
            template="greeting.html",
            context=lambda request, obj, **state: {"greeting": f"{obj}:{state.get('word', '-')}"},
        )
    )
    reg.add_panel(
        Panel(
            page="thing",
            name="hidden",
            template="does/not/exist.html",
            visible=lambda user, obj: False,
        )
    )
    monkeypatch.setattr("tandem.core.registry.registry", reg)
    request = RequestFactory().get("/")
    request.user = None
    template = engines["django"].from_string('[{% panels "thing" obj %}]')
    html = template.render(
        {
            "request": request,
            "obj": "deal 7",
            "page_word": "the page",
            "panel_state": {"greeting": {"word": "hi"}},
        }
    )
    # The hidden panel's template does not exist: it was never loaded.
    assert html == "[<p>deal 7:hi from the page</p>]"


def test_every_app_registered_its_deal_page_panels_at_start_up():
    names = [p.name for p in registry.panels_for("deal", "main")]
    assert names == [
        "estimates.next_step",
        "closeplans.customer_news",
        "closeplans.plan",
        "estimates.requests",
        "estimates.scenarios",
    ]
