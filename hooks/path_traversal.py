"""path-traversal: a file path built from web request data, then opened, sent or removed.

**What it finds.** DW130: a value from the request (Flask's `request.args`/`form`/`files`/...,
Django's `request.GET`/`POST`/`META`, a view's URL parameters, FastAPI and Starlette path, query
and body parameters, aiohttp's `request.match_info`/`query`) that reaches, through assignments,
f-strings, `+`, `os.path.join`, `Path(...) / name` and the like: `open` / `io.open` /
`codecs.open`, `Path.open` / `read_text` / `read_bytes` / `write_text` / `write_bytes`, the source
or destination of `shutil.copy*` / `move` and of `os.rename` / `replace` / `link` / `symlink`,
the `save` of an uploaded file (`request.files[...]`), `os.remove` / `unlink` / `rmdir` /
`listdir` / `makedirs` and `shutil.rmtree`, Flask's `send_file`, the folder of
`send_from_directory` and Bottle's `static_file`, and Starlette, FastAPI and aiohttp
`FileResponse`. A helper function of the same module that hands its parameter to one of these is
followed one level: the call in the view is reported.

**Why it matters in assistant-written code.** "Add an endpoint to download a report" becomes
`send_file(os.path.join(REPORTS, request.args["name"]))`, which also serves `../../etc/passwd`
and the app's own settings. `os.path.join` drops everything before an absolute part, so even a
fixed folder in front does not hold.

**Severity.** High.

**Bad**

```python
@app.route("/download")
def download():
    return send_file(os.path.join(UPLOADS, request.args["file"]))
```

**Good**

```python
@app.route("/download")
def download():
    return send_from_directory(UPLOADS, request.args["file"])
```

**Not flagged.** Values cleaned for paths: `os.path.basename`, `werkzeug.utils.secure_filename`,
`safe_join` (Werkzeug, Flask, Django), `get_valid_filename`, and numbers (`int()`, `uuid.UUID()`,
a route's `<int:id>`, a FastAPI `id: int` or `UUID` parameter). Values checked before the sink:
`resolved.is_relative_to(BASE)`, `.startswith(BASE)`, `os.path.commonpath(...)`, membership in an
allowlist (`if name not in REPORTS`), a comparison with a constant, a regular expression match, or
a call to a function named like a check (`is_safe_path(name)`). The file name handed to
`send_from_directory` (it is joined safely; only a computed folder is flagged). Paths from the
command line, `input()`, the environment and plain function parameters: the person running the
program controls them. Request attributes the server fills (`request.user`, `request.session`).

**Not followed.** Helpers more than one level deep, methods, helpers of other modules, and
helpers the engine does not parse: in a diff, those the change does not touch; in a whole-file
scan, those that mention no trigger word. Values stored on objects or in globals. A check placed
after the sink still counts as a check.

**Fix.** None automatic. Serve files with `send_from_directory` / `safe_join`, keep only the
file name (`secure_filename`), or resolve the path and check it is inside the base folder.

**References.** CWE-22 (path traversal); no bandit or ruff counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, Tuple

from hooks._paths import read_path, written_path
from hooks._webflow import FlowRule
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Severity

# function -> (position, keyword) of the path it acts on
PATH_FUNCTIONS = {
    **{
        f"os.{name}": (0, "path")
        for name in ("remove", "unlink", "rmdir", "removedirs", "listdir", "scandir", "makedirs")
    },
    "shutil.rmtree": (0, "path"),
    "flask.send_file": (0, "path_or_file"),
    "quart.send_file": (0, "filename_or_io"),
    "flask.send_from_directory": (0, "directory"),
    "bottle.static_file": (1, "root"),
    "starlette.responses.FileResponse": (0, "path"),
    "fastapi.responses.FileResponse": (0, "path"),
    "aiohttp.web.FileResponse": (0, "path"),
}
PATH_METHODS = frozenset({"unlink", "rmdir", "iterdir", "mkdir", "touch"})
NOT_SINKS = frozenset({"os.path.expanduser"})


class PathTraversal(FlowRule):
    code = "DW130"
    name = "path-traversal"
    summary = "A file path built from web request data is opened, sent, written or removed."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (22,)
    message = "{sink} gets a file path built from request data: `../` in it reaches other files"
    hint = "keep only the file name (secure_filename), or resolve it and check it is in the folder"
    sink = "path"
    examples = (
        Bad(
            "import os\n"
            "from flask import Flask, request, send_file\n"
            "\n"
            "app = Flask(__name__)\n"
            "UPLOADS = '/srv/app/uploads'\n"
            "\n"
            "@app.route('/download')\n"
            "def download():\n"
            "    name = request.args.get('file')\n"
            "    return send_file(os.path.join(UPLOADS, name))\n",
            ((10, 12),),
            why="a Flask query parameter joined to a folder",
        ),
        Bad(
            "from django.http import HttpResponse\n"
            "\n"
            "def export(request, filename):\n"
            "    with open(f'/var/exports/{filename}', 'rb') as fh:\n"
            "        return HttpResponse(fh.read(), content_type='text/csv')\n",
            ((4, 10),),
            why="a Django view's URL keyword argument",
        ),
        Bad(
            "from pathlib import Path\n"
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "REPORTS = Path('/data/reports')\n"
            "\n"
            "@app.get('/reports/{name}')\n"
            "async def report(name: str):\n"
            "    return {'body': (REPORTS / name).read_text()}\n",
            ((9, 21),),
            why="a FastAPI path parameter and pathlib's `/`",
        ),
        Bad(
            "import os\n"
            "from flask import request\n"
            "\n"
            "def remove_upload(name):\n"
            "    os.remove(os.path.join('/srv/uploads', name))\n"
            "\n"
            "@bp.post('/uploads/delete')\n"
            "def delete_upload():\n"
            "    remove_upload(request.form['name'])\n"
            "    return '', 204\n",
            ((9, 5),),
            why="a helper of the same module, followed one level",
        ),
        Bad(
            "from flask import request, send_from_directory\n"
            "\n"
            "@bp.route('/files/<path:name>')\n"
            "def files(name):\n"
            "    folder = request.args.get('dir', 'public')\n"
            "    return send_from_directory(folder, name)\n",
            ((6, 12),),
            why="send_from_directory with a folder from the request",
        ),
        Bad(
            "from aiohttp import web\n"
            "\n"
            "async def avatar(request):\n"
            "    user = request.match_info['user']\n"
            "    return web.FileResponse(f'/srv/avatars/{user}.png')\n",
            ((5, 12),),
            why="aiohttp",
        ),
        Bad(
            "import html\n"
            "from flask import request\n"
            "\n"
            "@app.route('/notes')\n"
            "def note():\n"
            "    path = html.escape(request.args['p'])\n"
            "    return open(path).read()\n",
            ((7, 12),),
            why="html.escape cleans markup, not `../`",
        ),
        Bad(
            "import shutil\n"
            "from django.conf import settings\n"
            "\n"
            "class Archive(View):\n"
            "    def post(self, request):\n"
            "        name = self.request.POST['name']\n"
            "        shutil.copy(settings.REPORT, settings.ARCHIVE + '/' + name)\n",
            ((7, 9),),
            why="a class-based view's self.request, the destination of a copy",
        ),
        Bad(
            "import os\n"
            "from flask import request\n"
            "\n"
            "@app.post('/avatar')\n"
            "def avatar():\n"
            "    upload = request.files['avatar']\n"
            "    upload.save(os.path.join(app.config['UPLOAD_FOLDER'], upload.filename))\n"
            "    return 'ok'\n",
            ((7, 5),),
            why="an uploaded file saved under the name the client gave it",
        ),
        Ok(
            "import os\n"
            "from flask import request\n"
            "from werkzeug.utils import secure_filename\n"
            "\n"
            "@app.post('/upload')\n"
            "def upload():\n"
            "    doc = request.files['doc']\n"
            "    name = secure_filename(doc.filename)\n"
            "    doc.save(os.path.join('/srv/uploads', name))\n"
            "    with open(os.path.join('/srv/uploads', name), 'rb') as fh:\n"
            "        return fh.read()\n",
            why="secure_filename keeps only a safe file name",
        ),
        Ok(
            "from pathlib import Path\n"
            "from flask import abort, request\n"
            "\n"
            "BASE = Path('/srv/docs').resolve()\n"
            "\n"
            "@app.route('/docs')\n"
            "def doc():\n"
            "    target = (BASE / request.args['page']).resolve()\n"
            "    if not target.is_relative_to(BASE):\n"
            "        abort(404)\n"
            "    return target.read_text()\n",
            why="resolved, then checked to be inside the base folder",
        ),
        Ok(
            "from flask import request, send_from_directory\n"
            "\n"
            "@app.route('/static/<path:name>')\n"
            "def static_files(name):\n"
            "    return send_from_directory('/srv/static', name)\n",
            why="send_from_directory joins the name safely",
        ),
        Ok(
            "import os\n"
            "from django.http import Http404, FileResponse\n"
            "\n"
            "REPORTS = {'daily', 'weekly'}\n"
            "\n"
            "def report(request):\n"
            "    kind = request.GET.get('kind', 'daily')\n"
            "    if kind not in REPORTS:\n"
            "        raise Http404\n"
            "    return FileResponse(open(os.path.join('/srv/reports', kind + '.csv'), 'rb'))\n",
            why="an allowlist check",
        ),
        Ok(
            "from flask import send_file\n"
            "\n"
            "@app.route('/invoices/<int:number>')\n"
            "def invoice(number):\n"
            "    return send_file(f'/srv/invoices/{number}.pdf')\n",
            why="an int converter in the route",
        ),
        Ok(
            "from uuid import UUID\n"
            "from fastapi import APIRouter\n"
            "from fastapi.responses import FileResponse\n"
            "\n"
            "router = APIRouter()\n"
            "\n"
            "@router.get('/blobs/{blob_id}')\n"
            "def blob(blob_id: UUID):\n"
            "    return FileResponse(f'/srv/blobs/{blob_id}.bin')\n",
            why="a FastAPI parameter validated as a UUID",
        ),
        Ok(
            "import os\n"
            "from flask import request\n"
            "\n"
            "def read(name):\n"
            "    return open(os.path.join('/srv/notes', os.path.basename(name))).read()\n"
            "\n"
            "@app.route('/n')\n"
            "def note():\n"
            "    return read(request.args['n'])\n",
            why="the helper keeps only the base name",
        ),
        Ok(
            "import sys\n\ndef main():\n    with open(sys.argv[1]) as fh:\n"
            "        print(fh.read())\n",
            why="a command-line argument: the user running the program chose it",
        ),
        Ok(
            "def load(request_path):\n"
            "    with open(request_path) as fh:\n"
            "        return fh.read()\n",
            why="a plain function parameter, not a view's",
        ),
        Ok(
            "import os\n\ndef profile_dir(request):\n"
            "    return os.listdir(os.path.join('/srv/home', request.user.username))\n",
            why="request.user is filled by the server",
        ),
        Ok(
            "from flask import request\nHELP = 'never open(request.args[\"f\"]) directly'\n",
            why="text in a string",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in PATH_METHODS:
            if self.ctx.resolve(func) is None:
                yield f"Path.{func.attr.value}", func.value
            return
        if isinstance(func, cst.Attribute) and func.attr.value == "save":
            destination = self.ctx.argument(call, 0, "dst")
            if destination is not None and self._uploaded(func.value):
                yield "FileStorage.save", destination.value
            return
        for found in (read_path(self.ctx, call), written_path(self.ctx, call)):
            if found is not None and found[0] not in NOT_SINKS:
                yield found
        qualified = self.ctx.resolve(func)
        if qualified in PATH_FUNCTIONS:
            position, keyword = PATH_FUNCTIONS[qualified]
            arg = self.ctx.argument(call, position, keyword)
            if arg is not None:
                yield qualified, arg.value

    def _uploaded(self, node: cst.BaseExpression) -> bool:
        """A file the request uploaded (`request.files["doc"]`, or a name bound to one)."""
        found = self.ctx.origin(node)
        return found.remote and "files" in found.source
