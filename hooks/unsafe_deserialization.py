"""unsafe-deserialization: loading data with formats that can run code while they load.

**What it finds.** DW201: pickle and its relatives (`pickle`, `cPickle`, `_pickle`, `dill`,
`cloudpickle`, `joblib`, `marshal`, `shelve`, `jsonpickle`, `pandas.read_pickle`). DW202:
`yaml.load` / `load_all` without a safe loader, and `unsafe_load` / `full_load`. DW203: model and
array loaders that unpickle: `torch.load` without `weights_only=True`, `numpy.load` with
`allow_pickle=True`. DW204: Hugging Face Hub downloads not pinned to a commit: transformers /
diffusers / peft / sentence-transformers `from_pretrained`, `SentenceTransformer(...)`,
`transformers.pipeline(model=...)`, `huggingface_hub.hf_hub_download` / `snapshot_download` and
`datasets.load_dataset`, given a Hub repository id and no `revision`, or a branch or tag
(`"main"`, `"v1.0"`) instead of a 40-character commit hash. High with `trust_remote_code=True`,
which runs the repository's Python code.

**Why it matters in assistant-written code.** "Save the object and load it later" comes out as
pickle nine times in ten, and `yaml.load(f)` is the idiom of older tutorials. A pickle stream is a
program: loading one from a cache, an upload or a downloaded model runs the sender's code.
Model cards show `from_pretrained("org/model")` with no revision, so that is what gets written;
whoever can push to that repository (or take over the account) then decides what the next
download loads, pickled weights and remote code included.

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
`torch.load(..., weights_only=True)`; `numpy.load` without `allow_pickle`. For DW204: a revision
that is a commit hash or computed (`revision=MODEL_REVISION` from config); a model id that is
computed (it is often a local checkpoint folder) or a literal local path (`./model`, `/models/x`,
`~/...`); `load_dataset` of the packaged builders (`"csv"`, `"json"`, `"parquet"`, ...), which
read local files; `from_pretrained` on classes we cannot resolve (a project's own model class).

**Fix.** Safe, for two of them. DW202: `yaml.load(x)` and `yaml.load(x, Loader=...)` with a
loader we know is unsafe become `yaml.safe_load(x)` (`load_all` becomes `safe_load_all`), through
the alias the file uses (`y.load` -> `y.safe_load`; after `from yaml import load`, `safe_load` is
imported too). A document with Python tags then fails to load instead of building objects.
`unsafe_load` and `full_load` are left to a person: the name says someone chose them. DW203:
`torch.load(f)` gets `weights_only=True` (the default since torch 2.6); a checkpoint holding
more than tensors then fails to load. An explicit `weights_only=False` and numpy's
`allow_pickle=True` are left as they are. DW201 has no fix: which data format replaces pickle is a
decision, not a rewrite.

**References.** CWE-502 (deserialization of untrusted data), CWE-494 (download of code without
integrity check); bandit B301, B403, B506, B614, B615; ruff S301, S506.
"""

from __future__ import annotations

from typing import Optional

from hooks.engine import edits
from hooks.engine.lazy import cst
from hooks.engine.tree import spreads_keywords
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity
from hooks.engine.lazyre import lazy_re

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
# jsonpickle's decoder class: `Unpickler().restore(obj)` is what `decode` calls
JSONPICKLE_UNPICKLERS = frozenset({"jsonpickle.unpickler.Unpickler", "jsonpickle.Unpickler"})
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


WEIGHTS_ONLY = Fix(lambda call: edits.with_keyword(call, "weights_only", "True"))


# Hugging Face Hub downloads: qualified name (or prefix, for from_pretrained) -> the parameter
# that names the repository
HUB_FROM_PRETRAINED = ("transformers.", "diffusers.", "peft.", "sentence_transformers.")
HUB_CALLS = {
    "huggingface_hub.hf_hub_download": "repo_id",
    "huggingface_hub.snapshot_download": "repo_id",
    "datasets.load_dataset": "path",
    "sentence_transformers.SentenceTransformer": "model_name_or_path",
    "transformers.pipeline": "model",
}
# load_dataset's packaged builders read local files: nothing is downloaded from the Hub
DATASET_BUILDERS = frozenset(
    {
        "csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder",
        "videofolder", "webdataset", "sql", "xml", "generator", "cache",
    }
)  # fmt: skip
COMMIT_HASH = lazy_re(r"[0-9a-f]{40}")
HUB_ID = lazy_re(r"[A-Za-z0-9][\w.-]*(?:/[\w.-]+)?")


def _hub_id(value: cst.BaseExpression) -> Optional[str]:
    """The repository id a literal names on the Hub; None for local paths and computed values."""
    if not isinstance(value, cst.SimpleString):
        return None
    text = value.evaluated_value
    if not isinstance(text, str) or not HUB_ID.fullmatch(text) or text.startswith("."):
        return None
    return text


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
        Bad(
            "import jsonpickle\nstate = jsonpickle.unpickler.Unpickler().restore(payload)\n",
            ((2, 9),),
            why="the class behind jsonpickle.decode",
        ),
        Ok("import jsonpickle\ntext = jsonpickle.encode(state)\n"),
        Ok("backup.Unpickler().restore(snapshot)\n", why="an unknown object's restore"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None and isinstance(node.func, cst.Attribute):
            func = self._jsonpickle_restore(node.func)
            known = func is not None
        else:
            known = func in PICKLE_LOADERS
        extra = self.opts["extra-functions"]
        if func is not None and (known or (isinstance(extra, tuple) and func in extra)):
            data = self.ctx.argument(node, 0, "")
            value = (data.value, self.ctx.origin(data.value, sink="data")) if data else None
            self.report(node, value=value, func=func)

    def _jsonpickle_restore(self, func: cst.Attribute) -> Optional[str]:
        """`jsonpickle.unpickler.Unpickler().restore`: a method of an instance made in place."""
        made = func.value
        if func.attr.value != "restore" or not isinstance(made, cst.Call):
            return None
        maker = self.ctx.resolve(made.func)
        return f"{maker}().restore" if maker in JSONPICKLE_UNPICKLERS else None


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
                fix = None if given is not None or spreads_keywords(node) else WEIGHTS_ONLY
                why = "without weights_only=True unpickles the file"
                self.report(node, func=func, why=why, fix=fix)
        elif func == "numpy.load":
            allow = self.ctx.truthy_constant(self.ctx.argument(node, None, "allow_pickle"))
            if allow is True:
                self.report(node, func=func, why="with allow_pickle=True unpickles object arrays")


class UnpinnedHubDownload(Rule):
    code = "DW204"
    name = "unpinned-model-download"
    summary = "A model or dataset is downloaded from the Hugging Face Hub without a pinned commit."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (494,)
    message = "`{func}` downloads `{repo}` {how}: whoever can push to it decides what is loaded"
    hint = "pass revision= the full 40-character commit hash you reviewed"
    triggers = (
        "from_pretrained", "hf_hub_download", "snapshot_download", "load_dataset", "transformers",
        "SentenceTransformer",
    )  # fmt: skip
    examples = (
        Bad(
            "from transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
            "MODEL = 'mistralai/Mistral-7B-Instruct-v0.2'\n"
            "tokenizer = AutoTokenizer.from_pretrained('mistralai/Mistral-7B-Instruct-v0.2')\n",
            ((4, 13),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "import transformers\n"
            "model = transformers.AutoModel.from_pretrained(\n"
            "    'org/encoder', revision='main', trust_remote_code=True\n"
            ")\n",
            ((2, 9),),
            severity=Severity.HIGH,
            why="a moving branch, and the repository's code is run",
        ),
        Bad(
            "from huggingface_hub import hf_hub_download\n"
            "path = hf_hub_download(repo_id='org/detector', filename='m.pkl', revision='v1.2')\n",
            ((2, 8),),
            why="a tag can be moved",
        ),
        Bad(
            "from huggingface_hub import snapshot_download\n"
            "snapshot_download('org/model_name', local_dir='weights')\n",
            ((2, 1),),
        ),
        Bad(
            "from datasets import load_dataset\nds = load_dataset('imdb', split='train')\n",
            ((2, 6),),
        ),
        Bad(
            "from transformers import pipeline\n"
            "classify = pipeline('sentiment-analysis', model='distilbert-base-uncased')\n",
            ((2, 12),),
        ),
        Bad(
            "from sentence_transformers import SentenceTransformer\n"
            "encoder = SentenceTransformer('sentence-transformers/all-MiniLM-L6-v2')\n",
            ((2, 11),),
        ),
        Ok(
            "from transformers import AutoModel\n"
            "model = AutoModel.from_pretrained(\n"
            "    'org/model_name', revision='deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'\n"
            ")\n",
            why="pinned to a commit",
        ),
        Ok(
            "from transformers import AutoModel\n"
            "model = AutoModel.from_pretrained('./checkpoints/best')\n",
            why="a local folder",
        ),
        Ok(
            "from transformers import AutoModel\n"
            "from app.config import MODEL_ID, MODEL_REVISION\n"
            "model = AutoModel.from_pretrained(MODEL_ID, revision=MODEL_REVISION)\n",
            why="id and revision from configuration",
        ),
        Ok(
            "from transformers import AutoTokenizer\n"
            "def load(path):\n    return AutoTokenizer.from_pretrained(path)\n",
            why="a computed id: often a local checkpoint",
        ),
        Ok(
            "from datasets import load_dataset\n"
            "ds = load_dataset('csv', data_files={'train': 'train.csv'})\n",
            why="a packaged builder reading local files",
        ),
        Ok(
            "from app.models import Classifier\nclf = Classifier.from_pretrained('org/clf')\n",
            why="a class we cannot resolve",
        ),
        Ok(
            "from transformers import AutoModel\n\n"
            "def f(AutoModel):\n    return AutoModel.from_pretrained('org/x')\n",
            why="shadowed by a parameter",
        ),
        Ok("NOTE = 'AutoModel.from_pretrained(\"org/x\") without revision'\n", why="text"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            return
        if func.endswith(".from_pretrained") and func.startswith(HUB_FROM_PRETRAINED):
            repo = self.ctx.argument(node, 0, "pretrained_model_name_or_path")
        elif func in HUB_CALLS:
            position = None if func == "transformers.pipeline" else 0
            repo = self.ctx.argument(node, position, HUB_CALLS[func])
        else:
            return
        repo_id = _hub_id(repo.value) if repo is not None else None
        if repo_id is None or (func == "datasets.load_dataset" and repo_id in DATASET_BUILDERS):
            return
        revision = self.ctx.argument(node, None, "revision")
        if revision is None:
            how = "without a pinned revision"
        elif isinstance(revision.value, cst.SimpleString):
            pinned = revision.value.evaluated_value
            if not isinstance(pinned, str) or COMMIT_HASH.fullmatch(pinned):
                return
            how = f"at revision `{pinned}`, which can be moved"
        else:
            return
        remote_code = self.ctx.truthy_constant(self.ctx.argument(node, None, "trust_remote_code"))
        severity = Severity.HIGH if remote_code else Severity.MEDIUM
        self.report(node, severity=severity, func=func, repo=repo_id, how=how)
