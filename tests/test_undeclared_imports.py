"""DW604 against real git repositories: the project context is read from the working tree.

Each test builds a project in a tmp folder (pyproject, Poetry, requirements, setup.cfg,
Pipfile), commits it, stages a Python file and runs the CLI the way pre-commit does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from cli_helpers import Run, run_cli, write
from conftest import commit_all, environ_without_git_vars, git
from hooks._imports import imports_in
from hooks.dependency_guard import CANDIDATE_IMPORTS
from hooks._project import import_names
from hooks._pypi import snapshot

PYPROJECT = (
    '[project]\nname = "shop-api"\nversion = "1.0"\ndependencies = ["requests>=2.31"]\n'
    '[project.optional-dependencies]\ndev = ["pytest>=8"]\n'
)


def project(repo: Path, files: Dict[str, str]) -> None:
    """Commit `files` (the project's declarations and modules) as the base of the change."""
    for name, content in files.items():
        write(repo / name, content)
    commit_all(repo, "project")


def check(repo: Path, path: str, code: str, *args: str) -> Run:
    """Stage `path` with `code` and run DW604 on the staged change."""
    write(repo / path, code)
    git(repo, "add", "-A")
    return run_cli(repo, "--select", "DW604", "--format", "json", *args, path)


def found(run: Run) -> List[Tuple[str, int, int, str]]:
    return run.findings()


def test_a_declared_import_passes_and_an_invented_one_is_reported(repo: Path) -> None:
    project(repo, {"pyproject.toml": PYPROJECT})
    quiet = check(repo, "shop/client.py", "import requests\nimport pytest\n")
    assert (quiet.code, found(quiet)) == (0, [])
    loud = check(repo, "shop/client.py", "import requests\nimport reqeusts_toolbelt2\n")
    assert (loud.code, found(loud)) == (1, [("shop/client.py", 2, 8, "DW604")])
    [(_, _, _, message)] = loud.messages()
    assert "`reqeusts_toolbelt2` is imported, but no dependency the project declares" in message
    assert "(declared in pyproject.toml)" in message
    assert f"PyPI has no project of that name either (snapshot of {snapshot().date})" in message


def test_a_misspelt_import_gets_a_guess_and_a_real_undeclared_one_no_pypi_note(
    repo: Path,
) -> None:
    project(repo, {"pyproject.toml": PYPROJECT})
    run = check(repo, "app.py", "import reqeusts\nimport flask\n")
    assert found(run) == [("app.py", 1, 8, "DW604"), ("app.py", 2, 8, "DW604")]
    misspelt, real = (message for *_, message in run.messages())
    assert misspelt.endswith("did you mean `requests`?")
    assert "PyPI has no project" not in real and "did you mean" not in real


def test_only_imports_the_change_adds_and_new_to_the_file_are_judged(repo: Path) -> None:
    project(
        repo,
        {"pyproject.toml": PYPROJECT, "app.py": "import flask\n\n\ndef run():\n    pass\n"},
    )
    code = "import flask\n\n\ndef run():\n    from flask import Flask\n    import celery\n"
    run = check(repo, "app.py", code)
    # flask was imported before the change: only celery is this change's news
    assert found(run) == [("app.py", 6, 12, "DW604")]


def test_poetry_tables_declare_dependencies(repo: Path) -> None:
    pyproject = (
        '[tool.poetry]\nname = "bot"\n[tool.poetry.dependencies]\npython = "^3.10"\n'
        'PyYAML = "^6"\nPillow = { version = "^10", extras = ["webp"] }\n'
        '[tool.poetry.group.test.dependencies]\nhypothesis = "*"\n'
    )
    project(repo, {"pyproject.toml": pyproject})
    code = "import yaml\nfrom PIL import Image\nimport hypothesis\nimport requests\n"
    assert found(check(repo, "bot/main.py", code)) == [("bot/main.py", 4, 8, "DW604")]


def test_requirements_files_declare_dependencies_in_any_folder_on_the_way(repo: Path) -> None:
    project(
        repo,
        {
            "requirements.txt": "-r requirements/base.txt\n",
            "requirements/base.txt": "beautifulsoup4==4.12.3\npython-dateutil\n",
            "tools/requirements-dev.in": "opencv-python-headless\n",
        },
    )
    code = "from bs4 import BeautifulSoup\nfrom dateutil import parser\nimport cv2\n"
    assert found(check(repo, "tools/crawl.py", code)) == []
    # a subfolder of the root declares for the whole project (`tests/requirements/`)...
    assert found(check(repo, "crawl.py", code)) == []
    # ...but not one deeper down, off the file's way to the root
    write(repo / "tools/requirements-dev.in", "")
    write(repo / "tools/vision/requirements.txt", "opencv-python-headless\n")
    assert found(check(repo, "crawl.py", code)) == [("crawl.py", 3, 8, "DW604")]
    assert found(check(repo, "tools/vision/see.py", code)) == []


def test_setup_cfg_and_pipfile_declare_dependencies(repo: Path) -> None:
    project(
        repo,
        {
            "setup.cfg": "[options]\ninstall_requires =\n    scikit-learn>=1.4\n"
            "[options.extras_require]\nplots = matplotlib\n",
            "Pipfile": '[packages]\ndjangorestframework = "*"\n',
        },
    )
    code = (
        "import sklearn\nfrom mpl_toolkits import mplot3d\nfrom rest_framework import views\n"
        "import pandas\n"
    )
    assert found(check(repo, "lab.py", code)) == [("lab.py", 4, 8, "DW604")]


def test_optional_and_type_checking_imports_pass(repo: Path) -> None:
    project(repo, {"pyproject.toml": PYPROJECT})
    code = (
        "from typing import TYPE_CHECKING\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
        "try:\n    from lxml import etree\nexcept (ModuleNotFoundError, OSError):\n"
        "    etree = None\n"
        "if TYPE_CHECKING:\n    from mypy_boto3_s3 import S3Client\n"
        "try:\n    import orjson\nexcept ValueError:\n    orjson = None\n"
    )
    # a ValueError handler does not make orjson optional
    assert found(check(repo, "fast.py", code)) == [("fast.py", 13, 12, "DW604")]


def test_the_projects_own_modules_pass(repo: Path) -> None:
    project(
        repo,
        {
            "pyproject.toml": PYPROJECT,
            "src/shop_core/__init__.py": "",
            "scripts/helpers.py": "",
            "conftest.py": "",
        },
    )
    code = (
        "import shop_core\nfrom shop_api import settings\nimport helpers\nimport conftest\n"
        "from . import sibling\nimport scripts.helpers\n"
    )
    assert found(check(repo, "scripts/tool.py", code)) == []


def test_no_declared_dependency_means_no_context_and_no_finding(repo: Path) -> None:
    project(repo, {"pyproject.toml": "[tool.ruff]\nline-length = 100\n"})
    assert found(check(repo, "app.py", "import reqeusts_toolbelt2\n")) == []


def test_dependencies_only_setup_py_knows_mean_no_context(repo: Path) -> None:
    project(
        repo,
        {
            "setup.py": "from setuptools import setup\nsetup(install_requires=['flask'])\n",
            "requirements-dev.txt": "pytest\n",
            # a conda file off the way is skipped, not a reason to stay silent
            "binder/environment.yml": "dependencies:\n  - numpy\n",
        },
    )
    assert found(check(repo, "app.py", "import flask\nimport reqeusts_toolbelt2\n")) == []
    write(repo / "setup.py", "from setuptools import setup\nsetup()\n")
    assert found(check(repo, "app.py", "import flask\n")) == [("app.py", 1, 8, "DW604")]


def test_known_imports_maps_a_module_or_accepts_it(repo: Path) -> None:
    pyproject = PYPROJECT.replace('"requests>=2.31"', '"requests>=2.31", "mycorp-platform"') + (
        "[tool.diffwarden.rules.undeclared-import]\n"
        'known-imports = ["bpy", "mycorp_*=ignored", "corpkit=mycorp-platform", "orphan=absent"]\n'
    )
    project(repo, {"pyproject.toml": pyproject})
    code = "import bpy\nimport corpkit\nimport orphan\nimport mycorp_tools\n"
    run = check(repo, "addon.py", code, "--ignore", "DW601")
    # `orphan` maps to a distribution the project does not declare; a mapping is no glob
    assert found(run) == [("addon.py", 3, 8, "DW604"), ("addon.py", 4, 8, "DW604")]


def test_the_cached_result_follows_the_declarations(repo: Path) -> None:
    project(repo, {"pyproject.toml": PYPROJECT})
    code = "import httpx\n"
    assert found(check(repo, "app.py", code)) == [("app.py", 1, 8, "DW604")]
    write(repo / "pyproject.toml", PYPROJECT.replace('"requests>=2.31"', '"httpx"'))
    assert found(check(repo, "app.py", code)) == []


def test_a_clean_commit_of_stdlib_imports_never_reads_the_project(repo: Path) -> None:
    project(repo, {"pyproject.toml": PYPROJECT})
    write(repo / "calc.py", "from __future__ import annotations\nimport json, os.path\n")
    git(repo, "add", "-A")
    probe = (
        "import json, sys; from hooks.engine.cli import main; code = main(sys.argv[1:]); "
        "print(json.dumps([code, 'hooks._project' in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "--no-cache", "calc.py"],
        cwd=repo,
        env=environ_without_git_vars(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert result.stderr == b"", result.stderr.decode()
    assert json.loads(result.stdout.decode().splitlines()[-1]) == [0, False]


def test_import_names_of_distributions() -> None:
    assert {"yaml"} <= import_names("PyYAML")
    assert {"dateutil", "python_dateutil"} <= import_names("python-dateutil")
    assert {"google", "google_cloud_storage"} <= import_names("google-cloud-storage")
    assert {"ruamel", "ruamel_yaml"} <= import_names("ruamel.yaml")
    assert {"opensearchpy", "opensearch"} <= import_names("opensearch-py")
    assert "mysql" in import_names("mysql-connector-python")
    assert "fitz" in import_names("PyMuPDF")
    assert "corpkit" in import_names("mycorp-platform", {"mycorp-platform": ("corpkit",)})
    assert "requests" not in import_names("httpx")


def test_imports_in_positions_and_guards() -> None:
    text = (
        "import a.b as c, d\nfrom e.f import (g,\n    h)\nfrom .i import j\n"
        "x = 1; import k\nif typing.TYPE_CHECKING:\n    import m\nelse:\n    import n\n"
        "s = 'é'; import o\n"
    )
    got = [(i.module, i.line, i.col, i.optional) for i in imports_in(text)]
    assert got == [
        ("a", 1, 8, False),
        ("d", 1, 18, False),
        ("e", 2, 6, False),
        ("k", 5, 15, False),
        ("m", 7, 12, True),
        ("n", 9, 12, False),
        ("o", 10, 17, False),
    ]
    assert imports_in("def broken(:\n") == []


def test_the_fallback_of_an_optional_import_is_optional_too() -> None:
    text = (
        "try:\n    import tomllib\nexcept ImportError:\n    if True:\n        import tomli\n"
        "import yaml\n"
    )
    got = [(i.module, i.optional) for i in imports_in(text)]
    assert got == [("tomllib", True), ("tomli", True), ("yaml", False)]


@pytest.mark.parametrize(
    "text, candidate",
    [
        (b"import requests\n", True),
        (b"from requests import get\n", True),
        (b"import os, requests\n", True),
        (b"import os as o, yaml\n", True),
        (b"x = 1; import yaml\n", True),
        (b"if x: import yaml\n", True),
        (b"    from yaml import load\n", True),
        (b"\timport yaml\r\n", True),
        (b"import os\nfrom typing import List\n", False),  # `import List` is no statement
        (b"from os.path import join\n", False),
        (b"from . import views\n", False),
        (b'"""Data from the server, we import things."""\n', False),
        (b"# import requests, from the docs\n", False),
        (b"    >>> from requests import get\n", False),
    ],
)
def test_files_that_may_import_outside_the_common_stdlib(text: bytes, candidate: bool) -> None:
    """DW604's prefilter: a file it turns away is never read for imports."""
    assert CANDIDATE_IMPORTS.matches(text) is candidate
