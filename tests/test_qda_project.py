"""A real-sized QDA project into the book: its own codebook, any document and coder names,
atomic imports, a readable report (issue 13). The project is generated at test time by
scripts/make_qualcoder_like.py, shaped as QualCoder's REFI-QDA exporter writes one."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import time
from pathlib import Path

import pytest

from compendium import data
from conftest import ROOT, compendium, copy_project, qualcoder_reexport

spec = importlib.util.spec_from_file_location("make_qualcoder_like", ROOT / "scripts" / "make_qualcoder_like.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

PROJECT = "terrain-fictif-jumeaux-2026"
KINDS = ["COL", "ENT", "PME", "DON", "REC", "ASS"]


def _map_two_documents(root, project: str) -> None:
    """Fill the drafted document mapping of ``project`` (its two documents → RNS-COL-01, -02) and
    declare those two interviews, as the researcher would."""
    docs = root / f"private/qda/{project}/documents.csv"
    names = [r["document"] for r in csv.DictReader(docs.open(encoding="utf-8"))]
    docs.write_text("document,entretien\n" + "".join(f"{n},RNS-COL-0{i + 1}\n" for i, n in enumerate(names)),
                    encoding="utf-8")
    with (root / "data/interviews/interviews.csv").open("a", encoding="utf-8") as fh:
        fh.write("RNS-COL-01,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n"
                 "RNS-COL-02,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n")


def write_code_map(path: Path, rows: list[dict]) -> None:
    """Play the researcher: write back a project's codes.csv after editing its «code_livre»."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["guid", "chemin", "code_livre"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def drafted_small_project(tmp_path: Path):
    """A small QualCoder-like project «Petit» imported once into a copy of data/, which drafts its
    mapping tables: the book's root, the project, its codes.csv and that table's rows."""
    root = small_root(tmp_path)
    qdpx = gen.make_qualcoder_like(tmp_path / "p.qdpx", documents=2, codes=6, categories=2, depth=2, codings=20,
                                   name="Petit")
    compendium(root, "import-coding", str(qdpx), check=False)
    codes_csv = root / "private/qda/petit/codes.csv"
    return root, qdpx, codes_csv, list(csv.DictReader(codes_csv.open(encoding="utf-8")))


def small_root(tmp_path: Path) -> Path:
    """A copy of data/ and the package sources only (enough for imports, fast)."""
    import shutil

    root = tmp_path / "book"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    return root


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "data").rglob("*")) if p.is_file()}


def fill_documents(root: Path, project: str = PROJECT) -> list[str]:
    """Play the researcher: give each drafted document an interview code."""
    path = root / "private" / "qda" / project / "documents.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for n, row in enumerate(rows):
        row["entretien"] = f"{'RNS' if n < 15 else 'TER'}-{KINDS[n % 6]}-{n // 6 + 1:02d}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["document", "entretien"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return [r["entretien"] for r in rows]


def declare_interviews(root: Path, project: str = PROJECT) -> None:
    """Complete the drafted interviews.csv rows and append them."""
    draft = root / "private" / "qda" / project / "entretiens-a-completer.csv"
    rows = list(csv.DictReader(draft.open(encoding="utf-8")))
    with (root / "data/interviews/interviews.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for r in rows:
            writer.writerow([r["id"], r["case"], r["actor_kind"], "technique", "2026-11", "visio", 60, "fr",
                             "complet", "code"])


def test_generated_project_has_the_issue_shape(tmp_path):
    from compendium.fieldwork.qda import read_qdpx

    path = gen.make_qualcoder_like(tmp_path / "p.qdpx")
    project = read_qdpx(path)
    codes = project.codes
    categories = codes[~codes["is_codable"]]
    assert (len(project.sources), len(codes) - len(categories), len(categories), len(project.selections)) == \
        (30, 230, 55, 753)
    parents = dict(zip(codes["guid"], codes["parent_guid"]))

    def depth(guid):
        d = 0
        while isinstance(parents.get(guid), str):
            guid, d = parents[guid], d + 1
        return d

    assert max(depth(g) for g in categories["guid"]) == 4  # five levels of categories
    assert set(project.users.values()) == {"Camille Durand-Lefèvre", "Dominique Le Gall-Ségur"}
    assert any(" " in n and any(c in n for c in "éÉè") for n in project.sources["name"])
    assert project.skipped == []
    # shaped as the standard says: the generated project.qde validates against REFI-QDA Project.xsd
    import zipfile

    from compendium.fieldwork.qda_export import validate_xml

    with zipfile.ZipFile(path) as zf:
        assert validate_xml(zf.read("project.qde")) == []
    with zipfile.ZipFile(gen.make_maxqda_empty(tmp_path / "m.qdpx")) as zf:
        assert validate_xml(zf.read("project.qde")) == []


def test_qualcoder_like_project_imports_with_its_own_codebook_atomically(tmp_path):
    root = small_root(tmp_path)
    qdpx = gen.make_qualcoder_like(tmp_path / "Terrain fictif.qdpx")
    before = digests(root)

    # 1st run: nothing matches yet; every document listed at once, mappings drafted under private/
    proc = compendium(root, "import-coding", str(qdpx), check=False)
    assert proc.returncode == 1
    assert "30 documents codés sans entretien" in proc.stderr
    assert proc.stderr.count("«") >= 30 and "Entretien élue mobilité (1)" in proc.stderr
    assert "rien n'a été écrit dans data/" in proc.stderr
    assert digests(root) == before
    coders = (root / "private/qda/codeurs.csv").read_text(encoding="utf-8")
    assert "Camille Durand-Lefèvre,codeur-01" in coders

    # 2nd run: documents mapped, interviews missing: all listed, rows drafted
    fill_documents(root)
    proc = compendium(root, "import-coding", str(qdpx), "--brouillon-entretiens", check=False)
    assert proc.returncode == 1 and "30 entretiens absents" in proc.stderr
    assert digests(root) == before
    declare_interviews(root)

    # 3rd run: imported, fast, valid
    start = time.perf_counter()
    proc = compendium(root, "import-coding", str(qdpx))
    elapsed = time.perf_counter() - start
    print(f"import du projet de 753 codages : {elapsed:.2f} s (processus complet)")
    assert elapsed < 10
    assert f"projet « {PROJECT} » lu : 30 sources, 230 codes, 55 catégories, 753 codages, 2 codeurs" in proc.stdout
    assert "importé : 753 segments pour 30 entretiens ; 285 codes créés (origine « inductif », dont 55 catégories" \
        in proc.stdout
    assert data.validate_package(root) == []
    segments = data.load_table("interview_segments", root)
    codebook = data.load_table("codebook", root)
    assert len(segments) == 753 and set(segments["coder"]) == {"codeur-01", "codeur-02"}
    assert set(segments["project"]) == {PROJECT}
    mine = codebook[codebook["project"] == PROJECT]
    assert len(mine) == 285 and all(o == ["inductif"] for o in mine["origin"])
    assert mine["definition"].isna().any()  # codes without memo: « à définir »
    assert mine["parent"].notna().sum() == 285 - mine["parent"].isna().sum()
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "data").rglob("*.csv"))
    assert "Camille" not in text and "Durand-Lefèvre" not in text and "Le Gall-Ségur" not in text and "Entretien élue" not in text

    # re-import replaces, does not duplicate; another project's segments are kept
    other = gen.make_qualcoder_like(tmp_path / "autre.qdpx", seed=99, documents=2, codes=5, categories=2, depth=2,
                                    codings=12, name="Deuxième codage",
                                    coders=["Camille Durand-Lefèvre", "c.martin@exemple.org"])
    proc = compendium(root, "import-coding", str(other), check=False)
    assert proc.returncode == 1  # its two documents have to be mapped first
    path = root / "private/qda/deuxieme-codage/documents.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    path.write_text("document,entretien\n" + "".join(f"{r['document']},RNS-COL-0{n + 1}\n" for n, r in enumerate(rows)),
                    encoding="utf-8")
    compendium(root, "import-coding", str(other))
    compendium(root, "import-coding", str(qdpx))
    segments = data.load_table("interview_segments", root)
    assert segments.groupby("project").size().to_dict() == {PROJECT: 753, "deuxieme-codage": 12}
    # the same coder name gets the same id in both projects (reliability pairs them); an e-mail-like
    # coder name gets an id too, and never reaches data/
    assert set(segments.loc[segments["project"] == "deuxieme-codage", "coder"]) == {"codeur-01", "codeur-03"}
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "data").rglob("*.csv"))
    assert "exemple.org" not in text


def test_mapping_onto_the_grid_and_bad_mapping_named_by_line_and_column(tmp_path):
    root, qdpx, codes_csv, rows = drafted_small_project(tmp_path)
    rows[0]["code_livre"] = "acteurs_roles"  # the top category onto a root of the grid
    rows[2]["code_livre"] = "pas_un_code"
    write_code_map(codes_csv, rows)
    _map_two_documents(root, "petit")
    before = digests(root)
    proc = compendium(root, "import-coding", str(qdpx), check=False)
    assert proc.returncode == 1
    assert "codes.csv : ligne 4, colonne code_livre : « pas_un_code » n'est pas un code de la grille" in proc.stderr
    assert digests(root) == before
    rows[2]["code_livre"] = ""
    write_code_map(codes_csv, rows)
    proc = compendium(root, "import-coding", str(qdpx))
    assert "1 code rattaché à la grille" in proc.stdout
    codebook = data.load_table("codebook", root)
    mine = codebook[codebook["project"] == "petit"]
    assert "acteurs_roles" not in set(mine["id"])
    assert (mine["parent"] == "acteurs_roles").any()  # children of the mapped category hang under the grid code

    # --seulement-rattaches: only codes under a mapped code, the others reported by code
    proc = compendium(root, "import-coding", str(qdpx), "--seulement-rattaches", check=False)
    if proc.returncode == 0:
        assert "non rattaché à la grille (--seulement-rattaches)" in proc.stdout


def test_empty_maxqda_like_project_is_an_error_with_its_reason(tmp_path):
    from compendium.fieldwork.qda import read_qdpx

    root = small_root(tmp_path)
    path = gen.make_maxqda_empty(tmp_path / "maxqda.qdpx")
    project = read_qdpx(path)
    assert len(project.codes) == 307
    assert any("section <Sets> (2 éléments : ensembles, par ex. de MAXQDA) non importée" in s for s in project.skipped)
    before = digests(root)
    (root / "private/qda/projet-maxqda-fictif").mkdir(parents=True)
    (root / "private/qda/projet-maxqda-fictif/documents.csv").write_text("document,entretien\nDocument 1,RNS-COL-01\n",
                                                                         encoding="utf-8")
    proc = compendium(root, "import-coding", str(path), check=False)
    assert proc.returncode == 1
    assert "0 segment importé, le projet ne contient aucun passage codé (307 codes" in proc.stderr
    assert "ÉCARTÉ" in proc.stderr and "ensembles, par ex. de MAXQDA) non importée" in proc.stderr
    assert digests(root) == before


def test_taguette_skipped_rows_are_named_by_line_and_highlight_id(tmp_path):
    root = small_root(tmp_path)
    hl = tmp_path / "highlights.csv"
    hl.write_text("id,document,tag,content\n"
                  "17,RNS-COL-01 entretien,mobilité douce,Un passage\n"
                  "18,RNS-COL-01 entretien,,Sans étiquette\n"
                  "19,RNS-COL-01 entretien,Acteurs et rôles,Un autre\n", encoding="utf-8")
    with (root / "data/interviews/interviews.csv").open("a", encoding="utf-8") as fh:
        fh.write("RNS-COL-01,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n")
    proc = compendium(root, "import-coding", str(hl), "--projet", "taguette-test")
    assert "ÉCARTÉ highlights.csv : ligne 3 ignorée, surlignage «18» sans étiquette" in proc.stdout
    # the naming rule: a document whose name holds an interview code is that interview
    segments = data.load_table("interview_segments", root)
    assert list(segments["interview_id"]) == ["RNS-COL-01", "RNS-COL-01"]
    codebook = data.load_table("codebook", root)
    # « Acteurs et rôles » is proposed as the grid code of the same label
    assert "acteurs_roles" in set(segments["code_id"])
    assert set(codebook.loc[codebook["project"] == "taguette-test", "label"]) == {"mobilité douce"}


def test_import_codebook_alone_from_a_qdc(tmp_path):
    from compendium.fieldwork.qda import CODEBOOK_NS

    root = small_root(tmp_path)
    qdc = tmp_path / "grille équipe.qdc"
    qdc.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{CODEBOOK_NS}" origin="QualCoder">'
                   '<Codes><Code guid="11111111-2222-4333-8444-555555555555" name="Mobilité douce" isCodable="false">'
                   '<Description>Déplacements à pied ou à vélo.</Description>'
                   '<Code guid="11111111-2222-4333-8444-555555555556" name="Vélo partagé" isCodable="true"/>'
                   '</Code></Codes></CodeBook>', encoding="utf-8")
    proc = compendium(root, "import-codebook", str(qdc))
    assert "importé : 2 codes créés (origine « inductif », dont 1 catégorie ; 1 sans définition" in proc.stdout
    codebook = data.load_table("codebook", root)
    mine = codebook[codebook["project"] == "grille-equipe"].set_index("id")
    assert mine.loc["velo_partage", "parent"] == "mobilite_douce"
    assert mine.loc["mobilite_douce", "definition"] == "Déplacements à pied ou à vélo."
    compendium(root, "import-codebook", str(qdc))  # re-import: replaced, not duplicated
    assert (data.load_table("codebook", root)["project"] == "grille-equipe").sum() == 2


def test_invalid_would_be_tables_write_nothing(tmp_path):
    from compendium.fieldwork.qda_import import ImportFailed, _validate_then_write

    root = small_root(tmp_path)
    before = digests(root)
    target = root / "data/interviews/segments.csv"
    bad = target.read_text(encoding="utf-8") + "x y,RNS-COL-99,pas_un_code,Camille Durand,,,aucune,,,p\n"
    with pytest.raises(ImportFailed) as exc:
        _validate_then_write(root, {target: bad})
    assert all(p.startswith("validation refusée, rien n'a été écrit") for p in exc.value.problems)
    assert len(exc.value.problems) >= 3  # every problem at once (id, coder, keys)
    assert digests(root) == before


def test_case_chapter_shows_the_imported_interviews(tmp_path, monkeypatch):
    """End to end on a temp copy: the imported project feeds the case chapter's interview section."""
    root = small_root(tmp_path)
    qdpx = gen.make_qualcoder_like(tmp_path / "p.qdpx")
    compendium(root, "import-coding", str(qdpx), "--brouillon-entretiens", check=False)
    fill_documents(root)
    compendium(root, "import-coding", str(qdpx), "--brouillon-entretiens", check=False)
    declare_interviews(root)
    compendium(root, "import-coding", str(qdpx))
    shown, tables = [], []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: None)
    monkeypatch.setattr("compendium.fieldwork.interviews.show",
                        lambda fig, name, tables=None, static=None: shown.append(name))
    monkeypatch.setattr("compendium.fieldwork.interviews.show_table", lambda frame, align=None: tables.append(frame))
    from compendium.fieldwork.interviews import show_interviews

    monkeypatch.setenv("COMPENDIUM_ROOT", str(root))
    assert show_interviews("rennes", "Rennes") == 15
    assert show_interviews("territoire", "Territoire") == 15
    assert "rennes-entretiens-codes" in shown and "territoire-entretiens-cooccurrence" in shown
    assert [len(t) for t in tables] == [15, 15]  # the list of coded interviews of each case


def test_other_tools_sections_reported_once_per_kind_with_their_count(tmp_path, capsys):
    """Item 9: MAXQDA <Sets>, ATLAS.ti memos (<Notes>, and passage comments) and NVivo <Cases> of a
    coded project: the import goes on, and its report names each kind once, with its count."""
    from compendium.cli import main

    root = small_root(tmp_path)
    xml, files, _ = gen.build_project(seed=5, documents=2, codes=4, categories=1, depth=1, codings=40,
                                      name="Sections autres logiciels")
    cases = "".join(f'<Case guid="{{C0000000-0000-4000-8000-00000000000{i}}}" name="cas {i}"/>' for i in range(4))
    notes = "".join(f'<Note guid="{{D0000000-0000-4000-8000-00000000000{i}}}" name="mémo {i}"/>' for i in range(3))
    sets = "".join(f'<Set guid="{{E0000000-0000-4000-8000-00000000000{i}}}" name="ensemble {i}"/>' for i in range(2))
    xml = xml.replace("<Sources>", f"<Cases>{cases}</Cases>\n<Sources>", 1)
    xml = xml.replace("</Sources>", f"</Sources>\n<Notes>{notes}</Notes>\n<Sets>{sets}</Sets>", 1)
    qdpx = gen.write_qdpx(tmp_path / "sections.qdpx", xml, files)
    main(["--root", str(root), "import-coding", str(qdpx)])  # drafts the mappings
    capsys.readouterr()
    _map_two_documents(root, "sections-autres-logiciels")
    assert main(["--root", str(root), "import-coding", str(qdpx)]) == 0
    out = capsys.readouterr().out
    skipped = [line for line in out.splitlines() if line.startswith("ÉCARTÉ")]
    expected = ["section <Cases> (4 éléments : cas, par ex. de NVivo) non importée",
                "section <Notes> (3 éléments : notes et mémos, par ex. d'ATLAS.ti) non importée",
                "section <Sets> (2 éléments : ensembles, par ex. de MAXQDA) non importée"]
    for text in expected:
        assert sum(text in line for line in skipped) == 1, (text, skipped)
    comments = [line for line in skipped if "1 commentaire de passage" in line]
    assert len(comments) == 1 and " non importé : il peut nommer des personnes" in comments[0]
    assert len(skipped) == 4
    assert "importé : 40 segments pour 2 entretiens" in out


def test_a_fresh_qualcoder_export_keeps_the_hand_made_mapping(tmp_path):
    """QualCoder gives every code a new random GUID at each export: the table of
    private/qda/<projet>/codes.csv doubled at each export, and the researcher's «code_livre»
    was lost (the code came in again as inductive). A row is now found by its path."""
    root, qdpx, codes_csv, rows = drafted_small_project(tmp_path)
    rows[0]["code_livre"] = "acteurs_roles"
    write_code_map(codes_csv, rows)
    _map_two_documents(root, "petit")
    first_run = compendium(root, "import-coding", str(qdpx))
    first = data.load_table("codebook", root)
    mapped = next(line for line in first_run.stdout.splitlines() if line.startswith("importé"))
    mapped = mapped.split("), ", 1)[1].split(" ; ")[0]  # « N codes rattachés à la grille »

    again = tmp_path / "p (2).qdpx"
    renewed = qualcoder_reexport(qdpx, again)
    proc = compendium(root, "import-coding", str(again))
    after = list(csv.DictReader(codes_csv.open(encoding="utf-8")))
    assert len(after) == len(rows)  # not doubled
    assert after[0]["code_livre"] == "acteurs_roles" and after[0]["guid"] == renewed[rows[0]["guid"]]
    assert "REMARQUE" in proc.stdout and "codes retrouvés par leur chemin" in proc.stdout, proc.stdout
    assert mapped in proc.stdout and "0 élément écarté" in proc.stdout, (proc.stdout, rows, after)
    second = data.load_table("codebook", root)
    assert sorted(second["id"]) == sorted(first["id"])  # the same codes, none added again as inductive


def test_a_protected_name_in_a_code_memo_stops_the_import_before_anything_is_written(tmp_path):
    """A QualCoder memo «Passages où Marie-Hélène de La Tour raconte le lancement.» became a
    code's definition in data/coding/codebook.csv; only the leak check found it afterwards."""
    import re
    import zipfile

    root = small_root(tmp_path)
    (root / "private").mkdir()
    (root / "private/pseudonymes.csv").write_text(
        "nom,code,type\r\nMarie-Hélène de La Tour,RNS-COL-01,personne\r\n", encoding="utf-8")
    qdpx = gen.make_qualcoder_like(tmp_path / "p.qdpx", documents=2, codes=6, categories=2, depth=2, codings=20,
                                   name="Petit")
    with zipfile.ZipFile(qdpx) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    xml = entries["project.qde"].decode("utf-8")
    memo = "<Description>Passages où Marie-Hélène de La Tour raconte le lancement.</Description>"
    xml, n = re.subn(r"(<Code [^>]*isCodable=\"true\"[^>/]*>)", r"\1" + memo, xml, count=1)  # not a self-closed one
    assert n == 1
    entries["project.qde"] = xml.encode("utf-8")
    with zipfile.ZipFile(qdpx, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    before = digests(root)
    proc = compendium(root, "import-codebook", str(qdpx), check=False)
    assert proc.returncode == 1, proc.stdout
    assert "data/coding/codebook.csv, ligne" in proc.stderr and "nom protégé « Marie-Hélène de La Tour »" in proc.stderr
    assert digests(root) == before


def test_a_coded_document_that_is_no_interview_can_be_left_out(tmp_path):
    """Field notes coded in the project could not be left out: an empty «entretien» is an error,
    and «-» gave «code d'entretien mal formé» without a line number."""
    root = small_root(tmp_path)
    qdpx = gen.make_qualcoder_like(tmp_path / "p.qdpx", documents=2, codes=6, categories=2, depth=2, codings=20,
                                   name="Petit")
    compendium(root, "import-coding", str(qdpx), check=False)
    docs = root / "private/qda/petit/documents.csv"
    names = [r["document"] for r in csv.DictReader(docs.open(encoding="utf-8"))]
    docs.write_text(f"document,entretien\n{names[0]},RNS-COL-01\n{names[1]},RNS-COL-1\n", encoding="utf-8")
    with (root / "data/interviews/interviews.csv").open("a", encoding="utf-8") as fh:
        fh.write("RNS-COL-01,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n")
    proc = compendium(root, "import-coding", str(qdpx), check=False)
    assert proc.returncode == 1
    assert "documents.csv : ligne 3, colonne entretien : code d'entretien mal formé" in proc.stderr, proc.stderr
    assert "RNS-COL-1" in proc.stderr and "« hors »" in proc.stderr
    docs.write_text(f"document,entretien\n{names[0]},RNS-COL-01\n{names[1]},hors\n", encoding="utf-8")
    proc = compendium(root, "import-coding", str(qdpx))
    assert "marqué « hors » (pas un entretien)" in proc.stdout and "non importé" in proc.stdout, proc.stdout
    segments = data.load_table("interview_segments", root)
    assert set(segments["interview_id"]) == {"RNS-COL-01"}
