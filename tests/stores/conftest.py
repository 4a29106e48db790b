"""The store contract fixture: every test in tests/stores/ runs against every store factory.

Adding a store is one line in STORE_FACTORIES. PostgresStore's factory needs TTHC_TEST_POSTGRES_DSN
(pg_helpers.py): without it those cases skip, saying how to run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pg_helpers
import pytest

from tthc_engine.stores import MemoryStore, SQLiteStore, Store

StoreFactory = Callable[[Path], Store]
STORE_FACTORIES: dict[str, StoreFactory] = {
    "memory": lambda tmp: MemoryStore(),
    "sqlite": lambda tmp: SQLiteStore(tmp / "contract.db"),
    "postgres": lambda tmp: pg_helpers.pg_store(),
}
MARKS = {"postgres": pytest.mark.postgres}


@pytest.fixture(
    params=[pytest.param(name, marks=MARKS.get(name, ())) for name in sorted(STORE_FACTORIES)],
    ids=sorted(STORE_FACTORIES),
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = STORE_FACTORIES[request.param](tmp_path)
    yield made
    made.close()


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schemas() -> Iterator[None]:
    """The run's PostgreSQL schemas are dropped when the session ends (pg_helpers.RUN names them)."""
    yield
    pg_helpers.drop_schemas()
