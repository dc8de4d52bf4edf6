"""Privacy: nothing personal is tracked by git, transcripts are pseudonymised with a report,
and the leak gate finds planted names, e-mails and phone numbers anywhere in data/ or the
built book — and finds none once the pipeline has run."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.data import is_lock_file
from compendium.fieldwork.privacy import (LOCK_FILE_LEAK, PrivacyError, Term, family_names, leak_scan, pseudonymise,
                                          read_deny_list, read_key, require_private)
from conftest import ROOT, compendium, copy_project

FIXTURES = ROOT / "tests/fixtures/confidentiel-test"
KEY = FIXTURES / "pseudonymes.csv"
DENY = FIXTURES / "liste-a-masquer.txt"
PLANTED = ["Zéphirin", "Quilliec", "Kervarec", "Brumaire", "Locminé", "z.quilliec@", "06 12 34 56 78"]


def test_private_material_is_never_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [p for p in tracked if p.startswith("private/")]
    media = (".docx", ".doc", ".m4a", ".mp3", ".wav", ".ogg", ".mp4", ".odt")
    assert not [p for p in tracked if p.lower().endswith(media)]
    ignored = subprocess.run(["git", "check-ignore", "-q", "private/entretien.txt"], cwd=ROOT)
    assert ignored.returncode == 0, "private/ doit être ignoré par git"
    # the lock files LibreOffice and Microsoft Office leave beside an open table name the person
    for lock in ("data/secondary/.~lock.actors.csv#", "data/secondary/~$actors.csv"):
        ignored = subprocess.run(["git", "check-ignore", "-q", lock], cwd=ROOT)
        assert ignored.returncode == 0, f"{lock} doit être ignoré par git"
    assert not [p for p in tracked if is_lock_file(p)]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def test_lock_file_is_a_leak_once_git_tracks_it(tmp_path):
    """LibreOffice's lock file, as it writes it (``,name,host,date,config URL;``): beside a table
    open in the spreadsheet it is no leak; tracked by git, or outside a checkout, it is one."""
    root = tmp_path
    (root / "data/secondary").mkdir(parents=True)
    (root / "data/secondary/actors.csv").write_text("id,name\nx,y\n", encoding="utf-8")
    lock = root / "data/secondary/.~lock.actors.csv#"
    lock.write_text(",Anne-Sophie Le Guérec,portable-asl,07.12.2026 09:14,"
                    "file:///home/asl/.config/libreoffice/4;", encoding="utf-8")
    owner = root / "data/secondary/~$actors.csv"
    owner.write_bytes(b"\x0cAnne-Sophie" + b" " * 40)
    labels = ["data/secondary/.~lock.actors.csv#", "data/secondary/~$actors.csv"]
    outside = [str(l) for l in leak_scan(root, [])]
    assert outside == [f"{label}, ligne 1 : {LOCK_FILE_LEAK}" for label in labels]
    _git(root, "init", "-q")
    _git(root, "add", "data/secondary/actors.csv")
    assert leak_scan(root, []) == []  # open in the spreadsheet, not in git
    _git(root, "add", "-f", "data/secondary/.~lock.actors.csv#")
    assert [str(l) for l in leak_scan(root, [])] == [f"{labels[0]}, ligne 1 : {LOCK_FILE_LEAK}"]


def test_pseudonymise_replaces_every_planted_term():
    text = (FIXTURES / "transcription-brute.txt").read_text(encoding="utf-8")
    result = pseudonymise(text, read_key(KEY), read_deny_list(DENY), suggest=False)
    folded = result.text.lower()
    for planted in ["zéphirin", "zephirin", "quilliec", "kervarec", "brumaire", "locminé", "@", "06 12"]:
        assert planted not in folded, planted
    assert "RNS-COL-01" in result.text and "[ENTREPRISE-A]" in result.text and "[LIEU-A]" in result.text
    assert result.replacements["Quilliec → RNS-COL-01"] == 1  # « M. Quilliec », the family name alone
    assert result.replacements["[COURRIEL]"] == 1 and result.replacements["[TÉLÉPHONE]"] == 1


def test_ner_suggests_names_missing_from_the_key():
    pytest.importorskip("spacy")
    text = "Nous avons rencontré Marcel Pagnol à la mairie de Quimper avec Zéphirin Quilliec."
    result = pseudonymise(text, read_key(KEY))
    if not result.ner_available:
        pytest.skip("modèle fr_core_news_sm absent")
    assert any(s.startswith("Marcel Pagnol") for s in result.suggestions)
    assert not any("Quilliec" in s for s in result.suggestions)
    assert "Marcel Pagnol" in result.report("x")


@pytest.mark.parametrize("content,message", [
    ("nom,code\nA,B\n", "colonnes attendues : nom,code,type"),
    ("nom,code,type\n,RNS-COL-01,personne\n", "ligne 2 : « nom » et « code » sont obligatoires"),
    ("nom,code,type\nJeanne Test,X,inconnu\n", "ligne 2, colonne « type » : « inconnu » inconnu"),
])
def test_bad_key_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "cle.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PrivacyError, match=message):
        read_key(path)


def test_every_problem_of_the_key_is_reported_at_once(tmp_path):
    """Three bad rows gave three runs, one line each; and a key saved by French Excel (« ; »)
    is named as such."""
    path = tmp_path / "cle.csv"
    path.write_text("nom,code,type\nJeanne Test,P1,personne\nMarc Test,P2,Personne\nAnne Test,P3,\n"
                    "Rennes,L1,ville\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as error:
        read_key(path)
    lines = str(error.value).splitlines()
    assert [line.split(" : ")[0] for line in lines] == [f"{path}, ligne {n}, colonne « type »" for n in (3, 4, 5)]
    path.write_bytes("\ufeffnom;code;type\nJeanne Test;P1;personne\n".encode("utf-8"))
    with pytest.raises(PrivacyError, match="séparateur « ; » .CSV d'Excel en français."):
        read_key(path)


@pytest.mark.parametrize("name,forms", [
    ("Jeanne Martin", ["Martin"]),
    ("Sophie Le Gall", ["Le Gall", "Gall"]),
    ("Jean de La Fontaine", ["de La Fontaine", "La Fontaine", "Fontaine"]),
    ("Anna van der Berg", ["van der Berg", "Berg"]),
    ("Nadia Ben Salah", ["Ben Salah", "Salah"]),
    ("Pierre d'Ornano", ["d'Ornano", "Ornano"]),
    ("Marie-Claire Dubois-Lefèvre", ["Dubois-Lefèvre"]),
    ("Cher", []),
])
def test_family_names_keep_their_particles(name, forms):
    assert family_names(name) == forms


def test_a_family_name_with_a_particle_is_replaced_whole(tmp_path):
    """« Madame Le Gall » became « Madame Le P1 »: only « Gall » was taken for the family name."""
    path = tmp_path / "cle.csv"
    path.write_text("nom,code,type\nSophie Le Gall,P1,personne\nJean de La Fontaine,P2,personne\n", encoding="utf-8")
    text = ("Madame Le Gall a vu Sophie Le Gall. M. de La Fontaine et La Fontaine, puis Gall seul. "
            "Le gallo est une langue.")
    result = pseudonymise(text, read_key(path), suggest=False).text
    assert result == "Madame P1 a vu P1. M. P2 et P2, puis P1 seul. Le gallo est une langue."


def test_transcripts_are_only_written_under_private(tmp_path):
    (tmp_path / "private").mkdir()
    require_private(tmp_path / "private/a/b.txt", tmp_path)
    with pytest.raises(PrivacyError, match="ne s'écrit que sous private/"):
        require_private(tmp_path / "data/b.txt", tmp_path)


def test_leak_gate_reports_file_and_line(tmp_path):
    root = tmp_path
    (root / "data").mkdir()
    (root / "data/notes.csv").write_text("a,b\nx,rencontre avec O. Kervarec\ny,écrire à x@y.fr\n", encoding="utf-8")
    leaks = [str(l) for l in leak_scan(root, read_key(KEY))]
    assert "data/notes.csv, ligne 2 : nom protégé « Kervarec »" in leaks
    assert "data/notes.csv, ligne 3 : adresse électronique « x@y.fr »" in leaks


def test_a_full_name_is_one_leak_not_two(tmp_path):
    """«Marc Dubois» was reported twice on its line, as the full name and as «Dubois»; the family
    name alone, elsewhere on the line or on another, is still reported."""
    key = tmp_path / "cle.csv"
    key.write_text("nom,code,type\nMarc Dubois,P1,personne\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/notes.csv").write_text("a\nvu Marc Dubois\nvu Dubois\nMarc Dubois puis M. Dubois\n",
                                             encoding="utf-8")
    leaks = [str(l) for l in leak_scan(tmp_path, read_key(key))]
    assert leaks == ["data/notes.csv, ligne 2 : nom protégé « Marc Dubois »",
                     "data/notes.csv, ligne 3 : nom protégé « Dubois »",
                     "data/notes.csv, ligne 4 : nom protégé « Marc Dubois »",
                     "data/notes.csv, ligne 4 : nom protégé « Dubois »"], leaks


def _pdf_with_links(path: Path, text: str, urls: list[str]) -> None:
    """A one-page PDF holding ``text`` and one link annotation per address, as a browser's print
    of a page with links writes them (``/Annots``, ``/S /URI``)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    annots = " ".join(f"{6 + i} 0 R" for i in range(len(urls)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               f"/Resources << /Font << /F1 5 0 R >> >> /Annots [{annots}] >>".encode(),
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [f"<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /URI /URI ({u}) >> >>".encode()
                for u in urls]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_leak_gate_reads_the_links_of_a_pdf_and_every_published_output(tmp_path):
    """A relative link printed to PDF becomes the build machine's path (the deck's PDF held 24):
    not in the text ``pdftotext`` reads, only in the link. The check reads both, in every
    document the workflow publishes."""
    (tmp_path / "_build/slides/revealjs").mkdir(parents=True)
    _pdf_with_links(tmp_path / "_build/slides.pdf", "Registre", [
        "https://exemple.github.io/livre/chapters/annexes/preuves.html#preuve-rennes-013",
        "file:///srv/construction/_build/html/chapters/annexes/preuves.html#preuve-rennes-013"])
    _pdf_with_links(tmp_path / "_build/synthese.pdf", "Contact : x@y.fr", [])
    (tmp_path / "_build/slides/index.html").write_text('<a href="file:///C:/livre/index.html">x</a>\n', encoding="utf-8")
    (tmp_path / "_build/slides/revealjs/reveal.js").write_text("// file:///tiers\n", encoding="utf-8")
    leaks = sorted(str(l) for l in leak_scan(tmp_path, []))
    assert leaks == [
        "_build/slides.pdf, lien de la page 1 : chemin de fichier local "
        "« file:///srv/construction/_build/html/chapters/annexes/preuves.html#preuve-rennes-013 »",
        "_build/slides/index.html, ligne 1 : chemin de fichier local « file:///C:/livre/index.html »",
        "_build/synthese.pdf, ligne 1 : adresse électronique « x@y.fr »",
    ]


def test_real_repository_has_no_leak():
    """data/ and (if built) the book: no planted test name, no e-mail, no phone number."""
    terms = read_key(KEY) + read_deny_list(DENY)
    leaks = leak_scan(ROOT, terms, ["data", "chapters", "intro.md"])
    assert not leaks, "\n".join(str(l) for l in leaks)


@pytest.mark.build
def test_whole_pipeline_leaves_no_planted_name(tmp_path):
    """Raw transcript with planted names → pseudonymise → coded segments in data/ → HTML and PDF
    build → leak gate: zero hits. Then a raw name slipped into data/ is caught."""
    root = copy_project(tmp_path)
    (root / "private/brut").mkdir(parents=True)
    raw = root / "private/brut/entretien-1.txt"
    raw.write_text((FIXTURES / "transcription-brute.txt").read_text(encoding="utf-8"), encoding="utf-8")
    compendium(root, "pseudonymise", str(raw), str(root / "private/pseudo/RNS-COL-01.txt"), "--key", str(KEY),
               "--deny", str(DENY))
    pseudo = (root / "private/pseudo/RNS-COL-01.txt").read_text(encoding="utf-8")
    report = (root / "private/pseudo/RNS-COL-01.rapport.md").read_text(encoding="utf-8")
    assert "Quilliec → RNS-COL-01" in report
    # code two passages of the pseudonymised transcript, with an approved short quote
    passage = "C'est la collectivité qui fixe les règles"
    start = pseudo.index(passage)
    with open(root / "data/interviews/interviews.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["RNS-COL-01", "rennes", "COL", "chef_de_projet", "2026-11", "visio", "55", "fr", "complet", "code"])
    with open(root / "data/interviews/segments.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["s1", "RNS-COL-01", "gouv_regles_acces", "codeur-1", start, start + len(passage),
                         "caracteres", pseudo[start:start + 120].split("\n")[0], "", ""])
        writer.writerow(["s2", "RNS-COL-01", "act_complementeur", "codeur-1", "", "", "aucune", "", "", ""])
    compendium(root, "build", "html")
    compendium(root, "build", "pdf")
    proc = compendium(root, "leak-check", "--key", str(KEY), "--deny", str(DENY), check=False)
    assert proc.returncode == 0, proc.stderr
    html = "\n".join(p.read_text(encoding="utf-8") for p in (root / "_build/html").rglob("*.html"))
    assert "RNS-COL-01" in html  # the interview did reach the book (case chapter, COREQ)
    # negative control: a raw name slipped into a quote is caught, with file and line
    rows = (root / "data/interviews/segments.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("collectivité", "collectivité (dixit Zéphirin Quilliec)")
    (root / "data/interviews/segments.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = compendium(root, "leak-check", "--key", str(KEY), check=False)
    assert proc.returncode == 1
    assert "FUITE data/interviews/segments.csv, ligne 2 : nom protégé « Zéphirin Quilliec »" in proc.stderr


def test_import_coding_into_the_interview_tables(tmp_path):
    """A REFI-QDA project exported by a QDA program lands in data/interviews/segments.csv,
    validated; a second import of the same project replaces, not duplicates."""
    from compendium import data
    from compendium.fieldwork.demo import synthetic_interviews, synthetic_segments, write_qdpx

    root = copy_project(tmp_path)
    codebook = data.load_table("codebook", root)
    interviews = synthetic_interviews(3).assign(id=["RNS-COL-01", "RNS-ENT-01", "TER-REC-01"],
                                                case=["rennes", "rennes", "territoire"], month="2026-11")
    segments = synthetic_segments(interviews, list(codebook.loc[codebook["parent"].notna(), "id"]), per_interview=4)
    write_qdpx(tmp_path / "export.qdpx", interviews, segments, codebook)
    proc = compendium(root, "import-coding", str(tmp_path / "export.qdpx"), check=False)
    assert proc.returncode == 1 and "RNS-COL-01" in proc.stderr  # interviews must be declared first
    with open(root / "data/interviews/interviews.csv", "a", encoding="utf-8", newline="") as fh:
        for row in interviews.itertuples(index=False):
            csv.writer(fh, lineterminator="\n").writerow(row)
    for _ in range(2):
        proc = compendium(root, "import-coding", str(tmp_path / "export.qdpx"))
        assert f"importé : {len(segments)} segments pour 3 entretiens" in proc.stdout
    assert data.validate_package(root) == []
    imported = data.load_table("interview_segments", root)
    assert len(imported) == len(segments)
    assert sorted(imported.groupby(["interview_id", "coder"]).size()) == sorted(
        segments.groupby(["interview_id", "coder"]).size())


def test_hexadecimal_digest_is_not_a_phone_number():
    """Notebook metadata hold SHA-256 digests: «…7e0819561628…» must not read as a phone number."""
    from compendium.fieldwork.privacy import PHONE_RE

    assert not PHONE_RE.search('"data_digest": "7e0819561628"')
    assert not PHONE_RE.search("a3f0612345678b")
    assert PHONE_RE.search("joignable au 06 12 34 56 78.")
    assert PHONE_RE.search("tél. : +33 6 12 34 56 78")


def test_isbn_is_not_a_phone_number():
    """An ISBN-13 printed «978-0521405997» (Cambridge University Press) holds ten digits after
    its prefix that look like a French number: it is not one."""
    from compendium.fieldwork.privacy import PHONE_RE

    assert not PHONE_RE.search("isbn = {978-0521405997},")
    assert not PHONE_RE.search("ISBN 978-0-521-40599-7")
    assert PHONE_RE.search("Standard : 05 21 40 59 97")


def test_staged_scan_reads_what_git_would_record(tmp_path):
    """The pre-commit check reads each staged file as staged: a name fixed on disk but still
    staged is a leak, a name typed on disk after staging a clean file is not; a file forced in
    under private/ and an office lock file are leaks whatever they hold."""
    from compendium.fieldwork.privacy import PRIVATE_STAGED, staged_leak_scan

    root = tmp_path
    _git(root, "init", "-q")
    (root / "chapters").mkdir()
    page = root / "chapters/notes.md"
    page.write_text("# Notes\n\nEntretien avec O. Kervarec, 06 12 34 56 78.\n", encoding="utf-8")
    _git(root, "add", "chapters/notes.md")
    page.write_text("# Notes\n\nEntretien avec RNS-COL-01.\n", encoding="utf-8")  # fixed, not staged
    leaks = [str(l) for l in staged_leak_scan(root, read_key(KEY))]
    assert leaks == ["chapters/notes.md, ligne 3 : nom protégé « Kervarec »",
                     "chapters/notes.md, ligne 3 : numéro de téléphone « 06 12 34 56 78 »"]
    _git(root, "add", "chapters/notes.md")
    assert staged_leak_scan(root, read_key(KEY)) == []
    page.write_text("# Notes\n\nO. Kervarec\n", encoding="utf-8")  # on disk only
    assert staged_leak_scan(root, read_key(KEY)) == []
    (root / "private").mkdir()
    (root / "private/pseudonymes.csv").write_text("nom,code,type\n", encoding="utf-8")
    (root / "data").mkdir()
    (root / "data/.~lock.actors.csv#").write_text(",Anne,portable,07.12.2026 09:14,file:///home/a/;", encoding="utf-8")
    _git(root, "add", "-f", "private/pseudonymes.csv", "data/.~lock.actors.csv#")
    assert sorted(str(l) for l in staged_leak_scan(root, [])) == [
        f"data/.~lock.actors.csv#, ligne 1 : {LOCK_FILE_LEAK}", f"private/pseudonymes.csv, ligne 1 : {PRIVATE_STAGED}"]
    # the tests' planted fakes are there to be found by the tests, not before a commit
    _git(root, "rm", "-q", "--cached", "private/pseudonymes.csv", "data/.~lock.actors.csv#")
    shutil.copytree(FIXTURES, root / "tests/fixtures/confidentiel-test")
    _git(root, "add", "tests")
    assert staged_leak_scan(root, read_key(KEY)) == []
    assert leak_scan(root, read_key(KEY), ["tests"])  # which the full scan does find


def test_pre_commit_hook_stops_a_commit_that_would_record_a_name(tmp_path):
    """The hook as ./run sets it up (core.hooksPath .githooks), in a repository of its own that
    shares this project's environment: the commit is refused, with the file and the line, and
    nothing is recorded; once the name is replaced by its code, the commit goes through."""
    project = tmp_path / "projet"
    project.mkdir()
    for name in ("run", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / ".githooks", project / ".githooks")
    (project / ".venv").symlink_to(ROOT / ".venv")  # same requirements: ./run installs nothing
    (project / "data").mkdir()
    (project / "data/datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    (project / "private").mkdir()
    shutil.copy(KEY, project / "private/pseudonymes.csv")
    (project / ".gitignore").write_text("private/\n.venv\n", encoding="utf-8")
    _git(project, "init", "-q")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    setup = subprocess.run(["./run", "leak-check"], cwd=project, capture_output=True, text=True, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "contrôle de fuites activé avant chaque commit" in setup.stdout
    hooks = subprocess.run(["git", "config", "--get", "core.hooksPath"], cwd=project, capture_output=True, text=True)
    assert hooks.stdout.strip() == ".githooks"
    (project / "chapters").mkdir()
    (project / "chapters/terrain.md").write_text("# Terrain\n\nRencontre avec Zéphirin Quilliec.\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    commit = subprocess.run(["git", "commit", "-q", "-m", "notes"], cwd=project, capture_output=True, text=True, env=env)
    assert commit.returncode != 0
    assert "FUITE chapters/terrain.md, ligne 3 : nom protégé « Zéphirin Quilliec »" in commit.stderr, commit.stderr
    assert "rien n'a été enregistré" in commit.stderr
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True)
    assert log.stdout == ""  # no commit
    (project / "chapters/terrain.md").write_text("# Terrain\n\nRencontre avec RNS-COL-01.\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    commit = subprocess.run(["git", "commit", "-q", "-m", "notes"], cwd=project, capture_output=True, text=True, env=env)
    assert commit.returncode == 0, commit.stderr


def test_a_family_name_alone_is_a_name_only_with_its_capitals(tmp_path):
    """«Marie-Hélène de La Tour» turned «à mon tour de parler» into «à mon RNS-COL-01 de
    parler», and «Anne Petit» «un petit dossier» into «un [P-RNS-03] dossier»."""
    path = tmp_path / "cle.csv"
    path.write_text("nom,code,type\r\nMarie-Hélène de La Tour,RNS-COL-01,personne\r\nAnne Petit,[P-RNS-03],personne\r\n",
                    encoding="utf-8")
    text = ("À mon tour de parler : un petit dossier, un tour de table, près de la tour des Horizons. "
            "Madame de La Tour a vu M. Petit ; PETIT est écrit en capitales, marie-hélène de la tour en minuscules.")
    result = pseudonymise(text, read_key(path), suggest=False).text
    assert result == ("À mon tour de parler : un petit dossier, un tour de table, près de la tour des Horizons. "
                      "Madame RNS-COL-01 a vu M. [P-RNS-03] ; [P-RNS-03] est écrit en capitales, RNS-COL-01 en minuscules.")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/notes.csv").write_text("a,b\nx,un petit tour\ny,rencontre avec Mme Petit\n", encoding="utf-8")
    assert [str(l) for l in leak_scan(tmp_path, read_key(path))] == ["data/notes.csv, ligne 3 : nom protégé « Petit »"]


def test_a_name_is_found_whatever_its_apostrophe(tmp_path):
    """LibreOffice writes «N’Diaye» in the key, Whisper «N'Diaye» in the transcript: the name
    went through to the pseudonymised text, and the leak check did not see it."""
    path = tmp_path / "cle.csv"
    path.write_text("nom,code,type\nJean-François N’Diaye,[P-RNS-01],personne\n", encoding="utf-8")
    text = "Monsieur N'Diaye propose ; Jean-François N'Diaye et Jean‑François N‘Diaye aussi."
    result = pseudonymise(text, read_key(path), suggest=False).text
    assert result == "Monsieur [P-RNS-01] propose ; [P-RNS-01] et [P-RNS-01] aussi."
    (tmp_path / "data").mkdir()
    (tmp_path / "data/notes.csv").write_text("a,b\n1,Propos de Jean-François N'Diaye rapportés\n", encoding="utf-8")
    assert [str(l) for l in leak_scan(tmp_path, read_key(path))] == [
        "data/notes.csv, ligne 2 : nom protégé « Jean-François N’Diaye »"]


def test_the_leak_check_reads_a_path_outside_the_project(tmp_path):
    """«leak-check /tmp/…/t.csv» ended in a traceback (ValueError: not in the subpath)."""
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "t.csv").write_text("a\nécrire à x@y.fr\n", encoding="utf-8")
    proc = compendium(ROOT, "leak-check", str(outside / "t.csv"), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"FUITE {outside / 't.csv'}, ligne 2 : adresse électronique « x@y.fr »" in proc.stderr


def test_a_transcript_saved_in_windows_1252_gets_one_clear_line(tmp_path):
    """A .txt saved by Word on Windows ended import-transcript with a UnicodeDecodeError."""
    root = tmp_path
    (root / "private/brut").mkdir(parents=True)
    key = root / "private/pseudonymes.csv"
    key.write_text("nom,code,type\nAnne Petit,[P1],personne\n", encoding="utf-8")
    source = root / "private/brut/entretien 02 (Word).txt"
    source.write_bytes("[00:00:05] Enquêtrice : Bonjour, première question.\n".encode("cp1252"))
    for command in (["import-transcript", str(source), str(root / "private/pseudo/RNS-COL-02.txt"), "--key", str(key)],
                    ["pseudonymise", str(source), str(root / "private/pseudo/RNS-COL-02b.txt"), "--key", str(key)]):
        proc = compendium(root, *command, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert "encodage invalide à l'octet" in proc.stderr and "Windows-1252" in proc.stderr
    assert not (root / "private/pseudo").exists() or not any((root / "private/pseudo").iterdir())
