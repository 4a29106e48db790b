"""`tthc report`: the report of a period, the way one-stop desks report it (docs/reports.md).

  tthc report --db desk.db --from 2021-01-01 --to 2021-10-01 --by field --format html -o report.html
  tthc report --db postgresql://tthc@db/motcua --from 2025-07-01 --to 2025-10-01 --format json

`--to` is the first day after the period ([from, to)); each dossier is counted as it stood then.
Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tthc_engine.definition.catalog import Catalog
from tthc_engine.errors import ConfigurationError
from tthc_engine.reporting.render import REPORT_FORMATS, render_report
from tthc_engine.reporting.report import GROUPS
from tthc_engine.runtime.engine import Engine

from .stores import open_store


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="the report of a period: received, resolved early / on time / late, in progress, by group",
        description="Báo cáo tình hình giải quyết hồ sơ — the report of the period [--from, --to) as known "
        "at its end, grouped by agency, field, level, procedure, channel, online-service kind or period.",
    )
    p.add_argument("--db", required=True, metavar="URL", help="a SQLite store file or a postgresql:// URL")
    p.add_argument("--schema", metavar="NAME", help="PostgreSQL schema")
    p.add_argument("--catalog", default="procedures", help="procedure folder (default: ./procedures)")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                   help="the day after the last (the period is [from, to))")  # fmt: skip
    p.add_argument("--by", choices=GROUPS, metavar="GROUP", help=f"group by one of: {', '.join(GROUPS)}")
    p.add_argument("--format", choices=REPORT_FORMATS, default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.catalog)
    if not folder.is_dir():
        raise ConfigurationError(f"catalog folder {str(folder)!r} not found; pass --catalog PATH")
    store = open_store(args.db, schema=args.schema, command="report")
    try:
        engine = Engine(Catalog.load(folder), store=store)
        text = render_report(engine.report(args.start, args.end, group_by=args.by), args.format)
    finally:
        store.close()
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(args.output).write_text(text, encoding="utf-8", newline="\n")
        print(f"tthc report: wrote {args.output}", file=sys.stderr)
    return 0
