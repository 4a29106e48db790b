"""The package surface: version, exports and the error tree."""

import tthc_engine as te
from tthc_engine.cli import main


def test_all_names_resolve() -> None:
    """Every name in __all__ is importable from the root."""
    for name in te.__all__:
        assert getattr(te, name) is not None, name


def test_errors_subclass_builtins() -> None:
    """Callers can catch our errors as the builtin they expect."""
    assert issubclass(te.ProcedureError, ValueError)
    assert issubclass(te.UnknownDossier, LookupError)
    assert issubclass(te.NaiveDatetimeError, TypeError)
    assert issubclass(te.ConcurrencyError, te.TthcError)


def test_problem_format() -> None:
    """Problems print as path:line:col: CODE message."""
    p = te.Problem("a.yaml", 3, 5, "TT101", "bad thing", hint="do this")
    assert p.format() == "a.yaml:3:5: TT101 bad thing (hint: do this)"


def test_cli_version(capsys: object) -> None:
    """`tthc --version` exits 0."""
    assert main(["--version"]) == 0


def test_cli_without_command_is_usage_error() -> None:
    """No sub-command is a usage error (exit 2)."""
    assert main([]) == 2
