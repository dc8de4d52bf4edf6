"""Transcripts from transcription tools into private/, pseudonymised (issue 13, item 8).

Test files are written at test time in each tool's shape: noScribe's WebVTT and HTML (read in
noScribe's source, ``noScribe/utils.py`` ``html_to_webvtt`` and ``main.py``), SRT, Word documents
built with python-docx in the layouts of the sources below, a hand-typed .txt. Names are the
invented ones of the fixture.

Word layouts, as read (no Microsoft page on the layout could be read here):

- Word « Transcrire »: a line « 00:01:05 Speaker 1 » (H:MM:SS clock, then the speaker), the speech on
  the next line: the layout that JBCodeBook/JRETranscript's converter of Word transcripts parses,
  https://github.com/JBCodeBook/JRETranscript/blob/6ed13486c007335a5d1110d58cf8944b48371c33/create_transcript.py
  Word names the speakers « Speaker 1 », « Speaker 2 », which the user may rename to people's names,
  https://www.okbar.org/lpt_articles/microsoft-adds-transcription-of-sound-files-to-word-365/
- Microsoft Teams' .docx: « Prénom Nom   0:04 » (the name, several spaces, the time), then the
  speech, all in ONE paragraph separated by line breaks (<w:br/>); Google Meet's export: a time
  alone in a paragraph, then « Name: words »; both from
  https://github.com/cassiocassio/bristlenose/blob/29f5d9be6f86c0c371af15616301e9ddb725e01f/bristlenose/stages/s04_parse_docx.py
"""

from __future__ import annotations

import pytest

from compendium.fieldwork.privacy import PrivacyError, read_deny_list, read_key
from compendium.fieldwork.transcripts import import_transcript, read_transcript
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


def write_docx(path, layout="word", speakers=("Speaker 1", "Speaker 2"), title=True):
    """A Word transcript in one of the layouts read in the sources of the module docstring."""
    import docx

    document = docx.Document()
    if title:  # a line before the first turn, kept as text without a speaker
        document.add_paragraph("Entretien test (fichier fictif)")
    one, two = speakers
    if layout == "word":  # JRETranscript: « 00:01:05 Speaker 1 », speech on the next line
        for text in (f"00:00:00 {one}", Q, f"00:01:05 {two}", A):
            document.add_paragraph(text)
    elif layout == "teams":  # bristlenose: « Name   0:04 » and the speech in one paragraph, <w:br/>
        for header, speech in ((f"{one}   0:00", Q), (f"{two}   1:05", A)):
            run = document.add_paragraph().add_run(header)
            run.add_break()
            run.add_text(speech)
    elif layout == "meet":  # bristlenose: a time alone, then « Name: words »
        for stamp, who, speech in (("00:00:00", one, Q), ("00:01:05", two, A)):
            document.add_paragraph(stamp)
            document.add_paragraph(f"{who}: {speech}")
    document.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".vtt", ".srt", ".html", ".docx", ".txt"])
def test_each_format_goes_in_with_times_roles_and_pseudonyms(tmp_path, suffix):
    source = tmp_path / f"entretien{suffix}"
    if suffix == ".docx":
        write_docx(source, title=False)
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


@pytest.mark.parametrize("layout", ["word", "teams", "meet"])
@pytest.mark.parametrize("speakers", [("Speaker 1", "Speaker 2"), ("Zéphirin Quilliec", "Ondine Kervarec")])
def test_word_layouts_with_generic_or_named_speakers_become_roles(tmp_path, layout, speakers):
    source = write_docx(tmp_path / f"{layout}.docx", layout, speakers)
    turns = read_transcript(source)
    assert [(t.start, t.speaker) for t in turns if t.speaker] == [(0.0, speakers[0]), (65.0, speakers[1])]
    assert [t.text for t in turns if t.speaker] == [Q, A]
    root = tmp_path / "book"
    target = root / "private/pseudo/RNS-COL-01.txt"
    roles = {speakers[0]: "Enquêtrice", speakers[1]: "Participant"}
    import_transcript(source, target, root, read_key(KEY), read_deny_list(DENY), roles, suggest=False)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [f"[00:00:00] Enquêtrice : {Q}",
                         "[00:01:05] Participant : Je coordonne le projet avec [PERSONNE-A] et la [ENTREPRISE-A]."]
    # without --roles, the people's names become « Locuteur 1 », « Locuteur 2 » and never reach the file
    import_transcript(source, target, root, read_key(KEY), read_deny_list(DENY), None, suggest=False)
    text = target.read_text(encoding="utf-8")
    assert "[00:00:00] Locuteur 1 : " in text and "[00:01:05] Locuteur 2 : " in text
    assert "Quilliec" not in text and "Kervarec" not in text


def test_word_speech_with_a_colon_or_a_time_stays_speech(tmp_path):
    import docx

    document = docx.Document()
    for text in ("00:00:00 Speaker 1", "Bon : je commence par le contexte.", "On s'est vus à 10:30",
                 "00:00:09 Speaker 2", "D'accord."):
        document.add_paragraph(text)
    document.save(str(tmp_path / "e.docx"))
    turns = read_transcript(tmp_path / "e.docx")
    assert [(t.start, t.speaker, t.text) for t in turns] == [
        (0.0, "Speaker 1", "Bon : je commence par le contexte. On s'est vus à 10:30"), (9.0, "Speaker 2", "D'accord.")]


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


def test_import_transcript_command(tmp_path, monkeypatch):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / "data/datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    source = tmp_path / "e.vtt"
    source.write_text(VTT, encoding="utf-8")
    proc = compendium(root, "import-transcript", str(source), str(root / "private/pseudo/RNS-COL-01.txt"),
                      "--key", str(KEY), "--deny", str(DENY), "--roles", "S00=Enquêtrice,S01=Participant")
    assert "2 tours de parole, 2 locuteurs (Enquêtrice, Participant)" in proc.stdout
    # every other format through the same command (run in this process: the same main), without
    # the spaCy suggestions that the call above made (the model loads at each call, seconds each)
    from compendium.cli import main

    monkeypatch.setattr("compendium.fieldwork.privacy._ner_suggestions", lambda text, covered: ({}, False))

    for suffix, roles in ((".srt", "S00=Enquêtrice,S01=Participant"), (".html", "S00=Enquêtrice,S01=Participant"),
                          (".txt", "S00=Enquêtrice,S01=Participant"),
                          (".docx", "Zéphirin Quilliec=Enquêtrice,Ondine Kervarec=Participant")):
        source = tmp_path / f"e{suffix}"
        if suffix == ".docx":
            write_docx(source, "teams", ("Zéphirin Quilliec", "Ondine Kervarec"))
        else:
            source.write_text({".srt": SRT, ".html": HTML, ".txt": TXT}[suffix], encoding="utf-8")
        target = root / f"private/pseudo/{suffix[1:]}.txt"
        assert main(["--root", str(root), "import-transcript", str(source), str(target), "--key", str(KEY),
                     "--deny", str(DENY), "--roles", roles]) == 0
        text = target.read_text(encoding="utf-8")
        assert "[00:01:05] Participant : Je coordonne le projet avec [PERSONNE-A]" in text, suffix
        assert "Kervarec" not in text and "Quilliec" not in text and "Brumaire" not in text
    proc = compendium(root, "import-transcript", str(tmp_path / "e.odt"), str(root / "private/x.txt"),
                      "--key", str(KEY), check=False)
    assert proc.returncode == 1 and "format non reconnu" in proc.stderr


def test_roles_that_do_not_fit_the_transcript_are_named(tmp_path):
    """`--roles "Speaker 1=Enquêtrice"` for a file whose speakers are S00 and S01, or
    `--roles "S00:Enquêtrice;S01:Participant"`, finished with «Locuteur 1, Locuteur 2» and no word;
    each is now one French line, and nothing is written."""
    from compendium.fieldwork.transcripts import TranscriptError, parse_roles

    assert parse_roles("S00=Enquêtrice, S01=Participant") == {"S00": "Enquêtrice", "S01": "Participant"}
    with pytest.raises(TranscriptError, match="« S00:Enquêtrice;S01:Participant » illisible"):
        parse_roles("S00:Enquêtrice;S01:Participant")
    (tmp_path / "private").mkdir()
    source = tmp_path / "e01.vtt"
    source.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v S00>Bonjour.\n\n"
                      "00:00:05.000 --> 00:00:09.000\n<v S01>Bonjour à vous.\n", encoding="utf-8")
    target = tmp_path / "private/e01.txt"
    with pytest.raises(TranscriptError, match="--roles nomme « Speaker 1 », absent de la transcription ; "
                                              "ses locuteurs sont : « S00 », « S01 »"):
        import_transcript(source, target, tmp_path, [], roles=parse_roles("Speaker 1=Enquêtrice"), suggest=False)
    assert not target.exists()


def test_a_hand_typed_transcript_with_role_labels_goes_in(tmp_path):
    """A .txt typed in the format the tool writes («[00:00:05] Enquêtrice : Bonjour.») was refused:
    «Enquêtrice» and «Participant» were taken for names, with --roles or without; and
    «--roles "A=B;C=D"» was read as one role."""
    from compendium.fieldwork.transcripts import TranscriptError, parse_roles

    (tmp_path / "private/brut").mkdir(parents=True)
    source = tmp_path / "private/brut/e04.txt"
    source.write_text("[00:00:05] Enquêtrice : Bonjour.\n[00:00:12] Participant : Bonjour, chaque participant "
                      "accède aux données.\n[00:00:20] Participant B : Moi aussi.\n", encoding="utf-8")
    for roles in ({}, {"Enquêtrice": "Enquêtrice", "Participant": "Participant"}):
        target = tmp_path / f"private/pseudo/RNS-PME-02-{len(roles)}.txt"
        import_transcript(source, target, tmp_path, [], roles=roles, suggest=False)
        text = target.read_text(encoding="utf-8")
        assert "Enquêtrice : Bonjour." in text and "Participant B : Moi aussi." in text
    with pytest.raises(TranscriptError, match="« Enquêtrice=Chercheuse;Participant=Élue » illisible"):
        parse_roles("Enquêtrice=Chercheuse;Participant=Élue")
    # a speaker named by a person's name is still a leak, with the remedy
    named = tmp_path / "private/brut/e05.txt"
    named.write_text("Enquêtrice : Bonjour.\nHortense Vidalenc : Hortense Vidalenc, je dirige le service.\n",
                     encoding="utf-8")
    with pytest.raises(PrivacyError, match="le nom du locuteur « Hortense Vidalenc » y manque"):
        import_transcript(named, tmp_path / "private/pseudo/e05.txt", tmp_path, [], suggest=False)
    assert not (tmp_path / "private/pseudo/e05.txt").exists()


def test_noscribe_txt_output_is_read_as_noscribe_writes_it(tmp_path):
    """noScribe's .txt: its header gave speakers «Fichier audio» and «(Langue», its absolute audio
    path was refused as a leak, and «S00: [00:00:12] …» kept the time in the text."""
    (tmp_path / "private/brut").mkdir(parents=True)
    source = tmp_path / "private/brut/Entretien 2025-03-12.txt"
    source.write_text(
        "Entretien 2025-03-12\n\nTranscrit avec noScribe vers. 0.7\n"
        "Fichier audio : /home/chercheuse/Documents/Thèse/Entretiens/entretien.m4a\n"
        "(Langue : Français (fr) | Détection des locuteurs : auto | Horodatage : 1)\n\n(12 secondes pause)\n\n"
        "S00: [00:00:12] Bonjour, merci d'avoir accepté cet entretien.\n\n"
        "S01: [00:00:18] Oui, bien sûr.\n", encoding="utf-8")
    target = tmp_path / "private/pseudo/RNS-COL-01.txt"
    import_transcript(source, target, tmp_path, [], roles={"S00": "Enquêtrice", "S01": "Participante"}, suggest=False)
    assert target.read_text(encoding="utf-8") == ("[00:00:12] Enquêtrice : Bonjour, merci d'avoir accepté cet entretien.\n"
                                                  "[00:00:18] Participante : Oui, bien sûr.\n")
