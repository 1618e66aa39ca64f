"""The engine's promises about cost: a clean commit never imports libcst, and the cache serves
repeat runs without parsing, stays correct when corrupted, and follows rule options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from conftest import commit_all, git

PROBE = (
    "import json, sys\n"
    "from hooks.engine.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'libcst': 'libcst' in sys.modules}), file=sys.stderr)\n"
)


def probe(cwd: Path, *args: str) -> "dict[str, object]":
    """Run the CLI in a fresh interpreter; report its exit code and whether libcst was imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--format", "json", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    state = json.loads(result.stderr.strip().splitlines()[-1])
    state["findings"] = [f["code"] for f in json.loads(result.stdout)["findings"]]
    state["scope"] = json.loads(result.stdout)["scope"]
    return state


def test_a_commit_with_nothing_suspicious_imports_no_parser_and_asks_git_nothing(
    repo: Path,
) -> None:
    for i in range(3):
        (repo / f"m{i}.py").write_text("def add(a, b):\n    return a + b  # evaluation order\n")
    git(repo, "add", "-A")
    state = probe(repo, "m0.py", "m1.py", "m2.py")
    assert state == {
        "code": 0,
        "libcst": False,
        "findings": [],
        "scope": "not needed: no file had a trigger",
    }


def test_a_file_with_a_trigger_word_is_parsed(repo: Path) -> None:
    (repo / "m.py").write_text("import os\nos.system(cmd)\n")
    git(repo, "add", "-A")
    state = probe(repo, "m.py")
    assert (state["code"], state["libcst"], state["findings"]) == (1, True, ["DW103"])
    assert state["scope"] == "git diff --cached; profile standard (no assistant signal)"


def test_a_warm_cache_answers_without_importing_libcst(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import os\nos.system(cmd)\nos.system('ls')\n")
    first = probe(tmp_path, "--scope", "file", "m.py")
    second = probe(tmp_path, "--scope", "file", "m.py")
    assert first["findings"] == second["findings"] == ["DW103", "DW103"]
    assert (first["libcst"], second["libcst"]) == (True, False)


def cache_files() -> List[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"], "diffwarden").glob("*/*.json"))


def test_corrupt_cache_entries_are_ignored_and_rewritten(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import os\nos.system(cmd)\n")
    probe(tmp_path, "--scope", "file", "m.py")
    entries = cache_files()
    assert len(entries) == 1
    entries[0].write_text("{not json")
    state = probe(tmp_path, "--scope", "file", "m.py")
    assert (state["findings"], state["libcst"]) == (["DW103"], True)
    assert json.loads(entries[0].read_text())[0][0] == "DW103"


def test_changing_a_rule_option_does_not_reuse_old_cached_findings(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import subprocess\nsubprocess.run('ls', shell=True)\n")
    assert probe(tmp_path, "--scope", "file", "m.py")["findings"] == ["DW102"]
    (tmp_path / "pyproject.toml").write_text(
        "[tool.diffwarden.rules.subprocess-shell-true]\nreport-literal = false\n"
    )
    assert probe(tmp_path, "--scope", "file", "m.py")["findings"] == []


def test_editing_diffwarden_code_in_place_does_not_reuse_old_cached_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hooks.engine import fastpath, registry
    from hooks.engine.runner import fingerprint

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "rule.py").write_text("TRIGGERS = ('eval',)\n")
    monkeypatch.setattr(fastpath, "HOOKS", str(hooks))
    rules = [(rule, {}) for rule in registry.all_rules()[:3]]
    before = fingerprint(rules)
    assert fingerprint(rules) == before
    (hooks / "rule.py").write_text("TRIGGERS = ('eval', 'exec')\n")
    assert fingerprint(rules) != before


def test_no_cache_flag_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import os\nos.system(cmd)\n")
    probe(tmp_path, "--scope", "file", "--no-cache", "m.py")
    assert cache_files() == []


def test_diff_scope_results_are_cached_per_set_of_added_lines(repo: Path) -> None:
    (repo / "m.py").write_text("import os\n\ndef a(x):\n    os.system(x)\n")
    commit_all(repo)
    (repo / "m.py").write_text(
        "import os\n\ndef a(x):\n    os.system(x)\n\ndef b(y):\n    os.popen(y)\n"
    )
    git(repo, "add", "-A")
    assert probe(repo, "m.py")["findings"] == ["DW103"]
    again = probe(repo, "m.py")
    assert (again["findings"], again["libcst"]) == (["DW103"], False)


FAST_PROBE = (
    "import json, sys\n"
    "from hooks.engine.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps([code, 'hooks.engine.command' in sys.modules]), file=sys.stderr)\n"
)


def fast_probe(cwd: Path, *args: str) -> "list[object]":
    result = subprocess.run(
        [sys.executable, "-c", FAST_PROBE, *args],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )  # fmt: skip
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_a_clean_commit_is_settled_by_the_shipped_manifest_before_the_engine_is_imported(
    tmp_path: Path,
) -> None:
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    assert fast_probe(tmp_path, "m.py") == [0, False], "no config: the shipped manifest"
    assert fast_probe(tmp_path, "--no-cache", "--scope", "file", "m.py") == [0, False]
    assert fast_probe(tmp_path, "--select", "DW1", "m.py") == [0, True], "options: not shipped"
    (tmp_path / "r.py").write_text("import os\nos.system(cmd)\n")
    assert fast_probe(tmp_path, "m.py", "r.py") == [1, True], "a trigger takes the normal path"
    (tmp_path / ".env").write_text("A=1\n")
    assert fast_probe(tmp_path, "m.py", ".env") == [1, True], "a name a rule judges (DW502)"


def test_python_triggers_in_a_text_file_do_not_take_the_normal_path(tmp_path: Path) -> None:
    """Python rules read Python files only: words of theirs in prose leave the fast path on."""
    prose = "Call eval() on the request, then os.system.\nfrom the docs import nothing\n"
    (tmp_path / "NOTES.md").write_text(prose)
    assert fast_probe(tmp_path, "NOTES.md") == [0, False]
    (tmp_path / "notes.py").write_text(f'"""{prose}"""\n')
    assert fast_probe(tmp_path, "notes.py") == [0, True], "in a Python file they count"


def test_a_run_given_no_files_settles_a_clean_staged_change_without_the_engine(
    repo: Path,
) -> None:
    """The always-run hooks and commit-msg see the whole staged change: a clean one is settled
    by the fast path; a test file, a deletion or a range in the environment is not."""
    (repo / "m.py").write_text("def add(a, b):\n    return a + b\n")
    (repo / "test_m.py").write_text("def test_add():\n    assert 1 + 1 == 2\n")
    commit_all(repo)
    (repo / "m.py").write_text("def add(a, b):\n    return a + b + 0\n")
    (repo / "n.py").write_text("def sub(a, b):\n    return a - b\n")
    git(repo, "add", "-A")
    assert fast_probe(repo) == [0, False]
    message = repo / "MSG"
    message.write_text("Add sub\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    assert fast_probe(repo, "--message-file", str(message)) == [0, False]
    assert fast_probe(repo, "--select", "test-tampering") == [0, True], "options: argparse"
    (repo / "test_m.py").write_text(
        "import pytest\n\n@pytest.mark.skip\ndef test_add():\n    pass\n"
    )
    git(repo, "add", "-A")
    assert fast_probe(repo)[1] is True, "a test file: the rules that compare versions"
    git(repo, "checkout", "HEAD", "--", "test_m.py")
    git(repo, "rm", "-q", "-f", "m.py")
    assert fast_probe(repo) == [0, True], "a deletion: the normal path"


HOOK_SCRIPT_PROBE = (
    "import json, sys\n"
    "from hooks.engine.entries import test_tampering\n"
    "code = test_tampering([])\n"
    "print(json.dumps([code, 'hooks.test_tampering' in sys.modules]), file=sys.stderr)\n"
)


def test_a_hook_script_settles_a_clean_change_before_importing_its_module(repo: Path) -> None:
    """`diffwarden-test-tampering` runs on every commit: its rules are imported only when the
    staged change has something for them."""
    (repo / "test_m.py").write_text("def test_add():\n    assert 1 + 1 == 2\n")
    commit_all(repo)
    (repo / "m.py").write_text("def add(a, b):\n    return a + b\n")
    git(repo, "add", "-A")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}

    def probe() -> "list[object]":
        result = subprocess.run(
            [sys.executable, "-c", HOOK_SCRIPT_PROBE],
            cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
            env={**env, "CLAUDECODE": "1"},  # an assistant's change: the hook's rules are on
        )  # fmt: skip
        return json.loads(result.stderr.strip().splitlines()[-1])

    assert probe() == [0, False]
    skipped = "import pytest\n\n@pytest.mark.skip\ndef test_add():\n    assert 1 + 1 == 2\n"
    (repo / "test_m.py").write_text(skipped)
    git(repo, "add", "-A")
    assert probe() == [1, True], "a skipped test: the hook's rules run and report"
    with pytest.raises(ImportError):
        exec("from hooks.engine.entries import not_a_hook")  # diffwarden: ignore[DW101] a test


def test_the_staged_paths_are_relative_to_here_from_the_top_or_a_subfolder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the top (where pre-commit runs hooks) git is asked once; below it, for the top too."""
    from hooks.engine import fastpath

    (repo / "pkg").mkdir()
    (repo / "pkg" / "m.py").write_text("x = 1\n")
    (repo / "top.py").write_text("y = 2\n")
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    assert sorted(fastpath.staged_paths() or []) == ["pkg/m.py", "top.py"]
    monkeypatch.chdir(repo / "pkg")
    assert sorted(fastpath.staged_paths() or []) == ["../top.py", "m.py"]
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_WORK_TREE", str(repo))
    assert sorted(fastpath.staged_paths() or []) == ["pkg/m.py", "top.py"]


def test_a_range_in_the_environment_is_not_taken_for_the_staged_change(repo: Path) -> None:
    (repo / "m.py").write_text("def add(a, b):\n    return a + b\n")
    commit_all(repo)
    env = {"PRE_COMMIT_FROM_REF": "HEAD", "PRE_COMMIT_TO_REF": "HEAD"}
    result = subprocess.run(
        [sys.executable, "-c", FAST_PROBE],
        cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
        env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )  # fmt: skip
    assert json.loads(result.stderr.strip().splitlines()[-1]) == [0, True]


def test_with_a_config_the_first_full_run_writes_the_manifest_the_next_one_reads(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.diffwarden]\nignore = ['DW705']\n")
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    assert fast_probe(tmp_path, "m.py") == [0, True], "the first run writes the manifest"
    assert fast_probe(tmp_path, "m.py") == [0, False]
    assert fast_probe(tmp_path, "--select", "DW1", "m.py") == [0, True], "other options, other key"
    assert fast_probe(tmp_path, "--no-cache", "m.py") == [0, True]


@pytest.mark.parametrize(
    "args, code",
    [
        (["--format", "json"], 0),  # a JSON report is printed even when clean
        (["--output", "report.txt"], 0),
        (["--unsafe-fixes"], 2),  # a usage error is still one
        (["--from-ref", "HEAD"], 2),
    ],
)
def test_runs_whose_clean_outcome_is_not_silence_take_the_normal_path(
    tmp_path: Path, args: List[str], code: int
) -> None:
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    assert fast_probe(tmp_path, "m.py") == [0, False]
    assert fast_probe(tmp_path, *args, "m.py") == [code, True]


def test_a_json_report_of_a_clean_commit_is_a_report(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def add(a, b):\n    return a + b\n")
    for _ in range(2):  # the second run finds the first one's manifest
        result = subprocess.run(
            [sys.executable, "-m", "hooks", "--format", "json", "m.py"],
            cwd=tmp_path, capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )  # fmt: skip
        assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])


@pytest.mark.parametrize(
    "argv, files",
    [
        (["a.py", "b.py"], ["a.py", "b.py"]),
        (["--fix", "--no-cache", "a.py"], ["a.py"]),
        (["--scope", "file", "a.py"], ["a.py"]),
        (["--scope=diff", "--diff-base", "HEAD~1", "a.py"], ["a.py"]),
        (["--", "-odd.py"], ["-odd.py"]),
        (["--jobs", "2", "-j=1", "a.py"], ["a.py"]),
        (["--jobs=0", "a.py"], None),  # argparse says why
        (["-j", "two", "a.py"], None),
        (["--scope", "all", "a.py"], None),  # argparse says why
        (["--scope"], None),
        (["--select", "DW1", "a.py"], None),
        (["--no-cache"], None),
        (["--format=json", "a.py"], None),
        (["--help"], None),
        (["-", "a.py"], None),
    ],
)
def test_only_plain_command_lines_skip_argparse(argv: List[str], files: "List[str] | None") -> None:
    from hooks.engine.cli import _plain_files

    assert _plain_files(argv) == files
