"""The sensitive-paths hook against real repositories: workflows, .pth files and setup.py."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import Run, run_cli, write
from conftest import commit_all, git
from hooks.sensitive_paths import place

WORKFLOW = (
    "on: pull_request_target\n"
    "jobs:\n"
    "  test:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - run: make test\n"
    "        env:\n"
    "          TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n"
)


def check(repo: Path, *args: str) -> Run:
    return run_cli(repo, "--select", "sensitive-paths", "--format", "json", *args)


def test_checking_out_the_head_in_an_old_pull_request_target_workflow(repo: Path) -> None:
    path = ".github/workflows/pr.yml"
    write(repo / path, WORKFLOW)
    commit_all(repo)
    # the change adds only the checkout of the PR head: the trigger and secret lines are old
    changed = WORKFLOW.replace(
        "actions/checkout@v4\n",
        "actions/checkout@v4\n        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n",
    )
    write(repo / path, changed)
    git(repo, "add", "-A")
    result = check(repo, path)
    assert result.code == 1
    [(line, col, code, message)] = result.messages()
    assert (line, col, code) == (8, 20, "DW606")
    assert "pull_request_target" in message


def test_a_new_secret_is_reported_and_an_old_one_is_not(repo: Path) -> None:
    path = ".github/workflows/release.yml"
    safe = WORKFLOW.replace("pull_request_target", "push")
    write(repo / path, safe)
    commit_all(repo)
    write(repo / path, safe + "          PYPI: ${{ secrets.PYPI_TOKEN }}\n")
    git(repo, "add", "-A")
    assert check(repo, path).findings() == [(path, 10, 17, "DW606")]


def test_pth_imports_and_setup_py_commands(repo: Path) -> None:
    write(repo / "src/extra.pth", "../vendor\nimport _hook; _hook.install()\n")
    write(
        repo / "setup.py",
        "import subprocess\nfrom setuptools import setup\n\n"
        "subprocess.check_call(['npm', 'run', 'build'])\nsetup(name='app')\n",
    )
    write(repo / "tools/build.py", "import subprocess\nsubprocess.check_call(['make'])\n")
    git(repo, "add", "-A")
    result = check(repo, "src/extra.pth", "setup.py", "tools/build.py")
    assert result.findings() == [("setup.py", 4, 1, "DW606"), ("src/extra.pth", 2, 1, "DW606")]


def test_places_are_known_by_their_path() -> None:
    assert place(".github/workflows/ci.yaml") == "workflow"
    assert place("docs/examples/.github/workflows/ci.yml") == "workflow"
    assert place("ci.yml") is None
    assert place("lib/site-packages/x.pth") == "pth"
    assert place("src/sitecustomize.py") == "startup"
    assert place("pkg/setup.py") == "setup.py" and place("setup.py.txt") is None
