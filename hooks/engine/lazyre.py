"""Regular expressions compiled on first use.

Compiling is Python code (the stdlib's regex parser and compiler), and about half of what
importing a hook module costs is its patterns; a run uses few of them, since most hooks meet
nothing in most changes. A hook's module-level patterns are made with `lazy_re`, which compiles
on the first search, match or substitution.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Generic, Optional


class LazyPattern(Generic[AnyStr]):
    """A compiled pattern's methods, compiling it on first call."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern: AnyStr = pattern
        self.flags = flags
        self._compiled: Optional[re.Pattern[AnyStr]] = None

    def compiled(self) -> re.Pattern[AnyStr]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, *args: Any) -> Any:
        return self.compiled().search(*args)

    def match(self, *args: Any) -> Any:
        return self.compiled().match(*args)

    def fullmatch(self, *args: Any) -> Any:
        return self.compiled().fullmatch(*args)

    def finditer(self, *args: Any) -> Any:
        return self.compiled().finditer(*args)

    def findall(self, *args: Any) -> Any:
        return self.compiled().findall(*args)

    def sub(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().sub(*args, **kwargs)

    def subn(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().subn(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().split(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # groups, groupindex: rare
        return getattr(self.compiled(), name)


def lazy_re(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done on first use; typed as the pattern it stands for."""
    made: Any = LazyPattern(pattern, flags)
    return made  # type: ignore[no-any-return]
