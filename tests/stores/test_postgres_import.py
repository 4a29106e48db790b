"""The postgres extra is optional: without psycopg the package imports and PostgresStore says what
to install (no server needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
WITHOUT_PSYCOPG = """
import sys
sys.modules["psycopg"] = None  # as if the extra were not installed
sys.modules["psycopg_pool"] = None
import tthc_engine as te
te.SQLiteStore, te.MemoryStore
try:
    te.PostgresStore
except ImportError as exc:
    print(exc)
else:
    raise SystemExit("PostgresStore imported without psycopg")
"""


def test_package_imports_without_psycopg() -> None:
    """`import tthc_engine` needs no psycopg; `te.PostgresStore` then raises ImportError naming the extra."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_PSYCOPG], capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pip install 'tthc-engine[postgres]'" in done.stdout


def test_postgres_store_resolves_from_the_root() -> None:
    """With the extra installed, te.PostgresStore is the store class (lazily imported)."""
    import pytest

    pytest.importorskip("psycopg")
    pytest.importorskip("psycopg_pool")
    import tthc_engine as te
    from tthc_engine.stores.postgres import PostgresStore

    assert te.PostgresStore is PostgresStore
    assert te.stores.PostgresStore is PostgresStore
