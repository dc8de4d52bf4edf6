"""Figures a reader can read: French typography in every figure text, the chronology and the
ecosystem map laid out for any width, and what :func:`compendium.figures.show` puts in the page
(caption, text alternative, discreet provenance). The browser test (test_outputs.py) checks the
drawn pages at 1280 and 390 pixels."""

from __future__ import annotations

import itertools
import subprocess
import sys
import math
import re

import networkx as nx
import plotly.graph_objects as go
import pytest

from compendium import figures, load_table
from compendium.cases.ecosystem import _layout, case_graph, network_figure, network_table
from compendium.cases.secondary import chronology, chronology_figure, date_precision, short_date
from compendium.figures import NNBSP, figure_texts, french_figure, french_number, french_text

# a straight apostrophe, or an ordinary space (or none) before « ; ! ? % » or a colon ending a
# phrase, outside plotly's %{…} fields and tags
BAD = re.compile(r"'|(?<=[^\s(\[])[ \u00a0]?[;!?]|(?<=[^\s(\[%])[ \u00a0]?%(?!\{)|(?<=\S)[ \u00a0]?:(?=\s)")


def _bad_texts(fig: go.Figure) -> list[str]:
    out = []
    for text in figure_texts(fig):
        plain = re.sub(r"%\{[^}]*\}|<[^>]*>|https?://\S+", "", text)
        if BAD.search(plain.replace(NNBSP + ":", "").replace(NNBSP + ";", "").replace(NNBSP + "%", "")
                      .replace(NNBSP + "?", "").replace(NNBSP + "!", "")):
            out.append(text)
    return out


@pytest.mark.parametrize("raw, expected", [
    ("Carte de l'écosystème", "Carte de l’écosystème"),
    ("Exclues : hors du sujet", f"Exclues{NNBSP}: hors du sujet"),
    ("Exclues: hors du sujet", f"Exclues{NNBSP}: hors du sujet"),
    ("Part des sources (%)", "Part des sources (%)"),
    ("50 % des sources", f"50{NNBSP}% des sources"),
    ("50%", f"50{NNBSP}%"),
    ("Pourquoi ? Parce que ; enfin !", f"Pourquoi{NNBSP}? Parce que{NNBSP}; enfin{NNBSP}!"),
    ("« calendrier »", f"«{NNBSP}calendrier{NNBSP}»"),
    ("%{y} : %{x:.1f}<extra></extra>", f"%{{y}}{NNBSP}: %{{x:.1f}}<extra></extra>"),
    ("à 10:30, ratio 1:2", "à 10:30, ratio 1:2"),
    ("voir https://example.org/a?b=1 !", f"voir https://example.org/a?b=1{NNBSP}!"),
    (f"déjà{NNBSP}: fait", f"déjà{NNBSP}: fait"),
])
def test_french_text(raw, expected):
    assert french_text(raw) == expected
    assert french_text(expected) == expected  # idempotent


def test_french_numbers():
    assert french_number(12.5) == "12,5"
    assert french_number(12345) == f"12{NNBSP}345"
    assert french_number(3.0) == "3"
    assert french_number(0.125) == "0,12" or french_number(0.125) == "0,13"


def test_french_figure_reaches_every_text():
    fig = go.Figure(go.Bar(x=[12.5, 3], y=["l'un", "l'autre"], text=[12.5, 3], name="Série : A",
                           hovertemplate="%{y} : %{x}<extra></extra>"))
    fig.update_layout(title="Carte de l'écosystème", xaxis_title="Part (%)", legend_title_text="Hélice:")
    fig.add_annotation(text="Exclues : hors du sujet", x=1, y=1)
    out = french_figure(fig)
    assert _bad_texts(out) == []
    assert out.layout.title.text == "Carte de l’écosystème"
    assert list(out.data[0].text) == ["12,5", "3"]
    assert out.data[0].hovertemplate == f"%{{y}}{NNBSP}: %{{x}}<extra></extra>"
    assert out.layout.separators == ",\u202f" or (fig.layout.template.layout.separators == ",\u202f")
    assert _bad_texts(fig), "the probe figure must start with bad typography"


def test_french_spec_is_what_plotly_would_write(tables):
    """:func:`show` works on the spec and never builds (and validates) a figure again: the spec
    must be the one plotly writes for the validated figure, key order and all (the order names
    the PNG in the print cache)."""
    import json

    import pandas as pd
    import plotly.io as pio

    dated, _ = chronology(tables["events"], "rennes")
    graph = case_graph(tables["actors"], tables["relations"], "rennes")
    probes = [figures.horizontal_bars(["l'un", "l'autre"], [12.5, 3], "Parts : A", "part (%)"),
              figures.heatmap(pd.DataFrame([[1, 0], [2, 3]], index=["a", "b"], columns=["x", "y"]), "Matrice", "n"),
              chronology_figure(dated, "Chronologie"), network_figure(graph, "Carte")]
    for fig in probes:
        spec = figures.french_spec(fig)
        validated = pio.to_json(go.Figure(spec), validate=False)
        assert pio.to_json(spec, validate=False) == validated
        assert _bad_texts(go.Figure(spec)) == []


@pytest.fixture(scope="module")
def tables():
    return {name: load_table(name) for name in ("events", "actors", "relations")}


@pytest.mark.parametrize("case", ["rennes", "territoire"])
def test_case_figures_follow_french_typography(tables, case):
    dated, _ = chronology(tables["events"], case)
    graph = case_graph(tables["actors"], tables["relations"], case)
    for fig in (chronology_figure(dated, "Chronologie de l'étude"), network_figure(graph, "Carte de l'écosystème")):
        assert _bad_texts(french_figure(fig)) == []


@pytest.mark.parametrize("case", ["rennes", "territoire"])
def test_chronology_shows_every_dated_event_with_its_precision(tables, case):
    dated, undated = chronology(tables["events"], case)
    fig = chronology_figure(dated, "Chronologie")
    texts = [a.text for a in fig.layout.annotations]
    for date, title in zip(dated["date"], dated["title"]):
        assert short_date(date) in texts
        assert title.split()[0] in " ".join(texts)
    markers = sum(len(t.y) for t in fig.data)
    assert markers == len(dated) and len(undated) + len(dated) == (tables["events"]["case"] == case).sum()
    # one marker style per precision present, named in the key above the timeline
    styles = {t.name: t.marker.symbol for t in fig.data}
    assert set(styles) == {{"day": "jour", "month": "mois", "year": "année"}[date_precision(d)] for d in dated["date"]}
    assert len(set(styles.values())) == len(styles)
    assert any(a.text.startswith("Date connue au") for a in fig.layout.annotations)
    # no line of an event title is longer than what a 360-pixel phone shows beside the dates
    for a in fig.layout.annotations:
        for line in re.split("<br>", re.sub(r"<(?!br)[^>]*>", "", a.text)):
            assert len(line) <= 40 or a.text.startswith("Date connue"), line
    # the print version has fewer, longer lines: it is shorter
    assert chronology_figure(dated, "Chronologie", for_print=True).layout.height < fig.layout.height
    assert fig.layout.meta["alt"].startswith("Chronologie : frise verticale de")


def test_short_dates():
    assert short_date("2018") == "2018"
    assert short_date("2018-02") == "févr. 2018"
    assert short_date("2018-02-02") == "2 févr. 2018"
    assert short_date("2014-09-01") == "1er sept. 2014"
    assert [date_precision(d) for d in ("2018", "2018-02", "2018-02-02")] == ["year", "month", "day"]


@pytest.mark.parametrize("case", ["rennes", "territoire"])
def test_network_layout_is_stable_spread_and_numbered(tables, case):
    graph = case_graph(tables["actors"], tables["relations"], case)
    pos, order = _layout(graph)
    # the same drawing at every build: same positions from a graph built again, in another order
    again = nx.MultiGraph()
    again.add_nodes_from(sorted(graph.nodes(data=True), reverse=True))
    again.add_edges_from(sorted(graph.edges(keys=True, data=True), reverse=True))
    pos2, order2 = _layout(again)
    assert order2 == order and all(math.isclose(pos[n][0], pos2[n][0]) and math.isclose(pos[n][1], pos2[n][1])
                                   for n in pos)
    # markers stay apart: no two actors closer than a tenth of the ring radius
    for a, b in itertools.combinations(pos, 2):
        assert math.dist(pos[a], pos[b]) > 0.1, (a, b)
    # every actor is numbered on the map, and the table gives the same numbers and information
    fig = network_figure(graph, "Carte")
    numbers = sorted(int(t) for trace in fig.data[1:] for t in trace.text)
    assert numbers == list(range(1, graph.number_of_nodes() + 1))
    table = network_table(graph)
    assert list(table["n°"]) == numbers
    assert set(table["id"]) == set(graph.nodes)
    assert {"acteur", "hélice", "nature", "rôles", "partenaires"} <= set(table.columns)
    by_number = dict(zip(table["n°"], table["acteur"]))
    hovers = [h for trace in fig.data[1:] for h in trace.hovertext]
    for n, name in by_number.items():
        hover = next(h for h in hovers if h.startswith(f"<b>{n}. "))
        assert re.sub("<br>", " ", hover).count(name.split()[0]) and "hélice" in hover and "rôles" in hover


def test_show_puts_caption_alt_and_discreet_provenance(monkeypatch):
    shown, rendered = [], []
    monkeypatch.setattr(figures, "to_png", lambda fig, width=None: rendered.append(fig) or b"png")
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    fig = figures.horizontal_bars(["l'un", "l'autre"], [2, 1], "Sources de l'étude", "sources")
    figures.show(fig, "essai", tables=["events"])
    (bundle, meta), (prov, _) = shown
    html = bundle["text/html"]
    assert '<figcaption class="cmp-figure-title">Sources de l’étude</figcaption>' in html
    assert 'aria-label="Sources de l’étude' in html and "diagramme en barres" in html
    # the title is the caption, not drawn inside the plot (where a phone would cut it)
    assert not re.search(r'"title":\s*\{\s*"text":\s*"Sources', html.split("Plotly.newPlot")[1])
    assert meta["metadata"]["compendium"]["figure"] == "essai"
    digest = meta["metadata"]["compendium"]["tables"]["data/secondary/events.csv"]
    assert f'title="data/secondary/events.csv — empreinte SHA-256 (8 premiers caractères) : {digest}">events.csv' in prov["text/html"]
    assert "empreinte SHA-256 abrégée" not in prov["text/markdown"]
    assert prov["text/markdown"] == f"**Sources de l’étude** — *Données : `events.csv` ({digest}).*"
    # no browser in the notebook: the print spec travels with the output, without its title,
    # and becomes a PNG only when the PDF is built
    assert rendered == [] and "image/png" not in bundle
    printed = bundle[figures.FIGURE_MIME]
    assert printed["width"] == figures.PRINT_WIDTH and printed["figure"]["data"][0]["type"] == "bar"
    assert "title" not in printed["figure"]["layout"] or not printed["figure"]["layout"]["title"].get("text")
    assert figures.png_from_spec(printed) == b"png" and len(rendered) == 1
    assert "continued" not in printed and meta["metadata"]["compendium"]["printed_parts"] == 1
    # a figure too tall for a page prints in parts: each part is its own PNG, in order
    shown.clear()
    parts = [figures.horizontal_bars([f"part {i}"], [i], f"Partie {i}", "sources") for i in (1, 2, 3)]
    figures.show(fig, "essai-parties", tables=["events"], static=parts)
    (bundle, meta), _ = shown
    printed = bundle[figures.FIGURE_MIME]
    assert len(printed["continued"]) == 2 and meta["metadata"]["compendium"]["printed_parts"] == 3
    rendered.clear()
    assert figures.pngs_from_spec(printed) == [b"png"] * 3
    assert [list(f.data[0].y) for f in rendered] == [["part 1"], ["part 2"], ["part 3"]]
    # the HTML figure takes the page's width and follows it
    assert '"autosize":true' in html.replace(" ", "") and '"responsive":true' in html.replace(" ", "")


def test_reading_a_page_never_imports_plotly():
    """The book's mime renderer runs for every output Sphinx reads: it must not import plotly
    (0.4 s) to recognise a figure, and its mime type is the one :func:`figures.show` writes."""
    code = (
        "import sys, types\n"
        "from compendium.book.sphinx_ext import FIGURE_MIME, FigureMimeRenderer\n"
        "data = types.SimpleNamespace(mime_type='text/plain', content='x', string='x')\n"
        "assert FigureMimeRenderer.handle_mime(None, data, False) is None\n"
        "data = types.SimpleNamespace(mime_type=FIGURE_MIME, content={'figure': {}, 'width': 1}, string='')\n"
        "assert FigureMimeRenderer.handle_mime(None, data, False)\n"
        "assert 'plotly' not in sys.modules, 'plotly importé'\n"
        "print(FIGURE_MIME)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == figures.FIGURE_MIME


@pytest.mark.browser
def test_latex_build_renders_the_print_spec_once_and_html_never(tmp_path):
    """A notebook output made by :func:`figures.show` becomes a PNG in a LaTeX build (through the
    book's myst-nb renderer), is taken from the cache on the next build, and an HTML build renders
    no PNG at all."""
    import json
    import subprocess
    import sys

    import nbformat

    bundles = []
    fig = figures.horizontal_bars(["a", "b"], [2, 1], "Essai", "sources")
    import IPython.display

    orig = IPython.display.display
    IPython.display.display = lambda obj, **kw: bundles.append((obj, kw.get("metadata", {})))
    try:
        figures.show(fig, "essai", tables=["events"])
    finally:
        IPython.display.display = orig
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("figure()")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=meta) for data, meta in bundles]
    nb.cells = [nbformat.v4.new_markdown_cell("# Essai"), cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    site = tmp_path / "site"
    site.mkdir()
    nbformat.write(nb, site / "index.ipynb")
    (site / "conf.py").write_text('extensions = ["myst_nb", "sphinxcontrib.bibtex", "compendium.book.sphinx_ext"]\nbibtex_bibfiles = []\nnb_execution_mode = "off"\nlanguage = "fr"\n'
                                  'latex_documents = [("index", "essai.tex", "Essai", "X", "manual")]\n',
                                  encoding="utf-8")
    cache = tmp_path / "cache"
    env = dict(__import__("os").environ, COMPENDIUM_FIGURE_CACHE=str(cache))

    def build(builder: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-E", "-b", builder, ".", f"_build/{builder}"],
                              cwd=site, capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]

    build("html")
    assert not cache.exists() or not list(cache.iterdir())
    assert "cmp-figure" in (site / "_build/html/index.html").read_text(encoding="utf-8")
    build("latex")
    pngs = list(cache.glob("*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")
    tex = (site / "_build/latex/essai.tex").read_text(encoding="utf-8")
    assert tex.count("\\sphinxincludegraphics") == 1
    stamp = pngs[0].stat().st_mtime_ns
    build("latex")
    assert pngs[0].stat().st_mtime_ns == stamp and len(list(cache.glob("*.png"))) == 1
    assert json.loads(json.dumps(bundles[0][0][figures.FIGURE_MIME]))["width"] == figures.PRINT_WIDTH


def test_text_alternatives_read_right_for_any_count():
    """The description a screen reader reads counts in words that agree with the numbers."""
    import pandas as pd

    one = figures.horizontal_bars(["presse"], [1], "Sources", "sources").layout.meta["alt"]
    assert f"de 1{NNBSP}catégorie, la plus grande « presse » (1 source)" in one
    many = figures.horizontal_bars(["a", "b"], [3, 2], "Sources", "sources").layout.meta["alt"]
    assert f"de 2{NNBSP}catégories, la plus grande « a » (3 sources)" in many
    cell = figures.heatmap(pd.DataFrame([[1]], index=["r"], columns=["c"]), "M", "n").layout.meta["alt"]
    assert f"1{NNBSP}ligne et 1{NNBSP}colonne" in cell


def test_heatmap_says_that_an_empty_cell_is_zero_and_names_every_row_and_column():
    """A zero is left blank in a heatmap (dense matrices read better); the legend and the text
    alternative say so, lest a reader take it for a missing value; without zeros they do not.
    Every row and column keeps its label however crowded the axis."""
    import pandas as pd

    sparse = figures.heatmap(pd.DataFrame([[1, 0], [2, 3]], index=["a", "b"], columns=["x", "y"]), "M", "passages")
    assert sparse.data[0].colorbar.title.text == "passages<br>(case vide : 0)"
    assert "(une case vide vaut 0) ; plus la case est foncée" in sparse.layout.meta["alt"]
    assert sparse.data[0].text[0][1] == ""
    full = figures.heatmap(pd.DataFrame([[1, 4], [2, 3]], index=["a", "b"], columns=["x", "y"]), "M", "passages")
    assert full.data[0].colorbar.title.text == "passages" and "case vide" not in full.layout.meta["alt"]
    wide = figures.heatmap(pd.DataFrame([[i % 3 for i in range(30)]] * 20, index=[f"r{i}" for i in range(20)],
                                        columns=[f"c{i}" for i in range(30)]), "M", "n")
    assert all(axis.tickmode == "linear" and axis.dtick == 1 for axis in (wide.layout.xaxis, wide.layout.yaxis))
    # a wide matrix fits the text column on the web (its values on hover) and writes them in print
    assert wide.layout.meta["min_width"] <= 672 and all(t == "" for row in wide.data[0].text for t in row)
    assert "donnée au survol" in wide.layout.meta["alt"]
    printed = figures.heatmap(pd.DataFrame([[i % 3 for i in range(30)]] * 20, index=[f"r{i}" for i in range(20)],
                                           columns=[f"c{i}" for i in range(30)]), "M", "n", for_print=True)
    assert printed.data[0].text[0][1] == "1" and "(case vide : 0)" in printed.data[0].colorbar.title.text


def test_the_figure_toolbar_speaks_french_and_shares_nothing():
    """The toolbar of the interactive figures: every label plotly.js can show there (its
    ``_(gd, "…")`` strings of the installed plotly.js) has a French translation in the book's
    locale, and the «Share chart» button, which uploads a figure to Plotly's cloud, is off."""
    import os

    import plotly

    from compendium.book.sphinx_ext import PLOTLY_LOCALE_FR

    js = open(os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js"), encoding="utf-8").read()
    labels = set(re.findall(r'\b\w{1,3}\(e,"([A-Z][^"]{2,80})"\)', js))
    assert {"Zoom in", "Reset axes", "Download plot as a PNG", "Share chart..."} <= labels
    dialog = {t for t in labels if "Plotly Cloud" in t or "{serverUrl}" in t or t in {"Share", "Cancel", "Share chart"}}
    missing = sorted(t for t in labels - dialog if f"'{t}'" not in PLOTLY_LOCALE_FR)
    assert missing == [], missing
    html = figures.figure_html(go.Figure(go.Bar(x=[1], y=[2])), "essai")
    assert '"showSendToCloud": false' in html and '"sendChartToCloud"' in html and '"locale": "fr"' in html
