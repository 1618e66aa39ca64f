"""insecure-random: secrets (tokens, passwords, keys, codes) made with the `random` module.

**What it finds.** DW304: a call to `random.random`, `randint`, `randrange`, `choice`,
`choices`, `sample`, `getrandbits`, `randbytes`, `uniform` or `shuffle` (or the same from
`numpy.random`) whose value becomes a secret. What the value becomes is read from the nearest
name it goes to: the variable, attribute or subscript key it is assigned or appended to
(`token = ''.join(random.choice(...) for _ in range(32))`, `self.session_id =
random.getrandbits(128)`, `password += random.choice(chars)`), the keyword it is passed as
(`User.create(password=...)`), the dict key it is stored under (`{"api_key": ...}`), or the
function it is returned from (`def generate_token(): return ...`, including a local that such a
function returns). Secret names: token, password, passphrase, passcode, secret, key, api key,
salt, nonce, OTP, PIN, CSRF, session id, and reset, verification, activation (and similar) codes.

**Why it matters in assistant-written code.** "Generate a random password / reset code / API
key" comes out as `random.choice` in a loop more often than not. The `random` module is a
Mersenne Twister: 624 of its outputs reveal its whole state, and with it every token it makes
next. Reset codes, session ids and API keys made this way can be forged.

**Bad**

```python
def generate_reset_code():
    return "".join(random.choices(string.digits, k=6))
```

**Good**

```python
def generate_reset_code():
    return "".join(secrets.choice(string.digits) for _ in range(6))
```

**Not flagged.** Random values that are not secrets: simulations (`x = random.random()`), shuffled
test data (`random.shuffle(items)`), jitter and backoff (`delay = base * random.uniform(0.5,
1.5)`), lengths (`password_length = random.randint(8, 16)`, and the argument of `range(...)` or
`k=`), a guessing game's `secret_number`, comparisons (`if random.random() < 0.1`), sort keys in a
lambda. Names that hold `key` but are not keys to anything secret (`cache_key`, `sort_key`,
`primary_key`, `key_func`, `keys`, `monkey`), token counts and ids of NLP code (`num_tokens`,
`token_id`), and test data (`fake_password`, `dummy_token`, `test_secret`). A lone
`random.choice(...)` that is the whole value (`password=random.choice(PASSWORDS)`): that picks one
of some known values, as load tests and fixtures do, rather than making one. `secrets.*`,
`random.SystemRandom()` and its methods, `random.seed(...)`, and methods of `random.Random(...)`
objects (we cannot see what they make).

**Fix.** Safe, for the `random` module's functions: `random.choice(...)` becomes
`secrets.SystemRandom().choice(...)` (the same method, of a generator that reads the operating
system's secure source), and `import secrets` is added unless the name `secrets` means something
else in the file (then there is no fix). Only where the values come from changes. numpy's
generators are left to a person (`secrets` has no arrays). By hand, `secrets.token_urlsafe()`,
`secrets.token_hex()` and `secrets.choice()` read better.

**References.** CWE-330 (insufficiently random values), CWE-338 (cryptographically weak PRNG);
bandit B311; ruff S311.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set

from hooks.engine.lazy import cst
from hooks.engine import edits
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, OptionValue, Rule, Severity

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

RANDOM_FUNCTIONS = frozenset(
    {
        *(
            f"random.{name}"
            for name in (
                "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
                "randbytes", "uniform", "shuffle",
            )
        ),
        *(
            f"numpy.random.{name}"
            for name in ("rand", "randint", "random", "random_sample", "choice", "bytes")
        ),
    }
)  # fmt: skip
# their arguments are sizes and counts, never part of the value
LENGTH_CALLS = frozenset({"builtins.range", "builtins.len"})
APPEND_METHODS = frozenset({"append", "extend", "insert", "add"})

SECRET_WORDS = frozenset(
    {
        "token", "password", "passwords", "passwd", "pwd", "passphrase", "passcode", "secret",
        "secrets", "salt", "nonce", "otp", "totp", "hotp", "csrf", "xsrf", "pin", "key",
        # written as one word
        "apikey", "apitoken", "secretkey", "privkey", "sessionid", "sessionkey", "authkey",
        "authtoken", "accesstoken", "accesskey", "csrftoken", "xsrftoken", "resetcode",
        "verifycode", "authcode", "otpcode",
    }
)  # fmt: skip
# `code` is a secret only after one of these: `reset_code`, `verification_code`, ...
CODE_PREFIXES = frozenset(
    {
        "reset", "verification", "verify", "verif", "confirm", "confirmation", "auth", "activation",
        "sms", "email", "login", "access", "security", "recovery", "backup", "mfa", "twofa",
        "invite", "invitation", "unlock", "pairing",
    }
)  # fmt: skip
# a word that says the value is about a secret but is not one (`password_length`, `cache_key`)
NOT_SECRET_WORDS = frozenset(
    {
        "n", "num", "number", "count", "len", "length", "size", "max", "min", "idx", "index",
        "pos", "position", "prob", "probability", "rate", "ratio", "pct", "percent", "chance",
        "delay", "timeout", "ttl", "expiry", "expires", "expiration", "lifetime", "age",
        "interval", "id", "ids", "type", "kind", "name", "limit", "attempts", "retries",
        "tries", "field", "cache", "sort", "primary", "foreign", "func", "fn", "header",
        "label", "column", "col", "vocab", "mask", "masked", "dropout", "weight", "weights",
        "score", "seed", "offset", "jitter", "backoff", "bucket", "shard", "partition",
        "routing", "lookup", "dict", "map", "row", "group", "hash", "redis", "lock", "dedup",
        "idempotency", "object", "file", "path", "table", "fake", "dummy", "mock", "test",
        "example", "sample", "placeholder",
    }
)  # fmt: skip
# two words that name a secret although the second alone would say it is none
SECRET_PAIRS = frozenset({("session", "id"), ("pin", "number"), ("otp", "number")})


def _words(name: str) -> List[str]:
    """`apiKey`, `API_KEY`, `X-Api-Key` -> ["api", "key"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3_\2\4", name)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def is_secret_name(name: str) -> bool:
    """Does the name say it holds a secret (`api_key`, `resetCode`) and nothing that makes it
    something about one (`password_length`, `cache_key`, `fake_token`)?"""
    words = _words(name)
    pairs = list(zip(["", *words], words))  # (word before, word)
    if any(w in NOT_SECRET_WORDS and (b, w) not in SECRET_PAIRS for b, w in pairs):
        return False
    return any(
        w in SECRET_WORDS or (b, w) in SECRET_PAIRS or (w == "code" and b in CODE_PREFIXES)
        for b, w in pairs
    )


@dataclass(frozen=True)
class _Frame:
    """The nearest place a value goes to: a name, keyword, dict key or return; or a barrier."""

    owner: cst.CSTNode
    secret: bool
    what: str
    # the whole value when it replaces what was there (assign, keyword, return); None for appends
    value: Optional[cst.BaseExpression]


@dataclass(frozen=True)
class _Function:
    node: cst.FunctionDef
    secret: bool
    returned: FrozenSet[str]


def _target_name(node: cst.BaseExpression) -> Optional[str]:
    """`token`, `self.token`, `session["token"]` and `password[i]` all name the token."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript):
        key = _string_key(node)
        return key if key is not None else _target_name(node.value)
    return None


def _string_key(node: cst.Subscript) -> Optional[str]:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return _string(node.slice[0].slice.value)


def _string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _names_of(value: cst.BaseExpression) -> Set[str]:
    """Names a return value is made of: `token`, `"".join(parts)`, `f"{prefix}{code}"`."""
    if isinstance(value, cst.Name):
        return {value.value}
    if isinstance(value, cst.BinaryOperation):
        return _names_of(value.left) | _names_of(value.right)
    if isinstance(value, cst.FormattedString):
        return {
            name
            for part in value.parts
            if isinstance(part, cst.FormattedStringExpression)
            for name in _names_of(part.expression)
        }
    if isinstance(value, cst.Call):
        found = {name for arg in value.args for name in _names_of(arg.value)}
        if isinstance(value.func, cst.Attribute):  # `code.zfill(6)`, `"".join(parts)`
            found |= _names_of(value.func.value)
        return found
    return set()


def _returned_names(function: cst.FunctionDef) -> FrozenSet[str]:
    """Names the function's own return statements are made of (nested defs are not its own)."""
    from hooks.engine.tree import children  # imports libcst: only once a file is parsed

    found: Set[str] = set()
    stack: List[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Return) and node.value is not None:
            found |= _names_of(node.value)
        stack.extend(children(node))
    return frozenset(found)


class InsecureRandomSecret(Rule):
    code = "DW304"
    name = "insecure-random-secret"
    summary = "A token, password, key or code is made with the predictable random module."
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = (330, 338)
    message = "{what} is made with `{func}`, whose output an attacker can predict"
    hint = (
        "use the secrets module: secrets.token_urlsafe(), secrets.token_hex(), "
        "secrets.choice() or secrets.SystemRandom()"
    )
    triggers = ("random",)
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "import random\nimport string\n\n"
            "token = ''.join(random.choice(string.ascii_letters) for _ in range(32))\n",
            ((4, 17),),
            fixed="import random\nimport string\nimport secrets\n\n"
            "token = ''.join(secrets.SystemRandom().choice(string.ascii_letters) "
            "for _ in range(32))\n",
        ),
        Bad(
            "import random\n\n\nclass Session:\n    def __init__(self, user):\n"
            "        self.user = user\n        self.session_id = random.getrandbits(128)\n",
            ((7, 27),),
            fixed="import random\nimport secrets\n\n\nclass Session:\n"
            "    def __init__(self, user):\n        self.user = user\n"
            "        self.session_id = secrets.SystemRandom().getrandbits(128)\n",
        ),
        Bad(
            "import random\nimport string\n\n\ndef generate_password(length=12):\n"
            "    chars = string.ascii_letters + string.digits\n"
            "    return ''.join(random.sample(chars, length))\n",
            ((7, 20),),
            why="returned from a function named for a password",
            fixed="import random\nimport string\nimport secrets\n\n\n"
            "def generate_password(length=12):\n"
            "    chars = string.ascii_letters + string.digits\n"
            "    return ''.join(secrets.SystemRandom().sample(chars, length))\n",
        ),
        Bad(
            "from random import randint\n\n\ndef send_reset(user):\n"
            "    code = str(randint(100000, 999999))\n"
            "    user.update(reset_code=code)\n    sms.send(user.phone, code)\n\n\n"
            "def make_otp():\n    otp = f'{randint(0, 999999):06d}'\n    return otp\n",
            ((11, 14),),
            why="`code` alone is too vague; `otp` is not",
            fixed="from random import randint\nimport secrets\n\n\n"
            "def send_reset(user):\n    code = str(randint(100000, 999999))\n"
            "    user.update(reset_code=code)\n    sms.send(user.phone, code)\n\n"
            "\ndef make_otp():\n"
            "    otp = f'{secrets.SystemRandom().randint(0, 999999):06d}'\n"
            "    return otp\n",
        ),
        Bad(
            "import random\n\nUser.objects.create(\n    username=name,\n"
            "    password=''.join(random.choices(ALPHABET, k=16)),\n)\n",
            ((5, 22),),
            why="passed as the password keyword",
            fixed="import random\nimport secrets\n\nUser.objects.create(\n"
            "    username=name,\n"
            "    password=''.join(secrets.SystemRandom().choices(ALPHABET, k=16)),\n"
            ")\n",
        ),
        Bad(
            "import random as rnd\n\ncredentials = {\n    'client_id': client_id,\n"
            "    'api_key': hex(rnd.getrandbits(256)),\n}\n",
            ((5, 20),),
            why="stored under a dict key, through an alias",
            fixed="import random as rnd\nimport secrets\n\ncredentials = {\n"
            "    'client_id': client_id,\n"
            "    'api_key': hex(secrets.SystemRandom().getrandbits(256)),\n}\n",
        ),
        Bad(
            "import random\n\n\ndef new_api_key():\n    parts = []\n    for _ in range(4):\n"
            "        parts.append('%04x' % random.randrange(65536))\n"
            "    return '-'.join(parts)\n",
            ((7, 31),),
            why="appended to the list the key function returns",
            fixed="import random\nimport secrets\n\n\ndef new_api_key():\n"
            "    parts = []\n    for _ in range(4):\n"
            "        parts.append('%04x' % secrets.SystemRandom().randrange(65536))\n"
            "    return '-'.join(parts)\n",
        ),
        Bad(
            "import random\n\npassword = ''\nfor _ in range(10):\n"
            "    password += random.choice(CHARS)\n",
            ((5, 17),),
            fixed="import random\nimport secrets\n\npassword = ''\nfor _ in range(10):\n"
            "    password += secrets.SystemRandom().choice(CHARS)\n",
        ),
        Bad(
            "import random\n\napp.config['SECRET_KEY'] = str(random.random())\n"
            "request.session['csrfToken'] = random.randbytes(16).hex()\n",
            ((3, 32), (4, 32)),
            fixed="import random\nimport secrets\n\n"
            "app.config['SECRET_KEY'] = str(secrets.SystemRandom().random())\n"
            "request.session['csrfToken'] = secrets.SystemRandom().randbytes(16).hex()\n",
        ),
        Bad(
            "import random\n\nsecrets = load_vault()\ntoken = random.getrandbits(64)\n",
            ((4, 9),),
            why="not fixed: the name `secrets` is taken",
        ),
        Bad(
            "import numpy as np\n\nsalt = np.random.bytes(16)\n",
            ((3, 8),),
            why="not fixed: numpy's generators have no drop-in secure twin",
        ),
        Ok(
            "import random\n\nx = random.random()\nsteps = [random.gauss(0, 1) for _ in range(n)]\n"
        ),
        Ok("import random\n\nrandom.shuffle(items)\nrandom.seed(42)\n", why="test data"),
        Ok(
            "import random\nimport time\n\n\ndef backoff(attempt, base=0.5):\n"
            "    delay = base * 2 ** attempt * random.uniform(0.5, 1.5)\n    time.sleep(delay)\n"
        ),
        Ok(
            "import secrets\n\ntoken = secrets.token_hex(32)\n"
            "password = ''.join(secrets.choice(ALPHABET) for _ in range(16))\n"
        ),
        Ok(
            "import random\n\nrng = random.SystemRandom()\ntoken = ''.join(rng.choice(ALPHABET) "
            "for _ in range(32))\nsalt = random.SystemRandom().getrandbits(64)\n",
            why="SystemRandom reads the OS's secure source",
        ),
        Ok(
            "import random\n\npassword_length = random.randint(12, 16)\n"
            "cache_key = f'user:{random.randint(0, 99)}'\n"
            "sort_key = random.random()\nnum_tokens = random.randint(10, 200)\n",
            why="names about a secret that are not one",
        ),
        Ok(
            "import random\n\nsecret_number = random.randint(1, 100)\n"
            "guess = int(input('Guess: '))\n",
            why="a guessing game's number",
        ),
        Ok(
            "import secrets as random\n\n"
            "token = ''.join(random.choice(ALPHABET) for _ in range(32))\n",
            why="`secrets` imported under the name random",
        ),
        Ok(
            "import random\n\nclass UserLoad(HttpUser):\n    @task\n    def login(self):\n"
            "        self.client.post('/login', json={'user': random.choice(USERS), "
            "'password': random.choice(PASSWORDS)})\n",
            why="a load test picking one of known passwords",
        ),
        Ok(
            "import random\n\nfake_password = ''.join(random.choices(ALPHABET, k=8))\n"
            "keys = random.sample(list(mapping), 3)\nmonkey = random.choice(ZOO)\n",
            why="test data and names that only contain `key`",
        ),
        Ok(
            "import random\n\ntokens = sorted(words, key=lambda _: random.random())\n"
            "key = random.choice(list(registry))\n",
            why="a shuffle by sort key, and one of the existing keys",
        ),
        Ok(
            "import random\n\n\ndef generate_token(random):\n"
            "    return ''.join(random.choice(ALPHABET) for _ in range(32))\n",
            why="a parameter (an injected generator) shadows the module",
        ),
        Ok(
            "import random\n\n\ndef generate_password():\n    length = random.randint(12, 16)\n"
            "    return ''.join(secrets.choice(ALPHABET) for _ in range(length))\n",
            why="the random value is only the length",
        ),
        Ok(
            "import random\n\nif random.random() < 0.1:\n    token = refresh()\n"
            "message = 'token = random.random()'\n",
            why="a comparison, and text in a string",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self._frames: List[_Frame] = []
        self._functions: List[_Function] = []

    # where values go: a frame is pushed on the way in and popped on the way out
    def _push(
        self, owner: cst.CSTNode, secret: bool, what: str, value: Optional[cst.BaseExpression]
    ) -> None:
        self._frames.append(_Frame(owner, secret, what, value))

    def _pop(self, owner: cst.CSTNode) -> None:
        if self._frames and self._frames[-1].owner is owner:
            self._frames.pop()

    def _barrier(self, owner: cst.CSTNode) -> None:
        self._push(owner, False, "", None)

    def _local(
        self, owner: cst.CSTNode, name: Optional[str], value: Optional[cst.BaseExpression]
    ) -> None:
        """A name assigned or appended to: a secret by its own name, or because the enclosing
        secret-named function returns it."""
        function = self._functions[-1] if self._functions else None
        what = f"`{name}`"
        secret = name is not None and is_secret_name(name)
        if not secret and function is not None and function.secret and name in function.returned:
            secret, what = True, f"`{name}`, which `{function.node.name.value}()` returns,"
        self._push(owner, secret, what, value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        secret = is_secret_name(node.name.value)
        returned = _returned_names(node) if secret else frozenset()
        self._functions.append(_Function(node, secret, returned))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        # `a = b = value`: the last target is as good as any; tuple targets name nothing
        self._local(node, _target_name(node.targets[-1].target), node.value)

    def leave_Assign(self, node: cst.Assign) -> None:
        self._pop(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._local(node, _target_name(node.target), node.value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._pop(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._local(node, _target_name(node.target), None)

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        self._pop(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            name = node.keyword.value
            self._push(node, is_secret_name(name), f"the `{name}=` argument", node.value)

    def leave_Arg(self, node: cst.Arg) -> None:
        self._pop(node)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = _string(node.key)
        secret = key is not None and is_secret_name(key)
        self._push(node, secret, f"the {key!r} entry", node.value)

    def leave_DictElement(self, node: cst.DictElement) -> None:
        self._pop(node)

    def visit_Return(self, node: cst.Return) -> None:
        if not self._functions:
            return
        function = self._functions[-1]
        what = f"the value `{function.node.name.value}()` returns"
        self._push(node, function.secret, what, node.value)

    def leave_Return(self, node: cst.Return) -> None:
        self._pop(node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._barrier(node)  # a sort key or callback: its value goes elsewhere

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self._pop(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._barrier(node)  # `random.random() < p` makes a bool, not a secret

    def leave_Comparison(self, node: cst.Comparison) -> None:
        self._pop(node)

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in RANDOM_FUNCTIONS:
            self._check(node, func)
            self._barrier(node)  # arguments of a random call are not the value
        elif func in LENGTH_CALLS:
            self._barrier(node)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in APPEND_METHODS:
            self._local(node, _target_name(node.func.value), None)

    def leave_Call(self, node: cst.Call) -> None:
        self._pop(node)

    def _check(self, node: cst.Call, func: str) -> None:
        if not self._frames or not self._frames[-1].secret:
            return
        frame = self._frames[-1]
        if frame.value is node and func.endswith(".choice"):
            return  # picks one of some known values (fixtures, load tests), makes nothing new
        what = frame.what[:1].upper() + frame.what[1:]
        self.report(node, func=func, what=what, fix=self._fix(func))

    def _fix(self, func: str) -> Optional[Fix]:
        """`random.<fn>` -> `secrets.SystemRandom().<fn>`, where `secrets` can be imported."""
        module, function = func.rsplit(".", 1)
        if module != "random" or not self.ctx.free_for("secrets", "secrets"):
            return None
        callee = f"secrets.SystemRandom().{function}"
        return Fix(lambda call: edits.with_callee(call, callee), (("secrets", None),))
