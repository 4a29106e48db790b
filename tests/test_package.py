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


def test_every_public_name_has_its_owner() -> None:
    """The lazy root (PEP 562) knows where each name of __all__ lives, and nothing else."""
    assert set(te.__all__) == {*te._EXPORTS, "__version__"} - {"PostgresStore"}  # the optional extra
    assert set(te.__all__) <= set(dir(te))


def _loaded_after(code: str) -> set[str]:
    import subprocess
    import sys

    report = "print(' '.join(m for m in sys.modules if m.startswith('tthc_engine')))"
    out = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\n{report}"], capture_output=True, text=True, check=True
    ).stdout
    return set(out.splitlines()[-1].split())


def test_tthc_version_loads_nothing_else() -> None:
    """`tthc --version` is at most a few times a bare interpreter: it loads no engine (issue: fast enough
    to run on every commit)."""
    loaded = _loaded_after("from tthc_engine.cli import main\nmain(['--version'])")
    assert loaded == {"tthc_engine", "tthc_engine._version", "tthc_engine.cli"}


def test_a_command_loads_only_its_own_module(repo_root: object) -> None:
    """`tthc validate FILE` registers validate alone: the runtime, the stores and reporting stay unloaded."""
    path = f"{repo_root}/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yaml"
    loaded = _loaded_after(f"from tthc_engine.cli import main\nmain(['validate', {path!r}])")
    assert "tthc_engine.cli.validate" in loaded
    assert not {
        m
        for m in loaded
        if m.startswith(("tthc_engine.runtime", "tthc_engine.stores", "tthc_engine.reporting"))
    }
