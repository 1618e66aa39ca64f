"""A big run's files checked by several processes, as ruff and `flake8 -j` do.

Parsing with libcst is most of a big run's time, one file at a time, on one core. Outside
pre-commit (a full scan in CI, a large staged change checked by hand) the run forks workers
once the heavy imports are done and deals them the files, the biggest first, each to the
least loaded. Under pre-commit (which sets PRE_COMMIT=1) a run stays one process: pre-commit
already splits a hook's files among as many processes as there are cores, since the hooks are
not `require_serial`. A small run stays one process too: a worker pays for itself only with
some thousand lines to parse. Results do not depend on the split: each file's findings are
its own, and the run sorts them. A worker that fails costs only time: its files are checked
again here.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from hooks.engine.rule import Finding

if TYPE_CHECKING:
    from hooks.engine.runner import Runner
    from hooks.engine.source import Source

# lines in scope a worker needs to pay for itself: bench (a1), 10 files edited by 10-30 lines
# each, stays one process; its 10 files staged as new (3,610 lines) use two
LINES_PER_WORKER = 1500


def default_jobs(environ: Mapping[str, str]) -> int:
    """One process under pre-commit (it runs several of us); else one per usable core."""
    if environ.get("PRE_COMMIT") == "1" or not _can_fork():
        return 1
    if hasattr(os, "sched_getaffinity"):  # the cores this process may run on
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_all(runner: Runner, sources: Sequence[Source], jobs: int) -> List[List[Finding]]:
    """`runner.check` of each source, in order, shared among up to `jobs` processes."""
    if jobs < 2 or not _can_fork():
        return [runner.check(source) for source in sources]
    weights, readers = zip(*map(runner.weigh, sources)) if sources else ((), ())

    def check(index: int) -> List[Finding]:
        return runner.check(sources[index], readers[index])

    workers = min(jobs, sum(1 for w in weights if w), sum(weights) // LINES_PER_WORKER)
    if workers < 2:
        return [check(index) for index in range(len(sources))]
    runner.prepare_to_share()
    # the collectors leave what the workers inherit alone, so no process copies its pages
    # (unfrozen after the fork, this process's collector did: +0.2 s of CPU on bench a2)
    gc.freeze()
    shares = _dealt(weights, workers)
    started = [_fork(check, share) for share in shares[1:]]
    results = {index: check(index) for index in shares[0]}
    for share, (pid, reader) in zip(shares[1:], started):
        results.update(_collected(pid, reader, share) or {index: check(index) for index in share})
    return [results[index] for index in range(len(sources))]


def _can_fork() -> bool:
    """Linux only: macOS's system libraries are not safe to fork (Python's multiprocessing
    spawns there for that reason), and Windows has no fork."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _dealt(weights: Sequence[int], workers: int) -> List[List[int]]:
    """Source indexes per worker: the heaviest first, each to the least loaded worker; the
    files no rule reads stay with the first (this process), which has no start-up to pay."""
    shares: List[List[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        if not weights[index]:
            shares[0].append(index)
            continue
        least = loads.index(min(loads))
        shares[least].append(index)
        loads[least] += weights[index]
    return shares


def _fork(check: Callable[[int], List[Finding]], share: List[int]) -> Tuple[int, int]:
    """Start a worker on `share`; its pid and the pipe its findings come back on."""
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)  # the worker: check, send, and leave without running any exit handler
    status = 1
    try:
        payload = {index: [[f.path, f.row()] for f in check(index)] for index in share}
        with os.fdopen(writer, "w", encoding="utf-8") as pipe:
            json.dump(payload, pipe)
        status = 0
    finally:
        os._exit(status)


def _collected(pid: int, reader: int, share: List[int]) -> Optional[Dict[int, List[Finding]]]:
    """The worker's findings, or None when it failed (its files are then checked here)."""
    with os.fdopen(reader, "r", encoding="utf-8") as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        payload = json.loads(text)
        return {i: [Finding.of_row(row, path) for path, row in payload[str(i)]] for i in share}
    except (ValueError, KeyError, TypeError):
        return None
