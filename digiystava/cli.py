"""The ``digiystava`` command line. Each failure is one clear line on standard error."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from digiystava.errors import DomainError, InvalidInput, NotFound
from digiystava.languages import LANGUAGES

# NOTE: a command loads only what it uses, so each imports its services (and the database layer)
# in its own body: loading them all took 0.7 s of CPU before even `--help` could answer.

# Piccolo reads its configuration module's name when a command first touches the database.
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")


class CommandError(Exception):
    """A failure to report as one line, without a trace."""


def _engine():
    from digiystava import db
    from digiystava.settings import get_settings

    engine = db.engine_from_url(get_settings().database_url)
    db.bind(engine)
    return engine


def _run(coro_factory: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run with the database bound (and PostgreSQL's pool open) for the command's lifetime."""
    import asyncio

    from digiystava import db

    engine = _engine()

    async def main() -> Any:
        async with db.lifespan_pool(engine):
            return await coro_factory()

    return asyncio.run(main())


# --- commands ----------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from digiystava.settings import get_settings

    get_settings()  # fail fast on bad configuration, before forking workers
    # NOTE: uvicorn's access log would record query strings (a search for a name);
    # the app logs each request's method, path and status instead (middleware.py).
    uvicorn.run(
        "digiystava.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
        access_log=False,
    )


def cmd_migrate(args: argparse.Namespace) -> None:
    from digiystava.migrations import migrate

    _run(migrate)
    print("Database is up to date.")


def cmd_demo(args: argparse.Namespace) -> None:
    from digiystava.demo import load_demo

    result = _run(lambda: load_demo(args.scale, only_if_empty=args.if_empty, progress=sys.stderr))
    print(result)


def _has_terminal() -> bool:
    """Whether getpass can ask on a terminal (it opens /dev/tty, whatever standard input is)."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return sys.stdin is not None and sys.stdin.isatty()
    return True


def cmd_user_create(args: argparse.Namespace) -> None:
    from digiystava.access import COMMAND_LINE
    from digiystava.accounts import services
    from digiystava.accounts.schemas import UserIn

    if args.password_stdin:
        # Only the line ending goes: the password is exactly what was typed, spaces included.
        line = sys.stdin.readline()
        password = line[:-2] if line.endswith("\r\n") else line.removesuffix("\n")
    else:
        if not _has_terminal():
            # NOTE: getpass would fall back to reading standard input with a warning, or fail on EOF.
            raise CommandError(
                "no terminal to ask the password on: pipe it in with --password-stdin, "
                f"e.g. printf '%s\\n' \"$PASSWORD\" | digiystava user create {args.username} "
                f"--role {args.role} --password-stdin"
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("the passwords do not match")
    data = UserIn(username=args.username, role=args.role, password=password, location_ids=args.location or [])
    user = _run(lambda: services.create_user(COMMAND_LINE, data))
    print(f"Created {user.role} '{user.username}' (id {user.id}).")
    if user.role == "coordinator":
        print(
            "Coordinators log in with two-step verification: they set it up at their first login, with an "
            "authenticator app."
        )


def cmd_user_reset_2fa(args: argparse.Namespace) -> None:
    from digiystava.access import COMMAND_LINE
    from digiystava.accounts import second_factor, services

    async def reset() -> None:
        await second_factor.reset(COMMAND_LINE, await services.find_user_id(args.username))

    _run(reset)
    print(
        f"Turned off two-step verification of '{args.username}' and ended their sessions; they set it up "
        f"again at their next login."
    )


def cmd_user_token(args: argparse.Namespace) -> None:
    from digiystava.access import COMMAND_LINE
    from digiystava.accounts import services

    async def make() -> str:
        user_id = await services.find_user_id(args.username)
        return (await services.create_token(COMMAND_LINE, args.name, user_id=user_id)).token

    print(_run(make))


def cmd_backup(args: argparse.Namespace) -> None:
    from digiystava.backup import take_backup

    counts = _run(lambda: take_backup(Path(args.out)))
    print(f"Backed up {sum(counts.values())} rows from {len(counts)} tables to {args.out}.")


def cmd_restore(args: argparse.Namespace) -> None:
    from digiystava.backup import restore_backup

    counts = _run(lambda: restore_backup(Path(args.file)))
    print(f"Restored {sum(counts.values())} rows into {len(counts)} tables; signature and counts match.")


def cmd_labels(args: argparse.Namespace) -> None:
    """QR asset labels for the chosen tablets (or every tablet) on A4 label sheets."""
    from cohorts.tablets.labels import labels_pdf
    from digiystava.access import COMMAND_LINE
    from digiystava.settings import get_settings

    base_url = args.base_url or get_settings().public_url or "http://127.0.0.1:8000"
    _write(args.out, _run(lambda: labels_pdf(COMMAND_LINE, args.tablet or [], base_url, args.lang)))


def cmd_person_export(args: argparse.Namespace) -> None:
    from cohorts.participants.privacy import export_person
    from digiystava.access import COMMAND_LINE
    from digiystava.private_files import open_private

    data = _run(lambda: export_person(COMMAND_LINE, args.id))
    try:
        with open_private(args.out) as handle:
            handle.write(json.dumps(data, ensure_ascii=False, indent=2).encode())
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror}") from exc
    print(f"Wrote everything held about person {args.id} to {args.out}.")


def cmd_person_erase(args: argparse.Namespace) -> None:
    from cohorts.participants.privacy import erase_person
    from digiystava.access import COMMAND_LINE

    _run(lambda: erase_person(COMMAND_LINE, args.id))
    print(f"Erased the personal data of person {args.id}; pseudonymous course figures remain.")


def cmd_retention(args: argparse.Namespace) -> None:
    from cohorts.participants.privacy import apply_retention, due_for_erasure
    from digiystava.settings import get_settings

    months = get_settings().retention_months
    due = _run(lambda: apply_retention(months) if args.apply else due_for_erasure(months))
    for person in due:
        print(f"{person['id']}\t{person['pseudonym']}\tlast course ended {person['last_course_ended']}")
    verb = "Erased" if args.apply else "Due for erasure (run with --apply to erase)"
    print(f"{verb}: {len(due)} seniors whose last course ended more than {months} months ago.")


def _write(path: str, content: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
    print(f"Wrote {path}.")


def cmd_report_outcomes(args: argparse.Namespace) -> None:
    """The steering group's outcome report as a PDF, for a cohort, a location or the whole programme."""
    from digiystava.access import COMMAND_LINE
    from digiystava.reports.figures import outcome_report
    from digiystava.reports.pdf import outcome_pdf
    from digiystava.reports.scope import parse_scope

    async def make() -> bytes:
        report = await outcome_report(
            COMMAND_LINE, parse_scope(cohort_id=args.cohort, location_id=args.location), args.lang
        )
        return await outcome_pdf(report)

    _write(args.out, _run(make))


def cmd_report_funder(args: argparse.Namespace) -> None:
    """The funder's report as a PDF (or .xlsx) for a period and a funder (default: the whole programme, all funders)."""
    import asyncio

    from digiystava.access import COMMAND_LINE
    from digiystava.reports.funder import funder_report
    from digiystava.reports.funder_formats import funder_pdf, funder_xlsx

    try:
        start, end = (dt.date.fromisoformat(v) if v else None for v in (args.date_from, args.date_to))
    except ValueError as exc:
        raise CommandError("--from and --to are dates like 2026-08-01") from exc

    async def make() -> bytes:
        report = await funder_report(COMMAND_LINE, start, end, args.funder, args.lang)
        return await asyncio.to_thread(funder_xlsx if args.out.endswith(".xlsx") else funder_pdf, report)

    _write(args.out, _run(make))


def cmd_handout(args: argparse.Namespace) -> None:
    """A guide as PDF: the cohort's, or one senior's own (in their language unless --lang)."""
    from cohorts.handouts.services import guide_pdf
    from digiystava.access import COMMAND_LINE

    try:
        content = _run(lambda: guide_pdf(COMMAND_LINE, args.cohort, args.guide, args.lang, args.participant, args.size))
    except NotFound as exc:
        raise CommandError(f"no cohort {args.cohort}") from exc
    except InvalidInput as exc:
        problem = exc.errors[0]
        option = {"participant_id": "--participant", "lang": "--lang"}.get(problem.field, problem.field)
        raise CommandError(f"{option}: {problem.message}") from exc
    _write(args.out, content)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digiystava", description="The Digiystävä programme tracker.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    commands.add_parser("migrate", help="apply all database migrations").set_defaults(func=cmd_migrate)

    demo = commands.add_parser("demo", help="load a realistic demo programme")
    demo.add_argument("--scale", choices=["small", "city", "national"], default="small")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the database already has data")
    demo.set_defaults(func=cmd_demo)

    user = commands.add_parser("user", help="manage staff users").add_subparsers(dest="user_command", required=True)
    create = user.add_parser("create", help="create a staff user")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=["coordinator", "trainer", "steering", "volunteer"])
    create.add_argument(
        "--location", type=int, action="append", metavar="ID", help="a location the user works at (repeatable)"
    )
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(func=cmd_user_create)
    token = user.add_parser("token", help="print a new API token for a user")
    token.add_argument("username")
    token.add_argument("--name", default="command line")
    token.set_defaults(func=cmd_user_token)
    reset_2fa = user.add_parser(
        "reset-2fa",
        help="turn off a user's two-step verification (a lost phone); they set it up again at their next login",
    )
    reset_2fa.add_argument("username")
    reset_2fa.set_defaults(func=cmd_user_reset_2fa)
    backup = commands.add_parser("backup", help="write a consistent copy of the whole database")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser("restore", help="load a backup into an empty, migrated database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)

    labels = commands.add_parser("labels", help="print QR asset labels for tablets (A4, 3 x 8 labels of 70 x 37 mm)")
    labels.add_argument(
        "--tablet", type=int, action="append", metavar="ID", help="a tablet id (repeatable; default: every tablet)"
    )
    labels.add_argument("--out", required=True, metavar="FILE.pdf")
    labels.add_argument("--lang", choices=LANGUAGES, default="fi", help="the PDF's language and title (default fi)")
    labels.add_argument(
        "--base-url",
        default=None,
        help="the tracker's address the QR codes point to (default: $DIGIYSTAVA_BASE_URL or http://127.0.0.1:8000)",
    )
    labels.set_defaults(func=cmd_labels)
    person = commands.add_parser("person", help="a senior's GDPR rights").add_subparsers(
        dest="person_command", required=True
    )
    export = person.add_parser("export", help="write everything held about a senior as JSON")
    export.add_argument("id", type=int)
    export.add_argument("--out", required=True, metavar="FILE.json")
    export.set_defaults(func=cmd_person_export)
    erase = person.add_parser("erase", help="erase a senior's personal data")
    erase.add_argument("id", type=int)
    erase.set_defaults(func=cmd_person_erase)
    retention = commands.add_parser("retention", help="list (or erase) personal data past the retention period")
    retention.add_argument("--apply", action="store_true", help="erase what is listed")
    retention.set_defaults(func=cmd_retention)

    report = commands.add_parser("report", help="write reports").add_subparsers(dest="report_command", required=True)
    outcomes = report.add_parser(
        "outcomes", help="the steering group's outcome report as PDF (default: the whole programme)"
    )
    which = outcomes.add_mutually_exclusive_group()
    which.add_argument("--cohort", type=int, metavar="ID", help="one cohort")
    which.add_argument("--location", type=int, metavar="ID", help="one location")
    outcomes.add_argument("--lang", choices=LANGUAGES, default="fi")
    outcomes.add_argument("--out", required=True, metavar="FILE.pdf")
    outcomes.set_defaults(func=cmd_report_outcomes)
    funder = report.add_parser("funder", help="the funder's report as PDF, or .xlsx by the file's name")
    funder.add_argument("--from", dest="date_from", metavar="DATE", help="courses and costs from this date")
    funder.add_argument("--to", dest="date_to", metavar="DATE", help="courses and costs up to this date")
    funder.add_argument("--funder", choices=["STEA", "city", "other"], help="one funder's costs (default: all)")
    funder.add_argument("--lang", choices=LANGUAGES, default="fi")
    funder.add_argument("--out", required=True, metavar="FILE.pdf")
    funder.set_defaults(func=cmd_report_funder)

    handout = commands.add_parser("handout", help="print the beginner's or the trainer's guide of a cohort (PDF)")
    handout.add_argument("guide", choices=["beginner", "trainer"])
    handout.add_argument("--cohort", type=int, required=True, metavar="ID")
    handout.add_argument("--participant", type=int, metavar="ID", help="a senior of the cohort: their own guide")
    handout.add_argument("--lang", metavar="fi|sv|en", help="language (default: the senior's own, else Finnish)")
    handout.add_argument(
        "--size", choices=["large", "larger"], default="large", help="print size (default: large, 14 pt)"
    )
    handout.add_argument("--out", required=True, metavar="FILE.pdf")
    handout.set_defaults(func=cmd_handout)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        print(f"digiystava {args.command}: {describe(exc)}", file=sys.stderr)
        return 1
    return 0


def describe(exc: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        return f"{field}: {first['msg']}"
    if isinstance(exc, DomainError):
        return exc.detail
    if isinstance(exc, (OSError, ConnectionError)):
        return f"cannot reach the database or file: {exc}"
    return str(exc) or exc.__class__.__name__
