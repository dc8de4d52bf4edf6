"""House style for plotly figures, and the one way to show a figure in the book.

:func:`show` emits a single output bundle holding both an interactive figure (``text/html``,
drawn by the ``plotly.min.js`` that the book serves once from ``_static``) and a static PNG
(``image/png``, exported by kaleido with Debian's Chromium). The HTML builder picks the first,
the LaTeX builder the second. Under each figure a provenance line names the data tables it
was drawn from and the first 8 characters of each file's SHA-256.

Palette: Okabe & Ito (2008) colour-blind-safe colours; bars and markers also cycle through
patterns and symbols so that series stay apart in black-and-white print.
"""

from __future__ import annotations

import base64
import atexit
import hashlib
import json
import os
import re
import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from compendium import data as _data

#: Okabe-Ito palette (black last: it is used for annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PATTERNS = ["", "/", ".", "x", "-", "\\", "|", "+"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH, HEIGHT = 900, 500  # static export size in CSS pixels (scaled ×2 for print)

_TEMPLATE_NAME = "compendium"


def _template() -> go.layout.Template:
    tpl = go.layout.Template()
    tpl.layout = go.Layout(
        colorway=PALETTE,
        font=dict(family=FONT, size=14, color="#222222"),
        separators=", ",  # decimal comma, thin space for thousands (French)
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=30, t=60, b=60),
        xaxis=dict(showline=True, linecolor="#444", ticks="outside", gridcolor="#e5e5e5", zeroline=False),
        yaxis=dict(showline=True, linecolor="#444", ticks="outside", gridcolor="#e5e5e5", zeroline=False),
        legend=dict(bgcolor="rgba(255,255,255,0.8)"),
        hoverlabel=dict(font_family=FONT),
    )
    tpl.data.bar = [go.Bar(marker=dict(pattern=dict(shape=s, fillmode="overlay", fgcolor="#222"))) for s in PATTERNS]
    tpl.data.scatter = [go.Scatter(marker=dict(symbol=s, size=9)) for s in SYMBOLS]
    return tpl


def use_house_style() -> None:
    """Register the template and make it the default for every new figure."""
    pio.templates[_TEMPLATE_NAME] = _template()
    pio.templates.default = f"simple_white+{_TEMPLATE_NAME}"


use_house_style()


# --------------------------------------------------------------------------- static export

_server_started = False


def _ensure_browser() -> None:
    """Start kaleido's browser once per kernel (0.2 s per image instead of 2 s)."""
    global _server_started
    if _server_started:
        return
    if not os.environ.get("BROWSER_PATH"):
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
            if Path(candidate).exists():
                os.environ["BROWSER_PATH"] = candidate
                break
    import kaleido

    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "export PNG impossible : Chromium est introuvable ou ne démarre pas "
            "(installer le paquet Debian « chromium », ou lancer ./run html qui l'installe) "
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


def to_png(fig: go.Figure) -> bytes:
    """Static PNG of ``fig`` at print resolution.

    PNGs are cached under ``_build/.figure-cache`` by the SHA-256 of the figure's full spec
    (and of plotly's and kaleido's versions): a figure whose data and layout did not change is
    never rendered twice, and the browser is started only when a figure must be drawn.
    """
    height = fig.layout.height or HEIGHT
    cache = _png_cache_dir()
    key = _png_key(fig, WIDTH, height, 2) if cache is not None else None
    if key is not None:
        cached = cache / f"{key}.png"
        if cached.is_file():
            return cached.read_bytes()
    _ensure_browser()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        png = pio.to_image(fig, format="png", width=WIDTH, height=height, scale=2)
    if key is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cache / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(png)
            os.replace(tmp, cache / f"{key}.png")  # atomic: kernels may render in parallel
        except OSError:
            pass  # a read-only tree still builds, only slower
    return png


# --------------------------------------------------------------------------- showing

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
    files = ", ".join(f"`{Path(path).name}` ({digest})" for path, digest in prov.items())
    return f"*Données : {files} — empreinte SHA-256 abrégée de chaque fichier.*"


def figure_html(fig: go.Figure, name: str) -> str:
    """The figure as a ``<div>`` plus a script calling the page's shared plotly.js."""
    return pio.to_html(
        fig,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=f"fig-{name}",
        config={"displaylogo": False, "responsive": True, "locale": "fr"},
    )


def show(fig: go.Figure, name: str, tables: list[str]) -> None:
    """Display ``fig`` in the book: interactive in HTML, PNG in the PDF, provenance underneath.

    ``name`` is a unique slug (it becomes the HTML id ``fig-<name>``); ``tables`` are the
    data-package tables the figure was drawn from.
    """
    from IPython.display import Markdown, display

    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"nom de figure « {name} » : minuscules, chiffres et tirets seulement")
    if not tables:
        raise ValueError(f"figure « {name} » : indiquer les tables de données dont elle est tirée")
    prov = provenance(tables)
    png = to_png(fig)
    spec = json.loads(pio.to_json(fig, validate=False))
    digest = hashlib.sha256(json.dumps(spec.get("data"), sort_keys=True).encode()).hexdigest()[:12]
    bundle = {
        "text/html": figure_html(fig, name),
        "image/png": base64.b64encode(png).decode("ascii"),
    }
    metadata = {"compendium": {"figure": name, "tables": prov, "data_digest": digest}}
    display(bundle, raw=True, metadata=metadata)
    display(Markdown(provenance_line(prov)))


def horizontal_bars(labels: list[str], values: list[float], title: str, value_label: str) -> go.Figure:
    """A sorted horizontal bar chart (largest at the top), values written on the bars."""
    pairs = sorted(zip(labels, values), key=lambda p: p[1])
    fig = go.Figure(
        go.Bar(
            y=[p[0] for p in pairs],
            x=[p[1] for p in pairs],
            orientation="h",
            text=[p[1] for p in pairs],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x}<extra></extra>",
        )
    )
    fig.update_layout(title=title, xaxis_title=value_label, yaxis_title=None, showlegend=False,
                      height=max(300, 60 + 40 * len(pairs)))
    return fig


def heatmap(frame, title: str, value_label: str, decimals: int = 0) -> go.Figure:
    """A heatmap of a DataFrame (rows × columns) in one hue, values written in each cell so
    that it reads in black and white."""
    text = [[("" if v == 0 else f"{v:.{decimals}f}".replace(".", ",")) for v in row] for row in frame.values]
    fig = go.Figure(go.Heatmap(
        z=frame.values, x=list(frame.columns), y=list(frame.index), text=text, texttemplate="%{text}",
        colorscale=[[0, "#ffffff"], [1, PALETTE[0]]], colorbar=dict(title=value_label), xgap=1, ygap=1,
        hovertemplate="%{y} — %{x} : %{z}<extra></extra>",
    ))
    fig.update_layout(title=dict(text=title, y=0.99, yanchor="top"), height=220 + 24 * len(frame.index),
                      yaxis=dict(autorange="reversed", tickfont=dict(size=11)),
                      xaxis=dict(side="top", tickangle=-30, tickfont=dict(size=11)),
                      margin=dict(l=220, t=170))
    return fig
