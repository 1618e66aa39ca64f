"""prefilter -> (cache) -> parse once -> one batched walk -> suppress -> scope.

Nothing heavy is imported until a file survives the prefilter: a commit whose files hold no
trigger word of any selected rule costs about as much as starting Python.
"""

from __future__ import annotations

import ast
import bisect
import json
import re
from dataclasses import dataclass, field, replace
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
)

from hooks.engine import suppress
from hooks.engine.cache import Cache
from hooks.engine.config import Config
from hooks.engine.fastpath import Manifest
from hooks.engine.narrow import Mentions, Triggers
from hooks.engine.parallel import check_all
from hooks.engine.prefilter import Prefilter, is_word, of_triggers
from hooks.engine.pyast import parsed
from hooks.engine.registry import Described, matches
from hooks.engine.rule import (
    BAD_SUPPRESSION,
    ENGINE_CHECKS,
    ChangeRule,
    NOT_CHECKED,
    SYNTAX_ERROR,
    UNDECODABLE,
    Confidence,
    EngineCheck,
    Finding,
    FixSafety,
    OptionValue,
    RawReport,
    Rule,
    TextRule,
)
from hooks.engine.provenance import Provenance
from hooks.engine.scope import Scope
from hooks.engine.source import DecodeError, Source, decode, is_binary, is_python

ENGINE_HOOK = "engine"
SelectedRule = Tuple[Type[Rule], Dict[str, OptionValue]]
# whether the Python rules read a file, and which text rules do
Readers = Tuple[bool, List[TextRule]]


def _triggers(rules: Sequence[SelectedRule]) -> Tuple[List[str], List[str]]:
    """The selected rules' trigger words and shape regexes.

    Dotted names in a list option (`extra-functions`) add their last part: the rule looks for
    them too, so a file that mentions only them must still be parsed.
    """
    words = sorted({w for rule, options in rules for w in (*rule.triggers, *_named_in(options))})
    shapes = sorted({p for rule, _ in rules for p in rule.trigger_patterns})
    return words, shapes


def trigger_prefilter(rules: Sequence[SelectedRule]) -> Prefilter:
    """Does the file mention anything a selected rule looks for?"""
    return of_triggers(*_triggers(rules))


def trigger_pattern(rules: Sequence[SelectedRule]) -> "re.Pattern[str]":
    """The same as one regex (what the prefilter and the trigger lines must agree with)."""
    words, shapes = _triggers(rules)
    parts = [r"\b(?:" + "|".join(map(re.escape, words)) + r")\b"] if words else []
    parts.extend(f"(?:{p})" for p in shapes)
    return re.compile("|".join(parts) if parts else r"(?!)")


def trigger_set(rules: Sequence[SelectedRule]) -> Triggers:
    """The same as words and shapes, to find the lines that mention a trigger."""
    return Triggers.of(*words_and_shapes(rules))


def words_and_shapes(rules: Sequence[SelectedRule]) -> Tuple[List[str], List[str]]:
    """The rules' triggers as `Triggers` takes them: words that are plain \\w words, and the
    shapes, among them the other words as whole-word patterns."""
    words, shapes = _triggers(rules)
    plain = [w for w in words if is_word(w)]
    others = [r"\b" + re.escape(w) + r"\b" for w in words if not is_word(w)]
    return plain, [*others, *shapes]


def manifest_of(python: Prefilter, text_rules: Sequence[TextRule]) -> Optional[Manifest]:
    """What the fast path needs to know of these rules: the Python rules' prefilter `python`,
    every text rule's (apart for those that read only Python files) and their name globs; None
    when some text rule cannot say what it wants as data."""
    anywhere = Prefilter()
    names: List[str] = []
    for rule in text_rules:
        if rule.prefilter is None and not rule.prefilter_names:
            return None
        if rule.prefilter is not None and rule.python_only:
            python = python | rule.prefilter
        elif rule.prefilter is not None:
            anywhere = anywhere | rule.prefilter
        names.extend(rule.prefilter_names)
    return Manifest(anywhere, python, names)


def _named_in(options: Dict[str, OptionValue]) -> List[str]:
    listed = [v for value in options.values() if isinstance(value, tuple) for v in value]
    return [name.rsplit(".", 1)[-1] for name in listed if name]


def engine_finding(check: EngineCheck, path: str, line: int, col: int, message: str) -> Finding:
    return Finding(
        code=check.code,
        name=check.name,
        severity=check.severity,
        confidence=Confidence.HIGH,
        cwe=check.cwe,
        path=path,
        line=line,
        col=col,
        end_line=line,
        end_col=col,
        message=message,
        hint=check.hint,
        statement_line=line,
    )


@dataclass
class Runner:
    rules: Sequence[SelectedRule]
    config: Config
    scope_factory: Callable[[], Scope]
    cache_folder: Optional[str] = None
    ignores: Sequence[str] = ()
    known_rules: Sequence[Described] = ()
    # codes of strict-only rules that run only when the change turns out to be strict
    gated: Set[str] = field(default_factory=set)
    provenance_factory: Callable[[], Provenance] = lambda: Provenance("standard", "not asked")
    # also show the files the change deletes to the rules that compare versions
    deleted_too: bool = False
    # processes that may share the files (parallel.py decides how many a run is worth)
    jobs: int = 1
    _provenance: Optional[Provenance] = field(default=None, init=False)
    _scope: Optional[Scope] = field(default=None, init=False)
    _cache: Optional[Cache] = field(default=None, init=False)
    # the added lines of files rewritten by a fix, carried over to their new text (fix.py)
    carried: Dict[str, Optional[Set[int]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.python_rules = [(r, o) for r, o in self.rules if not issubclass(r, TextRule)]
        self.text_rules = [r(o) for r, o in self.rules if issubclass(r, TextRule)]
        self.change_codes = {r.code for r, _ in self.rules if issubclass(r, ChangeRule)}
        # findings that stand for what a change removed: no added line shows who removed it
        self.removal_codes = {
            r.code for r, _ in self.rules if issubclass(r, ChangeRule) and not r.on_added_lines
        }
        self.prefilter = trigger_prefilter(self.python_rules)
        self._triggers: Optional[Triggers] = None
        self._each: Optional[List[Tuple[SelectedRule, FrozenSet[bytes], FrozenSet[str]]]] = None
        # a suppression may name any rule, selected here or not
        every = self.known_rules or [rule for rule, _ in self.rules]
        self.known_codes = {r.code for r in every} | {c.code for c in ENGINE_CHECKS}
        self.defers_to = {r.code: set(r.defers_to) for r, _ in self.rules if r.defers_to}

    @property
    def triggers(self) -> Triggers:
        """Made on first use: only a file that passed the prefilter needs them."""
        if self._triggers is None:
            self._triggers = trigger_set(self.python_rules)
        return self._triggers

    def active(self, seen: Mentions) -> List[SelectedRule]:
        """The rules whose triggers the file mentions. No other rule can report in it (the
        examples, each run with its rule alone, hold every rule to that), and most files
        mention few rules' triggers: the walk runs only these."""
        if self._each is None:
            self._each = []
            for rule in self.python_rules:
                words, shapes = words_and_shapes([rule])
                self._each.append((rule, frozenset(w.encode() for w in words), frozenset(shapes)))
        return [rule for rule, words, shapes in self._each if seen.any_of(words, shapes)]

    @property
    def scope(self) -> Scope:
        if self._scope is None:
            self._scope = self.scope_factory()
        return self._scope

    @property
    def provenance(self) -> Provenance:
        """Asked only when it matters (a suppression to honour, a finding to report)."""
        if self._provenance is None:
            self._provenance = self.provenance_factory()
        return self._provenance

    @property
    def scope_description(self) -> str:
        return self._scope.description if self._scope else "not needed: no file had a trigger"

    @property
    def cache(self) -> Optional[Cache]:
        """Made on first use: its fingerprint asks for libcst's version."""
        if self._cache is None and self.cache_folder:
            self._cache = Cache(self.cache_folder, fingerprint(self.rules))
        return self._cache

    def prefilter_manifest(self) -> Optional[Manifest]:
        """What the fast path (fastpath.py) needs to know of this run's rules."""
        return manifest_of(self.prefilter, self.text_rules)

    def run(self, sources: Iterable[Source]) -> List[Finding]:
        sources = list(sources)
        findings = [f for found in check_all(self, sources, self.jobs) for f in found]
        read = {source.path: source.data for source in sources}
        if self.deleted_too and self.change_codes:
            findings.extend(self.check_deleted())
        if any(f.code in self.change_codes for f in findings):
            change = WholeChange(self.scope, read)
            for rule in self.text_rules:
                if isinstance(rule, ChangeRule):
                    findings = rule.settle(findings, change)
        findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
        return findings

    def check_deleted(self) -> List[Finding]:
        """What the rules that compare versions say about the files the change deletes."""
        findings: List[Finding] = []
        for path in self.scope.deleted_paths():
            data = self.scope.before(path) or b""
            if self.config.excluded(path) or is_binary(data):
                continue
            before = data.decode("utf-8", "replace")
            for rule in self._change_rules(path, data):
                findings.extend(self._judged(path, rule.compare(path, before, None, set()), set()))
        return self._keep_all(findings)

    def _change_rules(self, path: str, data: bytes) -> List[ChangeRule]:
        return [
            rule
            for rule in self.text_rules
            if isinstance(rule, ChangeRule)
            and rule.whole_change
            and rule.wants(path, data)
            and (rule.code not in self.gated or self.provenance.strict)
        ]

    def _readers(self, path: str, data: bytes, binary: bool) -> Readers:
        """Do the Python rules read the file (a trigger in it), and which text rules do?"""
        python = not binary and is_python(path, data) and self.prefilter.matches(data)
        text_rules = [
            rule
            for rule in self.text_rules
            if (rule.reads_binary or not binary)
            and rule.wants(path, data)
            and (rule.code not in self.gated or self.provenance.strict)
        ]
        return python, text_rules

    def weigh(self, source: Source) -> Tuple[int, Optional[Readers]]:
        """About what checking `source` costs, for sharing a run's files out (the lines in
        scope of a file some rule reads, 0 for the others), and its readers, for `check`."""
        path, data = source.path, source.data
        if self.config.excluded(path) or len(data) > self.config.max_file_size:
            return 0, None
        readers = self._readers(path, data, is_binary(data))
        if not any(readers):
            return 0, readers
        lines = self.scope.lines(path)
        return (data.count(b"\n") + 1 if lines is None else len(lines)), readers

    def prepare_to_share(self) -> None:
        """What every worker would otherwise do on its own: import libcst (the weights asked
        for the change's scope already)."""
        from hooks.engine.methods_cache import import_libcst

        import_libcst()

    def check(self, source: Source, readers: Optional[Readers] = None) -> List[Finding]:
        """The file's findings; `readers` when `weigh` has already asked who reads it."""
        path, data = source.path, source.data
        if self.config.excluded(path):
            return []
        binary = is_binary(data)
        python, text_rules = self._readers(path, data, binary) if readers is None else readers
        if not python and not text_rules:
            return []
        lines = self.carried[path] if path in self.carried else self.scope.lines(path)
        if lines is not None and not lines:
            # untouched by the change: not even its encoding is the change's business; or
            # lines were only removed: that is for the rules that compare versions
            if not self.scope.changed(path):
                return []
            python, text_rules = False, [r for r in text_rules if isinstance(r, ChangeRule)]
            if not text_rules:
                return []
        if len(data) > self.config.max_file_size and not binary:
            limit = self.config.max_file_size
            why = f"file is {len(data)} bytes, over max-file-size ({limit} bytes)"
            return self._keep(path, [_not_checked(path, why)])
        text: Optional[str] = None
        if python:
            try:
                text = decode(data)
            except DecodeError as exc:
                message = f"cannot decode: {exc}"
                return self._keep(path, [engine_finding(UNDECODABLE, path, exc.line, 1, message)])
        elif not binary:
            text = data.decode("utf-8", "replace")  # config files: read what can be read
        raw = self._analyse(path, data, text, lines, python, text_rules)
        if text is None:
            return self._keep(path, raw)
        python_text = python or is_python(path, data)  # for how to read its comments
        return self._deferred(self._keep(path, self._filter(path, text, raw, lines, python_text)))

    def _analyse(
        self,
        path: str,
        data: bytes,
        text: Optional[str],
        lines: Optional[Set[int]],
        python: bool,
        text_rules: Sequence[TextRule],
    ) -> List[Finding]:
        """Every rule's raw findings for one file, from the cache when it has them."""

        before = self._before(path) if any(isinstance(r, ChangeRule) for r in text_rules) else ""

        def compute() -> List[Finding]:
            found = []
            for rule in text_rules:
                if isinstance(rule, ChangeRule):
                    found.extend(rule.compare(path, before, text, lines))
                else:
                    found.extend(rule.scan(path, data, text, lines))
            if python and text is not None:
                found.extend(self._parse_and_walk(path, text, lines))
            return found

        cache = self.cache
        if cache is None or text is None or path in self.carried:
            return compute()
        names = ",".join(type(rule).code + rule.state_for(path) for rule in text_rules)
        where = ",".join(map(str, sorted(lines))) if lines else "all"
        key = cache.key(text, where, path if text_rules else "", names, str(python), f"{before}")
        hit = cache.get(key)
        if hit is not None:
            return [Finding.of_row(row, path) for row in hit]
        found = compute()
        cache.put(key, [f.row() for f in found])
        return found

    def _before(self, path: str) -> Optional[str]:
        data = self.scope.before(path)
        return None if data is None or is_binary(data) else data.decode("utf-8", "replace")

    def _parse_and_walk(self, path: str, text: str, lines: Optional[Set[int]]) -> List[Finding]:
        """Parse what can hold a finding, walk it with every rule, position what was found.

        In file scope that is every statement that mentions a trigger word (or a name imported
        from a line that does): no rule can report a statement that mentions none, and most of a
        file's statements mention none. In diff scope it is those the change touches, and only
        when the change adds a line to a statement that mentions one (owned_by_triggers).
        """
        tree = _python_parse(path, text)
        if isinstance(tree, Finding):
            return [tree]
        from hooks.engine.narrow import mentions, narrow, near_triggers, owned_by_triggers

        seen = mentions(text, tree, self.triggers)
        rules = self.active(seen)
        if not rules:
            return []
        wanted = seen.lines
        if lines is not None:
            if any(rule.reports_away for rule, _ in rules):
                wanted = near_triggers(tree, lines, wanted)
            else:
                wanted = owned_by_triggers(tree, lines, seen)
            if not wanted:
                return []  # the change adds no line that a rule could report
        followed = any(rule.reads_definitions for rule, _ in rules)
        return self._walk(path, narrow(text, tree, wanted, followed) or text, text, lines, rules)

    def _walk(
        self,
        path: str,
        code: str,
        whole: str,
        lines: Optional[Set[int]],
        rules: Sequence[SelectedRule],
    ) -> List[Finding]:
        """Parse `code` (the whole text, or a narrowed one) and run `rules` over it.

        In diff scope, reports in top-level statements the change does not touch are dropped
        before they are positioned: the scope filter would drop them anyway.
        """
        from hooks.engine.methods_cache import import_libcst

        libcst = import_libcst()  # before context.py, which imports it too
        from hooks.engine.context import check_module
        from hooks.engine.cst_parse import parse_module

        try:
            module = parse_module(libcst, code)
        except Exception as exc:  # libcst raises several kinds, RecursionError among them
            if code is not whole:  # never let narrowing cost a check: parse it all
                return self._walk(path, whole, whole, lines, rules)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return [_not_checked(path, f"Python parses this file but libcst does not ({reason})")]
        try:
            reports = check_module(module, rules)
            if reports and lines is not None:
                reports = _touching(module, code, reports, lines)
            return _positioned(module, code, reports, path) if reports else []
        except RecursionError:
            return [_not_checked(path, "the code nests too deeply for the checker")]

    def fixable(
        self, path: str, text: str, module: Any, lines: Optional[Set[int]]
    ) -> List[Tuple[RawReport, Finding]]:
        """Every rule over a whole parsed module: the reports that offer a fix and whose
        findings survive suppressions, scope and ignores (fix.py applies them). Only they are
        positioned: in a big file, positions cost more than the walk."""
        from hooks.engine.context import check_module

        reports = [r for r in check_module(module, self.python_rules) if r.fix is not None]
        found = _positioned(module, text, reports, path) if reports else []
        kept = {id(f) for f in self._keep(path, self._filter(path, text, found, lines, True))}
        return [(report, f) for report, f in zip(reports, found) if id(f) in kept]

    def _filter(
        self, path: str, text: str, found: List[Finding], lines: Optional[Set[int]], python: bool
    ) -> List[Finding]:
        """Drop what is suppressed inline or outside the change; add malformed suppressions."""
        marks = suppress.parse(text, self.known_codes, python)
        found = self._judged(path, found, lines)
        held = {False: marks, True: marks}  # the suppressions that hold, by strict or not
        if marks.by_line and lines is not None and self.provenance.strict:
            # an assistant cannot approve its own finding: suppressions the change adds are void
            held[True] = marks.outside(lines)
            if self.provenance.per_commit:  # nor a person's finding, in a range
                written = [n for n in marks.by_line if n in lines]
                among = {sha for sha, _ in self.provenance.assistant}
                held[False] = marks.outside(
                    {n for n in written if self.scope.made_by(path, (n,), among)}
                )
        kept = [
            f
            for f in found
            if f.code in (SYNTAX_ERROR.code, NOT_CHECKED.code)
            or not held[self._strict(f)].covers(f.code, (f.line, f.statement_line))
        ]
        malformed = [
            engine_finding(BAD_SUPPRESSION, path, bad.line, bad.col, bad.problem)
            for bad in marks.malformed
        ]
        kept.extend(self._judged(path, malformed, lines))
        return [f for f in kept if self._in_change(f, lines)]

    def _in_change(self, f: Finding, lines: Optional[Set[int]]) -> bool:
        return (
            lines is None
            or f.code in (SYNTAX_ERROR.code, NOT_CHECKED.code)
            or f.code in self.change_codes  # they judged the change themselves
            or any(line in lines for line in range(f.line, f.end_line + 1))
        )

    def _strict(self, f: Finding) -> bool:
        """Is `f` judged by the strict profile: all of a strict change, or, in a range judged
        commit by commit, what an assistant's commit made?"""
        return self.provenance.strict and (bool(f.commit) or not self.provenance.per_commit)

    def _judged(self, path: str, found: List[Finding], lines: Optional[Set[int]]) -> List[Finding]:
        """In a range judged commit by commit: a finding an assistant's commit made is strict
        and names that commit; a strict-only rule's finding that a person's commits made is
        dropped (their profile does not run it)."""
        if not found or not self.provenance.per_commit:
            return found
        among = {sha for sha, _ in self.provenance.assistant}
        judged = []
        for f in found:
            if not self._in_change(f, lines):
                judged.append(f)  # dropped in a moment: not worth a question to git
                continue
            span = () if f.code in self.removal_codes else range(f.line, f.end_line + 1)
            sha = self.scope.made_by(path, span, among)
            if sha:
                why = f"judged strict: commit {sha[:10]} is assistant-written"
                judged.append(replace(f, commit=sha[:10], message=f"{f.message}; {why}"))
            elif f.code not in self.gated:
                judged.append(f)
        return judged

    def _keep_all(self, found: List[Finding]) -> List[Finding]:
        return [kept for f in found for kept in self._keep(f.path, [f])]

    def _keep(self, path: str, found: List[Finding]) -> List[Finding]:
        """Apply --ignore for engine codes and per-file-ignores for everything."""
        ignored = [*self.config.ignored_here(path), *self.ignores]
        return [
            f for f in found if not any(matches(s, f.code, f.name, _hook_of(f)) for s in ignored)
        ]

    def _deferred(self, found: List[Finding]) -> List[Finding]:
        """One report per line: drop a finding on a line that a rule it defers to reports."""
        if not self.defers_to:
            return found
        reported: Dict[str, Set[int]] = {}
        for f in found:
            reported.setdefault(f.code, set()).update(range(f.line, f.end_line + 1))
        return [
            f
            for f in found
            if not any(
                reported.get(code, set()) & set(range(f.line, f.end_line + 1))
                for code in self.defers_to.get(f.code, ())
            )
        ]


@dataclass
class WholeChange:
    """The change as `ChangeRule.settle` sees it: the files the scope says it adds to, each as
    this run read it (from disk when the run was not given it)."""

    scope: Scope
    read: Dict[str, bytes]

    def added_paths(self) -> List[str]:
        return self.scope.added_paths()

    def versions(self, path: str) -> Tuple[Optional[str], Optional[str]]:
        after = self.read.get(path)
        if after is None:
            try:
                with open(path, "rb") as handle:
                    after = handle.read()
            except OSError:
                after = None  # deleted by the change
        return _decoded(self.scope.before(path)), _decoded(after)


def _decoded(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else data.decode("utf-8", "replace")


def _hook_of(finding: Finding) -> str:
    return ENGINE_HOOK if finding.code in {c.code for c in ENGINE_CHECKS} else ""


def _python_parse(path: str, text: str) -> "ast.Module | Finding":
    """Python's own verdict on the file: its tree, or the finding that says why there is none."""
    tree = parsed(text)
    if isinstance(tree, SyntaxError):
        message = f"syntax error: {tree.msg}; the file was not checked"
        return engine_finding(SYNTAX_ERROR, path, tree.lineno or 1, tree.offset or 1, message)
    if isinstance(tree, ValueError):  # a NUL byte past the binary sniff
        message = f"syntax error: {tree}; the file was not checked"
        return engine_finding(SYNTAX_ERROR, path, 1, 1, message)
    if isinstance(tree, (RecursionError, MemoryError)):
        return _not_checked(path, "the code nests too deeply for Python's own parser")
    return tree


def _not_checked(path: str, why: str) -> Finding:
    return engine_finding(NOT_CHECKED, path, 1, 1, f"not checked: {why}")


def _touching(module: Any, text: str, reports: List[RawReport], lines: Set[int]) -> List[RawReport]:
    """The reports whose top-level statement may hold an added line (positions.line_spans)."""
    from hooks.engine.positions import line_spans

    spans = line_spans(module, text)
    if spans is None:
        return reports
    added = sorted(lines)

    def touched(report: RawReport) -> bool:
        span = spans.get(report.top)
        if span is None:  # reported from outside any statement (leave_Module): keep
            return True
        index = bisect.bisect_left(added, span[0])
        return index < len(added) and added[index] <= span[1]

    return [report for report in reports if touched(report)]


def _positioned(module: Any, text: str, reports: List[RawReport], path: str) -> List[Finding]:
    """Attach positions, computed only around what was reported."""
    from hooks.engine.positions import positions

    where_is = positions(module, text, [report.chain for report in reports])
    if any(r.source_node is not None and r.source_node not in where_is for r in reports):
        # a source outside the reported statements
        where_is = positions(module, text, [(top,) for top in module.body])
    findings = []
    for report in reports:
        where = where_is[report.node]
        statement = where_is[report.statement].start.line
        message = report.message
        if report.source_text:
            message += f"; {report.source_text}"
            if report.source_node is not None:
                message += f" on line {where_is[report.source_node].start.line}"
        rule = report.rule
        findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=report.severity,
                confidence=report.confidence,
                cwe=rule.cwe,
                path=path,
                line=where.start.line,
                col=where.start.column + 1,
                end_line=where.end.line,
                end_col=where.end.column + 1,
                message=message,
                hint=rule.hint,
                fix=rule.fix if report.fix is not None else FixSafety.NONE,
                statement_line=statement,
            )
        )
    return findings


def fingerprint(rules: Sequence[SelectedRule]) -> str:
    """What besides the file's text decides its findings: rules, their options, libcst, and
    diffwarden's own code."""
    from importlib.metadata import version

    from hooks.engine.fastpath import code_stamp

    listed = [[rule.code, sorted((k, repr(v)) for k, v in opts.items())] for rule, opts in rules]
    return json.dumps([version("libcst"), listed, code_stamp()])
