"""Registered predicates reach every place a guard is read: actions and deadline extensions."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from factories import DESK, at, procedure

import tthc_engine as te
from tthc_engine.definition.model import Duration, Extension, Guard


def _remote_procedure() -> te.Procedure:
    """The test procedure whose deadline gains 2 working days when the host says `is_remote`."""
    proc = procedure()
    remote = Extension("remote", Duration(2, "working_days"), when=Guard(predicate="is_remote"))
    return attrs.evolve(
        proc, deadline=attrs.evolve(proc.deadline, extensions=(*proc.deadline.extensions, remote))
    )


def _engine(calendar: te.WorkCalendar, is_remote: Any) -> te.Engine:
    catalog = te.Catalog((_remote_procedure(),), predicates={"documents_checked", "is_remote"})
    guards = {"documents_checked": lambda d: True, "is_remote": is_remote}
    return te.Engine(catalog, calendar=calendar, guards=guards)


def test_a_predicate_guarded_extension_is_applied_at_receipt(calendar: te.WorkCalendar) -> None:
    """Regression: the extension's predicate, registered on the Engine, decides at receipt (it was
    never consulted, so a remote dossier got the short deadline)."""
    far = _engine(calendar, lambda d: bool(d.get("far")))
    d = far.submit("9.999001", actor=DESK, at=at("2025-08-04 09:00"), data={"far": True})
    d = far.act(d.id, "accept", actor=DESK, at=at("2025-08-04 09:00"))
    near = far.submit("9.999001", actor=DESK, at=at("2025-08-04 09:00"), data={"far": False})
    near = far.act(near.id, "accept", actor=DESK, at=at("2025-08-04 09:00"))
    assert near.due_at == at("2025-08-07 17:00")  # 3 working days
    assert d.due_at == at("2025-08-11 17:00")  # + 2 working days
    assert d.clock is not None and d.clock.extensions == ("remote",)


def test_an_unregistered_extension_predicate_is_refused_when_the_engine_is_built(
    calendar: te.WorkCalendar,
) -> None:
    """Naming a predicate nobody registered fails at Engine(...), naming the extension."""
    catalog = te.Catalog((_remote_procedure(),), predicates={"documents_checked", "is_remote"})
    with pytest.raises(te.ConfigurationError, match="extension 'remote': predicate 'is_remote'"):
        te.Engine(catalog, calendar=calendar, guards={"documents_checked": lambda d: True})
