"""Checking the dossier data callers hand the engine: JSON-compatible, or DataError naming the path.

(Moments are checked by tthc_engine.timeutil.moment, the one time checker.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from tthc_engine.errors import DataError

# Limits on what a dossier's data may hold, so that every record can be read, verified and exported
# by any JSON reader: nesting as deep as the YAML reader allows, integers that an IEEE double holds
# exactly (RFC 8259 §6: beyond ±2**53 other readers lose digits — write such numbers as text).
MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53


def json_data(value: Any, path: str = "data", depth: int = 0) -> Any:
    """A JSON-compatible deep copy of `value` (tuples become lists), or DataError naming the bad path.

    Dossier data is stored as JSON and hashed into the audit chain, so anything JSON cannot carry
    exactly (datetimes, sets, NaN, non-string keys, objects, lone surrogates, integers past ±2**53,
    nesting past MAX_DEPTH levels) is refused up front.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value, path)
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        size = "more than 4000 digits" if value.bit_length() > 13000 else f"{len(str(value))} digits"
        raise DataError(
            f"{path} is an integer of {size}, past ±2**53 that every JSON reader holds exactly "
            "(RFC 8259 §6); store it as a string"
        )
    if depth >= MAX_DEPTH:
        raise DataError(f"{path} is nested more than {MAX_DEPTH} levels deep; flatten the data")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{path} is {value!r}; JSON has no NaN or infinity — store null or a string")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DataError(f"{path} has the key {key!r} ({type(key).__name__}); JSON keys are strings")
            out[_text(key, f"{path} (a key)")] = json_data(item, f"{path}.{key}", depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [json_data(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    hint = " — pass .isoformat() with an offset" if isinstance(value, (dt.date, dt.datetime)) else ""
    raise DataError(f"{path} is a {type(value).__name__}, which is not JSON-compatible{hint}")


def _text(value: str, path: str) -> str:
    """`value` when it is valid Unicode text (UTF-8 encodable); a lone surrogate (half of a pair,
    e.g. from a broken decoder) cannot be stored as UTF-8 or hashed: DataError."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DataError(
                f"{path} holds a lone surrogate (\\u{ord(value[exc.start]):04x} at {exc.start}), which is "
                "not text; decode the input as UTF-8 again"
            ) from None
    return value
