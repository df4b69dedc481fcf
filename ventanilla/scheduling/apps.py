from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "ventanilla.scheduling"
    label = "scheduling"
