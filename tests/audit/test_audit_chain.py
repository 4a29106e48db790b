"""Canonical hashing and chain verification: every kind of tampering is named."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_engine.audit import GENESIS_HASH, AuditEntry, canonical_json, verify_chain
from tthc_engine.errors import AuditIntegrityError, NaiveDatetimeError

TZ = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2025, 1, 24, 15, 30, tzinfo=TZ)


def chain(n: int, dossier_id: str = "d1") -> list[AuditEntry]:
    out: list[AuditEntry] = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        e = AuditEntry.seal(
            sequence=i,
            dossier_id=dossier_id,
            kind="submit" if i == 1 else "act",
            at=T0 + dt.timedelta(hours=i),
            recorded_at=T0 + dt.timedelta(hours=i, seconds=1),
            actor="cán-bộ-7",
            roles=("reception",),
            action=None if i == 1 else f"step{i}",
            from_state=None if i == 1 else f"s{i - 1}",
            to_state=f"s{i}",
            note="Ghi chú tiếng Việt" if i == 2 else None,
            changes={"họ_tên": {"to": "Nguyễn Thị Bình"}} if i == 1 else {},
            clock={"due_at": (T0 + dt.timedelta(days=3)).isoformat()},
            procedure_code="1.001193",
            procedure_version="2025.07",
            calendar_digest="abc",
            prev_hash=prev,
        )
        out.append(e)
        prev = e.hash
    return out


def test_canonical_form_is_sorted_compact_utf8() -> None:
    """Keys sorted, no whitespace, non-ASCII kept, datetimes ISO with offset."""
    text = canonical_json({"b": 1, "a": "Hồ sơ", "t": T0})
    assert text == '{"a":"Hồ sơ","b":1,"t":"2025-01-24T15:30:00+07:00"}'


def test_canonical_refuses_naive_datetimes_and_nan() -> None:
    """A naive datetime or NaN cannot be hashed."""
    with pytest.raises(NaiveDatetimeError):
        canonical_json({"t": dt.datetime(2025, 1, 1)})
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_hash_recomputable_with_stdlib_only() -> None:
    """An external auditor recomputes the hash from the exported dict with json + hashlib."""
    for e in chain(3):
        exported = e.to_dict()
        claimed = exported.pop("hash")
        text = json.dumps(exported, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == claimed


def test_round_trip_keeps_hash() -> None:
    """from_dict(to_dict()) gives an equal entry whose hash still verifies."""
    for e in chain(3):
        back = AuditEntry.from_dict(json.loads(json.dumps(e.to_dict())))
        assert back == e
        assert back.compute_hash() == e.hash


def test_intact_chain_verifies() -> None:
    """An untouched chain passes against its head and count."""
    c = chain(5)
    verify_chain("d1", c, head_hash=c[-1].hash, count=5)


def _edited(c: list[AuditEntry]) -> list[AuditEntry]:
    c[2] = attrs.evolve(c[2], note="sửa")
    return c


def _removed(c: list[AuditEntry]) -> list[AuditEntry]:
    del c[2]
    return c


def _reordered(c: list[AuditEntry]) -> list[AuditEntry]:
    c[1], c[2] = c[2], c[1]
    return c


def _renumbered(c: list[AuditEntry]) -> list[AuditEntry]:
    del c[2]
    return [attrs.evolve(e, sequence=i) for i, e in enumerate(c, 1)]


def _truncated(c: list[AuditEntry]) -> list[AuditEntry]:
    return c[:3]


def _foreign(c: list[AuditEntry]) -> list[AuditEntry]:
    c[1] = chain(2, "other")[1]
    return c


@pytest.mark.parametrize(
    ("tamper", "first_bad", "word"),
    [
        (_edited, 3, "edited"),
        (_removed, 3, "removed"),
        (_reordered, 2, "removed"),
        (_renumbered, 3, "prev_hash"),
        (_truncated, 4, "truncated"),
        (_foreign, 2, "belongs"),
    ],
    ids=["edited", "removed", "reordered", "removed-and-renumbered", "truncated", "foreign-entry"],
)
def test_tampering_names_first_bad_entry(
    tamper: Callable[[list[AuditEntry]], list[AuditEntry]], first_bad: int, word: str
) -> None:
    """Each tampering raises AuditIntegrityError naming the first bad entry."""
    original = chain(5)
    with pytest.raises(AuditIntegrityError, match=word) as info:
        verify_chain("d1", tamper(list(original)), head_hash=original[-1].hash, count=5)
    assert info.value.sequence == first_bad
    assert info.value.dossier_id == "d1"


def test_head_mismatch_detected() -> None:
    """A chain whose tail was replaced consistently still fails against the stored head."""
    c = chain(4)
    with pytest.raises(AuditIntegrityError, match="head"):
        verify_chain("d1", c, head_hash="f" * 64, count=4)


@given(st.integers(min_value=1, max_value=8), st.data())
def test_any_single_edit_is_detected(n: int, data: st.DataObject) -> None:
    """Changing the actor of any one entry is always caught at that entry."""
    c = chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    c[i] = attrs.evolve(c[i], actor=data.draw(st.text(min_size=1).filter(lambda s: s != "cán-bộ-7")))
    with pytest.raises(AuditIntegrityError) as info:
        verify_chain("d1", c, head_hash=chain(n)[-1].hash, count=n)
    assert info.value.sequence == i + 1


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    st.text(), st.one_of(st.none(), st.text()), st.dictionaries(st.text(), _json_values, max_size=4),
    st.lists(st.text(), max_size=3),
)  # fmt: skip
def test_fast_encoder_matches_generic_canonical_form(
    actor: str, note: str | None, changes: dict, roles: list
) -> None:  # type: ignore[type-arg]
    """The engine's hand-written entry encoding hashes exactly like canonical_json of the payload."""
    e = AuditEntry.seal(
        sequence=7, dossier_id="d", kind="act", at=T0, recorded_at=T0, actor=actor, roles=tuple(roles),
        action="a", from_state="x", to_state="y", note=note, changes=changes, clock={"k": changes},
        procedure_code="c", procedure_version="v", calendar_digest="g", prev_hash=GENESIS_HASH,
    )  # fmt: skip
    assert e.hash == hashlib.sha256(canonical_json(e.payload()).encode("utf-8")).hexdigest()
