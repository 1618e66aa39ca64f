"""What users read stays in step with the rules: hooks manifest, scripts, README, docs."""

from __future__ import annotations

import subprocess
import sys

import yaml

from conftest import ROOT
from hooks.engine import docs, registry
from hooks.engine.rule import ChangeRule, FixSafety, TextRule

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HOOK_IDS = [registry.hook_id(m.__name__) for m in registry.hook_modules()]


def manifest() -> "list[dict[str, object]]":
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def test_manifest_and_provenance_page_are_generated_and_up_to_date() -> None:
    assert (ROOT / ".pre-commit-hooks.yaml").read_text() == docs.manifest()
    assert (ROOT / "docs" / "provenance.md").read_text() == docs.provenance_page()


def test_manifest_has_the_all_in_one_hook_and_one_entry_per_hook_module() -> None:
    entries = {h["id"]: h for h in manifest()}
    fixing = {rule.hook for rule in registry.all_rules() if rule.fix is FixSafety.SAFE}
    assert {"unsafe-deserialization", "shell-injection", "network-timeouts"} <= fixing
    with_fix_ids = [
        i for hook in HOOK_IDS for i in (hook, f"{hook}-fix")[: 2 if hook in fixing else 1]
    ]
    assert list(entries) == ["diffwarden", "diffwarden-commit-msg", "diffwarden-fix", *with_fix_ids]
    commit_msg = entries.pop("diffwarden-commit-msg")
    assert (commit_msg["entry"], commit_msg["stages"]) == (
        "diffwarden --message-file",
        ["commit-msg"],
    )
    text_hooks = {rule.hook for rule in registry.all_rules() if issubclass(rule, TextRule)}
    change_hooks = {
        rule.hook
        for rule in registry.all_rules()
        if issubclass(rule, ChangeRule) and rule.whole_change
    }
    assert "secrets" in text_hooks
    assert change_hooks == {"test-tampering", "gate-tampering"}
    for hook_id, entry in entries.items():
        hook = hook_id[: -len("-fix")] if hook_id.endswith("-fix") else hook_id
        expected = "diffwarden" if hook == "diffwarden" else f"diffwarden-{hook}"
        assert entry["entry"] == expected + (" --fix" if hook_id.endswith("-fix") else "")
        assert entry["language"] == "python"
        if hook_id in change_hooks:  # they ask git for the whole change, deletions included
            assert (entry["pass_filenames"], entry["always_run"]) == (False, True)
            continue
        reads_all = hook == "diffwarden" or hook in text_hooks
        assert entry["types"] == (["file"] if reads_all else ["python"])
        assert entry["require_serial"] is False


def test_manifest_passes_pre_commit_validation() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-manifest",
            str(ROOT / ".pre-commit-hooks.yaml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_every_hook_has_a_console_script_that_settles_before_importing_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    scripts = project["scripts"]
    assert scripts.pop("diffwarden") == "hooks.engine.cli:main"
    assert scripts == {
        f"diffwarden-{hook}": f"hooks.engine.entries:{hook.replace('-', '_')}" for hook in HOOK_IDS
    }


def test_readme_lists_every_hook_and_every_rule_code() -> None:
    readme = (ROOT / "README.md").read_text()
    for hook in HOOK_IDS:
        assert f"| `{hook}` |" in readme
    for rule in registry.all_rules():
        assert rule.code in readme, f"{rule.code} is not in the README's hook table"


def test_readme_starts_with_the_install_and_test_commands_that_ci_runs() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    assert "diffwarden --demo" in lines[3]
    assert "python -m pytest" in lines[4]
    assert 'python" -m pytest' in (ROOT / ".ci" / "run").read_text()


def test_the_shipped_fast_path_manifests_are_up_to_date() -> None:
    shipped = ROOT.joinpath(*docs.SHIPPED).read_text(encoding="utf-8")
    assert shipped == docs.fast_path_manifests(), "run `python -m hooks.engine.docs`"


def test_generated_rule_pages_are_up_to_date() -> None:
    folder = ROOT / "docs" / "rules"
    expected = docs.generate()
    stale = [
        name
        for name, text in expected.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]
    extra = sorted(p.name for p in folder.glob("*.md") if p.name not in expected)
    assert (stale, extra) == ([], []), "run `python -m hooks.engine.docs`"
