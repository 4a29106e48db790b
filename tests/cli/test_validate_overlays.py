"""`tthc validate` on folders holding calendar overlays: checked as overlays, not as procedures.

An overlay is recognised by its format key (`calendar_overlay: 1`) and checked by the calendar's own
reader and schema (TC codes), so a folder of procedures and overlays validates in one run without
dozens of false TT102/TT104 errors.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "definition" / "fixtures" / "valid_birth.yaml"


def test_shipped_overlays_validate_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "calendars")]) == 0
    out = capsys.readouterr().out
    assert "TT1" not in out
    assert out.strip().endswith("checked 2 file(s) (2 calendar overlay(s)): no problems")


def test_procedures_and_overlays_in_one_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(VALID, tmp_path / "p.yaml")
    shutil.copy(ROOT / "calendars" / "quang-tri.yaml", tmp_path / "lich.yaml")
    report = te.validate_paths([tmp_path])
    assert report.problems == ()
    assert [Path(f).name for f in report.overlays] == ["lich.yaml"]
    assert sorted(Path(f).name for f in report.files) == ["lich.yaml", "p.yaml"]
    assert len(report.procedures) == 1
    assert main(["validate", "--format", "json", str(tmp_path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [Path(f).name for f in payload["overlays"]] == ["lich.yaml"]


def test_a_broken_overlay_gets_calendar_codes_at_its_lines(tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "p.yaml")
    (tmp_path / "lich.yaml").write_text(
        "calendar_overlay: 1\n"
        "name: Lịch tỉnh\n"
        "level: city\n"
        "non_working_days:\n"
        "  - {date: 2025-02-30, name: Nghỉ, notice: QĐ 1}\n",
        encoding="utf-8",
    )
    report = te.validate_paths([tmp_path])
    assert [(Path(p.path).name, p.code, p.line) for p in report.problems] == [("lich.yaml", "TC101", 3)]
    assert not report.ok()


def test_an_overlay_problem_after_the_schema_is_found_too(tmp_path: Path) -> None:
    (tmp_path / "lich.yaml").write_text(
        "calendar_overlay: 1\n"
        "name: Lịch tỉnh\n"
        "level: province\n"
        "non_working_days:\n"
        '  - {date: "2025-02-30", name: Nghỉ, notice: QĐ 1}\n',
        encoding="utf-8",
    )
    report = te.validate_paths([tmp_path])
    assert [(p.code, p.line) for p in report.problems] == [("TC102", 5)]


def test_load_procedure_on_an_overlay_says_what_it_is() -> None:
    with pytest.raises(te.ProcedureError) as caught:
        te.load_procedure(ROOT / "calendars" / "vietnam.yaml")
    [problem] = caught.value.problems
    assert problem.code == "TT104" and "calendar overlay" in problem.message
