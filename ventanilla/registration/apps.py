from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "ventanilla.registration"
    label = "registration"
