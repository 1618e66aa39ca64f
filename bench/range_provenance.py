"""What judging a range commit by commit costs: `git blame` of the added lines, per file.

    .venv/bin/python bench/range_provenance.py [--commits 20] [--files 20] [--repeat 5]

Builds a repository in a temporary folder from real code (the first FILES modules of the
standard library's `email` package), then COMMITS commits on top, every other one with a
`Co-authored-by: Claude` trailer; each commit edits two files: a function with an `os.system`
call inserted before a function in its second half, and a comment line rewritten. Then, from
the repository (medians of REPEAT runs, in milliseconds):

  blame -w -M   `git blame --porcelain -w -M -L<added spans> BASE..HEAD -- FILE`, for every
                file the range adds lines to: what diffwarden runs, once per file with a finding
  blame -w      the same without -M (moves inside a file not followed)
  log -p        `git log -p -U0 --reverse BASE..HEAD`: the one call a diff-walking attribution
                would start from (before any of its own work)
  diffwarden    `python -m hooks --no-cache --from-ref BASE --to-ref HEAD`, with the trailers
                (judged per commit) and on a twin repository without them (one profile, no blame)

Prints a Markdown table. Timings depend on the machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from typing import Callable, Dict, List

from hooks.engine.scope import line_runs, parse_diff

TRAILER = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
INSERTED = "\n\ndef run_{n}(cmd):\n    import os\n    os.system(cmd)\n    return {n}\n\n"


def git(repo: str, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, check=True, stdout=subprocess.PIPE)
    return result.stdout.decode("utf-8", "replace")


def build(repo: str, commits: int, files: int, trailers: bool) -> str:
    """The repository; returns the base commit."""
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.email", "dev@example.com"), ("user.name", "Dev")):
        git(repo, "config", key, value)
    source = os.path.join(sysconfig.get_paths()["stdlib"], "email")
    names = sorted(n for n in os.listdir(source) if n.endswith(".py"))[:files]
    for name in names:
        with open(os.path.join(source, name), encoding="utf-8") as handle:
            text = handle.read()
        with open(os.path.join(repo, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    base = git(repo, "rev-parse", "HEAD").strip()
    for n in range(commits):
        for name in (names[n % len(names)], names[(n * 7 + 3) % len(names)]):
            path = os.path.join(repo, name)
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().split("\n")
            middle = len(lines) // 2
            tops = [i for i, line in enumerate(lines) if line.startswith("def ") and i >= middle]
            lines.insert(tops[0] if tops else len(lines), INSERTED.format(n=n))
            comments = [i for i, line in enumerate(lines) if line.startswith("# ")]
            if comments:  # a line of the file rewritten
                lines[comments[-1]] += f" (edited in commit {n})"
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines))
        message = f"commit {n}" + (TRAILER if trailers and n % 2 else "")
        git(repo, "commit", "-q", "-a", "--no-verify", "-m", message)
    return base


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def blame_all(repo: str, base: str, added: Dict[str, List[int]], follow_moves: bool) -> None:
    for path, lines in added.items():
        spans = [f"-L{first},{last}" for first, last in line_runs(lines)]
        moves = ["-M"] if follow_moves else []
        git(repo, "blame", "--porcelain", "-w", *moves, *spans, f"{base}..HEAD", "--", path)


def diffwarden(repo: str, base: str) -> None:
    command = [sys.executable, "-m", "hooks", "--no-cache", "--from-ref", base, "--to-ref", "HEAD"]
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    subprocess.run(command, cwd=repo, env=env, stdout=subprocess.DEVNULL, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as mixed, tempfile.TemporaryDirectory() as plain:
        base = build(mixed, args.commits, args.files, trailers=True)
        plain_base = build(plain, args.commits, args.files, trailers=False)
        diff = subprocess.run(
            ["git", "diff", "-U0", f"{base}...HEAD"], cwd=mixed, stdout=subprocess.PIPE
        ).stdout
        added = {path: sorted(lines or ()) for path, lines in parse_diff(diff).items()}
        count = sum(len(lines) for lines in added.values())
        rows = [
            ("blame -w -M, every changed file", lambda: blame_all(mixed, base, added, True)),
            ("blame -w, every changed file", lambda: blame_all(mixed, base, added, False)),
            ("log -p -U0 of the range", lambda: git(mixed, "log", "-p", "-U0", f"{base}..HEAD")),
            ("diffwarden, judged per commit", lambda: diffwarden(mixed, base)),
            ("diffwarden, no assistant commit", lambda: diffwarden(plain, plain_base)),
        ]
        print(f"{args.commits} commits, {len(added)} files changed, {count} added lines; ", end="")
        print(f"median of {args.repeat} runs\n")
        print("| what | ms |\n|---|---|")
        for label, action in rows:
            print(f"| {label} | {median_ms(action, args.repeat):.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
