"""The shipped catalog (procedures/): every file loads, validates clean, and models the one-stop life.

These tests check the catalog's DATA against the law it cites (procedures/README.md), not
the loader: a failure here means a procedure file is wrong or incomplete.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.definition.model import Procedure

ROOT = Path(__file__).resolve().parents[2]
PROCEDURES = ROOT / "procedures"
FILES = sorted(p for p in PROCEDURES.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts))
FILE_IDS = [str(p.relative_to(PROCEDURES)) for p in FILES]
REFORM_DAY = dt.date(2025, 7, 1)  # Decree 118/2025/ND-CP and the two-tier local government

# Warnings the catalog is allowed to carry, each with the reason: (file relative to procedures/, code).
# Empty: the catalog validates clean under --strict. Add an entry only with a reason a reviewer accepts.
EXPLAINED_WARNINGS: dict[tuple[str, str], str] = {}

# The legal processing time of each procedure, as the law states it (the articles each file cites):
# code → (amount, unit, cutoff, {extension name: (amount, unit)}).
LEGAL_TIMES: dict[str, tuple[float, str, str | None, dict[str, tuple[float, str]]]] = {
    "1.001193": (0, "same_day", "15:00", {}),  # Luật Hộ tịch Art. 16(2), 5(3)
    "1.000894": (0, "same_day", "15:00", {"verification": (5, "working_days")}),  # Art. 18(2)
    "2.000635": (0, "same_day", "15:00", {}),  # Luật Hộ tịch Art. 64(2), 5(3): copy of an extract
    "2.000815": (0, "same_day", "15:00", {"bulk": (2, "working_days")}),  # Decree 23/2015 Art. 7, 21
    "1.001612": (3, "working_days", None, {}),  # Decree 01/2021 Art. 87 → Decree 168/2025
    "2.000488": (10, "calendar_days", None, {"extended_lookup": (5, "calendar_days")}),  # LJR Art. 48
    "9.000101": (8, "working_days", None, {}),  # Law 49/2019 Art. 15(7), amended 2023
    # Decree 151/2025 Annex I; Decree 101/2024 Art. 22
    "9.000201": (20, "working_days", None, {"remote_commune": (10, "working_days")}),
}


def _load(path: Path) -> Procedure:
    return te.load_procedure(str(path))


@pytest.fixture(scope="module")
def catalog() -> te.Catalog:
    return te.Catalog.load(str(PROCEDURES))


@pytest.fixture(scope="module")
def procedures() -> list[Procedure]:
    return [_load(p) for p in FILES]


def test_catalog_is_not_empty() -> None:
    """The catalog ships at least the seven reference procedures."""
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_each_file_loads(path: Path) -> None:
    """Each procedure file loads on its own with load_procedure."""
    proc = _load(path)
    assert proc.code and proc.version
    assert proc.source is not None and Path(proc.source).name == path.name


def test_whole_folder_loads_as_a_catalog(catalog: te.Catalog) -> None:
    """Catalog.load accepts the whole folder: no errors."""
    assert set(catalog.codes()) == {_load(p).code for p in FILES}


def test_catalog_warnings_are_all_explained(catalog: te.Catalog) -> None:
    """Every warning (if any) is listed with a reason in EXPLAINED_WARNINGS; the catalog is strict-clean."""
    unexplained = [
        f"{w.path}:{w.line}:{w.column}: {w.code} {w.message}"
        for w in catalog.warnings
        if (str(Path(w.path).resolve().relative_to(PROCEDURES)), w.code) not in EXPLAINED_WARNINGS
    ]
    assert unexplained == []


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_file_is_named_after_its_code(path: Path) -> None:
    """procedures/<field-slug>/<code>-<slug>.yaml: the file name starts with the procedure code."""
    proc = _load(path)
    assert path.name.startswith(f"{proc.code}-")
    assert path.parent.parent == PROCEDURES


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_legal_basis_is_stated(path: Path) -> None:
    """A procedure cites its legal basis and the article that sets its deadline."""
    proc = _load(path)
    assert proc.legal_basis
    assert all(ref.document for ref in proc.legal_basis)
    assert proc.deadline.legal_basis is not None and proc.deadline.legal_basis.document
    for ext in proc.deadline.extensions:
        assert ext.legal_basis is not None, f"extension {ext.name} has no legal basis"


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_published_elements_present(path: Path) -> None:
    """What Decree 63/2010 Art. 8(2) requires a published procedure to state is filled in."""
    proc = _load(path)
    for name in ("steps", "documents", "applicants", "result", "fees", "forms", "channels"):
        assert getattr(proc, name), f"{name} is empty"
    for fee in proc.fees:
        assert fee.amount_vnd is not None or fee.rule, f"fee {fee.name!r} has neither amount nor rule"
        assert fee.legal_basis is not None, f"fee {fee.name!r} cites no circular"


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_final_outcomes(path: Path) -> None:
    """At least one final state each of outcome resolved, refused and withdrawn."""
    outcomes = {s.outcome for s in _load(path).states if s.final}
    assert {"resolved", "refused", "withdrawn"} <= outcomes


def test_codes_unique(procedures: list[Procedure]) -> None:
    """(code, version) is unique, and one version per code is in force on the reform day."""
    assert not [k for k, n in Counter(p.key for p in procedures).items() if n > 1]
    in_force = Counter(p.code for p in procedures if p.in_force(REFORM_DAY))
    assert not [code for code, n in in_force.items() if n > 1]


@pytest.mark.parametrize("code", sorted(LEGAL_TIMES), ids=sorted(LEGAL_TIMES))
def test_deadline_matches_the_law(catalog: te.Catalog, code: str) -> None:
    """The version in force on 01/07/2025 encodes the legal time and extensions of its article."""
    amount, unit, cutoff, extensions = LEGAL_TIMES[code]
    proc = catalog.in_force(code, REFORM_DAY)
    assert (proc.deadline.amount, proc.deadline.unit) == (amount, unit)
    assert (proc.deadline.cutoff.strftime("%H:%M") if proc.deadline.cutoff else None) == cutoff
    assert {e.name: (e.duration.amount, e.duration.unit) for e in proc.deadline.extensions} == extensions


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_one_stop_life(path: Path) -> None:
    """Supplement restarts the clock, a timer closes it, forms 03/04 are issued, result ready stops it."""
    proc = _load(path)
    supplement = proc.action("supplement")
    assert "restart_clock" in supplement.effects
    assert all(proc.state(s).clock == "paused" for s in supplement.sources)
    request = proc.action("request_supplement")
    assert request.issues_form == "02" and request.note_required
    assert any(t.action == "close_no_supplement" and t.after.amount == 15 for t in proc.timers)
    refuse = proc.action("refuse")
    assert refuse.note_required and refuse.issues_form == "03"
    assert proc.state(refuse.target).outcome == "refused"
    assert proc.state(proc.action("withdraw").target).outcome == "withdrawn"
    reschedules = [a for a in proc.actions if "reschedule" in a.effects]
    assert reschedules
    for action in reschedules:
        assert action.issues_form == "04" and "new_appointment" in action.requires
        assert action.sources == (action.target,)
    ready = [s for s in proc.states if s.clock == "stopped"]
    assert [s.public_status for s in ready] == [9]
    returned = proc.state(proc.action("return_result").target)
    assert returned.outcome == "resolved" and returned.public_status == 10


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_online_submissions_wait_for_reception(path: Path) -> None:
    """With an online channel, a dossier starts pending (status 1) until an officer accepts it."""
    proc = _load(path)
    initial = proc.state(proc.initial)
    if "online" in proc.channels:
        assert (initial.clock, initial.public_status) == ("pending", 1)
        accept = proc.action("accept")
        assert accept.sources == (proc.initial,) and proc.state(accept.target).clock == "runs"
    else:
        assert initial.clock == "runs"


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_one_stop_forms_declared(path: Path) -> None:
    """Forms 01-05 of Circular 01/2018/TT-VPCP are declared; every issued form is declared."""
    proc = _load(path)
    codes = {f.code for f in proc.forms}
    assert {"01", "02", "03", "04", "05"} <= codes
    assert {a.issues_form for a in proc.actions if a.issues_form} <= codes


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_excluded_steps_pause_the_clock(path: Path) -> None:
    """A step marked not counted pauses the legal clock (tax, public posting)."""
    for state in _load(path).states:
        if not state.counted:
            assert state.clock == "paused", state.id


def test_reform_versions_in_force(catalog: te.Catalog) -> None:
    """Every shipped code has a version in force on 01/07/2025, at commune or province level."""
    for code in catalog.codes():
        proc = catalog.in_force(code, REFORM_DAY)
        assert proc.level in ("commune", "province")


def test_land_flow_budgets_per_agency() -> None:
    """First land certificate: counted per-agency budgets add up to the 20 legal working days."""
    proc = next(_load(p) for p in FILES if _load(p).code == "9.000201")
    counted = sum(s.budget.amount for s in proc.states if s.budget and s.counted)
    assert counted == proc.deadline.amount
    excluded = {s.id for s in proc.states if not s.counted}
    assert {"public_posting", "tax_assessment"} <= excluded


def test_readme_indexes_every_procedure(procedures: list[Procedure]) -> None:
    """procedures/README.md lists every shipped code and file."""
    index = (PROCEDURES / "README.md").read_text(encoding="utf-8")
    for proc, path in zip(procedures, FILES, strict=True):
        assert proc.code in index
        assert path.name in index


# Dossier data that selects a data-driven extension (`when`), and the extensions it must select.
EXTENSION_CASES = [
    ("1.000894", {"needs_verification": True}, ("verification",)),
    ("1.000894", {}, ()),
    ("2.000488", {"extended_lookup": True}, ("extended_lookup",)),
    ("9.000201", {"remote_commune": True}, ("remote_commune",)),
    ("9.000201", {"remote_commune": False}, ()),
    ("2.000815", {}, ()),  # `bulk` has no `when`: only the action extend_bulk applies it
    ("2.000635", {"needs_verification": True}, ()),  # copies of extracts have no extension at all
]


@pytest.mark.parametrize(
    ("code", "data", "expected"), EXTENSION_CASES, ids=[f"{c}-{sorted(d)}" for c, d, _ in EXTENSION_CASES]
)
def test_data_selects_extensions(
    catalog: te.Catalog, code: str, data: dict[str, bool], expected: tuple[str, ...]
) -> None:
    """The `when` guards select the legal extensions from dossier data, and the due moment moves later."""
    proc = catalog.in_force(code, REFORM_DAY)
    cal = te.WorkCalendar.vietnam()
    received = dt.datetime(2025, 7, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    plain = te.compute_due(cal, proc.deadline, received, data={})
    result = te.compute_due(cal, proc.deadline, received, data=data)
    assert result.applied_extensions == expected
    assert (result.due_at > plain.due_at) == bool(expected)
