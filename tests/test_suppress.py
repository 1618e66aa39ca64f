"""Inline suppression: `# diffwarden: ignore[DW102] reason` silences one finding, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, List, Tuple

import pytest

from cli_helpers import NO_CONFIG, run_main, write

CALL = "subprocess.run(cmd, shell=True)"
NO_REASON = "suppression of DW102 gives no reason; say why it is safe"
MALFORMED = "malformed suppression; write `# diffwarden: ignore[DW102] reason`"
Found = List[Tuple[int, int, str, str]]


@pytest.fixture
def check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[str], Found]:
    """(line, col, code, message) of what diffwarden reports for this module, whole-file scope."""
    write(tmp_path / "pyproject.toml", NO_CONFIG)

    def run(body: str) -> Found:
        write(tmp_path / "app.py", "import subprocess\n" + body)
        result = run_main(
            tmp_path, monkeypatch, capsys, "--scope", "file", "--format", "json", "app.py"
        )
        return result.messages()

    return run


def codes_at(found: Found) -> List[Tuple[int, int, str]]:
    return [(line, col, code) for line, col, code, _ in found]


def dw102_at(line: int) -> Tuple[int, int, str]:
    return (line, 1, "DW102")


@pytest.mark.parametrize(
    "body",
    [
        f"{CALL}  # diffwarden: ignore[DW102] cmd is a constant of this module\n",
        f"{CALL}  # diffwarden: ignore[DW102] fixed\r\n",
        "subprocess.run(  # diffwarden: ignore[DW102] cmd is fixed\n    cmd,\n    shell=True,\n)\n",
        "result = [  # diffwarden: ignore[DW102] cmd is fixed\n    1,\n    " + CALL + ",\n]\n",
    ],
    ids=["flagged-line", "flagged-line-crlf", "first-line-of-call", "first-line-of-statement"],
)
def test_suppression_on_the_flagged_line_or_the_statements_first_line_suppresses(
    check: Callable[[str], Found], body: str
) -> None:
    assert check(body) == []


@pytest.mark.parametrize(
    "body, line",
    [
        (f"# diffwarden: ignore[DW102] the line above does not count\n{CALL}\n", 3),
        (f"{CALL}\n# diffwarden: ignore[DW102] nor the line below\n", 2),
        (
            "subprocess.run(\n    cmd,\n    shell=True,\n)  # diffwarden: ignore[DW102] closing\n",
            2,
        ),
        (f"{CALL}  # diffwarden: ignore[DW101] another code\n", 2),
    ],
    ids=["line-above", "line-below", "closing-line", "other-code"],
)
def test_suppression_elsewhere_or_for_another_code_does_not_suppress(
    check: Callable[[str], Found], body: str, line: int
) -> None:
    assert codes_at(check(body)) == [dw102_at(line)]


def test_missing_reason_is_dw002_at_the_comment_and_suppresses_nothing(
    check: Callable[[str], Found],
) -> None:
    assert check(f"{CALL}  # diffwarden: ignore[DW102]\n") == [
        (
            2,
            1,
            "DW102",
            "`subprocess.run` with shell=True runs a computed command through the shell",
        ),
        (2, 36, "DW002", NO_REASON),  # the column of `diffwarden` in the comment
    ]


@pytest.mark.parametrize(
    "comment, problem",
    [
        ("# diffwarden: ignore[DW102]   ", NO_REASON),
        ("# diffwarden: ignore", MALFORMED),
        ("# diffwarden: ignore because it is fine", MALFORMED),
        ("# diffwarden: ignore[] because", MALFORMED),
        ("# diffwarden: ignore[DW102 because", MALFORMED),
        ("# diffwarden: ignore[dw102] because", MALFORMED),
        ("# DiffWarden: Ignore[DW102] because", MALFORMED),
        ("# diffwarden:ignore[DW102] because", MALFORMED),
        ("# diffwarden ignore[DW102] because", MALFORMED),
        ("# diffwarden: ignore[DW999] because", "suppression names unknown code DW999"),
        ("# diffwarden: ignore[DW102, DW999] because", "suppression names unknown code DW999"),
        ("# noqa  # diffwarden: ignore[DW102]", NO_REASON),
    ],
)
def test_malformed_suppression_is_dw002_and_suppresses_nothing(
    check: Callable[[str], Found], comment: str, problem: str
) -> None:
    line = f"{CALL}  {comment}"
    col = line.lower().index("diffwarden") + 1
    assert check(line + "\n") == [
        (
            2,
            1,
            "DW102",
            "`subprocess.run` with shell=True runs a computed command through the shell",
        ),
        (2, col, "DW002", problem),
    ]


@pytest.mark.parametrize(
    "text",
    ["# diffwarden: ignore[DW102] x", "# diffwarden: ignore"],
    ids=["well-formed", "malformed"],
)
def test_suppression_text_inside_a_string_is_not_a_comment(
    check: Callable[[str], Found], text: str
) -> None:
    line = f'note = "{text}"; {CALL}\n'
    multiline = f'NOTE = """\n{text}\n"""\n'
    assert codes_at(check(line + multiline)) == [(2, line.index(CALL) + 1, "DW102")]


@pytest.mark.parametrize("codes", ["DW101, DW102", "DW102,DW101"])
def test_one_suppression_may_name_several_codes(check: Callable[[str], Found], codes: str) -> None:
    body = f"eval({CALL})"
    assert codes_at(check(body + "\n")) == [(2, 1, "DW101"), (2, 6, "DW102")]
    assert check(f"{body}  # diffwarden: ignore[{codes}] both values are fixed\n") == []
