"""The WSGI application: the site's pages and the JSON API, each with its middleware.

Requests under ``/api/`` go through ``settings.API_MIDDLEWARE``, a shorter chain without
what only pages need (static files, the Content-Security-Policy of HTML, flash messages,
trailing-slash redirects): the API's busiest requests are a few milliseconds long, and every
middleware is paid on each of them (docs/scheduling.md, "Performance"). Everything else
goes through ``settings.MIDDLEWARE``.
"""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings.local")
django.setup(set_prefix=False)

API_PREFIX = "/api/"


class ApiWSGIHandler(WSGIHandler):
    """A handler whose middleware chain is ``settings.API_MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; swap it while the chain is
        # built (once, at start-up, before any request).
        pages = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = pages


_site = WSGIHandler()
_api = ApiWSGIHandler()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    handler = _api if path.startswith(API_PREFIX) else _site
    return handler(environ, start_response)
