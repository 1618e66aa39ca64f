"""The template-escaping hook on staged templates in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run, run_cli, write
from conftest import commit_all, git

PAGE = (
    '{% extends "base.html" %}\n'
    "{% block content %}\n"
    "<h1>{{ page.title }}</h1>\n"
    "<div>{{ page.legacy_html|safe }}</div>\n"
    "{% autoescape off %}\n"
    "<aside>{{ page.sidebar }}</aside>\n"
    "{% endautoescape %}\n"
    "{% endblock %}\n"
)


def check(repo: Path, *args: str) -> Run:
    return run_cli(repo, "--select", "DW124", "--format", "json", *args)


def test_only_what_the_change_adds_is_reported(repo: Path) -> None:
    path = "app/templates/page.html"
    write(repo / path, PAGE)
    commit_all(repo)
    changed = PAGE.replace(
        "<h1>{{ page.title }}</h1>\n",
        "<h1>{{ page.title }}</h1>\n<p>{{ request.args.q|safe }}</p>\n",
    ).replace(
        "<aside>{{ page.sidebar }}</aside>\n",
        "<aside>{{ page.sidebar }}</aside>\n<footer>{{ page.footer }}</footer>\n",
    )
    write(repo / path, changed)
    git(repo, "add", "-A")
    result = check(repo)
    assert result.code == 1
    # the old |safe (line 5) and the old output in the block (line 7) are not the change's
    found = result.messages()
    assert [(line, col, code) for line, col, code, _ in found] == [(4, 7, "DW124"), (8, 9, "DW124")]
    assert "`request.args.q` is marked safe" in found[0][3]
    assert "autoescape off on line 6" in found[1][3]
    severities = [f["severity"] for f in json.loads(result.out)["findings"]]
    assert severities == ["high", "medium"]


def test_a_new_autoescape_block_is_reported_where_it_starts(repo: Path) -> None:
    write(repo / "templates/notes.html", "<ul></ul>\n")
    commit_all(repo)
    write(
        repo / "templates/notes.html",
        "<ul>\n{% autoescape false %}\n<li>{{ note.text }}</li>\n{% endautoescape %}\n</ul>\n",
    )
    git(repo, "add", "-A")
    assert check(repo).findings() == [("templates/notes.html", 2, 1, "DW124")]


def test_trusted_values_text_templates_and_suppressions_stay_quiet(repo: Path) -> None:
    write(repo / "README.md", "notes\n")
    commit_all(repo)
    write(
        repo / "templates/form.html",
        "<form>{% csrf_token %}{{ form|safe }}{{ data|tojson|safe }}</form>\n"
        "<div>{{ page.body|safe }}</div> {# diffwarden: ignore[DW124] admin-written HTML #}\n",
    )
    write(repo / "roles/web/templates/site.conf.j2", "root {{ root|safe }};\n")
    write(repo / "templates/mail.txt", "Hi {{ name|safe }}\n")
    git(repo, "add", "-A")
    result = check(repo)
    assert (result.code, result.findings()) == (0, [])
