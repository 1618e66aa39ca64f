"""Reading a file the way Python would: PEP 263 cookies, BOMs, and a clear word when it can't."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from typing import List

from hooks.engine.kinds import BINARY_SNIFF, PYTHON_SUFFIXES, is_binary, is_python

__all__ = ["BINARY_SNIFF", "PYTHON_SUFFIXES", "is_binary", "is_python"]


@dataclass(frozen=True)
class Source:
    """A file to check: its path as shown to the user, and its bytes."""

    path: str
    data: bytes


def lines_of(text: str) -> List[str]:
    """The lines of `text` as git and Python number them: split at "\\n" only.

    `str.splitlines` also splits at form feeds (PEP 8's page breaks), vertical tabs and Unicode
    separators, which shifts every later line number off the lines a diff names.
    """
    return text.split("\n")


class DecodeError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def encoding_of(data: bytes) -> str:
    """The encoding the interpreter reads `data` with (`utf-8-sig` when it starts with a BOM)."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as exc:
        raise DecodeError(str(exc), 1) from None


def decode(data: bytes) -> str:
    """Decode as the interpreter would, raising DecodeError with the line of the first bad byte."""
    encoding = encoding_of(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DecodeError(
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid {encoding}", line
        ) from None
    return text
