"""The ONE adapter between the engine and the `transitions` library.

A Machine is built once per procedure version and reused for every dossier of that version
(DESIGN.md: a Machine per dossier costs ~120 µs, add_model ~80 µs, a trigger ~8 µs). transitions
owns what it is good at — the declared states, the triggers allowed from each state and the target
of a trigger. The dossier's state lives in the store, so a firing sets the state of one lightweight
model object and triggers the event on it; a lock makes that pair atomic across threads.
"""

from __future__ import annotations

import threading

from transitions import Machine, MachineError

from tthc_engine.definition.model import Procedure


class _Model:
    """The object transitions moves between states; `state` is set from the dossier before firing."""

    state: str


class ProcedureMachine:
    """The state machine of one procedure version."""

    __slots__ = ("_events", "_lock", "_machine", "_model", "allowed", "procedure_key")

    def __init__(self, procedure: Procedure) -> None:
        self.procedure_key = procedure.key
        self._model = _Model()
        self._machine = Machine(
            model=self._model,
            states=[s.id for s in procedure.states],
            transitions=[
                {"trigger": a.name, "source": list(a.sources), "dest": a.target} for a in procedure.actions
            ],
            initial=procedure.initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            send_event=False,
        )
        self._events = self._machine.events
        self._lock = threading.Lock()
        # The triggers allowed from each state, in declaration order (for errors and available_actions).
        order = {a.name: i for i, a in enumerate(procedure.actions)}
        self.allowed: dict[str, tuple[str, ...]] = {
            s.id: tuple(sorted(self._machine.get_triggers(s.id), key=order.__getitem__))
            for s in procedure.states
        }

    def fire(self, state: str, action: str) -> str | None:
        """The state after `action` from `state`, or None when transitions refuses it there."""
        event = self._events.get(action)
        if event is None:
            return None
        with self._lock:
            model = self._model
            model.state = state
            try:
                event.trigger(model)
            except MachineError:
                return None
            return model.state
