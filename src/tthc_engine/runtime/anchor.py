"""Anchors: what a host keeps outside the database so that a consistent rewrite can be caught.

A chain verifies itself, but a consistent rewrite (an entry edited and the tail re-hashed, the head
updated), a truncation with the head rewound, a deleted dossier or a whole file rolled back to a
backup leave a database that verifies. Only something kept elsewhere can show them: an anchor lists
every dossier's chain length and head hash at a moment, with one digest over the list (optionally
keyed, HMAC-SHA-256, so only the host can make one). Keep it where the database's operators cannot
rewrite it — a signed log, a document sent to the inspector, a public ledger — and check the store
against it later: every anchored dossier must still exist, and its chain must still pass through the
anchored head at the anchored length (a chain that grew since is fine; one that differs there is not).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from tthc_engine.records import Dossier
from tthc_engine.stores.base import Store
from tthc_engine.stores.queries import Filter

FORMAT = "tthc-anchor/1"


@attrs.frozen
class Anchor:
    """Every dossier's (id, audit_count, audit_head) at `at`, sorted by id, and their digest."""

    at: dt.datetime
    heads: tuple[tuple[str, int, str], ...]
    digest: str
    keyed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "at": self.at.isoformat(), "keyed": self.keyed, "digest": self.digest,
                "heads": [list(h) for h in self.heads]}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Anchor:
        heads = tuple((str(i), int(n), str(h)) for i, n, h in data["heads"])
        return cls(dt.datetime.fromisoformat(data["at"]), heads, str(data["digest"]), bool(data["keyed"]))


def digest(heads: Iterable[tuple[str, int, str]], key: bytes | None = None) -> str:
    """SHA-256 (or HMAC-SHA-256 with `key`) over the lines "id:count:head", one per dossier, sorted."""
    text = "".join(f"{i}:{n}:{h}\n" for i, n, h in heads).encode("utf-8")
    if key is not None:
        return hmac.new(key, text, hashlib.sha256).hexdigest()
    return hashlib.sha256(text).hexdigest()


def all_dossiers(store: Store, where: Filter | None = None) -> Iterable[Dossier]:
    """Every dossier of the store (matching `where`), page by page (the store's keyset pagination)."""
    after = None
    while True:
        page = store.dossiers(where or Filter(), order="due", after=after, limit=500)
        yield from page.items
        if page.next is None:
            return
        after = page.next


def take(store: Store, at: dt.datetime, key: bytes | None = None) -> Anchor:
    heads = tuple(sorted((d.id, d.audit_count, d.audit_head) for d in all_dossiers(store)))
    return Anchor(at, heads, digest(heads, key), key is not None)


def check(anchor: Anchor, store: Store, key: bytes | None = None) -> list[str]:
    """What in the store contradicts `anchor`, one line each (empty: consistent with it)."""
    problems: list[str] = []
    if anchor.keyed != (key is not None) or digest(anchor.heads, key) != anchor.digest:
        return ["the anchor itself does not match its digest (edited, or checked with another key)"]
    for dossier_id, count, head in anchor.heads:
        try:
            d = store.load(dossier_id)
        except LookupError:
            problems.append(f"dossier {dossier_id} was anchored with {count} entries and is gone")
            continue
        if d.audit_count < count:
            problems.append(f"dossier {dossier_id} has {d.audit_count} entries, {count} when anchored: "
                            "truncated or rolled back")  # fmt: skip
            continue
        entries = store.entries(dossier_id)
        if len(entries) < count or entries[count - 1].hash != head:
            problems.append(f"dossier {dossier_id}: entry #{count} is not the one anchored ({head[:12]}…): "
                            "the chain was rewritten")  # fmt: skip
    return problems
