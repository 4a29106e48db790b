"""The canonical JSON form that audit hashes are computed over (docs/audit.md documents it).

An external auditor must be able to recompute every hash with nothing but a JSON library and
SHA-256, so the form is deliberately plain: keys sorted, no insignificant whitespace, UTF-8 with
non-ASCII characters kept as-is (ensure_ascii False), datetimes as ISO 8601 strings WITH their UTC
offset (`datetime.isoformat()`), dates as `YYYY-MM-DD`, tuples as arrays. Floats use Python's
shortest round-trip repr; NaN and infinities are refused (they are not JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from tthc_engine.timeutil import aware

GENESIS_HASH = "0" * 64  # the `prev_hash` of a dossier's first entry


def _default(value: object) -> object:
    if isinstance(value, dt.datetime):
        return aware(value, "a datetime in audit data").isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON-compatible in canonical audit data")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
)
# The same encoder's C core, built once instead of on every call (json.JSONEncoder.encode builds it
# anew each time, with a circular-reference check that JSON trees from json_data never need).
_C_ENCODER = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, _default, encode_basestring, None, ":", ",", True, False, False)
)


def canonical_json(value: Any) -> str:
    """The canonical text of `value` (see the module docstring)."""
    if _C_ENCODER is None or isinstance(value, str):  # a bare string: the C core wants a container
        return _ENCODER.encode(value)
    return "".join(_C_ENCODER(value, 0))


def canonical_bytes(value: Any) -> bytes:
    return canonical_json(value).encode("utf-8")


def sha256_hex(value: Any) -> str:
    """SHA-256 (lower-case hex) of the canonical UTF-8 bytes of `value`."""
    return sha256_text(canonical_json(value))


def sha256_text(text: str) -> str:
    """SHA-256 (lower-case hex) of `text` already in canonical form, as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
