"""The dependency guard against real repositories, the shipped snapshot and real metadata.

No test here uses the network: names are judged against the snapshot in hooks/data/, and the
refresh script is run on a small list written in a tmp folder.
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
import sysconfig
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path
from typing import List, Tuple, Union

import pytest

from cli_helpers import NO_CONFIG, Run, run_cli, write
from conftest import ROOT, commit_all, environ_without_git_vars, git
from hooks._dependencies import declared
from hooks._pypi import TARGETS, normalize, snapshot, typos

BASE = "requests==2.32.3\nflask>=3\n"


def stage(repo: Path, name: str, content: Union[str, bytes]) -> None:
    write(repo / name, content)
    git(repo, "add", "-A")


def check(repo: Path, *args: str) -> Run:
    return run_cli(repo, "--select", "dependency-guard", "--format", "json", *args)


def test_only_the_requirement_lines_a_change_adds_are_judged(repo: Path) -> None:
    # an invented name already committed is not this change's business
    write(repo / "requirements.txt", BASE + "fastjson-parser-utils\n")
    commit_all(repo)
    stage(
        repo,
        "requirements.txt",
        BASE + "fastjson-parser-utils\nnumpy>=1.26\nrequezts==2.31\nlangchain-memory-plus\n",
    )
    result = check(repo, "requirements.txt")
    assert result.code == 1
    assert result.findings() == [
        ("requirements.txt", 5, 1, "DW602"),
        ("requirements.txt", 6, 1, "DW601"),
    ]
    squat, invented = (message for *_, message in result.messages())
    assert "`requezts` looks like `requests`" in squat
    date = snapshot().date
    assert f"`langchain-memory-plus` is not on PyPI: absent from the snapshot of {date}" in invented
    assert "`pip index versions langchain-memory-plus`" in invented


def test_known_packages_pass_whatever_their_spelling(repo: Path) -> None:
    stage(
        repo,
        "requirements-dev.txt",
        "Django>=4.2\nPyYAML\nbeautifulsoup4[lxml]; python_version >= '3.9'\n"
        "ruamel.yaml\nzope_interface\nscikit-learn==1.5.* \\\n    --hash=sha256:0123abcd\n",
    )
    result = check(repo, "requirements-dev.txt")
    assert (result.code, result.findings()) == (0, [])


def test_a_typo_of_a_package_nobody_registered_is_unknown_with_a_guess(repo: Path) -> None:
    stage(repo, "requirements.txt", "reqeusts\n")
    [(line, col, code, message)] = check(repo, "requirements.txt").messages()
    assert (line, col, code) == (1, 1, "DW601")
    assert "(did you mean `requests`?)" in message


def test_a_dependency_added_to_an_existing_pyproject_list_is_found(repo: Path) -> None:
    before = '[project]\nname = "app"\ndependencies = [\n  "httpx>=0.27",\n]\n'
    write(repo / "pyproject.toml", before)
    commit_all(repo)
    after = before.replace('  "httpx>=0.27",\n', '  "httpx>=0.27",\n  "openai-toolkit-helpers",\n')
    stage(repo, "pyproject.toml", after)
    assert check(repo, "pyproject.toml").findings() == [("pyproject.toml", 5, 4, "DW601")]


def test_pip_install_in_a_workflow_and_an_extra_index(repo: Path) -> None:
    stage(
        repo,
        ".github/workflows/ci.yml",
        "jobs:\n  test:\n    steps:\n"
        "      - run: pip install --extra-index-url https://pkgs.example.com/simple mycorp-auth\n"
        "      - run: python -m pip install pytest scikit-learm && pytest\n",
    )
    result = check(repo, ".github/workflows/ci.yml")
    assert result.findings() == [
        (".github/workflows/ci.yml", 4, 44, "DW603"),
        (".github/workflows/ci.yml", 4, 76, "DW601"),
        (".github/workflows/ci.yml", 5, 43, "DW602"),
    ]


def test_allow_accepts_private_names(repo: Path) -> None:
    write(
        repo / "pyproject.toml", '[tool.diffwarden.rules.unknown-package]\nallow = ["mycorp-*"]\n'
    )
    stage(repo, "requirements.txt", "mycorp-auth\nmycorp-billing>=2\notherco-auth\n")
    assert check(repo, "requirements.txt").findings() == [("requirements.txt", 3, 1, "DW601")]


def test_allow_hosts_accepts_the_company_index(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[tool.diffwarden.rules.risky-package-source]\nallow-hosts = ["pkgs.corp.example"]\n',
    )
    stage(
        repo,
        "requirements.txt",
        "--extra-index-url https://pkgs.corp.example/simple\n"
        "tool @ git+https://pkgs.corp.example/git/tool.git@v1\n"
        "other @ https://files.example.net/other-1.0.tar.gz\n",
    )
    assert check(repo, "requirements.txt").findings() == [("requirements.txt", 3, 1, "DW603")]


def test_a_commit_without_a_dependency_file_never_loads_the_snapshot(repo: Path) -> None:
    stage(repo, "app.py", "import requests\nrequests.get('https://x.example', timeout=5)\n")
    stage(repo, "README.md", "Install with `pip install app`.\n")
    probe = (
        "import sys; from hooks.engine.cli import main; code = main(sys.argv[1:]); "
        "print(json.dumps({'code': code, 'loaded': 'hooks._pypi' in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json; " + probe, "--no-cache", "app.py", "README.md"],
        cwd=repo,
        env=environ_without_git_vars(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert result.stderr == b"", result.stderr.decode()
    last = result.stdout.decode().strip().splitlines()[-1]
    assert json.loads(last) == {"code": 0, "loaded": False}


def test_every_declared_shape_is_read_with_its_position() -> None:
    text = (
        "-r base.txt\n-e .\n-e git+https://github.com/x/y.git#egg=ycore\n"
        "--index-url https://idx.example.com/simple\n"
        "mypkg @ https://example.com/mypkg-1.0.tar.gz\n./libs/core\n"
        "numpy>=1.24; python_version >= '3.9'  # why\n"
    )
    found = [(d.line, d.col, d.name, d.source) for d in declared("requirements.txt", text)]
    assert found == [
        (3, 4, "ycore", "a VCS URL"),
        (4, 13, None, "an index that replaces PyPI"),
        (5, 1, "mypkg", "a direct URL"),
        (7, 1, "numpy", ""),
    ]
    cfg = "[options]\ninstall_requires =\n    requests>=2\nsetup_requires = setuptools_scm\n"
    assert [(d.line, d.col, d.name) for d in declared("setup.cfg", cfg)] == [
        (3, 5, "requests"),
        (4, 18, "setuptools_scm"),
    ]
    groups = '[dependency-groups]\ndev = ["pytest", {include-group = "lint"}]\nlint = ["ruff"]\n'
    assert [d.name for d in declared("pyproject.toml", groups)] == ["pytest", "ruff"]


def test_invalid_toml_and_odd_lines_are_skipped_without_error(repo: Path) -> None:
    # the root pyproject.toml holds the config, and must be valid; a package's need not be
    stage(repo, "pyproject.toml", NO_CONFIG)
    stage(repo, "pkg/pyproject.toml", '[project\ndependencies = ["nonexistent-pkg-zz"\n')
    stage(repo, "requirements.txt", "??? not a requirement\n--pre\n${PACKAGE}\n")
    result = check(repo, "pkg/pyproject.toml", "requirements.txt")
    assert (result.code, result.findings()) == (0, [])


def test_the_snapshot_holds_every_popular_name_and_few_invented_ones() -> None:
    shot = snapshot()
    assert len(shot.popular) > TARGETS and shot.count > 500_000
    assert all(name in shot.names for name in shot.popular)
    # names nobody registers: the filter's false "present" rate is about one in a thousand
    generator = random.Random(7)
    invented = [
        "zz-" + "".join(generator.choice(string.ascii_lowercase) for _ in range(18))
        for _ in range(20_000)
    ]
    wrongly_present = sum(name in shot.names for name in invented)
    assert wrongly_present < 60


def test_typos_are_keyboard_typos_and_not_fork_names() -> None:
    near = set(typos("requests"))
    assert {"reqeusts", "requets", "requestss", "rwquests", "requezts"} <= near
    assert "requests2" not in near and "cequests" not in near
    assert snapshot().lookalike("httpx2") is None  # a fork's name, not a typo
    assert snapshot().lookalike("python-kubernetes") == "kubernetes"
    assert normalize("Foo.Bar__baz") == "foo-bar-baz"


def test_the_refresh_script_builds_a_snapshot_that_loads(tmp_path: Path) -> None:
    tsv = tmp_path / "pypi.tsv"
    tsv.write_text(
        "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"
        "Requests\t2.32\t2026-01\t2\tHTTP\nboto3\t1.0\t2026-01\t1\tAWS\n"
        "tiny_lib\t0.1\t2020-01\t\ta library\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "refresh_pypi_snapshot.py"), "--tsv", str(tsv)]
        + ["--date", "2026-01-31", "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    shot = snapshot.__wrapped__(str(tmp_path))
    assert (shot.date, shot.count, shot.popular) == ("2026-01-31", 3, ("boto3", "requests"))
    assert shot.exists("Tiny.Lib") and not shot.exists("tiny-lib-2")


def test_a_damaged_snapshot_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pypi-names.bloom").write_bytes(b"not json\n")
    with pytest.raises(Exception, match="cannot read the PyPI snapshot"):
        snapshot.__wrapped__(str(tmp_path))


def _installed_requirements() -> List[Tuple[str, str]]:
    """(distribution, Requires-Dist line) of every distribution installed beside the tests."""
    found = []
    site = sysconfig.get_paths()["purelib"]
    for dist in metadata.distributions(path=[site]):
        headers = HeaderParser().parsestr(dist.read_text("METADATA") or "")
        found += [(dist.metadata["Name"], line) for line in headers.get_all("Requires-Dist") or []]
    return found


def test_the_requirements_of_installed_packages_are_all_known() -> None:
    """Real metadata: everything pip installed here comes from PyPI, and so do its
    requirements; none may be reported as invented or as a squat."""
    pairs = _installed_requirements()
    assert len(pairs) > 50
    text = "".join(f"{line}\n" for _, line in pairs)
    items = [d for d in declared("requirements.txt", text) if d.name and not d.source]
    assert len(items) > 50
    shot = snapshot()
    assert [d.text for d in items if not shot.exists(d.name or "")] == []
    assert [d.text for d in items if shot.lookalike(d.name or "")] == []
