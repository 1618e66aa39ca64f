"""--fix --unsafe-fixes over a sample of this interpreter's standard library, copied into a temp
dir: every file still parses, files without a finding keep every byte, fixed files keep no
fixable finding. bench/fix_corpus.py runs the same over the whole library."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from conftest import ROOT

SAMPLE = 60
MAX_SIZE = 40_000  # bytes: the sample stays quick


def _corpus_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fix_corpus", ROOT / "bench" / "fix_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_fixing_a_sample_of_the_standard_library_keeps_every_guarantee(tmp_path: Path) -> None:
    corpus = _corpus_module()
    files = corpus.sample(corpus.stdlib_files(max_size=MAX_SIZE), SAMPLE)
    assert len(files) == SAMPLE
    assert files == corpus.sample(corpus.stdlib_files(max_size=MAX_SIZE), SAMPLE)  # stable
    result = corpus.run_corpus(files, str(tmp_path))
    assert result.broken == []
    assert result.changed > 0, "the sample must hold something to fix, or it proves nothing"
    assert result.fixes >= result.changed
    assert result.with_findings > result.changed, "files with only unfixable findings stay"
