"""What kind of file a path and its bytes are, cheaply: the fast path (fastpath.py) asks too,
before anything heavier than this module is imported."""

from __future__ import annotations

BINARY_SNIFF = 8192
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


def is_binary(data: bytes) -> bool:
    """Git's own test: a NUL byte near the start means the file is not text."""
    return b"\0" in data[:BINARY_SNIFF]


def is_python(path: str, data: bytes) -> bool:
    """A Python source file: by its suffix, or by a `#!...python` first line (scripts)."""
    if path.endswith(PYTHON_SUFFIXES):
        return True
    return (
        data.startswith(b"#!") and b"python" in data[: data.find(b"\n") if b"\n" in data else 200]
    )
