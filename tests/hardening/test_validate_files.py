"""`tthc validate` on files that are not procedure files: a FIFO never blocks, and dangling links,
link loops and special files in a catalog folder are problems (exit 1) — never silently skipped, so CI
does not pass while a procedure is missing. Run in a subprocess with a timeout: a regression would
otherwise hang the test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "procedures" / "ho-tich" / "1.001193-dang-ky-khai-sinh.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and symbolic links")


def _validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine", "validate", *map(str, paths)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip


def test_a_fifo_named_directly_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = _validate(fifo)
    assert done.returncode == 1, done.stderr
    assert "TT001" in done.stdout and "not a regular file" in done.stdout


def test_links_and_special_files_in_a_folder_are_problems(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "good.yaml").write_bytes(GOOD.read_bytes())
    (catalog / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (catalog / "loop-a.yaml").symlink_to(catalog / "loop-b.yaml")
    (catalog / "loop-b.yaml").symlink_to(catalog / "loop-a.yaml")
    os.mkfifo(catalog / "pipe.yaml")
    (catalog / "linked.yaml").symlink_to(catalog / "good.yaml")  # a link to a file is read
    done = _validate(catalog)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any("dangling.yaml" in line and "dangling symbolic link" in line for line in lines)
    assert sum("symbolic link loop" in line for line in lines) == 2
    assert any("pipe.yaml" in line and "not a regular file" in line for line in lines)
    assert not any("good.yaml" in line and "TT001" in line for line in lines)
