"""From Zotero to the book: real-shaped exports of the four flavours go in with one command,
a bad export changes nothing and says why in one line per problem, and the French author–year
bibliography renders them right in HTML and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium import data
from compendium.fieldwork.privacy import leak_scan
from compendium.literature.references import ReferenceImportError, add_references
from compendium.literature.review import check_references, prisma_counts, to_verify
from conftest import ROOT, compendium
from zotero_exports import FLAVOURS, export

N = 200  # entries per export: the size of a real Zotero library collection


def light_copy(tmp_path: Path) -> Path:
    """What the import and the checks read: references.bib, data/, the pages that cite."""
    root = tmp_path / "book"
    root.mkdir()
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "chapters", root / "chapters", ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copy(ROOT / "intro.md", root / "intro.md")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in [root / "references.bib",
                                                                     *sorted((root / "data").rglob("*"))]
            if p.is_file()}


def bib_entries(root: Path):
    from pybtex.database import parse_file

    return parse_file(str(root / "references.bib"), bib_format="bibtex").entries


VARIANTS = {"zotero-bibtex": dict(bom=True), "zotero-biblatex": dict(crlf=True),
            "bbt-bibtex": dict(bom=True, crlf=True), "bbt-biblatex": dict()}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_each_flavour_imports_whole_with_one_command(tmp_path, flavour):
    root = light_copy(tmp_path)
    before = len(bib_entries(root))
    path = tmp_path / f"{flavour}.bib"
    path.write_text(export(flavour, N, **VARIANTS[flavour]), encoding="utf-8", newline="")
    proc = compendium(root, "add-references", str(path))
    assert f"{N} références ajoutées" in proc.stdout
    entries = bib_entries(root)
    assert len(entries) == before + N
    assert data.validate_package(root) == []  # relaxed key pattern: hyphens, colons, accents, undated
    text = (root / "references.bib").read_text(encoding="utf-8")
    for noise in ("file =", "abstract =", "keywords =", "langid", "Publisher:", "ISSN:", "Zotero/storage",
                  "/home/", "/Users/", "journaltitle", "location =", " date =", "\ufeff", "\r", "{{"):
        assert noise not in text, noise
    assert leak_scan(root, [], ["references.bib", "data"]) == []
    new = {k: e for k, e in entries.items() if k not in set(list(entries)[:before])}
    types = {e.type for e in new.values()}
    assert types <= {"article", "book", "incollection", "inproceedings", "phdthesis", "mastersthesis", "misc",
                     "techreport"}, types
    assert {"phdthesis", "mastersthesis", "misc", "techreport", "incollection", "inproceedings"} <= types
    if flavour.startswith("bbt"):
        assert any(":" in k for k in new) and any("-" in k for k in new) and any("É" in k for k in new)
    undated = [e for e in new.values() if e.type == "misc" and not e.fields.get("year")]
    assert undated and all(e.fields.get("url", "").startswith("https://") and e.fields.get("urldate")
                           for e in undated)
    theses = [e for e in new.values() if e.type in ("phdthesis", "mastersthesis")]
    assert {e.fields["type"] for e in theses} == {"Thèse de doctorat", "Mémoire de master"}
    assert all(e.fields.get("school") for e in theses)
    articles = [e for e in new.values() if e.type == "article"]
    assert all(e.fields.get("journal") and re.fullmatch(r"\d{4}", e.fields["year"]) for e in articles)
    assert all(not e.fields.get("url", "").startswith("https://doi.org") for e in new.values())
    particles = [p for e in new.values() for p in e.persons.get("author", []) if p.prelast_names]
    assert particles and {" ".join(p.prelast_names) for p in particles} <= {"de", "d'", "van", "du"}
    corporate = [p for e in new.values() for p in e.persons.get("author", []) if str(p).startswith("{")]
    assert corporate
    assert "RUDI" in text and "Rennes" in text  # case kept as typed
    if flavour == "bbt-biblatex":
        assert "volumes" in text  # @mvbook → @book with its number of volumes
    # rows «à vérifier» in the three tables, PRISMA counts them honestly
    verification = data.load_table("verification", root)
    assert (verification["evidence"] == "to_verify").sum() == N
    readings = data.load_table("readings", root)
    assert (readings["read"] == "not_read").sum() == N
    counts = prisma_counts(data.load_table("screening", root), data.load_table("search_log", root))
    baseline = prisma_counts(data.load_table("screening", ROOT), data.load_table("search_log", ROOT))
    assert counts["identified_other"] == N and counts["awaiting"] == N
    assert counts["included"] == baseline["included"] and counts["queries"] == baseline["queries"]
    assert len(to_verify(root)) == N
    # the book is not blocked; the strict checks say what is left, one line per point
    assert check_references(root, strict=False) == []
    strict = [str(p) for p in check_references(root, strict=True)]
    key = next(iter(new))
    assert f"data/literature/verification.csv, clé « {key} », colonne « evidence » : notice à vérifier" in \
        "\n".join(strict)
    assert any(f"data/literature/screening.csv, clé « {key} », colonne « decision »" in s for s in strict)
    assert all(re.match(r"^[\w/.]+, clé « [^»]+ »(, (champ|colonne) « \w+ »)? : ", s) for s in strict)
    # the same export again: every entry is already there under its key, and nothing changes
    state = snapshot(root)
    again = compendium(root, "add-references", str(path), check=False)
    assert again.returncode == 0 and "ERREUR" not in again.stderr
    assert f"déjà dans references.bib : {N} références de l'export" in again.stdout
    assert snapshot(root) == state


BROKEN = """@article{ok_first_2020,
\ttitle = {A first, clean entry},
\tauthor = {Fictif, Anne},
\tjournal = {Revue Fictive},
\tyear = {2020},
}

@book{broken_brace_2019,
\ttitle = {An {unclosed brace,
\tauthor = {Fictif, Anne},
\tyear = {2019},
}

@misc{ok_last_nodate,
\ttitle = {A web page},
\turl = {https://exemple.invalid/page},
\turldate = {2025-08-01},
}
"""


def test_broken_brace_is_one_line_naming_the_entry_and_changes_nothing(tmp_path):
    root = light_copy(tmp_path)
    state = snapshot(root)
    path = tmp_path / "export.bib"
    path.write_text(BROKEN, encoding="utf-8")
    proc = compendium(root, "add-references", str(path), check=False)
    assert proc.returncode == 1
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERREUR")]
    assert errors == ["ERREUR export.bib, ligne 8, entrée « broken_brace_2019 » : syntaxe illisible (accolade ou "
                      "guillemet non fermé ?) ; rien n'a été lu de cette entrée"], proc.stderr
    assert "rien n'a été ajouté" in proc.stderr and "Traceback" not in proc.stderr
    # the BibTeX reader's own English log line («Parsing of `@article` block … aborted») is not shown
    assert "aborted" not in proc.stderr + proc.stdout and "Parsing of" not in proc.stderr + proc.stdout, proc.stderr
    assert snapshot(root) == state
    # --partial adds the clean ones and lists the other
    partial = compendium(root, "add-references", str(path), "--partial", check=False)
    assert partial.returncode == 2
    assert "2 références ajoutées" in partial.stdout
    assert "ÉCARTÉE export.bib, ligne 8, entrée « broken_brace_2019 »" in partial.stderr
    entries = bib_entries(root)
    assert "ok_first_2020" in entries and "ok_last_nodate" in entries and "broken_brace_2019" not in entries


def test_lines_are_counted_right_after_better_bibtex_line_breaks(tmp_path):
    """Better BibTeX writes each line break of Zotero's Extra field as « \\\\ » at the end of a
    line (``enc_extra`` in translators/bibtex/entry.ts of retorquere/zotero-better-bibtex, and its
    fixture « Exporting item type film merges scriptwriter … #2802 »); bibtexparser's own line
    count loses one at each, so a broken entry further down was placed too high."""
    bbt = export("bbt-biblatex", n=40)
    blocks = bbt.split("\n\n")
    extra = "  annotation = {Lu en entier le 12 mars\\\\\nÀ relire pour le chapitre 2\\\\\nevent-location: Rennes}"
    for i in range(0, 30, 3):  # one entry in three has a three-line Extra, as a real library would
        blocks[i] = blocks[i].rstrip().removesuffix("}").rstrip() + ",\n" + extra + "\n}\n"
    broken = "@article{Broken2019Accolade,\n  title = {Une accolade {manquante},\n  date = {2019}\n}\n"
    blocks.insert(30, broken)
    text = "\n\n".join(blocks)
    assert text.count("\\\\\n") == 20
    path = tmp_path / "bbt.bib"
    path.write_text(text, encoding="utf-8")
    real = text.splitlines().index("@article{Broken2019Accolade,") + 1
    with pytest.raises(ReferenceImportError) as exc:
        add_references(path, light_copy(tmp_path))
    assert [p for p in exc.value.problems if "Broken2019Accolade" in p] == [
        f"bbt.bib, ligne {real}, entrée « Broken2019Accolade » : syntaxe illisible (accolade ou guillemet non fermé ?) ; "
        "rien n'a été lu de cette entrée"], exc.value.problems


def test_duplicates_name_the_key_that_holds_the_work(tmp_path):
    root = light_copy(tmp_path)
    existing = bib_entries(root)
    key, entry = next((k, e) for k, e in existing.items() if e.fields.get("doi"))
    key2, entry2 = next((k, e) for k, e in existing.items() if not e.fields.get("doi") and e.fields.get("year"))
    title2 = entry2.fields["title"].upper().replace(":", " —")  # case and punctuation differ
    text = (f"@article{{zotero_dup_doi,\n  title = {{Something else}},\n  doi = {{https://doi.org/{entry.fields['doi'].upper()}}},\n"
            f"  date = {{2020}}\n}}\n\n@book{{zotero_dup_title,\n  title = {{{title2}}},\n  date = {{{entry2.fields['year']}}}\n}}\n\n"
            f"@book{{twice_a,\n  title = {{Le même livre}},\n  date = {{2001}}\n}}\n\n@book{{twice_b,\n  title = {{Le Même Livre}},\n  date = {{2001}}\n}}\n\n"
            f"@article{{{key},\n  title = {{Another work under a taken key}},\n  date = {{1999}}\n}}\n")
    path = tmp_path / "dups.bib"
    path.write_text(text, encoding="utf-8")
    state = snapshot(root)
    with pytest.raises(ReferenceImportError) as exc:
        add_references(path, root)
    problems = exc.value.problems
    assert f"dups.bib, ligne 1, entrée « zotero_dup_doi » : doublon, même DOI que « {key} » déjà dans references.bib" \
        in problems, problems
    assert f"dups.bib, ligne 7, entrée « zotero_dup_title » : doublon, même titre et même année que « {key2} » " \
        "déjà dans references.bib" in problems, problems
    assert any(p.startswith("dups.bib, ligne 17, entrée « twice_b » : doublon dans l'export") and "« twice_a »" in p
               for p in problems), problems
    assert any(f"entrée « {key} » : la clé existe déjà dans references.bib" in p for p in problems), problems
    assert len(problems) == 4
    assert snapshot(root) == state


def test_a_key_twice_in_the_export_names_both_entries(tmp_path):
    """Two entries of one export under one key: the line named only the second, and --partial
    left the first out without a word. Both lines are named, and neither entry is added."""
    root = light_copy(tmp_path)
    path = tmp_path / "export.bib"
    path.write_text("@book{Lefevre2024Gouvernance,\n  title = {Gouverner les données},\n  date = {2024}\n}\n\n"
                    "@article{Lefevre2024Gouvernance,\n  title = {Une autre œuvre},\n  date = {2024}\n}\n\n"
                    "@book{ok_other_2021,\n  title = {Un autre livre},\n  date = {2021}\n}\n", encoding="utf-8")
    partial = compendium(root, "add-references", str(path), "--partial", check=False)
    assert ("export.bib, ligne 6, entrée « Lefevre2024Gouvernance » : clé déjà employée plus haut dans l'export "
            "(ligne 1) ; aucune des deux entrées n'est ajoutée") in partial.stderr, partial.stderr
    entries = bib_entries(root)
    assert "ok_other_2021" in entries and "Lefevre2024Gouvernance" not in entries


def test_extended_names_and_biblatex_fields_are_converted(tmp_path):
    root = light_copy(tmp_path)
    path = tmp_path / "bbl.bib"
    path.write_text("""
@mvbook{Russ1990-Savoir,
  title = {Savoir et pouvoir},
  author = {family=Saint-Ours, given=Édouard, prefix=de, useprefix=false and family=Gelder, given=Pieter, prefix=van, useprefix=true},
  date = {1990},
  publisher = {{Hatier}},
  location = {{Paris}},
  annotation = {Comprend : t. 1, La puissance du désordre},
  langid = {french},
  volumes = {2}
}

@online{RennesMétropole:RUDI,
  title = {La plateforme {{RUDI}}},
  author = {{Métropole Fictive}},
  url = {https://exemple.invalid/rudi},
  urldate = {2025-08-01},
  file = {C:\\Users\\chercheuse\\Zotero\\storage\\AB12CD34\\rudi.html}
}

@thesis{Perrot2018Memoire,
  title = {Un mémoire},
  author = {Perrot, Hélène},
  date = {2018-06},
  institution = {Université Fictive},
  type = {mathesis}
}
""", encoding="utf-8")
    add_references(path, root)
    entries = bib_entries(root)
    book = entries["Russ1990-Savoir"]
    assert book.type == "book" and book.fields["volumes"] == "2" and book.fields["address"] == "Paris"
    assert book.fields["publisher"] == "Hatier" and "annotation" not in book.fields
    first, second = book.persons["author"]
    assert (first.prelast_names, first.last_names, first.first_names) == (["de"], ["Saint-Ours"], ["Édouard"])
    assert second.last_names == ["{van Gelder}"]  # useprefix=true: sorted under «van»
    web = entries["RennesMétropole:RUDI"]
    assert web.type == "misc" and "year" not in web.fields and web.fields["urldate"] == "2025-08-01"
    assert "file" not in web.fields and web.fields["title"] == "La plateforme RUDI"
    thesis = entries["Perrot2018Memoire"]
    assert thesis.type == "mastersthesis" and thesis.fields["school"] == "Université Fictive"
    assert (thesis.fields["year"], thesis.fields["month"]) == ("2018", "6")


def test_local_paths_in_data_are_leaks(tmp_path):
    root = light_copy(tmp_path)
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + '\n@misc{X2020Leak,\n    title = "T",\n'
                   '    note = "/home/chercheuse/Zotero/storage/ABCD1234/x.pdf"\n}\n', encoding="utf-8")
    line = bib.read_text(encoding="utf-8").splitlines().index('    note = "/home/chercheuse/Zotero/storage/ABCD1234/x.pdf"') + 1
    (root / "data/literature/note.txt").write_text("voir C:\\Users\\anne\\Documents\\x.pdf\n", encoding="utf-8")
    leaks = [str(x) for x in leak_scan(root, [], None)]
    assert f"references.bib, ligne {line} : chemin de fichier local « /home/chercheuse/Zotero/storage/ABCD1234/x.pdf »" \
        in leaks, leaks
    assert any(x.startswith("data/literature/note.txt, ligne 1 : chemin de fichier local") for x in leaks), leaks


# --------------------------------------------------------------------------- rendering

RENDER_BIB = """
@book{Certeau1980Invention,
  title = {L'Invention du quotidien},
  author = {Certeau, Michel de},
  date = {1980},
  publisher = {{Union générale d'éditions}},
  location = {{Paris}}
}

@article{Cooke2004Zeta,
  title = {Zeta: {{Regional}} Innovation Systems},
  author = {Cooke, Philip},
  journaltitle = {Research Policy},
  date = {2004-03},
  volume = {84}, number = {4}, pages = {98-107},
  doi = {10.1177/0000000000000001},
  url = {https://doi.org/10.1177/0000000000000001}
}

@article{Cooke2004Alpha,
  title = {Alpha: l'université de {{Paris}} sous l'{{Ancien Régime}}},
  author = {Cooke, Philip},
  journaltitle = {Regional Studies},
  date = {2004}
}

@online{Metropole:RUDI,
  title = {La plateforme {{RUDI}}},
  author = {{Métropole Fictive}},
  url = {https://exemple.invalid/rudi},
  urldate = {2025-08-01}
}

@incollection{Zolan2019Chapitre,
  title = {Un chapitre},
  author = {Zolan, Anne},
  editor = {Fictif, Inès and family=Plessis, given=Hélène, prefix=du, useprefix=false},
  booktitle = {Un livre collectif},
  date = {2019}, pages = {12--30},
  publisher = {{Presses Fictives}}, location = {{Rennes}}
}

@inproceedings{Aubry2021Communication,
  title = {Une communication},
  author = {Aubry, Anne and Barré, Noël and Quéméner, Zoé},
  editor = {Fictif, Inès},
  booktitle = {Actes du colloque fictif},
  eventtitle = {Colloque fictif},
  date = {2021}, pages = {5--9},
  note = {Publisher: Presses Fictives\\nPlace: Rennes}
}

@thesis{Perrot2020These,
  title = {Une thèse},
  author = {Perrot, Hélène},
  date = {2020},
  institution = {Université Fictive},
  type = {phdthesis}
}

@article{Fictif2022Tronque,
  title = {Une liste d'auteurs tronquée},
  author = {Fictif, Yann and Fictive, Lise and others},
  journaltitle = {Revue fictive},
  date = {2022}
}

@mvbook{Russ1990Savoir,
  title = {Savoir et pouvoir},
  author = {Russ, Jacqueline},
  date = {1990},
  volumes = {2},
  publisher = {{Hatier}},
  location = {{Paris}}
}
"""

PAGE = """Test
====

Citations : :cite:t:`Certeau1980Invention`, :cite:p:`Cooke2004Zeta`, :cite:p:`Cooke2004Alpha`,
:cite:p:`Metropole:RUDI`, :cite:p:`Zolan2019Chapitre,Aubry2021Communication,Perrot2020These,Russ1990Savoir`,
:cite:p:`Fictif2022Tronque`.

.. bibliography::
"""

CONF = """
project = "essai"
language = "fr"
extensions = ["sphinxcontrib.bibtex", "compendium.book.sphinx_ext"]
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year_fr"
bibtex_default_style = "auteur_annee_fr"
latex_engine = "xelatex"
latex_show_urls = "footnote"
latex_elements = {"babel": r"\\usepackage{babel}", "papersize": "a4paper"}
latex_documents = [("index", "essai.tex", "Essai", "Compendium", "manual")]
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """An export imported with the command, then built by Sphinx with the book's extension."""
    tmp = tmp_path_factory.mktemp("render")
    root = light_copy(tmp)
    (root / "references.bib").write_text("", encoding="utf-8")
    export_path = tmp / "export.bib"
    export_path.write_text(RENDER_BIB, encoding="utf-8")
    add_references(export_path, root)
    site = tmp / "site"
    site.mkdir()
    shutil.copy(root / "references.bib", site / "references.bib")
    (site / "conf.py").write_text(CONF, encoding="utf-8")
    (site / "index.rst").write_text(PAGE, encoding="utf-8")
    for builder in ("html", "latex"):
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", builder, ".", f"_build/{builder}"],
                              cwd=site, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-3000:]
    return site


@pytest.fixture(scope="module")
def pasted(tmp_path_factory):
    """The same Better BibLaTeX entries pasted by hand into references.bib, without the command."""
    site = tmp_path_factory.mktemp("pasted")
    (site / "references.bib").write_text(RENDER_BIB, encoding="utf-8")
    (site / "conf.py").write_text(CONF, encoding="utf-8")
    (site / "index.rst").write_text(PAGE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", ".", "_build/html"],
                          cwd=site, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site


def _html_text(site: Path) -> tuple[str, list[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / "_build/html/index.html").read_text(encoding="utf-8"), "html.parser")
    prose = re.sub(r"\s+", " ", soup.find("p").get_text())
    items = [re.sub(r"\s+", " ", c.find("p").get_text("", strip=False)).strip() for c in soup.select(".citation")]
    return prose, items


def test_html_bibliography_is_french_author_year(rendered):
    prose, items = _html_text(rendered)
    prose = prose.replace("\u00a0", " ").replace("\u202f", " ")
    items = [i.replace("\u00a0", " ").replace("\u202f", " ") for i in items]
    assert "de Certeau (1980)" in prose  # particle kept in the citation…
    assert "(Cooke, 2004b)" in prose and "(Cooke, 2004a)" in prose
    assert "(Métropole Fictive, s. d.)" in prose
    # …and the family name first in the list, sorted under C; corporate author sorted by its name
    firsts = [i.split(" (")[0] for i in items]
    assert firsts == ["Aubry, Anne, Noël Barré et Zoé Quéméner", "Certeau, Michel de", "Cooke, Philip",
                      "Cooke, Philip", "Fictif, Yann, Lise Fictive et al.", "Métropole Fictive", "Perrot, Hélène",
                      "Russ, Jacqueline", "Zolan, Anne"]
    # BibTeX's «and others» reads «et al.», in the list and in the citation (not «et others»)
    assert "(Fictif et al., 2022)" in prose
    assert "others" not in "\n".join(items) + prose
    text = "\n".join(items)
    assert "Cooke, Philip (2004a). « Alpha: l'université de Paris sous l'Ancien Régime ». Regional Studies." in text
    assert ("Cooke, Philip (2004b). « Zeta: Regional Innovation Systems ». Research Policy, vol. 84, n° 4, "
            "p. 98–107. https://doi.org/10.1177/0000000000000001.") in text.replace("\u00a0", " ")
    assert "Métropole Fictive (s. d.). La plateforme RUDI. https://exemple.invalid/rudi, consulté le 1er août 2025." \
        in text
    assert "Dans Inès Fictif et Hélène du Plessis (dir.), Un livre collectif, p. 12–30. Presses Fictives, Rennes." \
        in text.replace("\u00a0", " ")
    assert "Dans Inès Fictif (éd.), Actes du colloque fictif, p. 5–9." in text.replace("\u00a0", " ")
    assert "Une thèse. Thèse de doctorat, Université Fictive." in text
    assert "Savoir et pouvoir. 2 volumes. Hatier, Paris." in text
    for wrong in ("n.d.", "visited", "In ", " ed.", "phdthesis", "doi:", "Publisher", "Place:", "[1]", "..", " ,"):
        assert wrong not in text, wrong
    html = (rendered / "_build/html/index.html").read_text(encoding="utf-8")
    assert html.count('href="https://doi.org/10.1177/0000000000000001"') == 1


def test_pasted_biblatex_renders_like_imported(rendered, pasted):
    """Extended names (``family=…, given=…, prefix=…``), ``journaltitle``, ``date``, ``@mvbook``,
    ``@thesis`` and Zotero's note lines pasted by hand render as the imported entries do."""
    assert _html_text(pasted) == _html_text(rendered)


@pytest.mark.pdf
def test_pdf_bibliography_has_no_numeric_label_nor_babel_colon(rendered):
    latex = rendered / "_build/latex"
    proc = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "essai.tex"],
                          cwd=latex, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    text = subprocess.run(["pdftotext", "-layout", "essai.pdf", "-"], cwd=latex, capture_output=True, text=True,
                          check=True).stdout
    # the list follows the page's own heading (the class's «Bibliographie» heading is left out)
    assert text.count("Bibliographie") <= 1, text
    bib = text[text.index("Aubry, Anne"):]
    assert "Cooke, Philip (2004b)" in bib and "Certeau, Michel de (1980)" in bib
    assert not re.search(r"\[\d+\]", bib), bib
    assert not re.search(r"\d\)\s:\d|doi\s?:|https\s:", bib), bib
    assert "https://doi.org/10.1177/" in bib
    assert "Zeta: Regional Innovation Systems" in bib  # the colon as typed, as in the HTML
    tex = (latex / "essai.tex").read_text(encoding="utf-8")
    assert "\\sphinxurl{https://doi.org/10.1177/0000000000000001}" in tex  # URL as its own text: no footnote
    assert not re.search(r"doi\.org/10\.1177/0000000000000001\}\\sphinxfootnotemark|\\begin\{footnote\}", tex)


@pytest.mark.build
def test_imported_export_builds_the_book(tmp_path):
    """One build of a copy of the project after a Better BibLaTeX import: the book builds with
    unverified entries, lists them in « Références à vérifier », renders them in the
    bibliography and counts them in the PRISMA figure."""
    from conftest import copy_project

    root = copy_project(tmp_path)
    path = tmp_path / "export.bib"
    path.write_text(export("bbt-biblatex", 36), encoding="utf-8")
    compendium(root, "add-references", str(path))
    key = next(k for k in bib_entries(root) if k.startswith("Saint-ours") or "Étude1" in k)
    guide = root / "chapters/annexes/mode-d-emploi.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\nPar exemple {{cite:t}}`{key}`.\n", encoding="utf-8")
    compendium(root, "build", "html")
    html = root / "_build/html/chapters/annexes"
    pending = (html / "references-a-verifier.html").read_text(encoding="utf-8")
    assert "36 références de la bibliographie attendent encore une vérification" in pending
    assert key in pending and "notice à vérifier sur une page publique" in pending
    bibliography = (html / "bibliographie.html").read_text(encoding="utf-8")
    assert bibliography.count('role="doc-biblioentry"') == len(bib_entries(root))
    assert "consulté le" in bibliography and "s. d." in bibliography and "Mémoire de master" in bibliography
    revue = (root / "_build/html/chapters/methode/revue.html").read_text(encoding="utf-8")
    # the PRISMA boxes: «… par d’autres<br>méthodes (n = 36)», «En attente de<br>vérification (n = 36)»
    assert "m\\u00e9thodes (n = 36)" in revue and "v\\u00e9rification (n = 36)" in revue


def _broken_bib(root: Path, mode: str) -> None:
    path = root / "references.bib"
    text = path.read_text(encoding="utf-8")
    start = text.rindex("@", 0, text.index("Moore1993Predators"))
    end = text.index("\n@", start)
    if mode == "equals":  # the « = » of a field deleted by hand
        text = text.replace('    year = "1993",', '    year "1993",', 1)
    elif mode == "duplicate":  # the same entry pasted twice
        text = text + "\n" + text[start:end] + "\n"
    elif mode == "end":  # the last closing brace lost
        text = text.rstrip()[:-1]
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("mode,expected", [
    ("equals", r"^ERREUR references\.bib, ligne \d+ : syntaxe BibTeX invalide \(« = » attendu\)$"),
    ("duplicate", r"^ERREUR references\.bib : clé « Moore1993Predators » en double : gardez une seule des deux entrées$"),
    ("end", r"^ERREUR references\.bib, ligne \d+ : syntaxe BibTeX invalide \(fin du fichier avant la fin de "
            r"l'entrée \(une accolade « } » manque \?\)\)$"),
])
def test_a_hand_edited_bibliography_that_does_not_parse_is_one_french_line(tmp_path, mode, expected):
    """Checked with the data, before any notebook runs: the message names references.bib (and the
    line), not the notebook cell that would first read it; a good file is parsed once."""
    from compendium.literature import bibfile

    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    assert bibfile.check(root) is None and (root / bibfile.STAMP).is_file()
    _broken_bib(root, mode)
    proc = compendium(root, "validate", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR")]
    assert len(errors) == 1 and re.match(expected, errors[0]), proc.stderr
    assert "1 problème dans references.bib : corrigez-le puis relancez." in proc.stderr  # not « data/ »


def test_a_collection_exported_again_adds_only_its_new_references(tmp_path):
    """The researcher exports the whole Zotero collection each time: the works already imported
    under the same key are left as references.bib holds them (checked, fields trimmed), the new
    ones are added, and the same export a third time changes nothing."""
    root = light_copy(tmp_path)
    before = len(bib_entries(root))
    first, grown = tmp_path / "collection-v1.bib", tmp_path / "collection-v2.bib"
    first.write_text(export("bbt-biblatex", 150), encoding="utf-8")
    grown.write_text(export("bbt-biblatex", N), encoding="utf-8")
    compendium(root, "add-references", str(first))
    checked = snapshot(root)["references.bib"]
    proc = compendium(root, "add-references", str(grown))
    assert f"{N - 150} références ajoutées" in proc.stdout, proc.stdout + proc.stderr
    assert "déjà dans references.bib : 150 références de l'export, laissées telles quelles" in proc.stdout
    assert "ERREUR" not in proc.stderr and proc.returncode == 0
    assert len(bib_entries(root)) == before + N
    assert snapshot(root)["references.bib"].startswith(checked.rstrip(b"\n"))  # the first 150 untouched
    state = snapshot(root)
    proc = compendium(root, "add-references", str(grown))
    assert "rien à ajouter : references.bib et data/ sont inchangés." in proc.stdout
    assert snapshot(root) == state


def test_a_title_that_asks_a_question_gets_no_full_stop_after_its_mark():
    """«Gestion des données : quels outils et quelle stratégie pour les territoires ?.» in the
    bibliography: the style's «. » followed the title's own question mark."""
    import pybtex.database
    import pybtex.plugin

    from compendium.book.sphinx_ext import _register_bibliography_style

    _register_bibliography_style()
    bib = pybtex.database.parse_string(
        '@techreport{Banque2020, author = {{Banque des Territoires}}, year = {2020}, '
        'title = {Gestion des données : quels outils pour les territoires ?}, institution = {Banque des Territoires}}\n'
        '@book{Livre, author = {Fictif, Anne}, year = {2021}, title = {Un titre affirmatif}, publisher = {Presses}}',
        "bibtex")
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain_fr")()
    texts = [entry.text.render_as("text") for entry in style.format_entries(bib.entries.values())]
    question = next(t for t in texts if "territoires" in t)
    assert "?." not in question and "territoires ? " in question.replace("\u00a0", " ").replace("\u202f", " ") or \
        question.rstrip().endswith("?"), question
    plain = next(t for t in texts if "affirmatif" in t)
    assert "affirmatif. " in plain and plain.endswith("."), plain
