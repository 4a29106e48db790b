"""Fixtures shared by the definition tests: the valid birth-registration procedure and variants of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid_birth.yaml"


def valid_data() -> dict[str, Any]:
    """The valid fixture as plain data (dates and codes are quoted strings in the file)."""
    data: dict[str, Any] = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    return data


def dump(data: dict[str, Any]) -> str:
    """YAML text for `data`; PyYAML quotes strings that would read back as other types."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def variant(change: Callable[[dict[str, Any]], None]) -> str:
    """The valid procedure with one change applied, as YAML text."""
    data = copy.deepcopy(valid_data())
    change(data)
    return dump(data)
