"""swallowed-exceptions: `except:` and `except Exception:` handlers that do nothing.

**What it finds.** DW705: a bare `except:`, `except Exception:` or `except BaseException:` (also
in a tuple, as in `except (ValueError, Exception):`, and with `as e`) whose body is only `pass`,
`...`, `continue` or a docstring.

**Why it matters in assistant-written code.** Asked to "make it not crash", assistants wrap the
failing call in `try: ... except Exception: pass`. The crash is gone and so is every later sign
of trouble: a typo's `NameError`, a failed permission check, a half-written file. Security checks
that raise on failure (signature verification, permission lookups) silently pass when their
exception is swallowed.

**Bad**

```python
try:
    verify_signature(payload, signature)
except Exception:
    pass
```

**Good**

```python
try:
    os.remove(tmp_path)
except FileNotFoundError:
    pass
```

**Not flagged.** Specific exceptions (`except KeyError: pass`,
`except (ImportError, OSError): pass`): naming what you expect is the fix. Handlers that log,
re-raise, return (with or without a value), `break`, or assign a fallback: they choose a path on
purpose. `contextlib.suppress(...)`: it names its exceptions. An `Exception` name that is
rebound in the module (a project's own class) is not the builtin.

**Fix.** None automatic. Catch the exceptions you expect; where anything may fail (cleanup,
best-effort telemetry), log it with `logger.debug(..., exc_info=True)` before moving on.

**References.** CWE-390 (detection of error condition without action), CWE-703 (improper check
or handling of exceptional conditions); bandit B110, B112; ruff S110, S112, BLE001, E722.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

BROAD_EXCEPTIONS = {"builtins.Exception": "Exception", "builtins.BaseException": "BaseException"}


def _broad(rule: Rule, caught: Optional[cst.BaseExpression]) -> Optional[str]:
    """How the handler is written when it catches everything, else None."""
    if caught is None:
        return "a bare `except:`"
    elements: Sequence[cst.BaseExpression] = [caught]
    if isinstance(caught, cst.Tuple):
        elements = [element.value for element in caught.elements]
    for element in elements:
        name = BROAD_EXCEPTIONS.get(rule.ctx.resolve(element) or "")
        if name is not None:
            return f"`except {name}:`" if element is caught else f"`except (..., {name}):`"
    return None


def _inert(statement: cst.BaseSmallStatement) -> Optional[str]:
    """What a statement that does nothing is, or None when it does something."""
    if isinstance(statement, cst.Pass):
        return "`pass`"
    if isinstance(statement, cst.Continue):
        return "`continue`"
    if isinstance(statement, cst.Expr):
        if isinstance(statement.value, cst.Ellipsis):
            return "`...`"
        if isinstance(statement.value, (cst.SimpleString, cst.ConcatenatedString)):
            return "a docstring"
    return None


def _inert_body(body: cst.BaseSuite) -> Optional[str]:
    """`pass`, `continue`, ... when the block holds nothing else, else None."""
    small: List[cst.BaseSmallStatement] = []
    if isinstance(body, cst.SimpleStatementSuite):
        small.extend(body.body)
    else:
        for statement in body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                return None  # an if, a with, a loop: the handler does something
            small.extend(statement.body)
    kinds = []
    for statement in small:
        kind = _inert(statement)
        if kind is None:
            return None
        if kind not in kinds:
            kinds.append(kind)
    return " and ".join(kinds) if kinds else None


class SwallowedException(Rule):
    code = "DW705"
    name = "swallowed-exception"
    summary = "A handler that catches every exception does nothing with it."
    severity = Severity.LOW
    confidence = Confidence.HIGH
    cwe = (390, 703)
    message = "{what} whose body is only {body} hides every error, bugs included"
    hint = "catch the exceptions you expect, or log the error before moving on"
    triggers = ()
    # an except clause whose body starts with pass, ... or continue (same line or the next)
    trigger_patterns = (
        r"\bexcept\b[^\n]*:[ \t]*(?:#[^\n]*)?(?:\r?\n[ \t]*#[^\n]*)*(?:\r?\n[ \t]*)?"
        r"(?:pass\b|\.\.\.|continue\b|[rbuRBU]?['\"])",
    )
    examples = (
        Bad(
            "try:\n    cache.delete(key)\nexcept Exception:\n    # best effort\n    pass\n",
            ((3, 1),),
            why="a comment line before the pass",
        ),
        Bad(
            "import os\n\ntry:\n    os.remove(tmp_path)\nexcept:\n    pass\n",
            ((5, 1),),
        ),
        Bad(
            "def is_valid(payload, signature):\n    try:\n"
            "        verify_signature(payload, signature)\n        return True\n"
            "    except Exception as exc:\n        pass\n    return True\n",
            ((5, 5),),
            why="a security check that can no longer fail",
        ),
        Bad(
            "total = 0.0\nfor row in rows:\n    try:\n        total += float(row['amount'])\n"
            "    except Exception:\n        continue\n",
            ((5, 5),),
        ),
        Bad(
            "try:\n    conn.close()\nexcept BaseException: ...\n",
            ((3, 1),),
            why="a one-line handler",
        ),
        Bad(
            "try:\n    cache.warm()\nexcept (ConnectionError, Exception):\n"
            "    '''Best effort: the cache fills itself later.'''\n",
            ((3, 1),),
            why="a tuple holding Exception, and a docstring-only body",
        ),
        Bad(
            "import builtins\ntry:\n    send_metrics()\nexcept builtins.Exception:\n"
            "    pass  # metrics are optional\n",
            ((4, 1),),
        ),
        Ok("try:\n    value = cache[key]\nexcept KeyError:\n    pass\n"),
        Ok(
            "try:\n    import ujson as json\nexcept (ImportError, OSError):\n    pass\n",
            why="specific exceptions",
        ),
        Ok(
            "import logging\nlogger = logging.getLogger(__name__)\ntry:\n    sync()\n"
            "except Exception:\n    logger.exception('sync failed')\n",
            why="the error is logged",
        ),
        Ok("try:\n    sync()\nexcept Exception:\n    raise\n", why="re-raised"),
        Ok(
            "def load(path):\n    try:\n        return parse(path)\n    except Exception:\n"
            "        return None\n",
            why="returns a value",
        ),
        Ok(
            "try:\n    timeout = int(raw)\nexcept Exception:\n    timeout = 30\n",
            why="assigns a fallback",
        ),
        Ok(
            "import contextlib, os\nwith contextlib.suppress(FileNotFoundError):\n"
            "    os.remove(path)\n",
        ),
        Ok(
            "from .errors import Exception\ntry:\n    run()\nexcept Exception:\n    pass\n",
            why="the project's own Exception class",
        ),
        Ok(
            "try:\n    run()\nexcept Exception:\n    if strict:\n        raise\n",
            why="the body decides something",
        ),
    )

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        what = _broad(self, node.type)
        if what is None:
            return
        body = _inert_body(node.body)
        if body is not None:
            self.report(node, what=what, body=body)
