from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_groups(sender, **kwargs):
    from django.apps import apps

    from tandem.people.services import sync_role_groups

    # post_migrate fires once per app; by the last one every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        sync_role_groups()


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        # Groups need the permissions Django itself creates after migrate, so they are set up
        # at the same moment rather than in a data migration that would run before them.
        post_migrate.connect(_sync_groups, dispatch_uid="tandem.people.sync_groups")
