from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ventanilla.people"
    label = "people"
