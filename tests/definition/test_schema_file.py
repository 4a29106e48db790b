"""schemas/procedure.schema.json: valid 2020-12, versioned, bilingual descriptions, enums as agreed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from tthc_engine._resources import schema_path
from tthc_engine.definition.model import CHANNELS, LEVELS, OUTCOMES


def load() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path("procedure.schema.json").read_text(encoding="utf-8"))
    return schema


def properties(node: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in node.items():
            yield from properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from properties(sub, f"{where}[{i}]")


def test_schema_is_valid_and_versioned() -> None:
    """The schema is a valid 2020-12 schema with a versioned $id."""
    schema = load()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/procedure/v1.json")


def test_every_property_is_described_in_both_languages() -> None:
    """Every property has a description 'Vietnamese — English'."""
    missing = [where for where, sub in properties(load()) if " — " not in sub.get("description", "")]
    assert missing == []


def test_enums_match_the_model() -> None:
    """Levels, channels and outcomes in the schema are the model's literals."""
    props = load()["properties"]
    assert tuple(props["level"]["enum"]) == LEVELS
    assert tuple(props["channels"]["items"]["enum"]) == CHANNELS
    assert tuple(props["states"]["items"]["properties"]["outcome"]["enum"]) == OUTCOMES
    status = props["states"]["items"]["properties"]["public_status"]
    assert (status["minimum"], status["maximum"]) == (1, 10)


def test_decree_63_elements_have_keys() -> None:
    """Each element a published procedure states (Decree 63/2010 Art. 8(2)) has a key."""
    keys = set(load()["properties"])
    assert {
        "name",
        "steps",
        "channels",
        "documents",
        "deadline",
        "applicants",
        "agency",
        "forms",
        "result",
        "conditions",
        "fees",
        "legal_basis",
    } <= keys
