"""Project-wide guarantees: migrations, deploy checks, translations, settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "ventanilla" / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _production_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'check.sqlite3'}")
    env["VENTANILLA_VAR_DIR"] = str(tmp_path)
    env.update({"DJANGO_SETTINGS_MODULE": "ventanilla.config.settings.production",
                "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-" + "y" * 30,
                "DJANGO_ALLOWED_HOSTS": "ventanilla.example",
                "SITE_URL": "https://ventanilla.example",
                "REDIS_URL": "redis://127.0.0.1:6379/15"})
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ventanilla.config.cli", "check", "--deploy",
                           "--fail-level", "WARNING"], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=False)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    out = _check_deploy(_production_env(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


@pytest.mark.parametrize(("extra", "expected"), [
    ({"REDIS_URL": None}, "ventanilla.E001"),
    ({"WHATSAPP_ENABLED": "1", "VENTANILLA_CHECK_ONLY": "1"}, "ventanilla.E003"),
    ({"SITE_URL": "http://ventanilla.example"}, "ventanilla.E004"),
], ids=["process-local-cache", "whatsapp-without-secrets", "plain-http-links"])
def test_check_deploy_refuses_what_production_cannot_run_with(tmp_path, extra, expected):
    env = _production_env(tmp_path, **extra)
    if extra.get("REDIS_URL", "") is None:
        env.pop("REDIS_URL", None)
    out = _check_deploy(env)
    assert out.returncode != 0 and expected in out.stderr + out.stdout, out.stderr


def _development_only_modules() -> list[str]:
    """The top-level modules of every installed distribution that a production install
    (``uv sync --frozen --no-dev``) would not have, read from uv's own resolution."""
    from importlib import metadata

    from packaging.utils import canonicalize_name

    out = subprocess.run(["uv", "export", "--frozen", "--no-dev", "--no-hashes",
                          "--no-emit-project"], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    production = {canonicalize_name(re.split(r"[=<>; ]", line, maxsplit=1)[0])
                  for line in out.stdout.splitlines() if line and line[0].isalnum()}
    modules = set()
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in production or name == "ventanilla":
            continue
        top = dist.read_text("top_level.txt")
        names = top.split() if top else {
            f.parts[0].removesuffix(".py") for f in dist.files or []
            if not f.parts[0].endswith((".dist-info", ".data", ".pth")) and f.parts[0] != ".."}
        modules.update(n for n in names if n.isidentifier())
    return sorted(modules)


PRODUCTION_BOOT = """
import importlib.abc, sys
DEV = set(sys.argv[1].split(","))
class NoDevPackages(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in DEV:
            raise ModuleNotFoundError(f"No module named {name!r} (a development package)")
        return None
sys.meta_path.insert(0, NoDevPackages())
from ventanilla.config.cli import main
main(["ventanilla", "check", "--deploy", "--fail-level", "WARNING"])
from ventanilla.config.wsgi import application            # the web server's entry point
import ventanilla.notifications.worker                     # the worker's
from ventanilla.core.ratelimit import limit                # the shared cache, for real
limit("cases.lookup", key="production-boot-test")
print("production boot: ok")
"""


def test_production_runs_without_the_development_packages(tmp_path):
    """Everything production settings use is a main dependency: with every development
    package made unimportable, `check --deploy` passes, the WSGI application and the
    worker import, and a rate limit talks to Redis (it answered 500 "No module named
    'redis'" once)."""
    blocked = _development_only_modules()
    assert {"pytest", "hypothesis", "schemathesis", "aiosmtpd", "playwright"} <= set(blocked)
    blocked = ",".join(blocked)
    out = subprocess.run([sys.executable, "-c", PRODUCTION_BOOT, blocked],
                         env=_production_env(tmp_path), cwd=ROOT, capture_output=True,
                         text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "production boot: ok" in out.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "ventanilla.config.settings.production"
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert out.returncode != 0 and "DJANGO_SECRET_KEY" in out.stderr


SERVE_SETTINGS = """
import django
from django.conf import settings
from django.core.files.storage import storages
from whitenoise.storage import CompressedManifestStaticFilesStorage
django.setup()
print("DEBUG", settings.DEBUG)
print("compressed-manifest", isinstance(storages["staticfiles"],
                                        CompressedManifestStaticFilesStorage))
print("handler404", __import__(settings.ROOT_URLCONF, fromlist=["x"]).handler404)
"""


@pytest.mark.parametrize(("debug", "expected"), [
    (None, ["DEBUG False", "compressed-manifest True"]),
    ("1", ["DEBUG True", "compressed-manifest False"]),
], ids=["default", "DJANGO_DEBUG=1"])
def test_serve_runs_without_debug_and_with_compressed_static_files(tmp_path, debug, expected):
    """`ventanilla serve` uses the local settings (cli._setup): DEBUG off, so the site's own
    404 and 500 pages, and hashed, pre-compressed static files, unless DJANGO_DEBUG=1 asks
    for debugging. tests/e2e/test_production_server.py checks what the running server
    answers."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update({"VENTANILLA_VAR_DIR": str(tmp_path)})
    if debug:
        env["DJANGO_DEBUG"] = debug
    code = "from ventanilla.config import cli; cli._setup()\n" + SERVE_SETTINGS
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[:2] == expected
    assert lines[2] == "handler404 ventanilla.channels.web.errors.page_not_found"


def test_r_lng_01_spanish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}  # the same msgid may have contexts
    stale = [e.msgid for e in po.translated_entries()
             if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr]
    assert stale == [], "run: ventanilla compilemessages (see docs/i18n.md)"


def test_r_lng_01_every_template_string_is_in_the_catalogue():
    """A string added to code or templates without makemessages would show in English."""
    po = polib.pofile(str(PO))
    known = {e.msgid for e in po}
    import re

    missing = []
    for tpl in (ROOT / "ventanilla").rglob("*.html"):
        if "static" in tpl.parts:
            continue
        for m in re.finditer(r'{%\s*translate\s+"([^"]+)"', tpl.read_text()):
            if m.group(1) not in known:
                missing.append((tpl.name, m.group(1)))
    assert missing == []


def test_passwords_are_hashed_with_argon2():
    from django.conf import settings
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from ventanilla.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[-1]
    encoded = Argon2PasswordHasher().encode("correct horse battery", "somesalt12345678")
    assert encoded.startswith("argon2$argon2id$")
