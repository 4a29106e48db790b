"""The repository's own scenario files (scenarios/) run clean, and every shipped procedure has some."""

from __future__ import annotations

from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.scenarios import SCENARIO_SUFFIX, read_scenarios, run_file

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").rglob(f"*{SCENARIO_SUFFIX}"))


@pytest.fixture(scope="module")
def catalog() -> te.Catalog:
    return te.Catalog.load(ROOT / "procedures")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_scenario_file_runs_clean(path: Path, catalog: te.Catalog) -> None:
    sf = read_scenarios(path)
    assert [p.format() for p in sf.problems] == []
    problems = [p.format() for r in run_file(sf, catalog) for p in r.problems]
    assert problems == []


def test_every_shipped_procedure_has_scenarios(catalog: te.Catalog) -> None:
    """One scenario file per shipped code, in the folder named like the procedure's folder."""
    covered = {read_scenarios(p).procedure: p.parent.name for p in FILES}
    for proc in catalog:
        assert proc.code in covered, f"{proc.code} has no scenario file under scenarios/"
        assert Path(proc.source or "").parent.name == covered[proc.code]


def test_every_shipped_version_is_reached_by_a_story(catalog: te.Catalog) -> None:
    """Every (code, version) is the version some story's `expect: {version: ...}` or dates pin."""
    import re

    text = "\n".join(p.read_text(encoding="utf-8") for p in FILES)
    for proc in catalog:
        assert re.search(rf'version: "{re.escape(proc.version)}"', text), proc.key


def test_the_calendar_turning_points_are_covered() -> None:
    """Stories cross Tết 2025 (27-31/01) and Tết 2026 (16-20/02), and the 01/07/2025 reform."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in FILES)
    assert "2025-01-24" in text and "2026-02-13" in text
    assert "2025-06-30" in text and "2025-07-01" in text
