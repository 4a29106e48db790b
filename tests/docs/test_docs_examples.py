"""Every python block in docs/*.md runs as written: blocks of one page in order, in one namespace
(a block opening te.PostgresStore only when TTHC_TEST_POSTGRES_DSN reaches a server)."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.S | re.M)


def _blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text(encoding="utf-8"))


def _postgres_reachable() -> bool:
    """A block that opens te.PostgresStore runs only when TTHC_TEST_POSTGRES_DSN reaches a server."""
    dsn = os.environ.get("TTHC_TEST_POSTGRES_DSN")
    if not dsn:
        return False
    try:
        import psycopg

        psycopg.connect(dsn, connect_timeout=3).close()
    except Exception:
        return False
    return True


PAGES = [page for page in sorted((ROOT / "docs").glob("*.md")) if _blocks(page)]


def test_docs_have_python_examples() -> None:
    """The parametrized test below has pages to run (a broken glob or fence regex would skip them all)."""
    assert len(PAGES) >= 5, [p.name for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_docs_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the page's python blocks from the repository root, any "tthc.db" redirected to a temp dir."""
    monkeypatch.chdir(ROOT)
    stray = ROOT / "tthc.db"
    existed = stray.exists()
    database = tmp_path / "tthc.db"
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    blocks = _blocks(page)
    postgres = None
    for index, code in enumerate(blocks):
        if "te.PostgresStore" in code:
            postgres = _postgres_reachable() if postgres is None else postgres
            if not postgres:
                continue  # no server: this block is skipped, the page's others still run
        source = code.replace('"tthc.db"', repr(str(database)))
        exec(compile(source, f"docs/{page.name} (python block {index})", "exec"), namespace)
    assert stray.exists() == existed, f"docs/{page.name} wrote tthc.db into the repository root"
    if any('"tthc.db"' in code for code in blocks):
        assert database.exists(), f"docs/{page.name} names tthc.db but no database was written"
