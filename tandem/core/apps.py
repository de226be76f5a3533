from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


def is_last_app_migrated(sender) -> bool:
    """post_migrate fires once per app with models; True on the last one, when every table,
    permission and content type exists."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    return sender is with_models[-1]


def _refresh_planner_statistics(sender, using="default", **kwargs):
    # SQLite plans with the statistics ANALYZE stores and never gathers them itself; after
    # new indexes it could otherwise pick a join order that reads every deal. PostgreSQL's
    # autovacuum keeps its own statistics.
    if is_last_app_migrated(sender) and connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"

    def ready(self):
        from tandem.core.api.messages import use_friendly_messages
        from tandem.core.registry import DISCOVERED_MODULES

        # Before the apps' serializers exist, so all of them say what is wrong in plain words.
        use_friendly_messages()

        # Every app's panels, search indexes, jobs, role grants, event handlers and API
        # endpoints register themselves when their module is imported: once, here, in every
        # process.
        autodiscover_modules(*DISCOVERED_MODULES)
        post_migrate.connect(_refresh_planner_statistics, dispatch_uid="tandem.core.analyze")
