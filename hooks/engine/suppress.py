"""Inline suppressions: `# diffwarden: ignore[DW102] why this is safe`.

Strict on purpose: a code and a reason are required, and a comment that starts like a
suppression but is not one is reported (DW002) instead of silently suppressing everything.
Comments are found with tokenize, so text inside strings is never mistaken for one.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Collection, Dict, Iterator, List, Set, Tuple

from hooks.engine.source import lines_of

# the tool's name and a colon, or the name and `ignore` with the colon forgotten
MARKER = re.compile(r"diffwarden(?:\s*:|\W*ignore)", re.IGNORECASE)
STRICT = re.compile(r"diffwarden: ignore\[(?P<codes>[A-Z]+\d+(?:, ?[A-Z]+\d+)*)\](?P<reason>.*)$")


@dataclass(frozen=True)
class BadSuppression:
    line: int
    col: int
    problem: str


@dataclass
class Suppressions:
    by_line: Dict[int, Set[str]] = field(default_factory=dict)
    malformed: List[BadSuppression] = field(default_factory=list)

    def covers(self, code: str, lines: Collection[int]) -> bool:
        return any(code in self.by_line.get(line, ()) for line in lines)

    def outside(self, lines: Collection[int]) -> Suppressions:
        """These suppressions less those on `lines` (which do not count)."""
        kept = {line: codes for line, codes in self.by_line.items() if line not in lines}
        return Suppressions(kept, self.malformed)


def _comments(text: str, python: bool) -> Iterator[Tuple[int, int, str]]:
    """(line, column, text) of each comment that may hold a suppression.

    Python comments come from tokenize, so text inside strings never counts. Other files have no
    grammar we know: any line holding the marker counts, from the marker on.
    """
    if not python:
        for number, line in enumerate(lines_of(text), start=1):
            marker = MARKER.search(line)
            if marker is not None:
                yield number, marker.start(), line[marker.start() :]
        return
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return  # the file does not tokenize; DW001 already says so
    for token in tokens:
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.start[1], token.string


def parse(text: str, known_codes: Collection[str], python: bool = True) -> Suppressions:
    found = Suppressions()
    if "diffwarden" not in text.lower():
        return found
    for line, start, comment in _comments(text, python):
        marker = MARKER.search(comment)
        if marker is None:
            continue
        col = start + marker.start()
        problem = _problem(comment[marker.start() :], known_codes)
        if isinstance(problem, str):
            if python:  # elsewhere the marker may just be prose (a README, a log)
                found.malformed.append(BadSuppression(line, col + 1, problem))
        else:
            found.by_line.setdefault(line, set()).update(problem)
    return found


def _problem(comment: str, known_codes: Collection[str]) -> "str | Set[str]":
    """The codes a well-formed suppression names, or what is wrong with it."""
    match = STRICT.match(comment.strip())
    if match is None:
        return "malformed suppression; write `# diffwarden: ignore[DW102] reason`"
    codes = {c.strip() for c in match.group("codes").split(",")}
    unknown = sorted(codes - set(known_codes))
    if unknown:
        return f"suppression names unknown code {', '.join(unknown)}"
    if not match.group("reason").strip():
        return f"suppression of {', '.join(sorted(codes))} gives no reason; say why it is safe"
    return codes
