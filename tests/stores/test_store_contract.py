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
