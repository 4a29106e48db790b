"""`tthc deadline`: the legal due moment of a receipt, with the reasoning (days skipped and why)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import Deadline
from tthc_engine.errors import DataError, NaiveDatetimeError
from tthc_engine.sla import StartPolicy, compute_due
from tthc_engine.timeutil import moment


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "deadline",
        help="compute a legal due moment (hạn giải quyết) and explain it",
        description="Example: tthc deadline --received 2025-01-24T16:30+07:00 --working-days 3",
    )
    p.add_argument(
        "--received", required=True, help="receipt moment with a zone, e.g. 2025-01-24T16:30+07:00"
    )
    unit = p.add_mutually_exclusive_group(required=True)
    unit.add_argument("--working-days", type=float, metavar="N")
    unit.add_argument("--working-hours", type=float, metavar="H")
    unit.add_argument("--calendar-days", type=float, metavar="N")
    unit.add_argument("--same-day", action="store_true", help="same day; after --cutoff the next working day")
    p.add_argument("--cutoff", default="15:00", metavar="HH:MM", help="same-day cut-off (default 15:00)")
    p.add_argument("--channel", choices=("direct", "postal", "online"), default="direct")
    p.add_argument("--convention", choices=("next_day", "elapsed_hours"), default="next_day")
    p.add_argument(
        "--overlay", action="append", default=[], metavar="FILE", help="a calendar overlay (repeatable)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"tthc deadline: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        received = moment(args.received, "--received")
    except (DataError, NaiveDatetimeError) as exc:
        return _fail(str(exc))
    try:
        cutoff = dt.time.fromisoformat(args.cutoff)
    except ValueError:
        return _fail(f"--cutoff {args.cutoff!r} is not HH:MM; write e.g. 15:00")
    for name in ("working_days", "working_hours", "calendar_days"):
        value = getattr(args, name)
        if value is not None and value < 0:
            return _fail(f"--{name.replace('_', '-')} {value:g} is negative; give a time of 0 or more")
    if args.same_day:
        deadline = Deadline(0, "same_day", cutoff=cutoff)
    elif args.working_hours is not None:
        deadline = Deadline(args.working_hours, "working_hours")
    elif args.calendar_days is not None:
        deadline = Deadline(args.calendar_days, "calendar_days")
    else:
        deadline = Deadline(args.working_days, "working_days", convention=args.convention)
    cal = WorkCalendar.vietnam(args.overlay)
    result = compute_due(cal, deadline, received, channel=args.channel, policy=StartPolicy())
    if args.format == "json":
        out = {**result.as_dict(), "provenance": cal.provenance.as_dict()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"Hạn giải quyết (due): {result.due_at.isoformat()}")
    print(f"Bắt đầu tính (start): {result.start_at.isoformat()}")
    for line in result.explanation:
        print(line)
    if cal.provenance.is_provisional(result.due_at.year):
        print(f"Lưu ý: lịch năm {result.due_at.year} là tạm tính (no official notice loaded)")
    return 0
