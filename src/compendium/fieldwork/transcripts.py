"""Transcripts from transcription tools into the pseudonymisation pipeline (``private/`` only).

Formats read, each into speaker turns (start time, speaker label, text):

- WebVTT (``.vtt``), as noScribe writes it (``WEBVTT <titre>``, a ``NOTE`` block, then cues
  ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` with ``<v S00>`` voice tags), read with ``webvtt-py``;
- SubRip (``.srt``), read with ``webvtt-py``; a ``Locuteur : texte`` prefix is taken as the speaker;
- noScribe HTML (``.html``): one ``<p>`` per speaker turn, each segment an
  ``<a name="ts_<début ms>_<fin ms>_<locuteur>">`` (read with the standard HTML parser, as noScribe's
  own ``html_to_webvtt`` does); the first two paragraphs (title, information) are left out;
- Word (``.docx``), read with ``python-docx``, line by line (a line break inside a paragraph,
  ``<w:br/>``, separates lines as a new paragraph does). A turn starts at a header line, and its
  text is the line(s) that follow:

  - ``00:01:05 Speaker 1`` (time, then speaker), as Word's « Transcrire » puts a transcript in a
    document (the layout read by JBCodeBook/JRETranscript, a converter of Word's transcripts);
  - ``Speaker 1   0:04`` (speaker, then time after two spaces or more), as Microsoft Teams writes
    its ``.docx`` transcripts, the header and the speech in one paragraph separated by line breaks
    (the layout read by cassiocassio/bristlenose, ``s04_parse_docx.py``);
  - a time alone on its line, then ``Locuteur : texte`` (Google Meet's export, same source);
  - ``Locuteur : texte`` without time (typed by hand).

  A speaker is a generic label (``Speaker 1``) or a person's name (``Prénom Nom-Composé``): in both
  cases it becomes a role;
- plain text (``.txt``) typed by hand: ``Locuteur : texte`` lines, optionally preceded by a time
  ``[00:01:05]``; other lines continue the turn.

The turns are written as ``[HH:MM:SS] Rôle : texte`` lines (no time when the format has none):
speaker labels become roles (``--roles "S00=Enquêteur,S01=Participant"``, otherwise
« Locuteur 1 », « Locuteur 2 »… in order of appearance), then the text goes through
:func:`compendium.fieldwork.privacy.pseudonymise` and the leak gate: if a protected name, or a speaker label
that is not a generic one, is still in the result, nothing is written.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path

from compendium.fieldwork.privacy import PrivacyError, Term, _pattern, _scan_text, pseudonymise, require_private
from compendium.prose import agree

GENERIC_SPEAKER = re.compile(r"^(S\d+|SPEAKER_?\d+|Speaker \d+|Locuteur \d+|Intervenant \d+|Orateur \d+)$", re.I)
#: Speaker labels that are roles, not names: a transcript typed by hand in the format the tool
#: writes («[00:00:05] Enquêtrice : Bonjour.») was refused, its labels taken for names.
ROLE_SPEAKER = re.compile(r"^(enqu[êe]t(eur|rice)|intervieweu(r|se)|interviewer|participant(e)?|interview[ée](e)?|"
                          r"chercheu(r|se)|animat(eur|rice)|mod[ée]rat(eur|rice)|observat(eur|rice)|"
                          r"personne interrog[ée]e)(\s+([A-Z]|\d+))?$", re.I)
_TIME = r"(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_TXT_TURN = re.compile(rf"^\s*(?:\[{_TIME}\]\s*)?([^:\[\]]{{1,60}}?)\s*:\s+(.*)$")
_CLOCK = r"(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
# Word « Transcrire »: « 00:01:05 Speaker 1 » (a full H:MM:SS clock, then the speaker)
_DOCX_TIME_SPEAKER = re.compile(rf"^{_CLOCK}\s+(\S.{{0,59}}?)$")
# Teams: « Speaker 1   0:04 » (the speaker, two spaces or more, then a clock of one or two colons)
_DOCX_SPEAKER_TIME = re.compile(rf"^(\S.{{0,59}}?)(\s{{2,}}|\s){_TIME}$")
_DOCX_TIME_ONLY = re.compile(rf"^{_TIME}$")


@dataclass
class Turn:
    start: float | None
    speaker: str
    text: str


class TranscriptError(Exception):
    pass


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _split_speaker(text: str) -> tuple[str, str]:
    match = re.match(r"^([^:]{1,40}?)\s*:\s+(.*)$", text, re.S)
    return (match.group(1).strip(), match.group(2)) if match else ("", text)


def read_vtt(path: Path) -> list[Turn]:
    import webvtt

    try:
        captions = webvtt.read(str(path))
    except Exception as exc:  # webvtt-py raises its own errors for malformed files
        raise TranscriptError(f"{path.name} : WebVTT illisible ({exc})") from None
    turns = []
    for cap in captions:
        speaker, text = (cap.voice or "", cap.text) if cap.voice else _split_speaker(cap.text)
        turns.append(Turn(_seconds(cap.start), speaker.strip(), " ".join(text.split())))
    return turns


def read_srt(path: Path) -> list[Turn]:
    import webvtt

    try:
        captions = webvtt.from_srt(str(path))
    except Exception as exc:
        raise TranscriptError(f"{path.name} : SRT illisible ({exc})") from None
    turns = []
    for cap in captions:
        speaker, text = _split_speaker(cap.text)
        turns.append(Turn(_seconds(cap.start), speaker, " ".join(text.split())))
    return turns


class _NoScribeParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.paragraphs: list[list[list]] = []  # paragraphs of [start ms, speaker, text] segments
        self.current: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif self.in_body and tag == "p":
            self.paragraphs.append([])
        elif self.in_body and tag == "a":
            name = dict(attrs).get("name") or ""
            if name.startswith("ts_"):
                parts = name.split("_", 3)
                if len(parts) == 4 and parts[1].isdigit():
                    self.current = [int(parts[1]), parts[3], ""]
                    if not self.paragraphs:
                        self.paragraphs.append([])
                    self.paragraphs[-1].append(self.current)

    def handle_endtag(self, tag):
        if tag == "a":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[2] += data


def read_noscribe_html(path: Path) -> list[Turn]:
    parser = _NoScribeParser()
    parser.feed(path.read_text(encoding="utf-8-sig"))
    turns = []
    for para in parser.paragraphs:
        if not para:
            continue  # title and information paragraphs carry no timed segment
        start, speaker = para[0][0], para[0][1]
        text = " ".join("".join(seg[2] for seg in para).split())
        if speaker and text.startswith(f"{speaker}:"):
            text = text[len(speaker) + 1:].strip()
        text = re.sub(r"^\[\d{1,2}:\d{2}:\d{2}\]\s*", "", text)
        turns.append(Turn(start / 1000, speaker, text))
    if not turns:
        raise TranscriptError(f"{path.name} : aucun segment horodaté (<a name=\"ts_…\">) : est-ce une sortie HTML de noScribe ?")
    return turns


def _speaker_like(text: str) -> bool:
    """A label of four words at most, not a sentence (no final punctuation, no colon)."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 4 and not re.search(r"[.?!…,;:»\"]$", text) and ":" not in text


def _docx_header(line: str) -> tuple[float, str] | None:
    """(start, speaker) of a turn header line of Word or Teams, or None."""
    match = _DOCX_TIME_SPEAKER.match(line)
    if match and _speaker_like(match.group(2)):
        return _seconds(match.group(1)), match.group(2).strip()
    match = _DOCX_SPEAKER_TIME.match(line)
    if match and _speaker_like(match.group(1)):
        # one space only is a header when the label is a generic one (« Speaker 1 0:04 »); a name
        # needs Teams' wide gap, so that a sentence ending in a time is not taken for a header
        if len(match.group(2)) >= 2 or "\t" in match.group(2) or GENERIC_SPEAKER.match(match.group(1).strip()):
            return _seconds(match.group(3)), match.group(1).strip()
    return None


def docx_lines(path: Path) -> list[str]:
    """The non-empty lines of a Word document's body, a line break inside a paragraph included."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise TranscriptError(f"{path.name} : document Word illisible ({type(exc).__name__})") from None
    return [line.strip() for para in document.paragraphs for line in para.text.split("\n") if line.strip()]


def read_docx(path: Path) -> list[Turn]:
    turns: list[Turn] = []
    pending: float | None = None  # a time alone on its line, for the turn that follows
    for line in docx_lines(path):
        header = _docx_header(line)
        if header:
            turns.append(Turn(header[0], header[1], ""))
            pending = None
            continue
        alone = _DOCX_TIME_ONLY.match(line)
        if alone:
            pending = _seconds(alone.group(1))
            continue
        speaker, rest = _split_speaker(line)
        if turns and turns[-1].speaker and not turns[-1].text and pending is None:
            turns[-1].text = line  # the speech under a header, even with a colon in it
        elif speaker and _speaker_like(speaker):
            turns.append(Turn(pending, speaker, rest.strip()))
        elif turns and pending is None:
            turns[-1].text = f"{turns[-1].text} {line}".strip()
        else:
            turns.append(Turn(pending, "", line))
        pending = None
    return turns


#: noScribe's own .txt: a header (title, «Transcrit avec noScribe», «Fichier audio : …», the
#: settings in parentheses), pauses as lines in parentheses, then «S00: [00:00:12] text», the
#: time after the speaker. Read as turns, the header gave speakers «Fichier audio» and
#: «(Langue», and the times stayed in the text.
_NOSCRIBE_HEADER = re.compile(r"^\s*(transcrit avec noscribe|transcribed with noscribe|fichier audio\s*:|audio file\s*:)", re.I)
_PARENTHESISED = re.compile(r"^\s*\(.*\)\s*$")
_LEADING_TIME = re.compile(rf"^\[{_TIME}\]\s*(.*)$")


def read_txt(path: Path) -> list[Turn]:
    turns: list[Turn] = []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    noscribe = any(_NOSCRIBE_HEADER.match(line) for line in lines[:8])
    for line in lines:
        if not line.strip() or _NOSCRIBE_HEADER.match(line) or _PARENTHESISED.match(line):
            continue  # noScribe's header, its pauses and its settings are not speech
        match = _TXT_TURN.match(line)
        if match and len(match.group(2).split()) <= 4 and not match.group(2).lstrip().startswith("("):
            start = _seconds(match.group(1)) if match.group(1) else None
            text = match.group(3).strip()
            later = _LEADING_TIME.match(text) if start is None else None
            if later:  # «S00: [00:00:12] text»
                start, text = _seconds(later.group(1)), later.group(2).strip()
            turns.append(Turn(start, match.group(2).strip(), text))
        elif turns:
            turns[-1].text = f"{turns[-1].text} {line.strip()}".strip()
        elif not noscribe:  # noScribe's title (the audio file's name) is not speech
            turns.append(Turn(None, "", line.strip()))
    return turns


READERS = {".vtt": read_vtt, ".srt": read_srt, ".html": read_noscribe_html, ".htm": read_noscribe_html,
           ".docx": read_docx, ".txt": read_txt}


def read_transcript(path: Path) -> list[Turn]:
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise TranscriptError(f"{path.name} : format non reconnu (attendu : {', '.join(sorted(READERS))})")
    if not path.is_file():
        raise TranscriptError(f"{path.name} : fichier introuvable")
    return reader(path)


def parse_roles(spec: str | None) -> dict[str, str]:
    """``--roles "S00=Enquêtrice,S01=Participant"`` as a map; a part without « = » (« S00:Enquêtrice »,
    « ; » between the parts) is a :class:`TranscriptError` naming it, not a role silently dropped."""
    roles = {}
    bad = []
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        label, sep, role = item.partition("=")
        # «S00=Chercheuse;S01=Élue»: the «;» left one role «Chercheuse;S01=Élue»
        if not sep or not label.strip() or not role.strip() or ";" in item or "=" in role:
            bad.append(item.strip())
            continue
        roles[label.strip()] = role.strip()
    if bad:
        raise TranscriptError(f"--roles : {', '.join(f'« {b} »' for b in bad)} illisible ; écrivez "
                              "« LOCUTEUR=Rôle », les couples séparés par des virgules "
                              "(par ex. « S00=Enquêtrice,S01=Participant »)")
    return roles


def check_roles(turns: list[Turn], roles: dict[str, str], source: str) -> None:
    """Every speaker ``--roles`` names is one of the transcript's: « Speaker 1 » given for a file
    whose speakers are « S00 » and « S01 » left them all as « Locuteur 1, 2 » without a word."""
    speakers = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    unknown = [label for label in roles if label not in speakers]
    if unknown:
        found = ", ".join(f"« {s} »" for s in speakers) or "aucun (la transcription ne nomme pas ses locuteurs)"
        raise TranscriptError(f"{source} : --roles nomme {', '.join(f'« {u} »' for u in unknown)}, absent de la "
                              f"transcription ; ses locuteurs sont : {found}")


def render(turns: list[Turn], roles: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The turns as ``[HH:MM:SS] Rôle : texte`` lines; returns the text and the label → role map used."""
    used: dict[str, str] = {}
    lines = []
    for turn in turns:
        if turn.speaker and turn.speaker not in used:
            # a label that is already a role («Enquêtrice», «Participant B») stays as it is
            kept = turn.speaker if ROLE_SPEAKER.match(turn.speaker) else None
            used[turn.speaker] = roles.get(turn.speaker) or kept or \
                f"Locuteur {sum(1 for label in used if label not in roles and not ROLE_SPEAKER.match(label)) + 1}"
        who = used.get(turn.speaker, "")
        stamp = f"[{_clock(turn.start)}] " if turn.start is not None else ""
        lines.append(f"{stamp}{who} : {turn.text}" if who else f"{stamp}{turn.text}")
    return "\n".join(lines) + "\n", used


def import_transcript(source: Path, target: Path, root: Path, key: list[Term], deny: list[Term] | None = None,
                      roles: dict[str, str] | None = None, suggest: bool = True):
    """Read, give roles, pseudonymise, check for leaks, then write ``target`` (under private/)."""
    require_private(target, root)
    turns = read_transcript(source)
    if not turns:
        raise TranscriptError(f"{Path(source).name} : aucun tour de parole lu")
    check_roles(turns, roles or {}, Path(source).name)
    text, used = render(turns, roles or {})
    result = pseudonymise(text, key, deny, suggest=suggest)
    # a speaker's label is a name unless it is generic («S00»), a role word («Enquêtrice»), or
    # the role given to it by --roles
    named = [label for label in used if not GENERIC_SPEAKER.match(label) and not ROLE_SPEAKER.match(label)
             and label != (roles or {}).get(label)]
    patterns = [(_pattern(t.text, t.proper), t.text) for t in list(key) + list(deny or [])]
    patterns += [(_pattern(label), label) for label in named]
    leaks = _scan_text(target.name, result.text, patterns)
    if leaks:
        speakers = [label for label in named if any(f"« {label} »" in leak.what for leak in leaks)]
        hint = "complétez private/pseudonymes.csv"
        if speakers:
            hint += (f" : {'le nom du locuteur' if len(speakers) < 2 else 'les noms des locuteurs'} "
                     f"{', '.join(f'« {x} »' for x in speakers)} {'y manque' if len(speakers) < 2 else 'y manquent'}")
        raise PrivacyError("; ".join(str(leak) for leak in leaks[:10]) +
                           f" ({agree(len(leaks), '{n} fuite', '{n} fuites')} : rien n'a été écrit ; {hint})")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.text, encoding="utf-8")
    report = target.with_suffix(".rapport.md")
    report.write_text(result.report(Path(source).name) + "\n## Locuteurs\n\n" +
                      "\n".join(f"- {label} → {role}" for label, role in used.items()) + "\n", encoding="utf-8")
    return result, used, turns
