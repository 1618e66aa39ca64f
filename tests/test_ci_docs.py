"""The CI jobs in docs/ci.md and the README's stages config are valid and do what they say:
their commands run the range check on a real repository and write SARIF."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

from conftest import ROOT, commit_all, git

AGENT_COMMIT = "Make the tests pass\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"


def yaml_blocks(name: str) -> List[Any]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def agent_range(repo: Path) -> Dict[str, str]:
    """A person's commit, then an assistant's that makes a test pass by asserting nothing."""
    (repo / "tests").mkdir()
    (repo / "tests" / "test_refund.py").write_text("def test_refund():\n    assert refund(10)\n")
    commit_all(repo, "start")
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "tests" / "test_refund.py").write_text("def test_refund():\n    assert True\n")
    commit_all(repo, AGENT_COMMIT)
    return {"base": base, "head": git(repo, "rev-parse", "HEAD").strip()}


def run_documented(repo: Path, command: str, values: Dict[str, str]) -> int:
    """A documented `diffwarden ...` line, its variables filled in, run as `python -m hooks`."""
    for name, value in values.items():
        command = command.replace(f'"${name}"', value)
    words = shlex.split(command)
    assert words[0] == "diffwarden", command
    result = subprocess.run(
        [sys.executable, "-m", "hooks", *words[1:]], cwd=repo, env=dict(os.environ),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr and "error" not in result.stderr, result.stderr
    return result.returncode


def sarif_rules(repo: Path) -> List[str]:
    document = json.loads((repo / "diffwarden.sarif").read_text())
    return [result["ruleId"] for result in document["runs"][0]["results"]]


def test_the_github_workflow_runs_the_range_check_and_uploads_sarif(repo: Path) -> None:
    workflow = yaml_blocks("docs/ci.md")[0]
    steps = workflow["jobs"]["diffwarden"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[-1]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert steps[-1]["with"]["sarif_file"] == "diffwarden.sarif"
    refs = agent_range(repo)
    check = steps[3]
    values = {"BASE": refs["base"], "HEAD": refs["head"]}
    assert set(check["env"]) == set(values)
    assert run_documented(repo, check["run"], values) == 1
    assert sarif_rules(repo) == ["DW703"]
    assert run_documented(repo, steps[4]["run"], values) == 1  # the log step, on failure


def test_the_gitlab_job_runs_the_range_check_and_keeps_sarif(repo: Path) -> None:
    job = yaml_blocks("docs/ci.md")[1]["diffwarden"]
    assert job["variables"]["GIT_DEPTH"] == 0
    assert job["artifacts"] == {"when": "always", "paths": ["diffwarden.sarif"]}
    refs = agent_range(repo)
    values = {"CI_MERGE_REQUEST_DIFF_BASE_SHA": refs["base"], "CI_COMMIT_SHA": refs["head"]}
    assert run_documented(repo, job["script"][0], values) == 1
    run_documented(repo, job["after_script"][0], values)
    assert sarif_rules(repo) == ["DW703"]


def test_the_readme_installs_every_stage_with_hooks_that_exist() -> None:
    manifest = {
        hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    config = next(
        block for block in yaml_blocks("README.md") if "default_install_hook_types" in block
    )
    assert config["default_install_hook_types"] == ["pre-commit", "commit-msg", "pre-push"]
    hooks = config["repos"][0]["hooks"]
    assert all(hook["id"] in manifest for hook in hooks)
    stages = {hook["id"]: hook.get("stages", manifest[hook["id"]].get("stages")) for hook in hooks}
    assert stages == {
        "diffwarden": ["pre-commit", "pre-push"],
        "test-tampering": ["pre-commit", "pre-push"],
        "gate-tampering": ["pre-commit", "pre-push"],
        "diffwarden-commit-msg": ["commit-msg"],
    }
