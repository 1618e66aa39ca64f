"""Diff scope against real git repositories: only what the change adds is reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from conftest import commit_all, git
from hooks.engine.scope import Scope, diff_scope, parse_diff, parse_moves, unquote_path

RISKY = "import os\n\n\ndef old(cmd):\n    os.system(cmd)\n"


def run_cli(
    repo: Path, *args: str, env_extra: "dict[str, str] | None" = None
) -> Tuple[int, List[Tuple[str, int, str]]]:
    """Run diffwarden in `repo`; returns the exit code and (path, line, code) of each finding."""
    env = {**os.environ, **(env_extra or {})}
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--format", "json", *args],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    if result.returncode == 2:
        return 2, []
    found = json.loads(result.stdout)["findings"]
    return result.returncode, [(f["path"], f["line"], f["code"]) for f in found]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_old_risky_code_is_not_reported_when_the_change_adds_a_clean_line(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    write(repo / "app.py", RISKY + "\n\ndef new():\n    return 1\n")
    git(repo, "add", "app.py")
    assert run_cli(repo, "app.py") == (0, [])


def test_risky_line_added_to_an_old_file_is_reported_alone(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    write(repo / "app.py", RISKY + "\n\ndef new(x):\n    os.popen(x)\n")
    git(repo, "add", "app.py")
    assert run_cli(repo, "app.py") == (1, [("app.py", 9, "DW103")])


def test_whole_file_scope_reports_old_code_too(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    assert run_cli(repo, "--scope", "file", "app.py") == (1, [("app.py", 5, "DW103")])


def test_a_multiline_call_is_reported_when_only_an_argument_line_changes(repo: Path) -> None:
    before = "import subprocess\nsubprocess.run(\n    cmd,\n    shell=False,\n)\n"
    write(repo / "app.py", before)
    commit_all(repo)
    write(repo / "app.py", before.replace("shell=False", "shell=True"))
    git(repo, "add", "app.py")
    assert run_cli(repo, "app.py") == (1, [("app.py", 2, "DW102")])


def test_empty_repository_without_head_counts_staged_files_as_added(repo: Path) -> None:
    write(repo / "new.py", RISKY)
    git(repo, "add", "new.py")
    assert run_cli(repo, "new.py") == (1, [("new.py", 5, "DW103")])


def test_untracked_file_given_explicitly_counts_as_all_added(repo: Path) -> None:
    write(repo / "seed.py", "x = 1\n")
    commit_all(repo)
    write(repo / "loose.py", RISKY)
    assert run_cli(repo, "loose.py") == (1, [("loose.py", 5, "DW103")])


def test_tracked_file_without_staged_changes_reports_nothing(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    assert run_cli(repo, "app.py") == (0, [])


def test_pure_rename_adds_nothing_and_a_rename_with_edits_reports_the_edit(repo: Path) -> None:
    write(repo / "a.py", RISKY)
    commit_all(repo)
    git(repo, "mv", "a.py", "b.py")
    assert run_cli(repo, "b.py") == (0, [])
    write(repo / "b.py", RISKY + "os.system(user)\n")
    git(repo, "add", "b.py")
    assert run_cli(repo, "b.py") == (1, [("b.py", 6, "DW103")])


def test_with_no_files_given_the_staged_python_files_are_checked_and_deletions_ignored(
    repo: Path,
) -> None:
    write(repo / "gone.py", RISKY)
    write(repo / "keep.py", "x = 1\n")
    commit_all(repo)
    git(repo, "rm", "-q", "gone.py")
    write(repo / "keep.py", "import os\nos.system(x)\n")
    write(repo / "notes.txt", "os.system(x)\n")
    git(repo, "add", "-A")
    assert run_cli(repo) == (1, [("keep.py", 2, "DW103")])


def test_file_names_with_spaces_and_non_ascii_are_scoped(repo: Path) -> None:
    name = "my dir/naïve\tfile.py" if sys.platform != "win32" else "my dir/naïve file.py"
    write(repo / name, "x = 1\n")
    commit_all(repo)
    write(repo / name, "x = 1\nimport os\nos.system(x)\n")
    git(repo, "add", "-A")
    assert run_cli(repo, name) == (1, [(name, 3, "DW103")])


def test_from_and_to_refs_select_the_range_as_pre_push_does(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo, "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "app.py", RISKY + "os.system(more)\n")
    commit_all(repo, "risky, made with --no-verify")
    head = git(repo, "rev-parse", "HEAD").strip()
    refs = {"PRE_COMMIT_FROM_REF": base, "PRE_COMMIT_TO_REF": head}
    assert run_cli(repo, "app.py", env_extra=refs) == (1, [("app.py", 6, "DW103")])
    assert run_cli(repo, "app.py") == (0, []), "nothing is staged"


def test_diff_base_compares_the_working_tree_with_a_ref(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    write(repo / "app.py", RISKY + "os.system(more)\n")  # not staged
    assert run_cli(repo, "--diff-base", "HEAD", "app.py") == (1, [("app.py", 6, "DW103")])


def test_a_bad_ref_is_a_one_line_error(repo: Path) -> None:
    write(repo / "app.py", RISKY)
    commit_all(repo)
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--diff-base", "no-such-ref", "app.py"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1
    assert "git diff no-such-ref failed" in result.stderr.decode()


def test_outside_a_repository_whole_files_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write(tmp_path / "app.py", RISKY)
    assert run_cli(tmp_path, "app.py") == (1, [("app.py", 5, "DW103")])


def test_from_a_subfolder_paths_are_matched_to_the_repository_root(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "pkg" / "mod.py", "x = 1\n")
    commit_all(repo)
    write(repo / "pkg" / "mod.py", "x = 1\nimport os\nos.system(x)\n")
    git(repo, "add", "-A")
    assert run_cli(repo / "pkg", "mod.py") == (1, [("mod.py", 3, "DW103")])


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"plain/name.py", "plain/name.py"),
        (b'"tab\\tn\\303\\251.py"', "tab\tné.py"),
        (b'"quote\\"back\\\\slash.py"', 'quote"back\\slash.py'),
    ],
)
def test_git_quoted_paths_are_unquoted(raw: bytes, expected: str) -> None:
    assert unquote_path(raw) == expected


def test_parse_diff_reads_hunks_skips_deletions_and_takes_binaries_whole() -> None:
    diff = (
        b"diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,0 +2,3 @@\n+x\n+y\n+z\n"
        b"@@ -9 +12 @@\n-old\n+new\n@@ -20,2 +22,0 @@\n-gone\n-gone\n"
        b"diff --git a/d.py b/d.py\n--- a/d.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
        b"diff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\n"
        b"diff --git a/s p.py b/s p.py\n--- /dev/null\n+++ b/s p.py\t\n@@ -0,0 +1 @@\n+q\n"
    )
    assert parse_diff(diff) == {"a.py": {2, 3, 4, 12}, "img.png": None, "s p.py": {1}}


def test_scope_object_answers_per_file(repo: Path) -> None:
    write(repo / "a.py", "x = 1\n")
    commit_all(repo)
    write(repo / "a.py", "x = 1\ny = 2\n")
    write(repo / "new.py", "z = 3\n")
    git(repo, "add", "a.py")
    scope = diff_scope(["a.py", "new.py"], {})
    assert scope.lines("a.py") == {2}
    assert scope.lines("new.py") is None  # untracked: all of it
    assert Scope().lines("anything.py") is None


def test_parse_moves_reads_deletions_and_renames() -> None:
    diff = (
        b"diff --git a/old.py b/new.py\nsimilarity index 90%\nrename from old.py\n"
        b"rename to new.py\n--- a/old.py\n+++ b/new.py\n@@ -1 +1 @@\n-x\n+y\n"
        b'diff --git "a/t\\303\\251.py" "b/t\\303\\251.py"\ndeleted file mode 100644\n'
        b'--- "a/t\\303\\251.py"\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n'
        b"diff --git a/s p.py b/s p.py\ndeleted file mode 100644\n--- a/s p.py\t\n+++ /dev/null\n"
    )
    assert parse_moves(diff) == (frozenset({"t\u00e9.py", "s p.py"}), {"new.py": "old.py"})


def test_the_scope_gives_earlier_versions_under_their_old_names(repo: Path) -> None:
    write(repo / "a.py", "x = 1\n")
    write(repo / "gone.py", "y = 2\n")
    commit_all(repo)
    git(repo, "mv", "a.py", "b.py")
    write(repo / "b.py", "x = 1\nz = 3\n")
    git(repo, "rm", "-q", "gone.py")
    git(repo, "add", "-A")
    scope = diff_scope(["b.py"], {})
    assert (scope.base, scope.renamed, scope.deleted_paths()) == (
        "HEAD",
        {"b.py": "a.py"},
        ["gone.py"],
    )
    assert scope.before("b.py") == b"x = 1\n"
    assert scope.before("gone.py") == b"y = 2\n"
    assert scope.lines("b.py") == {2}
