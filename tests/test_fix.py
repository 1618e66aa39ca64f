"""--fix, --unsafe-fixes and --diff on real files: what every fix guarantees (issue 4).

The byte-exact result of each rule's fix is tested by its examples (test_examples.py); here are
the guarantees of the engine around them: bytes, encodings, scope, loops, writes.
"""

from __future__ import annotations

import ast
import json
import os
import stat
from pathlib import Path

import pytest

from cli_helpers import NO_CONFIG, Run, run_cli, run_main, write
from conftest import commit_all, git
from hooks.engine import fix
from hooks.engine.config import Config
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Rule, Severity
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope
from hooks.engine.source import Source

FIX = ("--scope", "file", "--no-cache", "--fix")
# a finding without a fix, and one with: pickle has no safe rewrite, yaml.load has
UNFIXABLE = "import pickle\nstate = pickle.loads(blob)\n"
FIXABLE = "import yaml\nconfig = yaml.load(stream)\n"


@pytest.fixture
def project(repo: Path) -> Path:
    write(repo / "pyproject.toml", NO_CONFIG)
    return repo


def fixed_run(project: Path, *args: str) -> Run:
    return run_cli(project, *FIX, *args)


@pytest.mark.parametrize(
    "content",
    [
        UNFIXABLE.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + UNFIXABLE.encode(),
        ("import pickle\nif True:\n\tstate = pickle.loads(blob)\n").encode(),
        "# -*- coding: latin-1 -*-\nimport pickle\nname = 'café'\npickle.loads(b)\n".encode(
            "latin-1"
        ),
        UNFIXABLE.rstrip("\n").encode(),
    ],
    ids=["crlf", "bom", "tabs", "latin-1-cookie", "no-final-newline"],
)
def test_a_file_with_nothing_to_fix_keeps_every_byte(project: Path, content: bytes) -> None:
    path = write(project / "keep.py", content)
    before = os.stat(path).st_mtime_ns
    run = fixed_run(project, "keep.py")
    assert run.code == 1  # the pickle finding stays
    assert "DW201" in run.out and "fixed" not in run.err
    assert path.read_bytes() == content
    assert os.stat(path).st_mtime_ns == before, "the file was rewritten"


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            FIXABLE.replace("\n", "\r\n").encode(),
            b"import yaml\r\nconfig = yaml.safe_load(stream)\r\n",
        ),
        (
            b"\xef\xbb\xbf" + FIXABLE.encode(),
            b"\xef\xbb\xbfimport yaml\nconfig = yaml.safe_load(stream)\n",
        ),
        (
            "# -*- coding: latin-1 -*-\nimport yaml\nname = 'café'\nyaml.load(s)\n".encode(
                "latin-1"
            ),
            "# -*- coding: latin-1 -*-\nimport yaml\nname = 'café'\nyaml.safe_load(s)\n".encode(
                "latin-1"
            ),
        ),
        (b"import yaml\nif x:\n\tyaml.load(s)", b"import yaml\nif x:\n\tyaml.safe_load(s)"),
    ],
    ids=["crlf", "bom", "latin-1-cookie", "tabs-no-final-newline"],
)
def test_a_fix_keeps_newlines_encoding_bom_and_the_missing_final_newline(
    project: Path, content: bytes, expected: bytes
) -> None:
    path = write(project / "conf.py", content)
    run = fixed_run(project, "conf.py")
    assert run.code == 1, "a file that changed fails the hook, as pre-commit expects"
    assert run.err == "diffwarden: fixed 1 finding in conf.py\n"
    assert run.out == ""  # nothing is left to report
    assert path.read_bytes() == expected


def test_fixing_is_idempotent_and_the_finding_is_gone(project: Path) -> None:
    path = write(project / "net.py", "import requests\nr = requests.get(url, verify=False)\n")
    first = fixed_run(project, "net.py")
    assert first.code == 1 and "fixed 2 findings in net.py" in first.err
    fixed = path.read_bytes()
    assert fixed == b"import requests\nr = requests.get(url, timeout=10)\n"
    ast.parse(fixed)
    second = fixed_run(project, "net.py")
    assert (second.code, second.out, second.err) == (0, "", "")
    assert path.read_bytes() == fixed


def test_comments_blank_lines_and_layout_around_a_fix_survive(project: Path) -> None:
    text = (
        "import yaml  # parser\n\n\n"
        "def load(path):\n"
        "    # read the settings\n"
        "    with open(path) as handle:\n"
        "        return yaml.load(  # legacy loader\n"
        "            handle,\n"
        "            Loader=yaml.FullLoader,  # was needed once\n"
        "        )\n\n"
        "    # unreachable\n"
    )
    path = write(project / "settings.py", text)
    assert fixed_run(project, "settings.py").code == 1
    assert path.read_text() == (
        "import yaml  # parser\n\n\n"
        "def load(path):\n"
        "    # read the settings\n"
        "    with open(path) as handle:\n"
        "        return yaml.safe_load(  # legacy loader\n"
        "            handle,\n"
        "        )\n\n"
        "    # unreachable\n"
    )


def test_several_and_nested_fixes_are_applied_together(project: Path) -> None:
    path = write(
        project / "job.py",
        "import random\nimport requests\nimport subprocess\nimport yaml\n\n"
        "config = yaml.load(requests.get(URL, verify=False).text)\n"
        "subprocess.run('make dist', shell=True)\n"
        "api_key = random.getrandbits(128)\n",
    )
    run = fixed_run(project, "job.py")
    assert run.code == 1
    assert run.err == "diffwarden: fixed 5 findings in job.py\n"
    assert path.read_text() == (
        "import random\nimport requests\nimport subprocess\nimport yaml\nimport secrets\n\n"
        "config = yaml.safe_load(requests.get(URL, timeout=10).text)\n"
        "subprocess.run(['make', 'dist'])\n"
        "api_key = secrets.SystemRandom().getrandbits(128)\n"
    )


def test_only_the_lines_the_change_adds_are_fixed(project: Path) -> None:
    old = "import random\nimport requests\n\nsession_token = random.getrandbits(64)\n"
    write(project / "app.py", old + "r = requests.get(OLD_URL)\n")
    commit_all(project, "legacy code")
    write(
        project / "app.py",
        old + "r = requests.get(OLD_URL)\n\n\ndef reset_code():\n"
        "    return random.randint(0, 999999)\n",
    )
    git(project, "add", "-A")
    run = run_cli(project, "--no-cache", "--fix", "app.py")  # diff scope: the staged change
    assert run.code == 1, run.out + run.err
    assert run.err == "diffwarden: fixed 1 finding in app.py\n"
    assert run.out == ""  # the old findings are outside the change, before and after the fix
    assert (project / "app.py").read_text() == (
        "import random\nimport requests\nimport secrets\n\n"
        "session_token = random.getrandbits(64)\nr = requests.get(OLD_URL)\n\n\n"
        "def reset_code():\n    return secrets.SystemRandom().randint(0, 999999)\n"
    )


def test_the_file_mode_is_kept_and_no_temporary_file_is_left(project: Path) -> None:
    path = write(project / "tool.py", FIXABLE)
    os.chmod(path, 0o754)
    assert fixed_run(project, "tool.py").code == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o754
    assert sorted(p.name for p in project.iterdir()) == [".git", "pyproject.toml", "tool.py"]


def test_a_symlink_out_of_the_repository_is_not_followed(project: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "shared.py", FIXABLE)
    (project / "link.py").symlink_to(outside)
    run = fixed_run(project, "link.py")
    assert "link.py: a symlink to a file outside the repository; not written" in run.err
    assert run.code == 1  # the finding stays
    assert outside.read_text() == FIXABLE
    assert (project / "link.py").is_symlink()


def test_a_symlink_inside_the_repository_fixes_its_target_and_stays_a_link(project: Path) -> None:
    target = write(project / "real.py", FIXABLE)
    (project / "alias.py").symlink_to("real.py")
    assert fixed_run(project, "alias.py").code == 1
    assert (project / "alias.py").is_symlink()
    assert target.read_text() == "import yaml\nconfig = yaml.safe_load(stream)\n"


@pytest.mark.parametrize(
    "content, note",
    [
        (FIXABLE + "def f(:\n    pass\n", "DW001"),
        (FIXABLE + "(x): int = 1\n", "DW003"),  # Python accepts it, libcst does not
        (
            FIXABLE + "try:\n    pass\nexcept ValueError :\n    pass\n",
            "libcst does not give this file back byte for byte",
        ),
    ],
    ids=["syntax-error", "libcst-rejects", "libcst-round-trip-loses-a-space"],
)
def test_a_file_that_does_not_parse_or_round_trip_is_never_written(
    project: Path, content: str, note: str
) -> None:
    path = write(project / "odd.py", content)
    run = fixed_run(project, "odd.py")
    assert note in run.out + run.err
    assert path.read_text() == content


def test_diff_prints_the_change_and_writes_nothing(project: Path) -> None:
    path = write(project / "conf.py", FIXABLE)
    run = run_cli(project, "--scope", "file", "--no-cache", "--diff", "conf.py")
    assert run.code == 1
    assert run.out == (
        "--- a/conf.py\n+++ b/conf.py\n@@ -1,2 +1,2 @@\n import yaml\n"
        "-config = yaml.load(stream)\n+config = yaml.safe_load(stream)\n"
    )
    assert path.read_text() == FIXABLE
    quiet = run_cli(project, "--scope", "file", "--no-cache", "--diff", "pyproject.toml")
    assert (quiet.code, quiet.out) == (0, "")


def test_unsafe_fixes_apply_only_when_asked(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "import xml.etree.ElementTree as ET\nroot = ET.fromstring(body)\n"
    path = write(project / "feed.py", text)
    safe = run_main(project, monkeypatch, capsys, *FIX, "feed.py")
    assert safe.code == 1 and "DW210" in safe.out
    assert path.read_text() == text
    unsafe = run_main(project, monkeypatch, capsys, *FIX, "--unsafe-fixes", "feed.py")
    assert unsafe.code == 1 and unsafe.out == ""
    assert path.read_text() == (
        "import xml.etree.ElementTree as ET\nimport defusedxml.ElementTree\n"
        "root = defusedxml.ElementTree.fromstring(body)\n"
    )


def test_unsafe_fixes_without_fix_or_diff_is_a_usage_error(project: Path) -> None:
    run = run_cli(project, "--unsafe-fixes", "--scope", "file", "x.py")
    assert run.code == 2
    assert run.err == "diffwarden: error: --unsafe-fixes applies fixes only with --fix or --diff\n"


def test_a_single_hook_fixes_only_its_own_findings(project: Path) -> None:
    path = write(project / "both.py", "import requests, yaml\nyaml.load(requests.get(u).text)\n")
    run = run_cli(project, *FIX, "both.py", hook="network_timeouts")
    assert run.code == 1
    assert path.read_text() == (
        "import requests, yaml\nyaml.load(requests.get(u, timeout=10).text)\n"
    )


def test_the_configured_timeout_is_the_one_added(project: Path) -> None:
    write(
        project / "pyproject.toml",
        NO_CONFIG + "[tool.diffwarden.rules.network-call-without-timeout]\nfix-timeout = 30\n",
    )
    path = write(project / "net.py", "import requests\nrequests.post(url, json=body)\n")
    assert fixed_run(project, "net.py").code == 1
    assert path.read_text() == "import requests\nrequests.post(url, json=body, timeout=30)\n"


class _Parenthesises(Rule):
    """A broken fixer: its rewrite never makes the finding go away."""

    code = "DW999"
    name = "parenthesises"
    summary = "test"
    severity = Severity.LOW
    confidence = Confidence.LOW
    cwe = (1,)
    message = "a name"
    hint = "none"
    triggers = ("spam",)
    fix = FixSafety.SAFE
    examples = (Bad("spam\n", ((1, 1),)),)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "spam":
            self.report(node, fix=Fix(_in_parentheses))


def _in_parentheses(name: cst.Name) -> cst.Name:
    return name.with_changes(
        lpar=[cst.LeftParen(), *name.lpar], rpar=[*name.rpar, cst.RightParen()]
    )


def test_the_loop_stops_at_its_cap_and_says_so() -> None:
    runner = Runner(rules=[(_Parenthesises, {})], config=Config(), scope_factory=Scope)
    outcome = fix.fix_source(runner, Source("spam.py", b"spam\n"), None, fix.allowed(False))
    rounds = fix.MAX_ROUNDS
    assert outcome.problem == f"fixes still apply after {rounds} rounds; stopped there"
    assert outcome.data == b"(" * rounds + b"spam" + b")" * rounds + b"\n"
    assert outcome.fixes == rounds


def test_carried_lines_follow_inserted_and_rewritten_lines() -> None:
    before = "a\nb\nc\nd\n"
    after = "import x\na\nB\nc\nd\n"
    assert fix.carry_lines(before, after, {2, 4}) == {3, 5}
    assert fix.carry_lines(before, after, {1}) == {2}
    assert fix.carry_lines(before, after, None) is None


def test_reports_say_which_findings_have_a_fix(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project / "tls.py",
        "import requests, ssl\nrequests.get(url, verify=False, timeout=5)\n"
        "ctx.verify_mode = ssl.CERT_NONE\n",
    )
    run = run_main(project, monkeypatch, capsys, "--scope", "file", "--format", "json", "tls.py")
    found = [(f["line"], f["code"], f["fix"]) for f in json.loads(run.out)["findings"]]
    assert found == [(2, "DW310", "safe"), (3, "DW310", "none")]


def test_diff_with_an_unreadable_file_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "conf.py", FIXABLE)
    run = run_main(project, monkeypatch, capsys, "--scope", "file", "--diff", "conf.py", "gone.py")
    assert run.code == 2
    assert run.out.startswith("--- a/conf.py\n")
    assert run.err == "diffwarden: error: gone.py: cannot read: No such file or directory\n"
