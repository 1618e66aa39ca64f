"""gate-tampering: an assistant-written change that loosens the gate that checks it.

**What it finds.** DW707, in the strict profile: a change that edits `.pre-commit-config.yaml`
(high when it removes or deletes diffwarden's hooks), edits `[tool.diffwarden]` in
pyproject.toml, or edits or adds `.secrets.baseline` (every secret recorded there is no longer
reported); and an added line that tells git or pre-commit to skip the hooks: `--no-verify`,
`SKIP=` naming a diffwarden hook, `PRE_COMMIT_ALLOW_NO_CONFIG`, `core.hooksPath`,
`pre-commit uninstall`, in scripts, CI files, config and agent instruction files (`AGENTS.md`,
`CLAUDE.md`, `.cursorrules`, ...).

**Why it matters in assistant-written code.** An agent that cannot get a commit through has
three ways out besides fixing the code: switch the check off in the config, record the finding
as known (a baseline), or skip the hooks. Each is a decision about the gate itself, which the
change being gated must not make. Agents are known to reach for `git commit --no-verify`; the
`pre-push` stage and CI catch those commits, and this rule catches a change that writes the
habit down.

**When it runs.** In the strict profile only (assistant-written changes, or
`profile = "strict"`): people edit their own gate's config all the time.

**Bad**

```yaml
# .pre-commit-config.yaml, before: hooks: [{id: diffwarden}, {id: secrets}]
    hooks:
      - id: secrets
```

**Good**

```python
# the finding fixed in the code; the config untouched
```

**Not flagged.** A pyproject.toml change outside `[tool.diffwarden]` (reformatting the table
without changing a value included), a `.secrets.baseline` rewritten with the same results, the
words in ordinary prose files (`README.md`, docs), a baseline or config the change deletes
(that only makes the gate stricter, except `.pre-commit-config.yaml`, which is reported).

**Fix.** None automatic: a person changes the gate, in a change of their own.

**References.** CWE-693 (protection mechanism failure); no bandit or ruff counterpart.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any, FrozenSet, List, Optional, Set, Tuple

from hooks._versions import touched_lines
from hooks.engine.registry import catalogue
from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, ChangeRule, Confidence, Finding, Ok, Severity
from hooks.engine.lazyre import lazy_re

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PRE_COMMIT_CONFIGS = (".pre-commit-config.yaml", ".pre-commit-config.yml")
BASELINE = ".secrets.baseline"
PYPROJECT = "pyproject.toml"
AGENT_INSTRUCTIONS = frozenset(
    {"AGENTS.md", "CLAUDE.md", "GEMINI.md", ".cursorrules", ".windsurfrules", ".clinerules",
     "copilot-instructions.md"}
)  # fmt: skip
PROSE = (".md", ".rst", ".txt", ".adoc")
HOOK_ID = lazy_re(r"^\s*(?:-\s*)?id\s*:\s*[\"']?([\w.-]+)", re.MULTILINE)
BYPASS = lazy_re(
    r"--no-verify\b|\bSKIP=[\"']?[\w,.-]*\b(?:diffwarden|secrets|test-tampering)|"
    r"\bPRE_COMMIT_ALLOW_NO_CONFIG\b|\bcore\.hooksPath\b|\bpre-commit\s+uninstall\b"
)


@functools.lru_cache(maxsize=1)
def our_hook_ids() -> FrozenSet[str]:
    """The ids this suite's hooks have in a .pre-commit-config.yaml."""
    ids = {rule.hook for rule in catalogue()}
    return frozenset({"diffwarden", "diffwarden-commit-msg", *ids})


class GateTampering(ChangeRule):
    prefilter = Prefilter(patterns=[BYPASS.pattern.encode()])
    prefilter_names = (*PRE_COMMIT_CONFIGS, BASELINE, PYPROJECT)
    code = "DW707"
    name = "gate-tampering"
    summary = "The change edits the gate's own config, baseline or hooks, or skips the hooks."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (693,)
    strict_only = True
    message = "{what}: the change being gated must not loosen the gate"
    hint = "leave the gate as it is; a person may change it in a change of their own"
    examples = (
        Bad(
            "repos:\n  - repo: https://github.com/acme/diffwarden\n    rev: v1\n    hooks:\n"
            "      - id: secrets\n",
            ((5, 1),),
            severity=Severity.HIGH,
            path=".pre-commit-config.yaml",
            before="repos:\n  - repo: https://github.com/acme/diffwarden\n    rev: v1\n"
            "    hooks:\n      - id: diffwarden\n      - id: secrets\n",
        ),
        Bad(
            "repos:\n  - repo: local\n    hooks:\n      - id: mypy\n        stages: [manual]\n",
            ((5, 1),),
            path=".pre-commit-config.yaml",
            before="repos:\n  - repo: local\n    hooks:\n      - id: mypy\n",
        ),
        Bad(
            '[project]\nname = "app"\n\n[tool.diffwarden]\nignore = ["DW102"]\n',
            ((5, 1),),
            path="pyproject.toml",
            before='[project]\nname = "app"\n\n[tool.diffwarden]\nignore = []\n',
        ),
        Bad(
            '{"version": "1.5.0", "results": {"app.py": [{"line_number": 3}]}}\n',
            ((1, 1),),
            path=".secrets.baseline",
            before='{"version": "1.5.0", "results": {}}\n',
        ),
        Bad(
            "#!/bin/sh\ngit add -A\ngit commit --no-verify -m wip\n",
            ((3, 12),),
            path="scripts/save.sh",
        ),
        Bad(
            "# Agent notes\n\nIf the hooks fail, commit with `SKIP=diffwarden git commit`.\n",
            ((3, 33),),
            path="AGENTS.md",
        ),
        Ok(
            '[project]\nname = "app"\nversion = "2"\n\n[tool.diffwarden]\nignore = []\n',
            path="pyproject.toml",
            before='[project]\nname = "app"\nversion = "1"\n\n[tool.diffwarden]\nignore = []\n',
            why="a change outside [tool.diffwarden]",
        ),
        Ok(
            "[tool.diffwarden]\nignore = [ ]  # none\n",
            path="pyproject.toml",
            before="[tool.diffwarden]\nignore = []\n",
            why="the same values, reformatted",
        ),
        Ok(
            "A commit made with `--no-verify` is still checked at pre-push.\n",
            path="docs/ci.md",
            why="prose",
        ),
        Ok(
            '{"version": "1.5.1", "generated_at": "2025", "results": {}}\n',
            path=".secrets.baseline",
            before='{"version": "1.5.0", "generated_at": "2024", "results": {}}\n',
            why="the same results",
        ),
        Ok(
            "def verify(no_verify=False):\n    return not no_verify\n",
            path="app/checks.py",
            why="a name, not the flag",
        ),
    )

    def wants(self, path: str, data: bytes) -> bool:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return name in (*PRE_COMMIT_CONFIGS, BASELINE, PYPROJECT) or bool(
            BYPASS.search(data.decode("utf-8", "replace"))
        )

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        found: List[Finding] = []
        if after is not None and (not name.endswith(PROSE) or name in AGENT_INSTRUCTIONS):
            found.extend(self._bypasses(path, after, lines))
        edit = _config_edit(name, before, after)
        if edit is not None:
            line, what, severity = edit
            found.append(self.found(path, line, 1, 1, severity, what=what))
        return found

    def _bypasses(self, path: str, text: str, lines: Optional[Set[int]]) -> List[Finding]:
        found = []
        for number, line in enumerate(text.splitlines(), start=1):
            match = BYPASS.search(line)
            if match and (lines is None or number in lines):
                what = f"`{match.group(0)}` skips the hooks"
                found.append(
                    self.found(path, number, match.start() + 1, match.end() + 1, what=what)
                )
        return found


Edit = Tuple[int, str, Severity]


def _config_edit(name: str, before: Optional[str], after: Optional[str]) -> Optional[Edit]:
    """(line, what, severity) when the change loosens the gate's own files, else None."""
    if name in PRE_COMMIT_CONFIGS and before != after:
        if after is None:
            return 1, f"deletes `{name}`", Severity.HIGH
        removed = sorted(_ids(before or "") - _ids(after) & our_hook_ids())
        line = _first_touched(before or "", after)
        if removed:
            listed = ", ".join(f"`{hook}`" for hook in removed)
            return line, f"removes the diffwarden hooks {listed} from `{name}`", Severity.HIGH
        return line, f"edits `{name}`", Severity.MEDIUM
    if name == BASELINE and after is not None and _results(before) != _results(after):
        return _first_touched(before or "", after), f"edits `{name}`", Severity.MEDIUM
    if name == PYPROJECT and after is not None and _table(before) != _table(after):
        return _first_in_table(before or "", after), "edits `[tool.diffwarden]`", Severity.MEDIUM
    return None


def _ids(text: str) -> Set[str]:
    return set(HOOK_ID.findall(text))


def _results(text: Optional[str]) -> Any:
    """A baseline's recorded secrets; its version and timestamp do not matter."""
    if text is None:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return text
    return document.get("results") if isinstance(document, dict) else document


def _table(text: Optional[str]) -> Any:
    """`[tool.diffwarden]` as data; the text itself when it does not parse."""
    if text is None:
        return None
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return text
    return tool.get("diffwarden") if isinstance(tool, dict) else None


def _first_touched(before: str, after: str) -> int:
    touched = touched_lines(before, after)
    return touched[0] if touched else 1


def _first_in_table(before: str, after: str) -> int:
    """The first line the change touches inside `[tool.diffwarden]`, else the first it touches."""
    inside = False
    table_lines = set()
    for number, line in enumerate(after.splitlines(), start=1):
        if line.lstrip().startswith("["):
            inside = line.strip().startswith("[tool.diffwarden")
        if inside:
            table_lines.add(number)
    touched = touched_lines(before, after)
    return next((n for n in touched if n in table_lines), touched[0] if touched else 1)
