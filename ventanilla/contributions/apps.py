from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "ventanilla.contributions"
    label = "contributions"
