"""xpath-injection: XPath expressions built from web request data.

**What it finds.** DW135: a value from the request spliced into the expression of lxml's
`.xpath(...)`, `lxml.etree.XPath(...)` / `ETXPath(...)`, or the ElementPath of ElementTree's and
lxml's `.find` / `.findall` / `.findtext` / `.iterfind` (there the literal text must read like a
path: `/`, `[` or `@`, so `str.find` stays quiet). Helpers of the same module are followed one
level.

**Why it matters in assistant-written code.** Looking a user up in an XML file is written
`root.xpath(f"//user[@name='{name}' and @password='{pw}']")`; a password of `' or '1'='1`
matches every user, and other inputs read any node of the document.

**Severity.** High.

**Bad**

```python
name = request.args["name"]
users = tree.xpath(f"//user[@name='{name}']")
```

**Good**

```python
users = tree.xpath("//user[@name=$name]", name=request.args["name"])
```

**Not flagged.** XPath variables (`$name` with the value passed as a keyword), literal and
constant expressions, numbers, values checked against an allowlist or a pattern; `.find` on
text (`title.find(q)`) and on paths without `/`, `[` or `@`; values from the command line, the
environment or plain parameters.

**Fix.** None automatic. Pass values as XPath variables (`tree.xpath("//user[@name=$n]",
n=name)`), or check them against a strict pattern first.

**References.** CWE-643 (XPath injection); no bandit or ruff counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, Tuple

from hooks._webflow import FlowRule, literal_text
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Severity

COMPILERS = frozenset({"lxml.etree.XPath", "lxml.etree.ETXPath"})
PATH_METHODS = frozenset({"find", "findall", "findtext", "iterfind"})
PATH_MARKS = ("/", "[", "@")
WATCHED = frozenset({"xpath", *PATH_METHODS, *(name.rsplit(".", 1)[1] for name in COMPILERS)})


class XpathInjection(FlowRule):
    code = "DW135"
    name = "xpath-injection"
    summary = "An XPath expression is built from web request data."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (643,)
    message = "{sink} runs an XPath expression with request data spliced in: it can rewrite it"
    hint = "pass values as XPath variables: tree.xpath('//user[@name=$name]', name=value)"
    sink = "xpath"
    examples = (
        Bad(
            "from lxml import etree\n"
            "from flask import request\n"
            "\n"
            "TREE = etree.parse('users.xml')\n"
            "\n"
            "@app.route('/user')\n"
            "def user():\n"
            "    name = request.args['name']\n"
            "    return str(TREE.xpath(f\"//user[@name='{name}']/email/text()\"))\n",
            ((9, 16),),
        ),
        Bad(
            "import xml.etree.ElementTree as ET\n"
            "from django.http import HttpResponse\n"
            "\n"
            "def product(request, sku):\n"
            "    root = ET.parse('catalog.xml').getroot()\n"
            '    return root.find("./product[@sku=\'" + sku + "\']")\n',
            ((6, 12),),
            why="ElementPath in a Django view",
        ),
        Bad(
            "from lxml import etree\n"
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/nodes')\n"
            "def nodes(path: str):\n"
            "    finder = etree.XPath('//section/' + path)\n"
            "    return [n.text for n in finder(DOC)]\n",
            ((8, 14),),
            why="a compiled XPath",
        ),
        Bad(
            "from flask import request\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    query = \"//user[@name='%s' and @pass='%s']\" % (\n"
            "        request.form['user'], request.form['password'])\n"
            "    return bool(DOC.xpath(query))\n",
            ((7, 17),),
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/user')\n"
            "def user():\n"
            "    return str(TREE.xpath('//user[@name=$name]/email/text()',"
            " name=request.args['name']))\n",
            why="an XPath variable",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/has')\n"
            "def has():\n"
            "    return str(TITLE.find(request.args['q']))\n",
            why="str.find",
        ),
        Ok(
            "def book(request, number):\n    return ROOT.find(f\"./book[@id='{int(number)}']\")\n",
            why="a number",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "SECTIONS = {'intro', 'usage'}\n"
            "\n"
            "@app.route('/section')\n"
            "def section():\n"
            "    name = request.args['s']\n"
            "    if name not in SECTIONS:\n"
            "        return ''\n"
            "    return str(DOC.xpath('//section[@id=\"' + name + '\"]'))\n",
            why="an allowlist",
        ),
        Ok(
            "def items(tree, tag):\n    return tree.findall(f'.//{tag}[@active]')\n",
            why="a plain parameter",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        method = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if method not in WATCHED:
            return
        first = self.ctx.argument(call, 0, "path")
        if first is None:
            return
        qualified = self.ctx.resolve(func)
        if qualified in COMPILERS:
            yield qualified, first.value
        elif qualified is None and method == "xpath":
            yield ".xpath", first.value
        elif qualified is None and method in PATH_METHODS:
            if any(mark in literal_text(self.ctx, first.value) for mark in PATH_MARKS):
                yield f".{method}", first.value
