"""Where a value comes from decides a finding's rank and its message: untrusted sources are named
with their line, sanitised and constant values rank low or stay quiet."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from hooks.engine import registry
from hooks.engine.config import Config
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope
from hooks.engine.source import Source


def check(code: str) -> List[Tuple[int, str, str, str]]:
    """(line, code, severity, message) of the command, code and deserialisation findings."""
    rules = [(rule, dict(rule.options)) for rule in registry.all_rules()]
    runner = Runner(rules=rules, config=Config(), scope_factory=Scope)
    found = runner.run([Source("app.py", code.encode())])
    return [(f.line, f.code, f.severity.label, f.message) for f in found if f.code < "DW300"]


SHELL = (
    "`subprocess.run` with shell=True runs a command built from untrusted input through the shell"
)


@pytest.mark.parametrize(
    "code, source",
    [
        (
            "from flask import request\nimport subprocess\ndef view():\n"
            "    name = request.args.get('n')\n    subprocess.run('ls ' + name, shell=True)\n",
            "`name` comes from `request.args` on line 4",
        ),
        (
            "import subprocess\ndef view(request, slug):\n"
            "    q = request.GET['q']\n    subprocess.run(f'grep {q} x', shell=True)\n",
            "`q` comes from `request.GET` on line 3",
        ),
        (
            "import subprocess\nwhat = input('file? ')\n"
            "subprocess.run('cat ' + what, shell=True)\n",
            "`what` comes from `input()` on line 2",
        ),
        (
            "import subprocess, sys\nsubprocess.run('rm ' + sys.argv[1], shell=True)\n",
            "it comes from `sys.argv` on line 2",
        ),
        (
            "import os, subprocess\nhost = os.environ['HOST']\n"
            "subprocess.run(f'ping {host}', shell=True)\n",
            "`host` comes from the environment on line 2",
        ),
        (
            "import subprocess\ndef f(sock):\n    cmd = sock.recv(1024).decode()\n"
            "    subprocess.run(cmd, shell=True)\n",
            "`cmd` comes from a file or socket read (`.recv()`) on line 3",
        ),
        (
            "import subprocess\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n",
            "`cmd` is a parameter of the function",
        ),
    ],
    ids=["flask", "django", "input", "argv", "environment", "socket", "parameter"],
)
def test_untrusted_sources_are_named_in_the_message(code: str, source: str) -> None:
    [(_, rule_code, severity, message)] = check(code)
    assert (rule_code, severity) == ("DW102", "high")
    assert message == f"{SHELL}; {source}"


def test_a_quoted_value_makes_the_command_fixed_and_low() -> None:
    code = (
        "import shlex, subprocess\nfrom flask import request\ndef view():\n"
        "    subprocess.run('ls ' + shlex.quote(request.args['d']), shell=True)\n"
    )
    assert check(code) == [
        (
            4,
            "DW102",
            "low",
            "`subprocess.run` with shell=True runs a fixed command through the shell",
        )
    ]


def test_a_value_from_an_unknown_call_is_computed_not_untrusted() -> None:
    code = "import os\ndef f():\n    os.system(build_command())\n"
    assert check(code) == [(3, "DW103", "high", "`os.system` runs a computed command")]


def test_any_untrusted_branch_makes_the_value_untrusted() -> None:
    code = (
        "import os\nfrom flask import request\ndef f(flag):\n"
        "    cmd = 'ls'\n    if flag:\n        cmd = request.form['c']\n    os.system(cmd)\n"
    )
    [(line, _, severity, message)] = check(code)
    assert (line, severity) == (7, "high")
    assert message.endswith("`cmd` comes from `request.form` on line 6")


def test_pickle_of_request_data_names_the_request() -> None:
    code = (
        "import pickle\nfrom flask import request\n"
        "def f():\n    return pickle.loads(request.data)\n"
    )
    [(_, rule_code, _, message)] = check(code)
    assert rule_code == "DW201"
    assert message.endswith("; it comes from `request.data` on line 4")
