"""Moving Activity from crm to pipeline keeps every row, link and permission."""

import datetime as dt

from tandem.core.tests.migrating import migrate

BEFORE = [("crm", "0002_initial"), ("pipeline", "0003_board_indexes")]
AFTER = [("crm", "0003_activity_moves_to_pipeline"), ("pipeline", "0004_activity")]


def test_activities_logged_before_the_move_are_there_after_it(back_to_latest):
    old = migrate(BEFORE)
    content_type = old.get_model("contenttypes", "ContentType")
    permission = old.get_model("auth", "Permission")
    crm_type, _ = content_type.objects.get_or_create(app_label="crm", model="activity")
    permission.objects.get_or_create(
        content_type=crm_type, codename="add_activity", defaults={"name": "Can add activity"}
    )
    user = old.get_model("people", "User").objects.create(username="sam")
    account = old.get_model("crm", "Account").objects.create(name="Kestrel Robotics", owner=user)
    contact = old.get_model("crm", "Contact").objects.create(first_name="Ana", last_name="Lima")
    # An earlier transactional test may have flushed the default stages.
    stage, _ = old.get_model("pipeline", "Stage").objects.get_or_create(
        name="Move test", defaults={"order": 77}
    )
    deal = old.get_model("pipeline", "Deal").objects.create(
        name="Booth",
        account=account,
        owner=user,
        stage=stage,
        target_close_date=dt.date(2027, 5, 1),
    )
    activity = old.get_model("crm", "Activity").objects.create(
        author=user,
        account=account,
        deal=deal,
        subject="Walked the hall",
        occurred_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
    )
    activity.contacts.add(contact)
    activity.attendees.add(user)

    new = migrate(AFTER)

    moved = new.get_model("pipeline", "Activity").objects.get()
    assert (moved.pk, moved.subject, moved.deal_id) == (activity.pk, "Walked the hall", deal.pk)
    assert list(moved.contacts.values_list("pk", flat=True)) == [contact.pk]
    assert list(moved.attendees.values_list("pk", flat=True)) == [user.pk]
    renamed = new.get_model("contenttypes", "ContentType").objects.get(pk=crm_type.pk)
    assert (renamed.app_label, renamed.model) == ("pipeline", "activity")
    assert (
        new.get_model("auth", "Permission")
        .objects.filter(content_type=renamed, codename="add_activity")
        .exists()
    )

    # And back: the move undoes cleanly.
    back = migrate(BEFORE)
    assert back.get_model("crm", "Activity").objects.get().subject == "Walked the hall"
    crm_again = back.get_model("contenttypes", "ContentType").objects.get(pk=crm_type.pk)
    assert crm_again.app_label == "crm"


def test_old_currencies_become_iso_codes_and_unknown_ones_the_companys(back_to_latest, caplog):
    old = migrate([("pipeline", "0006_deal_stage_close_money_index")])
    user = old.get_model("people", "User").objects.create(username="sam")
    account = old.get_model("crm", "Account").objects.create(name="Kestrel Robotics", owner=user)
    stage, _ = old.get_model("pipeline", "Stage").objects.get_or_create(
        name="Currency test", defaults={"order": 78}
    )
    deals = old.get_model("pipeline", "Deal").objects
    made = {
        typed: deals.create(
            name=f"Deal in {typed!r}",
            account=account,
            owner=user,
            stage=stage,
            currency=typed,
            target_close_date=dt.date(2027, 5, 1),
        ).pk
        for typed in ["usd", " eu", "DOL", "", "GBP"]
    }

    new = migrate([("pipeline", "0007_currency_iso_codes")])

    kept = dict(new.get_model("pipeline", "Deal").objects.values_list("pk", "currency"))
    assert {typed: kept[pk] for typed, pk in made.items()} == {
        "usd": "USD",
        " eu": "USD",
        "DOL": "USD",
        "": "USD",
        "GBP": "GBP",
    }
    logged = [r.getMessage() for r in caplog.records if r.name == "tandem.migrations"]
    assert logged == [
        f"pipeline.Deal {made[' eu']} had currency ' eu', which is no ISO 4217 code: set to USD.",
        f"pipeline.Deal {made['DOL']} had currency 'DOL', which is no ISO 4217 code: set to USD.",
        f"pipeline.Deal {made['']} had currency '', which is no ISO 4217 code: set to USD.",
    ]
