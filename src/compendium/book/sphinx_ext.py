"""Sphinx extension of the book (listed in ``_config.yml`` → ``sphinx.config.extensions``).

- Makes any build fresh, whichever command starts it (``./run html``, plain
  ``jupyter-book build .``, ``--builder pdflatex``, ``sphinx-autobuild``): before Sphinx reads
  a page, the data package is validated and every notebook whose code, package or data
  changed is executed (:func:`compendium.book.build.execute_stale`). When nothing changed this
  costs a few digests.

- Serves ``plotly.min.js`` (taken from the installed plotly package) once from ``_static``
  and loads it, with a French locale, only on pages that hold a figure: the HTML book makes
  no request outside itself.
- Registers ``author_year_fr``, the author–year citation style with French conjunctions
  («Attour et Rallet (2014)», «et al.», particles kept: «de Certeau (1980)»), and
  ``auteur_annee_fr``, the French author–year bibliography list (sorted by family name,
  «2021a»/«2021b» identical in citations and list, «s. d.», «Dans … (dir.)», «p.», French months
  and access dates, one DOI link, no numeric label in HTML or PDF).
"""

from __future__ import annotations

import math
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.richtext import Tag, Text

from compendium.book.stamps import FRESH_ENV, MARKS_BUILT

PLOTLY_LOCALE_FR = """\
if (window.Plotly) {
  Plotly.register({
    moduleType: 'locale',
    name: 'fr',
    dictionary: {
      'Autoscale': 'Échelle automatique',
      'Click to enter Colorscale title': 'Cliquer pour saisir le titre de l’échelle de couleurs',
      'Click to enter Plot subtitle': 'Cliquer pour saisir le sous-titre',
      'Click to enter Plot title': 'Cliquer pour saisir le titre',
      'Click to enter X axis title': 'Cliquer pour saisir le titre de l’axe X',
      'Click to enter Y axis title': 'Cliquer pour saisir le titre de l’axe Y',
      'Box Select': 'Sélection rectangulaire',
      'Compare data on hover': 'Comparer les données au survol',
      'Double-click to zoom back out': 'Double-cliquer pour revenir à la vue d’ensemble',
      'Download plot': 'Télécharger le graphique',
      'Download plot as a PNG': 'Télécharger le graphique en PNG',
      'Download plot as JSON': 'Télécharger le graphique en JSON',
      'Draw circle': 'Tracer un cercle',
      'Draw closed freeform': 'Tracer une forme fermée',
      'Draw line': 'Tracer une ligne',
      'Draw open freeform': 'Tracer une forme ouverte',
      'Draw rectangle': 'Tracer un rectangle',
      'Erase active shape': 'Effacer la forme active',
      'Image download succeeded': 'Image téléchargée',
      'JSON download succeeded': 'Fichier JSON téléchargé',
      'Lasso Select': 'Sélection au lasso',
      'Orbital rotation': 'Rotation orbitale',
      'Pan': 'Déplacer',
      'Preparing image - this may take a few seconds': 'Préparation de l’image, quelques secondes…',
      'Produced with Plotly.js': 'Produit avec Plotly.js',
      'Reset': 'Réinitialiser',
      'Reset axes': 'Réinitialiser les axes',
      'Reset camera to default': 'Caméra par défaut',
      'Reset camera to last save': 'Dernière caméra enregistrée',
      'Reset view': 'Réinitialiser la vue',
      'Reset views': 'Réinitialiser les vues',
      'Share chart...': 'Partager le graphique…',
      'Show closest data on hover': 'Données les plus proches au survol',
      'Sorry, there was a problem downloading your JSON file!': 'Le téléchargement du fichier JSON a échoué.',
      'Sorry, there was a problem downloading your image!': 'Le téléchargement de l’image a échoué.',
      'Toggle Spike Lines': 'Lignes de repère',
      'Toggle show closest data on hover': 'Données les plus proches au survol (activer ou non)',
      'Turntable rotation': 'Rotation en plateau',
      'Zoom': 'Zoom',
      'Zoom in': 'Zoom avant',
      'Zoom out': 'Zoom arrière'
    },
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


#: :data:`compendium.figures.FIGURE_MIME`, repeated so that reading a page never imports plotly.
FIGURE_MIME = "application/vnd.compendium.figure+json"


def _stop(lines: list[str]) -> None:
    """Stop the build on the book's own French lines: raised as an extension error, they came
    with two Python tracebacks and Jupyter Book's English «There was an error in building your
    book» (it catches every Exception). A SystemExit passes through Sphinx and Jupyter Book: the
    command exits with status 1 after the lines alone."""
    import sys

    for line in lines:
        print(line, file=sys.stderr, flush=True)
    raise SystemExit(1)


def _ensure_fresh(app, config) -> None:
    """Validate data/ and execute the stale notebooks before Sphinx reads anything. When no
    source of the book changed since the last check that passed (same digest of chapters, data,
    package and configuration), there is nothing to validate or execute."""
    import os

    root = Path(app.srcdir)
    if os.environ.get(FRESH_ENV) == "1" or not (root / "data" / "datapackage.json").is_file():
        return
    from compendium import data
    from compendium.book.build import BuildError, execute_stale, input_problems
    from compendium.book.stamps import is_marked_fresh, mark_fresh, sources_digest, toc_remarks

    for line in toc_remarks(root):
        print(line, flush=True)
    digest = sources_digest(root)
    if is_marked_fresh(root, digest):
        app._compendium_digest = digest  # what the pages are built from (see _mark_built)
        return

    try:
        check = input_problems(root)
    except data.DataError as exc:
        _stop([f"ERREUR {exc}"])
    if check.errors:
        _stop([f"{check.summary()} :", *check.lines])
    for line in check.remarks:
        print(line, flush=True)
    try:
        report = execute_stale(root, log=lambda line: print(line, flush=True))
    except BuildError as exc:
        _stop([f"ERREUR {exc}"])
    if report.executed:
        print(f"carnets exécutés : {len(report.executed)} ; à jour : {len(report.fresh)}")
    app._compendium_digest = mark_fresh(root)


def _mark_built(app, exception) -> None:
    """``build-finished`` of a ``jupyter-book build`` into ``_build/html`` (see
    :mod:`compendium.book.gate`): record that the HTML book matches the sources it was built
    from, when it was built without error or warning. ``./run html`` records it itself."""
    from compendium.book.stamps import mark_built

    digest = getattr(app, "_compendium_digest", None)
    if not getattr(app, MARKS_BUILT, False) or digest is None:
        return
    clean = exception is None and app.statuscode == 0 and getattr(app, "_warncount", 0) == 0
    if clean:
        mark_built(Path(app.srcdir), "html", digest)


def unescape_link_targets(doctree) -> int:
    """Give back their ``&`` to the link targets MyST-Parser 3 stored HTML-escaped.

    MyST-Parser 3.0 (the series Jupyter Book 1.x requires) stores a Markdown link's URL in the
    node already HTML-escaped (``escapeHtml``): ``?idlist=23&record=…`` becomes
    ``?idlist=23&amp;record=…``. The HTML writer escapes it again (``&amp;amp;``, so the browser
    asks for the wrong address) and the LaTeX writer prints ``&amp;`` in the PDF. Upstream:
    executablebooks/MyST-Parser issues 760 and 1116, fixed by pull request 1126 after 3.0.
    ``escapeHtml`` also escapes ``<``, ``>`` and ``"``, but ``normalizeLink`` has already
    percent-encoded those, so ``&`` is the only character to give back. Returns how many
    targets changed.
    """
    from docutils import nodes

    changed = 0
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri and "&amp;" in uri:
            ref["refuri"] = uri.replace("&amp;", "&")
            changed += 1
    return changed


def _link_targets_transform():
    from docutils.transforms import Transform

    class UnescapeLinkTargets(Transform):
        default_priority = 500

        def apply(self) -> None:
            unescape_link_targets(self.document)

    return UnescapeLinkTargets


def _section_depth(node) -> int:
    """How deep ``node`` sits in the page's sections: 1 in the page's title section."""
    from docutils import nodes

    depth = 0
    while node is not None:
        if isinstance(node, nodes.section):
            depth += 1
        node = node.parent
    return depth


def _refill(output, items) -> None:
    """Put back in a cell's ``output`` the ``items`` (node, its output, its Markdown part) of
    :func:`lift_output_headings`: the nodes of one Markdown output in a copy of that output
    (myst-nb chooses its format later, for each builder), the other outputs as they were."""
    current = None
    for node, bundle, markdown in items:
        if bundle is None:
            output.append(node)
            current = None
            continue
        if current is None or current[0] is not bundle:
            copy_bundle, copy_markdown = bundle.copy(), markdown.copy()
            copy_bundle += copy_markdown
            output.append(copy_bundle)
            current = (bundle, copy_markdown)
        current[1].append(node)


def lift_output_headings(document) -> int:
    """Headings that a notebook writes in a cell's output («## Gouvernance», «### P1 — …»),
    which myst-nb can only set as rubrics, become sections of the page: they appear in the
    page's menu, in the PDF's bookmarks and contents, and can be linked. A heading is lifted
    when it is one level below the section holding its cell, and written in a Markdown
    output; the output's other content up to the next heading goes in its section, and so do
    the nodes that follow the cell in that section (as in Markdown, they fall under the last
    heading). Each section keeps the cell's containers, so the page looks as before; a heading
    of the next level in it is lifted in turn. Returns the number of headings lifted."""
    lifted = 0
    while True:  # a heading lifted may hold the next level's
        more = _lift_once(document)
        if not more:
            return lifted
        lifted += more


def _lift_once(document) -> int:
    from docutils import nodes

    lifted = 0
    for cell in list(document.findall(nodes.container)):
        if "cell" not in cell.get("classes", []) or not isinstance(cell.parent, nodes.section):
            continue
        section = cell.parent
        level = _section_depth(section) + 1
        outputs = [c for c in cell.children if "cell_output" in c.get("classes", [])]
        if len(outputs) != 1:
            continue
        output = outputs[0]
        # the output's content, in order: the nodes of a Markdown output (with the output that
        # held them), other outputs whole
        items: list = []
        for bundle in output.children:
            markdown = [c for c in bundle.children if isinstance(c, nodes.container)
                        and c.get("mime_type") == "text/markdown"] if bundle.get("nb_element") == "mime_bundle" else []
            if markdown:
                items.extend((node, bundle, markdown[0]) for node in markdown[0].children)
            else:
                items.append((bundle, None, None))
        if not any(isinstance(i, nodes.rubric) and i.get("level") == level for i, _, _ in items):
            continue
        groups: list[tuple[nodes.rubric | None, list]] = [(None, [])]
        for item in items:
            if isinstance(item[0], nodes.rubric) and item[0].get("level") == level:
                groups.append((item[0], []))
            else:
                groups[-1][1].append(item)
        # a section's body comes before its subsections: what follows the cell up to the
        # first subsection falls under the last lifted heading
        trailing = []
        for node in section.children[section.index(cell) + 1:]:
            if isinstance(node, nodes.section):
                break
            trailing.append(node)
        for node in trailing:
            section.remove(node)
        output.children = []
        _refill(output, groups[0][1])
        position = section.index(cell)
        if groups[0][1] or len(cell.children) > 1:
            position += 1  # the cell keeps its input or what precedes the first heading
        else:
            section.remove(cell)
        for offset, (rubric, content) in enumerate(groups[1:]):
            new = nodes.section(ids=list(rubric["ids"]), names=list(rubric["names"]))
            new += nodes.title(rubric.rawsource, "", *rubric.children)
            if new["ids"]:
                for id_ in new["ids"]:
                    document.ids[id_] = new
            else:
                document.set_id(new)
            holder, holder_output = cell.copy(), output.copy()
            _refill(holder_output, content)
            holder += holder_output
            new += holder
            if offset == len(groups) - 2:
                new.extend(trailing)
            section.insert(position + offset, new)
            lifted += 1
    return lifted


def _output_headings_transform():
    from docutils.transforms import Transform

    class OutputHeadings(Transform):
        """:func:`lift_output_headings`, before Sphinx collects the page's sections (its
        ``doctree-read``, priority 880)."""

        default_priority = 450

        def apply(self) -> None:
            lift_output_headings(self.document)

    return OutputHeadings


#: :data:`compendium.book.build.HOLD_ENV`, repeated so that starting Sphinx imports nothing more.
HOLD_ENV = "COMPENDIUM_HOLD_FD"


def _wait_for_notebooks(app) -> None:
    """Started by ``compendium build`` while it executes the notebooks: Sphinx has imported its
    extensions and loaded its saved environment; wait for the word before it looks at any page.
    An end of file without the word means the execution failed: stop, reading nothing."""
    import os

    fd = os.environ.pop(HOLD_ENV, None)
    if fd is None:
        return
    word = os.read(int(fd), 1)
    os.close(int(fd))
    if word != b"1":
        raise SystemExit(1)


#: Where Jinja keeps the compiled page templates between builds (under _build/, so ``clean`` empties it).
JINJA_CACHE = ".jinja-cache"


def _on_builder_inited(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(_static_dir(Path(app.outdir).parent)))
        _cache_compiled_templates(app, Path(app.outdir).parent / JINJA_CACHE)


def _cache_compiled_templates(app, folder: Path) -> None:
    """Keep the theme's templates compiled between builds: without it, each build compiles the
    dozens of templates of the page (the theme renders every sidebar and header item on the first
    page to drop the empty ones), about 0.4 s of a one-page rebuild. Jinja keys each compiled
    template by its name and the digest of its source, and checks the Python version, so an
    edited or upgraded theme is compiled again."""
    from jinja2 import FileSystemBytecodeCache

    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only tree compiles them each time
        return
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def french_last_updated(value: str | None) -> str | None:
    """The footer's «Mis à jour le …» date in words: Sphinx gives it as ``html_last_updated_fmt``
    (``%Y-%m-%d`` in ``_config.yml``, so that ``SOURCE_DATE_EPOCH`` still sets it), and the book
    prints «6 décembre 2026», «1er décembre 2026». Any other format is left as it is."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        from compendium.prose import format_date

        return format_date(value)
    return value


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    # the first page is titled as the book: its tab read « Écosystèmes… — Écosystèmes… » (the
    # theme appends the book's title to the page's, whatever the context says of the suffix)
    if context.get("title") and context.get("docstitle") and context["title"] == context["docstitle"]:
        context["title"] = "Accueil"
    if app.env.metadata.get(pagename, {}).get(SELF_NUMBERED):
        for key in ("body", "toc"):
            if context.get(key):
                context[key] = drop_section_numbers(context[key])
    if context.get("body") and "<table" in context["body"]:
        context["body"] = breakable_cells(context["body"])
    if context.get("last_updated"):
        context["last_updated"] = french_last_updated(context["last_updated"])
    if "plotly-graph-div" in (context.get("body") or ""):
        app.add_js_file("plotly.min.js", priority=400)
        app.add_js_file("plotly-locale-fr.js", priority=401)
    # Thebe (live code through a remote Binder) is not used: it would load code from a CDN.
    if "script_files" in context:
        context["script_files"][:] = [js for js in context["script_files"] if "thebe" not in str(js)]


def _register_citation_style() -> None:
    import pybtex.plugin
    from pybtex.style.names import BaseNameStyle
    from sphinxcontrib.bibtex.plugin import register_plugin

    class CitedName(BaseNameStyle):
        """The name in a citation, particle included whatever the input form: «de Certeau»."""

        def format(self, person, abbr=False):
            return Text(name_parts(person).cited())

    pybtex.plugin.register_plugin("pybtex.style.names", "cited_fr", CitedName, force=True)
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def french_persons() -> PersonStyle:
        return PersonStyle(style="cited_fr", sep=", ", sep2=" et ", last_sep=" et ",
                           other=Text(" ", Tag("em", "et al.")))

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


# --------------------------------------------------------------------------- French author–year bibliography

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
#: particles typed after the given name («Certeau, Michel de») or before the family name
PARTICLES = {"de", "d'", "d’", "du", "des", "van", "von", "der", "den", "di", "da", "del", "della", "le", "la",
             "zu", "ten", "ter"}
NBSP = "\u00a0"
THESIS_FR = {"phdthesis": "Thèse de doctorat", "mastersthesis": "Mémoire de master"}


def _plain(text: str) -> str:
    """A name part as plain Unicode: LaTeX accents decoded, braces removed."""
    from compendium.literature.references import latex_to_unicode

    return latex_to_unicode(text).replace("{", "").replace("}", "").strip()


@dataclass(frozen=True)
class NameParts:
    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""

    @property
    def corporate(self) -> bool:
        return not self.given and not self.particle

    def cited(self) -> str:
        """In a citation: «de Certeau», «Rennes Métropole»."""
        return f"{self.particle} {self.family}".replace("' ", "'").replace("’ ", "’").strip()

    def inverted(self) -> str:
        """First author of a reference: «Certeau, Michel de»."""
        if self.corporate:
            return self.family
        given = " ".join(x for x in (self.given, self.particle) if x)
        return ", ".join(x for x in (self.family, given, self.suffix) if x)

    def natural(self) -> str:
        """Other authors, editors: «Michel de Certeau»."""
        if self.corporate:
            return self.family
        name = " ".join(x for x in (self.given, self.cited()) if x)
        return f"{name}, {self.suffix}" if self.suffix else name

    def sort_key(self) -> tuple[str, str]:
        from compendium.literature.references import fold

        return fold(self.family), fold(self.given)


def name_parts(person) -> NameParts:
    """pybtex Person → family / given / particle, whatever the input form: «de Certeau, Michel»,
    «Certeau, Michel de», «Michel de Certeau», «{Rennes Métropole}», «{van Gelder}, Pieter»."""
    first = [_plain(x) for x in person.first_names + person.middle_names]
    particle = [_plain(x) for x in person.prelast_names]
    family = " ".join(_plain(x) for x in person.last_names)
    while first and first[-1].lower() in PARTICLES and len(first) > 1:  # «Certeau, Michel de»
        particle.insert(0, first.pop())
    return NameParts(family=family, given=" ".join(first), particle=" ".join(particle),
                     suffix=" ".join(_plain(x) for x in person.lineage_names))


def _is_others(person) -> bool:
    """BibTeX's «and others» (Zotero writes it for a truncated author list): a name in pybtex."""
    return str(person).strip().lower() == "others"


def _persons(entry, role: str) -> list[NameParts]:
    return [name_parts(p) for p in entry.persons.get(role, []) if not _is_others(p)]


def _has_others(entry, role: str) -> bool:
    return any(_is_others(p) for p in entry.persons.get(role, []))


def _join_fr(items: list[str], others: bool = False) -> str:
    """«A, B et C»; with ``others`` (BibTeX «and others»), «A, B, C et al.»."""
    if others and items:
        return ", ".join(items) + " et al."
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def citation_names(entry) -> str:
    """What an author–year citation shows before the year («Aubry et al.»), the key of 2021a/2021b."""
    people = _persons(entry, "author") or _persons(entry, "editor")
    if not people:
        return _plain(entry.fields.get("title", ""))
    if len(people) > 2 or _has_others(entry, "author" if _persons(entry, "author") else "editor"):
        return people[0].cited() + " et al."
    return _join_fr([p.cited() for p in people])


def year_label(entry) -> str:
    year = entry.fields.get("x-compendium-year")
    if year is None:
        year = entry.fields.get("year") or ""
        m = re.match(r"^\s*(\d{4})", year) or re.match(r"^\s*(\d{4})", entry.fields.get("date", ""))
        year = m.group(1) if m else (year.strip() or "s. d.")
    return year


#: BibLaTeX types and fields → those the templates know, for entries not converted by the import
TYPE_ALIASES = {"mvbook": "book", "collection": "book", "mvcollection": "book", "reference": "book",
                "mvreference": "book", "mvproceedings": "proceedings", "bookinbook": "incollection",
                "inreference": "incollection", "suppbook": "incollection", "suppcollection": "incollection",
                "thesis": "phdthesis", "report": "techreport", "online": "misc", "www": "misc",
                "electronic": "misc", "periodical": "article"}
FIELD_ALIASES = {"journaltitle": "journal", "location": "address"}


def normalise(entry) -> None:
    """A BibLaTeX entry pasted by hand renders like an imported one (@mvbook, journaltitle…)."""
    if entry.type.lower() in TYPE_ALIASES:
        if entry.type.lower() == "thesis" and re.search(r"ma|master|m[ée]moire", entry.fields.get("type", ""), re.I):
            entry.type = "mastersthesis"
        else:
            entry.type = TYPE_ALIASES[entry.type.lower()]
    for old, new in FIELD_ALIASES.items():
        if entry.fields.get(old) and not entry.fields.get(new):
            entry.fields[new] = entry.fields[old]
    if entry.type in ("phdthesis", "mastersthesis") and entry.fields.get("institution") and \
            not entry.fields.get("school"):
        entry.fields["school"] = entry.fields["institution"]
    if entry.fields.get("note"):  # Zotero's «Publisher: … / Place: … / ISSN: …» lines
        from compendium.literature.references import _clean_note

        note = _clean_note(entry.fields["note"])
        if note:
            entry.fields["note"] = note
        else:
            del entry.fields["note"]


def disambiguate(bib_data) -> None:
    """«2021a», «2021b»: same citation names and year, ordered by title; «s. d.» when undated.
    Written into the entries' ``year`` field, which both the citations and the list show, so
    they are identical. Idempotent (the original year is kept in ``x-compendium-year``)."""
    from compendium.literature.references import fold

    groups: dict[tuple[str, str], list] = {}
    for entry in bib_data.entries.values():
        normalise(entry)
        year = year_label(entry)
        entry.fields["x-compendium-year"] = year
        groups.setdefault((fold(citation_names(entry)), year), []).append(entry)
    for (_, year), entries in groups.items():
        if len(entries) == 1:
            entries[0].fields["year"] = year
            continue
        entries.sort(key=lambda e: (fold(e.fields.get("title", "")), e.key))
        for i, entry in enumerate(entries):
            suffix = chr(ord("a") + i) if i < 26 else f"-{i + 1}"
            entry.fields["year"] = f"{year}{'-' if year == 's. d.' else ''}{suffix}"


def _patch_bibdata() -> None:
    import sphinxcontrib.bibtex as sb

    if getattr(sb.process_bibdata, "_compendium", False):
        return
    original = sb.process_bibdata

    def process_bibdata(*args, **kwargs):
        bibdata = original(*args, **kwargs)
        disambiguate(bibdata.data)
        return bibdata

    process_bibdata._compendium = True
    sb.process_bibdata = process_bibdata


def french_date(value: str) -> str:
    """«2025-08-01» → «1er août 2025»; «2025-08» → «août 2025»."""
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value or "")
    if not m:
        return value
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not month or not 1 <= int(month) <= 12:
        return year
    text = f"{MONTHS_FR[int(month) - 1]} {year}"
    if day:
        text = f"{'1er' if int(day) == 1 else int(day)} {text}"
    return text


def _month(entry) -> str:
    raw = (entry.fields.get("month") or "").strip().lower()
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    if raw.isdigit() and 1 <= int(raw) <= 12:
        return MONTHS_FR[int(raw) - 1]
    return MONTHS_FR[names.index(raw[:3])] if raw[:3] in names else ""


def _pages(value: str) -> str:
    value = re.sub(r"\s*(?:--|—|-)\s*", "–", _plain(value))  # «98-107», «98--107» → «98–107»
    return f"p.{NBSP}{value}"


def _register_bibliography_style() -> None:
    import pybtex.plugin
    from pybtex.richtext import Symbol, Text
    from pybtex.style.formatting import BaseStyle
    from pybtex.style.template import field, href, join, node, optional, sentence, tag

    def fr_text(value: str):
        return Text(value)

    @node
    def authors(children, data, role="author"):
        """«Certeau, Michel de, Anne Fictif et Rennes Métropole» (first inverted, the others natural)."""
        entry = data["entry"]
        people = _persons(entry, role)
        names = [people[0].inverted()] + [p.natural() for p in people[1:]] if people else []
        return Text(_join_fr(names, others=_has_others(entry, role)))

    @node
    def editors(children, data, label="dir."):
        people = _persons(data["entry"], "editor")
        if not people:
            return Text()
        return Text(_join_fr([p.natural() for p in people], others=_has_others(data["entry"], "editor")),
                    f" ({label})")

    @node
    def head(children, data):
        """«Authors (2021a)» — authors, else editors (dir.), else the title in italics."""
        entry = data["entry"]
        year = Text("(", entry.fields.get("year") or "s. d.", ")")
        if entry.persons.get("author"):
            who = authors(role="author").format_data(data)
        elif entry.persons.get("editor"):
            label = "éd." if entry.type == "proceedings" else "dir."
            who = editors(label=label).format_data(data)
        else:
            return Text(Tag("em", field("title", raw=False).format_data(data)), " ", year)
        return Text(who, " ", year)

    @node
    def quoted_title(children, data):
        title = field("title").format_data(data)
        return Text("«", NBSP, title, NBSP, "»")

    @node
    def italic_title(children, data, name="title"):
        return Tag("em", field(name).format_data(data))

    @node
    def pages(children, data):
        value = data["entry"].fields.get("pages")
        return Text(_pages(value)) if value else Text()

    @node
    def volume_number(children, data):
        f = data["entry"].fields
        parts = []
        if f.get("volume"):
            parts.append(f"vol.{NBSP}{_plain(f['volume']).replace('--', '–')}")
        if f.get("number"):
            parts.append(f"n°{NBSP}{_plain(f['number']).replace('--', '–')}")
        return Text(", ".join(parts))

    @node
    def publisher_place(children, data, who=("publisher",)):
        f = data["entry"].fields
        parts = [_plain(f[w]) for w in who if f.get(w)][:1]
        if f.get("address"):
            parts.append(_plain(f["address"]))
        return Text(", ".join(parts))

    @node
    def link(children, data):
        """One link: the DOI if any (its full address as text, so that the PDF neither adds a
        footnote nor spaces a colon), else the URL with «consulté le …»."""
        f = data["entry"].fields
        if f.get("doi"):
            url = "https://doi.org/" + _plain(f["doi"])
            return Text(_href(url))
        if f.get("url"):
            text = Text(_href(f["url"]))
            if f.get("urldate"):
                text = Text(text, f", consulté le {french_date(f['urldate'])}")
            return text
        return Text()

    def _href(url):
        from pybtex.richtext import HRef

        return HRef(url, url)

    @node
    def edition(children, data):
        f = data["entry"].fields
        parts = []
        if f.get("edition"):
            ed = _plain(f["edition"])
            parts.append(f"{ed}{'e' if ed.isdigit() else ''} édition")
        if f.get("volumes"):
            parts.append(f"{_plain(f['volumes'])} volumes")
        elif f.get("volume"):
            parts.append(f"vol.{NBSP}{_plain(f['volume'])}")
        return Text(", ".join(parts))

    @node
    def series(children, data):
        f = data["entry"].fields
        if not f.get("series"):
            return Text()
        return Text(f"coll.{NBSP}«{NBSP}", _plain(f["series"]), f"{NBSP}»",
                    f", n°{NBSP}{_plain(f['number'])}" if f.get("number") and data["entry"].type == "book" else "")

    @node
    def thesis(children, data):
        f = data["entry"].fields
        kind = _plain(f.get("type", "")) or THESIS_FR.get(data["entry"].type, "Thèse")
        kind = {"phdthesis": "Thèse de doctorat", "mathesis": "Mémoire de master",
                "PhD thesis": "Thèse de doctorat", "Master's thesis": "Mémoire de master"}.get(kind, kind)
        return Text(", ".join(x for x in (kind, _plain(f.get("school", "")), _plain(f.get("address", ""))) if x))

    @node
    def report(children, data):
        f = data["entry"].fields
        kind = _plain(f.get("type", "")) or "Rapport"
        kind = "Rapport technique" if kind == "Technical Report" else kind
        if f.get("number"):
            kind += f" n°{NBSP}{_plain(f['number'])}"
        return Text(", ".join(x for x in (kind, _plain(f.get("institution", "")), _plain(f.get("address", "")))
                              if x))

    @node
    def misc_where(children, data):
        f = data["entry"].fields
        where = [_plain(f[k]) for k in ("howpublished", "organization", "publisher", "institution", "journal")
                 if f.get(k) and not re.search(r"\\url|https?://", f[k])]
        month = _month(data["entry"])
        if month:
            where.append(f"{month} {year_label(data['entry'])}")
        return Text(", ".join(dict.fromkeys(where)))

    @node
    def within(children, data, label="dir."):
        """«Dans Inès Fictif (dir.), *Un livre collectif*, p. 12–30»."""
        entry = data["entry"]
        parts = ["Dans "]
        people = _persons(entry, "editor") if entry.persons.get("author") else []
        if people:
            parts.append(Text(_join_fr([p.natural() for p in people], others=_has_others(entry, "editor")),
                              f" ({label}), "))
        if entry.fields.get("booktitle"):
            parts.append(Tag("em", field("booktitle").format_data(data)))
        else:
            parts.append("un ouvrage collectif")
        extra = [x for x in (edition().format_data(data), pages().format_data(data)) if str(x)]
        for x in extra:
            parts += [", ", x]
        return Text(*parts)

    @node
    def fr_dot(children, data):
        """The parts joined by «. » and ended by a full stop, but after a part that ends with its
        own «?», «!» or «.» (a title that asks a question) only a space: «… pour les
        territoires ?. » had a question mark and a full stop."""
        from pybtex.style.template import _format_data

        parts = [p for p in (_format_data(child, data) for child in children) if len(p)]
        out = Text()
        for k, part in enumerate(parts):
            if k:
                out = Text(out, " " if str(out).rstrip(" \u00a0\u202f»”")[-1:] in "?!." else ". ")
            out = Text(out, part)
        return out.add_period()

    def dot(*parts):
        return fr_dot[parts]

    class FrenchAuthorYearStyle(BaseStyle):
        """French author–year list: «Moore, James F. (1993). « Predators and Prey ». *Harvard
        Business Review*, vol. 71, n° 3, p. 75–86.» Titles keep the case typed; every entry type
        (and any unknown one, such as an ``@mvbook`` left as is) has a template."""

        default_label_style = "number"
        default_sorting_style = "none"
        default_name_style = "plain"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.sort = self.sort_fr

        @staticmethod
        def sort_key(entry):
            """Family name of the first author (particle and case ignored: «Certeau» under C,
            «Rennes Métropole» under R), then the names the citation shows, the year label
            (2021a before 2021b, «s. d.» last) and the title."""
            from compendium.literature.references import fold

            people = _persons(entry, "author") or _persons(entry, "editor")
            first = people[0].sort_key() if people else (fold(entry.fields.get("title", "")), "")
            year = entry.fields.get("year") or "s. d."
            return first, fold(citation_names(entry)), year if year[:1].isdigit() else "~" + year, \
                fold(entry.fields.get("title", ""))

        def sort_fr(self, entries):
            return sorted(entries, key=self.sort_key)

        def format_entry(self, label, entry, bib_data=None):
            if not hasattr(self, f"get_{entry.type}_template"):
                template = self.get_misc_template(entry)
                from pybtex.style import FormattedEntry

                return FormattedEntry(entry.key, template.format_data({"entry": entry, "style": self,
                                                                        "bib_data": bib_data}), label)
            return super().format_entry(label, entry, bib_data=bib_data)

        def get_article_template(self, e):
            venue = join(sep=", ")[italic_title(name="journal"), optional[volume_number], optional[pages]]
            return dot(head, quoted_title, venue, optional[link])

        def get_book_template(self, e):
            return dot(head, italic_title, optional[edition], optional[series], optional[publisher_place],
                       optional[link])

        def get_incollection_template(self, e, label="dir."):
            return dot(head, quoted_title, within(label=label),
                       optional[publisher_place(who=("publisher", "organization"))], optional[link])

        def get_inbook_template(self, e):
            return self.get_incollection_template(e) if e.fields.get("booktitle") else self.get_book_template(e)

        def get_inproceedings_template(self, e):
            return self.get_incollection_template(e, label="éd.")

        def get_proceedings_template(self, e):
            return self.get_book_template(e)

        def get_phdthesis_template(self, e):
            return dot(head, italic_title, thesis, optional[link])

        get_mastersthesis_template = get_phdthesis_template

        def get_techreport_template(self, e):
            return dot(head, italic_title, report, optional[link])

        def get_misc_template(self, e):
            return dot(head, italic_title, optional[misc_where], optional[link])

        get_unpublished_template = get_misc_template
        get_manual_template = get_misc_template
        get_booklet_template = get_book_template

    pybtex.plugin.register_plugin("pybtex.style.formatting", "auteur_annee_fr", FrenchAuthorYearStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "plain_fr", FrenchAuthorYearStyle, force=True)


LATEX_BIBLIOGRAPHY = r"""
\makeatletter
% Author-year bibliography: no numeric label, hanging indent; titles keep the spacing typed
% (babel-french would add a space before the colon of «Ecosystem as Structure: An…»).
\renewcommand{\@biblabel}[1]{}
% The list follows the chapter's own heading: the class's \chapter*{\bibname} would print a
% second «Bibliographie» on a new page, leaving the chapter's opening page two-thirds empty.
% The hanging indent: the list's left margin is its (empty) label's width plus \labelsep, so a
% \labelsep of 1.5em makes that margin, and the first line goes back by as much, to the text's
% edge (a \leftskip, reset by \raggedright, left the first lines 1em into the margin).
\renewenvironment{sphinxthebibliography}[1]
  {\def\chapter*##1{}\setlength{\labelsep}{1.5em}\begin{thebibliography}{}\ifdefined\NoAutoSpacing\NoAutoSpacing\fi
   \setlength{\itemindent}{-1.5em}%
   \setlength{\itemsep}{0.35\baselineskip}\raggedright}
  {\end{thebibliography}}
\makeatother
"""

BIBLIOGRAPHY_CSS = """\
/* Author-year bibliography: the list is sorted by author, its numeric labels are not shown. */
div.citation > span.label, dl.citation > dt.label { display: none; }
div.citation, dl.citation > dd { grid-template-columns: 1fr; padding-left: 1.5em; text-indent: -1.5em; }
dl.citation { display: block; }
dl.citation > dd { margin-left: 0; margin-bottom: .4em; }
"""


def _on_builder_inited_bibliography(app) -> None:
    if app.builder.format == "html":
        # same folder as plotly.js (see _static_dir), already in html_static_path
        css = _static_dir(Path(app.outdir).parent) / "bibliographie.css"
        if not css.is_file() or css.read_text(encoding="utf-8") != BIBLIOGRAPHY_CSS:
            css.write_text(BIBLIOGRAPHY_CSS, encoding="utf-8")
        app.add_css_file("bibliographie.css")


#: Page layout of the PDF, found by looking at its pages:
#: - the running footer cuts a long section title with an ellipsis: written whole, it ran
#:   onto a second line and under the page number (« …écosystèmes d'innovation autou76 »);
#: - the table of contents leaves room for page numbers of three digits (they touched the
#:   dot leaders from page 100 on);
#: - headings are set ragged right and never hyphenated («désac-cords», «pres-tataire»,
#:   and justified headings with wide gaps between their words);
#: - the table of contents is titled «Table des matières»: Sphinx names it after the first
#:   caption of the root page's table of contents, which is the first part («Cadre théorique»);
#: - the introduction, which follows the contents, does not carry their name in its footer
#:   («Table des matières» under its first page);
#: - code is never hyphenated («publi-sher_page»): an identifier breaks only where the
#:   book's tables allow it (after an underscore or a slash).
LATEX_LAYOUT = r"""
\setmonofont{FreeMono}[Extension=.otf,UprightFont=*,ItalicFont=*Oblique,BoldFont=*Bold,
  BoldItalicFont=*BoldOblique,HyphenChar=None]
\addto\captionsfrench{\renewcommand{\contentsname}{Table des matières}}
\usepackage{truncate}
\makeatletter
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyfoot[RO]{{\py@HeaderFamily\thepage}}%
  \fancyfoot[LO]{{\py@HeaderFamily\truncate{\dimexpr\textwidth-4em\relax}{\nouppercase{\rightmark}}}}%
  \fancyhead[RO]{{\py@HeaderFamily \@title\sphinxheadercomma\py@release}}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0.4pt}%
}
\renewcommand{\@pnumwidth}{2.2em}
\renewcommand{\@tocrmarg}{3.2em}
\g@addto@macro\sphinxtableofcontents{\markboth{}{}}
\renewcommand{\topfraction}{0.9}\renewcommand{\bottomfraction}{0.6}\renewcommand{\textfraction}{0.1}
\renewcommand{\floatpagefraction}{0.7}\setcounter{topnumber}{2}\setcounter{totalnumber}{3}
\newcommand{\compendiumheading}{\filright\hyphenpenalty=10000\exhyphenpenalty=10000}
\titleformat{\section}{\Large\py@HeaderFamily\compendiumheading}{\py@TitleColor\thesection}{0.5em}{\py@TitleColor}
\titleformat{\subsection}{\large\py@HeaderFamily\compendiumheading}{\py@TitleColor\thesubsection}{0.5em}{\py@TitleColor}
\titleformat{\subsubsection}{\normalsize\py@HeaderFamily\compendiumheading}{\py@TitleColor\thesubsubsection}{0.5em}{\py@TitleColor}
\makeatother
"""


def _on_config_inited_bibliography(app, config) -> None:
    elements = dict(config.latex_elements or {})
    for addition in (LATEX_BIBLIOGRAPHY, LATEX_LAYOUT):
        if addition not in elements.get("preamble", ""):
            elements["preamble"] = elements.get("preamble", "") + addition
    config.latex_elements = elements


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
    import hashlib
    import pickle

    from compendium.book.build import package_digest

    root = Path(app.srcdir)
    _BIB_CACHE["path"] = Path(app.outdir).parent / ".bibtex-cache.pickle"
    # the package's code (styles), and every bibliography file: a formatted entry may depend on
    # the others (2021a / 2021b), so any change to the bibliography formats everything again
    salt = [package_digest(root) if (root / "src" / "compendium").is_dir() else "installed"]
    for bib in getattr(config, "bibtex_bibfiles", []) or []:
        path = Path(bib) if Path(bib).is_absolute() else root / bib
        salt.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else bib)
    _BIB_CACHE["salt"] = "|".join(salt)
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


def _patch_extended_names() -> None:
    """A Better BibLaTeX name pasted by hand into references.bib
    (``family=Saint-Ours, given=Édouard, prefix=de, useprefix=true``) is read like the one
    ``add-references`` writes («de Saint-Ours, Édouard»), instead of stopping the build on
    pybtex's English «Too many commas»."""
    import pybtex.database as pdb

    if getattr(pdb.Person._parse_string, "_compendium", False):
        return
    original = pdb.Person._parse_string
    extended = re.compile(r"^\s*(family|given|prefix|suffix|useprefix|juniorcomma)\s*=", re.I)

    def _parse_string(self, name):
        if extended.match(name):
            from compendium.literature.references import _parse_name

            name = _parse_name(name, useprefix=False)
        return original(self, name)

    _parse_string._compendium = True
    pdb.Person._parse_string = _parse_string


PRINT_FIGURE_ATTR = "compendium_print_figure"


class FigureMimeRenderer:
    """myst-nb renderer (entry point ``myst_nb.mime_renderers``) for the book's figures in the
    PDF. myst-nb parses every type of an output whatever the builder, so the renderer only keeps
    the figure's print spec in a placeholder; :class:`PrintFigures`, a post-transform of the LaTeX
    builder alone, turns it into a PNG. An HTML build therefore never renders a PNG."""

    mime_priority_overrides = [("latex", FIGURE_MIME, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        import json

        from docutils import nodes

        if data.mime_type != FIGURE_MIME:
            return None
        content = data.content if isinstance(data.content, dict) else json.loads(data.string)
        return [nodes.container(**{PRINT_FIGURE_ATTR: json.dumps(content, sort_keys=True)})]


#: About how many characters of the book's text font a PDF line holds (A4, Sphinx's margins).
LINE_CHARS = 80


#: Printed lines above which a table may break across pages: a third of a page (a page holds
#: about 45). A table that cannot break and does not fit below the text moves to the next page and
#: leaves the rest of the page blank (half of a page in the data annex).
BREAKABLE_TABLE_LINES = 15


def _breakable_identifiers(table) -> None:
    """LaTeX: an identifier in a table cell («coop_interdependance_risques»,
    «search_log.query_id», «data/secondary/own_sources.csv»), in code type or not, is one
    unbreakable word that ran into the next column or off the page; it may now break after each
    underscore and each slash."""
    from docutils import nodes

    def broken(text: str, make) -> list:
        parts = []
        for i, piece in enumerate(re.findall(r"[^_/]*[_/]+|[^_/]+$", text)):
            if i:
                parts.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            parts.append(make(piece))
        return parts

    for literal in list(table.findall(nodes.literal)):
        if ("_" in literal.astext() or "/" in literal.astext()) and isinstance(literal.parent, nodes.Element):
            classes = literal.get("classes", [])
            literal.replace_self(broken(literal.astext(), lambda p: nodes.literal(p, p, classes=classes)))
    for text in list(table.findall(nodes.Text)):
        parent = text.parent
        if (("_" in text or re.search(r"\w/\w", text)) and parent is not None
                and not isinstance(parent, (nodes.literal, nodes.raw))):
            parent.replace(text, broken(str(text), nodes.Text))


def _table_lines(group, widths: list[int], total: int, n: int, rows: int | None = None) -> int:
    """About how many printed lines a table takes (its first ``rows`` rows, head included):
    each row as tall as its most wrapped cell."""
    import itertools

    from docutils import nodes

    room = [max(1, w * LINE_CHARS // max(total, LINE_CHARS)) for w in widths]
    lines = 0
    for row in itertools.islice(group.findall(nodes.row), rows):
        cells = [e for e in row.children if isinstance(e, nodes.entry)][:n]
        lines += max((math.ceil(len(c.astext()) / room[i]) for i, c in enumerate(cells)), default=1) or 1
    return lines


def _column_widths(group, n: int) -> list[int]:
    """Each column's share of a PDF line, in characters, for a table of ``n`` columns (see
    ``PrintTables``): its longest word first, its identifiers whole where the line has room,
    then what is left to the columns of longer texts."""
    from docutils import nodes

    # in characters: the longest word (identifiers cut at their underscores and
    # slashes), the longest identifier whole, the longest text
    least, whole, want = [3] * n, [3] * n, [3] * n
    for row in group.findall(nodes.row):
        # a long word of a heading («intermédiarité») may be hyphenated rather than
        # widen a column of short numbers
        head = isinstance(row.parent, nodes.thead)
        for i, entry in enumerate(e for e in row.children if isinstance(e, nodes.entry)):
            if i < n:
                text = entry.astext()
                # identifiers may break after their underscores and slashes (see above)
                # (+3: a column's padding takes about two characters and a half)
                longest = max((len(w) for w in re.split(r"[\s_/]+", text)), default=0)
                # a heading is set in a bolder, wider font: a short word («champs»)
                # keeps its line, a long one may be hyphenated
                word = min(math.ceil(longest * 1.2) + 3, 11) if head else longest + 3
                least[i] = max(least[i], word)
                if not head:
                    words = text.split()
                    # a cell that is one short command («./run html») is one identifier too
                    codes = [c.astext() for c in entry.findall(nodes.literal)]
                    if len(codes) == 1 and codes[0].strip() == text.strip() and len(text.strip()) <= 24:
                        words = [text.strip()]
                    whole[i] = max(whole[i], max((len(w) for w in words), default=0) + 3)
                want[i] = max(want[i], min(40, len(text) + 3) if not head else word)
    # A line holds about LINE_CHARS characters: every column first gets its longest word,
    # then the room left goes to the columns whose texts are longer than that.
    want = [max(w, m) for w, m in zip(want, least)]
    # Then, where the line allows, an identifier column gets its identifiers whole
    # («source_ids» rather than «source_» / «ids»), the narrowest first.
    for need, i in sorted((min(h, w) - m, i) for i, (h, w, m) in enumerate(zip(whole, want, least))):
        if 0 < need <= LINE_CHARS - sum(least):
            least[i] += need
    extra = [w - m for w, m in zip(want, least)]
    spare = max(0, LINE_CHARS - sum(least))
    widths = [min(w, m + spare * e // (sum(extra) or 1)) for w, m, e in zip(want, least, extra)]
    return widths


def _print_tables_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class PrintTables(SphinxPostTransform):
        """LaTeX only: a table without given widths becomes, in a long table, columns of
        unbreakable lines (``l``) that run off the page (the ecosystem table lost its last three
        columns). Give each column a share of the line in proportion to its longest text (bounded,
        and never narrower than its longest word), set ragged right, so that every column wraps
        within the page. It runs after the references are resolved (Sphinx's resolver has
        priority 10): before, a citation cell reads as its keys joined by commas, one «word» of
        sixty characters that took three quarters of the line from the columns of text."""

        default_priority = 11
        builders = ("latex",)

        def run(self, **kwargs) -> None:
            from sphinx import addnodes

            for table in list(self.document.findall(nodes.table)):
                if "colwidths-given" in table["classes"] or not isinstance(table.parent, nodes.Element):
                    continue
                group = next(table.findall(nodes.tgroup), None)
                if group is not None:
                    n = int(group.get("cols", 0)) or len([c for c in group.children if isinstance(c, nodes.colspec)])
                    widths = _column_widths(group, n)
                    total = sum(widths)
                    spec = "".join(rf">{{\raggedright\arraybackslash}}\X{{{w}}}{{{total}}}" for w in widths)
                    table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=spec))
                    # Sphinx sets a table of 30 rows or fewer in a «tabulary», which never breaks across
                    # pages: one taller than a page ran past the footer and lost its last rows (the
                    # data annex's table of 28 tables), a shorter one left a blank half page before
                    # it. A table of more than a third of a page is set as a long table instead.
                    if ("longtable" not in table["classes"]
                            and _table_lines(group, widths, total, n) > BREAKABLE_TABLE_LINES):
                        table["classes"].append("longtable")
                    if "longtable" in table["classes"]:
                        # a long table starts where its head and a few rows fit: it began
                        # five times with its head and one row at the foot of a page. \Needspace
                        # measures the page; \needspace's trick (a skip, a penalty, the skip
                        # taken back) made longtable see a page with no room, which then printed
                        # an empty fragment («suite sur la page suivante» alone, 14 times) and
                        # its head twice on the next page
                        # (its head and first two rows, however tall: a table of tall rows still
                        # began with one row at a page's foot, three times)
                        first = _table_lines(group, widths, total, n, rows=3)
                        need = min(max(8, first + 3), 24)
                        table.parent.insert(table.parent.index(table) - 1,
                                            nodes.raw("", rf"\Needspace{{{need}\baselineskip}}", format="latex"))
                # Last: the break points are raw LaTeX, whose text («\\allowbreak{}») the measures
                # above would count as part of the word (a column of table names took a quarter
                # of the line, and the column of digests ran into the margin).
                _breakable_identifiers(table)

    return PrintTables


def _print_figures_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class PrintFigures(SphinxPostTransform):
        """LaTeX only: each figure's print spec becomes a PNG (from ``_build/.figure-cache`` when
        the same spec was rendered before), registered as an image of the document."""

        default_priority = 5  # after myst-nb's choice of the output type (4)
        builders = ("latex",)

        def run(self, **kwargs) -> None:
            import hashlib
            import json

            from compendium.figures import pngs_from_spec

            folder = Path(self.app.doctreedir).parent / ".figure-print"
            for node in list(self.document.findall(nodes.container)):
                spec = node.get(PRINT_FIGURE_ATTR)
                if not spec:
                    continue
                images = []
                for png in pngs_from_spec(json.loads(spec)):
                    folder.mkdir(parents=True, exist_ok=True)
                    path = folder / f"{hashlib.sha256(png).hexdigest()}.png"
                    if not path.is_file():
                        path.write_bytes(png)
                    self.env.images.add_file(self.env.docname, str(path))
                    images.append(nodes.image(uri=str(path), candidates={"image/png": str(path)}))
                # a figure printed in parts: each part on a page of its own, the caption kept
                # with the last
                parts: list = []
                for image in images[:-1]:
                    parts += [image, nodes.raw("", r"\par\clearpage", format="latex")]
                node.replace_self(parts + [images[-1]])
                _keep_with_caption(images[-1])

    return PrintFigures


#: LaTeX: a figure and its caption in one box, which does not break across pages, set as a
#: float: here if it fits, else at the top of a page, the text that follows filling the space
#: (set in place, a figure taller than what was left of its page left that part blank: 13 pages
#: of the book 30 to 96 % blank). The drawing leaves room for its caption, counted in lines of
#: about 85 characters, and two more: a figure as tall as the page once pushed its caption into
#: the footer. No sentence of the book places a figure by «ci-dessous»: its caption names it.
_KEEP_BEGIN = (r"\par\begin{figure}[!htbp]\noindent\begin{minipage}{\linewidth}"
               r"\csname spx@image@maxheight\endcsname=\dimexpr\textheight-{lines}\baselineskip\relax")
_KEEP_END = r"\end{minipage}\end{figure}"


def _keep_with_caption(image) -> bool:
    """Keep a printed figure with the caption that :func:`compendium.figures.show` writes right
    after it («**Titre** — *Données : …*»): set apart, the caption was left alone at the top of
    the next page (eleven figures of the PDF). Both go in one box, the box's markers put in the
    nearest container holding both, so that LaTeX environments still nest. Returns whether the
    caption was found."""
    from docutils import nodes

    caption = image.next_node(nodes.paragraph, siblings=True, ascend=True)
    if caption is None or "Données" not in caption.astext():
        return False
    above = list(_ancestors(image))
    common = next((a for a in _ancestors(caption) if a in above), None)
    if common is None or not isinstance(common, nodes.container):
        return False
    first = next(c for c in common.children if c is image or image in c.findall(type(image)))
    last = next(c for c in common.children if c is caption or caption in c.findall(nodes.paragraph))
    lines = math.ceil(len(caption.astext()) / 85) + 2
    common.insert(common.index(first), nodes.raw("", _KEEP_BEGIN.replace("{lines}", str(lines)), format="latex"))
    common.insert(common.index(last) + 1, nodes.raw("", _KEEP_END, format="latex"))
    return True


#: French spacing: the space inside guillemets and before a high punctuation mark must not
#: break (a line then began with «»» or «:», or ended with «« ») — a no-break space inside
#: guillemets and before «:», a narrow one before «;», «?» and «!», as the book's tables have.
_FRENCH_SPACES = [("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"),
                  (" ;", "\u202f;"), (" ?", "\u202f?"), (" !", "\u202f!")]


_PERCENT = re.compile(r"(\d)[ \u00a0]%")


def french_spacing(text: str) -> str:
    """``text`` with the breakable spaces of French punctuation made unbreakable."""
    for plain, fixed in _FRENCH_SPACES:
        text = text.replace(plain, fixed)
    # « 80 % »: the sign stays with its number (a narrow space, as format_quantity writes it)
    return _PERCENT.sub("\\1\u202f%", text)


def _french_spacing_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    #: Where text is code, a formula or markup, it is left as written.
    verbatim = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block,
                nodes.comment, nodes.doctest_block, nodes.target)

    class FrenchSpacing(SphinxPostTransform):
        """Every builder: French spacing in the text of every page (chapters, glued values,
        tables, bibliography), code and formulas excepted. It runs last, once the citations and
        the glued values are in the tree."""

        default_priority = 900

        def run(self, **kwargs) -> None:
            for text in list(self.document.findall(nodes.Text)):
                value = str(text)
                fixed = french_spacing(value)
                if fixed == value or any(isinstance(a, verbatim) for a in _ancestors(text)):
                    continue
                text.parent.replace(text, nodes.Text(fixed))

    return FrenchSpacing


@functools.lru_cache(maxsize=None)
def _evidence_verbatim() -> tuple:
    """Where an evidence id is code, a link already, a heading or a target: left as written."""
    from docutils import nodes
    from sphinx import addnodes

    return (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment,
            nodes.target, nodes.reference, nodes.title, nodes.rubric, addnodes.pending_xref, nodes.FixedTextElement)



def _evidence_links_transform():
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util.nodes import make_refnode

    from compendium.cases.evidence_ids import ID_PATTERN, LABEL_PREFIX, label

    verbatim = _evidence_verbatim()

    class EvidenceLinks(SphinxPostTransform):
        """Every builder: each mention of an evidence id (``rennes-057``, ``rennes-e025``…) in the
        text of a page becomes a link to its entry in the register of evidence (the annex
        :data:`~compendium.cases.evidence_ids.REGISTER_DOC`), where it is described with its
        sources. An id the register does not hold stays plain text; in the register itself, the
        id that heads an entry is not linked to that entry."""

        default_priority = 850

        def run(self, **kwargs) -> None:
            labels = self.env.domaindata["std"]["anonlabels"]
            here = self.env.docname
            for text in list(self.document.findall(nodes.Text)):
                value = str(text)
                if not ID_PATTERN.search(value):
                    continue
                ancestors = list(_ancestors(text))
                if any(isinstance(a, verbatim) for a in ancestors):
                    continue
                # the entry's own id (the PDF assembles every page into one tree: the paragraph
                # that carries the entry's target says it, whatever the page being written)
                own = {i for a in ancestors for i in a.get("ids", [])}
                pieces, last = [], 0
                for match in ID_PATTERN.finditer(value):
                    target = labels.get(label(match[1]))
                    if not target or label(match[1]) in own:
                        continue
                    # the id keeps an opening parenthesis before it and a closing mark after it on
                    # its line (a browser may break between « ( » and a link that may not break)
                    start, end = match.start(), match.end()
                    if start > last and value[start - 1] == "(":
                        start -= 1
                    if end < len(value) and value[end] in ").,":
                        end += 1
                    pieces.append(nodes.Text(value[last:start]))
                    ref = make_refnode(self.app.builder, here, target[0], target[1], nodes.Text(match[1]),
                                       f"{match[1]}\u202f: registre des éléments de preuve")
                    ref["classes"].append("cmp-evidence")
                    group = nodes.inline(classes=["cmp-evidence-id"])
                    if start < match.start():
                        group += nodes.Text(value[start:match.start()])
                    group += ref
                    if end > match.end():
                        group += nodes.Text(value[match.end():end])
                    pieces.append(group)
                    last = end
                if pieces:
                    pieces.append(nodes.Text(value[last:]))
                    text.parent.replace(text, [p for p in pieces if not isinstance(p, nodes.Text) or str(p)])
            self.cited_in()

        def cited_in(self) -> None:
            """Each entry of the register (a paragraph that carries its target) ends with the
            pages that name its id, in the book's order: where the element is used."""
            citing = citing_pages(self.env)
            for para in list(self.document.findall(nodes.paragraph)):
                ids = [i[len(LABEL_PREFIX):] for i in para.get("ids", []) if i.startswith(LABEL_PREFIX)]
                docs = citing.get(ids[0]) if ids else None
                if not docs:
                    continue
                # the entry may end on its source's address, without a full stop
                para += nodes.Text(" Cité dans : " if para.astext().rstrip()[-1:] in ".!?…" else ". Cité dans : ")
                for k, doc in enumerate(docs):
                    if k:
                        para += nodes.Text(", ")
                    para += make_refnode(self.app.builder, self.env.docname, doc, "",
                                         nodes.Text(short_title(self.env.titles[doc].astext())),
                                         self.env.titles[doc].astext())
                para += nodes.Text(".")

    return EvidenceLinks


def short_title(title: str) -> str:
    """A page's title up to its colon: « Rennes : un quart de siècle… » → « Rennes »."""
    return re.split(r"[\s\u00a0\u202f]+:\s", title, maxsplit=1)[0]


def reading_order(env) -> list[str]:
    """The pages in the order of the book's table of contents."""
    order, seen = [], set()

    def walk(doc: str) -> None:
        if doc in seen:
            return
        seen.add(doc)
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return order + sorted(set(env.all_docs) - seen)


def citing_pages(env) -> dict[str, list[str]]:
    """Evidence id → the pages that name it, the register excepted, in the book's order."""
    from compendium.cases.evidence_ids import REGISTER_DOC

    mentions = getattr(env, _MENTIONS, {})
    out: dict[str, list[str]] = {}
    for doc in reading_order(env):
        if doc != REGISTER_DOC and doc in env.titles:
            for element_id in mentions.get(doc, ()):
                out.setdefault(element_id, []).append(doc)
    return out


#: env attributes: the evidence ids each page mentions (read with the page), and the ids that had
#: an entry in the register at the end of the last reading.
_MENTIONS, _TARGETS = "compendium_evidence_mentions", "compendium_evidence_targets"
#: env attribute: evidence id → the pages (and their titles) that named it, at the last build.
_CITING = "compendium_evidence_citing"


def _mentions(env) -> dict[str, set[str]]:
    """The env's record of the evidence ids each page mentions, created on first use."""
    if getattr(env, _MENTIONS, None) is None:
        setattr(env, _MENTIONS, {})
    return getattr(env, _MENTIONS)


def _record_evidence_mentions(app, doctree) -> None:
    from docutils import nodes

    from sphinx import addnodes

    from compendium.cases.evidence_ids import ID_PATTERN, LABEL_PREFIX

    ids = set()  # as the links will be made: an id written as code is an example, not a citation
    for text in doctree.findall(nodes.Text):
        found = ID_PATTERN.findall(str(text))
        if found and not any(isinstance(a, _evidence_verbatim()) for a in _ancestors(text)):
            ids.update(found)
    # an element named rather than cited (an actor's name in a map's table, see register_ref)
    for ref in doctree.findall(addnodes.pending_xref):
        target = ref.get("reftarget", "")
        if ref.get("reftype") == "ref" and target.startswith(LABEL_PREFIX):
            ids.add(target[len(LABEL_PREFIX):])
    mentions = _mentions(app.env)
    if ids:
        mentions[app.env.docname] = ids
    else:
        mentions.pop(app.env.docname, None)


def _purge_evidence_mentions(app, env, docname) -> None:
    getattr(env, _MENTIONS, {}).pop(docname, None)


def _merge_evidence_mentions(app, env, docnames, other) -> None:
    mentions = _mentions(env)
    theirs = getattr(other, _MENTIONS, {})
    for docname in docnames:
        if docname in theirs:
            mentions[docname] = theirs[docname]


def pages_to_relink(env) -> list[str]:
    """``env-updated``: the pages Sphinx must write again though their own source did not change.

    - The pages that mention an evidence id whose entry in the register came or went since the
      last build: without this, a page would keep a link to an entry a table no longer holds,
      or leave as plain text an id the register now describes.
    - The register, when the pages that name an id (or their titles) changed: each entry says
      where it is cited."""
    from compendium.cases.evidence_ids import LABEL_PREFIX, REGISTER_DOC

    targets = {name[len(LABEL_PREFIX):] for name in env.domaindata["std"]["anonlabels"] if name.startswith(LABEL_PREFIX)}
    citing = {element_id: [(doc, env.titles[doc].astext()) for doc in docs]
              for element_id, docs in citing_pages(env).items()}
    before, cited_before = getattr(env, _TARGETS, None), getattr(env, _CITING, None)
    setattr(env, _TARGETS, targets)
    setattr(env, _CITING, citing)
    out = set()
    if before is not None and before != targets:
        changed = targets ^ before
        out |= {doc for doc, ids in getattr(env, _MENTIONS, {}).items() if ids & changed}
    if cited_before is not None and cited_before != citing and REGISTER_DOC in env.all_docs:
        out.add(REGISTER_DOC)
    return sorted(out)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


#: A heading that carries its own number: «0. Mode d'emploi», «3.1 Acteurs et rôles», «A. Sources…».
_MANUAL_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s")
#: env.metadata key of a page that numbers its own sections.
SELF_NUMBERED = "compendium-self-numbered"


def self_numbered(doctree) -> bool:
    """A page whose headings carry their own numbers (the interview guide, the notice, the
    protocol: documents handed out on their own, which their sources cite as «notice § 3»):
    at least three headings below its title start with a number or a capital and a point."""
    from docutils import nodes

    titles = [s[0].astext() for s in doctree.findall(nodes.section)
              if isinstance(s.parent, nodes.section) and s.children and isinstance(s[0], nodes.title)]
    return sum(bool(_MANUAL_NUMBER.match(t)) for t in titles) >= 3


def _on_doctree_read(app, doctree) -> None:
    if self_numbered(doctree):
        app.env.metadata[app.env.docname][SELF_NUMBERED] = True


_SECTION_NUMBER_SPAN = re.compile(r'<span class="section-number">\d+(?:\.\d+)+\.\s</span>')
_SECTION_NUMBER_LINK = re.compile(r'(<a class="reference internal[^>]*>)\d+(?:\.\d+)+\.\s')


def drop_section_numbers(html: str) -> str:
    """``html`` without the book's numbers of sections («9.1.»), the chapter's («9.») kept."""
    return _SECTION_NUMBER_LINK.sub(r"\1", _SECTION_NUMBER_SPAN.sub("", html))


_CELL = re.compile(r"(<t[dh][\s>].*?</t[dh]>)", re.S)
_TAG = re.compile(r"(<[^>]*>)")
_AFTER_JOINER = re.compile(r"(?<=\w)([_/])(?=\w)")


def breakable_cells(html: str) -> str:
    """HTML: in a table cell, an identifier («synthesis_dimensions.id»,
    «data/synthesis/propositions_status.csv») may break after each underscore and slash (a
    ``<wbr>``, which copying and searching ignore), so that its column is no wider than its
    longest part and a wide table fits the page at a laptop's width instead of hiding its last
    columns behind its own scroll bar. Tags and their attributes (link addresses) are left alone;
    the text of the search index, built from the document tree, is unchanged."""

    def cell(match: re.Match) -> str:
        pieces = _TAG.split(match[1])
        # even pieces are text between tags, odd ones the tags themselves
        return "".join(piece if i % 2 else _AFTER_JOINER.sub(r"\1<wbr>", piece) for i, piece in enumerate(pieces))

    return _CELL.sub(cell, html)


_ENCODED_LETTERS = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def readable_url(url: str) -> str:
    """``url`` as a reader reads it: the percent-encoded letters of a non-English address
    («donn%C3%A9es») decoded («données»); every other escape («%20», «%2F», «%3A», which would
    change the address or its reading) is kept."""

    def decode(match: re.Match) -> str:
        raw = bytes.fromhex(match[0].replace("%", ""))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return match[0]
        from urllib.parse import quote

        return "".join(c if ord(c) > 127 and c.isprintable() else quote(c, safe="") for c in text)

    return _ENCODED_LETTERS.sub(decode, url)


def _readable_url_footnotes_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util.texescape import escape

    def uri(text: str) -> str:  # as Sphinx's LaTeX writer encodes an address (encode_uri)
        return (escape(text, "xelatex").replace(r"\textasciitilde{}", "~")
                .replace(r"\sphinxhyphen{}", "-").replace(r"\textquotesingle{}", "'"))

    class ReadableUrlFootnotes(SphinxPostTransform):
        """LaTeX: the address printed in a link's footnote (``latex_show_urls: footnote``) read
        «marion-glatron-donn%C3%A9es-service-public»; it now reads as the address bar shows it.
        As in Sphinx's other footnotes, the address is printed, not linked (the text that calls
        the footnote is the link). Runs after Sphinx made the footnotes."""

        default_priority = 401
        formats = ("latex",)

        def run(self, **kwargs) -> None:
            for ref in list(self.document.findall(nodes.reference)):
                target = ref.get("refuri", "")
                if ref.get("nolinkurl") and ref.astext() == target and readable_url(target) != target:
                    ref.replace_self(nodes.raw(
                        "", rf"\sphinxnolinkurl{{{uri(readable_url(target))}}}", format="latex"))

    return ReadableUrlFootnotes


def _self_numbered_latex_transform():
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class SelfNumbered(SphinxPostTransform):
        """LaTeX: in a page that numbers its own sections, LaTeX numbers only the chapter
        («9 Guide d'entretien», then «0. Mode d'emploi», not «9.1 0. Mode d'emploi»)."""

        default_priority = 20
        builders = ("latex",)

        def run(self, **kwargs) -> None:
            for start in list(self.document.findall(addnodes.start_of_file)):
                if not self.env.metadata.get(start.get("docname"), {}).get(SELF_NUMBERED):
                    continue
                chapter = next(start.findall(nodes.section), None)
                if chapter is None or not chapter.children or not isinstance(chapter[0], nodes.title):
                    continue
                chapter.insert(1, nodes.raw("", r"\edef\compendiumsecnumdepth{\the\value{secnumdepth}}"
                                                r"\setcounter{secnumdepth}{0}", format="latex"))
                chapter.append(nodes.raw("", r"\setcounter{secnumdepth}{\compendiumsecnumdepth}", format="latex"))

    return SelfNumbered


def _scan_entry_points_once() -> None:
    """pybtex and sphinxcontrib-bibtex look their plugins (name, label, sorting and referencing
    styles) up with ``importlib.metadata.entry_points(group=…, name=…)``, and each call scans
    every installed distribution again: a dozen scans per build. Here both ask one scan, made
    on first use and kept for the build (installed packages do not change during it). Plugins
    registered at run time, such as the book's styles, are still looked up first."""
    import importlib.metadata

    import pybtex.plugin as pp
    import sphinxcontrib.bibtex.plugin as bp

    if getattr(pp.entry_points, "_compendium", False):
        return
    scanned: list = []

    def entry_points(**params):
        if not scanned:
            scanned.append(importlib.metadata.entry_points())
        return scanned[0].select(**params)

    entry_points._compendium = True
    pp.entry_points = entry_points
    bp.entry_points = entry_points


def _skip_figure_numbers() -> None:
    """With ``numfig`` off, Sphinx still loads every page's doctree on every build to number
    figures that will not be numbered; skip that walk (the LaTeX builder numbers its own floats)."""
    from sphinx.environment.collectors.toctree import TocTreeCollector

    if getattr(TocTreeCollector.assign_figure_numbers, "_compendium", False):
        return
    original = TocTreeCollector.assign_figure_numbers

    def assign_figure_numbers(self, env):
        if env.config.numfig:
            return original(self, env)
        env.toc_fignumbers = {}
        return []

    assign_figure_numbers._compendium = True
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers


def _sync_static(app, exc) -> None:
    """Sphinx copies the static files only when it writes a page: an edit of
    ``_static/compendium.css`` alone left the old style in ``_build/html``. Copy every static file
    whose content differs, whatever was written."""
    import shutil

    if exc is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    for entry in app.config.html_static_path:
        folder = Path(app.confdir) / entry
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix == "_t":
                continue
            dest = target / path.relative_to(folder)
            if not dest.is_file() or dest.read_bytes() != path.read_bytes():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)


def env_version() -> int:
    """Changes with the source of the book's Sphinx extensions (this module, the title page and
    the pattern of evidence ids).

    Sphinx keeps the pages it read in its saved environment and reads again only those whose
    source changed; a change of a transform here (see :func:`unescape_link_targets`) would then
    reach no page already read. A different ``env_version`` makes Sphinx set its environment
    aside and read every page again, once."""
    import hashlib

    digest = hashlib.sha256()
    for path in (Path(__file__).parent / "sphinx_ext.py", Path(__file__).parent / "titlepage.py",
                 Path(__file__).parents[1] / "cases" / "evidence_ids.py"):  # the ids the pages' text is read for
        digest.update(path.read_bytes())
    return int(digest.hexdigest()[:12], 16)


def setup(app):
    from compendium.book import messages

    messages.install(app)  # Sphinx's warnings about a chapter's mistakes, in French
    _scan_entry_points_once()
    _register_citation_style()
    _register_bibliography_style()
    app.connect("config-inited", _load_bib_cache)
    app.connect("build-finished", _save_bib_cache)
    app.connect("config-inited", _ensure_fresh)
    app.connect("build-finished", _mark_built)
    _patch_bibdata()
    _patch_extended_names()
    _skip_figure_numbers()
    app.add_post_transform(_print_figures_transform())
    app.add_post_transform(_print_tables_transform())
    app.add_post_transform(_evidence_links_transform())
    app.add_post_transform(_french_spacing_transform())
    app.add_post_transform(_self_numbered_latex_transform())
    app.add_post_transform(_readable_url_footnotes_transform())
    app.connect("doctree-read", _on_doctree_read)
    app.connect("doctree-read", _record_evidence_mentions)
    app.connect("env-purge-doc", _purge_evidence_mentions)
    app.connect("env-merge-info", _merge_evidence_mentions)
    app.connect("env-updated", lambda app, env: pages_to_relink(env))
    app.add_transform(_link_targets_transform())
    app.add_transform(_output_headings_transform())
    app.connect("builder-inited", _wait_for_notebooks, priority=0)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("builder-inited", _on_builder_inited_bibliography)
    app.connect("config-inited", _on_config_inited_bibliography)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _sync_static)
    return {"version": "0.1", "env_version": env_version(), "parallel_read_safe": True,
            "parallel_write_safe": True}
