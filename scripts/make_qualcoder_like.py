"""Write a FICTITIOUS coded project shaped the way QualCoder's REFI-QDA exporter writes one.

Every name, text and coder in it is generated (seeded): « Camille Durand-Lefèvre » and
« Dominique Le Gall-Ségur » are invented coder names, the documents are made of drawn words.

Shape followed (QualCoder, ``src/qualcoder/refi.py``, class ``RefiExport``, read on GitHub
ccbogel/QualCoder): a zip renamed ``.qdpx`` made by ``shutil.make_archive`` with ``project.qde``
and a ``sources/`` folder; the ``.qde`` starts with ``<Project xmlns:xsd=… xmlns:xsi=… name=…
origin=… creatingUserGUID=… creationDateTime=… xmlns="urn:QDA-XML:project:1.0">``, then
``<Users>``, ``<CodeBook>`` (categories as ``isCodable="false"`` codes that contain their
sub-categories and codes, codes with ``color`` and a ``<Description>`` only when they have a
memo), ``<Sources>`` (``TextSource`` with ``plainTextPath="internal://<guid>.txt"``, no
``richTextPath`` for a plain-text document; each ``PlainTextSelection`` has ``startPosition``,
``endPosition``, ``name`` (the coded text), ``creatingUser``, ``creationDateTime``, then a
``<Coding guid creatingUser><CodeRef targetGUID/></Coding>``), and a project ``<Description>``.
Text files are written in UTF-8 with a BOM (``utf-8-sig``), as QualCoder does; positions count
characters of the text without the BOM.

Usage: ``python scripts/make_qualcoder_like.py OUT.qdpx [--seed N]`` (default: the issue's size:
30 documents, 230 codes in 55 categories nested 5 deep, 753 codings); ``--maxqda-empty OUT.qdpx``
writes a MAXQDA-like project with 307 codes, two sets and no coding at all.
"""

from __future__ import annotations

import argparse
import html
import random
import shutil
import tempfile
import uuid
from pathlib import Path

#: Invented coder names (no real person): a first name, a space, a compound last name.
CODERS = ["Camille Durand-Lefèvre", "Dominique Le Gall-Ségur"]
WORDS = ("donnée plateforme jumeau territoire élu métropole service réseau capteur modèle usage acteur "
         "gouvernance ouverture confiance partenaire éditeur start-up laboratoire énergie mobilité eau "
         "urbanisme citoyen expérimentation maquette interopérabilité licence contrat marché subvention "
         "région État collectivité opérateur délégataire visualisation simulation scénario décision").split()
DOC_STEMS = ["Entretien élue mobilité", "Échange chef de projet SIG", "Entretien éditeur 3D", "Rencontre PME données",
             "Entretien laboratoire énergie", "Focus groupe usagers", "Entretien opérateur réseau d'eau",
             "Entretien direction du numérique", "Échange start-up capteurs", "Entretien association vélo"]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _color(rng: random.Random) -> str:
    return "#" + "".join(rng.choice("0123456789ABCDEF") for _ in range(6))


def _text(rng: random.Random, paragraphs: int) -> str:
    out = []
    for _ in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        out.append(" ".join(words).capitalize() + ".")
    return "\n".join(out)


def _categories(rng: random.Random, n: int, depth: int) -> list[dict]:
    """``n`` categories forming trees whose deepest branch has exactly ``depth`` levels."""
    cats: list[dict] = []
    for level in range(depth):  # one chain reaching the full depth
        cats.append({"id": len(cats), "parent": cats[-1]["id"] if cats else None, "level": level})
    while len(cats) < n:
        parent = rng.choice([None] + [c for c in cats if c["level"] < depth - 1])
        level = 0 if parent is None else parent["level"] + 1
        cats.append({"id": len(cats), "parent": None if parent is None else parent["id"], "level": level})
    for c in cats:
        c.update(guid=_guid(rng), name=f"Catégorie {c['id'] + 1} – {rng.choice(WORDS)} et {rng.choice(WORDS)}",
                 memo=f"Regroupe les passages sur {rng.choice(WORDS)}." if rng.random() < 0.6 else "")
    return cats


def build_project(seed: int = 13, documents: int = 30, codes: int = 230, categories: int = 55, depth: int = 5,
                  codings: int = 753, coders: list[str] | None = None, name: str = "Terrain fictif — jumeaux 2026.qda"):
    """The ``.qde`` XML and the text files of a fictitious QualCoder-like project."""
    rng = random.Random(seed)
    coders = coders or CODERS
    users = [{"name": c, "guid": _guid(rng)} for c in coders]
    cats = _categories(rng, categories, depth)
    code_list = []
    for i in range(codes):
        cat = cats[i] if i < len(cats) else rng.choice(cats)  # every category holds at least one code
        code_list.append({"guid": _guid(rng), "name": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} n°{i + 1}",
                          "catid": cat["id"], "color": _color(rng),
                          "memo": f"Le passage parle de {rng.choice(WORDS)} et de {rng.choice(WORDS)}." if rng.random() < 0.7 else ""})
    sources = []
    for d in range(documents):
        text = _text(rng, rng.randint(8, 14))
        sources.append({"guid": _guid(rng), "name": f"{DOC_STEMS[d % len(DOC_STEMS)]} ({d // len(DOC_STEMS) + 1})",
                        "owner": users[0]["name"], "text": text, "filename": _guid(rng) + ".txt",
                        "plaintext_filename": _guid(rng) + ".txt", "selections": []})
    for k in range(codings):
        src = sources[k % documents]
        start = rng.randrange(0, len(src["text"]) - 200)
        end = start + rng.randint(20, 180)
        src["selections"].append({"start": start, "end": end, "code": code_list[rng.randrange(codes)]["guid"],
                                  "owner": users[k % len(users)], "memo": "À revoir" if rng.random() < 0.05 else ""})

    def code_xml(c: dict) -> str:
        xml = f'<Code guid="{c["guid"]}" name="{html.escape(c["name"])}" isCodable="true" color="{c["color"]}"'
        if not c["memo"]:
            return xml + " />\n"
        return xml + f">\n<Description>{html.escape(c['memo'])}</Description>\n</Code>\n"

    def cat_xml(cat: dict) -> str:
        xml = f'<Code guid="{cat["guid"]}" name="{html.escape(cat["name"])}" isCodable="false">\n'
        if cat["memo"]:
            xml += f"<Description>{html.escape(cat['memo'])}</Description>\n"
        for sub in cats:
            if sub["parent"] == cat["id"]:
                xml += cat_xml(sub)
        for c in code_list:
            if c["catid"] == cat["id"]:
                xml += code_xml(c)
        return xml + "</Code>\n"

    stamp = "2026-11-20T10:00:00Z"
    xml = '<?xml version="1.0" encoding="utf-8"?>\n<Project '
    xml += 'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    xml += f'name="{html.escape(name)}" origin="QualCoder 3.6" creatingUserGUID="{_guid(rng)}" '
    xml += f'creationDateTime="{stamp}" xmlns="urn:QDA-XML:project:1.0">\n<Users>\n'
    for u in users:
        xml += f'<User guid="{u["guid"]}" name="{html.escape(u["name"])}" />\n'
    xml += "</Users>\n<CodeBook>\n<Codes>\n"
    for cat in cats:
        if cat["parent"] is None:
            xml += cat_xml(cat)
    xml += "</Codes>\n</CodeBook>\n<Sources>\n"
    owner = {u["name"]: u["guid"] for u in users}
    for s in sources:
        xml += (f'<TextSource plainTextPath="internal://{s["plaintext_filename"]}" creatingUser="{owner[s["owner"]]}" '
                f'creationDateTime="{stamp}" guid="{s["guid"]}" name="{html.escape(s["name"])}">\n')
        for sel in s["selections"]:
            xml += (f'<PlainTextSelection guid="{_guid(rng)}" startPosition="{sel["start"]}" endPosition="{sel["end"]}" '
                    f'name="{html.escape(s["text"][sel["start"]:sel["end"]])}" creatingUser="{sel["owner"]["guid"]}" '
                    f'creationDateTime="{stamp}">\n')
            if sel["memo"]:
                xml += f"<Description>{html.escape(sel['memo'])}</Description>\n"
            xml += (f'<Coding guid="{_guid(rng)}" creatingUser="{sel["owner"]["guid"]}" >\n'
                    f'<CodeRef targetGUID="{sel["code"]}" />\n</Coding>\n</PlainTextSelection>\n')
        xml += "</TextSource>\n"
    xml += "</Sources>\n<Description>Projet fictif généré pour les tests.</Description>\n</Project>"
    files = {}
    for s in sources:
        files[s["filename"]] = s["text"]
        files[s["plaintext_filename"]] = s["text"]
    return xml, files, sources


def write_qdpx(target: Path, xml: str, files: dict[str, str]) -> Path:
    """Zip the project the way QualCoder does (``shutil.make_archive`` of a folder)."""
    target = Path(target)
    with tempfile.TemporaryDirectory() as tmp:
        prep = Path(tmp) / "projet"
        (prep / "sources").mkdir(parents=True)
        (prep / "project.qde").write_text(xml, encoding="utf-8")
        for name, text in files.items():
            (prep / "sources" / name).write_text(text, encoding="utf-8-sig")
        archive = shutil.make_archive(str(prep), "zip", prep)
        shutil.move(archive, target)
    return target


def make_qualcoder_like(target: Path, seed: int = 13, **shape) -> Path:
    xml, files, _ = build_project(seed, **shape)
    return write_qdpx(target, xml, files)


def make_maxqda_empty(target: Path, seed: int = 7, codes: int = 307) -> Path:
    """A MAXQDA-like project: 307 codes, two code sets, one document, no coding."""
    rng = random.Random(seed)
    user = _guid(rng)
    code_guids = [_guid(rng) for _ in range(codes)]
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="Projet MAXQDA fictif" origin="MAXQDA 24" creatingUserGUID="{user}">\n'
           f'<Users><User guid="{user}" name="Utilisateur fictif"/></Users>\n<CodeBook><Codes>\n')
    xml += "".join(f'<Code guid="{g}" name="Code {i + 1}" isCodable="true" color="#FF0000"/>\n'
                   for i, g in enumerate(code_guids))
    xml += "</Codes></CodeBook>\n"
    src = _guid(rng)
    xml += (f'<Sources><TextSource guid="{src}" name="Document 1" plainTextPath="internal://{src}.txt"/></Sources>\n'
            f'<Sets><Set guid="{_guid(rng)}" name="Ensemble A"><MemberCode targetGUID="{code_guids[0]}"/></Set>'
            f'<Set guid="{_guid(rng)}" name="Ensemble B"><MemberCode targetGUID="{code_guids[1]}"/></Set></Sets>\n'
            "</Project>")
    return write_qdpx(target, xml, {f"{src}.txt": _text(rng, 3)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--maxqda-empty", action="store_true")
    args = parser.parse_args()
    path = make_maxqda_empty(Path(args.output)) if args.maxqda_empty else make_qualcoder_like(Path(args.output), args.seed)
    print(f"projet fictif écrit : {path}")


if __name__ == "__main__":
    main()
