"""The first extension of the book (``_config.yml`` → ``sphinx.config.extensions``): a plain
``jupyter-book build .`` that has nothing to do stops here, before Sphinx imports MyST-NB,
the themes and the rest (about two thirds of such a run).

It stops, successfully, with «rien n'a changé depuis la dernière construction», when all of
these hold:

- the command is ``jupyter-book build`` of the HTML book into ``_build/html``, without
  ``--all`` (read from Jupyter Book's own ``build_sphinx`` call: any other command, builder,
  output folder or option builds as usual);
- no source of the book changed since its notebooks were last found fresh
  (:func:`compendium.book.stamps.is_marked_fresh`);
- the HTML book was last built, without a warning, from these very sources (the stamp that
  ``./run html`` keeps, and that :mod:`compendium.book.sphinx_ext` writes at the end of a clean
  plain build).

Otherwise it only clears that stamp (a build interrupted half-way is not a built book) and lets
Sphinx go on. It imports nothing but :mod:`compendium.book.stamps`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from compendium.book.stamps import (FRESH_ENV, MARKS_BUILT, is_built, is_marked_fresh, mark_built, output_target,
                                     sources_digest, toc_remarks)


def jupyter_book_call() -> dict | None:
    """The arguments of the ``jupyter_book.sphinx.build_sphinx`` call that is creating this
    Sphinx application, or None when Sphinx was started another way (``sphinx-build``, the
    live preview, a test)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "build_sphinx" and frame.f_globals.get("__name__") == "jupyter_book.sphinx":
            return dict(frame.f_locals)
        frame = frame.f_back
    return None


def into_the_book(root: Path, call: dict | None) -> bool:
    """A ``jupyter-book build`` of the HTML book into ``_build/html``."""
    return bool(call) and call.get("builder") == "html" and (
        Path(call.get("outputdir", "")).resolve() == (root / "_build" / "html").resolve())


def plain(call: dict) -> bool:
    """Without ``--all`` (a new environment) and without a list of files."""
    return not call.get("freshenv") and not call.get("force_all") and not call.get("filenames")


def setup(app):
    root = Path(app.srcdir)
    call = jupyter_book_call()
    if os.environ.get(FRESH_ENV) != "1" and into_the_book(root, call):
        if plain(call):
            digest = sources_digest(root)
            if is_marked_fresh(root, digest) and is_built(root, "html", digest):
                for line in toc_remarks(root):
                    print(line, flush=True)
                print(f"rien n'a changé depuis la dernière construction : {output_target(root, 'html')}", flush=True)
                raise SystemExit(0)
        mark_built(root, "html", None)
        setattr(app, MARKS_BUILT, True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
