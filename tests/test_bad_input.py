"""Bad input gets one clear finding or one error line and the right exit code, never a traceback."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Tuple, Union

import pytest

from cli_helpers import NO_CONFIG, Run, run_cli, write
from conftest import commit_all, git

FILE_SCOPE = ("--scope", "file")
DIFF_SCOPE: Tuple[str, ...] = ()  # the default: what `git diff --cached` adds
# each scope's arguments and the summary line's word for it
SCOPES = pytest.mark.parametrize(
    "scope, described",
    [(FILE_SCOPE, "whole files"), (DIFF_SCOPE, "git diff --cached")],
    ids=["file-scope", "diff-scope"],
)
RISKY = "import os\nos.system(cmd)\n"


@pytest.fixture
def project(repo: Path) -> Path:
    """A git repository with a config-free pyproject.toml, so no config above it applies."""
    write(repo / "pyproject.toml", NO_CONFIG)
    return repo


def staged(project: Path, name: str, content: Union[str, bytes]) -> None:
    write(project / name, content)
    git(project, "add", "--", name)


def syntax_error_at(text: str) -> Tuple[int, int, str]:
    """Where this interpreter puts the error, and its words (they differ across Python versions)."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.lineno or 0, exc.offset or 0, exc.msg
    raise AssertionError("the sample must not parse")


def assert_quiet(run: Run) -> None:
    assert (run.code, run.out, run.err) == (0, "", "")


@SCOPES
def test_syntax_error_is_dw001_at_its_line_and_fails(
    project: Path, scope: Tuple[str, ...], described: str
) -> None:
    text = "x = eval(a)\ndef f(:\n    pass\n"
    staged(project, "broken.py", text)
    line, col, msg = syntax_error_at(text)
    assert line == 2
    run = run_cli(project, *scope, "broken.py")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        f"broken.py:{line}:{col}: DW001 syntax error: {msg}; the file was not checked"
    )
    assert f"; scope: {described}; profile standard" in run.out
    assert "DW101" not in run.out and run.err == ""


def test_file_python_parses_but_libcst_does_not_is_a_dw003_note_that_does_not_fail(
    project: Path,
) -> None:
    staged(project, "odd.py", "(x): int = 1\ny = eval(a)\n")
    run = run_cli(project, "odd.py")
    assert run.code == 0
    assert run.out.startswith(
        "odd.py:1:1: DW003 not checked: Python parses this file but libcst does not ("
    )
    assert "DW101" not in run.out and run.err == ""


@SCOPES
def test_non_utf8_file_without_cookie_is_dw004_at_the_bad_byte_line(
    project: Path, scope: Tuple[str, ...], described: str
) -> None:
    staged(project, "latin.py", b'x = 1\ns = "caf\xe9"\ny = eval(a)\n')
    run = run_cli(project, *scope, "latin.py")
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "latin.py:2:1: DW004 cannot decode: byte 0xe9 at offset 14 is not valid utf-8"
    )
    assert f"; scope: {described}; profile standard" in run.out
    assert run.err == ""


@pytest.mark.parametrize("target", ["old_latin.py", "."], ids=["given", "in-a-folder"])
def test_undecodable_file_the_change_does_not_touch_is_not_reported_in_diff_scope(
    project: Path, target: str
) -> None:
    write(project / "old_latin.py", b's = "caf\xe9"\ny = eval(a)\n')
    commit_all(project)
    assert_quiet(run_cli(project, target))


@pytest.mark.parametrize(
    "name, content, expected",
    [
        (
            "cookie.py",
            b'# -*- coding: latin-1 -*-\ns = "\xe9\xe9"; y = eval(x)\n',
            "cookie.py:2:15: DW101",  # columns count characters, not bytes
        ),
        ("bom.py", b"\xef\xbb\xbfx = eval(a)\n", "bom.py:1:5: DW101"),
        (
            "crlf.py",
            b'import os\r\n\r\nif ready:\r\n    s = "\xc3\xa9"; os.system(cmd)\r\n',
            "crlf.py:4:14: DW103",
        ),
    ],
    ids=["pep263-latin1", "utf8-bom", "crlf"],
)
def test_file_is_decoded_as_python_would_and_the_finding_is_at_the_right_place(
    project: Path, name: str, content: bytes, expected: str
) -> None:
    staged(project, name, content)
    run = run_cli(project, name)
    assert run.code == 1
    assert run.out.splitlines()[0].startswith(expected + " ")
    assert run.err == ""


def test_binary_file_named_py_is_skipped_silently(project: Path) -> None:
    staged(project, "blob.py", RISKY.encode() + b"\0\0\x89PNG\0")
    assert_quiet(run_cli(project, *FILE_SCOPE, "blob.py"))


def test_file_over_max_file_size_is_a_dw003_note_naming_its_size(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.diffwarden]\nmax-file-size = 16\n")
    staged(project, "big.py", RISKY)
    run = run_cli(project, "big.py")
    assert run.code == 0
    assert run.out.splitlines()[0] == (
        f"big.py:1:1: DW003 not checked: file is {len(RISKY)} bytes, over max-file-size (16 bytes)"
    )


@pytest.mark.parametrize("scope", [FILE_SCOPE, DIFF_SCOPE], ids=["file-scope", "diff-scope"])
def test_missing_path_is_one_error_line_naming_it(project: Path, scope: Tuple[str, ...]) -> None:
    run = run_cli(project, *scope, "no/such file.py")
    assert run.code == 2
    assert run.err == "diffwarden: error: no/such file.py: cannot read: No such file or directory\n"
    assert run.out == ""


@pytest.mark.parametrize(
    "content", ["", "# eval(x) in a comment\n# and nothing else\n"], ids=["empty", "comments-only"]
)
def test_file_without_code_is_quiet(project: Path, content: str) -> None:
    staged(project, "quiet.py", content)
    assert_quiet(run_cli(project, "quiet.py"))


@pytest.mark.parametrize("args", [(), ("my dir/naïve file.py",)], ids=["from-git", "given"])
def test_path_with_spaces_and_non_ascii_is_reported_as_is(
    project: Path, args: Tuple[str, ...]
) -> None:
    staged(project, "my dir/naïve file.py", RISKY)
    run = run_cli(project, *args)
    assert run.code == 1
    assert run.out.splitlines()[0].startswith("my dir/naïve file.py:2:1: DW103 ")
