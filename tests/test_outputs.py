"""What readers get: the HTML book works offline in a real browser (Debian Chromium through
Playwright, network blocked), and the PDF holds every figure with no unresolved reference."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from browser import WIDTHS, check_book
from compendium.book import sphinx_ext
from compendium.book.pdf import blank_before_figures, check_pdf, figure_count
from conftest import compendium, copy_project, read_rows

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("built"))
    compendium(root, "build", "html")
    compendium(root, "build", "pdf")
    return root


@pytest.fixture(scope="module")
def browsed(built):
    """Every page opened in Chromium at 1280 and at 390 pixels (see tests/browser.py)."""
    started = time.monotonic()
    reports = check_book(built / "_build/html")
    return reports, time.monotonic() - started


@pytest.mark.browser
def test_every_page_loads_offline_and_every_figure_draws(built, browsed):
    reports, _ = browsed
    assert {r.width for r in reports} == set(WIDTHS)
    assert len(reports) >= 4 * len(WIDTHS)
    for r in reports:
        where = f"{r.page} à {r.width} px"
        assert r.external_requests == [], f"{where} : requêtes hors du livre {r.external_requests}"
        assert r.failed_requests == [], f"{where} : fichiers manquants {r.failed_requests}"
        assert r.console_errors == [], f"{where} : erreurs console {r.console_errors}"
        assert r.drawn_figures == r.figures, f"{where} : {r.figures - r.drawn_figures} figure(s) non dessinée(s)"
        assert r.typeset_formulas >= r.formulas, f"{where} : formules non composées par MathJax (local)"
    for width in WIDTHS:
        at_width = [r for r in reports if r.width == width]
        assert sum(r.figures for r in at_width) == figure_count(built)
        assert sum(r.typeset_formulas for r in at_width) >= 1  # MathJax served by the book itself works


@pytest.mark.browser
def test_every_page_reads_on_a_laptop_and_a_phone(browsed):
    """At 1280 and 390 pixels: the page never scrolls sideways, every figure text lies inside
    its figure and covers no other, every figure has a text alternative, one search box, and a
    glued number or clause has the weight of its sentence (myst-nb sets pasted text in bold).
    At a laptop's width, no table hides its last columns behind its own scroll bar, no figure is
    wider than the text column and no word of a table is cut across two lines (on a phone a wide table scrolls inside itself and a long
    word may break, which is expected)."""
    reports, seconds = browsed
    problems = []
    for r in reports:
        where = f"{r.page} à {r.width} px"
        if r.overflows:
            problems.append(f"{where} : la page déborde ({r.scroll_width} px) à cause de {r.too_wide}")
        problems += [f"{where} : texte hors de sa figure {t}" for t in r.texts_outside]
        problems += [f"{where} : textes superposés {t}" for t in r.texts_overlapping]
        problems += [f"{where} : figure sans texte de remplacement {f}" for f in r.unlabelled_figures]
        problems += [f"{where} : texte collé plus gras que sa phrase « {t} »" for t in r.bold_pasted]
        if r.width == max(WIDTHS):
            problems += [f"{where} : tableau dont les dernières colonnes sont cachées {t}" for t in r.hidden_columns]
            problems += [f"{where} : mot coupé dans un tableau « {w} »" for w in r.broken_words]
            problems += [f"{where} : figure plus large que la colonne {f}" for f in r.scrolling_figures]
        if r.search_boxes != 1:
            problems.append(f"{where} : {r.search_boxes} champs de recherche visibles (1 attendu)")
    assert not problems, "\n".join(problems)
    print(f"{len(reports)} pages parcourues en {seconds:.0f} s")


def test_plotly_js_is_served_once_by_the_book(built):
    html = built / "_build/html"
    copies = [p for p in html.rglob("*.js") if p.name == "plotly.min.js"]
    assert len(copies) == 1 and copies[0].parent.name == "_static"
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert len(text) < 2_000_000, f"{page.name} : plotly.js collé dans la page ?"
        assert not re.search(r'src="https?://', text), f"{page.name} charge un script externe"
        if "plotly-graph-div" in text:
            assert "_static/plotly.min.js" in text


def test_glued_numbers_read_as_written(built):
    """No glued French decimal was turned into a tuple « (0, 93) » on its way to the page."""
    for page in (built / "_build/html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'pasted-text">\(\d+, \d+\)', text), page.name


def test_source_links_with_an_ampersand_lead_to_the_source(built):
    """A source address with ``&`` is the link's target, exactly, in the HTML (escaped once) and
    in the PDF's notes (not ``&amp;``): MyST-Parser 3 escapes it once too many (see sphinx_ext)."""
    import html as html_lib

    rows = read_rows(built / "data/secondary/sources.csv")
    url = rows[0].index("url")
    urls = {row[url] for row in rows[1:] if "&" in row[url]}
    hrefs = set()
    for page in (built / "_build/html").rglob("*.html"):
        hrefs |= {html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))}
    linked = {url: {h for h in hrefs if h.split("?")[0] == url.split("?")[0]} for url in urls}
    assert sum(bool(found) for found in linked.values()) >= 2  # the book links to several of them
    assert all(found <= {url} for url, found in linked.items()), linked
    assert not [h for h in hrefs if "&amp;" in h]
    tex = (built / "_build/latex/livre.tex").read_text(encoding="utf-8")
    assert "&amp;" not in tex


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def test_no_date_reads_en_with_a_day(built):
    """« en 2 février 2018 » is wrong French: a day takes « le » (issue 11, item 5)."""
    pattern = re.compile(rf"\ben\s+(?:1er|\d{{1,2}})\s+(?:{MONTHS})\b", re.IGNORECASE)
    bad = _found_in_pages(built, pattern)
    assert bad == [], "\n".join(bad)


def _found_in_pages(built, pattern) -> list[str]:
    """Every match of ``pattern`` in the text of the built HTML pages, as «page : « match »»."""
    bad = []
    for page in (built / "_build/html").rglob("*.html"):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")).replace("\u00a0", " ")
        bad += [f"{page.name} : « {m.group(0)} »" for m in pattern.finditer(text)]
    return bad


def test_no_missing_elision_before_a_cited_author(built):
    """«de Azadi et al. (2025)» is wrong French: «d’Azadi», «qu’Oti-Sarpong». A citation's text
    is generated, so the word before it is easily written for a consonant."""
    pattern = re.compile(r"\b(de|que|le|la|ce|ne|se|lorsque|puisque) ([AEIOUÉÈÀÂÎÔ][\w-]+"
                         r"(?: et [\w-]+| et al\.)? \(\d{4}[a-z]?\))")
    bad = _found_in_pages(built, pattern)
    assert bad == [], "\n".join(bad)


def test_no_table_is_shown_twice_on_a_page(built):
    """The discussion once showed its configuration table twice in a row (a print variant left
    beside the table that replaced it): the same table, twice on a page, is a mistake."""
    twice = []
    for page in (built / "_build/html").rglob("*.html"):
        tables = re.findall(r"<table\b.*?</table>", page.read_text(encoding="utf-8"), re.S)
        texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)).strip() for t in tables]
        twice += [f"{page.name} : « {t[:60]} »" for i, t in enumerate(texts) if t and t in texts[:i]]
    assert twice == [], "\n".join(twice)


def test_french_punctuation_never_breaks_from_its_word(built):
    """A line never ends with «« » nor begins with «»», «:», «;», «?» or «!»: the space is
    unbreakable in the text of every page (code and formulas excepted)."""
    bad = []
    for page in (built / "_build/html").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        article = re.search(r"<article\b.*?</article>", html, re.S)
        # (code stands as one word: a space around it is the text's own)
        html = re.sub(r"<(pre|code|script|style|math|mjx-container)\b.*?</\1>", "CODE", article.group(0) if article else "",
                      flags=re.S)
        text = re.sub(r"<[^>]+>", "", html).replace("&nbsp;", "\u00a0")
        bad += [f"{page.name} : « {text[max(0, m.start() - 25):m.end() + 10]} »"
                for m in re.finditer(r"« | [»:;?!]|[ \u00a0][\u202f\u00a0][»:;?!]", text)]  # (or two spaces)
    assert bad == [], f"{len(bad)} espace(s) sécable(s) :\n" + "\n".join(bad[:20])


def test_headings_written_by_notebooks_are_in_the_page_menus(built):
    """The propositions of the discussion, the dimensions of the coding grid and the tables of the
    data annex, whose headings the notebooks write, are sections: each is in its page's menu."""
    def menu(page: str) -> list[str]:
        html = (built / f"_build/html/chapters/{page}.html").read_text(encoding="utf-8")
        side = html[html.index('id="pst-page-navigation-heading-2"'):]
        return [" ".join(re.sub(r"<[^>]+>", "", m).split())
                for m in re.findall(r'class="reference internal nav-link" href="#[^"]+">(.*?)</a>', side, re.S)]

    import csv

    def rows(table: str) -> list[dict]:
        with open(built / "data" / table, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    propositions = rows("synthesis/propositions_status.csv")
    assert len([e for e in menu("synthese/discussion") if re.match(r"(\d+\.)+ P\d —", e)]) == len(propositions) >= 8
    roots = [r["label"] for r in rows("coding/codebook.csv") if not r["parent"] and not r["project"]]
    assert set(roots) <= set(menu("annexes/grille-de-codage")) and len(roots) >= 5
    # (the tables of the fictitious demonstration are described apart, on their own page)
    tables = [t for t in json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))["resources"]
              if not t["name"].startswith("demo_")]
    assert {t["title"].replace("'", "’") for t in tables} <= set(menu("annexes/donnees")) and len(tables) > 20


def test_self_numbered_pages_are_numbered_once(built):
    """The interview guide, the notice and the protocol number their own sections («0. Mode
    d’emploi», cited as «guide § 0»): the book adds only the chapter's number («9.»), never
    «9.1. 0. Mode d’emploi», in the page, its table of contents, and the PDF."""
    for name in ("guide-entretien", "notice-information-consentement", "protocole-pseudonymisation",
                 "sources-reglementaires"):
        html = (built / f"_build/html/chapters/terrain/{name}.html").read_text(encoding="utf-8")
        assert not re.search(r'section-number">\d+\.\d+', html), name
        assert not re.search(r'nav-link"[^>]*>\d+\.\d+\.\s', html), name
        assert re.search(r'<h1><span class="section-number">\d+\. </span>', html), name
    guide = (built / "_build/html/chapters/terrain/guide-entretien.html").read_text(encoding="utf-8")
    assert "<h2>0. Mode d’emploi" in guide
    rennes = (built / "_build/html/chapters/cas/rennes.html").read_text(encoding="utf-8")
    assert re.search(r'section-number">\d+\.1\. </span>', rennes)  # other chapters keep theirs


def test_html_is_french(built):
    text = (built / "_build/html/intro.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in text
    # the footer's date in words, as the prose writes dates (not «06/12/2026»)
    footer = re.search(r"Mis à jour le ([^<.]+)\.", text)
    assert footer, "pas de date de mise à jour dans le pied de page"
    assert re.fullmatch(rf"(?:1er|[1-9]|[12]\d|3[01]) (?:{MONTHS}) 20\d\d", footer.group(1)), footer.group(1)


@pytest.mark.pdf
def test_pdf_has_every_figure_and_no_unresolved_reference(built):
    pdf = built / "_build/livre.pdf"
    assert pdf.is_file()
    report = check_pdf(pdf)
    assert report.pages >= 5
    assert report.images == figure_count(built, printed=True) > figure_count(built) > 0
    assert report.unresolved == []
    assert report.missing_glyphs == [], "caractères absents de la police du PDF"
    tex = (built / "_build/latex/livre.tex").read_text(encoding="utf-8")
    assert "french" in tex
    # every table's columns wrap within the page (no column of unbreakable lines, «l»)
    import re

    specs = re.findall(r"\\begin\{(?:longtable|tabulary|tabular)\}(?:\[[^]]*\])?(\{.*)", tex)
    assert specs and all("\\X{" in spec for spec in specs), [s for s in specs if "\\X{" not in s][:3]
    # a column of citations is sized by the citations as printed, not by their keys: chapter 1's
    # synthesis table gave 77 of 128 parts to its references and ran past the page footer
    block = tex[:tex.index("Jumeau numérique industriel")]
    shares = [int(a) / int(b) for a, b in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", block[block.rindex("\\begin{"):])]
    assert len(shares) == 4 and max(shares) < 0.4 and min(shares) > 0.15, shares
    assert "\\usepackage{xurl}" in tex  # long addresses in footnotes break at any character
    # an address printed in a footnote reads with its letters («données»), not their escapes
    # («donn%C3%A9es»: two sources of the Rennes chapter)
    printed = re.findall(r"\\sphinxnolinkurl\{([^}]*)\}", tex)
    assert len(printed) > 50
    assert not [u for u in printed if re.search(r"\\%(?:C[2-9A-F]|D[0-9A-F]|E[0-9A-F])\\%[89AB][0-9A-F]", u)]
    assert any("données-service-public" in u for u in printed)


def test_pdf_tables_taller_than_a_third_of_a_page_break_across_pages(built):
    """The data annex's table of tables was a «tabulary» (Sphinx's choice up to 30 rows), taller
    than a page: it ran past the footer and its last rows were not printed; a shorter one left a
    blank half page before it. Tall tables are now long tables, and every row is in the PDF."""
    import re
    import subprocess

    from compendium import data as data_pkg

    tex = (built / "_build/latex/livre.tex").read_text(encoding="utf-8")
    start = tex.index("Vue d’ensemble") if "Vue d’ensemble" in tex else tex.index("Vue d'ensemble")
    assert tex.index("\\begin{longtable}", start) < tex.index("\\end{longtable}", start) < tex.index(
        "Contrôles appliqués", start)
    # a table without a caption has no number: its continuation does not borrow the last one's
    # (_templates/longtable.tex.jinja)
    assert "Suite du tableau de la page précédente" in tex
    assert tex.count("\\tablename\\ \\thetable{} \\textendash") == tex.count("\\sphinxthelongtablecaptionisattop")
    text = subprocess.run(["pdftotext", "-layout", str(built / "_build/livre.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    first = text.index("Toutes les données de l")  # the annex's opening, after the table of contents
    annex = text[first:text.index("Contrôles appliqués", first)]
    tables = data_pkg.describe_package(built)
    tables = tables[~tables["table"].str.startswith("demo_")]  # shown apart
    # a row is printed when its digest is (a name may break after an underscore, in its column)
    missing = [row.table for row in tables.itertuples()
               if not re.search(rf"(?m)^\s*{re.escape(row.table.split('_')[0])}\S*\s.*\s{row.empreinte}\s*$", annex)]
    assert not missing, f"tables absentes du tableau imprimé : {missing}"
    log = (built / "_build/latex/livre.log").read_text(encoding="utf-8", errors="replace")
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    # 36 lines ran into the margin while the widths counted the break points' «\\allowbreak{}» as
    # letters; none since
    assert len(overfull) <= 5 and max(overfull, default=0) < 10, (len(overfull), max(overfull, default=0))
    # the annex's table of tables: the column of names is measured on the names, not on their
    # break points (it took 29 characters of 114, longer than any name, and the column of
    # digests ran into the margin)
    spec = tex[tex.index("\\begin{longtable}", start):tex.index("\\sphinxtoprule", start)]
    shares = [(int(a), int(b)) for a, b in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", spec)]
    assert len(shares) == 6 and shares[0][0] < max(map(len, tables["table"])) + 3, shares
    assert shares[0][1] < sphinx_ext.LINE_CHARS * 1.25, shares


def test_every_evidence_id_leads_to_its_entry_in_the_register(built):
    """An id cited as evidence (``rennes-057``) links, on every page and in the PDF, to its entry
    in the register of evidence, which says what it is and gives its source's address."""
    from compendium.cases import evidence as E
    from compendium.cases import synthesis as S

    register = E.elements(built)
    html = built / "_build/html"
    page = (html / "chapters/annexes/preuves.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<p id="preuve-([^"]+)"', page)) == sorted(register)
    for element in register.values():
        if element.url:  # the entry links to the source itself
            head = page[page.index(f'<p id="preuve-{element.id}"'):]
            assert element.url.replace("&", "&amp;") in head[:head.index("</p>")], element.id
    assert "<strong>rennes-057</strong>" in page  # an entry's own id is not a link to itself
    entry = page[page.index('<p id="preuve-rennes-057">'):]
    assert re.search(r'href="../synthese/discussion.html"[^>]*>Discussion</a>', entry[:entry.index("</p>")])  # cited there
    entry = page[page.index('<p id="preuve-rennes-034">'):]
    assert "Cité dans" in entry[:entry.index("</p>")]
    assert "mode-d-emploi" not in entry[:entry.index("</p>")]  # the user guide shows it as code: an example, not a citation
    assert '<span class="pre">rennes-057</span>' in page  # nor is an id written as code
    # the page's sources of an event link to their entries on the same page
    assert re.search(r'<a class="cmp-evidence reference internal" href="#preuve-rennes-034"', page)
    discussion = (html / "chapters/synthese/discussion.html").read_text(encoding="utf-8")
    cited = S.cited_ids(S.load(built)) & set(register)
    assert len(cited) >= 20
    for element_id in cited:
        assert f'href="../annexes/preuves.html#preuve-{element_id}"' in discussion, element_id
    assert discussion.count("Pourquoi ce statut") == len(S.load(built).status)
    rennes = (html / "chapters/cas/rennes.html").read_text(encoding="utf-8")
    assert 'href="../annexes/preuves.html#preuve-rennes-040"' in rennes
    # the map's table names each actor with a link to its entry, which says it is cited there
    assert re.search(r'href="../annexes/preuves.html#preuve-rennes-metropole"[^>]*>.{0,80}Rennes Métropole', rennes)
    entry = page[page.index('<p id="preuve-dassault-systemes">'):]
    assert re.search(r'Cité dans\W.{0,200}href="../cas/rennes.html"', entry[:entry.index("</p>")])
    assert ">pass-0013<" not in rennes  # a coded passage is not in the register: plain text
    tex = (built / "_build/latex/livre.tex").read_text(encoding="utf-8")
    assert tex.count("preuves:preuve-rennes-057}") >= 2  # its label, and a reference to it
    assert "\\sphinxstylestrong{rennes\\sphinxhyphen{}057} —" in tex  # the entry's head: not a link to itself


def test_individual_repositories_are_not_exposed(built):
    """Students' repositories are counted, never linked or named, in the book."""
    from compendium import data

    uses = data.load_table("code_uses", built)
    personal = [u for u, kind in zip(uses["repo_url"], uses["owner_kind"]) if kind == "individual"]
    assert personal
    owners = {u.rstrip("/").split("/")[-2] for u in personal}
    for page in (built / "_build/html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in personal:
            assert url not in text, f"{page.name} expose {url}"
        for owner in owners:
            assert f"github.com/{owner}" not in text, f"{page.name} nomme le compte {owner}"


def test_built_book_passes_the_leak_gate(built):
    from compendium.fieldwork.privacy import leak_scan, read_deny_list, read_key

    fixtures = built / "tests/fixtures/confidentiel-test"
    terms = read_key(fixtures / "pseudonymes.csv") + read_deny_list(fixtures / "liste-a-masquer.txt")
    leaks = leak_scan(built, terms, ["data", "_build/html", "_build/livre.pdf"])
    assert not leaks, "\n".join(map(str, leaks))


@pytest.mark.pdf
def test_pdf_title_page_is_complete_and_in_french(built):
    """The title page holds the title, the question, every author line of CITATION.cff in full
    (none cut at the margin) and the date in French order."""
    import subprocess

    from compendium.book.titlepage import authors, date_fr

    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(built / "_build/livre.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    flat = " ".join(first.split())
    assert "jumeaux numériques territoriaux" in flat and "Vers de nouvelles configurations" in flat
    for name in authors(built):
        assert " ".join(name.split()) in flat, f"ligne d'auteur coupée ou absente : {name}"
    assert date_fr().replace("1er", "1 er") in flat or date_fr() in flat
    assert not re.search(r"\b(janv|févr|déc)\.\s+\d", flat)


@pytest.mark.pdf
def test_pdf_contents_and_page_layout(built):
    """The contents are titled «Table des matières» (Sphinx named them after the first part), no
    running footer runs onto a second line under the page number, no printed figure is left
    without its caption on its page, and none leaves the page before it partly blank."""
    import subprocess

    toc = subprocess.run(["pdftotext", "-f", "2", "-l", "3", str(built / "_build/livre.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Table des matières" in toc
    # the first page after the contents (the introduction) does not carry their name in its footer
    pages = subprocess.run(["pdftotext", "-layout", str(built / "_build/livre.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    contents = [i for i, page in enumerate(pages) if re.search(r"(\. ){5}", page)]
    last = contents[0]
    while last + 1 in contents:  # the contents' pages, then the introduction's first page
        last += 1
    intro = [line.strip() for line in pages[last + 1].splitlines() if line.strip()]
    assert not intro[-1].startswith("Table des matières"), intro[-1]
    tex = (built / "_build/latex/livre.tex").read_text(encoding="utf-8")
    assert r"\truncate" in tex and re.search(r"\\Needspace\{(\d+)\\baselineskip\}", tex)
    # a long table asks for room for its head and first rows, at least eight lines
    assert min(int(m) for m in re.findall(r"\\Needspace\{(\d+)\\baselineskip\}", tex)) >= 8
    # a long table that breaks across pages: no page holds only its «suite sur la page suivante»
    # (without its head), and the next page gives the head once
    pages = subprocess.run(["pdftotext", "-layout", str(built / "_build/livre.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    broken = []
    for number, page in enumerate(pages[:-1], start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        if any(line.endswith("suite sur la page suivante") for line in lines):
            following = [" ".join(line.split()) for line in pages[number].splitlines() if line.strip()]
            heads = [i for i, line in enumerate(following) if "Suite du tableau de la page précédente" in line]
            # (the same head a few lines down; a next table may well have the same columns)
            if heads and heads[0] + 1 < len(following) and following[heads[0] + 1] in following[heads[0] + 2:heads[0] + 6]:
                broken.append(f"page {number + 1} : en-tête répété « {following[heads[0] + 1][:50]} »")
    assert broken == [], broken
    # every printed figure sits in a box with its caption
    images = tex.count(r"\sphinxincludegraphics")
    boxed = len(re.findall(r"\\begin\{minipage\}\{\\linewidth\}[^\n]*\s*(?:\\begin\{sphinxuseclass\}\{[^}]*\}\s*)*"
                           r"\\noindent\\sphinxincludegraphics", tex))
    # (the parts of a figure printed over several pages come first, a page each, unboxed: the
    # caption is kept with the last part)
    parts = len(re.findall(r"\\sphinxincludegraphics\{[^\n]*\}\s*\\par\\clearpage", tex))
    assert parts == figure_count(built, printed=True) - figure_count(built) > 0
    assert images >= 10 and boxed == images - parts, (images, boxed, parts)
    log = (built / "_build/latex/livre.log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull \\vbox" not in log  # a box taller than the page (a figure with its caption)
    # figures float: no page is left a third blank because the next one begins with a figure
    # (set in place, 10 pages were, 36 to 93 % blank)
    assert blank_before_figures(built / "_build/livre.pdf") == []


@pytest.mark.browser
def test_the_search_page_and_the_sidebar_buttons_speak_french(built):
    """Sphinx's French search summary reads « 11 page(s) … ont été trouvées » and the theme's
    sidebar buttons « Toggle primary sidebar »: the book's script agrees the count and
    translates the buttons (_static/compendium-fr.js)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS, serve

    server = serve(built / "_build/html")
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + "search.html?q=RUDI")
            page.wait_for_function("() => /trouvée/.test((document.querySelector('p.search-summary') || {}).textContent || '')",
                                   timeout=20000)
            summary = page.inner_text("p.search-summary")
            found = page.locator("ul.search li").count()
            page.goto(base + "intro.html")
            titles = page.evaluate("() => [...document.querySelectorAll('.sidebar-toggle')].map("
                                   "b => b.getAttribute('data-bs-original-title') || b.getAttribute('title') || '')")
            browser.close()
    finally:
        server.shutdown()
    assert found > 1 and f"{found} pages correspondant à la recherche ont été trouvées" in summary, summary
    assert "(s)" not in summary
    assert titles and not any("Toggle" in t for t in titles), titles
