"""A pytest plugin: every `*.scenario.yaml` file is collected, each story of it one test item.

Installed with the package (entry point `pytest11`, name `tthc`), it is active in every pytest run:
a catalog repository needs only its scenario files under its test paths. Without the entry point
(a source checkout), enable it with `-p tthc_engine.scenarios.pytest_plugin` or
`pytest_plugins = ["tthc_engine.scenarios.pytest_plugin"]` in a root conftest.py. The catalog is the
folder of the `tthc_catalog` ini option or `--tthc-catalog DIR` (default: `procedures`, relative to
the rootdir). A failure is reported as `tthc test` prints it: path:line:col: TSxxx message.

This module imports only pytest at load (it is loaded for every pytest run); the engine loads the
first time a scenario file is collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tthc_engine.definition.catalog import Catalog
    from tthc_engine.errors import Problem
    from tthc_engine.scenarios.reader import Scenario, ScenarioFile
    from tthc_engine.scenarios.runner import CalendarCache

SUFFIX = ".scenario.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "tthc_catalog", "folder of procedure files scenario files run against", default="procedures"
    )
    group = parser.getgroup("tthc", "tthc-engine scenario files")
    group.addoption("--tthc-catalog", metavar="DIR", help="procedure folder for *.scenario.yaml files")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ScenarioFileCollector.from_parent(parent, path=file_path)
    return None


class _Shared:
    """The catalog and calendars, loaded once per pytest run."""

    def __init__(self, config: pytest.Config) -> None:
        from tthc_engine.definition.catalog import Catalog
        from tthc_engine.scenarios.runner import CalendarCache

        given = config.getoption("--tthc-catalog") or config.getini("tthc_catalog")
        folder = Path(given)
        if not folder.is_absolute():
            folder = config.rootpath / folder
        self.catalog: Catalog = Catalog.load(folder)
        self.calendars: CalendarCache = CalendarCache()


_SHARED = pytest.StashKey[_Shared]()


def _shared(config: pytest.Config) -> _Shared:
    if _SHARED not in config.stash:
        config.stash[_SHARED] = _Shared(config)
    return config.stash[_SHARED]


class ScenarioFailed(Exception):
    """A story did not go as written (or its file did not read); carries the positioned problems."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class ScenarioFileCollector(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from tthc_engine.scenarios.reader import read_scenarios

        sf = read_scenarios(self.path)
        if sf.problems:
            yield ScenarioItem.from_parent(self, name="(file)", scenario_file=sf, story=None)
            return
        for story in sf.scenarios:
            yield ScenarioItem.from_parent(self, name=story.name, scenario_file=sf, story=story)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario_file: ScenarioFile, story: Scenario | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario_file = scenario_file
        self.story = story

    def runtest(self) -> None:
        if self.story is None:
            raise ScenarioFailed(self.scenario_file.problems)
        from tthc_engine.scenarios.runner import run_story

        shared = _shared(self.config)
        result = run_story(self.scenario_file, self.story, shared.catalog, shared.calendars)
        if result.problems:
            raise ScenarioFailed(result.problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return "\n".join(p.format() for p in excinfo.value.problems)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = None
        if self.story is not None:
            line = self.scenario_file.source_map.position(self.story.where)[0] - 1
        return self.path, line, f"scenario: {self.name}"
