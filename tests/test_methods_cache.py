"""libcst's dataclass methods, compiled once and read back: the same methods, never a wrong
one, and only where Python itself would write bytecode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parent.parent

# counts the compilations of dataclasses' generated methods, not any other
COUNTER = """
import json, sys
compiled = []
def audit(event, args):  # dataclasses' generated methods, not other compilations
    source = args[0] if event == "compile" else None
    if isinstance(source, bytes):
        source = source.decode()
    if isinstance(source, str) and source.startswith("def __create_fn__"):
        compiled.append(1)
sys.addaudithook(audit)
"""
# what a run compiled, and a digest of what libcst's node types are: every generated method's
# signature, annotations and behaviour on a node
LIBCST_DIGEST = """
import inspect
import hooks.engine.methods_cache as cache
libcst = cache.import_libcst()
import dataclasses
shapes = {}
for name in sorted(dir(libcst)):
    kind = getattr(libcst, name)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        init = kind.__init__
        shapes[name] = [str(inspect.signature(init)), repr(sorted(init.__annotations__.items()))]
node = libcst.Name("x")
try:
    node.value = "y"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
behaviour = [repr(node), node == libcst.Name("x"), hash(node) == hash(libcst.Name("x")), frozen]
print(json.dumps({"compiled": len(compiled), "shapes": shapes, "behaviour": behaviour,
                  "file": cache.cache_path()}))
"""
PROBE = COUNTER + LIBCST_DIGEST


def probe(prefix: Path, **env: str) -> Dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(prefix), **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, check=True
    )
    found: Dict[str, object] = json.loads(result.stdout)
    return found


def test_the_second_run_compiles_nothing_and_gets_the_same_methods(tmp_path: Path) -> None:
    first = probe(tmp_path)
    path = Path(str(first["file"]))
    assert path.is_file() and str(path).startswith(str(tmp_path)), "beside our bytecode"
    assert first["compiled"] > 100  # libcst's few hundred node types
    second = probe(tmp_path)
    assert second["compiled"] == 0
    assert second["shapes"] == first["shapes"] and second["behaviour"] == first["behaviour"]
    assert first["behaviour"][-1] is True, "frozen: the generated __setattr__ works"


def test_the_methods_are_those_of_a_plain_import(tmp_path: Path) -> None:
    """Compiled here with no __future__ flags, as dataclasses' own `exec` compiles them: with
    `annotations` inherited, every __init__ would get string annotations."""
    plain = subprocess.run(
        [sys.executable, "-c", PROBE.replace("cache.import_libcst()", "__import__('libcst')")],
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(tmp_path / "p")},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    probe(tmp_path)
    cached = probe(tmp_path)
    assert cached["compiled"] == 0
    expected = json.loads(plain.stdout)
    assert (cached["shapes"], cached["behaviour"]) == (expected["shapes"], expected["behaviour"])


def test_an_unreadable_cache_is_compiled_again_and_rewritten(tmp_path: Path) -> None:
    path = Path(str(probe(tmp_path)["file"]))
    path.write_bytes(b"not a marshal file")
    again = probe(tmp_path)
    assert again["compiled"] > 100 and again["behaviour"][-1] is True
    assert probe(tmp_path)["compiled"] == 0, "the broken file was replaced"


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path) -> None:
    found = probe(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert found["compiled"] > 100
    assert not Path(str(found["file"])).exists()


RUN = """
from hooks.engine.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, len(compiled)]))
"""
RUN_PROBE = COUNTER + RUN


def test_a_full_run_compiles_its_dataclass_methods_once(tmp_path: Path) -> None:
    """The engine's, the hooks' and libcst's dataclasses: a second run compiles none."""
    (tmp_path / "risky.py").write_text("import os\n\nos.system(command)\n")
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"))

    def run() -> "list[int]":
        argv = [sys.executable, "-c", RUN_PROBE, "--scope", "file", "--no-cache", "risky.py"]
        result = subprocess.run(
            argv, cwd=tmp_path, env=environ, capture_output=True, text=True, check=True
        )
        found: "list[int]" = json.loads(result.stdout.strip().splitlines()[-1])
        return found

    first = run()
    assert first[0] == 1 and first[1] > 100
    assert run() == [1, 0]
