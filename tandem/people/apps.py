from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_groups(sender, **kwargs):
    from tandem.core.apps import is_last_app_migrated
    from tandem.people.services import sync_role_groups

    if is_last_app_migrated(sender):
        sync_role_groups()


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        # Groups need the permissions Django itself creates after migrate, so they are set up
        # at the same moment rather than in a data migration that would run before them.
        post_migrate.connect(_sync_groups, dispatch_uid="tandem.people.sync_groups")
