"""hardcoded-credentials: passwords, tokens and API keys written into the code.

**What it finds.** DW503: a non-empty string literal given to a name that reads like a
credential (`password`, `passwd`, `pwd`, `passphrase`, `secret`, `token`, `api_key`/`apikey`,
`private_key`, `access_key`, `secret_key`, `client_secret`, `credentials`, with any prefix:
`DB_PASSWORD`, `self.github_token`, `clientSecret`). It looks at assignments (variables,
attributes, `d["api_key"] = ...`), keyword arguments (`connect(password="hunter2")`), dict
literals (`{"password": "x"}`), parameter defaults (`def login(user, password="admin")`) and
comparisons (`if password == "letmein":`).

**Why it matters in assistant-written code.** Asked for "a working example", assistants fill in
the blanks: `password="admin123"`, `SECRET_KEY = "django-insecure-..."`, or a real key pasted
into the chat. Committed once, the value lives in history, forks and CI logs for good. A
hard-coded default such as `"changeme"` is still a password every installation shares.

**How the rule decides.** A name is split into words on `_` and camelCase, and must *end* with
a credential word (optionally followed by digits, `_value`, `_str`, `_plain` or `_raw`). Names
that say where a credential lives, not what it is, end with another word and are left alone:
`TOKEN_URL`, `*_path`, `*_file`, `*_name`, `*_field`, `*_header`, `*_env`, `*_var`, `*_prefix`,
`*_pattern`, `*_regex`, `*_type`, `*_len`, `*_length`, `*_endpoint`, `password_hash`,
`PASSWORD_HASHERS`. The message shows two characters and the length, never the value.

**Bad**

```python
DB_PASSWORD = "hunter2"
client = Github(token="ghp_16C7e42F292c6912E7710c838347Ae178B4a")
```

**Good**

```python
DB_PASSWORD = os.environ["DB_PASSWORD"]
client = Github(token=os.environ["GITHUB_TOKEN"])
```

**Not flagged.** Empty strings; placeholders: `"<your-password>"`, `"[REDACTED]"`, `"${TOKEN}"`,
`"{token}"`, `"%(password)s"`, `"xxx"`, masks (`"***"`, `":****"`, `"****1234"`), values without
a letter or digit (`"..."`), and values containing `dummy`, `test`, `example`, `fake`,
`placeholder`, `sample`, `mock`, `todo`, `fixme`, `your`, `redacted` or `replace` (but
`"changeme"` is a working default and is flagged). Values that equal their name
(`{"password": "password"}`: a form field), values that are themselves names of credentials
(`"X-Auth-Token"`, `"access_token"`, `"new_password"`: a header or field name; but
`"super-secret-key"` is flagged), sentences that mention a credential (`{"password": "Password
is too short"}`: a message), paths, URLs and raw strings
(`SECRET = r"(?=[^']+)[^,']*"` is a regex). For names ending in `token`, which also name parser
and tokenizer tokens, only values that look generated (8 or more characters, no spaces, with a
digit) are flagged, and tokenizer names (`pad_token`, `eos_token`, `next_page_token`, ...) never
are. Environment lookups are not literals. Rules cannot see file names: keep test fixtures quiet
with `per-file-ignores = {"tests/**" = ["DW503"]}`.

**One report per line.** When the secrets hook runs too and its DW501 reports the same line,
DW503 stays quiet: DW501 names the provider, and honours detect-secrets' baseline and pragmas.
It judges Python names with this rule's own `is_credential`, so both agree on what a
credential is. Where DW501 does not report (the secrets hook off, DW501 ignored, a baselined
secret), DW503 reports as before.

**Prefilter.** Trigger words match whole words, case-sensitively, so a file is parsed only when
it mentions one of the common spellings in the trigger list (`password`, `SECRET_KEY`,
`GITHUB_TOKEN`, ...). A credential under a rarer compound name (`SMTP_PASSWORD = "..."`) in a file
that mentions none of them is not seen by this rule.

**Fix.** None automatic. Read the value from the environment or a secret manager, and rotate any
real credential that was committed: removing it from the code does not remove it from history.

**References.** CWE-798 (use of hard-coded credentials), CWE-259 (use of hard-coded password);
bandit B105, B106, B107; ruff S105, S106, S107.
"""

from __future__ import annotations

import re
from typing import List, Optional

from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity
from hooks.engine.lazyre import lazy_re

# a credential word at the end of a snake_case name, optionally numbered or qualified
SECRET_NAME = lazy_re(
    r"(?:^|_)(?P<word>passw(?:or)?d|pwd|passphrase|secret|token|api_?key"
    r"|(?:private|access|secret)_?key|credentials?)(?:_?\d+)?(?:_(?:value|str|plain|raw))?$"
)
# tokens of tokenizers and parsers, and pagination cursors: not credentials
LOOKALIKE_TOKEN = lazy_re(
    r"(?:^|_)(?:pad|eos|bos|unk|sep|cls|mask|special|start|end|stop|next|prev|previous|page"
    r"|first|last|lookahead|peek|word|sub)_token"
)
# a name that ends with a credential word after other words (`SMTP_PASSWORD`, `botToken`): the
# words above are whole words only. Each pattern starts with a literal or a few letters, which
# the regex engine skips to at C speed, and is case-sensitive, so its literals are needles that
# keep it from running over a file that mentions none of them (prefilter.needles_of).
_SUFFIX = r"(?:_?\d+)?(?:_(?:value|str|plain|raw|VALUE|STR|PLAIN|RAW))?\b"
_SNAKE = (
    r"password|passwd|pwd|passphrase|secret|token|api_?key|apikey|(?:private|access|secret)_?key"
)
_CAMEL = ("Password", "Passwd", "Pwd", "Passphrase", "Secret", "Token", "Apikey", "Credentials")
COMPOUND_NAMES = (
    f"_(?:{_SNAKE}|credentials?|{_SNAKE.upper()}|CREDENTIALS?)"
    + _SUFFIX,  # `db_password`, `_TOKEN`
    "(?:"  # `botToken`, `apiKey`
    + "|".join(f"{word}(?<=[a-z0-9]{word})" for word in (*_CAMEL, "Credential"))
    + r"|Key(?:(?<=[aA]piKey)|(?<=[pP]rivateKey)|(?<=[aA]ccessKey)|(?<=[sS]ecretKey)))"
    + _SUFFIX,
)
CAMEL_BOUNDARY = lazy_re(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
NOT_ALNUM = lazy_re(r"[^0-9A-Za-z]+")
# placeholders, masks and templates; a value with no letter or digit (empty too) is never a secret
PLACEHOLDER = lazy_re(
    r"^<.*>$|^\[.*\]$|\{[\w.]*\}|\$\{|%\(\w+\)s|^[^0-9a-z]*$|^x+$|\*\*\*"
    r"|dummy|test|example|fake|placeholder|sample|mock|todo|fixme|your|redacted|replace",
    re.IGNORECASE,
)
PATH_OR_URL = lazy_re(r"^(?:/|~/|\./|\.\./)|://")
# the words of header, cookie and form-field names ("X-Auth-Token", "new_password"): a value
# made of these alone names where a credential goes; "super-secret-key" is a credential
FIELD_WORDS = frozenset(
    {
        "x", "auth", "access", "refresh", "id", "api", "session", "csrf", "xsrf", "bearer",
        "client", "user", "oauth", "jwt", "private", "new", "old", "current", "confirm", "reset",
        "key", "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey",
        "credential", "credentials",
    }
)  # fmt: skip
# a credential word among the words of a value
MENTIONS_A_CREDENTIAL = lazy_re(
    r"(?:^|_)(?:passw(?:or)?d|pwd|passphrase|secret|token|api_?key|credentials?)(?:_|$)"
)
GENERATED_TOKEN = lazy_re(r"^(?=.*\d)\S{8,}$")


def _snake(name: str) -> str:
    """`clientSecret`, `X-Api-Key`, `DB_PASSWORD` -> `client_secret`, `x_api_key`, `db_password`."""
    spaced = NOT_ALNUM.sub("_", name).strip("_")
    return CAMEL_BOUNDARY.sub("_", spaced).lower()


def credential_word(name: str) -> Optional[str]:
    """The credential word `name` ends with, or None."""
    snake = _snake(name)
    found = SECRET_NAME.search(snake)
    if found is None or LOOKALIKE_TOKEN.search(snake):
        return None
    return found.group("word")


def _string(node: Optional[cst.BaseExpression]) -> Optional[str]:
    """The text of a literal string, implicitly concatenated or not; None for anything else."""
    parts: List[Optional[cst.BaseExpression]] = []
    while isinstance(node, cst.ConcatenatedString):
        parts.append(node.left)
        node = node.right
    parts.append(node)
    text = ""
    for part in parts:
        if not isinstance(part, cst.SimpleString):
            return None  # an f-string: computed
        if "r" in part.prefix.lower():
            return None  # a raw string holds a regex or a Windows path, not a password
        value = part.evaluated_value
        text += value.decode("latin-1") if isinstance(value, bytes) else value
    return text


def _name_of(node: cst.BaseExpression) -> Optional[str]:
    """The name a value is stored under: `x`, `obj.x`, `d["x"]`, `d.get("x")`."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        return _string(index.value) if isinstance(index, cst.Index) else None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
        return _string(node.args[0].value) if node.func.attr.value == "get" else None
    return None


def is_credential(name: str, value: str) -> bool:
    """Is `value`, given to `name`, a credential? (also the secrets hook's judgement in Python)"""
    word = credential_word(name)
    if word is None:
        return False
    if PLACEHOLDER.search(value) or PATH_OR_URL.search(value):
        return False
    snake_value = _snake(value)
    if snake_value.replace("_", "") == _snake(name).replace("_", ""):
        return False  # {"password": "password"}: a form field's name
    words = snake_value.split("_")
    if len(words) > 1 and all(w in FIELD_WORDS for w in words):
        return False  # "X-Auth-Token", "access_token": where the credential goes
    if " " in value.strip() and MENTIONS_A_CREDENTIAL.search(snake_value):
        return False  # "Password is too short": a message or a label
    return word != "token" or GENERATED_TOKEN.match(value) is not None


def _preview(value: str) -> str:
    """Enough to find the value, never enough to use it."""
    size = len(value)
    return f"'{value[: min(2, size // 3)]}…' ({size} char{'' if size == 1 else 's'})"


class HardcodedCredential(Rule):
    code = "DW503"
    name = "hardcoded-credential"
    summary = "A password, token, secret or API key is written into the code as a literal."
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = (798, 259)
    # the secrets hook's DW501 sees the same literal (hooks/_secret_python.py judges names with
    # `is_credential`), names the provider, and honours detect-secrets' baseline and pragmas
    defers_to = ("DW501",)
    message = "`{name}` {how} a hard-coded credential {preview}"
    hint = "read it from the environment or a secret manager, and rotate the committed value"
    triggers = (
        "password", "PASSWORD", "Password", "passwd", "pwd", "passphrase", "secret", "SECRET",
        "token", "TOKEN", "api_key", "API_KEY", "apikey", "apiKey", "private_key", "PRIVATE_KEY",
        "access_key", "ACCESS_KEY", "secret_key", "SECRET_KEY", "secretKey", "client_secret",
        "CLIENT_SECRET", "clientSecret", "auth_token", "AUTH_TOKEN", "access_token",
        "ACCESS_TOKEN", "accessToken", "credentials", "DB_PASSWORD", "db_password",
        "ADMIN_PASSWORD", "admin_password", "GITHUB_TOKEN", "JWT_SECRET", "jwt_secret",
        "AWS_SECRET_ACCESS_KEY", "aws_secret_access_key",
    )  # fmt: skip
    trigger_patterns = COMPOUND_NAMES
    examples = (
        Bad('DB_PASSWORD = "hunter2"\n', ((1, 15),)),
        Bad(
            'import os\nsmtp_password = "Winter2024!"\nos.makedirs("out")\n',
            ((2, 17),),
            why="a compound name: any words before the credential word",
        ),
        Bad('bot.apiToken = "t0k3n-9f8e7d6c"\n', ((1, 16),), why="a camel-case compound name"),
        Ok('PASSWORD_FIELD = "password"\nTOKENIZER = "words"\n', why="not a credential name"),
        Bad(
            "class StripeClient:\n    def __init__(self):\n"
            "        self.api_key = 'sk_live_51HxQ2eZvKYlo2C8aBc'\n",
            ((3, 24),),
            why="an attribute",
        ),
        Bad(
            "import psycopg2\nconn = psycopg2.connect(host='db', user='app', password='s3cr3t!')\n",
            ((2, 57),),
            why="a keyword argument",
        ),
        Bad(
            "DEFAULTS = {'username': 'admin', 'password': 'changeme'}\n",
            ((1, 46),),
            why="a dict literal; a shared default is still a password",
        ),
        Bad("settings['api_key'] = 'AKIAIOSFODNN7EXAMPL3'\n", ((1, 23),), why="a subscript"),
        Bad(
            "from flask import Flask\napp = Flask(__name__)\napp.secret_key = 'super-secret-key'\n",
            ((3, 18),),
            why="a value made of words is still a value",
        ),
        Bad(
            "def login(user, password='admin'):\n    return auth(user, password)\n",
            ((1, 26),),
            why="a parameter default",
        ),
        Bad(
            "def check(request):\n    if request.form.get('password') == 'letmein':\n"
            "        return True\n",
            ((2, 40),),
            why="a comparison",
        ),
        Bad(
            "from github import Github\n"
            "gh = Github(token='ghp_16C7e42F292c6912E7710c838347Ae178B4a')\n",
            ((2, 19),),
        ),
        Bad("clientSecret: str = '9f8e7d6c5b4a3f2e'\n", ((1, 21),), why="camelCase"),
        Bad(
            "API_KEY = (\n    'sk-proj-4fT9xQ2mLr8'\n    'vB7nK3pW6zYc1'\n)\n",
            ((2, 5),),
            why="an implicitly concatenated literal",
        ),
        Ok("token_type = 'Bearer'\n"),
        Ok("TOKEN_URL = 'https://oauth2.googleapis.com/token'\n", why="where a token comes from"),
        Ok(
            "password_field = 'password'\n"
            "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']\n",
        ),
        Ok("import os\npassword = os.environ['DB_PASSWORD']\n", why="read from the environment"),
        Ok(
            "API_KEY = '<your-api-key>'\nGITHUB_TOKEN = '${GITHUB_TOKEN}'\n"
            "api_key = 'your_api_key_here'\nSECRET = 'xxxxxxxx'\n",
            why="placeholders",
        ),
        Ok(
            "def test_login(client):\n"
            "    client.post('/login', data={'user': 'bob', 'password': 'test-pass-1'})\n",
            why="a test value says so",
        ),
        Ok(
            "fields = {'username': 'username', 'password': 'password'}\n",
            why="values that equal their names",
        ),
        Ok(
            "from transformers import AutoTokenizer\n"
            "tok = AutoTokenizer.from_pretrained(name, pad_token='[PAD]', eos_token='</s>')\n",
            why="tokenizer tokens",
        ),
        Ok(
            "def parse(tokens):\n    for token in tokens:\n        if token == 'return':\n"
            "            yield token\n",
            why="a parser's tokens",
        ),
        Ok("password = ''\nSECRET_KEY_HEADER = 'X-Secret-Key'\n"),
        Ok(
            "def validate(form, errors):\n    if len(form.password) < 12:\n"
            "        errors['password'] = 'Password must be at least 12 characters'\n",
            why="a message about the password",
        ),
        Ok(
            "def redact(user, password):\n    if password:\n        password = ':****'\n"
            "    return f'{user}{password}@host'\n",
            why="a mask",
        ),
        Ok(
            "OAUTH_FIELDS = {'token': 'access_token', 'refresh': 'refresh_token'}\n",
            why="the values name fields",
        ),
        Ok("secrets_dir = '/run/secrets'\npwd = '/srv/app'\n", why="paths"),
        Ok("SECRET = r'(?=\\w+)[^\\s,]+'\n", why="a raw string: a regex"),
    )

    def _check(self, name: Optional[str], value_node: cst.BaseExpression, how: str) -> bool:
        value = _string(value_node)
        if name is None or value is None or not is_credential(name, value):
            return False
        self.report(value_node, name=name, how=how, preview=_preview(value))
        return True

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if self._check(_name_of(target.target), node.value, "is set to"):
                return  # `a = b = "x"` is one literal: report it once

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(_name_of(node.target), node.value, "is set to")

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._check(node.keyword.value, node.value, "is given")

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._check(_string(node.key), node.value, "maps to")

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._check(node.name.value, node.default, "defaults to")

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual)) and (
                self._check(_name_of(left), right, "is compared with")
                or self._check(_name_of(right), left, "is compared with")
            ):
                return
            left = right
