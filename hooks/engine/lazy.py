"""libcst, imported on first use.

Rule modules are imported on every run so the registry can read their trigger words; importing
libcst costs more than the rest of a clean commit, so they reach it through this module instead.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any


class _LazyModule(ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._target = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._target)
        value = getattr(module, attr)
        setattr(self, attr, value)
        return value


if TYPE_CHECKING:
    import libcst as cst
else:
    cst = _LazyModule("libcst")
