"""End to end: real pre-commit installs this checkout as a hook repository and real `git commit`s
are blocked or let through.

pre-commit builds the hook's environment once per session (from PyPI, like any user's first
run); every test after the first reuses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

from conftest import ROOT, commit_all, git

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _project_files() -> Iterator[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
    ).stdout
    for name in listed.decode().split("\0"):
        if name and (ROOT / name).is_file():
            yield name


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, str]:
    """This checkout, working tree included, committed into a repository pre-commit can clone."""
    path = tmp_path_factory.mktemp("diffwarden-hooks")
    for name in _project_files():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(
        path,
        "-c",
        "user.email=ci@example.com",
        "-c",
        "user.name=CI",
        "commit",
        "-q",
        "-m",
        "snapshot",
    )
    return path, git(path, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def guarded_repo(
    repo: Path, hook_repo: Tuple[Path, str], pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A repository whose pre-commit hook runs diffwarden from `hook_repo`."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: diffwarden\n"
    )
    (repo / "README.md").write_text("demo\n")
    commit_all(repo, "config")
    run(repo, *PRE_COMMIT, "install")
    return repo


def run(
    cwd: Path, *args: str, env: "Dict[str, str] | None" = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def commit(repo: Path, message: str = "change") -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return run(repo, "git", "commit", "-m", message)


def test_commit_adding_a_shell_injection_is_blocked_with_the_finding(guarded_repo: Path) -> None:
    (guarded_repo / "tool.py").write_text(
        "import subprocess\n\ndef thumb(name):\n"
        "    subprocess.run(f'convert {name} thumb.png', shell=True)\n"
    )
    result = commit(guarded_repo)
    assert result.returncode == 1, result.stdout
    assert (
        "tool.py:4:5: DW102 `subprocess.run` with shell=True runs a command built from untrusted"
        " input through the shell; `name` is a parameter of the function [CWE-78]" in result.stdout
    )
    assert "hint: pass the command as a list of arguments" in result.stdout
    assert git(guarded_repo, "rev-list", "--count", "HEAD").strip() == "1", "nothing was committed"


def test_the_same_commit_without_the_risky_line_goes_through(guarded_repo: Path) -> None:
    (guarded_repo / "tool.py").write_text(
        "import subprocess\n\ndef thumb(name):\n"
        "    subprocess.run(['convert', name, 'thumb.png'])\n"
    )
    result = commit(guarded_repo)
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout
    assert git(guarded_repo, "rev-list", "--count", "HEAD").strip() == "2"


def test_risky_code_already_in_the_file_does_not_block_an_unrelated_change(
    guarded_repo: Path,
) -> None:
    legacy = "import pickle\n\ndef restore(blob):\n    return pickle.loads(blob)\n"
    (guarded_repo / "legacy.py").write_text(legacy)
    git(guarded_repo, "add", "-A")
    git(guarded_repo, "commit", "-q", "--no-verify", "-m", "legacy code, before diffwarden")
    (guarded_repo / "legacy.py").write_text(legacy + "\n\ndef size(blob):\n    return len(blob)\n")
    result = commit(guarded_repo)
    assert result.returncode == 0, result.stdout
    (guarded_repo / "legacy.py").write_text(
        legacy + "\n\ndef again(b):\n    return pickle.load(b)\n"
    )
    result = commit(guarded_repo)
    assert result.returncode == 1
    assert "legacy.py:8:12: DW201 `pickle.load`" in result.stdout
    assert "legacy.py:4" not in result.stdout


def test_try_repo_runs_a_single_hook_on_the_staged_change(
    repo: Path, hook_repo: Tuple[Path, str], pre_commit_home: Path
) -> None:
    (repo / "loader.py").write_text("import yaml\nconfig = yaml.load(open('c.yml'))\n")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    path, rev = hook_repo
    result = run(
        repo, *PRE_COMMIT, "try-repo", str(path), "unsafe-deserialization", "--ref", rev, env=env
    )
    assert result.returncode == 1, result.stdout
    assert "loader.py:2:10: DW202 `yaml.load` without a safe Loader" in result.stdout
    result = run(repo, *PRE_COMMIT, "try-repo", str(path), "dynamic-code", "--ref", rev, env=env)
    assert result.returncode == 0, result.stdout


def test_try_repo_fix_hook_rewrites_the_file_and_fails_until_it_is_restaged(
    repo: Path, hook_repo: Tuple[Path, str], pre_commit_home: Path
) -> None:
    (repo / "loader.py").write_text("import yaml\nconfig = yaml.load(open('c.yml'))\n")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    path, rev = hook_repo
    hook = ("try-repo", str(path), "unsafe-deserialization-fix", "--ref", rev)
    result = run(repo, *PRE_COMMIT, *hook, env=env)
    assert result.returncode == 1, result.stdout
    assert "files were modified by this hook" in result.stdout
    assert "diffwarden: fixed 1 finding in loader.py" in result.stdout
    assert (
        repo / "loader.py"
    ).read_text() == "import yaml\nconfig = yaml.safe_load(open('c.yml'))\n"
    git(repo, "add", "-A")
    result = run(repo, *PRE_COMMIT, *hook, env=env)
    assert result.returncode == 0, result.stdout


GATE_CONFIG = """default_install_hook_types: [pre-commit, commit-msg, pre-push]
repos:
  - repo: {path}
    rev: {rev}
    hooks:
      - id: diffwarden
        stages: [pre-commit, pre-push]
      - id: diffwarden-commit-msg
      - id: test-tampering
        stages: [pre-commit, pre-push]
"""
REFUND = "from shop import refund\n\n\ndef test_refund():\n    assert refund(10) == 10\n"
TRAILER = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"


@pytest.fixture
def gated_repo(
    repo: Path, hook_repo: Tuple[Path, str], pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A repository with the README's stages installed, a test file, and a remote."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(GATE_CONFIG.format(path=path, rev=rev))
    (repo / "tests").mkdir()
    (repo / "tests" / "test_refund.py").write_text(REFUND)
    commit_all(repo, "start")
    run(repo, *PRE_COMMIT, "install")
    remote = repo.parent / "remote.git"
    git(repo.parent, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    result = run(repo, "git", "push", "-q", "origin", "main")
    assert result.returncode == 0, result.stdout
    return repo


def test_a_commit_made_with_no_verify_by_an_agent_is_caught_at_pre_push(gated_repo: Path) -> None:
    skipped = REFUND.replace(
        "def test_refund", "import pytest\n\n\n@pytest.mark.xfail\ndef test_refund"
    )
    (gated_repo / "tests" / "test_refund.py").write_text(skipped)
    git(gated_repo, "add", "-A")
    git(gated_repo, "commit", "-q", "--no-verify", "-m", "a person marks a known bug")
    result = run(gated_repo, "git", "push", "-q", "origin", "main")
    assert result.returncode == 0, "a person's own xfail is theirs to push: " + result.stdout
    (gated_repo / "tests" / "test_refund.py").write_text(skipped.replace("== 10", "== 10 or True"))
    git(gated_repo, "add", "-A")
    git(gated_repo, "commit", "-q", "--no-verify", "-m", "Make the tests pass" + TRAILER)
    result = run(gated_repo, "git", "push", "-q", "origin", "main")
    assert result.returncode != 0, result.stdout
    assert "tests/test_refund.py:9:5: DW703 an `assert` that cannot fail" in result.stdout
    assert "profile strict for 1 of 1 commit (commit " in result.stdout
    assert "judged strict: tests/test_refund.py:9 DW703" in result.stdout
    assert (
        git(gated_repo, "ls-remote", "origin", "main").split()[0]
        != git(gated_repo, "rev-parse", "HEAD").strip()
    ), "the agent's commit did not reach the remote"


def test_the_commit_msg_stage_judges_the_change_by_its_message(gated_repo: Path) -> None:
    (gated_repo / "tests" / "test_refund.py").write_text(
        REFUND.replace("    assert refund(10) == 10\n", "    pass\n")
    )
    result = commit(gated_repo, "Simplify the refund test" + TRAILER)
    assert result.returncode == 1, result.stdout
    assert "tests/test_refund.py:4:1: DW704 `test_refund` checks less than before: its body" in (
        result.stdout
    )
    assert git(gated_repo, "rev-list", "--count", "HEAD").strip() == "1"
    result = commit(gated_repo, "Simplify the refund test")
    assert result.returncode == 0, result.stdout
    assert git(gated_repo, "rev-list", "--count", "HEAD").strip() == "2"
