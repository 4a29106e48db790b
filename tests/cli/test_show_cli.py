"""`tthc show FILE_OR_CODE`: a procedure as an author reads it, in text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc_engine.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_text_names_the_time_the_states_and_the_actions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "1.001612", "--catalog", str(ROOT / "procedures"), "--on", "2025-08-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1.001612 phiên bản 2025.07 — ")
    assert "Thời hạn giải quyết: 3 ngày làm việc" in out
    assert "supplement_requested" in out and "tạm dừng" in out
    assert "reschedule             processing → processing · leader · cần: new_appointment, note" in out


def test_json_is_the_summary_of_the_version_asked(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "show",
        "1.001612",
        "--catalog",
        str(ROOT / "procedures"),
        "--version",
        "2021.01",
        "--format",
        "json",
    ]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["code"], data["version"], data["level"]) == ("1.001612", "2021.01", "district")
    assert {a["name"] for a in data["actions"]} >= {"accept", "approve", "return_result"}
    assert any(s["outcome"] == "resolved" for s in data["states"])


def test_a_file_with_errors_exits_1_and_an_unknown_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: 1\n", encoding="utf-8")
    assert main(["show", str(bad)]) == 1
    assert "TT" in capsys.readouterr().err
    assert main(["show", "9.999999", "--catalog", str(ROOT / "procedures")]) == 2
