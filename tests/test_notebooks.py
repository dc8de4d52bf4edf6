"""Notebook hygiene: every page notebook lies under chapters/ and is listed in _toc.yml."""

from __future__ import annotations

from compendium.build import notebooks
from conftest import ROOT


def test_every_notebook_is_in_the_toc():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for path in notebooks(ROOT):
        rel = path.relative_to(ROOT).with_suffix("").as_posix()
        assert f"file: {rel}" in toc, f"{rel}.ipynb n'est pas dans _toc.yml"


def test_key_result_cells_are_checked_by_nbval():
    import nbformat

    tagged = 0
    for path in notebooks(ROOT):
        nb = nbformat.read(path, as_version=4)
        tagged += sum("nbval-check-output" in c.metadata.get("tags", []) for c in nb.cells)
    assert tagged >= 1
