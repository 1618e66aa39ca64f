"""The vocabulary every rule shares: severities, findings, examples and the Rule base class.

Nothing here imports libcst: the registry reads rule headers (codes, trigger words) on every run,
and a clean commit must not pay for the parser.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING, Any, Callable, ClassVar, Dict, List, Optional, Protocol, Set, Tuple, Type,
    Union,
)  # fmt: skip

from hooks.engine.prefilter import Prefilter

if TYPE_CHECKING:
    import libcst as cst

    from hooks.engine.context import RuleContext
    from hooks.engine.trust import Origin


class Severity(enum.IntEnum):
    """How bad a finding is; INFO is for notes that never fail a commit ("not checked")."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(text) from None


class Confidence(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class FixSafety(enum.Enum):
    """Whether a rule can rewrite what it finds, and whether the rewrite keeps behaviour."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Ok:
    """An example that must not be flagged."""

    code: str
    why: str = ""
    path: str = "example.py"
    # the file before the change, for rules that compare the two (ChangeRule)
    before: Optional[str] = None


@dataclass(frozen=True)
class Bad:
    """An example that must be flagged exactly at `at` (1-based line, column pairs), no more.

    For a rule that fixes, `fixed` is the byte-exact text the fix makes of `code`; None says the
    fix must leave this one alone (the finding stays for a person to judge).
    """

    code: str
    at: Tuple[Tuple[int, int], ...]
    severity: Optional[Severity] = None
    why: str = ""
    path: str = "example.py"
    fixed: Optional[str] = None
    before: Optional[str] = None


Example = Union[Ok, Bad]


@dataclass(frozen=True)
class Fix:
    """A rewrite a rule offers for the node it reports, applied later by hooks/engine/fix.py.

    `edit` gets the node as it is when the fixer leaves it (its children already fixed, so nested
    fixes compose) and returns its replacement. `imports` are what the replacement needs, as
    (module, name) pairs: ("secrets", None) is `import secrets`, ("yaml", "safe_load") is
    `from yaml import safe_load`. Decide in the rule, from the checked node; build in `edit`.
    """

    edit: Callable[[Any], Any]
    imports: Tuple[Tuple[str, Optional[str]], ...] = ()


OptionValue = Union[bool, int, str, Tuple[str, ...]]


@dataclass(frozen=True)
class Finding:
    """One reported problem, with everything every output format needs."""

    code: str
    name: str
    severity: Severity
    confidence: Confidence
    cwe: Tuple[int, ...]
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    hint: str
    # whether this finding has a fix, and how safe it is (NONE when the rule offers none here)
    fix: FixSafety = FixSafety.NONE
    # first line of the statement holding the node: a suppression may sit there too
    statement_line: int = 0
    # in a range judged commit by commit: the assistant-written commit that makes it strict
    commit: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity > Severity.INFO

    def to_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "confidence": self.confidence.label,
            "cwe": [f"CWE-{n}" for n in self.cwe],
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "message": self.message,
            "hint": self.hint,
            "fix": self.fix.value,
            **({"commit": self.commit} if self.commit else {}),
        }

    def row(self) -> List[Any]:
        """Everything but the path, as JSON holds it: the cache's entries, a worker's report."""
        return [
            self.code, self.name, int(self.severity), int(self.confidence), list(self.cwe),
            self.line, self.col, self.end_line, self.end_col, self.message, self.hint,
            self.fix.value, self.statement_line, self.commit,
        ]  # fmt: skip

    @classmethod
    def of_row(cls, row: List[Any], path: str) -> "Finding":
        code, name, severity, confidence, cwe, line, col, end_line, end_col, *rest = row
        message, hint, fix, statement_line, commit = rest
        # in field order: row() with the path
        return cls(code, name, Severity(severity), Confidence(confidence), tuple(cwe), path,
                   line, col, end_line, end_col, message, hint, FixSafety(fix), statement_line,
                   commit)  # fmt: skip


@dataclass
class RawReport:
    """What a rule says during the walk; positions come later, only if something was said."""

    rule: Type[Rule]
    node: cst.CSTNode
    statement: cst.CSTNode  # the innermost statement holding the node
    top: cst.CSTNode  # the top-level statement holding it
    message: str
    severity: Severity
    confidence: Confidence
    # "`cmd` comes from `request.args`", and the node where it does (its line is added)
    source_text: str = ""
    source_node: Optional[cst.CSTNode] = None
    fix: Optional[Fix] = None
    # the statements from `top` down to `statement` (positions.py regenerates the smallest)
    chain: Tuple[cst.CSTNode, ...] = ()


class Rule:
    """A check over libcst nodes.

    Subclasses declare the header (class attributes below) and write `visit_<Node>` or
    `leave_<Node>` methods that call `self.report(node, ...)`. One instance is made per file, and
    all rules share one walk. `self.ctx` resolves names and values; rules never do I/O.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    confidence: ClassVar[Confidence]
    cwe: ClassVar[Tuple[int, ...]]
    message: ClassVar[str]
    hint: ClassVar[str]
    # words without which the rule cannot report in a file: a file is walked only by the rules
    # whose triggers it mentions (Runner.active), and only its statements that mention one,
    # or a name given a value on such a line, are parsed (narrow.py)
    triggers: ClassVar[Tuple[str, ...]]
    # regular expressions, for rules whose trigger is a shape rather than a word (`except: pass`);
    # each best starts with a literal, which the regex engine skips to (prefilter.fast_start)
    trigger_patterns: ClassVar[Tuple[str, ...]] = ()
    # True when the rule may report a statement that mentions no trigger, nor a name given a
    # value on a line that does (a file downloaded on one line and run on another): in diff
    # scope, every added line of a statement that mentions one is then checked
    # (narrow.owned_by_triggers)
    reports_away: ClassVar[bool] = False
    # True when the rule reads a definition other than the statement it reports: a helper it
    # follows a call into, the `__init__` that gave `self.session` its value. Where it is
    # active, narrowing keeps the definitions that the text it keeps reads by name
    # (narrow._needed_back); elsewhere an untouched function is a one-line stub
    reads_definitions: ClassVar[bool] = False
    # whether the rule offers fixes (`self.report(node, fix=Fix(...))`), and whether they keep
    # behaviour (safe: applied by --fix) or may change it (unsafe: only with --unsafe-fixes)
    fix: ClassVar[FixSafety] = FixSafety.NONE
    # True: runs only in the strict profile (assistant-written or declared), unless selected
    # by name; its findings would be noise on every change a person makes
    strict_only: ClassVar[bool] = False
    options: ClassVar[Dict[str, OptionValue]] = {}
    examples: ClassVar[Tuple[Example, ...]] = ()
    # codes of rules that report the same thing better: when one of them reports on a line (and
    # is not suppressed or ignored there), this rule's finding on that line is dropped
    defers_to: ClassVar[Tuple[str, ...]] = ()
    # set by the registry: the hook (module) this rule belongs to
    hook: ClassVar[str] = ""

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        self.ctx = ctx
        self.opts = options

    def report(
        self,
        node: cst.CSTNode,
        severity: Optional[Severity] = None,
        confidence: Optional[Confidence] = None,
        value: Optional[Tuple[cst.BaseExpression, Origin]] = None,
        fix: Optional[Fix] = None,
        **fields: str,
    ) -> None:
        """Report `node`; `fields` fill the rule's message template.

        `value` is the sink's value and its origin: when it is untrusted, the message says where
        it comes from ("`cmd` comes from `request.args` on line 12"). `fix` rewrites `node`.
        """
        source_text, source_node = "", None
        if value is not None:
            from hooks.engine.origin import describe

            source_text, source_node = describe(*value), value[1].node
        self.ctx.add(
            RawReport(
                rule=type(self),
                node=node,
                # from leave_Module there is no statement around: the node stands for itself
                statement=self.ctx.statements[-1] if self.ctx.statements else node,
                top=self.ctx.statements[0] if self.ctx.statements else node,
                message=self.message.format(**fields),
                severity=severity if severity is not None else self.severity,
                confidence=confidence if confidence is not None else self.confidence,
                source_text=source_text,
                source_node=source_node,
                fix=fix if type(self).fix is not FixSafety.NONE else None,
                chain=tuple(self.ctx.statements) or (node,),
            )
        )


class TextRule(Rule):
    """A check over the lines of any file, Python or not (secrets, sensitive files).

    The runner calls `scan` once per file with the lines in scope (None: the whole file). `text`
    is None for a file that is not text: only its path can be judged. `wants` is the prefilter:
    it must be cheap, and a file it turns down is not scanned and costs no heavy import.
    """

    # True: the rule judges files that are not text too (by their path)
    reads_binary: ClassVar[bool] = False
    triggers = ()
    # A superset of `wants`, as data (prefilter.py) and file-name globs. The fast path of a clean
    # commit (fastpath.py) decides on these without importing the rule. None: always ask `wants`.
    prefilter: ClassVar[Optional[Prefilter]] = None
    prefilter_names: ClassVar[Tuple[str, ...]] = ()
    # `wants` only Python files (source.is_python): the fast path tests `prefilter` on those
    python_only: ClassVar[bool] = False

    def __init__(self, options: Dict[str, OptionValue]) -> None:
        self.opts = options

    def wants(self, path: str, data: bytes) -> bool:
        raise NotImplementedError

    def state(self) -> str:
        """What besides the file and the options decides the findings (a baseline's content):
        part of the cache key, so that a cached result never outlives it."""
        return ""

    def state_for(self, path: str) -> str:
        """`state` for one file, for rules that read files beside it (the project's declared
        dependencies): asked only for a file the rule `wants`."""
        return self.state()

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        raise NotImplementedError

    def found(
        self,
        path: str,
        line: int,
        col: int,
        end_col: int,
        severity: Optional[Severity] = None,
        end_line: Optional[int] = None,
        **fields: str,
    ) -> Finding:
        """A finding of this rule at `line`, from `col` to `end_col` (1-based) on `end_line`
        (default: `line`). In diff scope it stays when the change adds any line of its span."""
        return Finding(
            code=self.code, name=self.name, severity=severity or self.severity,
            confidence=self.confidence, cwe=self.cwe, path=path, line=line, col=col,
            end_line=end_line or line, end_col=end_col, message=self.message.format(**fields),
            hint=self.hint, fix=self.fix, statement_line=line,
        )  # fmt: skip


class ChangeRule(TextRule):
    """A check that compares a file with its version before the change (`before` None: the
    file is new, or there is no earlier version to ask for; `after` None: the change deletes it).

    It decides itself which of its findings belong to the change (it sees both sides), so the
    runner does not drop those off the added lines: a removed assertion has no added line.
    A rule that judges the whole change (`whole_change`: deleted files, tests that vanish) runs
    only when a run checks the whole change (no files given, or selected by name), so that
    pre-commit's parallel batches do not report a deletion once each.
    """

    whole_change: ClassVar[bool] = True
    # True when its findings stand on lines the change adds (a new skip mark): in a range, the
    # commit that added them judges them; otherwise they stand for what was removed, and the
    # commits that change the file judge them
    on_added_lines: ClassVar[bool] = False

    def compare(
        self, path: str, before: Optional[str], after: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        raise NotImplementedError

    def settle(self, found: List[Finding], change: Change) -> List[Finding]:
        """The run's findings, less those of this rule that the whole change explains (a test
        moved to another file is not deleted); asked once, after every file was compared."""
        return found


class Change(Protocol):
    """The whole change as `ChangeRule.settle` sees it: the files it adds lines to (relative
    to the current folder) and the two versions of a file (None: there is no such version)."""

    def added_paths(self) -> List[str]: ...

    def versions(self, path: str) -> Tuple[Optional[str], Optional[str]]: ...


@dataclass(frozen=True)
class EngineCheck:
    """A diagnostic raised by the engine itself (syntax error, bad suppression, skipped file)."""

    code: str
    name: str
    summary: str
    severity: Severity
    hint: str
    cwe: Tuple[int, ...] = field(default=())


SYNTAX_ERROR = EngineCheck(
    "DW001",
    "syntax-error",
    "The file is not valid Python, so nothing in it was checked.",
    Severity.HIGH,
    "fix the syntax error; an unchecked file cannot be vouched for",
)
BAD_SUPPRESSION = EngineCheck(
    "DW002",
    "malformed-suppression",
    "An inline suppression that does not name a code and give a reason suppresses nothing.",
    Severity.MEDIUM,
    "write it as `# diffwarden: ignore[DW102] why this is safe`",
)
NOT_CHECKED = EngineCheck(
    "DW003",
    "not-checked",
    "Python accepts the file but the checker's parser does not (or the file is too large); "
    "it was not checked.",
    Severity.INFO,
    "nothing blocks the commit; review the file by hand if it matters",
)
UNDECODABLE = EngineCheck(
    "DW004",
    "undecodable-source",
    "The file's bytes do not decode with its declared (PEP 263) or default UTF-8 encoding.",
    Severity.HIGH,
    "save the file as UTF-8, or declare its encoding with a `# -*- coding: ... -*-` line",
)
ENGINE_CHECKS = (SYNTAX_ERROR, BAD_SUPPRESSION, NOT_CHECKED, UNDECODABLE)
