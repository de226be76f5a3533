from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "tandem.pipeline"
    label = "pipeline"
