"""What a no-op build checks before anything heavy is imported: the digest of the book's
sources, the stamps that record that the notebooks were fresh (``mark_fresh``) and that an
output was built from those sources (``mark_built``), and the chapters ``_toc.yml`` leaves out.

It imports only the standard library (and PyYAML for ``_toc.yml``), so that
:mod:`compendium.book.gate` can run it first in a plain ``jupyter-book build``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from compendium.data import is_lock_file

NOTEBOOK_DIR = "chapters"
#: Set by ``compendium build`` (``./run html``) and the live preview, which have just executed
#: the stale notebooks themselves and record their own builds.
FRESH_ENV = "COMPENDIUM_NOTEBOOKS_FRESH"
#: Attribute that :mod:`compendium.book.gate` sets on the Sphinx application of a
#: ``jupyter-book build`` into ``_build/html``, whose clean result
#: :mod:`compendium.book.sphinx_ext` records at ``build-finished`` (:func:`mark_built`).
MARKS_BUILT = "compendium_marks_built"

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "requirements.txt", "*.md",
                "chapters/**/*", "data/**/*", "src/compendium/**/*", "_static/**/*", "_templates/**/*")


def sources_digest(root: Path) -> str:
    """Digest of everything a Sphinx build reads: when it is unchanged, the build is a no-op."""
    return files_digest(root, [p for pattern in BOOK_SOURCES for p in root.glob(pattern)
                               if "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts
                               and not is_lock_file(p)])  # a table open in LibreOffice is not an edit


def files_digest(root: Path, paths, seed: str = "") -> str:
    """Digest of the names (relative to ``root``) and contents of the files among ``paths``."""
    h = hashlib.sha256(seed.encode())
    for path in sorted({p for p in paths if p.is_file()}):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).hexdigest().encode())
    return h.hexdigest()


def chapter_prose(root: Path):
    """The prose of the book's pages, a block at a time: ``(page, cell, text)`` for each Markdown
    page (``cell`` None) and each Markdown cell of a notebook (``cell`` its number from 1), page
    being the path relative to ``root``. Read with the standard library (no nbformat), for the
    checks that run before a build."""
    import json

    pages = sorted(root.glob("*.md")) + sorted((root / NOTEBOOK_DIR).rglob("*.md"))
    for path in pages:
        if ".ipynb_checkpoints" not in path.parts:
            yield path.relative_to(root).as_posix(), None, path.read_text(encoding="utf-8")
    for path in sorted((root / NOTEBOOK_DIR).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue  # the build names an unreadable notebook itself
        for index, cell in enumerate(cells, start=1):
            if cell.get("cell_type") == "markdown":
                source = cell.get("source", "")
                yield path.relative_to(root).as_posix(), index, "".join(source) if isinstance(source, list) else source


def chapters_outside_toc(root: Path) -> list[str]:
    """The chapters (``.md``, ``.ipynb`` under chapters/) that ``_toc.yml`` does not list: with
    ``only_build_toc_files``, Jupyter Book leaves them out of the book without a word."""
    import yaml

    toc_path = root / "_toc.yml"
    if not toc_path.is_file():
        return []
    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    except yaml.YAMLError:  # Jupyter Book names the error in _toc.yml itself
        return []
    listed: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("file", "root") and isinstance(value, str):
                    listed.add(str(Path(value).with_suffix("")) if Path(value).suffix in (".md", ".ipynb") else value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    base = root / NOTEBOOK_DIR
    return [p.relative_to(root).as_posix() for p in sorted(base.rglob("*"))
            if p.suffix in (".md", ".ipynb") and ".ipynb_checkpoints" not in p.parts
            and p.relative_to(root).with_suffix("").as_posix() not in listed]


def config_problems(root: Path) -> list[str]:
    """What ``_config.yml`` asks that Jupyter Book would silently ignore: the book lists its Sphinx
    extensions in full under ``sphinx.config.extensions`` (so that its gate comes first), and
    that list replaces ``sphinx.extra_extensions`` and ``sphinx.local_extensions``, the keys
    Jupyter Book's documentation tells users to add an extension to."""
    import yaml

    path = root / "_config.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except yaml.YAMLError:  # Jupyter Book names the error in _config.yml itself
        return []
    sphinx = config.get("sphinx") if isinstance(config, dict) else None
    if not isinstance(sphinx, dict) or not isinstance(sphinx.get("config"), dict) \
            or "extensions" not in sphinx["config"]:
        return []
    problems = []
    for key in ("extra_extensions", "local_extensions"):
        value = sphinx.get(key)
        if value:
            names = list(value) if isinstance(value, (list, dict)) else [value]
            problems.append(f"_config.yml, clé « sphinx.{key} » : ignorée par Jupyter Book, car "
                            f"« sphinx.config.extensions » donne la liste complète des extensions : ajoutez-y "
                            f"{', '.join(f'« {n} »' for n in names)} (à la suite, la première ligne restant "
                            f"compendium.book.gate) et retirez « {key} »")
    return problems


def toc_remarks(root: Path) -> list[str]:
    """One line for each chapter the book leaves out because ``_toc.yml`` does not list it."""
    return [f"REMARQUE {rel} n'est pas dans _toc.yml : ce chapitre n'apparaît pas dans le livre "
            f"(pour l'y mettre, ajoutez la ligne « - file: {rel.rsplit('.', 1)[0]} » à _toc.yml)"
            for rel in chapters_outside_toc(root)]


FRESH_STAMP = "_build/.fresh-inputs.sha256"


def write_stamp(stamp: Path, digest: str) -> None:
    """Write a digest to its stamp file; in a read-only tree, nothing (the check runs again next
    time)."""
    try:
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(digest, encoding="utf-8")
    except OSError:
        pass


def _holds(stamp: Path, root: Path, digest: str | None) -> bool:
    """True when ``stamp`` holds the digest of the current sources (``digest``, if computed)."""
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == (digest or sources_digest(root))


def output_target(root: Path, builder: str) -> Path:
    """What a build of ``builder`` (``html`` or ``pdf``) makes: the page a reader opens first."""
    return root / "_build" / ("livre.pdf" if builder == "pdf" else "html/index.html")


def _output_stamp(root: Path, builder: str) -> Path:
    return root / "_build" / f".{builder}-inputs.sha256"


def is_built(root: Path, builder: str, digest: str | None = None) -> bool:
    """True when the output of ``builder`` was built, without error, from the current sources
    (``digest``: their :func:`sources_digest`, if already computed)."""
    return output_target(root, builder).is_file() and _holds(_output_stamp(root, builder), root, digest)


def mark_built(root: Path, builder: str, digest: str | None) -> None:
    """Record that ``builder``'s output matches the sources of ``digest`` (None: it does not)."""
    stamp = _output_stamp(root, builder)
    if digest is None:
        stamp.unlink(missing_ok=True)
    else:
        write_stamp(stamp, digest)


def is_marked_fresh(root: Path, digest: str | None = None) -> bool:
    """True when no source of the book changed since :func:`mark_fresh` was last called
    (``digest``: their :func:`sources_digest`, if already computed)."""
    return _holds(root / FRESH_STAMP, root, digest)


def mark_fresh(root: Path) -> str:
    """Record that data/ validated and no notebook was stale, for the current sources; return
    their digest."""
    digest = sources_digest(root)
    write_stamp(root / FRESH_STAMP, digest)
    return digest
