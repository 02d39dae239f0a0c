"""Operator commands.

python -m app.cli seed                    # the dataset (shipped files, or DATASET_DIR's), plus
                                          # demo accounts when DEMO_DATA=true
python -m app.cli dataset-export DIR      # write the dataset as it is in the database into DIR,
                                          # one file per seed file, in the seed format
python -m app.cli dataset-import DIR      # validate every file of DIR, then load them all in one
                                          # transaction (rows the files dropped are removed,
                                          # unless applications, users … still name them)
python -m app.cli openapi [PATH]          # write the OpenAPI document
python -m app.cli create-user --role staff --username li.si --name 李四 --agency SH
                                          # officers, staff, admins; a one-time initial password
                                          # from stdin or a prompt, replaced at the first sign-in
                                          # (the host's way round 双人复核 for administrators)
python -m app.cli account unlock --username wang.wu
                                          # unlock | reset-second-factor | disable | enable any
                                          # officer, staff or administrator account (audited)
python -m app.cli rotate-display-key      # new key for 亮证 QR codes; the old one stays published
                                          # until the codes it signed have expired
python -m app.cli sweep-uploads [--older-than PT1H]
                                          # remove partial uploads left by killed processes now
                                          # (every worker also does it on its own, see
                                          # app/integrations/storage/sweeper.py)
python -m app.cli sweep-orphan-files [--older-than P1D]
                                          # delete stored files no material names (a process
                                          # died between storing and recording; run daily)
python -m app.cli grant-runtime-role      # after migrations: row access for DATABASE_URL's role
                                          # (when MIGRATION_DATABASE_URL names the schema owner)
python -m app.cli audit-retention --days 365
                                          # delete audit events older than 365 days (at least 180)
python -m app.cli deadlines-due [--date 2026-12-08] [--agency SH]
                                          # JSON lines: the open applications due or overdue on
                                          # that day (default today, Beijing); read-only, paged,
                                          # safe to run nightly and any number of times
python -m app.cli webhooks-dispatch       # send signed event webhooks in a process of its own
                                          # (with WEBHOOK_DISPATCHER=external in the web workers);
                                          # several may run; stops after its round on SIGTERM
python -m app.cli certificates-load FILE [--from-line N] [--report PATH]
                                          # load pushed certificates from an NDJSON file (one
                                          # per line, as POST /registry/certificates/bulk takes
                                          # them); commits every 1,000 lines, resumable with
                                          # --from-line; exit code 1 when lines were refused
"""

import argparse
import asyncio
import contextlib
import getpass
import json
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError

from app.accounts.service import create_operator_account
from app.admin import service as admin
from app.applications import deadlines
from app.api import wire_domains
from app.audit import service as audit
from app.certificates import bulk, signing_keys
from app.core.auth import OPERATOR_CREATED_ROLES, Role
from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker, in_transaction
from app.core.errors import AppError, StorageUnavailable
from app.core.pii import PersonalDataCipher
from app.core.seeding import DatasetError, directory_source, read_seed
from app.demo import load_demo_accounts
from app.integrations.factory import build_storage
from app.main import create_app
from app.materials import service as materials
from app.ops.database_roles import grant_runtime_role
from app.dataset import service as dataset_versions
from app.seed import export_dataset, prepare_dataset, write_dataset
from app.webhooks import dispatcher as webhooks

DEFAULT_OPENAPI_PATH = Path("openapi/openapi.json")
ORPHAN_FILE_MIN_AGE = timedelta(days=1)


async def _in_transaction(work, *, writes: bool = True):
    engine = create_engine(get_settings())
    try:
        # On SQLite, a running server commits between the command's first read and its first
        # write; a deferred transaction would then fail at once (see app.core.db).
        return await in_transaction(create_sessionmaker(engine, lock_on_begin=writes), work)
    finally:
        await engine.dispose()


async def seed() -> None:
    settings = get_settings()
    dataset = prepare_dataset(directory_source(settings.dataset_dir) if settings.dataset_dir else read_seed)

    async def load(session) -> None:
        await dataset_versions.seed(session, dataset, authoritys_files=settings.dataset_dir is not None)
        if settings.demo_data:
            await load_demo_accounts(session, PersonalDataCipher(*settings.pii_keys))

    await _in_transaction(load)


async def dataset_import(directory: Path) -> dict[str, int]:
    """Every file validated first, then one transaction: all of it is loaded, or nothing."""
    dataset = prepare_dataset(directory_source(directory))
    await _in_transaction(lambda session: dataset_versions.imported(session, dataset, f"导入 {directory.name}"[:200]))
    return {name: len(rows) for name, rows in dataset.items()}


async def dataset_export(directory: Path) -> dict[str, int]:
    dataset = await _in_transaction(export_dataset, writes=False)
    write_dataset(directory, dataset)
    return {name: len(records) for name, records in dataset.items()}


def _counts(counts: dict[str, int]) -> str:
    return "，".join(f"{name} {count} 条" for name, count in counts.items())


async def sweep_uploads(older_than: timedelta) -> int:
    return await build_storage(get_settings()).sweep_partial_uploads(older_than)


async def sweep_orphan_files(older_than: timedelta) -> int:
    storage = build_storage(get_settings())
    return await _in_transaction(
        lambda session: materials.remove_unrecorded_files(session, storage, older_than)
    )


async def deadlines_due(day: date, agency_code: str | None) -> None:
    engine = create_engine(get_settings())
    try:
        async for line in deadlines.what_is_due(create_sessionmaker(engine), day, agency_code):
            print(json.dumps(line, ensure_ascii=False))
    finally:
        await engine.dispose()


async def webhooks_dispatch() -> None:
    """The webhook dispatcher until SIGTERM or SIGINT: the round in progress ends, then it exits."""
    settings = get_settings()
    engine = create_engine(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await webhooks.serve(engine, settings, PersonalDataCipher(*settings.pii_keys), stop)
    finally:
        await engine.dispose()


CHUNK_BYTES = 1024 * 1024
PROGRESS_EVERY_SECONDS = 2.0


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


async def certificates_load(path: Path, from_line: int, report: TextIO) -> bulk.Summary:
    """``bulk.load`` on a file: refused lines to ``report``, progress to stderr."""
    settings = get_settings()
    pii = PersonalDataCipher(*settings.pii_keys)
    engine = create_engine(settings)
    started = time.monotonic()
    shown = {"at": started, "line": from_line}

    def refused(refusal: bulk.Refusal) -> None:
        report.write(json.dumps(refusal.as_report(), ensure_ascii=False) + "\n")

    def committed(summary: bulk.Summary) -> None:
        shown["line"] = summary.last_committed_line
        now = time.monotonic()
        if now - shown["at"] >= PROGRESS_EVERY_SECONDS:
            shown["at"] = now
            done = summary.accepted + summary.unchanged + summary.refused
            print(
                f"已提交至第 {summary.last_committed_line} 行：新增或更新 {summary.accepted}，"
                f"未变 {summary.unchanged}，拒绝 {summary.refused}（{done / (now - started):.0f} 行/秒）",
                file=sys.stderr,
                flush=True,
            )

    try:
        async with create_sessionmaker(engine)() as session:
            summary = await bulk.load(
                session,
                pii,
                build_storage(settings),  # for the photos lines carry
                _file_chunks(path),
                from_line=from_line,
                on_refused=refused,
                on_committed=committed,
            )
            bulk.record(session, summary, from_line=from_line, via="host_command")
            await session.commit()
            return summary
    except BaseException:
        print(
            f"导入中断：第 {shown['line']} 行及以前已提交，可用 --from-line {shown['line']} 继续",
            file=sys.stderr,
        )
        raise
    finally:
        await engine.dispose()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError("a date as YYYY-MM-DD") from error


def _duration(text: str) -> timedelta:
    try:
        return timedelta(seconds=float(text))
    except ValueError:
        pass
    try:
        return TypeAdapter(timedelta).validate_strings(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError("an ISO 8601 duration (PT1H) or seconds") from error


def render_openapi() -> str:
    return json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Repeat password: "):
        raise SystemExit("passwords differ")
    return password


def main(argv: list[str] | None = None) -> None:
    wire_domains()  # the same process-wide wiring as the server (app.api)
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "seed",
        help="load agencies, catalog, reference data, help (from DATASET_DIR when set; and demo accounts)",
    )
    dataset_out = commands.add_parser(
        "dataset-export", help="write the dataset as it is in the database into DIR (the seed files' format)"
    )
    dataset_out.add_argument("directory", type=Path)
    dataset_in = commands.add_parser(
        "dataset-import",
        help="load the dataset files of DIR in one transaction, after validating all of them",
    )
    dataset_in.add_argument("directory", type=Path)
    export = commands.add_parser("openapi", help="write the OpenAPI document")
    export.add_argument("path", nargs="?", type=Path, default=DEFAULT_OPENAPI_PATH)
    create = commands.add_parser(
        "create-user", help="create an officer, staff or administrator (sysadmin, secadmin, auditor) account"
    )
    create.add_argument("--role", required=True, choices=[role.value for role in OPERATOR_CREATED_ROLES])
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True, help="display name, e.g. 李四")
    create.add_argument("--agency", help="agency code (required for staff)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    account = commands.add_parser(
        "account",
        help="unlock, reset the second factor of, disable or enable an officer, staff or administrator "
        "account (the host's way round 双人复核; audited)",
    )
    account.add_argument("change", choices=admin.HOST_CHANGES)
    account.add_argument("--username", required=True)
    commands.add_parser(
        "rotate-display-key", help="retire the key that signs 亮证 QR codes and activate a new one"
    )
    sweep = commands.add_parser(
        "sweep-uploads",
        help="remove partial uploads (temporary files, unfinished multipart uploads) of dead processes",
    )
    sweep.add_argument(
        "--older-than",
        type=_duration,
        help="only those untouched for this long (default PARTIAL_UPLOAD_MAX_AGE); "
        "shorter than the longest upload in progress would break it",
    )
    orphans = commands.add_parser(
        "sweep-orphan-files", help="delete stored files that no material names (left by a killed process)"
    )
    orphans.add_argument(
        "--older-than",
        type=_duration,
        default=ORPHAN_FILE_MIN_AGE,
        help="only files stored at least this long ago (default P1D); younger ones may be uploads "
        "about to be recorded",
    )
    commands.add_parser(
        "grant-runtime-role",
        help="give DATABASE_URL's role row access to every table (run as MIGRATION_DATABASE_URL's owner)",
    )
    retention = commands.add_parser(
        "audit-retention", help=f"delete audit events older than DAYS (at least {audit.MIN_RETENTION_DAYS})"
    )
    retention.add_argument("--days", required=True, type=int, help="keep the events of the last DAYS days")
    due = commands.add_parser(
        "deadlines-due",
        help="print, as JSON lines, the open applications due or overdue on a day (read-only)",
    )
    due.add_argument("--date", type=_day, help="the day, YYYY-MM-DD (default: today in Beijing)")
    due.add_argument("--agency", help="only this agency and those below it (agency code, e.g. SH)")
    commands.add_parser(
        "webhooks-dispatch",
        help="send signed event webhooks until SIGTERM (set WEBHOOK_DISPATCHER=external for the web workers)",
    )
    load = commands.add_parser(
        "certificates-load",
        help="load pushed certificates from an NDJSON file, one per line (first import, reconciliation)",
    )
    load.add_argument("file", type=Path, help="NDJSON file: one certificate with its registry_id per line")
    load.add_argument(
        "--from-line", type=int, default=0, help="skip the first N lines (resume after last_committed_line)"
    )
    load.add_argument("--report", type=Path, help="write refused lines and the summary here (NDJSON)")
    args = parser.parse_args(argv)

    if args.command == "seed":
        try:
            asyncio.run(seed())
        except DatasetError as error:
            raise SystemExit(f"seed 失败：{error}") from error
    elif args.command == "dataset-export":
        print(f"已导出至 {args.directory}：{_counts(asyncio.run(dataset_export(args.directory)))}")
    elif args.command == "dataset-import":
        try:
            counts = asyncio.run(dataset_import(args.directory))
        except DatasetError as error:
            raise SystemExit(f"dataset-import 失败，未写入任何数据：{error}") from error
        except DBAPIError as error:
            raise SystemExit(f"dataset-import 失败，数据库拒绝写入，未写入任何数据：{error.orig}") from error
        print(f"已导入：{_counts(counts)}")
    elif args.command == "openapi":
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(render_openapi(), encoding="utf-8")
    elif args.command == "create-user":
        password = _read_password(args.password_stdin)

        async def create(session) -> None:
            # The password is a one-time initial credential: the holder replaces it at the first
            # sign-in and enrols their own authenticator. The host operator's act is audited.
            user = await create_operator_account(
                session,
                role=Role(args.role),
                username=args.username,
                name=args.name,
                password=password,
                agency_code=args.agency,
                initial=True,
            )
            await session.flush()
            audit.record(
                session,
                "admin.account_create",
                "success",
                object_type="user",
                object_id=user.id,
                detail={"role": user.role, "via": "host_command"},
            )

        try:
            asyncio.run(_in_transaction(create))
        except (AppError, ValueError) as error:
            raise SystemExit(f"create-user failed: {getattr(error, 'detail', error)}") from error
        print(f"created {args.role} {args.username}")
    elif args.command == "account":
        try:
            asyncio.run(
                _in_transaction(lambda session: admin.change_on_host(session, args.username, args.change))
            )
        except AppError as error:
            raise SystemExit(f"account {args.change} failed: {error.detail}") from error
        print(f"{args.change}: {args.username}")
    elif args.command == "sweep-uploads":
        older_than = args.older_than if args.older_than is not None else get_settings().partial_upload_max_age
        try:
            swept = asyncio.run(sweep_uploads(older_than))
        except StorageUnavailable as error:
            raise SystemExit(f"sweep-uploads failed: storage unreachable ({error.__cause__})") from error
        print(f"removed {swept} partial upload(s) untouched for {older_than}")
    elif args.command == "sweep-orphan-files":
        try:
            removed = asyncio.run(sweep_orphan_files(args.older_than))
        except StorageUnavailable as error:
            raise SystemExit(f"sweep-orphan-files failed: storage unreachable ({error.__cause__})") from error
        print(f"removed {removed} stored file(s) no material names, stored before {args.older_than} ago")
    elif args.command == "grant-runtime-role":
        role = asyncio.run(grant_runtime_role(get_settings()))
        print(
            f"granted row access to {role}" if role else "the API runs as the schema owner: nothing to grant"
        )
    elif args.command == "rotate-display-key":
        pii = PersonalDataCipher(*get_settings().pii_keys)
        retired, active = asyncio.run(_in_transaction(lambda session: signing_keys.rotate(session, pii)))
        print(f"active display key: {active}")
        if retired:
            minutes = int(signing_keys.RETIRED_KEY_PUBLISHED_FOR.total_seconds()) // 60
            print(f"retired display key: {retired} (published in the JWKS for {minutes} more minutes)")
    elif args.command == "audit-retention":
        try:
            removed = asyncio.run(_in_transaction(lambda session: audit.apply_retention(session, args.days)))
        except audit.RetentionTooShort as error:
            raise SystemExit(f"audit-retention refused: {error.detail}") from error
        print(f"已删除 {removed} 条 {args.days} 天前的审计记录")
    elif args.command == "webhooks-dispatch":
        asyncio.run(webhooks_dispatch())
    elif args.command == "deadlines-due":
        try:
            asyncio.run(deadlines_due(args.date or deadlines.today(), args.agency))
        except AppError as error:
            raise SystemExit(f"deadlines-due failed: {error.detail}") from error
    elif args.command == "certificates-load":
        if args.from_line < 0:
            parser.error("--from-line must be 0 or more")
        if not args.file.is_file():
            raise SystemExit(f"certificates-load failed: no such file {args.file}")
        # Refused lines and then the summary, as the endpoint answers: in --report, or on stdout.
        with contextlib.ExitStack() as files:
            report = files.enter_context(args.report.open("w", encoding="utf-8")) if args.report else None
            summary = asyncio.run(certificates_load(args.file, args.from_line, report or sys.stdout))
            if report is not None:
                report.write(json.dumps(summary.as_report(), ensure_ascii=False) + "\n")
        print(json.dumps(summary.as_report(), ensure_ascii=False))
        if summary.refused:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
