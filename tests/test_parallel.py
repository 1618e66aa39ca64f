"""A big run shared among processes finds exactly what one process finds, and really shares."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, List

import pytest

from cli_helpers import run_cli, write
from conftest import git
from hooks.engine import cli, parallel
from hooks.engine.runner import Runner
from hooks.engine.source import Source

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")

RISKY = (
    "import pickle\n"
    "import subprocess\n\n\n"
    "def load(blob, name):\n"
    "    subprocess.run(f'ls {name}', shell=True)\n"
    "    return pickle.loads(blob)\n"
)
FILLER = "".join(f"\n\ndef step_{n}(value):\n    return value + {n}\n" for n in range(400))


def _modules(repo: Path, count: int) -> List[str]:
    """`count` new modules of about 1,600 lines, each with two findings at the top and one
    near the end; staged."""
    names = []
    for n in range(count):
        name = f"pkg/module_{n}.py"
        write(repo / name, RISKY + FILLER + f"\n\ndef last():\n    return eval(input())  # {n}\n")
        names.append(name)
    git(repo, "add", "-A")
    return names


def test_default_is_one_process_under_pre_commit() -> None:
    assert parallel.default_jobs({"PRE_COMMIT": "1"}) == 1


@linux_only
def test_default_is_a_process_per_usable_core() -> None:
    assert parallel.default_jobs({}) == len(os.sched_getaffinity(0))


def test_heaviest_first_to_the_least_loaded_and_unread_files_stay_here() -> None:
    shares = parallel._dealt([100, 0, 700, 300, 300, 0, 200], 3)
    assert shares == [[2, 1, 5], [3, 6], [4, 0]]  # loads 700, 500, 400


@linux_only
@pytest.mark.parametrize("scope", ["diff", "file"])
def test_shared_run_finds_what_one_process_finds(repo: Path, scope: str) -> None:
    names = _modules(repo, 4)
    one = run_cli(repo, "--format", "json", "--scope", scope, "--jobs", "1", *names)
    shared = run_cli(repo, "--format", "json", "--scope", scope, "--jobs", "2", *names)
    assert one.code == shared.code == 1
    assert len(one.findings()) == 12
    assert shared.out == one.out


@linux_only
def test_workers_check_their_share_in_other_processes(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = _modules(repo, 4)
    log = repo.parent / "pids.txt"
    checked = Runner.check

    def check(self: Runner, source: Source, readers: Any = None) -> list:  # type: ignore[type-arg]
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {source.path}\n")
        return checked(self, source, readers)

    monkeypatch.setattr(Runner, "check", check)
    assert cli.main(["--format", "json", "--jobs", "3", *names]) == 1
    entries = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(path for _, path in entries) == sorted(names)  # each file once
    assert len({pid for pid, _ in entries}) == 3
    assert str(os.getpid()) in {pid for pid, _ in entries}
    assert capsys.readouterr().out.count('"code": "DW') == 12


@linux_only
def test_a_failed_worker_costs_only_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = _modules(repo, 4)
    here = os.getpid()
    checked = Runner.check

    def check(self: Runner, source: Source, readers: Any = None) -> list:  # type: ignore[type-arg]
        if os.getpid() != here:
            raise RuntimeError("a worker breaks")
        return checked(self, source, readers)

    monkeypatch.setattr(Runner, "check", check)
    assert cli.main(["--format", "json", "--jobs", "2", *names]) == 1
    assert capsys.readouterr().out.count('"code": "DW') == 12


def test_a_small_run_stays_in_one_process(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / "a.py", RISKY)
    write(repo / "b.py", RISKY)
    git(repo, "add", "-A")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for 14 lines"))
    assert cli.main(["--format", "json", "--jobs", "4", "a.py", "b.py"]) == 1
    assert capsys.readouterr().out.count('"code": "DW') == 4


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(repo: Path, value: str) -> None:
    write(repo / "a.py", RISKY)
    run = run_cli(repo, f"--jobs={value}", "a.py")
    assert run.code == 2
    assert "expected a number of processes (1 or more)" in run.err
