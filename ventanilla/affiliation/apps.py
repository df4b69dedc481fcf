from django.apps import AppConfig


class AffiliationConfig(AppConfig):
    name = "ventanilla.affiliation"
    label = "affiliation"
