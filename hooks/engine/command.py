"""What a run does once the fast path could not settle it: config, rules, files, report."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Type

from hooks.engine import config as config_module
from hooks.engine import fastpath, parallel, provenance, registry
from hooks.engine.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FOUND, run_key
from hooks.engine.registry import SelectionError
from hooks.engine.rule import ChangeRule, Finding, Rule, Severity
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope, ScopeError, diff_scope
from hooks.engine.source import Source

DEMO_NAME = "risky_sample.py"


class UsageError(Exception):
    """Bad input from the user, phrased for them."""


USER_ERRORS = (UsageError, config_module.ConfigError, ScopeError)
__all__ = ["SelectionError", "USER_ERRORS", "run"]


def run(args: argparse.Namespace, hook: Optional[str]) -> int:
    every = registry.catalogue()
    # every hook reads the same config: another hook's codes and rule tables are not typos
    config = config_module.load(args.config, every)
    selectors, ignores = config_module.merge_cli(config, args.select, args.ignore)
    rules = chosen_rules(every, hook, selectors, ignores, bool(args.files))
    if args.list_rules:
        sys.stdout.write(_rule_list(rules))
        return EXIT_CLEAN
    if args.update_baseline:
        from hooks.secrets import update_baseline

        count = update_baseline(args.update_baseline, _expand(args.files))
        print(f"diffwarden: {args.update_baseline} records {count} secrets")
        return EXIT_CLEAN
    if args.fail_on:
        config.fail_on = Severity.parse(args.fail_on)
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes applies fixes only with --fix or --diff")
    if args.fix and args.demo:
        raise UsageError("--demo has no file to rewrite; use --diff to see its fixes")
    environ = _environment(args)
    sources, errors, scope_factory = _inputs(args, environ)
    runner = Runner(
        rules=[(rule, config.options_for(rule)) for rule in rules],
        config=config,
        scope_factory=scope_factory,
        cache_folder=None if args.no_cache or not config.cache else fastpath.default_folder(),
        ignores=ignores,
        known_rules=every,
        gated={r.code for r in rules if r.strict_only and not _named(r, selectors)},
        provenance_factory=lambda: _provenance(config, environ, args),
        # a run given no files checks the whole change, deletions included
        deleted_too=not args.files and args.scope == "diff" and not args.demo,
        jobs=args.jobs or parallel.default_jobs(environ),
    )
    findings = runner.run(sources)
    manifest = runner.prefilter_manifest()
    if runner.cache_folder and manifest is not None:
        fastpath.save(runner.cache_folder, run_key(args, hook), manifest)
    changed = False
    if args.fix or args.diff:
        findings, changed = _fix(args, runner, sources, findings)
        if args.diff:  # the diff is the whole output
            for error in errors:
                print(f"diffwarden: error: {error}", file=sys.stderr)
            return EXIT_ERROR if errors else EXIT_FOUND if changed else EXIT_CLEAN
    run_info = runner.scope_description
    if findings:
        run_info += f"; {runner.provenance.describe()}"
        if runner.provenance.per_commit:
            run_info += f"; judged strict: {_strict_ones(findings)}"
        elif runner.provenance.strict:
            config.fail_on = Severity.LOW  # strict: every finding counts
    report = _render(args.format, findings, len(sources), run_info, rules)
    _write(args, report)
    for error in errors:
        print(f"diffwarden: error: {error}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    # a finding an assistant's commit made counts whatever its severity (a range, per commit)
    failing = [f for f in findings if f.blocking and (f.severity >= config.fail_on or f.commit)]
    return EXIT_FOUND if failing or changed else EXIT_CLEAN


def chosen_rules(
    every: Sequence[registry.Described],
    hook: Optional[str],
    selectors: Sequence[str],
    ignores: Sequence[str],
    files_given: bool,
) -> List[Type[Rule]]:
    """The rules a run of `hook` (None: every hook) selects; only their modules are imported."""
    available = [rule for rule in every if rule.hook == hook] if hook else every
    chosen = registry.select(available, selectors, ignores, known=every)
    rules = [registry.rule_class(rule) for rule in chosen]
    if files_given and not hook:
        # rules that compare versions judge the whole change, deletions included: their own
        # hooks and runs given no files (commit-msg, CI) run them, once, not every batch
        rules = [r for r in rules if not _whole_change(r) or _named(r, selectors)]
    return rules


def _fix(
    args: argparse.Namespace, runner: Runner, sources: List[Source], findings: List[Finding]
) -> Tuple[List[Finding], bool]:
    """Apply the fixes (or, with --diff, print them) and say so on stderr, as pre-commit's own
    fixers do; the findings left afterwards, and whether any file changed."""
    from hooks.engine import fix, git

    outcomes = fix.fix_all(runner, sources, findings, fix.allowed(args.unsafe_fixes))
    for outcome in outcomes:
        if outcome.problem:
            print(f"diffwarden: {outcome.source.path}: {outcome.problem}", file=sys.stderr)
    changed = [outcome for outcome in outcomes if outcome.changed]
    if args.diff:
        sys.stdout.write("".join(outcome.diff() for outcome in changed))
        return findings, bool(changed)
    root = runner.scope.root or git.root() or os.getcwd()
    written, fresh = set(), []
    for outcome in changed:
        path = outcome.source.path
        try:
            fix.write(path, outcome.data, root)
        except fix.WriteError as exc:
            print(f"diffwarden: {path}: {exc}", file=sys.stderr)
            continue
        count = f"{outcome.fixes} finding{'' if outcome.fixes == 1 else 's'}"
        print(f"diffwarden: fixed {count} in {path}", file=sys.stderr)
        written.add(path)
        runner.carried[path] = outcome.lines  # what is left is judged on the new text
        fresh.extend(runner.check(Source(path, outcome.data)))
    left = [f for f in findings if f.path not in written] + fresh
    left.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    return left, bool(written)


def _environment(args: argparse.Namespace) -> Dict[str, str]:
    """The environment, with --from-ref/--to-ref standing in for pre-commit's range variables."""
    if bool(args.from_ref) != bool(args.to_ref):
        raise UsageError("--from-ref and --to-ref go together")
    environ = dict(os.environ)
    if args.from_ref:
        environ.update(PRE_COMMIT_FROM_REF=args.from_ref, PRE_COMMIT_TO_REF=args.to_ref)
    return environ


def _provenance(
    config: config_module.Config, environ: Mapping[str, str], args: argparse.Namespace
) -> provenance.Provenance:
    """A range (pre-push, CI) is judged by its commits; a commit being made, by its message,
    the git identity and the environment."""
    from_ref, to_ref = environ.get("PRE_COMMIT_FROM_REF"), environ.get("PRE_COMMIT_TO_REF")
    declared, signals = config.profile, config.signals
    if from_ref and to_ref and not args.diff_base and args.scope == "diff":
        return provenance.decide_range(declared, environ, from_ref, to_ref, signals)
    message = provenance.commit_message(args.message_file)
    return provenance.decide(declared, environ, message, signals=signals)


def _strict_ones(findings: Sequence[Finding], shown: int = 5) -> str:
    """`a.py:3 DW102, b.py:9 DW703 and 4 more`, or `none`: the findings judged strict."""
    strict = [f"{f.path}:{f.line} {f.code}" for f in findings if f.commit]
    more = f" and {len(strict) - shown} more" if len(strict) > shown else ""
    return ", ".join(strict[:shown]) + more if strict else "none"


def _whole_change(rule: Type[Rule]) -> bool:
    return issubclass(rule, ChangeRule) and rule.whole_change


def _named(rule: Type[Rule], selectors: Sequence[str]) -> bool:
    """Selected by a selector that names it (a code, prefix, name or hook), not by ALL."""
    return any(
        registry.matches(s, rule.code, rule.name, rule.hook) for s in selectors if s != "ALL"
    )


def _inputs(
    args: argparse.Namespace, environ: Mapping[str, str]
) -> Tuple[List[Source], List[str], Callable[[], Scope]]:
    """The sources to check, the errors met reading them, and how to learn the change's scope."""
    if args.demo:
        from importlib.resources import files

        data = files("hooks.samples").joinpath(DEMO_NAME + ".txt").read_bytes()
        return [Source(DEMO_NAME, data)], [], Scope
    paths = _expand(args.files)
    if args.scope == "file":
        factory: Callable[[], Scope] = Scope
    else:
        factory = lambda: diff_scope(paths, environ, args.diff_base)  # noqa: E731
    if not paths:
        scope = factory()
        paths = _changed_files(scope)
        factory = lambda: scope  # noqa: E731
    sources, errors = [], []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                sources.append(Source(path, handle.read()))
        except OSError as exc:
            errors.append(f"{path}: cannot read: {exc.strerror or exc}")
    return sources, errors, factory


def _expand(given: Sequence[str]) -> List[str]:
    """Folders on the command line stand for the files below them (hidden folders skipped):
    Python rules read the Python files among them, the secrets rules every file."""
    paths: List[str] = []
    for item in given:
        if os.path.isdir(item):
            for folder, subfolders, names in os.walk(item):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                paths.extend(os.path.join(folder, n) for n in sorted(names))
        else:
            paths.append(item)
    return paths


def _changed_files(scope: Scope) -> List[str]:
    """With no files given: the files the change adds to, relative to here."""
    if scope.added is None:
        raise UsageError("no files given, and not in a git repository to ask for the change")
    changed = sorted({*scope.added, *scope.untracked})
    found = [os.path.join(scope.root, path) for path in changed]
    return [os.path.relpath(path) for path in found if os.path.isfile(path)]


def _render(
    fmt: str, findings: Sequence[Finding], files: int, scope: str, rules: Sequence[Type[Rule]]
) -> str:
    if fmt == "json":
        from hooks.engine.report import json as json_report

        return json_report.render(findings, files, scope)
    if fmt == "sarif":
        from hooks.engine.report import sarif

        return sarif.render(findings, files, scope, rules)
    from hooks.engine.report import text

    return text.render(findings, files, scope)


def _write(args: argparse.Namespace, report: str) -> None:
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        sys.stdout.write(report)


def _rule_list(rules: Sequence[Type[Rule]]) -> str:
    rows = [f"{r.code}  {r.name:<28} {r.hook:<24} {r.severity.label:<8} {r.summary}" for r in rules]
    return "\n".join(rows) + "\n"
