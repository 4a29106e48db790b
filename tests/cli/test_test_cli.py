"""`tthc test`: formats, exit codes, and the pytest plugin collecting *.scenario.yaml files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tthc_engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "ho-kinh-doanh" / "1.001612-dang-ky-thanh-lap-ho-kinh-doanh.scenario.yaml"
PROCEDURES = str(ROOT / "procedures")
FAILING = """\
format: tthc/scenario/v1
procedure: "1.001612"
actors:
  desk: {roles: [reception]}
scenarios:
  - name: sai hạn
    steps:
      - {lodge: direct, at: "2025-01-24T16:20+07:00", as: desk}
      - act: accept
        at: "2025-01-24T16:30+07:00"
        as: desk
        expect: {due: "2025-01-29T17:00+07:00"}
  - name: đúng
    steps:
      - {lodge: direct, at: "2025-01-24T16:20+07:00", as: desk, expect: {state: submitted}}
"""


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    path = tmp_path / "f.scenario.yaml"
    path.write_text(FAILING, encoding="utf-8")
    return path


def test_shipped_scenarios_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(ROOT / "scenarios"), "--catalog", PROCEDURES, "-v"]) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out and out.count("ok   ") >= 10


def test_a_failure_is_positioned_and_exits_1(failing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(failing), "--catalog", PROCEDURES]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{failing}:12:") and " TS301 [sai hạn] due: " in out[0]
    assert out[-1] == "ran 2 scenario(s) from 1 file(s): 1 passed, 1 failed"


def test_json_and_github_formats(failing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(failing), "--catalog", PROCEDURES, "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert (payload["passed"], payload["failed"], payload["ok"]) == (1, 1, False)
    assert payload["problems"][0]["code"] == "TS301" and payload["problems"][0]["line"] == 12
    assert main(["test", str(failing), "--catalog", PROCEDURES, "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith(f"::error file={failing},line=12,col=")


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(tmp_path / "nope"), "--catalog", PROCEDURES]) == 2
    assert main(["test", str(tmp_path), "--catalog", PROCEDURES]) == 2  # no scenario file in it
    assert main(["test", str(SHIPPED), "--catalog", str(tmp_path / "none")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_file_that_does_not_read_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "b.scenario.yaml"
    bad.write_text("format: tthc/scenario/v1\nprocedure: 1\n", encoding="utf-8")
    assert main(["test", str(bad), "--catalog", PROCEDURES]) == 1
    assert "TS100" in capsys.readouterr().out


def _pytest(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-m", "pytest", "-p", "tthc_engine.scenarios.pytest_plugin",
               "-p", "no:cacheprovider", "--rootdir", str(cwd), *args]  # fmt: skip
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_pytest_plugin_collects_each_story(failing: Path) -> None:
    """Each story is one item; a failure shows tthc test's line; --tthc-catalog names the folder."""
    done = _pytest(["-q", "--tthc-catalog", PROCEDURES, str(failing.parent)], failing.parent)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "f.scenario.yaml:12:" in done.stdout and "TS301" in done.stdout
    listed = _pytest(["--collect-only", "-q", "--tthc-catalog", PROCEDURES, str(failing)], failing.parent)
    assert "f.scenario.yaml::sai hạn" in listed.stdout and "f.scenario.yaml::đúng" in listed.stdout


def test_the_pytest_plugin_runs_the_shipped_scenarios() -> None:
    """From the repository root, the default catalog folder (tthc_catalog = procedures) is used."""
    done = _pytest(["-q", "-o", "tthc_catalog=procedures", str(SHIPPED)], ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout


def test_the_plugin_is_declared_as_a_pytest11_entry_point() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pytest11"] == {"tthc": "tthc_engine.scenarios.pytest_plugin"}
