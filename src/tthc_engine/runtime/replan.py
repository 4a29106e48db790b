"""Re-planning: what the engine would compute today from each dossier's own history.

A late-announced swap, a local closure, a new `holidays` release or a corrected procedure version
must never silently move — or silently fail to move — a stored due moment. So re-planning replays a
dossier's audit trail (the same acts, by the same actors, at the same moments, with the same data)
through a planner on today's calendar and catalog, and compares the result with the stored record:
every in-flight dossier whose due moment, appointment, warning, timer or step budgets would move is
reported old → new with the reason, and — when applied — gets one audit entry that moves them
(`replan`). Nothing else in the record changes; a dossier whose history no longer replays (an act
the corrected version refuses) is reported as failed and left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.calendar import WorkCalendar
from tthc_engine.records import Dossier, RecordUpdate
from tthc_engine.runtime.actor import SYSTEM, Actor
from tthc_engine.runtime.plan import CatalogLike, Numbers, Planner, blank_record
from tthc_engine.runtime.request import Request
from tthc_engine.timeutil import iso

# the record fields re-planning may move (everything else is history, kept as recorded)
MOVABLE = ("clock", "due_at", "appointment_at", "warn_at", "timer_at", "steps", "procedure_fingerprint")


@attrs.frozen
class ReplanItem:
    """One dossier whose planned moments differ from what today's rules compute (or that failed)."""

    dossier_id: str
    number: str | None
    due_from: dt.datetime | None
    due_to: dt.datetime | None
    appointment_from: dt.datetime | None
    appointment_to: dt.datetime | None
    reasons: tuple[str, ...]
    fields: tuple[str, ...] = ()  # the MOVABLE fields that change
    error: str | None = None  # set when the history no longer replays

    @property
    def moves_due(self) -> bool:
        return self.due_from != self.due_to or self.appointment_from != self.appointment_to


@attrs.frozen
class ReplanReport:
    """What one re-planning found (and, unless a dry run, applied)."""

    at: dt.datetime
    examined: int
    changed: tuple[ReplanItem, ...]
    failed: tuple[ReplanItem, ...]
    applied: bool

    @property
    def moved(self) -> tuple[ReplanItem, ...]:
        """The dossiers whose legal due moment or appointment moves."""
        return tuple(i for i in self.changed if i.moves_due)


def replay(catalog: CatalogLike, planner: Planner, entries: Sequence[AuditEntry]) -> Dossier:
    """The record today's planner computes from `entries` (sweep notices are not replayed: they
    follow the due moment, and a moved due moment deserves its own warning)."""
    clock = _Clock()
    fresh = Planner(catalog, planner.setting, clock)
    d: Dossier | None = None
    for e in entries:
        clock.now = e.recorded_at
        data = {k: v["to"] for k, v in e.changes.items() if isinstance(v, Mapping) and "to" in v}
        if e.kind == "submit":
            proc = catalog.get(e.procedure_code, e.procedure_version)
            blank = blank_record(e.dossier_id, proc, channel=str(e.clock.get("channel", "direct")),
                                 at=e.at, data=MappingProxyType(data))  # fmt: skip
            numbers = Numbers(
                number=_str(e.clock.get("number")),
                agency=_str(e.clock.get("receiving_agency")),
                reference=_str(e.clock.get("reference")),
            )
            request = Request("submit", _actor(e), e.at, e.note, data, "submit")
            d = fresh.submit(blank, request, numbers=numbers, recorded_at=e.recorded_at).dossier
        elif e.kind in ("act", "timer") and d is not None and e.action is not None:
            actor = SYSTEM if e.kind == "timer" else _actor(e)
            request = Request(e.action, actor, e.at, e.note, data or None, e.kind)
            d = fresh.act(d, request, _receipt(e)).dossier
    if d is None:
        raise ValueError(f"dossier {entries[0].dossier_id if entries else '?'}: no submit entry to replay")
    return d


def compare(stored: Dossier, replayed: Dossier, calendar_reasons: Callable[[Dossier, Dossier], list[str]]
            ) -> ReplanItem | None:  # fmt: skip
    """The item for `stored` when replaying moves any MOVABLE field beyond the calendar's digest."""
    fields = tuple(f for f in MOVABLE if _comparable(stored, f) != _comparable(replayed, f))
    if not fields:
        return None
    reasons = calendar_reasons(stored, replayed)
    if "procedure_fingerprint" in fields:
        reasons.append(
            f"phiên bản thủ tục {stored.procedure_code} {stored.procedure_version} đã sửa nội dung "
            f"(version edited in place): {stored.procedure_fingerprint} → {replayed.procedure_fingerprint}"
        )
    return ReplanItem(stored.id, stored.number, stored.due_at, replayed.due_at, stored.appointment_at,
                      replayed.appointment_at, tuple(reasons), fields)  # fmt: skip


def replan_update(
    stored: Dossier, replayed: Dossier, item: ReplanItem
) -> tuple[RecordUpdate, dict[str, Any]]:
    """The record update and the audit entry's changes that move `stored` to the replayed moments."""
    updates: RecordUpdate = {}
    changes: dict[str, Any] = {}
    for field in item.fields:
        updates[field] = getattr(replayed, field)  # type: ignore[literal-required]
    for field in ("due_at", "appointment_at", "warn_at", "timer_at"):
        if field in item.fields:
            changes[field] = {"from": iso(getattr(stored, field)), "to": iso(getattr(replayed, field))}
    if "clock" in item.fields and stored.clock is not None and replayed.clock is not None:
        changes.update({f"clock.{k}": v for k, v in replayed.clock.changes_from(stored.clock).items()})
    if "steps" in item.fields:
        changes["steps.due_at"] = {"from": [iso(s.due_at) for s in stored.steps],
                                   "to": [iso(s.due_at) for s in replayed.steps]}  # fmt: skip
    if "procedure_fingerprint" in item.fields:
        changes["procedure_fingerprint"] = {"from": stored.procedure_fingerprint,
                                            "to": replayed.procedure_fingerprint}  # fmt: skip
    return updates, changes


def calendar_reasons(calendar: WorkCalendar) -> Callable[[Dossier, Dossier], list[str]]:
    """Why the calendar moves a dossier: the digests it was planned on and is planned on now, and
    the days off or make-up days (with their notices) between its receipt and the later of its two
    due moments, as today's calendar knows them — first the days between the old and the new due
    moment, which are where the change shows."""

    def reasons(stored: Dossier, replayed: Dossier) -> list[str]:
        out: list[str] = []
        old = stored.clock.calendar_digest if stored.clock is not None else ""
        new = replayed.clock.calendar_digest if replayed.clock is not None else ""
        if old != new:
            out.append(f"lịch làm việc thay đổi (calendar changed): {old or '—'} → {new}")
        dues = [m.astimezone(calendar.tz).date() for m in (stored.due_at, replayed.due_at) if m is not None]
        if not dues or stored.received_at is None:
            return out
        start, end = stored.received_at.astimezone(calendar.tz).date(), max(dues)
        between = (min(dues), max(dues))
        days = []
        day = start
        while day <= end:
            info = calendar.day_info(day)
            if info.kind not in ("workday", "weekend"):
                mark = (
                    " ← giữa hai hạn (between the two due dates)" if between[0] <= day <= between[1] else ""
                )
                days.append((not mark, f"  {day:%d/%m/%Y} {info.name} [{info.kind}; {info.source}]{mark}"))
            day += dt.timedelta(days=1)
        out += [line for _, line in sorted(days, key=lambda pair: pair[0])]
        return out

    return reasons


def in_flight(d: Dossier) -> bool:
    """Re-planning concerns received dossiers not yet finished (their moments are still promises)."""
    return d.outcome is None and d.received_at is not None and d.finished_at is None


def replay_error(d: Dossier, error: str) -> ReplanItem:
    """The item of a dossier left as it is: its history no longer replays, or it changed meanwhile."""
    why = ("lịch sử không còn chạy lại được (history no longer replays)",)
    return ReplanItem(d.id, d.number, d.due_at, None, d.appointment_at, None, why, error=error)


class _Clock:
    """The recording moment of the entry being replayed (replayed entries are never stored)."""

    now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _comparable(d: Dossier, field: str) -> Any:
    value = getattr(d, field)
    if field == "clock" and value is not None:  # a new digest alone moves nothing
        return {k: v for k, v in value.to_dict().items() if k != "calendar_digest"}
    return value


def _actor(e: AuditEntry) -> Actor:
    return Actor(e.actor, frozenset(e.roles))


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _receipt(e: AuditEntry) -> Numbers | None:
    """The identifiers a receipt entry recorded, to be given again on replay."""
    number = e.clock.get("number")
    if not isinstance(number, Mapping):
        return None
    agency = e.clock.get("receiving_agency")
    version = e.clock.get("procedure_version")
    return Numbers(
        number=_str(number.get("to")),
        agency=_str(agency.get("to")) if isinstance(agency, Mapping) else None,
        version=_str(version.get("to")) if isinstance(version, Mapping) else e.procedure_version,
    )
