"""The book's coding back to the QDA tools: a REFI-QDA project (``.qdpx``) and back.

``export_qdpx`` writes the codebook, the documentary pre-coding (``documentary_segments``) and,
when the pseudonymised transcripts are given, the interview segments, as a ``.qdpx`` that
validates against the REFI-QDA 1.5 ``Project.xsd`` (kept in ``assets/refi-qda/``). The layout is
the one QualCoder writes: ``project.qde`` and a ``sources/`` folder holding one UTF-8 text per
source (``plainTextPath="internal://<guid>.txt"``).

- A documentary source becomes a text with one paragraph per segment, ``[locator] paraphrase``;
  the paraphrase is the coded selection.
- An interview becomes its pseudonymised transcript; a segment is a selection at its
  ``start``–``end`` (a segment without position covers the whole text).
- Each selection's ``<Description>`` carries the segment's other fields as ``key: value`` lines
  (``id``, ``status``, ``quote``…, and any optional column added to the table), so that
  :func:`segments_from_qdpx` gives the same segments back. Coders are ``<User>`` named by their
  pseudonymous id; codes keep the GUIDs of ``codebook-qdc`` (UUIDv5 of their id).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd

from compendium import data
from compendium.prose import agree
from compendium.fieldwork.qda import PROJECT_NS, _description, code_guid, read_qdpx

ASSETS = Path(__file__).parent / "assets" / "refi-qda"
EXPORT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compendium:jumeaux-numeriques-territoriaux:qdpx")
DOC_FIXED = ["document_id", "code_id", "coder", "paraphrase"]
INTERVIEW_FIXED = ["interview_id", "code_id", "coder", "start", "end"]
KIND_DOC = "compendium:documentaire"
KIND_INTERVIEW = "compendium:entretien"


class ExportError(Exception):
    pass


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(EXPORT_NAMESPACE, ":".join(parts)))


def _present(value) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and value != value:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _memo(row: dict, skip: list[str]) -> str:
    lines = []
    for key, value in row.items():
        if key in skip or not _present(value):
            continue
        text = ";".join(value) if isinstance(value, list) else str(int(value) if isinstance(value, float) and
                                                                    value.is_integer() else value)
        lines.append(f"{key}: {text.replace(chr(92), chr(92) * 2).replace(chr(10), chr(92) + 'n')}")
    return "\n".join(lines)


def _unmemo(text: str) -> dict[str, str]:
    out = {}
    for line in (text or "").split("\n"):
        key, sep, value = line.partition(": ")
        if sep:
            out[key.strip()] = value.replace("\\n", "\n").replace("\\\\", "\\")
    return out


def schema(name: str = "Project"):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(ASSETS / f"{name}.xsd")))


def validate_xml(xml: bytes, name: str = "Project") -> list[str]:
    """Problems of ``xml`` against the REFI-QDA schema ``name`` (empty when valid)."""
    from lxml import etree

    xsd = schema(name)
    doc = etree.fromstring(xml)
    if xsd.validate(doc):
        return []
    return [f"ligne {e.line} : {e.message}" for e in xsd.error_log]


def build_project(codebook: pd.DataFrame, documentary: pd.DataFrame, interview_segments: pd.DataFrame | None = None,
                  transcripts: dict[str, str] | None = None,
                  name: str = "Compendium jumeaux numériques territoriaux") -> tuple[bytes, dict[str, str], list[str]]:
    """The ``project.qde`` XML, the source texts (file name → text) and what was left out."""
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    ET.register_namespace("", PROJECT_NS)
    skipped: list[str] = []
    transcripts = transcripts or {}
    interview_segments = interview_segments if interview_segments is not None else pd.DataFrame(
        columns=INTERVIEW_FIXED)
    root = ET.Element(q("Project"), {"name": name, "origin": "compendium",
                                     "creationDateTime": "2026-01-01T00:00:00Z"})
    coders = sorted(set(documentary["coder"]) | set(interview_segments["coder"]))
    users = ET.SubElement(root, q("Users"))
    user_guid = {c: _guid("coder", c) for c in coders}
    for c in coders:
        ET.SubElement(users, q("User"), {"guid": user_guid[c], "name": c})
    if not coders:
        root.remove(users)
    codes_el = ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes"))
    rows = {r["id"]: r for r in codebook.to_dict("records")}
    children: dict[str | None, list[str]] = {}
    for cid, r in rows.items():
        parent = r["parent"] if isinstance(r["parent"], str) and r["parent"] in rows else None
        children.setdefault(parent, []).append(cid)
    stack = [(codes_el, cid) for cid in reversed(children.get(None, []))]
    while stack:
        parent_el, cid = stack.pop()
        el = ET.SubElement(parent_el, q("Code"), {"guid": code_guid(cid), "name": str(rows[cid]["label"]),
                                                  "isCodable": "true"})
        ET.SubElement(el, q("Description")).text = _description(rows[cid])
        stack.extend((el, child) for child in reversed(children.get(cid, [])))
    sources_el = ET.SubElement(root, q("Sources"))
    files: dict[str, str] = {}

    def source(kind: str, key: str, text: str, selections: list[tuple[int, int, dict, str, str]]) -> None:
        guid = _guid(kind, key)
        file_name = f"{guid}.txt"
        files[file_name] = text
        el = ET.SubElement(sources_el, q("TextSource"), {"guid": guid, "name": key,
                                                        "plainTextPath": f"internal://{file_name}"})
        ET.SubElement(el, q("Description")).text = kind
        for n, (start, end, memo, code, coder) in enumerate(selections):
            sel = ET.SubElement(el, q("PlainTextSelection"), {
                "guid": _guid(kind, key, "sel", str(n)), "name": text[start:end][:200], "startPosition": str(start),
                "endPosition": str(end), "creatingUser": user_guid[coder]})
            ET.SubElement(sel, q("Description")).text = memo
            coding = ET.SubElement(sel, q("Coding"), {"guid": _guid(kind, key, "coding", str(n)),
                                                     "creatingUser": user_guid[coder]})
            ET.SubElement(coding, q("CodeRef"), {"targetGUID": code_guid(code)})

    for doc, group in documentary.groupby("document_id", sort=True):
        text, selections = "", []
        for r in group.to_dict("records"):
            head = f"[{r['locator']}] "
            start = len(text) + len(head)
            memo = _memo(r, DOC_FIXED)
            if _present(r.get("paraphrase")):
                shown = str(r["paraphrase"])
            else:  # a segment coded on a passage of the source: the selection is its verbatim anchor
                shown = str(r["anchor"]) if _present(r.get("anchor")) else ""
                memo = "\n".join(x for x in (memo, "selection: anchor") if x)
            text += head + shown + "\n"
            selections.append((start, start + len(shown), memo, r["code_id"], r["coder"]))
        source(KIND_DOC, doc, text, selections)
    for interview, group in interview_segments.groupby("interview_id", sort=True):
        text = transcripts.get(interview)
        if text is None:
            skipped.append(f"entretien {interview} : {agree(len(group), '{n} segment non exporté', '{n} segments non exportés')}, transcription "
                           "pseudonymisée non fournie (--transcriptions)")
            continue
        selections = []
        for r in group.to_dict("records"):
            positioned = _present(r.get("start")) and _present(r.get("end"))
            start, end = (int(r["start"]), int(r["end"])) if positioned else (0, len(text))
            if end > len(text):
                skipped.append(f"entretien {interview} : segment {r.get('id')} non exporté, fin {end} au-delà du texte "
                               f"({len(text)} caractères)")
                continue
            selections.append((start, end, _memo(r, INTERVIEW_FIXED if positioned else INTERVIEW_FIXED[:3]),
                               r["code_id"], r["coder"]))
        source(KIND_INTERVIEW, interview, text, selections)
    ET.SubElement(root, q("Description")).text = (
        "Codage exporté par le compendium : pré-codage documentaire et segments d'entretien. "
        "La description de chaque sélection porte les champs du segment ; ne la modifiez pas.")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files, skipped


def write_qdpx(target: Path, xml: bytes, files: dict[str, str]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, text in files.items():
            zf.writestr(f"sources/{name}", text.encode("utf-8"))


def export_qdpx(root: Path, target: Path, transcripts_dir: Path | None = None) -> dict:
    """Export the book's coding; raise :class:`ExportError` if the XML does not validate."""
    codebook = data.load_table("codebook", root)
    documentary = data.load_table("documentary_segments", root)
    interviews = data.load_table("interview_segments", root)
    transcripts = {}
    if transcripts_dir is not None:
        for interview in sorted(set(interviews["interview_id"])):
            path = Path(transcripts_dir) / f"{interview}.txt"
            if path.is_file():
                transcripts[interview] = path.read_text(encoding="utf-8-sig")
    xml, files, skipped = build_project(codebook, documentary, interviews, transcripts)
    problems = validate_xml(xml)
    if problems:
        raise ExportError("; ".join(problems[:10]))
    write_qdpx(Path(target), xml, files)
    return {"codes": len(codebook), "documentaire": len(documentary),
            "entretiens": int(interviews["interview_id"].isin(list(transcripts)).sum()), "skipped": skipped}


def code_resolver(project, codebook: pd.DataFrame):
    """``resolve(code_guid, code_name)`` → the book's code id of a code of ``project``.

    By GUID first (the export's GUIDs, UUIDv5 of the id); then by the « Identifiant : … » line of
    the code's description, which the export writes and the tools keep (QualCoder gives every
    code a new random GUID at each export, so a reviewed project never keeps the export's); then
    by a label the codebook holds once; otherwise the name itself, which validation reports."""
    import re

    ids = set(codebook["id"])
    by_guid = {code_guid(i): i for i in ids}
    labels = codebook["label"].value_counts()
    by_label = {label: cid for label, cid in zip(codebook["label"], codebook["id"]) if labels[label] == 1}
    described = {}
    for code in project.codes.itertuples():
        found = re.findall(r"^\s*Identifiant\s*:\s*(\S+)\s*$", str(code.description or ""), re.M)
        if found and found[-1] in ids:
            described[code.guid] = found[-1]

    def resolve(guid: str, name: str) -> str:
        return by_guid.get(guid) or described.get(guid) or by_label.get(name) or name

    return resolve


def segments_from_qdpx(path: Path, codebook: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documentary and interview segments of a ``.qdpx`` written by :func:`export_qdpx` (and
    possibly reviewed in a QDA tool): codes by :func:`code_resolver`, coders by user name."""
    project = read_qdpx(path)
    resolve = code_resolver(project, codebook)
    kinds = dict(zip(project.sources["guid"], project.sources["description"]))
    doc_rows, int_rows = [], []
    for sel in project.selections.itertuples():
        memo = _unmemo(sel.memo)
        code = resolve(sel.code_guid, sel.code_name)
        if kinds.get(sel.source_guid) == KIND_DOC:
            row = {"document_id": sel.source_name, "code_id": code, "coder": sel.coder, "paraphrase": sel.text}
            if memo.pop("selection", None) == "anchor":
                row["paraphrase"] = None  # the selection shows the anchor; the segment has no paraphrase
            row.update(memo)
            doc_rows.append(row)
        else:
            row = {"interview_id": sel.source_name, "code_id": code, "coder": sel.coder}
            if "unit" in memo and memo["unit"] != "aucune" or "unit" not in memo:
                row.update(start=int(sel.start), end=int(sel.end))
            row.update(memo)
            int_rows.append(row)
    return pd.DataFrame(doc_rows), pd.DataFrame(int_rows)


def import_back(root: Path, path: Path) -> dict:
    """Bring a reviewed export back: its documentary sources and interviews replace theirs.

    Selections kept from the export keep their segment fields (from their description); a
    selection added in the tool gets a new id, status « préliminaire » (documentary) and the
    coder id of ``private/qda/codeurs.csv`` (a new coder name gets a new ``codeur-NN``).
    Validated on a temporary copy before anything is written.
    """
    from compendium.fieldwork.qda_import import (CODER_MAP_COLUMNS, ImportFailed, _new_coder_id, _read_map,
                                                 _validate_then_write, _write_csv, table_text)

    root = Path(root).resolve()
    codebook = data.load_table("codebook", root)
    documentary = data.load_table("documentary_segments", root)
    interviews = data.load_table("interview_segments", root)
    docs, ints = segments_from_qdpx(path, codebook)
    problems: list[str] = []
    coder_map_path = root / "private" / "qda" / "codeurs.csv"
    rows = _read_map(coder_map_path, CODER_MAP_COLUMNS, problems)
    coder_ids = {r["nom"]: r["identifiant"] for _, r in rows}
    known = set(documentary["coder"]) | set(interviews["coder"]) | set(coder_ids.values())
    new_names = sorted({c for frame in (docs, ints) if not frame.empty for c in frame["coder"]} - known - set(coder_ids))
    for name in new_names:
        coder_ids[name] = _new_coder_id(set(coder_ids.values()) | known)
    if problems:
        raise ImportFailed(problems)
    files = {}
    counts = {"documentaire": 0, "entretiens": 0}
    if not docs.empty:
        docs["coder"] = docs["coder"].map(lambda c: coder_ids.get(c, c))
        docs["status"] = docs.get("status", pd.Series(index=docs.index, dtype=object)).fillna("préliminaire")
        docs["locator"] = docs.get("locator", pd.Series(index=docs.index, dtype=object)).fillna("résumé")
        taken = set(documentary["id"])
        fresh = iter(f"seg-retour-{n:04d}" for n in range(1, 10_000) if f"seg-retour-{n:04d}" not in taken)
        docs["id"] = [i if isinstance(i, str) and i else next(fresh) for i in docs.get("id", [None] * len(docs))]
        kept = documentary[~documentary["document_id"].isin(set(docs["document_id"]))]
        merged = pd.concat([kept, docs], ignore_index=True)
        order = {i: n for n, i in enumerate(documentary["id"])}
        merged = merged.assign(_o=merged["id"].map(order)).sort_values("_o", kind="stable", na_position="last").drop(
            columns="_o")
        files[root / "data/coding/documentary_segments.csv"] = table_text(merged, list(documentary.columns))
        counts["documentaire"] = len(docs)
    if not ints.empty:
        ints["coder"] = ints["coder"].map(lambda c: coder_ids.get(c, c))
        if "unit" not in ints:
            ints["unit"] = None
        ints["unit"] = ints["unit"].fillna("caracteres")
        taken = set(interviews["id"])
        fresh = iter(f"retour-{n:05d}" for n in range(1, 100_000) if f"retour-{n:05d}" not in taken)
        ints["id"] = [i if isinstance(i, str) and i else next(fresh) for i in ints.get("id", [None] * len(ints))]
        kept = interviews[~interviews["interview_id"].isin(set(ints["interview_id"]))]
        merged = pd.concat([kept, ints], ignore_index=True)
        files[root / "data/interviews/segments.csv"] = table_text(merged, list(interviews.columns))
        counts["entretiens"] = len(ints)
    if not files:
        raise ImportFailed([f"{Path(path).name} : aucun segment à reprendre dans ce projet"])
    _validate_then_write(root, files)
    # the new coders' ids only once the tables are written: a refused import changes nothing
    if new_names:
        _write_csv(coder_map_path, CODER_MAP_COLUMNS, [{"nom": k, "identifiant": v} for k, v in coder_ids.items()])
    return counts
