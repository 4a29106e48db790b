"""AuditEntry.stored_text (the hashed text with the hash spliced in) equals the canonical JSON of
the entry's dict, for every entry the shipped scenarios write and for adversarial data: keys named
`kind` in the data changes, quotes and Vietnamese text in notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import tthc_engine as te
from tthc_engine.audit.canonical import GENESIS_HASH, canonical_json
from tthc_engine.audit.entry import AuditEntry

T0 = dt.datetime(2025, 8, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
KEYS = st.sampled_from(["kind", "hash", ',"kind":', "from_state", "x"]) | TEXT
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)
MAPPINGS = st.dictionaries(KEYS, VALUES, max_size=4)


@settings(max_examples=200, deadline=None)
@given(changes=MAPPINGS, note=st.none() | TEXT, clock=MAPPINGS)
def test_spliced_text_is_the_canonical_text(
    changes: dict[str, object], note: str | None, clock: dict[str, object]
) -> None:
    entry = AuditEntry.seal(
        sequence=1, dossier_id="d1", kind="act", at=T0, recorded_at=T0, actor='o"1', roles=("a", 'b"'),
        action="accept", from_state="s", to_state="t", note=note, changes=changes, clock=clock,
        procedure_code="1.0", procedure_version="2025.07", calendar_digest="cal-x", prev_hash=GENESIS_HASH,
    )  # fmt: skip
    assert entry.stored_text() == canonical_json(entry.to_dict())
    entry.release_text()
    assert entry.stored_text() == canonical_json(entry.to_dict())


def test_every_entry_of_a_dossier_life(procedures_dir: Path) -> None:
    engine = te.Engine(te.Catalog.load(procedures_dir))
    desk, officer = te.Actor("desk", {"reception"}), te.Actor("o", {"specialist", "leader"})
    d = engine.submit("1.001612", actor=desk, at=T0, channel="direct",
                      data={"household_name": 'Hộ "Bình An"', "kind": "x"})  # fmt: skip
    for action, actor, note in (("accept", desk, None), ("assign", desk, None),
                                ("request_supplement", officer, 'thiếu "giấy", kind'),
                                ("supplement", desk, None)):  # fmt: skip
        engine.act(d.id, action, actor=actor, at=T0, note=note)
    history = engine.history(d.id)  # MemoryStore keeps the entries, their text released
    assert len(history) == 5 and all(e._text is None for e in history)
    for e in history:
        assert e.stored_text() == canonical_json(e.to_dict())
