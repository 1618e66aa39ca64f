"""Patterns compiled on first use behave as compiled ones, and cost nothing until then."""

from __future__ import annotations

import re

import pytest

from hooks.engine.lazyre import lazy_re


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    text = "token=abc123; Token=XYZ"
    for flags in (0, re.IGNORECASE):
        lazy, eager = (
            lazy_re(r"(?P<key>token)=(\w+)", flags),
            re.compile(r"(?P<key>token)=(\w+)", flags),
        )
        assert lazy.search(text).span() == eager.search(text).span()  # type: ignore[union-attr]
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
        assert lazy.findall(text) == eager.findall(text)
        assert lazy.sub("<\\g<key>>", text) == eager.sub("<\\g<key>>", text)
        assert lazy.subn("-", text, count=1) == eager.subn("-", text, count=1)
        assert lazy.split(text) == eager.split(text)
        assert (lazy.match(text) is None) == (eager.match(text) is None)
        assert lazy.fullmatch("token=1") is not None and lazy.fullmatch("x") is None
        assert (lazy.pattern, lazy.flags & re.IGNORECASE) == (eager.pattern, flags)
        assert lazy.groupindex == eager.groupindex and lazy.groups == 2
    assert lazy_re(rb"\x00+").search(b"a\x00\x00") is not None


def test_a_pattern_is_compiled_on_its_first_use_not_before() -> None:
    broken = lazy_re("(unclosed")
    assert broken.pattern == "(unclosed", "reading the source compiles nothing"
    with pytest.raises(re.error):
        broken.search("anything")
