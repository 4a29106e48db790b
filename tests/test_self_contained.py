"""The repository stands on its own: docs, code, procedures and tests cite the law (document and
article) or a file of this repository, never the working notes the project was started from."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

# the names of the founding notes and of the folder that held them (outside the repository)
OUTSIDE = re.compile(r"\b(DOMAIN|DESIGN|STYLE|FORMS)\.md\b|\.\./shared\b|shared/legal\b")


def _tracked(root: Path) -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=root, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: run the tests from a clone of the repository")
    return [root / line for line in out.splitlines() if line and line != "CHANGELOG.md"]


def test_no_reference_to_files_outside_the_repository(repo_root: Path) -> None:
    found = []
    for path in _tracked(repo_root):
        if path.suffix not in {".py", ".md", ".yaml", ".yml", ".json", ".toml", ".txt", ".cfg", ""}:
            continue
        if path == Path(__file__) or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(repo_root)}:{number}: {line.strip()}")
    assert not found, "cite the law or a file of this repository instead:\n" + "\n".join(found)
