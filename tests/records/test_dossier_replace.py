"""`Dossier.replace` refuses a field the record does not have, naming it and the valid ones.

A misspelt field (`apointment_at`) used to be copied into the object and silently dropped when the
store saved the record: the change was lost without a word.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

import tthc_engine as te
from tthc_engine.records import RecordUpdate

ROOT = Path(__file__).resolve().parents[2]
DESK = te.Actor("desk-1", {"reception"})


@pytest.fixture(scope="module")
def dossier() -> te.Dossier:
    engine = te.Engine(te.Catalog.load(ROOT / "procedures"), calendar=te.WorkCalendar.vietnam())
    return engine.submit("1.001612", actor=DESK, at="2025-08-04T09:00:00+07:00", channel="direct")


def test_replace_applies_known_fields(dossier: te.Dossier) -> None:
    later = dt.datetime(2025, 8, 20, 17, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    new = dossier.replace({"appointment_at": later, "reschedules": 1})
    assert (new.appointment_at, new.reschedules) == (later, 1)
    assert new.to_dict()["appointment_at"] == later.isoformat()
    assert dossier.reschedules == 0  # the original is untouched


def test_misspelt_field_is_refused_with_the_valid_ones(dossier: te.Dossier) -> None:
    changes = cast(RecordUpdate, {"apointment_at": None, "state": "received"})
    with pytest.raises(te.TthcError) as caught:
        dossier.replace(changes)
    error = caught.value
    assert isinstance(error, TypeError)  # what attrs.evolve raises for an unknown field
    text = str(error)
    assert "'apointment_at'" in text
    assert "did you mean 'appointment_at'?" in text
    valid = [f.name for f in attrs.fields(te.Dossier) if f.name != "id"]
    assert all(name in text for name in valid)


def test_the_id_is_not_a_changeable_field(dossier: te.Dossier) -> None:
    with pytest.raises(te.TthcError, match="'id'"):
        dossier.replace(cast(Any, {"id": "another"}))
