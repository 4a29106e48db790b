"""`tthc validate` and `tthc schema`: output formats, exit codes, strict mode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tthc_engine.cli import main

DEFINITION_TESTS = Path(__file__).resolve().parent.parent / "definition"
VALID = DEFINITION_TESTS / "fixtures" / "valid_birth.yaml"
GOLDEN = DEFINITION_TESTS / "golden"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    shutil.copy(VALID, tmp_path / "valid.yaml")
    shutil.copy(GOLDEN / "TT104-bad-enum.yaml", tmp_path / "bad.yml")
    shutil.copy(GOLDEN / "TT307-unused-role.yaml", tmp_path / "warn.yaml")
    return tmp_path


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file: exit 0 and a summary line."""
    assert main(["validate", str(VALID)]) == 0
    assert capsys.readouterr().out.strip() == "checked 1 file(s): no problems"


def test_text_format(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Problems print as path:line:col: CODE message; exit 1; folders are searched recursively."""
    assert main(["validate", str(catalog)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{catalog / 'bad.yml'}:6:8: TT104 $.level is 'comune'")
    assert lines[1].endswith("[warning]") and ":16:5: TT307 " in lines[1]
    assert lines[-1] == "checked 3 file(s): 1 error(s), 1 warning(s)"


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)], ids=["lenient", "strict"])
def test_strict_makes_warnings_fail(strict: bool, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings alone exit 0, or 1 with --strict."""
    argv = ["validate", str(GOLDEN / "TT307-unused-role.yaml")] + (["--strict"] if strict else [])
    assert main(argv) == code


def test_json_format(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json is one JSON document with counts and every problem's fields."""
    assert main(["validate", "--format", "json", str(catalog)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert (payload["errors"], payload["warnings"], payload["ok"]) == (1, 1, False)
    first = payload["problems"][0]
    assert {"path", "line", "column", "code", "message", "severity", "json_path", "hint"} <= set(first)
    assert first["json_path"] == "$.level"


def test_json_problem_fields_are_exactly_the_documented_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """A problem's JSON has the documented fields only (Problem.where, the path as data, is not one)."""
    assert main(["validate", "--format", "json", str(GOLDEN / "TT307-unused-role.yaml")]) == 0
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert list(problem) == ["path", "line", "column", "code", "message", "severity", "json_path", "hint"]
    assert (problem["code"], problem["severity"], problem["json_path"]) == ("TT307", "warning", "$.roles[1]")


def test_github_format(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format github prints workflow commands that annotate the file and line."""
    assert main(["validate", "--format", "github", str(catalog)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"::error file={catalog / 'bad.yml'},line=6,col=8,title=TT104::")
    assert lines[1].startswith("::warning ") and "title=TT307" in lines[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["validate", "/no/such/path.yaml"],
        ["validate", "--format", "xml", "x.yaml"],
        ["validate", "--max-bytes", "0", "."],
    ],
    ids=["no-path", "missing-path", "bad-format", "bad-max-bytes"],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors exit 2."""
    assert main(argv) == 2


def test_empty_folder_exits_2(tmp_path: Path) -> None:
    """A folder without any YAML file is a usage error, not a silent success."""
    assert main(["validate", str(tmp_path)]) == 2


def test_predicates_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--predicates turns unknown guard predicate names into TT403."""
    case = GOLDEN / "TT403-unknown-predicate.yaml"
    assert main(["validate", str(case)]) == 0
    assert main(["validate", "--predicates", "is_resident,has_paid_fee", str(case)]) == 1
    assert "TT403" in capsys.readouterr().out


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`tthc schema` prints the procedure schema as JSON."""
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith("/procedure/v1.json")
    assert main(["schema", "procedure", "--path"]) == 0
    assert capsys.readouterr().out.strip().endswith("procedure.schema.json")
