"""The rule catalogue: what a run knows of every rule without importing its hook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.engine import manifests, registry

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalogue_names_every_rule_as_the_hook_modules_define_it() -> None:
    every = [(r.code, r.name, r.hook) for r in registry.all_rules()]
    assert sorted(tuple(info) for info in registry.catalogue()) == sorted(every)


def test_a_hook_missing_from_the_catalogue_is_found_by_importing_every_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A checkout with a new hook and manifests not yet regenerated loses no rule."""
    monkeypatch.delitem(manifests.CATALOGUE, "xss")
    assert "xss" in {info.hook for info in registry.catalogue()}


def test_a_catalogue_entry_gives_its_class_and_options() -> None:
    info = next(i for i in registry.catalogue() if i.name == "exfiltration-endpoint")
    rule = registry.rule_class(info)
    assert (rule.code, rule.hook) == (info.code, info.hook)
    assert info.options == rule.options and info.options  # a rule with options of its own


PROBE = (
    "import json, sys\n"
    "from hooks.engine.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hooks = sorted(m for m in sys.modules if m.count('.') == 1 and m.startswith('hooks.'))\n"
    "print(json.dumps([code, hooks]), file=sys.stderr)\n"
)


def test_a_run_of_one_hook_imports_only_its_rules(tmp_path: Path) -> None:
    (tmp_path / "risky.py").write_text(
        'import subprocess\nSTRIPE = "sk_live_51H8xQ2eZvKYlo2C8fKt4vQ9w3bA7yRmD"\n'
        "subprocess.run(cmd, shell=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def probe(*args: str) -> "list[object]":
        result = subprocess.run(
            [sys.executable, "-c", PROBE, "--no-cache", "--scope", "file", *args, "risky.py"],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        return json.loads(result.stderr.strip().splitlines()[-1])

    code, imported = probe("--select", "shell-injection")
    assert code == 1 and "hooks.shell_injection" in imported and "hooks.secrets" not in imported
    code, imported = probe("--select", "DW501")
    assert code == 1 and "hooks.secrets" in imported and "hooks.shell_injection" not in imported
    code, imported = probe()
    assert code == 1 and {"hooks.secrets", "hooks.shell_injection", "hooks.xss"} <= set(imported)
