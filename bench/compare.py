"""What diffwarden, bandit and ruff's bandit rules (`S`) find on the same code, side by side.

    .venv/bin/python bench/compare.py [--corpus examples|django] [--sample 30] [--seed 7]

Corpora, fetched once with pip into bench/.cache (the only network use):
  examples  the `examples/` folder of bandit's source distribution, at the installed bandit version
  django    the `django/` package of Django 5.1.4's source distribution

Each tool runs once per corpus, from the unpacked distribution's top folder:
  diffwarden --scope file --no-cache --format json --config <empty> <the .py files>
  bandit -f json -q -r <folder>
  ruff check --select S --isolated --output-format json --no-cache <folder>
The empty config is diffwarden's `--isolated`: the defaults, whatever pyproject.toml is above.
Exit code 1 means findings, not failure. The raw reports are kept in bench/.cache/compare/.

For each corpus the script prints (as Markdown): totals per tool, findings per rule, a matching
of findings across tools by (file, lines) with one line of slack, bandit's findings per check with
how many the other tools match, and the findings no other tool has, with examples. bandit's and
ruff's low findings stay in every count and are also shown apart: bandit's when it rates them
LOW severity or LOW confidence, ruff's when bandit rates their twin check so (RUFF_LOW). With
--sample N it lists N findings per tool drawn with random.Random(seed) from the last corpus, with
their source lines, for judging by hand.
"""

from __future__ import annotations

import argparse
import collections
import glob
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.path.join(HERE, ".cache")
OUT = os.path.join(CACHE, "compare")
BIN = os.path.dirname(sys.executable)  # the venv's bin: resolving the symlink would leave the venv
DJANGO_VERSION = "5.1.4"
TOOLS = ("diffwarden", "bandit", "ruff")
SLACK = 1  # lines: findings of two tools on lines this close are the same place
ENGINE_CODES = frozenset({"DW001", "DW002", "DW003", "DW004"})  # notes about files, not risks
PIP_DOWNLOAD = ["pip", "download", "--no-binary", ":all:", "--no-deps", "--ignore-requires-python"]
# ruff gives no severity. These S rules are low because bandit rates their twin check LOW severity
# or LOW confidence on every finding; checks it rates case by case (B202, B602, B605, B608) are not.
RUFF_LOW = frozenset(
    {"S101", "S105", "S106", "S107", "S110", "S112", "S113", "S311", "S403", "S404", "S405"}
    | {"S406", "S407", "S408", "S409", "S504", "S603", "S604", "S606", "S607"}
)
# environment variables diffwarden reads as "an assistant is committing" (strict profile), as
# listed in hooks/engine/provenance.py
AGENT_VARIABLES = (
    "CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT", "CODEX_SANDBOX", "CODEX_SANDBOX_NETWORK_DISABLED",
    "GEMINI_CLI", "CURSOR_AGENT", "AIDER_MODEL", "AI_AGENT",
)  # fmt: skip


@dataclass(frozen=True)
class Corpus:
    """`folder` (relative to `root`) is what the tools check; paths are reported from `root`."""

    name: str
    root: str
    folder: str


@dataclass(frozen=True)
class Finding:
    """One finding, its path relative to the corpus root and '/'-separated."""

    tool: str
    path: str
    line: int
    code: str
    low: bool
    text: str
    end: int  # the last line of the flagged code


@dataclass
class Run:
    """What one tool reported on one corpus."""

    tool: str
    findings: List[Finding]
    notes: List[str]
    seconds: float
    files: int
    where: Dict[str, List[Tuple[int, int]]] = field(init=False)

    def __post_init__(self) -> None:
        self.where = places(self.findings)


# --- fetching ------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """A tool from the venv that runs this script: the versions the venv pins."""
    path = os.path.join(BIN, name)
    if not os.access(path, os.X_OK):
        sys.exit(f"compare: {name} not found next to {sys.executable}")
    return path


def output(argv: Sequence[str], cwd: str = REPO) -> str:
    """The stdout of a command that must succeed."""
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return done.stdout.decode("utf-8", "replace").strip()


def sdist(project: str, version: str) -> str:
    """The unpacked source distribution of `project`, fetched and unpacked on the first run."""
    pattern = os.path.join(
        CACHE, f"[{project[0].upper()}{project[0]}]{project[1:]}-{version}.tar.gz"
    )
    if not glob.glob(pattern):
        argv = [sys.executable, "-m", *PIP_DOWNLOAD, f"{project}=={version}", "-d", CACHE]
        subprocess.run(argv, check=True, stdout=sys.stderr)  # keep stdout for the report
    archive_path = sorted(glob.glob(pattern))[0]
    with tarfile.open(archive_path) as archive:
        top = archive.getnames()[0].split("/")[0]
        root = os.path.join(CACHE, top)
        if not os.path.isdir(root):
            if hasattr(tarfile, "data_filter"):
                archive.extractall(CACHE, filter="data")
            else:  # Python < 3.9.17 has no filters; the archive is the project's sdist from PyPI
                archive.extractall(CACHE)  # diffwarden: ignore[DW402] an sdist from PyPI
    return root


def corpora(wanted: Sequence[str]) -> List[Corpus]:
    """The corpora named in `wanted`, in that order."""
    found = []
    for name in wanted:
        if name == "examples":
            found.append(Corpus(name, sdist("bandit", version_of("bandit")), "examples"))
        else:
            found.append(Corpus(name, sdist("django", DJANGO_VERSION), "django"))
    return found


def version_of(name: str) -> str:
    """The installed version of a tool, from its --version output."""
    return output([tool(name), "--version"]).split()[1]


# --- running -------------------------------------------------------------------------------------


def python_files(folder: str) -> Iterator[str]:
    """The .py files below `folder`, sorted, skipping hidden folders as diffwarden does."""
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        yield from (os.path.join(parent, n) for n in sorted(names) if n.endswith(".py"))


def clean_env() -> Dict[str, str]:
    """The caller's environment, minus what would switch diffwarden to its strict profile."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in AGENT_VARIABLES and not k.startswith(("GIT_", "PRE_COMMIT_"))
    }
    for role in ("AUTHOR", "COMMITTER"):  # `git var GIT_*_IDENT` is a signal too
        env[f"GIT_{role}_NAME"] = "bench"
        env[f"GIT_{role}_EMAIL"] = "bench@example.invalid"
    env["PYTHONPYCACHEPREFIX"] = os.path.join(CACHE, "pycache")
    return env


def execute(label: str, argv: Sequence[str], cwd: str) -> Tuple[str, float]:
    """Run a tool; exit codes 0 and 1 are both success. Its stdout, and the wall seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv), cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        sys.exit(f"compare: {label} exited {done.returncode}: {' | '.join(err)}")
    return done.stdout.decode("utf-8"), seconds


def relative(corpus: Corpus, path: str) -> str:
    """`path` (absolute or relative to the corpus root) relative to the root, '/'-separated."""
    full = path if os.path.isabs(path) else os.path.join(corpus.root, path)
    return os.path.relpath(os.path.normpath(full), corpus.root).replace(os.sep, "/")


def run_diffwarden(corpus: Corpus) -> Run:
    """diffwarden on every .py file of the folder, whole files, defaults only."""
    config = os.path.join(OUT, "pyproject.toml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("[tool.diffwarden]\n")  # every default: no select, ignore or exclude
    files = [relative(corpus, p) for p in python_files(os.path.join(corpus.root, corpus.folder))]
    head = [tool("diffwarden"), "--scope", "file", "--no-cache", "--format", "json"]
    text, seconds = execute("diffwarden", [*head, "--config", config, *files], corpus.root)
    keep(corpus, "diffwarden", text)
    report = json.loads(text)
    findings, notes = [], [f"{report.get('scope', '')}"]
    for f in report["findings"]:
        low = f["severity"] == "low" or f["confidence"] == "low"
        path, code = relative(corpus, f["path"]), f["code"]
        item = Finding("diffwarden", path, f["line"], code, low, f["message"], f["end_line"])
        if f["code"] in ENGINE_CODES:
            notes.append(f"{item.path}:{item.line}: {item.code} {item.text}")
        else:
            findings.append(item)
    return Run("diffwarden", findings, notes, seconds, int(report.get("files", len(files))))


def run_bandit(corpus: Corpus) -> Run:
    """bandit on the folder, every check, its own file discovery."""
    argv = [tool("bandit"), "-f", "json", "-q", "-r", corpus.folder]
    text, seconds = execute("bandit", argv, corpus.root)
    keep(corpus, "bandit", text)
    report = json.loads(text)
    findings = [
        Finding(
            "bandit",
            relative(corpus, f["filename"]),
            f["line_number"],
            f["test_id"],
            "LOW" in (f["issue_severity"], f["issue_confidence"]),
            f["issue_text"],
            max([f["line_number"], *f.get("line_range", [])]),
        )
        for f in report["results"]
    ]
    notes = [f"{relative(corpus, e['filename'])}: {e['reason']}" for e in report["errors"]]
    files = sum(1 for k in report.get("metrics", {}) if k != "_totals")
    return Run("bandit", findings, notes, seconds, files)


def run_ruff(corpus: Corpus) -> Run:
    """ruff's S rules on the folder, no config file, no cache."""
    argv = [tool("ruff"), "check", "--select", "S", "--isolated", "--output-format", "json"]
    text, seconds = execute("ruff", [*argv, "--no-cache", corpus.folder], corpus.root)
    keep(corpus, "ruff", text)
    findings, notes = [], []
    for f in json.loads(text):
        code, path = f["code"] or "", relative(corpus, f["filename"])
        line, end = f["location"]["row"], f["end_location"]["row"]
        if not code.startswith("S"):  # a file ruff cannot parse: a note, not a finding
            notes.append(f"{path}:{line}: {code or 'error'} {f['message']}")
            continue
        findings.append(Finding("ruff", path, line, code, code in RUFF_LOW, f["message"], end))
    files = sum(1 for _ in python_files(os.path.join(corpus.root, corpus.folder)))
    return Run("ruff", findings, notes, seconds, files)


def keep(corpus: Corpus, name: str, text: str) -> None:
    """Keep a raw report for later reading."""
    with open(os.path.join(OUT, f"{corpus.name}-{name}.json"), "w", encoding="utf-8") as handle:
        handle.write(text)


# --- comparing -----------------------------------------------------------------------------------


def places(findings: Sequence[Finding]) -> Dict[str, List[Tuple[int, int]]]:
    """The first and last lines of each finding, per file."""
    found: Dict[str, List[Tuple[int, int]]] = collections.defaultdict(list)
    for f in findings:
        found[f.path].append((f.line, f.end))
    return found


def near(where: Dict[str, List[Tuple[int, int]]], f: Finding) -> bool:
    """Whether `where` has a finding at the place of `f`: lines that overlap, give or take SLACK.

    Lines, not columns: the tools put a multi-line call on its first line, its keyword's line or
    the line of the string they object to, so the span of each finding is what can be compared.
    """
    return any(
        first - SLACK <= f.end and f.line <= last + SLACK for first, last in where.get(f.path, [])
    )


def matched_by(runs: Dict[str, Run], f: Finding) -> Tuple[str, ...]:
    """The other tools with a finding at the same place as `f`."""
    return tuple(t for t in TOOLS if t != f.tool and near(runs[t].where, f))


def distinct(findings: Sequence[Finding]) -> List[Finding]:
    """One finding per (file, line), the first in sorted order: a place, not a rule."""
    seen: Dict[Tuple[str, int], Finding] = {}
    for f in sorted(findings, key=order):
        seen.setdefault((f.path, f.line), f)
    return list(seen.values())


def order(f: Finding) -> Tuple[str, int, str]:
    return (f.path, f.line, f.code)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def totals(runs: Dict[str, Run]) -> str:
    rows = []
    for name in TOOLS:
        run = runs[name]
        low = sum(f.low for f in run.findings)
        rows.append(
            [
                name,
                len(run.findings),
                len(run.findings) - low,
                low,
                len(distinct(run.findings)),
                len({f.path for f in run.findings}),
                run.files,
                f"{run.seconds:.1f}",
            ]
        )
    header = ["tool", "findings", "not low", "low", "lines", "files hit", "files checked", "s"]
    return table(header, rows)


def per_rule(run: Run) -> str:
    count = collections.Counter(f.code for f in run.findings)
    low = collections.Counter(f.code for f in run.findings if f.low)
    rows = [
        [code, n, low[code]] for code, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return table(["rule", "findings", "of them low"], rows)


def matching(runs: Dict[str, Run]) -> str:
    """Per tool, its places (distinct file and line) split by the other tools found there too."""
    rows: List[List[object]] = []
    for name in TOOLS:
        for label, lows in (("all", (False, True)), ("not low", (False,))):
            mine = [f for f in distinct(runs[name].findings) if f.low in lows]
            split = collections.Counter(matched_by(runs, f) for f in mine)
            others = tuple(t for t in TOOLS if t != name)
            pairs = [split[(t,)] if t != name else "-" for t in TOOLS]
            rows.append([f"{name} ({label})", len(mine), split[others], *pairs, split[()]])
    header = ["lines of", "lines", "all three", *[f"+ {t} only" for t in TOOLS], "alone"]
    note = (
        "A line is matched when a finding of the other tool in the same file covers lines that"
        f" overlap the finding's own, give or take {SLACK} line. `+ X only`: this tool and X,"
        " not the third."
    )
    return table(header, rows) + "\n\n" + note


def bandit_coverage(runs: Dict[str, Run]) -> str:
    """bandit's findings per check, and how many diffwarden and ruff match."""
    dw, rf = runs["diffwarden"].where, runs["ruff"].where
    by_check: Dict[str, List[Finding]] = collections.defaultdict(list)
    for f in runs["bandit"].findings:
        by_check[f.code].append(f)
    counts: Dict[str, List[int]] = {}
    for code in sorted(by_check):
        items = by_check[code]
        counts[code] = [
            len(items),
            sum(f.low for f in items),
            sum(near(dw, f) for f in items),
            sum(near(rf, f) for f in items),
        ]
    rows: List[List[object]] = [[code, *n] for code, n in counts.items()]
    rows.append(["total", *[sum(n[i] for n in counts.values()) for i in range(4)]])
    high = [f for f in runs["bandit"].findings if not f.low]
    matched = [sum(near(where, f) for f in high) for where in (dw, rf)]
    rows.append(["total not low", len(high), 0, *matched])
    header = ["bandit check", "findings", "low", "diffwarden at the place", "ruff at the place"]
    return table(header, rows)


def alone(runs: Dict[str, Run], examples: int) -> str:
    """The findings no other tool has at their place, per tool and rule, with examples."""
    parts = []
    for name in TOOLS:
        lonely = [f for f in sorted(runs[name].findings, key=order) if not matched_by(runs, f)]
        by_rule: Dict[str, List[Finding]] = collections.defaultdict(list)
        for f in lonely:
            by_rule[f.code].append(f)
        parts.append(f"**{name} only**: {len(lonely)} findings")
        for code, items in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            low = sum(f.low for f in items)
            parts.append(f"- {code}: {len(items)}" + (f" ({low} low)" if low else ""))
            for f in items[:examples]:
                parts.append(f"  - `{f.path}:{f.line}` {f.text[:110]}")
    return "\n".join(parts)


# --- sampling ------------------------------------------------------------------------------------


def source_lines(corpus: Corpus, path: str, line: int, context: int) -> List[str]:
    """Lines around `line` of `path`, numbered, the line itself marked."""
    with open(os.path.join(corpus.root, path), encoding="utf-8", errors="replace") as handle:
        text = handle.read().splitlines()
    first, last = max(1, line - context), min(len(text), line + context)
    return [
        f"    {'>' if n == line else ' '}{n:5d}  {text[n - 1].rstrip()[:140]}"
        for n in range(first, last + 1)
    ]


def sample(corpus: Corpus, runs: Dict[str, Run], size: int, seed: int, context: int) -> str:
    """`size` findings per tool, drawn from the sorted findings with random.Random(seed)."""
    parts = []
    for name in TOOLS:
        population = sorted(runs[name].findings, key=order)
        drawn = sorted(
            random.Random(seed).sample(population, min(size, len(population))), key=order
        )
        parts.append(f"### {name}: {len(drawn)} of {len(population)} (seed {seed})\n")
        for i, f in enumerate(drawn, 1):
            seen = ",".join(matched_by(runs, f)) or "-"
            low = " low" if f.low else ""
            parts.append(f"{i:2d}. {f.path}:{f.line} {f.code}{low} [also: {seen}] {f.text[:120]}")
            parts.extend(source_lines(corpus, f.path, f.line, context))
        parts.append("")
    return "\n".join(parts)


# --- the machine ---------------------------------------------------------------------------------


def machine() -> str:
    """The machine, the tools and the state of the checkout: what a reader needs to reproduce."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    head = output(["git", "rev-parse", "--short", "HEAD"])
    dirty = output(["git", "--no-optional-locks", "status", "--porcelain", "--", "hooks"])
    digest = hashlib.sha256()
    for path in python_files(os.path.join(REPO, "hooks")):
        digest.update(os.path.relpath(path, REPO).encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(handle.read())
    rules = [line.split()[0] for line in output([tool("diffwarden"), "--list-rules"]).splitlines()]
    lines = [
        f"- nproc {cpus}; {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()} ({sys.executable})",
        f"- diffwarden {version_of('diffwarden')} at {head}"
        + (f", hooks/ changed: {' '.join(dirty.split())}" if dirty else ", hooks/ clean"),
        f"- hooks/*.py sha256 {digest.hexdigest()[:16]}; {len(rules)} rules: "
        + " ".join(sorted(rules)),
        f"- bandit {version_of('bandit')}; ruff {version_of('ruff')}",
    ]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", action="append", choices=["examples", "django"])
    parser.add_argument("--sample", type=int, default=0, help="findings per tool to list")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--context", type=int, default=2, help="source lines around a sample")
    parser.add_argument("--examples", type=int, default=5, help="examples per rule, unmatched")
    args = parser.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    print("## Machine\n\n" + machine() + "\n")
    last: Optional[Tuple[Corpus, Dict[str, Run]]] = None
    for corpus in corpora(args.corpus or ["examples", "django"]):
        runs = {"diffwarden": run_diffwarden(corpus), "bandit": run_bandit(corpus)}
        runs["ruff"] = run_ruff(corpus)
        title = os.path.basename(corpus.root) + "/" + corpus.folder
        print(f"## {corpus.name}: {title}\n\n" + totals(runs) + "\n")
        for name in TOOLS:
            print(f"### {name} per rule\n\n" + per_rule(runs[name]) + "\n")
            for note in runs[name].notes:
                print(f"- note: {note}")
            print()
        print("### Matching by place\n\n" + matching(runs) + "\n")
        print("### bandit's checks matched\n\n" + bandit_coverage(runs) + "\n")
        print("### Found by one tool only\n\n" + alone(runs, args.examples) + "\n")
        last = (corpus, runs)
    if args.sample and last:
        print(
            f"## Sample on {last[0].name}\n\n" + sample(*last, args.sample, args.seed, args.context)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
