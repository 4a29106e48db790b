"""Historical versions of the shipped catalog: dossiers received before 01/07/2025 find their rules.

A dossier is pinned to the version in force on its day of receipt (docs/authoring.md, section 9), so each
code with a historical file must have exactly one version in force on every day around the reform, and
the historical version must keep the machine (states, actions, roles) host apps rely on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.definition.model import Procedure

ROOT = Path(__file__).resolve().parents[2]
PROCEDURES = ROOT / "procedures"
REFORM_DAY = dt.date(2025, 7, 1)  # Decree 118/2025/ND-CP and the two-tier local government
BEFORE_REFORM = dt.date(2025, 1, 24)  # the public contract example: received Fri 24/01/2025
ICT = dt.timezone(dt.timedelta(hours=7))

# code → the historical version expected before the reform.
HISTORICAL = {
    "1.001193": "2018.06",  # birth registration, Luật Hộ tịch 2014 Art. 16(2), 5(3)
    "1.000894": "2018.06",  # marriage registration, Art. 18(2)
    "2.000815": "2018.06",  # certified copy from original, Decree 23/2015 Art. 7, 21
    "1.001612": "2021.01",  # business household, Decree 01/2021 Art. 87
}
CODES = sorted(HISTORICAL)


@pytest.fixture(scope="module")
def catalog() -> te.Catalog:
    return te.Catalog.load(str(PROCEDURES))


def _versions(catalog: te.Catalog, code: str) -> list[Procedure]:
    return sorted((p for p in catalog if p.code == code), key=lambda p: p.effective_from)


@pytest.mark.parametrize("code", CODES, ids=CODES)
def test_in_force_before_and_after_reform(catalog: te.Catalog, code: str) -> None:
    """A version is in force on 24/01/2025 (the historical one) and on 01/07/2025 (the current one)."""
    before = catalog.in_force(code, BEFORE_REFORM)
    after = catalog.in_force(code, REFORM_DAY)
    assert before.version == HISTORICAL[code]
    assert after.version != before.version and after.effective_from == REFORM_DAY


@pytest.mark.parametrize("code", CODES, ids=CODES)
def test_versions_neither_overlap_nor_leave_a_gap(catalog: te.Catalog, code: str) -> None:
    """Consecutive versions touch exactly: the old one ends the day before the next one starts."""
    versions = _versions(catalog, code)
    assert len(versions) >= 2
    for old, new in itertools.pairwise(versions):
        assert old.effective_to is not None, f"{old.key} is open-ended but {new.key} follows it"
        assert old.effective_to + dt.timedelta(days=1) == new.effective_from
    assert versions[-1].effective_to is None


@pytest.mark.parametrize("code", CODES, ids=CODES)
@pytest.mark.parametrize("offset", [-2, -1, 0, 1], ids=["d-2", "d-1", "reform", "d+1"])
def test_exactly_one_version_around_the_reform(catalog: te.Catalog, code: str, offset: int) -> None:
    """On each day around 01/07/2025 exactly one version of the code is in force."""
    day = REFORM_DAY + dt.timedelta(days=offset)
    in_force = [p.version for p in _versions(catalog, code) if p.in_force(day)]
    assert len(in_force) == 1, (day, in_force)
    assert (in_force[0] == HISTORICAL[code]) == (offset < 0)


@pytest.mark.parametrize("code", CODES, ids=CODES)
def test_historical_version_keeps_the_machine(catalog: te.Catalog, code: str) -> None:
    """State ids, action names, role ids and the legal time are those of the current version."""
    old = catalog.in_force(code, BEFORE_REFORM)
    new = catalog.in_force(code, REFORM_DAY)
    assert [s.id for s in old.states] == [s.id for s in new.states]
    assert [a.name for a in old.actions] == [a.name for a in new.actions]
    assert list(old.roles) == list(new.roles)
    assert old.initial == new.initial
    assert (old.deadline.amount, old.deadline.unit, old.deadline.cutoff) == (
        new.deadline.amount,
        new.deadline.unit,
        new.deadline.cutoff,
    )
    assert [e.name for e in old.deadline.extensions] == [e.name for e in new.deadline.extensions]


def test_birth_registration_after_cutoff_across_tet_2025(tmp_path: Path) -> None:
    """Birth registration received Fri 24/01/2025 15:30 (after 15:00) is due at the end of Mon 03/02/2025."""
    calendar = te.WorkCalendar.vietnam()
    engine = te.Engine(
        te.Catalog.load(str(PROCEDURES)),  # the catalog folder, "procedures/" from the repository root
        calendar=calendar,
        store=te.SQLiteStore(tmp_path / "x.db"),
    )
    desk = te.Actor("desk-1", {"reception"})
    received = dt.datetime(2025, 1, 24, 15, 30, tzinfo=ICT)
    d = engine.submit(
        "1.001193",
        actor=desk,
        at="2025-01-24T15:30:00+07:00",
        channel="direct",
        data={"child_full_name": "Nguyễn Văn An", "child_birth_date": "2025-01-20"},
    )
    assert (d.procedure_version, d.state, d.due_at) == ("2018.06", "submitted", None)
    assert "accept" in engine.available_actions(d.id, desk)
    d = engine.act(d.id, "accept", actor=desk, at=received)
    assert (d.state, d.received_at) == ("received", received)
    # Luật Hộ tịch Art. 5(3): after 15:00 → the next working day. Sat 25 - Sun 2 Feb are off (weekend and
    # Tết 27-31 Jan 2025), so the next working day is Mon 3 Feb; the due moment is its end of office hours.
    next_day = received.date() + dt.timedelta(days=1)
    while not calendar.is_working_day(next_day):
        next_day += dt.timedelta(days=1)
    assert next_day == dt.date(2025, 2, 3)
    assert d.due_at == calendar.end_of_working_day(next_day)
    assert d.due_at == dt.datetime(2025, 2, 3, 17, 0, tzinfo=ICT)
