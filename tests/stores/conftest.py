"""The store contract fixture: every test in tests/stores/ runs against every store factory.

Adding a store is one line in STORE_FACTORIES (PostgresStore joins with a DSN-gated factory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tthc_engine.stores import MemoryStore, SQLiteStore, Store

StoreFactory = Callable[[Path], Store]
STORE_FACTORIES: dict[str, StoreFactory] = {
    "memory": lambda tmp: MemoryStore(),
    "sqlite": lambda tmp: SQLiteStore(tmp / "contract.db"),
}


@pytest.fixture(params=sorted(STORE_FACTORIES), ids=sorted(STORE_FACTORIES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = STORE_FACTORIES[request.param](tmp_path)
    yield made
    made.close()
