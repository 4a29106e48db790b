"""Guards see a dossier's stored (read-only) data as a JSON object."""

from types import MappingProxyType

from tthc_engine.definition.model import Guard
from tthc_engine.runtime.guards import GuardChecker

GUARD = Guard(
    schema={
        "type": "object",
        "properties": {"financial_obligation": {"const": True}},
        "required": ["financial_obligation"],
    }
)


def test_schema_guard_accepts_mapping_proxy() -> None:
    """Regression: stored data (a MappingProxyType) passed 'type: object' only as a plain dict."""
    checker = GuardChecker({})
    assert checker.reasons(GUARD, MappingProxyType({"financial_obligation": True})) == []


def test_schema_guard_still_fails_on_wrong_value() -> None:
    """A read-only mapping that breaks the guard gives the jsonschema reason."""
    reasons = GuardChecker({}).reasons(GUARD, MappingProxyType({"financial_obligation": False}))
    assert any("financial_obligation" in r or "True was expected" in r for r in reasons)
