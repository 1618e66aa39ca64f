"""Following a name to its values must not cost bindings**depth: a test module that reassigns
one variable dozens of times used to keep the hook running for hours. The count of name lookups
is the structural measure: it grows with the code, not exponentially with its reassignments."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from hooks import obfuscated_exec
from hooks.engine import names, origin, registry, values
from hooks.engine.config import Config
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope
from hooks.engine.source import Source

REASSIGNED = 30


def reassigned_module(times: int) -> str:
    """One parameter passed through `times` reassignments of each kind, then into four sinks."""
    lines = ["import os", "def handler(value, cursor):", "    text = value"]
    lines += ["    text = text.strip()"] * times
    lines += ["    text = text + 'x'"] * times
    lines += ["    text = f'{text}'"] * times
    lines += ["    query = 'SELECT 1'"] + ["    query = query + text"] * times
    lines += [
        "    eval(text)",
        "    exec(text)",
        "    os.system(text)",
        "    cursor.execute(query)",
    ]
    return "\n".join(lines) + "\n"


class TooManyLookups(Exception):
    pass


def test_a_name_reassigned_many_times_is_followed_in_polynomial_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = [0]
    original = names.lookup
    # a few rules x 9 depths x 4 kinds of reassignment, each REASSIGNED times: not 30**8
    bound = 4 * 9 * 4 * REASSIGNED

    def counting(name: str, scopes: Any) -> Tuple[Any, bool]:
        calls[0] += 1
        if calls[0] > bound:
            raise TooManyLookups(f"over {bound} lookups: following names is exponential again")
        return original(name, scopes)

    # sql_injection imports names.lookup when it runs, the others when they are imported
    users: List[Any] = [names, origin, values, obfuscated_exec]
    for module in users:
        monkeypatch.setattr(module, "lookup", counting)
    rules = [(rule, dict(rule.options)) for rule in registry.all_rules()]
    runner = Runner(rules=rules, config=Config(), scope_factory=Scope)
    found = runner.run([Source("handler.py", reassigned_module(REASSIGNED).encode())])
    sink = 5 + 4 * REASSIGNED  # the line of eval(text)
    codes = {(f.line, f.code) for f in found if f.line >= sink}
    assert {(sink, "DW101"), (sink + 2, "DW103"), (sink + 3, "DW110")} <= codes
    untrusted = [f for f in found if f.code == "DW103"]
    assert untrusted and untrusted[0].message.endswith("`value` is a parameter of the function")
    assert 0 < calls[0] <= bound
