"""logged-secrets: passwords, tokens and keys written to logs or printed.

**What it finds.** DW504: a variable, attribute or string-keyed item named like a credential
(`password`, `token`, `secret`, `api_key`, `private_key`, `credentials`, ...: the same names as
DW503) given to `print(...)`, to `logging.info/debug/warning/error/exception/critical/log(...)`,
or to those methods on an object named `log`, `logger`, `LOG`, `LOGGER`, `_log` or `_logger`
(also `self.logger`, `self.log`, `cls._logger`, `logging.getLogger(...)`). The value is found
as an argument, inside an f-string, as a `%` or `+` operand, as a `.format(...)` argument, or
wrapped in `str()`/`repr()`.

**Why it matters in assistant-written code.** Debugging output is how assistants show that
something works: `logger.info(f"Got token {token}")`, `print("API key:", api_key)`. Logs are
kept for months, shipped to third-party services and read by people who should never see the
credential; a token in a log is a token anyone with log access can use.

**Bad**

```python
logger.info(f"Authenticated {user.email} with token {access_token}")
```

**Good**

```python
logger.info("Authenticated %s (token ending %s)", user.email, access_token[-4:])
```

**Not flagged.** Text that only mentions a credential (`logger.info("token refreshed")`);
names that merely contain a credential word (`print(token_count)`, `token_type`, `password_hash`);
values passed through a call or a slice (`mask(token)`, `len(password)`, `token[:4]`,
`hashlib.sha256(token)`), which is how masking is written; the variable of an enclosing `for`
loop (`for token in tokens: print(token)` lists a lexer's tokens or a word list) and a `token`
inside a class or function whose name says lexer, parser, scanner, tokenizer or grammar; keyword
arguments (`extra=`, `file=`); methods of objects with other names (`audit.info(token)`):
loggers are recognised by name, as they are rarely resolvable. Tokenizer and pagination names
(`pad_token`, `next_page_token`) are not credentials.

**Fix.** None automatic. Log that the event happened and who it concerns, not the value; where
you need to tell values apart, log a short suffix or a hash prefix.

**References.** CWE-532 (insertion of sensitive information into log file); no bandit or ruff
counterpart (pylint's and semgrep's logging-secret rules are the nearest).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional

from hooks.engine.bindings import spelled
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
LOGGING_FUNCTIONS = frozenset(f"logging.{name}" for name in LOG_METHODS)
LOGGER_NAMES = frozenset({"log", "logger", "LOG", "LOGGER", "_log", "_logger", "_LOG", "_LOGGER"})
# builtins that print their argument as it is
TRANSPARENT_CALLS = frozenset({"builtins.str", "builtins.repr"})
# the credential names of DW503: a credential word at the end of a snake_case name
SECRET_NAME = lazy_re(
    r"(?:^|_)(?P<word>passw(?:or)?d|pwd|passphrase|secret|token|api_?key"
    r"|(?:private|access|secret)_?key|credentials?)(?:_?\d+)?(?:_(?:value|str|plain|raw))?$"
)
# tokens of tokenizers and parsers, and pagination cursors: not credentials
LOOKALIKE_TOKEN = lazy_re(
    r"(?:^|_)(?:pad|eos|bos|unk|sep|cls|mask|special|start|end|stop|next|prev|previous|page"
    r"|first|last|lookahead|peek|word|sub)_token"
)
# definitions whose tokens are a lexer's or a parser's: `class Lexer`, `def tokenize`
LEXER_CONTEXT = lazy_re(r"lex|pars|scan|tokeniz|grammar", re.IGNORECASE)
CAMEL_BOUNDARY = lazy_re(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
NOT_ALNUM = lazy_re(r"[^0-9A-Za-z]+")


def _credential_word(name: str) -> Optional[str]:
    """The credential word `name` ends with (`token` for `access_token`), or None."""
    snake = CAMEL_BOUNDARY.sub("_", NOT_ALNUM.sub("_", name).strip("_")).lower()
    found = SECRET_NAME.search(snake)
    if found is None or LOOKALIKE_TOKEN.search(snake):
        return None
    return found.group("word")


def _string_key(node: cst.Subscript) -> Optional[str]:
    """`x` in `config["x"]`; None for slices, numbers and computed keys."""
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        key = index.value.evaluated_value
        return key if isinstance(key, str) else None
    return None


def _name_of(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript):
        return _string_key(node)
    return None


def _bound_names(target: cst.BaseExpression) -> FrozenSet[str]:
    """The plain names a `for` target binds: `token`, `(index, token)`."""
    if isinstance(target, cst.Name):
        return frozenset({target.value})
    if isinstance(target, (cst.Tuple, cst.List)):
        return frozenset(e.value.value for e in target.elements if isinstance(e.value, cst.Name))
    return frozenset()


def _is_logger(node: cst.BaseExpression) -> bool:
    """`logger`, `LOG`, `self.logger`, `cls._log`: a logger by its name."""
    if isinstance(node, cst.Name):
        return node.value in LOGGER_NAMES
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value in ("self", "cls")
        and node.attr.value in LOGGER_NAMES
    )


class SecretInLog(Rule):
    code = "DW504"
    name = "secret-in-log"
    summary = "A password, token, secret or key is written to a log or printed."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (532,)
    message = "`{call}` writes `{name}`, which looks like a credential, to the {sink}"
    hint = "log that it happened, not the value; log a short suffix if you must tell values apart"
    triggers = ()
    # a print or log call with a secret-looking name within its first three lines
    # a log call and a secret-ish word within three lines; one pattern per leading literal,
    # which the regex engine finds at C speed (an alternation it tries at every position)
    trigger_patterns = tuple(
        start + r"\b(?:[^\n]*\n){0,2}[^\n]*"
        r"(?i:passw|pwd|passphrase|secret|token|api_?key|private_?key|access_?key|credential)"
        for start in (
            r"\bprint",
            r"log(?<![A-Za-z0-9]log)(?:ging|ger)?",  # log, logging, logger, _log, _logger
            r"LOG(?<![A-Za-z0-9]LOG)(?:GER)?",
        )
    )
    examples = (
        Bad(
            "import logging\nlogger = logging.getLogger(__name__)\n\ndef login(user, password):\n"
            "    logger.info(f'Login attempt for {user} with password {password}')\n",
            ((5, 59),),
        ),
        Bad("import logging\nlogging.debug('api key: %s', api_key)\n", ((2, 30),)),
        Bad(
            "class Client:\n    def refresh(self):\n"
            "        print('new token:', self.access_token)\n",
            ((3, 29),),
        ),
        Bad(
            "log.warning('auth failed for %s with %s' % (user, password))\n",
            ((1, 51),),
            why="a % operand",
        ),
        Bad(
            "class Sync:\n    def run(self, credentials):\n"
            "        self.logger.error('login failed: {}'.format(credentials))\n",
            ((3, 53),),
            why="a .format argument",
        ),
        Bad("print(config['api_key'])\n", ((1, 7),), why="a string-keyed item"),
        Bad(
            "import logging\nlogging.getLogger(__name__).info('secret: %r', settings.SECRET_KEY)\n",
            ((2, 48),),
        ),
        Bad("LOG.debug('Token: ' + str(token))\n", ((1, 27),), why="str() hides nothing"),
        Bad(
            "import logging as lg\nlg.info('keys: %s %s', AWS_ACCESS_KEY, AWS_SECRET_KEY)\n",
            ((2, 24), (2, 40)),
            why="every credential is reported",
        ),
        Ok(
            "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('token refreshed')\n"
        ),
        Ok("print(token_count)\n"),
        Ok("logger.info('user %s', user.name)\n"),
        Ok(
            "logger.debug('token %s', mask(token))\nprint(token[:4] + '...')\n",
            why="masked values",
        ),
        Ok("print(len(password))\n"),
        Ok("audit.info(token)\n", why="not a logger by name"),
        Ok(
            "def print(*args):\n    pass\nprint(password)\n",
            why="a local print, not the builtin",
        ),
        Ok(
            "import logging\nlogging.info('password changed for %s', user.email)\n",
            why="the text mentions a credential, the value is an email",
        ),
        Ok(
            "print(tokenizer.pad_token, next_page_token)\n",
            why="tokenizer tokens and pagination cursors",
        ),
        Ok(
            "def dump(tokens):\n    for index, token in enumerate(tokens):\n"
            "        print(index, token)\n",
            why="a loop over a collection: a lexer's tokens, not a credential",
        ),
        Ok(
            "class Lexer:\n    def advance(self):\n        self.token = self.read()\n"
            "        print('token:', self.token)\n",
            why="a lexer's token",
        ),
        Ok(
            "import logging\nlogging.info('saved', extra={'user': user})\n"
            "print('done', file=sys.stderr)\n",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # the names each enclosing `for` loop binds, innermost last
        self.loop_targets: List[FrozenSet[str]] = []
        # the names of enclosing functions and classes, innermost last
        self.definitions: List[str] = []

    def visit_For(self, node: cst.For) -> None:
        self.loop_targets.append(_bound_names(node.target))

    def leave_For(self, node: cst.For) -> None:
        self.loop_targets.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.append(node.name.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.append(node.name.value)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        sink = self._sink(node.func)
        if sink is None:
            return
        call = f"{spelled(node.func)}(...)"
        for arg in node.args:
            if arg.keyword is not None or arg.star:
                continue
            for exposed in self._exposed(arg.value):
                name = _name_of(exposed)
                if name is None or self._loop_item(exposed):
                    continue
                word = _credential_word(name)
                if word is not None and not self._lexer_token(word):
                    self.report(exposed, call=call, name=name, sink=sink)

    def _loop_item(self, node: cst.BaseExpression) -> bool:
        """`for token in tokens: print(token)`: an item of a collection (a lexer's tokens, a
        word list), not the application's credential."""
        return isinstance(node, cst.Name) and any(node.value in t for t in self.loop_targets)

    def _lexer_token(self, word: str) -> bool:
        """`print(self.token)` in `class Lexer` or `def parse_expr`: a lexical token."""
        return word == "token" and any(LEXER_CONTEXT.search(d) for d in self.definitions)

    def _sink(self, func: cst.BaseExpression) -> Optional[str]:
        """Where `func` writes its arguments ("log" or "output"), or None."""
        resolved = self.ctx.resolve(func)
        if resolved == "builtins.print":
            return "output"
        if resolved in LOGGING_FUNCTIONS:
            return "log"
        if not (isinstance(func, cst.Attribute) and func.attr.value in LOG_METHODS):
            return None
        owner = func.value
        if _is_logger(owner):
            return "log"
        if isinstance(owner, cst.Call) and self.ctx.resolve(owner.func) == "logging.getLogger":
            return "log"
        return None

    def _exposed(self, value: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
        """The parts of an argument that are written out as they are, in source order."""
        stack: List[cst.BaseExpression] = [value]
        while stack:
            node = stack.pop()
            parts: List[cst.BaseExpression] = []
            if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
                yield node
            elif isinstance(node, cst.FormattedString):
                parts = [
                    part.expression
                    for part in node.parts
                    if isinstance(part, cst.FormattedStringExpression)
                ]
            elif isinstance(node, cst.BinaryOperation):
                if isinstance(node.operator, (cst.Add, cst.Modulo)):
                    parts = [node.left, node.right]
            elif isinstance(node, (cst.Tuple, cst.List)):
                parts = [element.value for element in node.elements]
            elif isinstance(node, cst.Dict):
                parts = [e.value for e in node.elements if isinstance(e, cst.DictElement)]
            elif isinstance(node, cst.Call):
                parts = self._passed_through(node)
            stack.extend(reversed(parts))

    def _passed_through(self, call: cst.Call) -> List[cst.BaseExpression]:
        """Arguments a call writes out unchanged: `"...".format(x)`, `str(x)`, `repr(x)`."""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            return [arg.value for arg in call.args if not arg.star]
        if self.ctx.resolve(func) in TRANSPARENT_CALLS and call.args:
            return [call.args[0].value]
        return []
