"""Idempotency fingerprints in every store: replay, refusal of a different request, legacy keys."""

from __future__ import annotations

import attrs
import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.errors import ConcurrencyError
from tthc_engine.stores import Store
from tthc_engine.stores.idempotency import request_fingerprint

FP_A = request_fingerprint("act", "d1", "a", actor="officer-7", at=T0, note=None, data=None)
FP_B = request_fingerprint("act", "d1", "b", actor="officer-7", at=T0, note=None, data=None)


def test_same_fingerprint_replays(store: Store) -> None:
    """A commit with the key and fingerprint of a stored one returns the first result, writes nothing."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    first, _ = store.commit(attrs.evolve(next_commit(d, state="a", key="r-1"), fingerprint=FP_A))
    again, replayed = store.commit(attrs.evolve(next_commit(d, state="a", key="r-1"), fingerprint=FP_A))
    assert replayed and again == first
    assert store.recall("r-1", FP_A) == first == store.recall("r-1")
    assert len(store.entries("d1")) == 2


def test_different_fingerprint_is_refused(store: Store) -> None:
    """Commit, create and recall under a used key with another fingerprint raise, naming the first use."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    first, _ = store.commit(attrs.evolve(next_commit(d, state="a", key="r-1"), fingerprint=FP_A))
    with pytest.raises(ConcurrencyError, match=r"'r-1'.*first used for act 'a' on dossier d1"):
        store.commit(attrs.evolve(next_commit(first, state="b", key="r-1"), fingerprint=FP_B))
    with pytest.raises(ConcurrencyError, match="act 'b'"):
        store.recall("r-1", FP_B)
    with pytest.raises(ConcurrencyError, match="r-1"):
        store.create(lambda seq: attrs.evolve(first_commit("d2", f"N{seq}", key="r-1"), fingerprint=FP_B),
                     sequence_key="k")  # fmt: skip
    assert store.load("d1") == first
    assert len(store.entries("d1")) == 2
    store.commit(next_commit(first, state="c"))  # the store is still usable after the refusal


def test_key_without_fingerprint_accepts_any_replay(store: Store) -> None:
    """A key stored without a fingerprint (legacy) replays for any request, as before."""
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    first, _ = store.commit(next_commit(d, state="a", key="old-1"))
    again, replayed = store.commit(attrs.evolve(next_commit(d, state="b", key="old-1"), fingerprint=FP_B))
    assert replayed and again == first
    assert store.recall("old-1", FP_B) == first
