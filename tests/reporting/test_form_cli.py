"""`tthc form`: a dossier's form by number or id, the tracking book, and `verify CODE` (exit codes)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from forms_helpers import APPLICANT, TZ

import tthc_engine as te
from tthc_engine.cli import main

DESK = te.Actor("desk-1", {"reception"})


@pytest.fixture
def desk_db(tmp_path: Path, procedures_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, te.Dossier]:
    monkeypatch.chdir(procedures_dir.parent)
    db = tmp_path / "desk.db"
    engine = te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(db))
    at = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
    d = engine.submit("1.001193", actor=DESK, at=at, data={"applicant": APPLICANT})
    d = engine.act(d.id, "accept", actor=DESK, at=at + dt.timedelta(minutes=5))
    engine.store.close()
    return db, d


def test_form_by_number_to_a_file(desk_db: tuple[Path, te.Dossier], tmp_path: Path) -> None:
    db, d = desk_db
    out = tmp_path / "slip.html"
    assert d.number is not None
    assert main(["form", "--db", str(db), d.number, "01", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert d.number in html and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    again = tmp_path / "again.html"
    assert main(["form", "--db", str(db), d.id, "01", "--format", "html", "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_verify_a_printed_code(desk_db: tuple[Path, te.Dossier], capsys: pytest.CaptureFixture[str]) -> None:
    db, d = desk_db
    assert main(["form", "--db", str(db), d.id, "01", "--format", "json"]) == 0
    code = json.loads(capsys.readouterr().out)["verification_code"]
    assert main(["form", "--db", str(db), "verify", code.lower()]) == 0
    out = capsys.readouterr().out
    assert "khớp" in out and str(d.number) in out and "#2" in out
    assert main(["form", "--db", str(db), "verify", "AAAAA-AAAAA"]) == 1
    assert "không khớp" in capsys.readouterr().out


def test_book_and_errors(desk_db: tuple[Path, te.Dossier], capsys: pytest.CaptureFixture[str]) -> None:
    db, d = desk_db
    argv = ["form", "--db", str(db), "book", "--agency", str(d.receiving_agency), "--from", "2025-08-01",
            "--to", "2025-08-31"]  # fmt: skip
    assert main(argv) == 0
    assert str(d.number) in capsys.readouterr().out
    assert main(["form", "--db", str(db), str(d.number), "02"]) == 2
    err = capsys.readouterr().err
    assert "form 02" in err and d.id in err and "request_supplement" in err
    assert main(["form", "--db", str(db), "no-such-number", "01"]) == 2
    assert "no-such-number" in capsys.readouterr().err
    assert main(["form", "--db", str(db.parent / "absent.db"), str(d.number), "01"]) == 2
    assert not (db.parent / "absent.db").exists()


def test_keyed_codes_need_the_same_key(
    desk_db: tuple[Path, te.Dossier], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, d = desk_db
    monkeypatch.setenv("DESK_SECRET", "bí mật của tỉnh")
    assert main(["form", "--db", str(db), d.id, "01", "--format", "json", "--key-env", "DESK_SECRET"]) == 0
    code = json.loads(capsys.readouterr().out)["verification_code"]
    assert main(["form", "--db", str(db), "verify", code, "--key-env", "DESK_SECRET"]) == 0
    assert main(["form", "--db", str(db), "verify", code]) == 1  # unkeyed: not this code
    assert main(["form", "--db", str(db), "verify", code, "--key-env", "UNSET_NAME_FOR_TEST"]) == 2
