"""`tthc graph`: every shipped procedure drawn in DOT (checked by Graphviz) and Mermaid (checked by
the mermaid parser when available, structurally always), with Vietnamese labels, roles, budgets,
clocks and final outcomes.

Graphviz: `apt-get install graphviz` (Debian; .ci/run installs it). Mermaid's own parser:
`mkdir /tmp/mmd && cd /tmp/mmd && npm install mermaid@11 jsdom`, then run the tests with
`TTHC_MERMAID_DIR=/tmp/mmd`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.cli import main
from tthc_engine.definition.diagram import dot, mermaid, render

ROOT = Path(__file__).resolve().parents[2]
CATALOG = te.Catalog.load(ROOT / "procedures")
PROCS = list(CATALOG)
IDS = [f"{p.code}@{p.version}" for p in PROCS]
DOT = shutil.which("dot")
NODE = shutil.which("node")
MERMAID_DIR = os.environ.get("TTHC_MERMAID_DIR")
HOUSEHOLD = CATALOG.get("1.001612", "2025.07")


@pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is absent: apt-get install graphviz, then rerun")
@pytest.mark.parametrize("proc", PROCS, ids=IDS)
def test_dot_is_drawn_by_graphviz(proc: te.Procedure) -> None:
    assert DOT is not None
    done = subprocess.run([DOT, "-Tsvg"], input=dot(proc), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "<svg" in done.stdout and proc.state(proc.initial).label.vi in done.stdout


_MERMAID_LINE = re.compile(
    r"^(stateDiagram-v2|---|title: [^\n]+|"
    r'    state "[^"\n]+" as s\d+_\w+|'
    r"    (\[\*\]|s\d+_\w+) --> (\[\*\]|s\d+_\w+)(: [^\n;\"]+)?|"
    r"    classDef \w+ [\w:#,.-]+|    class [\w,]+ \w+)$"
)


@pytest.mark.parametrize("proc", PROCS, ids=IDS)
def test_mermaid_is_well_formed(proc: te.Procedure) -> None:
    """Structural check of every line (what the mermaid grammar accepts for each statement kind)."""
    text = mermaid(proc)
    bad = [line for line in text.splitlines() if not _MERMAID_LINE.match(line)]
    assert bad == []
    ids = set(re.findall(r" as (s\d+_\w+)$", text, re.M))
    used = set(re.findall(r"(s\d+_\w+)", text))
    assert used == ids  # every edge names a declared state


@pytest.mark.skipif(
    NODE is None or not MERMAID_DIR,
    reason="the mermaid parser is not set up: cd /tmp/mmd && npm install mermaid@11 jsdom, "
    "then TTHC_MERMAID_DIR=/tmp/mmd pytest tests/definition/test_diagram.py (.ci/run does it with npm)",
)
def test_mermaid_is_accepted_by_mermaid() -> None:
    """Every shipped procedure's diagram, and one with quotes and semicolons in a label, in one node run."""
    import json

    import attrs

    assert NODE is not None
    odd = HOUSEHOLD.states[0]
    odd = attrs.evolve(odd, label=attrs.evolve(odd.label, vi='Hồ sơ "mới"; #1 <b>'))
    texts = [mermaid(p) for p in PROCS] + [
        mermaid(attrs.evolve(HOUSEHOLD, states=(odd, *HOUSEHOLD.states[1:])))
    ]
    script = (Path(__file__).parent / "mermaid_parse.mjs").read_text(encoding="utf-8")
    broken = 'stateDiagram-v2\n  state "x as y\n'  # the parser must refuse it: the check checks
    command = [NODE, "--input-type=module", "-e", script]
    done = subprocess.run(
        command,
        input=json.dumps([*texts, broken]),
        cwd=MERMAID_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert answers[:-1] == [None] * len(texts)
    assert answers[-1] is not None


def test_the_mermaid_check_rejects_a_broken_diagram() -> None:
    text = mermaid(HOUSEHOLD).replace(" as s1_received", " as s1 received")
    assert any(not _MERMAID_LINE.match(line) for line in text.splitlines())


def test_labels_say_roles_budgets_clocks_and_outcomes() -> None:
    text = mermaid(HOUSEHOLD)
    assert 'state "Đã tiếp nhận<br/>trạng thái 2 · đang tính thời hạn<br/>định mức 0,5 ngày làm việc"' in text
    assert "Tiếp nhận hồ sơ<br/>vai trò: Cán bộ Bộ phận Một cửa<br/>mẫu 01" in text
    assert "tạm dừng tính thời hạn" in text and "tính lại thời hạn" in text
    assert "⏱ tự động sau 15 ngày làm việc" in text
    assert "kết thúc: đã giải quyết" in text and "s6_returned --> [*]" in text
    assert "class s6_returned resolved" in text
    graph = dot(HOUSEHOLD)
    assert (
        '"returned" [label="Đã trả kết quả\\ntrạng thái 10\\nkết thúc: đã giải quyết", peripheries=2' in graph
    )
    assert "style=dashed" in graph  # the timer


def test_quotes_in_labels_are_escaped() -> None:
    import attrs

    state = HOUSEHOLD.states[0]
    odd = attrs.evolve(state, label=attrs.evolve(state.label, vi='Hồ sơ "mới"; #1'))
    proc = attrs.evolve(HOUSEHOLD, states=(odd, *HOUSEHOLD.states[1:]))
    assert "Hồ sơ #quot;mới#quot;#59; #35;1" in mermaid(proc)
    assert 'Hồ sơ \\"mới\\"; #1' in dot(proc)


def test_tthc_graph_by_code_and_by_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = str(ROOT / "procedures")
    assert main(["graph", "1.001612", "--catalog", catalog, "--on", "2025-01-24", "--format", "dot"]) == 0
    assert "2021.01" in capsys.readouterr().out
    assert main(["graph", "1.001612", "--catalog", catalog, "--version", "2025.07"]) == 0
    assert capsys.readouterr().out == render(HOUSEHOLD, "mermaid")
    out = tmp_path / "g.dot"
    assert main(["graph", str(HOUSEHOLD.source), "--format", "dot", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dot(HOUSEHOLD)
    assert main(["graph", "0.000000", "--catalog", catalog]) == 2  # UnknownProcedure
    assert main(["graph", "1.001612", "--catalog", catalog, "--on", "24/01/2025"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: tthc/procedure/v1\ncode: 1\n", encoding="utf-8")
    assert main(["graph", str(bad)]) == 1
    assert "TT" in capsys.readouterr().err
