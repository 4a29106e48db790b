"""The layering of docs/architecture.md is true: no module imports from a layer above its own.

Every `import tthc_engine.X` / `from tthc_engine.X import …` in src/ is read with `ast` — at module
level, inside functions and under `if TYPE_CHECKING:` alike, since a lazy or type-only import
against the order is still a dependency against it. A module may import its own layer and the
layers below. The table here and the one in docs/architecture.md are the same (a test checks it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tthc_engine"

# Lowest first. Each entry: the top-level modules/packages of tthc_engine in that layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version", "_resources", "timeutil"),
    ("diagnostics",),
    ("definition", "calendar", "audit"),
    ("sla",),
    ("records",),
    ("stores",),
    ("reporting",),
    ("runtime",),
    ("scenarios",),
    ("cli", "__init__", "__main__"),
)
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _top(module: str) -> str:
    """'tthc_engine.runtime.plan' -> 'runtime'; 'tthc_engine' -> '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _package(path: Path) -> str:
    return _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]


def _imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, imported module) of every tthc_engine import in `path`, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("tthc_engine")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name == "tthc_engine":  # `from tthc_engine import x`: x is the submodule
                found += [(node.lineno, f"tthc_engine.{a.name}") for a in node.names]
            elif name.startswith("tthc_engine."):
                found.append((node.lineno, name))
    return found


def _violations() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        own = _top(_module_name(path)) if path.parent != SRC else path.stem
        if own not in LAYER_OF:
            out.append(f"{path.relative_to(ROOT)}: module {own!r} is in no layer (add it to LAYERS)")
            continue
        for line, target in _imports(path, _package(path)):
            top = _top(target)
            if top not in LAYER_OF:
                out.append(f"{path.relative_to(ROOT)}:{line}: imports {target}, which is in no layer")
            elif LAYER_OF[top] > LAYER_OF[own] and own not in ("__init__", "__main__"):
                out.append(
                    f"{path.relative_to(ROOT)}:{line}: {own} (layer {LAYER_OF[own]}) imports {target} "
                    f"(layer {LAYER_OF[top]}, above it)"
                )
    return out


def test_no_module_imports_a_layer_above_its_own() -> None:
    """Dependencies point one way (docs/architecture.md): lower layers never import higher ones."""
    assert _violations() == []


def test_the_checker_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    """A function-level or TYPE_CHECKING import is found like a module-level one."""
    sample = tmp_path / "m.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from tthc_engine.runtime.engine import Engine\n"
        "def f():\n    import tthc_engine.cli\n    from tthc_engine import stores\n",
        encoding="utf-8",
    )
    names = [name for _line, name in sorted(_imports(sample, "tthc_engine.x"))]
    assert names == ["tthc_engine.runtime.engine", "tthc_engine.cli", "tthc_engine.stores"]


def test_architecture_doc_states_the_same_order() -> None:
    """docs/architecture.md's layer list names the same layers in the same order."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers -->\n```\n(.*?)```", text, re.S)
    if block is None:
        pytest.fail("docs/architecture.md needs the layer block between <!-- layers --> and a ``` fence")
    doc_layers = [
        tuple(sorted(re.findall(r"[a-z_]+", line.split(":", 1)[1])))
        for line in block.group(1).strip().splitlines()
    ]
    ours = [tuple(sorted(n for n in names if not n.startswith("__"))) for names in LAYERS]
    assert doc_layers == ours
