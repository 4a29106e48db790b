"""docs/diagnostics.md documents every code with its severity, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from tthc_engine.definition.codes import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"


def test_every_code_is_documented_once() -> None:
    """Each code has exactly one '### TTxxx' section and the doc has no unknown code."""
    headings = re.findall(r"^### (TT\d{3}) — .*\((error|warning)", DOC.read_text(encoding="utf-8"), re.M)
    assert sorted(code for code, _ in headings) == sorted(CODES)
    for code, severity in headings:
        assert CODES[code][0] == severity, code
