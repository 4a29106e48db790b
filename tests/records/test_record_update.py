"""RecordUpdate (the typed fields one change sets) names exactly the Dossier's fields."""

from __future__ import annotations

import typing

import attrs

from tthc_engine.records import Dossier, RecordUpdate


def test_record_update_keys_are_the_dossier_fields_but_its_id() -> None:
    """A field added to Dossier must be added to RecordUpdate with the same type, and back."""
    fields = {f.name: f.type for f in attrs.fields(Dossier) if f.name != "id"}
    hints = typing.get_type_hints(RecordUpdate)
    assert set(hints) == set(fields)
    dossier_hints = typing.get_type_hints(Dossier)
    assert all(hints[name] == dossier_hints[name] for name in hints)
