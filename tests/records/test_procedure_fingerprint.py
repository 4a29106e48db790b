"""A dossier is pinned to the content of its procedure version, not only to its code and version
(issue "What the records must say", §5): an edited version file is detected when a dossier under it
is next acted on — refused by default, or a warning by policy — while a comment or a reformatting of
the file changes nothing."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest
from records_helpers import DATA, DESK, vn

import tthc_engine as te
from tthc_engine.definition.fingerprint import procedure_fingerprint
from tthc_engine.errors import EditedProcedureError, EditedProcedureWarning

FILE = "ho-kinh-doanh/1.001612-dang-ky-thanh-lap-ho-kinh-doanh.yaml"


def _received(engine: te.Engine) -> te.Dossier:
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T08:00"), channel="direct", data=DATA)
    return engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"))


def _edited_catalog(catalog: te.Catalog) -> te.Catalog:
    """The same catalog with the 2025.07 version's legal time edited in place (3 → 5 working days)."""
    procs = []
    for proc in catalog:
        if proc.key == ("1.001612", "2025.07"):
            proc = attrs.evolve(proc, deadline=attrs.evolve(proc.deadline, amount=5))
        procs.append(proc)
    return te.Catalog(procs)


def test_the_fingerprint_is_of_the_meaning_not_the_bytes(procedures_dir: Path, tmp_path: Path) -> None:
    text = (procedures_dir / FILE).read_text(encoding="utf-8")
    original = te.load_procedure(procedures_dir / FILE)
    commented = tmp_path / "commented.yaml"
    commented.write_text("# a comment added in place\n" + text.replace("\n", "\n\n", 3), encoding="utf-8")
    assert procedure_fingerprint(te.load_procedure(commented)) == procedure_fingerprint(original)
    relabelled = tmp_path / "relabelled.yaml"
    relabelled.write_text(text.replace("Tiếp nhận hồ sơ", "Nhận hồ sơ", 1), encoding="utf-8")
    assert procedure_fingerprint(te.load_procedure(relabelled)) != procedure_fingerprint(original)


def test_a_dossier_records_its_fingerprint(procedures_dir: Path) -> None:
    catalog = te.Catalog.load(procedures_dir)
    engine = te.Engine(catalog)
    d = _received(engine)
    expected = procedure_fingerprint(catalog.get("1.001612", d.procedure_version))
    assert d.procedure_fingerprint == expected
    assert engine.history(d.id)[0].clock["procedure_fingerprint"] == expected


def test_an_edited_version_is_refused_by_default(procedures_dir: Path) -> None:
    catalog = te.Catalog.load(procedures_dir)
    store = te.MemoryStore()
    d = _received(te.Engine(catalog, store=store))
    edited = te.Engine(_edited_catalog(catalog), store=store)
    with pytest.raises(EditedProcedureError, match="was edited since") as info:
        edited.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T09:00"))
    assert "new version" in str(info.value)
    assert edited.get(d.id) == d  # nothing written


def test_a_host_may_accept_edited_versions_with_a_warning(procedures_dir: Path) -> None:
    catalog = te.Catalog.load(procedures_dir)
    store = te.MemoryStore()
    d = _received(te.Engine(catalog, store=store))
    edited = te.Engine(_edited_catalog(catalog), store=store, policy=te.EnginePolicy(edited_versions="warn"))
    with pytest.warns(EditedProcedureWarning, match="edited since"):
        d = edited.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T09:00"))
    assert d.state == "processing"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        te.Engine(catalog, store=te.MemoryStore()).submit(
            "1.001612", actor=DESK, at=vn("2025-08-04T08:00"), data=DATA
        )  # an unedited catalog warns nothing


def test_a_new_optional_field_at_its_default_keeps_the_fingerprint(procedures_dir: Path) -> None:
    """Fields at their default are left out: a release adding an optional field (here: a state's
    `consultation`, default false) keeps the fingerprints of the versions that do not set it."""
    proc = te.load_procedure(procedures_dir / FILE)
    assert all(not s.consultation for s in proc.states)
    before = procedure_fingerprint(proc)
    marked = attrs.evolve(proc, states=tuple(attrs.evolve(s, consultation=(s.id == "processing"))
                                             for s in proc.states))  # fmt: skip
    assert procedure_fingerprint(marked) != before
    assert procedure_fingerprint(attrs.evolve(proc, states=tuple(proc.states))) == before
