"""docs/diagnostics.md documents every registered code with its severity, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from tthc_engine.diagnostics import CODES, OVERLAY_FILE, PROCEDURE_FILE

DOC = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
TEXT = DOC.read_text(encoding="utf-8")


def test_every_code_is_documented_once() -> None:
    """Each TT and TC code has exactly one '### CODE — title (severity)' section; the doc has no other."""
    headings = re.findall(r"^### (T[TCS]\d{3}) — .*\((error|warning)", TEXT, re.M)
    assert sorted(code for code, _ in headings) == sorted(CODES)
    for code, severity in headings:
        assert CODES[code].severity == severity, code


def test_reading_table_matches_the_reader() -> None:
    """The procedure/overlay table of reading problems says what the reader's two FileKinds report."""
    rows = re.findall(r"^\| [^|]+ \| (TT0\d\d) \| (TC1\d\d) \|$", TEXT, re.M)
    reader_pairs = set(zip(PROCEDURE_FILE.codes(), OVERLAY_FILE.codes(), strict=True))
    assert ("TT001", "TC106") in rows  # unreadable: reported by the loaders, before the reader
    assert set(rows) - {("TT001", "TC106")} == reader_pairs


def test_reference_example_is_valid() -> None:
    """The complete example in docs/procedure-yaml.md loads without any problem."""
    from tthc_engine.definition.loader import check_source

    text = (DOC.parent / "procedure-yaml.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    example = next(b for b in blocks if b.startswith("# yaml-language-server"))
    assert check_source(example, "procedure-yaml.md").problems == ()
