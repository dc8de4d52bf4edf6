"""Freshness of the built book: a data edit re-executes exactly the notebooks that read the
edited table, figures and glued numbers change, and nothing is ever served stale (also after
``clean``). Runs on temporary copies of the project."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from compendium.book.build import notebooks, staleness
from conftest import ROOT, add_probe_notebook, compendium, copy_project, read_rows, set_cell, write_rows

pytestmark = pytest.mark.build

PROBE = "chapters/sonde.ipynb"
PROBE_COUNT = "chapters/sonde-comptage.ipynb"  # reads indicators, shows only its row count


def _probe_notebook(root: Path) -> None:
    """A small page that reads only the events table: glues a count, shows a figure."""
    add_probe_notebook(root, PROBE, "events", "case", "La chronologie compte {n} événements.", "sonde_n",
                       "sonde-evenements")


def _executed(proc) -> set[str]:
    return set(re.findall(r"exécution de (\S+)", proc.stdout))


def _count_probe(root: Path) -> None:
    """A page that reads the indicators table but shows only its number of rows."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Comptage\n\nIl y a {glue:text}`sonde_n_ind` indicateurs."),
                nbformat.v4.new_code_cell("from compendium import load_table\nfrom compendium.prose import glue_value\n"
                                          "glue_value('sonde_n_ind', len(load_table('indicators')))")]
    nbformat.write(nb, root / PROBE_COUNT)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    (root / "_toc.yml").write_text(toc.replace("    chapters:\n", f"    chapters:\n      - file: {PROBE_COUNT[:-6]}\n", 1),
                                   encoding="utf-8")


def _pages_read(root: Path) -> set[str]:
    """The pages Sphinx read in the last build (from the build log)."""
    log = (root / "_build/jupyter-book-html.log").read_text(encoding="utf-8")
    return {f"{page}.ipynb" for page in re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log)}


def _html(root: Path, page: str) -> str:
    return (root / "_build/html" / page).read_text(encoding="utf-8")


def _figure_data(html: str, name: str) -> list:
    match = re.search(r'Plotly\.newPlot\(\s*"fig-' + name + r'",\s*(\[.*?\]),\s*\{', html, re.S)
    assert match, f"figure {name} absente de la page"
    return json.loads(match.group(1))


def test_committed_notebooks_match_the_data():
    stale = {p.relative_to(ROOT).as_posix(): staleness(ROOT, p) for p in notebooks(ROOT)}
    stale = {k: v for k, v in stale.items() if v}
    assert not stale, f"carnets périmés (lancez ./run html puis validez-les dans git) : {stale}"


def test_edit_rebuilds_only_readers_and_never_serves_stale(tmp_path):
    root = copy_project(tmp_path)
    _probe_notebook(root)
    _count_probe(root)

    first = compendium(root, "build", "html")
    assert {PROBE, PROBE_COUNT} <= _executed(first)  # new notebooks: never executed
    n_events = len(read_rows(root / "data/secondary/events.csv")) - 1
    assert f'<span class="pasted-text">{n_events}</span> événements' in _html(root, "chapters/sonde.html")

    # no-op rebuild: nothing executed
    noop = compendium(root, "build", "html")
    assert _executed(noop) == set()

    # edit a table the probe does not read: its readers run again, the probe does not
    count_page = root / "_build/html/chapters/sonde-comptage.html"
    count_page_mtime = count_page.stat().st_mtime_ns
    set_cell(root / "data/secondary/indicators.csv", 2, "value", "424242")
    edit = compendium(root, "build", "html")
    readers = {rel for rel in _notebook_reads(root) if "data/secondary/indicators.csv" in _notebook_reads(root)[rel]}
    assert _executed(edit) == readers and PROBE not in readers
    assert {"chapters/annexes/donnees.ipynb", PROBE_COUNT} <= readers
    # early cutoff: the counting probe ran again, but its outputs did not change (a value was
    # edited, not the number of rows), so Sphinx neither re-read nor rewrote its page; the
    # data annex, which shows the table's digest, was re-read
    pages = _pages_read(root)
    assert "chapters/annexes/donnees.ipynb" in pages and PROBE_COUNT not in pages
    assert count_page.stat().st_mtime_ns == count_page_mtime
    assert staleness(root, root / PROBE_COUNT) is None  # its new input digests were stored

    # edit the table the probe reads: figure data and glued number change
    before = _figure_data(_html(root, "chapters/sonde.html"), "sonde-evenements")
    rows = read_rows(root / "data/secondary/events.csv")
    new = list(rows[1])
    new[0] = re.sub(r"e\d{3}$", "e999", new[0])
    with open(root / "data/secondary/events.csv", "a", encoding="utf-8") as fh:
        fh.write(",".join(f'"{c}"' for c in new) + "\n")
    second = compendium(root, "build", "html")
    assert PROBE in _executed(second)
    page = _html(root, "chapters/sonde.html")
    assert f'<span class="pasted-text">{n_events + 1}</span> événements' in page
    assert _figure_data(page, "sonde-evenements") != before

    # the page templates are kept compiled between builds (_build/.jinja-cache), and an edited
    # template is compiled again: its new text reaches the pages
    assert any((root / "_build/.jinja-cache").iterdir())
    template = root / "_templates/article-header-buttons-light.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n<!-- gabarit modifié -->\n", encoding="utf-8")
    compendium(root, "build", "html")
    assert "<!-- gabarit modifié -->" in _html(root, "chapters/sonde.html")

    # after clean, a further edit still shows up (outputs carry their own input digests)
    compendium(root, "clean")
    set_cell(root / "data/secondary/events.csv", len(rows) + 1, "case", "general")
    third = compendium(root, "build", "html")
    assert PROBE in _executed(third)
    assert "general" in json.dumps(_figure_data(_html(root, "chapters/sonde.html"), "sonde-evenements"))


def _notebook_reads(root: Path) -> dict[str, set[str]]:
    out = {}
    for path in notebooks(root):
        nb = nbformat.read(path, as_version=4)
        out[path.relative_to(root).as_posix()] = set(nb.metadata.get("compendium", {}).get("inputs", {}).get("data", {}))
    return out


def test_bad_data_stops_the_build_with_one_line(tmp_path):
    root = copy_project(tmp_path)
    set_cell(root / "data/secondary/actors.csv", 3, "kind", "Entreprise")
    proc = compendium(root, "build", "html", check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR")]
    assert errors[0].startswith("ERREUR data/secondary/actors.csv, ligne 3, colonne « kind » : valeur « Entreprise » inconnue")


def test_notebook_error_names_notebook_and_cell(tmp_path):
    """Also under ``build html``, which starts Jupyter Book before the notebooks run: it is
    stopped, no page is written and no process is left waiting."""
    import subprocess

    root = copy_project(tmp_path)
    _probe_notebook(root)
    nb = nbformat.read(root / PROBE, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, root / PROBE)
    for command in (["execute"], ["build", "html"]):
        proc = compendium(root, *command, check=False)
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        assert f"ERREUR {PROBE}, cellule 3 : ZeroDivisionError: division by zero" in proc.stderr
    assert not list((root / "_build").rglob("*.html"))
    left = subprocess.run(["pgrep", "-f", f"jupyter-book build {root}"], capture_output=True, text=True)
    assert left.stdout == "", "un processus Jupyter Book est resté en attente"


def test_broken_package_names_notebook_and_cell(tmp_path):
    """A syntax error in the package (the kernels import it when they start) still gives one
    line naming the first notebook and cell that need it, and no traceback."""
    import os
    import subprocess
    import sys

    root = copy_project(tmp_path)
    with open(root / "src/compendium/prose.py", "a", encoding="utf-8") as fh:
        fh.write("\ndef broken(:\n")
    env = dict(os.environ, PYTHONPATH=str(root / "src"), COMPENDIUM_JOBS="1")
    proc = subprocess.run([sys.executable, "-m", "compendium", "--root", str(root), "execute"],
                          capture_output=True, text=True, cwd=root, env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR")]
    assert len(errors) == 1 and re.fullmatch(
        r"ERREUR chapters/\S+\.ipynb, cellule \d+ : SyntaxError: invalid syntax \(prose\.py, line \d+\)", errors[0]), errors


def test_missing_citation_stops_every_build_with_one_line(tmp_path):
    """A writer's mistakes in a chapter (a citation key, a label, a glued value, a role), each
    on one French line naming the file, the line and what to do, by either command."""
    root = copy_project(tmp_path)
    lines = len((root / "intro.md").read_text(encoding="utf-8").splitlines())
    with open(root / "intro.md", "a", encoding="utf-8") as fh:
        fh.write("\nVoir {cite:t}`Inconnu2020Cle`.\n\nVoir la section {ref}`section-absente`.\n\n"
                 "Le corpus compte {glue:text}`n_documents_inconnus` documents, cités {cyte:p}`Moore1993Predators`.\n")
    expected = [
        f"ERREUR intro.md, ligne {lines + 2} : la référence « Inconnu2020Cle » n'est pas dans references.bib : "
        "vérifiez la clé (majuscules comprises) ou ajoutez la référence (./run add-references export.bib)",
        f"ERREUR intro.md, ligne {lines + 4} : le renvoi vers « section-absente » ne mène à aucune étiquette : "
        "il manque la ligne « (section-absente)= » au-dessus du titre visé, ou le nom diffère",
        f"ERREUR intro.md, ligne {lines + 6} : aucune valeur nommée « n_documents_inconnus » n'est collée (glue)",
        f"ERREUR intro.md, ligne {lines + 6} : rôle « cyte:p » inconnu : faute de frappe ?",
    ]
    for _ in range(2):  # the second build must fail too (no stale success)
        proc = compendium(root, "build", "html", check=False)
        assert proc.returncode != 0
        errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR") and "ligne" in line]
        assert len(errors) == len(expected), proc.stderr
        for want in expected:
            assert any(line.startswith(want) for line in errors), f"{want}\n---\n{proc.stderr}"
        assert "Traceback" not in proc.stderr and "WARNING" not in proc.stderr
    exe = Path(sys.executable).parent / "jupyter-book"  # the standard command says it in French too
    proc = subprocess.run([str(exe), "build", str(root), "-W", "-n", "--keep-going"], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "la référence « Inconnu2020Cle » n'est pas dans references.bib" in proc.stdout + proc.stderr


def test_fresh_stamp_follows_every_source(tmp_path):
    """The stamp that lets a plain ``jupyter-book build`` skip validation and the staleness check
    holds only while no chapter, table, package file or configuration changed."""
    from compendium.book.build import is_marked_fresh, mark_fresh

    root = copy_project(tmp_path)
    assert not is_marked_fresh(root)
    mark_fresh(root)
    assert is_marked_fresh(root)
    for rel in ("data/secondary/events.csv", "chapters/cadre/01-jumeaux-numeriques.md", "src/compendium/prose.py",
                "_config.yml", "references.bib", "_static/compendium.css", "_templates/article-header-buttons-light.html"):
        path = root / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert not is_marked_fresh(root), rel
        path.write_bytes(original)
        assert is_marked_fresh(root), rel
    # a table opened in LibreOffice or Excel (their lock files beside it) is not an edit
    for lock in ("data/secondary/.~lock.events.csv#", "data/secondary/~$events.csv"):
        (root / lock).write_text(",Anne-Sophie Le Guérec,portable,07.12.2026 09:14,file:///home/asl/;",
                                 encoding="utf-8")
        assert is_marked_fresh(root), lock


def test_search_index_uses_the_c_stemmer_with_the_same_stems():
    """Sphinx stems every word of the book for its search index through snowballstemmer, which
    uses PyStemmer (C) when it is installed: a missing install would silently cost seconds on each
    build. The C stemmer must give the pure-Python stems, word for word."""
    import snowballstemmer
    from snowballstemmer.french_stemmer import FrenchStemmer

    from sphinx.search.fr import SearchFrench

    stemmer = snowballstemmer.stemmer("french")
    assert type(stemmer).__module__ == "Stemmer", "PyStemmer absent : l'index de recherche est calculé en Python pur"
    words = ["écosystèmes", "territoriaux", "numériques", "jumeaux", "plateformes", "gouvernance",
             "coopérations", "intermédiarité", "métropole", "données", "interopérabilité", "acteurs"]
    pure = FrenchStemmer()
    assert [stemmer.stemWord(w) for w in words] == [pure.stemWord(w) for w in words]
    search = SearchFrench({})
    assert type(search.stemmer).__module__ == "Stemmer"


def test_warmed_pool_runs_the_next_build_without_starting_a_kernel(tmp_path):
    """``./run serve`` warms its kernels after each rebuild: the next save finds them started,
    with the package's modules imported, and the build starts none of its own."""
    from compendium.book.build import KernelPool, execute_stale

    root = copy_project(tmp_path)
    _count_probe(root)
    pool = KernelPool(root, 2)
    try:
        pool.warm(wait=True)
        report = execute_stale(root, pool=pool, log=lambda line: None)
        assert report.executed == {PROBE_COUNT: "jamais exécuté"}
        assert report.kernel_seconds == []  # both kernels were already started
        pool.warm(wait=True)  # kernels alive: nothing to start, and it returns
        set_cell(root / "data/secondary/indicators.csv", 2, "value", "424242")
        report = execute_stale(root, pool=pool, log=lambda line: None)
        assert PROBE_COUNT in report.executed and report.kernel_seconds == []
    finally:
        pool.close()


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_until_idle(proc, limit: float = 120) -> None:
    """Until the process stops using the processor (blocked on its pipe), or ends."""
    import time

    deadline = time.monotonic() + limit
    last = -1
    while time.monotonic() < deadline and proc.poll() is None:
        ticks = _cpu_ticks(proc.pid)
        if ticks == last:
            return
        last = ticks
        time.sleep(1.0)


def test_held_sphinx_reads_the_pages_only_once_released(tmp_path):
    """``./run html`` starts Jupyter Book before executing the stale notebooks: Sphinx imports
    its extensions, then waits. Nothing is read or written until it is released, so it reads
    what the notebooks wrote meanwhile."""
    from compendium.book.build import JupyterBook

    root = copy_project(tmp_path)
    book = JupyterBook(root, "html", held=True)
    _wait_until_idle(book.proc)
    assert book.proc.poll() is None, "Jupyter Book n'a pas attendu le signal"
    assert not list((root / "_build").rglob("*.html")) and not (root / "_build/.doctrees/environment.pickle").exists()
    page = root / "chapters/methode/revue.ipynb"
    nb = nbformat.read(page, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Phrase écrite pendant que Sphinx attend."))
    nbformat.write(nb, page)
    assert book.finish() == 0
    assert "Phrase écrite pendant que Sphinx attend." in _html(root, "chapters/methode/revue.html")


def test_link_targets_keep_their_ampersand():
    """MyST-Parser 3 stores a Markdown link's URL HTML-escaped; the book's transform gives the
    ``&`` back, so that the HTML writer escapes it once and the PDF prints it as it is."""
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    from compendium.book.sphinx_ext import unescape_link_targets

    url = "https://www.ressources.plante-et-cite.fr/List_Record_extra.htm?idlist=23&record=19155775124919739579"
    doctree = publish_doctree(f"[Plante & Cité]({url})\n\n| source |\n|---|\n| [ANR]({url}&x=1) |\n",
                              parser=Parser(), settings_overrides={"report_level": 5})
    assert unescape_link_targets(doctree) == 2  # what the library alone would leave escaped
    assert [n["refuri"] for n in doctree.findall(lambda n: n.tagname == "reference")] == [url, url + "&x=1"]


def test_sphinx_reads_every_page_again_when_the_book_extension_changes(tmp_path):
    """Sphinx re-reads only pages whose source changed, so a new transform in the book's
    extension would reach no page already read; its ``env_version`` follows the extension's
    source, and Sphinx sets aside an environment saved under another version."""
    import importlib.util
    import shutil
    import sys

    def version_of(folder: Path) -> int:
        spec = importlib.util.spec_from_file_location("sphinx_ext_copy", folder / "sphinx_ext.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        try:
            spec.loader.exec_module(module)
            return module.env_version()
        finally:
            del sys.modules[spec.name]

    book, cases = tmp_path / "book", tmp_path / "cases"  # the package's layout
    book.mkdir(), cases.mkdir()
    for name in ("sphinx_ext.py", "titlepage.py"):
        shutil.copy(ROOT / "src/compendium/book" / name, book / name)
    shutil.copy(ROOT / "src/compendium/cases/evidence_ids.py", cases / "evidence_ids.py")
    before = version_of(book)
    assert isinstance(before, int) and before == version_of(book)
    with open(book / "sphinx_ext.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a changed transform\n")
    changed = version_of(book)
    assert changed != before
    with open(cases / "evidence_ids.py", "a", encoding="utf-8") as fh:  # the ids the pages are read for
        fh.write("\n# a changed id pattern\n")
    assert version_of(book) not in (before, changed)


def test_headings_written_by_a_cell_become_sections_of_the_page():
    """A heading in a cell's Markdown output was a rubric, absent from the page's menu and the
    PDF's contents (P1-P8 of the discussion, the grid's dimensions, the data annex's tables). It
    becomes a section one level below the cell's, holding what follows it; the cell's other
    outputs and the text after the cell stay in order, and the heading's anchor still leads to it."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from compendium.book.sphinx_ext import lift_output_headings

    document = new_document("page", get_default_settings(Parser))

    def markdown_output(*children):
        bundle = nodes.container(nb_element="mime_bundle")
        bundle += nodes.container("", *children, mime_type="text/markdown")
        bundle += nodes.container("", nodes.literal_block("", "<IPython.core.display.Markdown object>"),
                                  mime_type="text/plain")
        return bundle

    def rubric(text, level):
        node = nodes.rubric(text, text, level=level, ids=[text.lower().replace(" ", "-")])
        document.ids[node["ids"][0]] = node
        return node

    page = nodes.section(ids=["page"])
    page += nodes.title("Page", "Page")
    chapter = nodes.section(ids=["chapitre"])
    chapter += nodes.title("Chapitre", "Chapitre")
    chapter += nodes.paragraph("", "Avant la cellule.")
    cell = nodes.container(classes=["cell", "tag_remove-input"])
    output = nodes.container(classes=["cell_output"])
    output += markdown_output(nodes.paragraph("", "Introduction."))
    output += markdown_output(rubric("P1", 3), nodes.paragraph("", "Statut de P1."), rubric("Détail", 4))
    figure = nodes.container(nb_element="mime_bundle")
    figure += nodes.container("", nodes.raw("", "<div>figure</div>", format="html"), mime_type="text/html")
    output += figure
    output += markdown_output(rubric("P2", 3), nodes.paragraph("", "Statut de P2."))
    cell += output
    chapter += cell
    chapter += nodes.paragraph("", "Après la cellule.")
    later = nodes.section(ids=["suite"])
    later += nodes.title("Suite", "Suite")
    chapter += later
    page += chapter
    document += page

    assert lift_output_headings(document) == 3
    assert [type(n).__name__ for n in chapter.children] == ["title", "paragraph", "container", "section", "section", "section"]
    p1, p2 = chapter.children[3:5]
    assert [p1[0].astext(), p2[0].astext(), chapter.children[5][0].astext()] == ["P1", "P2", "Suite"]
    assert document.ids["p1"] is p1 and p1["ids"] == ["p1"]
    # each section keeps the cell's containers; a heading of the next level becomes its subsection,
    # which holds what followed that heading
    assert p1[1]["classes"] == ["cell", "tag_remove-input"] and p1[1][0]["classes"] == ["cell_output"]
    assert [n.astext() for n in p1.findall(nodes.paragraph)] == ["Statut de P1."]
    assert not list(document.findall(nodes.rubric))
    detail = p1.children[-1]
    assert isinstance(detail, nodes.section) and detail[0].astext() == "Détail" and "figure" in detail.astext()
    assert [n.astext() for n in p2.findall(nodes.paragraph)] == ["Statut de P2.", "Après la cellule."]
    # what came before the first heading stays in the cell
    assert [n.astext() for n in chapter.children[2].findall(nodes.paragraph)] == ["Introduction."]
    assert chapter.children[2][0][0].get("nb_element") == "mime_bundle"
    assert lift_output_headings(document) == 0  # nothing left to lift


def test_identifiers_in_print_tables_may_break_after_underscores():
    """LaTeX tables: «coop_interdependance_risque» in code type and «search_log.query_id» in text
    ran off the page; they keep their text and gain a break point after each underscore."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    from compendium.book.sphinx_ext import _breakable_identifiers

    doctree = publish_doctree("| code | clé |\n|---|---|\n| Risques (`coop_interdependance_risque`) | search_log.query_id |\n",
                              parser=Parser(), settings_overrides={"report_level": 5})
    table = next(doctree.findall(nodes.table))

    def text() -> str:
        return "".join(str(t) for t in table.findall(nodes.Text) if not isinstance(t.parent, nodes.raw))

    before = text()
    _breakable_identifiers(table)
    assert text() == before
    breaks = [n for n in table.findall(nodes.raw) if n.astext() == r"\allowbreak{}"]
    assert len(breaks) == 4
    assert [n.astext() for n in table.findall(nodes.literal)] == ["coop_", "interdependance_", "risque"]


def test_a_chapter_left_out_of_the_toc_is_named(tmp_path):
    """With ``only_build_toc_files``, Jupyter Book drops a chapter _toc.yml does not list without a
    word; the build names it, with the line to add."""
    from compendium.book.build import chapters_outside_toc, toc_remarks

    root = tmp_path
    (root / "chapters/cadre").mkdir(parents=True)
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\nparts:\n  - caption: Cadre\n    chapters:\n"
                                   "      - file: chapters/cadre/01-jumeaux\n      - file: chapters/cadre/02-carnet.ipynb\n",
                                   encoding="utf-8")
    for name in ("01-jumeaux.md", "02-carnet.ipynb", "06-nouveau chapitre.md", "notes.txt"):
        (root / "chapters/cadre" / name).write_text("# x\n", encoding="utf-8")
    (root / "chapters/cadre/.ipynb_checkpoints").mkdir()
    (root / "chapters/cadre/.ipynb_checkpoints/01-jumeaux-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    assert chapters_outside_toc(root) == ["chapters/cadre/06-nouveau chapitre.md"]
    assert toc_remarks(root) == [
        "REMARQUE chapters/cadre/06-nouveau chapitre.md n'est pas dans _toc.yml : ce chapitre n'apparaît pas dans "
        "le livre (pour l'y mettre, ajoutez la ligne « - file: chapters/cadre/06-nouveau chapitre » à _toc.yml)"]
    assert chapters_outside_toc(ROOT) == []  # every chapter of the book is in its table of contents


def test_outputs_cleared_outside_the_build_are_computed_again(tmp_path):
    """«Clear All Outputs» in JupyterLab, then save: the code, the package and the data are
    unchanged, but the page would lose its numbers. The build sees the outputs are not the ones
    it wrote and runs the notebook again, and the glued text is back; an output edited outside
    the build is not the build's either."""
    root = copy_project(tmp_path)
    rel = "chapters/cadre/05-cadre-analyse.ipynb"
    path = root / rel
    nb = nbformat.read(path, as_version=4)
    assert staleness(root, path, nb) is None
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)
    assert staleness(root, path).startswith("sorties effacées ou recalculées hors de la construction")
    proc = compendium(root, "build", "html")
    assert f"exécution de {rel} (sorties effacées" in proc.stdout
    page = (root / "_build/html/chapters/cadre/05-cadre-analyse.html").read_text(encoding="utf-8")
    assert "dont les sept racines correspondent aux dimensions du cadre" in page
    assert staleness(root, path) is None
    nb = nbformat.read(path, as_version=4)  # an output changed by hand (or by another kernel)
    out = next(o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "text/markdown" in o.get("data", {}))
    out["data"]["text/markdown"] += "\n\nAjout."
    nbformat.write(nb, path)
    assert staleness(root, path).startswith("sorties effacées ou recalculées")


def test_a_page_follows_the_register_when_an_entry_comes_or_goes(tmp_path):
    """A chapter that names an evidence id links to its entry as soon as a table holds the
    element, and stops linking when the row is removed, though the chapter itself did not
    change (Sphinx would not write it again on its own)."""
    root = copy_project(tmp_path)
    (root / "chapters/sonde-preuve.md").write_text(
        "# Sonde\n\nUn événement à venir (rennes-e990) et un autre déjà décrit (rennes-e025).\n", encoding="utf-8")
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    (root / "_toc.yml").write_text(toc.replace("    chapters:\n", "    chapters:\n      - file: chapters/sonde-preuve\n", 1),
                                   encoding="utf-8")
    link = 'href="annexes/preuves.html#preuve-rennes-e990"'
    proc = compendium(root, "build", "html")
    # the build goes on, and says that the id is not in the tables (yet)
    assert "REMARQUE chapters/sonde-preuve.md, ligne 3 : « rennes-e990 » n'est l'identifiant d'aucun élément" \
        in proc.stdout + proc.stderr
    page = _html(root, "chapters/sonde-preuve.html")
    assert 'href="annexes/preuves.html#preuve-rennes-e025"' in page and link not in page and "rennes-e990" in page

    events = root / "data/secondary/events.csv"
    rows = read_rows(events)
    new = list(rows[1])
    new[rows[0].index("id")] = "rennes-e990"
    new[rows[0].index("title")] = "Événement ajouté pour l'essai"
    write_rows(events, rows + [new])
    compendium(root, "build", "html")
    assert "chapters/sonde-preuve.ipynb" not in _pages_read(root)  # not read again: written again
    assert link in _html(root, "chapters/sonde-preuve.html")
    assert 'id="preuve-rennes-e990"' in _html(root, "chapters/annexes/preuves.html")

    write_rows(events, rows)
    compendium(root, "build", "html")
    page = _html(root, "chapters/sonde-preuve.html")
    assert link not in page and "rennes-e990" in page

    # each entry says where it is cited, and follows a chapter that stops naming it
    def cited_in(element_id: str) -> str:
        register = _html(root, "chapters/annexes/preuves.html")
        entry = register[register.index(f'<p id="preuve-{element_id}">'):]
        return entry[:entry.index("</p>")]

    assert re.search(r'Cité dans[\u00a0\u202f]: <a class="reference internal" href="\.\./sonde-preuve\.html"[^>]*>Sonde</a>, ',
                     cited_in("rennes-e025"))  # the book's order: the probe page comes first
    (root / "chapters/sonde-preuve.md").write_text("# Sonde\n\nPlus aucun identifiant.\n", encoding="utf-8")
    compendium(root, "build", "html")
    assert "chapters/annexes/preuves.ipynb" not in _pages_read(root)  # written again, not read again
    assert "sonde-preuve.html" not in cited_in("rennes-e025") and "Cité dans" in cited_in("rennes-e025")


def _left_imported(setup: str, modules: tuple[str, ...]) -> str:
    """Which of ``modules`` a fresh interpreter has imported after running ``setup``."""
    code = (f"import sys\n{setup}\n"
            f"print(','.join(sorted(m for m in {modules!r} if m in sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


def test_the_book_extension_imports_nothing_heavy():
    """Every ``jupyter-book build`` loads the book's extension, even with nothing to rebuild: it
    imported pandas, networkx and plotly through the register of evidence (0.9 s of a 3.2 s
    no-op). Set up with a stand-in Sphinx, it must leave them unimported."""
    heavy = _left_imported("from unittest.mock import MagicMock\nimport compendium.book.sphinx_ext as ext\n"
                           "ext.setup(MagicMock())\next.env_version()",
                           ("pandas", "plotly.graph_objects", "networkx", "compendium.cases.evidence"))
    assert heavy == "", f"importés par l'extension : {heavy}"


def test_the_gate_imports_nothing_heavy():
    """The gate is worth its place only if it decides before anything heavy is imported."""
    heavy = _left_imported("from types import SimpleNamespace\nimport compendium.book.gate as gate\n"
                           f"gate.setup(SimpleNamespace(srcdir={str(ROOT)!r}))",
                           ("pandas", "nbformat", "myst_nb", "sphinx", "jupyter_cache", "plotly"))
    assert heavy == "", f"importés par la barrière : {heavy}"


def test_the_gate_comes_first_and_no_jupyter_book_default_is_lost():
    """``_config.yml`` lists the extensions in full (so that the gate runs before MyST-NB is
    imported): every default of the installed Jupyter Book must still be there."""
    from jupyter_book.config import get_default_sphinx_config, get_final_config

    config, _ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config={"latex_individualpages": False},
                                 sourcedir=ROOT, use_external_toc=True)
    extensions = config["extensions"]
    assert extensions[0] == "compendium.book.gate"
    missing = [e for e in get_default_sphinx_config()["extensions"] if e not in extensions]
    assert missing == [], f"extensions par défaut de Jupyter Book absentes de _config.yml : {missing}"
    for own in ("compendium.book.sphinx_ext", "compendium.book.titlepage", "sphinxcontrib.bibtex", "sphinx-mathjax-offline"):
        assert own in extensions


def _gate_app(root: Path):
    from types import SimpleNamespace

    return SimpleNamespace(srcdir=str(root))


def _built_book(root: Path) -> str:
    from compendium.book.stamps import mark_built, mark_fresh

    (root / "_build/html").mkdir(parents=True)
    (root / "_build/html/index.html").write_text("<html></html>", encoding="utf-8")
    (root / "chapters").mkdir()
    (root / "intro.md").write_text("# Intro\n", encoding="utf-8")
    digest = mark_fresh(root)
    mark_built(root, "html", digest)
    return digest


def _build_sphinx(app, **call):
    """Stands for ``jupyter_book.sphinx.build_sphinx``: the gate reads its arguments."""
    from compendium.book import gate

    frame_globals = {"__name__": "jupyter_book.sphinx", "gate": gate, "app": app}
    code = "def build_sphinx(builder, outputdir, freshenv=False, force_all=False, filenames=None):\n    gate.setup(app)\n"
    exec(code, frame_globals)
    return frame_globals["build_sphinx"](**call)


def test_the_gate_stops_only_a_plain_build_of_an_unchanged_book(tmp_path, monkeypatch, capsys):
    from compendium.book import gate
    from compendium.book.stamps import FRESH_ENV, MARKS_BUILT, is_built

    monkeypatch.delenv(FRESH_ENV, raising=False)
    root = tmp_path
    _built_book(root)
    html = str(root / "_build" / "html")

    with pytest.raises(SystemExit) as stop:
        _build_sphinx(_gate_app(root), builder="html", outputdir=html)
    assert stop.value.code == 0
    assert "rien n'a changé depuis la dernière construction" in capsys.readouterr().out

    # not started by Jupyter Book, another builder or folder, --all, or run by ./run html: it builds
    gate.setup(_gate_app(root))
    _build_sphinx(_gate_app(root), builder="latex", outputdir=str(root / "_build" / "latex"))
    assert is_built(root, "html")  # another output: the HTML book's record is untouched
    monkeypatch.setenv(FRESH_ENV, "1")
    _build_sphinx(_gate_app(root), builder="html", outputdir=html)
    monkeypatch.delenv(FRESH_ENV)
    app = _gate_app(root)
    _build_sphinx(app, builder="html", outputdir=html, freshenv=True)
    assert getattr(app, MARKS_BUILT) is True and not is_built(root, "html")  # cleared until it succeeds

    # a source changed since the recorded build: it builds
    _built_book(tmp_path / "b")
    (tmp_path / "b" / "intro.md").write_text("# Intro modifiée\n", encoding="utf-8")
    app = _gate_app(tmp_path / "b")
    _build_sphinx(app, builder="html", outputdir=str(tmp_path / "b" / "_build" / "html"))
    assert getattr(app, MARKS_BUILT) is True
    assert "rien n'a changé" not in capsys.readouterr().out


def test_a_plain_build_is_recorded_only_when_clean(tmp_path):
    from types import SimpleNamespace

    from compendium.book.sphinx_ext import _mark_built
    from compendium.book.stamps import MARKS_BUILT, is_built

    digest = _built_book(tmp_path)
    (tmp_path / "_build/.html-inputs.sha256").unlink()

    def app(**kw):
        return SimpleNamespace(**{"srcdir": str(tmp_path), "statuscode": 0, "_warncount": 0,
                                  "_compendium_digest": digest, MARKS_BUILT: True, **kw})

    _mark_built(app(_warncount=1), None)
    assert not is_built(tmp_path, "html")  # a warning: the next build runs Sphinx again
    _mark_built(app(), RuntimeError("échec"))
    assert not is_built(tmp_path, "html")
    _mark_built(SimpleNamespace(srcdir=str(tmp_path), statuscode=0, _warncount=0, _compendium_digest=digest), None)
    assert not is_built(tmp_path, "html")  # not a jupyter-book build into _build/html
    _mark_built(app(), None)
    assert is_built(tmp_path, "html")


def test_an_extension_added_where_jupyter_book_says_is_named_not_lost(tmp_path):
    """Jupyter Book's documentation says to add an extension under ``sphinx.extra_extensions``;
    the book's full list under ``sphinx.config.extensions`` would silently replace it."""
    from compendium.book.stamps import config_problems

    assert config_problems(ROOT) == []
    root = copy_project(tmp_path)
    config = root / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "sphinx:\n  config:\n", "sphinx:\n  extra_extensions:\n    - sphinx_proof\n  config:\n", 1), encoding="utf-8")
    proc = compendium(root, "validate", check=False)
    assert proc.returncode == 1
    assert ("ERREUR _config.yml, clé « sphinx.extra_extensions » : ignorée par Jupyter Book, car "
            "« sphinx.config.extensions » donne la liste complète des extensions : ajoutez-y « sphinx_proof »") \
        in proc.stdout + proc.stderr
    assert "1 problème dans _config.yml : corrigez-le puis relancez." in proc.stderr
    # with a bad table too, both places are named, once each
    (root / "data/secondary/indicators.csv").write_bytes(
        (root / "data/secondary/indicators.csv").read_bytes().replace(b"\n", b"\nligne;cassee\n", 1))
    proc = compendium(root, "validate", check=False)
    summary = [line for line in proc.stderr.splitlines() if "corrigez-les" in line]
    assert len(summary) == 1 and summary[0].split(" dans ")[1].startswith("data/ et _config.yml :"), proc.stderr
