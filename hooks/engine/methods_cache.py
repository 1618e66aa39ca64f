"""Dataclass methods compiled once, not on every run: libcst's above all.

libcst's node types are a few hundred frozen dataclasses. For each one, `dataclasses` writes
the source of `__init__`, `__repr__`, `__eq__`, `__hash__` and the frozen `__setattr__` and
compiles it with `exec`: about 1,000 compilations, 40% of `import libcst` (0.1-0.15 s of
0.3 s here), repeated by every process, since they are not module code and get no .pyc. The
engine's own dataclasses and the hooks' cost the same way, less.

This keeps their code objects the way Python keeps a module's bytecode: in a file under
`__pycache__` (or PYTHONPYCACHEPREFIX) named for the interpreter, written only where Python
would write bytecode (not with PYTHONDONTWRITEBYTECODE). Entries are keyed by the exact source
text, so a cached code object is the one `exec` would have compiled; a missing, stale or
unreadable file only costs the compilations. Results are unaffected: this is bytecode, not the
results cache that `--no-cache` turns off.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import marshal
import os
import sys
from types import CodeType, ModuleType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional

# names a file beside our bytecode; there is no such source file, so nothing else reads it
_PSEUDO_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dataclass_methods.py")
_active: List[str] = []  # the one cache in use: what runs inside it is already covered


def cache_path() -> str:
    """Where Python would put the bytecode of `hooks/engine/dataclass_methods.py`, as .marshal."""
    return importlib.util.cache_from_source(_PSEUDO_SOURCE)[: -len(".pyc")] + ".marshal"


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """Dataclasses made inside get their methods from the cache; new ones are added to it."""
    if _active:
        yield
        return
    import dataclasses

    path = cache_path()
    known = _read(path)
    fresh: Dict[str, bytes] = {}

    def cached_exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
        if not isinstance(source, str):  # dataclasses hands over text: anything else as usual
            return builtins.exec(source, globals_, locals_)  # diffwarden: ignore[DW101] as called
        raw = known.get(source)
        code = _loads(raw) if raw is not None else None
        if raw is None or code is None:  # as `exec` compiles it: no __future__ flags of ours
            code = compile(  # diffwarden: ignore[DW101] dataclasses' own source
                source, "<string>", "exec", dont_inherit=True
            )
            fresh[source] = marshal.dumps(code)
        return builtins.exec(code, globals_, locals_)  # diffwarden: ignore[DW101] dataclasses' own

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    _active.append(path)
    try:
        yield
    finally:
        _active.pop()
        del dataclasses.exec  # type: ignore[attr-defined]
        if fresh and not sys.dont_write_bytecode:
            _write(path, {**known, **fresh})


def import_libcst() -> ModuleType:
    """`import libcst`, with the dataclass methods it generates read from the cache."""
    if "libcst" not in sys.modules:
        with compiled_once():
            import libcst  # noqa: F401
    return sys.modules["libcst"]


def _read(path: str) -> Dict[str, bytes]:
    try:
        with open(path, "rb") as handle:
            if handle.read(len(importlib.util.MAGIC_NUMBER)) != importlib.util.MAGIC_NUMBER:
                return {}
            table = marshal.load(handle)  # diffwarden: ignore[DW201] ours, trusted as a .pyc
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def _loads(raw: bytes) -> Optional[CodeType]:
    try:
        code = marshal.loads(raw)  # diffwarden: ignore[DW201] ours, trusted as a .pyc
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _write(path: str, table: Dict[str, bytes]) -> None:
    """Atomically, as several hook processes may start at once; a read-only install keeps
    compiling."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(importlib.util.MAGIC_NUMBER)
            marshal.dump(table, handle)
        os.replace(temporary, path)
    except OSError:
        try:
            os.remove(temporary)
        except OSError:
            pass
