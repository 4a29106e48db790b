"""The dossier record: Dossier (a running case) and Step (one line of the process control slip).

The record sits below the runtime and the stores (docs/architecture.md): the runtime computes new
records, the stores persist them, reports and forms project them — and none of those needs the
others to know what a record is. All frozen: the engine builds a new Dossier for every change and
the store keeps it together with the audit entry that explains it. `to_dict`/`from_dict` give the
JSON form the stores persist. `RecordUpdate` types the fields one act changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypedDict

import attrs

from tthc_engine.errors import RecordFieldError
from tthc_engine.sla.clock import Clock
from tthc_engine.sla.timeliness import Timeliness
from tthc_engine.timeutil import iso as _iso
from tthc_engine.timeutil import parse_iso as _parse


@attrs.frozen(slots=True)
class Step:
    """One hand-over on the process control slip (Form 05, Circular 01/2018/TT-VPCP Art. 9).

    A step opens when the dossier enters a state and closes when it leaves it; `due_at` comes from
    the state's budget, `timeliness` is set on closing when there is a budget.
    """

    state: str
    agency: str | None
    entered_at: dt.datetime
    entered_by: str
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    finished_by: str | None = None
    timeliness: Timeliness | None = None
    counted: bool = True
    # the JSON form, rendered once: a step is immutable and every later record of the dossier
    # carries it again (a store writes the whole record on every act)
    _json: dict[str, Any] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (a fresh dict each call; the rendering itself is kept)."""
        if self._json is None:
            object.__setattr__(self, "_json", self._render())
        assert self._json is not None
        return dict(self._json)

    def _render(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "agency": self.agency,
            "entered_at": self.entered_at.isoformat(),
            "entered_by": self.entered_by,
            "due_at": _iso(self.due_at),
            "finished_at": _iso(self.finished_at),
            "finished_by": self.finished_by,
            "timeliness": self.timeliness,
            "counted": self.counted,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Step:
        return cls(
            state=data["state"],
            agency=data["agency"],
            entered_at=dt.datetime.fromisoformat(data["entered_at"]),
            entered_by=data["entered_by"],
            due_at=_parse(data["due_at"]),
            finished_at=_parse(data["finished_at"]),
            finished_by=data["finished_by"],
            timeliness=data["timeliness"],
            counted=bool(data["counted"]),
        )


def _pairs(items: Any) -> tuple[tuple[str, dt.datetime], ...]:
    """(kind, moment) pairs from their JSON form [[kind, iso], …]."""
    return tuple((str(kind), dt.datetime.fromisoformat(when)) for kind, when in items)


_DATETIME_FIELDS = (
    "submitted_at",
    "received_at",
    "due_at",
    "appointment_at",
    "finished_at",
    "state_entered_at",
    "last_event_at",
    "timer_at",
    "warn_at",
    "warned_for",
    "overdue_for",
    "next_check_at",
)


@attrs.frozen(slots=False)  # a __dict__ makes `replace` a dict copy: the engine's hot path
class Dossier:
    """A running case (hồ sơ) pinned to the procedure version it was received under.

    `due_at` is the legal due moment (kept for statistics even after a reschedule);
    `appointment_at` is the return date promised to the applicant (moved at most once, Decree
    61/2018 Art. 19(9)). `clock` is the legal sla.Clock (None while pending; `to_dict` writes its
    JSON form).
    `version` increases by one with every committed change (optimistic concurrency);
    `audit_head`/`audit_count` are the hash and count of the audit chain (truncation check).
    `last_event_at` is the `at` of the newest audit entry of any kind; `last_act_at` that of the newest
    submit, act or timer firing: the floor later acts are checked against (TimeOrderError). Sweep
    observations (warning, overdue) move only `last_event_at`, so a desk can still record, after a
    sweep, an act that truly happened before it (docs/embedding.md, back-dated acts).
    """

    id: str
    number: str | None  # the national number, given at receipt (None before: see `reference`)
    procedure_code: str
    procedure_version: str
    state: str
    version: int
    channel: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str | None
    timeliness: Timeliness | None
    data: Mapping[str, Any]
    clock: Clock | None
    steps: tuple[Step, ...]
    reschedules: int
    state_entered_at: dt.datetime
    last_event_at: dt.datetime
    last_act_at: dt.datetime
    timer_at: dt.datetime | None
    warn_at: dt.datetime | None
    warned_for: dt.datetime | None
    overdue_for: dt.datetime | None
    next_check_at: dt.datetime | None
    audit_head: str
    audit_count: int
    flags: tuple[str, ...] = ()  # sub-deadlines broken (sla/subdeadlines.py FLAGS), sorted
    supplement_requests: int = 0  # how many times the applicant was asked to supplement
    reference: str | None = None  # the lodgement reference of a dossier lodged before its receipt
    receiving_agency: str | None = None  # the code of the agency that received it (in its number)
    procedure_fingerprint: str | None = None  # the content of its version (definition/fingerprint.py)
    # the procedure's warning thresholds still to send for the current due moment, (kind, moment),
    # earliest first, and those sent, (kind, the due moment they were for): each once per due moment
    warning_at: tuple[tuple[str, dt.datetime], ...] = ()
    warnings_sent: tuple[tuple[str, dt.datetime], ...] = ()
    assignee: str | None = None  # the officer the dossier was handed to (Engine.assign_to), or None
    # the processing time the legal clock counted from its start (or last restart) to finished_at,
    # pauses excluded, in working minutes (reports: records/status.py); None while not finished
    worked_minutes: int | None = None
    # the facts the host recorded (records/feedback.py): name -> {"value", "by", "at"}
    feedback: Mapping[str, Any] = attrs.field(factory=lambda: MappingProxyType({}))

    @property
    def final(self) -> bool:
        return self.outcome is not None

    def replace(self, changes: RecordUpdate) -> Dossier:
        """A copy with `changes` applied (field names only): attrs.evolve without its per-call
        introspection, for the engine's hot path. A name that is not a field of the record (a
        misspelling, or `id`) raises RecordFieldError: it would otherwise be dropped on save."""
        if not _CHANGEABLE.issuperset(changes):
            raise _unknown_fields(changes)
        new = object.__new__(Dossier)
        fields = new.__dict__
        fields.update(self.__dict__)
        fields.update(changes)
        return new

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stores persist and exports show (datetimes as ISO 8601 with offset)."""
        out: dict[str, Any] = {
            "id": self.id,
            "number": self.number,
            "procedure_code": self.procedure_code,
            "procedure_version": self.procedure_version,
            "state": self.state,
            "version": self.version,
            "channel": self.channel,
            "outcome": self.outcome,
            "timeliness": self.timeliness,
            "data": dict(self.data),
            "clock": None if self.clock is None else self.clock.to_dict(),
            "steps": [s.to_dict() for s in self.steps],
            "reschedules": self.reschedules,
            "audit_head": self.audit_head,
            "audit_count": self.audit_count,
            "flags": list(self.flags),
            "supplement_requests": self.supplement_requests,
            "reference": self.reference,
            "receiving_agency": self.receiving_agency,
            "procedure_fingerprint": self.procedure_fingerprint,
            "warning_at": [[kind, when.isoformat()] for kind, when in self.warning_at],
            "warnings_sent": [[kind, when.isoformat()] for kind, when in self.warnings_sent],
            "assignee": self.assignee,
            "worked_minutes": self.worked_minutes,
            "feedback": {name: dict(held) for name, held in self.feedback.items()},
        }
        for name in _DATETIME_FIELDS:
            out[name] = _iso(getattr(self, name))
        out["last_act_at"] = self.last_act_at.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dossier:
        kwargs: dict[str, Any] = {name: _parse(data[name]) for name in _DATETIME_FIELDS}
        # records written before last_act_at existed: their last event (observations included) is the
        # floor they were checked against then — conservative, never lower
        kwargs["last_act_at"] = _parse(data.get("last_act_at")) or kwargs["last_event_at"]
        return cls(
            id=data["id"],
            number=data["number"],
            procedure_code=data["procedure_code"],
            procedure_version=data["procedure_version"],
            state=data["state"],
            version=int(data["version"]),
            channel=data["channel"],
            outcome=data["outcome"],
            timeliness=data["timeliness"],
            data=MappingProxyType(dict(data["data"])),
            clock=None if data["clock"] is None else Clock.from_dict(data["clock"]),
            steps=tuple(Step.from_dict(s) for s in data["steps"]),
            reschedules=int(data["reschedules"]),
            audit_head=data["audit_head"],
            audit_count=int(data["audit_count"]),
            # records written before flags existed carry none (they were not checked then)
            flags=tuple(data.get("flags", ())),
            supplement_requests=int(data.get("supplement_requests", 0)),
            # records written before receipt numbering were numbered at lodgement, with no reference
            reference=data.get("reference"),
            receiving_agency=data.get("receiving_agency"),
            procedure_fingerprint=data.get("procedure_fingerprint"),  # None: pinned before fingerprints
            warning_at=_pairs(data.get("warning_at", ())),
            warnings_sent=_pairs(data.get("warnings_sent", ())),
            # records written before assignment existed were never handed to a named officer
            assignee=data.get("assignee"),
            # records finished before the processing time was kept: unknown (left out of its statistics)
            worked_minutes=data.get("worked_minutes"),
            feedback=MappingProxyType({k: dict(v) for k, v in data.get("feedback", {}).items()}),
            **kwargs,
        )


# the fields `replace` may set: every field but the identity (RecordUpdate's keys, tested)
_CHANGEABLE = frozenset(f.name for f in attrs.fields(Dossier)) - {"id"}


def _unknown_fields(changes: Mapping[str, Any]) -> RecordFieldError:
    unknown = sorted(set(changes) - _CHANGEABLE)
    valid = ", ".join(f.name for f in attrs.fields(Dossier) if f.name in _CHANGEABLE)
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, sorted(_CHANGEABLE), n=1, cutoff=0.6)
        if name == "id":
            parts.append("'id' (a dossier's id never changes)")
        else:
            parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return RecordFieldError(
        f"Dossier.replace: {', '.join(parts)} is not a field of the dossier record, so the change "
        f"would be lost when the record is saved; use one of: {valid}"
    )


class RecordUpdate(TypedDict, total=False):
    """The fields of a Dossier one change sets (every key optional): what the act plan computes and
    `Dossier.replace` applies. Typed so that a misspelt or mistyped field fails mypy, not a run."""

    number: str | None
    procedure_code: str
    procedure_version: str
    state: str
    version: int
    channel: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str | None
    timeliness: Timeliness | None
    data: Mapping[str, Any]
    clock: Clock | None
    steps: tuple[Step, ...]
    reschedules: int
    state_entered_at: dt.datetime
    last_event_at: dt.datetime
    last_act_at: dt.datetime
    timer_at: dt.datetime | None
    warn_at: dt.datetime | None
    warned_for: dt.datetime | None
    overdue_for: dt.datetime | None
    next_check_at: dt.datetime | None
    audit_head: str
    audit_count: int
    flags: tuple[str, ...]
    supplement_requests: int
    reference: str | None
    receiving_agency: str | None
    procedure_fingerprint: str | None
    warning_at: tuple[tuple[str, dt.datetime], ...]
    warnings_sent: tuple[tuple[str, dt.datetime], ...]
    assignee: str | None
    worked_minutes: int | None
    feedback: Mapping[str, Any]
