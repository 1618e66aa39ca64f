"""sql-injection: SQL text built from values, handed to a database call.

**What it finds.** DW110: a query that is *built* (an f-string with expressions, `%` formatting,
`.format(...)`, `+` concatenation or `"sep".join(...)`) from values that are not constant, passed
to: the `execute`, `executemany`, `executescript` or `mogrify` method of any object (cursors,
connections and sessions cannot be resolved, so the method name is enough); SQLAlchemy `text()`;
Django `Model.objects.raw()`, `.extra(where=[...])` / `.extra(select={...})` (a dict
comprehension's values included) and `RawSQL`;
`pandas.read_sql` / `read_sql_query`. A query held in a local variable is followed to its
assignments in the function, `sql += ...` included.

**Why it matters in assistant-written code.** `cur.execute(f"SELECT * FROM users WHERE name =
'{name}'")` reads naturally and works in every demo, so assistants write it often; a name like
`' OR '1'='1` then reads every row, and `'; DROP TABLE users; --` does worse.

**Severity.** High. Confidence is high when the query is built inside the call, medium when it is
built in a variable first (the variable may be rebuilt safely on another path).

**Bad**

```python
cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
sql = "SELECT * FROM orders WHERE status = '%s'" % status
cur.execute(sql)
```

**Good**

```python
cur.execute("SELECT * FROM users WHERE name = %s", (name,))
cur.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
```

**Not flagged.** Parameterised queries (`%s`, `?`, `:name` placeholders with the values passed
separately); strings built only from literals and constants, a choice between two of them
included (`"..." + (" X" if flag else "")`); identifiers quoted by the database layer
(`quote_name(...)`, also through a local alias such as `qn = connection.ops.quote_name`) and
values quoted by it (`quote_value(...)`); SQL templates that are string constants of the
method's own class (`self.sql_create_table % {...}` where the class body says
`sql_create_table = "CREATE TABLE %(table)s ..."`; one inherited from a base class is not seen);
placeholder lists built by
repetition (`",".join("?" * len(ids))`, `", ".join(["%s"] * len(ids))`); values passed through
`int()`, `float()`, `len()` or `bool()`, which cannot carry SQL text; psycopg / psycopg2
`sql.SQL(...).format(sql.Identifier(...))` compositions; `.format` / `.join` / `+` on anything but
strings (`os.path.join`, `re.compile(...).sub`). A query that is a plain variable with no visible
build, such as a parameter passed straight through (`def run(q): cur.execute(q)`), is not
flagged: the build, if any, is elsewhere, and flagging every forwarded query would bury real
findings. Module-level query strings are followed only as far as they are constant. Other query
methods (asyncpg's `fetch`, `fetchrow`) are not matched: their names are too common elsewhere.

**Fix.** None automatic. Pass values as parameters and let the driver quote them; for table or
column names, check them against an allowlist or compose them with psycopg's `sql.Identifier`.

**References.** CWE-89 (SQL injection); bandit B608 (and B610, B611 for Django `extra` and
`RawSQL`); ruff S608, S610, S611.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Tuple

from hooks.engine.lazy import cst
from hooks.engine.memo import per_node
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

if TYPE_CHECKING:
    from hooks.engine.bindings import Binding

# method names matched on any object: DB-API cursors and connections, SQLAlchemy sessions
EXECUTE_METHODS = frozenset({"execute", "executemany", "executescript", "mogrify"})
EXECUTE_KEYWORDS = ("sql", "query", "operation", "statement", "sql_script")
# resolved functions whose first argument (or one of the keywords) is SQL text
SQL_FUNCTIONS = {
    "sqlalchemy.text": ("text",),
    "sqlalchemy.sql.text": ("text",),
    "sqlalchemy.sql.expression.text": ("text",),
    "django.db.models.RawSQL": ("sql",),
    "django.db.models.expressions.RawSQL": ("sql",),
    "pandas.read_sql": ("sql",),
    "pandas.read_sql_query": ("sql",),
    "pandas.io.sql.read_sql": ("sql",),
    "pandas.io.sql.read_sql_query": ("sql",),
}
DJANGO_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
EXTRA_KEYWORDS = ("where", "select")
# quoting of the database layer: what it returns is a quoted name or literal, not SQL text
QUOTERS = frozenset(
    {"quote_name", "quote_name_unless_alias", "quote_identifier", "quote_ident", "quote_value"}
)
# the receivers through which a method reads its class's attributes
OWN_OBJECT = frozenset({"self", "cls"})
NUMERIC_FUNCTIONS = frozenset(f"builtins.{n}" for n in ("int", "float", "len", "bool", "abs"))
# calls that return their (string) argument reshaped, not replaced
STRING_WRAPPERS = frozenset({"textwrap.dedent", "inspect.cleandoc", "builtins.str"})
# psycopg's composables quote what they hold; their .format/.join/+ are safe
PSYCOPG_SQL = ("psycopg2.sql.", "psycopg.sql.")
MAX_DEPTH = 6


def _bindings(rule: Rule, name: str) -> Tuple[List[Binding], bool]:
    """The bindings of `name` where Python finds it, and whether that is the module."""
    from hooks.engine.names import lookup  # imports libcst: only once a file is parsed

    found, at_module = lookup(name, rule.ctx.scopes)
    return (found or []), at_module


def _assigned(binding: Binding) -> Optional[cst.BaseExpression]:
    """The value of an `x = ...` / `x += ...` binding; None for parameters, imports and others."""
    return binding.value if binding.kind.name in ("ASSIGN", "AUGMENT") else None


def _dotted(node: cst.BaseExpression) -> str:
    from hooks.engine.bindings import dotted  # imports libcst: only once a file is parsed

    return dotted(node)


def _build_kind(node: cst.BaseExpression) -> Optional[str]:
    """How `node` builds a string, if it is one of the building forms."""
    if isinstance(node, cst.FormattedString):
        spliced = any(isinstance(p, cst.FormattedStringExpression) for p in node.parts)
        return "an f-string" if spliced else None
    if isinstance(node, cst.ConcatenatedString):
        return _build_kind(node.left) or _build_kind(node.right)
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Modulo):
            return "% formatting"
        if isinstance(node.operator, cst.Add):
            return "+ concatenation"
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":
            return "str.format()"
        if node.func.attr.value == "join" and isinstance(
            node.func.value, (cst.SimpleString, cst.ConcatenatedString)
        ):
            return "str.join()"
    return None


class SqlInjection(Rule):
    code = "DW110"
    name = "sql-injection"
    summary = "A database call runs SQL text built from values instead of binding parameters."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (89,)
    message = "`{func}` runs {what}: a value spliced into SQL text can change the query"
    hint = "pass values as parameters (%s, ?, :name); allowlist or sql.Identifier() for names"
    triggers = (
        *sorted(EXECUTE_METHODS),
        "sqlalchemy",
        "RawSQL",
        "read_sql",
        "read_sql_query",
    )
    # Django's `.raw(...)` and `.extra(...)`: as words, `raw` and `extra` are everywhere
    # (`**extra`, `raw = f.read()`), and each would cost a file its parse for nothing
    trigger_patterns = (r"\.\s*(?:raw|extra)\s*\(",)
    examples = (
        Ok(
            "from django.db import connection\ndef count(col):\n"
            "    with connection.cursor() as c:\n"
            "        c.execute('SELECT COUNT(%s) FROM t' % connection.ops.quote_name(col))\n",
            why="the database's own identifier quoting",
        ),
        Bad(
            "from flask import request\n"
            "from app.db import get_db\n"
            "\n"
            "@app.route('/users')\n"
            "def users():\n"
            "    name = request.args['name']\n"
            "    cur = get_db().cursor()\n"
            "    cur.execute(f\"SELECT id, email FROM users WHERE name = '{name}'\")\n"
            "    return cur.fetchall()\n",
            ((8, 5),),
            why="an f-string in a Flask view",
        ),
        Bad(
            "def find_orders(conn, status):\n"
            "    cur = conn.cursor()\n"
            "    cur.execute(\"SELECT * FROM orders WHERE status = '%s'\" % status)\n"
            "    return cur.fetchall()\n",
            ((3, 5),),
            why="% formatting instead of a parameter",
        ),
        Bad(
            "import sqlite3\n"
            "def delete(user_id):\n"
            "    with sqlite3.connect('app.db') as db:\n"
            "        db.execute('DELETE FROM users WHERE id = {}'.format(user_id))\n",
            ((4, 9),),
        ),
        Bad(
            "def search(cursor, term, order):\n"
            "    cursor.execute(\n"
            '        "SELECT * FROM items WHERE title LIKE \'%" + term + "%\' ORDER BY "\n'
            "        + order\n"
            "    )\n",
            ((2, 5),),
        ),
        Bad(
            "def report(conn, year, region=None):\n"
            "    sql = 'SELECT region, SUM(total) FROM sales WHERE year = %d' % year\n"
            "    if region:\n"
            '        sql += " AND region = \'" + region + "\'"\n'
            "    return conn.execute(sql).fetchall()\n",
            ((5, 12),),
            why="a variable built with % and += (medium confidence)",
        ),
        Bad(
            "from sqlalchemy import text\n"
            "def by_email(session, email):\n"
            "    stmt = text(f\"SELECT * FROM users WHERE email = '{email}'\")\n"
            "    return session.execute(stmt).all()\n",
            ((3, 12),),
            why="SQLAlchemy text() built with an f-string; the execute of its result is fine",
        ),
        Bad(
            "import sqlalchemy as sa\n"
            "def count(engine, table):\n"
            "    with engine.connect() as conn:\n"
            "        return conn.scalar(sa.text('SELECT COUNT(*) FROM ' + table))\n",
            ((4, 28),),
        ),
        Bad(
            "from shop.models import Product\n"
            "def cheap(request):\n"
            "    limit = request.GET['max']\n"
            "    return Product.objects.raw(f'SELECT * FROM shop_product WHERE price < {limit}')\n",
            ((4, 12),),
            why="Django raw() on a manager",
        ),
        Bad(
            "def recent(qs, days):\n"
            "    return qs.extra(where=[\"created > now() - interval '%s days'\" % days])\n",
            ((2, 12),),
            why="Django extra() with a computed where clause",
        ),
        Bad(
            "from django.db.models.expressions import RawSQL\n"
            "def annotate(qs, field):\n"
            "    return qs.annotate(val=RawSQL(f'SELECT {field} FROM meta', ()))\n",
            ((3, 28),),
        ),
        Bad(
            "import pandas as pd\n"
            "def load(engine, table, since):\n"
            "    query = f\"SELECT * FROM {table} WHERE ts > '{since}'\"\n"
            "    return pd.read_sql(sql=query, con=engine)\n",
            ((4, 12),),
            why="pandas, sql= keyword, a followed f-string",
        ),
        Bad(
            "def migrate(conn, statements):\n    conn.executescript(';\\n'.join(statements))\n",
            ((2, 5),),
            why="a script joined from values",
        ),
        Bad(
            "from sqlalchemy import text as sql_text\n"
            "def names(conn, cols):\n"
            "    query = 'SELECT ' + ', '.join(cols) + ' FROM users'\n"
            "    return conn.execute(sql_text(query))\n",
            ((4, 25),),
            why="an aliased text() and a followed variable",
        ),
        Ok(
            "def user(cur, uid):\n"
            "    cur.execute('SELECT * FROM users WHERE id = %s', (uid,))\n"
            "    return cur.fetchone()\n",
            why="a parameterised query",
        ),
        Ok(
            "import sqlite3\n"
            "def add(db: sqlite3.Connection, name, email):\n"
            "    db.execute('INSERT INTO users (name, email) VALUES (?, ?)', (name, email))\n",
        ),
        Ok(
            "from sqlalchemy import text\n"
            "def by_email(session, email):\n"
            "    stmt = text('SELECT * FROM users WHERE email = :email')\n"
            "    return session.execute(stmt, {'email': email}).all()\n",
            why="a :name bind parameter",
        ),
        Ok(
            "TABLE = 'users'\n"
            "def everyone(cur):\n"
            "    cur.execute('SELECT * ' 'FROM ' + TABLE + ' ORDER BY ' \"id\")\n",
            why="built only from literals and constants",
        ),
        Ok(
            "def run(cur, q, params=()):\n    cur.execute(q, params)\n    return cur.fetchall()\n",
            why="a parameter passed straight through: no visible build",
        ),
        Ok(
            "from psycopg2 import sql\n"
            "def column(cur, table, col):\n"
            "    query = sql.SQL('SELECT {} FROM {}').format(sql.Identifier(col), "
            "sql.Identifier(table))\n"
            "    cur.execute(query)\n"
            "    cur.execute(sql.SQL('DELETE FROM {}').format(sql.Identifier(table)))\n",
            why="psycopg2's sql composition quotes identifiers",
        ),
        Ok(
            "def by_ids(cur, ids):\n"
            "    marks = ','.join('?' * len(ids))\n"
            "    cur.execute(f'SELECT * FROM users WHERE id IN ({marks})', ids)\n"
            "    cur.execute('DELETE FROM t WHERE id IN (%s)' % ', '.join(['%s'] * len(ids)),"
            " ids)\n"
            "    cur.execute('DELETE FROM t WHERE id IN (%s)' % ','.join('%s' for _ in ids),"
            " ids)\n",
            why="placeholder lists built by repetition",
        ),
        Ok(
            "from sqlalchemy import select\n"
            "from app.models import User\n"
            "def by_name(session, name):\n"
            "    return session.execute(select(User).where(User.name == name)).scalars().all()\n",
            why="a query object, not SQL text",
        ),
        Ok(
            "def page(cur, size, offset):\n"
            "    cur.execute(f'SELECT * FROM posts LIMIT {int(size)} OFFSET {int(offset)}')\n",
            why="int() cannot carry SQL text",
        ),
        Ok(
            "import re\n"
            "import os\n"
            "SPACES = re.compile(r'\\s+')\n"
            "def clean(text, base, name):\n"
            "    path = os.path.join(base, name + '.sql')\n"
            "    return SPACES.sub(' ', text + ' ' + path)\n",
            why="string building that never reaches a database call",
        ),
        Ok(
            "from app.ui import text\ndef label(user):\n    return text(f'Hello {user.name}')\n",
            why="a text() that is not SQLAlchemy's",
        ),
        Ok(
            "def dump(response, name):\n    return response.raw(f'{name}.bin')\n",
            why="raw() on something that is not a Django manager",
        ),
        Ok(
            "def log_query(logger, q):\n    logger.info('running cur.execute(f\"SELECT {q}\")')\n",
            why="text in a string",
        ),
        Ok(
            "from django.conf import settings\n"
            "def init(cursor):\n"
            "    cursor.execute(\n"
            "        \"ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD'\"\n"
            "        + (\" TIME_ZONE = 'UTC'\" if settings.USE_TZ else '')\n"
            "    )\n",
            why="a choice between two literals",
        ),
        Ok(
            "def annotate(queryset, connection, fields, table):\n"
            "    qn = connection.ops.quote_name\n"
            "    return queryset.extra(\n"
            "        select={'val_%s' % f.attname: '%s.%s' % (qn(table), qn(f.column))"
            " for f in fields}\n"
            "    )\n",
            why="a comprehension of quoted identifiers",
        ),
        Bad(
            "def totals(queryset, request):\n"
            "    wanted = request.GET.getlist('sum')\n"
            "    return queryset.extra(select={c: f'SUM({c})' for c in wanted})\n",
            ((3, 12),),
            why="a comprehension builds SQL from request values",
        ),
        Ok(
            "class SchemaEditor:\n"
            "    sql_rename_table = 'ALTER TABLE %(old)s RENAME TO %(new)s'\n\n"
            "    def rename(self, old, new):\n"
            "        params = {'old': self.quote_name(old), 'new': self.quote_name(new)}\n"
            "        self.execute(self.sql_rename_table % params)\n",
            why="a template constant of the class, filled with quoted names",
        ),
        Bad(
            "class SchemaEditor:\n"
            "    sql_comment = \"COMMENT ON TABLE %(table)s IS '%(comment)s'\"\n\n"
            "    def comment(self, table, text):\n"
            "        self.execute(\n"
            "            self.sql_comment % {'table': self.quote_name(table), 'comment': text}\n"
            "        )\n",
            ((5, 9),),
            why="a class template, but one value is spliced in unquoted",
        ),
        Bad(
            "class Report:\n"
            "    def run(self, cur):\n"
            "        cur.execute(self.query_template % self.filters)\n",
            ((3, 9),),
            why="a template that is not a constant of the class",
        ),
        Bad(
            "def find(cur, name, exact):\n"
            "    cur.execute('SELECT * FROM t WHERE name ' + (\"= '\" + name + \"'\""
            " if exact else 'IS NULL'))\n",
            ((2, 5),),
            why="one branch of the choice holds a value",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return
        qualified = self.ctx.resolve(func)
        if qualified in SQL_FUNCTIONS:
            self._check(node, qualified, self._query(node, SQL_FUNCTIONS[qualified]))
            return
        if not isinstance(func, cst.Attribute):
            return
        label = _dotted(func) or f".{func.attr.value}"
        method = func.attr.value
        if method in EXECUTE_METHODS:
            self._check(node, label, self._query(node, EXECUTE_KEYWORDS))
        elif method == "raw" and self._on_manager(func.value):
            self._check(node, label, self._query(node, ("raw_query",)))
        elif method == "extra":
            for keyword in EXTRA_KEYWORDS:
                arg = self.ctx.argument(node, None, keyword)
                for item in self._items(arg.value) if arg is not None else ():
                    if self._check(node, label, item):
                        return

    def _query(self, node: cst.Call, keywords: Tuple[str, ...]) -> Optional[cst.BaseExpression]:
        """The query argument: one of `keywords`, else the first positional argument."""
        for keyword in keywords:
            arg = self.ctx.argument(node, None, keyword)
            if arg is not None:
                return arg.value
        arg = self.ctx.argument(node, 0, keywords[0])
        return arg.value if arg is not None else None

    @staticmethod
    def _items(value: cst.BaseExpression) -> List[cst.BaseExpression]:
        """The SQL snippets of an extra() where= list or select= dict written inline."""
        if isinstance(value, (cst.List, cst.Tuple)):
            return [el.value for el in value.elements if isinstance(el, cst.Element)]
        if isinstance(value, cst.Dict):
            return [el.value for el in value.elements if isinstance(el, cst.DictElement)]
        if isinstance(value, cst.DictComp):
            return [value.value]  # the SQL each key gets; the keys are aliases Django quotes
        return []

    @staticmethod
    def _on_manager(receiver: cst.BaseExpression) -> bool:
        """`Model.objects.raw`, `Model.objects.using('x').raw`: a manager somewhere in the chain."""
        while isinstance(receiver, (cst.Attribute, cst.Call)):
            if isinstance(receiver, cst.Call):
                receiver = receiver.func
                continue
            if receiver.attr.value in DJANGO_MANAGERS:
                return True
            receiver = receiver.value
        return False

    def _check(self, node: cst.Call, label: str, query: Optional[cst.BaseExpression]) -> bool:
        found = self._built(query, 0) if query is not None else None
        if found is None:
            return False
        kind, variable = found
        assert query is not None
        value = (query, self.ctx.origin(query, sink="sql"))  # names an untrusted source
        if variable is None:
            self.report(node, value=value, func=label, what=f"SQL built with {kind}")
        else:
            what = f"`{variable}`, SQL built with {kind}"
            self.report(node, confidence=Confidence.MEDIUM, value=value, func=label, what=what)
        return True

    @per_node
    def _built(self, node: cst.BaseExpression, depth: int) -> Optional[Tuple[str, Optional[str]]]:
        """How `node` builds SQL from values, and the variable followed to find it (None when
        built inline); None when it is not built."""
        kind = _build_kind(node)
        if kind is not None:
            return None if self._fixed(node, 0) else (kind, None)
        if not isinstance(node, cst.Name) or depth >= MAX_DEPTH:
            return None
        bindings, at_module = _bindings(self, node.value)
        if at_module:  # module names are followed only as far as is_constant goes
            return None
        for binding in bindings:
            value = _assigned(binding)
            if value is None:
                continue
            if binding.kind.name == "AUGMENT":
                if not self._fixed(value, 0):
                    return "+= concatenation", node.value
                continue
            inner = self._built(value, depth + 1)
            if inner is not None:
                return inner[0], node.value
        return None

    @per_node
    def _fixed(self, node: cst.BaseExpression, depth: int) -> bool:
        """Can the value hold only text written in the code? is_constant, plus the forms that are
        safe though computed: placeholder repetition, numbers, psycopg composables."""
        if depth > MAX_DEPTH:
            return False
        if self.ctx.is_constant(node):
            return True
        more = depth + 1
        if isinstance(node, cst.Name):
            bindings, _ = _bindings(self, node.value)
            values = [_assigned(b) for b in bindings]
            return bool(values) and all(v is not None and self._fixed(v, more) for v in values)
        if isinstance(node, cst.FormattedString):
            return all(
                self._fixed(part.expression, more)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.ConcatenatedString):
            return self._fixed(node.left, more) and self._fixed(node.right, more)
        if isinstance(node, cst.IfExp):  # the condition picks a text; it adds none of its own
            return self._fixed(node.body, more) and self._fixed(node.orelse, more)
        if isinstance(node, cst.Dict):  # `"... %(table)s" % {"table": qn(table)}`
            return all(
                isinstance(el, cst.DictElement) and self._fixed(el.value, more)
                for el in node.elements
            )
        if isinstance(node, cst.Attribute):
            return self._class_constant(node)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Multiply):
                return self._repeated(node.left, more) or self._repeated(node.right, more)
            return self._fixed(node.left, more) and self._fixed(node.right, more)
        if isinstance(node, (cst.List, cst.Tuple)):
            return all(
                isinstance(el, cst.Element) and self._fixed(el.value, more) for el in node.elements
            )
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            # `"%s" for _ in ids`: only literal elements, never the loop variable
            return isinstance(node.elt, (cst.SimpleString, cst.ConcatenatedString)) and (
                self.ctx.is_constant(node.elt)
            )
        if isinstance(node, cst.Call):
            return self._fixed_call(node, more)
        return False

    def _repeated(self, node: cst.BaseExpression, depth: int) -> bool:
        """`"?" * n`, `["%s"] * n`: a fixed sequence repeated any number of times."""
        sequences = (cst.SimpleString, cst.ConcatenatedString, cst.List, cst.Tuple)
        return isinstance(node, sequences) and self._fixed(node, depth)

    def _fixed_call(self, node: cst.Call, depth: int) -> bool:
        name = self.ctx.resolve(node.func)
        if name in NUMERIC_FUNCTIONS or (name or "").startswith(PSYCOPG_SQL):
            return True
        callee = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
        if isinstance(node.func, cst.Name):
            callee = node.func.value
        if callee in QUOTERS or self._quoter_alias(node.func):
            return True  # a database's own identifier quoting, as Django's backends use
        if name in STRING_WRAPPERS:
            return all(self._fixed(arg.value, depth) for arg in node.args)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("format", "join"):
            if self._psycopg(func.value):
                return True  # Composable.format/join take composables only, and quote them
            return self._fixed(func.value, depth) and all(
                self._fixed(arg.value, depth) for arg in node.args
            )
        return False

    def _class_constant(self, node: cst.Attribute) -> bool:
        """`self.sql_template` where the enclosing class body binds it only to constants."""
        owner = node.value
        if not (isinstance(owner, cst.Name) and owner.value in OWN_OBJECT):
            return False
        classes = [scope for scope in self.ctx.scopes if scope.is_class]
        if not classes:
            return False
        values = [_assigned(b) for b in classes[-1].get(node.attr.value) or []]
        return bool(values) and all(v is not None and self.ctx.is_constant(v) for v in values)

    def _quoter_alias(self, func: cst.BaseExpression) -> bool:
        """`qn` after `qn = connection.ops.quote_name`: a local name only bound to a quoter."""
        if not isinstance(func, cst.Name):
            return False
        values = [_assigned(b) for b in _bindings(self, func.value)[0]]
        return bool(values) and all(
            isinstance(v, cst.Attribute) and v.attr.value in QUOTERS for v in values
        )

    def _psycopg(self, node: cst.BaseExpression) -> bool:
        """A psycopg `sql.SQL(...)` call, or a local name only ever bound to one."""
        if isinstance(node, cst.Call):
            return (self.ctx.resolve(node.func) or "").startswith(PSYCOPG_SQL)
        if isinstance(node, cst.Name):
            values = [_assigned(b) for b in _bindings(self, node.value)[0]]
            return bool(values) and all(
                isinstance(v, cst.Call) and self._psycopg(v) for v in values
            )
        return False
