"""Drive Debian's Chromium (through Playwright) over the built HTML book, offline.

Every page is opened at a laptop width (1280 px) and a phone width (390 px). At each width the
report says what a reader would meet: requests outside the book, console errors, figures drawn,
horizontal overflow of the page, figure texts outside their figure or covering one another,
and how many search boxes are visible.

Used by tests/test_outputs.py and usable by hand (with full-page screenshots):
``python tests/browser.py _build/html [screenshot-dir]``.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
#: Laptop and phone viewport widths (CSS pixels).
WIDTHS = (1280, 390)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class PageReport:
    page: str
    width: int = 0
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    figures: int = 0
    drawn_figures: int = 0
    formulas: int = 0
    typeset_formulas: int = 0
    scroll_width: int = 0  # of the document; more than the viewport = the page scrolls sideways
    too_wide: list[str] = field(default_factory=list)  # the elements that stick out, if it does
    texts_outside: list[str] = field(default_factory=list)  # figure texts beyond their figure's box
    texts_overlapping: list[str] = field(default_factory=list)  # figure texts covering another
    search_boxes: int = 0  # visible search fields or buttons
    unlabelled_figures: list[str] = field(default_factory=list)  # figures without a text alternative
    bold_pasted: list[str] = field(default_factory=list)  # glued texts set heavier than their sentence
    #: tables wider than the box that scrolls them: their last columns are out of sight
    hidden_columns: list[str] = field(default_factory=list)
    #: words of a table cell split across two lines («OpenDataFr» / «ance»)
    broken_words: list[str] = field(default_factory=list)
    #: figures wider than the text column, which scroll inside their own box
    scrolling_figures: list[str] = field(default_factory=list)

    @property
    def overflows(self) -> bool:
        return self.scroll_width > self.width


#: Glued texts (myst-nb's ``span.pasted-text``, which its style sheet sets in bold) whose weight
#: differs from the sentence around them: a computed number reads as the prose does.
_BOLD_PASTED_JS = r"""() => [...document.querySelectorAll('span.pasted-text')]
  .filter(s => getComputedStyle(s).fontWeight !== getComputedStyle(s.parentElement).fontWeight)
  .slice(0, 5).map(s => s.textContent.trim().slice(0, 60))"""


#: Tables of the text whose content is wider than their scroll box (the theme lets a table scroll
#: inside itself): a reader sees the first columns and may never find the others. Each is named by
#: its first heading and its overflow in pixels.
_HIDDEN_COLUMNS_JS = r"""() => [...document.querySelectorAll('.bd-article table')].map(t => {
  let box = t;
  while (box.parentElement && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
  const over = t.scrollWidth - box.clientWidth;
  const head = (t.querySelector('th') || t.querySelector('td') || {textContent: ''}).textContent.trim().slice(0, 30);
  return over > 2 ? `« ${head} » (${over} px de trop)` : null;
}).filter(Boolean)"""


#: Words of four letters or more in a table cell that a line break cuts in two (a link in a cell
#: took the style of links in the text, which may break anywhere, and its column shrank to
#: « OpenDataFr » / « ance »). A word with a hyphen, slash or underscore may break at it.
_BROKEN_WORDS_JS = r"""() => {
  const out = [];
  for (const cell of document.querySelectorAll('.bd-article td, .bd-article th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      for (const m of node.data.matchAll(/[^\s\/_\-–—]{4,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
  }
  return out.slice(0, 10);
}"""

#: Figures whose drawing is wider than their box (``.cmp-figure-scroll``): part of the figure is
#: out of sight until the reader scrolls it. Each is named by its id and its overflow in pixels.
_SCROLLING_FIGURES_JS = r"""() => [...document.querySelectorAll('.cmp-figure-scroll')].map(box => {
  const over = box.scrollWidth - box.clientWidth;
  const fig = box.querySelector('.plotly-graph-div');
  return over > 2 ? `${fig ? fig.id : '?'} (${over} px de trop)` : null;
}).filter(Boolean)"""

#: Geometry of every figure's texts: each SVG text (titles, ticks, labels, annotations, numbers
#: on markers) must lie inside its figure's box, and no two texts of a figure may cover each
#: other (legend entries and hover labels excepted: they are laid out by plotly itself).
_FIGURE_TEXTS_JS = r"""() => {
  const outside = [], overlapping = [], unlabelled = [];
  for (const div of document.querySelectorAll('div.plotly-graph-div')) {
    const box = div.getBoundingClientRect();
    const label = div.closest('[aria-label]');
    if (!label || !label.getAttribute('aria-label').trim()) unlabelled.push(div.id);
    const rects = [];
    for (const t of div.querySelectorAll('svg text')) {
      const text = t.textContent.trim();
      if (!text || t.closest('.legend, .hoverlayer, .modebar')) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        outside.push(`${div.id}: « ${text} »`);
      const rotated = /rotate\((?!0[,)])/.test(t.getAttribute('transform') || '') ||
                      /rotate\((?!0[,)])/.test(t.parentElement.getAttribute('transform') || '');
      if (!rotated) rects.push([text, r]);
    }
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const [ta, a] = rects[i], [tb, b] = rects[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) overlapping.push(`${div.id}: « ${ta} » / « ${tb} »`);
    }
  }
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const search = [...document.querySelectorAll(
      'input[type=search], .search-button-field, button.search-button, .search-button')]
    .filter(el => !el.closest('dialog, .search-button__wrapper') && visible(el));
  // what sticks out of the viewport and is not inside a scrolling or fixed box: names the culprit
  const clipped = e => { for (let x = e.parentElement; x; x = x.parentElement) {
    const s = getComputedStyle(x); if (s.overflowX !== 'visible' || s.position === 'fixed') return true; } return false; };
  const wide = [];
  if (document.documentElement.scrollWidth > innerWidth)
    for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
      if (r.right > innerWidth + 1 && r.width > 0 && getComputedStyle(e).position !== 'fixed' && !clipped(e))
        wide.push(`${e.tagName.toLowerCase()}.${e.className} « ${(e.textContent || '').trim().slice(0, 40)} »`); }
  return {outside, overlapping, unlabelled, search: search.length, wide: wide.slice(0, 3),
          scrollWidth: document.documentElement.scrollWidth};
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a page closed while a file was still being sent: not a problem of the book


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check_book(html_dir: Path, screenshots: Path | None = None, widths=WIDTHS) -> list[PageReport]:
    """One report per page and per width (pages in order, the first width first)."""
    from playwright.sync_api import sync_playwright

    # redirect stubs (index.html → intro.html) are not pages a reader stays on
    pages = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                   if not p.name.startswith(("genindex", "search")) and "_static" not in p.parts
                   and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:2000])
    server = serve(html_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    reports = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in widths:
                context = browser.new_context(viewport={"width": width, "height": 900})
                reports += _check_pages(context, base, pages, width, screenshots)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return reports


def _check_pages(context, base: str, pages: list[str], width: int, screenshots: Path | None) -> list[PageReport]:
    """Open each page in turn in one tab (the browser's cache keeps plotly.js compiled)."""
    reports: list[PageReport] = []
    current: list[PageReport] = [PageReport("")]

    def block(route, request):  # the network is blocked: anything outside the book is recorded
        current[0].external_requests.append(request.url)
        route.abort()

    # only requests leaving the book are intercepted (the book's own files load at full speed)
    page = context.new_page()
    page.route(re.compile(r"^(?!" + re.escape(base) + r"|data:)"), block)
    page.on("console", lambda msg: current[0].console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: current[0].console_errors.append(str(exc)))
    # a file of the book missing (404) or unreadable; a request cut short because the test moves
    # on to the next page (net::ERR_ABORTED) is not a fault of the book
    page.on("response", lambda resp: current[0].failed_requests.append(f"{resp.status} {resp.url}")
            if resp.url.startswith(base) and resp.status >= 400 else None)
    page.on("requestfailed", lambda req: current[0].failed_requests.append(req.url)
            if req.url.startswith(base) and "ERR_ABORTED" not in (req.failure or "") else None)
    for rel in pages:
        report = current[0] = PageReport(rel, width)
        page.goto(base + rel, wait_until="load")
        report.figures = page.locator("div.plotly-graph-div").count()
        if report.figures:  # plotly draws after load, and again when it has measured the page
            page.wait_for_function("""() => [...document.querySelectorAll('div.plotly-graph-div')]
                .every(d => d._fullLayout)""", timeout=20000)
            page.wait_for_timeout(150)
        # drawn = plotly built the figure and put marks on it (traces, heatmap image, shapes)
        report.drawn_figures = page.evaluate("""() => [...document.querySelectorAll('div.plotly-graph-div')]
            .filter(d => d._fullLayout && d.querySelector('.main-svg') &&
                d.querySelectorAll('.trace, .point, .hm image, .shapelayer path').length > 0).length""")
        report.formulas = page.locator("div.math, span.math").count()
        if report.formulas:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=15000)
            page.evaluate("() => MathJax.startup.promise")
            report.typeset_formulas = page.locator("mjx-container").count()
        geometry = page.evaluate(_FIGURE_TEXTS_JS)
        report.scroll_width = geometry["scrollWidth"]
        report.too_wide = geometry["wide"]
        report.texts_outside = geometry["outside"]
        report.texts_overlapping = geometry["overlapping"]
        report.unlabelled_figures = geometry["unlabelled"]
        report.search_boxes = geometry["search"]
        report.bold_pasted = page.evaluate(_BOLD_PASTED_JS)
        report.hidden_columns = page.evaluate(_HIDDEN_COLUMNS_JS)
        report.broken_words = page.evaluate(_BROKEN_WORDS_JS)
        report.scrolling_figures = page.evaluate(_SCROLLING_FIGURES_JS)
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            name = f"{width}-" + rel.replace("/", "__") + ".png"
            page.screenshot(path=str(screenshots / name), full_page=True)
        reports.append(report)
    page.close()
    return reports


if __name__ == "__main__":
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    for r in check_book(Path(sys.argv[1]), out):
        print(r)
