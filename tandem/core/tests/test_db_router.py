from django.conf import settings

from tandem.core.db_router import ReplicaRouter, reporting_db
from tandem.pipeline.models import Deal

ROUTER = ReplicaRouter()


def test_reports_read_the_default_database_when_there_is_no_replica():
    assert "replica" not in settings.DATABASES

    assert reporting_db() == "default"


def test_reports_read_the_replica_once_it_is_configured(monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", {})

    assert reporting_db() == "replica"


def test_reads_stay_on_the_default_database_unless_the_code_asks_for_the_replica():
    # None lets Django pick the default database (or the hinted instance's).
    assert ROUTER.db_for_read(Deal) is None


def test_writes_always_go_to_the_default_database():
    deal_from_replica = Deal()
    deal_from_replica._state.db = "replica"

    assert ROUTER.db_for_write(Deal) == "default"
    assert ROUTER.db_for_write(Deal, instance=deal_from_replica) == "default"


def test_rows_from_either_database_may_be_related():
    assert ROUTER.allow_relation(Deal(), Deal()) is True


def test_only_the_default_database_is_migrated():
    assert ROUTER.allow_migrate("default", "pipeline", "deal") is True
    assert ROUTER.allow_migrate("replica", "pipeline", "deal") is False
