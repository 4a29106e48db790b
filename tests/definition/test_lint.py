"""Semantic checks beyond the golden corpus: budget arithmetic, clock restarts, hints, clean fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from definition_helpers import VALID, variant

import tthc_engine as te
from tthc_engine.definition.loader import check_source


def codes(text: str) -> list[str]:
    return [p.code for p in check_source(text, "p.yaml").problems]


def test_valid_fixture_is_clean() -> None:
    """The one-stop fixture has no problem at all, warnings included."""
    assert codes(VALID.read_text(encoding="utf-8")) == []


def budgets(received: dict[str, Any], processing: dict[str, Any], deadline: dict[str, Any]) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["states"][0]["budget"] = received
        d["states"][1]["budget"] = processing
        d["deadline"] = deadline

    return change


@pytest.mark.parametrize(
    ("received", "processing", "deadline", "warned"),
    [
        (
            {"amount": 1, "unit": "working_days"},
            {"amount": 2, "unit": "working_days"},
            {"amount": 3, "unit": "working_days"},
            False,
        ),
        (
            {"amount": 1, "unit": "working_days"},
            {"amount": 17, "unit": "working_hours"},
            {"amount": 3, "unit": "working_days"},
            True,
        ),
        (
            {"amount": 4, "unit": "working_hours"},
            {"amount": 4, "unit": "working_hours"},
            {"amount": 0, "unit": "same_day", "cutoff": "15:00"},
            False,
        ),
        (
            {"amount": 1, "unit": "working_days"},
            {"amount": 7, "unit": "working_days"},
            {"amount": 10, "unit": "calendar_days"},
            True,
        ),
        (
            {"amount": 1, "unit": "working_days"},
            {"amount": 6, "unit": "working_days"},
            {"amount": 10, "unit": "calendar_days"},
            False,
        ),
    ],
    ids=["fits", "hours-over", "same-day-fits", "calendar-days-over", "calendar-days-fits"],
)
def test_budget_units_are_converted(
    received: dict[str, Any], processing: dict[str, Any], deadline: dict[str, Any], warned: bool
) -> None:
    """Budgets in days and hours are compared with the legal time in one unit (8-hour day, 5/7)."""
    assert ("TT309" in codes(variant(budgets(received, processing, deadline)))) is warned


def test_paused_steps_are_excluded() -> None:
    """A budget on a running supplement step counts; the same step with a paused clock does not."""

    def change(d: dict[str, Any]) -> None:
        d["deadline"] = {"amount": 3, "unit": "working_days"}
        d["states"][1]["budget"] = {"amount": 2.5, "unit": "working_days"}
        d["states"][2]["budget"] = {"amount": 2, "unit": "working_days"}  # supplement_requested
        d["states"][2]["clock"] = "runs"

    assert "TT309" in codes(variant(change))  # 0.25 + 2.5 + 2 along received → processing → supplement

    def paused(d: dict[str, Any]) -> None:
        change(d)
        d["states"][2]["clock"] = "paused"

    assert "TT309" not in codes(variant(paused))  # paused time is excluded


def test_not_counted_steps_are_excluded() -> None:
    """A step marked counted: false does not count toward the legal time."""

    def change(d: dict[str, Any]) -> None:
        d["deadline"] = {"amount": 1, "unit": "working_days"}
        d["states"][1]["budget"] = {"amount": 5, "unit": "working_days"}
        d["states"][1]["counted"] = False

    assert "TT309" not in codes(variant(change))


def test_unknown_state_hint() -> None:
    """An unknown state close to a declared one gets a difflib hint."""

    def change(d: dict[str, Any]) -> None:
        d["actions"][0]["to"] = "procesing"

    problems = check_source(variant(change), "p.yaml").problems
    hit = next(p for p in problems if p.code == "TT301")
    assert hit.hint == "did you mean 'processing'?"
    assert hit.json_path == "$.actions[0].to"


def test_extension_without_extend_is_a_warning() -> None:
    """Naming an extension without the extend effect is a warning (TT321), not an error (TT313)."""

    def change(d: dict[str, Any]) -> None:
        d["deadline"]["extensions"] = [
            {"name": "verification", "duration": {"amount": 5, "unit": "working_days"}}
        ]
        d["actions"][0]["extension"] = "verification"

    problems = check_source(variant(change), "p.yaml").problems
    assert [(p.code, p.severity) for p in problems] == [("TT321", "warning")]


def test_lint_works_without_source_map() -> None:
    """lint_procedure runs on a Procedure built in code (positions default, no crash)."""
    proc = te.load_procedure(VALID)
    assert te.definition.lint_procedure(proc) == []


def test_issues_form_must_name_a_declared_form() -> None:
    """TT322: the form an action issues is one the procedure declares under `forms:` (hint: the
    closest declared code, or the one-stop form of Circular 01/2018/TT-VPCP Art. 9 to declare)."""
    golden = Path(__file__).resolve().parent / "golden" / "TT322-undeclared-form.yaml"
    source = golden.read_text(encoding="utf-8")
    [problem] = check_source(source, "p.yaml").problems
    assert (problem.code, problem.severity, problem.json_path) == (
        "TT322",
        "warning",
        "$.actions[0].issues_form",
    )
    assert "'1'" in problem.message and "finish" in problem.message
    assert problem.hint == "did you mean '01'?"
    [problem] = check_source(source.replace('issues_form: "1"', 'issues_form: "02"'), "p.yaml").problems
    assert problem.hint == (
        'declare it under forms: {code: "02", name: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", '
        "source: Thông tư 01/2018/TT-VPCP}"
    )
    assert check_source(source.replace('issues_form: "1"', 'issues_form: "01"'), "p.yaml").problems == ()
    assert te.parse_procedure(source).actions[0].issues_form == "1"  # a warning: it still loads
