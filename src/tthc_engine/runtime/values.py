"""Checking the dossier data callers hand the engine: JSON-compatible, or DataError naming the path.

(Moments are checked by tthc_engine.timeutil.moment, the one time checker.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from tthc_engine.errors import DataError


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
