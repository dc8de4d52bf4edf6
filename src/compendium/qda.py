"""Exchange with qualitative-analysis software through the REFI-QDA standard.

Export of the codebook (``data/coding/codebook.csv``) to a REFI-QDA 1.0 codebook file
(``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``) that ATLAS.ti, NVivo, MAXQDA and
QualCoder import. Code GUIDs are derived from the code ids (UUID version 5), so that an
export is reproducible and a re-import recognises the same codes.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pandas as pd

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Namespace for the UUIDv5 of this project's codes.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compendium:jumeaux-numeriques-territoriaux:codebook")


def code_guid(code_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


def _description(row) -> str:
    parts = [row["definition"], f"Inclure : {row['include']}", f"Exclure : {row['exclude']}",
             f"Exemple : {row['example']}", f"Origine : {' ; '.join(row['origin'])}", f"Identifiant : {row['id']}"]
    return "\n".join(parts)


def codebook_to_qdc(codebook: pd.DataFrame, origin: str = "compendium") -> bytes:
    """The codebook as REFI-QDA ``.qdc`` XML (UTF-8), codes nested under their parent."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    codes = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    rows = {row["id"]: row for row in codebook.to_dict("records")}
    children: dict[str | None, list[str]] = {}
    for code_id, row in rows.items():
        parent = row["parent"] if isinstance(row["parent"], str) and row["parent"] else None
        children.setdefault(parent, []).append(code_id)

    def add(parent_el: ET.Element, code_id: str) -> None:
        row = rows[code_id]
        el = ET.SubElement(parent_el, f"{{{CODEBOOK_NS}}}Code",
                           {"guid": code_guid(code_id), "name": row["label"], "isCodable": "true"})
        ET.SubElement(el, f"{{{CODEBOOK_NS}}}Description").text = _description(row)
        for child in children.get(code_id, []):
            add(el, child)

    for top in children.get(None, []):
        add(codes, top)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def read_qdc_codes(xml: bytes) -> list[dict]:
    """Flat list of the codes of a trusted ``.qdc`` (guid, name, parent guid, isCodable)."""
    root = ET.fromstring(xml)
    out: list[dict] = []

    def walk(el: ET.Element, parent: str | None) -> None:
        for code in el.findall(f"{{{CODEBOOK_NS}}}Code"):
            out.append({"guid": code.get("guid"), "name": code.get("name"), "parent": parent,
                        "isCodable": code.get("isCodable", "true") == "true"})
            walk(code, code.get("guid"))

    walk(root.find(f"{{{CODEBOOK_NS}}}Codes"), None)
    return out
