"""Helpers shared by every app's API tests: a client signed in as a persona, and URLs."""

from rest_framework.test import APIClient

DEALS = "/api/v1/deals/"


def as_user(user) -> APIClient:
    """An API client with `user`'s session, so each request loads the user as in real life."""
    client = APIClient()
    client.force_login(user)
    return client


def url(base: str, row, action: str = "") -> str:
    return f"{base}{row.pk}/{action + '/' if action else ''}"


def deal_url(deal, action: str = "") -> str:
    return url(DEALS, deal, action)


def names(response) -> set[str]:
    return {row["name"] for row in response.data["results"]}
