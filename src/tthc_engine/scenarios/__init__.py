"""SCENARIOS: stories with simulated time that check a procedure the way an author tells it.

A layer of its own above the runtime (it drives the public engine) and below the CLI
(docs/architecture.md). The format is schemas/scenario.schema.json, explained in docs/scenarios.md.

    reader.py         a scenario file → frozen steps and positioned problems (TS0xx, TS1xx, TS2xx)
    runner.py         each story on a fresh in-memory store; failed expectations are TS3xx problems
    pytest_plugin.py  collects `*.scenario.yaml` files as pytest items (entry point `pytest11`)
"""

from tthc_engine.scenarios.reader import (
    SCENARIO_FILE,
    SCENARIO_FORMAT,
    SCENARIO_SUFFIX,
    Scenario,
    ScenarioFile,
    Step,
    discover_scenarios,
    parse_scenarios,
    read_scenarios,
)
from tthc_engine.scenarios.runner import (
    CalendarCache,
    ScenarioResult,
    TestReport,
    error_matches,
    run_file,
    run_paths,
    run_story,
)

__all__ = [
    "SCENARIO_FILE",
    "SCENARIO_FORMAT",
    "SCENARIO_SUFFIX",
    "CalendarCache",
    "Scenario",
    "ScenarioFile",
    "ScenarioResult",
    "Step",
    "TestReport",
    "discover_scenarios",
    "error_matches",
    "parse_scenarios",
    "read_scenarios",
    "run_file",
    "run_paths",
    "run_story",
]
