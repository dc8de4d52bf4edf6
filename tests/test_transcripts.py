"""Transcripts from transcription tools into private/, pseudonymised (issue 13, item 8).

Test files are written at test time in each tool's shape: noScribe's WebVTT and HTML (read in
noScribe's source, ``noScribe/utils.py`` ``html_to_webvtt`` and ``main.py``), SRT, a Word
document built with python-docx, a hand-typed .txt. Names are the invented ones of the fixture."""

from __future__ import annotations

import pytest

from compendium.privacy import PrivacyError, read_deny_list, read_key
from compendium.transcripts import import_transcript, read_transcript
from conftest import ROOT, compendium

FIXTURES = ROOT / "tests/fixtures/confidentiel-test"
KEY = FIXTURES / "pseudonymes.csv"
DENY = FIXTURES / "liste-a-masquer.txt"
Q = "Pouvez-vous présenter votre rôle ?"
A = "Je coordonne le projet avec Ondine Kervarec et la Société Brumaire Numérique."

VTT = f"""WEBVTT Entretien test

NOTE
Transcrit avec noScribe (fichier fictif)

1
00:00:00.000 --> 00:00:04.500
<v S00>{Q}

2
00:01:05.250 --> 00:01:12.000
<v S01>{A}

"""
SRT = f"""1
00:00:00,000 --> 00:00:04,500
S00: {Q}

2
00:01:05,250 --> 00:01:12,000
S01: {A}

"""
HTML = f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<p>Entretien test</p><p>Transcrit avec noScribe (fichier fictif)</p>
<p><a name="ts_0_4500_S00" >S00: {Q}</a></p>
<p><a name="ts_65250_68000_S01" >S01: Je coordonne le projet</a><a name="ts_68000_72000_S01" > avec Ondine Kervarec et la Société Brumaire Numérique.</a></p>
</body></html>"""
TXT = f"""[00:00:00] S00 : {Q}
[00:01:05] S01 : Je coordonne le projet
avec Ondine Kervarec et la Société Brumaire Numérique.
"""


def write_docx(path):
    import docx

    document = docx.Document()
    for text in ("00:00:00 Speaker 1", Q, "00:01:05 Speaker 2", A):
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".vtt", ".srt", ".html", ".docx", ".txt"])
def test_each_format_goes_in_with_times_roles_and_pseudonyms(tmp_path, suffix):
    source = tmp_path / f"entretien{suffix}"
    if suffix == ".docx":
        write_docx(source)
    else:
        source.write_text({".vtt": VTT, ".srt": SRT, ".html": HTML, ".txt": TXT}[suffix], encoding="utf-8")
    turns = read_transcript(source)
    assert [t.start for t in turns] == [0.0, pytest.approx(65.25 if suffix in (".vtt", ".srt", ".html") else 65)]
    root = tmp_path / "book"
    target = root / "private/pseudo/RNS-COL-01.txt"
    labels = ("Speaker 1", "Speaker 2") if suffix == ".docx" else ("S00", "S01")
    roles = {labels[0]: "Enquêtrice", labels[1]: "Participant"}
    result, used, _ = import_transcript(source, target, root, read_key(KEY), read_deny_list(DENY), roles,
                                        suggest=False)
    text = target.read_text(encoding="utf-8")
    stamp = "[00:01:05] "
    assert text.splitlines()[0] == f"[00:00:00] Enquêtrice : {Q}"
    assert text.splitlines()[1] == (f"{stamp}Participant : Je coordonne le projet avec [PERSONNE-A] et la "
                                    "[ENTREPRISE-A].")
    assert "Kervarec" not in text and "Brumaire" not in text
    assert (root / "private/pseudo/RNS-COL-01.rapport.md").is_file()


def test_outside_private_and_named_speaker_leak_write_nothing(tmp_path):
    source = tmp_path / "e.txt"
    source.write_text("Enquêtrice : Bonjour.\nHortense Vidalenc : Hortense Vidalenc, je dirige le service.\n",
                      encoding="utf-8")
    root = tmp_path / "book"
    with pytest.raises(PrivacyError, match="ne s'écrit que sous private/"):
        import_transcript(source, root / "data/e.txt", root, read_key(KEY))
    target = root / "private/pseudo/e.txt"
    with pytest.raises(PrivacyError, match="nom protégé « Hortense Vidalenc »"):
        import_transcript(source, target, root, read_key(KEY), roles={"Hortense Vidalenc": "Participante"},
                          suggest=False)
    assert not target.exists()


def test_import_transcript_command(tmp_path):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / "data/datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    source = tmp_path / "e.vtt"
    source.write_text(VTT, encoding="utf-8")
    proc = compendium(root, "import-transcript", str(source), str(root / "private/pseudo/RNS-COL-01.txt"),
                      "--key", str(KEY), "--deny", str(DENY), "--roles", "S00=Enquêtrice,S01=Participant")
    assert "2 tours de parole, 2 locuteurs (Enquêtrice, Participant)" in proc.stdout
    proc = compendium(root, "import-transcript", str(tmp_path / "e.odt"), str(root / "private/x.txt"),
                      "--key", str(KEY), check=False)
    assert proc.returncode == 1 and "format non reconnu" in proc.stderr
