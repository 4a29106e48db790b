"""Deadline arithmetic: from a start moment and a legal time to the due moment, with the reasoning.

Counting rules (docs/deadlines.md has worked examples across Tết):
- Civil Code 2015 Art. 147: a period in days does not count the first day; in hours it starts at once.
- Art. 148: it ends at the end of the last day; in calendar days, a last day that is not a working day
  moves the end to the end of the next working day. "End of the day" is the close of office hours.
- same_day: Law on Civil Status 2014 Art. 5(3) and Decree 23/2015/ND-CP Art. 7 — received after the
  cut-off (15:00) → the next working day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import jsonschema

from tthc_engine.calendar.workcalendar import WorkCalendar, _aware
from tthc_engine.definition.model import Convention, Deadline, Duration, Extension
from tthc_engine.sla.policy import StartPolicy, _fmt

Predicates = Mapping[str, Callable[[Mapping[str, Any]], bool]]
_MAX_SKIP_LINES = 40


@attrs.frozen
class DueResult:
    """The computed legal due moment and how it was reached."""

    start_at: dt.datetime
    due_at: dt.datetime
    applied_extensions: tuple[str, ...]
    explanation: tuple[str, ...]
    calendar_digest: str
    received_at: dt.datetime | None = None
    convention: Convention = "next_day"

    def as_dict(self) -> dict[str, object]:
        return {
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "start_at": self.start_at.isoformat(),
            "due_at": self.due_at.isoformat(),
            "applied_extensions": list(self.applied_extensions),
            "explanation": list(self.explanation),
            "calendar_digest": self.calendar_digest,
            "convention": self.convention,
        }


def _working_days(cal: WorkCalendar, amount: float, start: dt.datetime) -> dt.datetime:
    """next_day convention: whole days end at the close of the n-th working day after the start date;
    a fraction is hours_per_day × fraction working hours after that (or after the start when n < 1)."""
    whole = math.floor(amount + 1e-9)
    frac = amount - whole
    if whole >= 1:
        base = cal.close_after(start.astimezone(cal.tz).date(), whole)
    elif frac > 1e-9:  # the same instant as start in the calendar's zone: no conversion needed
        return cal.add_working_hours(start, frac * cal.hours_per_day)
    else:
        return start.astimezone(cal.tz)
    if frac > 1e-9:
        return cal.add_working_hours(base, frac * cal.hours_per_day)
    return base


def _calendar_days(cal: WorkCalendar, amount: float, start: dt.datetime) -> dt.datetime:
    last = start.astimezone(cal.tz).date() + dt.timedelta(days=math.ceil(amount - 1e-9))
    return cal.close_after(last, 0)  # Civil Code 2015 Art. 148(5)


def due_after(
    calendar: WorkCalendar, duration: Duration, start: dt.datetime, *, convention: Convention = "next_day"
) -> dt.datetime:
    """`duration` after `start` (step budgets, timers, warnings, extra time)."""
    start = _aware(start, "start")
    if duration.amount < 0:
        raise ValueError(f"duration {duration.amount} {duration.unit} is negative; budgets are >= 0")
    if duration.amount == 0:
        return start.astimezone(calendar.tz)
    if duration.unit == "working_hours":
        return calendar.add_working_hours(start, duration.amount)
    if duration.unit == "calendar_days":
        return _calendar_days(calendar, duration.amount, start)
    if duration.unit == "working_days":
        if convention == "elapsed_hours":
            return calendar.add_working_hours(start, duration.amount * calendar.hours_per_day)
        return _working_days(calendar, duration.amount, start)
    raise ValueError(
        f"unknown duration unit {duration.unit!r}; use working_days, working_hours or calendar_days"
    )


def add_extensions(
    calendar: WorkCalendar,
    unit: str,
    amount: float,
    start: dt.datetime,
    due: dt.datetime,
    durations: tuple[Duration, ...] | list[Duration],
    *,
    convention: Convention = "next_day",
) -> dt.datetime:
    """`due` (the base due moment from `start`) with extra time added.

    A calendar-day extension of a calendar-day deadline lengthens the period itself: the shift of
    Civil Code 2015 Art. 148(5) applies once, at the end of the whole period, never to the base
    period's end before the extra days are counted (Law on Judicial Records 2009 Art. 48(2): 10 days,
    "không quá 15 ngày" in all). Other extensions are added after the base due moment.
    """
    rest = list(durations)
    if unit == "calendar_days":
        extra = sum(d.amount for d in rest if d.unit == "calendar_days")
        if extra:
            due = _calendar_days(calendar, amount + extra, start)
        rest = [d for d in rest if d.unit != "calendar_days"]
    for duration in rest:
        due = due_after(calendar, duration, due, convention=convention)
    return due


def extension_applies(
    ext: Extension, data: Mapping[str, Any] | None, predicates: Predicates | None
) -> bool | None:
    """True/False when the guard decides; None when it names a host predicate that is not registered."""
    guard = ext.when
    if guard is None:
        return False  # applied only by an action with effect "extend"
    if guard.schema is not None:
        return bool(jsonschema.Draft202012Validator(dict(guard.schema)).is_valid(dict(data or {})))
    if guard.predicate is not None:
        fn = (predicates or {}).get(guard.predicate)
        return None if fn is None else bool(fn(dict(data or {})))
    return False


def _skipped(cal: WorkCalendar, start: dt.date, end: dt.date) -> list[str]:
    """Explanation lines for the non-working days in (start, end] (display only, not arithmetic)."""
    lines: list[str] = []
    day = start + dt.timedelta(days=1)
    weekends = 0
    while day <= end:
        info = cal.day_info(day)
        if not info.working:
            if info.kind == "weekend":
                weekends += 1
            elif len(lines) < _MAX_SKIP_LINES:
                lines.append(
                    f"  bỏ qua (skipped) {day:%Y-%m-%d %a}: {info.name} [{info.kind}; {info.source}]"
                )
        elif info.kind == "makeup" and len(lines) < _MAX_SKIP_LINES:
            lines.append(f"  tính (counted) {day:%Y-%m-%d %a}: {info.name} [{info.source}]")
        day += dt.timedelta(days=1)
    if weekends:
        lines.append(f"  bỏ qua {weekends} ngày nghỉ hằng tuần (weekend days skipped)")
    return lines


def _base_due(
    cal: WorkCalendar, deadline: Deadline, start: dt.datetime, convention: Convention, policy: StartPolicy
) -> tuple[dt.datetime, list[str]]:
    unit, amount = deadline.unit, deadline.amount
    if unit == "same_day":
        cutoff = deadline.cutoff or policy.default_cutoff
        local = start.astimezone(cal.tz)
        if cal.is_working_day(local.date()) and local.time() <= cutoff:
            due = cal.end_of_working_day(local.date())
            return due, [f"Trong ngày (same day): tiếp nhận trước {cutoff:%H:%M} → trả trong ngày"]
        due = cal.end_of_working_day(cal.add_working_days(local.date(), 1))
        return due, [
            f"Trong ngày (same day): tiếp nhận sau {cutoff:%H:%M} hoặc ngày nghỉ → ngày làm việc tiếp theo "
            "(Luật Hộ tịch 2014 Điều 5(3); Nghị định 23/2015/NĐ-CP Điều 7)"
        ]
    if unit == "working_days" and convention == "next_day":
        note = "Ngày tiếp nhận không tính; hạn là cuối giờ hành chính của ngày làm việc thứ"
        return _working_days(cal, amount, start), [
            f"{amount:g} ngày làm việc: {note} {amount:g} (BLDS 2015 Điều 147–148)"
        ]
    if unit == "working_days":
        hours = amount * cal.hours_per_day
        return cal.add_working_hours(start, hours), [
            f"{amount:g} ngày làm việc = {hours:g} giờ làm việc tính từ lúc bắt đầu"
        ]
    if unit == "working_hours":
        return cal.add_working_hours(start, amount), [
            f"{amount:g} giờ làm việc tính từ lúc bắt đầu (BLDS 2015 Điều 147)"
        ]
    if unit == "calendar_days":
        due = _calendar_days(cal, amount, start)
        return due, [
            f"{amount:g} ngày (lịch); ngày cuối là ngày nghỉ → cuối ngày làm việc tiếp theo "
            "(BLDS 2015 Điều 148)"
        ]
    raise ValueError(f"unknown deadline unit {unit!r}")


def compute_due(
    calendar: WorkCalendar,
    deadline: Deadline,
    received_at: dt.datetime,
    *,
    channel: str = "direct",
    data: Mapping[str, Any] | None = None,
    policy: StartPolicy | None = None,
    predicates: Predicates | None = None,
) -> DueResult:
    """The legal due moment of a dossier received at `received_at` (see docs/deadlines.md)."""
    policy = policy or StartPolicy()
    convention: Convention = policy.convention or deadline.convention
    start, lines = policy.start(calendar, received_at, channel)
    due, more = _base_due(calendar, deadline, start, convention, policy)
    lines += more
    applied: list[str] = []
    durations: list[Duration] = []
    for ext in deadline.extensions:
        verdict = extension_applies(ext, data, predicates)
        if verdict is None:
            lines.append(f"Gia hạn {ext.name!r} chưa xét: predicate {ext.when.predicate!r} chưa đăng ký")  # type: ignore[union-attr]
        elif verdict:
            durations.append(ext.duration)
            applied.append(ext.name)
            lines.append(f"Gia hạn (extension) {ext.name}: +{ext.duration.amount:g} {ext.duration.unit}")
    if durations:
        due = add_extensions(
            calendar, deadline.unit, deadline.amount, start, due, durations, convention=convention
        )
    lines += _skipped(calendar, start.astimezone(calendar.tz).date(), due.date())
    lines.append(f"Hạn giải quyết (due) {_fmt(due)}; lịch {calendar.digest}")
    received = _aware(received_at, "received_at").astimezone(calendar.tz)
    return DueResult(start, due, tuple(applied), tuple(lines), calendar.digest, received, convention)
