"""The transition table the engine reads is exactly what a `transitions` trigger computes.

runtime/machine.py reads (state, action) -> target from the transitions Machine once instead of
triggering an event on every act; this test fires every pair of every shipped procedure version
(and the test procedure) through transitions and compares.
"""

from __future__ import annotations

from pathlib import Path

from factories import catalog
from transitions import MachineError

import tthc_engine as te
from tthc_engine.runtime.machine import ProcedureMachine, build_machine


def _procedures(procedures_dir: Path) -> list[te.Procedure]:
    return [*te.Catalog.load(procedures_dir), *catalog()]


def test_table_equals_transitions_triggers(procedures_dir: Path) -> None:
    checked = 0
    for proc in _procedures(procedures_dir):
        table = ProcedureMachine(proc)
        _machine, model = build_machine(proc)
        for state in (s.id for s in proc.states):
            for action in (a.name for a in proc.actions):
                model.state = state
                try:
                    model.trigger(action)
                    expected: str | None = model.state
                except MachineError:
                    expected = None
                assert table.fire(state, action) == expected, (proc.key, state, action)
                assert (action in table.allowed[state]) == (expected is not None), (proc.key, state, action)
                checked += 1
    assert checked > 100  # every shipped procedure took part


def test_unknown_action_or_state_is_refused(procedures_dir: Path) -> None:
    proc = next(iter(te.Catalog.load(procedures_dir)))
    table = ProcedureMachine(proc)
    assert table.fire(proc.initial, "no_such_action") is None
    assert table.fire("no_such_state", proc.actions[0].name) is None
