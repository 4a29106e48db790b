"""Clock: one legal deadline clock as an immutable value (the engine stores it as JSON).

It runs, pauses (excluded periods extend the due moment by the working time paused), restarts from
zero when a complete dossier is received after a supplement request (Decree 61/2018/ND-CP Art. 19(4)),
takes extensions, and keeps a one-time rescheduled appointment apart from the legal due moment
(Art. 19(9): the appointment moves at most once; statistics still use the legal time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_engine.calendar.workcalendar import WorkCalendar
from tthc_engine.definition.guards import GuardEvaluator
from tthc_engine.definition.model import Convention, Deadline, DeadlineUnit, Duration, Extension
from tthc_engine.errors import ClockError
from tthc_engine.sla.policy import StartPolicy
from tthc_engine.sla.rules import DueResult, Predicates, Reasoning, add_extensions, compute_due, due_after
from tthc_engine.timeutil import aware
from tthc_engine.timeutil import iso as _iso

_FORMAT = 1


def _parse(value: Any) -> dt.datetime | None:
    return None if value is None else aware(dt.datetime.fromisoformat(value))


@attrs.frozen(slots=False)  # a __dict__ lets `_with` copy it: the act path changes clocks often
class Clock:
    """A legal clock. Build with `Clock.start(...)`; every operation returns a new Clock.

    The dossier record holds the Clock itself; its JSON form (`to_dict`) is what stores persist and
    audit entries record, and `changes_from` names the JSON keys that differ between two clocks."""

    received_at: dt.datetime
    started_at: dt.datetime
    due_at: dt.datetime  # the current legal due moment, pauses and extensions included
    amount: float = attrs.field(converter=float)  # 3 and 3.0 are one amount: one JSON form
    unit: DeadlineUnit
    convention: Convention = "next_day"
    channel: str = "direct"
    cutoff: dt.time | None = None
    paused_at: dt.datetime | None = None
    paused_hours: float = 0.0  # working hours excluded so far
    extensions: tuple[str, ...] = ()
    extension_durations: tuple[Duration, ...] = ()  # parallel to `extensions`; re-applied on restart
    appointment_at: dt.datetime | None = None  # the one rescheduled appointment (Art. 19(9))
    restarts: int = 0
    calendar_digest: str = ""

    # ----------------------------------------------------------------- building
    @classmethod
    def start(
        cls,
        calendar: WorkCalendar,
        deadline: Deadline,
        at: dt.datetime,
        *,
        channel: str = "direct",
        data: Mapping[str, Any] | None = None,
        policy: StartPolicy | None = None,
        predicates: Predicates | None = None,
        guards: GuardEvaluator | None = None,
    ) -> Clock:
        result = compute_due(
            calendar, deadline, at, channel=channel, data=data, policy=policy, predicates=predicates,
            guards=guards,
        )  # fmt: skip
        return cls.from_due(result, deadline, at, channel=channel)

    @classmethod
    def from_due(cls, result: DueResult, deadline: Deadline, at: dt.datetime, *, channel: str) -> Clock:
        """The clock of a dossier received at `at` whose due moment `result` computed (so a caller
        that also wants the explanation computes the due moment once)."""
        applied = result.applied_extensions
        durations: tuple[Duration, ...] = ()
        if applied:
            by_name = {e.name: e.duration for e in deadline.extensions}
            durations = tuple(by_name[n] for n in applied)
        return cls(
            received_at=aware(at, "at"),
            started_at=result.start_at,
            due_at=result.due_at,
            amount=deadline.amount,
            unit=deadline.unit,
            convention=result.convention,
            channel=channel,
            cutoff=deadline.cutoff,
            extensions=applied,
            extension_durations=durations,
            calendar_digest=result.calendar_digest,
        )

    def _with(self, **changes: Any) -> Clock:
        """A copy with `changes` (field names) applied: attrs.evolve without its per-call
        introspection. Only for the operations below, which keep every field's type."""
        new = object.__new__(Clock)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    @property
    def running(self) -> bool:
        return self.paused_at is None

    @property
    def appointment(self) -> dt.datetime:
        """The date promised to the applicant: the rescheduled one if any, else the legal due moment."""
        return self.appointment_at or self.due_at

    # ----------------------------------------------------------------- operations
    def pause(self, calendar: WorkCalendar, at: dt.datetime) -> Clock:
        """Stop counting at `at` (an excluded period starts).

        Before a deferred start (an online receipt in the last office hour or on a day off counts from
        the next working moment) the desk may already request a supplement: the pause then begins at
        the start, so no time before it is counted or excluded."""
        at = aware(at, "at")
        if self.paused_at is not None:
            raise ClockError(
                f"the clock is already paused since {self.paused_at.isoformat()}; "
                "resume it before pausing again"
            )
        return self._with(paused_at=max(at, self.started_at))

    def resume(self, calendar: WorkCalendar, at: dt.datetime) -> Clock:
        """Count again; the due moment moves later by the working time paused."""
        at = aware(at, "at")
        if self.paused_at is None:
            raise ClockError("the clock is running; pause it before resuming")
        if at < self.paused_at and self.paused_at > self.started_at:
            raise ClockError(
                f"cannot resume at {at.isoformat()}, before the pause at {self.paused_at.isoformat()}"
            )
        # paused at a deferred start and resumed before it: nothing was excluded
        hours = calendar.working_hours_between(self.paused_at, at) if at > self.paused_at else 0.0
        due = calendar.add_working_hours(self.due_at, hours) if hours > 0 else self.due_at
        return self._with(due_at=due, paused_at=None, paused_hours=self.paused_hours + hours)

    def restart(self, calendar: WorkCalendar, at: dt.datetime, *, policy: StartPolicy | None = None) -> Clock:
        """Decree 61/2018 Art. 19(4): the processing time is counted again from the beginning from `at`
        (receipt of the complete dossier); extensions already granted are kept."""
        at = aware(at, "at")
        deadline = Deadline(self.amount, self.unit, cutoff=self.cutoff, convention=self.convention)
        result = compute_due(calendar, deadline, at, channel=self.channel, policy=policy)
        due = add_extensions(
            calendar, self.unit, self.amount, result.start_at, result.due_at, self.extension_durations,
            convention=self.convention,
        )  # fmt: skip
        return self._with(
            started_at=result.start_at,
            due_at=due,
            paused_at=None,
            paused_hours=0.0,
            appointment_at=None,
            restarts=self.restarts + 1,
            calendar_digest=result.calendar_digest,
        )

    def extend(self, calendar: WorkCalendar, extension: Extension) -> Clock:
        """Add an extension's extra time to the legal due moment (once per extension name)."""
        if extension.name in self.extensions:
            raise ClockError(f"extension {extension.name!r} is already applied to this clock")
        if self.unit == "calendar_days" and extension.duration.unit == "calendar_days":
            # the extra days lengthen the period itself (sla.rules.add_extensions); rebuild the due
            # moment from the start, then put back the other extensions and the working time paused
            durations = (*self.extension_durations, extension.duration)
            base = due_after(calendar, Duration(self.amount, "calendar_days"), self.started_at)
            due = add_extensions(
                calendar, self.unit, self.amount, self.started_at, base, durations, convention=self.convention
            )
            if self.paused_hours > 0:
                due = calendar.add_working_hours(due, self.paused_hours)
        else:
            due = due_after(calendar, extension.duration, self.due_at, convention=self.convention)
        return self._with(
            due_at=due,
            extensions=(*self.extensions, extension.name),
            extension_durations=(*self.extension_durations, extension.duration),
        )

    def reschedule(self, new_appointment: dt.datetime) -> Clock:
        """Art. 19(9): move the appointment (once); the legal due moment stays for statistics."""
        new_appointment = aware(new_appointment, "new_appointment")
        if self.appointment_at is not None:
            raise ClockError(
                f"the appointment was already moved to {self.appointment_at.isoformat()}; "
                "Decree 61/2018 Art. 19(9) allows moving it only once"
            )
        if new_appointment <= self.due_at:
            raise ClockError(
                f"new appointment {new_appointment.isoformat()} is not after "
                f"the due moment {self.due_at.isoformat()}"
            )
        return self._with(appointment_at=new_appointment)

    # ----------------------------------------------------------------- words
    def explain(self, calendar: WorkCalendar, policy: StartPolicy | None = None) -> tuple[str, ...]:
        """The reasoning in words behind this clock's start and due moment, rendered from the clock
        alone (receipt, channel, deadline, applied extensions, start, due), as `compute_due` explains
        it. The engine keeps clocks, not words, in the audit trail and renders them on request; a
        clock computed on another calendar says so on its last line."""
        deadline = Deadline(self.amount, self.unit, cutoff=self.cutoff, convention=self.convention)
        applied = tuple(
            (Extension(name, duration), True)
            for name, duration in zip(self.extensions, self.extension_durations, strict=True)
        )
        lines = Reasoning(
            calendar, deadline, self.received_at, self.channel, policy or StartPolicy(), self.convention,
            self.started_at, self.due_at, applied,
        )()  # fmt: skip
        if self.calendar_digest and self.calendar_digest != calendar.digest:
            lines += (
                f"(Hạn được tính với lịch {self.calendar_digest}, giải thích theo lịch {calendar.digest}: "
                "the due moment was computed on another calendar)",
            )
        return lines

    # ----------------------------------------------------------------- storage
    def to_dict(self) -> dict[str, Any]:
        """The JSON form (key by key as `_KEYS` renders them; a test holds the two together)."""
        return {
            "format": _FORMAT,
            "received_at": self.received_at.isoformat(),
            "started_at": self.started_at.isoformat(),
            "due_at": self.due_at.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "convention": self.convention,
            "channel": self.channel,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "paused_at": _iso(self.paused_at),
            "paused_hours": self.paused_hours,
            "extensions": _extensions(self) if self.extensions else [],
            "appointment_at": _iso(self.appointment_at),
            "restarts": self.restarts,
            "calendar_digest": self.calendar_digest,
        }

    def changes_from(self, old: Clock) -> dict[str, dict[str, Any]]:
        """The JSON keys of `to_dict` whose values differ from `old`'s: key -> {"from", "to"}
        (what an audit entry records as `clock.<key>`). Operations copy unchanged fields as the same
        objects, so only fields holding a new object are rendered and compared."""
        out: dict[str, dict[str, Any]] = {}
        mine, theirs = self.__dict__, old.__dict__
        for key, fields, render in _KEYS:
            if mine[fields[0]] is theirs[fields[0]] and (
                len(fields) == 1 or mine[fields[1]] is theirs[fields[1]]
            ):
                continue
            before, after = render(old), render(self)
            if before != after:
                out[key] = {"from": before, "to": after}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Clock:
        if data.get("format") != _FORMAT:
            raise ClockError(f"clock format {data.get('format')!r} is not supported (expected {_FORMAT})")
        exts = list(data.get("extensions", []))
        return cls(
            received_at=_parse(data["received_at"]),  # type: ignore[arg-type]
            started_at=_parse(data["started_at"]),  # type: ignore[arg-type]
            due_at=_parse(data["due_at"]),  # type: ignore[arg-type]
            amount=float(data["amount"]),
            unit=data["unit"],
            convention=data.get("convention", "next_day"),
            channel=data.get("channel", "direct"),
            cutoff=dt.time.fromisoformat(data["cutoff"]) if data.get("cutoff") else None,
            paused_at=_parse(data.get("paused_at")),
            paused_hours=float(data.get("paused_hours", 0.0)),
            extensions=tuple(e["name"] for e in exts),
            extension_durations=tuple(Duration(float(e["amount"]), e["unit"]) for e in exts),
            appointment_at=_parse(data.get("appointment_at")),
            restarts=int(data.get("restarts", 0)),
            calendar_digest=data.get("calendar_digest", ""),
        )


def _extensions(clock: Clock) -> list[dict[str, Any]]:
    return [
        {"name": n, "amount": float(d.amount), "unit": d.unit}
        for n, d in zip(clock.extensions, clock.extension_durations, strict=True)
    ]


def _field(name: str) -> Callable[[Clock], Any]:
    return lambda clock: clock.__dict__[name]


def _moment(name: str) -> Callable[[Clock], Any]:
    return lambda clock: _iso(clock.__dict__[name])


# The JSON form, key by key in to_dict order: (key, the fields it renders, how).
_KEYS: tuple[tuple[str, tuple[str, ...], Callable[[Clock], Any]], ...] = (
    ("received_at", ("received_at",), _moment("received_at")),
    ("started_at", ("started_at",), _moment("started_at")),
    ("due_at", ("due_at",), _moment("due_at")),
    ("amount", ("amount",), _field("amount")),
    ("unit", ("unit",), _field("unit")),
    ("convention", ("convention",), _field("convention")),
    ("channel", ("channel",), _field("channel")),
    ("cutoff", ("cutoff",), lambda c: c.cutoff.isoformat() if c.cutoff else None),
    ("paused_at", ("paused_at",), _moment("paused_at")),
    ("paused_hours", ("paused_hours",), _field("paused_hours")),
    ("extensions", ("extensions", "extension_durations"), _extensions),
    ("appointment_at", ("appointment_at",), _moment("appointment_at")),
    ("restarts", ("restarts",), _field("restarts")),
    ("calendar_digest", ("calendar_digest",), _field("calendar_digest")),
)
