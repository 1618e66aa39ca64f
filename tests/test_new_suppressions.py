"""DW701 in real repositories: a suppression the change adds is reported, an old one is not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

from conftest import commit_all, git

OLD = "import subprocess\n\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)  # nosec B602\n"


def new_suppressions(repo: Path, *files: str) -> List[Tuple[str, int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--select", "DW701", "--format", "json", *files],
        cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    return [(f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_an_old_suppression_is_not_news_and_a_new_one_is(repo: Path) -> None:
    (repo / "tool.py").write_text(OLD)
    commit_all(repo)
    (repo / "tool.py").write_text(OLD + "\n\ndef size(x):\n    return len(x)\n")
    git(repo, "add", "-A")
    assert new_suppressions(repo, "tool.py") == []
    (repo / "tool.py").write_text(OLD + "\n\ndef load(b):\n    return pickle.loads(b)  # nosec\n")
    git(repo, "add", "-A")
    [(path, line, message)] = new_suppressions(repo, "tool.py")
    assert (path, line) == ("tool.py", 9)
    assert message == "new bandit suppression: fix the finding instead, or have a person approve it"


def test_suppressions_in_other_languages_and_config_are_read(repo: Path) -> None:
    (repo / "app.ts").write_text("// @ts-ignore\nconst x: number = 'a';\n")
    (repo / "lint.cfg").write_text("value = 1  # noqa: E501\n")
    git(repo, "add", "-A")
    found = new_suppressions(repo, "app.ts", "lint.cfg")
    assert [(path, line) for path, line, _ in found] == [("app.ts", 1), ("lint.cfg", 1)]
    assert "new flake8/ruff suppression of E501" in found[1][2]


def test_a_suppression_moved_with_its_line_is_not_news(repo: Path) -> None:
    (repo / "tool.py").write_text(OLD + "\n\ndef size(x):\n    return len(x)\n")
    commit_all(repo)
    moved = "import subprocess\n\n\ndef size(x):\n    return len(x)\n\n\n" + OLD.split("\n\n\n")[1]
    (repo / "tool.py").write_text(moved)
    git(repo, "add", "-A")
    assert "# nosec B602" in git(repo, "diff", "--cached"), "git sees the line as added"
    assert new_suppressions(repo, "tool.py") == []
    (repo / "tool.py").write_text(
        moved + "\n\ndef again(cmd):\n    subprocess.run(cmd, shell=True)  # nosec B602\n"
    )
    git(repo, "add", "-A")
    assert [(path, line) for path, line, _ in new_suppressions(repo, "tool.py")] == [
        ("tool.py", 13)
    ]
