"""Checking what callers hand the engine: moments (`at`) and JSON-compatible dossier data."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from tthc_engine.errors import DataError, NaiveDatetimeError


def moment(value: dt.datetime | str, what: str = "at") -> dt.datetime:
    """An aware datetime from a datetime or an ISO 8601 string with offset; naive is an error.

    We never guess the zone of a legal moment (DESIGN.md, "Time").
    """
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise DataError(
                f"{what}={value!r} is not an ISO 8601 moment; write e.g. '2025-01-24T15:30:00+07:00'"
            ) from None
        value = parsed
    elif not isinstance(value, dt.datetime):
        raise DataError(
            f"{what} must be a timezone-aware datetime or an ISO 8601 string, not {type(value).__name__}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{what}={value.isoformat()} has no UTC offset; pass e.g. {value.isoformat()}+07:00 "
            "or a datetime with tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')"
        )
    return value


def json_data(value: Any, path: str = "data") -> Any:
    """A JSON-compatible deep copy of `value` (tuples become lists), or DataError naming the bad path.

    Dossier data is stored as JSON and hashed into the audit chain, so anything JSON cannot carry
    exactly (datetimes, sets, NaN, non-string keys, objects) is refused up front.
    """
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{path} is {value!r}; JSON has no NaN or infinity — store null or a string")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise DataError(f"{path} has the key {key!r} ({type(key).__name__}); JSON keys are strings")
            out[key] = json_data(item, f"{path}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [json_data(item, f"{path}[{i}]") for i, item in enumerate(value)]
    hint = " — pass .isoformat() with an offset" if isinstance(value, (dt.date, dt.datetime)) else ""
    raise DataError(f"{path} is a {type(value).__name__}, which is not JSON-compatible{hint}")
