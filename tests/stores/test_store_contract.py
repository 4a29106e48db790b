"""The Store contract, run against every store in STORE_FACTORIES."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.audit.chain import verify_chain
from tthc_engine.errors import ConcurrencyError, StoreError, UnknownDossier
from tthc_engine.stores import Store


def test_create_then_load_round_trips(store: Store) -> None:
    """A created dossier loads back equal, Vietnamese data included."""
    created, replayed = store.create(
        lambda seq: first_commit("d1", f"A-250124-{seq:04d}"), sequence_key="A:250124"
    )
    assert not replayed
    loaded = store.load("d1")
    assert loaded == created
    assert loaded.data["họ_tên"] == "Nguyễn Văn A"
    assert loaded.number == "A-250124-0001"


def test_sequences_count_per_key(store: Store) -> None:
    """Each sequence key counts from 1 on its own."""
    numbers = []
    for i, key in enumerate(["A:250124", "A:250124", "B:250124", "A:250127"]):
        d, _ = store.create(lambda seq, i=i, key=key: first_commit(f"d{i}", f"{key}-{seq}"), sequence_key=key)
        numbers.append(d.number)
    assert numbers == ["A:250124-1", "A:250124-2", "B:250124-1", "A:250127-1"]


def test_duplicate_number_is_refused(store: Store) -> None:
    """A numbering that ignores the allocated sequence cannot create two equal numbers."""
    store.create(lambda seq: first_commit("d1", "SAME"), sequence_key="k")
    with pytest.raises(StoreError, match="SAME"):
        store.create(lambda seq: first_commit("d2", "SAME"), sequence_key="k")
    with pytest.raises(UnknownDossier):
        store.load("d2")


def test_commit_appends_entries_and_bumps_version(store: Store) -> None:
    """A commit replaces the record and extends the chain, which still verifies."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    d2, replayed = store.commit(next_commit(d))
    assert not replayed
    assert store.load("d1").state == "processing"
    assert store.load("d1").version == 2
    chain = store.entries("d1")
    assert [e.sequence for e in chain] == [1, 2]
    verify_chain("d1", chain, head_hash=d2.audit_head, count=d2.audit_count)


def test_stale_commit_raises_and_writes_nothing(store: Store) -> None:
    """Of two commits computed from the same version, the second raises ConcurrencyError."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    store.commit(next_commit(d, state="a"))
    with pytest.raises(ConcurrencyError) as info:
        store.commit(next_commit(d, state="b"))
    assert info.value.dossier_id == "d1"
    assert store.load("d1").state == "a"
    assert len(store.entries("d1")) == 2


def test_commit_unknown_dossier(store: Store) -> None:
    """Committing to a dossier that does not exist raises UnknownDossier."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    import attrs

    ghost = next_commit(attrs.evolve(d, id="ghost"))
    with pytest.raises(UnknownDossier):
        store.commit(ghost)


def test_idempotency_key_replays_first_result(store: Store) -> None:
    """A commit under a used idempotency key returns the first result and writes nothing."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    first, replayed1 = store.commit(next_commit(d, state="a", key="retry-1"))
    again, replayed2 = store.commit(next_commit(d, state="b", key="retry-1"))
    assert (replayed1, replayed2) == (False, True)
    assert again == first
    assert store.recall("retry-1") == first
    assert store.recall("never") is None
    assert len(store.entries("d1")) == 2


def test_idempotent_create(store: Store) -> None:
    """A create under a used key returns the first dossier and allocates no new number."""
    a, _ = store.create(lambda seq: first_commit("d1", f"N{seq}", key="sub-1"), sequence_key="k")
    b, replayed = store.create(lambda seq: first_commit("d2", f"N{seq}", key="sub-1"), sequence_key="k")
    assert replayed and b == a
    c, _ = store.create(lambda seq: first_commit("d3", f"N{seq}"), sequence_key="k")
    assert c.number == "N2"


def test_due_uses_next_check_at(store: Store) -> None:
    """due() lists dossiers whose next check has come, earliest first, respecting the limit."""
    later = T0 + dt.timedelta(days=2)
    store.create(lambda seq: first_commit("late", "N1", check=later), sequence_key="k")
    store.create(lambda seq: first_commit("soon", "N2", check=T0 + dt.timedelta(hours=1)), sequence_key="k")
    store.create(lambda seq: first_commit("never", "N3"), sequence_key="k")
    assert store.due(T0) == []
    assert store.due(T0 + dt.timedelta(days=1)) == ["soon"]
    assert store.due(later) == ["soon", "late"]
    assert store.due(later, limit=1) == ["soon"]
    assert store.due(later.astimezone(dt.UTC)) == ["soon", "late"]


def test_due_follows_updates(store: Store) -> None:
    """A commit that clears or moves next_check_at changes what due() returns."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1", check=T0), sequence_key="k")
    assert store.due(T0) == ["d1"]
    d2, _ = store.commit(next_commit(d, check=None))
    assert store.due(T0 + dt.timedelta(days=9)) == []
    store.commit(next_commit(d2, state="x", check=T0 + dt.timedelta(days=5)))
    assert store.due(T0 + dt.timedelta(days=4)) == []
    assert store.due(T0 + dt.timedelta(days=5)) == ["d1"]


def test_unknown_reads(store: Store) -> None:
    """Reading an unknown dossier raises UnknownDossier naming it."""
    with pytest.raises(UnknownDossier, match="nope"):
        store.load("nope")
    with pytest.raises(UnknownDossier):
        store.entries("nope")


# --- receipts: a number allocated inside the commit (Store.commit_numbered) ---


def _lodged(store: Store, dossier_id: str) -> None:
    store.create(lambda seq: first_commit(dossier_id, None, reference=f"NOP-{seq}"), sequence_key="lodge")  # type: ignore[arg-type]


def _receive(store: Store, dossier_id: str, key: str = "A-250124", **kw: object) -> tuple[object, bool]:
    current = store.load(dossier_id)
    return store.commit_numbered(
        lambda seq: next_commit(current, number=f"{key}-{seq:04d}", receiving_agency="A", **kw),  # type: ignore[arg-type]
        sequence_key=key,
    )


def test_receipt_numbers_count_per_key_and_are_stored(store: Store) -> None:
    """The number given at receipt comes from its own sequence, inside the commit, and is kept."""
    for i in range(3):
        _lodged(store, f"d{i}")
    assert store.load("d0").number is None and store.load("d0").reference == "NOP-1"
    _receive(store, "d2")
    _receive(store, "d0")
    _receive(store, "d1", key="B-250124")
    got = {i: (store.load(i).number, store.load(i).receiving_agency) for i in ("d0", "d1", "d2")}
    assert got == {"d0": ("A-250124-0002", "A"), "d1": ("B-250124-0001", "A"), "d2": ("A-250124-0001", "A")}
    verify_chain("d0", store.entries("d0"), head_hash=store.load("d0").audit_head, count=2)


def test_a_failed_receipt_consumes_no_number(store: Store) -> None:
    """A conflict, an error raised while building and a replayed key hand the number back."""
    for i in range(2):
        _lodged(store, f"d{i}")
    stale = store.load("d0")
    store.commit(next_commit(stale))  # someone else changed d0 meanwhile
    with pytest.raises(ConcurrencyError):
        store.commit_numbered(lambda seq: next_commit(stale, number=f"A-{seq}"), sequence_key="A")
    with pytest.raises(RuntimeError, match="refused"):
        store.commit_numbered(lambda seq: (_ for _ in ()).throw(RuntimeError("refused")), sequence_key="A")
    fresh = store.load("d0")
    first, replayed = store.commit_numbered(
        lambda seq: next_commit(fresh, number=f"A-{seq}", key="receipt-1"), sequence_key="A"
    )
    assert not replayed and first.number == "A-1"  # type: ignore[attr-defined]
    again, replayed = store.commit_numbered(
        lambda seq: next_commit(fresh, number=f"A-{seq}", key="receipt-1"), sequence_key="A"
    )
    assert replayed and again == first
    other = store.load("d1")
    d1, _ = store.commit_numbered(lambda seq: next_commit(other, number=f"A-{seq}"), sequence_key="A")
    assert d1.number == "A-2"


def test_a_receipt_number_already_given_is_refused(store: Store) -> None:
    for i in range(2):
        _lodged(store, f"d{i}")
    a, b = store.load("d0"), store.load("d1")
    store.commit_numbered(lambda seq: next_commit(a, number="SAME"), sequence_key="A")
    with pytest.raises(StoreError, match="SAME"):
        store.commit_numbered(lambda seq: next_commit(b, number="SAME"), sequence_key="A")
    assert store.load("d1").number is None
