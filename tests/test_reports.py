"""JSON and SARIF outputs parsed back; SARIF validated against the official 2.1.0 schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import jsonschema

from conftest import ROOT

# the OASIS SARIF 2.1.0 schema (errata 01), copied from the specification repository
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
RISKY = (
    "import os, pickle\n"
    "def f(cmd, blob):\n"
    "    os.system(cmd)\n"
    "    return pickle.loads(blob)\n"
    "x = eval(  # diffwarden: ignore[DW101]\n"
    "    y)\n"
)


def run(tmp_path: Path, fmt: str, text: str = RISKY, name: str = "my app.py") -> Dict[str, Any]:
    (tmp_path / name).write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--scope", "file", "--format", fmt, name],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_json_carries_every_field_of_each_finding(tmp_path: Path) -> None:
    document = run(tmp_path, "json")
    codes = [(f["code"], f["line"], f["col"]) for f in document["findings"]]
    assert codes == [("DW103", 3, 5), ("DW201", 4, 12), ("DW101", 5, 5), ("DW002", 5, 14)]
    first = document["findings"][0]
    assert first == {
        "code": "DW103",
        "name": "os-shell-command",
        "severity": "high",
        "confidence": "high",
        "cwe": ["CWE-78"],
        "path": "my app.py",
        "line": 3,
        "col": 5,
        "end_line": 3,
        "end_col": 19,
        "message": "`os.system` runs a command built from untrusted input; "
        "`cmd` is a parameter of the function",
        "hint": "use subprocess.run with a list of arguments; quote any value with shlex.quote",
        "fix": "none",
    }


def test_sarif_is_valid_against_the_official_schema_and_ready_for_code_scanning(
    tmp_path: Path,
) -> None:
    document = run(tmp_path, "sarif")
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run_ = document["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["DW103"]["properties"]["security-severity"] == "8.0"
    assert "external/cwe/cwe-78" in rules["DW103"]["properties"]["tags"]
    result = run_["results"][0]
    assert result["ruleId"] == "DW103" and result["level"] == "error"
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "DW103"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20app.py"
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 19}


def test_sarif_fingerprints_survive_code_moving_down_and_differ_between_twins(
    tmp_path: Path,
) -> None:
    twice = "import os\ndef f(a, b):\n    os.system(a)\n    os.system(a)\n"
    before = run(tmp_path, "sarif", twice)["runs"][0]["results"]
    after = run(tmp_path, "sarif", "\n\n# moved\n" + twice)["runs"][0]["results"]
    prints_before = [r["partialFingerprints"]["diffwarden/v1"] for r in before]
    prints_after = [r["partialFingerprints"]["diffwarden/v1"] for r in after]
    assert prints_before == prints_after
    assert len(set(prints_before)) == 2
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [6, 7]


def test_text_output_is_flake8_shaped_with_hint_and_summary(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system('ls')\nos.system(x)\n")
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--scope", "file", "a.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "a.py:2:1: DW103 `os.system` runs a fixed command [CWE-78]",
        "    low · os-shell-command · hint: use subprocess.run with a list of arguments; "
        "quote any value with shlex.quote",
        "a.py:3:1: DW103 `os.system` runs a computed command [CWE-78]",
        "    high · os-shell-command · hint: use subprocess.run with a list of arguments; "
        "quote any value with shlex.quote",
        "diffwarden: 2 findings (1 high, 1 low) in 1 file; scope: whole files; "
        "profile standard (no assistant signal)",
    ]


def test_clean_run_prints_nothing_and_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import subprocess\nsubprocess.run(['ls'])\n")
    result = subprocess.run(
        [sys.executable, "-m", "hooks", "--scope", "file", "a.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
