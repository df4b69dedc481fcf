"""Project-wide guarantees: migrations, deploy checks, translations, settings."""

from __future__ import annotations

import os
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


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    base_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base_env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'check.sqlite3'}")
    base_env["VENTANILLA_VAR_DIR"] = str(tmp_path)
    env = {**base_env, "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings.production",
           "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-" + "y" * 30,
           "DJANGO_ALLOWED_HOSTS": "ventanilla.example"}
    out = subprocess.run([sys.executable, "-m", "ventanilla.config.cli", "check", "--deploy",
                          "--fail-level", "WARNING"], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "ventanilla.config.settings.production"
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert out.returncode != 0 and "DJANGO_SECRET_KEY" in out.stderr


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
