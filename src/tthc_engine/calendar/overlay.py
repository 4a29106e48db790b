"""Load a calendar overlay (YAML, schemas/calendar.schema.json) into an `Overlay`.

Overlays are read by the same strict reader as procedures (tthc_engine.diagnostics.yaml_reader, with
the TC codes of OVERLAY_FILE): `off`, `yes` and `15:00` stay the text written, duplicate keys,
tags and alias bombs are refused, size and nesting are bounded. Every problem is reported at once as
a `Problem` with file, line and column (CalendarError.problems), so an author fixes a file in one
pass; codes are explained in docs/diagnostics.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from tthc_engine.calendar.hours import OfficeHours, parse_session
from tthc_engine.calendar.model import ConfirmedYear, DayRule, HoursRule, Overlay
from tthc_engine.diagnostics import (
    DEFAULT_MAX_BYTES,
    OVERLAY_FILE,
    Collector,
    JsonPath,
    SourceMap,
    json_path,
    read_bounded,
    read_yaml,
)
from tthc_engine.errors import CalendarError, Problem
from tthc_engine.timeutil import FIRST_YEAR, LAST_YEAR, YEAR_RANGE

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    from tthc_engine._resources import schema_path

    schema = json.loads(schema_path("calendar.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


class _Reader:
    """Turns validated data into rules, collecting problems with positions."""

    def __init__(self, collector: Collector, source_map: SourceMap) -> None:
        self.collector = collector
        self.path = collector.path
        self.source_map = source_map
        self.problems = collector.problems

    def problem(self, where: JsonPath, code: str, message: str, hint: str | None = None) -> None:
        self.collector.report(where, code, message, hint)

    def where(self, at: JsonPath) -> str:
        return f"{self.path}:{self.source_map.position(at)[0]}"

    def date(self, value: str, at: JsonPath) -> dt.date | None:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.problem(at, "TC102", f"{value!r} is not a real date", "write YYYY-MM-DD, e.g. 2025-04-30")
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.problem(at, "TC102", f"{value} is outside the calendar's range {YEAR_RANGE}")
            return None
        return day

    def range(
        self, e: dict[str, Any], at: JsonPath, a: str = "from", b: str = "to"
    ) -> tuple[dt.date, dt.date] | None:
        start = self.date(e[a], (*at, a)) if a in e else None
        end = self.date(e[b], (*at, b)) if b in e else None
        if start and end and end < start:
            self.problem(
                (*at, b), "TC103", f"range ends ({end}) before it starts ({start})", "swap 'from' and 'to'"
            )
            return None
        return (start, end) if start and end else None

    def hours(self, items: list[str], at: JsonPath) -> OfficeHours | None:
        try:
            sessions = [parse_session(s) for s in items]
            return OfficeHours(tuple(sessions))
        except (ValueError, Exception) as exc:  # ConfigurationError is a ValueError too
            self.problem((*at, "sessions"), "TC104", str(exc).removeprefix("office_hours: "))
            return None

    def season(self, e: dict[str, Any], at: JsonPath) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if "season" not in e:
            return None
        out = []
        for key in ("from", "to"):
            month, day = (int(x) for x in e["season"][key].split("-"))
            try:
                dt.date(2024, month, day)  # a leap year accepts 02-29
            except ValueError:
                self.problem(
                    (*at, "season", key), "TC102", f"{e['season'][key]!r} is not a day of the year (MM-DD)"
                )
                return None
            out.append((month, day))
        return out[0], out[1]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_overlay(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Overlay:
    """Read, validate and convert one overlay file; raises CalendarError with every problem.

    A file over `max_bytes` (1 MiB by default; an overlay is a few KiB) is refused unread (TC108).
    """
    shown = str(path)
    try:
        raw = read_bounded(Path(path), max_bytes)
    except OSError as exc:
        unreadable = Collector(shown)
        unreadable.report((), "TC106", "file not found or unreadable", "check the --overlay path")
        raise CalendarError(
            f"calendar overlay {shown} cannot be read: {exc.strerror or exc}", unreadable.problems
        ) from None
    doc = read_yaml(raw, shown, kind=OVERLAY_FILE, max_bytes=max_bytes)
    if doc.data is None:
        raise CalendarError(f"calendar overlay {shown} is invalid", doc.problems)
    # reading problems that left the data whole (a duplicate key) come with the schema's, at once
    collector = Collector(shown, doc.source_map, list(doc.problems))
    reader = _Reader(collector, doc.source_map)
    data = doc.data
    for err in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where: JsonPath = tuple(err.absolute_path)
        reader.problem(where, "TC101", f"{json_path(where)}: {err.message}")
    if reader.problems:
        raise CalendarError(f"calendar overlay {shown} is invalid", reader.problems)
    overlay = _convert(data, reader, shown, _sha256(raw))
    if reader.problems:
        raise CalendarError(f"calendar overlay {shown} is invalid", reader.problems)
    return overlay


OVERLAY_FORMAT_KEY = "calendar_overlay"  # the format key every overlay starts with (`calendar_overlay: 1`)


def overlay_problems(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Problem, ...]:
    """Every problem of one overlay file, none when it loads: what `tthc validate` reports for it."""
    try:
        load_overlay(path, max_bytes=max_bytes)
    except CalendarError as exc:
        return exc.problems
    return ()


def _convert(data: dict[str, Any], r: _Reader, shown: str, digest: str) -> Overlay:
    days: list[DayRule] = []
    hours: list[HoursRule] = []

    def rule(kind: str, start: dt.date, end: dt.date, working: bool, e: dict[str, Any], at: JsonPath) -> None:
        days.append(
            DayRule(kind, start, end, working, e["name"], e["notice"], e.get("name_en"), r.where(at))  # type: ignore[arg-type]
        )

    for i, e in enumerate(data.get("non_working_days", [])):
        at: JsonPath = ("non_working_days", i)
        if "date" in e:
            if (d := r.date(e["date"], (*at, "date"))) is not None:
                rule("closure", d, d, False, e, at)
        elif rng := r.range(e, at):
            rule("closure", *rng, False, e, at)
    for i, e in enumerate(data.get("working_days", [])):
        at = ("working_days", i)
        if (d := r.date(e["date"], (*at, "date"))) is not None:
            rule("extra_working", d, d, True, e, at)
    for i, e in enumerate(data.get("swaps", [])):
        at = ("swaps", i)
        off, work = r.date(e["off"], (*at, "off")), r.date(e["work"], (*at, "work"))
        if off and work:
            rule("swap_off", off, off, False, e, at)
            rule("makeup", work, work, True, e, at)
    for i, e in enumerate(data.get("corrections", [])):
        at = ("corrections", i)
        if (d := r.date(e["date"], (*at, "date"))) is not None:
            rule("correction", d, d, bool(e["working"]), e, at)
    # suspensions last: a closed desk stays closed whatever else the file says about those days
    for i, e in enumerate(data.get("suspensions", [])):
        at = ("suspensions", i)
        if rng := r.range(e, at):
            rule("suspension", *rng, False, e, at)
    for section, weekly in (("office_hours", False), ("weekly_sessions", True)):
        for i, e in enumerate(data.get(section, [])):
            at = (section, i)
            oh = r.hours(e["sessions"], at)
            start = r.date(e["from"], (*at, "from")) if "from" in e else None
            end = r.date(e["to"], (*at, "to")) if "to" in e else None
            if start and end and end < start:
                r.problem((*at, "to"), "TC103", f"range ends ({end}) before it starts ({start})")
            default_days = ["sat"] if weekly else ["mon", "tue", "wed", "thu", "fri"]
            wds = frozenset(_WEEKDAYS[w] for w in e.get("weekdays", default_days))
            if weekly and wds & set(range(5)):
                r.problem(
                    (*at, "weekdays"),
                    "TC107",
                    "weekly sessions apply to weekly rest days (sat, sun) only",
                    "change the office_hours of working days instead",
                )
            if oh is None:
                continue
            hours.append(
                HoursRule(
                    e["name"],
                    e["notice"],
                    oh,
                    start,
                    end,
                    r.season(e, at),
                    wds,
                    weekly,
                    bool(e.get("counts", not weekly)),
                    r.where(at),
                )
            )
    confirmed = tuple(
        ConfirmedYear(int(c["year"]), c["notice"], r.where(("confirmed_years", i)))
        for i, c in enumerate(data.get("confirmed_years", []))
    )
    return Overlay(data["name"], data["level"], shown, digest, tuple(days), tuple(hours), confirmed)
