"""Fees in VND are whole numbers: `75.000` written the Vietnamese way is refused with the fix.

YAML reads `75.000` as the decimal 75.0 and `1.500.000` as text; neither may load as a fee of 75 or
1.5 đồng. The hint gives the amount written without thousands separators, computed from the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_engine import ProcedureError, parse_procedure
from tthc_engine.definition import check_source, validate_paths

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (Path(__file__).resolve().parent / "fixtures" / "block_style.yaml").read_text(encoding="utf-8")


def with_fee(amount: str) -> str:
    old = "result: [Giấy xác nhận]\n"
    assert SOURCE.count(old) == 1
    return SOURCE.replace(old, old + f"fees:\n  - kind: le_phi\n    name: Lệ phí\n    amount_vnd: {amount}\n")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("75.000", "write 75000"),
        ("1.500.000", "write 1500000"),
        ('"1.500.000"', "write 1500000"),
        ("75,000", "write 75000"),
        ("75000.0", "write 75000"),
        ("75.5", "write a whole number of đồng"),
    ],
)
def test_non_integer_amount_is_refused_with_the_fix(written: str, hint: str) -> None:
    result = check_source(with_fee(written), "p.yaml")
    assert result.procedure is None
    [problem] = result.problems
    assert (problem.code, problem.severity, problem.line) == ("TT103", "error", 21)
    assert "amount_vnd" in problem.message and "whole number" in problem.message
    assert problem.hint is not None and problem.hint.startswith(hint), problem.hint
    with pytest.raises(ProcedureError):
        parse_procedure(with_fee(written))


@pytest.mark.parametrize(("written", "amount"), [("75000", 75000), ("0", 0), ("null", None)])
def test_integer_amounts_load(written: str, amount: int | None) -> None:
    [fee] = parse_procedure(with_fee(written)).fees
    assert fee.amount_vnd == amount
    assert fee.amount_vnd is None or type(fee.amount_vnd) is int


def test_shipped_procedures_and_examples_stay_valid() -> None:
    report = validate_paths([ROOT / "procedures", ROOT / "examples"])
    assert report.errors == ()
    for proc in report.procedures:
        for fee in proc.fees:
            assert fee.amount_vnd is None or type(fee.amount_vnd) is int
