"""new-suppressions: a change that silences a check instead of fixing what it found.

**What it finds.** DW701: a line the change adds that carries a check-silencing comment: `# noqa`
(bare or with codes), `# nosec`, `# type: ignore`, `# pyright: ignore`, `# pylint: disable`,
`# pragma: no cover`, `# pragma: allowlist secret`, `# nosemgrep`, `# lint-ignore`,
`#gitleaks:allow`, `trufflehog:ignore`, `# diffwarden: ignore[...]`, the file-level forms
(`# ruff: noqa`, `# flake8: noqa`, `# mypy: ignore-errors`, `# pylint: skip-file`), and in other
languages `eslint-disable`, `@ts-ignore`, `@ts-nocheck` and `//nolint`. The message names the
tool and the codes it silences.

**Why it matters in assistant-written code.** An assistant told to "make the checks pass" often
does exactly that: it adds `# nosec` or `# type: ignore` rather than fixing the cause. Each one
is small; together they switch the gate off one line at a time. A person should approve each.

**When it runs.** In the strict profile: when the change is assistant-written (see
docs/provenance.md) or the repository declares `profile = "strict"`. A person's own
suppressions, with a reason, are how findings get approved. Selecting DW701 by name runs it
always.

**Severity.** Silencing a security check (`nosec`, `nosemgrep`, secret allowlists, diffwarden
itself) is medium; silencing a linter or type checker is low.

**Bad**

```python
subprocess.run(cmd, shell=True)  # nosec B602
```

**Good**

```python
subprocess.run(shlex.split(cmd))
```

**Not flagged.** Suppressions already in the file (only added lines are read; a whole-file run
lists every suppression, an audit), a suppression moved with its line inside the same file (the
file before the change held the same comment as often), the words inside ordinary comments
(`# no queue`, `# type: int`), text in Python strings, prose files (`.md`, `.rst`, `.txt`), and
`# fmt: off`/`# fmt: skip` (formatting, not checking).
A line moved into another file is reported there as new (known gap).

**Fix.** None automatic: fix what the check found, or have a person add the suppression in a
change of their own, with a reason.

**References.** CWE-1164 (irrelevant code) is the nearest; see also the `strict` profile in
docs for changes made by assistants.
"""

from __future__ import annotations

import io
import tokenize
from collections import Counter
from typing import Iterator, List, Optional, Set, Tuple

from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, ChangeRule, Confidence, Finding, Ok, Severity
from hooks.engine.source import is_python, lines_of
from hooks.engine.lazyre import lazy_re

# (tool, pattern, silences a security check); each pattern must sit in a comment
SUPPRESSIONS: Tuple[Tuple[str, str, bool], ...] = (
    ("bandit", r"#\s*nosec\b(?P<codes>[ \t]*[A-Z]\d{3}(?:[ ,]+[A-Z]\d{3})*)?", True),
    ("semgrep", r"(?:#|//)\s*nosemgrep\b(?::\s*(?P<codes>[\w.,\- ]+))?", True),
    ("detect-secrets", r"pragma:\s*allowlist\s+(?:nextline\s+)?secret", True),
    ("gitleaks", r"gitleaks:allow", True),
    ("trufflehog", r"trufflehog:ignore", True),
    ("diffwarden", r"#\s*diffwarden\s*:?\s*ignore(?:\[(?P<codes>[^\]]*)\])?", True),
    ("ruff/flake8", r"#\s*(?:ruff|flake8)\s*:\s*noqa\b(?::\s*(?P<codes>[\w, ]+))?", False),
    ("flake8/ruff", r"#\s*noqa\b(?::\s*(?P<codes>[A-Z]+\d+(?:[, ]+[A-Z]+\d+)*))?", False),
    ("mypy", r"#\s*type:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", False),
    ("mypy", r"#\s*mypy\s*:\s*ignore-errors\b", False),
    ("pyright", r"#\s*pyright:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", False),
    ("pylint", r"#\s*pylint:\s*(?:disable(?:-next)?=(?P<codes>[\w\-, ]+)|skip-file)", False),
    ("coverage", r"#\s*pragma:\s*no\s*cover\b", False),
    ("lint-ignore", r"(?:#|//)\s*lint-ignore\b", False),
    (
        "eslint",
        r"(?://|/\*)\s*eslint-disable(?:-next-line|-line)?\b(?P<codes>[ \t][\w/@\-, ]+)?",
        False,
    ),
    ("typescript", r"//\s*@ts-(?:ignore|nocheck|expect-error)\b", False),
    ("golangci-lint", r"//\s*nolint\b(?::(?P<codes>[\w,]+))?", False),
)
PATTERNS = tuple((tool, lazy_re(pattern), security) for tool, pattern, security in SUPPRESSIONS)
PROSE = (".md", ".rst", ".txt", ".adoc")
# the prefilter: any of the tools' markers, on raw bytes
MARKERS = lazy_re(
    rb"noqa|nosec|nosemgrep|type:\s*ignore|pyright:|pylint:|pragma:|lint-ignore|gitleaks|"
    rb"trufflehog|diffwarden|mypy\s*:|eslint-disable|@ts-|nolint"
)


Hit = Tuple[int, str, str, bool]  # column, tool, codes, silences a security check


def suppression(line: str) -> Optional[Hit]:
    """(column, tool, codes, security) of the first suppression on `line`, None if none."""
    found = [(m, tool, sec) for tool, pattern, sec in PATTERNS for m in [pattern.search(line)] if m]
    if not found:
        return None
    match, tool, security = min(found, key=lambda item: item[0].start())
    codes = (match.groupdict().get("codes") or "").strip()
    return match.start() + 1, tool, codes, security


class NewSuppression(ChangeRule):
    prefilter = Prefilter(patterns=[MARKERS.pattern])
    whole_change = False  # it reads added lines; the earlier version tells moved from new
    on_added_lines = True
    code = "DW701"
    name = "new-suppression"
    summary = "The change adds a comment that silences a linter, type checker or security check."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (1164,)
    strict_only = True
    message = "new {tool} suppression{codes}: fix the finding instead, or have a person approve it"
    hint = "remove the suppression and fix the cause; a person may add it in their own change"
    examples = (
        Bad("subprocess.run(cmd, shell=True)  # nosec B602\n", ((1, 34),)),
        Bad("import os  # noqa: F401\n", ((1, 12),), severity=Severity.LOW),
        Bad("x: int = f()  # type: ignore[assignment]\n", ((1, 15),), severity=Severity.LOW),
        Bad('key = "abc"  # pragma: allowlist secret\n', ((1, 14),)),
        Bad("# ruff: noqa\nimport os\n", ((1, 1),), severity=Severity.LOW),
        Bad("eval(x)  # diffwarden: ignore[DW101] trusted\n", ((1, 10),)),
        Bad("// eslint-disable-next-line no-eval\neval(x);\n", ((1, 1),), path="app.js"),
        Bad("token = get()  #gitleaks:allow\n", ((1, 17),), path="ci.sh"),
        Ok("x = 1  # no queue here\n"),
        Ok("y = 2  # type: int\n", why="a type comment, not an ignore"),
        Ok("# fmt: off\nTABLE = [1,2]\n# fmt: on\n", why="formatting, not checking"),
        Ok("print('use # noqa sparingly')\n", why="text in a string is no comment"),
        Ok("Add `# nosec` only with a reason.\n", path="CONTRIBUTING.md", why="prose"),
        Ok("def nosecurity():\n    pass\n"),
        Ok(
            "def size(b):\n    return len(b)\n\n\ndef load(b):\n"
            "    return pickle.loads(b)  # nosec B301 our own cache\n",
            before="def load(b):\n    return pickle.loads(b)  # nosec B301 our own cache\n\n\n"
            "def size(b):\n    return len(b)\n",
            why="moved with its line: the file held the same suppression before",
        ),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return MARKERS.search(data) is not None

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if after is None or path.lower().endswith(PROSE):
            return []
        marked = list(_marked(path, after))
        added = [item for item in marked if lines is None or item[0] in lines]
        # what the file held before, less what stays where it was: the rest moved
        moved = Counter(c.strip() for _, _, c, _ in _marked(path, before))
        moved.subtract(c.strip() for n, _, c, _ in marked if lines is not None and n not in lines)
        found = []
        for number, offset, comment, hit in added:
            if moved[comment.strip()] > 0:
                moved[comment.strip()] -= 1
                continue
            col, tool, codes, security = hit
            severity = Severity.MEDIUM if security else Severity.LOW
            shown = f" of {codes}" if codes else ""
            start = col if offset is None else offset + 1  # a Python comment: at its `#`
            end = (offset or 0) + len(comment) + 1
            found.append(self.found(path, number, start, end, severity, tool=tool, codes=shown))
        return found


def _marked(path: str, text: Optional[str]) -> Iterator[Tuple[int, Optional[int], str, Hit]]:
    """(line, column, comment, suppression) of each comment that silences a check."""
    for number, offset, comment in _comments(path, text or ""):
        hit = suppression(comment)
        if hit is not None:
            yield number, offset, comment, hit


def _comments(path: str, text: str) -> Iterator[Tuple[int, Optional[int], str]]:
    """(line, 0-based column, text) of each place a suppression may sit: Python's real comments
    (tokenize, so strings never count), or whole lines in other files (column None)."""
    if is_python(path, text[:200].encode("utf-8", "replace")):
        try:
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type == tokenize.COMMENT:
                    yield token.start[0], token.start[1], token.string
            return
        except (tokenize.TokenError, SyntaxError):
            pass  # broken Python: DW001 says so; read its lines like any other file
    for number, line in enumerate(lines_of(text), start=1):
        yield number, None, line
