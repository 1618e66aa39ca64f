"""Running diffwarden the way a user does, for the bad-input, config and suppression tests."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

import pytest

from conftest import environ_without_git_vars
from hooks.engine.cli import main

# a pyproject.toml without [tool.diffwarden]: the defaults, whatever lies above the tmp folder
NO_CONFIG = "[project]\nname = 'sample'\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def findings(self) -> List[Tuple[str, int, int, str]]:
        """(path, line, col, code) of each finding in a `--format json` report."""
        return [
            (f["path"], f["line"], f["col"], f["code"]) for f in json.loads(self.out)["findings"]
        ]

    def messages(self) -> List[Tuple[int, int, str, str]]:
        """(line, col, code, message) of each finding in a `--format json` report."""
        found = json.loads(self.out)["findings"]
        return [(f["line"], f["col"], f["code"], f["message"]) for f in found]


def write(path: Path, content: Union[str, bytes]) -> Path:
    """Write exact bytes: str is encoded as UTF-8 with no newline translation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def run_cli(
    cwd: Path, *args: str, hook: Optional[str] = None, env: Optional[Dict[str, str]] = None
) -> Run:
    """`python -m hooks ARGS` (or one hook's entry point, `hook` a module of hooks/) in `cwd`,
    with `env` added to the environment (an agent's markers, say).

    A subprocess, as pre-commit runs it; a traceback always fails the test.
    """
    command = ["-m", "hooks"]
    if hook:
        command = ["-c", f"from hooks.engine.entries import {hook}; raise SystemExit({hook}())"]
    result = subprocess.run(
        [sys.executable, *command, *args],
        cwd=cwd,
        env={**environ_without_git_vars(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return Run(result.returncode, out, err)


def run_main(
    cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> Run:
    """`hooks.engine.cli.main(ARGS)` in this process, in `cwd`: fast, for what gets reported."""
    monkeypatch.chdir(cwd)
    code = main(list(args))
    captured = capsys.readouterr()
    assert "internal error" not in captured.err, captured.err
    return Run(code, captured.out, captured.err)
