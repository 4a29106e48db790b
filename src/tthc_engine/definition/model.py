"""WHAT a procedure is: immutable definitions built from YAML, shared by every dossier.

These classes are the contract between the loader (definition/), the deadline rules (sla/) and
the engine (runtime/). They are frozen: a running dossier never mutates its definition, and one
Procedure object serves every dossier of that (code, version); a dossier keeps the code and version
it started under (docs/concepts.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

Level = Literal["commune", "district", "province", "ministry", "central"]
Channel = Literal["direct", "postal", "online"]
OnlineService = Literal["full", "partial", "none"]
# The legal clock while a dossier is in a state:
#   pending: not started yet (e.g. an online submission before the officer receives it, Decree
#            61/2018 Art. 17 / Decision 45/2016 Art. 7(4): the clock starts at reception, not upload);
#            the first entry into a `runs` state starts it and sets received_at.
#   runs:    counting.      paused: excluded time (extends the due moment by the time paused).
#   stopped: the legal time ended here (result ready: "đã xử lý xong"; finished_at is set on entry).
ClockBehaviour = Literal["pending", "runs", "paused", "stopped"]
Outcome = Literal["resolved", "refused", "withdrawn", "cancelled"]
TimeUnit = Literal["working_days", "working_hours", "calendar_days"]
DeadlineUnit = Literal["working_days", "working_hours", "calendar_days", "same_day"]
# How a period in working days is counted (docs/deadlines.md has worked examples):
#   next_day:      Civil Code 2015 Art. 147-148 — the day of receipt is not counted; due at the end of
#                  office hours of the n-th working day after it.
#   elapsed_hours: n x (working hours per day) counted from the receipt moment.
Convention = Literal["next_day", "elapsed_hours"]
# What an action does to the dossier's clocks besides moving it to another state.
Effect = Literal[
    "restart_clock",  # Decree 61/2018 Art. 19(4): counted again from receipt of the complete dossier
    "reschedule",  # Art. 19(9): apology + one new appointment; legal due moment kept for statistics
    "extend",  # a conditional extension the definition allows (see Deadline.extensions)
]

# What a public status says about the dossier (the lint TT324/TT325 compares it with the state):
#   before_receipt: lodged, not yet received (clock pending)   in_progress: with the agency
#   paused: waiting for the applicant, time not counted         result_ready: the legal time ended
#   final: the dossier ended, with one of the status's outcomes
StatusMeaning = Literal["before_receipt", "in_progress", "paused", "result_ready", "final"]
LEVELS: tuple[Level, ...] = ("commune", "district", "province", "ministry", "central")
CHANNELS: tuple[Channel, ...] = ("direct", "postal", "online")
# The role the engine's timers act with (runtime/actor.py SYSTEM): a timer fires its action as the
# system, whatever `roles` the action lists (those say who may also take it by hand). Reserved: a
# procedure that gave it to an action would let a person's act pass for the engine's (lint TT326).
SYSTEM_ROLE = "system"

OUTCOMES: tuple[Outcome, ...] = ("resolved", "refused", "withdrawn", "cancelled")


@attrs.frozen
class Text:
    """A label in Vietnamese, optionally with English."""

    vi: str
    en: str | None = None

    def __str__(self) -> str:
        return self.vi


@attrs.frozen
class PublicStatus:
    """One code of the public status list a state shows on the portals (`State.public_status`)."""

    code: int
    label: Text
    meaning: StatusMeaning
    outcomes: tuple[Outcome, ...] = ()  # final statuses: the outcomes they show

    def __str__(self) -> str:
        return f"{self.code} ({self.label.vi} / {self.label.en})"


# THE public status list (Circular 22/2019/TT-BTTTT, the status codes dossiers show on the national
# and provincial public service portals): the schema's `public_status` description, docs/procedure-yaml.md
# and the lint TT324/TT325 follow it (tests/definition/test_public_status.py keeps them in step).
PUBLIC_STATUSES: Mapping[int, PublicStatus] = MappingProxyType(
    {
        s.code: s
        for s in (
            PublicStatus(1, Text("Mới nộp", "submitted"), "before_receipt"),
            PublicStatus(2, Text("Đã tiếp nhận", "received"), "in_progress"),
            PublicStatus(3, Text("Không tiếp nhận", "not received"), "final", ("cancelled", "refused")),
            PublicStatus(4, Text("Đang xử lý", "processing"), "in_progress"),
            PublicStatus(5, Text("Yêu cầu bổ sung", "supplement requested"), "paused"),
            PublicStatus(6, Text("Yêu cầu nghĩa vụ tài chính", "financial obligation requested"), "paused"),
            PublicStatus(7, Text("Công dân yêu cầu rút", "withdrawal requested"), "final", ("withdrawn",)),
            PublicStatus(8, Text("Dừng xử lý", "stopped"), "final", ("refused", "cancelled")),
            PublicStatus(9, Text("Đã xử lý xong", "result ready"), "result_ready"),
            PublicStatus(10, Text("Đã trả kết quả", "result returned"), "final", ("resolved",)),
        )
    }
)


@attrs.frozen
class Duration:
    """An amount of time in a unit; fractional working days (0.25, 0.5) are allowed."""

    amount: float
    unit: TimeUnit


@attrs.frozen
class LegalReference:
    document: str
    article: str | None = None
    note: str | None = None


@attrs.frozen
class Agency:
    name: str
    code: str | None = None  # the agency identifier used in dossier numbers, e.g. "000.00.21.H47"


@attrs.frozen
class DocumentComponent:
    """One component of the dossier (thành phần hồ sơ)."""

    name: str
    copies: int = 1
    # original | certified_copy | copy | original_or_certified_copy | electronic
    form: str = "original"
    required: bool = True
    note: str | None = None


@attrs.frozen
class Fee:
    kind: Literal["phi", "le_phi"]
    name: str
    amount_vnd: int | None = None  # None when the fee is a rule in words (`rule`)
    rule: str | None = None
    legal_basis: LegalReference | None = None


@attrs.frozen
class Form:
    code: str
    name: str
    source: str | None = None


@attrs.frozen
class Role:
    id: str
    label: Text


@attrs.frozen
class Guard:
    """A declarative condition on dossier data: a JSON Schema fragment, or a host predicate name.

    Exactly one of `schema` and `predicate` is set. YAML never carries code.
    """

    schema: Mapping[str, Any] | None = None
    predicate: str | None = None
    message: str | None = None


@attrs.frozen
class State:
    id: str
    label: Text
    public_status: int  # 1..10, a code of PUBLIC_STATUSES (Circular 22/2019/TT-BTTTT)
    clock: ClockBehaviour = "runs"
    budget: Duration | None = None  # this step's time budget (per agency in inter-agency flows)
    agency: str | None = None  # who is responsible while the dossier is here
    outcome: Outcome | None = None  # set exactly on final states
    counted: bool = True  # False: the step's time is "not counted" against the legal deadline
    # True: the budget is set by law (e.g. an agency's share fixed by decree), not allotted by the
    # agency: budgets over the legal time on a path through it are an error (TT323), not a warning
    budget_statutory: bool = False
    # True: a consultation of another agency (Decree 61/2018/ND-CP Art. 19(5)): its budget is the
    # consulted agency's own deadline, and an answer after it is flagged (sla/subdeadlines.py)
    consultation: bool = False

    @property
    def final(self) -> bool:
        return self.outcome is not None


@attrs.frozen
class Action:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: Text | None = None
    guard: Guard | None = None
    requires: tuple[str, ...] = ()  # data fields that must be present after the action's data merge
    note_required: bool = False
    issues_form: str | None = None
    effects: tuple[Effect, ...] = ()
    extension: str | None = None  # with effect "extend": the name of a Deadline.extensions entry


@attrs.frozen
class Extension:
    """Conditional extra time (e.g. +10 working days in remote communes, selected by dossier data)."""

    name: str
    duration: Duration
    when: Guard | None = None  # None: applied only when an action with effect "extend" names it
    legal_basis: LegalReference | None = None


@attrs.frozen
class WarningRule:
    """One warning threshold, sent once per due moment by the sweep (runtime/plan.py observation):
    when `share` of the processing time is used, `before` the due moment, or at the opening of the
    due day (`due_day`); only in `states` when given."""

    kind: str
    share: float | None = None
    before: Duration | None = None
    due_day: bool = False
    states: tuple[str, ...] = ()


@attrs.frozen
class Deadline:
    """The legal processing time (thời hạn giải quyết)."""

    amount: float
    unit: DeadlineUnit
    cutoff: dt.time | None = None  # same_day: received after it → next working day
    convention: Convention = "next_day"
    extensions: tuple[Extension, ...] = ()
    warn_before: Duration | None = None
    legal_basis: LegalReference | None = None
    warnings: tuple[WarningRule, ...] = ()


@attrs.frozen
class Timer:
    """After `after` in `state`, the engine's sweep fires `action` automatically."""

    state: str
    after: Duration
    action: str


@attrs.frozen
class Procedure:
    code: str
    version: str
    name: Text
    field: str
    level: Level
    agency: Agency
    legal_basis: tuple[LegalReference, ...]
    effective_from: dt.date
    roles: tuple[str, ...]  # the role ids (public contract: `proc.roles`)
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    initial: str
    deadline: Deadline
    effective_to: dt.date | None = None
    channels: tuple[Channel, ...] = ("direct",)
    online_service: OnlineService = "none"
    applicants: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()  # trình tự thực hiện, as published
    documents: tuple[DocumentComponent, ...] = ()
    fees: tuple[Fee, ...] = ()
    result: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    timers: tuple[Timer, ...] = ()
    role_definitions: tuple[Role, ...] = ()  # ids with their labels, in declaration order
    source: str | None = None  # the file it was loaded from

    def state(self, state_id: str) -> State:
        for s in self.states:
            if s.id == state_id:
                return s
        raise KeyError(state_id)

    def action(self, name: str) -> Action:
        for a in self.actions:
            if a.name == name:
                return a
        raise KeyError(name)

    def actions_from(self, state_id: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if state_id in a.sources)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.version)
