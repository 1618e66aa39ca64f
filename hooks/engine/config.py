"""`[tool.diffwarden]` from the nearest pyproject.toml, validated before anything runs.

An unknown key or a value of the wrong shape is a ConfigError that names the file, the key and
what is allowed: a typo in a security tool's config must not silently switch a check off.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type

from hooks.engine import fastpath, registry
from hooks.engine.provenance import Signals
from hooks.engine.rule import OptionValue, Rule, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
SEVERITY_NAMES = ", ".join(s.label for s in Severity if s > Severity.INFO)
KEYS = (
    "select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "fail-on",
    "max-file-size",
    "cache",
    "profile",
    "provenance",
    "rules",
)
SIGNAL_KEYS = ("environment", "identities", "trailers")


class ConfigError(Exception):
    """A config problem, already phrased for the user."""


@dataclass
class Config:
    select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    exclude: List[str] = field(default_factory=list)
    fail_on: Severity = Severity.LOW
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    cache: bool = True
    profile: str = "standard"
    signals: Signals = field(default_factory=Signals)
    rule_options: Dict[str, Dict[str, OptionValue]] = field(default_factory=dict)
    # the folder globs are relative to, and the file they came from ('' for defaults)
    root: str = ""
    source: str = ""

    def relative(self, path: str) -> str:
        base = self.root or os.getcwd()
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")

    def excluded(self, path: str) -> bool:
        return any(glob_match(self.relative(path), g) for g in self.exclude)

    def ignored_here(self, path: str) -> List[str]:
        rel = self.relative(path)
        return [
            code
            for g, codes in self.per_file_ignores.items()
            if glob_match(rel, g)
            for code in codes
        ]

    def options_for(self, rule: Type[Rule]) -> Dict[str, OptionValue]:
        return {**rule.options, **self.rule_options.get(rule.name, {})}


def glob_match(path: str, pattern: str) -> bool:
    """fnmatch where `*` also crosses folders, and a folder pattern covers what is inside it."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    return path.startswith(pattern + "/") or fnmatch.fnmatchcase(path, pattern + "/*")


def load(path: Optional[str], rules: Sequence[registry.Described]) -> Config:
    """The config at `path`, or from the nearest pyproject.toml; defaults when there is none."""
    explicit = path is not None
    path = path or fastpath.find_pyproject(os.getcwd())
    if path is None:
        return Config()
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read TOML: {exc}") from None
    tool = document.get("tool", {})
    table = tool.get("diffwarden") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise ConfigError(f"{path}: no [tool.diffwarden] table")
        return Config(root=os.path.dirname(os.path.abspath(path)), source=path)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.diffwarden] must be a table")
    return parse(table, path, rules)


def parse(table: Mapping[str, Any], path: str, rules: Sequence[registry.Described]) -> Config:
    def fail(key: str, allowed: str) -> ConfigError:
        return ConfigError(f"{path}: [tool.diffwarden] {key}: {allowed}")

    for key in table:
        if key not in KEYS:
            raise fail(key, f"unknown key; allowed keys are {', '.join(KEYS)}")
    config = Config(root=os.path.dirname(os.path.abspath(path)), source=path)
    config.select = _selectors(table, "select", rules, fail)
    config.ignore = _selectors(table, "ignore", rules, fail)
    config.exclude = _strings(table, "exclude", fail)
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise fail("per-file-ignores", "must be a table of glob = [codes]")
    for glob in pfi:
        label = f"per-file-ignores.{glob}"
        config.per_file_ignores[glob] = _selectors(pfi, glob, rules, fail, label)
    if "fail-on" in table:
        try:
            config.fail_on = Severity.parse(str(table["fail-on"]))
        except ValueError:
            raise fail("fail-on", f"must be one of {SEVERITY_NAMES}") from None
        if config.fail_on is Severity.INFO:
            raise fail("fail-on", f"must be one of {SEVERITY_NAMES}")
    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise fail("max-file-size", "must be a positive number of bytes")
    config.max_file_size = size
    cache = table.get("cache", True)
    if not isinstance(cache, bool):
        raise fail("cache", "must be true or false")
    config.cache = cache
    profile = table.get("profile", "standard")
    if profile not in ("standard", "strict"):
        raise fail("profile", "must be standard or strict")
    config.profile = profile
    config.signals = _signals(table.get("provenance", {}), fail)
    config.rule_options = _rule_options(table.get("rules", {}), rules, fail)
    return config


def _strings(table: Mapping[str, Any], key: str, fail: Any, label: str = "") -> List[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(label or key, "must be a list of strings")
    return list(value)


def _selectors(
    table: Mapping[str, Any],
    key: str,
    rules: Sequence[registry.Described],
    fail: Any,
    label: str = "",
) -> List[str]:
    """A list of codes, code prefixes, rule or hook names, each naming something that exists."""
    values = _strings(table, key, fail, label)
    try:
        registry.validate_selectors(values, rules)
    except registry.SelectionError as exc:
        raise fail(label or key, f"{exc} names no code, rule or hook (see --list-rules)") from None
    return values


def _signals(table: Any, fail: Any) -> Signals:
    """`[tool.diffwarden.provenance]`: more environment variables, identity and trailer
    patterns that mark a change as assistant-written (they add to the built-in tables)."""
    if not isinstance(table, dict):
        raise fail("provenance", f"must be a table of {', '.join(SIGNAL_KEYS)}")
    for key in table:
        if key not in SIGNAL_KEYS:
            raise fail(
                f"provenance.{key}", f"unknown key; allowed keys are {', '.join(SIGNAL_KEYS)}"
            )
    lists = {key: _strings(table, key, fail, f"provenance.{key}") for key in SIGNAL_KEYS}
    for key in ("identities", "trailers"):
        for pattern in lists[key]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise fail(
                    f"provenance.{key}", f"{pattern!r} is not a regular expression: {exc}"
                ) from None
    return Signals().extended(lists["environment"], lists["identities"], lists["trailers"])


def _rule_options(
    table: Any, rules: Sequence[registry.Described], fail: Any
) -> Dict[str, Dict[str, OptionValue]]:
    if not isinstance(table, dict):
        raise fail("rules", "must be a table of rule-name tables")
    by_name = {rule.name: rule for rule in rules}
    options: Dict[str, Dict[str, OptionValue]] = {}
    for name, values in table.items():
        rule = by_name.get(name)
        if rule is None:
            raise fail(
                f"rules.{name}", "no rule has this name; `diffwarden --list-rules` lists them"
            )
        if not isinstance(values, dict):
            raise fail(f"rules.{name}", "must be a table of options")
        options[name] = {}
        for option, value in values.items():
            key = f"rules.{name}.{option}"
            if option not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise fail(key, f"unknown option; {name} takes: {known}")
            options[name][option] = _typed(value, rule.options[option], key, fail)
    return options


def _typed(value: Any, default: OptionValue, key: str, fail: Any) -> OptionValue:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise fail(key, "must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail(key, "must be an integer")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "must be a list of strings")
        return tuple(value)
    if not isinstance(value, str):
        raise fail(key, "must be a string")
    return value


def merge_cli(
    config: Config, select: Sequence[str], ignore: Sequence[str]
) -> Tuple[List[str], List[str]]:
    """Command-line --select replaces the config's; --ignore adds to it."""
    return (list(select) or config.select, [*config.ignore, *ignore])
