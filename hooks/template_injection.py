"""template-injection: templates made from computed text, and HTML escaping switched off.

**What it finds.** DW120: a Jinja2 `Environment` (or sandboxed environment) made without
`autoescape=`, or with `autoescape=False`. DW121: a template compiled from a computed string:
`flask.render_template_string(x)`, `jinja2.Template(x)`, `Environment(...).from_string(x)`.
DW122: a computed string marked as safe HTML: `markupsafe.Markup(x)` (also as `flask.Markup`,
`jinja2.Markup`) and Django's `mark_safe(x)`. DW121 also covers Mako's `Template(x)`, whose
`<% %>` blocks are plain Python. DW123: a Mako `Template` or `TemplateLookup` made without the
`h` (HTML escape) filter in `default_filters`: Mako escapes nothing by default.

**Why it matters in assistant-written code.** Asked for "a quick page that greets the user",
assistants write `render_template_string(f"<h1>Hello {name}</h1>")`: the name is now template
source, and `{{ config }}` or `{{ ''.__class__.__mro__ }}` in it runs on the server. A bare
`jinja2.Environment(loader=...)` renders every `{{ value }}` unescaped, and
`mark_safe(f"<b>{x}</b>")` turns off the escaping that would have saved the page from `<script>`
in `x`.

**Severity.** DW121 is high (server-side template injection runs code). DW120 and DW122 are
medium (cross-site scripting). DW121 and DW122 are high confidence when the string is built in the
call (f-string, `%`, `.format`, `+`, `.join`), medium when it is only a variable or a call.

**Bad**

```python
env = jinja2.Environment(loader=FileSystemLoader("templates"))
return render_template_string(f"<h1>Hello {name}</h1>")
return mark_safe(f"<a href='{url}'>{title}</a>")
```

**Good**

```python
env = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
return format_html("<a href='{}'>{}</a>", url, title)
```

**Not flagged.** DW120: `autoescape=select_autoescape(...)`, `autoescape=True` or any computed
value, and environments given `**options` (autoescape may be in them). Environments that render
plain text (SQL, YAML, e-mail bodies) are flagged too: suppress them with a reason. DW121:
literal and constant template sources (pass values as render context instead); sandboxed
environments' `from_string` (the sandbox is made for untrusted templates); `from_string` on
receivers we cannot trace to a `jinja2.Environment(...)` call, such as Flask's `app.jinja_env`.
DW122: `Markup` / `mark_safe` on literals and constants, on values passed through an escaper
(`escape`, `conditional_escape`, `html.escape`, `bleach.clean`, `nh3.clean`) or built by one that
escapes (`format_html`, `format_html_join`, `render_to_string`, `render_template`,
`Markup(...).format(...)`), and numbers (`int()`, `len()`). `format_html` itself is never flagged.
DW123: `default_filters` computed or holding `"h"`; `**options` (the filters may be in them); a
literal template text with no `${...}` expression, which has nothing to escape. Mako templates
that render plain text are flagged too: suppress them with a reason.

**Fix.** Safe, for DW120 when `autoescape=` is missing: `autoescape=True` is added, so every
value rendered into a template is HTML-escaped. Templates that render plain text (SQL, YAML,
e-mail bodies) then get `&amp;` for `&`: give those `autoescape=select_autoescape()`, which
escapes only HTML and XML templates, or suppress the finding with that reason. An explicit
`autoescape=False`, DW121 and DW122 are left to a person. Keep templates fixed and pass values
as context; create environments with `autoescape=select_autoescape()`; build HTML with
`format_html` or `Markup("...").format(...)`, which escape every value; give Mako
`default_filters=["h"]` (or `["str", "h"]`).

**References.** CWE-79 (cross-site scripting), CWE-1336 (server-side template injection);
bandit B701 (jinja2 autoescape), B702 (Mako), B703 and B308 (Django `mark_safe`), B704
(markupsafe `Markup`); ruff S701, S702, S308, S704.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from hooks.engine.lazy import cst
from hooks.engine import edits
from hooks.engine.tree import spreads_keywords
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity

if TYPE_CHECKING:
    from hooks.engine.bindings import Binding

JINJA_ENVIRONMENTS = frozenset({"jinja2.Environment", "jinja2.environment.Environment"})
SANDBOXES = frozenset(
    f"jinja2.sandbox.{name}" for name in ("SandboxedEnvironment", "ImmutableSandboxedEnvironment")
)
MAKO_TEMPLATES = frozenset({"mako.template.Template"})
MAKO_MAKERS = frozenset({*MAKO_TEMPLATES, "mako.lookup.TemplateLookup"})
MAKO_ESCAPE = "h"
STRING_TEMPLATES = frozenset(
    {
        "flask.render_template_string",
        "flask.templating.render_template_string",
        "jinja2.Template",
        "jinja2.environment.Template",
        *MAKO_TEMPLATES,
    }
)
MARKERS = frozenset(
    {
        "markupsafe.Markup",
        "flask.Markup",
        "jinja2.Markup",
        "jinja2.utils.Markup",
        "django.utils.safestring.mark_safe",
        "django.utils.safestring.SafeString",
        "django.utils.safestring.SafeText",
    }
)
# calls whose result is escaped, or cannot hold markup: safe to mark as safe
ESCAPED = frozenset(
    {
        "html.escape",
        "markupsafe.escape",
        "markupsafe.Markup.escape",
        "flask.escape",
        "jinja2.escape",
        "django.utils.html.escape",
        "django.utils.html.conditional_escape",
        "django.utils.html.format_html",
        "django.utils.html.format_html_join",
        "django.utils.html.json_script",
        "django.template.loader.render_to_string",
        "django.shortcuts.render_to_string",
        "flask.render_template",
        "bleach.clean",
        "nh3.clean",
        *(f"builtins.{name}" for name in ("int", "float", "len", "bool", "abs")),
    }
)
MAX_DEPTH = 6
AUTOESCAPE = Fix(lambda call: edits.with_keyword(call, "autoescape", "True"))


def _bindings(rule: Rule, name: str) -> List[Binding]:
    from hooks.engine.names import lookup  # imports libcst: only once a file is parsed

    found, _ = lookup(name, rule.ctx.scopes)
    return found or []


def _assigned(binding: Binding) -> Optional[cst.BaseExpression]:
    """The value of an `x = ...` / `x += ...` binding; None for parameters, imports and others."""
    return binding.value if binding.kind.name in ("ASSIGN", "AUGMENT") else None


def _inline_build(node: cst.BaseExpression) -> bool:
    """An f-string with values, `%`, `+`, `.format(...)` or `.join(...)` written in the call."""
    if isinstance(node, cst.FormattedString):
        return any(isinstance(p, cst.FormattedStringExpression) for p in node.parts)
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, (cst.Add, cst.Modulo))
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in ("format", "join")
    )


def _confidence(node: cst.BaseExpression) -> Confidence:
    return Confidence.HIGH if _inline_build(node) else Confidence.MEDIUM


class JinjaAutoescapeOff(Rule):
    code = "DW120"
    name = "jinja-autoescape-off"
    summary = "A Jinja2 environment renders values into templates without HTML escaping."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (79,)
    message = "`{func}` {how}: values rendered into HTML are not escaped"
    hint = "pass autoescape=select_autoescape() (or autoescape=True)"
    triggers = ("jinja2",)
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "from jinja2 import Environment, FileSystemLoader\n"
            "env = Environment(loader=FileSystemLoader('templates'))\n",
            ((2, 7),),
            fixed="from jinja2 import Environment, FileSystemLoader\n"
            "env = Environment(loader=FileSystemLoader('templates'), autoescape=True)\n",
        ),
        Bad(
            "import jinja2\n"
            "def make_env(path):\n"
            "    return jinja2.Environment(\n"
            "        loader=jinja2.FileSystemLoader(path),\n"
            "        autoescape=False,\n"
            "        trim_blocks=True,\n"
            "    )\n",
            ((3, 12),),
            why="autoescape switched off explicitly",
        ),
        Bad(
            "import jinja2 as j2\nenv = j2.Environment(loader=j2.PackageLoader('shop'))\n",
            ((2, 7),),
            fixed="import jinja2 as j2\n"
            "env = j2.Environment(loader=j2.PackageLoader('shop'), autoescape=True)\n",
        ),
        Bad(
            "from jinja2 import Environment as Env, DictLoader\n"
            "env = Env(loader=DictLoader({'page.html': '<p>{{ body }}</p>'}), autoescape=0)\n",
            ((2, 7),),
        ),
        Bad(
            "from jinja2.sandbox import SandboxedEnvironment\nsandbox = SandboxedEnvironment()\n",
            ((2, 11),),
            why="the sandbox stops code, not markup",
            fixed="from jinja2.sandbox import SandboxedEnvironment\n"
            "sandbox = SandboxedEnvironment(autoescape=True)\n",
        ),
        Ok(
            "from jinja2 import Environment, FileSystemLoader, select_autoescape\n"
            "env = Environment(\n"
            "    loader=FileSystemLoader('templates'),\n"
            "    autoescape=select_autoescape(['html', 'xml']),\n"
            ")\n",
        ),
        Ok("import jinja2\nenv = jinja2.Environment(autoescape=True)\n"),
        Ok(
            "import jinja2\n"
            "def make_env(html: bool):\n"
            "    return jinja2.Environment(autoescape=html)\n",
            why="a computed autoescape",
        ),
        Ok(
            "import jinja2\ndef make_env(**options):\n    return jinja2.Environment(**options)\n",
            why="autoescape may be among the options",
        ),
        Ok(
            "from myapp.settings import Environment\nenv = Environment('production')\n",
            why="an Environment that is not Jinja2's",
        ),
        Ok(
            "import jinja2\ndef render(Environment):\n    return Environment(loader=None)\n",
            why="a parameter shadows the name",
        ),
        Ok("docs = 'use jinja2.Environment(autoescape=False) with care'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in JINJA_ENVIRONMENTS and func not in SANDBOXES:
            return
        if spreads_keywords(node):
            return
        autoescape = self.ctx.argument(node, None, "autoescape")
        if autoescape is None:
            self.report(node, func=func, how="is made without autoescape", fix=AUTOESCAPE)
        elif self.ctx.truthy_constant(autoescape) is False:
            self.report(node, func=func, how="turns autoescape off")


class TemplateFromString(Rule):
    code = "DW121"
    name = "template-from-string"
    summary = "A template is compiled from a computed string, so its text runs as template code."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (1336,)
    message = (
        "`{func}` compiles a template from a computed string: template syntax in it runs on "
        "the server"
    )
    hint = "keep the template fixed and pass values as render context (name=name)"
    triggers = ("render_template_string", "jinja2", "mako")
    examples = (
        Bad(
            "from flask import Flask, request, render_template_string\n"
            "app = Flask(__name__)\n"
            "\n"
            "@app.route('/hello')\n"
            "def hello():\n"
            "    name = request.args.get('name', 'world')\n"
            "    return render_template_string(f'<h1>Hello {name}!</h1>')\n",
            ((7, 12),),
        ),
        Bad(
            "from mako.template import Template\n"
            "def preview(layout, fields):\n"
            "    return Template(layout, default_filters=['h']).render(**fields)\n",
            ((3, 12),),
            why="Mako source from a parameter: its <% %> blocks are Python",
        ),
        Bad(
            "import flask\n"
            "def page(title, body):\n"
            "    html = '<title>%s</title><main>%s</main>' % (title, body)\n"
            "    return flask.render_template_string(html)\n",
            ((4, 12),),
            why="a variable (medium confidence)",
        ),
        Bad(
            "from jinja2 import Template\n"
            "def render_email(user, snippet):\n"
            "    return Template('Hi {{ name }},\\n' + snippet).render(name=user.name)\n",
            ((3, 12),),
        ),
        Bad(
            "import jinja2\n"
            "env = jinja2.Environment(autoescape=True)\n"
            "def preview(source):\n"
            "    return env.from_string(source).render()\n",
            ((4, 12),),
            why="from_string on a module environment",
        ),
        Bad(
            "from jinja2 import Environment, select_autoescape\n"
            "def notify(tpl, **ctx):\n"
            "    tmpl = Environment(autoescape=select_autoescape()).from_string(tpl)\n"
            "    return tmpl.render(**ctx)\n",
            ((3, 12),),
        ),
        Bad(
            "from flask import render_template_string as rts\n"
            "def banner(msg):\n"
            "    return rts('<div class=\"banner\">{}</div>'.format(msg))\n",
            ((3, 12),),
        ),
        Ok(
            "from flask import request, render_template_string\n"
            "def hello():\n"
            "    name = request.args.get('name', 'world')\n"
            "    return render_template_string('<h1>Hello {{ name }}!</h1>', name=name)\n",
            why="a literal template with the value as context",
        ),
        Ok(
            "from flask import render_template_string\n"
            "PAGE = '<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>'\n"
            "def listing(items):\n"
            "    return render_template_string(PAGE, items=items)\n",
            why="a module constant",
        ),
        Ok(
            "from flask import render_template\n"
            "def hello(name):\n"
            "    return render_template('hello.html', name=name)\n",
        ),
        Ok(
            "from jinja2.sandbox import SandboxedEnvironment\n"
            "def preview(source):\n"
            "    return SandboxedEnvironment(autoescape=True).from_string(source).render()\n",
            why="the sandbox is made for untrusted templates",
        ),
        Ok(
            "from flask import current_app\n"
            "def preview(source):\n"
            "    return current_app.jinja_env.from_string(source).render()\n",
            why="a receiver that cannot be traced to an Environment call",
        ),
        Ok(
            "from string import Template\n"
            "def greeting(name):\n"
            "    return Template(f'Hello {name}, $$item is ready').substitute(item='tea')\n",
            why="string.Template, not Jinja2's",
        ),
        Ok(
            "import jinja2\n"
            "def render(jinja2, source):\n"
            "    return jinja2.Template(source).render()\n",
            why="a parameter shadows the module",
        ),
        Ok(
            "import jinja2\n"
            "env = jinja2.Environment(autoescape=True)\n"
            "def page(name):\n"
            "    return env.get_template(name).render()\n",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in STRING_TEMPLATES:
            label = func
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "from_string"
            and self._environment(node.func.value)
        ):
            label = "Environment.from_string"
        else:
            return
        source = self.ctx.argument(node, 0, "source")
        if source is None or self.ctx.is_constant(source.value):
            return
        self.report(node, confidence=_confidence(source.value), func=label)

    def _environment(self, node: cst.BaseExpression) -> bool:
        """A `jinja2.Environment(...)` call, or a name only ever bound to one."""
        if isinstance(node, cst.Call):
            return self.ctx.resolve(node.func) in JINJA_ENVIRONMENTS
        if isinstance(node, cst.Name):
            values = [_assigned(b) for b in _bindings(self, node.value)]
            return bool(values) and all(
                isinstance(v, cst.Call) and self._environment(v) for v in values
            )
        return False


class MakoWithoutEscaping(Rule):
    code = "DW123"
    name = "mako-without-escaping"
    summary = "A Mako template renders values without HTML escaping (no `h` default filter)."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (79,)
    message = "`{func}` {how}: Mako writes `${{value}}` into the page unescaped"
    hint = "pass default_filters=['h'] (or ['str', 'h']) so every ${...} is HTML-escaped"
    triggers = ("mako",)
    examples = (
        Bad(
            "from mako.lookup import TemplateLookup\n\n"
            "templates = TemplateLookup(directories=['templates'], module_directory='/tmp/mako')\n",
            ((3, 13),),
        ),
        Bad(
            "from mako.template import Template\n\n"
            "def profile_page(user):\n"
            "    page = Template(filename='templates/profile.html')\n"
            "    return page.render(name=user.display_name)\n",
            ((4, 12),),
        ),
        Bad(
            "import mako.template\nGREETING = mako.template.Template('<h1>Hello ${name}</h1>')\n",
            ((2, 12),),
        ),
        Bad(
            "from mako import lookup\n"
            "views = lookup.TemplateLookup(directories=['views'], default_filters=['str'])\n",
            ((2, 9),),
            why="filters given, but not h",
        ),
        Ok(
            "from mako.lookup import TemplateLookup\n"
            "templates = TemplateLookup(directories=['templates'], default_filters=['str', 'h'])\n",
            why="every expression HTML-escaped",
        ),
        Ok(
            "from mako.template import Template\nbanner = Template('Build finished.')\n",
            why="no ${...} expression: nothing to escape",
        ),
        Ok(
            "from mako.lookup import TemplateLookup\n"
            "def make(**options):\n    return TemplateLookup(**options)\n",
            why="the filters may be in the options",
        ),
        Ok(
            "from mako.template import Template\n"
            "from app.settings import FILTERS\n"
            "page = Template(filename='page.html', default_filters=FILTERS)\n",
            why="computed filters",
        ),
        Ok(
            "from string import Template\nline = Template('Hello $name').substitute(name=n)\n",
            why="string.Template, not Mako",
        ),
        Ok(
            "from mako.template import Template\n\n"
            "def f(Template):\n    return Template(filename='x.html')\n",
            why="shadowed by a parameter",
        ),
        Ok("NOTE = 'mako.template.Template(...) escapes nothing'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in MAKO_MAKERS or spreads_keywords(node):
            return
        text = self.ctx.argument(node, 0, "text") if func in MAKO_TEMPLATES else None
        if text is not None and isinstance(text.value, cst.SimpleString):
            if "${" not in str(text.value.evaluated_value):
                return
        filters = self.ctx.argument(node, None, "default_filters")
        if filters is None:
            self.report(node, func=func, how="is made without default_filters=['h']")
            return
        listed = filters.value
        if not isinstance(listed, (cst.List, cst.Tuple)):
            return  # computed: someone chose the filters
        names = {
            element.value.evaluated_value
            for element in listed.elements
            if isinstance(element.value, cst.SimpleString)
        }
        if MAKO_ESCAPE not in names:
            self.report(node, func=func, how="has default_filters without 'h'")


class MarkSafeComputed(Rule):
    code = "DW122"
    name = "mark-safe-computed"
    summary = "A computed string is marked as safe HTML, so nothing escapes it."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (79,)
    message = "`{func}` marks a computed string as safe HTML: markup in its values reaches the page"
    hint = "build it with format_html() or Markup('...').format(...), which escape each value"
    triggers = ("Markup", "mark_safe", "SafeString", "SafeText")
    examples = (
        Bad(
            "from django.utils.safestring import SafeString\ndef show(html):\n"
            "    return SafeString(html)\n",
            ((3, 12),),
            why="SafeString is mark_safe by another name",
        ),
        Bad(
            "from django.utils.safestring import mark_safe\n"
            "def status_badge(obj):\n"
            "    return mark_safe(f'<span class=\"badge\">{obj.status}</span>')\n",
            ((3, 12),),
            why="an admin display helper",
        ),
        Bad(
            "from markupsafe import Markup\n"
            "def link(url, title):\n"
            "    return Markup('<a href=\"%s\">%s</a>' % (url, title))\n",
            ((3, 12),),
        ),
        Bad(
            "import flask\n"
            "@app.template_filter('nl2br')\n"
            "def nl2br(text):\n"
            "    return flask.Markup(text.replace('\\n', '<br>'))\n",
            ((4, 12),),
            why="a method call on a value (medium confidence)",
        ),
        Bad(
            "from django.utils.safestring import mark_safe as safe\n"
            "def items_html(items):\n"
            "    html = '<ul>'\n"
            "    for item in items:\n"
            "        html += f'<li>{item}</li>'\n"
            "    return safe(html + '</ul>')\n",
            ((6, 12),),
            why="an alias, and a string extended in a loop",
        ),
        Bad(
            "import jinja2\n"
            "def cell(value):\n"
            "    return jinja2.Markup('<td>{}</td>'.format(value))\n",
            ((3, 12),),
        ),
        Bad(
            "from django.utils import safestring\n"
            "import markdown\n"
            "def render_bio(profile):\n"
            "    return safestring.mark_safe(markdown.markdown(profile.bio))\n",
            ((4, 12),),
            why="markdown output may hold raw HTML",
        ),
        Ok(
            "from markupsafe import Markup\n"
            "ICON = Markup('<i class=\"icon-ok\"></i>')\n"
            "SEP = Markup('&middot;' + ' ')\n",
            why="literals",
        ),
        Ok(
            "from django.utils.html import format_html\n"
            "def status_badge(obj):\n"
            "    return format_html('<span class=\"badge\">{}</span>', obj.status)\n",
            why="format_html escapes each value",
        ),
        Ok(
            "from markupsafe import Markup\n"
            "def link(url, title):\n"
            "    return Markup('<a href=\"{}\">{}</a>').format(url, title)\n",
            why="Markup(...).format escapes its arguments",
        ),
        Ok(
            "from django.utils.html import escape\n"
            "from django.utils.safestring import mark_safe\n"
            "def items_html(items):\n"
            "    rows = ''.join(f'<li>{escape(i)}</li>' for i in items)\n"
            "    return mark_safe(f'<ul>{rows}</ul>' if rows else '')\n",
            why="every value escaped, on both branches",
        ),
        Ok(
            "from django.template.loader import render_to_string\n"
            "from django.utils.safestring import mark_safe\n"
            "def widget(ctx):\n"
            "    html = render_to_string('widget.html', ctx)\n"
            "    return mark_safe(html)\n",
            why="the output of an autoescaping template",
        ),
        Ok(
            "import html\n"
            "from markupsafe import Markup\n"
            "def count(items, label):\n"
            "    return Markup(f'<b>{len(items)}</b> {html.escape(label)}')\n",
        ),
        Ok(
            "from .widgets import Markup\ndef wrap(x):\n    return Markup(x)\n",
            why="a Markup that is not markupsafe's",
        ),
        Ok(
            "from django.utils.safestring import mark_safe\n"
            "def show(mark_safe, x):\n"
            "    return mark_safe(x)\n",
            why="a parameter shadows the name",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in MARKERS:
            return
        arg = self.ctx.argument(node, 0, "s" if func.endswith("mark_safe") else "base")
        if arg is None or self._escaped(arg.value, 0):
            return
        found = self.ctx.origin(arg.value, sink="html")  # names an untrusted source
        self.report(node, confidence=_confidence(arg.value), value=(arg.value, found), func=func)

    def _escaped(self, node: cst.BaseExpression, depth: int) -> bool:
        """Can the value hold only markup written in the code, or escaped values?"""
        if depth > MAX_DEPTH:
            return False
        if self.ctx.is_constant(node):
            return True
        more = depth + 1
        if isinstance(node, cst.IfExp):
            return self._escaped(node.body, more) and self._escaped(node.orelse, more)
        if isinstance(node, cst.Name):
            values = [_assigned(b) for b in _bindings(self, node.value)]
            return bool(values) and all(v is not None and self._escaped(v, more) for v in values)
        if isinstance(node, cst.FormattedString):
            return all(
                self._escaped(part.expression, more)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, (cst.ConcatenatedString, cst.BinaryOperation)):
            if self._marked(node.left):
                return True  # Markup's % and + escape the other side
            return self._escaped(node.left, more) and self._escaped(node.right, more)
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            return self._escaped(node.elt, more)
        if isinstance(node, cst.Call):
            return self._escaped_call(node, more)
        return False

    def _escaped_call(self, node: cst.Call, depth: int) -> bool:
        if self.ctx.resolve(node.func) in ESCAPED or self._marked(node):
            return True  # an inner Markup(...) is judged on its own
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("format", "join"):
            if self._marked(func.value):
                return True  # Markup.format and Markup.join escape their arguments
            return self._escaped(func.value, depth) and all(
                self._escaped(arg.value, depth) for arg in node.args
            )
        return False

    def _marked(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and self.ctx.resolve(node.func) in MARKERS
