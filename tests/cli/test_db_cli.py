"""`tthc db upgrade|status` on SQLite files (PostgreSQL: tests/stores/test_postgres_schema.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tthc_engine.cli import main
from tthc_engine.stores.migrations import LATEST


def test_upgrade_creates_then_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh upgrade applies every version; a second one says there was nothing to do."""
    db = tmp_path / "a.db"
    assert main(["db", "upgrade", "--sqlite", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"schema version {LATEST}" in out and f"applied {', '.join(map(str, range(1, LATEST + 1)))}" in out
    assert main(["db", "upgrade", "--sqlite", str(db)]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_status_reads_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """status of a missing file is an error that creates nothing; of an upgraded one, its versions."""
    db = tmp_path / "a.db"
    assert main(["db", "status", "--sqlite", str(db)]) == 2
    assert "no such SQLite file" in capsys.readouterr().err and not db.exists()
    main(["db", "upgrade", "--sqlite", str(db)])
    capsys.readouterr()
    assert main(["db", "status", "--sqlite", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == out["latest"] == LATEST and out["note"] == "up to date"
    assert [m["version"] for m in out["applied"]] == list(range(1, LATEST + 1))


def test_status_of_a_newer_schema_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file from a newer tthc-engine: status and upgrade exit 2 saying so."""
    db = tmp_path / "a.db"
    main(["db", "upgrade", "--sqlite", str(db)])
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["db", "status", "--sqlite", str(db)]) == 2
    assert "newer than this tthc-engine" in capsys.readouterr().err
    assert main(["db", "upgrade", "--sqlite", str(db)]) == 2


@pytest.mark.parametrize(
    "argv",
    [["db"], ["db", "status"], ["db", "upgrade", "--sqlite", "a.db", "--dsn", "postgresql://x"],
     ["db", "status", "--sqlite", "a.db", "--schema", "s"]],
    ids=["no-subcommand", "no-database", "both", "schema-with-sqlite"],
)  # fmt: skip
def test_usage_errors(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing or conflicting arguments are usage errors (exit 2)."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
