"""Does diff scope lose a finding? Each line of each finding, added alone, must bring it back.

    .venv/bin/python bench/diff_scope_loss.py PATH [PATH ...]

For every Python file under the paths, every rule runs over the whole file (as `--scope file`
does); then, for each finding and each line it spans, the file is checked again in diff scope
with that one line as the change. Diff scope parses and walks less (narrow.py: the units the
change touches, and only added lines whose statement mentions a trigger or a name given a
value on a line that does), so a finding that does not come back is one that a commit adding
that line would miss. Prints the count of files and findings, then each finding lost.

Slow (one check per line of every finding); tests/test_narrow.py does the same for the rules'
examples on every run of the suite.
"""

from __future__ import annotations

import ast
import collections
import os
import sys
from typing import Dict, Iterator, List, Tuple

from hooks.engine import registry
from hooks.engine.config import Config
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope


def python_files(paths: List[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isfile(path):
            yield path
        for folder, _, names in os.walk(path):
            yield from (os.path.join(folder, n) for n in sorted(names) if n.endswith(".py"))


def main(paths: List[str]) -> int:
    rules = registry.all_rules()
    runner = Runner(
        rules=[(r, dict(r.options)) for r in rules], config=Config(), scope_factory=Scope
    )
    files = findings = 0
    lost: Dict[str, List[Tuple[str, int, int]]] = collections.defaultdict(list)
    for path in python_files(paths):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            ast.parse(text)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            continue
        files += 1
        for found in runner._parse_and_walk(path, text, None):
            if found.code.startswith("DW0"):  # the engine's own notes, not a rule's
                continue
            findings += 1
            for line in range(found.line, found.end_line + 1):
                if found not in runner._parse_and_walk(path, text, {line}):
                    lost[found.code].append((path, found.line, line))
                    break
    print(f"{files} files, {findings} findings, {sum(map(len, lost.values()))} lost")
    for code, where in sorted(lost.items()):
        for path, line, added in where:
            print(f"  {code} {path}:{line} (added line {added} alone)")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if sys.argv[1:] else 2)
