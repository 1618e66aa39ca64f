"""weak-crypto: broken hashes, broken ciphers, ECB mode and keys too short to hold.

**What it finds.** DW301: MD5, SHA-1 and MD4 hashing (`hashlib.md5`, `hashlib.sha1`,
`hashlib.new("md5")`, `Crypto.Hash.MD5.new`, `Crypto.Hash.SHA.new`, `hashes.MD5()`,
`hashes.SHA1()`), and the weak schemes of the `crypt` module: `crypt.crypt` / `crypt.mksalt`
with `METHOD_CRYPT` (DES) or `METHOD_MD5`, or a literal salt that selects them (`"ab"`,
`"$1$..."`). DW302: broken or weak ciphers (DES, Triple DES, RC4, RC2, Blowfish, CAST, IDEA,
SEED, XOR) from pycryptodome, pycrypto and cryptography, and ECB mode (`modes.ECB()`,
`AES.new(key, AES.MODE_ECB)`). DW303: RSA and DSA keys under 2048 bits, and elliptic curves
under 224 bits (SECP192R1, SECT163K1, SECT163R2, pycryptodome's P-192).

**Why it matters in assistant-written code.** Training data is full of a decade of tutorials:
`hashlib.md5(password.encode()).hexdigest()` to "hash a password", `DES.new(key, DES.MODE_ECB)` to
"encrypt a string", `RSA.generate(1024)` because it is fast. Each runs, passes its tests, and
protects nothing: MD5 and SHA-1 collide on demand, DES falls to brute force in hours, ECB shows the
plaintext's patterns, and a 1024-bit RSA key is within reach of a well-funded attacker.

**Severity.** DW301 is medium, and high when the hash is stored under or computed from a name
that looks like a password, secret, token, API key or signature, and for `crypt`, which only
hashes passwords. DW302 and DW303 are high.

**Bad**

```python
digest = hashlib.md5(password.encode()).hexdigest()
cipher = DES.new(key, DES.MODE_ECB)
key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
```

**Good**

```python
digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
cipher = AES.new(key, AES.MODE_GCM)
key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
```

**Not flagged.** SHA-2, SHA-3 and BLAKE2; `hashlib.md5(data, usedforsecurity=False)` (a
checksum, said so) and a computed `usedforsecurity=`; `hashlib.new(name)` with a computed name;
`md5()` methods on objects we cannot resolve; hash functions passed uncalled, as in
`hmac.new(key, msg, hashlib.sha1)` (HMAC-SHA1 is still sound); `hashes.SHA1()` handed straight to
`.fingerprint(...)` (certificate thumbprints identify, they do not protect) or to OAEP / MGF1
padding (where SHA-1 is still sound); `crypt` with its default method (the strongest available),
`METHOD_SHA256`, `METHOD_SHA512` or `METHOD_BLOWFISH` (bcrypt), or with a computed salt (often
the stored hash, when checking a password); AES in GCM, CBC, CTR or any mode but ECB; ChaCha20;
a mode held in a variable; key sizes and curves that are computed rather than written out.

**Fix.** None automatic: a new hash or cipher changes every stored value. Hash passwords with
`hashlib.scrypt`, argon2 or bcrypt; use SHA-256 or better elsewhere; encrypt with AES-GCM or
ChaCha20-Poly1305 (or `cryptography.fernet`); generate RSA keys of 3072 bits and EC keys on
SECP256R1 or better.

**References.** CWE-327 (broken or risky cryptographic algorithm), CWE-328 (weak hash), CWE-326
(inadequate encryption strength); bandit B303, B304, B305, B324, B505; ruff S303, S304, S305,
S324, S505.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

PYCRYPTO = ("Crypto", "Cryptodome")
PYCA = "cryptography.hazmat"

WEAK_HASH_CALLS = {
    "hashlib.md5": "MD5",
    "hashlib.sha1": "SHA-1",
    "hashlib.md4": "MD4",
    f"{PYCA}.primitives.hashes.MD5": "MD5",
    f"{PYCA}.primitives.hashes.SHA1": "SHA-1",
    **{
        f"{package}.Hash.{module}.new": algorithm
        for package in PYCRYPTO
        for module, algorithm in (
            ("MD5", "MD5"), ("SHA", "SHA-1"), ("SHA1", "SHA-1"), ("MD4", "MD4"), ("MD2", "MD2")
        )
    },
}  # fmt: skip
WEAK_HASHLIB_NAMES = {"md5": "MD5", "sha1": "SHA-1", "md4": "MD4"}
# the crypt module (removed in Python 3.13): call -> (position, keyword) of the method or salt
CRYPT_CALLS = {"crypt.crypt": (1, "salt"), "crypt.mksalt": (0, "method")}
CRYPT_METHODS = {"crypt.METHOD_CRYPT": "DES crypt", "crypt.METHOD_MD5": "MD5 crypt"}
# calls whose hash argument is not used for collision resistance
HASH_EXEMPT_CALLS = frozenset({"fingerprint", "MGF1", "OAEP"})
# a hash stored under or computed from such a name protects something
SENSITIVE_NAME = lazy_re(
    r"pass(word|wd|phrase|code)|pwd|secret|token|signature|api_?key|credential",
    re.IGNORECASE,
)

PYCRYPTO_WEAK_CIPHERS = {
    "DES": "DES",
    "DES3": "Triple DES",
    "ARC4": "RC4",
    "ARC2": "RC2",
    "Blowfish": "Blowfish",
    "XOR": "XOR",
    "CAST": "CAST-128",
}
PYCA_WEAK_CIPHERS = {
    "TripleDES": "Triple DES",
    "ARC4": "RC4",
    "Blowfish": "Blowfish",
    "CAST5": "CAST5",
    "IDEA": "IDEA",
    "SEED": "SEED",
    "RC2": "RC2",
}
WEAK_CIPHER_CALLS = {
    **{
        f"{package}.Cipher.{module}.new": name
        for package in PYCRYPTO
        for module, name in PYCRYPTO_WEAK_CIPHERS.items()
    },
    # cryptography 43 moved these to `decrepit`; both paths name the same classes
    **{
        f"{PYCA}.{where}.ciphers.algorithms.{cls}": name
        for where in ("primitives", "decrepit")
        for cls, name in PYCA_WEAK_CIPHERS.items()
    },
}
PYCA_ECB = f"{PYCA}.primitives.ciphers.modes.ECB"
PYCRYPTO_CIPHER_PREFIXES = tuple(f"{package}.Cipher." for package in PYCRYPTO)

PYCA_ASYMMETRIC = f"{PYCA}.primitives.asymmetric"
# function -> (position, keyword, algorithm) of its key size argument
KEY_SIZE_CALLS = {
    f"{PYCA_ASYMMETRIC}.rsa.generate_private_key": (1, "key_size", "RSA"),
    f"{PYCA_ASYMMETRIC}.dsa.generate_private_key": (0, "key_size", "DSA"),
    **{f"{package}.PublicKey.RSA.generate": (0, "bits", "RSA") for package in PYCRYPTO},
    **{f"{package}.PublicKey.DSA.generate": (0, "bits", "DSA") for package in PYCRYPTO},
}
# function -> (position, keyword) of its curve argument
CURVE_CALLS = {
    f"{PYCA_ASYMMETRIC}.ec.generate_private_key": (0, "curve"),
    f"{PYCA_ASYMMETRIC}.ec.derive_private_key": (1, "curve"),
}
WEAK_CURVES = {
    f"{PYCA_ASYMMETRIC}.ec.SECP192R1": ("SECP192R1", 192),
    f"{PYCA_ASYMMETRIC}.ec.SECT163K1": ("SECT163K1", 163),
    f"{PYCA_ASYMMETRIC}.ec.SECT163R2": ("SECT163R2", 163),
}
PYCRYPTO_ECC_GENERATE = frozenset(f"{package}.PublicKey.ECC.generate" for package in PYCRYPTO)
WEAK_ECC_NAMES = frozenset({"p-192", "p192", "nist p-192", "secp192r1", "prime192v1"})


def _string(node: cst.BaseExpression) -> Optional[str]:
    """The value of a plain string literal, None for anything else."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _integer(arg: Optional[cst.Arg]) -> Optional[int]:
    """The value of an integer literal argument, None when it is computed."""
    if arg is not None and isinstance(arg.value, cst.Integer):
        return int(arg.value.evaluated_value)
    return None


def _among(node: cst.CSTNode, nodes: Tuple[cst.BaseExpression, ...]) -> bool:
    return any(other is node for other in nodes)


def _last_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _names_in(node: cst.CSTNode) -> List[str]:
    """Identifiers and subscript string keys in an expression (`form["password"]` too)."""
    from hooks.engine.tree import children  # imports libcst: only once a file is parsed

    found: List[str] = []
    stack: List[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.append(current.value)
        elif isinstance(current, cst.SubscriptElement) and isinstance(current.slice, cst.Index):
            key = _string(current.slice.value)
            if key is not None:
                found.append(key)
        stack.extend(children(current))
    return found


def _assigned_names(statement: cst.CSTNode) -> List[str]:
    """The names a simple statement assigns to (`self.token_hash = ...` gives token_hash)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    targets: List[cst.BaseExpression] = []
    for small in statement.body:
        if isinstance(small, cst.Assign):
            targets.extend(t.target for t in small.targets)
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
            targets.append(small.target)
    names: List[str] = []
    for target in targets:
        if isinstance(target, cst.Attribute):
            names.append(target.attr.value)
        else:
            names.extend(_names_in(target))
    return names


class WeakHash(Rule):
    code = "DW301"
    name = "weak-hash"
    summary = "MD5, SHA-1 or MD4 is used where a hash may need to resist collisions."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (327, 328)
    message = "`{func}` computes {algorithm}, a broken hash{use}"
    hint = (
        "use hashlib.sha256 (or scrypt/argon2/bcrypt for passwords); "
        "pass usedforsecurity=False for a plain checksum"
    )
    triggers = ("md5", "sha1", "md4", "MD5", "SHA1", "SHA", "MD4", "MD2", "crypt")
    examples = (
        Bad(
            "import hashlib\ndigest = hashlib.sha1(secret, usedforsecurity=True)\n",
            ((2, 10),),
            why="declared a security use",
        ),
        Bad(
            "import hashlib\n\n\ndef hash_password(password: str) -> str:\n"
            "    return hashlib.md5(password.encode()).hexdigest()\n",
            ((5, 12),),
            severity=Severity.HIGH,
            why="computed from a password",
        ),
        Bad(
            "import hashlib\n\nwith open(path, 'rb') as fh:\n"
            "    etag = hashlib.sha1(fh.read()).hexdigest()\n",
            ((4, 12),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "from hashlib import sha1 as _sha1\n\n"
            "signature = _sha1(f'{payload}{SHARED}'.encode()).hexdigest()\n",
            ((3, 13),),
            severity=Severity.HIGH,
            why="an alias, stored as a signature",
        ),
        Bad(
            "import hashlib\n\nh = hashlib.new('MD5')\nh.update(request.form['token'].encode())\n",
            ((3, 5),),
            severity=Severity.MEDIUM,
            why="hashlib.new with a literal name, in any case",
        ),
        Bad(
            "from Crypto.Hash import MD5, SHA\n\n"
            "checksum = MD5.new(blob).hexdigest()\nmac = SHA.new(blob).digest()\n",
            ((3, 12), (4, 7)),
        ),
        Bad(
            "from cryptography.hazmat.primitives import hashes\n\n"
            "digest = hashes.Hash(hashes.SHA1())\n",
            ((3, 22),),
        ),
        Bad(
            "from cryptography.hazmat.primitives import hashes\n\n"
            "cert = builder.sign(private_key, hashes.MD5())\n",
            ((3, 34),),
            why="a certificate signed with MD5",
        ),
        Ok("import hashlib\n\ndigest = hashlib.sha256(data).hexdigest()\n"),
        Ok("import hashlib\n\nh = hashlib.blake2b(data, digest_size=16)\nh2 = hashlib.sha512()\n"),
        Ok(
            "import hashlib\n\ncache_name = hashlib.md5(url.encode(), usedforsecurity=False)"
            ".hexdigest()\n",
            why="declared not for security",
        ),
        Ok("import hashlib\n\nh = hashlib.new('sha256')\n"),
        Ok(
            "import hashlib\n\n\ndef digest(name, data):\n    return hashlib.new(name, data)\n",
            why="a computed algorithm name",
        ),
        Ok("checksum = storage.md5(path)\n", why="a method on an unknown object"),
        Ok(
            "import hashlib\nimport hmac\n\nmac = hmac.new(key, msg, hashlib.sha256)\n"
            "legacy = hmac.new(key, msg, hashlib.sha1)\n",
            why="HMAC takes the hash uncalled; HMAC-SHA1 is still sound",
        ),
        Ok(
            "import hashlib\n\n\ndef check(hashlib):\n    return hashlib.md5(x)\n",
            why="a parameter shadows the module",
        ),
        Ok(
            "from cryptography.hazmat.primitives import hashes\n\n"
            "thumbprint = cert.fingerprint(hashes.SHA1())\n",
            why="a certificate thumbprint identifies, it does not protect",
        ),
        Ok(
            "from cryptography.hazmat.primitives import hashes\n"
            "from cryptography.hazmat.primitives.asymmetric import padding\n\n"
            "pad = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), "
            "algorithm=hashes.SHA1(), label=None)\n",
            why="SHA-1 in OAEP padding is still sound",
        ),
        Ok("note = 'hashlib.md5(password) is broken'\n", why="text in a string"),
        Bad(
            "import crypt\n\n\ndef store(user, password):\n"
            "    user.hash = crypt.crypt(password, crypt.mksalt(crypt.METHOD_MD5))\n",
            ((5, 39),),
            severity=Severity.HIGH,
            why="reported where mksalt picks the scheme",
        ),
        Bad(
            "import crypt\nhashed = crypt.crypt(word, salt=crypt.METHOD_CRYPT)\n",
            ((2, 10),),
            severity=Severity.HIGH,
        ),
        Bad(
            "from crypt import crypt\nhashed = crypt(password, 'ab')\n",
            ((2, 10),),
            severity=Severity.HIGH,
            why="a two-letter salt selects DES crypt",
        ),
        Ok("import crypt\nhashed = crypt.crypt(password)\n", why="the strongest method available"),
        Ok(
            "import crypt\nhashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_SHA512))\n",
        ),
        Ok(
            "import crypt\n\n\ndef check(password, stored):\n"
            "    return crypt.crypt(password, stored) == stored\n",
            why="checking against a stored hash: its scheme was chosen when it was made",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # arguments of the innermost fingerprint/OAEP/MGF1 call being visited
        self._exempt: List[Tuple[cst.Call, Tuple[cst.BaseExpression, ...]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if _last_name(node.func) in HASH_EXEMPT_CALLS:
            self._exempt.append((node, tuple(arg.value for arg in node.args)))
        func = self.ctx.resolve(node.func)
        if func is None:
            return
        algorithm = self._weak_algorithm(node, func)
        if algorithm is None:
            return
        declared = self.ctx.argument(node, None, "usedforsecurity")
        if declared is not None and self.ctx.truthy_constant(declared) is not True:
            return  # False says "a checksum"; a computed value means someone decided
        if func.startswith(PYCA) and self._exempt and _among(node, self._exempt[-1][1]):
            return
        sensitive = self._sensitive_name(node)
        use = f", here for `{sensitive}`" if sensitive else ""
        if func in CRYPT_CALLS:
            use = " for passwords"  # all crypt does
        self.report(
            node,
            severity=Severity.HIGH if use else Severity.MEDIUM,
            func=func,
            algorithm=algorithm,
            use=use,
        )

    def leave_Call(self, node: cst.Call) -> None:
        if self._exempt and self._exempt[-1][0] is node:
            self._exempt.pop()

    def _weak_algorithm(self, node: cst.Call, func: str) -> Optional[str]:
        if func in CRYPT_CALLS:
            return self._weak_crypt(node, *CRYPT_CALLS[func])
        if func != "hashlib.new":
            return WEAK_HASH_CALLS.get(func)
        name = self.ctx.argument(node, 0, "name")
        text = _string(name.value) if name is not None else None
        return WEAK_HASHLIB_NAMES.get(text.lower()) if text is not None else None

    def _weak_crypt(self, node: cst.Call, position: int, keyword: str) -> Optional[str]:
        """DES or MD5 crypt, chosen by a METHOD_ constant or by a literal salt's prefix."""
        chosen = self.ctx.argument(node, position, keyword)
        if chosen is None:
            return None  # the default is the strongest method the platform has
        salt = _string(chosen.value)
        if salt is None:
            return CRYPT_METHODS.get(self.ctx.resolve(chosen.value) or "")
        if salt.startswith("$1$"):
            return "MD5 crypt"
        return None if salt.startswith("$") else "DES crypt"  # no `$id$`: the DES scheme

    def _sensitive_name(self, node: cst.Call) -> Optional[str]:
        """A password-like name the hash is stored under or computed from, if any."""
        candidates = _assigned_names(self.ctx.statements[-1])
        for arg in node.args:
            candidates.extend(_names_in(arg.value))
        return next((name for name in candidates if SENSITIVE_NAME.search(name)), None)


class WeakCipher(Rule):
    code = "DW302"
    name = "weak-cipher"
    summary = "A broken or weak cipher (DES, 3DES, RC4, Blowfish...) or ECB mode encrypts data."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (327,)
    message = "`{func}` {what}"
    hint = "encrypt with AES-GCM or ChaCha20-Poly1305 (or cryptography.fernet.Fernet)"
    triggers = (
        *sorted({*PYCRYPTO_WEAK_CIPHERS, *PYCA_WEAK_CIPHERS}),
        "ECB",
        "MODE_ECB",
    )
    examples = (
        Bad(
            "from Crypto.Cipher import DES\n\n"
            "cipher = DES.new(key, DES.MODE_ECB)\nblob = cipher.encrypt(pad(data, 8))\n",
            ((3, 10),),
            why="reported once, as the weaker cipher",
        ),
        Bad(
            "from Cryptodome.Cipher import ARC4\n\n\ndef encrypt(key, data):\n"
            "    return ARC4.new(key).encrypt(data)\n",
            ((5, 12),),
        ),
        Bad(
            "import Crypto.Cipher.DES3 as des3\n\nc = des3.new(key, des3.MODE_CBC, iv)\n", ((3, 5),)
        ),
        Bad(
            "from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_ECB)\n",
            ((3, 10),),
            why="AES in ECB mode",
        ),
        Bad(
            "from Crypto.Cipher import AES\n\ncipher = AES.new(key, mode=AES.MODE_ECB)\n",
            ((3, 10),),
        ),
        Bad(
            "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n"
            "cipher = Cipher(algorithms.TripleDES(key), modes.CBC(iv))\n"
            "ecb = Cipher(algorithms.AES(key), modes.ECB())\n",
            ((3, 17), (4, 35)),
        ),
        Bad(
            "import cryptography.hazmat.primitives.ciphers.algorithms as alg\n\n"
            "for algo in (alg.Blowfish(key), alg.CAST5(key), alg.IDEA(key), alg.SEED(key)):\n"
            "    pass\n",
            ((3, 14), (3, 33), (3, 49), (3, 64)),
        ),
        Bad(
            "from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4\n\n"
            "stream = ARC4(key)\n",
            ((3, 10),),
        ),
        Ok("from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_GCM)\n"),
        Ok("from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_CBC, iv=iv)\n"),
        Ok(
            "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n"
            "cipher = Cipher(algorithms.AES(key), modes.CTR(nonce))\n"
        ),
        Ok(
            "from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305\n"
            "from Crypto.Cipher import ChaCha20\n\n"
            "aead = ChaCha20Poly1305(key)\nstream = ChaCha20.new(key=key)\n"
        ),
        Ok(
            "from Crypto.Cipher import AES\n\ncipher = AES.new(key, mode)\n",
            why="a mode held in a variable",
        ),
        Ok("cipher = legacy.DES.new(key)\n", why="an unknown object"),
        Ok(
            "from Crypto.Cipher import DES\n\n\ndef run(DES):\n    return DES.new(key)\n",
            why="a parameter shadows the import",
        ),
        Ok("MODES = {'ECB': 'never use', 'GCM': 'default'}\n", why="text in strings"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            return
        cipher = WEAK_CIPHER_CALLS.get(func)
        if cipher is not None:
            self.report(node, func=func, what=f"encrypts with {cipher}, a weak, outdated cipher")
        elif func == PYCA_ECB or (func.startswith(PYCRYPTO_CIPHER_PREFIXES) and self._ecb(node)):
            self.report(node, func=func, what="uses ECB mode, which shows the plaintext's patterns")

    def _ecb(self, node: cst.Call) -> bool:
        mode = self.ctx.argument(node, 1, "mode")
        name = self.ctx.resolve(mode.value) if mode is not None else None
        return name is not None and name.endswith(".MODE_ECB")


class ShortKey(Rule):
    code = "DW303"
    name = "short-key"
    summary = "An RSA or DSA key under 2048 bits, or an elliptic curve under 224 bits, is made."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (326,)
    message = "`{func}` makes {what}"
    hint = "generate RSA/DSA keys of 3072 bits (2048 at the very least) and EC keys on SECP256R1"
    triggers = ("generate_private_key", "derive_private_key", "RSA", "DSA", "ECC")
    options = {"min-bits": 2048}
    examples = (
        Bad(
            "from cryptography.hazmat.primitives.asymmetric import rsa\n\n"
            "key = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n",
            ((3, 7),),
        ),
        Bad(
            "from cryptography.hazmat.primitives.asymmetric import rsa\n\n\ndef new_key():\n"
            "    return rsa.generate_private_key(65537, 512, default_backend())\n",
            ((5, 12),),
            why="key size as the second positional argument",
        ),
        Bad(
            "from cryptography.hazmat.primitives.asymmetric import dsa\n\n"
            "key = dsa.generate_private_key(key_size=1024)\n",
            ((3, 7),),
        ),
        Bad(
            "from cryptography.hazmat.primitives.asymmetric import ec\n\n"
            "key = ec.generate_private_key(ec.SECP192R1())\n"
            "other = ec.generate_private_key(curve=ec.SECT163K1())\n",
            ((3, 7), (4, 9)),
        ),
        Bad("from Crypto.PublicKey import RSA\n\nkey = RSA.generate(1024)\n", ((3, 7),)),
        Bad("from Cryptodome.PublicKey import DSA\n\nkey = DSA.generate(bits=1024)\n", ((3, 7),)),
        Bad(
            "from Crypto.PublicKey import ECC\n\nkey = ECC.generate(curve='P-192')\n",
            ((3, 7),),
        ),
        Ok(
            "from cryptography.hazmat.primitives.asymmetric import rsa\n\n"
            "key = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n"
        ),
        Ok("from Crypto.PublicKey import RSA\n\nkey = RSA.generate(4096)\n"),
        Ok(
            "from cryptography.hazmat.primitives.asymmetric import ec\n\n"
            "key = ec.generate_private_key(ec.SECP256R1())\n"
        ),
        Ok(
            "from cryptography.hazmat.primitives.asymmetric import rsa\n\n\n"
            "def make(bits: int):\n"
            "    return rsa.generate_private_key(public_exponent=65537, key_size=bits)\n",
            why="a computed size",
        ),
        Ok("from Crypto.PublicKey import ECC\n\nkey = ECC.generate(curve='P-256')\n"),
        Ok("key = keygen.RSA.generate(1024)\n", why="an unknown object"),
        Ok(
            "from Crypto.PublicKey import RSA\n\n\ndef make(RSA):\n    return RSA.generate(1024)\n",
            why="a parameter shadows the import",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            return
        if func in KEY_SIZE_CALLS:
            position, keyword, algorithm = KEY_SIZE_CALLS[func]
            bits = _integer(self.ctx.argument(node, position, keyword))
            minimum = self.opts["min-bits"]
            if bits is not None and isinstance(minimum, int) and bits < minimum:
                what = f"a {bits}-bit {algorithm} key; use {minimum} bits or more"
                self.report(node, func=func, what=what)
        elif func in CURVE_CALLS:
            curve = self._weak_curve(node, *CURVE_CALLS[func])
            if curve is not None:
                self.report(node, func=func, what=f"a key on {curve[0]}, a {curve[1]}-bit curve")
        elif func in PYCRYPTO_ECC_GENERATE:
            name = self.ctx.argument(node, None, "curve")
            text = _string(name.value) if name is not None else None
            if text is not None and text.lower() in WEAK_ECC_NAMES:
                self.report(node, func=func, what=f"a key on {text}, a 192-bit curve")

    def _weak_curve(self, node: cst.Call, position: int, keyword: str) -> Optional[Tuple[str, int]]:
        arg = self.ctx.argument(node, position, keyword)
        if arg is None:
            return None
        value = arg.value.func if isinstance(arg.value, cst.Call) else arg.value
        name = self.ctx.resolve(value)
        return WEAK_CURVES.get(name) if name is not None else None
