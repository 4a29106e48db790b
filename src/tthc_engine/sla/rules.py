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
import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_engine.calendar.workcalendar import WorkCalendar
from tthc_engine.definition.guards import GuardEvaluator
from tthc_engine.definition.model import Convention, Deadline, Duration, Extension, WarningRule
from tthc_engine.sla.policy import StartPolicy, _fmt
from tthc_engine.timeutil import aware

Predicates = Mapping[str, Callable[[Mapping[str, Any]], bool]]
_MAX_SKIP_LINES = 40


@attrs.frozen
class DueResult:
    """The computed legal due moment and how it was reached.

    `explanation` (the reasoning in words, day by day across holidays) is built only when read:
    `tthc deadline` and explanations for people read it, the engine's act does not.
    """

    start_at: dt.datetime
    due_at: dt.datetime
    applied_extensions: tuple[str, ...]
    calendar_digest: str
    received_at: dt.datetime | None = None
    convention: Convention = "next_day"
    _explain: Callable[[], tuple[str, ...]] | None = attrs.field(default=None, repr=False, eq=False)

    @functools.cached_property
    def explanation(self) -> tuple[str, ...]:
        return self._explain() if self._explain is not None else ()

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
    start = aware(start, "start")
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


def before_due(calendar: WorkCalendar, due_at: dt.datetime, before: Duration) -> dt.datetime:
    """The moment when only `before` is left until `due_at`: a warning threshold, the last moment
    to apologise (Decree 61/2018/ND-CP Art. 19(9)).

    Working days count back to the same clock time n working days earlier, so a due moment at the
    close of office hours warns at the close of the n-th working day before it.
    """
    if before.unit == "calendar_days":
        return due_at - dt.timedelta(days=before.amount)
    hours = before.amount if before.unit == "working_hours" else before.amount * calendar.hours_per_day
    if before.unit == "working_days" and float(before.amount).is_integer():
        local = due_at.astimezone(calendar.tz)
        d0, n = local.date(), int(before.amount)
        if local == calendar.close_after(d0, 0):  # the usual due moment: the close of its day
            return calendar.close_after(d0, -n)
        return dt.datetime.combine(calendar.add_working_days(d0, -n), local.timetz()).astimezone(calendar.tz)
    return calendar.add_working_hours(due_at, -hours)


def warning_moment(
    calendar: WorkCalendar, rule: WarningRule, started_at: dt.datetime, due_at: dt.datetime
) -> dt.datetime:
    """When warning `rule` falls for a clock counting from `started_at` to `due_at`: after `share`
    of the working time between them, `before` the due moment (before_due), or at the opening of
    office hours on the due day."""
    if rule.share is not None:
        total = calendar.working_hours_between(started_at, due_at)
        return calendar.add_working_hours(started_at, rule.share * total) if total > 0 else due_at
    if rule.before is not None:
        return before_due(calendar, due_at, rule.before)
    day = due_at.astimezone(calendar.tz).date()
    return calendar.next_working_moment(dt.datetime.combine(day, dt.time(0), calendar.tz))


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
    ext: Extension,
    data: Mapping[str, Any] | None,
    predicates: Predicates | None = None,
    *,
    guards: GuardEvaluator | None = None,
) -> bool | None:
    """True/False when the guard decides; None when it names a host predicate that is not registered.
    `guards`: the engine's evaluator (compiled schemas, registered predicates); else one is made
    from `predicates`."""
    if ext.when is None:
        return False  # applied only by an action with effect "extend"
    evaluator = guards if guards is not None else GuardEvaluator(predicates)
    return evaluator.decide(ext.when, data or {})


def _calendar_day_lines(cal: WorkCalendar, start: dt.date, days: int, due: dt.date) -> list[str]:
    """Explanation lines for a period in calendar days: every day counts (days off included); only a
    last day that is a day off moves the due date (Civil Code 2015 Art. 148(5))."""
    last = start + dt.timedelta(days=days)
    lines = [f"  tính cả ngày nghỉ (days off counted): ngày thứ {days} là {last:%Y-%m-%d %a}"]
    if due != last:
        info = cal.day_info(last)
        lines.append(
            f"  {last:%Y-%m-%d %a} là ngày nghỉ ({info.name}) → ngày làm việc tiếp theo {due:%Y-%m-%d %a} "
            "(BLDS 2015 Điều 148 khoản 5)"
        )
    return lines


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


def _base_due(cal: WorkCalendar, deadline: Deadline, start: dt.datetime, convention: Convention,
              policy: StartPolicy) -> dt.datetime:  # fmt: skip
    """The due moment of the deadline itself, before extensions (the arithmetic only)."""
    unit, amount = deadline.unit, deadline.amount
    if unit == "same_day":
        cutoff = deadline.cutoff or policy.default_cutoff
        local = start.astimezone(cal.tz)
        if cal.is_working_day(local.date()) and local.time() <= cutoff:
            return cal.end_of_working_day(local.date())
        return cal.end_of_working_day(cal.add_working_days(local.date(), 1))
    if unit == "working_days" and convention == "next_day":
        return _working_days(cal, amount, start)
    if unit == "working_days":
        return cal.add_working_hours(start, amount * cal.hours_per_day)
    if unit == "working_hours":
        return cal.add_working_hours(start, amount)
    if unit == "calendar_days":
        return _calendar_days(cal, amount, start)
    raise ValueError(f"unknown deadline unit {unit!r}")


def _base_lines(cal: WorkCalendar, deadline: Deadline, start: dt.datetime, convention: Convention,
                policy: StartPolicy) -> list[str]:  # fmt: skip
    """The words for `_base_due`: which rule counted the period, with its source."""
    unit, amount = deadline.unit, deadline.amount
    if unit == "same_day":
        cutoff = deadline.cutoff or policy.default_cutoff
        local = start.astimezone(cal.tz)
        if cal.is_working_day(local.date()) and local.time() <= cutoff:
            return [f"Trong ngày (same day): tiếp nhận trước {cutoff:%H:%M} → trả trong ngày"]
        return [
            f"Trong ngày (same day): tiếp nhận sau {cutoff:%H:%M} hoặc ngày nghỉ → ngày làm việc tiếp theo "
            "(Luật Hộ tịch 2014 Điều 5(3); Nghị định 23/2015/NĐ-CP Điều 7)"
        ]
    if unit == "working_days" and convention == "next_day":
        note = "Ngày tiếp nhận không tính; hạn là cuối giờ hành chính của ngày làm việc thứ"
        return [f"{amount:g} ngày làm việc: {note} {amount:g} (BLDS 2015 Điều 147–148)"]
    if unit == "working_days":
        return [f"{amount:g} ngày làm việc = {amount * cal.hours_per_day:g} giờ làm việc tính từ lúc bắt đầu"]
    if unit == "working_hours":
        return [f"{amount:g} giờ làm việc tính từ lúc bắt đầu (BLDS 2015 Điều 147)"]
    return [
        f"{amount:g} ngày (lịch); nếu ngày cuối là ngày nghỉ → cuối ngày làm việc tiếp theo "
        "(BLDS 2015 Điều 148)"
    ]


@attrs.frozen
class Reasoning:
    """What the explanation of one due computation needs, kept until someone reads it (calling it
    renders the words: compute_due's DueResult.explanation, Clock.explain)."""

    calendar: WorkCalendar
    deadline: Deadline
    received_at: dt.datetime
    channel: str
    policy: StartPolicy
    convention: Convention
    start: dt.datetime
    due: dt.datetime
    verdicts: tuple[tuple[Extension, bool | None], ...]

    def _calendar_day_lines(self) -> list[str]:
        """The calendar-day period as counted: the deadline plus its applied calendar-day extensions
        (they lengthen the period itself, add_extensions)."""
        cal = self.calendar
        days = self.deadline.amount + sum(
            ext.duration.amount
            for ext, verdict in self.verdicts
            if verdict and ext.duration.unit == "calendar_days"
        )
        start = self.start.astimezone(cal.tz).date()
        return _calendar_day_lines(cal, start, math.ceil(days - 1e-9), self.due.astimezone(cal.tz).date())

    def __call__(self) -> tuple[str, ...]:
        cal = self.calendar
        lines = self.policy.start(cal, self.received_at, self.channel)[1]
        lines += _base_lines(cal, self.deadline, self.start, self.convention, self.policy)
        for ext, verdict in self.verdicts:
            if verdict is None:
                predicate = ext.when.predicate if ext.when is not None else None
                lines.append(f"Gia hạn {ext.name!r} chưa xét: predicate {predicate!r} chưa đăng ký")
            elif verdict:
                lines.append(f"Gia hạn (extension) {ext.name}: +{ext.duration.amount:g} {ext.duration.unit}")
        if self.deadline.unit == "calendar_days":
            lines += self._calendar_day_lines()
        else:
            lines += _skipped(cal, self.start.astimezone(cal.tz).date(), self.due.date())
        lines.append(f"Hạn giải quyết (due) {_fmt(self.due)}; lịch {cal.digest}")
        return tuple(lines)


def compute_due(
    calendar: WorkCalendar,
    deadline: Deadline,
    received_at: dt.datetime,
    *,
    channel: str = "direct",
    data: Mapping[str, Any] | None = None,
    policy: StartPolicy | None = None,
    predicates: Predicates | None = None,
    guards: GuardEvaluator | None = None,
) -> DueResult:
    """The legal due moment of a dossier received at `received_at` (see docs/deadlines.md).

    Extensions whose `when` guard holds for `data` are applied; guards are evaluated by `guards`
    (the engine passes its evaluator) or by one made from `predicates`. The explanation is built
    only when `DueResult.explanation` is read."""
    policy = policy or StartPolicy()
    convention: Convention = policy.convention or deadline.convention
    received = aware(received_at, "received_at")
    start = policy.start_at(calendar, received, channel)
    due = _base_due(calendar, deadline, start, convention, policy)
    verdicts: list[tuple[Extension, bool | None]] = []
    if deadline.extensions:
        evaluator = guards if guards is not None else GuardEvaluator(predicates)
        verdicts = [(ext, extension_applies(ext, data, guards=evaluator)) for ext in deadline.extensions]
    applied = tuple(ext for ext, verdict in verdicts if verdict)
    if applied:
        due = add_extensions(
            calendar, deadline.unit, deadline.amount, start, due, [e.duration for e in applied],
            convention=convention,
        )  # fmt: skip
    reasoning = Reasoning(
        calendar, deadline, received, channel, policy, convention, start, due, tuple(verdicts)
    )
    return DueResult(
        start, due, tuple(e.name for e in applied), calendar.digest, received.astimezone(calendar.tz),
        convention, reasoning,
    )  # fmt: skip
