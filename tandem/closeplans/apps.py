from django.apps import AppConfig


class CloseplansConfig(AppConfig):
    name = "tandem.closeplans"
    label = "closeplans"
    verbose_name = "Close plans"
