"""The secrets hook against real repositories, real detect-secrets baselines and every file kind.

Keys here are generated from each provider's documented format; none is real.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from conftest import commit_all, git
from hooks._secret_lines import concatenations, heredoc_rewrites, variable_defaults
from hooks._secret_python import python_strings

RNG = random.Random(20261125)
AWS_KEY = "AKIA" + "".join(RNG.choice(string.ascii_uppercase + "234567") for _ in range(16))
GITHUB = "ghp_" + "".join(RNG.choice(string.ascii_letters + string.digits) for _ in range(36))


def generated(alphabet: str, length: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(length))


URL_SAFE = string.ascii_letters + string.digits + "_-"
OUR_PROVIDERS = [
    ("Anthropic API Key", "sk-ant-api03-" + generated(URL_SAFE, 93) + "AA"),
    ("Hugging Face Token", "hf_" + generated(string.ascii_letters, 34)),
    ("Google API Key", "AIza" + generated(URL_SAFE, 35)),
    ("Docker Hub Token", "dckr_pat_" + generated(URL_SAFE, 27)),
    ("Databricks Token", "dapi" + generated("0123456789abcdef", 32)),
]


def run(cwd: Path, *args: str) -> Tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "hooks", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def findings(cwd: Path, *args: str) -> List[Tuple[str, int, str]]:
    code, out, _ = run(cwd, "--select", "secrets", "--format", "json", *args)
    found = json.loads(out)["findings"]
    assert code == (1 if found else 0)
    return [(f["path"], f["line"], f["code"]) for f in found]


def stage(repo: Path, name: str, text: str) -> None:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text)
    git(repo, "add", "-A")


def test_a_staged_key_is_blocked_and_never_printed_in_any_format(repo: Path) -> None:
    stage(repo, "settings.py", f'DEBUG = False\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\n')
    outputs = []
    for fmt in ("text", "json", "sarif"):
        code, out, _ = run(repo, "--select", "secrets", "--format", fmt, "settings.py")
        assert code == 1
        outputs.append(out)
    assert "settings.py:2:22: DW501 AWS Access Key `AKIA…` (20 characters)" in outputs[0]
    for out in outputs:
        assert AWS_KEY not in out and AWS_KEY[4:] not in out


def test_only_added_lines_are_scanned_and_an_old_key_is_left_to_its_owners(repo: Path) -> None:
    (repo / "config.yml").write_text(f"token: {GITHUB}\nname: app\n")
    commit_all(repo)
    stage(repo, "config.yml", f"token: {GITHUB}\nname: app\nreplicas: 3\n")
    assert findings(repo, "config.yml") == []
    stage(repo, "config.yml", f"token: {GITHUB}\nname: app\nreplicas: 3\nbackup: {AWS_KEY}\n")
    assert findings(repo, "config.yml") == [("config.yml", 4, "DW501")]


@pytest.mark.parametrize("kind, key", OUR_PROVIDERS, ids=[k for k, _ in OUR_PROVIDERS])
def test_providers_detect_secrets_lacks_are_found_in_every_file_kind(
    repo: Path, kind: str, key: str
) -> None:
    files = {
        ".envrc": f"export KEY={key}\n",
        "deploy.sh": f'curl -H "Authorization: Bearer {key}" https://x\n',
        "main.tf": f'variable "key" {{\n  default = "{key}"\n}}\n',
        "Dockerfile": f"FROM python:3.12\nENV SERVICE_KEY={key}\n",
    }
    for name, text in files.items():
        stage(repo, name, text)
    code, out, _ = run(repo, "--select", "secrets", "--format", "json", *files)
    found = json.loads(out)["findings"]
    assert code == 1
    assert {f["path"] for f in found if kind in f["message"]} == set(files)
    assert key not in out


@pytest.mark.parametrize(
    "look_alike",
    [
        "sk-ant-api03-short",
        "hf_" + "a" * 12,
        "AIza_not_a_key",
        "dckr_pat_",
        "dapi-docs-page",
        "postgres://user:${DB_PASSWORD}@db/app",
        "postgres://localhost/app",
    ],
)
def test_look_alikes_of_our_providers_stay_quiet(repo: Path, look_alike: str) -> None:
    stage(repo, "notes.txt", f"see {look_alike} for details\n")
    assert findings(repo, "notes.txt") == []


def test_a_database_url_with_its_password_is_found(repo: Path) -> None:
    stage(repo, "app.ini", "[db]\nurl = mysql://app:Tr0ub4dor-and-3@db.internal/app\n")
    assert findings(repo, "app.ini") == [("app.ini", 2, "DW501")]


def test_detect_secrets_pragmas_are_honoured(repo: Path) -> None:
    stage(
        repo,
        "keys.py",
        f'A = "{AWS_KEY}"  # pragma: allowlist secret\n'
        "# pragma: allowlist nextline secret\n"
        f'B = "{GITHUB}"\n',
    )
    assert findings(repo, "keys.py") == []


def test_a_token_printed_in_a_notebook_output_cell_is_found(repo: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["print(client.token)\n"], "outputs": [
                {"output_type": "stream", "name": "stdout", "text": [f"{GITHUB}\n"]}
            ]}
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    stage(repo, "explore.ipynb", json.dumps(notebook, indent=1))
    found = findings(repo, "explore.ipynb")
    assert [(path, code) for path, _, code in found] == [("explore.ipynb", "DW501")]


def test_key_files_are_blocked_by_name_even_when_binary(repo: Path) -> None:
    stage(repo, "certs/client.p12", "")
    (repo / "certs" / "client.p12").write_bytes(b"0\x82\x0b\x00\x02\x01\x03\x00binary")
    stage(repo, ".env", "SECRET=1\n")
    stage(repo, ".env.example", "SECRET=\n")
    found = findings(repo, "certs/client.p12", ".env", ".env.example")
    assert found == [(".env", 1, "DW502"), ("certs/client.p12", 1, "DW502")]


def detect_secrets(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detect_secrets", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


def test_secrets_in_a_detect_secrets_baseline_are_not_reported(repo: Path) -> None:
    stage(repo, "legacy.py", f'KEY = "{AWS_KEY}"\n')
    scan = detect_secrets(repo, "scan", "legacy.py")
    assert scan.returncode == 0, scan.stderr
    (repo / ".secrets.baseline").write_text(scan.stdout)
    assert json.loads(scan.stdout)["results"]["legacy.py"]
    assert findings(repo, "legacy.py") == []
    stage(repo, "legacy.py", f'KEY = "{AWS_KEY}"\nOTHER = "{GITHUB}"\n')
    assert findings(repo, "legacy.py") == [("legacy.py", 2, "DW501")]


def test_a_baseline_covers_secrets_detect_secrets_finds_in_its_rewrite_of_a_config(
    repo: Path,
) -> None:
    """detect-secrets hashes an INI value as its transformer quotes it, diffwarden also as
    written: the baseline's hash covers the finding (and a rewrite of our own adds none)."""
    npm_token = "npm_" + generated(string.ascii_letters + string.digits, 36)
    files = {
        "config/services.ini": f"[npm]\ntoken: //registry.npmjs.org/:_authToken={npm_token}\n",
        ".env.local": f"NPM_TOKEN=//registry.npmjs.org/:_authToken={npm_token}\n",
    }
    for name, text in files.items():
        stage(repo, name, text)
    scan = detect_secrets(repo, "scan", *files)
    assert scan.returncode == 0, scan.stderr
    assert set(json.loads(scan.stdout)["results"]) == set(files)
    (repo / ".secrets.baseline").write_text(scan.stdout)
    assert reported(repo, *files) == []


def test_update_baseline_writes_what_detect_secrets_hook_accepts_and_stays_stable(
    repo: Path,
) -> None:
    stage(repo, "app.py", f'import os\nKEY = "{AWS_KEY}"\n')
    code, out, _ = run(repo, "--update-baseline", ".secrets.baseline", "app.py")
    assert (code, out) == (0, "diffwarden: .secrets.baseline records 1 secrets\n")
    hook = subprocess.run(
        [sys.executable, "-c", "from detect_secrets.pre_commit_hook import main; main()",
         "--baseline", ".secrets.baseline", "app.py"],
        cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )  # fmt: skip
    assert hook.returncode == 0, hook.stdout
    assert findings(repo, "app.py") == []
    first = json.loads((repo / ".secrets.baseline").read_text())
    assert first["results"]["app.py"][0]["line_number"] == 2
    stage(repo, "app.py", f'import os\n\n\nKEY = "{AWS_KEY}"\n')  # the secret moved down
    run(repo, "--update-baseline", ".secrets.baseline", "app.py")
    second = json.loads((repo / ".secrets.baseline").read_text())
    assert second == first, "a secret that merely moved must not churn the baseline"


def test_a_commit_without_secret_signs_does_not_import_detect_secrets(repo: Path) -> None:
    (repo / "notes.md").write_text("# Notes\n\nNothing to see here.\n")
    (repo / "add.py").write_text("def add(a, b):\n    return a + b\n")
    git(repo, "add", "-A")
    probe = (
        "import sys\nfrom hooks.engine.cli import main\n"
        "code = main(['notes.md', 'add.py'])\n"
        "print(code, 'detect_secrets' in sys.modules, 'libcst' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo, env=env, stdout=subprocess.PIPE, text=True
    )
    assert result.stdout.split() == ["0", "False", "False"]


def test_a_key_added_after_a_page_break_is_found_on_its_line(repo: Path) -> None:
    """`str.splitlines` also splits at form feeds: every later line was one off, and a key added
    after a PEP 8 page break passed the commit silently."""
    (repo / "app.py").write_text("import os\n\f\ndef main():\n    pass\n")
    commit_all(repo)
    stage(repo, "app.py", f'import os\n\f\ndef main():\n    pass\nTOKEN = "{GITHUB}"\n')
    assert findings(repo, "app.py") == [("app.py", 5, "DW501")]


def test_a_suppression_after_a_page_break_stays_on_its_line(repo: Path) -> None:
    stage(
        repo,
        "ci.yml",
        f"name: ci\n\f\ntoken: {GITHUB}  # diffwarden: ignore[DW501] revoked test token\n"
        f"backup: {AWS_KEY}\n",
    )
    assert findings(repo, "ci.yml") == [("ci.yml", 4, "DW501")]


def test_a_hard_coded_password_is_reported_once_by_the_secrets_hook(repo: Path) -> None:
    stage(repo, "db.py", 'DB_PASSWORD = "Tr0ub4dor-and-3"\n')
    both = ["--select", "secrets,hardcoded-credentials", "--format", "json", "db.py"]
    code, out, _ = run(repo, *both)
    assert code == 1
    assert [(f["line"], f["code"]) for f in json.loads(out)["findings"]] == [(1, "DW501")]
    alone = ["--select", "hardcoded-credentials", "--format", "json", "db.py"]
    assert [f["code"] for f in json.loads(run(repo, *alone)[1])["findings"]] == ["DW503"]
    ignored = [*both[:-1], "--ignore", "DW501", "db.py"]
    assert [f["code"] for f in json.loads(run(repo, *ignored)[1])["findings"]] == ["DW503"]


def test_python_literals_are_judged_by_what_they_are_for(repo: Path) -> None:
    stage(
        repo,
        "client.py",
        '"""Client.\n\n>>> Client(api_key="Zx9Qw3Lm8Tn2Rv7Yb4Kc1Hd6Gs0Ea5Pu")\n"""\n'
        'SHA256_OF_EMPTY = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="\n'
        'client = Client(api_key="j7FAc9QeWJ")\n',
    )
    stage(
        repo,
        "tests/test_hashes.py",
        'assert b64(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="\n',
    )
    assert findings(repo, "client.py", "tests/test_hashes.py") == [("client.py", 6, "DW501")]


def test_update_baseline_records_what_only_the_syntax_tree_finds(repo: Path) -> None:
    stage(repo, "client.py", 'client = Client(api_key="j7FAc9QeWJ")\n')
    assert findings(repo, "client.py") == [("client.py", 1, "DW501")]
    run(repo, "--update-baseline", ".secrets.baseline", "client.py")
    assert findings(repo, "client.py") == []


def test_placeholders_and_key_files_of_the_corpus_kinds(repo: Path) -> None:
    stage(repo, "deploy/values.yaml", "apiKey: your-api-key\ntoken: ghp_" + "x" * 36 + "\n")
    stage(repo, "keys/deploy.ppk", "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n")
    found = findings(repo, "deploy/values.yaml", "keys/deploy.ppk")
    assert found == [("keys/deploy.ppk", 1, "DW502")]


def reported(cwd: Path, *args: str) -> List[Tuple[str, int, int, int]]:
    """(path, line, column, last line) of each DW501 finding."""
    code, out, _ = run(cwd, "--select", "DW501", "--format", "json", *args)
    found = json.loads(out)["findings"]
    assert code == (1 if found else 0) and {f["code"] for f in found} <= {"DW501"}
    return [(f["path"], f["line"], f["col"], f["end_line"]) for f in found]


HEAD, TAIL = GITHUB[:12], GITHUB[12:]
ENTROPY = "Jq8vT3kLm9Xp2Rz7Wn4Yb6Hc1Fd5Gs0Ea8Ku3Qi7"
# (file, its committed text, the staged text whose change adds only a later line of one string,
# where the secret is reported: line, column, last line of the string)
SPLIT_STRINGS = [
    (
        "client.py",
        f'import os\nKEY = ("{HEAD}"\n       "")\n',
        f'import os\nKEY = ("{HEAD}"\n       "{TAIL}")\n',
        (2, 9, 3),
    ),
    (
        "settings.py",
        f'TOKEN = "{HEAD}\\\nold"\n',
        f'TOKEN = "{HEAD}\\\n{TAIL}"\n',
        (1, 10, 2),
    ),
    (
        "keys.py",
        f'import os\nKEY = ("{HEAD}" +\n       "")\n',
        f'import os\nKEY = ("{HEAD}" +\n       "{TAIL}")\n',
        (2, 9, 3),
    ),
    (
        "db.py",
        'DB_PASSWORD = "hunter2-" + \\\n    "old"\n',
        'DB_PASSWORD = "hunter2-" + \\\n    "Sz9-long"\n',
        (1, 15, 2),
    ),
    ("auth.py", 'API_KEY = """\nold\n"""\n', 'API_KEY = """\nj7FAc9QeWJ2x\n"""\n', (1, 11, 3)),
    (
        "deploy.yaml",
        "app: web\npassword: >-\n  old\n",
        f"app: web\npassword: >-\n  {ENTROPY}\n",
        (2, 1, 3),
    ),
    (
        "deploy.sh",
        f'curl -H "Authorization: Bearer {HEAD}\\\nold" https://api.github.com\n',
        f'curl -H "Authorization: Bearer {HEAD}\\\n{TAIL}" https://api.github.com\n',
        (1, 32, 2),
    ),
    (
        "Dockerfile",
        f"FROM python:3.12\nENV GITHUB_TOKEN={HEAD}\\\nold\n",
        f"FROM python:3.12\nENV GITHUB_TOKEN={HEAD}\\\n{TAIL}\n",
        (2, 18, 3),
    ),
    (
        "infra/main.tf",
        "locals {\n  db_password = <<-EOT\n    old\n  EOT\n}\n",
        "locals {\n  db_password = <<-EOT\n    hunter2-Sz9-long\n  EOT\n}\n",
        (2, 17, 4),
    ),
    (
        "infra/variables.tf",
        'variable "db_password" {\n  type    = string\n  default = "old"\n}\n',
        'variable "db_password" {\n  type    = string\n  default = "hunter2-Sz9-long"\n}\n',
        (3, 14, 3),
    ),
    (
        "infra/keys.tfvars",
        "api_key = <<EOT\nold\nEOT\n",
        f"api_key = <<EOT\n{GITHUB}\nEOT\n",
        (2, 1, 2),
    ),
    (
        "scripts/db.sh",
        "read -r -d '' DB_PASSWORD <<'EOF'\nold\nEOF\n",
        "read -r -d '' DB_PASSWORD <<'EOF'\ns3cr3t-Value-9\nEOF\n",
        (1, 27, 3),
    ),
    (
        "web/client.ts",
        f'const key = "{HEAD}" +\n  "old";\n',
        f'const key = "{HEAD}" +\n  "{TAIL}";\n',
        (1, 14, 2),
    ),
    (
        "api/Keys.java",
        f'class Keys {{\n  String token = "{HEAD}"\n      + "old";\n}}\n',
        f'class Keys {{\n  String token = "{HEAD}"\n      + "{TAIL}";\n}}\n',
        (2, 19, 3),
    ),
    (
        "cmd/keys.go",
        f'package main\n\nconst apiKey = "{HEAD}" +\n\t"old"\n',
        f'package main\n\nconst apiKey = "{HEAD}" +\n\t"{TAIL}"\n',
        (3, 17, 4),
    ),
    (
        "keys.php",
        f"<?php\n$key = '{HEAD}' .\n    'old';\n",
        f"<?php\n$key = '{HEAD}' .\n    '{TAIL}';\n",
        (2, 9, 3),
    ),
    (
        "deploy/key.txt",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAold\n-----END RSA PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAnew\n-----END RSA PRIVATE KEY-----\n",
        (1, 6, 3),
    ),
]


@pytest.mark.parametrize(
    "name, old, new, where", SPLIT_STRINGS, ids=[case[0] for case in SPLIT_STRINGS]
)
def test_a_secret_whose_string_gains_an_added_line_is_reported_on_the_string(
    repo: Path, name: str, old: str, new: str, where: Tuple[int, int, int]
) -> None:
    stage(repo, name, old)
    commit_all(repo)
    stage(repo, name, new)
    assert reported(repo, name) == [(name, *where)]
    commit_all(repo)  # the same secret, whole file: one report, in the same place
    assert reported(repo, "--scope", "file", name) == [(name, *where)]


@pytest.mark.parametrize(
    "name, old, new, where", SPLIT_STRINGS, ids=[case[0] for case in SPLIT_STRINGS]
)
def test_a_secret_entirely_on_old_lines_stays_unreported(
    repo: Path, name: str, old: str, new: str, where: Tuple[int, int, int]
) -> None:
    stage(repo, name, new)
    commit_all(repo)
    stage(repo, name, new + "# the change adds a line after the string\n")
    assert reported(repo, name) == []


def test_a_secret_whole_on_an_old_line_of_a_block_stays_unreported(repo: Path) -> None:
    stage(repo, "notes.yaml", f"notes: |\n  {GITHUB}\n  rotate it\n")
    commit_all(repo)
    stage(repo, "notes.yaml", f"notes: |\n  {GITHUB}\n  rotate it\n  soon\n")
    assert reported(repo, "notes.yaml") == []


def test_a_heredoc_whose_opener_alone_is_added_is_scanned_whole(repo: Path) -> None:
    stage(repo, "infra/main.tf", "locals {\n  notes = <<-EOT\n    hunter2-Sz9-long\n  EOT\n}\n")
    commit_all(repo)
    stage(
        repo, "infra/main.tf", "locals {\n  db_password = <<-EOT\n    hunter2-Sz9-long\n  EOT\n}\n"
    )
    assert reported(repo, "infra/main.tf") == [("infra/main.tf", 2, 17, 4)]


def test_heredocs_and_concatenations_without_a_secret_stay_quiet(repo: Path) -> None:
    stage(
        repo,
        "infra/main.tf",
        'resource "aws_instance" "web" {\n  user_data = <<-EOT\n    #!/bin/bash\n'
        "    apt-get install -y nginx\n  EOT\n  tags = {\n    token = <<EOF\n${TOKEN}\nEOF\n"
        "    password = <<EOF\n${var.db_password}\nEOF\n  }\n}\n",
    )
    stage(
        repo,
        "scripts/setup.sh",
        "#!/bin/sh\nTOKEN=$(cat <<EOF\n$GITHUB_TOKEN\nEOF\n)\ncat <<'EOF' > /etc/motd\n"
        "Welcome to the build host. Rotate the deploy token every 90 days.\nEOF\n",
    )
    pieces = [GITHUB[:13], GITHUB[13:26], GITHUB[26:]]
    stage(
        repo,
        "web/db.ts",
        'const query = "SELECT id, name, api_token_hash FROM users " +\n'
        '  "WHERE id = ? AND password_reset_at IS NULL";\n'
        f'const key = "{pieces[0]}" + suffix +\n  "{pieces[1]}" +\n  "{pieces[2]}";\n'
        'const docs = "https://docs.example.com/api/authentication" +\n'
        '  "#personal-access-tokens";\n',
    )
    assert reported(repo, "infra/main.tf", "scripts/setup.sh", "web/db.ts") == []


CHAINS = [
    ("web/a.ts", 'k = "ab" +\n  "cd";', ['k = "abcd";']),
    ("web/a.ts", "k = \"ab\"\n  + 'cd' // the rest\n  + `ef`;", ['k = "abcdef";']),
    ("web/a.ts", 'k = x + "ab" +\n  "cd";', []),
    ("web/a.ts", 'k = "ab" +\n  "cd" + x;', []),
    ("web/a.ts", 'k = "ab" +\n  "cd".trim();', []),
    ("web/a.ts", 'k += "ab" +\n  "cd";', []),
    ("web/a.ts", 'k = `${x}ab` +\n  "cd";', []),
    ("web/a.ts", 'k = "ab" + "cd";', []),
    ("web/a.ts", '// "ab" +\n"cd";', []),
    ("a.php", "$k = 'ab' .\n  'cd';", ['$k = "abcd";']),
    ("a.php", "$k .= 'ab' .\n  'cd';", []),
    ("a.php", '$k = "ab$x" .\n  "cd";', []),
    ("a.cs", 'k = $"{x}ab" +\n  "cd";', []),
    ("a.py", 'k = ("ab" +\n  "cd")', []),
]


@pytest.mark.parametrize("name, code, joined", CHAINS)
def test_only_chains_of_literals_over_several_lines_are_joined(
    name: str, code: str, joined: List[str]
) -> None:
    assert [r.text for r in concatenations(name, code.split("\n"))] == joined


HEREDOCS = [
    ("main.tf", "password = <<-EOT\n  hunter2-long\nEOT", ['password = "hunter2-long"']),
    ("a.tfvars", '"token" = trimspace(<<EOT\nabc\nEOT\n)', ['token = "abc"']),
    ("main.tf", "password = <<-EOT\n\n    hunter2-long\n  \nEOT", ['password = "hunter2-long"']),
    ("main.tf", "password = <<-EOT\n  hunter2\n  long\nEOT", []),
    ("main.tf", "user_data = <<-EOT\n  #!/bin/sh\n  echo hi\nEOT", []),
    ("main.tf", "password = <<EOT\nhunter2-long", []),
    ("a.sh", "TOKEN=$(cat <<'EOF'\nabc\nEOF\n)", ['TOKEN = "abc"']),
    ("a.sh", "cat <<EOF > /etc/motd\nWelcome\nEOF", []),
    ("a.sh", "echo $((1 << n))\nn", []),
    ("Dockerfile", "COPY <<EOF /root/token\nabc\nEOF", []),
]


@pytest.mark.parametrize("name, code, joined", HEREDOCS)
def test_only_heredocs_of_one_line_given_to_a_name_are_values(
    name: str, code: str, joined: List[str]
) -> None:
    assert [r.text for r in heredoc_rewrites(name, code.split("\n"))] == joined


PYTHON_CHAINS = [
    ('k = ("ab" +\n     "cd")', ["abcd"]),
    ('k = "ab" + \\\n    "cd" + "ef"', ["abcdef"]),
    ('k = ("ab"\n     "cd" +\n     "ef")', ["abcdef"]),
    ('k = "ab" + "cd"', []),
    ('k = ("ab" + suffix +\n     "cd")', []),
    ('k = ("ab" +\n     "cd" + suffix)', []),
    ('k = (f"ab{x}" +\n     "cd")', []),
    ('k = ("ab" +\n     "cd").strip()', []),
    ('k = ("ab%s" +\n     "cd") % x', []),
    ('k = (b"ab" +\n     b"cd")', []),
]


@pytest.mark.parametrize("code, joined", PYTHON_CHAINS)
def test_only_python_chains_wholly_of_str_literals_are_joined(code: str, joined: List[str]) -> None:
    strings = python_strings("a.py", code)
    assert strings is not None and [j.value for j in strings.joined] == joined


VARIABLES = [
    ('variable "db_password" {\n  default = "s3cr3t"\n}', ['db_password = "s3cr3t"']),
    ('variable "api_token" { default = "abc" }', ['api_token = "abc"']),
    ('variable "db_password" {\n  validation {\n    default = "x"\n  }\n}', []),
    ('variable "db_password" {\n}\ndefault = "s3cr3t"', []),
    ('variable "region" {\n  default = "s3cr3t"\n}', []),
    ('variable "password_length" {\n  default = "32"\n}', []),
]


@pytest.mark.parametrize("code, joined", VARIABLES)
def test_only_string_defaults_of_credential_named_variables_are_values(
    code: str, joined: List[str]
) -> None:
    assert [r.text for r in variable_defaults("main.tf", code.split("\n"))] == joined
    assert variable_defaults("main.py", code.split("\n")) == []


def test_python_chains_and_variable_defaults_without_a_secret_stay_quiet(repo: Path) -> None:
    pieces = [GITHUB[:13], GITHUB[13:26], GITHUB[26:]]
    stage(
        repo,
        "app/queries.py",
        'QUERY = ("SELECT id, name, api_token_hash FROM users " +\n'
        '         "WHERE id = %s AND password_reset_at IS NULL")\n'
        f'KEY = ("{pieces[0]}" + suffix +\n       "{pieces[1]}" +\n       "{pieces[2]}")\n'
        f'TOKEN = (f"{pieces[0]}{{suffix}}" +\n         "{pieces[1]}" +\n'
        f'         "{pieces[2]}")\n'
        'DOCS_URL = ("https://docs.example.com/api/authentication" +\n'
        '            "#personal-access-tokens")\n',
    )
    stage(
        repo,
        "infra/variables.tf",
        'variable "region" {\n  default = "hunter2-Sz9-long"\n}\n'
        'variable "db_password" {\n  default = "changeme"\n}\n'
        'variable "api_token" {\n  default = "${var.token}"\n}\n'
        'variable "admin_password" {\n  type      = string\n  sensitive = true\n}\n',
    )
    assert reported(repo, "app/queries.py", "infra/variables.tf") == []
    stage(
        repo, "infra/variables.tf", 'variable "db_password" {\n  default = "hunter2-Sz9-long"\n}\n'
    )
    assert reported(repo, "infra/variables.tf") == [("infra/variables.tf", 2, 14, 2)]


UNQUOTED = [
    (".env.local", "DB_PASSWORD=s3cr3t-value\n", (1, 13)),
    (".envrc", f"export API_KEY={ENTROPY}\n", (1, 16)),
    ("Dockerfile", f"FROM python:3.12\nENV API_TOKEN={ENTROPY}\n", (2, 15)),
    ("Dockerfile", "FROM python:3.12\nARG PASSWORD=hunter2-Sz9\n", (2, 14)),
    ("Dockerfile", f"FROM python:3.12\nENV APP=web SECRET_KEY={ENTROPY}\n", (2, 24)),
    ("Dockerfile", "FROM python:3.12\nENV DB_PASSWORD s3cr3t-value\n", (2, 17)),
    ("scripts/deploy.sh", "#!/bin/sh\nexport DB_PASSWORD=s3cr3t-value\n", (2, 20)),
    ("scripts/setup.sh", "cat <<'EOF' > .env\nDB_PASSWORD=s3cr3t-value\nEOF\n", (2, 13)),
]


@pytest.mark.parametrize(
    "name, text, where", UNQUOTED, ids=[f"{u[0]}-{i}" for i, u in enumerate(UNQUOTED)]
)
def test_unquoted_values_of_env_files_and_dockerfiles_are_found(
    repo: Path, name: str, text: str, where: Tuple[int, int]
) -> None:
    stage(repo, name, text)
    assert reported(repo, name) == [(name, *where, where[0])]


def test_unquoted_look_alikes_of_env_files_and_dockerfiles_stay_quiet(repo: Path) -> None:
    env = (
        "API_TOKEN=${TOKEN}\nexport GITHUB_TOKEN=$TOKEN\nAPI_KEY=<your-key>\nPASSWORD=changeme\n"
        "SECRET_KEY=\nPASSWORD_FILE=/run/secrets/db\nAUTH_ENABLED=true\nSECRET=false\n"
        "TOKEN_TTL=3600\nPASSWORD_MIN_LENGTH=12\nPASSWORD_HASH=sha256\n"
    )
    docker = (
        "FROM python:3.12\nARG VERSION=1.2.3\nENV PATH=/usr/local/bin:$PATH\n"
        "ENV API_TOKEN=${API_TOKEN} DEBUG=false\nARG PASSWORD\n"
        "ENV DB_PASSWORD_FILE /run/secrets/db\n"
        f"ENV SECRET_KEY={ENTROPY}  # pragma: allowlist secret\n"
    )
    stage(repo, ".env.production", env)
    stage(repo, "Dockerfile", docker)
    assert reported(repo, ".env.production", "Dockerfile") == []


def test_diff_scope_reads_only_the_touched_statements_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The literals of statements the change does not touch cannot change a verdict on the
    lines it adds: the narrowed reading of the tree agrees with the whole one on lines around
    every secret of the labeled corpus's Python files."""
    import ast
    import importlib.util

    import hooks._secret_python as strings
    from hooks.secrets import secrets_in

    where = Path(__file__).resolve().parent.parent / "bench" / "secrets_corpus.py"
    spec = importlib.util.spec_from_file_location("secrets_corpus", where)
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "secrets_corpus", corpus)  # its dataclasses look it up
    spec.loader.exec_module(corpus)  # diffwarden: ignore[DW101] our own bench module
    files, _ = corpus.write_corpus(str(tmp_path))
    narrowing = strings._nodes_near
    cases = []
    for path in [str(tmp_path / f.path) for f in files if f.path.endswith(".py")]:
        text = Path(path).read_text(encoding="utf-8")
        for found in secrets_in(path, text, True, None):
            for lines in (
                {found.line},
                {found.end_line + 1},
                set(range(found.line - 2, found.line + 3)),
            ):
                cases.append((path, text, lines, secrets_in(path, text, True, lines)))
    monkeypatch.setattr(strings, "_nodes_near", lambda tree, wanted: list(ast.walk(tree)))
    for path, text, lines, narrowed in cases:
        assert narrowed == secrets_in(path, text, True, lines), (path, lines)
    assert narrowing is not strings._nodes_near and sum(bool(c[3]) for c in cases) > 20


def test_the_guard_before_detect_secrets_indirect_reference_filter_changes_no_answer() -> None:
    """detect-secrets' own filter decides; the guard only spares it the lines where its regex
    cannot match (it backtracks over the whole line from every position)."""
    from detect_secrets.filters import heuristic
    from detect_secrets.settings import get_filters

    from hooks import secrets

    secrets._plugins()
    guarded = heuristic.is_indirect_reference
    assert getattr(guarded, "original", None) is not None
    assert guarded in get_filters()  # what detect-secrets' scan calls
    original = guarded.original
    rnd = random.Random(7)
    pieces = ["=", "==", "!==", ":=", ":", "!", "(", ")", "[", "]", "a", "b.c", "-", "_", " ", "\t",
              "\v", "x1", "'s'", "get(", "env["]  # fmt: skip
    lines = [
        "secret = get_secret_key()",
        "secret = request.headers['apikey']",
        "if token != os.environ['T']:",
        "password: str = 'hunter2'",
        "api_key = 'AKIAIOSFODNN7EXAMPLE'",
        "x = (a)" + " " * 995,  # over detect-secrets' 1000-character limit
        "",
    ]
    lines += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))) for _ in range(4000)]
    assert [guarded(line) for line in lines] == [original(line) for line in lines]
    assert sum(original(line) for line in lines) > 300  # both answers are well represented
