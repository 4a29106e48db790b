"""`public_status` against the state's meaning (TT324 outcome, TT325 clock), and the status list.

The status list of Circular 22/2019/TT-BTTTT is defined once, `tthc_engine.PUBLIC_STATUSES`
(definition/model.py); the schema's description and the docs' tables say the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from definition_helpers import variant

import tthc_engine as te
from tthc_engine import PUBLIC_STATUSES
from tthc_engine.definition import check_source
from tthc_engine.definition.schema_check import load_schema

ROOT = Path(__file__).resolve().parents[2]
# the fixture's states: 0 received, 1 processing, 2 supplement_requested, 3 result_ready, 4 returned,
# 5 refused, 6 withdrawn, 7 closed


def problems(change: Any) -> list[tuple[str, str, str]]:
    return [
        (p.code, p.severity, p.json_path)
        for p in check_source(variant(change), "p.yaml").problems
        if p.code in ("TT324", "TT325")
    ]


def status(index: int, value: int, **more: Any) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["states"][index]["public_status"] = value
        d["states"][index].update(more)

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a final state shown as still in progress
        (status(4, 4), ("TT324", "$.states[4].public_status")),
        (status(6, 9), ("TT324", "$.states[6].public_status")),
        # a non-final state shown with a final outcome
        (status(1, 10), ("TT324", "$.states[1].public_status")),
        (status(1, 8), ("TT324", "$.states[1].public_status")),
        # a final status of the wrong outcome
        (status(4, 8), ("TT324", "$.states[4].public_status")),  # resolved shown as stopped
        (status(6, 10), ("TT324", "$.states[6].public_status")),  # withdrawn shown as returned
        # the supplement pause, result ready, before receipt
        (status(2, 5, clock="runs"), ("TT325", "$.states[2].clock")),
        (status(3, 9, clock="runs"), ("TT325", "$.states[3].clock")),
        (status(3, 4), ("TT325", "$.states[3].public_status")),  # stopped, not final: result ready is 9
        (status(0, 1), ("TT325", "$.states[0].public_status")),  # submitted, but the clock runs
    ],
    ids=[
        "final-in-progress",
        "withdrawn-as-result-ready",
        "processing-as-returned",
        "processing-as-stopped",
        "resolved-as-stopped",
        "withdrawn-as-returned",
        "supplement-clock-runs",
        "result-ready-clock-runs",
        "stopped-not-shown-as-result-ready",
        "submitted-clock-runs",
    ],
)
def test_status_contradicting_the_state_is_a_warning(change: Any, expected: tuple[str, str]) -> None:
    code, where = expected
    assert problems(change) == [(code, "warning", where)]


def test_message_and_hint_name_the_status_and_the_fix() -> None:
    [problem] = [p for p in check_source(variant(status(4, 4)), "p.yaml").problems if p.code == "TT324"]
    assert "state 'returned'" in problem.message and "outcome 'resolved'" in problem.message
    assert "4 (Đang xử lý / processing)" in problem.message
    assert problem.hint == "write public_status: 10 (Đã trả kết quả / result returned)"


@pytest.mark.parametrize(
    "change",
    [
        status(7, 3),  # a closed (cancelled) dossier: not received, or stopped
        status(5, 3),  # refused at reception: not received
        status(1, 4, clock="paused"),  # processing, excluded time (public posting)
        status(2, 6),  # financial obligation, paused
    ],
    ids=[
        "cancelled-not-received",
        "refused-not-received",
        "processing-paused",
        "financial-obligation-paused",
    ],
)
def test_consistent_statuses_are_clean(change: Any) -> None:
    assert problems(change) == []


def test_shipped_catalog_is_consistent() -> None:
    report = te.validate_paths([ROOT / "procedures", ROOT / "examples"])
    assert [p.format() for p in report.problems if p.code in ("TT324", "TT325")] == []


def test_the_status_list_is_defined_once_and_the_schema_and_docs_say_it() -> None:
    assert sorted(PUBLIC_STATUSES) == list(range(1, 11))
    schema = load_schema()
    state = schema["properties"]["states"]["items"]["properties"]["public_status"]
    assert (state["minimum"], state["maximum"]) == (1, 10)
    for code, entry in PUBLIC_STATUSES.items():
        assert f"{code} {entry.label.vi.lower()}" in state["description"].lower(), code
        assert f"{code} {entry.label.en}" in state["description"], code
    table = (ROOT / "docs" / "procedure-yaml.md").read_text(encoding="utf-8")
    row = re.search(r"^\| `public_status` \|.*$", table, re.M)
    assert row is not None
    for code, entry in PUBLIC_STATUSES.items():
        assert f"{code} {entry.label.en}" in row.group(0), code


def test_a_state_in_which_nobody_may_act_is_final() -> None:
    """No action (so no timer) leaves it: it must have an outcome (TT304, an error); a final state
    is one nobody may act in (TT312 for actions leaving it, TT311 for a timer on it)."""

    def stuck(d: dict[str, Any]) -> None:
        d["actions"] = [a for a in d["actions"] if a["name"] != "hand_over"]

    found = [(p.code, p.severity) for p in check_source(variant(stuck), "p.yaml").problems]
    assert ("TT304", "error") in found

    def timer_on_final(d: dict[str, Any]) -> None:
        d["timers"] = [
            {"state": "returned", "after": {"amount": 1, "unit": "working_days"}, "action": "hand_over"}
        ]

    found = [(p.code, p.severity) for p in check_source(variant(timer_on_final), "p.yaml").problems]
    assert found == [("TT311", "error")]
