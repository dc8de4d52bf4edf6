"""The synthesis: its tables hold only existing evidence ids, its numbers are computed from the
data, and the book, the synthesis PDF and the slide deck quote the same values."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from compendium import data
from compendium.book.titlepage import authors, latex_titlepage
from compendium.cases import synthesis as S
from conftest import ROOT, compendium, copy_project, read_rows, set_cell, write_rows


def test_every_cell_and_proposition_is_checked_and_counted():
    syn = S.load(ROOT)
    numbers = S.key_numbers(syn)
    cells = len(syn.dimensions) * len(S.CASES)
    assert numbers["syn_n_cells"] == str(cells) == str(len(syn.configuration))
    assert int(numbers["syn_n_backed"]) + int(numbers["syn_n_open"]) == cells
    assert sum(int(numbers[f"syn_n_status_{s}"]) for s in S.STATUS_LABELS) == len(syn.propositions) == 8
    for value in S.cited_ids(syn):
        assert value in syn.index
    table = S.configuration_table(syn)
    open_cells = sum(text.count("À établir par les entretiens") for col in ("Rennes", "Territoire") for text in table[col])
    assert open_cells == int(numbers["syn_n_open"])
    assert list(syn.propositions["id"]) == [f"P{i}" for i in range(1, 9)]
    # statements are read from the propositions table (the framework's text)
    assert set(syn.propositions.columns) >= {"id", "title", "statement", "indicators", "rival", "refutation"}


def test_a_cell_without_evidence_is_to_be_established(project):
    path = project / "data/synthesis/configuration.csv"
    rows = read_rows(path)
    line = next(i for i, r in enumerate(rows) if r[:2] == ["orchestration", "rennes"]) + 1
    set_cell(path, line, "evidence_ids", "")
    syn = S.load(project)
    cell = S.configuration_table(syn).iloc[0]["Rennes"]
    assert "À établir par les entretiens" in cell
    assert S.key_numbers(syn)["syn_n_open"] == str(int(S.key_numbers(S.load(ROOT))["syn_n_open"]) + 1)


def test_unknown_ids_are_all_reported_with_file_line_and_column(project):
    conf = project / "data/synthesis/configuration.csv"
    set_cell(conf, 3, "evidence_ids", "rennes-034;rennes-999")
    status = project / "data/synthesis/propositions_status.csv"
    set_cell(status, 5, "evidence_against", "seg-zz-9999")
    forms = project / "data/synthesis/forms.csv"
    set_cell(forms, 2, "references", "Moore1993Predators;Nobody2020Imaginary")
    with pytest.raises(S.SynthesisError) as err:
        S.load(project)
    lines = str(err.value).splitlines()
    assert len(lines) == 3
    assert "synthesis/configuration.csv, ligne 3, colonne « evidence_ids »" in lines[0] and "rennes-999" in lines[0]
    assert "propositions_status.csv, ligne 5, colonne « evidence_against »" in lines[1] and "seg-zz-9999" in lines[1]
    assert "forms.csv, ligne 2, colonne references" in lines[2] and "Nobody2020Imaginary" in lines[2]
    # the command refuses before writing anything
    proc = subprocess.run([sys.executable, "-m", "compendium.book.synthdoc", "--root", str(project)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.count("ERREUR") == 3
    assert not (project / "_build/synthese").exists() and not (project / "_build/synthese.pdf").exists()


def test_a_status_rationale_cites_only_the_evidence_of_its_row(project):
    """« Pourquoi ce statut » may cite an element only if the row lists it for or against: a
    justification that rests on something else is reported, with file, line and column."""
    syn = S.load(project)
    for row in syn.status.to_dict("records"):  # the project's own rationales cite their evidence
        assert S.rationale_ids(row["rationale"]), row["id"]
    status = project / "data/synthesis/propositions_status.csv"
    rows = read_rows(status)
    column = rows[0].index("rationale")
    set_cell(status, 7, "rationale", rows[6][column] + " Voir aussi rennes-034, territoire-e001, rennes-metropole "
             "et rennes-e999, en 2022-2023, à Saint-Étienne.")
    with pytest.raises(S.SynthesisError) as err:
        S.load(project)
    lines = str(err.value).splitlines()
    assert len(lines) == 4, lines
    assert all("propositions_status.csv, ligne 7, colonne « rationale »" in line for line in lines)
    assert "« rennes-034 »" in lines[0] and "« territoire-e001 »" in lines[1] and "« rennes-metropole »" in lines[2]
    assert "identifiant « rennes-e999 » inconnu" in lines[3]
    assert S.rationale_ids("(rennes-034, rennes-e025), rennes-metropole, Saint-Étienne") == ["rennes-034", "rennes-e025"]


def test_validate_names_the_synthesis_problems_before_any_notebook_runs(project):
    """``./run validate`` checks what the synthesis tables cite, with the data package: a
    researcher who edits a status learns of a wrong id there, not from a notebook's failure."""
    from conftest import compendium

    status = project / "data/synthesis/propositions_status.csv"
    good = status.read_bytes()
    rows = read_rows(status)
    set_cell(status, 7, "rationale", rows[6][rows[0].index("rationale")] + " Voir rennes-034.")
    set_cell(project / "data/synthesis/configuration.csv", 3, "evidence_ids", "rennes-034;rennes-999")
    proc = compendium(project, "validate", check=False)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR")]
    assert len(errors) == 2, proc.stderr
    assert "configuration.csv, ligne 3, colonne « evidence_ids »" in errors[0] and "rennes-999" in errors[0]
    assert "propositions_status.csv, ligne 7, colonne « rationale » : « rennes-034 »" in errors[1]
    # the build stops on them too, before executing a notebook
    build = compendium(project, "build", "html", check=False)
    assert build.returncode == 1 and "exécution de" not in build.stdout + build.stderr
    assert "colonne « rationale »" in build.stderr
    status.write_bytes(good)
    set_cell(project / "data/synthesis/configuration.csv", 3, "evidence_ids", "rennes-034")
    assert compendium(project, "validate", check=False).returncode == 0
    assert (project / "_build/.synthesis-ok.sha256").is_file()  # the next check is skipped until data/ changes


def test_a_dimension_or_proposition_outside_its_table_is_a_data_error(project):
    set_cell(project / "data/synthesis/configuration.csv", 2, "dimension", "orchestre")
    set_cell(project / "data/synthesis/propositions_status.csv", 2, "id", "P9")
    problems = [str(p) for p in data.validate_package(project)]
    assert any("configuration.csv" in p and "orchestre" in p for p in problems), problems
    assert any("propositions_status.csv" in p and "P9" in p for p in problems), problems


def test_counts_and_status_sentence_read_right():
    assert S.count(0, "cellule") == "0\u00a0cellule"
    assert S.count(1, "cellule") == "1\u00a0cellule"
    assert S.count(2, "source codée", "sources codées") == "2\u00a0sources codées"
    sentence = S.status_sentence(S.load(ROOT))
    assert re.fullmatch(r"(\d+\u00a0propositions? [^,]+)(, \d+\u00a0propositions? [^,]+)*( et \d+\u00a0propositions? .+)?",
                        sentence), sentence
    assert "1\u00a0propositions" not in sentence


def test_the_open_propositions_sentence_follows_the_status_table():
    """The slides' note on what is left to instruct is computed (it used to be typed, and said
    « celles sur l'économie de l'écosystème » when one proposition on value had indices)."""
    import dataclasses

    syn = S.load(ROOT)
    open_ids = list(syn.status.loc[syn.status["status"].isin(S.OPEN_STATUSES), "id"])
    sentence = S.open_propositions_sentence(syn)
    assert re.findall(r"\bP\d\b", sentence) == open_ids, sentence
    status = syn.status.copy()
    status.loc[status["id"].isin(open_ids[1:]), "status"] = "indices"
    one = S.open_propositions_sentence(dataclasses.replace(syn, status=status))
    if open_ids:
        assert one.startswith("Reste à instruire\u00a0: ") and one.count("(") == 1, one
    status["status"] = "indices"
    none = S.open_propositions_sentence(dataclasses.replace(syn, status=status))
    assert none == "Chaque proposition a au moins de premiers indices dans les sources publiques."
    status.loc[status.index[:2], "status"] = ["non_documentee", "prematuree"]
    two = S.open_propositions_sentence(dataclasses.replace(syn, status=status))
    assert two.startswith("Restent à instruire\u00a0: ") and " et " in two and two.endswith(").")


def test_the_deck_draws_its_figures_larger_than_the_book():
    """On a slide, the book's 10-pixel labels were the smallest text of the deck."""
    from compendium.book import slides
    from compendium.figures import heatmap, use_house_style

    use_house_style()
    fig = heatmap(pd.DataFrame({"Rennes": [1, 2], "Territoire": [0, 3]}, index=["a", "b"]), "t", "%")
    big = slides.legible(fig, 1.6)
    assert big.data[0].textfont.size == round(fig.data[0].textfont.size * 1.6)
    assert big.layout.yaxis.tickfont.size == round(fig.layout.yaxis.tickfont.size * 1.6)
    assert big.layout.template.layout.font.size == round(fig.layout.template.layout.font.size * 1.6)
    assert big.layout.margin.t == round(fig.layout.margin.t * 1.6)
    assert fig.data[0].textfont.size == 10  # the book's figure is left as it was
    assert big.layout.height <= slides.FIGURE_MAX_HEIGHT
    assert f"img.figure {{ display: block; margin: 0 auto; max-height: {slides.FIGURE_MAX_HEIGHT}px;" in slides.CSS


def test_the_largest_kind_of_source_is_counted_with_its_noun():
    from compendium.cases.secondary import largest_kind_clause

    frame = pd.DataFrame({"case": ["a", "a", "a", "b", "b", "c"],
                          "kind": ["code", "code", "press", "press", "academic", "academic"]})
    assert largest_kind_clause(frame, "a") == "2\u202fdépôts ou documents de code sur 3\u202fsources"
    assert largest_kind_clause(frame, "b") == "1\u202farticle de presse et 1\u202fpublication académique sur 2\u202fsources"
    assert largest_kind_clause(frame, "c") == "1\u202fpublication académique sur 1\u202fsource"
    assert largest_kind_clause(frame, "d") == "aucune source"


def test_title_page_uses_citation_authors_and_a_french_date(tmp_path):
    page = latex_titlepage(ROOT, day=dt.date(2026, 12, 1))
    assert r"1\textsuperscript{er} décembre 2026" in page
    for name in authors(ROOT):
        assert name.replace("&", r"\&") in page
    (tmp_path / "CITATION.cff").write_text(
        "cff-version: 1.2.0\ntitle: t\nauthors:\n  - family-names: Fictif\n    given-names: Auteur\n"
        "    affiliation: Mines Saint-Étienne\n", encoding="utf-8")
    assert authors(tmp_path) == ["Auteur Fictif (Mines Saint-Étienne)"]
    assert "2 mars 2027" in latex_titlepage(tmp_path, day=dt.date(2027, 3, 2))


def test_intro_state_matches_the_interviews_table():
    """The «État du livre» paragraph says no interview was conducted: true only while the
    interviews table is empty (rewrite it when the first interviews arrive)."""
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    says_none = "Les entretiens n’ont pas encore été menés" in intro
    assert says_none == data.load_table("interviews", ROOT).empty


def _book_glue(root: Path) -> dict[str, str]:
    from conftest import glued_values

    values = {}
    for path in sorted((root / "chapters/synthese").glob("*.ipynb")):
        values.update(glued_values(path))
    return values


@pytest.mark.build
@pytest.mark.pdf
def test_synthesis_pdf_has_4_to_8_pages_and_the_numbers_of_the_book(tmp_path):
    from compendium.book.pdf import check_pdf

    root = copy_project(tmp_path)
    compendium(root, "execute")  # the notebooks of the book, fresh for this data
    proc = subprocess.run([sys.executable, "-m", "compendium.book.synthdoc", "--root", str(root)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    pdf = root / "_build/synthese.pdf"
    report = check_pdf(pdf)
    assert 4 <= report.pages <= 8
    assert report.images == 1 and report.unresolved == []
    # no line or table runs into the margin (the propositions table did, by 23 pt)
    log = (root / "_build/synthese/synthese.log").read_text(encoding="utf-8", errors="replace")
    wide = [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert max(wide, default=0) < 1, wide
    # every element id it prints is described in its closing list, and links to it
    from compendium.cases import evidence as E

    tex = (root / "_build/synthese/synthese.tex").read_text(encoding="utf-8")
    body, listed = tex.split(r"\section*{Éléments cités}")
    targets = re.findall(r"\\hypertarget\{preuve-([^}]+)\}", listed)
    assert len(targets) >= 20 and len(targets) == len(set(targets))
    assert set(E.linkable(re.sub(r"\\hyperlink\{[^}]*\}", "", body))) <= set(targets)
    assert set(re.findall(r"\\hyperlink\{preuve-([^}]+)\}", body)) == set(targets)
    used = json.loads((root / "_build/synthese/numbers.json").read_text(encoding="utf-8"))
    book = _book_glue(root)
    assert len(used) >= 10
    for name, value in used.items():
        assert name in book, f"{name} : nombre du document de synthèse absent du livre"
        assert book[name] == value, f"{name} : {value} dans la synthèse, {book[name]} dans le livre"
    # the matrix of the synthesis is the cross-case chapter's, on the same base: each «n / N (p %)»
    # it prints is one the chapter prints (once, the PDF put 39 / 89 where the book put 39 / 79)
    share = re.compile(r"(\d+) / (\d+) \((\d+)[\s\u202f\u00a0~\\]*%\)")
    tex = (root / "_build/synthese/synthese.tex").read_text(encoding="utf-8")
    croisee = json.dumps(json.loads((root / "chapters/analyse/croisee.ipynb").read_text(encoding="utf-8")),
                         ensure_ascii=False)
    printed, in_book = set(share.findall(tex)), set(share.findall(croisee))
    assert len(printed) >= 10 and printed <= in_book, sorted(printed - in_book)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Document de synthèse" in text
    assert re.search(r"\b(1er|[12]?\d|3[01]) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                     r"novembre|décembre) \d{4}\b", text), "date française absente de la page de titre"
    assert not re.search(r"\ben \d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)", text)


@pytest.mark.build
@pytest.mark.browser
def test_slides_work_offline_with_notes_and_print_one_page_per_slide(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, serve
    from playwright.sync_api import sync_playwright

    root = copy_project(tmp_path)
    compendium(root, "execute")
    proc = subprocess.run([sys.executable, "-m", "compendium.book.slides", "--root", str(root)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    deck = root / "_build/slides"
    html = (deck / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r"<section[ >].*?</section>", html, re.S)
    assert 10 <= len(sections) <= 15
    assert all(re.search(r'<aside class="notes">[^<]{20,}</aside>', s) for s in sections)
    text = re.sub(r"<[^>]+>", "", "".join(sections))
    assert "’" in text and "'" not in text and "&#x27;" not in text  # French apostrophes, as in the book
    notes = " ".join(re.findall(r'<aside class="notes">([^<]*)</aside>', html))
    syn = S.load(root)
    assert all(f"{row.id} — {row.rationale}" in notes for row in syn.status.itertuples())  # why each status
    assert S.open_propositions_sentence(syn) in notes  # what is left to instruct, computed
    from compendium.book.slides import network_hub
    from compendium.cases.secondary import largest_kind_clause

    assert f"Acteur le plus central du réseau documenté : {network_hub(syn)} ;" in notes
    assert f"La plus grande part des sources lues : {largest_kind_clause(syn.sources, 'territoire')}." in notes
    info = subprocess.run(["pdfinfo", str(root / "_build/slides.pdf")], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(sections)
    # every id on a slide links to its line in the register of the book built next to the deck
    from compendium.cases.evidence import elements

    linked = re.findall(r'<a class="id" href="([^"#]+)#([^"]+)">([^<]+)</a>', html)
    assert len(linked) >= 10 and html.count('class="id"') == len(linked)
    register = elements(root)
    assert all(anchor == f"preuve-{text}" and text in register for _, anchor, text in linked)
    assert {(deck / page).resolve() for page, _, _ in linked} == {(root / "_build/html/chapters/annexes/preuves.html").resolve()}
    assert b"file:" not in (root / "_build/slides.pdf").read_bytes()  # the PDF names no path of this machine
    book = _book_glue(root)
    for name, value in json.loads((deck / "numbers.json").read_text(encoding="utf-8")).items():
        assert book[name] == value, name

    server = serve(deck)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    external, failed, errors = [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("data:", base))
                       else (external.append(route.request.url), route.abort()))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "index.html")
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            total = page.evaluate("Reveal.getTotalSlides()")
            images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
            page.keyboard.press("ArrowRight")
            moved = page.evaluate("Reveal.getIndices().h")
            browser.close()
    finally:
        server.shutdown()
    assert external == [] and failed == [] and errors == []
    assert total == len(sections) and moved == 1
    assert len(images) >= 3 and all(images), "figure non dessinée"
    assert len(re.findall(r"<figcaption>[^<]{10,}</figcaption>", html)) == 3


def test_slide_figures_carry_their_title_outside_the_drawing(monkeypatch):
    """Drawn inside the PNG, a title collided with the network's key and with the heatmap's
    column labels: as in the book, it is taken out and set as the caption."""
    from compendium import figures as F
    from compendium.book import slides

    drawn = []
    monkeypatch.setattr(F, "to_png", lambda fig, width=None: drawn.append(fig) or b"png")
    out = slides.figures(S.load(ROOT))
    assert len(drawn) == len(out) == 3
    assert all(not (fig.layout.title and fig.layout.title.text) for fig in drawn)
    assert out["reseau"] == (b"png", "Rennes : réseau des acteurs documentés")
    assert all(len(title) > 10 for _, title in out.values())


def test_interviews_clause_reads_right_for_any_count():
    from compendium.cases.synthesis import interviews_clause

    assert interviews_clause(0) == "le livre ne compte aucun entretien enregistré"
    assert interviews_clause(1) == "le livre compte 1\u00a0entretien enregistré"
    assert interviews_clause(12) == "le livre compte 12\u00a0entretiens enregistrés"


def test_synthesis_counts_read_right_for_any_value():
    """Every count the discussion, the conclusion, the synthesis document and the slides quote
    comes with its noun (and verb) in the right number: no glued number is followed by a typed
    plural, which would read «1 cellules» the day a table holds one row."""
    from compendium.prose import count_clause

    assert S.cells_sentence(14, 9) == ("Sur 14\u00a0cellules, 9 sont fondées sur des éléments identifiés ; "
                                       "5 restent à établir par les entretiens.")
    assert S.cells_sentence(1, 1) == ("Sur 1\u00a0cellule, 1 est fondée sur des éléments identifiés ; "
                                      "aucune ne reste à établir par les entretiens.")
    assert S.cells_sentence(2, 0) == ("Sur 2\u00a0cellules, aucune n’est fondée sur des éléments identifiés ; "
                                      "2 restent à établir par les entretiens.")
    assert S.cited_detail(pd.Series({"sources": 1, "events": 2, "indicators": 1})) == (
        "1\u00a0source, 2\u00a0événements et 1\u00a0indicateur")
    assert S.cited_detail(pd.Series({"relations": 3})) == "3\u00a0relations"
    assert S.cited_detail(pd.Series(dtype=int)) == "aucun élément"
    assert count_clause(0, "aucun doublon", "{n} doublon", "{n} doublons") == "aucun doublon"
    assert count_clause(1, "aucun doublon", "{n} doublon", "{n} doublons") == "1 doublon"
    assert count_clause(1200, "aucun doublon", "{n} doublon", "{n} doublons") == "1\u202f200 doublons"
    numbers = S.key_numbers(S.load(ROOT))
    assert numbers["syn_dimensions_txt"] == S.count(int(numbers["syn_n_dimensions"]), "dimension")
    assert numbers["syn_props_txt"] == S.count(int(numbers["syn_n_props"]), "proposition")
    assert numbers["syn_cells_sentence"] == S.cells_sentence(int(numbers["syn_n_cells"]), int(numbers["syn_n_backed"]))
    # the texts: a glued synthesis count is never followed by a noun typed in the plural
    typed_plural = re.compile(r"(?:\{glue:text\}`|\{n\['|\{e\(n\[')syn_n_[a-z_]+(?:`|'\]\)?\})[ \u00a0\u202f]+"
                              r"(sources|couples|éléments|événements|relations|indicateurs|cellules|dimensions|propositions|formes|passages)\b")
    for path in ("chapters/synthese/discussion.ipynb", "chapters/synthese/conclusion.ipynb",
                 "src/compendium/book/slides.py", "src/compendium/book/synthdoc.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert not typed_plural.findall(text), (path, typed_plural.findall(text))


def test_closest_form_clause_reads_right_for_any_count():
    """The word and the number come from the same count: the text never says «aucune» beside a
    count that is not zero (it used to type «sur aucune dimension» and glue the count after it)."""
    from compendium.cases.synthesis import closest_form_clause, key_numbers, load

    assert closest_form_clause(0) == "n’est la forme la plus proche sur aucune dimension"
    assert closest_form_clause(1) == "n’est la forme la plus proche que sur 1\u00a0dimension"
    assert closest_form_clause(3) == "n’est la forme la plus proche que sur 3\u00a0dimensions"
    numbers = key_numbers(load(ROOT))
    for key, value in numbers.items():
        if key.startswith("syn_form_") and not key.endswith(("_txt", "_dims")):
            assert numbers[key + "_txt"] == closest_form_clause(int(value)), key
            assert numbers[key + "_dims"] == S.count(int(value), "dimension"), key
    prose = "\n".join(c.source for c in nbformat.read(ROOT / "chapters/synthese/discussion.ipynb", as_version=4).cells
                      if c.cell_type == "markdown")
    assert "sur aucune" not in prose  # the text the researcher writes; the outputs hold the generated clause
    for path in ("src/compendium/book/slides.py", "src/compendium/book/synthdoc.py"):
        assert "sur aucune" not in (ROOT / path).read_text(encoding="utf-8"), path


def test_discussion_reading_of_rennes_matches_the_configuration():
    """The discussion's «Lecture d'ensemble» names in words the dimensions on which each classic
    form is the closest at Rennes (the counts beside them are glued). Words cannot be glued: if
    the configuration changes, this test fails and says which paragraph to rewrite."""
    syn = S.load(ROOT)
    conf = syn.configuration[syn.configuration["case"] == "rennes"]
    closest = {form: set(group["dimension"]) for form, group in conf.groupby("form") if isinstance(form, str) and form}
    typed = {"ecosysteme_plateforme": {"orchestration", "technologie"}, "ecosysteme_donnees": {"gouvernance", "donnees"},
             "sri": {"roles", "territoire"}}
    assert closest == typed, ("chapters/synthese/discussion.ipynb, paragraphe « Lecture d'ensemble » : il ne "
                              f"correspond plus au tableau de configuration de Rennes ({closest}) ; réécrivez-le")
    text = (ROOT / "chapters/synthese/discussion.ipynb").read_text(encoding="utf-8")
    assert ("l'orchestration et la technologie rappellent l'écosystème de plateforme" in text
            and "la gouvernance et les régimes de données l'écosystème de données" in text
            and "les rôles et l'ancrage territorial le système régional d'innovation" in text)


def test_discussion_reading_of_territoire_matches_the_configuration():
    """The same for Territoire: the paragraph names the technical dimensions (technology, data)
    as the only ones close to a classic form; the orchestration is not, since no source read
    says who hosts the platform or sets its rules (its architecture is the technology's)."""
    syn = S.load(ROOT)
    conf = syn.configuration[syn.configuration["case"] == "territoire"]
    closest = {d for d, f in zip(conf["dimension"], conf["form"]) if isinstance(f, str) and f}
    assert closest == {"technologie", "donnees"}, (
        "chapters/synthese/discussion.ipynb, paragraphe « Lecture d'ensemble » (Territoire) : il ne "
        f"correspond plus au tableau de configuration ({sorted(closest)}) ; réécrivez-le")
    text = (ROOT / "chapters/synthese/discussion.ipynb").read_text(encoding="utf-8")
    assert "que sur les dimensions techniques" in text
    assert "Sur l'orchestration, la plateforme est publiée sous le domaine de l'école" in text


NUMBER_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10}


def _book_roots():
    codebook = data.load_table("codebook", ROOT)
    return codebook[codebook["parent"].isna() & codebook["project"].isna()]


def test_counts_written_in_words_match_the_data():
    """A count typed in words over a list the prose itself sets out (« Sept dimensions
    d'analyse », then seven paragraphs) must equal what the tables hold, else the sentence is to
    be rewritten; counts of table rows alone are glued (prose.count_in_words). The framework's
    dimensions are the codebook's roots; the synthesis has its own (dimensions.csv)."""
    syn = S.load(ROOT)
    roots = len(_book_roots())
    framework = {"dimensions": roots, "racines": roots, "propositions": len(syn.propositions)}
    synthesis = dict(framework, dimensions=len(syn.dimensions))
    pattern = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\s+(dimensions|racines|propositions)\b", re.I)
    found = 0
    for path, expected in [("chapters/cadre/05-cadre-analyse.ipynb", framework),
                           ("chapters/annexes/grille-de-codage.ipynb", framework),
                           ("chapters/terrain/guide-entretien.md", framework),
                           ("chapters/synthese/conclusion.ipynb", synthesis),
                           ("chapters/synthese/discussion.ipynb", synthesis), ("chapters/methode/cas.md", synthesis)]:
        text = (ROOT / path).read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            found += 1
            word, noun = match.group(1).lower(), match.group(2).lower()
            assert NUMBER_WORDS[word] == expected[noun], (
                f"{path} : « {match.group(0)} », mais les tables en comptent {expected[noun]} ; réécrivez la phrase")
    assert found >= 2  # the framework chapter does write them in words


def test_framework_chapter_sets_out_the_codebook_roots():
    """The framework chapter says the codebook's roots are its dimensions: its bold paragraphs
    under « dimensions d'analyse » are the roots' labels, in the codebook's order."""
    import nbformat

    nb = nbformat.read(ROOT / "chapters/cadre/05-cadre-analyse.ipynb", as_version=4)
    text = nb.cells[0].source
    section = text[text.index("dimensions d’analyse"):text.index("## Propositions de recherche")]
    labels = [m.rstrip(".") for m in re.findall(r"^\*\*([^*]+)\*\*", section, re.M)]
    assert labels == list(_book_roots()["label"]), (
        "chapters/cadre/05-cadre-analyse.ipynb : les dimensions du texte ne sont plus les racines de "
        f"data/coding/codebook.csv ({labels}) ; réécrivez la section ou la grille")


def test_vignette_leads_head_their_list_item_with_a_capital():
    syn = S.load(ROOT)
    leads = [fact["lead"] for case in S.CASES for fact in S.vignette(syn, case)]
    from compendium.prose import MONTHS_FR

    # the case the rule is for (a date at the month) is in the data
    assert any(lead.split()[0].lower() in MONTHS_FR for lead in leads)
    for lead in leads:
        assert not lead[:1].islower(), lead


def test_slides_link_to_the_published_book_when_its_address_is_given(monkeypatch):
    from compendium.book import slides

    monkeypatch.delenv(slides.BOOK_URL_ENV, raising=False)
    assert slides.register_page() == "../html/chapters/annexes/preuves.html"
    monkeypatch.setenv(slides.BOOK_URL_ENV, "https://exemple.github.io/compendium")
    assert slides.register_page() == "https://exemple.github.io/compendium/chapters/annexes/preuves.html"
    register = {"rennes-013": object()}
    assert slides._id("rennes-013", register, slides.register_page()) == (
        '<a class="id" href="https://exemple.github.io/compendium/chapters/annexes/preuves.html'
        '#preuve-rennes-013">rennes-013</a>')
    assert slides._id("rennes-999", register, slides.register_page()) == '<span class="id">rennes-999</span>'
    monkeypatch.setenv(slides.BOOK_URL_ENV, "exemple.github.io/compendium")
    with pytest.raises(slides.SlidesError, match=r"^COMPENDIUM_BOOK_URL : « exemple.github.io/compendium » n'est pas"):
        slides.register_page()


def test_dimensions_slide_note_is_computed_from_the_shares_it_shows():
    """The note had been typed («deux profils opposés : Rennes parle d'acteurs…») and said more
    than the book; it now names, for each case, the dimensions with the largest shares."""
    from compendium.book.slides import dimensions_note

    syn = S.load(ROOT)
    note = dimensions_note(syn)
    shares = S.dimension_shares(syn)
    for case in shares.columns:
        first = shares[case].idxmax()
        assert first[0].lower() + first[1:] in note, (case, first, note)
    assert "opposés" not in note and "claim-" not in (ROOT / "src/compendium/book/slides.py").read_text(encoding="utf-8")


def test_synthesis_ties_guillemets_and_units():
    """No line of the synthesis PDF may end with « or begin with », « M€ » or « % » (a reader saw
    « 4 / M€ » and « certification « / Démonstrateurs » in the list of cited elements)."""
    from compendium.book.synthdoc import french_ties

    assert french_ties(r"« Projets étudiants » : 4 M€, 80 \% et 2 200 €") == r"«~Projets étudiants~» : 4~M€, 80~\% et 2 200~€"
    assert french_ties(r"\hyperlink{a}{b} 10 000 habitants") == r"\hyperlink{a}{b} 10 000 habitants"


def test_vignettes_read_in_date_order_with_the_undated_last():
    """The synthesis put «Date non établie — Financement européen de RUDI» between 2018 and
    January 2021: the table's order, not the dates'."""
    import dataclasses

    syn = S.load(ROOT)
    for case in S.CASES:
        facts = S.vignette(syn, case)
        dates = [(syn.events.set_index("id")["date"].get(f["id"]) if f["id"] in set(syn.events["id"])
                  else syn.indicators.set_index("id")["date"].get(f["id"])) for f in facts]
        given = [d for d in dates if isinstance(d, str) and d]
        assert given == sorted(given), (case, dates)
        assert all(isinstance(d, str) and d for d in dates[:len(given)]), (case, dates)  # the undated last
    # reversing the table's positions changes nothing for dated facts
    flipped = syn.vignettes.assign(position=-syn.vignettes["position"])
    assert [f["id"] for f in S.vignette(dataclasses.replace(syn, vignettes=flipped), "territoire")] == \
        [f["id"] for f in S.vignette(syn, "territoire")]


def test_the_agreement_is_given_with_its_base():
    """The synthesis gave α for «299 passages tirés de 91 sources»; it is measured on the
    passages of the sources both coders have coded (297 of 90 when one source had one coder)."""
    import dataclasses

    syn = S.load(ROOT)
    pre = dict(syn.precoding)
    sentence = S.coding_sentence(syn)
    if pre["alpha_passages"] < pre["passages"]:
        assert f"mesuré sur les {pre['alpha_passages']}\u00a0passages des {pre['alpha_sources']}\u00a0sources" in sentence
    whole = dataclasses.replace(syn, precoding={**pre, "alpha_passages": pre["passages"]})
    assert "leur accord, mesuré sur ces passages (α de Krippendorff" in S.coding_sentence(whole)
    none = dataclasses.replace(syn, precoding={**pre, "alpha": float("nan")})
    assert "leur accord ne peut pas encore être mesuré" in S.coding_sentence(none)
