"""dynamic-code: running or importing code whose text is computed at run time.

**What it finds.** DW101: `eval`, `exec` and `compile` on anything but a literal, and
`__import__` / `importlib.import_module` with a module name that comes from outside the program
(a web request, `input()`, `sys.argv`, the environment, a file or socket read). DW105:
`logging.config.listen()` without a `verify` function: it opens a port that takes a logging
configuration, and a configuration can name any callable to import and call.

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
object, and guessing would bury real findings under false ones. Dynamic imports of names that are
parameters, settings, attributes or loop variables: plugin loaders and frameworks import what
their configuration names (`import_module(settings.ROOT_URLCONF)`), and the person who writes
the configuration can run code anyway. `exec(compile(source, ...))` is reported once, at the
`compile`. `logging.config.listen(verify=check)`: the verify function can check a signature.

**Fix.** None automatic. Parse data with `ast.literal_eval` or `json.loads`; map plugin names to
modules with an explicit allowlist.

**References.** CWE-95 (eval injection), CWE-94 (code injection); bandit B102, B307, B612;
ruff S102, S307, S612.
"""

from __future__ import annotations

from hooks._sources import from_outside
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity
from hooks.engine.trust import Trust

CODE_RUNNERS = {"builtins.eval": "eval", "builtins.exec": "exec", "builtins.compile": "compile"}
IMPORTERS = {"builtins.__import__": "__import__", "importlib.import_module": "import_module"}
LOGGING_LISTEN = frozenset({"logging.config.listen"})


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
        Bad(
            "def run_startup(path):\n"
            "    with open(path) as handle:\n"
            "        exec(compile(handle.read(), path, 'exec'), {})\n",
            ((3, 14),),
            why="reported once, at the compile that reads the file",
        ),
        Bad(
            "import sys\nfrom importlib import import_module as im\n"
            "plugin = im(f'plugins.{sys.argv[1]}')\n",
            ((3, 10),),
            why="a module named on the command line",
        ),
        Bad(
            "from flask import request\n"
            "def export():\n"
            "    fmt = request.args.get('format', 'csv')\n"
            "    writer = __import__(f'exporters.{fmt}')\n"
            "    return writer.render()\n",
            ((4, 14),),
            why="a module named by the request",
        ),
        Bad(
            "import importlib\nimport os\n"
            "backend = importlib.import_module(os.environ['CACHE_BACKEND'])\n",
            ((3, 11),),
            why="from the environment",
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
        Ok("def load(*args):\n    return __import__(*args)\n", why="no name we can see"),
        Bad("def run(*args):\n    return exec(*args)\n", ((2, 12),), why="text we cannot see"),
        Ok("__import__('os')\n"),
        Ok(
            "def load(name):\n    return __import__(name)\n",
            why="a parameter: the caller names the module, as plugin loaders do",
        ),
        Ok(
            "from importlib import import_module\nfrom django.conf import settings\n"
            "urlconf = import_module(settings.ROOT_URLCONF)\n",
            why="a module named by the settings",
        ),
        Ok(
            "from importlib import import_module\n"
            "def load_all(apps):\n"
            "    for app in apps:\n"
            "        import_module(f'{app}.signals')\n",
            why="names from the caller's list",
        ),
        Ok("x = 'eval(user_input)'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in CODE_RUNNERS:
            source = self.ctx.argument(node, 0, "source")
            if source is not None and isinstance(source.value, cst.Call):
                if self.ctx.resolve(source.value.func) == "builtins.compile":
                    return  # the compile() inside is judged on its own source
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
            if func in CODE_RUNNERS:  # `eval(*args)`: the text is somewhere in there
                self.report(node, confidence=Confidence.MEDIUM, func=name, what=what)
            return
        found = self.ctx.origin(argument.value, sink="code")
        if found.trust is Trust.SAFE or (func in IMPORTERS and not from_outside(found)):
            return
        confidence = Confidence.HIGH if found.trust is Trust.UNTRUSTED else Confidence.MEDIUM
        self.report(
            node, confidence=confidence, value=(argument.value, found), func=name, what=what
        )


class LoggingConfigListen(Rule):
    code = "DW105"
    name = "logging-config-listen"
    summary = "logging.config.listen() takes configuration, and so code, from a socket."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (94,)
    message = (
        "`logging.config.listen()` without `verify=` accepts a configuration from anyone who "
        "can reach its port, and a configuration can name code to run"
    )
    hint = "pass verify= a function that checks a signature, or load the config from a file"
    # `listen` alone is every socket server: the call, an import of it, or an aliased module
    triggers = ()
    trigger_patterns = (
        r"\bconfig\.listen\b",
        r"\bimport\b[^\n]*\blisten\b",
        r"\blogging\.config\b[^\n]*\bas\b",
    )
    examples = (
        Bad("import logging.config\n\nt = logging.config.listen(9999)\nt.start()\n", ((3, 5),)),
        Bad(
            "from logging.config import listen\n\n"
            "def start_log_server(port):\n"
            "    thread = listen(port)\n"
            "    thread.start()\n"
            "    return thread\n",
            ((4, 14),),
        ),
        Bad(
            "import logging.config as lc\nlistener = lc.listen(verify=None)\n",
            ((2, 12),),
            why="verify=None is the default: no check",
        ),
        Bad(
            "from logging import config\nconfig.listen()\n",
            ((2, 1),),
        ),
        Ok(
            "import logging.config\n\n"
            "def signed(data):\n"
            "    return data if check_signature(data) else None\n\n"
            "t = logging.config.listen(9999, verify=signed)\n",
            why="a verify function can reject what is not signed",
        ),
        Ok("import socket\nsock = socket.socket()\nsock.listen(5)\n", why="a socket's listen"),
        Ok("import asyncio\nserver.listen(8080)\n", why="listen on an unknown object"),
        Ok(
            "import logging.config\nlogging.config.dictConfig(CONFIG)\n",
            why="configuration from the program itself",
        ),
        Ok(
            "import logging.config\n\ndef f(logging):\n    logging.config.listen(9999)\n",
            why="shadowed by a parameter",
        ),
        Ok("HELP = 'logging.config.listen() is unsafe without verify'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.resolve(node.func) not in LOGGING_LISTEN:
            return
        verify = self.ctx.argument(node, 1, "verify")
        if verify is None or (isinstance(verify.value, cst.Name) and verify.value.value == "None"):
            self.report(node)
