"""Request data followed to web sinks: which parameters are views', which sanitiser cleans for
which sink, and what the messages say. Run through the real engine on real text."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from cli_helpers import run_cli, write
from conftest import commit_all, git

from hooks.engine import registry
from hooks.engine.config import Config
from hooks.engine.runner import Runner
from hooks.engine.scope import Scope
from hooks.engine.source import Source


def findings(code: str, select: str = "DW13") -> List[Tuple[int, str, str]]:
    rules = [(r, dict(r.options)) for r in registry.all_rules() if r.code.startswith(select)]
    runner = Runner(rules=rules, config=Config(), scope_factory=Scope)
    found = runner.run([Source("views.py", code.encode())])
    return [(f.line, f.code, f.message) for f in found]


FLASK = "from flask import Flask, request, send_file\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    "route, quiet",
    [
        ("/files/<name>", False),
        ("/files/<path:name>", False),
        ("/files/<int:name>", True),
        ("/files/<uuid:name>", True),
    ],
)
def test_flask_route_converters_decide_whether_a_view_argument_is_text(
    route: str, quiet: bool
) -> None:
    code = f"{FLASK}@app.route('{route}')\ndef f(name):\n    return send_file('/srv/' + name)\n"
    found = findings(code)
    assert (found == []) is quiet
    if not quiet:
        [(line, rule, message)] = found
        assert (line, rule) == (5, "DW130")
        assert message.endswith("`name` comes from the URL (a parameter of the view `f`) on line 4")


def test_fastapi_dependencies_are_not_request_data() -> None:
    code = (
        "from fastapi import Depends, FastAPI\nimport requests\napp = FastAPI()\n"
        "@app.get('/x')\ndef x(q: str, base: str = Depends(get_base)):\n"
        "    requests.get(base, timeout=1)\n    requests.get(q, timeout=1)\n"
    )
    [(line, rule, message)] = findings(code)
    assert (line, rule) == (7, "DW132")
    assert message.endswith("`q` comes from the request (a parameter of the view `x`) on line 5")


def test_a_sanitiser_cleans_only_for_its_own_sink() -> None:
    escaped = (
        "import html\nfrom django.http import HttpResponse\n"
        "def v(request):\n    name = html.escape(request.GET['n'])\n"
        "    open('/srv/' + name)\n    return HttpResponse('<b>' + name + '</b>')\n"
    )
    assert [(line, rule) for line, rule, _ in findings(escaped)] == [(5, "DW130")]
    based = escaped.replace("html.escape", "os.path.basename").replace("import html", "import os")
    assert [(line, rule) for line, rule, _ in findings(based)] == [(6, "DW133")]


def test_a_check_of_another_value_does_not_clean_this_one() -> None:
    code = (
        "from flask import request, redirect\n@app.route('/go')\ndef go():\n"
        "    a = request.args['a']\n    b = request.args['b']\n"
        "    if a not in ALLOWED:\n        return redirect('/')\n"
        "    redirect(a)\n    return redirect(b)\n"
    )
    assert [(line, rule) for line, rule, _ in findings(code)] == [(9, "DW131")]


def test_parameters_of_plain_functions_and_local_sources_are_not_web_data() -> None:
    code = (
        "import os, sys, requests\n"
        "def fetch(url):\n    return requests.get(url, timeout=1)\n"
        "def main():\n    open(sys.argv[1])\n    requests.get(os.environ['URL'], timeout=1)\n"
        "    open(input())\n"
    )
    assert findings(code) == []


def test_a_helper_is_followed_one_level_but_not_two() -> None:
    code = (
        "import os\nfrom flask import request\n"
        "def inner(n):\n    os.remove(n)\n"
        "def outer(n):\n    inner(n)\n"
        "@app.post('/d')\ndef d():\n    inner(request.form['a'])\n    outer(request.form['b'])\n"
    )
    [(line, rule, message)] = findings(code)
    assert (line, rule) == (9, "DW130")
    assert message.startswith("`os.remove` in `inner()` gets a file path")


def test_sql_and_markup_findings_name_the_request_source() -> None:
    code = (
        "from flask import request\nfrom markupsafe import Markup\n@app.route('/u')\ndef u():\n"
        "    name = request.args['name']\n"
        "    cur.execute(f\"SELECT 1 FROM users WHERE name = '{name}'\")\n"
        "    return Markup(f'<b>{name}</b>')\n"
    )
    found = findings(code, select="DW1")
    assert [(line, rule) for line, rule, _ in found] == [(6, "DW110"), (7, "DW122")]
    for _, _, message in found:
        assert message.endswith("`name` comes from `request.args` on line 5")


def test_an_escaped_markup_value_is_still_quiet_and_a_constant_query_too() -> None:
    code = (
        "from flask import request\nfrom markupsafe import Markup, escape\n"
        "def u():\n    Markup('<b>%s</b>' % escape(request.args['n']))\n"
        "    cur.execute('SELECT 1 FROM t WHERE id = %s' % int(request.args['id']))\n"
    )
    assert findings(code, select="DW1") == []


VIEW = (
    "import requests\nfrom django.http import JsonResponse\nfrom django.views import View\n\n"
    "class Preview(View):\n"
    "    def __init__(self, **kwargs):\n"
    "        super().__init__(**kwargs)\n"
    "        self.session = requests.Session()\n"
    "\n"
    "    def head(self, request):\n"
    "        return JsonResponse({})\n"
)


def test_a_client_the_class_keeps_on_self_is_found_when_a_change_adds_only_the_call(
    repo: Path,
) -> None:
    write(repo / "views.py", VIEW)
    commit_all(repo)
    write(
        repo / "views.py",
        VIEW + "\n    def get(self, request):\n"
        "        return JsonResponse(self.session.get(request.GET['u']).json())\n",
    )
    git(repo, "add", "-A")
    result = run_cli(repo, "--select", "DW132", "--format", "json")
    assert result.findings() == [("views.py", 14, 29, "DW132")]
