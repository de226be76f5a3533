from decimal import Decimal

import pytest
from django.core.cache import cache

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.estimates.actuals import predictions
from tandem.estimates.actuals.predictions import RolePrediction, predictions_for
from tandem.estimates.actuals.services import do_create_past_project, do_update_past_project
from tandem.estimates.models import Estimate
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

# (reference, venue, screen m², show days, rigger hours, LED technician hours)
BOOTHS = [
    ("NL-1001", "convention", 36, 2, 190, 250),
    ("NL-1002", "convention", 55, 3, 260, 330),
    ("NL-1003", "convention", 72, 3, 330, 400),
    ("NL-1004", "convention", 100, 3, 410, 470),
    ("NL-1005", "convention", 120, 4, 480, 560),
    ("NL-1006", "convention", 160, 5, 600, 690),
    ("NL-1007", "hotel", 24, 1, 90, None),
    ("NL-1008", "hotel", 60, 2, 200, None),
]


@pytest.fixture(autouse=True)
def empty_cache():
    # The default cache is per process and outlives a test's rolled-back rows.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles():
    return {
        "rigger": LabourRoleFactory(name="Rigger"),
        "led": LabourRoleFactory(name="LED technician"),
        "audio": LabourRoleFactory(name="Audio engineer"),
    }


def _past(roles, reference, venue, area, days, rigger, led, audio=None):
    hours = {roles["rigger"]: Decimal(rigger)}
    if led:
        hours[roles["led"]] = Decimal(led)
    if audio:
        hours[roles["audio"]] = Decimal(audio)
    return do_create_past_project(
        None,
        reference=reference,
        name=f"Booth {reference}",
        project_type="event_staging",
        venue_type=venue,
        screen_area_m2=Decimal(area),
        show_days=days,
        hours=hours,
    )


@pytest.fixture
def history(roles):
    return [_past(roles, *booth) for booth in BOOTHS]


def _scenario(area="110", days=3, venue="convention") -> Estimate:
    # Never saved: predictions read the drivers as the form has them.
    deal = DealFactory(project_type="event_staging")
    return Estimate(deal=deal, venue_type=venue, screen_area_m2=Decimal(area), show_days=days)


def test_the_booth_is_predicted_from_the_booths_most_like_it(roles, history):
    answer = predictions_for(_scenario(), [roles["rigger"].pk, roles["led"].pk])
    # Rigging: one analogue, the 100 m² booth's 410 h scaled up to 110 m².
    assert answer[roles["rigger"].pk] == RolePrediction(
        role_id=roles["rigger"].pk,
        value=449,
        low=416,
        high=482,
        analogues=1,
        projects=8,
        similar=(("NL-1004", "Booth NL-1004", 410),),
    )
    # LED: the hotel jobs had none, so six projects; five analogues, nearest first.
    led = answer[roles["led"].pk]
    assert (led.value, led.low, led.high, led.analogues, led.projects) == (520, 507, 533, 5, 6)
    assert [reference for reference, _, _ in led.similar] == [
        "NL-1004",
        "NL-1003",
        "NL-1005",
        "NL-1002",
        "NL-1001",
    ]


def test_the_same_history_gives_the_same_prediction(roles, history):
    first = predictions_for(_scenario(), [roles["rigger"].pk])
    cache.clear()
    assert predictions_for(_scenario(), [roles["rigger"].pk]) == first


def test_half_the_screen_predicts_fewer_rigging_hours(roles, history):
    full = predictions_for(_scenario("110"), [roles["rigger"].pk])[roles["rigger"].pk]
    half = predictions_for(_scenario("55"), [roles["rigger"].pk])[roles["rigger"].pk]
    assert half.value < full.value
    assert half.similar[0][0] == "NL-1002"
    assert half.low <= half.value <= half.high


def test_a_role_with_fewer_than_three_past_projects_gets_no_prediction(roles, history):
    _past(roles, "NL-2001", "hotel", 10, 1, 50, None, audio=20)
    _past(roles, "NL-2002", "hotel", 12, 1, 55, None, audio=22)
    answer = predictions_for(_scenario(), [roles["audio"].pk, roles["rigger"].pk])
    assert list(answer) == [roles["rigger"].pk]
    _past(roles, "NL-2003", "hotel", 14, 1, 60, None, audio=24)
    answer = predictions_for(_scenario(), [roles["audio"].pk])
    assert answer[roles["audio"].pk].projects == 3


def test_no_roles_or_unknown_roles_give_nothing(roles, history, django_assert_num_queries):
    scenario = _scenario()
    with django_assert_num_queries(0):
        assert predictions_for(scenario, []) == {}
    assert predictions_for(scenario, [999_999]) == {}


def test_unknown_drivers_still_get_a_prediction(roles, history):
    estimate = _scenario()
    estimate.screen_area_m2 = None
    estimate.venue_type = ""
    answer = predictions_for(estimate, [roles["rigger"].pk])[roles["rigger"].pk]
    assert answer.low <= answer.value <= answer.high


def test_a_cached_model_is_used_until_new_actuals_come_in(
    roles, history, monkeypatch, django_assert_num_queries
):
    fits = []
    real_fit = predictions.analogy.fit
    monkeypatch.setattr(
        predictions.analogy, "fit", lambda *a, **kw: fits.append(1) or real_fit(*a, **kw)
    )
    scenario = _scenario()
    role = roles["rigger"].pk
    before = predictions_for(scenario, [role])[role]
    with django_assert_num_queries(1):  # the fingerprint; the model comes from the cache
        assert predictions_for(scenario, [role])[role] == before
    assert len(fits) == 1

    _past(roles, "NL-3001", "convention", 110, 3, 900, 900)
    after = predictions_for(scenario, [role])[role]
    assert len(fits) == 2
    assert after.projects == 9
    assert after.similar[0][:2] == ("NL-3001", "Booth NL-3001")
    assert after.value > before.value


def test_corrected_actuals_invalidate_the_cached_model(roles, history):
    scenario = _scenario()
    role = roles["rigger"].pk
    before = predictions_for(scenario, [role])[role]
    nearest = history[3]  # NL-1004
    do_update_past_project(nearest, None, {}, hours={roles["rigger"]: Decimal("800")})
    after = predictions_for(scenario, [role])[role]
    assert after.projects == before.projects
    assert after.value > before.value


@pytest.mark.parametrize("role_count", [1, 3])
def test_the_history_is_read_in_one_query_however_many_roles(
    roles, history, role_count, django_assert_num_queries
):
    _past(roles, "NL-2001", "hotel", 10, 1, 50, None, audio=20)
    _past(roles, "NL-2002", "hotel", 12, 1, 55, None, audio=22)
    _past(roles, "NL-2003", "hotel", 14, 1, 60, None, audio=24)
    asked = [roles[name].pk for name in ("rigger", "led", "audio")][:role_count]
    scenario = _scenario()
    scenario.deal  # noqa: B018 - the deal is loaded already where estimates are shown
    # the fingerprints of the roles asked, then every past hour of those roles
    with django_assert_num_queries(2):
        answer = predictions_for(scenario, asked)
    assert sorted(answer) == sorted(asked)


def test_warmed_models_are_ready_for_the_next_page(roles, history, django_assert_num_queries):
    role_ids = [roles["rigger"].pk, roles["led"].pk, roles["audio"].pk]
    # The audio engineer was on no past project: no model for that role.
    assert predictions.warm_models(role_ids) == 2
    scenario = _scenario()
    with django_assert_num_queries(1):  # the fingerprints only
        answer = predictions_for(scenario, role_ids)
    assert sorted(answer) == sorted(role_ids[:2])
