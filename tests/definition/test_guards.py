"""The one guard evaluator: schema guards on read-only data, predicates, compiled once."""

from types import MappingProxyType

from tthc_engine.definition.guards import GuardEvaluator
from tthc_engine.definition.model import Guard

GUARD = Guard(
    schema={
        "type": "object",
        "properties": {"financial_obligation": {"const": True}},
        "required": ["financial_obligation"],
    }
)


def test_schema_guard_accepts_mapping_proxy() -> None:
    """Regression: stored data (a MappingProxyType) passed 'type: object' only as a plain dict."""
    checker = GuardEvaluator({})
    assert checker.reasons(GUARD, MappingProxyType({"financial_obligation": True})) == []


def test_schema_guard_still_fails_on_wrong_value() -> None:
    """A read-only mapping that breaks the guard gives the jsonschema reason."""
    reasons = GuardEvaluator({}).reasons(GUARD, MappingProxyType({"financial_obligation": False}))
    assert any("financial_obligation" in r or "True was expected" in r for r in reasons)


def test_schema_is_compiled_once_per_guard() -> None:
    """The same guard object reuses its compiled validator (no validator built per act)."""
    evaluator = GuardEvaluator()
    evaluator.reasons(GUARD, {"financial_obligation": True})
    first = evaluator._validator(GUARD)
    evaluator.reasons(GUARD, {"financial_obligation": False})
    assert evaluator._validator(GUARD) is first


def test_predicates_decide_and_unregistered_ones_are_undecided() -> None:
    """decide(): the registered predicate's verdict; None for a predicate nobody registered."""
    guard = Guard(predicate="is_remote")
    assert GuardEvaluator({"is_remote": lambda d: bool(d.get("far"))}).decide(guard, {"far": 1}) is True
    assert GuardEvaluator({"is_remote": lambda d: False}).decide(guard, {}) is False
    assert GuardEvaluator().decide(guard, {}) is None
