"""`tthc report --db URL --from DAY --to DAY [--by GROUP] --format …`: the report of a real store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import lives
import pg_helpers

CATALOG = str(lives.ROOT / "procedures")
LIVES = lives.random_lives(random.Random(7), 120, dt.datetime(2021, 1, 4, tzinfo=lives.VN), 200)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, te.Report]:
    db = tmp_path_factory.mktemp("report") / "desk.db"
    engine = lives.engine_on(te.SQLiteStore(db))
    lives.drive(engine, LIVES)
    report = engine.report("2021-01-01", "2021-10-01", group_by="field")
    engine.store.close()
    return db, report


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_is_the_engines_report(desk: tuple[Path, te.Report], capsys: pytest.CaptureFixture[str]) -> None:
    db, report = desk
    args = ["report", "--db", str(db), "--catalog", CATALOG, "--from", "2021-01-01", "--to", "2021-10-01"]
    code, out, _ = _run([*args, "--by", "field", "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(report.to_dict()))


def test_every_format_to_a_file(desk: tuple[Path, te.Report], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, report = desk
    for fmt in ("text", "csv", "html"):
        target = tmp_path / f"report.{fmt}"
        code, out, err = _run(["report", "--db", str(db), "--catalog", CATALOG,
                               "--from", "2021-01-01", "--to", "2021-10-01", "--by", "field",
                               "--format", fmt, "-o", str(target)], capsys)  # fmt: skip
        assert code == 0 and out == "" and str(target) in err
        text = target.read_text(encoding="utf-8")
        assert text
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_text(encoding="utf-8"))))
    assert str(report.totals.total) in rows[-1]
    assert "Tổng" in (tmp_path / "report.text").read_text(encoding="utf-8")


def test_usage_errors_exit_2(desk: tuple[Path, te.Report], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, _ = desk
    base = [
        "report",
        "--catalog",
        CATALOG,
        "--from",
        "2021-01-01",
        "--to",
        "2021-10-01",
    ]
    code, _, err = _run([*base, "--db", str(tmp_path / "missing.db")], capsys)
    assert code == 2 and "no store file" in err
    code, _, err = _run([*base, "--db", str(db), "--by", "ward"], capsys)
    assert code == 2
    code, _, err = _run(["report", "--db", str(db), "--catalog", CATALOG,
                         "--from", "2021-10-01", "--to", "2021-01-01"], capsys)  # fmt: skip
    assert code == 2 and "after the start" in err


@pytest.mark.postgres
def test_a_postgresql_url(capsys: pytest.CaptureFixture[str]) -> None:
    store = pg_helpers.pg_store()
    engine = lives.engine_on(store)
    lives.drive(engine, LIVES[:30])
    expected = engine.report("2021-01-01", "2021-10-01").to_dict()
    dsn, schema = pg_helpers.dsn_or_skip(), store.schema
    store.close()
    args = ["report", "--db", dsn, "--schema", schema, "--catalog", CATALOG, "--format", "json"]
    code, out, _ = _run([*args, "--from", "2021-01-01", "--to", "2021-10-01"], capsys)
    assert code == 0 and json.loads(out) == json.loads(json.dumps(expected))
