"""What a file must hold for a rule to want it, as data: checked before anything is parsed, and by
the clean commit's fast path without importing a rule.

One alternation of every trigger costs the regex engine a try of each branch at each byte (about
100 ms on a 3,000-line commit). Here whole words are one set intersection with the file's words
(`bytes.translate` and `split`, at C speed), case-insensitive keywords are substrings of the
lower-cased bytes, and the few regular expressions left are searched one by one, where the engine
can skip ahead to their first character.
"""

from __future__ import annotations

import re

# typing costs a few ms to import, and the fast path of a clean commit has about 30 to spend:
# the annotations are strings (see the __future__ import), so only the type checker needs it
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Iterable, List, Tuple


# every byte that is not a regex \w byte ([A-Za-z0-9_]) becomes a space
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACES = bytes(byte if byte in _WORD_BYTES else 32 for byte in range(256))


def is_word(text: str) -> bool:
    """Can `text` be matched as a whole \\w word (`\\btext\\b`)?"""
    return bool(text) and all(ord(c) < 128 and ord(c) in _WORD_BYTES for c in text)


class Prefilter:
    """Matches when any part does: a whole word, a folded substring, a pattern, or a run.

    words: whole words, as `\\bword\\b` would find them.
    folded: lower-case ASCII substrings, found in any case.
    patterns: bytes regexes.
    runs: (gate, check) pairs: a match of the regex `gate` that the regex `check` finds
          something in.
    """

    __slots__ = ("words", "folded", "patterns", "runs")

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

    def matches(self, data: bytes) -> bool:
        if self.words and not self.words.isdisjoint(data.translate(_SPACES).split()):
            return True
        if self.folded:
            lowered = data.lower()
            if any(part in lowered for part in self.folded):
                return True
        if any(re.search(pattern, data) for pattern in self.patterns):
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

    def to_json(self) -> Dict[str, List[Any]]:
        return {
            "words": sorted(w.decode("latin-1") for w in self.words),
            "folded": [f.decode("latin-1") for f in self.folded],
            "patterns": [p.decode("latin-1") for p in self.patterns],
            "runs": [[g.decode("latin-1"), c.decode("latin-1")] for g, c in self.runs],
        }

    @classmethod
    def from_json(cls, data: Dict[str, List[Any]]) -> Prefilter:
        """The inverse of to_json; raises KeyError, TypeError or ValueError on anything else."""

        def raw(items: Iterable[Any]) -> List[bytes]:
            return [str(item).encode("latin-1") for item in items]

        runs = [(gate, check) for gate, check in (raw(pair) for pair in data["runs"])]
        return cls(raw(data["words"]), raw(data["folded"]), raw(data["patterns"]), runs)


def of_triggers(triggers: Iterable[str], shapes: Iterable[str]) -> Prefilter:
    """Python rules' trigger words (`\\bword\\b`) and shape regexes."""
    words, patterns = [], [shape.encode() for shape in shapes]
    for trigger in triggers:
        if is_word(trigger):
            words.append(trigger.encode())
        else:
            patterns.append(rb"\b" + re.escape(trigger.encode()) + rb"\b")
    return Prefilter(words=words, patterns=patterns)
