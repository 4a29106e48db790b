"""Run the performance suite: every benchmarks/bench_*.py module's `main()` in one process.

Each module measures us against a named peer in the same run and prints ratios, so the figures are
comparable on whatever machine runs them. `python benchmarks/run.py [name ...]` runs a subset
(`calendar` runs bench_calendar.py).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    modules = sorted(HERE.glob("bench_*.py"))
    failed = 0
    for path in modules:
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n=== {path.name} ===", flush=True)
        started = time.perf_counter()
        rc = int(module.main() or 0)
        print(f"--- {path.name}: {time.perf_counter() - started:.1f}s, exit {rc}")
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
