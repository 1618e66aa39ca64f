"""Finds every rule in hooks/ and resolves `select` / `ignore` into the rules to run.

A hook is a module of hooks/ (`shell_injection.py` is the hook `shell-injection`); its rules are
the Rule subclasses defined in it. Adding a module adds a hook: nothing else needs editing.

Importing all of them costs about 0.1 s (their regexes, their classes), so a run reads the
catalogue first (every rule's code, name and hook, shipped in manifests.py) to check selectors
and config, and imports only the modules of the rules it selects: `diffwarden-secrets` and
`--select secrets` import the secrets hook (and the one it borrows its credential test from).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Type, Union

import hooks
from hooks.engine.rule import ENGINE_CHECKS, OptionValue, Rule

NOT_HOOKS = frozenset({"engine", "samples", "detectors"})


class RuleInfo(NamedTuple):
    """A rule known by the catalogue, its module not imported until it is needed."""

    code: str
    name: str
    hook: str

    @property
    def options(self) -> Dict[str, OptionValue]:
        return rule_class(self).options


# what selecting and config checking read of a rule: a rule class or its catalogue entry
Described = Union[Type[Rule], RuleInfo]


class SelectionError(ValueError):
    """A selector that names no code, rule or hook."""


def hook_id(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1].replace("_", "-")


def module_of(hook: str) -> str:
    """The module of a hook: `shell-injection` -> `hooks.shell_injection` (hook_id's inverse)."""
    return f"hooks.{hook.replace('-', '_')}"


def hook_module_names() -> List[str]:
    """The module of every hook (`hooks.secrets`), in name order."""
    return sorted(
        f"hooks.{info.name}"
        for info in pkgutil.iter_modules(hooks.__path__)
        if info.name not in NOT_HOOKS and not info.name.startswith("_")
    )


def hook_modules() -> List[ModuleType]:
    """Every hook module, in name order."""
    names = hook_module_names()  # modules of this package, never user input
    return [importlib.import_module(name) for name in names]  # diffwarden: ignore[DW101] ours


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


def catalogue() -> List[RuleInfo]:
    """Every rule, from the shipped catalogue while it names exactly the hook modules there are
    (a checkout with a new hook and no regenerated manifests imports them all instead)."""
    from hooks.engine.manifests import CATALOGUE

    if sorted(module_of(hook) for hook in CATALOGUE) != hook_module_names():
        return [RuleInfo(r.code, r.name, r.hook) for r in all_rules()]
    return [RuleInfo(code, name, hook) for hook, rules in CATALOGUE.items() for code, name in rules]


def rule_class(rule: Described) -> Type[Rule]:
    """The class of a rule, its hook's module imported on first use."""
    if not isinstance(rule, RuleInfo):
        return rule
    found = _rules_by_code(module_of(rule.hook)).get(rule.code)
    if found is None:
        raise LookupError(f"{rule.code} is in the catalogue but not in {module_of(rule.hook)}")
    return found


@functools.lru_cache(maxsize=None)
def _rules_by_code(name: str) -> Dict[str, Type[Rule]]:
    """A hook module's rules, read once however many of them a run selects."""
    module = importlib.import_module(name)  # diffwarden: ignore[DW101] our own hooks
    return {rule.code: rule for rule in rules_of(module)}


def matches(selector: str, code: str, name: str, hook: str) -> bool:
    """A selector is ALL, a code or code prefix (`DW1`), a rule name or a hook name."""
    if selector == "ALL":
        return True
    if selector.upper().startswith("DW"):
        return code.startswith(selector.upper())
    return selector in (name, hook)


def _matches(selector: str, rule: Described) -> bool:
    return matches(selector, rule.code, rule.name, rule.hook)


def validate_selectors(selectors: Iterable[str], rules: Sequence[Described]) -> None:
    engine_codes = {check.code for check in ENGINE_CHECKS}
    for selector in selectors:
        if selector in engine_codes:
            continue
        if not any(_matches(selector, rule) for rule in rules):
            raise SelectionError(selector)


def select(
    rules: Sequence[Described],
    selectors: Sequence[str],
    ignores: Sequence[str],
    known: Optional[Sequence[Described]] = None,
) -> List[Described]:
    """Rules matched by any selector (all when none is given) and by no ignore.

    Selectors are checked against `known` (default `rules`): a single hook's run accepts codes
    of the other hooks, which share its config.
    """
    validate_selectors([*selectors, *ignores], rules if known is None else known)
    chosen = [r for r in rules if not selectors or any(_matches(s, r) for s in selectors)]
    return [r for r in chosen if not any(_matches(i, r) for i in ignores)]


def hooks_and_rules() -> List[Tuple[ModuleType, List[Type[Rule]]]]:
    return [(module, rules_of(module)) for module in hook_modules()]
