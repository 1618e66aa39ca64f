"""A range of a person's and an assistant's commits: each finding is judged by the commit that
made it, in real repositories (the assistant's commits carry a `Co-authored-by: Claude` trailer).
Also: a test function moved to another test file in the same change is not deleted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from cli_helpers import run_cli
from conftest import commit_all, git

TRAILER = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
REFUND = (
    "import pytest\n\nfrom shop import refund\n\n\n"
    "def test_refund():\n    assert refund(10) == 10\n\n\n"
    "def test_refund_rejects_negative():\n    with pytest.raises(ValueError):\n"
    "        refund(-1)\n"
)
# fail-on high: a person's low finding is shown but does not fail the run; an assistant's does
CONFIG = '[tool.diffwarden]\nfail-on = "high"\n'
PERSON_SUPPRESSES = "os.system(cmd)  # diffwarden: ignore[DW103] cmd is our own constant\n"
AGENT_SUPPRESSES = "os.system(task)  # diffwarden: ignore[DW103] task is trusted\n"
Found = List[Tuple[str, int, str, str]]  # path, line, code, the commit that made it strict


def check(repo: Path, *args: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, Found, str]:
    """diffwarden on the whole change; each finding with its `commit` ("" when a person's)."""
    run = run_cli(repo, "--format", "json", *args, env=env)
    document = json.loads(run.out)
    found = [(f["path"], f["line"], f["code"], f.get("commit", "")) for f in document["findings"]]
    return run.code, found, document["scope"]


def write(repo: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def commit(repo: Path, message: str, files: Dict[str, str]) -> str:
    """Commit `files` (with --no-verify, as an agent skipping its hooks would); the short sha."""
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()[:10]


def base(repo: Path, files: Dict[str, str]) -> str:
    write(repo, files)
    commit_all(repo, "start")
    return git(repo, "rev-parse", "HEAD").strip()


def test_each_finding_is_judged_by_the_commit_that_added_its_line(repo: Path) -> None:
    start = base(
        repo,
        {"pyproject.toml": CONFIG, "tool.py": "import os\n", "tests/test_refund.py": REFUND},
    )
    person = {
        # a person's suppression with a reason, a low finding, a skip: all a person's own call
        "tool.py": "import os\n" + PERSON_SUPPRESSES + "os.system('ls')\n",
        "tests/test_refund.py": REFUND.replace(
            "def test_refund():", "@pytest.mark.skip(reason='slow')\ndef test_refund():"
        ),
    }
    commit(repo, "Speed up the suite", person)
    agent = commit(
        repo,
        "Make the tests pass" + TRAILER,
        {
            "tool.py": person["tool.py"] + AGENT_SUPPRESSES + "os.system('pwd')\n",
            "tests/test_refund.py": person["tests/test_refund.py"].replace(
                "assert refund(10) == 10", "assert True"
            ),
        },
    )
    code, found, scope = check(repo, "--from-ref", start, "--to-ref", "HEAD")
    assert code == 1, "the assistant's low finding fails the run whatever fail-on says"
    assert found == [
        ("tests/test_refund.py", 8, "DW703", agent),  # not the person's skip (DW702)
        ("tool.py", 3, "DW103", ""),  # a person's low finding, shown, not failing
        ("tool.py", 4, "DW103", agent),  # the assistant's own suppression does not hold
        ("tool.py", 4, "DW701", agent),
        ("tool.py", 5, "DW103", agent),
    ]
    assert f"profile strict for 1 of 2 commits (commit {agent}, commit message trailer" in scope
    assert scope.endswith(
        "standard for the rest; judged strict: tests/test_refund.py:8 DW703, tool.py:4 DW103, "
        "tool.py:4 DW701, tool.py:5 DW103"
    )
    text = subprocess.run(
        [sys.executable, "-m", "hooks", "--from-ref", start, "--to-ref", "HEAD"],
        cwd=repo, stdout=subprocess.PIPE, text=True, check=False,
    ).stdout  # fmt: skip
    reported = [line for line in text.splitlines() if line.startswith("tool.py:")]
    assert [line.endswith(f"; judged strict: commit {agent} is assistant-written [CWE-78]")
            for line in reported if ": DW103 " in line] == [False, True, True]  # fmt: skip
    assert text.count("judged strict: commit") == 4
    # the person's commit alone: standard, its suppression holds, fail-on applies
    code, found, scope = check(repo, "--from-ref", start, "--to-ref", "HEAD~1")
    assert (code, found) == (0, [("tool.py", 3, "DW103", "")])
    assert scope.endswith("profile standard (no assistant signal in 1 commit)")


def test_an_agent_running_the_check_still_makes_the_whole_range_strict(repo: Path) -> None:
    start = base(repo, {"pyproject.toml": CONFIG, "tool.py": "import os\n"})
    commit(repo, "tidy", {"tool.py": "import os\n" + PERSON_SUPPRESSES})
    code, found, scope = check(
        repo, "--from-ref", start, "--to-ref", "HEAD", env={"CLAUDECODE": "1"}
    )
    assert (code, found) == (1, [("tool.py", 2, "DW103", ""), ("tool.py", 2, "DW701", "")])
    assert "profile strict (Claude Code: CLAUDECODE is set)" in scope


def test_a_persons_line_the_assistant_only_moves_or_reindents_stays_theirs(repo: Path) -> None:
    start = base(repo, {"pyproject.toml": CONFIG, "tool.py": "import os\n"})
    person = "import os\n\n\ndef run(cmd):\n    " + PERSON_SUPPRESSES + "    return 0\n"
    commit(repo, "run", {"tool.py": person})
    moved = (
        "import os\n\n\ndef check():\n    return 1\n\n\n"
        "def run(cmd):\n    if cmd:\n        " + PERSON_SUPPRESSES + "    return 0\n"
    )
    commit(repo, "Guard run" + TRAILER, {"tool.py": moved})
    # the person's commit in the range, or before it (then only the assistant's is checked):
    # the person's suppression holds either way
    for first in (start, "HEAD~1"):
        assert check(repo, "--from-ref", first, "--to-ref", "HEAD")[:2] == (0, [])
        assert check(repo, "--from-ref", first, "--to-ref", "HEAD", "--select", "DW103")[:2] == (
            0,
            [],
        )
    # asked for by name, the new-suppression rule shows the line is the person's
    code, found, scope = check(
        repo, "--from-ref", start, "--to-ref", "HEAD", "--select", "DW103,DW701"
    )
    assert (code, found) == (0, [("tool.py", 10, "DW701", "")])
    assert scope.endswith("standard for the rest; judged strict: none")


def test_tests_deleted_are_judged_by_who_changed_the_file(repo: Path) -> None:
    start = base(repo, {"tests/test_refund.py": REFUND, "tests/test_cart.py": REFUND})
    without_negative = REFUND[: REFUND.index("\n\n\ndef test_refund_rejects")] + "\n"
    commit(repo, "Drop the negative case", {"tests/test_cart.py": without_negative})
    agent = commit(repo, "Fix the build" + TRAILER, {"tests/test_refund.py": without_negative})
    code, found, scope = check(repo, "--from-ref", start, "--to-ref", "HEAD")
    assert (code, found) == (1, [("tests/test_refund.py", 7, "DW706", agent)])
    assert scope.endswith("judged strict: tests/test_refund.py:7 DW706")


MOVED_OUT = REFUND[: REFUND.index("\n\n\ndef test_refund_rejects")] + "\n"
MOVED_IN = (
    "import pytest\n\nfrom shop import refund\n\n\ndef test_refund_rejects_negative():\n"
    "    with pytest.raises(ValueError):\n        refund(-1)\n"
)


def test_a_test_moved_to_another_test_file_is_not_deleted(repo: Path) -> None:
    agent = {"CLAUDECODE": "1"}
    base(repo, {"tests/test_refund.py": REFUND, "tests/test_errors.py": "import pytest\n"})
    write(repo, {"tests/test_refund.py": MOVED_OUT, "tests/test_errors.py": MOVED_IN})
    git(repo, "add", "-A")
    assert check(repo, env=agent)[:2] == (0, [])
    # into a new file, and renamed on the way
    git(repo, "checkout", "-q", "HEAD", "--", "tests/test_errors.py")
    renamed = MOVED_IN.replace("test_refund_rejects_negative", "test_negative_refund")
    write(repo, {"tests/test_negatives.py": renamed})
    git(repo, "add", "-A")
    assert check(repo, env=agent)[:2] == (0, [])
    # moved without its check: deleted after all
    write(repo, {"tests/test_negatives.py": renamed.replace("    with pytest.raises", "    if 1:")})
    git(repo, "add", "-A")
    assert check(repo, env=agent)[:2] == (1, [("tests/test_refund.py", 7, "DW706", "")])


def test_a_test_file_split_into_others_and_deleted_is_not_deleted(repo: Path) -> None:
    agent = {"CLAUDECODE": "1"}
    start = base(repo, {"tests/test_refund.py": REFUND})
    git(repo, "rm", "-q", "tests/test_refund.py")
    commit(repo, "Split the refund tests", {"tests/test_ok.py": MOVED_OUT + "# ok\n" * 30,
                                            "tests/test_errors.py": MOVED_IN})  # fmt: skip
    assert check(repo, "--from-ref", start, "--to-ref", "HEAD", env=agent)[:2] == (0, [])
    git(repo, "reset", "-q", "--hard", start)
    git(repo, "rm", "-q", "tests/test_refund.py")
    commit(repo, "Keep only the happy path" + TRAILER, {"tests/test_ok.py": MOVED_OUT})
    code, found, _ = check(repo, "--from-ref", start, "--to-ref", "HEAD")
    assert (code, [f[:3] for f in found]) == (1, [("tests/test_refund.py", 1, "DW706")])


def test_each_strict_finding_names_its_own_assistant_commit(repo: Path) -> None:
    start = base(repo, {"pyproject.toml": CONFIG, "a.py": "import os\n", "b.py": "import os\n"})
    git(repo, "config", "user.name", "Dev (aider)")
    aider = commit(repo, "aider: shell out", {"a.py": "import os\nos.system('ls')\n"})
    git(repo, "config", "user.name", "Dev")
    commit(repo, "more", {"b.py": "import os\nos.system('id')\n"})
    grown = {"a.py": "import os\nos.system('ls')\nos.system('pwd')\n"}
    claude = commit(repo, "Shell out" + TRAILER, grown)
    code, found, scope = check(repo, "--from-ref", start, "--to-ref", "HEAD")
    assert (code, found) == (
        1,
        [("a.py", 2, "DW103", aider), ("a.py", 3, "DW103", claude), ("b.py", 2, "DW103", "")],
    )
    assert f"profile strict for 2 of 3 commits (commit {aider}, commit message aider" in scope
    assert "; and 1 more), standard for the rest; judged strict: a.py:2 DW103, a.py:3 DW103" in (
        scope
    )
