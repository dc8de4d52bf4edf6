"""Sphinx extension of the book (listed in ``_config.yml`` → ``sphinx.extra_extensions``).

- Makes any build fresh, whichever command starts it (``./run html``, plain
  ``jupyter-book build .``, ``--builder pdflatex``, ``sphinx-autobuild``): before Sphinx reads
  a page, the data package is validated and every notebook whose code, package or data
  changed is executed (:func:`compendium.build.execute_stale`). When nothing changed this
  costs a few digests.

- Serves ``plotly.min.js`` (taken from the installed plotly package) once from ``_static``
  and loads it, with a French locale, only on pages that hold a figure: the HTML book makes
  no request outside itself.
- Registers ``author_year_fr``, the author–year citation style with French conjunctions
  («Attour et Rallet (2014)», «et al.»).
"""

from __future__ import annotations

import re
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


def _static_dir(build_dir: Path) -> Path:
    """plotly.js (from the installed plotly) and its French locale, in a folder of the build.

    Written only when they differ, so that a no-op build copies nothing and leaves no
    temporary folder behind.
    """
    import plotly

    target = build_dir / ".compendium-static"
    target.mkdir(parents=True, exist_ok=True)
    wanted = {
        "plotly.min.js": (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes(),
        "plotly-locale-fr.js": PLOTLY_LOCALE_FR.encode("utf-8"),
    }
    for name, content in wanted.items():
        path = target / name
        if not path.is_file() or path.stat().st_size != len(content) or path.read_bytes() != content:
            path.write_bytes(content)
    return target


#: Set by ``compendium build``, which has just executed the stale notebooks itself.
FRESH_ENV = "COMPENDIUM_NOTEBOOKS_FRESH"


def _ensure_fresh(app, config) -> None:
    import os

    from sphinx.errors import ExtensionError

    root = Path(app.srcdir)
    if os.environ.get(FRESH_ENV) == "1" or not (root / "data" / "datapackage.json").is_file():
        return
    from compendium import data
    from compendium.build import BuildError, execute_stale

    try:
        problems = data.validate_package(root)
    except data.DataError as exc:
        raise ExtensionError(f"ERREUR {exc}") from None
    if problems:
        lines = "\n".join(f"ERREUR {p}" for p in problems)
        raise ExtensionError(f"{len(problems)} problème(s) dans data/ :\n{lines}")
    try:
        report = execute_stale(root, log=lambda line: print(line, flush=True))
    except BuildError as exc:
        raise ExtensionError(f"ERREUR {exc}") from None
    if report.executed:
        print(f"carnets exécutés : {len(report.executed)} ; à jour : {len(report.fresh)}")


def _on_builder_inited(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(_static_dir(Path(app.outdir).parent)))


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "plotly-graph-div" in (context.get("body") or ""):
        app.add_js_file("plotly.min.js", priority=400)
        app.add_js_file("plotly-locale-fr.js", priority=401)
    # Thebe (live code through a remote Binder) is not used: it would load code from a CDN.
    if "script_files" in context:
        context["script_files"][:] = [js for js in context["script_files"] if "thebe" not in str(js)]


def _register_citation_style() -> None:
    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def french_persons() -> PersonStyle:
        return PersonStyle(sep=", ", sep2=" et ", last_sep=" et ", other=Text(" ", Tag("em", "et al.")))

    def parentheses() -> BracketStyle:
        return BracketStyle(left="(", right=")", sep=" ; ")

    @dataclass
    class FrenchAuthorYear(AuthorYearReferenceStyle):
        """« Attour et Rallet (2014) », « (Attour et Rallet, 2014 ; Batty, 2018) »."""

        person: PersonStyle = field(default_factory=french_persons)
        bracket_textual: BracketStyle = field(default_factory=parentheses)
        bracket_parenthetical: BracketStyle = field(default_factory=parentheses)
        bracket_author: BracketStyle = field(default_factory=parentheses)
        bracket_label: BracketStyle = field(default_factory=parentheses)
        bracket_year: BracketStyle = field(default_factory=parentheses)

    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_fr", FrenchAuthorYear, force=True)


#: English words of pybtex's "plain" template, as they appear in the merged rich text, and
#: their French equivalents (applied to template text only, never to titles).
FRENCH_PATTERNS = [
    (re.compile(r"(^|, )pages (?=\d)"), r"\1p. "),
    (re.compile(r"(^|, )page (?=\d)"), r"\1p. "),
    (re.compile(r"\beditors\b"), "éd."),
    (re.compile(r"\beditor\b"), "éd."),
    (re.compile(r"(\w+) edition\b"), r"\1 édition"),
    (re.compile(r"\bTechnical Report\b"), "Rapport technique"),
    (re.compile(r"\bPhD thesis\b"), "Thèse de doctorat"),
    (re.compile(r"\bMaster's thesis\b"), "Mémoire de master"),
]


def _frenchify(node):
    """French words in a formatted pybtex entry: « Dans » before a book title, « p. » for pages."""
    from pybtex.richtext import BaseMultipartText, String, Tag

    if not isinstance(node, BaseMultipartText):
        return node
    parts = list(node.parts)
    for i, part in enumerate(parts):
        value = part.value if isinstance(part, String) else part if isinstance(part, str) else None
        if value is None:
            _frenchify(part)
            continue
        following = parts[i + 1] if i + 1 < len(parts) else None
        if value.endswith("In ") and isinstance(following, Tag):
            value = value[:-3] + "Dans "
        for pattern, replacement in FRENCH_PATTERNS:
            value = pattern.sub(replacement, value)
        parts[i] = String(value) if isinstance(part, String) else value
    node.parts = parts
    return node


def _register_bibliography_style() -> None:
    import pybtex.plugin
    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.template import names, sentence

    class FrenchPlainStyle(PlainStyle):
        """pybtex's "plain" with French words: « et », « Dans », « p. », « éd. »."""

        def format_names(self, role, as_sentence=True):
            formatted = names(role, sep=", ", sep2=" et ", last_sep=" et ")
            return sentence[formatted] if as_sentence else formatted

        def format_entry(self, label, entry, bib_data=None):
            formatted = super().format_entry(label, entry, bib_data=bib_data)
            _frenchify(formatted.text)
            return formatted

    pybtex.plugin.register_plugin("pybtex.style.formatting", "plain_fr", FrenchPlainStyle)


# --------------------------------------------------------------------------- bibliography cache

_BIB_CACHE: dict = {"path": None, "salt": "", "entries": {}, "dirty": False}


def _entry_key(salt: str, style_name: str, label: str, entry) -> str:
    import hashlib

    persons = {role: [str(p) for p in people] for role, people in entry.persons.items()}
    text = repr((salt, style_name, label, entry.key, entry.type, sorted(entry.fields.items()), sorted(persons.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def _cache_bibliography_style(name: str) -> None:
    """Re-register the bibliography style ``name`` with a memo of its formatted entries.

    sphinxcontrib-bibtex formats every entry of the bibliography (twice, with tooltips) at the
    end of every build, even a no-op one: a second of pure Python here. The memo keeps each
    formatted entry, keyed by the entry's fields, its label and the package's source digest,
    in ``_build/.bibtex-cache.pickle``; a changed entry or style is formatted again.
    """
    import pybtex.plugin

    base = pybtex.plugin.find_plugin("pybtex.style.formatting", name)
    if getattr(base, "_compendium_cached", False):
        return

    class Cached(base):
        _compendium_cached = True

        def format_entry(self, label, entry, bib_data=None):
            key = _entry_key(_BIB_CACHE["salt"], name, label, entry)
            hit = _BIB_CACHE["entries"].get(key)
            if hit is None:
                hit = super().format_entry(label, entry, bib_data=bib_data)
                _BIB_CACHE["entries"][key] = hit
                _BIB_CACHE["dirty"] = True
            return hit

    Cached.__name__ = Cached.__qualname__ = f"Cached{base.__name__}"
    pybtex.plugin.register_plugin("pybtex.style.formatting", name, Cached, force=True)


def _load_bib_cache(app, config) -> None:
    import pickle

    from compendium.build import package_digest

    root = Path(app.srcdir)
    _BIB_CACHE["path"] = Path(app.outdir).parent / ".bibtex-cache.pickle"
    _BIB_CACHE["salt"] = package_digest(root) if (root / "src" / "compendium").is_dir() else "installed"
    _BIB_CACHE["entries"], _BIB_CACHE["dirty"] = {}, False
    try:
        with open(_BIB_CACHE["path"], "rb") as fh:
            stored = pickle.load(fh)
        if stored.get("salt") == _BIB_CACHE["salt"]:
            _BIB_CACHE["entries"] = stored["entries"]
    except Exception:  # no cache yet, or one from another version: format everything
        pass
    for style in {config.bibtex_default_style, getattr(config, "bibtex_tooltips_style", "") or ""} - {""}:
        _cache_bibliography_style(style)


def _save_bib_cache(app, exception) -> None:
    import pickle

    if exception is not None or not _BIB_CACHE["dirty"] or _BIB_CACHE["path"] is None:
        return
    try:
        _BIB_CACHE["path"].parent.mkdir(parents=True, exist_ok=True)
        tmp = _BIB_CACHE["path"].with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump({"salt": _BIB_CACHE["salt"], "entries": _BIB_CACHE["entries"]}, fh)
        tmp.replace(_BIB_CACHE["path"])
    except Exception:  # a cache that cannot be written only costs time
        pass


def setup(app):
    _register_citation_style()
    _register_bibliography_style()
    app.connect("config-inited", _load_bib_cache)
    app.connect("build-finished", _save_bib_cache)
    app.connect("config-inited", _ensure_fresh)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
