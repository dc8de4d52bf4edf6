"""The bibliography is verified, complete and clean; the review-method figures add up; the
codebook exports to REFI-QDA."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from compendium import data
from compendium.fieldwork.qda import CODEBOOK_NS, code_guid, codebook_to_qdc, read_qdc_codes
from compendium.literature.review import bib_frame, check_references, cited_keys, lint, prisma_counts
from conftest import ROOT, copy_project


def _report(problems) -> str:
    return "\n" + "\n".join(str(p) for p in problems)


def test_bibliography_lint_is_clean():
    """The strict checks of ./run check-references hold for the committed bibliography."""
    problems = check_references(ROOT, strict=True)
    assert not problems, _report(problems)


def test_included_works_are_the_bibliography():
    screening = data.load_table("screening", ROOT)
    included = set(screening.loc[screening["decision"].isin(["include", "to_verify"]), "key"])
    keys = set(bib_frame(ROOT)["key"])
    lines = [f"data/literature/screening.csv, clé « {k} », colonne « key » : aucune ligne de tri (PRISMA)"
             for k in sorted(keys - included)]
    lines += [f"data/literature/screening.csv, clé « {k} », colonne « key » : incluse mais absente de references.bib"
              for k in sorted(included - keys)]
    assert not lines, "\n" + "\n".join(lines)


def test_exclusions_have_reasons():
    screening = data.load_table("screening", ROOT)
    excluded = screening[screening["decision"] != "include"]
    assert excluded["reason"].notna().all(), list(excluded.loc[excluded["reason"].isna(), "record_id"])


def test_prisma_counts_add_up():
    counts = prisma_counts(data.load_table("screening", ROOT), data.load_table("search_log", ROOT))
    assert counts["identified"] == counts["duplicates"] + counts["excluded_scope"] + \
        counts["excluded_unverifiable"] + counts["awaiting"] + counts["included"]
    assert counts["included"] >= 60


def test_theory_chapters_cite_at_least_ten_works_each():
    cited = cited_keys(ROOT)
    chapters = [p for p in cited if p.startswith("chapters/cadre/")]
    assert len(chapters) == 5
    for page in chapters:
        assert len(cited[page]) >= 10, f"{page} : {len(cited[page])} références citées"


def _lint_after(tmp_path, edit) -> list[str]:
    root = copy_project(tmp_path)
    edit(root)
    return [str(p) for p in lint(root)]


@pytest.mark.parametrize("edit,expected", [
    (lambda r: (r / "references.bib").write_text((r / "references.bib").read_text(encoding="utf-8").replace(
        'doi = "10.1136/bmj.n71"', 'doi = "https://doi.org/10.1136/bmj.n71"'), encoding="utf-8"),
     "references.bib, clé « Page2021PRISMA », champ « doi » : DOI mal formé"),
    (lambda r: (r / "references.bib").write_text((r / "references.bib").read_text(encoding="utf-8") +
        '\n@misc{Fictif2020Test,\n    author = "Personne, Aucune",\n    title = "Test",\n    year = "2020"\n}\n',
        encoding="utf-8"),
     "data/literature/verification.csv, clé « Fictif2020Test », colonne « key » : aucune ligne de vérification"),
    (lambda r: (r / "chapters/annexes/mode-d-emploi.md").write_text(
        (r / "chapters/annexes/mode-d-emploi.md").read_text(encoding="utf-8") + "\nVoir {cite:p}`Absent2019Cle`.\n",
        encoding="utf-8"),
     "clé « Absent2019Cle » : citée dans chapters/annexes/mode-d-emploi.md mais absente de references.bib"),
    (lambda r: (r / "references.bib").write_text((r / "references.bib").read_text(encoding="utf-8").replace(
        'journal = "BMJ",', 'journal = "BMJ",\n    number = "8284",'), encoding="utf-8"),
     "data/literature/verification.csv, clé « Page2021PRISMA », colonne « fields_seen » : champ « number » non vérifié"),
])
def test_lint_names_the_key(tmp_path, edit, expected):
    problems = _lint_after(tmp_path, edit)
    assert any(expected in p for p in problems), problems


def test_duplicate_key_is_one_clear_error(tmp_path):
    root = copy_project(tmp_path)
    text = (root / "references.bib").read_text(encoding="utf-8")
    first = text.split("\n\n")[0]
    (root / "references.bib").write_text(text + "\n" + first + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"^references\.bib : .*Moore1993Predators"):
        lint(root)


def test_codebook_exports_to_refi_qda():
    codebook = data.load_table("codebook", ROOT)
    xml = codebook_to_qdc(codebook)
    root = ET.fromstring(xml)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    codes = read_qdc_codes(xml)
    assert len(codes) == len(codebook)
    by_guid = {c["guid"]: c for c in codes}
    for row in codebook.itertuples():
        code = by_guid[code_guid(row.id)]
        assert code["name"] == row.label
        expected_parent = code_guid(row.parent) if isinstance(row.parent, str) else None
        assert code["parent"] == expected_parent
    assert codebook_to_qdc(codebook) == xml  # reproducible
    for el in root.iter(f"{{{CODEBOOK_NS}}}Code"):
        assert set(el.attrib) >= {"guid", "name", "isCodable"}


def test_propositions_name_indicators_rival_and_refutation():
    from compendium.literature.review import PROPOSITION_LABELS, propositions_markdown

    table = data.load_table("propositions", ROOT)
    assert list(table["id"]) == [f"P{i}" for i in range(1, 9)]
    for row in table.itertuples():
        for column in ("statement", "indicators", "rival", "refutation"):
            text = getattr(row, column)
            assert isinstance(text, str) and len(text) > 60, f"propositions.csv, {row.id}, colonne {column} trop courte"
    rendered = propositions_markdown(table)
    assert rendered.count("- *Explication rivale*\u00a0: ") == 8
    for row in table.itertuples():
        assert f"**{row.id} — {row.title.rstrip('.')}.**" in rendered
    for _, label in PROPOSITION_LABELS:
        assert rendered.count(f"*{label}*") == 8


def test_chapter_five_shows_the_propositions_table_as_committed():
    import nbformat

    from compendium.literature.review import PROPOSITIONS_PAGE, propositions_markdown

    nb = nbformat.read(ROOT / PROPOSITIONS_PAGE, as_version=4)
    shown = [o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    assert shown == [propositions_markdown(data.load_table("propositions", ROOT))]
    assert "Attour2014Role" in cited_keys(ROOT)[PROPOSITIONS_PAGE]


def test_concept_matrix_names_references_as_the_book_cites_them(tmp_path):
    """Rows of the concept matrix read «Cooke (2004a)», not BibTeX keys: the citation's names,
    particle, «et al.» and year letter."""
    import pandas as pd

    from compendium.literature.review import citation_labels, concept_matrix_figure

    (tmp_path / "references.bib").write_text("""
@article{Cooke2004Role, author = {Cooke, Philip}, title = {The role of research}, year = {2004}, journal = {R}}
@book{Cooke2004Regions, author = {Cooke, Philip}, title = {Regional innovation systems}, year = {2004}, publisher = {P}}
@book{Certeau1980Invention, author = {de Certeau, Michel}, title = {L'invention du quotidien}, year = {1980}, publisher = {U}}
@book{Iansiti2004Keystone, author = {Iansiti, Marco and Levien, Roy}, title = {The Keystone Advantage}, year = {2004}, publisher = {H}}
@article{Aubry2021Trois, author = {Aubry, A. and Bé, B. and Cé, C.}, title = {Trois}, year = {2021}, journal = {J}}
""", encoding="utf-8")
    labels = citation_labels(tmp_path)
    assert labels == {"Cooke2004Role": "Cooke (2004b)", "Cooke2004Regions": "Cooke (2004a)",
                      "Certeau1980Invention": "de Certeau (1980)", "Iansiti2004Keystone": "Iansiti et Levien (2004)",
                      "Aubry2021Trois": "Aubry et al. (2021)"}
    matrix = pd.DataFrame({"platform": [1, 0], "complementors": [0, 1]}, index=["Certeau1980Invention", "Cooke2004Role"])
    fig = concept_matrix_figure(matrix, labels)
    assert list(fig.data[0].y) == ["de Certeau (1980)", "Cooke (2004b)"]
    # the book's own matrix: every row named, and names tell references apart
    book = citation_labels(ROOT)
    assert len(set(book.values())) == len(book) and not set(book.values()) & set(book)


def test_prisma_sentences_read_right_for_any_count():
    from compendium.literature.review import prisma_sentences

    many = {"identified": 160, "duplicates": 8, "excluded_scope": 12, "excluded_unverifiable": 3, "included": 137}
    assert prisma_sentences(many) == (
        "Sur 160 travaux repérés, 8 doublons ont été retirés, 12 notices ont été écartées comme hors du sujet et "
        "3 travaux ont été exclus faute de pouvoir vérifier leur existence ou leurs métadonnées. 137 travaux sont "
        "retenus ; chacun a une entrée dans `references.bib`.")
    few = {"identified": 1, "duplicates": 0, "excluded_scope": 0, "excluded_unverifiable": 0, "included": 1}
    assert prisma_sentences(few) == (
        "Sur 1 travail repéré, aucun doublon n'a été retiré, aucune notice n'a été écartée comme hors du sujet et "
        "aucun travail n'a été exclu faute de pouvoir vérifier son existence ou ses métadonnées. 1 travail est "
        "retenu ; il a une entrée dans `references.bib`.")
    one_each = {"identified": 4, "duplicates": 1, "excluded_scope": 1, "excluded_unverifiable": 1, "included": 1}
    assert "1 doublon a été retiré, 1 notice a été écartée" in prisma_sentences(one_each)


#: how a reading summary says that only part of a work was read
PARTIAL_READING = (r"[Ss]eul(?:e|s|es)? (?:l'|la |le |les )?(?:ouverture|résumés?|pages?|couverture|introduction|sommaire)"
                   r"|n'(?:a|ont) pas été lue?s?|non l'article|pas l'article|ne l'a pas été|n'ont pas été lues")


def test_a_work_read_in_full_has_no_summary_saying_otherwise():
    """`read` = full_text counts in the review's «N en texte intégral»; a summary that says only
    the opening or the checklist was read contradicts it (two such rows were found by an audit)."""
    import re

    readings = data.load_table("readings", ROOT)
    problems = [f"data/literature/readings.csv, ligne {line}, colonne « read » : « {row.key} » est noté full_text, "
                f"mais son résumé dit « {m.group(0)} » ; choisissez sections ou abstract"
                for line, row in enumerate(readings.itertuples(), start=2)
                if row.read == "full_text" and (m := re.search(PARTIAL_READING, row.summary_fr))]
    assert not problems, "\n".join(problems)
    partial = [row.key for row in readings.itertuples() if re.search(PARTIAL_READING, row.summary_fr)]
    assert len(partial) >= 10, "le motif ne reconnaît plus les lectures partielles"
    assert re.search(PARTIAL_READING, "Seule l'ouverture a été lue.") and re.search(PARTIAL_READING, "pas l'article source")


def test_concept_matrix_prints_in_readable_parts():
    """In the PDF the matrix of the book's references (145) was one page with 4-point labels:
    it now prints in parts of equal size, one page each, every reference once and in order,
    labels at 12 pixels (about 7 points in print), each part numbered."""
    import pandas as pd

    from compendium.literature.review import PRINT_ROWS_PER_PAGE, concept_matrix_print

    keys = [f"Ref{i:03d}" for i in range(145)]
    matrix = pd.DataFrame({"platform": [i % 2 for i in range(145)], "complementors": [1] * 145}, index=keys)
    labels = {k: f"Auteur {k} (2020)" for k in keys}
    parts = concept_matrix_print(matrix, labels)
    assert [len(p.data[0].y) for p in parts] == [37, 37, 37, 34]
    assert [y for p in parts for y in p.data[0].y] == [labels[k] for k in keys]
    assert all(p.layout.yaxis.tickfont.size == 12 and p.layout.xaxis.side == "top" for p in parts)
    # every concept and every reference named (plotly drops every other label of a crowded axis)
    assert all(axis.tickmode == "linear" and axis.dtick == 1 for p in parts for axis in (p.layout.xaxis, p.layout.yaxis))
    notes = [p.layout.annotations[0].text for p in parts]
    assert notes == ["Partie 1 sur 4 — suite à la page suivante", "Partie 2 sur 4 — suite à la page suivante",
                     "Partie 3 sur 4 — suite à la page suivante", "Partie 4 sur 4"]
    # a matrix that fits a page prints whole, without a part number
    (whole,) = concept_matrix_print(matrix.iloc[:PRINT_ROWS_PER_PAGE], labels)
    assert len(whole.data[0].y) == PRINT_ROWS_PER_PAGE and not whole.layout.annotations


def test_years_without_references_keep_their_place_on_the_axis():
    """The chart of references by year is on a time axis (as categories, 1980, 1984 and 1989
    stood side by side as if one year apart)."""
    import pandas as pd

    from compendium.literature.review import by_year_figure

    fig = by_year_figure(pd.DataFrame({"year": ["1980", "1989", "1989"], "nature": ["article", "article", "livre"],
                                       "références": [1, 2, 1]}))
    assert fig.layout.xaxis.type == "linear" and list(fig.data[0].x) == [1980, 1989]
    undated = by_year_figure(pd.DataFrame({"year": ["1980", "s. d."], "nature": ["article", "article"],
                                           "références": [1, 1]}))
    assert undated.layout.xaxis.type == "category"


def test_the_references_a_reader_cannot_follow_are_named():
    """The page « Références à vérifier » counted them («7 références n'ont encore ni DOI…»)
    without naming them: the table names each, linked to the bibliography."""
    from compendium.literature.review import without_identifier, without_identifier_table

    table = without_identifier_table()
    assert list(table["référence"]) == [f"{{cite:t}}`{k}`" for k in without_identifier()]
    assert len(table) >= 1 and table["titre"].str.len().min() > 0
