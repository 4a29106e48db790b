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


def test_reference_example_is_valid() -> None:
    """The complete example in docs/procedure-yaml.md loads without any problem."""
    from tthc_engine.definition.loader import check_source

    text = (DOC.parent / "procedure-yaml.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    example = next(b for b in blocks if b.startswith("# yaml-language-server"))
    assert check_source(example, "procedure-yaml.md").problems == ()
