"""`tthc demo` runs end to end on the shipped catalog and shows what it claims."""

import os
from pathlib import Path

import pytest

from tthc_engine.cli import main


def test_demo_runs_on_shipped_catalog(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tour validates, computes the Tết deadline, detects tampering and prints a control slip."""
    monkeypatch.chdir(repo_root)
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", os.fspath(db)]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out
    # Fri 24/01/2025 16:35 + 3 working days across Tết 2025 → Wed 05/02/2025 end of office hours
    assert "due Wed 05/02/2025 17:00" in out
    assert "clock restarted from zero, due Fri 07/02/2025 17:00" in out
    assert "verify: the chain is intact" in out
    assert "was edited" in out  # the tampered entry is named
    assert "Mẫu số 05" in out and ": early" in out
    assert db.exists()


def test_demo_without_catalog_is_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run outside the repository without --catalog: a clear error, exit 2."""
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 2
