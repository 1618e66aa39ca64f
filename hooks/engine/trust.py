"""How far a value can be trusted: the vocabulary of origin.py, without importing libcst."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    import libcst as cst


class Trust(enum.IntEnum):
    """Ordered so that combining values keeps the worst: max() of the parts."""

    SAFE = 0  # constant, or sanitised
    UNKNOWN = 1  # computed from something we cannot follow
    UNTRUSTED = 2


@dataclass(frozen=True)
class Origin:
    trust: Trust
    source: str = ""  # what it comes from, as the message says it: "`request.args`"
    node: Optional[cst.CSTNode] = None  # where the untrusted value enters the function
    via: str = ""  # the local name it reached the sink through

    def worse(self, other: Origin) -> Origin:
        return other if other.trust > self.trust else self
