"""Execute the book's notebooks when, and only when, one of their inputs changed.

jupyter-cache keys a notebook on its code only, so a data edit would be served stale. Here
each notebook carries, in its metadata (``metadata.compendium.inputs``), the digests of what
its outputs were computed from:

- ``code``: its code cells and kernel;
- ``package``: the ``compendium`` package source and ``requirements.txt``;
- ``data``: every file it actually read through :func:`compendium.data.load_table`
  (recorded at run time by the loader, so nothing has to be declared by hand);
- ``outputs``: the outputs the build wrote, so that outputs cleared or changed outside the
  build (JupyterLab's «Clear All Outputs», nbstripout) are computed again.

A notebook is re-executed, in place, when any of these digests differs from the files on
disk; Jupyter Book then runs with ``execute_notebooks: off`` and renders the stored outputs.
Because the digests travel with the notebook, a fresh clone or a ``clean`` build knows the
committed outputs are current, and a data edit always re-runs exactly the readers of the
edited file.

The check runs before every build, whichever command starts it: ``compendium build`` calls
it (having started Jupyter Book, which imports Sphinx meanwhile and waits: :class:`JupyterBook`),
and the book's Sphinx extension calls it at ``config-inited`` for a plain
``jupyter-book build`` or ``sphinx-autobuild``. Stale notebooks run in parallel, one kernel
per core, each kernel kept (and reset) for all the notebooks it runs, with one open client, so
that libraries are imported once per kernel rather than once per notebook.

Early cutoff: a notebook re-executed because a file it reads changed may give the same outputs
(a value it does not show, say). It then keeps its previous modification time, so Sphinx neither
re-reads nor rewrites its page; only its stored input digests are new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from compendium.book.stamps import (BOOK_SOURCES, FRESH_STAMP, NOTEBOOK_DIR, chapters_outside_toc,  # noqa: F401
                                     config_problems,
                                     files_digest, is_built, is_marked_fresh, mark_built, mark_fresh,
                                     output_target, sources_digest, toc_remarks)
META_KEY = "compendium"
TIMEOUT_S = 600


class BuildError(Exception):
    """A notebook failed: the message is one line naming the notebook and the cell."""


@dataclass
class ExecutionReport:
    executed: dict[str, str] = field(default_factory=dict)  # notebook -> reason
    fresh: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # notebook -> its run, kernel start excluded
    kernel_seconds: list[float] = field(default_factory=list)  # start of each kernel (with its imports)
    wall: float = 0.0  # from the first kernel start to the last notebook written


def notebooks(root: Path) -> list[Path]:
    base = root / NOTEBOOK_DIR
    return sorted(p for p in base.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_digest(root: Path) -> str:
    """Digest of the package source and the pinned requirements."""
    h = hashlib.sha256()
    pkg = root / "src" / "compendium"
    for path in sorted(pkg.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js", ".json", ".css"}:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    req = root / "requirements.txt"
    if req.is_file():
        h.update(req.read_bytes())
    return h.hexdigest()


def code_digest(nb: nbformat.NotebookNode) -> str:
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    return _sha(json.dumps({"kernel": kernel, "cells": cells}).encode())


def outputs_digest(nb: nbformat.NotebookNode) -> str:
    """Digest of the code cells' outputs, as nbformat reads them back from the file (multi-line
    texts joined): the build stores it with the inputs, so that outputs cleared or recomputed
    outside the build (in JupyterLab, by nbstripout) make the notebook stale."""
    outputs = [cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"]
    return _sha(json.dumps(outputs, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def stored_inputs(nb: nbformat.NotebookNode) -> dict:
    return nb.metadata.get(META_KEY, {}).get("inputs", {})


def staleness(root: Path, path: Path, nb: nbformat.NotebookNode | None = None,
              pkg_digest: str | None = None) -> str | None:
    """Why ``path`` must be re-executed, or None if its stored outputs are current."""
    nb = nb if nb is not None else nbformat.read(path, as_version=4)
    inputs = stored_inputs(nb)
    if not inputs:
        return "jamais exécuté"
    if inputs.get("code") != code_digest(nb):
        return "code modifié"
    if inputs.get("package") != (pkg_digest or package_digest(root)):
        return "paquet compendium ou requirements.txt modifié"
    for rel, digest in sorted(inputs.get("data", {}).items()):
        file = root / rel
        if not file.is_file():
            return f"{rel} supprimé"
        if _sha(file.read_bytes()) != digest:
            return f"{rel} modifié"
    if inputs.get("outputs") != outputs_digest(nb):
        return "sorties effacées ou recalculées hors de la construction (dans Jupyter, par exemple)"
    return None


@dataclass
class InputCheck:
    """The problems of the book's inputs that stop a build, as the lines to print."""

    errors: list[str] = field(default_factory=list)  # « ERREUR fichier, ligne, colonne : … »
    advice: list[str] = field(default_factory=list)  # « CONSEIL … », said once after the errors
    remarks: list[str] = field(default_factory=list)  # « REMARQUE … »: said, the build goes on
    places: list[str] = field(default_factory=list)  # where the errors are: « data/ », « references.bib »…

    @property
    def lines(self) -> list[str]:
        return self.errors + self.advice + self.remarks

    def summary(self) -> str:
        """« 2 problèmes dans data/ et _config.yml », naming only where the errors are."""
        from compendium.prose import agree, listing

        where = listing(self.places) if self.places else "les sources du livre"
        return f"{agree(len(self.errors), '{n} problème', '{n} problèmes')} dans {where}"


def input_problems(root: Path) -> InputCheck:
    """Every problem of the tables of data/ (with the advice that goes with them) and of the
    bibliography's syntax. Checked before any notebook runs, so that a broken references.bib is
    named as such rather than as the notebook cell that first reads it."""
    from compendium import data
    from compendium.literature import bibfile

    problems = data.validate_package(root)
    check = InputCheck(advice=data.advice(problems))

    def add(place: str, lines: list[str]) -> None:
        check.errors.extend(f"ERREUR {line}" for line in lines)
        if lines and place not in check.places:
            check.places.append(place)

    add("data/", problems)
    bib_error = bibfile.check(root)
    add("references.bib", [bib_error] if bib_error else [])
    add("_config.yml", config_problems(root))
    if not check.errors:  # the synthesis reads valid tables: its own checks come after theirs
        from compendium.cases.evidence_ids import unknown_ids

        # a remark, not an error: a chapter may cite an element before its row is written
        check.remarks += [f"REMARQUE {line}" for line in unknown_ids(root)]
        add("data/", synthesis_problems(root))
    return check


#: The digest of data/, references.bib and the package when the synthesis tables were last found consistent.
SYNTHESIS_STAMP = "_build/.synthesis-ok.sha256"


def synthesis_problems(root: Path) -> list[str]:
    """What the synthesis tables cite that the data do not hold (an evidence id, a key of
    references.bib, an element a status rationale names but its row does not list), one line
    each. These checks join tables, so they are not the data package's; they run here with the
    package's, before any notebook (``./run validate`` names them too), and are skipped while
    data/, references.bib and the package are those of the last good check."""
    digest = files_digest(root, [*root.glob("data/**/*"), root / "references.bib"],
                          seed=package_digest(root))  # a new rule in the package checks again
    stamp = root / SYNTHESIS_STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return []
    # anything else than the synthesis's own problems (a package that does not import, say) is
    # left to the notebook that meets it, which names its cell
    try:
        from compendium.cases import synthesis
    except Exception:  # noqa: BLE001
        return []
    try:
        synthesis.load(root)
    except synthesis.SynthesisError as exc:
        return str(exc).splitlines()
    except Exception:  # noqa: BLE001
        return []
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")
    return []


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, str]:
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return index + 1, f"{out.get('ename')}: {out.get('evalue')}"
    return 0, "erreur inconnue"


#: Run in the kernel before each notebook: a clean namespace, the notebook's folder as working
#: directory, its own log of the data files it reads, pandas display options back to their defaults,
#: and execution counts from 1 — so that a kernel shared by several notebooks gives each the
#: outputs a fresh kernel would (nbval, which runs each notebook in its own kernel, checks it).
_PREPARE = """\
get_ipython().run_line_magic('reset', '-f')
import os as _os, sys as _sys
_os.chdir({cwd!r})
_os.environ['COMPENDIUM_READS_LOG'] = {log!r}
if 'pandas' in _sys.modules:
    _sys.modules['pandas'].reset_option('display')
get_ipython().execution_count = 1
del _os, _sys
"""


_WARM_UP = """\
try:
    import compendium, compendium.figures, compendium.prose
    import compendium.cases.coding, compendium.cases.ecosystem, compendium.cases.framework
    import compendium.cases.secondary, compendium.cases.synthesis
    import compendium.fieldwork.interviews, compendium.literature.review
    import myst_nb.ext.glue  # what glue imports on its first call (nbformat, jsonschema): 0.3 s
    # plotly loads the validators of a trace type the first time a figure uses it
    compendium.figures.horizontal_bars(["a"], [1], "a", "a").to_json()
except Exception:  # the notebook that imports them will say which cell fails
    pass
"""


def _quiet(msg) -> None:
    """Output hook for the build's own kernel requests: nothing of theirs reaches the terminal."""


class _Kernel:
    """One kernel kept alive for several notebooks, with one client whose channels stay open:
    libraries are imported once per kernel, and the client waits for the kernel once, not
    for every notebook (each wait lets the kernel idle a few tenths of a second)."""

    def __init__(self, root: Path, kernel_name: str = "python3"):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.root = root
        self.kernel_name = kernel_name
        # IPC transport: no TCP port, and no «running over TCP without encryption» warning.
        self.km = AsyncKernelManager(kernel_name=kernel_name, transport="ipc",
                                     connection_file=tempfile.mktemp(prefix="compendium-kernel-", suffix=".json"))
        self.km.ip = os.path.join(tempfile.gettempdir(), f"compendium-ipc-{os.getpid()}-{id(self)}")
        env = dict(os.environ, COMPENDIUM_ROOT=str(root), PYTHONHASHSEED="0")
        env.pop("COMPENDIUM_READS_LOG", None)
        # No history database: execution counts restart at 1 for each notebook.
        run_sync(self.km.start_kernel)(env=env, cwd=str(root), extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.allow_stdin = False
        run_sync(self.kc.wait_for_ready)(timeout=60)
        # The libraries nearly every notebook uses (pandas, plotly, networkx, the package's
        # modules, plotly's validators of a bar chart), imported once here, so that a notebook's
        # time is its own and not that of being first in its kernel (measured: 1.2 s of the
        # Rennes notebook's 3.7 s when it ran first in a new kernel).
        # A failure is left to the notebook that imports them, whose message names its cell.
        run_sync(self.kc.execute_interactive)(_WARM_UP, silent=True, store_history=False, timeout=120,
                                              output_hook=_quiet)

    def prepare(self, path: Path, reads_log: Path) -> None:
        from jupyter_core.utils import run_sync

        code = _PREPARE.format(cwd=str(path.parent), log=str(reads_log))
        reply = run_sync(self.kc.execute_interactive)(code, silent=True, store_history=False, timeout=60,
                                                      output_hook=_quiet)
        if reply["content"].get("status") != "ok":
            raise BuildError(f"préparation du noyau impossible : {reply['content'].get('evalue', '?')}")

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # pragma: no cover
            return False

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            self.kc.stop_channels()
        except Exception:  # pragma: no cover - channels already closed
            pass
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # pragma: no cover - kernel already gone
            pass
        try:
            run_sync(self.km._async_cleanup_resources)()
        except Exception:  # pragma: no cover
            pass


def execute(root: Path, path: Path, kernel: _Kernel | None = None) -> nbformat.NotebookNode:
    """Run ``path`` top to bottom and store its outputs and input digests in place.

    With ``kernel``, the notebook runs in that (shared, reset) kernel; otherwise in its own.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    before_stat = path.stat()
    nb = nbformat.read(path, as_version=4)
    before = rendered_digest(nb)
    rel = path.relative_to(root).as_posix()
    kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    own = kernel is None or kernel.kernel_name != kernel_name
    if own:
        kernel = _Kernel(root, kernel_name)
    with tempfile.NamedTemporaryFile("w+", suffix=".reads", delete=False) as fh:
        reads_log = Path(fh.name)
    try:
        kernel.prepare(path, reads_log)
        client = NotebookClient(nb, km=kernel.km, timeout=TIMEOUT_S, kernel_name=kernel_name,
                                allow_errors=False, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        client.kc = kernel.kc  # the kernel's open client: no new channels, no new wait
        try:
            client.execute()
        except CellTimeoutError:
            raise BuildError(f"{rel} : une cellule dépasse {TIMEOUT_S} s") from None
        except CellExecutionError:
            cell, message = _failed_cell(nb)
            raise BuildError(f"{rel}, cellule {cell} : {message}") from None
        reads = sorted(set(reads_log.read_text(encoding="utf-8").split()))
    finally:
        reads_log.unlink(missing_ok=True)
        if own:
            kernel.shutdown()
    nb.metadata[META_KEY] = {
        "inputs": {
            "code": code_digest(nb),
            "package": package_digest(root),
            "data": {r: _sha((root / r).read_bytes()) for r in reads},
            # of the outputs as they will be read back from the file
            "outputs": outputs_digest(nbformat.reads(nbformat.writes(nb), as_version=4)),
        }
    }
    nbformat.write(nb, path)
    if rendered_digest(nb) == before:
        # Early cutoff: the outputs are what they were (only the input digests changed), so the
        # page Sphinx would render is the same. The file keeps its previous modification time and
        # Sphinx does not read or write that page again. (Git still sees the new digests: the
        # write changed the file's ctime, which git checks too.)
        os.utime(path, ns=(before_stat.st_atime_ns, before_stat.st_mtime_ns))
    return nb


def rendered_digest(nb: nbformat.NotebookNode) -> str:
    """Digest of what Sphinx renders from ``nb``: everything but the compendium's input digests."""
    meta = {k: v for k, v in nb.metadata.items() if k != META_KEY}
    return _sha(json.dumps([meta, nb.cells], sort_keys=True, ensure_ascii=False).encode("utf-8"))


def default_jobs() -> int:
    """Parallel kernels: one per core (``COMPENDIUM_JOBS`` overrides), at most 4."""
    env = os.environ.get("COMPENDIUM_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def stale_notebooks(root: Path, force: bool = False) -> tuple[list[tuple[Path, str]], list[str]]:
    """(stale notebooks with the reason, fresh notebooks) under chapters/."""
    pkg = package_digest(root)
    stale, fresh = [], []
    for path in notebooks(root):
        reason = "exécution forcée" if force else staleness(root, path, pkg_digest=pkg)
        if reason is None:
            fresh.append(path.relative_to(root).as_posix())
        else:
            stale.append((path, reason))
    return stale, fresh


def live_kernel(root: Path, kernel: _Kernel | None) -> tuple[_Kernel, float | None]:
    """``kernel`` if it is alive, else a new one (a dead one is shut down first), with the
    seconds the new one took to start (None when ``kernel`` was kept)."""
    if kernel is not None and kernel.alive():
        return kernel, None
    if kernel is not None:
        kernel.shutdown()
    start = time.perf_counter()
    kernel = _Kernel(root)
    return kernel, time.perf_counter() - start


class KernelPool:
    """Threads that each keep one kernel alive and run the notebooks given to them.

    A kernel's client belongs to the thread that made it, so each kernel has its thread.
    :func:`execute_stale` makes a pool for one build and closes it; ``./run serve`` keeps one
    from a rebuild to the next, and makes a new one when the package changes (its kernels have
    the old code imported). Kernels start on first use.
    """

    def __init__(self, root: Path, size: int):
        import queue
        import threading

        self.root = root
        self.size = size
        self.package = package_digest(root)
        self._jobs: queue.Queue = queue.Queue()
        self._threads = [threading.Thread(target=self._serve, name=f"compendium-kernel-{i}", daemon=True)
                         for i in range(size)]
        for thread in self._threads:
            thread.start()

    def _serve(self) -> None:
        kernel = None
        try:
            while (job := self._jobs.get()) is not None:
                kernel = job(kernel)
        finally:
            if kernel is not None:
                kernel.shutdown()

    def warm(self, wait: bool = False) -> None:
        """Start a kernel in each thread that has none (or a dead one), in the background, so that
        the next build finds its kernels ready; ``./run serve`` calls it after each rebuild."""
        import threading

        barrier = threading.Barrier(self.size)
        done = threading.Semaphore(0)

        def job(kernel: _Kernel | None) -> _Kernel | None:
            try:
                kernel, _ = live_kernel(self.root, kernel)
            except Exception:  # the next build starts its own and reports why it cannot
                kernel = None
            try:  # one warm-up per thread: wait until every thread has taken its own
                barrier.wait(timeout=TIMEOUT_S)
            except threading.BrokenBarrierError:  # pragma: no cover
                pass
            done.release()
            return kernel

        for _ in self._threads:
            self.submit(job)
        if wait:
            for _ in self._threads:
                done.acquire()

    def submit(self, job) -> None:
        """Run ``job(kernel)`` on the next free thread; it returns the kernel to keep (or None)."""
        self._jobs.put(job)

    def close(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()


def execute_stale(root: Path, force: bool = False, log=print, jobs: int | None = None,
                  pool: KernelPool | None = None) -> ExecutionReport:
    """Execute every stale notebook under chapters/ (all of them with ``force``).

    Stale notebooks are shared among ``jobs`` kernels (those of ``pool`` if given, kept
    afterwards), each kept for all the notebooks it runs; the first failure stops the build
    with its one-line message.
    """
    import threading

    report = ExecutionReport()
    stale, report.fresh = stale_notebooks(root, force)
    if not stale:
        return report
    for path, reason in stale:
        log(f"exécution de {path.relative_to(root).as_posix()} ({reason})")
    own_pool = pool is None
    if own_pool:
        pool = KernelPool(root, max(1, min(jobs or default_jobs(), len(stale))))
    errors: list[BuildError] = []
    lock = threading.Lock()
    left = [len(stale)]
    finished = threading.Event()

    def job_for(path: Path, reason: str):
        rel = path.relative_to(root).as_posix()

        def job(kernel: _Kernel | None) -> _Kernel | None:
            try:
                if errors:  # a notebook failed: the build stops, the rest is not run
                    return kernel
                try:
                    kernel, started = live_kernel(root, kernel)
                    if started is not None:
                        with lock:
                            report.kernel_seconds.append(started)
                    start = time.perf_counter()
                    execute(root, path, kernel)
                except Exception as exc:  # the notebook's error, or a kernel that will not start…
                    if not isinstance(exc, BuildError):
                        exc = BuildError(f"{rel} : exécution impossible ({type(exc).__name__}: {exc})")
                    with lock:
                        errors.append(exc)
                    if kernel is not None:  # after a failure (a timeout, say), a fresh kernel next time
                        kernel.shutdown()
                    return None
                with lock:
                    report.seconds[rel] = time.perf_counter() - start
                    report.executed[rel] = reason
                return kernel
            finally:
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        finished.set()

        return job

    wall_start = time.perf_counter()
    for path, reason in stale:
        pool.submit(job_for(path, reason))
    finished.wait()
    report.wall = time.perf_counter() - wall_start
    if own_pool:
        pool.close()
    if errors:
        raise errors[0]
    return report


ANSI = re.compile(r"\x1b\[[0-9;]*m")


#: Set for a Jupyter Book process started before the notebooks are executed: the number of the
#: file descriptor (a pipe) on which the book's extension waits, at ``builder-inited``, for the
#: word to read the pages (see :class:`JupyterBook` and ``sphinx_ext``).
HOLD_ENV = "COMPENDIUM_HOLD_FD"
#: ``1``: ``compendium build html`` starts Jupyter Book only after the notebooks (for comparison).
SEQUENTIAL_ENV = "COMPENDIUM_SEQUENTIAL_BUILD"


class JupyterBook:
    """``jupyter-book build`` in a child process, quiet (log in _build/), one ``ERREUR`` line per
    problem.

    With ``held=True`` the child imports Sphinx and its extensions and loads the saved
    environment, then waits before reading any page until :meth:`release` says the notebooks
    are executed; so that fixed cost (about 2 s) runs while the kernels work. :meth:`abort`
    stops it (a notebook failed: the pages are not to be read).
    """

    def __init__(self, root: Path, builder: str, held: bool = False):
        self.root = root
        self.builder = builder
        exe = shutil.which("jupyter-book", path=str(Path(sys.executable).parent)) or "jupyter-book"
        cmd = [exe, "build", str(root), "--builder", builder, "-W", "-n", "--keep-going"]
        env = dict(os.environ, COMPENDIUM_NOTEBOOKS_FRESH="1")  # executed by the parent (see sphinx_ext)
        self._hold = None
        fds: tuple[int, ...] = ()
        if held:
            read_end, self._hold = os.pipe()
            env[HOLD_ENV] = str(read_end)
            fds = (read_end,)
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=root, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env, pass_fds=fds)
        if held:
            os.close(read_end)

    def release(self) -> None:
        """The notebooks are written: the child may read the pages."""
        if self._hold is not None:
            try:
                os.write(self._hold, b"1")
            except BrokenPipeError:  # the child has already stopped: finish() reports why
                pass
            os.close(self._hold)
            self._hold = None

    def abort(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None
        self._log.close()

    def finish(self) -> int:
        """Wait for the build; its exit code, after one ``ERREUR`` line per problem if it failed."""
        self.release()
        code = self.proc.wait()
        self._log.seek(0)
        output = ANSI.sub("", self._log.read().decode("utf-8", errors="replace"))
        self._log.close()
        root = self.root
        log = root / "_build" / f"jupyter-book-{self.builder}.log"
        log.parent.mkdir(exist_ok=True)
        log.write_text(output, encoding="utf-8")
        if code == 0:
            return 0
        # Sphinx re-reads only changed pages, so an unchanged page would not warn again: forget
        # the saved environment, and the next build reads (and checks) every page.
        shutil.rmtree(root / "_build" / ".doctrees", ignore_errors=True)
        lines = [line.strip() for line in output.splitlines()]
        problems = [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL)\b|Error:|Exception:", line)]
        from compendium.book.messages import error_line

        for line in problems or [next((x for x in reversed(lines) if x), "échec sans message")]:
            print(f"ERREUR {error_line(line.replace(str(root) + '/', ''))}", file=sys.stderr)
        print(f"(journal complet : {log})", file=sys.stderr)
        return code or 1


def run_jupyter_book(root: Path, builder: str) -> int:
    """Run ``jupyter-book build`` quietly (log in _build/), one ``ERREUR`` line per problem."""
    return JupyterBook(root, builder).finish()
