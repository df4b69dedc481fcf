"""A URLconf whose views fail, for the error-page tests (the project's handlers)."""

from django.db import OperationalError
from django.urls import path

from ventanilla.config.urls import handler500  # noqa: F401 (the handler under test)
from ventanilla.config.urls import urlpatterns as project


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise KeyError("a bug")


urlpatterns = [
    path("fallo/db/", database_gone), path("api/v1/fallo/db/", database_gone),
    path("fallo/bug/", bug), path("api/v1/fallo/bug/", bug), *project,
]
