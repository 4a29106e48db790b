"""The shipped procedure keys, read at collection time for parametrization ids."""

from __future__ import annotations

from pathlib import Path

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]


def shipped_keys() -> list[tuple[str, str]]:
    return [p.key for p in te.Catalog.load(ROOT / "procedures")]
