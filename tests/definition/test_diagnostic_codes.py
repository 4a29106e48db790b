"""One registry of codes: every code written in src/ is registered, and severities come only from it.

The source is read with `ast`, so a code counts when it is a string literal anywhere in src/ (a
check's call, a FileKind table), not when a comment or a docstring mentions it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_engine.diagnostics import CODES, OVERLAY_FILE, PROCEDURE_FILE, Collector, SourceMap, lookup

SRC = Path(__file__).resolve().parents[2] / "src" / "tthc_engine"
REGISTRY = SRC / "diagnostics" / "codes.py"
COLLECTOR = SRC / "diagnostics" / "collector.py"
CODE = re.compile(r"^T[TCS]\d{3}$")
RETIRED: set[str] = set()  # codes kept in the registry (and the docs) that no check emits any more


def _trees() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _emitted() -> dict[str, list[str]]:
    """Code → the places (file:line) outside the registry where it is written as a string literal."""
    found: dict[str, list[str]] = {}
    for path, tree in _trees():
        if path == REGISTRY:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                found.setdefault(node.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_emitted_code_is_registered() -> None:
    """A code literal in src/ that the registry lacks would raise KeyError when the check fires."""
    unknown = {code: where for code, where in _emitted().items() if code not in CODES}
    assert unknown == {}


def test_every_registered_code_is_emitted() -> None:
    """No registered code is dead (a retired one must be listed in RETIRED)."""
    assert set(CODES) - set(_emitted()) == RETIRED


def test_reader_kinds_use_registered_codes_of_their_family() -> None:
    """The reader reports TT0xx for procedures, TC1xx for overlays, TS0xx for scenarios, once per kind."""
    from tthc_engine.scenarios import SCENARIO_FILE

    for kind, family in ((PROCEDURE_FILE, "TT0"), (OVERLAY_FILE, "TC1"), (SCENARIO_FILE, "TS0")):
        codes = kind.codes()
        assert len(set(codes)) == len(codes)
        assert all(c.startswith(family) and c in CODES for c in codes), codes


def test_no_call_site_passes_a_severity() -> None:
    """Only the registry says "error" or "warning"; only the collector builds a Problem."""
    offences = []
    for path, tree in _trees():
        where = path.relative_to(SRC)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name == "Problem" and path != COLLECTOR:
                offences.append(f"{where}:{node.lineno}: builds a Problem (use Collector.report)")
            if any(k.arg == "severity" for k in node.keywords):
                offences.append(f"{where}:{node.lineno}: passes severity=")
            literal = [
                a for a in node.args if isinstance(a, ast.Constant) and a.value in ("error", "warning")
            ]
            if literal and path != REGISTRY:
                offences.append(f"{where}:{node.lineno}: passes the severity {literal[0].value!r}")
    assert offences == []


def test_an_unregistered_code_is_a_programming_error() -> None:
    """Reporting a code the registry lacks fails at once, naming the code and where to register it."""
    collector = Collector("t.yaml", SourceMap())
    with pytest.raises(KeyError, match=r"TT999.*diagnostics/codes\.py"):
        collector.report(("states", 0), "TT999", "no such check")
    assert collector.problems == []
    with pytest.raises(KeyError, match="TC999"):
        lookup("TC999")


def test_severity_and_position_come_from_the_registry_and_the_map() -> None:
    """report() looks up the severity and the position; the path is kept and rendered once."""
    smap = SourceMap(values={("roles", 1): (7, 5)})
    collector = Collector("p.yaml", smap)
    collector.report(("roles", 1, "label"), "TT307", "role 'x' may take no action", "remove it")
    (problem,) = collector.problems
    assert (problem.severity, problem.line, problem.column) == ("warning", 7, 5)
    assert (problem.where, problem.json_path) == (("roles", 1, "label"), "$.roles[1].label")
    assert problem.as_dict() == {
        "path": "p.yaml",
        "line": 7,
        "column": 5,
        "code": "TT307",
        "message": "role 'x' may take no action",
        "severity": "warning",
        "json_path": "$.roles[1].label",
        "hint": "remove it",
    }
    assert problem.format() == "p.yaml:7:5: TT307 role 'x' may take no action (hint: remove it)"
