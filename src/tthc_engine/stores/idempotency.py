"""Idempotency-key fingerprints: a key replays only the request it was first used for.

A retried request (HTTP retry, queue redelivery) must get the first result back; a *different*
request that happens to reuse the key (a client bug: one key for submit and then accept) must not
silently receive that old result as if it had been done. So the store keeps, next to each key, a
fingerprint of the request: `operation|target|action|sha256` where the hash covers the canonical
JSON (audit/canonical.py) of actor, `at` (as UTC: the same instant written with another offset is
the same request), note and data (and the channel of a submit). Keys stored without a fingerprint
(before SQLite schema 2, or by a caller committing without one) replay for any request, as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_engine.audit.canonical import sha256_hex
from tthc_engine.errors import ConcurrencyError


def request_fingerprint(
    operation: str,
    target: str,
    action: str,
    *,
    actor: str,
    at: dt.datetime,
    note: str | None,
    data: Any,
    channel: str | None = None,
) -> str:
    """The fingerprint of one engine call. `target`: the dossier id of an act, the procedure code of
    a submit. `data` must already be JSON-compatible (runtime/values.json_data); None and {} agree."""
    digest = sha256_hex(
        {
            "actor": actor,
            "at": at.astimezone(dt.UTC),
            "note": note or None,
            "data": data or {},
            "channel": channel,
        }
    )
    return f"{operation}|{target}|{action}|{digest}"


def describe(fingerprint: str) -> str:
    """A fingerprint in words, for error messages: "act 'accept' on dossier 3f2a…"."""
    parts = fingerprint.split("|")
    if len(parts) < 4:
        return f"a request with fingerprint {fingerprint!r}"
    operation, target, action = parts[0], "|".join(parts[1:-2]), parts[-2]
    if operation == "submit":
        return f"submit of procedure {target}"
    return f"{operation} {action!r} on dossier {target}"


def check_reuse(key: str, first: str | None, given: str | None, *, dossier_id: str | None = None) -> None:
    """Raise ConcurrencyError when `key` was first stored for another request than `given`.

    A missing fingerprint on either side (legacy key, or a commit made without one) accepts the
    replay: we cannot tell, and refusing would break retries of requests recorded before schema 2.
    """
    if first is None or given is None or first == given:
        return
    said_first, said_now = describe(first), describe(given)
    if said_first == said_now:
        said_now += " with a different at/note/data/actor"
    raise ConcurrencyError(
        f"idempotency key {key!r} was first used for {said_first}; this call is {said_now}. "
        "A key may only be replayed with exactly the same request: use a new key for each distinct "
        "call, and resend a retry with the same arguments (including `at`)",
        dossier_id=dossier_id,
        reasons=[f"first use: {first}", f"this call: {given}"],
    )
