"""Sphinx extension of the book (listed in ``_config.yml`` → ``sphinx.extra_extensions``).

- Serves ``plotly.min.js`` (taken from the installed plotly package) once from ``_static``
  and loads it, with a French locale, only on pages that hold a figure: the HTML book makes
  no request outside itself.
- Registers ``author_year_fr``, the author–year citation style with French conjunctions
  («Attour et Rallet (2014)», «et al.»).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.richtext import Tag, Text

PLOTLY_LOCALE_FR = """\
if (window.Plotly) {
  Plotly.register({
    moduleType: 'locale',
    name: 'fr',
    dictionary: {},
    format: {
      days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
      shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
      months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
               'septembre', 'octobre', 'novembre', 'décembre'],
      shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août',
                    'sept.', 'oct.', 'nov.', 'déc.'],
      date: '%d/%m/%Y',
      decimal: ',',
      thousands: '\\u202f'
    }
  });
}
"""


def _static_dir() -> Path:
    import plotly

    target = Path(tempfile.mkdtemp(prefix="compendium-static-"))
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", target / "plotly.min.js")
    (target / "plotly-locale-fr.js").write_text(PLOTLY_LOCALE_FR, encoding="utf-8")
    return target


def _on_builder_inited(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(_static_dir()))


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "plotly-graph-div" in (context.get("body") or ""):
        app.add_js_file("plotly.min.js", priority=400)
        app.add_js_file("plotly-locale-fr.js", priority=401)
    # Thebe (live code through a remote Binder) is not used: it would load code from a CDN.
    if "script_files" in context:
        context["script_files"][:] = [js for js in context["script_files"] if "thebe" not in str(js)]


def _register_citation_style() -> None:
    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def french_persons() -> PersonStyle:
        return PersonStyle(sep=", ", sep2=" et ", last_sep=" et ", other=Text(" ", Tag("em", "et al.")))

    @dataclass
    class FrenchAuthorYear(AuthorYearReferenceStyle):
        person: PersonStyle = field(default_factory=french_persons)

    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_fr", FrenchAuthorYear, force=True)


def setup(app):
    _register_citation_style()
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
