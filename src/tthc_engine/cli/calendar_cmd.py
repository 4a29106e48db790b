"""`tthc calendar YEAR`: the year's non-standard days (holidays, swaps, make-up days) with sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tthc_engine.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "calendar",
        help="list a year's non-working weekdays and working weekend days (lịch làm việc)",
        description="Every non-working weekday and working weekend day of YEAR with its name and source, "
        "plus the calendar's provenance.",
    )
    p.add_argument("year", type=int, help=f"the year ({FIRST_YEAR}–{LAST_YEAR})")
    p.add_argument(
        "--overlay", action="append", default=[], metavar="FILE", help="a calendar overlay (repeatable)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not FIRST_YEAR <= args.year <= LAST_YEAR:
        print(f"tthc calendar: error: year {args.year} is outside {FIRST_YEAR}–{LAST_YEAR}", file=sys.stderr)
        return 2
    cal = WorkCalendar.vietnam(args.overlay)
    days = [d for d in cal.days_in_year(args.year) if d.working == (d.date.weekday() >= 5)]
    provisional = cal.provenance.is_provisional(args.year)
    if args.format == "json":
        out = {
            "year": args.year,
            "provisional": provisional,
            "days": [d.as_dict() for d in days],
            "provenance": cal.provenance.as_dict(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"Lịch làm việc {args.year} — {cal.digest}" + (" (TẠM TÍNH / provisional)" if provisional else ""))
    for d in days:
        state = "làm việc" if d.working else "nghỉ"
        print(f"{d.date:%Y-%m-%d} {d.date:%a} {state:<8} {d.name} [{d.kind}] — {d.source}")
    prov = cal.provenance
    print(f"# holidays {prov.holidays_version}; {prov.tz}; {prov.office_hours}")
    for o in prov.overlays:
        print(f"# overlay {o.path} sha256={o.sha256}")
    return 0
