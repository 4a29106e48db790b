"""Catalog: loading folders, lookups by version and by day, catalog-level checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from definition_helpers import VALID, dump, valid_data

import tthc_engine as te


def write(folder: Path, name: str, **changes: Any) -> Path:
    data = valid_data()
    data.update(changes)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "ho-tich/old.yaml",
        version="2021.01",
        effective_from="2021-01-01",
        effective_to="2025-06-30",
    )
    write(tmp_path, "ho-tich/new.yml", version="2025.07", effective_from="2025-07-01")
    return tmp_path


def test_load_folder_and_lookups(two_versions: Path) -> None:
    """A folder loads recursively; get, in_force, versions, codes, iteration and membership agree."""
    catalog = te.Catalog.load(two_versions)
    assert len(catalog) == 2
    assert catalog.codes() == ("1.001193",)
    assert catalog.versions("1.001193") == ("2021.01", "2025.07")
    assert catalog.get("1.001193", "2021.01").effective_to == dt.date(2025, 6, 30)
    assert catalog.in_force("1.001193", dt.date(2025, 6, 30)).version == "2021.01"
    assert catalog.in_force("1.001193", dt.date(2025, 7, 1)).version == "2025.07"
    assert [p.version for p in catalog] == ["2021.01", "2025.07"]
    assert "1.001193" in catalog and ("1.001193", "2025.07") in catalog
    assert catalog.get("1.001193", "2025.07") in catalog
    assert "9.999999" not in catalog


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (
            lambda c: c.in_force("1.001193", dt.date(2020, 1, 1)),
            "no version of procedure 1.001193 is in force",
        ),
        (lambda c: c.in_force("9.999999", dt.date(2025, 1, 1)), "'9.999999' is not in the catalog"),
        (lambda c: c.get("1.001193", "1999"), "versions of 1.001193: '2021.01', '2025.07'"),
    ],
    ids=["before-first-version", "unknown-code", "unknown-version"],
)
def test_unknown_procedure_messages(two_versions: Path, call: Any, needle: str) -> None:
    """Lookups that find nothing raise UnknownProcedure (a LookupError) naming what exists."""
    catalog = te.Catalog.load(two_versions)
    with pytest.raises(te.UnknownProcedure) as info:
        call(catalog)
    assert isinstance(info.value, LookupError)
    assert needle in str(info.value)


def test_all_problems_of_all_files_at_once(tmp_path: Path) -> None:
    """Two broken files give one ProcedureError carrying the problems of both."""
    write(tmp_path, "a.yaml", level="comune")
    write(tmp_path, "b.yaml", version="2", initial="nowhere")
    with pytest.raises(te.ProcedureError) as info:
        te.Catalog.load(tmp_path)
    files = {Path(p.path).name for p in info.value.problems}
    assert files == {"a.yaml", "b.yaml"}
    assert {"TT104", "TT301"} <= {p.code for p in info.value.problems}


def test_constructor_runs_catalog_checks() -> None:
    """Catalog(procedures) refuses duplicates and overlapping versions."""
    proc = te.load_procedure(VALID)
    later = attrs.evolve(proc, version="2026.01", effective_from=dt.date(2026, 1, 1))
    with pytest.raises(te.ProcedureError) as info:
        te.Catalog([proc, proc])
    assert [p.code for p in info.value.problems] == ["TT401"]
    with pytest.raises(te.ProcedureError) as info:
        te.Catalog([proc, later])
    assert [p.code for p in info.value.problems] == ["TT402"]
    closed = attrs.evolve(proc, effective_to=dt.date(2025, 12, 31))
    assert len(te.Catalog([closed, later])) == 2


def test_constructor_lints_procedures() -> None:
    """A procedure built in code with an unknown target state is refused by Catalog()."""
    proc = te.load_procedure(VALID)
    broken = attrs.evolve(proc, initial="nowhere")
    with pytest.raises(te.ProcedureError) as info:
        te.Catalog([broken])
    assert "TT301" in {p.code for p in info.value.problems}


def test_predicate_registry(tmp_path: Path) -> None:
    """Guard predicates are checked against the registry when one is given, with a hint."""
    data = valid_data()
    data["actions"][0]["guard"] = {"predicate": "host_registred_name"}
    (tmp_path / "p.yaml").write_text(dump(data), encoding="utf-8")
    assert len(te.Catalog.load(tmp_path)) == 1  # no registry: names are not checked
    with pytest.raises(te.ProcedureError) as info:
        te.Catalog.load(tmp_path, predicates={"host_registered_name"})
    (problem,) = info.value.problems
    assert problem.code == "TT403"
    assert problem.hint == "did you mean 'host_registered_name'?"


def test_other_tthc_formats_are_skipped(tmp_path: Path) -> None:
    """Scenario or calendar files beside procedures are skipped, not reported."""
    write(tmp_path, "p.yaml")
    (tmp_path / "p.scenario.yaml").write_text("format: tthc/scenario/v1\nsteps: []\n", encoding="utf-8")
    report = te.validate_paths([tmp_path])
    assert report.ok() and len(report.procedures) == 1
    assert [Path(s).name for s in report.skipped] == ["p.scenario.yaml"]


def test_validate_paths_reports_warnings_without_failing(tmp_path: Path) -> None:
    """Warnings are returned, counted and only fail with strict."""
    write(tmp_path, "p.yaml", steps=[])
    report = te.validate_paths([tmp_path])
    assert report.ok() and not report.ok(strict=True)
    assert [p.code for p in report.warnings] == ["TT320"]
