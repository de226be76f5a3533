"""The company's business calendar: weekends, public holidays and the company's days off,
which every app that lays out dates shares (close plans now; projects and capacity later)."""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from tandem.core.logic.calendar import BusinessCalendar
from tandem.core.models import CompanyHoliday
from tandem.core.services import day, full_clean_or_raise

# Plans reach a few years out; a holiday list longer than that is never read.
YEARS_BEHIND = 1
YEARS_AHEAD = 3


@lru_cache(maxsize=32)
def public_holidays(country: str, subdivision: str, years: tuple[int, ...]) -> frozenset:
    """Public holidays of a country (and region) in `years`, from the holidays library."""
    try:
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=years)
    except NotImplementedError:
        raise ImproperlyConfigured(
            f"TANDEM_HOLIDAY_COUNTRY={country!r} is not a country the holidays library knows"
        ) from None
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TANDEM_HOLIDAY_SUBDIVISION={subdivision!r} is not a region of {country}: {error}"
        ) from None
    return frozenset(found.keys())


def company_calendar(today: dt.date) -> BusinessCalendar:
    """The calendar plans are laid out in, from a year before `today` to three years after.

    Reads the company's days off (one query); public holidays are cached per process.
    """
    years = tuple(range(today.year - YEARS_BEHIND, today.year + YEARS_AHEAD + 1))
    public = public_holidays(
        settings.TANDEM_HOLIDAY_COUNTRY, settings.TANDEM_HOLIDAY_SUBDIVISION, years
    )
    own = CompanyHoliday.objects.filter(
        date__year__gte=years[0], date__year__lte=years[-1]
    ).values_list("date", flat=True)
    return BusinessCalendar(holidays=public | frozenset(own))


@transaction.atomic
def do_add_company_holiday(by, *, date: dt.date, name: str) -> CompanyHoliday:
    """Add a day the company does not work; plans laid out from now on skip it.

    Steps already laid out keep their due dates; the morning health refresh judges every plan
    again with the new calendar.
    """
    taken = CompanyHoliday.objects.filter(date=date).first()
    if taken is not None:
        raise ValidationError({"date": f"{day(date)} is already a day off: {taken.name}."})
    holiday = CompanyHoliday(date=date, name=name.strip())
    full_clean_or_raise(holiday)
    holiday.save()
    return holiday


@transaction.atomic
def do_remove_company_holiday(holiday: CompanyHoliday, by) -> None:
    """Make a company day off a working day again (plans keep their due dates)."""
    CompanyHoliday.objects.filter(pk=holiday.pk).delete()
