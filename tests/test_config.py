"""`[tool.diffwarden]` in pyproject.toml: strict checks, selectors, globs, fail-on, rule options."""

from __future__ import annotations

from pathlib import Path
from typing import List, Set, Tuple

import pytest

from cli_helpers import Run, run_cli, run_main, write

ALLOWED_KEYS = (
    "select, ignore, per-file-ignores, exclude, fail-on, max-file-size, cache, profile, "
    "provenance, rules"
)
# one finding of each of four codes, on lines 2-5
MIXED = (
    "import os, pickle, subprocess\n"
    "eval(a)\n"
    "subprocess.run(cmd, shell=True)\n"
    "os.system(cmd)\n"
    "pickle.loads(b)\n"
)


def project(tmp_path: Path, config: str, files: "dict[str, str] | None" = None) -> Path:
    """A folder with this pyproject.toml and these files (default: app.py holding MIXED)."""
    write(tmp_path / "pyproject.toml", config)
    for name, text in (files if files is not None else {"app.py": MIXED}).items():
        write(tmp_path / name, text)
    return tmp_path


def config_error(tmp_path: Path, config: str, *args: str) -> Run:
    """Run on app.py under `config`, which must stop the run with exit 2 and one line."""
    run = run_cli(project(tmp_path, config), "--scope", "file", *args, "app.py")
    assert run.code == 2
    assert run.out == "" and run.err.count("\n") == 1, run.err
    return run


def pyproject(tmp_path: Path) -> str:
    """The config path as the error names it (found by walking up from the real cwd)."""
    return str((tmp_path / "pyproject.toml").resolve())


def codes(run: Run) -> Set[str]:
    return {code for _, _, _, code in run.findings()}


def test_unknown_top_level_key_names_file_key_and_allowed_keys(tmp_path: Path) -> None:
    run = config_error(tmp_path, '[tool.diffwarden]\nselct = ["ALL"]\n')
    assert run.err == (
        f"diffwarden: error: {pyproject(tmp_path)}: [tool.diffwarden] selct: "
        f"unknown key; allowed keys are {ALLOWED_KEYS}\n"
    )


@pytest.mark.parametrize(
    "setting, problem",
    [
        ('select = "DW1"', "select: must be a list of strings"),
        ("ignore = [102]", "ignore: must be a list of strings"),
        ('exclude = "vendor"', "exclude: must be a list of strings"),
        ('fail-on = "severe"', "fail-on: must be one of low, medium, high, critical"),
        ('fail-on = "info"', "fail-on: must be one of low, medium, high, critical"),
        ("max-file-size = -1", "max-file-size: must be a positive number of bytes"),
        ('max-file-size = "big"', "max-file-size: must be a positive number of bytes"),
        ('cache = "yes"', "cache: must be true or false"),
        ('per-file-ignores = ["scripts/*"]', "per-file-ignores: must be a table of glob = [codes]"),
        (
            'per-file-ignores = { "scripts/*" = "DW1" }',
            "per-file-ignores.scripts/*: must be a list of strings",
        ),
        ("rules = 1", "rules: must be a table of rule-name tables"),
        ('select = ["DW99"]', "select: DW99 names no code, rule or hook (see --list-rules)"),
        ('ignore = ["shell"]', "ignore: shell names no code, rule or hook (see --list-rules)"),
        (
            'per-file-ignores = { "scripts/*" = ["DW999"] }',
            "per-file-ignores.scripts/*: DW999 names no code, rule or hook (see --list-rules)",
        ),
    ],
)
def test_value_of_the_wrong_type_is_exit_2_naming_the_key(
    tmp_path: Path, setting: str, problem: str
) -> None:
    run = config_error(tmp_path, f"[tool.diffwarden]\n{setting}\n")
    assert run.err == f"diffwarden: error: {pyproject(tmp_path)}: [tool.diffwarden] {problem}\n"


@pytest.mark.parametrize(
    "table, problem",
    [
        (
            "[tool.diffwarden.rules.nope]\nx = 1",
            "rules.nope: no rule has this name; `diffwarden --list-rules` lists them",
        ),
        (
            "[tool.diffwarden.rules.subprocess-shell-true]\nreport-literals = false",
            "rules.subprocess-shell-true.report-literals: unknown option; "
            "subprocess-shell-true takes: report-literal",
        ),
        (
            '[tool.diffwarden.rules.subprocess-shell-true]\nreport-literal = "no"',
            "rules.subprocess-shell-true.report-literal: must be true or false",
        ),
        (
            '[tool.diffwarden.rules.pickle-load]\nextra-functions = "mylib.load_blob"',
            "rules.pickle-load.extra-functions: must be a list of strings",
        ),
        (
            "[tool.diffwarden.rules]\npickle-load = 1",
            "rules.pickle-load: must be a table of options",
        ),
    ],
    ids=["unknown-rule", "unknown-option", "bool-option", "list-option", "rule-not-a-table"],
)
def test_bad_rule_table_is_exit_2_naming_rules_name_option(
    tmp_path: Path, table: str, problem: str
) -> None:
    run = config_error(tmp_path, table + "\n")
    assert run.err == f"diffwarden: error: {pyproject(tmp_path)}: [tool.diffwarden] {problem}\n"


def test_tool_diffwarden_that_is_not_a_table_is_exit_2(tmp_path: Path) -> None:
    run = config_error(tmp_path, "[tool]\ndiffwarden = 1\n")
    assert (
        run.err == f"diffwarden: error: {pyproject(tmp_path)}: [tool.diffwarden] must be a table\n"
    )


def test_broken_toml_is_one_line_naming_the_file(tmp_path: Path) -> None:
    run = config_error(tmp_path, "[tool.diffwarden\nselect = []\n")
    assert run.err.startswith(f"diffwarden: error: {pyproject(tmp_path)}: cannot read TOML: ")


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("missing.toml", None, "no such config file"),
        ("other.toml", "[project]\nname = 'x'\n", "no [tool.diffwarden] table"),
    ],
)
def test_config_option_needs_a_file_with_the_table(
    tmp_path: Path, name: str, content: "str | None", problem: str
) -> None:
    if content is not None:
        write(tmp_path / name, content)
    run = config_error(tmp_path, "", "--config", name)
    assert run.err == f"diffwarden: error: {name}: {problem}\n"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--select", "DW102"], {"DW102"}),
        (["--select", "DW1"], {"DW101", "DW102", "DW103"}),
        (["--select", "subprocess-shell-true,pickle-load"], {"DW102", "DW201"}),
        (["--select", "shell-injection"], {"DW102", "DW103"}),
        (["--select", "ALL", "--ignore", "DW1"], {"DW201"}),
        (["--ignore", "dynamic-code", "--ignore", "unsafe-deserialization"], {"DW102", "DW103"}),
        (["--ignore", "os-shell-command"], {"DW101", "DW102", "DW201"}),
    ],
)
def test_cli_selectors_pick_by_code_prefix_rule_and_hook(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: List[str],
    expected: Set[str],
) -> None:
    folder = project(tmp_path, "[tool.diffwarden]\n")
    run = run_main(
        folder, monkeypatch, capsys, "--scope", "file", "--format", "json", *args, "app.py"
    )
    assert (run.code, codes(run)) == (1, expected)


@pytest.mark.parametrize(
    "config, expected",
    [
        ('select = ["DW1"]\nignore = ["os-shell-command"]', {"DW101", "DW102"}),
        ('select = ["unsafe-deserialization", "DW101"]', {"DW101", "DW201"}),
    ],
)
def test_config_selectors_pick_by_code_prefix_rule_and_hook(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    expected: Set[str],
) -> None:
    folder = project(tmp_path, f"[tool.diffwarden]\n{config}\n")
    run = run_main(folder, monkeypatch, capsys, "--scope", "file", "--format", "json", "app.py")
    assert codes(run) == expected


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selector_on_the_command_line_is_exit_2(tmp_path: Path, option: str) -> None:
    run = config_error(tmp_path, "", option, "DW99")
    assert run.err == "diffwarden: error: DW99 names no code, rule or hook (see --list-rules)\n"


def test_single_hook_accepts_config_written_for_every_hook(tmp_path: Path) -> None:
    """The hooks share one config: a code or rule table of another hook is not a typo there."""
    folder = project(
        tmp_path,
        '[tool.diffwarden]\nignore = ["DW203"]\n'
        '[tool.diffwarden.rules.pickle-load]\nextra-functions = ["mylib.load_blob"]\n',
    )
    run = run_cli(folder, "--scope", "file", "--format", "json", "app.py", hook="shell_injection")
    assert (run.code, run.err) == (1, "")
    assert run.findings() == [("app.py", 3, 1, "DW102"), ("app.py", 4, 1, "DW103")]


def test_per_file_ignores_drop_one_code_under_a_glob_and_exclude_drops_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    risky = "import os, subprocess\nos.system(cmd)\nsubprocess.run(cmd, shell=True)\n"
    folder = project(
        tmp_path,
        '[tool.diffwarden]\nexclude = ["vendor"]\nper-file-ignores = { "scripts/*" = ["DW103"] }\n',
        {"scripts/deploy.py": risky, "app.py": risky, "vendor/lib/v.py": risky},
    )
    run = run_main(folder, monkeypatch, capsys, "--scope", "file", "--format", "json", ".")
    assert run.findings() == [
        ("./app.py", 2, 1, "DW103"),
        ("./app.py", 3, 1, "DW102"),
        ("./scripts/deploy.py", 3, 1, "DW102"),
    ]
    excluded = run_main(folder, monkeypatch, capsys, "--scope", "file", "vendor/lib/v.py")
    assert (excluded.code, excluded.out) == (0, "")


LOW_AND_HIGH = {"low.py": "import os\nos.system('ls')\n", "high.py": "import os\nos.system(cmd)\n"}


@pytest.mark.parametrize(
    "config, args, name, code",
    [
        ('fail-on = "high"', [], "low.py", 0),
        ('fail-on = "high"', [], "high.py", 1),
        ('fail-on = "high"', ["--fail-on", "low"], "low.py", 1),
        ("", ["--fail-on", "critical"], "high.py", 0),
        ("", [], "low.py", 1),
    ],
    ids=["config-high-low", "config-high-high", "cli-low-wins", "cli-critical", "default-low"],
)
def test_fail_on_sets_the_lowest_failing_severity_and_findings_are_still_printed(
    tmp_path: Path, config: str, args: List[str], name: str, code: int
) -> None:
    folder = project(tmp_path, f"[tool.diffwarden]\n{config}\n", LOW_AND_HIGH)
    run = run_cli(folder, "--scope", "file", *args, name)
    assert run.code == code
    assert run.out.startswith(f"{name}:2:1: DW103 `os.system` runs ")


SHELL = "import subprocess\nsubprocess.run('ls', shell=True)\nsubprocess.run(cmd, shell=True)\n"
LOADER = "import mylib\nobj = mylib.load_blob(x)\n"


@pytest.mark.parametrize(
    "options, code, expected",
    [
        ("", SHELL, [(2, 1, "DW102"), (3, 1, "DW102")]),
        (
            "[tool.diffwarden.rules.subprocess-shell-true]\nreport-literal = false",
            SHELL,
            [(3, 1, "DW102")],
        ),
        ("", LOADER, []),
        (
            '[tool.diffwarden.rules.pickle-load]\nextra-functions = ["mylib.load_blob"]',
            LOADER,
            [(2, 7, "DW201")],
        ),
    ],
    ids=["report-literal-default", "report-literal-false", "no-extra-functions", "extra-functions"],
)
def test_rule_option_reaches_the_rule(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    options: str,
    code: str,
    expected: List[Tuple[int, int, str]],
) -> None:
    folder = project(tmp_path, f"[tool.diffwarden]\n{options}\n", {"app.py": code})
    run = run_main(folder, monkeypatch, capsys, "--scope", "file", "--format", "json", "app.py")
    assert [(line, col, found) for _, line, col, found in run.findings()] == expected
