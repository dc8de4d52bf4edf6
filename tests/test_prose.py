"""French formatting of numbers, dates and tables for the prose."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from compendium.prose import NNBSP, format_date, format_number, format_quantity, markdown_table
from conftest import ROOT


@pytest.mark.parametrize("value,decimals,expected", [
    (0, 0, "0"),
    (5, 0, "5"),
    (1234, 0, f"1{NNBSP}234"),
    (4_700_000, 0, f"4{NNBSP}700{NNBSP}000"),
    (12.5, 1, "12,5"),
    (-1234.567, 2, f"-1{NNBSP}234,57"),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_rejects_text_and_booleans():
    with pytest.raises(TypeError):
        format_number("12")
    with pytest.raises(TypeError):
        format_number(True)


def test_format_quantity_units():
    assert format_quantity(80, "%") == f"80{NNBSP}%"
    assert format_quantity(5_000_000, "EUR") == f"5{NNBSP}000{NNBSP}000{NNBSP}€"
    assert format_quantity(386, "jeux de données") == f"386{NNBSP}jeux de données"


@pytest.mark.parametrize("value,expected", [
    ("1999", "1999"), ("2018-02", "février 2018"), ("2018-02-02", "2 février 2018"), ("2021-10-01", "1er octobre 2021"),
])
def test_format_date_keeps_precision(value, expected):
    assert format_date(value) == expected


def test_markdown_table_formats_cells():
    frame = pd.DataFrame({"a": ["x|y", None], "n": [1234, 5], "l": [["p", "q"], []]})
    lines = markdown_table(frame, align={"n": "right"}).splitlines()
    assert lines[0] == "| a | n | l |"
    assert lines[1] == "| :-- | --: | :-- |"
    assert lines[2] == f"| x\\|y | 1{NNBSP}234 | p ; q |"


def test_glued_decimals_survive_myst_nb_parsing():
    """myst-nb reads glued text/plain with literal_eval: a French decimal must come back intact."""
    from IPython.core.formatters import PlainTextFormatter
    from myst_nb.core.variables import format_plain_text

    for value in ("0,93", "12,5\u202f%", "1\u202f234", "Rennes Métropole", "l'« orchestrateur »"):
        plain = PlainTextFormatter()(value)
        assert format_plain_text(plain, "s") == value


@pytest.mark.parametrize("value,expected", [
    ("2018", "en 2018"), ("2018-02", "en février 2018"), ("2018-08", "en août 2018"),
    ("2018-02-02", "le 2 février 2018"), ("2019-03-01", "le 1er mars 2019"), ("2014-12-09", "le 9 décembre 2014"),
])
def test_date_phrase_has_the_preposition_of_its_precision(value, expected):
    from compendium.prose import date_phrase

    assert date_phrase(value) == expected


@pytest.mark.parametrize("value,noun,expected", [
    (0, "producteur", "0 producteur"), (1, "producteur", "1 producteur"), (1.5, "projet", "1,5 projet"),
    (2, "producteur", "2 producteurs"), (386, "jeu de données", "386 jeux de données"),
    (20, "jumeau numérique", "20 jumeaux numériques"), (3, "réseau", "3 réseaux"), (4, "local", "4 locaux"),
    (2_000, "bâtiment", "2\u202f000 bâtiments"),
])
def test_format_count_puts_the_noun_in_the_right_number(value, noun, expected):
    from compendium.prose import format_count

    decimals = 1 if value % 1 else 0
    assert format_count(value, noun, decimals).replace(NNBSP, " ") == expected.replace(NNBSP, " ")


@pytest.mark.parametrize("value,noun,feminine,expected", [
    (0, "racine", True, "zéro racine"), (1, "racine", True, "une racine"), (1, "code", False, "un code"),
    (7, "dimension", True, "sept dimensions"), (16, "code", False, "seize codes"),
    (17, "code", False, "17 codes"), (2_000, "bâtiment", False, "2\u202f000 bâtiments"),
])
def test_small_counts_are_spelt_out_with_their_noun(value, noun, feminine, expected):
    from compendium.prose import count_in_words

    assert count_in_words(value, noun, feminine).replace(NNBSP, " ") == expected.replace(NNBSP, " ")


def test_format_count_takes_an_irregular_plural():
    from compendium.prose import format_count

    assert format_count(2, "œil", noun_plural="yeux").endswith("yeux")
    assert format_count(1, "œil", noun_plural="yeux").endswith("œil")


@pytest.mark.parametrize("plural_noun,singular_noun", [
    ("producteurs", "producteur"), ("jeux de données", "jeu de données"), ("nœuds", "nœud"),
    ("jumeaux numériques", "jumeau numérique"), ("porteurs de projets", "porteur de projets"),
    ("mois", "mois"), ("concours", "concours"),
])
def test_singular_of_table_units(plural_noun, singular_noun):
    from compendium.prose import plural, singular

    assert singular(plural_noun) == singular_noun
    assert plural(singular_noun) == plural_noun


def test_indicator_text_agrees_with_its_value():
    from compendium.cases.secondary import indicator_text

    assert indicator_text(1, "producteurs") == f"1{NNBSP}producteur"
    assert indicator_text(2, "producteurs") == f"2{NNBSP}producteurs"
    assert indicator_text(80, "%") == f"80{NNBSP}%"
    assert indicator_text(1, "mois") == f"1{NNBSP}mois"
    assert indicator_text(4_700_000, "EUR") == f"4{NNBSP}700{NNBSP}000{NNBSP}€"


@pytest.mark.parametrize("value,expected", [
    ("2013", "depuis 2013"), ("2013-04", "depuis avril 2013"), ("2013-04-01", "depuis le 1er avril 2013"),
])
def test_date_phrase_with_depuis(value, expected):
    from compendium.prose import date_phrase

    assert date_phrase(value, "depuis") == expected


#: words ending in -s or -x that do not mark a plural after a number
_INVARIABLE = {"dans", "sous", "sans", "depuis", "vers", "plus", "moins", "après", "très", "puis", "mais",
               "alors", "fois", "mois", "pas", "jusqu", "parmi", "chez", "dès", "hors", "lors", "selon"}
_GLUED_WORD = r"\{glue(?::text)?\}`([A-Za-z0-9_]+)`[\s\u202f\u00a0]+([a-zàâçéèêëîïôûù]+)"


def _typed_plurals_after_counts(markdown: str, values: dict[str, str]) -> tuple[list[str], int]:
    """(«key word» for each glued bare integer below 2 followed by a word in -s/-x, number of
    glued bare integers seen)."""
    import re

    wrong, seen = [], 0
    for key, word in re.findall(_GLUED_WORD, markdown):
        value = str(values.get(key, "")).replace("\u202f", "").replace("\u00a0", "")  # thousands
        if not value.isdigit():
            continue
        seen += 1
        if int(value) < 2 and re.search(r"[sx]$", word) and word not in _INVARIABLE:
            wrong.append(f"{{glue:text}}`{key}` {word} » (valeur {value})")
    return wrong, seen


def test_a_typed_plural_after_a_glued_count_is_caught():
    values = {"n_one": "1", "n_many": "144", "n_share": "45 %"}
    markdown = ("La revue retient {glue:text}`n_one` travaux ; {glue:text}`n_many` travaux ; "
                "{glue:text}`n_share` des sources ; {glue:text}`n_one` fois ; {glue:text}`n_one` au total.")
    wrong, seen = _typed_plurals_after_counts(markdown, values)
    assert wrong == ["{glue:text}`n_one` travaux » (valeur 1)"]
    assert seen == 4


def test_no_word_typed_after_a_glued_count_disagrees_with_it():
    """«{glue:text}`n` travaux»: the number is computed, the noun after it is typed. It agrees only
    while the count is 2 or more; the day the data makes it 0 or 1, the page reads «1 travaux».
    Every executed chapter is checked with the values it will show; a failure names the page and
    the words to rewrite with a generated phrase (prose.format_count)."""
    import json

    from conftest import ROOT, glued_values

    problems, seen = [], 0
    for path in sorted((ROOT / "chapters").rglob("*.ipynb")):
        if "_build" in path.parts or ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        wrong, n = _typed_plurals_after_counts(markdown, glued_values(path))
        seen += n
        problems += [f"{path.relative_to(ROOT)} : « {w} ; écrivez-la avec un compte généré (prose.format_count)"
                     for w in wrong]
    assert not problems, "\n".join(problems)
    assert seen >= 5, "les valeurs collées des carnets n'ont pas été lues"


def test_footer_date_is_in_words():
    """The HTML footer's «Mis à jour le …»: Sphinx gives an ISO date, the book prints it as the
    prose does; another format set in _config.yml is left alone."""
    from compendium.book.sphinx_ext import french_last_updated

    assert french_last_updated("2026-12-01") == "1er décembre 2026"
    assert french_last_updated("2026-08-06") == "6 août 2026"
    assert french_last_updated("06/12/2026") == "06/12/2026"
    assert french_last_updated(None) is None


def test_identifiers_in_html_table_cells_may_break_after_underscores_and_slashes():
    """A long identifier sets its column's width: in a table cell it may break after «_» and
    «/» (``<wbr>``), outside tables and inside tags (a link's address) it is left whole."""
    from compendium.book.sphinx_ext import breakable_cells

    html = ('<p>source_ids</p><table><thead><tr><th class="a_b">evidence_against</th></tr></thead>'
            '<tr><td><p><a href="https://ex.org/a_b/c">data/synthesis/propositions_status.csv</a>'
            ' 3 / 4 _x</p></td></tr></table>')
    assert breakable_cells(html) == (
        '<p>source_ids</p><table><thead><tr><th class="a_b">evidence_<wbr>against</th></tr></thead>'
        '<tr><td><p><a href="https://ex.org/a_b/c">data/<wbr>synthesis/<wbr>propositions_<wbr>status.csv</a>'
        ' 3 / 4 _x</p></td></tr></table>')


def test_addresses_in_pdf_footnotes_read_as_the_address_bar_shows_them():
    """Percent-encoded letters are decoded for the reader; escapes that carry meaning (a space,
    a slash, a colon, an invisible space) and bytes that are not UTF-8 stay encoded."""
    from compendium.book.sphinx_ext import readable_url

    assert readable_url("https://www.urbanistik.fr/regards/marion-glatron-donn%C3%A9es-service-public") == (
        "https://www.urbanistik.fr/regards/marion-glatron-données-service-public")
    assert readable_url("https://ex.org/Seminaire%20a%2Fb%3A") == "https://ex.org/Seminaire%20a%2Fb%3A"
    assert readable_url("https://ex.org/a%C3b%FF") == "https://ex.org/a%C3b%FF"
    assert readable_url("https://ex.org/%E2%80%AF%c3%a9t%C3%A9") == "https://ex.org/%E2%80%AFété"


@pytest.mark.parametrize("value,expected", [
    ("2021", "de 2021"), ("2021-11", "de novembre 2021"), ("2021-04", "d’avril 2021"), ("2021-08", "d’août 2021"),
    ("2021-10", "d’octobre 2021"), ("2021-11-16", "du 16 novembre 2021"), ("2021-11-01", "du 1er novembre 2021"),
])
def test_date_phrase_with_de(value, expected):
    """« des relevés datés {…} »: « datés en novembre 2021 » was wrong French."""
    from compendium.prose import date_phrase

    assert date_phrase(value, "de") == expected


def test_french_spacing_makes_punctuation_spaces_unbreakable():
    from compendium.book.sphinx_ext import french_spacing

    assert french_spacing("« le jumeau » : oui ; non ? si !") == (
        "«\u00a0le jumeau\u00a0»\u00a0: oui\u202f; non\u202f? si\u202f!")
    assert french_spacing("https://cnil.fr a:b") == "https://cnil.fr a:b"
    # a percentage stays with its number, as format_quantity writes it (typed in a table's text too)
    assert french_spacing("réplique « 100 % conforme », 80\u00a0% du projet, 50%") == (
        "réplique «\u00a0100\u202f% conforme\u00a0», 80\u202f% du projet, 50%")


def test_self_numbered_page_detection_and_numbers_dropped():
    from docutils.core import publish_doctree

    from compendium.book.sphinx_ext import drop_section_numbers, self_numbered

    guide = publish_doctree("Guide\n=====\n\n0. Mode\n-------\n\nx\n\n1. Script\n---------\n\nx\n\n"
                            "3.1 Acteurs\n^^^^^^^^^^^\n\nx\n", settings_overrides={"report_level": 5, "doctitle_xform": False})
    chapter = publish_doctree("Cas\n===\n\nLe corpus\n---------\n\nx\n\nLa chronologie\n--------------\n\nx\n",
                              settings_overrides={"report_level": 5, "doctitle_xform": False})
    assert self_numbered(guide) and not self_numbered(chapter)
    html = ('<h1><span class="section-number">9. </span>Guide</h1>'
            '<h2><span class="section-number">9.1. </span>0. Mode</h2>'
            '<a class="reference internal nav-link" href="#m">9.1. 0. Mode</a>')
    assert drop_section_numbers(html) == ('<h1><span class="section-number">9. </span>Guide</h1>'
                                          '<h2>0. Mode</h2><a class="reference internal nav-link" href="#m">0. Mode</a>')


def test_messages_agree_with_their_count():
    """Terminal messages say « 1 problème », « 3 problèmes », never « problème(s) »."""
    from compendium.prose import agree

    assert [agree(n, "{n} fuite", "{n} fuites") for n in (0, 1, 2, 1500)] == [
        "0 fuite", "1 fuite", "2 fuites", "1\u202f500 fuites"]
    assert agree(1, "{n} code de la grille qui est un cas", "{n} codes de la grille qui sont des cas") == \
        "1 code de la grille qui est un cas"
    # the package's messages and the scripts' reports (the benchmark printed « 2 cœur(s) »)
    files = [*(ROOT / "src/compendium").rglob("*.py"), *(ROOT / "scripts").glob("*.py")]
    source = "\n".join(p.read_text(encoding="utf-8") for p in files)
    messages = [m for m in re.findall(r'f"[^"\n]*\b\w+\((?:s|x)\)[^"\n]*"', source)]
    assert messages == [], f"pluriels à accorder : {messages}"


def test_a_ranking_keeps_the_values_tied_with_its_last():
    """« Les moins couverts : filière, norme de compte rendu, living lab » left out four concepts
    covered as little: a top three keeps every value tied with the third."""
    import pandas as pd

    from compendium.prose import with_ties

    values = pd.Series({"a": 5, "b": 3, "c": 3, "d": 3, "e": 3, "f": 9, "g": 1})
    assert with_ties(values, 3, largest=False) == ["g", "b", "c", "d", "e"]
    assert with_ties(values, 3) == ["f", "a", "b", "c", "d", "e"]
    assert with_ties(values, 1) == ["f"] and with_ties(values.head(2), 3) == ["a", "b"]


def test_a_french_enumeration():
    from compendium.prose import listing

    assert [listing([]), listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])] == ["", "a", "a et b", "a, b et c"]


def test_halves_are_rounded_up_as_a_reader_rounds():
    """42 sources of 80 are 52,5 %: « 53 % » at no decimal, where Python's format gave « 52 »
    (half to even); a float is read as the decimal it prints as."""
    import numpy as np

    from compendium.prose import format_number, format_quantity

    assert format_number(100 * 42 / 80) == "53"
    assert format_quantity(52.5, "%") == f"53{NNBSP}%"
    assert format_number(2.675, 2) == "2,68" and format_number(0.125, 2) == "0,13"
    assert format_number(np.float64(12345.65), 1) == f"12{NNBSP}345,7" and format_number(np.int64(1234567)) == f"1{NNBSP}234{NNBSP}567"
    assert format_number(-0.4) == "0" and format_number(1.5) == "2" and format_number(0.5) == "1"
