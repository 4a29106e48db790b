"""`tthc replan`: what today's calendar and catalog would move in the stored due moments, and moving it.

  tthc replan --db desk.db --dry-run                       # report only
  tthc replan --db desk.db --overlay calendars/storm.yaml  # apply: one `replan` audit entry each
  tthc replan --dsn postgresql://tthc@db/motcua --format json

Every open dossier's history is replayed on the calendar (national data plus `--overlay` files) and
the catalog given here (Engine.replan, docs/deadlines.md "Re-planning"); those whose due moment,
appointment, warnings, timers or step budgets differ are listed old → new with the reasons. Exit 0:
done (nothing failed), 1: some dossiers could not be re-planned (listed), 2: usage or a store error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.catalog import Catalog
from tthc_engine.runtime.engine import Engine
from tthc_engine.runtime.replan import ReplanItem, ReplanReport
from tthc_engine.stores.base import Store
from tthc_engine.timeutil import iso, moment


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "replan",
        help="re-plan open dossiers on today's calendar and catalog (report, or apply with audit entries)",
        description="Replay every open dossier's history on the calendar and catalog given here and "
        "report the due moments that would move; without --dry-run, move them (one audit entry each).",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", metavar="PATH", help="a SQLite store file")
    where.add_argument("--dsn", metavar="URL", help="a PostgreSQL store (extra tthc-engine[postgres])")
    p.add_argument("--schema", metavar="NAME", help="PostgreSQL schema")
    p.add_argument("--catalog", default="procedures", help="procedure folder (default: ./procedures)")
    p.add_argument(
        "--overlay", action="append", default=[], metavar="FILE", help="a calendar overlay (repeatable)"
    )
    p.add_argument("--at", metavar="MOMENT", help="when the re-planning is recorded (default: now)")
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _store(args: argparse.Namespace) -> Store:
    if args.db is not None:
        from tthc_engine.stores.sqlite import SQLiteStore

        if not Path(args.db).is_file():
            raise FileNotFoundError(args.db)
        return SQLiteStore(args.db)
    from tthc_engine.stores.postgres import PostgresStore

    return PostgresStore(args.dsn, schema=args.schema, migrate=False)


def run(args: argparse.Namespace) -> int:
    try:
        store = _store(args)
    except FileNotFoundError:
        print(
            f"tthc replan: error: no store file {args.db!r}; give the SQLite file the desk uses",
            file=sys.stderr,
        )
        return 2
    try:
        engine = Engine(Catalog.load(args.catalog), calendar=WorkCalendar.vietnam(args.overlay), store=store)
        at = moment(args.at, "--at") if args.at else dt.datetime.now(dt.UTC)
        report = engine.replan(at=at, dry_run=args.dry_run)
    finally:
        store.close()
    print(_json(report) if args.format == "json" else _text(report))
    return 1 if report.failed else 0


def _item(item: ReplanItem) -> dict[str, Any]:
    return {
        "dossier_id": item.dossier_id, "number": item.number,
        "due": {"from": iso(item.due_from), "to": iso(item.due_to)},
        "appointment": {"from": iso(item.appointment_from), "to": iso(item.appointment_to)},
        "fields": list(item.fields), "reasons": list(item.reasons), "error": item.error,
    }  # fmt: skip


def _json(report: ReplanReport) -> str:
    data = {
        "at": report.at.isoformat(), "examined": report.examined, "applied": report.applied,
        "changed": [_item(i) for i in report.changed], "failed": [_item(i) for i in report.failed],
    }  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2)


def _text(report: ReplanReport) -> str:
    verb = "đã tính lại (applied)" if report.applied else "sẽ thay đổi (dry run: would change)"
    lines = [f"{report.examined} hồ sơ đang giải quyết được xét (open dossiers examined); "
             f"{len(report.changed)} {verb}; {len(report.failed)} không tính lại được (failed)"]  # fmt: skip
    for item in report.changed:
        due = f"{_short(item.due_from)} → {_short(item.due_to)}"
        appointment = f"{_short(item.appointment_from)} → {_short(item.appointment_to)}"
        lines.append(
            f"- {item.number or item.dossier_id}: hạn (due) {due}; hẹn trả (appointment) {appointment}"
        )
        lines += [f"    {reason.strip()}" for reason in item.reasons]
    for item in report.failed:
        lines.append(f"- {item.number or item.dossier_id}: KHÔNG tính lại được (failed): {item.error}")
    return "\n".join(lines)


def _short(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y %H:%M}"
