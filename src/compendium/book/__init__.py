"""The book and its documents: freshness and execution of the notebooks (``build``), the Sphinx
extension (``sphinx_ext``), the PDF (``pdf``, ``titlepage``), the live preview (``serve``), the
synthesis document (``synthdoc``) and the slide deck (``slides``)."""
