"""Moving the company's days off and the runs of periodic jobs into core keeps every row and
permission."""

import datetime as dt

from tandem.core.tests.migrating import migrate

BEFORE = [("closeplans", "0002_deal_protected"), ("core", "0001_outbox")]
AFTER = [("closeplans", "0003_companyholiday_moves_to_core"), ("core", "0002_companyholiday")]


def test_days_off_kept_before_the_move_are_there_after_it(back_to_latest):
    old = migrate(BEFORE)
    old.get_model("closeplans", "CompanyHoliday").objects.create(
        date=dt.date(2027, 12, 27), name="Year-end shutdown"
    )
    content_type = old.get_model("contenttypes", "ContentType")
    plans_type, _ = content_type.objects.get_or_create(
        app_label="closeplans", model="companyholiday"
    )

    new = migrate(AFTER)

    day_off = new.get_model("core", "CompanyHoliday").objects.get()
    assert (day_off.date, day_off.name) == (dt.date(2027, 12, 27), "Year-end shutdown")
    assert new.get_model("contenttypes", "ContentType").objects.get(pk=plans_type.pk).app_label == (
        "core"
    )

    back = migrate(BEFORE)
    assert back.get_model("closeplans", "CompanyHoliday").objects.get().name == "Year-end shutdown"


def test_runs_of_periodic_jobs_kept_before_the_move_are_there_after_it(back_to_latest):
    before = [("notifications", "0001_initial"), ("core", "0002_companyholiday")]
    after = [("notifications", "0002_periodicrun_moves_to_core"), ("core", "0003_periodicrun")]
    old = migrate(before)
    started = dt.datetime(2027, 4, 12, 7, tzinfo=dt.UTC)
    old.get_model("notifications", "PeriodicRun").objects.create(
        job="checkups", period="2027-04-12", started_at=started, result={"notified": 3}
    )

    new = migrate(after)

    run = new.get_model("core", "PeriodicRun").objects.get()
    assert (run.job, run.period, run.result) == ("checkups", "2027-04-12", {"notified": 3})
    back = migrate(before)
    assert back.get_model("notifications", "PeriodicRun").objects.get().job == "checkups"
