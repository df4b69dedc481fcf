"""The demo's links point at the address it serves on (issue 12, item 9)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ventanilla.config import cli


@pytest.mark.parametrize(("addr", "url"), [
    ("127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("127.0.0.1:8123", "http://127.0.0.1:8123"),
    ("0.0.0.0:9000", "http://127.0.0.1:9000"),
    ("localhost:8001", "http://localhost:8001"),
], ids=["default", "other-port", "every-interface", "a-name"])
def test_the_site_url_is_the_address_served(addr, url):
    assert cli.site_url_for(addr) == url


def _serve_and_capture(monkeypatch, argv) -> str:
    seen = {}
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(cli, "_run", lambda args: seen.setdefault("url", cli.os.environ["SITE_URL"]) and 0)
    cli.serve(argv)
    return seen["url"]


def test_serve_on_another_port_links_to_that_port(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert _serve_and_capture(monkeypatch, ["--addr", "127.0.0.1:8123", "--no-demo"]) == \
        "http://127.0.0.1:8123"


def test_an_explicit_site_url_wins(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://ventanilla.example")
    assert _serve_and_capture(monkeypatch, ["--addr", "127.0.0.1:8123", "--no-demo"]) == \
        "https://ventanilla.example"


def test_the_settings_read_it_in_the_processes_serve_starts(tmp_path):
    """The web and task workers are new processes: they read SITE_URL from the environment."""
    env = {"SITE_URL": cli.site_url_for("0.0.0.0:8123"), "PATH": "",
           "VENTANILLA_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings.local"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(settings.SITE_URL)"], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "http://127.0.0.1:8123"
