from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "ventanilla.countries"
    label = "countries"
