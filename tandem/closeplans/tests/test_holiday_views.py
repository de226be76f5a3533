import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import CompanyHoliday
from tandem.people.models import Role
from tandem.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _us_holidays(settings):
    settings.TANDEM_HOLIDAY_COUNTRY = "US"
    settings.TANDEM_HOLIDAY_SUBDIVISION = ""


def url(name, *args) -> str:
    return reverse(f"closeplans:{name}", args=args)


def signed_in(client, role):
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    return client


def test_an_outsider_is_sent_to_the_login_page(client):
    response = client.get(url("holiday_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_manager_adds_a_day_off(pm_client):
    day = timezone.localdate() + dt.timedelta(days=30)

    response = pm_client.post(
        url("holiday_list"), {"date": day.isoformat(), "name": "  Year-end shutdown "}
    )

    assert response.status_code == 302
    assert response["Location"] == url("holiday_list")
    assert CompanyHoliday.objects.get().name == "Year-end shutdown"


def test_a_past_day_off_is_added_and_shown_with_the_past_ones(pm_client):
    day = timezone.localdate() - dt.timedelta(days=30)

    response = pm_client.post(url("holiday_list"), {"date": day.isoformat(), "name": "Moving day"})

    assert response["Location"] == f"{url('holiday_list')}?when=past"
    assert CompanyHoliday.objects.get().date == day


def test_a_date_already_off_is_refused_with_its_name(pm_client):
    day = timezone.localdate() + dt.timedelta(days=30)
    CompanyHoliday.objects.create(date=day, name="Founders' day")

    response = pm_client.post(url("holiday_list"), {"date": day.isoformat(), "name": "Again"})

    assert response.status_code == 400
    assert "is already a day off: Founders' day." in " ".join(
        response.context["form"].errors["date"]
    )
    assert 'value="Again"' in response.content.decode()
    assert list(CompanyHoliday.objects.values_list("name", flat=True)) == ["Founders' day"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "", "name": "Shutdown"}, "date"),
        ({"date": "31/12/2030", "name": "Shutdown"}, "date"),
        ({"date": "2030-02-30", "name": "Shutdown"}, "date"),
        ({"date": "2030-12-31", "name": ""}, "name"),
        ({"date": "2030-12-31", "name": "x" * 121}, "name"),
    ],
)
def test_bad_day_off_input_is_refused(pm_client, data, field):
    response = pm_client.post(url("holiday_list"), data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not CompanyHoliday.objects.exists()


@pytest.mark.parametrize("role", [Role.SELLER, Role.FINANCE])
def test_sellers_and_finance_read_days_off_but_cannot_change_them(client, role):
    holiday = CompanyHoliday.objects.create(
        date=timezone.localdate() + dt.timedelta(days=10), name="Shutdown"
    )
    client = signed_in(client, role)

    page = client.get(url("holiday_list"))
    add = client.post(url("holiday_list"), {"date": "2030-12-31", "name": "Mine"})
    delete = client.post(url("holiday_delete", holiday.pk))

    assert page.status_code == 200
    assert "Shutdown" in page.content.decode()
    assert url("holiday_delete", holiday.pk) not in page.content.decode()
    assert add.status_code == 403
    assert delete.status_code == 403
    assert list(CompanyHoliday.objects.values_list("name", flat=True)) == ["Shutdown"]


def test_a_manager_removes_a_day_off(pm_client):
    holiday = CompanyHoliday.objects.create(
        date=timezone.localdate() + dt.timedelta(days=10), name="Shutdown"
    )

    response = pm_client.post(url("holiday_delete", holiday.pk))

    assert response.status_code == 302
    assert not CompanyHoliday.objects.exists()
    assert pm_client.post(url("holiday_delete", holiday.pk)).status_code == 404


def test_days_off_are_listed_upcoming_or_past(seller_client):
    today = timezone.localdate()
    CompanyHoliday.objects.create(date=today - dt.timedelta(days=40), name="Long ago")
    CompanyHoliday.objects.create(date=today - dt.timedelta(days=5), name="Last week")
    CompanyHoliday.objects.create(date=today, name="Today off")
    CompanyHoliday.objects.create(date=today + dt.timedelta(days=50), name="Later")

    upcoming = seller_client.get(url("holiday_list"))
    past = seller_client.get(url("holiday_list"), {"when": "past"})

    assert [h.name for h in upcoming.context["page_obj"]] == ["Today off", "Later"]
    assert [h.name for h in past.context["page_obj"]] == ["Last week", "Long ago"]


def test_the_public_holidays_of_this_year_and_next_are_shown(seller_client):
    year = timezone.localdate().year

    response = seller_client.get(url("holiday_list"))

    by_year = dict(response.context["public_by_year"])
    assert list(by_year) == [year, year + 1]
    for this in (year, year + 1):
        assert (dt.date(this, 12, 25), "Christmas Day") in by_year[this]
        assert all(date.year == this for date, _ in by_year[this])
    assert "Public holidays (US)" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_days_off_page_runs_the_same_queries_whatever_the_data(
    pm_client, rows, django_assert_num_queries
):
    start = timezone.localdate() + dt.timedelta(days=1)
    CompanyHoliday.objects.bulk_create(
        CompanyHoliday(date=start + dt.timedelta(days=n), name=f"Day {n}") for n in range(rows)
    )
    pm_client.get(url("holiday_list"))

    # session, user, permissions (user, group), count, unread notifications, page
    with django_assert_num_queries(7):
        response = pm_client.get(url("holiday_list"))
    assert len(response.context["page_obj"]) == rows


def test_a_day_off_that_changes_nothing_says_why(seller_client):
    from tandem.core.calendar import public_holidays

    next_year = timezone.localdate().year + 1
    public = min(d for d in public_holidays("US", "", (next_year,)) if d.weekday() < 5)
    saturday = dt.date(next_year, 3, 1)
    while saturday.weekday() != 5:
        saturday += dt.timedelta(days=1)
    doubled = CompanyHoliday.objects.create(date=public, name="Doubled up")
    party = CompanyHoliday.objects.create(date=saturday, name="Weekend party")

    body = seller_client.get(url("holiday_list")).content.decode()

    def row(holiday) -> str:
        return body.split(f'id="holiday-{holiday.pk}"')[1].split("</tr>")[0]

    assert "a public holiday already" in row(doubled)
    assert "on a weekend: changes nothing" in row(party)
    assert "a public holiday already" not in row(party)
