"""Scenario files: reading problems with positions (TS0xx–TS2xx) and runs that fail (TS3xx)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.scenarios import parse_scenarios, read_scenarios, run_file, run_paths

ROOT = Path(__file__).resolve().parents[2]
HEAD = """\
format: tthc/scenario/v1
procedure: "1.001612"
actors:
  desk: {roles: [reception]}
  head: {roles: [leader]}
scenarios:
"""


@pytest.fixture(scope="module")
def catalog() -> te.Catalog:
    return te.Catalog.load(ROOT / "procedures")


def _codes(text: str) -> list[tuple[int, int, str]]:
    sf = parse_scenarios(HEAD + textwrap.dedent(text), "s.scenario.yaml")
    return [(p.line, p.column, p.code) for p in sf.problems]


def _run(text: str, catalog: te.Catalog, path: str = "s.scenario.yaml") -> list[te.Problem]:
    sf = parse_scenarios(HEAD + textwrap.dedent(text), path)
    assert sf.problems == ()
    return [p for r in run_file(sf, catalog) for p in r.problems]


def test_a_clean_file_reads() -> None:
    sf = parse_scenarios(HEAD + '  - name: a\n    steps:\n      - {sweep: "2025-01-02T08:00+07:00"}\n', "s")
    assert sf.problems == () and sf.procedure == "1.001612"
    assert sf.actors["desk"].roles == frozenset({"reception"})
    assert sf.scenarios[0].steps[0].kind == "sweep"


def test_yaml_problems_have_their_own_codes() -> None:
    assert _codes("  - name: a\n    name: b\n    steps: []\n")[0][2] == "TS005"
    assert _codes("  - name: [\n")[0][2] == "TS004"
    assert parse_scenarios("", "s").problems[0].code == "TS008"


def test_schema_problems_point_at_the_step() -> None:
    problems = _codes("""\
      - name: a
        steps:
          - {act: accept, as: desk}
          - {lodge: fax, at: "2025-01-02T08:00+07:00", as: desk}
          - {at: "2025-01-02T08:00+07:00"}
          - {act: accept, sweep: "2025-01-02T08:00+07:00"}
          - {act: accept, at: "2025-01-02T08:00+07:00", as: desk, expect: {colour: red}}
    """)
    assert [(line, code) for line, _c, code in problems] == [
        (9, "TS100"), (10, "TS100"), (11, "TS100"), (12, "TS100"), (13, "TS100"),
    ]  # fmt: skip


def test_values_are_checked_with_positions() -> None:
    problems = _codes("""\
      - name: a
        steps:
          - {lodge: direct, at: "2025-01-24", as: desk}
          - {act: accept, at: "2025-01-24T08:00+07:00", as: nobody, expect: {number_matches: "("}}
          - {sweep: "soon"}
    """)
    assert [(line, code) for line, _c, code in problems] == [
        (9, "TS201"), (10, "TS202"), (10, "TS206"), (11, "TS201"),
    ]  # fmt: skip


def test_an_unreadable_file_is_ts001(tmp_path: Path) -> None:
    assert read_scenarios(tmp_path / "missing.scenario.yaml").problems[0].code == "TS001"


def test_failed_expectations_are_positioned_at_their_key(catalog: te.Catalog) -> None:
    problems = _run("""\
      - name: Tết
        steps:
          - {lodge: direct, at: "2025-01-24T16:20+07:00", as: desk}
          - act: accept
            at: "2025-01-24T16:30+07:00"
            as: desk
            expect:
              state: received
              due: "2025-01-29T17:00+07:00"
              form: "02"
    """, catalog)  # fmt: skip
    assert [(p.line, p.code) for p in problems] == [(15, "TS301"), (16, "TS301")]
    assert "2025-02-05T17:00:00+07:00" in problems[0].message and "[Tết]" in problems[0].message


def test_unexpected_and_missing_errors(catalog: te.Catalog) -> None:
    problems = _run("""\
      - name: a
        steps:
          - {act: accept, at: "2025-03-03T08:00+07:00", as: desk}
      - name: b
        steps:
          - {lodge: direct, at: "2025-03-03T08:00+07:00", as: desk, expect: {error: TransitionError}}
          - {act: accept, at: "2025-03-03T08:10+07:00", as: head}
          - {act: accept, at: "2025-03-03T08:20+07:00", as: desk, expect: {state: nowhere}}
    """, catalog)  # fmt: skip
    assert [(p.line, p.code) for p in problems] == [(9, "TS205"), (12, "TS303"), (13, "TS302")]
    assert "PermissionDenied" in problems[2].message  # and the story stopped there


def test_an_unknown_procedure_and_a_bad_overlay(catalog: te.Catalog, tmp_path: Path) -> None:
    text = (
        HEAD.replace('"1.001612"', '"0.000000"')
        + '  - name: a\n    steps:\n      - {sweep: "2025-01-02T08:00+07:00"}\n'
    )
    (tmp_path / "u.scenario.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("calendar_overlay: 1\nname: x\nlevel: nowhere\n", encoding="utf-8")
    overlay = (
        HEAD
        + '  - name: b\n    calendar: [bad.yaml]\n    steps:\n      - {sweep: "2025-01-02T08:00+07:00"}\n'
    )
    (tmp_path / "o.scenario.yaml").write_text(overlay, encoding="utf-8")
    report = run_paths([tmp_path], catalog)
    assert [(Path(p.path).name, p.line, p.code) for p in report.problems] == [
        ("o.scenario.yaml", 8, "TS204"), ("u.scenario.yaml", 2, "TS203"),
    ]  # fmt: skip
    assert not report.ok


def test_an_expected_error_by_diagnostic_code(catalog: te.Catalog) -> None:
    assert _run("""\
      - name: a
        steps:
          - calendar: [does-not-exist.yaml]
            expect: {error: TC106}
    """, catalog) == []  # fmt: skip


def test_the_schema_describes_every_key_in_both_languages() -> None:
    """Editors show the descriptions on hover: each is Vietnamese — English, as in procedure.schema.json."""
    import json

    schema = json.loads((ROOT / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    missing: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                text = value.get("description", "")
                if "$ref" not in value and " — " not in text:
                    missing.append(f"{where}.{key}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(schema, "$")
    assert missing == []
    verbs = [next(iter(b["required"])) for b in schema["$defs"]["step"]["oneOf"]]
    from tthc_engine.scenarios.reader import STEP_KINDS

    assert tuple(verbs) == STEP_KINDS  # the reader picks a step's branch by this order
