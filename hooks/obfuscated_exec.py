"""obfuscated-exec: code hidden by encoding, then executed.

**What it finds.** DW802: `exec`, `eval`, `compile` and `__import__` (also reached as
`getattr(builtins, "exec")`, `getattr(__builtins__, ...)`, `__builtins__["exec"]`,
`vars(builtins)["exec"]`) whose argument is decoded at run time: `base64.b64decode` and the
other `base64` decoders, `codecs.decode(x, "rot13" | "hex" | "zlib" | "base64" | "bz2")`,
`zlib` / `lzma` / `bz2` / `gzip.decompress`, `bytes.fromhex`, `binascii.unhexlify` /
`a2b_base64` / `a2b_hex`, `marshal.loads` of a literal or of decoded data, `"".join(chr(c) for
c in ...)` and `"".join(map(chr, ...))`, a reversed string (`s[::-1]`, `"".join(reversed(s))`),
and `.decode()` / `str()` of any of these, directly nested or through a name assigned in the
same function (or the module). A builtin looked up by a decoded name
(`getattr(builtins, b64decode("ZXhlYw==").decode())`) is flagged whatever it is given. Second,
a module that carries a long opaque literal (base64, hex or `\\xNN` escapes, at least
`blob-length` characters, 200 by default) and also runs `exec`, `eval`, `compile` or
`marshal.loads` on a computed value: each of those calls is reported.

**Why it matters in assistant-written code.** Encoding is how a payload gets past review: the
diff shows `exec(zlib.decompress(base64.b64decode(BLOB)))` and a wall of letters, and nobody
decodes the wall. A coding agent steered by a poisoned dependency, issue or web page plants
exactly this, because it is the shape that survives a skim. Honest code has no reason to hide
the code it runs.

**Severity.** Critical (high confidence) when decoded data is executed; high (medium
confidence) for a long blob in a module that executes computed code.

**Bad**

```python
import base64, zlib
exec(zlib.decompress(base64.b64decode(PAYLOAD)))
eval("".join(chr(c) for c in CODES))
```

**Good**

```python
import importlib
plugin = importlib.import_module("myapp.plugins.export")  # named, readable, reviewable
```

**Not flagged.** Decoding without executing (`base64.b64decode(token)`,
`json.loads(base64.b64decode(x))`); a base64 image, icon or font embedded as data (its decoded
bytes start with a PNG, GIF, JPEG, ICO, BMP, WebP, WOFF or TrueType signature), and any blob in
a module that runs no computed code; `exec(compile(source_text, path, "exec"))` where the source
is read from a file (that is DW101's business, not obfuscation); `marshal.loads` of data read
from a file (how `.pyc` files are loaded; DW201 reports it); `codecs.decode(b, "utf-8")` and
other text codecs; methods of other objects that are merely named `eval` or `compile`
(`df.eval(...)`, `re.compile(...)`); a builtin fetched by a literal name that runs nothing
(`getattr(builtins, "print")`).

**Fix.** None automatic. Decode the payload yourself (in a sandbox, never by running it) and
remove it; code that is meant to run belongs in the repository as readable source.

**References.** CWE-506 (embedded malicious code); MITRE ATT&CK T1027 (obfuscated files or
information); bandit B102 / B307 and ruff S102 / S307 flag `exec` / `eval` without looking at
what they run.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hooks import _paths, _process
from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.memo import per_node
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

RUNNERS = {
    "builtins.exec": "exec",
    "builtins.eval": "eval",
    "builtins.compile": "compile",
    "builtins.__import__": "__import__",
}
RUNNER_NAMES = frozenset(RUNNERS.values())
DECODERS = frozenset(
    {
        *(
            f"base64.{name}"
            for name in (
                "b64decode", "b32decode", "b32hexdecode", "b16decode", "b85decode", "a85decode",
                "urlsafe_b64decode", "standard_b64decode", "decodebytes", "decodestring",
            )
        ),
        "zlib.decompress", "lzma.decompress", "bz2.decompress", "gzip.decompress",
        "builtins.bytes.fromhex", "builtins.bytearray.fromhex",
        "binascii.unhexlify", "binascii.a2b_base64", "binascii.a2b_hex",
    }
)  # fmt: skip
# codecs that hide text (rot13) or are a decoder under another name
HIDING_CODECS = frozenset({"rot13", "rot_13", "hex", "zlib", "base64", "bz2", "uu"})
# calls and methods that hand back (a form of) the data they were given
KEEPING_CALLS = frozenset({"builtins.str", "builtins.bytes", "builtins.bytearray"})
KEEPING_METHODS = frozenset({"decode", "encode", "strip", "lstrip", "rstrip"})
MAX_DEPTH = 8

BASE64_LINE = lazy_re(r"[A-Za-z0-9+/=_-]+")
HEX_TEXT = lazy_re(r"[0-9a-fA-F]+")
ESCAPED_BYTES = lazy_re(r"(?:\\x[0-9a-fA-F]{2})+")
# what embedded data (not code) starts with, once decoded
DATA_SIGNATURES = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x00\x00\x01\x00", b"BM", b"RIFF", b"wOFF",
    b"wOF2", b"OTTO", b"\x00\x01\x00\x00", b"<svg", b"<?xml",
)  # fmt: skip


@dataclass(frozen=True)
class _Blob:
    kind: str
    length: int


def _is_reversal(node: cst.Subscript) -> bool:
    """`s[::-1]`."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Slice):
        return False
    piece = node.slice[0].slice
    step = piece.step
    return (
        piece.lower is None
        and piece.upper is None
        and isinstance(step, cst.UnaryOperation)
        and isinstance(step.operator, cst.Minus)
        and isinstance(step.expression, cst.Integer)
        and step.expression.value == "1"
    )


def _is_data(text: str) -> bool:
    """A base64 text whose decoded bytes start like an image or a font."""
    head = text[:24]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), altchars=b"-_")
    except (binascii.Error, ValueError):
        return False
    return decoded.startswith(DATA_SIGNATURES)


def _blob(node: cst.BaseExpression, minimum: int) -> Optional[_Blob]:
    """A long opaque literal: base64, hex digits, or `\\xNN` escapes."""
    if isinstance(node, cst.SimpleString) and ESCAPED_BYTES.fullmatch(node.raw_value):
        if len(node.raw_value) >= minimum:
            return _Blob("\\x-escaped", len(node.raw_value))
    value = _paths.string_value(node)
    if value is None or len(value) < minimum:
        return None
    lines = [line.strip() for line in value.splitlines()]
    if not all(BASE64_LINE.fullmatch(line) for line in lines if line):
        return None
    joined = "".join(lines)
    if len(joined) < minimum:
        return None
    if HEX_TEXT.fullmatch(joined):
        return _Blob("hex", len(joined))
    varied = (
        any(c.isupper() for c in joined)
        and any(c.islower() for c in joined)
        and any(c.isdigit() for c in joined)
    )
    if not varied or _is_data(joined):
        return None
    return _Blob("base64", len(joined))


def _raw_length(node: cst.BaseExpression) -> int:
    """The source length of the string parts of an implicit concatenation."""
    if isinstance(node, cst.ConcatenatedString):
        return _raw_length(node.left) + _raw_length(node.right)
    return len(node.value) if isinstance(node, cst.SimpleString) else 0


class ObfuscatedExec(Rule):
    code = "DW802"
    name = "obfuscated-exec"
    summary = "Code is decoded at run time (base64, zlib, rot13, chr codes...) and executed."
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    cwe = (506,)
    message = "`{func}` runs {what}: code hidden from review"
    hint = "decode the payload without running it and remove it; keep code as readable source"
    triggers = ("exec", "eval", "compile", "__import__", "__builtins__", "marshal")
    # the module `builtins` where it is imported (the names it binds are followed from there),
    # not the word, which is in every link to Django's template builtins page
    trigger_patterns = (r"(?m:^)[ \t]*(?:import|from)[ \t][^\n#]*\bbuiltins\b",)
    options = {"blob-length": 200}
    examples = (
        Bad(
            "import base64\n\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk='))\n",
            ((3, 1),),
            severity=Severity.CRITICAL,
        ),
        Bad(
            "import base64\nimport zlib\n\ndef bootstrap(blob):\n"
            "    raw = base64.b64decode(blob)\n    code = zlib.decompress(raw).decode()\n"
            "    exec(code, {'__name__': '__main__'})\n",
            ((7, 5),),
            why="through two local names and .decode()",
        ),
        Bad(
            "import codecs\n\nresult = eval(codecs.decode(\"bf.flfgrz('vq')\", 'rot13'))\n",
            ((3, 10),),
        ),
        Bad(
            "CODES = [105, 109, 112, 111, 114, 116, 32, 111, 115]\n"
            "exec(''.join(chr(c) for c in CODES))\nexec(''.join(map(chr, CODES)))\n",
            ((2, 1), (3, 1)),
        ),
        Bad(
            "import builtins\nfrom base64 import b64decode as d\n\n"
            "getattr(builtins, d('ZXhlYw==').decode())(payload)\n",
            ((4, 1),),
            why="a builtin looked up by a decoded name",
        ),
        Bad(
            "def update(hex_payload):\n    exec(bytes.fromhex(hex_payload).decode())\n",
            ((2, 5),),
        ),
        Bad(
            "stage = \")'di'(metsys.so;so tropmi\"\nexec(stage[::-1])\n",
            ((2, 1),),
            why="a reversed string",
        ),
        Bad(
            "import marshal\nimport zlib\n\n"
            "exec(marshal.loads(zlib.decompress(b'x\\x9c+\\xca\\xcc+\\x01\\x00')))\n",
            ((4, 1),),
        ),
        Bad(
            "import base64\n\n__import__(base64.b64decode('b3M=').decode()).system(cmd)\n",
            ((3, 1),),
        ),
        Bad(
            "import binascii\n\n__builtins__['eval'](binascii.unhexlify(h))\n",
            ((3, 1),),
        ),
        Bad(
            "exec(__import__('zlib').decompress(__import__('base64').b64decode(DATA)))\n",
            ((1, 1),),
            why="modules reached through __import__, with no import statement",
        ),
        Bad(
            "_ = lambda __: __import__('zlib').decompress(__import__('base64').b64decode(__[::-1]))"
            "\nexec((_)(b'==QfVBwa'))\n",
            ((2, 1),),
            why="the decoder hidden in a lambda",
        ),
        Bad(
            "PAYLOAD = (\n"
            + "".join(f"    '{'QWxhZGRpbjpvcGVuIHNlc2FtZQ0K' * 2}{n:02d}Zz9'\n" for n in range(5))
            + ")\n\ndef run(data):\n    exec(unpack(data))\n",
            ((10, 5),),
            severity=Severity.HIGH,
            why="a long base64 literal in a module that runs computed code",
        ),
        Bad(
            "import base64\n\nBLOB = '"
            + "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu0123456789" * 5
            + "'\n\nexec(compile(base64.b64decode(BLOB), '<x>', 'exec'))\n",
            ((5, 6),),
            severity=Severity.CRITICAL,
            why="the decoded compile is reported; the exec around it is not reported again",
        ),
        Ok(
            "import base64\n\ndef basic_auth(header):\n"
            "    user, _, password = base64.b64decode(header).decode().partition(':')\n"
            "    return user, password\n",
            why="decoding without executing",
        ),
        Ok(
            "import base64\nimport json\nimport os\n\n"
            "config = json.loads(base64.b64decode(os.environ['APP_CONFIG']))\n",
        ),
        Ok(
            "import base64\n\nICON = (\n"
            "    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAABHNCSVQICAgIfAhkiAAAAAlw'\n"
            "    'SFlzAAAOxAAADsQBlSsOGwAAABl0RVh0U29mdHdhcmUAd3d3Lmlua3NjYXBlLm9yZ5vuPBoA'\n"
            "    'AAEYSURBVDiNpZIxSgNBFIa/2d1sEkmIhYKNIIiFoI2NlZ2FjZfwAB7BI3gMO1sbK0sLwcIL'\n"
            ")\n\ndef icon_bytes():\n    return base64.b64decode(ICON)\n\n"
            "def run_script(source):\n    exec(compile(source, '<script>', 'exec'))\n",
            why="a base64 PNG embedded as data, even beside dynamic execution",
        ),
        Ok(
            "import runpy\n\ndef run_file(path):\n    with open(path) as fh:\n"
            "        source_text = fh.read()\n"
            "    exec(compile(source_text, path, 'exec'), {'__name__': '__main__'})\n",
            why="source read from a file: dynamic code (DW101), not obfuscation",
        ),
        Ok(
            "import codecs\n\ndef parse(raw):\n    return eval(codecs.decode(raw, 'utf-8'))\n",
            why="a text codec hides nothing",
        ),
        Ok(
            "import marshal\n\ndef load_pyc(path, namespace):\n    with open(path, 'rb') as fh:\n"
            "        data = fh.read()\n    exec(marshal.loads(data[16:]), namespace)\n",
            why="a .pyc read from a file",
        ),
        Ok(
            "import base64\nimport re\n\n"
            "PATTERN = re.compile(base64.b64decode(RULE).decode())\ndf.eval(base64.b64decode(q))\n",
            why="re.compile and a method named eval are not code runners",
        ),
        Ok(
            "import base64\n\ndef run(exec, payload):\n    exec(base64.b64decode(payload))\n",
            why="a parameter shadows the builtin",
        ),
        Ok(
            "import base64\nimport builtins\n\n"
            "getattr(builtins, 'print')(base64.b64decode(banner).decode())\n",
            why="a builtin fetched by a literal name that runs nothing",
        ),
        Ok(
            "HELP = 'never write exec(base64.b64decode(payload)) in a plugin'\n",
            why="text in a string",
        ),
        Ok(
            "import hashlib\n\nEXPECTED = '"
            + "0123456789abcdef" * 16
            + "'\n\ndef check(data):\n    return hashlib.sha256(data).hexdigest() in EXPECTED\n",
            why="a long hex constant in a module that runs no computed code",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # long literals, judged as blobs only if the module runs computed code
        self.long_literals: List[cst.BaseExpression] = []
        # calls running computed (but not decoded) code: reported if the module has a blob
        self.dynamic: List[Tuple[cst.Call, str]] = []
        self.inside_concatenation: List[cst.ConcatenatedString] = []
        # the code-running calls being visited: a marshal.loads inside one is part of it
        self.running: List[cst.Call] = []
        self.covered: Set[int] = set()  # ids of calls holding a reported one

    def visit_Call(self, node: cst.Call) -> None:
        sink = self._sink(node)
        if sink is None:
            if self.ctx.resolve(node.func) == "marshal.loads" and not self.running:
                self._marshal(node)
            return
        self.running.append(node)
        name, hidden = sink
        if hidden is not None:
            self._critical(node, name, f"a builtin looked up by a hidden name ({hidden})")
            return
        arg = self.ctx.argument(node, 0, "name" if name == "__import__" else "source")
        if arg is None:
            return
        how = self._decoding(arg.value, 0)
        if how is not None:
            self._critical(node, name, how)
        elif name != "__import__" and not self.ctx.is_constant(arg.value):
            self.dynamic.append((node, name))

    def _critical(self, node: cst.Call, name: str, what: str) -> None:
        """Report decoded code run; the calls around it need no blob report of their own."""
        self.covered.update(id(call) for call in self.running)
        self.report(node, func=name, what=what)

    def leave_Call(self, node: cst.Call) -> None:
        if self.running and self.running[-1] is node:
            self.running.pop()

    def _marshal(self, node: cst.Call) -> None:
        """A code object built from computed data, outside any exec (which would be reported)."""
        arg = self.ctx.argument(node, 0, "bytes")
        if arg is None or self.ctx.is_constant(arg.value):
            return
        if self._decoding(arg.value, 0) is None:
            self.dynamic.append((node, "marshal.loads"))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if len(node.value) >= self._minimum():
            self.long_literals.append(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if not self.inside_concatenation:
            if _raw_length(node) >= self._minimum():
                self.long_literals.append(node)
        self.inside_concatenation.append(node)

    def leave_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self.inside_concatenation.pop()

    def leave_Module(self, node: cst.Module) -> None:
        if not self.dynamic:
            return
        minimum = self._minimum()
        blobs = [b for b in (_blob(n, minimum) for n in self.long_literals) if b is not None]
        if not blobs:
            return
        blob = max(blobs, key=lambda b: b.length)
        what = f"computed code in a module that carries a {blob.length}-character {blob.kind} blob"
        for call, name in self.dynamic:
            if id(call) in self.covered:
                continue
            self.report(
                call, severity=Severity.HIGH, confidence=Confidence.MEDIUM, func=name, what=what
            )

    def _minimum(self) -> int:
        minimum = self.opts["blob-length"]
        return minimum if isinstance(minimum, int) else 200

    def _sink(self, node: cst.Call) -> Optional[Tuple[str, Optional[str]]]:
        """(what runs, how its name is decoded) for a call that runs code; None otherwise."""
        func = self.ctx.resolve(node.func)
        if func in RUNNERS:
            return RUNNERS[func], None
        found = self._builtin_lookup(node.func)
        if found is None:
            return None
        key, shown = found
        text = _paths.render(self.ctx, key)
        if text in RUNNER_NAMES:
            return shown.format(repr(text)), None
        hidden = self._decoding(key, 0)
        return (shown.format("..."), hidden) if hidden is not None else None

    def _builtin_lookup(self, func: cst.BaseExpression) -> Optional[Tuple[cst.BaseExpression, str]]:
        """`getattr(builtins, KEY)` or `__builtins__[KEY]`: (KEY, how it is looked up)."""
        if isinstance(func, cst.Call) and self.ctx.resolve(func.func) == "builtins.getattr":
            owner, key = self.ctx.argument(func, 0, ""), self.ctx.argument(func, 1, "")
            if owner is not None and key is not None and self._is_builtins(owner.value):
                return key.value, "getattr(builtins, {})"
            return None
        if isinstance(func, cst.Subscript) and len(func.slice) == 1:
            index = func.slice[0].slice
            if isinstance(index, cst.Index) and self._is_builtins(func.value):
                return index.value, "builtins[{}]"
        return None

    def _is_builtins(self, node: cst.BaseExpression) -> bool:
        """`builtins`, `__builtins__`, `builtins.__dict__`, `vars(builtins)`."""
        if isinstance(node, cst.Attribute) and node.attr.value == "__dict__":
            node = node.value
        elif isinstance(node, cst.Call) and self.ctx.resolve(node.func) == "builtins.vars":
            if len(node.args) != 1:
                return False
            node = node.args[0].value
        if isinstance(node, cst.Name) and node.value == "__builtins__":
            return lookup(node.value, self.ctx.scopes)[0] is None
        return self.ctx.resolve(node) == "builtins"

    @per_node
    def _decoding(self, node: cst.BaseExpression, depth: int) -> Optional[str]:
        """How `node` is decoded, as the message says it; None when it is not."""
        if depth > MAX_DEPTH:
            return None
        more = depth + 1
        if isinstance(node, cst.Name):
            return self._name_decoding(node, more)
        if isinstance(node, cst.Subscript):
            return "a reversed string (`[::-1]`)" if _is_reversal(node) else None
        if isinstance(node, cst.BinaryOperation):
            return self._decoding(node.left, more) or self._decoding(node.right, more)
        if isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    found = self._decoding(part.expression, more)
                    if found is not None:
                        return found
            return None
        if isinstance(node, cst.Call):
            return self._call_decoding(node, more)
        return None

    def _name_decoding(self, node: cst.Name, depth: int) -> Optional[str]:
        bindings, _ = lookup(node.value, self.ctx.scopes)
        for binding in bindings or ():
            if binding.kind in (Kind.ASSIGN, Kind.AUGMENT) and binding.value is not None:
                found = self._decoding(binding.value, depth)
                if found is not None:
                    return found
        return None

    def _call_decoding(self, node: cst.Call, depth: int) -> Optional[str]:
        func = _process.resolve(self.ctx, node.func)
        first = node.args[0].value if node.args and not node.args[0].star else None
        if func in DECODERS:
            return f"data decoded with `{func.replace('builtins.', '')}`"
        if func in ("codecs.decode", "codecs.encode"):
            return self._codec(node, func)
        if func == "marshal.loads" and first is not None:
            if self.ctx.is_constant(first):
                return "a code object unmarshalled from a literal"
            inner = self._decoding(first, depth)
            return f"{inner}, then unmarshalled" if inner is not None else None
        if func in KEEPING_CALLS and first is not None:
            return self._decoding(first, depth)
        if isinstance(node.func, cst.Name):
            return self._lambda_decoding(node.func, depth)
        if func is None and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in KEEPING_METHODS:
                return self._decoding(node.func.value, depth)
            if method == "join" and first is not None:
                return self._joined(first)
        return None

    def _lambda_decoding(self, name: cst.Name, depth: int) -> Optional[str]:
        """`_ = lambda d: zlib.decompress(b64decode(d))` called as `_(blob)`."""
        bindings, _ = lookup(name.value, self.ctx.scopes)
        for binding in bindings or ():
            if binding.kind is Kind.ASSIGN and isinstance(binding.value, cst.Lambda):
                found = self._decoding(binding.value.body, depth)
                if found is not None:
                    return found
        return None

    def _codec(self, node: cst.Call, func: str) -> Optional[str]:
        encoding = self.ctx.argument(node, 1, "encoding")
        if encoding is None:
            return None
        name = _paths.string_value(encoding.value)
        if name is None:
            return None
        name = name.lower().replace("-", "_")
        name = name[: -len("_codec")] if name.endswith("_codec") else name
        return f"data decoded with `{func}(..., {name!r})`" if name in HIDING_CODECS else None

    def _joined(self, node: cst.BaseExpression) -> Optional[str]:
        """`"".join(chr(c) for c in codes)`, `"".join(map(chr, codes))`, `"".join(reversed(s))`."""
        if isinstance(node, (cst.GeneratorExp, cst.ListComp)):
            element = node.elt
            if isinstance(element, cst.Call) and self.ctx.resolve(element.func) == "builtins.chr":
                return "text built from `chr()` codes"
            return None
        if not isinstance(node, cst.Call) or not node.args:
            return None
        func = self.ctx.resolve(node.func)
        if func == "builtins.map" and self.ctx.resolve(node.args[0].value) == "builtins.chr":
            return "text built from `chr()` codes"
        if func == "builtins.reversed":
            return "a reversed string (`reversed()`)"
        return None
