"""docs/scenarios.md: its complete YAML example reads and runs as the page says."""

from __future__ import annotations

import re
from pathlib import Path

import tthc_engine as te
from tthc_engine.scenarios import parse_scenarios, run_file

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_example_runs_clean() -> None:
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("# yaml-"))
    sf = parse_scenarios(example, str(ROOT / "scenarios" / "doc" / "example.scenario.yaml"))
    assert sf.problems == ()
    results = run_file(sf, te.Catalog.load(ROOT / "procedures"))
    assert [p.format() for r in results for p in r.problems] == []


def test_every_expectation_key_of_the_schema_is_documented() -> None:
    import json

    schema = json.loads((ROOT / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for key in schema["$defs"]["expect"]["properties"]:
        assert f"`{key}`" in text, key
