"""The README's Python example runs as written and its comments tell the truth."""

import datetime as dt
import re
from pathlib import Path

import pytest


def test_readme_python_example(repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the README's first python block from the repository root (database in a temp dir)."""
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block, "README.md lost its python example"
    code = block.group(1).replace('"tthc.db"', repr(str(tmp_path / "tthc.db")))
    monkeypatch.chdir(repo_root)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    d = namespace["d"]
    cal = namespace["cal"]
    assert cal.add_working_days(dt.date(2025, 1, 24), 3) == dt.date(2025, 2, 5)  # type: ignore[attr-defined]
    assert d.number == "000.21.21.H47-250124-0001"  # type: ignore[attr-defined]
    assert d.due_at.isoformat() == "2025-02-05T17:00:00+07:00"  # type: ignore[attr-defined]
