"""The `ventanilla` command.

    ventanilla serve            migrate, load demo data, run the web server and the task worker
    ventanilla worker           run the background task worker (django-tasks-db)
    ventanilla migrate | createstaff | loaddemo | check | ...   any management command
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings.local")


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="ventanilla serve")
    parser.add_argument("--addr", default=os.environ.get("VENTANILLA_ADDR", "127.0.0.1:8000"))
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.add_argument("--no-worker", action="store_true", help="do not start the worker")
    args = parser.parse_args(argv)

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    for sub in ("", "mail", "private"):
        (settings.VAR_DIR / sub).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    if not args.no_demo:
        call_command("loaddemo")
    # keep bookable slots 28 days ahead (in production: run `slots_generate` daily)
    call_command("slots_generate", verbosity=0)
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "ventanilla.config.cli", "worker"])
    print(f"Ventanilla: http://{args.addr}/  (staff: http://{args.addr}/staff/)", flush=True)
    try:
        call_command("runserver", args.addr, use_reloader=False)
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    _setup()
    command = argv[1] if len(argv) > 1 else "help"
    if command == "serve":
        return serve(argv[2:])
    if command == "worker":
        argv = [argv[0], "db_worker", *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
