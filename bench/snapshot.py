"""The PyPI snapshot's cost: its size on disk, its load time, and what a lookup costs.

Each load is timed in a fresh interpreter (the way a commit pays for it). A run over a Python
file and a README, with no dependency file, must not load the snapshot at all: that is checked
too, and the script exits 1 if it does.

    python bench/snapshot.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import List, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hooks._pypi import DATA, NAMES_FILE, POPULAR_FILE, snapshot  # noqa: E402

# what a run that meets a dependency file adds: the engine and the hook module are loaded
# already (hashlib, json and dataclasses with them); the first lookalike builds its tables
LOAD = (
    "import time, hooks.engine.runner, hooks.dependency_guard; t = time.perf_counter(); "
    "from hooks._pypi import snapshot; s = snapshot(); s.lookalike('reqeusts'); "
    "print(time.perf_counter() - t)"
)
CLEAN_RUN = (
    "import json, sys; from hooks.engine.cli import main; code = main(sys.argv[1:]); "
    "print(json.dumps({'code': code, 'loaded': 'hooks._pypi' in sys.modules}))"
)
NAMES = ("requests", "numpy", "reqeusts", "langchain-memory-plus", "python-kubernetes", "django")


def _python(code: str, *args: str, cwd: str = ROOT) -> str:
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, check=True
    )
    return done.stdout.decode().strip().splitlines()[-1]


def load_times(runs: int) -> List[float]:
    return [float(_python(LOAD)) for _ in range(runs)]


def lookup_micros(rounds: int = 200) -> float:
    shot = snapshot()
    start = time.perf_counter()
    for _ in range(rounds):
        for name in NAMES:
            if shot.exists(name):
                shot.lookalike(name)
    return (time.perf_counter() - start) / (rounds * len(NAMES)) * 1e6


def clean_commit_loads() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "app.py"), "w", encoding="utf-8") as handle:
            handle.write("import requests\n\nrequests.get('https://x.example', timeout=5)\n")
        with open(os.path.join(folder, "README.md"), "w", encoding="utf-8") as handle:
            handle.write("Install it with `pip install app`.\n")
        result = json.loads(
            _python(CLEAN_RUN, "--scope", "file", "app.py", "README.md", cwd=folder)
        )
    return bool(result["loaded"])


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    shot = snapshot()
    for name in (NAMES_FILE, POPULAR_FILE):
        print(f"{name}: {os.path.getsize(os.path.join(DATA, name)):,} bytes")
    print(f"snapshot of {shot.date}: {shot.count:,} names, {len(shot.popular):,} ranked")
    times = load_times(args.runs)
    print(
        f"load and first lookup, fresh process: median {statistics.median(times) * 1000:.1f} ms, "
        f"min {min(times) * 1000:.1f} ms over {args.runs} runs"
    )
    print(f"exists + lookalike per name: {lookup_micros():.0f} us (after the first)")
    loaded = clean_commit_loads()
    print(f"a change with no dependency file loads the snapshot: {'YES' if loaded else 'no'}")
    return 1 if loaded else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
