"""A coded project of a QDA tool (REFI-QDA ``.qdpx``, ``.qdc``, Taguette CSV) into ``data/``.

The path from a researcher's project to the book:

1. the project is read (``compendium.fieldwork.qda``, for untrusted files);
2. three mapping tables, drafted by the command and edited by the researcher, say how the
   project meets the book. They live under ``private/qda/`` (out of git and of the book, since
   document and coder names may name people):

   - ``private/qda/<projet>/codes.csv`` (``guid, chemin, code_livre``): a project code with a
     ``code_livre`` is *mapped* onto that code of the book's grid; without it, the code comes in
     as a code of its own, origin « inductif », under its imported parent (the hierarchy is kept);
   - ``private/qda/<projet>/documents.csv`` (``document, entretien``): the interview each document
     is; drafted from the naming rule (a document whose name contains an interview code such as
     ``RNS-COL-01`` is that interview);
   - ``private/qda/codeurs.csv`` (``nom, identifiant``): one pseudonymous coder id
     (``codeur-01``…) per coder name, shared by every project so that reliability pairs the same
     coder across imports;

3. the would-be tables are validated with the project's own validator on a temporary copy of
   ``data/``; only then are ``codebook.csv`` and ``segments.csv`` replaced. A failed import writes
   nothing in ``data/``. A re-import replaces only the codes and segments of the same project
   (column ``project``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium import data
from compendium.prose import agree
from compendium.fieldwork.qda import QdaImportError, QdaProject, code_guid, read_qdc, read_qdpx, read_taguette

INTERVIEW_CODE = re.compile(r"(RNS|TER)-(COL|ENT|PME|DON|REC|ASS)-\d{2}")
# the fictitious interviews of the demonstration appendix (data/demo/, compendium.fieldwork.demo)
DEMO_INTERVIEW_CODE = re.compile(r"FIC-(COL|ENT|PME|DON|REC|ASS)-\d{2}")
CASE_OF_PREFIX = {"RNS": "rennes", "TER": "territoire"}
CODE_MAP_COLUMNS = ["guid", "chemin", "code_livre"]
#: In documents.csv, the «entretien» of a coded document that is no interview (field notes).
NOT_AN_INTERVIEW = {"hors", "-"}
DOC_MAP_COLUMNS = ["document", "entretien"]
CODER_MAP_COLUMNS = ["nom", "identifiant"]
INTERVIEW_COLUMNS = ["id", "case", "actor_kind", "role_category", "month", "mode", "duration_min", "language",
                     "consent", "status"]
_CODER_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class ImportFailed(Exception):
    """The import cannot go on: ``problems`` holds one French line per problem (all of them)."""

    def __init__(self, problems: list[str], drafted: list[Path] | None = None,
                 report: list[str] | None = None) -> None:
        super().__init__(problems[0] if problems else "import impossible")
        self.problems = problems
        self.drafted = drafted or []
        self.report = report or []


@dataclass
class ImportResult:
    project: str
    counts: dict[str, int]
    imported: dict[str, int]
    report: list[str] = field(default_factory=list)
    drafted: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass
class PreparedImport:
    """What an import would write, before validation: the would-be codebook (the grid and this
    project's codes) and this project's segments (``None`` for a codebook alone)."""

    result: ImportResult
    codebook: pd.DataFrame
    segments: pd.DataFrame | None


# ------------------------------------------------------------------------------------ helpers

def slug(text: str, sep: str = "-") -> str:
    """ASCII lower-case slug (accents dropped, other characters as ``sep``)."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep)


def file_project_name(path: Path) -> str:
    """The project a file stands for when the file does not name it: its name, without the
    « (1) » a browser adds to a second download of the same export (Taguette always names it
    all_tags.csv: «all_tags (1).csv» became a second project, its segments counted twice)."""
    return re.sub(r"\s*\(\d+\)$", "", Path(path).stem)


def project_slug(name: str) -> str:
    """``Terrain 2026.qda`` → ``terrain-2026`` (QualCoder writes its project file name)."""
    out = slug(re.sub(r"\.(qda|qdpx|qdc|csv)$", "", str(name).strip(), flags=re.I))
    if not out:
        raise ImportFailed([f"{_q(name)} : nom de projet vide une fois réduit aux lettres et chiffres ASCII, "
                            "donnez-en un avec --projet"])
    return out[:40].strip("-")


def _q(value: object) -> str:
    return f"« {value} »"


def read_project(path: Path, taguette_codebook: Path | None = None) -> QdaProject:
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return read_qdpx(path)
    if suffix == ".csv":
        return read_taguette(path, taguette_codebook)
    if suffix == ".qdc":
        from compendium.fieldwork.qda import SELECTION_COLUMNS, SOURCE_COLUMNS

        return QdaProject(codes=read_qdc(path), sources=pd.DataFrame(columns=SOURCE_COLUMNS),
                          selections=pd.DataFrame(columns=SELECTION_COLUMNS))
    raise QdaImportError(f"{path.name} : format non reconnu (attendu : .qdpx ou .qdc REFI-QDA, ou export CSV de Taguette)")


def _read_map(path: Path, columns: list[str], problems: list[str]) -> list[tuple[int, dict]]:
    """Rows of a mapping CSV as ``(line, {column: value})``; problems appended, never raised."""
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{path.name} : pas encodé en UTF-8 (octet {exc.start})")
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{path} : {agree(len(missing), 'colonne manquante', 'colonnes manquantes')} {', '.join(missing)} (attendues : {', '.join(columns)})")
        return []
    return [(reader.line_num, {c: (row.get(c) or "").strip() for c in columns}) for row in reader]


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    if value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def table_text(frame: pd.DataFrame, columns: list[str]) -> str:
    """A table as the project writes its CSV files (``\\n`` line ends, lists joined by ``;``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in frame.reindex(columns=columns).itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def _reason(line: str) -> str:
    """The reason of a skipped line: quoted values, GUIDs and numbers blanked, for grouping."""
    text = re.sub(r"«[^»]*»", "«…»", line)
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "…", text)
    text = re.sub(r"\d+", "N", text)
    return text.split(" : ", 1)[1] if " : " in text else text


def group_skipped(lines: list[str], examples: int = 2) -> list[str]:
    """One line per reason with its count and the first examples (instead of one per item)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        groups[_reason(line)].append(line)
    out = []
    for reason, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(items) == 1:
            out.append(items[0])
        else:
            shown = " | ".join(items[:examples]) + (" | …" if len(items) > examples else "")
            out.append(f"{len(items)} × {reason} (par ex. {shown})")
    return out


# --------------------------------------------------------------------------------- mappings

def _code_paths(codes: pd.DataFrame) -> dict[str, str]:
    names = dict(zip(codes["guid"], codes["name"]))
    parents = dict(zip(codes["guid"], codes["parent_guid"]))
    paths: dict[str, str] = {}
    for guid in codes["guid"]:
        chain, cur, seen = [], guid, set()
        while isinstance(cur, str) and cur and cur not in seen:
            seen.add(cur)
            chain.append(names.get(cur, ""))
            cur = parents.get(cur)
        paths[guid] = " > ".join(reversed(chain))
    return paths


def _suggest_code(guid: str, name: str, grid: pd.DataFrame) -> str:
    by_guid = {code_guid(i): i for i in grid["id"]}
    if guid in by_guid:
        return by_guid[guid]
    if str(name).strip() in set(grid["id"]):  # a Taguette tag from the grid's CSV is the code's id
        return str(name).strip()
    by_label = {str(label).strip().lower(): i for i, label in zip(grid["id"], grid["label"])}
    return by_label.get(str(name).strip().lower(), "")


def _interview_of(name: str, pattern: re.Pattern = INTERVIEW_CODE) -> str:
    match = pattern.search(str(name).upper())
    return match.group(0) if match else ""


def _columns(root: Path, table: str) -> list[str]:
    """The columns of ``table`` as data/datapackage.json declares them (without reading the table)."""
    for res in data.read_descriptor(root)["resources"]:
        if res.get("name") == table:
            return [f["name"] for f in res["schema"]["fields"]]
    raise data.DataError(f"data/datapackage.json : aucune table « {table} »")


def _new_coder_id(taken: set[str]) -> str:
    n = 1
    while f"codeur-{n:02d}" in taken:
        n += 1
    return f"codeur-{n:02d}"


# ------------------------------------------------------------------------------------ import

def import_project(root: Path, path: Path, name: str | None = None, taguette_codebook: Path | None = None,
                   only_mapped: bool = False, draft_interviews: bool = False,
                   codebook_only: bool = False) -> ImportResult:
    """Import a coded project (or, with ``codebook_only`` or a ``.qdc``, its codebook alone).

    Raises :class:`ImportFailed` (every problem at once) or :class:`QdaImportError`; on success,
    ``data/coding/codebook.csv`` and ``data/interviews/segments.csv`` are replaced after validation.
    """
    root = Path(root).resolve()
    plan = prepare_import(root, path, name, taguette_codebook, only_mapped, draft_interviews, codebook_only)
    result = plan.result
    cb_columns = _columns(root, "codebook")
    written = {root / "data" / "coding" / "codebook.csv": table_text(plan.codebook, cb_columns)}
    if plan.segments is not None:
        seg_columns = _columns(root, "interview_segments")
        segments = data.load_table("interview_segments", root)
        kept = segments[segments["project"].isna() | (segments["project"] != result.project)]
        merged = pd.concat([kept, plan.segments.reindex(columns=seg_columns)], ignore_index=True)
        written[root / "data" / "interviews" / "segments.csv"] = table_text(merged, seg_columns)
    _validate_then_write(root, written)
    result.written = list(written)
    return result


def prepare_import(root: Path, path: Path, name: str | None = None, taguette_codebook: Path | None = None,
                   only_mapped: bool = False, draft_interviews: bool = False, codebook_only: bool = False, *,
                   private: Path | None = None, codebook: pd.DataFrame | None = None,
                   interviews: pd.DataFrame | None = None,
                   interview_code: re.Pattern = INTERVIEW_CODE) -> PreparedImport:
    """Read the project and its mapping tables (drafting the missing ones), check everything and
    return the would-be tables, without writing anything in ``data/``: the first half of
    :func:`import_project`, which then validates and writes.

    ``private`` (default ``private/qda/``), ``codebook``, ``interviews`` (default: the book's
    tables) and ``interview_code`` (the naming rule) let the demonstration appendix run the very
    same import on its fictitious project, mappings drafted in a temporary folder.
    """
    root = Path(root).resolve()
    path = Path(path)
    project = read_project(path, taguette_codebook)
    codebook_only = codebook_only or path.suffix.lower() == ".qdc"
    pslug = project_slug(name or project.name or file_project_name(path))
    private = Path(private) if private is not None else root / "private" / "qda"
    mine = private / pslug
    codebook = data.load_table("codebook", root) if codebook is None else codebook
    interviews = data.load_table("interviews", root) if interviews is None else interviews
    grid = codebook[codebook["project"].isna() | (codebook["project"] != pslug)]
    grid_ids = set(grid["id"])
    problems: list[str] = []
    drafted: list[Path] = []
    report: list[str] = list(project.skipped)

    codes = project.codes
    is_category = set(codes["parent_guid"].dropna()) | set(codes.loc[~codes["is_codable"].astype(bool), "guid"])
    counts = {"sources": len(project.sources), "codes": int((~codes["guid"].isin(is_category)).sum()),
              "catégories": int(codes["guid"].isin(is_category).sum()), "codages": len(project.selections),
              "codeurs": int(project.selections["coder"].nunique())}
    if codes.empty:
        raise ImportFailed([f"{path.name} : aucun code dans le projet, rien à importer"])

    # --- codes: mapping table, drafted then read
    paths = _code_paths(codes)
    code_map_path = mine / "codes.csv"
    rows = _read_map(code_map_path, CODE_MAP_COLUMNS, problems)
    mapped = {r["guid"]: (line, r["code_livre"]) for line, r in rows}
    # QualCoder gives every code a new random GUID at each export: a row of the table whose GUID
    # the project no longer has, and whose path is that of exactly one new code, is that code (the
    # researcher's « code_livre » is kept, the row takes the new GUID)
    present = set(codes["guid"])
    stale: dict[str, list[dict]] = {}
    for _, r in rows:
        if r["guid"] not in present:
            stale.setdefault(r["chemin"], []).append(r)
    unmapped = [g for g in codes["guid"] if g not in mapped]
    by_path: dict[str, list[str]] = {}
    for g in unmapped:
        by_path.setdefault(paths[g], []).append(g)
    renewed = 0
    for chemin, guids in by_path.items():
        if len(guids) == 1 and len(stale.get(chemin, [])) == 1:
            row = stale[chemin][0]
            line = next(n for n, r in rows if r is row)
            mapped.pop(row["guid"], None)  # the old GUID is no code of this project
            row["guid"] = guids[0]
            mapped[guids[0]] = (line, row["code_livre"])
            renewed += 1
    if renewed:
        report.append(f"{code_map_path} : {agree(renewed, '{n} code retrouvé', '{n} codes retrouvés')} par {'son' if renewed < 2 else 'leur'} "
                      f"chemin, sous un nouvel identifiant (GUID) donné par le logiciel à l'export ; "
                      f"{'son rattachement est gardé' if renewed < 2 else 'leurs rattachements sont gardés'}")
    missing_rows = [{"guid": g, "chemin": paths[g], "code_livre": _suggest_code(g, n, grid)}
                    for g, n in zip(codes["guid"], codes["name"]) if g not in mapped]
    if missing_rows or renewed:
        _write_csv(code_map_path, CODE_MAP_COLUMNS, [r for _, r in rows] + missing_rows)
    if missing_rows:
        drafted.append(code_map_path)
        for r in missing_rows:
            mapped[r["guid"]] = (0, r["code_livre"])
    for guid, (line, target) in mapped.items():
        if target and target not in grid_ids:
            problems.append(f"{code_map_path} : ligne {line}, colonne code_livre : {_q(target)} n'est pas un code de "
                            f"la grille (data/coding/codebook.csv)")

    # book ids of the project's codes
    book_id: dict[str, str] = {}
    new_codes: list[dict] = []
    used = set(grid_ids)
    parents = dict(zip(codes["guid"], codes["parent_guid"]))
    for row in codes.itertuples():
        target = mapped.get(row.guid, (0, ""))[1]
        if target:
            book_id[row.guid] = target
            continue
        if only_mapped:
            continue
        base = slug(row.name, "_")[:48].strip("_") or "code"
        if not base[0].isalpha():
            base = f"c_{base}"
        cid, n = base, 2
        while cid in used:
            cid, n = f"{base}_{n}", n + 1
        used.add(cid)
        book_id[row.guid] = cid
        description = (row.description or "").strip()
        new_codes.append({"id": cid, "guid": row.guid, "label": row.name.strip() or cid, "definition": description or None,
                          "include": None, "exclude": None, "example": None, "origin": ["inductif"], "project": pslug})
    for code in new_codes:
        parent = parents.get(code.pop("guid"))
        while isinstance(parent, str) and parent and parent not in book_id:
            parent = parents.get(parent)  # an unmapped ancestor left out (--seulement-rattaches)
        code["parent"] = book_id.get(parent) if isinstance(parent, str) else None

    # --- documents → interviews, coders → ids (segments only)
    new_segments: list[dict] = []
    coder_map_path = private / "codeurs.csv"
    if not codebook_only:
        doc_map_path = mine / "documents.csv"
        rows = _read_map(doc_map_path, DOC_MAP_COLUMNS, problems)
        doc_map = {r["document"]: (line, r["entretien"]) for line, r in rows}
        coded_docs = sorted(set(project.selections["source_name"]))
        all_docs = list(dict.fromkeys(list(project.sources["name"]) + coded_docs))
        missing_docs = [{"document": d, "entretien": _interview_of(d, interview_code)} for d in all_docs
                        if d not in doc_map]
        if missing_docs:
            _write_csv(doc_map_path, DOC_MAP_COLUMNS, [r for _, r in rows] + missing_docs)
            drafted.append(doc_map_path)
            for r in missing_docs:
                doc_map[r["document"]] = (0, r["entretien"])
        known = set(interviews["id"])
        # «hors» (or «-»): a coded document that is no interview (field notes, a memo), left out
        outside = {d for d in coded_docs if doc_map[d][1].strip().lower() in NOT_AN_INTERVIEW}
        unmatched = [d for d in coded_docs if not doc_map[d][1]]
        if unmatched:
            problems.append(f"{doc_map_path} : {agree(len(unmatched), '{n} document codé', '{n} documents codés')} sans entretien (colonne "
                            f"entretien vide) : {', '.join(_q(d) for d in unmatched)}")
        bad = sorted({(doc_map[d][0], doc_map[d][1]) for d in coded_docs
                      if doc_map[d][1] and d not in outside and not interview_code.fullmatch(doc_map[d][1])})
        for line, value in bad:
            where = f"ligne {line}, " if line else ""
            problems.append(f"{doc_map_path} : {where}colonne entretien : code d'entretien mal formé {_q(value)} "
                            "(attendu par ex. RNS-COL-01, ou « hors » pour un document qui n'est pas un entretien)")
        absent = sorted({doc_map[d][1] for d in coded_docs
                         if interview_code.fullmatch(doc_map[d][1] or "") and doc_map[d][1] not in known})
        if absent:
            hint = ""
            if draft_interviews:
                draft = mine / "entretiens-a-completer.csv"
                _write_csv(draft, INTERVIEW_COLUMNS, [
                    {"id": i, "case": CASE_OF_PREFIX[i[:3]], "actor_kind": i[4:7], "status": "code"} for i in absent])
                drafted.append(draft)
                hint = f" ; lignes à compléter puis à ajouter : {draft}"
            else:
                hint = " (--brouillon-entretiens prépare ces lignes)"
            problems.append(f"data/interviews/interviews.csv : {agree(len(absent), '{n} entretien absent', '{n} entretiens absents')} : "
                            f"{', '.join(absent)}{hint}")

        rows = _read_map(coder_map_path, CODER_MAP_COLUMNS, problems)
        coder_ids = {r["nom"]: r["identifiant"] for _, r in rows}
        for line, r in rows:
            if not _CODER_ID.fullmatch(r["identifiant"]):
                problems.append(f"{coder_map_path} : ligne {line}, colonne identifiant : {_q(r['identifiant'])} "
                                "invalide (lettres ASCII, chiffres, - et _)")
        new_coders = [c for c in sorted(set(project.selections["coder"])) if c not in coder_ids]
        if new_coders:
            taken = set(coder_ids.values())
            for coder in new_coders:
                coder_ids[coder] = _new_coder_id(taken)
                taken.add(coder_ids[coder])
            _write_csv(coder_map_path, CODER_MAP_COLUMNS,
                       [{"nom": k, "identifiant": v} for k, v in coder_ids.items()])
            drafted.append(coder_map_path)

        left_out: Counter = Counter()
        not_interviews: Counter = Counter()
        for sel in project.selections.itertuples():
            if sel.source_name in outside:
                not_interviews[sel.source_name] += 1
                continue
            code = book_id.get(sel.code_guid)
            if code is None:
                left_out[paths.get(sel.code_guid, sel.code_name)] += 1
                continue
            interview = doc_map.get(sel.source_name, (0, ""))[1]
            has_pos = not pd.isna(sel.start)
            new_segments.append({"interview_id": interview, "code_id": code, "coder": coder_ids.get(sel.coder, ""),
                                 "start": int(sel.start) if has_pos else None, "end": int(sel.end) if has_pos else None,
                                 "unit": "caracteres" if has_pos else "aucune", "quote": None, "note": None,
                                 "project": pslug})
        for document, n in sorted(not_interviews.items()):
            report.append(f"{doc_map_path} : {_q(document)}, marqué « hors » (pas un entretien) : "
                          f"{agree(n, '{n} codage non importé', '{n} codages non importés')}")
        memos = int((project.selections["memo"].fillna("").astype(str).str.strip() != "").sum()) \
            if "memo" in project.selections else 0
        if memos:
            report.append(f"{path.name} : {agree(memos, '{n} commentaire de passage', '{n} commentaires de passage')} "
                          "(<Description> des sélections, par ex. mémos de citation d'ATLAS.ti) "
                          f"{agree(memos, 'non importé : il peut nommer des personnes', 'non importés : ils peuvent nommer des personnes')}")
        for code_path, n in sorted(left_out.items()):
            report.append(f"code {_q(code_path)} non rattaché à la grille (--seulement-rattaches) : "
                          f"{agree(n, '{n} passage non importé', '{n} passages non importés')}")
        if not new_segments and not problems:
            why = ("le projet ne contient aucun passage codé" if project.selections.empty else
                   "aucun passage codé n'a pu être rattaché à un code importé")
            read = ", ".join(agree(counts[k], f"{{n}} {one}", f"{{n}} {many}") for k, one, many in (
                ("codes", "code", "codes"), ("catégories", "catégorie", "catégories"),
                ("sources", "source", "sources"), ("codages", "codage", "codages")))
            problems.append(f"{path.name} : 0 segment importé, {why} ({read} lus) : l'import est refusé")
    if problems:
        raise ImportFailed([p.replace(f"{root}{os.sep}", "") for p in problems], drafted, report)

    # --- would-be tables
    cb_columns, seg_columns = _columns(root, "codebook"), _columns(root, "interview_segments")
    new_cb = pd.concat([grid, pd.DataFrame(new_codes, columns=cb_columns)], ignore_index=True)
    new = None
    if not codebook_only:
        new = pd.DataFrame(new_segments, columns=seg_columns).sort_values(
            ["interview_id", "coder", "start", "end", "code_id"], na_position="last", kind="stable")
        new["id"] = [f"{pslug}-{n:05d}" for n in range(1, len(new) + 1)]
        new = new.reset_index(drop=True)
    imported = {"codes créés": len(new_codes), "codes rattachés à la grille": sum(1 for v in mapped.values() if v[1]),
                "segments": len(new_segments), "entretiens": 0 if new is None else new["interview_id"].nunique(),
                "catégories créées": sum(1 for c in new_codes if c["id"] in set(x["parent"] for x in new_codes)),
                "à définir": sum(1 for c in new_codes if not c["definition"])}
    result = ImportResult(project=pslug, counts=counts, imported=imported, report=report, drafted=drafted)
    return PreparedImport(result=result, codebook=new_cb, segments=new)


def _new_leaks(root: Path, files: dict[Path, str]) -> list[str]:
    """The protected names (``private/pseudonymes.csv``), addresses, phone numbers and local paths
    in the lines an import adds to ``data/`` (a code's memo «Passages où Marie-Hélène de La Tour
    raconte…», a project named after its author): found before anything is written, not by the
    leak check afterwards. Lines already in the table are the leak check's business."""
    from compendium.fieldwork.privacy import PrivacyError, _pattern, _scan_text, read_key, read_deny_list

    key_path, deny_path = root / "private" / "pseudonymes.csv", root / "private" / "liste-a-masquer.txt"
    try:
        terms = read_key(key_path) if key_path.is_file() else []
        terms += read_deny_list(deny_path) if deny_path.is_file() else []
    except PrivacyError as exc:
        return [str(exc)]
    patterns = [(_pattern(t.text, t.proper), t.text) for t in terms]
    out = []
    for target, text in files.items():
        old = set(target.read_text(encoding="utf-8").splitlines()) if target.is_file() else set()
        label = target.relative_to(root).as_posix()
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            if line in old:
                continue
            for leak in _scan_text(label, line, patterns):
                out.append(f"{label}, ligne {number} : {leak.what} (rien n'a été écrit ; remplacez-le dans le "
                           "projet, par exemple par son code, puis relancez)")
    return out


def _validate_then_write(root: Path, files: dict[Path, str]) -> None:
    """Validate the package with ``files`` in place on a temporary copy, and look for protected
    names in the lines they add; then replace them."""
    leaks = _new_leaks(root, files)
    if leaks:
        raise ImportFailed(leaks)
    with tempfile.TemporaryDirectory(prefix="compendium-import-") as tmp:
        shutil.copytree(root / "data", Path(tmp) / "data")
        for target, text in files.items():
            (Path(tmp) / target.relative_to(root)).write_text(text, encoding="utf-8")
        problems = data.validate_package(Path(tmp))
        if problems:
            raise ImportFailed([f"validation refusée, rien n'a été écrit : {p}" for p in problems])
    staged = []
    try:
        for target, text in files.items():
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            staged.append((name, target))
        for name, target in staged:
            os.replace(name, target)
    finally:
        for name, _ in staged:
            if os.path.exists(name):
                os.unlink(name)
