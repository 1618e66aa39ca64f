"""Assistant-written changes are checked in the strict profile: real commits, real signals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from conftest import commit_all, git
from hooks.engine.provenance import decide, from_identity, from_message

SUPPRESSED = "import os\nos.system(cmd)  # diffwarden: ignore[DW103] cmd is our own constant\n"


def run(repo: Path, *args: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, List[str], str]:
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--format", "json", *args],
        cwd=repo, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    document = json.loads(result.stdout)
    return result.returncode, [f["code"] for f in document["findings"]], document["scope"]


def test_a_persons_change_may_suppress_with_a_reason(repo: Path) -> None:
    (repo / "tool.py").write_text(SUPPRESSED)
    git(repo, "add", "-A")
    assert run(repo, "tool.py")[:2] == (0, [])


def test_an_agents_change_cannot_approve_its_own_finding(repo: Path) -> None:
    (repo / "tool.py").write_text(SUPPRESSED)
    git(repo, "add", "-A")
    code, found, scope = run(repo, "tool.py", env={"CLAUDECODE": "1"})
    assert code == 1
    assert found == ["DW103", "DW701"]
    assert scope.endswith("; profile strict (Claude Code: CLAUDECODE is set)")


def test_a_suppression_a_person_committed_earlier_still_holds_in_strict(repo: Path) -> None:
    (repo / "tool.py").write_text(SUPPRESSED)
    commit_all(repo)
    (repo / "tool.py").write_text(SUPPRESSED + "\n\ndef more():\n    return 1\n")
    git(repo, "add", "-A")
    assert run(repo, "tool.py", env={"CLAUDECODE": "1"})[:2] == (0, [])


@pytest.mark.parametrize(
    "env, signal",
    [
        ({"GIT_AUTHOR_NAME": "Dev (aider)"}, "aider: the identity is Dev (aider)"),
        ({"GIT_COMMITTER_EMAIL": "bot@cursor-agent.dev"}, "Cursor agent"),
        ({"CODEX_SANDBOX": "seatbelt"}, "OpenAI Codex CLI: CODEX_SANDBOX is set"),
    ],
    ids=["author", "committer", "environment"],
)
def test_identities_and_environment_make_the_change_strict(
    repo: Path, env: Dict[str, str], signal: str
) -> None:
    (repo / "tool.py").write_text(SUPPRESSED)
    git(repo, "add", "-A")
    code, found, scope = run(repo, "tool.py", env=env)
    assert (code, found[0]) == (1, "DW103")
    assert "profile strict (" in scope and signal in scope


def test_a_commit_message_trailer_makes_the_change_strict(repo: Path) -> None:
    (repo / "tool.py").write_text(SUPPRESSED)
    git(repo, "add", "-A")
    message = repo / "MSG"
    message.write_text("Fix the tool\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    code, found, scope = run(repo, "--message-file", "MSG", "tool.py")
    assert (code, found) == (1, ["DW103", "DW701"])
    assert "commit message trailer: Co-authored-by: Claude" in scope


def test_declared_strict_profile_counts_every_finding(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.diffwarden]\nprofile = "strict"\nfail-on = "high"\n'
    )
    (repo / "tool.py").write_text("import os\nos.system('ls')\n")  # a low finding
    git(repo, "add", "-A")
    code, found, scope = run(repo, "tool.py")
    assert (code, found) == (1, ["DW103"])
    assert scope.endswith("profile strict (declared in the config)")


def test_without_a_signal_fail_on_still_applies(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.diffwarden]\nfail-on = "high"\n')
    (repo / "tool.py").write_text("import os\nos.system('ls')\n")
    git(repo, "add", "-A")
    assert run(repo, "tool.py")[:2] == (0, ["DW103"])


@pytest.mark.parametrize(
    "identity, expected",
    [
        ("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", True),
        ("devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply>", True),
        ("Ada Lovelace <ada@example.com>", False),
        ("Claudette Colvin <claudette@example.com>", False),
    ],
)
def test_identity_signals_match_bots_and_not_people(identity: str, expected: bool) -> None:
    assert (from_identity(identity) is not None) is expected


def test_trailers_are_read_per_line_and_plain_mentions_do_not_count() -> None:
    assert from_message("Refactor\n\nGenerated with Claude Code\n")
    assert from_message("Explain why Claude was wrong about this\n") is None
    assert decide("standard", {}, "", identities="Ada <ada@example.com>").profile == "standard"


def test_a_repository_adds_its_own_signals_in_config(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.diffwarden.provenance]\nenvironment = ['ACME_AGENT']\n"
        "identities = ['acme-coder\\[bot\\]']\ntrailers = ['^Assisted-by: ']\n"
    )
    (repo / "tool.py").write_text(SUPPRESSED)
    git(repo, "add", "-A")
    assert run(repo, "tool.py")[:2] == (0, [])
    code, found, scope = run(repo, "tool.py", env={"ACME_AGENT": "1"})
    assert (code, found) == (1, ["DW103", "DW701"])
    assert scope.endswith("profile strict (configured: ACME_AGENT is set)")
    (repo / "MSG").write_text("Tidy\n\nAssisted-by: house model\n")
    assert (
        "configured trailer: Assisted-by: house model"
        in run(repo, "--message-file", "MSG", "tool.py")[2]
    )
    env = {"GIT_AUTHOR_NAME": "acme-coder[bot]"}
    assert "configured: the identity is acme-coder[bot]" in run(repo, "tool.py", env=env)[2]
    assert from_identity("acme-coder[bot] <a@b>") is None, "the built-in table is unchanged"


@pytest.mark.parametrize(
    "table, error",
    [
        ("identities = ['(unclosed']", "provenance.identities: '(unclosed' is not a regular"),
        ("agents = ['x']", "provenance.agents: unknown key; allowed keys are environment"),
        ("environment = 'ACME'", "provenance.environment: must be a list of strings"),
    ],
)
def test_bad_signal_config_is_a_one_line_error(repo: Path, table: str, error: str) -> None:
    (repo / "pyproject.toml").write_text(f"[tool.diffwarden.provenance]\n{table}\n")
    (repo / "tool.py").write_text("import os\nos.system('ls')\n")
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "tool.py"], cwd=repo,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and error in result.stderr, result.stderr
