"""``./run serve``: the book served on localhost, rebuilt when a source is saved.

The pieces are sphinx-autobuild's (its file watcher, its page-reload script, its static
server); what differs is the rebuild, which runs in this process:

- the data package is validated and the stale notebooks executed here, in kernels kept from
  one rebuild to the next (:class:`compendium.book.build.KernelPool`; new kernels when the package
  changes), then Sphinx runs here too, as ``sphinx-build`` runs it (its libraries imported once
  for the session; in a subprocess once the package has changed);
- the notebooks the build itself writes (their outputs and input digests) do not start a second
  rebuild: a saved file whose content is what the build wrote is the build's own change;
- the page reloads only after a rebuild, and a failed rebuild (a bad table, a broken cell)
  prints its one-line message and keeps the last good book on screen.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from compendium import data
from compendium.book import build
from compendium.book.messages import ErrorLines
from compendium.book.sphinx_ext import FRESH_ENV

#: What changes under these is never a source of the book.
IGNORED_DIRS = ("_build", "private", ".git", ".venv", ".pytest_cache", ".ipynb_checkpoints")
#: Nor what editors keep beside a file: backups, swap files, and the lock files of office
#: programs (a table opened in LibreOffice or Excel is not yet an edit).
IGNORED_RE = (r"(__pycache__|\.ipynb_checkpoints|\.egg-info|\.git/|~$|\.swp$|\.reads$"
              r"|/\.~lock\.[^/]+#$|/~\$[^/]+$)")


def sphinx_conf(root: Path, conf_dir: Path) -> None:
    """Write to ``conf_dir`` the Sphinx configuration Jupyter Book derives from ``_config.yml``,
    with the book's relative paths made absolute (Sphinx reads them from the configuration folder)."""
    exe_dir = Path(sys.executable).parent
    jb = shutil.which("jupyter-book", path=str(exe_dir)) or "jupyter-book"
    proc = subprocess.run([jb, "config", "sphinx", str(root)], cwd=root, capture_output=True, text=True)
    generated = root / "conf.py"
    if proc.returncode != 0 or not generated.is_file():
        raise build.BuildError(f"configuration Sphinx impossible à dériver de _config.yml : "
                               f"{proc.stderr.strip()[-500:]}")
    conf = generated.read_text(encoding="utf-8")
    generated.unlink()
    conf += (f"\nimport os as _os\n_root = {str(root)!r}\n"
             "bibtex_bibfiles = [_os.path.join(_root, b) for b in bibtex_bibfiles]\n"
             "for _name in ('templates_path', 'html_static_path', 'html_extra_path'):\n"
             "    if _name in globals():\n"
             "        globals()[_name] = [_os.path.join(_root, p) for p in globals()[_name]]\n")
    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "conf.py").write_text(conf, encoding="utf-8")


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Rebuilder:
    """Called by the watcher with the saved paths; returns whether the book was rebuilt."""

    def __init__(self, root: Path, conf_dir: Path, log=print):
        self.root = root
        self.conf_dir = conf_dir
        self.log = log
        self.pool: build.KernelPool | None = None
        self.written: dict[Path, str] = {}  # notebook -> digest of what the last build wrote
        self.package = build.package_digest(root)  # the package whose extension Sphinx runs here
        self.warned_package = False

    def own_change(self, path: Path) -> bool:
        """A notebook whose content is what the build wrote: the build's own change."""
        return path in self.written and _digest(path) == self.written[path]

    def __call__(self, changed_paths=()) -> bool:
        changed = [p for p in changed_paths if not self.own_change(p)]
        if changed_paths and not changed:
            return False
        if changed:
            names = ", ".join(p.relative_to(self.root).as_posix() if p.is_relative_to(self.root) else str(p)
                              for p in changed[:5])
            self.log(f"modifié : {names} — reconstruction…")
        start = time.perf_counter()
        for line in build.toc_remarks(self.root):
            self.log(line)
        try:
            check = build.input_problems(self.root)
        except data.DataError as exc:
            check = build.InputCheck([f"ERREUR {exc}"])
        if check.errors:
            for line in check.lines:
                self.log(line)
            self.log("livre non reconstruit : la dernière version reste servie")
            return False
        for line in check.remarks:
            self.log(line)
        if self.pool is None or self.pool.package != build.package_digest(self.root):
            if self.pool is not None:
                self.pool.close()
            self.pool = build.KernelPool(self.root, build.default_jobs())
        try:
            report = build.execute_stale(self.root, log=self.log, pool=self.pool)
        except build.BuildError as exc:
            self.log(f"ERREUR {exc}")
            self.log("livre non reconstruit : la dernière version reste servie")
            return False
        finally:
            self.written = {p: _digest(p) for p in build.notebooks(self.root)}
        build.mark_fresh(self.root)
        if report.executed:
            self.log(f"carnets exécutés : {len(report.executed)} en {report.wall:.1f} s ; à jour : {len(report.fresh)}")
        sphinx_start = time.perf_counter()
        if not self.sphinx():
            self.log("ERREUR Sphinx a échoué (message ci-dessus) : la dernière version reste servie")
            return False
        end = time.perf_counter()
        self.log(f"livre à jour en {end - start:.1f} s (Sphinx : {end - sphinx_start:.1f} s)")
        self.pool.warm()  # kernels ready for the next save, the first one included
        return True

    def sphinx(self) -> bool:
        """Run Sphinx on the book: in this process, as ``sphinx-build`` does (its libraries and
        the book's extension are then imported once for the whole session), or, once the package
        has changed since the server started (the extension imported here would be the old one),
        in a subprocess."""
        conf = self.conf_dir
        if build.package_digest(self.root) == self.package:
            from sphinx.application import Sphinx
            from sphinx.util.docutils import docutils_namespace, patch_docutils

            os.environ[FRESH_ENV] = "1"  # the notebooks were executed just before
            try:
                with patch_docutils(str(conf)), docutils_namespace():
                    app = Sphinx(str(self.root), str(conf), str(conf / "html"), str(conf / ".doctrees"), "html",
                                 confoverrides={"nitpicky": True}, status=None,
                                 warning=ErrorLines(sys.stderr, self.root))
                    app.build()
                return app.statuscode == 0
            except Exception as exc:  # a broken page or extension: the server keeps serving
                self.log(f"ERREUR Sphinx : {type(exc).__name__}: {exc}")
                return False
        if not self.warned_package:
            self.log("le paquet compendium a changé : Sphinx tourne désormais dans un processus à part "
                     "(relancez ./run serve pour retrouver des reconstructions plus rapides)")
            self.warned_package = True
        cmd = [sys.executable, "-m", "sphinx", "build", str(self.root), str(conf / "html"), "-c", str(conf),
               "-d", str(conf / ".doctrees"), "-q", "-n"]
        return subprocess.run(cmd, cwd=self.root, env=dict(os.environ, **{FRESH_ENV: "1"})).returncode == 0

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def _watcher_class():
    import watchfiles
    from sphinx_autobuild.server import RebuildServer

    class InProcessRebuildServer(RebuildServer):
        """sphinx-autobuild's watcher, with the rebuild run in a thread of this process (its own
        runs each rebuild in a new process, where no kernel could be kept), and the page reloaded
        only when the book was rebuilt."""

        async def watch(self) -> None:
            async for changes in watchfiles.awatch(*self.paths, watch_filter=lambda _, path: not self.ignore(path)):
                changed = sorted({Path(path).resolve() for _, path in changes})
                if await asyncio.to_thread(self.change_callback, changed_paths=changed):
                    self.flag.set()

    return InProcessRebuildServer


def quiet_logging() -> None:
    """Warnings only from the libraries' loggers. The book's theme imports a module
    (``a11y_pygments``) that sets the root logger to INFO, so that, once Sphinx has run in this
    process, the watcher and the notebook client would print a line in English at every save."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s : %(message)s")
    for name in ("watchfiles", "traitlets", "asyncio"):
        logging.getLogger(name).setLevel(logging.WARNING)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    quiet_logging()
    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.utils import open_browser as _open
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    conf_dir = root / "_build" / "serve"
    try:
        sphinx_conf(root, conf_dir)
    except build.BuildError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    out = conf_dir / "html"
    out.mkdir(parents=True, exist_ok=True)
    rebuild = Rebuilder(root, conf_dir, log=lambda line: print(line, flush=True))
    url_host = f"{host}:{port}"
    ignore = IgnoreFilter([str(root / d) for d in IGNORED_DIRS], [IGNORED_RE])
    watcher = _watcher_class()([root], ignore, change_callback=rebuild)
    app = Starlette(routes=[WebSocketRoute("/websocket-reload", watcher, name="reload"),
                            Mount("/", app=StaticFiles(directory=out, html=True), name="static")],
                    middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=url_host)],
                    lifespan=watcher.lifespan)
    print(f"livre servi sur http://{url_host}/ (Ctrl+C pour arrêter) ; il se reconstruit à chaque "
          "enregistrement d'un chapitre, d'une table de data/ ou de references.bib", flush=True)
    try:
        rebuild()
        if open_browser:
            _open(url_host, 0)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        rebuild.close()
    return 0
