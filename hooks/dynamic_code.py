"""dynamic-code: running or importing code whose text is computed at run time.

**What it finds.** DW101: `eval`, `exec` and `compile` on anything but a literal, and
`__import__` / `importlib.import_module` with a computed module name.

**Why it matters in assistant-written code.** Assistants reach for `eval(user_input)` to parse
numbers, lists or "simple expressions", and for `import_module(name)` to build plugin loaders.
Either one runs whatever text an attacker can get into the value.

**Bad**

```python
value = eval(request.args["n"])
```

**Good**

```python
import ast
value = ast.literal_eval(request.args["n"])
```

**Not flagged.** Literal arguments (`eval("1 + 2")`), `ast.literal_eval`, and methods that are
merely named `eval` on other objects (`model.eval()`, `df.eval(expr)`): we cannot resolve the
object, and guessing would bury real findings under false ones.

**Fix.** None automatic. Parse data with `ast.literal_eval` or `json.loads`; map plugin names to
modules with an explicit allowlist.

**References.** CWE-95 (eval injection); bandit B102, B307; ruff S102, S307.
"""

from __future__ import annotations

from hooks.engine.cli import hook_entry
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity
from hooks.engine.trust import Trust

CODE_RUNNERS = {"builtins.eval": "eval", "builtins.exec": "exec", "builtins.compile": "compile"}
IMPORTERS = {"builtins.__import__": "__import__", "importlib.import_module": "import_module"}


class DynamicCode(Rule):
    code = "DW101"
    name = "dynamic-code"
    summary = "eval, exec, compile or a dynamic import runs code whose text is computed."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (95,)
    message = "`{func}` on a computed {what} runs whatever text reaches it"
    hint = "parse data with ast.literal_eval or json.loads; map names to code with an allowlist"
    triggers = ("eval", "exec", "compile", "__import__", "import_module")
    examples = (
        Bad("def f(expr):\n    return eval(expr)\n", ((2, 12),)),
        Bad("exec(open(path).read())\n", ((1, 1),)),
        Bad("code = compile(source, '<x>', 'exec')\n", ((1, 8),)),
        Bad("import builtins\nbuiltins.eval(text)\n", ((2, 1),)),
        Bad("def load(name):\n    return __import__(name)\n", ((2, 12),)),
        Bad(
            "from importlib import import_module as im\nplugin = im(f'plugins.{name}')\n",
            ((2, 10),),
        ),
        Bad("x = eval(a + b)\n", ((1, 5),)),
        Bad(
            "from flask import request\ndef calc():\n    expr = request.args['e']\n"
            "    return eval(expr)\n",
            ((4, 12),),
            why="request data reaches eval",
        ),
        Ok("eval('1 + 2')\n", why="a literal expression"),
        Ok("def f(n):\n    return eval(str(int(n)))\n", why="int() leaves nothing to inject"),
        Ok("SRC = 'print(1)'\nexec(SRC)\n", why="a module constant"),
        Ok("import ast\nast.literal_eval(text)\n"),
        Ok("model.eval()\n", why="a method named eval on an unknown object"),
        Ok("df.eval('a + b')\n"),
        Ok("import re\nre.compile(pattern)\n"),
        Ok("def f(eval):\n    return eval(x)\n", why="a parameter shadows the builtin"),
        Ok("import importlib\nimportlib.import_module('json')\n"),
        Ok("__import__('os')\n"),
        Ok("x = 'eval(user_input)'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in CODE_RUNNERS:
            name, what, argument = (
                CODE_RUNNERS[func],
                "string",
                self.ctx.argument(node, 0, "source"),
            )
        elif func in IMPORTERS:
            name, what, argument = (
                IMPORTERS[func],
                "module name",
                self.ctx.argument(node, 0, "name"),
            )
        else:
            return
        if argument is None:
            self.report(node, confidence=Confidence.MEDIUM, func=name, what=what)
            return
        found = self.ctx.origin(argument.value, sink="code")
        if found.trust is Trust.SAFE:
            return
        confidence = Confidence.HIGH if found.trust is Trust.UNTRUSTED else Confidence.MEDIUM
        self.report(
            node, confidence=confidence, value=(argument.value, found), func=name, what=what
        )


main = hook_entry(__name__)
