"""The golden corpus: one invalid case per diagnostic code, with the diagnostics it must produce.

Each case in tests/definition/golden/ is a YAML file (or a folder, for catalog-level codes) named
after its code, with a sibling `.expected` file: optional `# option: value` lines (max_bytes,
predicates) and one `file:line:column: CODE severity` line per expected problem. The comparison is
exact, so a case proves both that its code fires and that nothing else does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_engine.definition.catalog import validate_paths
from tthc_engine.definition.loader import check_file
from tthc_engine.diagnostics import CODES
from tthc_engine.errors import Problem

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.suffix != ".expected")


def read_expected(case: Path) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    lines: list[str] = []
    for line in case.with_name(case.name.removesuffix(".yaml") + ".expected").read_text("utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            options[key.strip()] = value.strip()
        elif line.strip():
            lines.append(line.strip())
    return options, lines


def actual(case: Path, options: dict[str, str]) -> list[str]:
    max_bytes = int(options.get("max_bytes", 1024 * 1024))
    predicates = None
    if "predicates" in options:
        predicates = {n.strip() for n in options["predicates"].split(",")}
    problems: tuple[Problem, ...]
    if case.is_dir() and case.suffix != ".yaml":  # a catalog case: several files
        problems = validate_paths([case], predicates=predicates, max_bytes=max_bytes).problems
    else:
        problems = check_file(case, max_bytes=max_bytes, predicates=predicates).problems
    base = case if case.is_dir() and case.suffix != ".yaml" else case.parent
    return sorted(
        f"{Path(p.path).relative_to(base).as_posix()}:{p.line}:{p.column}: {p.code} {p.severity}"
        for p in problems
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path) -> None:
    """The case produces exactly the expected diagnostics."""
    options, expected = read_expected(case)
    assert actual(case, options) == sorted(expected)


def test_every_code_has_a_golden_case() -> None:
    """Each procedure code (TTxxx) is exercised by a case named after it, and each case's code exists.

    Calendar overlay codes (TCxxx) have their cases in tests/calendar/test_overlays_yaml.py."""
    covered = {c.name[:5] for c in CASES}
    assert covered == {code for code in CODES if code.startswith("TT")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_expects_its_own_code(case: Path) -> None:
    """A case named TTxxx expects at least one TTxxx diagnostic (no mislabelled cases)."""
    _, expected = read_expected(case)
    assert any(f" {case.name[:5]} " in line for line in expected)
