"""Deposit metadata derived from ``CITATION.cff``, the one place where the authors live.

``python -m compendium metadata`` writes:

- the ``contributors`` and ``sources`` of ``data/datapackage.json`` (Data Package standard),
- ``.zenodo.json``, read by Zenodo when a GitHub release is archived (and usable for a HAL
  deposit: same title, creators, licence, keywords).

Both are generated, never edited by hand; a test checks that the committed files match what
this module derives, so a change in ``CITATION.cff`` cannot be forgotten.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from compendium import data

CITATION = "CITATION.cff"
ZENODO = ".zenodo.json"


class MetadataError(Exception):
    """CITATION.cff is missing or malformed: a one-line French message."""


def read_citation(root: Path) -> dict:
    path = root / CITATION
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MetadataError(f"{CITATION} introuvable à la racine du dépôt") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        raise MetadataError(f"{CITATION}{where} : YAML invalide ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(meta, dict):
        raise MetadataError(f"{CITATION} : un dictionnaire YAML est attendu")
    problems = [f"{CITATION} : la clé « {k} » manque" for k in ("title", "authors", "license") if not meta.get(k)]
    for i, author in enumerate(meta.get("authors") or [], start=1):
        if not isinstance(author, dict) or not (author.get("name") or author.get("family-names")):
            problems.append(f"{CITATION} : l'auteur n° {i} n'a ni « name » ni « family-names »")
    if problems:
        raise MetadataError(" ; ".join(problems))
    return meta


def _person_name(author: dict) -> str:
    """« Nom, Prénom » for a person (particle kept with the family name), else the entity name."""
    if author.get("family-names"):
        family = " ".join(x for x in (author.get("name-particle"), author["family-names"]) if x)
        given = author.get("given-names")
        return f"{family}, {given}" if given else family
    return author["name"]


def contributors(meta: dict) -> list[dict]:
    """Data Package ``contributors`` (roles ``author``); entities become organisations."""
    out = []
    for author in meta["authors"]:
        entry = {"title": _person_name(author), "roles": ["author"]}
        if author.get("affiliation"):
            entry["organization"] = author["affiliation"]
        if author.get("email"):
            entry["email"] = author["email"]
        if author.get("orcid"):
            entry["path"] = author["orcid"]
        out.append(entry)
    return out


def package_sources() -> list[dict]:
    return [{
        "title": "Documents publics cités ligne par ligne (adresse, éditeur, date de consultation)",
        "path": "secondary/sources.csv",
    }, {
        "title": "Références bibliographiques vérifiées (lieu de vérification de chaque champ)",
        "path": "literature/verification.csv",
    }]


def zenodo(meta: dict, descriptor: dict) -> dict:
    creators = []
    for author in meta["authors"]:
        creator = {"name": _person_name(author)}
        if author.get("affiliation"):
            creator["affiliation"] = author["affiliation"]
        if author.get("orcid"):
            creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
        creators.append(creator)
    out = {
        "title": meta["title"],
        "upload_type": "publication",
        "publication_type": "report",
        "description": meta.get("abstract") or descriptor.get("description") or meta["title"],
        "creators": creators,
        "license": str(meta["license"]).lower(),
        "access_right": "open",
        "language": "fra",
        "keywords": list(meta.get("keywords", [])),
        "notes": "Texte et données : CC BY 4.0 ; code : MIT (voir LICENSE). Livre reconstruit "
                 "à partir de data/ par « ./run html » ; données décrites par data/datapackage.json.",
    }
    if meta.get("version"):
        out["version"] = str(meta["version"])
    return out


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def expected_files(root: Path) -> dict[Path, str]:
    """The generated files and their expected text."""
    meta = read_citation(root)
    path = root / "data" / data.PACKAGE_FILE
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    updated = dict(descriptor)
    updated["contributors"] = contributors(meta)
    updated["sources"] = package_sources()
    # keep the standard key order: package metadata first, resources last
    ordered = {k: v for k, v in updated.items() if k != "resources"} | {"resources": updated["resources"]}
    return {path: _dump(ordered), root / ZENODO: _dump(zenodo(meta, descriptor))}


def stale_files(root: Path) -> list[str]:
    """Generated files that differ from what CITATION.cff and the descriptor give."""
    out = []
    for path, text in expected_files(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(path.relative_to(root).as_posix())
    return out


def write(root: Path) -> list[str]:
    """Write the generated files; return those that changed."""
    changed = []
    for path, text in expected_files(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path.relative_to(root).as_posix())
    return changed
