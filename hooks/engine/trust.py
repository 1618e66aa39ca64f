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
    # sent by whoever makes the web request (its data, a view's URL parameters), as opposed to
    # what the person running the program controls (argv, input(), the environment, parameters)
    remote: bool = False
    # the sink-specific sanitiser that made an untrusted value SAFE (origin.py SANITISERS_BY_SINK)
    sanitiser: str = ""

    def worse(self, other: Origin) -> Origin:
        """The worse of two parts: less trusted first, then remote, then only sink-specific
        cleaning (so a sink that the sanitiser does not cover can still see the source)."""
        mine = (self.trust, self.remote, bool(self.sanitiser))
        return other if (other.trust, other.remote, bool(other.sanitiser)) > mine else self
