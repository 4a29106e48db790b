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
        # a path to the result through the supplement step (only resolved paths are summed)
        d["actions"].append(
            {"name": "approve_supplemented", "from": "supplement_requested", "to": "result_ready",
             "roles": ["civil_status_officer"]}
        )  # fmt: skip

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


def tt309(change: Any) -> list[te.Problem]:
    return [p for p in check_source(variant(change), "p.yaml").problems if p.code in ("TT309", "TT323")]


def over_budget(d: dict[str, Any]) -> None:
    """1 + 5 working days of counted budgets against 3 working days (same day in the fixture)."""
    d["deadline"] = {"amount": 3, "unit": "working_days"}
    d["states"][0]["budget"] = {"amount": 1, "unit": "working_days"}
    d["states"][1]["budget"] = {"amount": 5, "unit": "working_days"}


def test_budget_path_ends_in_a_resolved_outcome() -> None:
    """The path named is the one to the result (returned), never one ending in withdrawn or refused."""
    [problem] = tt309(over_budget)
    assert "received → processing → result_ready → returned" in problem.message
    assert "withdrawn" not in problem.message


def test_an_optional_extension_does_not_hide_the_budgets() -> None:
    """Extensions apply only when their condition holds: the ordinary path must fit without them."""

    def change(d: dict[str, Any]) -> None:
        over_budget(d)
        d["deadline"]["extensions"] = [
            {"name": "verification", "duration": {"amount": 5, "unit": "working_days"}}
        ]
        d["actions"].append(
            {"name": "verify", "from": "processing", "to": "processing", "roles": ["civil_status_officer"],
             "effects": ["extend"], "extension": "verification"}
        )  # fmt: skip

    [problem] = tt309(change)
    assert (problem.code, problem.severity) == ("TT309", "warning")
    assert "6 working days, more than the legal time (3 working days" in problem.message
    assert "without extensions" in problem.message


def test_paths_that_never_resolve_are_not_summed() -> None:
    """A long step only on the way to withdrawal or cancellation is not over the legal time."""

    def change(d: dict[str, Any]) -> None:
        d["deadline"] = {"amount": 3, "unit": "working_days"}
        d["states"][2]["clock"] = "runs"
        d["states"][2]["budget"] = {"amount": 10, "unit": "working_days"}  # supplement → closed only

    assert tt309(change) == []


def test_calendar_day_deadline_shows_the_conversion() -> None:
    def change(d: dict[str, Any]) -> None:
        over_budget(d)
        d["deadline"] = {"amount": 7, "unit": "calendar_days"}

    [problem] = tt309(change)
    assert "more than the legal time (7 calendar days = 5 working days at 5 working days a week)" in (
        problem.message
    ), problem.message


def test_working_hour_budgets_show_their_sum_in_hours_too() -> None:
    def change(d: dict[str, Any]) -> None:
        over_budget(d)
        d["deadline"] = {"amount": 16, "unit": "working_hours"}

    [problem] = tt309(change)
    assert "48 working hours" in problem.message and "(16 working hours)" in problem.message


def test_statutory_budget_over_the_legal_time_is_an_error() -> None:
    """A budget the law sets (statutory: true) cannot be shortened by the author: TT323, an error."""

    def change(d: dict[str, Any]) -> None:
        over_budget(d)
        d["states"][1]["budget"]["statutory"] = True

    [problem] = tt309(change)
    assert (problem.code, problem.severity) == ("TT323", "error")
    assert "processing (5 working days)" in problem.message
    with pytest.raises(te.ProcedureError):
        te.parse_procedure(variant(change))
    statutory = {"amount": 0.5, "unit": "working_days", "statutory": True}
    proc = te.parse_procedure(variant(lambda d: d["states"][1].update(budget=statutory)))
    assert proc.state("processing").budget_statutory is True
    assert proc.state("received").budget_statutory is False
