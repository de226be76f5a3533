from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tandem.catalog"
    label = "catalog"
    verbose_name = "Catalog and rate cards"
