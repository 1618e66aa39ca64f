"""insecure-assert: `assert` used to check who may do something.

**What it finds.** DW904: an `assert` whose condition mentions a name, attribute, call or
literal key (`session["logged_in"]`, `claims.get("is_admin")`) that reads like an access check:
`is_admin`, `is_superuser`, `is_staff`, `is_authenticated`, `authenticated`, `has_perm`,
`has_permission`, `permission`, `authorized`, `is_authorized`, `can_<access verb>`, `is_owner`,
`token_valid`, `valid_token`, `verify_token`, `check_password`, `logged_in` and `is_active`
(camelCase spellings too: `isAdmin`, `hasPermission`).

**Why it matters in assistant-written code.** `assert request.user.is_superuser` reads like a
guard and passes every test, so assistants use it for one. Python removes every `assert` when it
runs with `-O` or `PYTHONOPTIMIZE` (some container images and WSGI servers set it), and the guard
disappears with no error: everyone is an admin.

**Bad**

```python
def delete_account(request, account_id):
    assert request.user.is_superuser, "admins only"
    Account.objects.filter(id=account_id).delete()
```

**Good**

```python
def delete_account(request, account_id):
    if not request.user.is_superuser:
        raise PermissionDenied("admins only")
    Account.objects.filter(id=account_id).delete()
```

**Not flagged.** Plain asserts (`assert x > 0`, `assert isinstance(x, int)`): they state what the
code believes, which is what `assert` is for, and flagging every one (bandit's B101) is the
false positive users hate most. Words in the assert's message or in strings that are not keys
(`assert "is_admin" in payload`). Asserts inside functions named `test*` or classes named `Test*`,
which pytest and unittest collect: there an assert is the test, not a guard. Rules cannot see file
names, so helpers in test files (fixtures, `conftest.py`) are silenced in configuration:
`per-file-ignores = {"tests/**" = ["DW904"]}`.

**Fix.** None automatic. Replace the assert with an `if` that raises (`PermissionDenied`,
`HTTPException(403)`, `abort(403)`), or use the framework's decorator (`@login_required`,
`@permission_required`, FastAPI dependencies).

**References.** CWE-617 (reachable assertion); bandit B101 (every assert); ruff S101.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

# matched against whole names, after camelCase is turned into snake_case
ACCESS_CHECK = lazy_re(
    r"is_admin|is_superuser|is_staff|authenticated|is_authenticated|has_perm|has_permission"
    r"|permission|authorized|is_authorized|can_(?:edit|view|delete|access|manage|change|add|modify|update|read|write|admin|approve)\w*|is_owner|token_valid|valid_token"
    r"|verify_token|check_password|logged_in|is_active"
)
CAMEL_BOUNDARY = lazy_re(r"(?<=[a-z0-9])(?=[A-Z])")


def _key(node: cst.CSTNode) -> Optional[str]:
    """The literal key of `session["logged_in"]` or `session.get("logged_in")`."""
    value: Optional[cst.BaseExpression] = None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        value = index.value if isinstance(index, cst.Index) else None
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
        value = node.args[0].value if node.func.attr.value == "get" else None
    if isinstance(value, cst.SimpleString):
        key = value.evaluated_value
        return key if isinstance(key, str) else None
    return None


def _access_check(test: cst.BaseExpression) -> Optional[str]:
    """The first name or key in `test` that reads like an access check (other strings are
    text, not checks)."""
    stack: List[cst.CSTNode] = [test]
    while stack:
        node = stack.pop()
        name = node.value if isinstance(node, cst.Name) else _key(node)
        if name is not None and ACCESS_CHECK.fullmatch(CAMEL_BOUNDARY.sub("_", name).lower()):
            return name
        stack.extend(reversed(node.children))
    return None


class AssertAsAccessCheck(Rule):
    code = "DW904"
    name = "assert-as-access-check"
    summary = "An assert guards access; python -O removes it and lets everyone through."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (617,)
    message = "`assert` checks `{check}`: an access check that `python -O` removes"
    hint = "raise an exception (PermissionDenied, abort(403)) from an if statement instead"
    triggers = ()
    trigger_patterns = (
        r"\bassert\b[^\n]*(?i:admin|superuser|staff|authenticat|perm|authoriz|can|owner"
        r"|token|logged_?in|is_?active|password)",
    )
    examples = (
        Ok(
            "def insert(self, rows):\n"
            "    assert self.connection.features.can_return_rows_from_bulk_insert\n",
            why="a database feature flag, not an access check",
        ),
        Bad(
            "def delete_account(request, account_id):\n"
            "    assert request.user.is_superuser, 'admins only'\n"
            "    Account.objects.filter(id=account_id).delete()\n",
            ((2, 5),),
        ),
        Bad(
            "def refund(user, order):\n    assert user.has_perm('billing.refund')\n"
            "    order.refund()\n",
            ((2, 5),),
        ),
        Bad(
            "from flask_login import current_user\n\n@app.route('/admin')\ndef admin():\n"
            "    assert current_user.is_authenticated and current_user.is_admin\n"
            "    return render_template('admin.html')\n",
            ((5, 5),),
        ),
        Bad(
            "def update(doc, user, text):\n    assert can_edit(user, doc), 'forbidden'\n"
            "    doc.text = text\n",
            ((2, 5),),
            why="a can_<access verb> name",
        ),
        Bad(
            "def handle(request):\n    assert verify_token(request.headers['Authorization'])\n",
            ((2, 5),),
        ),
        Bad(
            "class OrderView:\n    def post(self, request):\n        assert request.user.isStaff\n",
            ((3, 9),),
            why="camelCase",
        ),
        Bad(
            "from flask import session\n\ndef settings_page():\n"
            "    assert session.get('logged_in'), 'please log in'\n",
            ((4, 5),),
            why="a literal session key",
        ),
        Ok("def scale(x):\n    assert x > 0\n    return x * 2\n"),
        Ok(
            "def parse(value):\n    assert isinstance(value, int), 'permission denied'\n",
            why="a plain assert; words in its message are not a check",
        ),
        Ok(
            "def test_admin_can_delete(client, admin):\n    assert admin.is_superuser\n"
            "    assert client.delete('/x').status_code == 204\n",
            why="inside a test function",
        ),
        Ok(
            "class TestPermissions:\n    def _login(self, user):\n        assert user.is_active\n",
            why="a helper of a test class",
        ),
        Ok(
            "def delete(request):\n    if not request.user.is_admin:\n"
            "        raise PermissionDenied()\n",
            why="a real check",
        ),
        Ok("def check(payload):\n    assert 'is_admin' in payload\n", why="text in a string"),
        Ok(
            "def check(perms):\n    assert len(permissions_list) == 3\n",
            why="names are matched whole",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # enclosing functions and classes, innermost last
        self.definitions: List[Tuple[str, str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.append(("def", node.name.value))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.append(("class", node.name.value))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.pop()

    def _in_test(self) -> bool:
        return any(
            name.startswith("test") if kind == "def" else name.startswith("Test")
            for kind, name in self.definitions
        )

    def visit_Assert(self, node: cst.Assert) -> None:
        check = _access_check(node.test)
        if check is None or self._in_test():
            return
        self.report(node, check=check)
