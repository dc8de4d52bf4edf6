"""House style for plotly figures, and the one way to show a figure in the book.

:func:`show` emits a single output bundle holding an interactive figure (``text/html``, drawn
by the ``plotly.min.js`` that the book serves once from ``_static``) and the figure's spec for
print (:data:`FIGURE_MIME`). The HTML builder picks the first. The LaTeX builder picks the
second, which the book's renderer (:class:`compendium.book.sphinx_ext.FigureMimeRenderer`) turns
into a PNG exported by kaleido with Debian's Chromium, cached by the spec's hash: notebooks never
start a browser, so that an HTML build after a data edit does not pay for print images. The
figure's title becomes its caption (HTML text that wraps at
any width, and a caption under the PNG in the PDF) and its accessible label; under each figure a
discreet provenance line names the data files it was drawn from, with the first 8 characters of
each file's SHA-256 in a tooltip (HTML) or in parentheses (PDF); the data annex lists them too.
Every text of a figure goes through :func:`french_spec` (curly apostrophe, narrow no-break
spaces before « : ; ? ! % », French numbers).

Palette: Okabe & Ito (2008) colour-blind-safe colours; bars and markers also cycle through
patterns and symbols so that series stay apart in black-and-white print.
"""

from __future__ import annotations

import atexit
import html
import hashlib
import json
import os
import re
import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from compendium import data as _data
from compendium.prose import format_count, format_number, singular

#: Okabe-Ito palette (black last: it is used for annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PATTERNS = ["", "/", ".", "x", "-", "\\", "|", "+"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH, HEIGHT = 900, 500  # default static export size in CSS pixels (scaled ×2 for print)
#: Static export width for the PDF: an A4 text block is about 16 cm wide, so 720 CSS pixels put
#: a 12-pixel label at about 7.5 pt and a 14-pixel one near 9 pt.
PRINT_WIDTH = 720

_TEMPLATE_NAME = "compendium"


def _template() -> go.layout.Template:
    tpl = go.layout.Template()
    tpl.layout = go.Layout(
        colorway=PALETTE,
        font=dict(family=FONT, size=14, color="#222222"),
        separators=",\u202f",  # decimal comma, narrow no-break space for thousands (French)
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=30, t=30, b=60),
        xaxis=dict(showline=True, linecolor="#444", ticks="outside", gridcolor="#e5e5e5", zeroline=False),
        yaxis=dict(showline=True, linecolor="#444", ticks="outside", gridcolor="#e5e5e5", zeroline=False),
        legend=dict(bgcolor="rgba(255,255,255,0.8)"),
        hoverlabel=dict(font_family=FONT),
    )
    tpl.data.bar = [go.Bar(marker=dict(pattern=dict(shape=s, fillmode="overlay", fgcolor="#222"))) for s in PATTERNS]
    tpl.data.scatter = [go.Scatter(marker=dict(symbol=s, size=9)) for s in SYMBOLS]
    return tpl


def use_house_style() -> None:
    """Register the template and make it the default for every new figure.

    The house style is merged onto ``simple_white`` once, here: with the default named
    ``"simple_white+compendium"``, plotly would merge (and validate) the two templates again for
    every new figure, about a tenth of a second each. The figures are the same.
    """
    pio.templates[_TEMPLATE_NAME] = pio.templates.merge_templates("simple_white", _template())
    pio.templates.default = _TEMPLATE_NAME


use_house_style()


# --------------------------------------------------------------------------- static export

_server_started = False


#: Where a Chromium-family browser is installed (Debian, other Linux, macOS), after ``BROWSER_PATH``
#: and the commands on the ``PATH``; ``./run`` looks in the same places (``have_browser``).
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium")


def browser_path() -> str | None:
    """The browser that prints the PNG figures and the slides: ``BROWSER_PATH`` if set, else the
    first one installed, or ``None``."""
    import shutil

    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    on_path = (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    return next((c for c in (*BROWSERS, *on_path) if c and Path(c).exists()), None)


def _ensure_browser() -> None:
    """Start kaleido's browser once per kernel (0.2 s per image instead of 2 s)."""
    global _server_started
    if _server_started:
        return
    found = browser_path()
    if found:
        os.environ["BROWSER_PATH"] = found
    import kaleido

    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "export PNG impossible : Chromium est introuvable ou ne démarre pas "
            "(installer le paquet Debian « chromium », ou lancer ./run pdf qui l'installe) "
            f"[{type(exc).__name__}: {exc}]"
        ) from None
    _server_started = True
    atexit.register(_stop_browser)


def _stop_browser() -> None:
    import kaleido

    try:
        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:
        pass


def _png_cache_dir() -> Path | None:
    """Where rendered PNGs are kept between builds (``_build/.figure-cache``), or None."""
    env = os.environ.get("COMPENDIUM_FIGURE_CACHE")
    if env is not None:
        return Path(env) if env else None
    try:
        return _data.project_root() / "_build" / ".figure-cache"
    except _data.DataError:
        return None


def _png_key(fig: go.Figure, width: int, height: int, scale: int) -> str:
    import kaleido
    import plotly

    spec = fig.to_json(validate=False, pretty=False, remove_uids=True, engine="json")
    stamp = f"{plotly.__version__}|{getattr(kaleido, '__version__', '?')}|{width}x{height}@{scale}|"
    return hashlib.sha256((stamp + spec).encode()).hexdigest()


def to_png(fig: go.Figure, width: int | None = None) -> bytes:
    """Static PNG of ``fig`` at print resolution (``width`` in CSS pixels, default ``WIDTH``).

    PNGs are cached under ``_build/.figure-cache`` by the SHA-256 of the figure's full spec
    (and of plotly's and kaleido's versions): a figure whose data and layout did not change is
    never rendered twice, and the browser is started only when a figure must be drawn.
    """
    width = width or WIDTH
    height = fig.layout.height or HEIGHT
    cache = _png_cache_dir()
    key = _png_key(fig, width, height, 2) if cache is not None else None
    if key is not None:
        cached = cache / f"{key}.png"
        if cached.is_file():
            return cached.read_bytes()
    _ensure_browser()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        png = pio.to_image(fig, format="png", width=width, height=height, scale=2)
    if key is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cache / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(png)
            os.replace(tmp, cache / f"{key}.png")  # atomic: kernels may render in parallel
        except OSError:
            pass  # a read-only tree still builds, only slower
    return png


def png_from_spec(content: dict) -> bytes:
    """The print PNG of a :data:`FIGURE_MIME` output (``{"figure": spec, "width": px}``)."""
    return to_png(go.Figure(content["figure"]), width=content.get("width"))


def pngs_from_spec(content: dict) -> list[bytes]:
    """The print PNGs of a :data:`FIGURE_MIME` output, in order: its figure, then the parts
    that continue it on the next pages (``"continued"``, see :func:`show`)."""
    return [png_from_spec(content)] + [png_from_spec({**content, "figure": part})
                                       for part in content.get("continued", [])]


# --------------------------------------------------------------------------- showing

#: The output type holding a figure's spec for print; rendered to PNG at LaTeX build time.
FIGURE_MIME = "application/vnd.compendium.figure+json"

_NAME_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def provenance(tables: list[str]) -> dict[str, str]:
    """``{file: short hash}`` for the named data-package tables, or for project files given by
    their path (``references.bib``)."""
    out = {}
    for name in tables:
        if "." in name:
            path = _data.project_root() / name
            if not path.is_file():
                raise ValueError(f"fichier de provenance introuvable : {name}")
            _data.track_read(name)
            out[name] = _data.file_digest(path)[:8]
            continue
        table = _data.get_table(name)
        out[table.rel_path] = table.digest[:8]
    return out


def provenance_line(prov: dict[str, str]) -> str:
    """The provenance line for the PDF (Markdown): « Données : `events.csv` (1a2b3c4d) »."""
    files = ", ".join(f"`{Path(path).name}` ({digest})" for path, digest in prov.items())
    return f"*Données : {files}.*"


def provenance_html(prov: dict[str, str]) -> str:
    """The provenance line for the HTML page: file names, each digest in a tooltip."""
    files = ", ".join(
        f'<span class="cmp-file" title="{html.escape(path)} — empreinte SHA-256 (8 premiers caractères) : '
        f'{digest}">{html.escape(Path(path).name)}</span>'
        for path, digest in prov.items())
    return f'<p class="cmp-provenance">Données{NNBSP}: {files}</p>'


# --------------------------------------------------------------------------- French typography

NNBSP = "\u202f"  # narrow no-break space
#: Plotly template fields (%{x:.1f}), HTML tags, entities and addresses are never retouched.
_PROTECTED = re.compile(r"%\{[^}]*\}|<[^>]*>|&#?\w+;|https?://\S+")
_SPACES = "[ \u00a0\u202f]?"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_TEXT_KEYS = {"text", "title", "hovertext", "hovertemplate", "name", "ticktext", "texttemplate", "x", "y",
              "labels", "meta", "alt"}  # « alt »: the text alternative kept in layout.meta


def french_text(text: str) -> str:
    """French typography for a figure text: curly apostrophe, narrow no-break space before
    « : ; ? ! % » and inside « », leaving plotly templates, tags and URLs alone."""
    if not isinstance(text, str) or not text:
        return text
    tokens: list[str] = []

    def hide(match: re.Match) -> str:
        tokens.append(match.group(0))
        return f"\x00{len(tokens) - 1}\x01"

    out = _PROTECTED.sub(hide, text)
    out = out.replace("'", "’")
    out = re.sub(rf"(?<=[^\s(\[]){_SPACES}([;!?%])", NNBSP + r"\1", out)
    out = re.sub(rf"(?<=\S){_SPACES}:(?=\s|$|\x00)", NNBSP + ":", out)  # not in 10:30 or a ratio 1:2
    out = re.sub(rf"«{_SPACES}", "«" + NNBSP, out)
    out = re.sub(rf"{_SPACES}»", NNBSP + "»", out)
    return re.sub("\x00(\\d+)\x01", lambda m: tokens[int(m.group(1))], out)


def french_number(value: float) -> str:
    """A number written the French way, with at most two decimals: 12.5 → « 12,5 »."""
    from compendium.prose import format_number

    if float(value).is_integer():
        return format_number(int(value))
    decimals = len(f"{value:.2f}".rstrip("0").split(".")[1])
    return format_number(float(value), decimals)


def _frenchify(node, key: str | None = None):
    if isinstance(node, dict):
        return {k: _frenchify(v, k) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_frenchify(v, key) for v in node]
    if key in _TEXT_KEYS:
        if key == "text" and isinstance(node, str) and _NUMBER.fullmatch(node):
            # plotly keeps numbers given as texts as written by Python: « 12.5 » → « 12,5 »
            # (4-digit integers such as years are left alone)
            return french_number(float(node)) if "." in node or len(node.lstrip("-")) > 4 else node
        if isinstance(node, str):
            return french_text(node)
        if key == "text" and isinstance(node, (int, float)) and not isinstance(node, bool):
            return french_number(node)
    return node


def _canonical(node):
    """``node`` as plotly itself writes a layout: keys in alphabetical order, no empty object
    (``yaxis_title=None`` leaves ``"yaxis": {"title": {}}``), so that the spec, and the hash
    that names its PNG, do not depend on how the figure was built."""
    if isinstance(node, dict):
        out = {}
        for k in sorted(node):
            v = _canonical(node[k])
            if v != {}:
                out[k] = v
        return out
    if isinstance(node, list):
        return [_canonical(v) for v in node]
    return node


def french_spec(fig: go.Figure | dict) -> dict:
    """The spec (plain JSON: lists, ISO dates) of ``fig`` with every text (title, axis titles,
    tick and category labels, trace names, texts, hover texts and templates, annotations) in
    French typography and numeric bar texts written with a decimal comma; the template is kept
    as it is. A dict is taken as a spec and not validated again: :func:`show` works on the spec,
    because every ``go.Figure`` built from one validates and copies the whole template again
    (measured: half of the Rennes notebook's run went there)."""
    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.get("layout", {})
    out = {"data": [_frenchify(trace) for trace in spec.get("data", [])],
           "layout": _canonical(_frenchify({k: v for k, v in layout.items() if k != "template"}))}
    if "template" in layout:
        out["layout"] = dict(sorted({**out["layout"], "template": layout["template"]}.items()))
    return out


def french_figure(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` in French typography (see :func:`french_spec`)."""
    return go.Figure(french_spec(fig))


def figure_texts(fig: go.Figure) -> list[str]:
    """Every human-readable string of ``fig`` (used by the tests of the typography)."""
    found: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "template":
                    walk(v, k)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v, key)
        elif key in _TEXT_KEYS and isinstance(node, str):
            found.append(node)

    walk(json.loads(pio.to_json(fig, validate=False)))
    return found


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters with ``<br>`` (plotly texts do
    not wrap by themselves)."""
    import textwrap

    # a guillemet keeps its word on its line (« graphes « » / « DataBat » » on two lines), and
    # « : ; ? ! » the word before them
    text = re.sub(r"«[ \u202f]", "«\u00a0", re.sub(r"[ \u202f]([»:;?!])", "\u00a0\\1", str(text)))
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


# --------------------------------------------------------------------------- showing


def figure_html(fig: go.Figure | dict, name: str) -> str:
    """The figure (or its spec) as a ``<div>`` plus a script calling the page's shared plotly.js.
    The div takes the width of the page (no fixed width; plotly redraws it when the page is
    resized)."""
    spec = json.loads(pio.to_json(fig, validate=False))
    spec.setdefault("layout", {}).pop("width", None)
    spec["layout"]["autosize"] = True
    return pio.to_html(
        spec,
        validate=False,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=f"fig-{name}",
        default_width="100%",
        # no «Share chart» button: it offered to upload the figure to Plotly's cloud, off the book
        # (the book is read offline); no selection tools, which these figures do not use
        config={"displaylogo": False, "responsive": True, "locale": "fr", "showSendToCloud": False,
                "modeBarButtonsToRemove": ["sendChartToCloud", "select2d", "lasso2d"]},
    )


def _untitled(spec: dict) -> tuple[dict, str]:
    """``spec`` without its title, and the title's text ("" if none)."""
    layout = dict(spec.get("layout", {}))
    title = layout.pop("title", None)
    text = title.get("text") if isinstance(title, dict) else title
    return {**spec, "layout": layout}, text or ""


def show(fig: go.Figure, name: str, tables: list[str], *, alt: str | None = None,
         static_width: int = PRINT_WIDTH, static: go.Figure | list[go.Figure] | None = None) -> None:
    """Display ``fig`` in the book: interactive in HTML, PNG in the PDF, provenance underneath.

    ``name`` is a unique slug (it becomes the HTML id ``fig-<name>``); ``tables`` are the
    data-package tables the figure was drawn from. The figure's title is taken out of the
    drawing and shown as its caption (it wraps on a phone); ``alt`` is the text alternative
    read by screen readers (default: the description the figure builder left in
    ``layout.meta["alt"]``, else the title). ``static_width`` is the width in CSS pixels of the
    PNG for the PDF (its height is the figure's); ``static`` is another drawing of the same data
    laid out for the A4 page (for example longer lines), used for the PNG instead of ``fig``;
    a list of drawings prints a figure too tall for one page in parts, one page each, the
    caption under the last (a matrix of 145 references).
    """
    from IPython.display import display

    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"nom de figure « {name} » : minuscules, chiffres et tirets seulement")
    if not tables:
        raise ValueError(f"figure « {name} » : indiquer les tables de données dont elle est tirée")
    prov = provenance(tables)
    spec, title = _untitled(french_spec(fig))
    meta = spec["layout"].get("meta")
    meta = meta if isinstance(meta, dict) else {}
    alt = french_text(alt or meta.get("alt") or title or name)
    parts = static if isinstance(static, list) else [static] if static is not None else []
    printed = [_untitled(french_spec(part))[0] for part in parts] or [spec]
    printed_specs = [json.loads(pio.to_json(part, validate=False, remove_uids=True, engine="json"))
                     for part in printed]
    digest = hashlib.sha256(json.dumps(spec.get("data"), sort_keys=True).encode()).hexdigest()[:12]
    caption = f'<figcaption class="cmp-figure-title">{html.escape(title)}</figcaption>' if title else ""
    # a dense figure (a large matrix) keeps a minimum width and scrolls inside its own box on a
    # phone rather than crushing its cells; a narrow one (lines broken for a phone) keeps a
    # maximum width on a wide screen rather than floating in empty space
    sizes = [f"{side}-width:{int(meta[side + '_width'])}px" for side in ("min", "max") if meta.get(side + "_width")]
    style = f' style="{";".join(sizes)}"' if sizes else ""
    body = (f'<figure class="cmp-figure" id="figure-{name}">{caption}'
            f'<div class="cmp-figure-scroll"><div class="cmp-figure-body"{style} role="img" '
            f'aria-label="{html.escape(alt)}">{figure_html(spec, name)}</div></div></figure>')
    to_print = {"figure": printed_specs[0], "width": static_width}
    if len(printed_specs) > 1:
        to_print["continued"] = printed_specs[1:]
    bundle = {"text/html": body, FIGURE_MIME: to_print}
    metadata = {"compendium": {"figure": name, "tables": prov, "data_digest": digest, "alt": alt,
                               "printed_parts": len(printed_specs)}}
    display(bundle, raw=True, metadata=metadata)
    pdf_caption = f"**{title}** — " if title else ""
    display({"text/html": provenance_html(prov), "text/markdown": pdf_caption + provenance_line(prov)}, raw=True)


def horizontal_bars(labels: list[str], values: list[float], title: str, value_label: str) -> go.Figure:
    """A sorted horizontal bar chart (largest at the top), values written on the bars. Long
    category labels are broken over lines so that the bars keep their width on a phone."""
    pairs = sorted(zip(labels, values), key=lambda p: p[1])
    fig = go.Figure(
        go.Bar(
            y=[wrap(p[0], 26) for p in pairs],
            x=[p[1] for p in pairs],
            orientation="h",
            text=[p[1] for p in pairs],
            textposition="outside",
            cliponaxis=False,
            customdata=[p[0] for p in pairs],
            hovertemplate="%{customdata} : %{x}<extra></extra>",
        )
    )
    lines = sum(max(1, wrap(p[0], 26).count("<br>") + 1) for p in pairs)
    top = pairs[-1] if pairs else ("", 0)
    alt = (f"{title} : diagramme en barres horizontales de {format_count(len(pairs), 'catégorie')}, "
           f"la plus grande « {top[0]} » ({french_number(top[1])} "
           f"{singular(value_label) if abs(top[1]) < 2 else value_label}).") if pairs else title
    fig.update_layout(title=title, xaxis_title=value_label, yaxis_title=None, showlegend=False,
                      height=max(260, 90 + 22 * lines + 14 * len(pairs)), margin=dict(r=40, t=20),
                      meta={"alt": alt})
    return fig


#: Axis settings that label every category: on a crowded axis plotly drops every other label
#: (the concept matrix lost half of its concepts in print).
EVERY_LABEL = dict(tickmode="linear", tick0=0, dtick=1)


#: Columns above which a heatmap is « wide » (a co-occurrence matrix of thirty codes): on the
#: web it leaves its numbers to the hover, so that it fits the text column (with a number in
#: each cell it was 1 114 pixels wide in a column of 672, and its row labels scrolled away).
WIDE_HEATMAP = 16


def heatmap(frame, title: str, value_label: str, decimals: int = 0, for_print: bool = False) -> go.Figure:
    """A heatmap of a DataFrame (rows × columns) in one hue, values written in each cell so
    that it reads in black and white. A wide one (more than :data:`WIDE_HEATMAP` columns)
    writes them only ``for_print`` (pass that drawing as ``show(static=…)``); on the web its
    cells give their value on hover."""
    wide = len(frame.columns) > WIDE_HEATMAP
    numbers = for_print or not wide
    # the book's rounding (halves up, as the prose rounds the same shares: a cell read « 16 »
    # where the text said « 17 % » when the share had been rounded twice)
    text = [[("" if v == 0 or not numbers else format_number(v, decimals)) for v in row]
            for row in frame.values]
    # a zero is left blank, so that the dense matrices read: the legend says so, lest a reader
    # take an empty cell for a missing value
    zeros = bool((frame.values == 0).any())
    bar_title = f"{value_label}<br>(case vide : 0)" if zeros and numbers else value_label  # two lines: on a phone, one ran out of the figure
    fig = go.Figure(go.Heatmap(
        # vertical labels (many columns) stay on one line: two would not fit in a column
        z=frame.values, x=[str(c) if len(frame.columns) > 12 else wrap(c, 22) for c in frame.columns], y=[wrap(r, 28) for r in frame.index], text=text,
        texttemplate="%{text}", textfont=dict(size=10), colorscale=[[0, "#ffffff"], [1, PALETTE[0]]],
        colorbar=dict(title=dict(text=bar_title, side="top"), orientation="h", thickness=10, len=0.6,
                      x=1, xanchor="right", y=-0.01, yanchor="top"), xgap=1, ygap=1,
        customdata=[[f"{r} — {c}\u00a0: {format_number(v, decimals)}" for c, v in zip(frame.columns, row)]
                    for r, row in zip(frame.index, frame.values)],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    written = ("la valeur écrite dans chaque case" + (" (une case vide vaut 0)" if zeros else "")) if numbers else \
        "la valeur de chaque case donnée au survol (la version imprimée l'écrit dans chaque case)"
    alt = (f"{title} : tableau coloré de {format_count(len(frame.index), 'ligne')} et "
           f"{format_count(len(frame.columns), 'colonne')}, {written} ; plus la case est foncée, plus la valeur est grande.")
    # below about 24 pixels a cell cannot hold its number: wide matrices get a minimum width
    # (without numbers, 12 pixels a cell: its colour and its vertical label)
    cell = 26 if numbers else 12
    min_width = 230 + cell * len(frame.columns) if len(frame.columns) > 5 else None
    small = len(frame.columns) > 12
    fig.update_layout(title=title, height=260 + 30 * len(frame.index),
                      yaxis=dict(autorange="reversed", tickfont=dict(size=10), **EVERY_LABEL),
                      # many columns: vertical labels, one per column, that cannot overlap
                      xaxis=dict(side="top", tickangle=-90 if small else -40,
                                 tickfont=dict(size=(10 if numbers else 9) if small else 11), **EVERY_LABEL),
                      margin=dict(l=10, r=10, t=10, b=60), meta={"alt": alt, "min_width": min_width})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig
