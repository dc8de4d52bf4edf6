"""Pseudonymisation of transcripts and the leak gate.

- :func:`pseudonymise` replaces every term of the private key (real name → code) and of the
  deny-list in a transcript, and lists what it replaced and what a French NER model (spaCy
  ``fr_core_news_sm``, when installed) suggests that the key does not cover: the human review
  pass works from that report. Pseudonymised transcripts remain personal data: they are only
  ever written under ``private/``.
- :func:`leak_scan` looks for every protected term, e-mail address and French phone number in
  ``data/`` and in the built book (HTML pages and the PDF text), and reports file and line.

Matching ignores case and accents and respects word boundaries; a person's family name
alone is protected too (``Jeanne Martin`` protects ``Martin``, ``Sophie Le Gall`` protects
``Le Gall`` and ``Gall``: :func:`family_names`).
"""

from __future__ import annotations

import csv
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from compendium.data import is_lock_file

KEY_COLUMNS = ["nom", "code", "type"]
KEY_TYPES = {"personne", "organisation", "lieu", "autre"}
MASK = "[MASQUÉ]"
# starts only where a word starts, and a local part is at most 64 characters (RFC 5321): linear
# even over a very long token such as an inline image
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
# not inside a longer word: a hexadecimal digest («7e0819561628») is not a phone number
PHONE_RE = re.compile(r"(?<![\w,.-])(?:\+33[ .]?|0)[1-9](?:[ .-]?\d{2}){4}(?![\w,])")
#: a local file path (home directories on Linux, macOS, Windows; Zotero's attachment store):
#: it names the researcher's account and discloses what sits on their computer
LOCAL_PATH_RE = re.compile(r"(?:file://)?(?:(?<![\w.-])/home/[^\s,;:}\"']+|(?<![\w.-])/Users/[^\s,;:}\"']+|(?<![\w])[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)"
                           r"[^\s,;}\"']+)")
#: A Zotero storage path anywhere («…/Zotero/storage/ABCD1234/x.pdf»). Kept apart and tried only on
#: lines that hold «Zotero»: with an unbounded prefix, one regex over a long token (a base64
#: image in a page) backtracks quadratically.
ZOTERO_PATH_RE = re.compile(r"[^\s,;:{}\"']{0,400}[/\\]Zotero[/\\]storage[/\\][^\s,;}\"']*")
#: Any ``file:`` address (a link a browser or a converter made absolute: «file:///work/livre/…»),
#: whatever folder it names.
FILE_URI_RE = re.compile(r"file:/[^\s\"'<>)\]]+")
#: Both kinds in one pattern, for short texts such as the fields of a bibliography entry.
ANY_LOCAL_PATH_RE = re.compile(f"{LOCAL_PATH_RE.pattern}|{ZOTERO_PATH_RE.pattern}")
#: Inline images (``data:image/png;base64,…``) hold no text to protect.
DATA_URI_RE = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
SCANNED_SUFFIXES = {".csv", ".json", ".md", ".txt", ".html", ".ipynb", ".tex", ".bib", ".yml", ".qdc"}


class PrivacyError(Exception):
    """A problem with the key, the deny-list or a path: one line."""


@dataclass
class Term:
    text: str
    code: str
    kind: str
    #: A family name alone («Petit», «Le Gall»): found only with its capitals, as a name is
    #: written, so that «un petit dossier» or «à mon tour» are not taken for it.
    proper: bool = False


#: Apostrophes and hyphens that transcripts, spreadsheets and word processors write for one
#: another: «N’Diaye» in the key (LibreOffice's autocorrection) and «N'Diaye» in a transcript
#: (Whisper) are one name. Each is replaced by one character, so positions do not move.
_SAME_CHAR = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "\u2010": "-", "\u2011": "-"})


def _fold(text: str) -> str:
    """``text`` without its accents and with one apostrophe and one hyphen (:data:`_SAME_CHAR`);
    its case is kept (the patterns say whether it counts)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").translate(_SAME_CHAR)


def _pattern(term: str, proper: bool = False) -> re.Pattern:
    """Accent-insensitive whole-word pattern for ``term`` (matched on :func:`_fold`'s text):
    case-insensitive, or, for a family name alone (``proper``), with each word's first letter in
    the case the key gives it («Petit» finds «Petit», «PETIT» too, not «petit»)."""
    def word(w: str) -> str:
        if proper and w[:1].isupper():
            rest = f"(?i:{re.escape(w[1:])})" if len(w) > 1 else ""
            return re.escape(w[0]) + rest
        return f"(?i:{re.escape(w)})"

    words = [word(w) for w in _fold(term).split()]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)")


#: Words that begin a French (or Dutch, German, Italian, Spanish, Arabic) family name after the
#: given names: «Sophie Le Gall», «Jean de La Fontaine», «Anna van der Berg», «Nadia Ben Salah».
NAME_PARTICLES = {"le", "la", "les", "de", "du", "des", "d'", "d’", "van", "von", "der", "den", "ter", "di",
                  "da", "del", "della", "dos", "das", "ben", "ibn", "el", "al", "bin", "mac", "mc", "saint", "sainte"}


def family_names(name: str) -> list[str]:
    """The forms of a person's family name alone that a transcript may use («Madame Le Gall»):
    the name from its first particle on («Le Gall», «de La Fontaine»), without a leading «de» /
    «d'» too («La Fontaine»), and the last word («Gall», «Fontaine»); each of at least three
    letters. The given names are the words before; a name of one word has no other form. These
    forms are found only with their capitals (:attr:`Term.proper`): «Tour», of «de La Tour»,
    masked «à mon tour de parler», and «Petit» «un petit dossier»."""
    words = name.split()
    if len(words) < 2:
        return []
    forms = []
    start = next((i for i, w in enumerate(words[1:], start=1) if w.lower() in NAME_PARTICLES
                  or w.lower().startswith(("d'", "d’"))), None)
    if start is not None:
        tail = words[start:]
        forms.append(" ".join(tail))
        if tail[0].lower() in {"de", "d'", "d’"} and len(tail) > 1:
            forms.append(" ".join(tail[1:]))
        elif tail[0].lower().startswith(("d'", "d’")) and len(tail[0]) > 2:
            forms.append(" ".join([tail[0][2:]] + tail[1:]))
    forms.append(words[-1])
    seen: list[str] = []
    for form in forms:
        if len(form.replace(" ", "")) >= 3 and form != name and form not in seen:
            seen.append(form)
    return seen


def _key_separator_problem(path: Path, text: str) -> str | None:
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        return (f"{path}, ligne 1 : séparateur « ; » (CSV d'Excel en français) au lieu de la virgule ; "
                f"colonnes attendues : {','.join(KEY_COLUMNS)} (enregistrez-la en CSV séparé par des virgules, "
                "par exemple depuis LibreOffice Calc)")
    return None


def read_key(path: Path) -> list[Term]:
    """The private key: CSV with columns nom, code, type (personne, organisation, lieu, autre).
    Every problem of the table is reported at once, a line each (:class:`PrivacyError`)."""
    if not path.is_file():
        raise PrivacyError(f"{path} : table des pseudonymes introuvable")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PrivacyError(f"{path} : encodage invalide (UTF-8 attendu)") from None
    separator = _key_separator_problem(path, text)
    if separator:
        raise PrivacyError(separator)
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or set(KEY_COLUMNS) - set(rows[0]):
        raise PrivacyError(f"{path}, ligne 1 : colonnes attendues : {','.join(KEY_COLUMNS)}")
    terms, problems = [], []
    for line, row in enumerate(rows, start=2):
        name, code, kind = ((row.get(c) or "").strip() for c in KEY_COLUMNS)
        if not name or not code:
            problems.append(f"{path}, ligne {line} : « nom » et « code » sont obligatoires")
            continue
        if kind not in KEY_TYPES:
            problems.append(f"{path}, ligne {line}, colonne « type » : « {kind} » inconnu ; attendu : "
                            f"{', '.join(sorted(KEY_TYPES))}")
            continue
        terms.append(Term(name, code, kind))
        if kind == "personne":
            terms += [Term(form, code, kind, proper=True) for form in family_names(name)]
    if problems:
        raise PrivacyError("\n".join(problems))
    return terms


def read_deny_list(path: Path | None) -> list[Term]:
    if path is None:
        return []
    if not path.is_file():
        raise PrivacyError(f"{path} : liste de termes à masquer introuvable")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [Term(t.strip(), MASK, "autre") for t in lines if t.strip() and not t.lstrip().startswith("#")]


@dataclass
class PseudonymisationResult:
    text: str
    replacements: dict[str, int] = field(default_factory=dict)  # "term → code" -> count
    suggestions: dict[str, int] = field(default_factory=dict)  # "candidate (LABEL)" -> count
    ner_available: bool = True

    def report(self, source: str) -> str:
        lines = [f"# Rapport de pseudonymisation : {source}", "",
                 "Ce rapport contient des noms réels : il reste dans private/.", "",
                 "## Remplacements effectués", ""]
        lines += [f"- {k} : {v}" for k, v in sorted(self.replacements.items())] or ["- aucun"]
        lines += ["", "## Suggestions à examiner (entités non couvertes par la table)", ""]
        if not self.ner_available:
            lines.append("- suggestions automatiques indisponibles : modèle spaCy fr_core_news_sm non installé")
        lines += [f"- {k} : {v}" for k, v in sorted(self.suggestions.items())] or ["- aucune"]
        lines += ["", "Relire la transcription en entier : la reconnaissance automatique oublie des noms."]
        return "\n".join(lines) + "\n"


def _replace(text: str, terms: list[Term]) -> tuple[str, dict[str, int]]:
    """Replace terms, longest first, working on an accent-folded copy to find positions."""
    counts: dict[str, int] = {}
    for term in sorted(terms, key=lambda t: -len(t.text)):
        pattern = _pattern(term.text, term.proper)
        folded = _fold(text)
        if len(folded) != len(text):  # folding changed lengths (rare ligatures): fall back to plain text
            folded = text
        spans = [m.span() for m in pattern.finditer(folded)]
        if not spans:
            continue
        out, last = [], 0
        for start, end in spans:
            out += [text[last:start], term.code]
            last = end
        out.append(text[last:])
        text = "".join(out)
        key = f"{term.text} → {term.code}"
        counts[key] = counts.get(key, 0) + len(spans)
    return text, counts


def _ner_suggestions(text: str, covered: list[Term]) -> tuple[dict[str, int], bool]:
    try:
        import spacy

        nlp = spacy.load("fr_core_news_sm")
    except (ImportError, OSError):
        return {}, False
    known = [_pattern(t.text, t.proper) for t in covered]
    found: dict[str, int] = {}
    for ent in nlp(text).ents:
        if ent.label_ not in {"PER", "ORG", "LOC"}:
            continue
        if any(p.search(_fold(ent.text)) for p in known) or ent.text.startswith("["):
            continue
        key = f"{ent.text} ({ent.label_})"
        found[key] = found.get(key, 0) + 1
    return found, True


def pseudonymise(text: str, key: list[Term], deny: list[Term] | None = None,
                 suggest: bool = True) -> PseudonymisationResult:
    """Replace key and deny-list terms; e-mails and phone numbers are masked too."""
    terms = list(key) + list(deny or [])
    counts: dict[str, int] = {}
    for regex, label in ((EMAIL_RE, "[COURRIEL]"), (PHONE_RE, "[TÉLÉPHONE]")):  # before names: intact
        n = len(regex.findall(text))
        if n:
            text = regex.sub(label, text)
            counts[label] = n
    out, name_counts = _replace(text, terms)
    counts.update(name_counts)
    result = PseudonymisationResult(out, counts)
    if suggest:
        result.suggestions, result.ner_available = _ner_suggestions(out, terms)
    return result


def require_private(path: Path, root: Path) -> None:
    """Pseudonymised transcripts remain personal data: they may only be written under private/."""
    try:
        path.resolve().relative_to((root / "private").resolve())
    except ValueError:
        raise PrivacyError(f"{path} : une transcription (même pseudonymisée) ne s'écrit que sous private/") from None


# --------------------------------------------------------------------------- leak gate


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    what: str
    unit: str = "ligne"  # «lien de la page» for a link of a PDF

    def __str__(self) -> str:
        return f"{self.path}, {self.unit} {self.line} : {self.what}"


def _zotero_paths(line: str) -> list[tuple[int, int, str]]:
    """Zotero storage paths in ``line``: the pattern is tried only around each «Zotero»."""
    out, start = [], 0
    while (at := line.find("Zotero", start)) >= 0:
        lo = max(0, at - 401)
        for match in ZOTERO_PATH_RE.finditer(line, lo, at + 4096):
            if match.start() <= at < match.end():
                if not any(a <= match.start() < b for a, b, _ in out):
                    out.append((match.start(), match.end(), match.group(0)))
                break
        start = at + 6
    return out


def _scan_text(label: str, text: str, patterns: list[tuple[re.Pattern, str]]) -> list[Leak]:
    leaks = []
    for number, line in enumerate(text.splitlines(), start=1):
        folded = _fold(line)
        # a name found inside a longer one found on the line («Dubois» in «Marc Dubois») is not
        # reported again; the longest names are looked for first
        spans: list[tuple[int, int]] = []
        for pattern, name in sorted(patterns, key=lambda p: -len(p[1])):
            matches = [m.span() for m in pattern.finditer(folded)]
            fresh = [(a, b) for a, b in matches if not any(x <= a and b <= y for x, y in spans)]
            spans += matches
            if fresh:
                leaks.append(Leak(label, number, f"nom protégé « {name} »"))
        found: list[tuple[int, int, str, str]] = []
        for regex, kind in ((EMAIL_RE, "adresse électronique"), (PHONE_RE, "numéro de téléphone"),
                            (LOCAL_PATH_RE, "chemin de fichier local")):
            found += [(m.start(), m.end(), kind, m.group(0)) for m in regex.finditer(line)]
        for a, b, text in _zotero_paths(line) + [(m.start(), m.end(), m.group(0)) for m in FILE_URI_RE.finditer(line)]:
            if not any(x <= a < y or a <= x < b for x, y, _, _ in found):  # not the same path twice
                found.append((a, b, "chemin de fichier local", text))
        for _, _, kind, text in sorted(found):
            leaks.append(Leak(label, number, f"{kind} « {text} »"))
    return leaks


LOCK_FILE_LEAK = ("fichier de verrou d'un logiciel de bureautique, suivi par git (il porte le nom de la "
                  "personne qui a ouvert le tableau et celui de son ordinateur) : fermez le fichier, puis "
                  "retirez-le de git avec « git rm --cached »")


def _tracked(root: Path) -> set[str] | None:
    """The paths git tracks under ``root``, or None outside a git checkout."""
    try:
        proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(proc.stdout.decode("utf-8", errors="replace").split("\0")) - {""}


#: What the leak check reads by default: the bibliography, the data, and everything the
#: publishing workflow puts online (the HTML book, its PDF, the synthesis, the deck and its PDF,
#: the one-page presentation).
DEFAULT_SCANNED = ["references.bib", "data", "_build/html", "_build/livre.pdf", "_build/synthese.pdf",
                   "_build/slides", "_build/slides.pdf", "_build/presentation-etude.pdf"]
#: Third-party assets (theme, plotly.js, MathJax, reveal.js): not the book's content, not read.
THIRD_PARTY_DIRS = {"_static", "revealjs"}


def pdf_links(read) -> list[tuple[int, str]]:
    """The page and address of each link of a PDF (``read()`` gives its bytes), from poppler's
    ``pdfinfo -url``: a link's address is not in the text ``pdftotext`` reads."""
    out = subprocess.run(["pdfinfo", "-url", "-"], input=read(), capture_output=True, check=True).stdout
    links = []
    for row in out.decode("utf-8", errors="replace").splitlines()[1:]:  # «Page  Type  URL»
        parts = row.split(None, 2)
        if len(parts) == 3 and parts[0].isdigit():
            links.append((int(parts[0]), parts[2].strip()))
    return links


def leak_scan(root: Path, terms: list[Term], paths: list[str] | None = None) -> list[Leak]:
    """Every protected term, e-mail, phone number or local file path found in ``paths`` (default:
    :data:`DEFAULT_SCANNED`), in the text of each file and, for a PDF, in the address of each
    link. Third-party assets (:data:`THIRD_PARTY_DIRS`) are skipped.

    An office program's lock file (``.~lock.actors.csv#``, ``~$actors.csv``: the name of whoever
    opened the table) is a leak once git tracks it (outside a git checkout, wherever it is);
    ``.gitignore`` keeps it out, and a table open in a spreadsheet while the check runs is not one."""
    patterns = [(_pattern(t.text, t.proper), t.text) for t in terms]
    paths = paths or DEFAULT_SCANNED
    leaks: list[Leak] = []
    tracked: set[str] | None | bool = False  # asked of git only when a lock file is found
    for rel in paths:
        target = root / rel
        if not target.exists():
            continue
        files = [target] if target.is_file() else sorted(
            p for p in target.rglob("*") if p.is_file() and not THIRD_PARTY_DIRS & set(p.relative_to(target).parts))
        for file in files:
            # a path outside the project (given on the command line) is named as it was given
            label = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
            if is_lock_file(file):
                if tracked is False:
                    tracked = _tracked(root)
                if tracked is None or label in tracked:
                    leaks.append(Leak(label, 1, LOCK_FILE_LEAK))
                continue
            text = _scanned_text(file.suffix, file.read_bytes)
            if text is not None:
                leaks += _scan_text(label, text, patterns)
            if file.suffix == ".pdf":
                for page, url in pdf_links(file.read_bytes):
                    leaks += [Leak(label, page, leak.what, "lien de la page") for leak in _scan_text(label, url, patterns)]
    return leaks


def _scanned_text(suffix: str, read) -> str | None:
    """The text the leak check reads in a file of this suffix (``read()`` gives its bytes), or None
    for a file it does not read (images, audio…)."""
    if suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=read(), capture_output=True,
                              check=True).stdout.decode("utf-8", errors="replace")
    elif suffix in SCANNED_SUFFIXES:
        text = read().decode("utf-8", errors="replace")
    else:
        return None
    if suffix == ".html":
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
    return DATA_URI_RE.sub("data:…", text)


PRIVATE_STAGED = "sous private/, qui ne doit jamais entrer dans git : retirez-le (git restore --staged)"
#: The tests' planted names, addresses and numbers (fictitious, there to be found): not scanned
#: before a commit; the book never reads them.
TEST_FIXTURES = "tests/fixtures/"


def staged_leak_scan(root: Path, terms: list[Term]) -> list[Leak]:
    """The leaks in what ``git commit`` would record: each staged file as staged (not as it is on
    disk), whatever its folder but the tests' fictitious fixtures (:data:`TEST_FIXTURES`); a file
    staged under private/ and an office lock file are leaks whatever they hold. The git hook
    ``.githooks/pre-commit`` runs it, so that a name is stopped before it enters the history,
    where deleting the file later would not remove it."""
    try:
        names = subprocess.run(["git", "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"], cwd=root,
                               capture_output=True, check=True).stdout.decode("utf-8", errors="replace")
    except (OSError, subprocess.CalledProcessError) as exc:
        raise PrivacyError(f"{root} : pas un dépôt git, rien d'indexé à contrôler") from exc
    patterns = [(_pattern(t.text, t.proper), t.text) for t in terms]
    leaks: list[Leak] = []
    for label in filter(None, names.split("\0")):
        if label == "private" or label.startswith("private/"):
            leaks.append(Leak(label, 1, PRIVATE_STAGED))
            continue
        if is_lock_file(label):
            leaks.append(Leak(label, 1, LOCK_FILE_LEAK))
            continue
        if label.startswith(TEST_FIXTURES):
            continue
        text = _scanned_text(Path(label).suffix, lambda: subprocess.run(
            ["git", "show", f":{label}"], cwd=root, capture_output=True, check=True).stdout)
        if text is not None:
            leaks += _scan_text(label, text, patterns)
    return leaks
