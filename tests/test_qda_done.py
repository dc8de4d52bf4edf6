"""Issue 13, « done when », from a clean copy of the repository: a generated project of the issue's
size (30 documents, 230 codes in 55 categories nested 5 deep, 753 codings), with its own codebook,
arbitrary document names and a coder named « Prénom Nom-Composé », goes into a valid data/ with
the documented commands (chapters/annexes/mode-d-emploi.md, « Déposer des entretiens codés »); the
case chapters' interview analyses show it; the exported .qdpx validates against the vendored
Project.xsd and comes back to identical tables."""

from __future__ import annotations

import csv
import time
import zipfile

from types import SimpleNamespace

from compendium import data
from compendium.cli import main
from conftest import copy_project
from test_qda_project import PROJECT, declare_interviews, fill_documents, gen


def test_issue_done_when_from_a_clean_copy(tmp_path, monkeypatch, capsys):
    def compendium(root, *args, check=True):
        """The documented command, run in this process (``python -m compendium`` calls the same main)."""
        code = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        assert code == 0 or not check, err
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    root = copy_project(tmp_path)  # sources, data and notebooks; no private/, no _build/
    assert not (root / "private").exists()
    qdpx = gen.make_qualcoder_like(tmp_path / "Terrain fictif.qdpx")
    assert "Camille Durand-Lefèvre" in gen.CODERS  # a first name, a space, a compound last name

    # step 4 of the guide: the first pass drafts the mappings, the researcher fills them in
    proc = compendium(root, "import-coding", str(qdpx), check=False)
    assert proc.returncode == 1 and "30 documents codés sans entretien" in proc.stderr
    fill_documents(root)
    proc = compendium(root, "import-coding", str(qdpx), "--brouillon-entretiens", check=False)
    assert proc.returncode == 1 and "30 entretiens absents" in proc.stderr
    declare_interviews(root)
    start = time.perf_counter()
    proc = compendium(root, "import-coding", str(qdpx))
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nimport-coding, projet de 753 codages : {elapsed:.2f} s (dans le processus)")
    assert "importé : 753 segments pour 30 entretiens ; 285 codes créés" in proc.stdout
    assert "data/ valide" in compendium(root, "validate").stdout
    segments_csv = root / "data/interviews/segments.csv"
    imported = segments_csv.read_bytes()
    codebook = data.load_table("codebook", root)
    assert (codebook["project"] == PROJECT).sum() == 285
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "data").rglob("*.csv"))
    assert "Durand-Lefèvre" not in text and "Le Gall" not in text and "Entretien élue" not in text

    # the case chapters' interview section (the cell of chapters/cas/*.ipynb) shows the import
    import compendium.fieldwork.interviews as interviews

    listed, frames = [], []
    monkeypatch.setenv("COMPENDIUM_ROOT", str(root))
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: None)
    monkeypatch.setattr(interviews, "show", lambda fig, name, tables=None, static=None: None)
    # (a wide matrix is drawn twice, for the web and for print: the frame is kept once)
    monkeypatch.setattr(interviews, "heatmap",
                        lambda frame, title, label, for_print=False: None if for_print else frames.append(frame))
    monkeypatch.setattr(interviews, "show_table", lambda frame, align=None: listed.append(frame))
    assert interviews.show_interviews("rennes", "Rennes") == 15
    assert interviews.show_interviews("territoire", "Territoire") == 15
    assert [len(t) for t in listed] == [15, 15]
    segments = data.load_table("interview_segments", root)
    labels = codebook.set_index("id")["label"]
    assert set(frames[0].index) == {labels[c] for c in segments.loc[segments["interview_id"].str[:3] == "RNS",
                                                                    "code_id"]}

    # export for review, with the pseudonymised transcripts the project was coded on
    pseudo = root / "private/pseudo"
    pseudo.mkdir(parents=True)
    docs = {r["document"]: r["entretien"]
            for r in csv.DictReader((root / f"private/qda/{PROJECT}/documents.csv").open(encoding="utf-8"))}
    for source in gen.build_project()[2]:
        (pseudo / f"{docs[source['name']]}.txt").write_text(source["text"], encoding="utf-8")
    target = root / "private/codage-entretiens.qdpx"
    proc = compendium(root, "export-qdpx", str(target), "--transcriptions", str(pseudo))
    assert "valide selon Project.xsd" in proc.stdout and "753 segments d’entretien" in proc.stdout
    from compendium.fieldwork.qda_export import validate_xml

    with zipfile.ZipFile(target) as zf:
        assert validate_xml(zf.read("project.qde")) == []
    documentary = (root / "data/coding/documentary_segments.csv").read_bytes()
    proc = compendium(root, "import-qdpx-retour", str(target))
    assert "753 segments d’entretien" in proc.stdout
    assert segments_csv.read_bytes() == imported  # identical segments, byte for byte
    assert (root / "data/coding/documentary_segments.csv").read_bytes() == documentary
