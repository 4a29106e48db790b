"""`tthc replan --db PATH [--dry-run]`: a late closure reported, then applied, on a real SQLite store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.cli import main

TZ = dt.timezone(dt.timedelta(hours=7))
CLOSURE = """calendar_overlay: 1
name: Tỉnh ví dụ — nghỉ do bão
level: province
notice: Công điện ví dụ
non_working_days:
  - {name: Nghỉ do bão, notice: "Công điện số 01/CĐ-UBND (ví dụ)", date: "2025-08-06"}
"""


@pytest.fixture
def desk(tmp_path: Path, procedures_dir: Path) -> tuple[Path, str]:
    db = tmp_path / "desk.db"
    engine = te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(db))
    at = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
    actor = te.Actor("desk-1", {"reception"})
    d = engine.submit("1.001612", actor=actor, at=at, channel="direct", data={"household_name": "Hộ A"})
    d = engine.act(d.id, "accept", actor=actor, at=at)
    engine.store.close()
    return db, d.id


def test_dry_run_then_apply(desk: tuple[Path, str], tmp_path: Path, procedures_dir: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, dossier_id = desk
    storm = tmp_path / "storm.yaml"
    storm.write_text(CLOSURE, encoding="utf-8")
    common = ["replan", "--db", str(db), "--catalog", str(procedures_dir), "--overlay", str(storm),
              "--at", "2025-08-05T07:00:00+07:00"]  # fmt: skip
    assert main([*common, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "07/08/2025 17:00 → 08/08/2025 17:00" in out and "Công điện số 01" in out
    assert main([*common, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] and report["changed"][0]["due"]["to"] == "2025-08-08T17:00:00+07:00"
    store = te.SQLiteStore(db)
    assert store.entries(dossier_id)[-1].kind == "replan" and store.load(dossier_id).due_at == dt.datetime(
        2025, 8, 8, 17, 0, tzinfo=TZ
    )
    store.close()
    assert main([*common, "--dry-run"]) == 0 and "0 sẽ thay đổi" in capsys.readouterr().out


def test_a_missing_store_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replan", "--db", str(tmp_path / "none.db"), "--dry-run"]) == 2
    assert "no store file" in capsys.readouterr().err
