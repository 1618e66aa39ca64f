"""False positives of the compromised-agent hooks (DW801-DW808) on real code that holds no backdoor.

    .venv/bin/python bench/agent_fp.py [--corpus django|requests|stdlib|site-packages ...]

Corpora (default: django and requests, the two that issue 8 names):
  django         Django 5.1.4's source distribution, all of it (package, tests, docs, scripts)
  requests       requests 2.34.2's source distribution, all of it
  stdlib         this interpreter's standard library, tests in, site-packages out
  site-packages  the site-packages of the venv that runs this script (what it has installed)
The source distributions are fetched once with `pip download --no-binary :all: --no-deps` into
bench/.cache (compare.py's `sdist`), the only network use.

For each corpus, from its top folder, with the hooks of this checkout (PYTHONPATH):
  python -m hooks --scope file --no-cache --format json --config <empty>
         --select DW801,DW802,DW803,DW804,DW805,DW806,DW807,DW808 <its top-level entries>
The empty config gives every rule its defaults, whatever pyproject.toml is above. The report
lists every finding with its source line and the verdict EXPLAINED gives it (docs/
compromised-agent.md says why), then the prefilter: how many Python files and lines mention a
trigger word of these eight rules, of the other rules, and of either. What these rules alone
bring in is the work they add to every scan. With --timing, the scan with every rule is timed
with and without DW801-DW808.

Exit status: 1 when a finding has no verdict in EXPLAINED (a new false positive, or a change
in the corpus), else 0. Prints Markdown; docs/compromised-agent.md holds a report.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple

import compare
import run

if TYPE_CHECKING:
    from hooks.engine.narrow import Triggers

    Group = Tuple["re.Pattern[str]", Triggers]  # one regex to search, words and shapes for lines

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)  # the prefilter is this checkout's, not that of an installed diffwarden
CODES = tuple(f"DW80{n}" for n in range(1, 9))
VERSIONS = {"django": "5.1.4", "requests": "2.34.2"}
CORPORA = ("django", "requests", "stdlib", "site-packages")
NOT_SCANNED = {"__pycache__"}
SHOWN_WORDS = 12  # trigger words listed, the busiest first
# (path relative to the corpus top folder, code) -> the verdict on its findings there, as
# docs/compromised-agent.md explains it. Paths are stable across the versions measured.
EXPLAINED: Dict[Tuple[str, str], str] = {
    ("test/test_site.py", "DW806"): "accepted: CPython's site tests write .pth files to test them",
    ("_pytest/pastebin.py", "DW805"): "real: pytest --pastebin posts test output to bpaste.net",
    ("detect_secrets/plugins/telegram_token.py", "DW805"): (
        "real: detect-secrets' verifier sends a found token to the Telegram bot API"
    ),
    ("setuptools/command/easy_install.py", "DW806"): (
        "accepted: easy_install writes easy-install.pth into site-packages"
    ),
    ("mypy/main.py", "DW803"): "real: mypy --install-types runs pip install, after asking",
    ("mypy/test/testpep561.py", "DW803"): (
        "accepted: mypy's PEP 561 tests pip install packages into a virtualenv they made"
    ),
}


@dataclass(frozen=True)
class Corpus:
    """`inputs` are the entries given to diffwarden, relative to `root`."""

    name: str
    root: str
    inputs: Tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    code: str
    message: str
    source: str

    @property
    def verdict(self) -> Optional[str]:
        return EXPLAINED.get((self.path, self.code))


@dataclass(frozen=True)
class Prefilter:
    """Python files and lines that a group of trigger words makes the engine look at."""

    files: int
    lines: int


# --- corpora -------------------------------------------------------------------------------------


def entries(root: str, skip: Set[str]) -> Tuple[str, ...]:
    """The top-level modules and folders of `root` worth scanning, sorted."""
    return tuple(
        name
        for name in sorted(os.listdir(root))
        if name not in skip
        and not name.startswith(".")
        and (name.endswith(".py") or os.path.isdir(os.path.join(root, name)))
    )


def corpus(name: str) -> Corpus:
    if name in VERSIONS:
        root = compare.sdist(name, VERSIONS[name])
        return Corpus(name, root, entries(root, NOT_SCANNED), f"{name} {VERSIONS[name]} sdist")
    if name == "stdlib":
        root = os.path.dirname(os.__file__)
        inputs = tuple(os.path.basename(p) for p in run.stdlib_inputs())
        return Corpus(name, root, inputs, f"standard library of Python {sys.version.split()[0]}")
    root = sysconfig.get_paths()["purelib"]
    return Corpus(name, root, entries(root, NOT_SCANNED), f"site-packages of {sys.prefix}")


def python_files(found: Corpus) -> Iterator[str]:
    for entry in found.inputs:
        path = os.path.join(found.root, entry)
        if os.path.isdir(path):
            yield from compare.python_files(path)
        elif path.endswith(".py"):
            yield path


# --- the scan ------------------------------------------------------------------------------------


def scan_argv(config: str, select: Sequence[str], ignore: Sequence[str]) -> List[str]:
    argv = [sys.executable, "-m", "hooks", "--scope", "file", "--no-cache", "--format", "json"]
    argv += ["--config", config]
    if select:
        argv += ["--select", ",".join(select)]
    if ignore:
        argv += ["--ignore", ",".join(ignore)]
    return argv


def diffwarden(found: Corpus, argv: List[str]) -> Tuple[dict, float]:
    """The JSON report of diffwarden on the corpus, and the wall seconds it took."""
    env = compare.clean_env()
    env["PYTHONPATH"] = REPO  # the hooks of this checkout, whatever the venv has installed
    start = time.perf_counter()
    done = subprocess.run(
        [*argv, *found.inputs], cwd=found.root, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        sys.exit(f"agent_fp: diffwarden exited {done.returncode}: {' | '.join(error)}")
    return json.loads(done.stdout.decode("utf-8")), seconds


def source_line(path: str, line: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.strip()
    except OSError:
        pass
    return ""


def hits(found: Corpus, report: dict) -> List[Hit]:
    kept = []
    for f in report["findings"]:
        if f["code"] not in CODES:
            continue  # engine notes (syntax errors in test data) are not this rule set's
        full = os.path.join(found.root, f["path"])
        path = os.path.relpath(os.path.normpath(full), found.root).replace(os.sep, "/")
        kept.append(Hit(path, f["line"], f["code"], f["message"], source_line(full, f["line"])))
    return sorted(kept, key=lambda h: (h.path, h.line, h.code))


# --- the prefilter -------------------------------------------------------------------------------


def trigger_patterns() -> Tuple[Group, Group, Dict[str, "re.Pattern[str]"]]:
    """The engine's triggers (as one regex and as words and shapes) for DW801-DW808, for every
    other Python rule, and one regex per trigger word of DW801-DW808."""
    from hooks.engine.registry import all_rules
    from hooks.engine.rule import TextRule
    from hooks.engine.runner import trigger_pattern, trigger_set

    rules = [(r, dict(r.options)) for r in all_rules() if not issubclass(r, TextRule)]
    ours = [(r, o) for r, o in rules if r.code in CODES]
    others = [(r, o) for r, o in rules if r.code not in CODES]
    words = sorted({w for r, _ in ours for w in r.triggers})
    each = {w: re.compile(r"\b" + re.escape(w) + r"\b") for w in words}
    return (
        (trigger_pattern(ours), trigger_set(ours)),
        (trigger_pattern(others), trigger_set(others)),
        each,
    )


def prefilter(found: Corpus) -> Tuple[int, Dict[str, Prefilter], Dict[str, Tuple[int, int]]]:
    """Python files, what each group of triggers opens, and per trigger word of DW801-DW808:
    (files that mention it, of those the files no other rule has a trigger in)."""
    from hooks._testfiles import parse  # Python's tree of the file, or None when it rejects it
    from hooks.engine.narrow import mentions

    ours, others, each = trigger_patterns()
    files: Dict[str, int] = collections.Counter()
    lines: Dict[str, int] = collections.Counter()
    words: Dict[str, List[int]] = {w: [0, 0] for w in each}
    total = 0
    for path in python_files(found):
        total += 1
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        mine, theirs = bool(ours[0].search(text)), bool(others[0].search(text))
        for word, pattern in each.items():
            if pattern.search(text):
                words[word][0] += 1
                words[word][1] += not theirs
        if not (mine or theirs):
            continue
        tree = parse(text)
        groups = (("DW801-DW808", mine, ours), ("other rules", theirs, others))
        union: Set[int] = set()
        for group, hit, (_, triggers) in groups:
            if hit:
                files[group] += 1
                found_lines = mentions(text, tree, triggers).lines if tree else set()
                lines[group] += len(found_lines)
                union |= found_lines
        files["either"] += 1
        lines["either"] += len(union)
    groups = ("DW801-DW808", "other rules", "either")
    counts = {g: Prefilter(files[g], lines[g]) for g in groups}
    return total, counts, {w: (n, alone) for w, (n, alone) in words.items()}


# --- the report ----------------------------------------------------------------------------------


def report_hits(found: Corpus, report: dict, seconds: float, found_hits: List[Hit]) -> str:
    per_rule = collections.Counter(h.code for h in found_hits)
    lines = [
        f"### {found.label}\n",
        f"{report.get('files', '?')} files checked in {seconds:.1f} s; "
        f"{len(found_hits)} findings"
        + (
            ": " + ", ".join(f"{code} {n}" for code, n in sorted(per_rule.items()))
            if per_rule
            else ""
        )
        + ".\n",
    ]
    if found_hits:
        rows = [
            [f"`{h.path}:{h.line}`", h.code, f"`{h.source[:70]}`", h.verdict or "**not explained**"]
            for h in found_hits
        ]
        lines.append(compare.table(["where", "rule", "line", "verdict"], rows) + "\n")
    return "\n".join(lines)


def report_prefilter(
    total: int, counts: Dict[str, Prefilter], words: Dict[str, Tuple[int, int]]
) -> str:
    rows = [
        [group, c.files, f"{100 * c.files / max(total, 1):.1f}%", c.lines]
        for group, c in counts.items()
    ]
    added = counts["either"].files - counts["other rules"].files
    added_lines = counts["either"].lines - counts["other rules"].lines
    busy = sorted(words.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    word_rows = [[f"`{w}`", n, alone] for w, (n, alone) in busy[:SHOWN_WORDS] if n]
    rest = sum(1 for _, (n, _) in busy[SHOWN_WORDS:] if n)
    return "\n".join(
        [
            f"Prefilter over {total} Python files: files and lines that mention a trigger word.\n",
            compare.table(["triggers of", "files", "of all", "lines"], rows) + "\n",
            f"DW801-DW808 add {added} files and {added_lines} lines to the other rules' work.\n",
            compare.table(["trigger word", "files", "none of the other rules'"], word_rows) + "\n",
            f"{rest} more trigger words are in some file.\n" if rest else "",
        ]
    )


def timing(found: Corpus, config: str) -> str:
    """Every rule, with and without DW801-DW808: the whole-process cost of these rules."""
    _, with_them = diffwarden(found, scan_argv(config, (), ()))
    _, without = diffwarden(found, scan_argv(config, (), CODES))
    load = os.getloadavg()[0]
    return (
        f"Every rule: {with_them:.1f} s; every rule but DW801-DW808: {without:.1f} s "
        f"(load {load:.1f}; one run each, wall time).\n"
    )


def header() -> str:
    commit = compare.output(["git", "rev-parse", "--short", "HEAD"])
    dirty = (
        " (with uncommitted changes)"
        if compare.output(["git", "status", "--short", "hooks"])
        else ""
    )
    return (
        f"# DW801-DW808 on real code\n\nhooks/ at {commit}{dirty}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores.\n"
    )


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="repeatable")
    parser.add_argument("--timing", action="store_true", help="time every rule with and without")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    os.makedirs(compare.OUT, exist_ok=True)
    config = os.path.join(compare.OUT, "pyproject.toml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("[tool.diffwarden]\n")  # every default: no select, ignore or exclude
    unexplained = 0
    print(header())
    for name in args.corpus or ["django", "requests"]:
        found = corpus(name)
        report, seconds = diffwarden(found, scan_argv(config, CODES, ()))
        found_hits = hits(found, report)
        unexplained += sum(h.verdict is None for h in found_hits)
        print(report_hits(found, report, seconds, found_hits))
        print(report_prefilter(*prefilter(found)))
        if args.timing:
            print(timing(found, config))
    if unexplained:
        print(f"{unexplained} findings have no verdict: explain or fix them.", file=sys.stderr)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
