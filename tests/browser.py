"""Drive Debian's Chromium (through Playwright) over the built HTML book, offline.

Used by tests/test_offline_html.py and usable by hand:
``python tests/browser.py _build/html [screenshot-dir]``.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class PageReport:
    page: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    figures: int = 0
    drawn_figures: int = 0
    formulas: int = 0
    typeset_formulas: int = 0


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


def check_book(html_dir: Path, screenshots: Path | None = None) -> list[PageReport]:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                   if not p.name.startswith(("genindex", "search")) and "_static" not in p.parts)
    server = serve(html_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    reports = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            for rel in pages:
                report = PageReport(rel)
                page = context.new_page()

                def route(route, request, report=report):
                    if request.url.startswith(base) or request.url.startswith("data:"):
                        route.continue_()
                    else:  # the network is blocked: anything outside the book is recorded
                        report.external_requests.append(request.url)
                        route.abort()

                page.route("**/*", route)
                page.on("console", lambda msg, r=report: r.console_errors.append(msg.text) if msg.type == "error" else None)
                page.on("pageerror", lambda exc, r=report: r.console_errors.append(str(exc)))
                page.on("requestfailed", lambda req, r=report: r.failed_requests.append(req.url) if req.url.startswith(base) else None)
                page.goto(base + rel, wait_until="load")
                page.wait_for_timeout(300)
                report.figures = page.locator("div.plotly-graph-div").count()
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
                if screenshots:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshots / (rel.replace("/", "__") + ".png")), full_page=True)
                page.close()
                reports.append(report)
            browser.close()
    finally:
        server.shutdown()
    return reports


if __name__ == "__main__":
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    for r in check_book(Path(sys.argv[1]), out):
        print(r)
