"""The parse without node checks builds the same trees, and leaves the checks on for later."""

from __future__ import annotations

import os
from pathlib import Path

import libcst
import pytest

from hooks.engine.cst_parse import parse_module

STDLIB = Path(os.__file__).parent


def test_the_unchecked_parse_builds_the_tree_the_checked_one_does() -> None:
    paths = sorted((STDLIB / "email").glob("*.py")) + [STDLIB / "tarfile.py", STDLIB / "ast.py"]
    compared = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        fast = parse_module(libcst, text)
        assert fast.deep_equals(libcst.parse_module(text)), path
        assert fast.code == text
        compared += 1
    assert compared > 20


def test_nodes_built_after_the_parse_are_checked_again() -> None:
    parse_module(libcst, "x = 1\n")
    with pytest.raises(libcst.CSTValidationError):
        libcst.SimpleWhitespace("x")  # not whitespace


def test_the_checks_come_back_when_the_parse_fails() -> None:
    with pytest.raises(libcst.ParserSyntaxError):
        parse_module(libcst, "def (:\n")
    with pytest.raises(libcst.CSTValidationError):
        libcst.SimpleWhitespace("x")
