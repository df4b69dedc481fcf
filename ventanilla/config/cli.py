"""The `ventanilla` command.

    ventanilla serve            set up (migrations, demo data, static files) and run
    ventanilla run              the web server (granian) and the task worker, supervised
    ventanilla web              the web server alone (granian; for a systemd unit)
    ventanilla worker           the task worker alone: the outbox and queued tasks
    ventanilla migrate | createstaff | loaddemo | check | ...   any management command

``serve`` runs the same production-grade server as production (granian with bounded
threads, workers respawned, DEBUG off, compressed static files) on the embedded default
database (SQLite), so what a newcomer tries is what is deployed (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings.local")


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--addr", default=os.environ.get("VENTANILLA_ADDR", "127.0.0.1:8000"),
                        help="host:port to listen on (default 127.0.0.1:8000)")
    parser.add_argument("--workers", type=int, default=None,
                        help="web worker processes (default VENTANILLA_WEB_WORKERS, else the "
                             "number of cores up to 4)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per web worker (default VENTANILLA_WEB_THREADS or 8)")
    parser.add_argument("--no-worker", action="store_true", help="do not start the worker")


def site_url_for(addr: str) -> str:
    """The address a browser on this machine opens for ``host:port`` ("0.0.0.0:8000" listens
    everywhere; a link to it must name this machine)."""
    host, _, port = addr.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):  # noqa: S104 (names, not a bind)
        host = "127.0.0.1"
    return f"http://{host}:{port}" if port else f"http://{host}"


def _site_url_default(addr: str) -> None:
    """Links in e-mails, QR codes and WhatsApp replies (settings.SITE_URL) point at the
    address this server listens on, unless SITE_URL is set. Set in the environment before
    Django reads its settings, so the web workers and the task worker started from here
    inherit it."""
    os.environ.setdefault("SITE_URL", site_url_for(addr))


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ventanilla serve")
    _run_arguments(parser)
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    args = parser.parse_args(argv)
    _site_url_default(args.addr)

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    for sub in ("", "mail", "private"):
        (settings.VAR_DIR / sub).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    if not args.no_demo:
        call_command("loaddemo")
    # keep bookable slots SLOTS_AHEAD_DAYS ahead (in production: run `slots_generate` daily)
    call_command("slots_generate", verbosity=0)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # the children open their own
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    from .supervisor import run

    print(f"Ventanilla: http://{args.addr}/  (staff: http://{args.addr}/staff/)", flush=True)
    return run(addr=args.addr, workers=args.workers, threads=args.threads,
               with_worker=not args.no_worker)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    _setup()
    command = argv[1] if len(argv) > 1 else "help"
    if command == "serve":
        return serve(argv[2:])
    if command == "web":
        parser = argparse.ArgumentParser(prog="ventanilla web")
        _run_arguments(parser)
        args = parser.parse_args(argv[2:])
        from .supervisor import granian_argv, web_threads, web_workers

        host, _, port = args.addr.rpartition(":")
        threads = args.threads or web_threads()
        os.environ["VENTANILLA_WEB_THREADS"] = str(threads)
        command_line = granian_argv(host=host or "127.0.0.1", port=int(port),
                                    workers=args.workers or web_workers(), threads=threads)
        os.execv(command_line[0], command_line)  # noqa: S606 (granian replaces this process)
    if command == "run":
        parser = argparse.ArgumentParser(prog="ventanilla run")
        _run_arguments(parser)
        args = parser.parse_args(argv[2:])
        _site_url_default(args.addr)
        return _run(args)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
