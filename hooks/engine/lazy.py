"""libcst, imported on first use.

Rule modules are imported on every run so the registry can read their trigger words; importing
libcst costs more than the rest of a clean commit, so they reach it through this module instead.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

__all__ = ["cst"]


class _LazyLibcst(ModuleType):
    def __getattr__(self, attr: str) -> Any:
        from hooks.engine.methods_cache import import_libcst

        value = getattr(import_libcst(), attr)
        setattr(self, attr, value)
        return value


if TYPE_CHECKING:
    import libcst as cst
else:
    cst = _LazyLibcst("libcst")
