"""`tthc validate` against check-jsonschema on a generated catalog of 2,000 procedure files.

Both run as a subprocess on the same files (wall time, interpreter start-up included). We do more
(strict YAML, the full schema, model building, every semantic check, catalog checks) and must still
take less time. Also: loading one typical procedure must take at most 5 ms (median).
Targets from issue 2; `main()` returns non-zero if one is missed.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "definition" / "fixtures" / "valid_birth.yaml"
SCHEMA = ROOT / "schemas" / "procedure.schema.json"
FILES = 2000
LOAD_TARGET_MS = 5.0


def generate(folder: Path, count: int = FILES) -> list[Path]:
    """`count` distinct procedures (one code each) in field sub-folders, like a real catalog."""
    text = FIXTURE.read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        body = text.replace('code: "1.001193"', f'code: "8.{i:06d}"')
        path = folder / f"field-{i % 20:02d}" / f"8.{i:06d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def timed(argv: list[str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.returncode, (done.stdout + done.stderr).strip()[-300:]


def load_one_ms(runs: int = 200) -> float:
    from tthc_engine.definition.loader import check_file

    check_file(FIXTURE)  # compile the schema validator once, as a long-running host would
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = check_file(FIXTURE)
        samples.append((time.perf_counter() - started) * 1000)
        assert result.procedure is not None
    return statistics.median(samples)


def main() -> int:
    failed = 0
    peer = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    with tempfile.TemporaryDirectory(prefix="tthc-bench-") as tmp:
        folder = Path(tmp)
        paths = generate(folder)
        ours, rc, out = timed([sys.executable, "-m", "tthc_engine", "validate", str(folder)])
        print(f"tthc validate: {FILES} files in {ours:.2f}s (exit {rc}) — {out.splitlines()[-1]}")
        if rc != 0:
            print(out)
            failed += 1
        if Path(peer).exists():
            theirs, prc, pout = timed([peer, "--schemafile", str(SCHEMA), *map(str, paths)])
            print(f"check-jsonschema: {FILES} files in {theirs:.2f}s (exit {prc}) — {pout.splitlines()[-1]}")
            print(f"ratio tthc/check-jsonschema: {ours / theirs:.2f} (target < 1.00)")
            failed += ours >= theirs
        else:
            print("check-jsonschema is not installed: pip install -e '.[bench]'")
            failed += 1
    median = load_one_ms()
    print(f"load one typical procedure (median of 200): {median:.2f} ms (target ≤ {LOAD_TARGET_MS} ms)")
    failed += median > LOAD_TARGET_MS
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
