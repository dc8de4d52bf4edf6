"""Sphinx's warnings about a chapter's mistakes, in French with what to do (compendium.book.messages),
for the messages as Sphinx 7.4, myst-parser 3, myst-nb 1.4, sphinxcontrib-bibtex and
sphinx-external-toc write them (read in their sources)."""

from __future__ import annotations

import logging

import pytest

from compendium.book.messages import FrenchWarnings, error_line, french_warning

CASES = [
    ("No key 'n_x' found in glue data for this document. (use `path::key`, to glue from another document)",
     "aucune valeur nommée « n_x » n'est collée (glue) dans cette page"),
    ("No key '/chapters/cas/rennes.ipynb:' found in glue data for this document. (use `path::key`, to glue from "
     "another document)", "s'écrit {glue:text}`/chapters/cas/rennes.ipynb::nom:s`"),
    ("Glue reference 'n_x' not found in doc 'chapters/cas/rennes' [mystnb.glue_ref]",
     "le carnet « chapters/cas/rennes » ne colle aucune valeur nommée « n_x »"),
    ('could not find bibtex key "Inconnu2020"', "la référence « Inconnu2020 » n'est pas dans references.bib"),
    ("undefined label: 'section-absente'", "il manque la ligne « (section-absente)= »"),
    ('Unknown interpreted text role "cyte:p". [myst.role_unknown]', "rôle « cyte:p » inconnu"),
    ("Unknown directive type: 'note-de-bas' [myst.directive_unknown]", "directive « note-de-bas » inconnue"),
    ('Duplicate explicit target name: "cadre-jumeaux".', "l'étiquette « cadre-jumeaux » est définie deux fois"),
    ("image file not readable: chapters/cadre/images/x.png", "image introuvable : chapters/cadre/images/x.png"),
    ("toctree contains reference to nonexisting document 'chapters/cadre/07-absent' [etoc.ref]",
     "_toc.yml cite « chapters/cadre/07-absent », qui n'existe pas"),
]


@pytest.mark.parametrize("message,french", CASES)
def test_sphinx_warnings_read_in_french(message, french):
    assert french in (french_warning(message) or "")


def test_other_warnings_are_left_as_they_are():
    assert french_warning("Pygments lexer name 'xyz' is not known") is None


def test_filter_rewrites_the_message_alone():
    record = logging.LogRecord("sphinx.domains.std", logging.WARNING, "x.py", 1, "undefined label: %r",
                               ("section-absente",), None)
    assert FrenchWarnings().filter(record)
    assert record.getMessage().startswith("le renvoi vers « section-absente »")
    info = logging.LogRecord("sphinx", logging.INFO, "x.py", 1, "undefined label: 'a'", (), None)
    FrenchWarnings().filter(info)
    assert info.getMessage() == "undefined label: 'a'"


@pytest.mark.parametrize("line,expected", [
    ("chapters/x.md:76: WARNING: la référence « A » [bibtex.missing]", "chapters/x.md, ligne 76 : la référence « A »"),
    ("intro.md:: WARNING: _toc.yml cite « b », qui n'existe pas [etoc.ref]", "_toc.yml cite « b », qui n'existe pas"),
    ("WARNING: nom de rôle inconnu: cyte:p", "nom de rôle inconnu: cyte:p"),
    ("Exception occurred: boom", "Exception occurred: boom"),
])
def test_error_line_says_file_and_line_like_the_data_errors(line, expected):
    assert error_line(line) == expected


def test_serve_prints_sphinx_warnings_as_error_lines(tmp_path):
    import io

    from compendium.book.messages import ErrorLines

    out = io.StringIO()
    stream = ErrorLines(out, tmp_path)
    stream.write(f"\x1b[91m{tmp_path}/chapters/x.md:7: WARNING: la référence « A » n'est pas dans ")
    assert out.getvalue() == ""  # a line is written once it is whole
    stream.write("references.bib [bibtex.missing]\x1b[39;49;00m\n")
    assert out.getvalue() == "ERREUR chapters/x.md, ligne 7 : la référence « A » n'est pas dans references.bib\n"


def test_characters_the_pdf_font_lacks_are_named_once_each():
    """XeLaTeX's log lines, as XeTeX writes them (with and without the code point, TeX Gyre or a
    bracketed font file name): the PDF silently shows nothing where the character was."""
    from compendium.book.pdf import missing_character_lines

    log = ("Missing character: There is no ≥ (U+2265) in font TeXGyreTermes/OT:script=latn;language=dflt;!\n"
           "Missing character: There is no ≥ (U+2265) in font TeXGyreTermes/OT:script=latn;language=dflt;!\n"
           "Overfull \\hbox (2.1pt too wide) in paragraph at lines 10--11\n"
           "Missing character: There is no 中 in font [lmroman10-regular]:mapping=tex-text;!\n")
    assert missing_character_lines(log) == [
        "ATTENTION PDF : le caractère « ≥ » (U+2265) manque à la police TeXGyreTermes ; il n'apparaît pas dans "
        "le PDF : remplacez-le dans le texte, ou ajoutez au livre une police qui l'a",
        "ATTENTION PDF : le caractère « 中 » (U+4E2D) manque à la police lmroman10-regular ; il n'apparaît pas dans "
        "le PDF : remplacez-le dans le texte, ou ajoutez au livre une police qui l'a",
    ]
    assert missing_character_lines("Output written on livre.pdf (228 pages).\n") == []
