"""test-tampering: a change that makes the tests pass by making them test less.

**What it finds.** Each changed test file (`test_*.py`, `*_test.py`, `conftest.py`, Python files
below a `tests` folder) is compared with its version before the change:
DW702 a test switched off: a new `pytest.mark.skip`/`skipif`/`xfail` (as a decorator, in
`pytestmark` or in `pytest.param(marks=...)`), `unittest.skip`/`skipIf`/`skipUnless`/
`expectedFailure`, `pytest.skip()`/`pytest.xfail()`, `self.skipTest()`, `raise SkipTest`, and
`sys.exit()`/`os._exit()`/`pytest.exit()` in a test file or conftest.
DW703 a check that cannot fail: `assert True`, `assert x or True`, `assert x == x`,
`assert (x, "message")`, `self.assertTrue(True)`, `self.assertEqual(a, a)`, and checks wrapped
in a `try` whose `except AssertionError`/`Exception`/bare handler only passes.
DW704 a test kept under its name that checks less: asserts, `assert*` calls and
`pytest.raises`/`pytest.warns` removed (turned into a comment or a `print`, say), or a body
reduced to `pass` or to an early `return`.
DW706 tests deleted: test functions gone from a file whose checks went down, and whole test files
deleted (seen when the whole change is checked: no files given, as the `test-tampering` hook
does, at pre-push and in CI).
DW708 tests switched off elsewhere: pytest options gaining `--deselect`, `-k "not ..."`,
`--ignore=` or `-p no:...` (pyproject.toml, pytest.ini, setup.cfg, tox.ini, CI files), and CI
steps gaining `continue-on-error: true`, `allow_failure: true` or a test or lint command
followed by `|| true`.

**Why it matters in assistant-written code.** Told to "make the tests pass", an agent sometimes
does: it skips the failing test, loosens its assertion to `assert True`, deletes it, or has CI
ignore the result. The diff looks like progress and the bug ships. Each of these needs a person's
yes.

**When it runs.** In the strict profile (assistant-written changes, or `profile = "strict"`), at
`pre-commit`, `commit-msg` and `pre-push` and in CI, like new-suppressions (DW701). Selecting a
code by name runs it always.

**Bad**

```python
# before
def test_refund():
    assert refund(order) == 10

# after
@pytest.mark.skip(reason="flaky")
def test_refund():
    assert True
```

**Good**

```python
def test_refund():
    assert refund(order) == Decimal("10.00")
```

**Not flagged.** A test moved or renamed with its checks intact (the file's checks, weighted by
parametrized cases, did not go down; a file renamed by git stays quiet), tests refactored into
`pytest.mark.parametrize` with the same checks, a skip that was already there (moved or
reformatted), a skip removed, `pytest.importorskip`, `sys.exit` outside test files, `-p
no:cacheprovider`, and `|| true` after commands that neither test nor lint. A test function
moved into another test file of the same change, unchanged or only renamed, is not deleted (seen
when the whole change is checked, as the test-tampering hook does).

**Fix.** None automatic: fix the code or the test's expectation; a person may skip a test in a
change of their own, with a reason.

**References.** CWE-1164 (irrelevant code), CWE-561 (dead code); there is no bandit or ruff
counterpart: they read one version of a file, and these findings are about the difference.
"""

from __future__ import annotations

import ast
import copy
from collections import Counter
from typing import Dict, Iterator, List, Optional, Set, Tuple

from hooks._testfiles import (
    TEST_NAMES,
    TestFunction,
    aliases,
    callee_name,
    column,
    is_check,
    is_test_file,
    qualified,
    test_functions,
)
from hooks._versions import new_line_of
from hooks.engine.pyast import tree_of
from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, Change, ChangeRule, Confidence, Finding, Ok, Severity, TextRule
from hooks.engine.lazyre import lazy_re

# what a reference to switches off, and how much that hides
SKIP_MARKS: Dict[str, Severity] = {
    "pytest.mark.skip": Severity.MEDIUM,
    "pytest.mark.xfail": Severity.MEDIUM,
    "pytest.mark.skipif": Severity.LOW,  # conditional: often an honest platform check
    "unittest.skip": Severity.MEDIUM,
    "unittest.expectedFailure": Severity.MEDIUM,
    "unittest.skipIf": Severity.LOW,
    "unittest.skipUnless": Severity.LOW,
}
SKIP_CALLS: Dict[str, Severity] = {
    "pytest.skip": Severity.MEDIUM,
    "pytest.xfail": Severity.MEDIUM,
    "pytest.exit": Severity.HIGH,
    "sys.exit": Severity.HIGH,  # the run ends, maybe with success, before the tests do
    "os._exit": Severity.HIGH,
}
SKIP_RAISES = frozenset({"unittest.SkipTest", "unittest.case.SkipTest", "pytest.skip.Exception"})
SWALLOWED = frozenset({"AssertionError", "Exception", "BaseException"})
ALWAYS_TRUE_CALLS = frozenset({"assertTrue", "assert_", "failUnless", "assertIsNotNone"})
SAME_TWICE_CALLS = frozenset({"assertEqual", "assertEquals", "assertIs", "assertCountEqual"})
TEST_BYTES = rb"assert|pytest|unittest|skip|xfail|_exit|sys\.exit|def test"


class _TestFileRule(ChangeRule):
    """Reads test files; compares the version before the change with the one after."""

    prefilter = Prefilter(patterns=[TEST_BYTES])
    prefilter_names = TEST_NAMES
    confidence = Confidence.HIGH
    strict_only = True
    cwe = (1164,)

    def wants(self, path: str, data: bytes) -> bool:
        return is_test_file(path)


Spot = Tuple[ast.AST, str, Severity]  # the node, what it is, how bad


class _AddedSpotRule(_TestFileRule):
    """Spots in the new version on added lines that the old version did not have as often."""

    on_added_lines = True

    def spots(self, tree: ast.Module) -> Iterator[Spot]:
        raise NotImplementedError

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        tree = tree_of(after) if after is not None else None
        if tree is None or after is None:
            return []
        old = tree_of(before) if before is not None else None
        seen = Counter(ast.unparse(node) for node, _, _ in self.spots(old)) if old else Counter()
        found = []
        for node, what, severity in self.spots(tree):
            text = ast.unparse(node)
            if seen[text] > 0:
                seen[text] -= 1  # it was there before: moved or reformatted, not new
                continue
            first, last = getattr(node, "lineno", 1), getattr(node, "end_lineno", 1)
            if lines is not None and not lines.intersection(range(first, last + 1)):
                continue
            col = column(after, node)
            found.append(self.found(path, first, col, col, severity, what=what))
        return found


class TestSkipped(_AddedSpotRule):
    code = "DW702"
    name = "test-skipped"
    summary = "The change switches a test off: a skip or xfail mark, a skip call, an exit."
    severity = Severity.MEDIUM
    message = "{what}: a test that does not run cannot fail"
    hint = "fix the code or the test; a person may skip a test in a change of their own"
    examples = (
        Bad(
            "import pytest\n\n@pytest.mark.skip(reason='flaky')\ndef test_refund():\n"
            "    assert refund() == 10\n",
            ((3, 2),),
            path="tests/test_refund.py",
            before="import pytest\n\ndef test_refund():\n    assert refund() == 10\n",
        ),
        Bad(
            "import pytest as pt\n\n\ndef test_api():\n    pt.skip('later')\n    assert get()\n",
            ((5, 5),),
            path="test_api.py",
        ),
        Bad(
            "from unittest import TestCase, skipIf\nimport sys\n\n\nclass TestIo(TestCase):\n"
            "    @skipIf(sys.platform == 'linux', 'breaks')\n    def test_read(self):\n"
            "        self.assertEqual(read(), b'x')\n",
            ((6, 6),),
            severity=Severity.LOW,
            path="pkg/io_test.py",
        ),
        Bad("import sys\n\nsys.exit(0)\n", ((3, 1),), severity=Severity.HIGH, path="conftest.py"),
        Bad(
            "import unittest\n\n\nclass TestX(unittest.TestCase):\n    def test_x(self):\n"
            "        self.skipTest('todo')\n\n    def test_y(self):\n"
            "        raise unittest.SkipTest('todo')\n",
            ((6, 9), (9, 9)),
            path="tests/test_x.py",
        ),
        Bad(
            "import pytest\n\npytestmark = pytest.mark.xfail\n\n\ndef test_a():\n    assert a()\n",
            ((3, 14),),
            path="tests/test_a.py",
        ),
        Ok(
            "import pytest\n\n@pytest.mark.skip(reason='flaky')\ndef test_refund():\n"
            "    assert refund() == 10.0\n",
            path="tests/test_refund.py",
            before="import pytest\n\n@pytest.mark.skip(reason='flaky')\ndef test_refund():\n"
            "    assert refund() == 10\n",
            why="the skip was already there; only the assertion changed",
        ),
        Ok(
            "import pytest\n\ndef test_refund():\n    assert refund() == 10\n",
            path="tests/test_refund.py",
            before="import pytest\n\n@pytest.mark.skip(reason='flaky')\ndef test_refund():\n"
            "    assert refund() == 10\n",
            why="a skip removed",
        ),
        Ok("import sys\n\nsys.exit(main())\n", path="tool/cli.py", why="not a test file"),
        Ok(
            "import pytest\n\nyaml = pytest.importorskip('yaml')\n\n\ndef test_load():\n"
            "    assert yaml.safe_load('a: 1') == {'a': 1}\n",
            path="tests/test_yaml.py",
            why="importorskip only skips when an optional dependency is missing",
        ),
        Ok(
            "def skip(n):\n    return n[1:]\n\n\ndef test_skip():\n    assert skip('ab') == 'b'\n",
            path="tests/test_text.py",
            why="a function of the project named skip",
        ),
        Ok(
            "def test_tool(runner):\n    result = runner.exit(0)\n    assert result\n",
            path="tests/test_cli.py",
            why="a method that happens to be called exit",
        ),
    )

    def spots(self, tree: ast.Module) -> Iterator[Spot]:
        table = aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Attribute, ast.Name)):
                name = qualified(node, table)
                if name in SKIP_MARKS:
                    yield node, f"new `{name}`", SKIP_MARKS[name]
            elif isinstance(node, ast.Call):
                name = qualified(node.func, table) or _self_method(node)
                if name in SKIP_CALLS:
                    yield node, f"new `{name}()`", SKIP_CALLS[name]
                elif name == "self.skipTest":
                    yield node, "new `self.skipTest()`", Severity.MEDIUM
            elif isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                name = qualified(raised, table)
                if name in SKIP_RAISES:
                    yield node, f"new `raise {name}`", Severity.MEDIUM


def _self_method(call: ast.Call) -> Optional[str]:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}" if func.value.id == "self" else None
    return None


class AssertionWeakened(_AddedSpotRule):
    code = "DW703"
    name = "assertion-weakened"
    summary = "The change adds a check that cannot fail, or swallows a check's failure."
    severity = Severity.MEDIUM
    message = "{what}: the test passes whatever the code does"
    hint = "assert the value the code must produce"
    examples = (
        Bad(
            "def test_total():\n    assert True\n",
            ((2, 5),),
            path="tests/test_cart.py",
            before="def test_total():\n    assert total([1, 2]) == 3\n",
        ),
        Bad("def test_total():\n    assert total([1]) == 1 or True\n", ((2, 5),), path="test_c.py"),
        Bad(
            "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_a(self):\n"
            "        self.assertTrue(True)\n        self.assertEqual(a(), a())\n",
            ((6, 9), (7, 9)),
            path="tests/test_t.py",
        ),
        Bad(
            "def test_parse():\n    try:\n        assert parse('1') == 1\n"
            "    except AssertionError:\n        pass\n",
            ((2, 5),),
            path="tests/test_parse.py",
        ),
        Bad("def test_a():\n    assert (a(), 'a must hold')\n", ((2, 5),), path="tests/test_a.py"),
        Ok(
            "def test_total():\n    assert total([1, 2]) == 3\n",
            path="tests/test_cart.py",
            why="a real check",
        ),
        Ok("assert True\n", path="src/app.py", why="not a test file"),
        Ok(
            "def test_parse():\n    try:\n        parse('x')\n"
            "    except ValueError:\n        pass\n",
            path="tests/test_parse.py",
            why="no check inside the try",
        ),
        Ok(
            "import pytest\n\n\ndef test_parse():\n    with pytest.raises(ValueError):\n"
            "        parse('x')\n    try:\n        assert parse('1') == 1\n"
            "    except AssertionError:\n        log()\n        raise\n",
            path="tests/test_parse.py",
            why="the handler re-raises",
        ),
        Ok(
            "def test_flag():\n    assert flag() is True\n    assert x == y\n",
            path="tests/test_flag.py",
            why="look-alikes: `is True` on a value, two different sides",
        ),
        Ok(
            "def test_total():\n    assert True  # placeholder\n",
            path="tests/test_cart.py",
            before="def test_total():\n    assert True\n",
            why="already there before the change",
        ),
    )

    def spots(self, tree: ast.Module) -> Iterator[Spot]:
        table = aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and _always_true(node.test):
                yield node, "an `assert` that cannot fail", Severity.MEDIUM
            elif isinstance(node, ast.Call) and _passes_always(node):
                yield node, f"a `{callee_name(node)}` that cannot fail", Severity.MEDIUM
            elif isinstance(node, ast.Try) and _swallows_checks(node, table):
                yield node, "checks in a `try` whose `except` hides their failure", Severity.MEDIUM


def _always_true(test: ast.expr) -> bool:
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.Tuple):
        return bool(test.elts)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_always_true(value) for value in test.values)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        same = ast.unparse(test.left) == ast.unparse(test.comparators[0])
        return same and isinstance(test.ops[0], (ast.Eq, ast.Is, ast.LtE, ast.GtE))
    return False


def _passes_always(call: ast.Call) -> bool:
    name, args = callee_name(call), call.args
    if name in ALWAYS_TRUE_CALLS and args:
        return isinstance(args[0], ast.Constant) and args[0].value not in (None, False, 0, "")
    if name == "assertFalse" and args:
        return isinstance(args[0], ast.Constant) and not args[0].value
    if name in SAME_TWICE_CALLS and len(args) >= 2:
        return ast.unparse(args[0]) == ast.unparse(args[1])
    return False


def _swallows_checks(node: ast.Try, table: Dict[str, str]) -> bool:
    checks = any(is_check(inner, table) for stmt in node.body for inner in ast.walk(stmt))
    return checks and any(_swallows(handler) for handler in node.handlers)


def _swallows(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    broad = caught is None or any(isinstance(n, ast.Name) and n.id in SWALLOWED for n in names)
    idle = all(
        isinstance(s, (ast.Pass, ast.Continue))
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in handler.body
    )
    return broad and idle


class AssertionRemoved(_TestFileRule):
    code = "DW704"
    name = "assertion-removed"
    summary = "A test kept under its name checks less than before the change."
    severity = Severity.MEDIUM
    message = "`{test}` checks less than before: {how}"
    hint = "keep the checks; if the behaviour changed, assert the new behaviour"
    examples = (
        Bad(
            "def test_login(client):\n    response = client.post('/login')\n"
            "    print(response.status_code == 200)\n",
            ((1, 1),),
            path="tests/test_auth.py",
            before="def test_login(client):\n    response = client.post('/login')\n"
            "    assert response.status_code == 200\n",
        ),
        Bad(
            "import pytest\n\n\ndef test_rejects():\n    parse('x')\n",
            ((4, 1),),
            path="tests/test_parse.py",
            before="import pytest\n\n\ndef test_rejects():\n"
            "    with pytest.raises(ValueError):\n        parse('x')\n",
            why="`pytest.raises` removed",
        ),
        Bad(
            "class TestApi:\n    def test_get(self):\n        pass\n",
            ((2, 5),),
            path="tests/test_api.py",
            before="class TestApi:\n    def test_get(self):\n        assert get('/') == 200\n",
        ),
        Bad(
            "def test_sum():\n    return\n    assert add(1, 2) == 3\n",
            ((1, 1),),
            path="tests/test_math.py",
            before="def test_sum():\n    assert add(1, 2) == 3\n",
        ),
        Ok(
            "import pytest\n\n\n@pytest.mark.parametrize('a, b', [(1, 2), (2, 3)])\n"
            "def test_inc(a, b):\n    assert inc(a) == b\n",
            path="tests/test_inc.py",
            before="def test_inc():\n    assert inc(1) == 2\n    assert inc(2) == 3\n",
            why="refactored into parametrize: two cases, one check each",
        ),
        Ok(
            "def test_total_of_two():\n    assert total([1, 2]) == 3\n",
            path="tests/test_cart.py",
            before="def test_total():\n    assert total([1, 2]) == 3\n",
            why="renamed with its check",
        ),
        Ok(
            "def test_total():\n    assert total([1, 2]) == 3\n    assert total([]) == 0\n",
            path="tests/test_cart.py",
            before="def test_total():\n    assert total([1, 2]) == 3\n",
            why="a check added",
        ),
        Ok(
            "def test_total():\n    assert total([1, 2]) == 3\n",
            path="src/cart.py",
            before="def test_total():\n    assert total([1, 2]) == 3\n    assert x\n",
            why="not a test file",
        ),
        Ok(
            "def test_total():\n    assert sum_of([1, 2]) == 3\n",
            path="tests/test_cart.py",
            before="def test_total():\n    assert total([1, 2]) == 3\n",
            why="the check was rewritten, not removed",
        ),
    )

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        pair = _both(before, after)
        if pair is None or after is None:
            return []
        old, new = pair
        if _total(new) >= _total(old):
            return []  # moved, renamed or refactored: nothing checks less as a whole
        found = []
        for name, test in new.items():
            had = old.get(name)
            if had is None or test.weight >= had.weight:
                continue
            lost = max(had.checks - test.checks, 0)
            how = test.reduced or f"{lost} of its {had.checks} checks removed"
            col = column(after, test.node)
            found.append(self.found(path, _def_line(test.node), col, col, test=name, how=how))
        return found


class TestDeleted(_TestFileRule):
    code = "DW706"
    name = "test-deleted"
    summary = "The change deletes tests or whole test files, and the checks go down."
    severity = Severity.MEDIUM
    message = "{what} deleted, with {checks} checks"
    hint = "keep the tests; delete them in a change of their own when the code they test goes"
    examples = (
        Bad(
            "import pytest\ndef test_add():\n    assert add(1, 2) == 3\n",
            ((3, 1),),
            path="tests/test_math.py",
            before="import pytest\ndef test_add():\n    assert add(1, 2) == 3\n\n\n"
            "def test_div():\n    with pytest.raises(ZeroDivisionError):\n        div(1, 0)\n",
        ),
        Bad(
            "class TestApi:\n    def test_get(self):\n        assert get() == 200\n",
            ((3, 1),),
            path="tests/test_api.py",
            before="class TestApi:\n    def test_get(self):\n        assert get() == 200\n\n"
            "    def test_post(self):\n        assert post() == 201\n"
            "        assert post() != 500\n",
        ),
        Bad(
            "import os\n",
            ((1, 1), (1, 1)),
            path="test_env.py",
            before="import os\n\n\ndef test_home():\n    assert os.environ['HOME']\n\n\n"
            "def test_user():\n    assert os.environ['USER']\n",
        ),
        Bad(
            "def test_a():\n    assert a()\n",
            ((2, 1),),
            path="tests/test_a.py",
            before="def test_a():\n    assert a()\n\n\ndef test_b():\n    assert b()\n",
            why="the remaining test is untouched; the deleted one stood after it",
        ),
        Ok(
            "def test_added():\n    assert add(1, 2) == 3\n",
            path="tests/test_math.py",
            before="def test_add():\n    assert add(1, 2) == 3\n",
            why="renamed",
        ),
        Ok(
            "import pytest\n\n\n@pytest.mark.parametrize('n', [1, 2])\ndef test_pos(n):\n"
            "    assert n > 0\n",
            path="tests/test_n.py",
            before="def test_one():\n    assert 1 > 0\n\n\ndef test_two():\n    assert 2 > 0\n",
            why="two tests merged into a parametrized one",
        ),
        Ok(
            "def test_a():\n    assert a()\n",
            path="tests/test_a.py",
            before="def test_a():\n    assert a()\n\n\ndef test_b():\n    pass\n",
            why="a test that checked nothing",
        ),
        Ok(
            "def helper():\n    return 1\n",
            path="tests/helpers.py",
            before="def helper():\n    return 1\n\n\ndef other():\n    return 2\n",
            why="no tests in it",
        ),
        Ok(
            "def test_a():\n    assert a()\n",
            path="tests/test_a.py",
            why="a new file",
        ),
    )

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        return self._deleted(path, before, after, Counter())

    def settle(self, found: List[Finding], change: Change) -> List[Finding]:
        """Drop the deletions of tests that the change adds, unchanged, to another test file."""
        paths = sorted({f.path for f in found if f.code == self.code})
        if not paths:
            return found
        arrived = _arrived(change)
        kept = {
            (path, f.line, f.col)
            for path in paths
            for f in self._deleted(path, *change.versions(path), arrived)
        }
        return [f for f in found if f.code != self.code or (f.path, f.line, f.col) in kept]

    def _deleted(
        self, path: str, before: Optional[str], after: Optional[str], arrived: Counter[str]
    ) -> List[Finding]:
        """The tests gone from `path`, less those in `arrived` (each excuses one)."""
        old_tree = tree_of(before) if before is not None else None
        if old_tree is None or before is None:
            return []
        old = test_functions(old_tree)
        if after is None:  # the whole file
            gone = [test for test in old.values() if test.checks and not _moved(test, arrived)]
            checks = sum(test.checks for test in gone)
            if not checks:
                return []
            what = f"test file with {len(old)} tests"
            return [self.found(path, 1, 1, 1, what=what, checks=str(checks))]
        pair = _both(before, after)
        if pair is None or _total(pair[1]) >= _total(old):
            return []
        found = []
        for name, test in old.items():
            if name in pair[1] or not test.checks or _moved(test, arrived):
                continue
            line = new_line_of(before, after, _def_line(test.node))
            found.append(self.found(path, line, 1, 1, what=f"`{name}`", checks=str(test.checks)))
        return found


def _shape(node: ast.AST) -> str:
    """A test function's code whatever its name: the same shape elsewhere is the same test."""
    nameless = copy.copy(node)
    if isinstance(nameless, (ast.FunctionDef, ast.AsyncFunctionDef)):
        nameless.name = ""
    return ast.dump(nameless)


def _moved(test: TestFunction, arrived: Counter[str]) -> bool:
    """Did the change add this test, unchanged, to another file? (Uses up that arrival.)"""
    shape = _shape(test.node)
    if arrived[shape] <= 0:
        return False
    arrived[shape] -= 1
    return True


def _arrived(change: Change) -> Counter[str]:
    """The shapes of the test functions the change adds to test files, new files included."""
    arrived: Counter[str] = Counter()
    for path in change.added_paths():
        if not is_test_file(path):
            continue
        before, after = change.versions(path)
        new = tree_of(after) if after is not None else None
        old = tree_of(before) if before is not None else None
        if new is not None:
            had = Counter(_shape(t.node) for t in test_functions(old).values()) if old else None
            shapes = Counter(_shape(t.node) for t in test_functions(new).values())
            arrived.update(shapes - had if had else shapes)
    return arrived


Tests = Dict[str, TestFunction]


def _both(before: Optional[str], after: Optional[str]) -> Optional[Tuple[Tests, Tests]]:
    """The tests of both versions, None unless both exist and parse."""
    old = tree_of(before) if before is not None else None
    new = tree_of(after) if after is not None else None
    if old is None or new is None:
        return None
    return test_functions(old), test_functions(new)


def _total(tests: Tests) -> int:
    return sum(test.weight for test in tests.values())


def _def_line(node: ast.AST) -> int:
    return getattr(node, "lineno", 1)


# pytest options that deselect tests, and CI switches that ignore a failing step
PYTEST_OFF = lazy_re(
    r"--deselect\b|(?<![\w-])-k\s*[\"']?not\b|--ignore(?:-glob)?[= ]|"
    r"(?<![\w-])-p\s*no:(?!cacheprovider\b)[\w.]+"
)
CI_OFF = lazy_re(r"\b(?:continue-on-error|allow_failure)\s*:\s*true\b")
CI_OR_TRUE = lazy_re(r"\|\|\s*(?:true\b|:(?!\S)|exit\s+0\b)")
CHECK_COMMANDS = lazy_re(
    r"\b(?:pytest|py\.test|tox|nox|unittest|mypy|ruff|flake8|pylint|pre-commit|diffwarden|"
    r"coverage|bandit|test|tests|lint|check)\b"
)
PYTEST_CONFIGS = ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini")
CI_FILES = lazy_re(
    r"(?:^|/)(?:\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|"
    r"azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|Jenkinsfile|tox\.ini)$"
)


class TestRunRelaxed(TextRule):
    prefilter_names = (*PYTEST_CONFIGS, "*.yml", "*.yaml", "Jenkinsfile")
    code = "DW708"
    name = "test-run-relaxed"
    summary = "The change deselects tests in pytest's options, or lets CI ignore a failing step."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (1164,)
    strict_only = True
    message = "{what}: failing tests no longer stop the change"
    hint = "fix the failing test; do not switch it off in config"
    examples = (
        Bad(
            '[tool.pytest.ini_options]\naddopts = "-ra --deselect tests/test_pay.py::test_x"\n',
            ((2, 16),),
            path="pyproject.toml",
        ),
        Bad("[pytest]\naddopts = -k 'not slow_refund'\n", ((2, 11),), path="pytest.ini"),
        Bad(
            "jobs:\n  test:\n    steps:\n      - run: pytest -q\n        continue-on-error: true\n",
            ((5, 9),),
            path=".github/workflows/ci.yml",
        ),
        Bad("test:\n  script:\n    - pytest -q || true\n", ((3, 17),), path=".gitlab-ci.yml"),
        Bad("[tox]\n[testenv]\ncommands = pytest -p no:randomly\n", ((3, 19),), path="tox.ini"),
        Ok('[tool.pytest.ini_options]\naddopts = "-ra -q"\n', path="pyproject.toml"),
        Ok(
            "jobs:\n  t:\n    steps:\n      - run: apt-get install -y graphviz || true\n",
            path=".github/workflows/ci.yml",
            why="`|| true` after a command that is not a test or a check",
        ),
        Ok("[pytest]\naddopts = -p no:cacheprovider\n", path="pytest.ini", why="harmless"),
        Ok("run: pytest -q || true\n", path="docs/ci-notes.yml", why="not a CI file"),
        Ok('[tool.ruff]\nignore = ["E501"]\n', path="pyproject.toml", why="a linter's option"),
        Ok("[pytest]\naddopts = -k 'fast and not-a-flag'\n", path="pytest.ini"),
    )

    def wants(self, path: str, data: bytes) -> bool:
        norm = path.replace("\\", "/")
        return norm.rsplit("/", 1)[-1] in PYTEST_CONFIGS or CI_FILES.search(norm) is not None

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        ci = CI_FILES.search(path.replace("\\", "/")) is not None
        found = []
        for number, line in enumerate(text.splitlines(), start=1):
            if lines is not None and number not in lines:
                continue
            hit = _relaxing(line, ci)
            if hit is not None:
                start, what = hit
                found.append(self.found(path, number, start, start, what=what))
        return found


def _relaxing(line: str, ci: bool) -> Optional[Tuple[int, str]]:
    """(1-based column, what) of a switch in `line` that lets failing tests through."""
    match = PYTEST_OFF.search(line)
    if match:
        return match.start() + 1, f"pytest option `{match.group(0).strip()}`"
    if not ci:
        return None
    match = CI_OFF.search(line)
    if match:
        return match.start() + 1, f"`{match.group(0)}`"
    match = CI_OR_TRUE.search(line)
    if match and CHECK_COMMANDS.search(line[: match.start()]):
        return match.start() + 1, f"`{match.group(0).strip()}` after a check"
    return None
