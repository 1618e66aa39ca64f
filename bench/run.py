"""Whole-process timings of diffwarden next to bandit and ruff's flake8-bandit rules (`S`).

    .venv/bin/python bench/run.py [--runs N] [--quick] [--scenario a|b|c] [--timeout S]
                                  [--compare FOLDER]

Scenarios:
  a  a commit of 10 mid-sized Django 5.1.4 modules: (a1) 10-30 lines added to each, (a2) all new
  b  a full scan of this interpreter's standard library (test folders in, site-packages out)
  c  a commit of 10 generated modules without a trigger word of any rule

Every tool runs as its own process, timed from spawn to exit with time.perf_counter. The tools of a
scenario take turns within each round, so drift of the machine hits them alike; the tables give the
median, min and max over the rounds. diffwarden runs cold (`--no-cache` and an empty
XDG_CACHE_HOME) unless the row says warm (cache on, filled by one untimed run first). Exit code 1
means findings, not failure. A run over --timeout seconds is stopped and its tool dropped.

Django's sdist is fetched once with pip into bench/.cache (the only network use). --quick times
the slow stdlib scan once instead of --runs times.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import functools
import glob
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import site
import sysconfig
import tarfile
import tempfile
import time
import venv
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache")
PYCACHE = os.path.join(CACHE, "pycache")
BIN = os.path.dirname(sys.executable)  # the venv's bin: resolving the symlink would leave the venv
DJANGO_VERSION = "5.1.4"
COMMIT_FILES = 10
MIN_LINES, MAX_LINES = 200, 600
GENERATED_LINES = 300
OLDEST_PYTHON = (3, 9)
NOT_STDLIB = {"site-packages", "dist-packages", "__pycache__"}
INSERTED = ("value = compute(x)", "total = value + offset", "items.append(total)")
REFERENCE = "diffwarden"
ONE_PROCESS = "diffwarden --jobs 1"  # as under pre-commit, which runs one process per core itself
ALWAYS = ("test-tampering", "gate-tampering")  # hooks pre-commit runs on every commit
IGNORED_IN_COPY = shutil.ignore_patterns("__pycache__", "*.pyc")
PIP_DOWNLOAD = ["pip", "download", "--no-binary", ":all:", "--no-deps", "--ignore-requires-python"]


@dataclass
class Command:
    """One tool on `inputs`.

    With `cache_home` None each run gets a new, empty cache folder (cold); with a folder, the
    command fills it once before the timed runs and then runs warm.
    """

    label: str
    argv: List[str]
    inputs: List[str]
    cwd: str
    cache_home: Optional[str] = None
    pythonpath: Optional[str] = None  # where `hooks` is imported from, when not the default


@dataclass
class Target:
    """`tool` must take at most `limit` seconds, or at most `factor` times the time of `of`."""

    text: str
    tool: str
    of: str = ""
    factor: float = 1.0
    limit: float = 0.0

    def check(self, timings: Dict[str, Timing]) -> str:
        mine = timings[self.tool]
        if mine.median is None:
            return f"{self.text}: NOT met ({self.tool}: {mine.stopped})"
        if not self.of:
            bound = self.limit
        elif timings[self.of].median is None:
            return f"{self.text}: undecided ({self.of}: {timings[self.of].stopped})"
        else:
            bound = self.factor * timings[self.of].median
        verdict = "met" if mine.median <= bound else "NOT met"
        return f"{self.text}: {verdict} ({self.tool} {mine.median:.3f} s, bound {bound:.3f} s)"


@dataclass
class Scenario:
    key: str
    title: str
    commands: List[Command]
    files: List[str]  # the .py files the tools read: for the page cache and the line count
    targets: List[Target]
    runs: int


@dataclass(frozen=True)
class Point:
    """New lines go after line `after`, indented like the statement that ends there."""

    after: int
    indent: str


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, CPU seconds (user + system) and the exit code."""

    wall: float
    cpu: float
    exit: int


@dataclass
class Timing:
    """The runs of one command; `stopped` says why it is run no more, `note` what else to say."""

    samples: List[Sample] = field(default_factory=list)
    stopped: str = ""
    note: str = ""

    @property
    def median(self) -> Optional[float]:
        return statistics.median(s.wall for s in self.samples) if self.samples else None


# --- helpers -------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """A tool from the venv that runs the bench, else from PATH: the versions the venv pins win."""
    local = os.path.join(BIN, name)
    found = local if os.access(local, os.X_OK) else shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} not found next to {sys.executable} nor on PATH")
    return found


@functools.lru_cache(maxsize=None)
def installed(scratch: str) -> str:
    """diffwarden installed as pre-commit installs a hook: a venv of its own with a copy of this
    checkout's hooks/ in site-packages. The editable install of the dev venv puts an import hook
    into every Python start there (about 15 ms, bandit's too), which no user's hook pays. The
    dependencies come from the venv running the bench, read through a .pth. Returns its bin/."""
    target = os.path.join(scratch, "installed")
    venv.EnvBuilder(with_pip=False, symlinks=True).create(target)
    python = os.path.join(target, "bin", "python")
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    packages = subprocess.run([python, "-c", ask], check=True, capture_output=True, text=True)
    purelib = packages.stdout.strip()
    checkout = os.path.join(os.path.dirname(HERE), "hooks")
    shutil.copytree(checkout, os.path.join(purelib, "hooks"), ignore=IGNORED_IN_COPY)
    ours = sysconfig.get_paths()["purelib"]
    pth = os.path.join(purelib, "dependencies.pth")  # folders only, in a venv of the bench's own
    with open(pth, "w", encoding="utf-8") as handle:  # diffwarden: ignore[DW806] bench venv paths
        handle.write("\n".join(dict.fromkeys([ours, *site.getsitepackages()])) + "\n")
    scripts = {"diffwarden": "hooks.engine.cli:main"}  # and the always-run hooks, as pip does
    for hook in ALWAYS:
        scripts[f"diffwarden-{hook}"] = f"hooks.engine.entries:{hook.replace('-', '_')}"
    for name, entry in scripts.items():
        module, function = entry.split(":")
        script = os.path.join(target, "bin", name)
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(
                f"#!{python}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n"
            )
        os.chmod(script, 0o755)
    return os.path.join(target, "bin")


def tool_env(cache_home: str) -> Dict[str, str]:
    """The caller's environment, minus what would change a tool's idea of the change.

    Bytecode is on, as in an installed hook, but kept in bench/.cache so the checkout stays clean.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT_")) and key != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    env["XDG_CACHE_HOME"] = cache_home
    return env


def git(repo: str, *args: str) -> None:
    """Git with a fixed identity, so the bench repos need no user config."""
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def count_lines(paths: Sequence[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += handle.read().count(b"\n")
    return total


def python_files(folder: str) -> Iterator[str]:
    """The .py files below `folder`, sorted, skipping hidden folders as diffwarden does."""
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        yield from (os.path.join(parent, n) for n in sorted(names) if n.endswith(".py"))


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def parses(text: str) -> bool:
    """Valid Python 3.9, the oldest supported: the picked files are then the same on every one."""
    try:
        ast.parse(text, feature_version=OLDEST_PYTHON)
    except SyntaxError:
        return False
    return True


def commit_repo(scratch: str, committed: Dict[str, str], staged: Dict[str, str]) -> str:
    """A temp repo with `committed` in its one commit and `staged` added: a commit about to be."""
    repo = tempfile.mkdtemp(prefix="repo-", dir=scratch)
    git(repo, "init", "-q")
    for name, text in committed.items():
        write(os.path.join(repo, name), text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "before")
    for name, text in staged.items():
        write(os.path.join(repo, name), text)
    git(repo, "add", "-A")
    return repo


def ruff(inputs: List[str], cwd: str) -> Command:
    """ruff's port of bandit's checks, with no config file or cache to help or hinder it."""
    argv = [tool("ruff"), "check", "--isolated", "--select", "S", "--no-cache"]
    return Command("ruff S", argv, inputs, cwd)


def reference_commands(cwd: str, scratch: str) -> List[Command]:
    """What starting Python (in the dev venv, as bandit and ruff run, and in diffwarden's own
    venv), and importing libcst on top, cost on this machine."""
    hook_python = os.path.join(installed(scratch), "python")
    return [
        Command("python -c pass", [sys.executable, "-c", "pass"], [], cwd),
        Command("python -c pass, hook venv", [hook_python, "-c", "pass"], [], cwd),
        Command("python -c 'import libcst'", [sys.executable, "-c", "import libcst"], [], cwd),
    ]


def diffwarden(scratch: str) -> str:
    return os.path.join(installed(scratch), "diffwarden")


def commit_commands(repo: str, names: List[str], scratch: str) -> List[Command]:
    """The tools on the files of a commit, run from the repo as pre-commit runs them."""
    return [
        Command(REFERENCE, [diffwarden(scratch), "--no-cache"], names, repo),
        Command(ONE_PROCESS, [diffwarden(scratch), "--no-cache", "--jobs", "1"], names, repo),
        Command("bandit", [tool("bandit"), "-q"], names, repo),
        ruff(names, repo),
        *reference_commands(repo, scratch),
    ]


# --- scenario (a): Django ------------------------------------------------------------------------


def django_package() -> str:
    """Django's sdist, fetched and unpacked on the first run only: a real project's modules."""
    root = os.path.join(CACHE, f"Django-{DJANGO_VERSION}")
    if not os.path.isdir(root):
        pattern = os.path.join(CACHE, f"[Dd]jango-{DJANGO_VERSION}.tar.gz")
        if not glob.glob(pattern):
            django = f"django=={DJANGO_VERSION}"
            subprocess.run([sys.executable, "-m", *PIP_DOWNLOAD, django, "-d", CACHE], check=True)
        with tarfile.open(glob.glob(pattern)[0]) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(CACHE, filter="data")
            else:  # Python < 3.9.17 has no filters; the archive is Django's own sdist from PyPI
                archive.extractall(CACHE)  # diffwarden: ignore[DW402] Django sdist from PyPI
    return os.path.join(root, "django")


def pick_modules(package: str) -> List[str]:
    """Ten mid-sized modules spread evenly over the sorted package: stable, varied, typical."""
    candidates = [
        path
        for path in python_files(package)
        if MIN_LINES <= count_lines([path]) <= MAX_LINES and parses(read(path))
    ]
    step = len(candidates) / COMMIT_FILES
    return [candidates[int(i * step + step / 2)] for i in range(COMMIT_FILES)]


def insertion_points(text: str) -> List[Point]:
    """After the first statement of each function whose body has that statement on its own line."""
    lines = text.splitlines(keepends=True)
    points: Dict[int, str] = {}
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = node.body[0]
        end = first.end_lineno or first.lineno
        alone = first.lineno > node.lineno and (len(node.body) == 1 or node.body[1].lineno > end)
        if alone:
            line = lines[first.lineno - 1]
            points.setdefault(end, line[: len(line) - len(line.lstrip())])
    return [Point(after, points[after]) for after in sorted(points)]


def edited(text: str, added: int) -> str:
    """`text` with `added` new lines, three at a time, in evenly spaced functions."""
    points = insertion_points(text)
    if not points:
        raise RuntimeError("a picked module has no function to edit")
    wanted = min(len(points), -(-added // len(INSERTED)))
    chosen = [points[i * len(points) // wanted] for i in range(wanted)]
    lines = text.splitlines(keepends=True)
    remaining = added
    for number, point in enumerate(chosen):  # top to bottom: shift by what went in above
        count = remaining if number == wanted - 1 else min(len(INSERTED), remaining)
        at = point.after + added - remaining
        lines[at:at] = [f"{point.indent}{INSERTED[i % len(INSERTED)]}\n" for i in range(count)]
        remaining -= count
    result = "".join(lines)
    if not parses(result):
        raise RuntimeError("an edit made invalid Python: the insertion points are wrong")
    return result


def scenario_a(runs: int, scratch: str) -> List[Scenario]:
    package = django_package()
    base = os.path.dirname(package)
    modules = pick_modules(package)
    names = [os.path.relpath(path, base).replace(os.sep, "/") for path in modules]
    originals = {name: read(os.path.join(base, name)) for name in names}
    print(f"(a) Django {DJANGO_VERSION} modules, {count_lines(modules)} lines:")
    changes = {}
    for index, (name, path) in enumerate(zip(names, modules)):
        added = 10 + (7 * index) % 21  # 10 to 30, fixed per file
        changes[name] = edited(originals[name], added)
        print(f"    {count_lines([path]):4d} lines, +{added:2d}  {name}")
    edits = commit_repo(scratch, originals, changes)
    fresh = commit_repo(scratch, {}, originals)
    half = Target("at most half of bandit's time", REFERENCE, of="bandit", factor=0.5)
    same = Target("no slower than bandit", REFERENCE, of="bandit")
    return [
        Scenario(
            "a1",
            "(a1) 10 Django modules, 10-30 lines added to each, staged",
            commit_commands(edits, names, scratch),
            [os.path.join(edits, n) for n in names],
            [half],
            runs,
        ),
        Scenario(
            "a2",
            "(a2) the same 10 Django modules staged as new files",
            commit_commands(fresh, names, scratch),
            [os.path.join(fresh, n) for n in names],
            [same],
            runs,
        ),
    ]


# --- scenario (b): the standard library ----------------------------------------------------------


def stdlib_inputs() -> List[str]:
    """The stdlib's top-level modules and packages, tests included, installed packages left out."""
    folder = os.path.dirname(os.__file__)
    return [
        os.path.join(folder, name)
        for name in sorted(os.listdir(folder))
        if name not in NOT_STDLIB
        and not name.startswith(".")
        and (name.endswith(".py") or os.path.isdir(os.path.join(folder, name)))
    ]


def scenario_b(runs: int, scratch: str) -> Scenario:
    inputs = stdlib_inputs()
    files = [f for i in inputs for f in (python_files(i) if os.path.isdir(i) else [i])]
    where = tempfile.mkdtemp(prefix="cwd-", dir=scratch)  # no pyproject.toml, no git repository
    warm = Command(
        "diffwarden warm",
        [diffwarden(scratch), "--scope", "file"],
        inputs,
        where,
        cache_home=tempfile.mkdtemp(prefix="xdg-warm-", dir=scratch),
    )
    commands = [
        Command(REFERENCE, [diffwarden(scratch), "--scope", "file", "--no-cache"], inputs, where),
        Command(
            ONE_PROCESS,
            [diffwarden(scratch), "--scope", "file", "--no-cache", "--jobs", "1"],
            inputs,
            where,
        ),
        warm,
        Command("bandit", [tool("bandit"), "-q", "-r"], inputs, where),
        ruff(inputs, where),
        *reference_commands(where, scratch),
    ]
    print(f"(b) {os.path.dirname(os.__file__)}: {len(inputs)} top-level modules and packages")
    tenth = Target("warm: under a tenth of bandit's time", warm.label, of="bandit", factor=0.1)
    return Scenario(
        "b",
        "(b) full scan of the standard library",
        commands,
        files,
        [Target("cold: no slower than bandit", REFERENCE, of="bandit"), tenth],
        runs,
    )


# --- scenario (c): nothing suspicious ------------------------------------------------------------


def plain_module(number: int) -> str:
    """About 300 lines of dataclasses and arithmetic that hold no trigger word of any rule."""
    parts = [
        f'"""Parcel arithmetic, part {number}: plain values and sums."""\n',
        "from __future__ import annotations\n",
        "from dataclasses import dataclass\nfrom typing import List\n",
    ]
    block = 0
    while sum(part.count("\n") + 1 for part in parts) < GENERATED_LINES:
        name = f"Parcel{number}x{block}"
        parts.append(
            f"\n@dataclass(frozen=True)\nclass {name}:\n"
            f'    """A parcel with a weight and a rate per kilogram."""\n\n'
            f"    weight: float\n    rate: float\n    count: int = 1\n\n"
            f"    def cost(self) -> float:\n"
            f"        return round(self.weight * self.rate * self.count, 2)\n\n"
            f"    def heavier_than(self, limit: float) -> bool:\n"
            f"        return self.weight > limit\n\n\n"
            f"def total_{block}(parcels: List[{name}]) -> float:\n"
            f"    subtotal = 0.0\n    for parcel in parcels:\n"
            f"        subtotal += parcel.cost()\n    return subtotal + {block}.5\n"
        )
        block += 1
    return "\n".join(parts)


def scenario_c(runs: int, scratch: str) -> Scenario:
    modules = {f"parcels/part_{n}.py": plain_module(n) for n in range(COMMIT_FILES)}
    names = sorted(modules)
    repo = commit_repo(scratch, {}, modules)
    # as most commits meet it: the cache on and filled by an earlier run (here, of this commit)
    home = tempfile.mkdtemp(prefix="xdg-warm-", dir=scratch)
    warm = Command("diffwarden warm", [diffwarden(scratch)], names, repo, cache_home=home)
    commands = commit_commands(repo, names, scratch)
    # the hooks that compare versions run on every commit with no file list (always_run)
    bin_folder = installed(scratch)
    whole = [
        Command(f"{hook} hook", [os.path.join(bin_folder, f"diffwarden-{hook}")], [], repo)
        for hook in ALWAYS
    ]
    print("(c) 10 generated modules without a trigger word, staged as new files")
    return Scenario(
        "c",
        "(c) 10 new files with nothing suspicious, staged",
        [commands[0], warm, *whole, *commands[1:]],
        [os.path.join(repo, n) for n in names],
        [
            Target("cold: under 50 ms", REFERENCE, limit=0.050),
            Target("warm: under 50 ms", warm.label, limit=0.050),
        ],
        runs,
    )


# --- timing and report ---------------------------------------------------------------------------


def measure(command: Command, inputs: List[str], timeout: float) -> Optional[Sample]:
    """One run of `command` on `inputs`, None if it took over `timeout` seconds.

    The child's CPU time is kept too: on a shared machine it shows what waiting for a core added
    to the wall time.
    """
    home = command.cache_home or tempfile.mkdtemp(prefix="dw-bench-xdg-")
    env = tool_env(home)
    if command.pythonpath is not None:
        env["PYTHONPATH"] = command.pythonpath
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [*command.argv, *inputs],
            cwd=command.cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            timeout=timeout,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    except subprocess.TimeoutExpired:
        print(f"    note: {command.label} stopped after {timeout:.0f} s", file=sys.stderr)
        return None
    finally:
        if command.cache_home is None:
            shutil.rmtree(home, ignore_errors=True)
    if done.returncode > 1:
        last = "".join(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:])
        print(f"    note: {command.label} exited {done.returncode}: {last}", file=sys.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Sample(wall, cpu, done.returncode)


def prime(scenario: Scenario, timings: Dict[str, Timing], timeout: float) -> None:
    """Warm what a hook that ran before would find warm, before the clock starts.

    Every input is read (page cache) and every tool runs once on its first input (bytecode
    cache); a warm diffwarden fills its findings cache on all inputs. Cold ones stay cold.
    """
    count_lines(scenario.files)
    for command in scenario.commands:
        timing = timings[command.label]
        if command.cache_home is None:
            measure(command, command.inputs[:1], timeout)
            continue
        sample = measure(command, command.inputs, timeout)
        if sample is None:
            timing.stopped = f"filling its cache took over {timeout:.0f} s"
        else:
            timing.note = f"its cache was filled in {sample.wall:.2f} s"


def time_scenario(scenario: Scenario, timeout: float) -> Dict[str, Timing]:
    """Every command once per round, in turn, for `runs` rounds; one over `timeout` drops out."""
    timings = {command.label: Timing() for command in scenario.commands}
    prime(scenario, timings, timeout)
    for round_number in range(1, scenario.runs + 1):
        print(f"    {scenario.key}: round {round_number}/{scenario.runs}", file=sys.stderr)
        for command in scenario.commands:
            timing = timings[command.label]
            if timing.stopped:
                continue
            sample = measure(command, command.inputs, timeout)
            if sample is None:
                timing.stopped = f"timed out after {timeout:.0f} s"
            else:
                timing.samples.append(sample)
    return timings


def shown(command: Command) -> str:
    """The command line as a reader would type it, the inputs summarised."""
    words = [os.path.basename(command.argv[0]), *command.argv[1:]]
    line = " ".join(f"'{w}'" if " " in w else w for w in words)
    return f"{line} <{len(command.inputs)} paths>" if command.inputs else line


def row(label: str, timing: Timing, reference: Optional[float]) -> str:
    """One table row: median, min, max, ratio to diffwarden, median CPU, exit codes."""
    if timing.median is None:
        return f"| {label} | {timing.stopped} | | | | | |"
    walls = [s.wall for s in timing.samples]
    ratio = f"{timing.median / reference:.2f}" if reference else "-"
    cpu = statistics.median(s.cpu for s in timing.samples)
    exits = ",".join(sorted({str(s.exit) for s in timing.samples}))
    return (
        f"| {label} | {timing.median:.3f} | {min(walls):.3f} | {max(walls):.3f} | {ratio} | "
        f"{cpu:.3f} | {exits} |"
    )


def report(scenario: Scenario, timings: Dict[str, Timing], load: float) -> None:
    """A markdown table per scenario, the commands, notes, and each target met or not."""
    size = f"{len(scenario.files)} files, {count_lines(scenario.files)} lines"
    print(f"\n### {scenario.title}\n")
    print(f"{size}; {scenario.runs} run(s) per tool; load average before: {load:.2f}\n")
    print("| tool | median s | min s | max s | x diffwarden | cpu s | exit |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, timing in timings.items():
        print(row(label, timing, timings[REFERENCE].median))
    print()
    for command in scenario.commands:
        if command.inputs:
            print(f"- {command.label}: `{shown(command)}`")
    for label, timing in timings.items():
        for note in (timing.note, timing.stopped if timing.samples else ""):
            if note:
                print(f"- {label}: {note}")
    for target in scenario.targets:
        print(f"- target {target.check(timings)}")
    sys.stdout.flush()


def first_line(argv: List[str], cwd: Optional[str] = None) -> str:
    done = subprocess.run(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False
    )
    return "".join(done.stdout.decode("utf-8", "replace").strip().splitlines()[:1])


def hooks_origin() -> str:
    """Where the timed diffwarden imports its code from (PYTHONPATH may point at a snapshot)."""
    probe = [sys.executable, "-c", "import hooks; print(hooks.__path__[0])"]
    where = first_line(probe, cwd=BIN)  # the path a console script in BIN starts with
    commit = subprocess.run(
        ["git", "-C", where, "rev-parse", "--short", "HEAD"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    at = commit.stdout.decode().strip() if commit.returncode == 0 else "not a git checkout"
    return f"{where} ({at})"


def print_machine() -> None:
    """What the numbers depend on: cores, architecture, interpreter and the tools' versions."""
    print(f"machine: nproc {os.cpu_count()}, {platform.machine()}, {platform.system()}")
    print(f"python: {platform.python_version()} ({sys.executable})")
    for name in ("diffwarden", "bandit", "ruff"):
        print(f"{name}: {first_line([tool(name), '--version'])}")
    print(f"hooks from: {hooks_origin()}")
    print(f"command: {' '.join([os.path.basename(sys.executable), *sys.argv])}\n")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument("--quick", action="store_true", help="time the stdlib scan (b) once")
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds after which a run is stopped and its tool dropped (default 900)",
    )
    parser.add_argument(
        "--scenario",
        choices=("a", "b", "c"),
        action="append",
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="FOLDER",
        help="also time cold diffwarden importing hooks from FOLDER (a `git archive <commit> "
        "hooks` snapshot's parent); repeatable",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def with_others(scenario: Scenario, others: Sequence[str]) -> Scenario:
    """Cold diffwarden from each other `hooks` folder too, in the same rounds: on a busy machine
    only runs that take turns compare fairly."""
    reference = next(c for c in scenario.commands if c.label == REFERENCE)
    extra = [
        dataclasses.replace(reference, label=f"diffwarden @ {folder}", pythonpath=folder)
        for folder in others
    ]
    scenario.commands[1:1] = extra
    return scenario


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    chosen = args.scenario or ["a", "b", "c"]
    print_machine()
    scratch = tempfile.mkdtemp(prefix="dw-bench-")  # temp repos and cache folders
    try:
        scenarios: List[Scenario] = []
        if "a" in chosen:
            scenarios.extend(scenario_a(args.runs, scratch))
        if "b" in chosen:
            scenarios.append(scenario_b(1 if args.quick else args.runs, scratch))
        if "c" in chosen:
            scenarios.append(scenario_c(args.runs, scratch))
        for scenario in scenarios:
            with_others(scenario, args.compare)
            load = os.getloadavg()[0]
            report(scenario, time_scenario(scenario, args.timeout), load)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
