"""The book and its documents: freshness and execution of the notebooks (``build``), the
digests and stamps a no-op checks (``stamps``), the gate that stops a plain ``jupyter-book
build`` with nothing to do (``gate``), the Sphinx extension (``sphinx_ext``), the PDF (``pdf``,
``titlepage``), the live preview (``serve``), the synthesis document (``synthdoc``) and the
slide deck (``slides``)."""
