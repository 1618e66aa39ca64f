"""The prefilter decides which files are read at all: it must say yes exactly when the single
regular expressions it replaced did (a trigger as a whole word, a shape, a secret's sign)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import List, Tuple

import pytest

from hooks import secrets
from hooks.engine import registry
from hooks.engine.prefilter import SPACES, Prefilter, fast_start, gate_of
from hooks.engine.rule import TextRule
from hooks.engine.runner import trigger_pattern, trigger_prefilter

STDLIB = Path(os.__file__).parent
SOURCES = ["subprocess.py", "smtplib.py", "ssl.py", "tarfile.py", "logging/__init__.py"]
EDGES = [
    "", "eval", "evaluate(x)", "x.eval()", "_eval", "eval_", "é eval", "evalé", "0.0.0.0",
    "10.0.0.01", "verify=False", "verify = False", "verify==False", "api_KEY = 1", "ApiKey",
    "PRIVATEKEY", "Pass", "-----BEGIN RSA", "https://u:p@host", "https://host:80/x",
    "a" * 25, "A" * 25, "a" * 19 + "1", "a" * 24 + "1", "Aa" * 10, "aB" * 10 + "=",
    "x-" * 11, "==" * 11 + "1", "/" * 30 + "a1", "except: pass", "except  :\n  # x\n  pass",
    "print(user.password)", "logging.info(\n  x,\n  token)", "assert user.is_admin",
]  # fmt: skip


def corpus() -> List[bytes]:
    """Every line of a few stdlib modules, every rule example, and edge cases, one by one."""
    lines = [
        line for name in SOURCES for line in (STDLIB / name).read_bytes().splitlines(keepends=True)
    ]
    examples = [e.code.encode() for rule in registry.all_rules() for e in rule.examples]
    return lines + examples + [edge.encode() for edge in EDGES]


@pytest.fixture(scope="module")
def texts() -> List[bytes]:
    return corpus()


def test_python_rules_prefilter_agrees_with_one_regex_of_every_trigger(
    texts: List[bytes],
) -> None:
    rules = [(r, dict(r.options)) for r in registry.all_rules() if not issubclass(r, TextRule)]
    prefilter = trigger_prefilter(rules)
    regex = re.compile(trigger_pattern(rules).pattern.encode())
    said = [prefilter.matches(text) for text in texts]
    assert said == [regex.search(text) is not None for text in texts]
    assert 0 < sum(said) < len(said)


def test_secrets_prefilter_agrees_with_its_candidate_regex(texts: List[bytes]) -> None:
    said = [secrets.PREFILTER.matches(text) for text in texts]
    assert said == [secrets.CANDIDATES.search(text) is not None for text in texts]
    assert 0 < sum(said) < len(said)


def test_a_prefilter_survives_its_json_form() -> None:
    prefilter = Prefilter(
        words=[b"eval"], folded=[b"token"], patterns=[rb"\x80"], runs=[(rb"\w{3,}", rb"\d")]
    )
    again = Prefilter.from_json(prefilter.to_json())
    for text in (b"eval", b"TOKEN", b"\x80", b"ab1", b"abc", b"x"):
        assert again.matches(text) == prefilter.matches(text)
    assert [again.matches(t) for t in (b"x = TOKEN", b"abc", b"ab1c")] == [True, False, True]


def test_a_manifest_prefilter_with_needles_agrees_with_the_rules_own(texts: List[bytes]) -> None:
    """The needles only skip searches: what the JSON form says equals what the rules say."""
    rules = [(r, dict(r.options)) for r in registry.all_rules() if not issubclass(r, TextRule)]
    original = trigger_prefilter(rules)
    for rule in registry.all_rules():
        if issubclass(rule, TextRule) and rule(dict(rule.options)).prefilter is not None:
            original = original | rule(dict(rule.options)).prefilter  # type: ignore[operator]
    loaded = Prefilter.from_json(original.to_json())
    assert loaded.needles, "some pattern has a needle"
    assert [loaded.matches(t) for t in texts] == [original.matches(t) for t in texts]


@pytest.mark.parametrize(
    "pattern, needles",
    [
        (rb"\bverify=False\b", [(False, [b"verify=False"])]),
        (rb"\bimport\b[^\n]*\blisten\b", [(False, [b"import"]), (False, [b"listen"])]),
        (rb"site-packages|init\.d", [(False, [b"init.d", b"site-packages"])]),
        (rb"(?:ab)+cd", [(False, [b"ab"]), (False, [b"cd"])]),
        (rb"(?:ab)*cd", [(False, [b"cd"])]),  # a repeat that may match nothing needs nothing
        (rb"(?i)ToKen", [(True, [b"token"])]),  # in any case
        (rb"print\b.*(?i:Pass|pwd)", [(False, [b"print"]), (True, [b"pass", b"pwd"])]),
        (rb"abc|(?i:DEF)", [(True, [b"abc", b"def"])]),
        (rb"[\x80-\xff]", []),
        (rb"a|[0-9]", []),  # one branch without a literal: nothing is needed
    ],
)
def test_needles_are_what_every_match_must_hold(
    pattern: bytes, needles: "List[Tuple[bool, List[bytes]]]"
) -> None:
    from hooks.engine.prefilter import needles_of

    assert needles_of(pattern) == needles


def test_a_text_rule_said_to_read_only_python_files_wants_no_other() -> None:
    """The fast path tests such a rule's prefilter on Python files alone (fastpath.Manifest)."""
    rules = [r for r in registry.all_rules() if issubclass(r, TextRule) and r.python_only]
    assert rules
    for rule in rules:
        checker = rule(dict(rule.options))
        for example in rule.examples:
            data = example.code.encode()
            assert not checker.wants("notes/README.md", data)
            assert not checker.wants("deploy/config.yaml", data)


@pytest.mark.parametrize(
    "pattern, starts",
    [
        (r"\bexcept\b[^\n]*:[ \t]*pass", "except(?<!\\wexcept)"),
        (r"\b0\.0\.0\.0\b", "0(?<!\\w0)"),
        (r"\bverify=False\b|\bself", "verify(?<!\\wverify)"),
        (r"\bpasswords?\b", "password(?<!\\wpassword)"),  # `s?` repeats the last letter
        (r"\bs?elf", None),  # no literal to start with: unchanged
        (r"\b\d+\.\d", None),
        (r"(?i)\bpass", None),
    ],
)
def test_fast_start_finds_the_same_matches_from_a_leading_literal(
    pattern: str, starts: "str | None", texts: List[bytes]
) -> None:
    fast = fast_start(pattern)
    assert fast == pattern if starts is None else fast.startswith(starts), fast
    plain, quick = re.compile(pattern), re.compile(fast)
    decoded = [text.decode("utf-8", "replace") for text in texts]
    spans = [[m.span() for m in plain.finditer(text)] for text in decoded]
    assert spans == [[m.span() for m in quick.finditer(text)] for text in decoded]
    assert any(spans) or starts is None


def test_a_gate_is_a_whole_word_of_every_text_its_pattern_matches(texts: List[bytes]) -> None:
    """A pattern is searched only in a file whose words hold its gate: it must be in each."""
    rules = [(r, dict(r.options)) for r in registry.all_rules() if not issubclass(r, TextRule)]
    prefilter = trigger_prefilter(rules)
    assert len(prefilter.gates) > 50  # DW805's hosts among them
    matched = 0
    for pattern, gate in prefilter.gates.items():
        for text in texts:
            if re.search(pattern, text):
                assert gate in text.translate(SPACES).split(), (pattern, text)
                matched += 1
    assert matched > 20
    assert gate_of(fast_start(r"\bpastebin\.com\b")) == "pastebin"
    assert gate_of(fast_start(r"\bpasswords?\b")) is None  # `passwords` starts no whole word
    assert gate_of(fast_start(r"\bdef\w*")) is None


def test_every_rules_pattern_has_its_needles_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run reads its patterns' needles from the generated table, without parsing a regex
    (the table being up to date is test_packaging's business); others are parsed."""
    from hooks.engine import narrow, prefilter
    from hooks.engine.runner import words_and_shapes

    python = [(rule, {}) for rule in registry.all_rules() if not issubclass(rule, TextRule)]
    patterns = list(trigger_prefilter(python).patterns)
    shapes = [s.encode() for rule in python for s in words_and_shapes([rule])[1]]
    assert len(patterns) > 50 and len(shapes) > 50
    monkeypatch.setattr(prefilter, "needles_of", lambda pattern: pytest.fail(f"parsed {pattern!r}"))
    shipped = [prefilter.known_needles(pattern) for pattern in [*patterns, *shapes]]
    assert sum(1 for needles in shipped if needles) > 100
    assert narrow.Triggers.of([], [shape.decode() for shape in shapes]).shapes
    monkeypatch.undo()
    unknown = prefilter.known_needles(rb"not(?<!\wnot)-a-rule's\s+shape")
    assert unknown == [(False, [b"-a-rule's"]), (False, [b"shape"]), (False, [b"not"])]


@pytest.mark.parametrize("text", ["", "_", "eval", "__init__", "A1_", "a-b", "x.y", "é", "ſ", "²"])
def test_a_word_is_what_an_ascii_backslash_w_run_matches(text: str) -> None:
    from hooks.engine.prefilter import is_word

    assert is_word(text) is bool(re.fullmatch(r"(?a)\w+", text))
