"""The API fuzzed: whatever a client sends to the endpoints that take money (deals, rate
cards), each field of any type or size, the answer is never a server error.

60 examples per endpoint by default; TANDEM_FUZZ_EXAMPLES=1000 digs deeper before a release."""

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tandem.catalog.tests.factories import LabourRoleFactory
from tandem.core.tests.api_clients import DEALS, deal_url
from tandem.crm.tests.factories import AccountFactory
from tandem.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    # JSON has no NaN or infinity; the strings "NaN" and "Infinity" below stand in for them.
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "dol",
            "usd",
            "USD",
            " eur ",
            "9999999999999999999.999",
            "1e400",
            "-0",
            "NaN",
            "Infinity",
            "2026-02-30",
            "31/12/2026",
            "0001-01-01",
            "9999-12-31",
            "\x00",
            "😀" * 3,
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FUZZ = settings(
    max_examples=int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DEAL_FIELDS = [
    "name",
    "amount",
    "currency",
    "confirm_amount",
    "target_close_date",
    "close_date_reason",
    "probability",
    "stage",
    "owner",
    "forecast_category",
    "requested_delivery_date",
    "next_step",
    "version",
]
RATE_FIELDS = [
    "effective_from",
    "cost_rate",
    "bill_rate",
    "overtime_multiplier",
    "minimum_call_hours",
    "currency",
]


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    return client


def _answers_without_a_server_error(response, sent) -> None:
    assert response.status_code < 500, f"{response.status_code} for {sent!r}"


@FUZZ
@given(data=st.dictionaries(st.sampled_from(DEAL_FIELDS), ANYTHING, max_size=5))
def test_a_new_deal_of_any_shape_never_answers_a_server_error(seller, data):
    sent = {
        "name": "Fuzzed",
        "account": AccountFactory().pk,
        "target_close_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        **data,
    }

    _answers_without_a_server_error(_client(seller).post(DEALS, sent, format="json"), sent)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(DEAL_FIELDS), ANYTHING, min_size=1, max_size=4))
def test_an_edit_of_any_shape_never_answers_a_server_error(seller, data):
    deal = DealFactory(owner=seller)

    response = _client(seller).patch(deal_url(deal), data, format="json")

    _answers_without_a_server_error(response, data)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(RATE_FIELDS), ANYTHING, max_size=6))
def test_a_rate_of_any_shape_never_answers_a_server_error(admin_user, data):
    role = LabourRoleFactory()

    response = _client(admin_user).post(
        f"/api/v1/labour-roles/{role.pk}/rates/", data, format="json"
    )

    _answers_without_a_server_error(response, data)
