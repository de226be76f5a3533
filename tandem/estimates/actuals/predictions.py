"""What similar past projects took, per role, to show beside an estimate's own hours.

The estimator is `logic.analogy` (analogy with the most similar past projects; its docstring
gives the method). Here: the scenario's size drivers become its row, the past projects that
had a role become that role's training rows, and fitted models are kept in Django's cache.

Fitting chooses the number of analogues by leave-one-out, which takes seconds at thousands
of past projects, so a fitted model is cached per role under a fingerprint of that role's
past data (how many projects, the latest change to any of them, the sum of their hours):
new or corrected actuals change the fingerprint and so the key, and nothing needs clearing.
CACHE_URL chooses the cache; its default is local memory: each process fits and keeps its
own models. That is correct (the key says which data a model was fit on) and only costs a
refit per process; a shared cache (database or Redis) needs no change to this module.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from tandem.estimates.logic import analogy
from tandem.estimates.models import Estimate, PastProjectHours

FEATURES = ("project_type", "venue_type", "screen_area_m2", "show_days")
NOMINAL = ("project_type", "venue_type")
SIZE = "screen_area_m2"
TARGET = "hours"
MIN_PROJECTS = 3
# The key changes with the data; the timeout only lets unused models go eventually.
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "tandem:history-model:v2"


@dataclass(frozen=True)
class RolePrediction:
    """Hours for one role predicted from similar past projects, in whole hours.

    `analogues` is how many past projects the prediction combines; `projects` how many past
    projects had the role at all; `similar` the analogues as (reference, name, actual hours),
    nearest first.
    """

    role_id: int
    value: int
    low: int
    high: int
    analogues: int
    projects: int
    similar: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class _Fingerprint:
    projects: int
    latest: dt.datetime | None
    hours: Decimal | None

    def key(self, role_id: int) -> str:
        latest = self.latest.isoformat() if self.latest else "-"
        return f"{CACHE_PREFIX}:{role_id}:{self.projects}:{latest}:{self.hours}"


@dataclass(frozen=True)
class _Fitted:
    model: analogy.Model
    # (reference, name, hours) of each training row, in the model's order.
    projects: tuple[tuple[str, str, Decimal], ...]


def predictions_for(estimate: Estimate, role_ids: Iterable[int]) -> dict[int, RolePrediction]:
    """Predict each role's total hours for the scenario from the past projects like it.

    A role with fewer than MIN_PROJECTS past projects gets no prediction (it is left out of
    the answer). Reads the history with one query for the roles' fingerprints and, when some
    model is not cached yet, one more for all those roles' past hours.
    """
    wanted = list(dict.fromkeys(int(pk) for pk in role_ids))
    if not wanted:
        return {}
    models = _models(wanted)
    row = scenario_row(estimate)
    return {
        role_id: _predict(role_id, models[role_id][1], row, models[role_id][0])
        for role_id in wanted
        if role_id in models
    }


def warm_models(role_ids: Iterable[int]) -> int:
    """Fit and cache the models of these roles now (after an import, say), so that the next
    page that shows predictions does not wait for them. Returns how many roles have one."""
    return len(_models(list(dict.fromkeys(int(pk) for pk in role_ids))))


def _models(role_ids: list[int]) -> dict[int, tuple[int, _Fitted]]:
    # role -> (how many past projects had it, its fitted model), for the roles with enough.
    prints = {
        role_id: fingerprint
        for role_id, fingerprint in _fingerprints(role_ids).items()
        if fingerprint.projects >= MIN_PROJECTS
    }
    keys = {role_id: fingerprint.key(role_id) for role_id, fingerprint in prints.items()}
    cached = cache.get_many(list(keys.values()))
    fitted = {role_id: cached[key] for role_id, key in keys.items() if key in cached}
    missing = [role_id for role_id in keys if role_id not in fitted]
    if missing:
        fresh = _fit(missing)
        cache.set_many({keys[role_id]: model for role_id, model in fresh.items()}, CACHE_SECONDS)
        fitted |= fresh
    return {role_id: (prints[role_id].projects, model) for role_id, model in fitted.items()}


def scenario_row(estimate: Estimate) -> dict[str, object]:
    """The scenario's size drivers as the estimator reads them (unknown is None)."""
    return _row(
        estimate.deal.project_type,
        estimate.venue_type,
        estimate.screen_area_m2,
        estimate.show_days,
    )


def _row(project_type, venue_type, screen_area_m2, show_days) -> dict[str, object]:
    return {
        "project_type": project_type or None,
        "venue_type": venue_type or None,
        "screen_area_m2": None if screen_area_m2 is None else float(screen_area_m2),
        "show_days": show_days,
    }


def _fingerprints(role_ids: list[int]) -> dict[int, _Fingerprint]:
    rows = (
        PastProjectHours.objects.filter(role_id__in=role_ids)
        .values("role_id")
        .annotate(n=Count("id"), latest=Max("project__updated_at"), total=Sum("hours"))
        .order_by()
    )
    return {row["role_id"]: _Fingerprint(row["n"], row["latest"], row["total"]) for row in rows}


def _fit(role_ids: list[int]) -> dict[int, _Fitted]:
    # One query for every role asked, in a fixed order so that the same data fit the same
    # model; values() because thousands of rows do not need model instances.
    hours = PastProjectHours.objects.filter(role_id__in=role_ids).order_by(
        "role_id", "project__reference"
    )
    rows: dict[int, list[dict]] = {role_id: [] for role_id in role_ids}
    for past in hours.values(
        "role_id",
        "hours",
        "project__reference",
        "project__name",
        "project__project_type",
        "project__venue_type",
        "project__screen_area_m2",
        "project__show_days",
    ):
        rows[past["role_id"]].append(past)
    fitted = {}
    for role_id, pasts in rows.items():
        if len(pasts) < MIN_PROJECTS:
            continue  # the history changed between the fingerprint and now
        training = [
            _row(
                p["project__project_type"],
                p["project__venue_type"],
                p["project__screen_area_m2"],
                p["project__show_days"],
            )
            | {TARGET: float(p["hours"])}
            for p in pasts
        ]
        model = analogy.fit(training, TARGET, FEATURES, nominal=NOMINAL, size=SIZE)
        projects = tuple((p["project__reference"], p["project__name"], p["hours"]) for p in pasts)
        fitted[role_id] = _Fitted(model, projects)
    return fitted


def _predict(role_id: int, fitted: _Fitted, row: dict, projects: int) -> RolePrediction:
    prediction = fitted.model.predict(row)
    similar = tuple(
        (reference, name, _whole(hours))
        for reference, name, hours in (fitted.projects[a.index] for a in prediction.analogues)
    )
    return RolePrediction(
        role_id=role_id,
        value=_whole(prediction.value),
        low=_whole(prediction.low),
        high=_whole(prediction.high),
        analogues=len(prediction.analogues),
        projects=projects,
        similar=similar,
    )


def _whole(hours) -> int:
    # Crews are booked by the hour; a role that was on a project took at least one.
    whole = Decimal(str(hours)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(int(whole), 1)
