"""Precision and recall of diffwarden's secrets hook next to plain detect-secrets.

    .venv/bin/python bench/secrets_quality.py [--runs N] [--no-stdlib] [--diffwarden CMD]

1. Writes the labeled corpus of bench/secrets_corpus.py into a temporary git repository (all of
   it staged), runs `diffwarden --select secrets --scope file --format json --no-cache FILES` and
   `detect-secrets scan -n FILES` (its default plugins and filters, no network verification: the
   baseline it prints has every secret's file and line), and matches findings to labels by file
   and line. A true secret is found when a finding of the tool falls on one of its lines; a
   flagged line that holds no true secret is a false positive, put under the look-alike
   category of its label (or `unlabeled`). Only DW501 counts here; DW502 (key files) is scored
   on its own, per file, since detect-secrets has nothing like it.
2. Runs both tools on this interpreter's standard library (site-packages and __pycache__ left
   out). It holds no leaked credential, so every finding there is a false positive, except the
   private keys of the TLS tests (Lib/test/certdata): real keys, published as test fixtures,
   counted apart as `real test keys`.
3. Times the tools, whole process from spawn to exit, median of --runs rounds (after one
   untimed round that fills the bytecode cache, as an installed hook has one); the tools take
   turns within each round. Two 10-file commits of corpus files (one per file kind, plus a
   Python module): (a2) the 10 files staged as new files, and (a1) the 10 files committed
   without their last 10-30 lines, which the staged change adds back. `detect-secrets-hook`
   (what pre-commit runs: the named files whole, in one process) and `detect-secrets scan` run
   on the file names; diffwarden as a hook (a1: only the added lines, the default scope; a2:
   every line of the new files). Then the standard library (--stdlib-runs rounds).

Prints a Markdown report: docs/secrets.md holds one. Standard library only, plus the two tools.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import secrets_corpus as corpus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)  # the venv's bin: resolving the symlink would leave it
NOT_STDLIB = {"site-packages", "dist-packages", "__pycache__"}
DS, DW, DS_HOOK = "detect-secrets", "diffwarden", "detect-secrets-hook"
TOOLS = (DS, DW)  # the two whose findings are scored
KEY_KIND = "Private Key"


@dataclass(frozen=True)
class Hit:
    """One finding: where, and the kind of secret the tool named."""

    path: str
    line: int
    kind: str


@dataclass
class Run:
    """What one tool printed on one set of files, and what it cost."""

    hits: List[Hit]
    key_files: Set[str]  # DW502's files (diffwarden only)
    output: str  # what it printed (detect-secrets: a baseline)
    wall: List[float] = field(default_factory=list)
    cpu: List[float] = field(default_factory=list)


def run_timed(argv: Sequence[str], cwd: str, env: Dict[str, str]) -> Tuple[str, float, float]:
    """stdout, wall seconds and CPU seconds (with the tool's own child processes) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1):
        err = result.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"{argv[0]} failed ({result.returncode}): {err[-2000:]}")
    return result.stdout.decode("utf-8"), wall, cpu


def parse_ds(out: str) -> Tuple[List[Hit], Set[str]]:
    document = json.loads(out)
    hits = [
        Hit(path, entry["line_number"], entry["type"])
        for path, entries in document["results"].items()
        for entry in entries
    ]
    return hits, set()


def parse_dw(out: str) -> Tuple[List[Hit], Set[str]]:
    """DW501's findings, and DW502's files. The kind is the message up to the redacted preview."""
    findings = json.loads(out)["findings"]
    hits = [
        Hit(f["path"], f["line"], f["message"].split(" `")[0])
        for f in findings
        if f["code"] == "DW501"
    ]
    return hits, {f["path"] for f in findings if f["code"] == "DW502"}


class Tools:
    """The two command lines, run alike: same files, same folder, same environment."""

    def __init__(self, diffwarden: Sequence[str], cache: str) -> None:
        hook = [*diffwarden, "--select", "secrets", "--format", "json", "--no-cache"]
        self.argv = {
            DS: [os.path.join(BIN, "detect-secrets"), "scan", "-n"],
            DW: [*hook, "--scope", "file"],
            DS_HOOK: [os.path.join(BIN, "detect-secrets-hook")],
        }
        self.diff_scope = hook  # diffwarden as a pre-commit hook: the staged change only
        # bytecode on, as in an installed hook, kept out of the checkout
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GIT_", "PRE_COMMIT_")) and key != "PYTHONDONTWRITEBYTECODE"
        }
        self.env.update(XDG_CACHE_HOME=cache, PYTHONPYCACHEPREFIX=os.path.join(cache, "pycache"))

    def once(self, tool: str, files: Sequence[str], cwd: str, diff: bool = False) -> Run:
        argv = self.diff_scope if diff and tool == DW else self.argv[tool]
        out, wall, cpu = run_timed([*argv, *files], cwd, self.env)
        if tool == DS_HOOK:
            return Run([], set(), out, [wall], [cpu])  # timed only: detect-secrets scores it
        hits, key_files = (parse_ds if tool == DS else parse_dw)(out)
        return Run(hits, key_files, out, [wall], [cpu])

    def measure(
        self,
        files: Sequence[str],
        cwd: str,
        rounds: int,
        tools: Sequence[str] = TOOLS,
        diff: bool = False,
        warm_up: bool = True,
    ) -> Dict[str, Run]:
        """Findings of each tool (from the first round) and the time of every round; with
        `warm_up`, the first round is not timed (it fills the bytecode cache)."""
        runs: Dict[str, Run] = {}
        for round_ in range(rounds + warm_up):
            order = tools if round_ % 2 == 0 else tools[::-1]
            for tool in order:
                run = self.once(tool, files, cwd, diff)
                if tool not in runs:
                    runs[tool] = run if not warm_up else Run(run.hits, run.key_files, run.output)
                else:
                    runs[tool].wall.extend(run.wall)
                    runs[tool].cpu.extend(run.cpu)
        return runs


# ---- scoring against the labels ----------------------------------------------------------


@dataclass
class Score:
    """One tool on the corpus: which secrets it found, which other lines it flagged."""

    found: Set[corpus.Label]
    missed: List[corpus.Label]
    false: Dict[Tuple[str, int], str]  # flagged line -> look-alike category or "unlabeled"
    false_kinds: Dict[Tuple[str, int], Set[str]]  # flagged line -> kinds the tool named
    findings: int

    @property
    def recall(self) -> float:
        return ratio(len(self.found), len(self.found) + len(self.missed))

    @property
    def precision(self) -> float:
        return ratio(len(self.found), len(self.found) + len(self.false))


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def score(labels: Sequence[corpus.Label], hits: Sequence[Hit]) -> Score:
    by_line: Dict[Tuple[str, int], List[corpus.Label]] = defaultdict(list)
    for label in labels:
        for line in range(label.start, label.end + 1):
            by_line[(label.path, line)].append(label)
    found: Set[corpus.Label] = set()
    false: Dict[Tuple[str, int], str] = {}
    false_kinds: Dict[Tuple[str, int], Set[str]] = defaultdict(set)
    for hit in hits:
        here = by_line.get((hit.path, hit.line), [])
        secrets = [x for x in here if x.secret]
        if secrets:
            found.update(secrets)
            continue
        false[(hit.path, hit.line)] = here[0].kind if here else "unlabeled"
        false_kinds[(hit.path, hit.line)].add(hit.kind)
    missed = [x for x in labels if x.secret and x not in found]
    return Score(found, missed, false, dict(false_kinds), len(hits))


def pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


OVERALL = ("tool", "secrets found", "missed", "recall", "false-positive lines", "precision",
           "findings printed")  # fmt: skip


def corpus_report(
    labels: Sequence[corpus.Label], files: Sequence[corpus.CorpusFile], runs: Dict[str, Run]
) -> Tuple[str, Dict[str, Score]]:
    scores = {tool: score(labels, runs[tool].hits) for tool in TOOLS}
    secrets = [x for x in labels if x.secret]
    looks = [x for x in labels if not x.secret]
    out = [
        f"Corpus: {len(files)} files, {len(secrets)} true secrets of "
        f"{len({x.kind for x in secrets})} types, {len(looks)} look-alikes "
        f"(seed {corpus.SEED}).",
        "",
        table(
            OVERALL,
            [
                (
                    t,
                    len(s.found),
                    len(s.missed),
                    pct(s.recall),
                    len(s.false),
                    pct(s.precision),
                    s.findings,
                )
                for t, s in scores.items()
            ],
        ),  # fmt: skip
        "",
        "Per secret type (our = a provider detect-secrets has no plugin for):",
        "",
    ]

    def recall_of(tool: str, subset: Sequence[corpus.Label]) -> str:
        got = sum(1 for x in subset if x in scores[tool].found)
        return f"{got}/{len(subset)} ({pct(ratio(got, len(subset)))})"

    rows = []
    for kind in corpus.SECRET_TYPES:
        subset = [x for x in secrets if x.kind == kind.name]
        rows.append((kind.name + (" (our)" if kind.ours else ""), len(subset),
                     recall_of(DS, subset), recall_of(DW, subset)))  # fmt: skip
    out += [table(["type", "n", f"{DS} recall", f"{DW} recall"], rows), ""]
    out += ["Per file kind (false positives: flagged lines without a true secret):", ""]
    rows = []
    for file_kind in sorted({x.file_kind for x in labels}):
        subset = [x for x in secrets if x.file_kind == file_kind]
        kind_of = {f.path: f.file_kind for f in files}
        fps = [sum(1 for p, _ in scores[t].false if kind_of[p] == file_kind) for t in TOOLS]
        rows.append((file_kind, len(subset), recall_of(DS, subset) if subset else "-",
                     recall_of(DW, subset) if subset else "-", *fps))  # fmt: skip
    head = ["file kind", "secrets", f"{DS} recall", f"{DW} recall", f"{DS} FP", f"{DW} FP"]
    out += [table(head, rows), ""]
    out += ["Look-alikes per category (flagged / present):", ""]
    categories = sorted({x.kind for x in looks} | {"unlabeled"})
    rows = []
    for category in categories:
        present = sum(1 for x in looks if x.kind == category)
        flagged = [sum(1 for c in scores[t].false.values() if c == category) for t in TOOLS]
        rows.append((category, present, *flagged))
    out += [table(["category", "present", DS, DW], rows), ""]
    out += [dw502_report(files, runs[DW].key_files), ""]
    out += [details(scores)]
    return "\n".join(out), scores


def dw502_report(files: Sequence[corpus.CorpusFile], flagged: Set[str]) -> str:
    expected = {f.path for f in files if f.key_file}
    right = expected & flagged
    return (
        f"DW502 (key files, diffwarden only): {len(right)}/{len(expected)} key files flagged, "
        f"{len(flagged - expected)} other files flagged"
        + (f" ({', '.join(sorted(flagged - expected))})" if flagged - expected else "")
        + (f"; missed: {', '.join(sorted(expected - flagged))}" if expected - flagged else "")
        + "."
    )


def details(scores: Dict[str, Score]) -> str:
    """Every miss and false positive, so that a change in a number can be traced to a line."""
    out = []
    for tool, s in scores.items():
        misses = Counter(
            f"{x.kind}{' (' + x.detail + ')' if x.detail else ''} in {x.file_kind}"
            for x in s.missed
        )
        out.append(f"{tool} misses ({len(s.missed)}): " + "; ".join(
            f"{what} x{n}" if n > 1 else what for what, n in sorted(misses.items())
        ))  # fmt: skip
        false = Counter(
            f"{category} as {'/'.join(sorted(s.false_kinds[where]))}"
            for where, category in s.false.items()
        )
        out.append(f"{tool} false positives ({len(s.false)}): " + "; ".join(
            f"{what} x{n}" if n > 1 else what for what, n in sorted(false.items())
        ))  # fmt: skip
        out.append("")
    return "\n".join(out)


# ---- the standard library ----------------------------------------------------------------


def stdlib_files() -> Tuple[str, List[str]]:
    """This interpreter's standard library folder and its files, relative to it."""
    root = os.path.dirname(os.__file__)
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in NOT_STDLIB)
        found.extend(os.path.relpath(os.path.join(folder, n), root) for n in sorted(names))
    return root, found


@dataclass(frozen=True)
class StdlibCount:
    """One tool's false positives on the standard library, and the test keys set apart."""

    findings: int
    lines: int
    test_keys: int
    by_kind: Dict[str, int]


def real_test_key(hit: Hit) -> bool:
    """A private key in the test suite (Lib/test/certdata): real key material, published."""
    return hit.kind == KEY_KIND and hit.path.split(os.sep)[0] == "test"


def stdlib_count(hits: Sequence[Hit]) -> StdlibCount:
    false = [h for h in hits if not real_test_key(h)]
    return StdlibCount(
        findings=len(false),
        lines=len({(h.path, h.line) for h in false}),
        test_keys=len(hits) - len(false),
        by_kind=dict(Counter(h.kind for h in false)),
    )


def stdlib_report(
    root: str, files: Sequence[str], runs: Dict[str, Run]
) -> Tuple[str, Dict[str, StdlibCount]]:
    counts = {tool: stdlib_count(runs[tool].hits) for tool in TOOLS}
    kinds = sorted(set().union(*(c.by_kind for c in counts.values())))
    rows = [(k, *(counts[t].by_kind.get(k, 0) for t in TOOLS)) for k in kinds]
    rows.append(("**false positives (findings)**", *(counts[t].findings for t in TOOLS)))
    rows.append(("false positives (distinct lines)", *(counts[t].lines for t in TOOLS)))
    rows.append(("real test keys (not counted)", *(counts[t].test_keys for t in TOOLS)))
    key_files = sorted(runs[DW].key_files)
    text = "\n".join([
        f"Standard library: `{root}`, {len(files)} files (site-packages and __pycache__ out).",
        "",
        table(["kind", DS, DW], rows),
        "",
        f"DW502 flagged {len(key_files)} files there: " + ", ".join(key_files) + ".",
    ])  # fmt: skip
    return text, counts


# ---- timing, machine, targets --------------------------------------------------------------


def timing_rows(name: str, files: int, runs: Dict[str, Run]) -> List[Tuple[object, ...]]:
    return [
        (name, files, tool, f"{statistics.median(r.wall):.2f}", f"{min(r.wall):.2f}",
         f"{max(r.wall):.2f}", f"{statistics.median(r.cpu):.2f}", len(r.wall))
        for tool, r in runs.items()
    ]  # fmt: skip


def machine() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip()

    dirty = " (hooks/ differs from it)" if git("status", "--porcelain", "--", "hooks") else ""
    return (
        f"Machine: nproc {os.cpu_count()}, {platform.machine()}, {platform.system()}, "
        f"load average {os.getloadavg()[0]:.2f} at the end. Python "
        f"{platform.python_version()}. diffwarden at commit {git('rev-parse', '--short', 'HEAD')}"
        f"{dirty}; detect-secrets {detect_secrets_version()}."
    )


def detect_secrets_version() -> str:
    argv = [os.path.join(BIN, "detect-secrets"), "--version"]
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()


def targets(
    scores: Dict[str, Score],
    stdlib: Optional[Dict[str, StdlibCount]],
    commits: Dict[str, Dict[str, Run]],
) -> str:
    """The issue's targets, each with its verdict."""
    ds, dw = scores[DS], scores[DW]
    worse = []
    for kind in corpus.SECRET_TYPES:
        n = [sum(1 for x in s.found if x.kind == kind.name) for s in (ds, dw)]
        if n[1] < n[0]:
            worse.append(f"{kind.name} ({n[1]} < {n[0]})")
    lines = [
        "1. Recall at least detect-secrets' on every type: "
        + ("**met**" if not worse else "**NOT met**: " + ", ".join(worse)),
        f"2. Higher recall overall: {pct(dw.recall)} vs {pct(ds.recall)}: "
        + ("**met**" if dw.recall > ds.recall else "**NOT met**"),
        f"3. At most half of detect-secrets' false positives on the corpus: {len(dw.false)} vs "
        f"{len(ds.false)} (limit {len(ds.false) / 2:g}): "
        + ("**met**" if len(dw.false) <= len(ds.false) / 2 else "**NOT met**"),
    ]
    if stdlib:
        a, b = stdlib[DS].findings, stdlib[DW].findings
        lines.append(
            f"4. At most half of detect-secrets' false positives on the standard library: {b} vs "
            f"{a} findings (limit {a / 2:g}): " + ("**met**" if b <= a / 2 else "**NOT met**")
        )
    scenarios = (("5", "a2", 1.0, "no slower than"), ("6", "a1", 0.5, "at most half of"))
    for number, name, share, what in scenarios:
        ds, dw = (statistics.median(commits[name][t].wall) for t in (DS_HOOK, DW))
        ds_cpu, dw_cpu = (statistics.median(commits[name][t].cpu) for t in (DS_HOOK, DW))
        lines.append(
            f"{number}. ({name}) 10-file commit {what} detect-secrets-hook (median wall): "
            f"{dw:.2f} s vs {ds:.2f} s (limit {share * ds:.2f} s): "
            + ("**met**" if dw <= share * ds else "**NOT met**")
            + f"; CPU {dw_cpu:.2f} s vs {ds_cpu:.2f} s"
        )
    return "\n".join(lines)


def baseline_report(tools: Tools, repo: str, paths: Sequence[str], runs: Dict[str, Run]) -> str:
    """A team that adopts diffwarden keeps its detect-secrets baseline: with the baseline that
    `detect-secrets scan` printed for the corpus in place, nothing it records may come back."""
    baseline = os.path.join(repo, ".secrets.baseline")
    with open(baseline, "w", encoding="utf-8") as handle:
        handle.write(runs[DS].output)
    after = tools.once(DW, paths, repo).hits
    os.remove(baseline)
    recorded = {(h.path, h.line) for h in runs[DS].hits}
    again = [h for h in after if (h.path, h.line) in recorded]
    return (
        f"Baseline compatibility: with detect-secrets' baseline of the corpus as "
        f"`.secrets.baseline`, diffwarden reports {len(after)} of its {len(runs[DW].hits)} "
        f"findings; {len(again)} of them on a line the baseline records."
    )


def split_report(
    tools: Tools,
    repo: str,
    folder: str,
    files: Sequence[corpus.CorpusFile],
    labels: Sequence[corpus.Label],
) -> str:
    """The split-string files as a change: committed as they were before, then staged as they
    are, so that the change adds only a later line of each string. diffwarden as a hook (the
    staged lines) must find every secret there; once those strings are old, a change that
    adds a line after them must find none. detect-secrets has no diff scope: its hook scans
    the files whole, which the corpus tables above already score (file kind `split`)."""
    split = [f for f in files if f.before is not None]
    paths = [f.path for f in split]
    os.makedirs(folder)
    git(folder, "init", "-q")
    for f in split:
        write_text(os.path.join(folder, f.path), f.before or "")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--no-verify", "-m", "before")
    for f in split:
        with open(os.path.join(repo, f.path), encoding="utf-8") as handle:
            write_text(os.path.join(folder, f.path), handle.read())
    git(folder, "add", "-A")
    scored = score([x for x in labels if x.path in paths], tools.once(DW, paths, folder, True).hits)
    git(folder, "commit", "-q", "--no-verify", "-m", "after")
    for path in paths:
        with open(os.path.join(folder, path), "a", encoding="utf-8") as handle:
            handle.write("# a line added after the strings\n")
    git(folder, "add", "-A")
    old = tools.once(DW, paths, folder, True).hits
    total = len(scored.found) + len(scored.missed)
    return (
        f"Split strings as a change (diffwarden in diff scope, {len(paths)} files): "
        f"{len(scored.found)}/{total} secrets found, {len(scored.false)} look-alike lines "
        f"flagged; with the strings old and a line added after them: {len(old)} findings."
    )


def git(folder: str, *args: str) -> None:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True)


def git_repo(folder: str) -> None:
    """The corpus as a change about to be committed: a repository with everything staged."""
    git(folder, "init", "-q")
    git(folder, "add", "-A")


def edited_commit(corpus_repo: str, folder: str, paths: Sequence[str]) -> None:
    """(a1): the files committed without their last 10-30 lines, then staged whole: the change
    adds those lines back. How many is fixed per file, so every run measures the same change."""
    os.makedirs(folder)
    git(folder, "init", "-q")
    whole = {}
    for index, path in enumerate(paths):
        with open(os.path.join(corpus_repo, path), encoding="utf-8") as handle:
            whole[path] = handle.read()
        lines = whole[path].split("\n")
        added = min(10 + index * 7 % 21, len(lines) // 2)
        write_text(os.path.join(folder, path), "\n".join(lines[: len(lines) - added]))
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--no-verify", "-m", "before")
    for path, text in whole.items():
        write_text(os.path.join(folder, path), text)
    git(folder, "add", "-A")


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


COMMIT_TOOLS = (DS_HOOK, DS, DW)


def commit_timings(
    tools: Tools, repo: str, folder: str, rounds: int
) -> Tuple[List[Tuple[object, ...]], Dict[str, Dict[str, Run]]]:
    """(a2) 10 new files and (a1) 10 files changed by 10-30 lines, each tool as a hook."""
    subset = [secret_paths[0] for secret_paths, _ in corpus.PATHS.values()]
    subset.append(corpus.PATHS["py"][1])
    edited_commit(repo, folder, subset)
    runs = {
        "a2": tools.measure(subset, repo, rounds, COMMIT_TOOLS, diff=True),
        "a1": tools.measure(subset, folder, rounds, COMMIT_TOOLS, diff=True),
    }
    rows = timing_rows("(a2) 10 new files", len(subset), runs["a2"])
    rows += timing_rows("(a1) 10 files, 10-30 lines added to each", len(subset), runs["a1"])
    return rows, runs


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds per commit scenario")
    parser.add_argument("--stdlib-runs", type=int, default=1, help="timed rounds on the stdlib")
    parser.add_argument("--no-stdlib", action="store_true", help="skip the standard library")
    parser.add_argument(
        "--diffwarden",
        default=os.path.join(BIN, "diffwarden"),
        help="the diffwarden command to measure (default: this venv's)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="secrets-quality-") as tmp:
        repo = os.path.join(tmp, "repo")
        files, labels = corpus.write_corpus(repo)
        git_repo(repo)
        tools = Tools(shlex.split(args.diffwarden), os.path.join(tmp, "cache"))
        paths = [f.path for f in files]
        runs = tools.measure(paths, repo, 1, warm_up=False)
        text, scores = corpus_report(labels, files, runs)
        print("## Labeled corpus\n\n" + text + baseline_report(tools, repo, paths, runs) + "\n")
        split = split_report(tools, repo, os.path.join(tmp, "split"), files, labels)
        print(split + "\n")
        timings, commits = commit_timings(tools, repo, os.path.join(tmp, "edited"), args.runs)
        stdlib: Optional[Dict[str, StdlibCount]] = None
        if not args.no_stdlib:
            root, stdlib_paths = stdlib_files()
            runs = tools.measure(stdlib_paths, root, args.stdlib_runs, warm_up=False)
            text, stdlib = stdlib_report(root, stdlib_paths, runs)
            print("## Standard library\n\n" + text + "\n")
            timings += timing_rows("standard library", len(stdlib_paths), runs)
    head = ["scenario", "files", "tool", "median s", "min s", "max s", "CPU s (median)", "runs"]
    print("## Timings\n\n" + table(head, timings) + "\n")
    print("## Targets\n\n" + targets(scores, stdlib, commits) + "\n")
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
