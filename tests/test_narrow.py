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
from hooks.engine.narrow import mentions, narrow
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
    everything = check._walk(name, text, text, None, check.python_rules)
    assert check._parse_and_walk(name, text, None) == everything


def test_trigger_lines_hold_every_line_the_single_trigger_regex_matches() -> None:
    from hooks.engine.narrow import mentions
    from hooks.engine.runner import trigger_pattern, trigger_set

    rules = [(r, dict(r.options)) for r in registry.all_rules()]
    regex, triggers = trigger_pattern(rules), trigger_set(rules)
    for name in CORPUS:
        text = (STDLIB / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        matched = {n for n, line in enumerate(lines, 1) if regex.search(line)}
        found = mentions(text, ast.parse(text), triggers).lines
        assert matched and matched <= found, name


def test_a_name_bound_on_a_trigger_line_makes_its_uses_trigger_lines_in_any_script() -> None:
    from hooks.engine.narrow import mentions
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
    assert mentions(text, ast.parse(text), triggers).lines == {1, 5, 6, 7}


def test_the_walk_runs_only_the_rules_a_file_mentions_and_finds_what_every_rule_finds() -> None:
    """Every rule's Bad and Ok examples with every rule selected: a rule left out of a file's
    walk because the file mentions none of its triggers would have found nothing there."""
    check = runner()
    examples = [
        example
        for rule in registry.all_rules()
        for example in rule.examples
        if example.path.endswith(".py") and example.before is None
    ]
    flagged = narrowed = 0
    for example in examples:
        text = example.code
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        gated = check._parse_and_walk(example.path, text, None)
        assert gated == check._walk(example.path, text, text, None, check.python_rules), text
        flagged += bool(gated)
        seen = mentions(text, ast.parse(text), check.triggers)
        narrowed += len(check.active(seen)) < len(check.python_rules) // 2
    assert flagged > 300 and narrowed > 300, (flagged, narrowed)


def test_a_line_added_to_a_statement_without_a_trigger_needs_no_cst() -> None:
    from hooks.engine.narrow import near_triggers, owned_by_triggers

    text = (
        "import tarfile\n"
        "def save(cursor, sql, path, price):\n"
        "    total = price * 2\n"  # 3: mentions no trigger, nor a name given one
        "    cursor.execute(sql % total)\n"  # 4
        "    with tarfile.open(path) as tar:\n"
        "        tar.extractall('out')\n"  # 6: `tar` is given a value on a trigger line
        "    try:\n"
        "        pass\n"
        "    except Exception:\n"
        "        pass\n"  # 10: part of the `except: pass` shape
        "    return total\n"  # 11
    )
    check = runner()
    tree = ast.parse(text)
    seen = mentions(text, tree, check.triggers)
    added = set(range(2, 12))  # all but the import: a new file keeps every line (below)
    # not the header (no trigger in it), `try:` or the `pass` under it
    assert owned_by_triggers(tree, added, seen) == {4, 5, 6, 9, 10}
    every = added | {1}  # a new file
    assert owned_by_triggers(tree, every, seen) == near_triggers(tree, every, seen.lines)
    assert check._parse_and_walk("a.py", text, {3, 11}) == []


def test_every_finding_of_every_example_is_found_when_one_line_of_it_is_added() -> None:
    """Any single line of a finding, added alone, must bring the finding back in diff scope,
    with every rule selected: owned_by_triggers may skip only lines no rule reports."""
    from hooks.engine.narrow import near_triggers, owned_by_triggers

    check = runner()
    checked = skipped = 0
    for rule in registry.all_rules():
        for example in rule.examples:
            text = example.code
            if not example.path.endswith(".py") or example.before is not None:
                continue
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for found in check._parse_and_walk(example.path, text, None):
                for line in range(found.line, found.end_line + 1):
                    again = check._parse_and_walk(example.path, text, {line})
                    assert found in again, (rule.code, text, line)
                    checked += 1
            seen = mentions(text, tree, check.triggers)
            # all lines but the first: a new file would keep them all (owned_by_triggers)
            most = set(range(2, text.count("\n") + 2))
            skipped += len(
                near_triggers(tree, most, seen.lines) - owned_by_triggers(tree, most, seen)
            )
    assert checked > 400 and skipped > 100, (checked, skipped)


def test_a_value_kept_on_an_attribute_or_in_a_container_is_followed_by_its_name() -> None:
    from hooks.engine.narrow import owned_by_triggers

    text = (
        "import pickle\n"
        "def keep(blob, rows, name):\n"
        "    box.data = pickle.loads(blob)\n"
        "    rows[0] = pickle.loads(blob)\n"
        "    show(box.data)\n"  # 5: reads `data`
        "    show(rows)\n"  # 6
        "    show(box.name)\n"  # 7: `box` itself was given nothing
        "    return name\n"
    )
    tree = ast.parse(text)
    seen = mentions(text, tree, runner().triggers)
    assert owned_by_triggers(tree, {5, 6, 7, 8}, seen) == {5, 6}


def test_a_value_reaches_only_later_statements_of_its_scope_loops_and_nested_functions() -> None:
    from hooks.engine.narrow import owned_by_triggers

    text = (
        "import pickle\n"
        "def get(blob, rows):\n"
        "    data = load(blob)\n"  # 3: gives `data` a value of its own
        "    show(data)\n"  # 4: no pickle value can be here yet
        "    data = pickle.loads(blob)\n"  # 5
        "    show(data)\n"  # 6: reads the pickle value
        "    for row in rows:\n"
        "        show(item)\n"  # 8: the next turn reads line 9's value
        "        item = pickle.loads(row)\n"
        "    def later():\n"
        "        return data\n"  # 11: runs when called, after line 5
        "def other(data):\n"
        "    show(data)\n"  # 13: another function's variable
        "def shared():\n"
        "    global cache\n"
        "    cache = pickle.loads(b'')\n"
        "def reader():\n"
        "    show(cache)\n"  # 18: a global, given its value elsewhere
    )
    tree = ast.parse(text)
    seen = mentions(text, tree, runner().triggers)
    added = {3, 4, 6, 8, 11, 13, 18}
    assert owned_by_triggers(tree, added, seen) == {6, 8, 11, 18}


def test_narrowing_keeps_the_definitions_that_a_rule_reading_them_needs() -> None:
    """Web rules follow a call into a helper and `self.session` to the `__init__` that set
    it; the credential-harvest rule follows a module-level value to the function that sends
    it. Narrowing for them keeps those definitions (and only those); for other rules each is
    a one-line stub."""
    from hooks.engine.narrow import narrow

    text = (
        "import os, requests\n"
        "ENV = dict(os.environ)\n"  # 2
        "def fetch(host):\n"  # 3: the kept code calls it
        "    return requests.get(host).json()\n"
        "def unrelated(a):\n"  # 5
        "    return a * 2\n"
        "def beat():\n"  # 7: reads ENV, which the kept code gives a value
        "    requests.put(URL, json=ENV)\n"
        "class Preview:\n"
        "    def __init__(self):\n"  # 10: gives `self.session` its value
        "        self.session = requests.Session()\n"
        "    def other(self):\n"  # 12
        "        return 1\n"
        "    def get(self, request):\n"
        "        return self.session.get(fetch(request.GET['u']))\n"  # 15
    )
    tree = ast.parse(text)

    def kept(**how: bool) -> List[str]:
        narrowed = narrow(text, tree, {2, 15}, **how)
        assert narrowed is not None
        return [line.strip() for line in narrowed.splitlines()]

    lines = text.splitlines()
    followed = kept(definitions_read=True)
    assert followed[4:6] == ["def unrelated(): pass", ""]
    assert followed[11:13] == ["def other(): pass", ""]
    assert [followed[n - 1] for n in (3, 4, 7, 8, 10, 11)] == [
        lines[n - 1].strip() for n in (3, 4, 7, 8, 10, 11)
    ]
    plain = kept()
    assert [plain[n - 1] for n in (3, 4, 7, 8, 10, 11)] == [
        "def fetch(): pass", "", "def beat(): pass", "", "def __init__(): pass", ""
    ]  # fmt: skip
