"""Inputs that must be refused with a clear error, never crash or hang (issue "Hardening"): data
nested too deep, lone surrogates, integers too long to round-trip, moments outside what the calendar
knows. Each is refused before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.runtime.compiled import InputLimits
from tthc_engine.runtime.values import MAX_DEPTH, json_data

DESK = te.Actor("desk-1", {"reception"})
TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def engine(procedures_dir: Path) -> te.Engine:
    return te.Engine(te.Catalog.load(procedures_dir))


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = {"k": value}
    return value


def test_data_nested_deeper_than_the_limit_is_refused(engine: te.Engine) -> None:
    json_data(_nested(MAX_DEPTH - 1))  # fine
    for depth in (MAX_DEPTH + 1, 985, 5000):
        with pytest.raises(te.DataError, match="levels deep"):
            engine.submit("1.001612", actor=DESK, at=AT, data={"deep": _nested(depth)})


def test_lone_surrogates_are_refused(engine: te.Engine) -> None:
    with pytest.raises(te.DataError, match="surrogate"):
        engine.submit("1.001612", actor=DESK, at=AT, data={"name": "Ho\ud800"})
    with pytest.raises(te.DataError, match="surrogate"):
        engine.submit("1.001612", actor=DESK, at=AT, data={"bad\udfff": 1})


def test_integers_beyond_json_safe_precision_are_refused(engine: te.Engine) -> None:
    json_data(2**53)  # the largest an IEEE double holds exactly: fine
    with pytest.raises(te.DataError, match="digits"):
        engine.submit("1.001612", actor=DESK, at=AT, data={"n": 10**5000})
    with pytest.raises(te.DataError, match="as a string"):
        engine.submit("1.001612", actor=DESK, at=AT, data={"n": 10**20})


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59+07:00",
                                  "1990-01-01T08:00:00+07:00", "2150-01-01T08:00:00+07:00"])  # fmt: skip
def test_moments_outside_the_calendar_range_are_refused(engine: te.Engine, text: str) -> None:
    with pytest.raises(te.DataError, match="1995"):
        engine.submit("1.001612", actor=DESK, at=text, data={})


def test_out_of_range_offsets_are_a_data_error(engine: te.Engine) -> None:
    with pytest.raises(te.DataError):
        engine.submit("1.001612", actor=DESK, at="2025-08-04T09:00:00+25:00", data={})


@pytest.mark.parametrize("literal", ["0x" + "f" * 4400, "9" * 5000, str(2**53 + 1)])
def test_huge_integer_literals_in_a_procedure_are_a_positioned_problem(
    literal: str, procedures_dir: Path, tmp_path: Path
) -> None:
    text = (procedures_dir / "ho-kinh-doanh/1.001612-dang-ky-thanh-lap-ho-kinh-doanh.yaml").read_text("utf-8")
    path = tmp_path / "big.yaml"
    path.write_text(text.replace("  amount: 3\n", f"  amount: {literal}\n", 1), encoding="utf-8")
    with pytest.raises(te.ProcedureError, match="TT010") as info:
        te.load_procedure(path)
    assert any(p.code == "TT010" and p.line > 1 for p in info.value.errors)


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [("^(a+)+$", True), ("(x+x+)+y", True), ("^([a-z]+)*$", True), ("(a|)*", True),
     ("^[0-9]{12}$", False), ("^(ab|cd)+$", False), (r"^\d+(\.\d+)?$", False), ("^[A-Z]{2}[0-9]+$", False)],
)  # fmt: skip
def test_catastrophic_guard_patterns_are_refused_at_validation(pattern: str, risky: bool) -> None:
    """`^(a+)+$` on 33 characters took seconds inside `act`; such a pattern is now TT327 at load."""
    from tthc_engine.definition.regex_safety import backtracking_risk

    assert (backtracking_risk(pattern) is not None) is risky


def test_notes_and_data_past_the_limits_are_refused_and_nothing_is_written(procedures_dir: Path) -> None:
    """10 MiB notes and data were accepted and then carried by every record, form and export."""
    engine = te.Engine(
        te.Catalog.load(procedures_dir),
        policy=te.EnginePolicy(limits=InputLimits(note_chars=50, data_bytes=200)),
    )
    desk = te.Actor("desk-1", {"reception"})
    at = "2025-08-04T09:00:00+07:00"
    with pytest.raises(te.DataError, match="bytes as JSON"):
        engine.submit("1.001612", actor=desk, at=at, data={"household_name": "x" * 300})
    d = engine.submit("1.001612", actor=desk, at=at, data={"household_name": "Hộ A"})
    with pytest.raises(te.DataError, match="more than the 50"):
        engine.act(d.id, "decline", actor=desk, at=at, note="n" * 51)
    assert engine.get(d.id).version == d.version
    engine.act(d.id, "decline", actor=desk, at=at, note="n" * 50)  # at the limit: accepted
