"""template-escaping: values rendered unescaped by HTML templates (`|safe`, autoescape off).

**What it finds.** DW124, in the lines a change adds to a Jinja or Django HTML template
(`*.html`, `*.htm`, `*.xhtml`, `*.djhtml`, and `*.jinja`, `*.jinja2`, `*.j2` files that hold HTML
tags): a value marked safe with the `|safe` or `|safeseq` filter or wrapped in `Markup(...)`, and
each `{{ value }}` inside an `{% autoescape off %}` (Django) or `{% autoescape false %}` (Jinja)
block, or the block's opening tag when the change adds it. A value taken from the request
(`request.args`, `request.GET`, ...) is high severity; any other context variable is medium: the
template cannot tell where the view got it.

**Why it matters in assistant-written code.** When a page shows `&lt;b&gt;` instead of bold
text, the quick fix an assistant offers is `{{ post.body|safe }}`. The escaping that was doing
its job is gone, and whoever can write a post, a profile field or a query parameter now writes
script into every visitor's page (stored or reflected cross-site scripting).

**Bad**

```html+jinja
<div class="comment">{{ comment.body|safe }}</div>
<p>You searched for {{ request.args.q|safe }}</p>
{% autoescape false %}<td>{{ row.note }}</td>{% endautoescape %}
```

**Good**

```html+jinja
<div class="comment">{{ comment.body }}</div>
<div class="comment">{{ comment.body|markdown|bleach|safe }}</div>
<script>const data = {{ data|tojson }};</script>
```

**Not flagged.** Values that are safe to mark: literals (`{{ "&nbsp;"|safe }}`), translations of
literal text (`{{ _("<b>Note</b>")|safe }}`), names the template binds only to literals
(`{% set icon = "<svg>...</svg>" %}`), macros defined or imported in the file and Jinja's
`caller()`, `super()`, `self.<block>()` and `loop`, which the engine renders and escapes; values
escaped before they are marked (`|escape|safe`, `|e|safe`, `|force_escape`, `|escapejs`,
`|json_script`, `|tojson`, `|urlize`, `|linebreaks`, filters named like a sanitiser:
`|bleach`, `|sanitize`, `|clean_html`); numbers (`|length`, `|int`, `|filesizeformat`); the CSRF
token (`csrf_token`, `csrf_input`) and forms and their fields (`form`, `field`, `fieldset`,
`formset`, `adminform`, `*_form`, `media`), which render their values escaped and whose help
texts and descriptions the developer writes (Django documents `help_text` as not escaped);
`url_for(...)`, `url(...)` and `static(...)`. An autoescape-off block with no HTML tag in it
renders text (e-mail bodies and subjects, where escaping would garble the text). Template text
in `{# ... #}` comments, `{% comment %}`, `{% raw %}` and `{% verbatim %}` blocks; templates that
render other formats (`.txt`, `.xml`, `.j2` configuration files without HTML); `|safe` in Python
files (DW122 follows `Markup` and `mark_safe` there).

**Fix.** None automatic. Drop `|safe` and let the template escape; for HTML that users write,
clean it with an allowlist sanitiser (`bleach`, `nh3`) in a filter before `|safe`; pass data to
scripts with `|tojson` (Jinja) or `|json_script` (Django).

**References.** CWE-79 (cross-site scripting); Django's "Automatic HTML escaping" and Jinja's
"HTML Escaping" documentation. No bandit or ruff counterpart (they read Python only); semgrep's
`django-no-csrf-token`-style template rules and `template-unescaped-with-safe` are the closest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, List, Optional, Set, Tuple

from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, Confidence, Finding, Ok, Severity, TextRule
from hooks.engine.lazyre import lazy_re

# the files pre-commit passes to this hook alone (`.pre-commit-hooks.yaml`)
PRECOMMIT_FILES = r"\.(html?|xhtml|djhtml|jinja2?|j2)$"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".djhtml")
JINJA_SUFFIXES = (".jinja", ".jinja2", ".j2")
# a Jinja file whose name does not say HTML must show a tag (Ansible's `nginx.conf.j2` is text)
HTML_TAG = lazy_re(r"<(?:!doctype|[a-z][a-z0-9]*)\b[^<>]*>", re.IGNORECASE)
MARKS = lazy_re(rb"\|\s*safe|\bautoescape\s|\bMarkup\(")

# template syntax: comments, statements, outputs; bodies of raw blocks are not template code
OPENER = lazy_re(r"\{[{%#]")
CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
STATEMENT_WORD = lazy_re(r"\s*(\w+)")
RAW_BLOCKS = {"comment": "endcomment", "raw": "endraw", "verbatim": "endverbatim"}
ESCAPING_OFF = frozenset({"off", "false", "False"})

# a value and its filters: `post.body|markdown|safe`, `_("Hi")|safe`, `(a ~ b)|safe`
STRING = r"\"[^\"]*\"|'[^']*'"
# (each repetition starts with its own character, and a term never starts inside a name: a
# failed match backtracks in linear time)
TERM = rf"(?<![\w.])(?:{STRING}|\([^()]*\)|[A-Za-z_]\w*(?:\.\w+|\([^()]*\)|\[[^\]]*\])*|\d[\d.]*)"
FILTER = rf"\|\s*(\w+)(?:\s*:\s*(?:{STRING}|[\w.]+)|\s*\([^()]*\))?"
CHAIN = lazy_re(rf"(?P<term>{TERM})(?P<filters>(?:\s*{FILTER})+)")
FILTER_NAME = lazy_re(FILTER)
MARKUP = lazy_re(r"\bMarkup\(")
IDENTIFIER = lazy_re(r"(?<![\w.\"'])[A-Za-z_]\w*(?:\.\w+)*")
# `|upper`, `page=2`: names that are not values
KEYWORD_OR_FILTER = lazy_re(r"\|\s*\w+|\b\w+\s*=(?!=)")
OPERATORS = frozenset({"and", "or", "not", "in", "is", "if", "else"})
SET_LITERAL = lazy_re(rf"^\s*\w+\s*=\s*(?:{STRING})\s*$")
WITH_LITERALS = lazy_re(rf"(\w+)\s*=\s*(?:{STRING})")

SAFE_FILTERS = frozenset({"safe", "safeseq"})
# filters that escape (or sanitise, or make a number of) what they get: marking their output
# safe is what they are for
ESCAPING_FILTERS = frozenset(
    {
        "escape", "e", "force_escape", "forceescape", "escapejs", "json_script", "tojson",
        "urlize", "urlizetrunc", "linebreaks", "linebreaksbr", "unordered_list", "urlencode",
        "length", "count", "wordcount", "int", "float", "abs", "round", "filesizeformat",
        "floatformat", "intcomma", "intword", "yesno", "pluralize",
    }
)  # fmt: skip
SANITISING_FILTER = lazy_re(r"bleach|saniti[sz]e|clean", re.IGNORECASE)
# escape whatever they get, even a value marked safe before them
FORCE_ESCAPING = frozenset({"force_escape", "forceescape"})
# names whose values the template engine or the form library renders, escaped
TRUSTED_ROOTS = frozenset(
    {
        "csrf_token", "csrf_input", "form", "forms", "formset", "field", "fieldset", "adminform",
        "inline_admin_formset", "inline_admin_form", "media", "wizard", "caller", "super",
        "self", "loop", "true", "false", "none", "True", "False", "None",
    }
)  # fmt: skip
# functions that build the app's own URLs: their result is trusted, a variable named `url` is not
URL_BUILDERS = frozenset({"url_for", "url", "static"})
TRUSTED_SUFFIXES = ("_form", "_formset")
TRANSLATIONS = frozenset({"_", "gettext", "ngettext", "pgettext", "trans", "translate"})
REQUEST_ROOTS = frozenset({"request"})


@dataclass(frozen=True)
class Tag:
    """One `{{ }}` or `{% %}` of the template, with where it starts (0-based offset)."""

    start: int
    end: int
    keyword: str  # the statement's first word; "" for an output
    body: str  # what the tag holds, without its delimiters
    body_start: int


def is_html_template(path: str, data: bytes) -> bool:
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith(JINJA_SUFFIXES):
        stem = name.rsplit(".", 1)[0]
        if stem.endswith(HTML_SUFFIXES):
            return True
        return HTML_TAG.search(data.decode("utf-8", "replace")) is not None
    return name.endswith(HTML_SUFFIXES)


def tags(text: str) -> Iterator[Tag]:
    """The template's outputs and statements in order, without comments and raw blocks.

    Each opener is closed by the first closer of its kind after it (as the template engines
    do), found with str.find: one pass over the text, however many tags are left unclosed."""
    closing = ""
    unclosed: Set[str] = set()
    position = 0
    while True:
        opener = OPENER.search(text, position)
        if opener is None:
            return
        kind = opener.group()
        end = -1 if kind in unclosed else text.find(CLOSERS[kind], opener.end())
        if end < 0:
            unclosed.add(kind)  # no later opener of this kind is closed either
            position = opener.end()
            continue
        position = end + 2
        if kind == "{#":
            continue
        inner, inner_start = text[opener.end() : end], opener.end()
        if inner.startswith(("-", "+")):  # whitespace control: {{- x -}}, {%+ if %}
            inner, inner_start = inner[1:], inner_start + 1
        inner = inner[:-1] if inner.endswith(("-", "+")) else inner
        keyword = ""
        if kind == "{%":
            word = STATEMENT_WORD.match(inner)
            if word is None:
                continue
            keyword = word.group(1)
            inner, inner_start = inner[word.end() :], inner_start + word.end()
        if closing:
            if keyword == closing:
                closing = ""
            continue
        if keyword in RAW_BLOCKS:
            closing = RAW_BLOCKS[keyword]
            continue
        yield Tag(opener.start(), position, keyword, inner, inner_start)


class Template:
    """What one template binds, and how to judge the values it marks safe."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tags = list(tags(text))
        self.trusted: Set[str] = set()
        for tag in self.tags:
            if tag.keyword == "macro":
                self.trusted.add(tag.body.strip().split("(", 1)[0])
            elif tag.keyword in ("import", "from"):  # {% import "m.html" as forms %}
                self.trusted.update(re.findall(r"\b(?:as|import)\s+(\w+)", tag.body))
            elif tag.keyword == "set" and SET_LITERAL.match(tag.body):
                self.trusted.add(tag.body.split("=", 1)[0].strip())
            elif tag.keyword == "with":
                self.trusted.update(WITH_LITERALS.findall(tag.body))
        # a name bound to something else anywhere in the file is not trusted after all
        for tag in self.tags:
            if tag.keyword == "set" and not SET_LITERAL.match(tag.body):
                self.trusted.discard(tag.body.split("=", 1)[0].strip())

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based line and column of a 0-based offset."""
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def judge(self, expression: str) -> Optional[str]:
        """None when every value in `expression` is trusted; else "request" when one comes from
        the request, "unknown" otherwise. Filter and keyword names are not values; the arguments
        of a trusted call (a macro, `url_for`) are its business."""
        code = KEYWORD_OR_FILTER.sub(" ", re.sub(STRING, '""', expression))
        verdict: Optional[str] = None
        position = 0
        while True:
            match = IDENTIFIER.search(code, position)
            if match is None:
                return verdict
            position = match.end()
            root = match.group().split(".", 1)[0]
            call = code[position:].lstrip().startswith("(")
            if root in REQUEST_ROOTS:
                return "request"
            if root in TRANSLATIONS and call:
                continue  # its arguments are judged as they come: literal text is trusted
            if self._trusted(root) or (root in URL_BUILDERS and call):
                if call:
                    position = _closing(code, code.index("(", position) + 1)
                continue
            verdict = "unknown"

    def _trusted(self, root: str) -> bool:
        return (
            root in TRUSTED_ROOTS
            or root in OPERATORS
            or root in self.trusted
            or root.endswith(TRUSTED_SUFFIXES)
        )

    def marked_safe(self, tag: Tag) -> Iterator[Tuple[int, int, str, str]]:
        """(offset, end offset, value, verdict) of each untrusted value the tag marks safe."""
        body = tag.body
        for chain in CHAIN.finditer(body):
            names = [m.group(1) for m in FILTER_NAME.finditer(chain.group("filters"))]
            marked = [i for i, name in enumerate(names) if name in SAFE_FILTERS]
            if not marked or self._escaped(names, marked[0]):
                continue
            verdict = self.judge(chain.group())  # filter arguments are rendered too
            if verdict is not None:
                start = tag.body_start + chain.start()
                yield start, tag.body_start + chain.end(), chain.group("term"), verdict
        for call in MARKUP.finditer(body):
            inner = body[call.end() : _closing(body, call.end())]
            verdict = self.judge(inner)
            if verdict is not None:
                start = tag.body_start + call.start()
                yield start, tag.body_start + call.end() + len(inner) + 1, inner, verdict

    def _escaped(self, names: List[str], first_safe: int) -> bool:
        before = names[:first_safe]
        return any(
            name in ESCAPING_FILTERS or SANITISING_FILTER.search(name) for name in before
        ) or any(name in FORCE_ESCAPING for name in names[first_safe:])

    def escaping_off(self) -> Iterator[Tuple[Tag, List[Tag]]]:
        """Each `{% autoescape off %}` block that renders HTML, with the outputs in it."""
        stack: List[Tuple[Tag, List[Tag]]] = []
        for tag in self.tags:
            if tag.keyword == "autoescape":
                stack.append((tag, []))
            elif tag.keyword == "endautoescape" and stack:
                opening, outputs = stack.pop()
                if self._off(opening) and HTML_TAG.search(self.text[opening.end : tag.start]):
                    yield opening, outputs
            elif not tag.keyword and stack and self._off(stack[-1][0]):
                stack[-1][1].append(tag)
        for opening, outputs in stack:  # never closed: off to the end of the file
            if self._off(opening) and HTML_TAG.search(self.text[opening.end :]):
                yield opening, outputs

    @staticmethod
    def _off(tag: Tag) -> bool:
        return tag.body.strip() in ESCAPING_OFF


def _closing(text: str, start: int) -> int:
    """The offset of the parenthesis that closes the one before `start`."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


class UnescapedTemplateOutput(TextRule):
    code = "DW124"
    name = "unescaped-template-output"
    summary = (
        "An HTML template renders a value unescaped: `|safe`, `Markup(...)` or an autoescape-off "
        "block around request or other context data."
    )
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (79,)
    message = "{what}: markup in it runs in the visitor's browser"
    hint = "let the template escape it, or clean it (bleach, nh3) in a filter before |safe"
    prefilter = Prefilter(patterns=[MARKS.pattern])
    examples = (
        Bad(
            '{% extends "base.html" %}\n'
            "{% block content %}\n"
            "  <article>\n"
            "    <h1>{{ post.title }}</h1>\n"
            '    <div class="body">{{ post.body|safe }}</div>\n'
            "  </article>\n"
            "{% endblock %}\n",
            ((5, 26),),
            path="blog/templates/blog/post_detail.html",
            why="stored XSS: whoever writes a post writes script",
        ),
        Bad(
            "<p>You searched for <b>{{ request.args.get('q', '') | safe }}</b></p>\n",
            ((1, 27),),
            severity=Severity.HIGH,
            path="app/templates/search.html",
            why="reflected XSS straight from the query string (Flask)",
        ),
        Bad(
            "{% load static %}\n<p>{{ request.GET.next|safe }}</p>\n",
            ((2, 7),),
            severity=Severity.HIGH,
            path="accounts/templates/accounts/login.html",
        ),
        Bad(
            "<ul>\n{% for item in items %}\n  <li>{{ item.label|upper|safe }}</li>\n"
            "{% endfor %}\n</ul>\n",
            ((3, 10),),
            path="templates/list.jinja2",
            why="upper does not escape",
        ),
        Bad(
            "{% set html = profile.bio|markdown|safe %}\n<section>{{ html }}</section>\n",
            ((1, 15),),
            path="templates/profile.html.j2",
            why="markdown passes raw HTML through",
        ),
        Bad(
            "<div>{{ Markup(user.signature) }}</div>\n",
            ((1, 9),),
            path="templates/user.html",
        ),
        Bad(
            "<table>\n{% autoescape false %}\n<tr><td>{{ row.note }}</td><td>{{ row.id }}</td>"
            "</tr>\n{% endautoescape %}\n</table>\n",
            ((2, 1),),
            path="templates/report.html",
            why="the block is reported once, where it starts",
        ),
        Bad(
            "{% autoescape off %}\n<div>{{ message }}</div>\n{% endautoescape %}\n",
            ((1, 1),),
            path="notes/templates/notes/show.html",
            why="Django's spelling",
        ),
        Bad(
            "<ul>{{ tags|safeseq|join:', ' }}</ul>\n",
            ((1, 8),),
            path="templates/tags.html",
        ),
        Bad(
            "<p>{{ '<b>%s</b> joined'|format(user.name)|safe }}</p>\n",
            ((1, 7),),
            path="templates/feed.html",
            why="a literal format filled with a value",
        ),
        Bad(
            '<a href="{{ url|safe }}">{{ url_text }}</a>\n',
            ((1, 13),),
            path="templates/index.html",
            why="a variable named url is not url()",
        ),
        Ok(
            '<form method="post">{% csrf_token %}\n{{ form|safe }}\n'
            "<p>{{ form.email.help_text|safe }}</p>\n{{ csrf_input|safe }}\n</form>\n",
            path="templates/signup.html",
            why="forms render their values escaped; help texts are the developer's",
        ),
        Ok(
            '<span>{{ "&nbsp;&rarr;"|safe }}</span>\n<p>{{ _(\'Read the <a href="/terms">'
            "terms</a>')|safe }}</p>\n",
            path="templates/footer.html",
            why="literals and translations of literal text",
        ),
        Ok(
            "<p>{{ comment.body|escape|linebreaksbr|safe }}</p>\n"
            "<script>const cfg = {{ config|tojson|safe }};</script>\n"
            "{{ data|json_script:'initial-data' }}\n"
            "<div>{{ post.body|markdown|bleach|safe }}</div>\n",
            path="templates/comment.html",
            why="escaped or sanitised before it is marked safe",
        ),
        Ok(
            '{% set icon = \'<svg viewBox="0 0 8 8"><path d="M0 0h8v8z"/></svg>\' %}\n'
            "{% macro badge(text) %}<b>{{ text }}</b>{% endmacro %}\n"
            "{% import 'forms.html' as f %}\n"
            "<p>{{ icon|safe }} {{ badge(user.name)|safe }} {{ f.input('q')|safe }}</p>\n",
            path="templates/widgets.html",
            why="a literal the template binds, its macros and imported macros",
        ),
        Ok(
            "{% load i18n %}{% autoescape off %}\n"
            "{% blocktranslate %}You asked for a password reset at {{ site_name }}."
            "{% endblocktranslate %}\n{{ protocol }}://{{ domain }}/reset/{{ uid }}/{{ token }}/\n"
            "{% endautoescape %}\n",
            path="registration/templates/registration/password_reset_email.html",
            why="an autoescape-off block without markup renders an e-mail's text",
        ),
        Ok(
            "{# {{ post.body|safe }} was here #}\n{% raw %}{{ user_html|safe }}{% endraw %}\n"
            "{% comment %}<p>{{ old|safe }}</p>{% endcomment %}\n<p>{{ post.body }}</p>\n",
            path="templates/docs.html",
            why="comments and raw blocks are not rendered",
        ),
        Ok(
            "server {\n  server_name {{ domain|safe }};\n  {% autoescape false %}\n"
            "  root {{ root }};\n  {% endautoescape %}\n}\n",
            path="roles/web/templates/nginx.conf.j2",
            why="an Ansible template of a configuration file: no HTML",
        ),
        Ok(
            "Hello {{ user.name|safe }},\nyour order has shipped.\n",
            path="shop/templates/shop/shipped_email.txt",
            why="a text template",
        ),
        Ok(
            "<p>{{ items|length|safe }} items, {{ url_for('cart')|safe }}</p>\n"
            "{% autoescape true %}<p>{{ note }}</p>{% endautoescape %}\n",
            path="templates/cart.html",
            why="a number, an app URL; autoescape on",
        ),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return MARKS.search(data) is not None and is_html_template(path, data)

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        template = Template(text)
        found: List[Finding] = []

        def add(start: int, end: int, what: str, verdict: str) -> None:
            line, col = template.position(start)
            if lines is not None and line not in lines:
                return
            end_line, end_col = template.position(end)
            severity = Severity.HIGH if verdict == "request" else None
            found.append(
                self.found(
                    path, line, col, end_col if end_line == line else col + 2, severity, what=what
                )  # fmt: skip
            )

        for tag in template.tags:
            for start, end, value, verdict in template.marked_safe(tag):
                add(start, end, f"`{_short(value)}` is marked safe", verdict)
        for opening, outputs in template.escaping_off():
            judged = [(o, template.judge(o.body)) for o in outputs]
            unescaped = [(o, v) for o, v in judged if v is not None]
            if not unescaped:
                continue
            first_line = template.position(opening.start)[0]
            if lines is None or first_line in lines:
                worst = "request" if any(v == "request" for _, v in unescaped) else "unknown"
                value = _short(unescaped[0][0].body)
                add(opening.start, opening.end, f"autoescape is off: `{value}` is rendered raw",
                    worst)  # fmt: skip
                continue
            for output, verdict in unescaped:
                line = template.position(opening.start)[0]
                add(output.start, output.end,
                    f"`{_short(output.body)}` is rendered raw (autoescape off on line {line})",
                    verdict or "unknown")  # fmt: skip
        found.sort(key=lambda f: (f.line, f.col))
        return found


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
