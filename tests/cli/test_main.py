"""`tthc` itself: UTF-8 output whatever the terminal's encoding, and exit 3 for an internal error.

Exit codes (docs/cli.md): 0 ok, 1 problems found, 2 usage or bad input, 3 internal error. A bug of
ours must never look like "problems found" to a CI job or a pre-commit hook.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tthc_engine.cli import main
from tthc_engine.cli import validate as validate_cmd

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT / "src")}
    env.pop("TTHC_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine", *argv], env=env, capture_output=True, check=False, timeout=120
    )


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1", "ascii"])
def test_vietnamese_output_is_utf8_whatever_the_terminal(encoding: str) -> None:
    """Code page 1258 (Vietnamese Windows) cannot encode 'Lịch': the output is UTF-8, not a crash."""
    done = run("calendar", "2025", encoding=encoding)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Lịch làm việc 2025" in done.stdout.decode("utf-8")
    assert b"UnicodeEncodeError" not in done.stderr


def test_problems_with_vietnamese_text_on_a_cp1258_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("format: tthc/procedure/v1\nname: Thủ tục\nlĩnh_vực: x\n", encoding="utf-8")
    done = run("validate", str(bad), encoding="cp1258")
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    assert "'lĩnh_vực'" in done.stdout.decode("utf-8")


def test_main_leaves_the_callers_streams_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    """Called from Python, main() writes UTF-8 and then gives the stream back in its own encoding."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1258", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["calendar", "2025"]) == 0
    stream.flush()
    assert "Lịch làm việc 2025" in raw.getvalue().decode("utf-8")
    assert (stream.encoding, stream.errors) == ("cp1258", "strict")


def _boom(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("boom")


def test_internal_error_exits_3_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TTHC_DEBUG", raising=False)
    monkeypatch.setattr(validate_cmd, "validate_paths", _boom)
    assert main(["validate", str(ROOT / "procedures")]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert "internal error" in line and "RuntimeError: boom" in line and "TTHC_DEBUG=1" in line
    assert "Traceback" not in captured.err


def test_internal_error_traceback_with_tthc_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_DEBUG", "1")
    monkeypatch.setattr(validate_cmd, "validate_paths", _boom)
    assert main(["validate", str(ROOT / "procedures")]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err
