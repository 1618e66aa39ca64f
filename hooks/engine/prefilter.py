"""What a file must hold for a rule to want it, as data: checked before anything is parsed, and by
the clean commit's fast path without importing a rule.

One alternation of every trigger costs the regex engine a try of each branch at each byte (about
100 ms on a 3,000-line commit). Here whole words are one set intersection with the file's words
(`bytes.translate` and `split`, at C speed), case-insensitive keywords are substrings of the
lower-cased bytes, and the few regular expressions left are searched one by one, where the engine
can skip ahead to their first character. Each expression also has the
literal substrings one of which every match holds (`needles`, found on first use or read from
the manifest): where none occurs, a plain substring test at C speed settles it, and the
expression is neither compiled nor searched.
"""

from __future__ import annotations

import functools
import importlib
import re

# typing costs a few ms to import, and the fast path of a clean commit has about 30 to spend:
# the annotations are strings (see the __future__ import), so only the type checker needs it
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

    # (folded, substrings): a match holds one of the substrings, in any case when folded
    Needles = Tuple[bool, List[bytes]]


# every byte that is not a regex \w byte ([A-Za-z0-9_]) becomes a space
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
SPACES = bytes(byte if byte in _WORD_BYTES else 32 for byte in range(256))
# any byte outside ASCII: `bytes.isascii` answers it at C speed, without the regex engine
NON_ASCII = rb"[\x80-\xff]"


def is_word(text: str) -> bool:
    """Can `text` be matched as a whole \\w word (`\\btext\\b`)?"""
    return text.isascii() and text.replace("_", "a").isalnum()  # ASCII: isalnum is [A-Za-z0-9]


class Prefilter:
    """Matches when any part does: a whole word, a folded substring, a pattern, or a run.

    words: whole words, as `\\bword\\b` would find them.
    folded: lower-case ASCII substrings, found in any case.
    patterns: bytes regexes.
    runs: (gate, check) pairs: a match of the regex `gate` that the regex `check` finds
          something in.
    needles: pattern -> substrings, one of which is in every match of the pattern.
    gates: pattern -> the whole word every match of it begins with (gate_of): a set lookup,
           where a needle is a search of the whole file (found on first use, or read from
           the manifest like the needles).
    """

    __slots__ = ("words", "folded", "patterns", "runs", "needles", "_gates")

    def __init__(
        self,
        words: Iterable[bytes] = (),
        folded: Iterable[bytes] = (),
        patterns: Iterable[bytes] = (),
        runs: Iterable[Tuple[bytes, bytes]] = (),
    ) -> None:
        self.words: FrozenSet[bytes] = frozenset(words)
        self.folded: Tuple[bytes, ...] = tuple(sorted(set(folded)))
        self.patterns: Tuple[bytes, ...] = tuple(sorted(set(patterns)))
        self.runs: Tuple[Tuple[bytes, bytes], ...] = tuple(sorted(set(runs)))
        self.needles: Dict[bytes, List[Needles]] = {}
        self._gates: Optional[Dict[bytes, bytes]] = None  # found on first use, or read

    @property
    def gates(self) -> Dict[bytes, bytes]:
        if self._gates is None:
            found = ((p, gate_of(p.decode("latin-1"))) for p in self.patterns)
            self._gates = {p: gate.encode() for p, gate in found if gate is not None}
        return self._gates

    def matches(self, data: bytes) -> bool:
        gates = self.gates
        words = set(data.translate(SPACES).split()) if self.words or gates else set()
        if not self.words.isdisjoint(words):
            return True
        lowered = data.lower() if self.folded or self.patterns else data
        if any(part in lowered for part in self.folded):
            return True
        for pattern in self.patterns:
            gate = gates.get(pattern)
            if gate is not None and gate not in words:
                continue
            if pattern == NON_ASCII:
                if not data.isascii():
                    return True
                continue
            needs = self.needles.get(pattern)
            if needs is None:
                needs = self.needles[pattern] = known_needles(pattern)
            if _holds(data, lowered, needs) and re.search(pattern, data):
                return True
        return any(
            re.search(check, found.group())
            for gate, check in self.runs
            for found in re.finditer(gate, data)
        )

    def __or__(self, other: Prefilter) -> Prefilter:
        return Prefilter(
            self.words | other.words,
            self.folded + other.folded,
            self.patterns + other.patterns,
            self.runs + other.runs,
        )

    def to_json(self, fresh: bool = False) -> Dict[str, List[Any]]:
        """Each pattern goes with its needles, found here once rather than on every read (from
        the shipped table unless `fresh`: the generator of that table asks fresh)."""

        def text(items: Iterable[bytes]) -> List[str]:
            return [item.decode("latin-1") for item in items]

        return {
            "words": sorted(text(self.words)),
            "folded": text(self.folded),
            "patterns": [[p.decode("latin-1"), needles_json(p, fresh)] for p in self.patterns],
            "runs": [text(pair) for pair in self.runs],
            "gates": [text(pair) for pair in sorted(self.gates.items())],
        }

    @classmethod
    def from_json(cls, data: Dict[str, List[Any]]) -> Prefilter:
        """The inverse of to_json; raises KeyError, TypeError or ValueError on anything else."""

        def raw(items: Iterable[Any]) -> List[bytes]:
            return [str(item).encode("latin-1") for item in items]

        runs = [(gate, check) for gate, check in (raw(pair) for pair in data["runs"])]
        patterns = {
            pattern.encode("latin-1"): [(bool(folded), raw(needles)) for folded, needles in needs]
            for pattern, needs in data["patterns"]
        }
        made = cls(raw(data["words"]), raw(data["folded"]), list(patterns), runs)
        made.needles = patterns
        made._gates = {pattern: gate for pattern, gate in map(raw, data["gates"])}
        return made


def of_triggers(triggers: Iterable[str], shapes: Iterable[str]) -> Prefilter:
    """Python rules' trigger words (`\\bword\\b`) and shape regexes."""
    words, patterns = [], [fast_start(shape).encode() for shape in shapes]
    for trigger in triggers:
        if is_word(trigger):
            words.append(trigger.encode())
        else:
            patterns.append(fast_start(r"\b" + re.escape(trigger) + r"\b").encode())
    return Prefilter(words=words, patterns=patterns)


# compiled on first use (re's own cache), not on the clean commit's fast path, which never
# asks: the shipped manifests carry every pattern's fast form and gate
_LEADING_WORD = r"(?a)\\b(\w+)"
# fast_start's form, the word followed by what cannot go on with it: \b, or a literal non-word
_GATED = r"(?a)(\w+)\(\?<!\\w\1\)(?:\\b|\\[.\-]|[=:/ ,;])"


def fast_start(pattern: str) -> str:
    """`\\bword...` as `word(?<!\\wword)...`: the same matches, found many times faster. The
    regex engine jumps from one occurrence of a pattern's leading literal to the next at C
    speed; a leading `\\b` is tried at every position instead."""
    found = re.match(_LEADING_WORD, pattern)
    if found is None:
        return pattern
    run, rest = found.group(1), pattern[found.end() :]
    if rest[:1] in ("*", "+", "?", "{"):  # the run's last character is repeated: not literal
        run, rest = run[:-1], run[-1:] + rest
    return f"{run}(?<!\\w{run}){rest}" if run else pattern


def gate_of(pattern: str) -> Optional[str]:
    """The whole word (ASCII, as the words of SPACES split) that every match of `pattern`
    begins with, if fast_start gave it one: `pastebin(?<!\\wpastebin)\\.com` -> pastebin."""
    found = re.match(_GATED, pattern)
    return found.group(1) if found else None


# an alternation of words costs the regex engine a try of each at every byte; a substring test
# skips ahead at C speed, so even many of them cost less, up to about this many
MAX_NEEDLES = 128


def known_needles(pattern: bytes) -> List[Needles]:
    """`needles_of(pattern)`, read from the table generated with the manifests when it holds
    the pattern: parsing the rules' hundred-odd patterns again cost every run that gets past
    the fast path about 20 ms (a test keeps the table up to date)."""
    found = _shipped_needles().get(pattern)
    return needles_of(pattern) if found is None else found


@functools.lru_cache(maxsize=1)
def _shipped_needles() -> Dict[bytes, List[Needles]]:
    """The manifests' patterns with their needles, and the rules' other shapes (NEEDLES)."""
    from hooks.engine.manifests import MANIFESTS, NEEDLES

    parts = [m[part]["patterns"] for m in MANIFESTS.values() for part in ("anywhere", "python")]
    listed = [*(item for patterns in parts for item in patterns), *NEEDLES.items()]
    return {
        pattern.encode("latin-1"): [
            (bool(folded), [n.encode("latin-1") for n in needles]) for folded, needles in needs
        ]
        for pattern, needs in listed
    }


def needles_json(pattern: bytes, fresh: bool = True) -> List[Any]:
    """`needles_of(pattern)` (`known_needles` unless `fresh`) as the manifests write it."""
    found = needles_of(pattern) if fresh else known_needles(pattern)
    return [[int(folded), [n.decode("latin-1") for n in needs]] for folded, needs in found]


def needles_of(pattern: bytes) -> List[Needles]:
    """Sets of literal substrings such that every match of `pattern` holds one of each set
    (in any case, for a set from a case-insensitive part); empty when none is known."""
    try:
        parser: Any = importlib.import_module("re._parser")  # Python 3.11+
    except ImportError:
        parser = importlib.import_module("sre_parse")
    try:
        parsed = parser.parse(pattern)
    except Exception:  # an odd pattern only loses its shortcut
        return []
    found = _required(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    needs = [(folded, sorted(set(needles))) for folded, needles in found]
    return sorted(needs, key=lambda need: -min(map(len, need[1])))  # the rarest asked first


def _required(items: List[Tuple[Any, Any]], folded: bool) -> List[Needles]:
    """What a sequence of parsed items needs: each run of literals, and what the groups, the
    alternations and the repeats that must match at least once need."""
    needs: List[Needles] = []
    run = bytearray()
    for op, value in items:
        kind = str(op)
        if kind == "LITERAL" and (value < 128 or not folded):
            run.append(value)
            continue
        if run:
            needs.append((folded, [bytes(run).lower() if folded else bytes(run)]))
            run = bytearray()
        if kind == "SUBPATTERN" and not value[2] & re.IGNORECASE:
            needs.extend(_required(list(value[3]), folded or bool(value[1] & re.IGNORECASE)))
        elif kind in ("MAX_REPEAT", "MIN_REPEAT") and value[0] >= 1:
            needs.extend(_required(list(value[2]), folded))
        elif kind == "BRANCH":
            branches = [_rarest(_required(list(branch), folded)) for branch in value[1]]
            if all(branches):
                needs.append(_either([branch for branch in branches if branch]))
    if run:
        needs.append((folded, [bytes(run).lower() if folded else bytes(run)]))
    return [need for need in needs if len(set(need[1])) <= MAX_NEEDLES]


def _rarest(needs: List[Needles]) -> Optional[Needles]:
    """The set whose shortest needle is longest: likely the rarest in ordinary text."""
    return max(needs, key=lambda need: min(map(len, need[1])), default=None)


def _either(branches: List[Needles]) -> Needles:
    """One set for an alternation; folded for all when one branch is (a case-sensitive match
    is also one in any case)."""
    if any(folded for folded, _ in branches):
        return True, [needle.lower() for _, needles in branches for needle in needles]
    return False, [needle for _, needles in branches for needle in needles]


def _holds(data: bytes, lowered: bytes, needs: List[Needles]) -> bool:
    return all(
        any(needle in (lowered if folded else data) for needle in needles)
        for folded, needles in needs
    )
