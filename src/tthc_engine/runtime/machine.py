"""The ONE adapter between the engine and the `transitions` library.

A Machine is built once per procedure version and reused for every dossier of that version (a
Machine per dossier costs ~120 µs, add_model ~80 µs). transitions owns what it is good at — the
declared states, the triggers allowed from each state and the target of each trigger — and it owns
it at build time: the Machine validates the declared states and transitions, and this adapter reads
its transition table once into `allowed` and `targets`. An act then looks its target up instead of
triggering the event: the dossier's state lives in the store, not in a model object, and a trigger
would mean setting a shared model's state under a process-wide lock (every act of every thread
serialised on it) and ~13 µs of transitions' event dispatch to learn a target that the table
already holds. The procedures declare no transition conditions or callbacks (guards are the
engine's, definition/guards.py), so the table is exactly what a trigger computes;
tests/runtime/test_machine.py fires every (state, action) pair of the shipped catalog through
transitions and checks it against the table.
"""

from __future__ import annotations

from transitions import Machine

from tthc_engine.definition.model import Procedure


class _Model:
    """The object transitions would move between states (only used to build the Machine)."""

    state: str


def build_machine(procedure: Procedure) -> tuple[Machine, _Model]:
    """The transitions Machine of a procedure version, on a model of its own."""
    model = _Model()
    machine = Machine(
        model=model,
        states=[s.id for s in procedure.states],
        transitions=[
            {"trigger": a.name, "source": list(a.sources), "dest": a.target} for a in procedure.actions
        ],
        initial=procedure.initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
        send_event=False,
    )
    return machine, model


class ProcedureMachine:
    """The state machine of one procedure version, as transitions built it: read-only, thread-safe."""

    __slots__ = ("allowed", "procedure_key", "targets")

    def __init__(self, procedure: Procedure) -> None:
        self.procedure_key = procedure.key
        machine, _model = build_machine(procedure)
        # The triggers allowed from each state, in declaration order (for errors and available_actions).
        order = {a.name: i for i, a in enumerate(procedure.actions)}
        self.allowed: dict[str, tuple[str, ...]] = {
            s.id: tuple(sorted(machine.get_triggers(s.id), key=order.__getitem__)) for s in procedure.states
        }
        # (state, trigger) -> target, from the Machine's own events (the first transition of a
        # trigger from a state is the one a trigger takes: none carries a condition).
        self.targets: dict[tuple[str, str], str] = {
            (source, name): transitions[0].dest
            for name, event in machine.events.items()
            for source, transitions in event.transitions.items()
            if transitions and transitions[0].dest is not None
        }

    def fire(self, state: str, action: str) -> str | None:
        """The state after `action` from `state`, or None when the machine refuses it there."""
        return self.targets.get((state, action))
