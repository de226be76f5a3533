from django.apps import AppConfig


class CloseplansConfig(AppConfig):
    name = "tandem.closeplans"
    label = "closeplans"
    verbose_name = "Close plans"

    def ready(self) -> None:
        from tandem.closeplans import receivers  # noqa: F401
