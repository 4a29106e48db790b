"""Fuzzing the loader: whatever the bytes or YAML text, only our ProcedureError comes out."""

from __future__ import annotations

import string

import pytest
from definition_helpers import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tthc_engine as te

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# YAML-ish text: the characters that drive the scanner (indicators, quotes, tags, anchors) plus words.
yaml_chars = st.sampled_from(
    list(":-?[]{},#&*!|>'\"%@`\n  \t") + list(string.ascii_letters[:8]) + ["ộ", "0", "1"]
)
yaml_text = st.lists(
    st.one_of(
        yaml_chars,
        st.sampled_from(["states:", "- id: a", "actions:", "<<:", "!!int", "&a", "*a", "---", "..."]),
    ),
    max_size=80,
).map("".join)


def load_or_procedure_error(raw: bytes | str) -> None:
    try:
        proc = te.parse_procedure(raw, "fuzz.yaml")
    except te.ProcedureError as exc:
        assert exc.problems, "a ProcedureError always carries at least one problem"
        for p in exc.problems:
            assert p.code.startswith("TT") and p.line >= 0 and p.column >= 0
    else:
        assert isinstance(proc, te.Procedure)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    """Arbitrary bytes load or raise ProcedureError, never anything else."""
    load_or_procedure_error(raw)


@FUZZ
@given(yaml_text)
def test_arbitrary_yaml_text(text: str) -> None:
    """YAML-flavoured text loads or raises ProcedureError, never anything else."""
    load_or_procedure_error(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(
    st.sampled_from(
        ["states", "actions", "deadline", "roles", "timers", "name", "effective_from", "initial"]
    ),
    json_values,
)
def test_valid_document_with_one_key_replaced(key: str, value: object) -> None:
    """Replacing one key of a valid procedure by arbitrary data still yields only ProcedureError."""
    import yaml

    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    data[key] = value
    load_or_procedure_error(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize("cut", [10, 100, 500, 1000, 2000], ids=lambda n: f"first-{n}-bytes")
def test_truncated_valid_file(cut: int) -> None:
    """A valid file cut short at any point fails cleanly."""
    load_or_procedure_error(VALID.read_bytes()[:cut])
