"""The agent-aware gate in real repositories: tests tampered with, the gate loosened, and ranges
whose commits are judged by their own provenance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from cli_helpers import run_cli
from conftest import commit_all, git

AGENT = {"CLAUDECODE": "1"}
TRAILER = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
REFUND = (
    "import pytest\n\nfrom shop import refund\n\n\n"
    "def test_refund():\n    assert refund(10) == 10\n\n\n"
    "def test_refund_rejects_negative():\n    with pytest.raises(ValueError):\n"
    "        refund(-1)\n"
)
Found = List[Tuple[str, int, str]]


def check(repo: Path, *args: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, Found, str]:
    """diffwarden on the whole change (no files given, as the test-tampering hook runs)."""
    run = run_cli(repo, "--format", "json", *args, env=env)
    if run.code == 2:
        return 2, [], run.err
    document = json.loads(run.out)
    found = [(f["path"], f["line"], f["code"]) for f in document["findings"]]
    return run.code, found, document["scope"]


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def start(repo: Path, files: Dict[str, str]) -> None:
    """A person's first commit."""
    for name, text in files.items():
        write(repo, name, text)
    commit_all(repo, "start")


TAMPERED = {
    "skip added": (
        REFUND.replace(
            "def test_refund():", "@pytest.mark.skip(reason='flaky')\ndef test_refund():"
        ),
        [("tests/test_refund.py", 6, "DW702")],
    ),
    "assert made always true": (
        REFUND.replace("assert refund(10) == 10", "assert refund(10) == 10 or True"),
        [("tests/test_refund.py", 7, "DW703")],
    ),
    "assert turned into a print": (
        REFUND.replace("assert refund(10) == 10", "print(refund(10) == 10)"),
        [("tests/test_refund.py", 6, "DW704")],
    ),
    "pytest.raises removed": (
        REFUND.replace("    with pytest.raises(ValueError):\n        refund(-1)", "    refund(-1)"),
        [("tests/test_refund.py", 10, "DW704")],
    ),
    "test deleted": (
        REFUND[: REFUND.index("\n\n\ndef test_refund_rejects")] + "\n",
        [("tests/test_refund.py", 7, "DW706")],
    ),
    "exit in the test file": (
        REFUND + "\n\nimport sys\nsys.exit(0)\n",
        [("tests/test_refund.py", 16, "DW702")],
    ),
}


@pytest.mark.parametrize("after, expected", TAMPERED.values(), ids=list(TAMPERED))
def test_each_tampering_pattern_is_caught_in_an_agents_change(
    repo: Path, after: str, expected: Found
) -> None:
    start(repo, {"tests/test_refund.py": REFUND})
    write(repo, "tests/test_refund.py", after)
    git(repo, "add", "-A")
    code, found, scope = check(repo, env=AGENT)
    assert (code, found) == (1, expected)
    assert "profile strict (Claude Code" in scope
    assert check(repo)[:2] == (0, []), "a person's change is not judged by these rules"


QUIET = {
    "refactored into parametrize": (
        "import pytest\n\nfrom shop import refund\n\n\n"
        "@pytest.mark.parametrize('amount', [10, 20])\ndef test_refund(amount):\n"
        "    assert refund(amount) == amount\n\n\n"
        "def test_refund_rejects_negative():\n    with pytest.raises(ValueError):\n"
        "        refund(-1)\n"
    ),
    "tests reordered": (
        "import pytest\n\nfrom shop import refund\n\n\n"
        "def test_refund_rejects_negative():\n    with pytest.raises(ValueError):\n"
        "        refund(-1)\n\n\ndef test_refund():\n    assert refund(10) == 10\n"
    ),
    "renamed with its checks": REFUND.replace("def test_refund():", "def test_full_refund():"),
    "a check added": REFUND + "\n\ndef test_zero():\n    assert refund(0) == 0\n",
}


@pytest.mark.parametrize("after", QUIET.values(), ids=list(QUIET))
def test_look_alikes_stay_quiet_even_for_an_agent(repo: Path, after: str) -> None:
    start(repo, {"tests/test_refund.py": REFUND})
    write(repo, "tests/test_refund.py", after)
    git(repo, "add", "-A")
    assert check(repo, env=AGENT)[:2] == (0, [])


def test_a_skip_removed_is_quiet_and_one_kept_while_editing_is_not_news(repo: Path) -> None:
    skipped = REFUND.replace("def test_refund():", "@pytest.mark.skip\ndef test_refund():")
    start(repo, {"tests/test_refund.py": skipped})
    write(repo, "tests/test_refund.py", skipped.replace("refund(10) == 10", "refund(10) == 10.0"))
    git(repo, "add", "-A")
    assert check(repo, env=AGENT)[:2] == (0, [])
    write(repo, "tests/test_refund.py", REFUND)
    git(repo, "add", "-A")
    assert check(repo, env=AGENT)[:2] == (0, [])


def test_a_test_file_moved_intact_is_quiet_and_one_deleted_is_caught(repo: Path) -> None:
    start(repo, {"tests/test_refund.py": REFUND, "tests/test_cart.py": REFUND})
    (repo / "tests" / "shop").mkdir()
    git(repo, "mv", "tests/test_refund.py", "tests/shop/test_refund.py")
    assert check(repo, env=AGENT)[:2] == (0, [])
    git(repo, "rm", "-q", "tests/test_cart.py")
    code, found, _ = check(repo, env=AGENT)
    assert (code, found) == (1, [("tests/test_cart.py", 1, "DW706")])
    # the all-in-one hook, given files in batches, leaves the rules that compare versions to
    # the runs that see the whole change: their own hooks (no file list), commit-msg, CI
    write(repo, "tests/shop/test_refund.py", REFUND.replace("assert refund(10) == 10", "pass"))
    git(repo, "add", "-A")
    assert check(repo, "tests/shop/test_refund.py", env=AGENT)[:2] == (0, [])
    named = check(repo, "--select", "test-tampering", "tests/shop/test_refund.py", env=AGENT)
    assert named[:2] == (1, [("tests/shop/test_refund.py", 6, "DW704")])


@pytest.mark.parametrize(
    "name, before, after, line",
    [
        ("pyproject.toml", '[tool.pytest.ini_options]\naddopts = "-ra"\n',
         '[tool.pytest.ini_options]\naddopts = "-ra --deselect tests/test_refund.py"\n',
         2),
        ("tox.ini", "[testenv]\ncommands = pytest\n",
         "[testenv]\ncommands = pytest -k 'not refund'\n", 2),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: pytest\n",
         "jobs:\n  t:\n    steps:\n      - run: pytest\n        continue-on-error: true\n", 5),
    ],
    ids=["pytest-addopts", "tox-keyword", "ci-continue-on-error"],
)  # fmt: skip
def test_tests_switched_off_in_config_are_caught(
    repo: Path, name: str, before: str, after: str, line: int
) -> None:
    start(repo, {name: before})
    write(repo, name, after)
    git(repo, "add", "-A")
    assert check(repo, env=AGENT)[:2] == (1, [(name, line, "DW708")])


HOOKS_CONFIG = (
    "repos:\n  - repo: https://github.com/acme/diffwarden\n    rev: v1\n    hooks:\n"
    "      - id: diffwarden\n      - id: test-tampering\n"
)


def test_an_agent_removing_diffwarden_hooks_or_config_is_caught(repo: Path) -> None:
    start(
        repo,
        {
            ".pre-commit-config.yaml": HOOKS_CONFIG,
            "pyproject.toml": '[project]\nname = "shop"\n\n[tool.diffwarden]\nfail-on = "low"\n',
        },
    )
    write(repo, ".pre-commit-config.yaml", HOOKS_CONFIG.replace("      - id: test-tampering\n", ""))
    write(
        repo, "pyproject.toml", '[project]\nname = "shop"\n\n[tool.diffwarden]\nfail-on = "high"\n'
    )
    git(repo, "add", "-A")
    assert check(repo)[:2] == (0, []), "a person may change their own gate"
    result = subprocess.run(
        [sys.executable, "-m", "hooks", *"--format json".split()],
        cwd=repo, env={**os.environ, **AGENT}, stdout=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"], f["code"], f["severity"]) for f in findings] == [
        (".pre-commit-config.yaml", 5, "DW707", "high"),  # where the removed line stood
        ("pyproject.toml", 5, "DW707", "medium"),
    ]
    assert "removes the diffwarden hooks `test-tampering`" in findings[0]["message"]
    git(repo, "rm", "-q", "-f", ".pre-commit-config.yaml")
    git(repo, "checkout", "-q", "HEAD", "--", "pyproject.toml")
    assert check(repo, env=AGENT)[:2] == (1, [(".pre-commit-config.yaml", 1, "DW707")])


def commit(repo: Path, message: str, *config: str) -> str:
    git(repo, "add", "-A")
    git(repo, *config, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_each_commit_of_a_range_is_judged_by_its_own_provenance(repo: Path) -> None:
    start(repo, {"tests/test_refund.py": REFUND})
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo, "shop.py", "def refund(x):\n    return x\n")
    commit(repo, "a person's commit")
    write(repo, "tests/test_refund.py", REFUND.replace("assert refund(10) == 10", "assert True"))
    agent = commit(repo, "Make the tests pass" + TRAILER)
    code, found, scope = check(repo, "--from-ref", base, "--to-ref", "HEAD")
    assert (code, found) == (1, [("tests/test_refund.py", 7, "DW703")])
    assert f"profile strict for 1 of 2 commits (commit {agent[:10]}, commit message" in scope
    assert scope.endswith("standard for the rest; judged strict: tests/test_refund.py:7 DW703")
    env = {"PRE_COMMIT_FROM_REF": base, "PRE_COMMIT_TO_REF": "HEAD"}
    assert check(repo, env=env)[:2] == (1, [("tests/test_refund.py", 7, "DW703")])
    # the same range, ending before the agent's commit, is a person's
    assert check(repo, "--from-ref", base, "--to-ref", "HEAD~1")[:2] == (0, [])


def test_an_assistant_identity_in_a_range_makes_it_strict(repo: Path) -> None:
    start(repo, {"tests/test_refund.py": REFUND})
    base = git(repo, "rev-parse", "HEAD").strip()
    write(
        repo,
        "tests/test_refund.py",
        REFUND.replace("def test_refund", "@pytest.mark.xfail\ndef test_refund", 1),
    )
    commit(repo, "tidy", "-c", "user.name=Dev (aider)")
    code, found, scope = check(repo, "--from-ref", base, "--to-ref", "HEAD")
    assert (code, found) == (1, [("tests/test_refund.py", 6, "DW702")])
    assert "aider: the identity is Dev (aider)" in scope


def test_from_ref_needs_to_ref(repo: Path) -> None:
    start(repo, {"a.py": "x = 1\n"})
    code, _, error = check(repo, "--from-ref", "HEAD")
    assert code == 2
    assert error.strip() == "diffwarden: error: --from-ref and --to-ref go together"
