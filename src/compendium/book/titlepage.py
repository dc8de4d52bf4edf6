"""The title page of the PDFs (full book and synthesis document).

Title, subtitle (the research question), institutions, the authors read from ``CITATION.cff``
(the one place where their names live) and the date in French («1er décembre 2026»). As a
Sphinx extension (listed in ``_config.yml``) it replaces Sphinx's default LaTeX title page,
whose author line ran off the page and whose date was in English order.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from compendium.prose import format_date

TITLE = "Écosystèmes d’innovation et jumeaux numériques territoriaux"
QUESTION = "Vers de nouvelles configurations des écosystèmes d’innovation autour des jumeaux numériques territoriaux ?"
INSTITUTIONS = [
    ("Institut Henri Fayol, Mines Saint-Étienne", "département Management responsable et innovation"),
    ("IMT Business School", "département Technologies, information et management"),
]

_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def authors(root: Path) -> list[str]:
    """The authors of ``CITATION.cff``, each as one line: «Prénom Nom (affiliation)» for a
    person, the name for an entity. Nothing is added to what the file says."""
    meta = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8")) or {}
    lines = []
    for person in meta.get("authors") or []:
        if person.get("family-names"):
            name = " ".join(p for p in (person.get("given-names"), person.get("name-particle"),
                                        person["family-names"]) if p)
            if person.get("affiliation"):
                name += f" ({person['affiliation']})"
        else:
            name = person.get("name", "")
        if name:
            lines.append(name)
    return lines


def build_date() -> dt.date:
    """Today, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def date_fr(day: dt.date | None = None) -> str:
    """«1er décembre 2026»."""
    return format_date(day or build_date())


def latex_date(day: dt.date | None = None) -> str:
    """The French date for LaTeX, with a superscript ordinal: «1\\textsuperscript{er} décembre 2026»."""
    text = latex_escape(date_fr(day))
    return text.replace("1er ", r"1\textsuperscript{er} ", 1) if text.startswith("1er ") else text


def latex_titlepage(root: Path, kind: str = "Compendium de recherche", day: dt.date | None = None) -> str:
    """A ``titlepage`` environment; every line is a paragraph that wraps within the text width."""
    e = latex_escape
    institutions = "\n".join(
        rf"{{\large\bfseries {e(name)}\par}}{{\normalsize {e(dept)}\par}}\vspace{{0.6em}}" for name, dept in INSTITUTIONS)
    names = authors(root)
    author_lines = "\n".join(rf"{{\large {e(n)}\par}}\vspace{{0.3em}}" for n in names) or \
        r"{\large\itshape Noms des auteurs à renseigner dans CITATION.cff\par}"
    # the PDF's own metadata (a reader's window title, a library's catalogue): hyperref is loaded
    # by both documents, and its information is written when the first page is shipped out
    info = ", ".join([f"pdftitle={{{e(TITLE)}}}", f"pdfsubject={{{e(kind)}}}",
                      f"pdfauthor={{{e(' ; '.join(names or [i for i, _ in INSTITUTIONS]))}}}", "pdflang={fr}"])
    return rf"""
\hypersetup{{{info}}}
\begin{{titlepage}}
\begin{{center}}
\setlength{{\parskip}}{{0pt}}
{institutions}
\vspace*{{\fill}}
{{\rule{{\linewidth}}{{0.6pt}}\par}}\vspace{{1.2em}}
{{\Huge\bfseries {e(TITLE)}\par}}
\vspace{{1.2em}}
{{\Large\itshape {e(QUESTION)}\par}}
\vspace{{1.2em}}
{{\rule{{\linewidth}}{{0.6pt}}\par}}\vspace{{1.5em}}
{{\large {e(kind)}\par}}
\vspace*{{\fill}}
{{\normalsize Auteurs\par}}\vspace{{0.5em}}
{author_lines}
\vspace{{2em}}
{{\large {latex_date(day)}\par}}
\end{{center}}
\end{{titlepage}}
"""


def _config_inited(app, config) -> None:
    elements = dict(config.latex_elements or {})
    elements["maketitle"] = latex_titlepage(Path(app.srcdir))
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", _config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
