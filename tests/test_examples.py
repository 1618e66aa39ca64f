"""Every Ok and Bad example of every rule, run through the real engine: they are its tests."""

from __future__ import annotations

import difflib
from typing import List, Tuple, Type

import pytest

from hooks.engine import registry
from hooks.engine.config import Config
from hooks.engine.fix import allowed, fix_source
from hooks.engine.rule import Bad, Example, FixSafety, Ok, Rule, TextRule
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope
from hooks.engine.source import Source

CASES: List[Tuple[Type[Rule], Example]] = [
    (rule, example) for rule in registry.all_rules() for example in rule.examples
]


def scope_of(example: Example) -> Scope:
    """Whole files, or for an example with a `before`: the lines that differ, and that text
    as the earlier version (what git would give)."""
    if example.before is None:
        return Scope()
    old, new = example.before.splitlines(), example.code.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added = {n + 1 for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"
             for n in range(j1, j2)}  # fmt: skip
    return Scope(added={example.path: added}, earlier={example.path: example.before.encode()})


def findings_of(rule: Type[Rule], example: Example) -> list:
    runner = Runner(
        rules=[(rule, dict(rule.options))], config=Config(), scope_factory=lambda: scope_of(example)
    )
    found = runner.run([Source(example.path, example.code.encode())])
    return [f for f in found if f.code == rule.code]


@pytest.mark.parametrize(
    "rule, example",
    CASES,
    ids=[f"{r.code}-{type(e).__name__}-{i}" for i, (r, e) in enumerate(CASES)],
)
def test_example(rule: Type[Rule], example: Example) -> None:
    found = findings_of(rule, example)
    if isinstance(example, Ok):
        assert found == [], f"{rule.code} flagged an Ok example: {found}"
        return
    assert [(f.line, f.col) for f in found] == list(example.at)
    if example.severity is not None:
        assert {f.severity for f in found} == {example.severity}


FIX_CASES = [
    (rule, example)
    for rule, example in CASES
    if isinstance(example, Bad) and rule.fix is not FixSafety.NONE
]


def fixed_text(rule: Type[Rule], code: str, path: str) -> str:
    """What fixing `code` with `rule` alone (unsafe fixes allowed) makes of it."""
    runner = Runner(rules=[(rule, dict(rule.options))], config=Config(), scope_factory=Scope)
    outcome = fix_source(runner, Source(path, code.encode()), None, allowed(unsafe=True))
    assert outcome.problem == ""
    return outcome.data.decode()


@pytest.mark.parametrize(
    "rule, example",
    FIX_CASES,
    ids=[f"{r.code}-fix-{i}" for i, (r, e) in enumerate(FIX_CASES)],
)
def test_fix_example(rule: Type[Rule], example: Bad) -> None:
    """The fix makes exactly `fixed` (or leaves the code alone when there is none); fixing
    again changes nothing, and nothing fixable is left."""
    after = fixed_text(rule, example.code, example.path)
    assert after == (example.fixed if example.fixed is not None else example.code)
    if example.fixed is not None:
        assert fixed_text(rule, after, example.path) == after
        left = findings_of(rule, Ok(after, path=example.path))
        assert [f for f in left if f.fix is not FixSafety.NONE] == []


def test_rules_that_fix_show_a_fix_and_the_others_claim_none() -> None:
    for rule in registry.all_rules():
        fixed = [e for e in rule.examples if isinstance(e, Bad) and e.fixed is not None]
        assert bool(fixed) == (rule.fix is not FixSafety.NONE), rule.code


def test_every_rule_has_flagged_and_quiet_examples() -> None:
    for rule in registry.all_rules():
        kinds = {type(e) for e in rule.examples}
        assert kinds == {Ok, Bad}, f"{rule.code} needs both Ok and Bad examples"


def test_rule_codes_and_names_are_unique_and_well_formed() -> None:
    rules = registry.all_rules()
    codes = [r.code for r in rules]
    names = [r.name for r in rules]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in rules:
        assert rule.code[:2] == "DW" and rule.code[2:].isdigit() and len(rule.code) == 5
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.cwe and rule.hint and rule.summary
        # the prefilter: trigger words for Python rules, `wants` for text rules
        assert rule.triggers or rule.trigger_patterns or issubclass(rule, TextRule)
