"""What a period report needs to know of a dossier at one moment: its `ReportStatus`.

A report of the period [start, end) counts every dossier as it stood at `end` — what was known then,
not what it is today (docs/reports.md). The stores keep, beside each record, the history of its
report status as half-open spans [since, until): a new span opens whenever an act changes what a
report would say (receipt, a pause for a supplement, a new due moment, the end of the legal time, an
outcome), and a report reads the one span of each dossier that holds at `end`.

Which column a dossier falls in is decided here, once, when the span is written — except for a
running clock, whose "within / past the time" depends on the report's `end` (the stores compare the
due moment with it). The classification follows Circular 01/2018/TT-VPCP Art. 13 (early / on time /
late against the legal time) and keeps the appointment apart (Decree 61/2018/ND-CP Art. 19(9): a
rescheduled appointment does not change the legal time, and it is open which one the national
indicator of Decision 766/QĐ-TTg uses).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from tthc_engine.records.dossier import Dossier
from tthc_engine.records.feedback import fact
from tthc_engine.sla.timeliness import classify_aware
from tthc_engine.timeutil import HOURS_PER_WORKING_DAY

StatusKind = Literal["running", "paused", "finished"]
# The report columns a dossier can fall in, each dossier in exactly one (docs/reports.md):
#   early / on_time / late: resolved (result ready or returned), by the legal due moment
#   refused / withdrawn / cancelled: finished with that outcome (after receipt)
#   within / overdue: in progress, the clock running, against the report's end
#   paused_within / paused_overdue: in progress, waiting for the applicant's supplement (the clock
#   stopped), against the moment the pause began
Cell = Literal[
    "early", "on_time", "late", "refused", "withdrawn", "cancelled", "within", "overdue",
    "paused_within", "paused_overdue",
]  # fmt: skip
CELLS: tuple[Cell, ...] = (
    "early", "on_time", "late", "refused", "withdrawn", "cancelled", "within", "overdue",
    "paused_within", "paused_overdue",
)  # fmt: skip
# Against the appointment (the rescheduled return date, else the legal due moment): a finished
# dossier of any outcome is early / on time / late by it, one in progress within or overdue.
Measure = Literal["early", "on_time", "late", "within", "overdue"]
MEASURES: tuple[Measure, ...] = ("early", "on_time", "late", "within", "overdue")
# The working minutes of a working day the processing time is expressed in (8 h: Decision
# 188/1999/QĐ-TTg Art. 1, timeutil.HOURS_PER_WORKING_DAY) — minutes are integers, so that medians
# and percentiles are exact when a store counts them in SQL.
MINUTES_PER_DAY = int(HOURS_PER_WORKING_DAY * 60)
# the host's feedback facts a report counts (records/feedback.py)
_SAID = ("electronic_result", "paid_online", "digitised", "rating")


@attrs.frozen(slots=True)
class Identity:
    """What never changes after receipt, kept on every span so that a report is one pass over one
    table: when and by whom it was received, under which procedure version, through which channel."""

    received_at: dt.datetime
    procedure_code: str
    procedure_version: str
    receiving_agency: str | None
    channel: str


@attrs.frozen(slots=True)
class ReportStatus:
    """A dossier as a report sees it, from one act to the next.

    `cell` and `appointment` are None only for a running clock (the store compares `due_at` and
    `appointment_at` with the report's end). `worked_minutes` is the processing time the legal clock
    counted, pauses excluded (Dossier.worked_minutes), for finished dossiers with a decision.
    The first five fields are the dossier's `Identity`.
    """

    received_at: dt.datetime
    procedure_code: str
    procedure_version: str
    receiving_agency: str | None
    channel: str
    kind: StatusKind
    cell: Cell | None
    appointment: Measure | None
    due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str | None
    worked_minutes: int | None
    supplement_requests: int
    # what the host said (records/feedback.py), for the indicators of Decision 766/QĐ-TTg
    electronic_result: bool = False
    paid_online: bool = False
    digitised: bool = False
    rating: int | None = None

    @classmethod
    def of(cls, d: Dossier) -> ReportStatus | None:
        """The status of record `d`; None for a dossier never received (counted in no report of
        received dossiers: Decree 61/2018/ND-CP Art. 17, declined at reception)."""
        if d.received_at is None:
            return None
        return cls.build(
            Identity(d.received_at, d.procedure_code, d.procedure_version, d.receiving_agency, d.channel),
            due_at=d.due_at, appointment_at=d.appointment_at, finished_at=d.finished_at, outcome=d.outcome,
            timeliness=d.timeliness, paused_at=None if d.clock is None else d.clock.paused_at,
            worked_minutes=d.worked_minutes, supplement_requests=d.supplement_requests,
            feedback={name: fact(d.feedback, name) for name in _SAID},
        )  # fmt: skip

    @classmethod
    def build(
        cls,
        identity: Identity,
        *,
        due_at: dt.datetime | None,
        appointment_at: dt.datetime | None,
        finished_at: dt.datetime | None,
        outcome: str | None,
        timeliness: str | None,
        paused_at: dt.datetime | None,
        worked_minutes: int | None,
        supplement_requests: int,
        feedback: Mapping[str, Any] | None = None,
    ) -> ReportStatus:
        """The status of a received dossier from the record fields a report reads (`of` reads them
        from a record; stores/tally.statuses_from_trail from an audit trail)."""
        appointment_at = appointment_at or due_at
        kind: StatusKind
        cell: Cell | None
        measure: Measure | None
        if finished_at is not None or outcome is not None:
            kind, outcome = "finished", outcome or "resolved"  # the legal time ended: result ready
            finished = finished_at or identity.received_at  # a final state sets finished_at
            cell = _finished_cell(outcome, timeliness)
            measure = None if appointment_at is None else classify_aware(appointment_at, finished)
        elif paused_at is not None:
            kind, outcome, finished = "paused", None, None
            cell = "paused_within" if due_at is None or paused_at <= due_at else "paused_overdue"
            measure = "within" if appointment_at is None or paused_at <= appointment_at else "overdue"
        else:
            kind, outcome, finished, cell, measure = "running", None, None, None, None
        i, said = identity, feedback or {}
        return cls(
            i.received_at, i.procedure_code, i.procedure_version, i.receiving_agency, i.channel, kind=kind,
            cell=cell, appointment=measure, due_at=due_at, appointment_at=appointment_at,
            finished_at=finished, outcome=outcome,
            worked_minutes=worked_minutes if kind == "finished" else None,
            supplement_requests=supplement_requests,
            electronic_result=said.get("electronic_result") is True,
            paid_online=said.get("paid_online") is True, digitised=said.get("digitised") is True,
            rating=said.get("rating"),
        )  # fmt: skip

    def at_end(self, end: dt.datetime) -> tuple[Cell, Measure]:
        """The column and the appointment measure of this status in a report ending at `end` (the
        rule the SQL stores write as a CASE: stores/sql_tally.py)."""
        cell = self.cell
        if cell is None:
            cell = "within" if self.due_at is None or end <= self.due_at else "overdue"
        measure = self.appointment
        if measure is None:
            measure = "within" if self.appointment_at is None or end <= self.appointment_at else "overdue"
        return cell, measure


def _finished_cell(outcome: str, timeliness: str | None) -> Cell:
    if outcome == "resolved":
        # a resolved dossier is always measured (sla.OUTCOME_RULES); one without a due moment
        # (none computed) is counted on time rather than dropped from the columns
        return "on_time" if timeliness is None else timeliness  # type: ignore[return-value]
    if outcome in ("refused", "withdrawn", "cancelled"):
        return outcome  # type: ignore[return-value]
    return "cancelled"  # an outcome this library does not know ends the dossier without a decision
