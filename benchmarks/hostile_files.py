"""Time and memory of refusing hostile programme files (security review, findings 3 and 6).

    .venv/bin/python benchmarks/hostile_files.py [--repeat 3] [--code OTHER_CHECKOUT]

Each file is built in memory (tests/security/input_helpers.py) and read by a fresh child
process, so the figures are the process's own: seconds to the refusal and the growth of its
peak resident memory (ru_maxrss) over a process that only imported the reader. Target: every
file refused in under 2 s and 64 MB. Exits 1 when a target is missed. --code reads the same
files with the eventsys of another checkout (an older commit, to see what the fix changed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "tests" / "security" / "input_helpers.py"
FILES = ("merged_ranges_bomb", "cells_bomb", "deep_json", "utf16_odd_length", "utf16_lone_surrogate", "csv_long_field")
CHILD = """
import importlib.util, json, resource, sys, time
sys.path.insert(0, {code!r})
spec = importlib.util.spec_from_file_location("input_helpers", {helpers!r})
input_helpers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(input_helpers)
from eventsys.services import importer
import openpyxl  # imported up front so the figures are the file's, not the import's
data = getattr(input_helpers, {name!r})()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    importer.parse_programme(data, "programme")
    outcome = "accepted"
except importer.ImportFileError as error:
    outcome = error.code
seconds = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({{"bytes": len(data), "outcome": outcome, "seconds": seconds, "kib": grown}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", default=str(ROOT), help="checkout whose eventsys reads the files")
    args = parser.parse_args()
    missed = False
    print(f"{'file':<22} {'size':>9} {'refusal':<46} {'best s':>7} {'peak +MB':>9}")
    for name in FILES:
        runs = []
        for _ in range(args.repeat):
            child = CHILD.format(code=args.code, helpers=str(HELPERS), name=name)
            done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd=ROOT)
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            runs.append(json.loads(done.stdout) if done.returncode == 0 else
                        {"bytes": 0, "outcome": "crash: " + last[:40], "seconds": 0.0, "kib": 0})
        best = min(runs, key=lambda run: run["seconds"])
        grown_mb = max(run["kib"] for run in runs) / 1024
        missed |= best["outcome"] == "accepted" or best["outcome"].startswith("crash") or best["seconds"] > 2 or grown_mb > 64
        print(f"{name:<22} {best['bytes']:>9,} {best['outcome']:<46} {best['seconds']:>7.3f} {grown_mb:>9.1f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
