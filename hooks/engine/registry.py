"""Finds every rule in hooks/ and resolves `select` / `ignore` into the rules to run.

A hook is a module of hooks/ (`shell_injection.py` is the hook `shell-injection`); its rules are
the Rule subclasses defined in it. Adding a module adds a hook: nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Iterable, List, Optional, Sequence, Tuple, Type

import hooks
from hooks.engine.rule import ENGINE_CHECKS, Rule

NOT_HOOKS = frozenset({"engine", "samples", "detectors"})


class SelectionError(ValueError):
    """A selector that names no code, rule or hook."""


def hook_id(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1].replace("_", "-")


def hook_modules() -> List[ModuleType]:
    """Every hook module, in name order."""
    found = []
    for info in pkgutil.iter_modules(hooks.__path__):
        if info.name in NOT_HOOKS or info.name.startswith("_"):
            continue
        name = f"hooks.{info.name}"  # a module of this package, never user input
        found.append(importlib.import_module(name))  # diffwarden: ignore[DW101] our own hooks
    return sorted(found, key=lambda m: m.__name__)


def rules_of(module: ModuleType) -> List[Type[Rule]]:
    rules = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Rule)
        and value.__module__ == module.__name__
        and "code" in vars(value)
    ]
    for rule in rules:
        rule.hook = hook_id(module.__name__)
    return sorted(rules, key=lambda r: r.code)


def all_rules() -> List[Type[Rule]]:
    return [rule for module in hook_modules() for rule in rules_of(module)]


def matches(selector: str, code: str, name: str, hook: str) -> bool:
    """A selector is ALL, a code or code prefix (`DW1`), a rule name or a hook name."""
    if selector == "ALL":
        return True
    if selector.upper().startswith("DW"):
        return code.startswith(selector.upper())
    return selector in (name, hook)


def _matches(selector: str, rule: Type[Rule]) -> bool:
    return matches(selector, rule.code, rule.name, rule.hook)


def validate_selectors(selectors: Iterable[str], rules: Sequence[Type[Rule]]) -> None:
    engine_codes = {check.code for check in ENGINE_CHECKS}
    for selector in selectors:
        if selector in engine_codes:
            continue
        if not any(_matches(selector, rule) for rule in rules):
            raise SelectionError(selector)


def select(
    rules: Sequence[Type[Rule]],
    selectors: Sequence[str],
    ignores: Sequence[str],
    known: Optional[Sequence[Type[Rule]]] = None,
) -> List[Type[Rule]]:
    """Rules matched by any selector (all when none is given) and by no ignore.

    Selectors are checked against `known` (default `rules`): a single hook's run accepts codes
    of the other hooks, which share its config.
    """
    validate_selectors([*selectors, *ignores], rules if known is None else known)
    chosen = [r for r in rules if not selectors or any(_matches(s, r) for s in selectors)]
    return [r for r in chosen if not any(_matches(i, r) for i in ignores)]


def hooks_and_rules() -> List[Tuple[ModuleType, List[Type[Rule]]]]:
    return [(module, rules_of(module)) for module in hook_modules()]
