"""What the engine derives once — per procedure version (`Compiled`) and per engine (`Setting`) — and
reuses for every act."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.fingerprint import procedure_fingerprint
from tthc_engine.definition.guards import GuardEvaluator
from tthc_engine.definition.model import Action, Extension, Procedure, State, Timer, WarningRule
from tthc_engine.runtime.machine import ProcedureMachine
from tthc_engine.sla import OUTCOME_RULES, OutcomeRule, StartPolicy
from tthc_engine.sla.subdeadlines import SubDeadlines


@attrs.frozen
class InputLimits:
    """How much one call may hand the engine (docs/security.md, "Bounded input"). Every note and
    every piece of data is kept in the record and hashed into the audit chain for as long as the
    dossier lives, and every form, export and verification reads it again: a 10 MiB note would be
    accepted once and paid for forever. The defaults are generous for a reason text and a form's
    fields; long texts belong in documents the note refers to.
    """

    note_chars: int = 10_000
    data_bytes: int = 256 * 1024  # the data given in one call, as canonical JSON (UTF-8)


@attrs.frozen
class EnginePolicy:
    """Engine-wide rules that are data, not code (docs/embedding.md, "Policy").

    - `start`: how receipt becomes the counting start (sla.StartPolicy).
    - `max_reschedules`: Decree 61/2018/ND-CP Art. 19(9) lets the appointment move at most once;
      a province that allows more sets it higher.
    - `sweep_limit`: how many due dossiers one `sweep` call handles at most.
    - `outcomes`: which final outcomes are measured early / on time / late (sla.OUTCOME_RULES:
      resolved and refused are, withdrawn and cancelled are not).
    - `version_at`: which procedure version a dossier is handled under — the one in force on its
      receipt date (default: transitional provisions speak of dossiers received before a date, e.g.
      the 01/07/2025 reform; UNCONFIRMED as a general rule), re-pinned at receipt with the change in
      the receipt's audit entry; or "lodgement": the one in force when it was lodged.
    - `edited_versions`: a dossier whose procedure version was edited in place since it was pinned
      (its content fingerprint differs) is refused ("error", default: publish the change as a new
      version) or handled under the edited text with an EditedProcedureWarning ("warn").
    - `limits`: the largest note and data one call may give (InputLimits).
    - `subdeadlines`: the legal sub-deadlines an act is flagged against (sla/subdeadlines.py: a
      supplement request within 3 working days of receipt, an apology at the latest one working
      day before the due date).
    """

    start: StartPolicy = attrs.field(factory=StartPolicy)
    max_reschedules: int = 1
    sweep_limit: int = 500
    outcomes: Mapping[str, OutcomeRule] = OUTCOME_RULES
    version_at: Literal["receipt", "lodgement"] = "receipt"
    edited_versions: Literal["error", "warn"] = "error"
    subdeadlines: SubDeadlines = attrs.field(factory=SubDeadlines)
    limits: InputLimits = attrs.field(factory=InputLimits)


@attrs.frozen
class Setting:
    """What every act plan reads besides the dossier and its procedure: the working calendar (and
    its digest, named in every audit entry), the engine's policy and its one guard evaluator."""

    calendar: WorkCalendar
    policy: EnginePolicy
    guards: GuardEvaluator

    @property
    def digest(self) -> str:
        return self.calendar.digest


@attrs.frozen
class Compiled:
    """One procedure version, indexed for the act path; its guards compiled by the evaluator."""

    procedure: Procedure
    machine: ProcedureMachine
    states: dict[str, State]
    actions: dict[str, Action]
    timers: dict[str, tuple[Timer, ...]]
    extensions: dict[str, Extension]
    conditional: tuple[Extension, ...]  # the deadline's extensions with a `when` condition
    # Actions the sub-deadline checks watch, recognised by what they do rather than by name: a
    # supplement request enters a paused state that is left by restarting the clock (Decree
    # 61/2018/ND-CP Art. 19(4)); an apology has effect `reschedule` (Art. 19(9)).
    supplement_requests: frozenset[str]
    apologies: frozenset[str]
    fingerprint: str  # of the version's content (definition/fingerprint.py)
    desk_roles: frozenset[str]  # who may record a direct submission: the initial state's actors
    consultations: frozenset[str]  # states marked `consultation: true` (Decree 61/2018 Art. 19(5))
    warnings: tuple[WarningRule, ...]  # the deadline's warning thresholds (deadline.warnings)

    @classmethod
    def build(cls, procedure: Procedure, guards: GuardEvaluator) -> Compiled:
        guards.prepare(procedure)
        timers: dict[str, tuple[Timer, ...]] = {}
        for timer in procedure.timers:
            timers[timer.state] = (*timers.get(timer.state, ()), timer)
        states = {s.id: s for s in procedure.states}
        restarting = {
            source for a in procedure.actions if "restart_clock" in a.effects for source in a.sources
        }
        supplement_requests = frozenset(
            a.name
            for a in procedure.actions
            if a.target in restarting and states[a.target].clock == "paused" and a.target not in a.sources
        )
        return cls(
            procedure=procedure,
            machine=ProcedureMachine(procedure),
            states=states,
            actions={a.name: a for a in procedure.actions},
            timers=timers,
            extensions={e.name: e for e in procedure.deadline.extensions},
            conditional=tuple(e for e in procedure.deadline.extensions if e.when is not None),
            supplement_requests=supplement_requests,
            apologies=frozenset(a.name for a in procedure.actions if "reschedule" in a.effects),
            fingerprint=procedure_fingerprint(procedure),
            consultations=frozenset(s.id for s in procedure.states if s.consultation),
            warnings=procedure.deadline.warnings,
            desk_roles=frozenset().union(
                *(a.roles for a in procedure.actions if procedure.initial in a.sources)
            ),
        )
