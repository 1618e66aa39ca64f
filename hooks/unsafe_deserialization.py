"""unsafe-deserialization: loading data with formats that can run code while they load.

**What it finds.** DW201: pickle and its relatives (`pickle`, `cPickle`, `_pickle`, `dill`,
`cloudpickle`, `joblib`, `marshal`, `shelve`, `jsonpickle`, `pandas.read_pickle`). DW202:
`yaml.load` / `load_all` without a safe loader, and `unsafe_load` / `full_load`. DW203: model and
array loaders that unpickle: `torch.load` without `weights_only=True`, `numpy.load` with
`allow_pickle=True`.

**Why it matters in assistant-written code.** "Save the object and load it later" comes out as
pickle nine times in ten, and `yaml.load(f)` is the idiom of older tutorials. A pickle stream is a
program: loading one from a cache, an upload or a downloaded model runs the sender's code.

**Bad**

```python
config = yaml.load(open(path))
state = pickle.loads(request.data)
model = torch.load(checkpoint)
```

**Good**

```python
config = yaml.safe_load(open(path))
state = json.loads(request.data)
model = torch.load(checkpoint, weights_only=True)
```

**Not flagged.** `yaml.load` with `SafeLoader`, `CSafeLoader` or `BaseLoader`, and with a loader
class we cannot resolve (often a SafeLoader subclass); `pickle.dumps`; `json.load`;
`torch.load(..., weights_only=True)`; `numpy.load` without `allow_pickle`.

**Fix.** Safe, for two of them. DW202: `yaml.load(x)` and `yaml.load(x, Loader=...)` with a
loader we know is unsafe become `yaml.safe_load(x)` (`load_all` becomes `safe_load_all`), through
the alias the file uses (`y.load` -> `y.safe_load`; after `from yaml import load`, `safe_load` is
imported too). A document with Python tags then fails to load instead of building objects.
`unsafe_load` and `full_load` are left to a person: the name says someone chose them. DW203:
`torch.load(f)` gets `weights_only=True` (the default since torch 2.6); a checkpoint holding
more than tensors then fails to load. An explicit `weights_only=False` and numpy's
`allow_pickle=True` are left as they are. DW201 has no fix: which data format replaces pickle is a
decision, not a rewrite.

**References.** CWE-502 (deserialization of untrusted data); bandit B301, B403, B506, B614;
ruff S301, S506.
"""

from __future__ import annotations

from typing import Optional

from hooks.engine import edits
from hooks.engine.cli import hook_entry
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity

PICKLE_MODULES = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
PICKLE_LOADERS = frozenset(
    {
        *(f"{m}.{f}" for m in PICKLE_MODULES for f in ("load", "loads", "Unpickler")),
        "joblib.load",
        "marshal.load",
        "marshal.loads",
        "shelve.open",
        "shelve.DbfilenameShelf",
        "jsonpickle.decode",
        "jsonpickle.unpickler.decode",
        "pandas.read_pickle",
    }
)
YAML_UNSAFE_CALLS = frozenset(
    {"yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all"}
)
YAML_LOADS = frozenset({"yaml.load", "yaml.load_all"})
YAML_SAFE_LOADERS = frozenset(
    f"yaml.{name}" for name in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
)
YAML_UNSAFE_LOADERS = frozenset(
    f"yaml.{name}"
    for name in ("Loader", "CLoader", "FullLoader", "CFullLoader", "UnsafeLoader", "CUnsafeLoader")
)


def _has_double_star(node: cst.Call) -> bool:
    """A `**options` argument may already hold the keyword a fix would add."""
    return any(arg.star == "**" for arg in node.args)


WEIGHTS_ONLY = Fix(lambda call: edits.with_keyword(call, "weights_only", "True"))


class PickleLoad(Rule):
    code = "DW201"
    name = "pickle-load"
    summary = "Data is loaded with pickle or a relative, which runs code while it loads."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (502,)
    message = "`{func}` runs code embedded in the data it loads"
    hint = "load data with json (or another data-only format); never unpickle what others can write"
    triggers = (*PICKLE_MODULES, "joblib", "marshal", "shelve", "jsonpickle", "read_pickle")
    options = {"extra-functions": ()}
    examples = (
        Bad("import pickle\nobj = pickle.loads(blob)\n", ((2, 7),)),
        Bad("import cPickle as pickle\npickle.load(f)\n", ((2, 1),)),
        Bad("from dill import loads\nloads(data)\n", ((2, 1),)),
        Bad("import pandas as pd\ndf = pd.read_pickle(path)\n", ((2, 6),)),
        Bad("import shelve\ndb = shelve.open('cache')\n", ((2, 6),)),
        Bad("import joblib\nclf = joblib.load('model.joblib')\n", ((2, 7),)),
        Bad("import marshal\ncode = marshal.loads(data)\n", ((2, 8),)),
        Bad("import jsonpickle\njsonpickle.decode(text)\n", ((2, 1),)),
        Bad(
            "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
            "pickle.load(f)\n",
            ((5, 1),),
        ),
        Ok("import pickle\nblob = pickle.dumps(obj)\n"),
        Ok("import json\njson.loads(text)\n"),
        Ok("loads(data)\n", why="an unknown function"),
        Ok("import pickle\ndef f(pickle):\n    pickle.loads(x)\n", why="shadowed by a parameter"),
        Ok("cache.load(key)\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        extra = self.opts["extra-functions"]
        if func in PICKLE_LOADERS or (isinstance(extra, tuple) and func in extra):
            data = self.ctx.argument(node, 0, "")
            value = (data.value, self.ctx.origin(data.value, sink="data")) if data else None
            self.report(node, value=value, func=func)


class YamlLoad(Rule):
    code = "DW202"
    name = "yaml-unsafe-load"
    summary = "YAML is loaded with a loader that can build arbitrary Python objects."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (502,)
    message = "`{func}` {why}, which can build arbitrary Python objects"
    hint = "use yaml.safe_load (or Loader=yaml.SafeLoader)"
    triggers = ("yaml",)
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "import yaml\nyaml.load(stream)\n",
            ((2, 1),),
            fixed="import yaml\nyaml.safe_load(stream)\n",
        ),
        Bad(
            "import yaml\nyaml.load(s, Loader=yaml.FullLoader)\n",
            ((2, 1),),
            fixed="import yaml\nyaml.safe_load(s)\n",
        ),
        Bad(
            "import yaml\nyaml.load_all(s, yaml.UnsafeLoader)\n",
            ((2, 1),),
            fixed="import yaml\nyaml.safe_load_all(s)\n",
        ),
        Bad("import yaml\ndata = yaml.unsafe_load(text)\n", ((2, 8),)),
        Bad("import yaml as y\ny.full_load(f)\n", ((2, 1),)),
        Bad(
            "import yaml as y\n\nconfig = y.load(\n    open(path),  # the settings file\n"
            "    Loader=y.Loader,\n)\n",
            ((3, 10),),
            why="the alias stays, and so does the comment",
            fixed="import yaml as y\n\nconfig = y.safe_load(\n"
            "    open(path),  # the settings file\n)\n",
        ),
        Bad(
            "from yaml import load, Loader\nload(f, Loader=Loader)\n",
            ((2, 1),),
            fixed="from yaml import safe_load, load, Loader\nsafe_load(f)\n",
        ),
        Bad(
            "import yaml\ndef parse(stream, **options):\n    return yaml.load(stream, **options)\n",
            ((3, 12),),
            why="not fixed: the options may name a loader",
        ),
        Ok("import yaml\nyaml.safe_load(stream)\n"),
        Ok("import yaml\nyaml.load(s, Loader=yaml.SafeLoader)\n"),
        Ok("import yaml\nyaml.load(s, yaml.CSafeLoader)\n"),
        Ok("import yaml\nyaml.load(s, Loader=ProjectLoader)\n", why="an unresolved loader class"),
        Ok("import json\njson.load(f)\n"),
        Ok("config.load(f)\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in YAML_UNSAFE_CALLS:
            self.report(node, func=func, why="uses an unsafe loader")
            return
        if func not in YAML_LOADS:
            return
        loader = self.ctx.argument(node, 1, "Loader")
        if loader is None:
            self.report(node, func=func, why="without a safe Loader", fix=self._fix(node, func))
            return
        loader_name = self.ctx.resolve(loader.value)
        if loader_name in YAML_UNSAFE_LOADERS:
            self.report(node, func=func, why=f"with {loader_name}", fix=self._fix(node, func))

    def _fix(self, node: cst.Call, func: str) -> Optional[Fix]:
        """`load` -> `safe_load` through the file's own alias, the loader argument dropped."""
        if any(arg.star for arg in node.args):
            return None
        safe = "safe_" + func.rsplit(".", 1)[1]
        imports: "tuple[tuple[str, Optional[str]], ...]" = ()
        if isinstance(node.func, cst.Name):  # `from yaml import load`: import safe_load too
            if not self.ctx.free_for(safe, f"yaml.{safe}"):
                return None
            imports = (("yaml", safe),)
        loader = self.ctx.argument(node, 1, "Loader")
        by_keyword = loader is not None and loader.keyword is not None

        def edit(call: cst.Call) -> cst.Call:
            call = edits.renamed(call, safe)
            if loader is None:
                return call
            if by_keyword:
                return edits.without_keyword(call, "Loader")
            return edits.without_positional(call, 1)

        return Fix(edit, imports)


class PickledModelLoad(Rule):
    code = "DW203"
    name = "pickled-model-load"
    summary = "A model or array loader unpickles its input (torch.load, numpy allow_pickle)."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (502,)
    message = "`{func}` {why}: a crafted file runs code when loaded"
    hint = "pass weights_only=True to torch.load; leave numpy's allow_pickle off"
    triggers = ("torch", "allow_pickle")
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "import torch\nmodel = torch.load(path)\n",
            ((2, 9),),
            fixed="import torch\nmodel = torch.load(path, weights_only=True)\n",
        ),
        Bad(
            "import torch\ntorch.load(f, weights_only=False)\n",
            ((2, 1),),
            why="not fixed: someone turned it off on purpose",
        ),
        Bad("import numpy as np\narr = np.load(path, allow_pickle=True)\n", ((2, 7),)),
        Bad(
            "from torch import load\nload(f, map_location='cpu')\n",
            ((2, 1),),
            fixed="from torch import load\nload(f, map_location='cpu', weights_only=True)\n",
        ),
        Ok("import torch\ntorch.load(path, weights_only=True)\n"),
        Ok("import numpy as np\nnp.load(path)\n"),
        Ok("import numpy as np\nnp.load(path, allow_pickle=False)\n"),
        Ok("import torch\ntorch.save(model, path)\n"),
        Ok("model.load(path)\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func == "torch.load":
            given = self.ctx.argument(node, None, "weights_only")
            weights_only = self.ctx.truthy_constant(given)
            if weights_only is not True:
                # only a missing argument is ours to add: `weights_only=False` is a decision
                fix = None if given is not None or _has_double_star(node) else WEIGHTS_ONLY
                why = "without weights_only=True unpickles the file"
                self.report(node, func=func, why=why, fix=fix)
        elif func == "numpy.load":
            allow = self.ctx.truthy_constant(self.ctx.argument(node, None, "allow_pickle"))
            if allow is True:
                self.report(node, func=func, why="with allow_pickle=True unpickles object arrays")


main = hook_entry(__name__)
