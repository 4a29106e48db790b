"""The shipped pre-commit hook checks each change against the whole catalog, and stays fast.

pre-commit passes only the changed files. The catalog checks (TT401 duplicate versions, TT402
overlapping effective dates — the most legally sensitive: a dossier must be pinned to exactly one
version) need the other versions too, so the hook names the catalog folder (`--catalog`): the changed
files are checked in full, the other files are read for their code, version and dates only.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import yaml

import tthc_engine as te
from tthc_engine.cli import main
from tthc_engine.definition import catalog as catalog_module

ROOT = Path(__file__).resolve().parents[2]
VALID = (ROOT / "tests" / "definition" / "fixtures" / "valid_birth.yaml").read_text(encoding="utf-8")
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def version(folder: Path, name: str, ver: str, start: str, end: str | None = None) -> Path:
    text = VALID.replace('version: "2025.07"', f'version: "{ver}"').replace(
        'effective_from: "2025-07-01"',
        f'effective_from: "{start}"' + (f'\neffective_to: "{end}"' if end else ""),
    )
    path = folder / "procedures" / "ho-tich" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def hook_argv(hook_id: str, changed: list[Path]) -> list[str]:
    """What pre-commit runs for the hook: its entry, its args, then the changed files."""
    [hook] = [h for h in HOOKS if h["id"] == hook_id]
    argv = [*shlex.split(hook["entry"]), *hook.get("args", []), *map(str, changed)]
    assert argv[0] == "tthc"
    return argv[1:]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalog repository: the 2018 version, open-ended, and the 2025 version overlapping it."""
    version(tmp_path, "khai-sinh-2018.yaml", "2018.06", "2018-06-21", None)
    version(tmp_path, "khai-sinh.yaml", "2025.07", "2025-07-01")
    monkeypatch.chdir(tmp_path)  # pre-commit runs hooks from the repository root
    return tmp_path


@pytest.mark.parametrize("hook_id", ["tthc-validate", "tthc-validate-strict"])
def test_a_change_is_checked_against_the_whole_catalog(
    repo: Path, hook_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Committing only the new version still finds that the old one overlaps it (TT402)."""
    changed = [Path("procedures/ho-tich/khai-sinh.yaml")]
    assert main(hook_argv(hook_id, changed)) == 1
    out = capsys.readouterr().out
    assert "procedures/ho-tich/khai-sinh.yaml:11:17: TT402" in out
    assert "set effective_to: \"2025-06-30\" on version '2018.06'" in out
    assert "checked 1 file(s) against 1 other catalog file(s)" in out


def test_changing_the_old_version_finds_the_overlap_too(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The problem is positioned in the other file, which the change made conflict."""
    assert main(hook_argv("tthc-validate", [Path("procedures/ho-tich/khai-sinh-2018.yaml")])) == 1
    assert "procedures/ho-tich/khai-sinh.yaml:11:17: TT402" in capsys.readouterr().out


def test_a_duplicate_version_is_reported_on_the_changed_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = repo / "procedures" / "ho-tich" / "khai-sinh-copy.yaml"
    shutil.copy(repo / "procedures" / "ho-tich" / "khai-sinh.yaml", copy)
    assert main(hook_argv("tthc-validate", [Path("procedures/ho-tich/khai-sinh-copy.yaml")])) == 1
    out = capsys.readouterr().out
    assert "procedures/ho-tich/khai-sinh-copy.yaml:4:10: TT401" in out


def test_problems_between_unchanged_files_are_not_the_commits(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unrelated change is not blocked by an overlap it did not touch (CI's full run finds it)."""
    version(repo, "ket-hon.yaml", "2025.07", "2025-07-01").write_text(
        VALID.replace('code: "1.001193"', 'code: "1.000894"'), encoding="utf-8"
    )
    assert main(hook_argv("tthc-validate", [Path("procedures/ho-tich/ket-hon.yaml")])) == 0
    assert "no problems" in capsys.readouterr().out


def test_a_fixed_overlap_passes(repo: Path) -> None:
    version(repo, "khai-sinh-2018.yaml", "2018.06", "2018-06-21", "2025-06-30")
    assert main(hook_argv("tthc-validate", [Path("procedures/ho-tich/khai-sinh-2018.yaml")])) == 0


def test_only_the_changed_files_are_checked_in_full(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast: the other catalog files are never schema-checked or linted, only scanned for identity."""
    for i in range(40):
        version(repo, f"khac-{i}.yaml", f"2025.{i:02d}x", "2030-01-01").write_text(
            VALID.replace('code: "1.001193"', f'code: "9.{i:06d}"'), encoding="utf-8"
        )
    full: list[str] = []
    real = catalog_module.check_file
    monkeypatch.setattr(
        catalog_module, "check_file", lambda name, **kw: full.append(name) or real(name, **kw)
    )
    report = te.validate_paths(["procedures/ho-tich/khai-sinh.yaml"], catalog="procedures")
    assert full == ["procedures/ho-tich/khai-sinh.yaml"]
    assert len(report.context) == 41
    assert [p.code for p in report.problems] == ["TT402"]


def test_identity_written_in_flow_style_is_read_by_the_yaml_reader(repo: Path) -> None:
    """A file not written key-per-line is still compared (the fast scan falls back to the reader)."""
    old = repo / "procedures" / "ho-tich" / "khai-sinh-2018.yaml"
    old.write_text(
        '{format: tthc/procedure/v1, code: "1.001193", version: "2018.06", effective_from: "2018-06-21"}\n',
        encoding="utf-8",
    )
    report = te.validate_paths(["procedures/ho-tich/khai-sinh.yaml"], catalog="procedures")
    assert [p.code for p in report.problems] == ["TT402"]


def test_a_missing_catalog_folder_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--catalog", "catalog", "procedures/ho-tich/khai-sinh.yaml"]) == 2
    err = capsys.readouterr().err
    assert "--catalog" in err and "catalog" in err and "args:" in err


def test_the_fast_read_agrees_with_the_full_load_on_the_shipped_catalog() -> None:
    """Code, version, dates and their positions, for every shipped procedure."""
    report = te.validate_paths([ROOT / "procedures"])
    assert report.procedures
    for proc in report.procedures:
        assert proc.source is not None
        entry = catalog_module.read_entry(proc.source)
        assert entry is not None
        assert entry.key == proc.key and entry.source == proc.source
        assert (entry.effective_from, entry.effective_to) == (proc.effective_from, proc.effective_to)
        full = catalog_module.check_file(proc.source).source_map
        for key in ("version", "effective_from"):
            assert entry.source_map.position((key,)) == full.position((key,)), (proc.source, key)
    assert catalog_module.read_entry(str(ROOT / "calendars" / "vietnam.yaml")) is None
