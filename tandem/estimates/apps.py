from django.apps import AppConfig


class EstimatesConfig(AppConfig):
    name = "tandem.estimates"
    label = "estimates"
    verbose_name = "Estimates"
