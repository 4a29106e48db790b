"""Everything the engine derives once per procedure version and reuses for every dossier."""

from __future__ import annotations

import attrs

from tthc_engine.definition.model import Action, Extension, Procedure, State, Timer
from tthc_engine.runtime.machine import ProcedureMachine
from tthc_engine.sla import StartPolicy


@attrs.frozen
class EnginePolicy:
    """Engine-wide rules that are data, not code (docs/embedding.md, "Policy").

    - `start`: how receipt becomes the counting start (sla.StartPolicy).
    - `max_reschedules`: Decree 61/2018/ND-CP Art. 19(9) lets the appointment move at most once;
      a province that allows more sets it higher.
    - `sweep_limit`: how many due dossiers one `sweep` call handles at most.
    """

    start: StartPolicy = attrs.field(factory=StartPolicy)
    max_reschedules: int = 1
    sweep_limit: int = 500


@attrs.frozen
class Compiled:
    procedure: Procedure
    machine: ProcedureMachine
    states: dict[str, State]
    actions: dict[str, Action]
    timers: dict[str, tuple[Timer, ...]]
    extensions: dict[str, Extension]

    @classmethod
    def build(cls, procedure: Procedure) -> Compiled:
        timers: dict[str, tuple[Timer, ...]] = {}
        for timer in procedure.timers:
            timers[timer.state] = (*timers.get(timer.state, ()), timer)
        return cls(
            procedure=procedure,
            machine=ProcedureMachine(procedure),
            states={s.id: s for s in procedure.states},
            actions={a.name: a for a in procedure.actions},
            timers=timers,
            extensions={e.name: e for e in procedure.deadline.extensions},
        )
