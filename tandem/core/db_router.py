"""A read replica for heavy reads that may lag a little, asked for by name.

With DATABASE_URL_REPLICA set, settings add the database alias "replica" and this router.
Every query still goes to the default database unless its code asks for the replica with
`.using(reporting_db())`: a page that reads right after its own write must see it, which a
replica behind by a second would not show.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"


def reporting_db() -> str:
    """Name the database for reports and exports: the replica when one is configured, else
    the default database."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Write and migrate on the default database only; read where the code says."""

    def db_for_read(self, model, **hints):
        # None: the default database, or the database the hinted instance came from, so
        # following a relation of a row read from the replica stays on the replica.
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the default database's tables; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS
