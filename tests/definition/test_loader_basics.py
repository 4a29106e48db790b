"""load_procedure / parse_procedure: the valid fixture builds the model; bad files raise ProcedureError."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from definition_helpers import VALID, variant

import tthc_engine as te


def test_valid_fixture_builds_the_model() -> None:
    """The fixture loads with its identity, roles, states, actions and deadline."""
    proc = te.load_procedure(VALID)
    assert proc.key == ("1.001193", "2025.07")
    assert proc.name.en == "Birth registration"
    assert proc.effective_from == dt.date(2025, 7, 1)
    assert "reception" in proc.roles
    assert proc.state("returned").final and proc.state("returned").outcome == "resolved"
    assert proc.action("refuse").sources == ("received", "processing")
    assert proc.deadline.cutoff == dt.time(15, 0)
    assert proc.timers[0].after == te.Duration(15.0, "working_days")
    assert proc.source == str(VALID)


def test_missing_file_is_a_procedure_error(tmp_path: Path) -> None:
    """A path that does not exist raises ProcedureError with TT001, not OSError."""
    with pytest.raises(te.ProcedureError) as info:
        te.load_procedure(tmp_path / "nope.yaml")
    assert [p.code for p in info.value.problems] == ["TT001"]


def test_all_problems_are_reported() -> None:
    """Two independent schema errors are both reported, each with its own position."""

    def change(d: dict[str, object]) -> None:
        d["level"] = "comune"
        d["colour"] = "red"

    with pytest.raises(te.ProcedureError) as info:
        te.parse_procedure(variant(change), "p.yaml")
    codes = sorted(p.code for p in info.value.problems)
    assert codes == ["TT102", "TT104"]
    level = next(p for p in info.value.problems if p.code == "TT104")
    assert level.hint == "did you mean 'commune'?"
    assert level.json_path == "$.level"
    assert level.line > 1
