"""Parsing only what the change touches must find exactly what parsing the whole file finds.

Checked on real third-party code (the interpreter's standard library) with many different sets of
added lines, so the speed-up can never cost a finding or invent one.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import List, Set

import pytest

from hooks.engine import registry
from hooks.engine.config import Config
from hooks.engine.narrow import narrow
from hooks.engine.rule import Finding
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope

STDLIB = Path(os.__file__).parent
CORPUS = [
    "subprocess.py",
    "os.py",
    "shutil.py",
    "platform.py",
    "webbrowser.py",
    "uuid.py",
    "timeit.py",
    "asyncio/subprocess.py",
    "runpy.py",
    "code.py",
]


def runner() -> Runner:
    rules = registry.all_rules()
    return Runner(rules=[(r, dict(r.options)) for r in rules], config=Config(), scope_factory=Scope)


def in_scope(findings: List[Finding], lines: Set[int]) -> List[Finding]:
    return [f for f in findings if any(n in lines for n in range(f.line, f.end_line + 1))]


def line_sets(total: int) -> List[Set[int]]:
    """Single lines, short runs and scattered edits across the file, deterministically."""
    sets = [{n} for n in range(1, total + 1, max(1, total // 6))]
    sets += [set(range(n, min(total, n + 12) + 1)) for n in range(1, total, max(1, total // 3))]
    sets.append(set(range(1, total + 1, 17)))
    return sets


@pytest.mark.parametrize("name", [n for n in CORPUS if (STDLIB / n).exists()])
def test_narrowed_parse_finds_what_the_whole_parse_finds(name: str) -> None:
    text = (STDLIB / name).read_text(encoding="utf-8")
    total = text.count("\n") + 1
    check = runner()
    whole = check._parse_and_walk(name, text, None)
    narrowed_some = False
    for lines in line_sets(total):
        partial = check._parse_and_walk(name, text, lines)
        assert in_scope(partial, lines) == in_scope(whole, lines), sorted(lines)[:5]
        narrowed_some = narrowed_some or narrow(text, ast.parse(text), lines) is not None
    assert narrowed_some, "the corpus file was never narrowed: the test proves nothing"


def test_narrowing_keeps_positions_and_bindings_of_dropped_definitions() -> None:
    text = (
        "import os\n"
        "@decorator\n"
        "def system(x):\n"
        "    return x\n"
        "class Box:\n"
        "    def a(self):\n"
        "        pass\n"
        "    def b(self, c):\n"
        "        os.system(c)\n" + "".join(f"def filler{i}():\n    return {i}\n" for i in range(10))
    )
    narrowed = narrow(text, ast.parse(text), {9})
    assert narrowed is not None
    lines = narrowed.split("\n")
    assert lines[1:4] == ["", "def system(): pass", ""]
    assert lines[5:9] == ["    def a(): pass", "", "    def b(self, c):", "        os.system(c)"]
    assert len(lines) == len(text.split("\n"))


def test_a_change_to_statements_without_a_trigger_is_not_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`os.system` in `b` is outside the change to `a`; the class header and `b` hold triggers."""
    text = (
        "import os\n"
        "class Box(os.PathLike):\n"
        "    def a(self):\n"
        "        return 1\n"
        "    def b(self, c):\n"
        "        os.system(c)\n"
        "def plain():\n"
        "    return 2\n" + "".join(f"def filler{i}():\n    return {i}\n" for i in range(10))
    )
    parsed: List[str] = []
    check = runner()
    real_walk = check._walk
    monkeypatch.setattr(check, "_walk", lambda *args: parsed.append(args[1]) or real_walk(*args))
    assert check._parse_and_walk("box.py", text, {4, 8}) == []
    assert parsed == []
    found = check._parse_and_walk("box.py", text, {4, 6})
    assert [(f.line, f.code) for f in found] == [(6, "DW103")]
    assert len(parsed) == 1 and "return 1" not in parsed[0]


@pytest.mark.parametrize("name", [n for n in CORPUS if (STDLIB / n).exists()][:6])
def test_file_scope_parses_only_trigger_lines_and_finds_what_a_whole_parse_finds(
    name: str,
) -> None:
    text = (STDLIB / name).read_text(encoding="utf-8")
    check = runner()
    assert check._parse_and_walk(name, text, None) == check._walk(name, text, text, None)


def test_trigger_lines_hold_every_line_the_single_trigger_regex_matches() -> None:
    from hooks.engine.narrow import trigger_lines
    from hooks.engine.runner import trigger_pattern, trigger_set

    rules = [(r, dict(r.options)) for r in registry.all_rules()]
    regex, triggers = trigger_pattern(rules), trigger_set(rules)
    for name in CORPUS:
        text = (STDLIB / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        matched = {n for n, line in enumerate(lines, 1) if regex.search(line)}
        found = trigger_lines(text, ast.parse(text), triggers)
        assert matched and matched <= found, name


def test_a_name_bound_on_a_trigger_line_makes_its_uses_trigger_lines_in_any_script() -> None:
    from hooks.engine.narrow import trigger_lines
    from hooks.engine.runner import trigger_set

    text = (
        "import pickle as café\n"
        "x = 1\n"
        "def load(data):\n"
        "    if data:\n"
        "        return café.loads(data)\n"
        "    chargé = café.load\n"
        "    return chargé\n"
    )
    triggers = trigger_set([(r, dict(r.options)) for r in registry.all_rules()])
    assert trigger_lines(text, ast.parse(text), triggers) == {1, 5, 6, 7}
