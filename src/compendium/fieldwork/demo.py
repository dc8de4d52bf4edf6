"""Seeded synthetic interview material, for the demonstration appendix and the benchmarks.

Nothing here describes a real person or organisation: interview codes start with ``FIC``,
cases are ``cas-a`` and ``cas-b``, and every text is generated from templates. The demo
appendix shows it under a « données fictives » banner.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pandas as pd

SEED = 20261129
KINDS = ["COL", "ENT", "PME", "DON", "REC", "ASS"]
CASES = ["cas-a", "cas-b"]
PROJECT_NS = "urn:QDA-XML:project:1.0"
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compendium:demo")


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(parts)))


def synthetic_interviews(n: int = 24, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows, counters = [], {}
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        counters[kind] = counters.get(kind, 0) + 1
        rows.append({
            "id": f"FIC-{kind}-{counters[kind]:02d}" if n < 600 else f"FIC-{kind}-{counters[kind]:05d}",
            "case": CASES[i % 2], "actor_kind": kind,
            "role_category": rng.choice(["direction", "chef_de_projet", "technique", "recherche"]),
            "month": f"2027-{int(rng.integers(1, 7)):02d}", "mode": rng.choice(["presentiel", "visio"]),
            "duration_min": int(rng.integers(40, 95)), "language": "fr", "consent": "complet", "status": "code",
        })
    return pd.DataFrame(rows)


def synthetic_segments(interviews: pd.DataFrame, codes: list[str], seed: int = SEED,
                       per_interview: int = 8, agreement: float = 0.85,
                       coders: tuple[str, ...] = ("codeur-1", "codeur-2")) -> pd.DataFrame:
    """Segments by several coders: each actor kind favours some codes (so that the analyses show
    structure); the second coder keeps each decision of the first with probability ``agreement``
    and adds a few of its own."""
    rng = np.random.default_rng(seed + 1)
    codes = np.array(codes)
    preference = {k: rng.dirichlet(np.full(len(codes), 0.3)) for k in KINDS}
    rows = []
    starts = np.arange(per_interview * 2) * 400
    for interview in interviews.itertuples():
        p = preference[interview.actor_kind]
        # a code may recur in an interview (several passages) once there are more passages than codes
        chosen = rng.choice(len(codes), size=per_interview, replace=per_interview > len(codes), p=p)
        for coder_index, coder in enumerate(coders):
            if coder_index == 0:
                mine = list(chosen)
            else:
                keep = rng.random(len(chosen)) < agreement
                mine = [c for c, k in zip(chosen, keep) if k]
                extra = rng.choice(len(codes), size=int(rng.integers(0, 2)), replace=False)
                mine += [c for c in extra if c not in mine]
            for j, c in enumerate(mine):
                start = int(starts[j % len(starts)])
                rows.append({"interview_id": interview.id, "code_id": codes[c], "coder": coder,
                             "start": start, "end": start + 300})
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", [f"fic-{i:06d}" for i in range(len(frame))])
    return frame


def synthetic_text(interview_id: str, n_passages: int = 16) -> str:
    """A transcript of fixed-width fictitious passages (400 characters each)."""
    passages = []
    for j in range(n_passages):
        line = f"[{interview_id}, passage {j + 1}] Propos fictifs générés pour la démonstration, sans aucun lien avec une personne réelle."
        passages.append(line.ljust(399, ".") + "\n")
    return "".join(passages)


def _write(archive: zipfile.ZipFile, name: str, content) -> None:
    """Write an entry with a fixed timestamp, so that the same seed gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def write_qdpx(path, interviews: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame) -> None:
    """A REFI-QDA project (.qdpx) holding the fictitious transcripts, the codebook, two users and
    the coded selections, as a QDA program would export it."""
    from compendium.fieldwork.qda import code_guid

    ET.register_namespace("", PROJECT_NS)
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    project = ET.Element(q("Project"), {"name": "Projet fictif de démonstration", "origin": "compendium demo"})
    users = ET.SubElement(project, q("Users"))
    coders = sorted(segments["coder"].unique())
    for coder in coders:
        ET.SubElement(users, q("User"), {"guid": _guid("user", coder), "name": coder})
    book = ET.SubElement(ET.SubElement(project, q("CodeBook")), q("Codes"))
    children: dict = {}
    for row in codebook.to_dict("records"):
        parent = row["parent"] if isinstance(row["parent"], str) else None
        children.setdefault(parent, []).append(row)

    def add(parent_el, row):
        el = ET.SubElement(parent_el, q("Code"), {"guid": code_guid(row["id"]), "name": row["label"], "isCodable": "true"})
        for child in children.get(row["id"], []):
            add(el, child)

    for top in children.get(None, []):
        add(book, top)
    sources = ET.SubElement(project, q("Sources"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for interview in interviews.itertuples():
            source_guid = _guid("source", interview.id)
            _write(archive, f"sources/{source_guid}.txt", synthetic_text(interview.id))
            source = ET.SubElement(sources, q("TextSource"), {"guid": source_guid, "name": interview.id,
                                                              "plainTextPath": f"internal://{source_guid}.txt"})
            for seg in segments[segments["interview_id"] == interview.id].itertuples():
                user = _guid("user", seg.coder)
                selection = ET.SubElement(source, q("PlainTextSelection"), {
                    "guid": _guid("selection", seg.id), "startPosition": str(seg.start), "endPosition": str(seg.end),
                    "creatingUser": user})
                coding = ET.SubElement(selection, q("Coding"), {"guid": _guid("coding", seg.id), "creatingUser": user})
                ET.SubElement(coding, q("CodeRef"), {"targetGUID": code_guid(seg.code_id)})
        ET.indent(project)
        _write(archive, "project.qde", ET.tostring(project, encoding="utf-8", xml_declaration=True))
    with open(path, "wb") as fh:
        fh.write(buffer.getvalue())
