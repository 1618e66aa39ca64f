"""archive-extraction: unpacking tar archives without a filter, so members can escape the target.

**What it finds.** DW402: `extractall()` and `extract()` on a `tarfile` archive without a
`filter=` argument, or with `filter="fully_trusted"` / `tarfile.fully_trusted_filter` /
`filter=None` (high); `shutil.unpack_archive` without `filter=` (medium: it may be a zip file,
which is safe). The archive is recognised when the method is called directly on
`tarfile.open(...)` (also `tarfile.TarFile(...)`, `tarfile.TarFile.open(...)`), or on a name
bound to one in the same function, by `with tarfile.open(...) as tar:` or
`tar = tarfile.open(...)`.

**Why it matters in assistant-written code.** "Download the release and unpack it" comes out
as `tarfile.open(path).extractall(dest)`. A tar member named `../../home/me/.bashrc`, an
absolute path, or a symlink followed by a file written through it lands outside `dest`
(CVE-2007-4559, still the default before Python 3.14). The `filter="data"` argument, added in
Python 3.12 and backported to 3.8.17, 3.9.17, 3.10.12 and 3.11.4, refuses all of these.

**Bad**

```python
with tarfile.open(bundle) as tar:
    tar.extractall(dest)
```

**Good**

```python
with tarfile.open(bundle) as tar:
    tar.extractall(dest, filter="data")
```

**Not flagged.** Any `filter=` other than the fully trusted one (`"data"`, `"tar"`, your own
function); `getmembers()`, `getnames()`, `extractfile()` (they write nothing); archives whose
type we cannot see (`archive.extractall()` on a parameter or an attribute, a name bound in
another function); a module that sets `extraction_filter` on `TarFile` or an archive anywhere
(the safe default is set globally); `shutil.unpack_archive` of a literal `.zip` name or with
`format="zip"`; `zipfile.ZipFile(...).extractall()`: zipfile drops `..` components and leading
slashes from member names and creates no symlinks, so it is the look-alike, not the bug.
A `members=` argument is still flagged without `filter=`: we cannot check the helper that
chooses the members, while the filter is checked by Python on every member.

**Fix.** Safe, for `TarFile.extractall()` / `extract()` without a filter (or with
`filter=None`): `filter="data"` is passed. Besides refusing members that escape, it refuses
device files and absolute symlinks and strips some permission bits, which a backup tool may
need (pass `filter="tar"` there), and Pythons older than the versions above reject the
argument. An explicit fully trusted filter and `shutil.unpack_archive` are left to a person.

**References.** CWE-22 (path traversal); PEP 706; bandit B202; ruff S202.
"""

from __future__ import annotations

from typing import Optional

from hooks.engine import edits
from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.tree import spreads_keywords
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity
from hooks.engine.tree import children

TAR_OPENERS = frozenset(
    {
        "tarfile.open",
        "tarfile.TarFile",
        *(
            f"tarfile.TarFile.{name}"
            for name in ("open", "taropen", "gzopen", "bz2open", "xzopen", "zstopen")
        ),
    }
)
CLOSING = "contextlib.closing"
EXTRACT_METHODS = frozenset({"extractall", "extract"})
UNPACK_ARCHIVE = "shutil.unpack_archive"
FULLY_TRUSTED = frozenset({"fully_trusted", "tarfile.fully_trusted_filter"})
DATA_FILTER = Fix(lambda call: edits.with_keyword(call, "filter", '"data"'))


class UnsafeArchiveExtraction(Rule):
    code = "DW402"
    name = "unsafe-archive-extraction"
    summary = "A tar archive is extracted without a filter, so members can land outside the target."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (22,)
    message = "`{func}` {why}: a member named `../x`, an absolute path or a link escapes the target"
    hint = 'pass filter="data" (Python 3.12+, and 3.8.17/3.9.17/3.10.12/3.11.4 and later)'
    triggers = ("tarfile", "unpack_archive")
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "import tarfile\n\ndef install(bundle, dest):\n"
            "    with tarfile.open(bundle, 'r:gz') as tar:\n        tar.extractall(dest)\n",
            ((5, 9),),
            severity=Severity.HIGH,
            fixed="import tarfile\n\ndef install(bundle, dest):\n"
            "    with tarfile.open(bundle, 'r:gz') as tar:\n"
            '        tar.extractall(dest, filter="data")\n',
        ),
        Bad(
            "import tarfile\n\ntar = tarfile.open(archive_path)\n"
            "tar.extractall(path=out_dir, filter=None)\ntar.close()\n",
            ((4, 1),),
            fixed="import tarfile\n\ntar = tarfile.open(archive_path)\n"
            'tar.extractall(path=out_dir, filter="data")\ntar.close()\n',
        ),
        Bad(
            "import tarfile\n\ndef unpack(archive, target):\n"
            "    tarfile.open(archive).extractall(target)\n",
            ((4, 5),),
            why="called on tarfile.open() directly",
            fixed="import tarfile\n\ndef unpack(archive, target):\n"
            '    tarfile.open(archive).extractall(target, filter="data")\n',
        ),
        Bad(
            "import io\nimport tarfile\n\ndef read_config(blob, workdir):\n"
            "    with tarfile.open(fileobj=io.BytesIO(blob)) as tf:\n"
            "        tf.extract('config.yaml', path=workdir)\n",
            ((6, 9),),
            fixed="import io\nimport tarfile\n\ndef read_config(blob, workdir):\n"
            "    with tarfile.open(fileobj=io.BytesIO(blob)) as tf:\n"
            "        tf.extract('config.yaml', path=workdir, filter=\"data\")\n",
        ),
        Bad(
            "import tarfile as tf\n\narchive = tf.TarFile.open(path, 'r:*')\n"
            "archive.extractall(dest)\n",
            ((4, 1),),
            why="an aliased import",
            fixed="import tarfile as tf\n\narchive = tf.TarFile.open(path, 'r:*')\n"
            'archive.extractall(dest, filter="data")\n',
        ),
        Bad(
            "import tarfile\n\nwith tarfile.open(path) as tar:\n"
            "    tar.extractall(dest, filter='fully_trusted')\n",
            ((4, 5),),
        ),
        Bad(
            "import tarfile\n\nwith tarfile.open(path) as tar:\n"
            "    tar.extractall(dest, members=safe_members(tar))\n",
            ((4, 5),),
            why="a members= helper is not a filter",
            fixed="import tarfile\n\nwith tarfile.open(path) as tar:\n"
            '    tar.extractall(dest, members=safe_members(tar), filter="data")\n',
        ),
        Bad(
            "import contextlib\nimport tarfile\n\n"
            "with contextlib.closing(tarfile.open(path)) as tar:\n    tar.extractall(dest)\n",
            ((5, 5),),
            fixed="import contextlib\nimport tarfile\n\n"
            "with contextlib.closing(tarfile.open(path)) as tar:\n"
            '    tar.extractall(dest, filter="data")\n',
        ),
        Bad(
            "import shutil\n\ndef handle_upload(upload_path, extract_dir):\n"
            "    shutil.unpack_archive(upload_path, extract_dir)\n",
            ((4, 5),),
            severity=Severity.MEDIUM,
        ),
        Ok(
            "import tarfile\n\nwith tarfile.open(bundle) as tar:\n"
            "    tar.extractall(dest, filter='data')\n",
        ),
        Ok("import tarfile\n\ntar = tarfile.open(p)\ntar.extract(member, dest, filter='tar')\n"),
        Ok(
            "import tarfile\n\nwith tarfile.open(p) as tar:\n"
            "    tar.extractall(dest, filter=reject_links)\n",
            why="a filter of your own",
        ),
        Ok(
            "import tarfile\n\nwith tarfile.open(p) as tar:\n    names = tar.getnames()\n"
            "    readme = tar.extractfile('README').read()\n",
        ),
        Ok(
            "import zipfile\n\nwith zipfile.ZipFile(upload) as zf:\n    zf.extractall(dest)\n",
            why="zipfile sanitises member names",
        ),
        Ok("archive.extractall(dest)\n", why="an object we cannot identify"),
        Ok(
            "import tarfile\n\ndef unpack(tar, dest):\n    tar.extractall(dest)\n",
            why="a parameter",
        ),
        Ok(
            "import tarfile\n\n"
            "tarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)\n"
            "with tarfile.open(p) as tar:\n    tar.extractall(dest)\n",
            why="the filter is set globally",
        ),
        Ok("import shutil\n\nshutil.unpack_archive(path, dest, filter='data')\n"),
        Ok("import shutil\n\nshutil.unpack_archive('assets.zip', dest)\n"),
        Ok("import shutil\n\nshutil.unpack_archive(path, dest, 'zip')\n"),
        Ok(
            "import tarfile\n\nwith tarfile.open(p) as tar:\n    pass\ntar = Bundle(p)\n"
            "tar.extractall(dest)\n",
            why="a name also bound to something else",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in EXTRACT_METHODS:
            if self._is_tarfile(func.value) and self._unfiltered(node):
                method = f"TarFile.{func.attr.value}"
                why = "extracts with no safe filter"
                self.report(node, func=method, why=why, fix=self._fix(node))
            return
        if self.ctx.resolve(func) != UNPACK_ARCHIVE:
            return
        if self._unfiltered(node) and not self._zip_archive(node):
            self.report(
                node,
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                func=UNPACK_ARCHIVE,
                why="unpacks with no safe filter",
            )

    def _fix(self, node: cst.Call) -> Optional[Fix]:
        """`filter="data"` where no filter (or None) is given; a fully trusted filter is a
        decision, and `**options` may already hold one."""
        if spreads_keywords(node):
            return None
        given = self.ctx.argument(node, None, "filter")
        if given is None:
            return DATA_FILTER
        value = given.value
        return DATA_FILTER if isinstance(value, cst.Name) and value.value == "None" else None

    def _unfiltered(self, node: cst.Call) -> bool:
        arg = self.ctx.argument(node, None, "filter")
        if arg is None:
            return not self._global_filter()
        value = arg.value
        if isinstance(value, cst.Name) and value.value == "None":
            return not self._global_filter()
        if isinstance(value, cst.SimpleString):
            return value.evaluated_value in FULLY_TRUSTED
        return self.ctx.resolve(value) in FULLY_TRUSTED

    def _zip_archive(self, node: cst.Call) -> bool:
        """A literal `format="zip"`, or no format and a literal `.zip` file name."""
        fmt = self.ctx.argument(node, 2, "format")
        if fmt is not None:
            return isinstance(fmt.value, cst.SimpleString) and fmt.value.evaluated_value == "zip"
        name = self.ctx.argument(node, 0, "filename")
        return (
            name is not None
            and isinstance(name.value, cst.SimpleString)
            and str(name.value.evaluated_value).lower().endswith(".zip")
        )

    def _is_opener(self, node: Optional[cst.BaseExpression]) -> bool:
        if not isinstance(node, cst.Call):
            return False
        func = self.ctx.resolve(node.func)
        if func == CLOSING and node.args:
            return self._is_opener(node.args[0].value)
        return func in TAR_OPENERS

    def _is_tarfile(self, node: cst.BaseExpression) -> bool:
        """Opened right here, or a name every binding of which (in this scope) opens a tar."""
        if self._is_opener(node):
            return True
        if not isinstance(node, cst.Name):
            return False
        scope = self.ctx.scopes[-1]
        bindings = scope.get(node.value)
        if not bindings:
            return False
        others = 0
        for binding in bindings:
            if binding.kind is Kind.OTHER:
                others += 1
            elif binding.kind is not Kind.ASSIGN or not self._is_opener(binding.value):
                return False
        # the engine records `with ... as name` without its value: count the tar ones ourselves
        return others == self._tar_with_targets(scope.node, node.value)

    def _tar_with_targets(self, scope: cst.CSTNode, name: str) -> int:
        count = 0
        stack = list(children(scope))
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue  # their own scopes
            if (
                isinstance(node, cst.WithItem)
                and node.asname is not None
                and isinstance(node.asname.name, cst.Name)
                and node.asname.name.value == name
                and self._is_opener(node.item)
            ):
                count += 1
            stack.extend(children(node))
        return count

    def _global_filter(self) -> bool:
        """Does the module set `extraction_filter` (on TarFile or an archive) anywhere?"""
        stack = list(children(self.ctx.scopes[0].node))
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in node.targets]
                    if isinstance(node, cst.Assign)
                    else [node.target]
                )
                if any(
                    isinstance(t, cst.Attribute) and t.attr.value == "extraction_filter"
                    for t in targets
                ):
                    return True
            stack.extend(children(node))
        return False
