"""From a Zotero export to ``references.bib``: ``python -m compendium add-references export.bib``.

The export may be any of Zotero's four BibTeX-family flavours (Zotero BibTeX, Zotero BibLaTeX,
Better BibTeX, Better BibLaTeX), whole or partial, with or without BOM, LF or CRLF. Parsing is
done by bibtexparser 2 (it keeps each entry's line and reports unparsable blocks instead of
swallowing them). Two things are hand-written because no maintained Python library does them:
BibLaTeX's extended name format (``family=…, given=…, prefix=…, useprefix=…``, which pybtex and
bibtexparser both treat as an ordinary name) and the BibLaTeX → BibTeX mapping of types and
fields to what the book's pybtex style renders (biber does this for LaTeX, not for Python).

Everything is checked before anything is written: a failed import changes nothing, unless
``--partial`` asks to add the clean entries and list the others.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from compendium import data as _data
from compendium.prose import os_error

BIB = "references.bib"
VERIFICATION = "data/literature/verification.csv"
READINGS = "data/literature/readings.csv"
SCREENING = "data/literature/screening.csv"
SEARCH_LOG = "data/literature/search_log.csv"
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
#: a key BibTeX accepts (no space, comma, brace, quote, hash, percent, parenthesis, equals sign)
KEY_RE = re.compile(r"^[^\s,{}()\"#%'=~\\]+$")
from compendium.fieldwork.privacy import ANY_LOCAL_PATH_RE as LOCAL_PATH_RE  # noqa: E402  (home folders, Zotero/storage)

#: BibLaTeX / Zotero entry type -> BibTeX type rendered by the book
TYPE_MAP = {
    "article": "article", "periodical": "article", "suppperiodical": "article",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book", "proceedings": "book",
    "mvproceedings": "book", "reference": "book", "mvreference": "book", "booklet": "book",
    "incollection": "incollection", "inbook": "incollection", "bookinbook": "incollection",
    "suppbook": "incollection", "suppcollection": "incollection", "inreference": "incollection",
    "inproceedings": "inproceedings", "conference": "inproceedings",
    "thesis": "phdthesis", "phdthesis": "phdthesis", "mastersthesis": "mastersthesis",
    "report": "techreport", "techreport": "techreport",
    "online": "misc", "www": "misc", "electronic": "misc", "misc": "misc", "unpublished": "misc",
    "manual": "misc", "software": "misc", "dataset": "misc", "patent": "misc", "legislation": "misc",
    "jurisdiction": "misc", "legal": "misc", "letter": "misc", "video": "misc", "audio": "misc",
    "movie": "misc", "artwork": "misc", "image": "misc", "music": "misc", "performance": "misc",
    "standard": "misc", "interview": "misc", "map": "misc",
}
#: fields the book renders (after renaming); everything else (file, abstract, keywords,
#: annotation, langid, issn, shorttitle, options…) is dropped
KEEP = ["author", "editor", "title", "journal", "booktitle", "year", "month", "edition", "volume", "volumes",
        "number", "series", "pages", "type", "school", "institution", "organization", "publisher", "address",
        "howpublished", "doi", "isbn", "url", "urldate", "note"]
RENAME = {"journaltitle": "journal", "location": "address", "eventtitle": None}
NAME_FIELDS = ("author", "editor")
#: lines of Zotero's «Extra» field that Zotero writes into ``note`` (CSL variables, not notes)
NOTE_NOISE_RE = re.compile(r"^\s*(?:Publisher|Place|Publisher Place|Event Place|ISSN|ISBN|Type|Medium|Genre|Section|"
                           r"Number of pages|Num Pages|Original Date|Citation Key|Status|tex\.[\w-]+|"
                           r"[A-Z][\w-]*(?: [\w-]+){0,2}): .*$", re.I)
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec"], start=1)}
PARTICLES = {"de", "d'", "d’", "du", "des", "de la", "van", "von", "der", "den", "van der", "van den", "van de",
             "di", "da", "del", "della", "le", "la", "zu", "ten", "ter"}


class ReferenceImportError(Exception):
    """The import was refused: ``problems`` are French lines, nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    key: str
    type: str
    fields: dict[str, str]
    line: int
    dropped: list[str] = field(default_factory=list)

    def to_bibtex(self) -> str:
        lines = [f"@{self.type}{{{self.key},"]
        items = [(k, self.fields[k]) for k in KEEP if self.fields.get(k)]
        for i, (name, value) in enumerate(items):
            quoted = f'{{{value}}}' if '"' in _outside_braces(value) else f'"{value}"'
            lines.append(f"    {name} = {quoted}" + ("," if i < len(items) - 1 else ""))
        return "\n".join(lines) + "\n}\n"


@dataclass
class Report:
    added: list[Imported]
    refused: list[str]  # problems of the entries left out (``partial`` only)
    source: str
    already: list[str] = field(default_factory=list)  # keys already in references.bib for the same work


def _outside_braces(value: str) -> str:
    out, depth = [], 0
    for ch in value:
        depth += ch == "{"
        if depth == 0:
            out.append(ch)
        depth -= ch == "}"
    return "".join(out)


def _split_top(value: str, sep_re: str) -> list[str]:
    """Split ``value`` on ``sep_re`` outside braces."""
    parts, depth, start = [], 0, 0
    i = 0
    pattern = re.compile(sep_re, re.I)
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            m = pattern.match(value, i)
            if m:
                parts.append(value[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only: the form titles are compared in."""
    text = unicodedata.normalize("NFKD", latex_to_unicode(text))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def latex_to_unicode(value: str) -> str:
    """Accents and escapes as Unicode (``{\\'e}`` → é, ``\\&`` → &), braces around one letter removed."""
    if "\\" in value:
        try:
            value = codecs.decode(value, "ulatex")
        except Exception:  # an unknown macro: keep the text as typed
            pass
        value = re.sub(r"\\(?:emph|textit|textbf|mkbibemph|mkbibquote|enquote|textsc|url|textsubscript|"
                       r"textsuperscript|mbox|relax|ensuremath)\s*", "", value)
    value = re.sub(r"\{(\w)\}", r"\1", value)
    return value.replace("\\&", "&").replace("\\_", "_").replace("\\#", "#").replace("\\$", "$")


def _plain_text(value: str) -> str:
    """A title or venue without case-protection braces (the book never changes the case)."""
    value = latex_to_unicode(value)
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _parse_name(raw: str, useprefix: bool) -> str:
    """One name in BibTeX form for pybtex: «de Saint-Ours, Édouard», «{Rennes Métropole}»,
    «{van Gelder}, Pieter» when the particle is part of the sorted name (``useprefix=true``)."""
    raw = raw.strip()
    parts = _split_top(raw, r",")
    if parts and all(re.match(r"^(family|given|prefix|suffix|useprefix|juniorcomma)\s*=", p, re.I) for p in parts):
        named = {}
        for p in parts:
            k, _, v = p.partition("=")
            v = v.strip()
            if v.startswith("{") and v.endswith("}"):
                v = v[1:-1]
            named[k.strip().lower()] = latex_to_unicode(v).strip()
        use = named.get("useprefix", "true" if useprefix else "false").lower() == "true"
        family, given = named.get("family", ""), named.get("given", "")
        prefix, suffix = named.get("prefix", ""), named.get("suffix", "")
        if not given and not prefix:
            return "{" + family + "}" if " " in family else family
        last = (f"{{{prefix} {family}}}" if use else f"{prefix} {family}") if prefix else family
        return ", ".join(x for x in (last, suffix, given) if x)
    if raw.startswith("{") and raw.endswith("}") and _split_top(raw[1:-1], r"\s+and\s+") == [raw[1:-1].strip()] \
            and raw.count("{") == 1:
        return "{" + latex_to_unicode(raw[1:-1]).strip() + "}"  # corporate author
    name = latex_to_unicode(raw)
    parts = _split_top(name, r",")
    if len(parts) == 2:  # «Certeau, Michel de»: a particle typed after the given name
        last, given = parts
        words = given.split()
        for n in (2, 1):
            tail = " ".join(words[-n:]).lower() if len(words) > n else ""
            if tail in PARTICLES:
                last, given = " ".join(words[-n:]) + " " + last, " ".join(words[:-n])
                break
        if useprefix:
            m = re.match(r"^((?:[a-z][\w’']*\s+)+)(.+)$", last)
            if m and not last.startswith("{"):
                last = "{" + last + "}"
        return f"{last}, {given}"
    return name


def _names(value: str, useprefix: bool) -> str:
    return " and ".join(_parse_name(n, useprefix) for n in _split_top(value, r"\s+and\s+"))


def _clean_note(value: str) -> str:
    lines = [ln for ln in re.split(r"\s*(?:\n|\\par\b)\s*", value) if ln.strip() and not NOTE_NOISE_RE.match(ln)]
    return " ".join(lines).strip()


def _year_month(date: str) -> tuple[str | None, str | None]:
    m = re.match(r"^\s*(\d{4})(?:-(\d{2}))?", date)
    if not m:
        return None, None
    return m.group(1), str(int(m.group(2))) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None


def _thesis_kind(value: str) -> tuple[str, str]:
    """(BibTeX type, French thesis type) from Zotero's / BibLaTeX's ``type``."""
    v = fold(value)
    if any(w in v for w in ("master", "mathesis", "memoire", "msc", "ma")) and "doct" not in v and "phd" not in v:
        return "mastersthesis", "Mémoire de master"
    if not v or any(w in v for w in ("phd", "doct", "these", "thesis", "dissertation")):
        return "phdthesis", "Thèse de doctorat"
    return "phdthesis", _plain_text(value)


def convert(key: str, entry_type: str, raw: dict[str, str], line: int) -> tuple[Imported, list[str]]:
    """One export entry → the BibTeX entry the book renders, and the problems found in it."""
    problems: list[str] = []
    fields = {k.lower(): v.strip() for k, v in raw.items()}
    dropped = sorted(k for k in fields if k not in KEEP and k not in RENAME and k not in
                     ("date", "subtitle", "options", "location", "journaltitle"))
    options = fields.get("options", "")
    useprefix = bool(re.search(r"useprefix\s*=\s*true", options, re.I))
    out: dict[str, str] = {}
    for name in NAME_FIELDS:
        if fields.get(name):
            out[name] = _names(fields[name], useprefix)
    for k, v in fields.items():
        k = RENAME.get(k, k)
        if k and k in KEEP and k not in NAME_FIELDS and v and k not in out:
            out[k] = v
    if fields.get("subtitle"):
        out["title"] = f"{out.get('title', '')}: {fields['subtitle']}".strip(": ")
    for k in ("title", "journal", "booktitle", "publisher", "address", "school", "institution", "organization",
              "series", "edition", "type", "howpublished", "note"):
        if k in out:
            out[k] = _plain_text(out[k])
    btype = TYPE_MAP.get(entry_type.lower(), "misc")
    if fields.get("date"):
        year, month = _year_month(latex_to_unicode(fields["date"]))
        if year is None and not fields.get("year"):
            problems.append(f"date « {fields['date']} » illisible (attendu AAAA, AAAA-MM ou AAAA-MM-JJ)")
        out.setdefault("year", year or "")
        if month and "month" not in fields:
            out["month"] = month
    if out.get("year"):
        y = re.match(r"^\s*(\d{4})", out["year"])
        out["year"] = y.group(1) if y else out["year"]
    if out.get("month"):
        m = out["month"].strip().lower()[:3]
        out["month"] = str(MONTHS[m]) if m in MONTHS else out["month"]
    if btype in ("phdthesis", "mastersthesis"):
        btype, label = _thesis_kind(out.get("type", entry_type if entry_type.lower() != "thesis" else ""))
        out["type"] = label
        if "institution" in out and "school" not in out:
            out["school"] = out.pop("institution")
    if btype == "techreport" and "institution" not in out and "publisher" in out:
        out["institution"] = out.pop("publisher")
    if btype == "incollection" and "booktitle" not in out and out.get("journal"):
        out["booktitle"] = out.pop("journal")  # BBT #1691: book title exported as journaltitle
    if out.get("howpublished"):
        url = re.search(r"https?://\S+", out["howpublished"])
        if url and not out.get("url"):
            out["url"] = url.group(0).rstrip("}")
        if url:
            del out["howpublished"]
    if out.get("doi"):
        out["doi"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", out["doi"].strip(), flags=re.I)
        out["doi"] = out["doi"].replace("\\_", "_")
        if not DOI_RE.match(out["doi"]):
            problems.append(f"DOI mal formé « {out['doi']} » (attendu 10.xxxx/…)")
        if out.get("url") and re.match(r"^https?://(?:dx\.)?doi\.org/", out["url"], re.I):
            del out["url"]
    if out.get("url"):
        out["url"] = out["url"].replace("\\_", "_").replace("\\%", "%").replace("\\#", "#")
    if out.get("urldate"):
        out["urldate"] = out["urldate"][:10]
    if out.get("pages"):
        out["pages"] = re.sub(r"\s*(?:--|–|—|-)\s*", "--", out["pages"])
    if "note" in out:
        out["note"] = _clean_note(fields.get("note", ""))
        out["note"] = _plain_text(out["note"])
    for k in list(out):
        if LOCAL_PATH_RE.search(out[k]):
            if k in ("url", "note", "howpublished"):
                del out[k]
            else:
                out[k] = LOCAL_PATH_RE.sub("", out[k]).strip()
    if not out.get("title"):
        problems.append("titre manquant")
    for k, v in out.items():
        if v.count("{") != v.count("}"):
            problems.append(f"accolades déséquilibrées dans le champ « {k} »")
    if not KEY_RE.match(key):
        problems.append("clé refusée par BibTeX (espace, virgule, accolade, guillemet ou % interdits)")
    return Imported(key=key, type=btype, fields={k: v for k, v in out.items() if v}, line=line, dropped=dropped), problems


def _block_lines(text: str, blocks) -> dict[int, int]:
    """The line (from 1) where each block starts, found from its raw text in ``text``.

    bibtexparser's own ``start_line`` loses a line at each « \\\\ » that ends a line (Better
    BibTeX writes one at every line break of Zotero's Extra field and of an HTML note), so a
    problem further down the export would be placed too high. A block whose raw text is not
    found keeps bibtexparser's line."""
    found, cursor, line = {}, 0, 1
    for block in blocks:
        raw = getattr(block, "raw", None) or ""
        pos = text.find(raw, cursor) if raw else -1
        if pos < 0:
            found[id(block)] = (block.start_line or 0) + 1
            continue
        line += text.count("\n", cursor, pos)
        found[id(block)] = line
        line += text.count("\n", pos, pos + len(raw))
        cursor = pos + len(raw)
    for block in blocks:  # a duplicate's first entry is a block of the same export
        first = getattr(block, "previous_block", None)
        if first is not None and id(first) not in found:
            found[id(first)] = (first.start_line or 0) + 1
    return found


def parse_export(text: str, source: str) -> tuple[list[Imported], list[str]]:
    """Every entry of the export, converted, and every problem found (one French line each)."""
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    import logging

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # bibtexparser logs each block it cannot parse, in English, before the book's own line for it
    parser_log = logging.getLogger("bibtexparser")
    level, parser_log.level = parser_log.level, logging.CRITICAL
    try:
        library = bibtexparser.parse_string(text)
    finally:
        parser_log.setLevel(level)
    entries: list[Imported] = []
    problems: list[str] = []
    lines = _block_lines(text, library.blocks)
    for block in library.blocks:
        line = lines[id(block)]
        if isinstance(block, ParsingFailedBlock):
            m = re.match(r"\s*@(\w+)\s*[{(]\s*([^,\s]*)", block.raw or "")
            what = f"entrée « {m.group(2)} »" if m and m.group(2) else "bloc"
            if m and m.group(1).lower() in ("comment", "preamble", "string"):
                continue
            if isinstance(block, DuplicateBlockKeyBlock):
                first = getattr(block, "previous_block", None)
                where = f" (ligne {lines[id(first)]})" if first is not None and id(first) in lines else ""
                problems.append(f"{source}, ligne {line}, entrée « {block.key} » : clé déjà employée plus haut dans "
                                f"l'export{where} ; aucune des deux entrées n'est ajoutée : donnez-leur des clés "
                                "différentes, ou retirez le doublon de l'export")
                continue
            problems.append(f"{source}, ligne {line}, {what} : syntaxe illisible (accolade ou guillemet non fermé ?) ; "
                            "rien n'a été lu de cette entrée")
            continue
        if not isinstance(block, Entry):
            continue
        entry, found = convert(block.key, block.entry_type,
                               {f.key: str(f.value) for f in block.fields}, line)
        problems += [f"{source}, ligne {line}, entrée « {block.key} » : {p}" for p in found]
        entries.append(entry)
    return entries, problems


def _existing(root: Path):
    from pybtex.database import parse_file

    path = root / BIB
    return parse_file(str(path), bib_format="bibtex") if path.exists() else None


def already_imported(entries: list[Imported], root: Path) -> set[str]:
    """Keys of the export that ``references.bib`` already holds for the same work (the same key,
    and the same DOI or the same normalised title and year): a collection exported again after
    new references were added to it. They are left as they are, not reported as duplicates, and
    never overwritten (references.bib holds the checked version)."""
    bib = _existing(root)
    if bib is None:
        return set()
    held = {key.lower(): e for key, e in bib.entries.items()}
    out = set()
    for e in entries:
        old = held.get(e.key.lower())
        if old is None:
            continue
        doi = e.fields.get("doi", "").lower()
        same_doi = bool(doi) and doi == old.fields.get("doi", "").lower()
        title = fold(e.fields.get("title", ""))
        same_title = bool(title) and (title, e.fields.get("year", "")) == (fold(old.fields.get("title", "")),
                                                                             old.fields.get("year", ""))
        if same_doi or same_title:
            out.add(e.key)
    return out


def find_duplicates(entries: list[Imported], root: Path, source: str) -> dict[str, list[str]]:
    """Problems by key: same key, DOI or normalised title + year as a work already in
    ``references.bib`` or earlier in the export."""
    bib = _existing(root)
    by_doi: dict[str, str] = {}
    by_title: dict[tuple[str, str], str] = {}
    keys = set()
    if bib is not None:
        for key, e in bib.entries.items():
            keys.add(key.lower())
            if e.fields.get("doi"):
                by_doi.setdefault(e.fields["doi"].lower(), key)
            by_title.setdefault((fold(e.fields.get("title", "")), e.fields.get("year", "")), key)
    out: dict[str, list[str]] = {}
    seen_doi: dict[str, str] = {}
    seen_title: dict[tuple[str, str], str] = {}
    for e in entries:
        where = f"{source}, ligne {e.line}, entrée « {e.key} »"
        msgs = out.setdefault(e.key, [])
        doi = e.fields.get("doi", "").lower()
        title = (fold(e.fields.get("title", "")), e.fields.get("year", ""))
        if doi and doi in by_doi:
            msgs.append(f"{where} : doublon, même DOI que « {by_doi[doi]} » déjà dans {BIB}")
        elif title[0] and title in by_title:
            msgs.append(f"{where} : doublon, même titre et même année que « {by_title[title]} » déjà dans {BIB}")
        elif e.key.lower() in keys:
            msgs.append(f"{where} : la clé existe déjà dans {BIB} pour un autre travail ; changez-la dans Zotero")
        elif doi and doi in seen_doi:
            msgs.append(f"{where} : doublon dans l'export, même DOI que « {seen_doi[doi]} »")
        elif title[0] and title in seen_title:
            msgs.append(f"{where} : doublon dans l'export, même titre et même année que « {seen_title[title]} »")
        if doi:
            seen_doi.setdefault(doi, e.key)
        if title[0]:
            seen_title.setdefault(title, e.key)
    return {k: v for k, v in out.items() if v}


def _csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _append(path: Path, lines: list[str]) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    return text + "".join(lines)


def _next_query_id(search_log: Path) -> str:
    ids = [r["query_id"] for r in csv.DictReader(io.StringIO(search_log.read_text(encoding="utf-8")))]
    nums = [int(i[1:]) for i in ids if re.fullmatch(r"Z\d{3}", i)]
    return f"Z{(max(nums) + 1) if nums else 1:03d}"


def add_references(export: Path, root: Path | None = None, partial: bool = False,
                   today: _dt.date | None = None) -> Report:
    """Check every entry of ``export``, then append the entries to ``references.bib`` and their
    «à vérifier» rows to the verification, readings and screening tables (and one search-log
    row for the import). Raises :class:`ReferenceImportError` with every problem if any entry cannot be
    added, before writing anything (unless ``partial``: then the clean entries are added)."""
    root = _data.project_root() if root is None else Path(root)
    today = today or _dt.date.today()
    source = export.name
    try:
        raw = export.read_bytes()
    except OSError as exc:
        raise ReferenceImportError([f"{export} : lecture impossible ({os_error(exc)})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ReferenceImportError([f"{source}, ligne {line} : le fichier n'est pas en UTF-8 ; dans Zotero, exportez avec "
                            "le codage « Unicode (UTF-8) »"]) from None
    entries, problems = parse_export(text, source)
    if not entries and not problems:
        raise ReferenceImportError([f"{source} : aucune entrée BibTeX trouvée (est-ce bien un export .bib de Zotero ?)"])
    already = already_imported(entries, root)
    entries = [e for e in entries if e.key not in already]
    dups = find_duplicates(entries, root, source)
    bad_keys = {re.search(r"entrée « ([^»]+) »", p).group(1) for p in problems if "entrée « " in p}
    problems += [m for msgs in dups.values() for m in msgs]
    bad_keys |= set(dups)
    unparsed = [p for p in problems if "syntaxe illisible" in p and "entrée « " not in p]
    if problems and not partial:
        raise ReferenceImportError(problems)
    good = [e for e in entries if e.key not in bad_keys]
    if partial and unparsed and not good:
        raise ReferenceImportError(problems)
    if good:
        _write(good, root, source, today)
    return Report(added=good, refused=problems, source=source, already=sorted(already))


def _write(entries: list[Imported], root: Path, source: str, today: _dt.date) -> None:
    """Write all files, or none: contents are prepared first, then replaced one by one."""
    bib_path = root / BIB
    bib_text = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
    bib_text = bib_text.rstrip("\n") + "\n\n" + "\n".join(e.to_bibtex() for e in entries)
    query_id = _next_query_id(root / SEARCH_LOG)
    note = f"importée de Zotero ({source}) le {today.isoformat()} ; notice à vérifier sur une page publique"
    verification, readings, screening = [], [], []
    for i, e in enumerate(entries, start=1):
        url = f"https://doi.org/{e.fields['doi']}" if e.fields.get("doi") else e.fields.get("url", "")
        verification.append(_csv_line([e.key, url, "", "", "to_verify", note]))
        readings.append(_csv_line([e.key, "", "not_read", ""]))
        screening.append(_csv_line([f"Z-{query_id[1:]}-{i:03d}", query_id, _plain_text(e.fields.get("title", "")),
                                    e.fields.get("year", ""), e.key, "to_verify",
                                    "identifié par d'autres méthodes (import Zotero) ; à vérifier"]))
    log = _csv_line([query_id, f"import Zotero : {source}", "zotero", today.isoformat(), str(len(entries)),
                     str(len(entries))])
    new = {
        bib_path: bib_text,
        root / VERIFICATION: _append(root / VERIFICATION, verification),
        root / READINGS: _append(root / READINGS, readings),
        root / SCREENING: _append(root / SCREENING, screening),
        root / SEARCH_LOG: _append(root / SEARCH_LOG, [log]),
    }
    old = {p: p.read_bytes() if p.exists() else None for p in new}
    try:
        for p, t in new.items():
            tmp = p.with_name(p.name + ".tmp")
            tmp.write_text(t, encoding="utf-8")
            tmp.replace(p)
    except OSError:
        for p, b in old.items():
            if b is not None:
                p.write_bytes(b)
        raise
