from django.apps import AppConfig


class DependantsConfig(AppConfig):
    name = "ventanilla.dependants"
    label = "dependants"
