"""Notebook hygiene: every page notebook lies under chapters/ and is listed in _toc.yml."""

from __future__ import annotations

from compendium.book.build import notebooks
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


def test_fictitious_data_only_appear_under_a_banner():
    """A page that reads data/demo/ opens with a « Données fictives » warning; no other page reads it."""
    import nbformat

    demo_pages = []
    for path in notebooks(ROOT):
        nb = nbformat.read(path, as_version=4)
        reads = nb.metadata.get("compendium", {}).get("inputs", {}).get("data", {})
        if any(r.startswith("data/demo/") for r in reads):
            demo_pages.append(path)
            banners = [c for c in nb.cells if c.cell_type == "markdown"
                       and ":::{admonition} Données fictives" in c.source and ":class: warning" in c.source]
            assert banners, f"{path.name} lit data/demo/ sans bandeau « Données fictives »"
    assert sorted(p.name for p in demo_pages) == ["demonstration.ipynb", "donnees.ipynb"]
