"""The data package as others will read it: the standard validator, deposit metadata derived
from CITATION.cff, and the files that other programs (French Excel) write in its place."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium import data, metadata
from conftest import ROOT, compendium, read_rows, write_rows

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def test_frictionless_validates_the_package_unchanged(tmp_path):
    """The reference implementation (frictionless 5.x) accepts data/datapackage.json as it is."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    proc = subprocess.run([str(FRICTIONLESS), "validate", "--json", "data/datapackage.json"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert report["valid"], [(t["name"], t["errors"][:3]) for t in report["tasks"] if not t["valid"]]
    assert len(report["tasks"]) == len(json.loads((ROOT / "data/datapackage.json").read_text())["resources"])


def test_frictionless_sees_a_broken_scalar_foreign_key(tmp_path):
    """The standard tool is not blind: a dangling scalar foreign key is an error for it too."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    rows = read_rows(root / "data/secondary/relations.csv")
    rows[1][rows[0].index("from_actor")] = "acteur-inexistant"
    write_rows(root / "data/secondary/relations.csv", rows)
    proc = subprocess.run([str(FRICTIONLESS), "validate", "--json", "data/datapackage.json"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert not report["valid"]
    errors = [e["type"] for t in report["tasks"] for e in t["errors"]]
    assert "foreign-key" in errors


def test_list_foreign_keys_are_declared_apart_and_still_checked(tmp_path):
    descriptor = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        types = {f["name"]: f.get("type") for f in res["schema"]["fields"]}
        for fk in res["schema"].get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            assert not any(types[f] == "list" for f in fields), (res["name"], fk)
    listed = [fk for r in descriptor["resources"] for fk in r["schema"].get(data.LIST_FK_KEY, [])]
    assert listed, "no foreign key on a list field: the custom property is not used any more?"
    # a foreign key on a list field put back under foreignKeys is named, in French
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    actors = next(r for r in descriptor["resources"] if r["name"] == "actors")
    actors["schema"]["foreignKeys"] = actors["schema"].pop(data.LIST_FK_KEY)
    (root / "data/datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    problems = [str(p) for p in data.validate_package(root)]
    assert any("actors" in p and "source_ids" in p and data.LIST_FK_KEY in p for p in problems), problems


def test_every_resource_has_a_title_and_a_description():
    descriptor = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    for key in ("title", "description", "licenses", "contributors", "sources"):
        assert descriptor.get(key), f"datapackage.json : « {key} » manque"
    for res in descriptor["resources"]:
        assert res.get("title") and res.get("description"), f"table « {res['name']} » sans titre ou description"


def test_deposit_metadata_follow_citation_cff(tmp_path):
    """datapackage.json contributors and .zenodo.json are derived from CITATION.cff, and kept so."""
    assert metadata.stale_files(ROOT) == [], "lancez ./run metadata"
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    cff = metadata.read_citation(ROOT)
    assert [c["name"] for c in zenodo["creators"]] == [metadata._person_name(a) for a in cff["authors"]]
    assert zenodo["license"] == "cc-by-4.0" and zenodo["language"] == "fra"
    # a new author in CITATION.cff makes the check fail until `metadata` is run, then both files follow
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("CITATION.cff", ".zenodo.json"):
        shutil.copy(ROOT / name, root / name)
    text = (root / "CITATION.cff").read_text(encoding="utf-8")
    text = text.replace("authors:\n", "authors:\n  - family-names: \"Certeau\"\n    given-names: \"Michel\"\n"
                        "    name-particle: \"de\"\n    affiliation: \"Exemple (test)\"\n", 1)
    (root / "CITATION.cff").write_text(text, encoding="utf-8")
    proc = compendium(root, "metadata", "--check", check=False)
    assert proc.returncode == 1 and "ERREUR" in proc.stderr and ".zenodo.json" in proc.stderr
    compendium(root, "metadata")
    assert metadata.stale_files(root) == []
    package = json.loads((root / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["contributors"][0] == {"title": "de Certeau, Michel", "roles": ["author"],
                                          "organization": "Exemple (test)"}
    assert json.loads((root / ".zenodo.json").read_text())["creators"][0]["name"] == "de Certeau, Michel"


def test_broken_citation_cff_is_one_french_line(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data/datapackage.json", tmp_path / "data/datapackage.json")
    (tmp_path / "CITATION.cff").write_text("title: x\nauthors: [\n", encoding="utf-8")
    proc = compendium(tmp_path, "metadata", check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ERREUR CITATION.cff, ligne ") and "Traceback" not in proc.stderr


# --- files that other programs write in place of a CSV --------------------------------------

def _copy(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    return root


def test_french_excel_semicolon_csv_is_named(tmp_path):
    root = _copy(tmp_path)
    path = root / "data/secondary/indicators.csv"
    rows = read_rows(path)
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    problems = data.validate_package(root)
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith("data/secondary/indicators.csv, ligne 1 : séparateur « ; »")
    assert "CSV UTF-8" in str(problems[0])


def test_french_excel_semicolon_csv_in_windows_1252_is_named(tmp_path):
    root = _copy(tmp_path)
    path = root / "data/secondary/sources.csv"
    rows = read_rows(path)
    path.write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode("cp1252", errors="replace"))
    message = str(data.validate_package(root)[0])
    assert "encodage invalide" in message and "séparateur « ; »" in message, message


@pytest.mark.parametrize("magic,kind", [(b"PK\x03\x04", ".xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls")])
def test_excel_workbook_saved_as_csv_is_named(tmp_path, magic, kind):
    root = _copy(tmp_path)
    (root / "data/secondary/actors.csv").write_bytes(magic + b"\x00" * 200)
    problems = [str(p) for p in data.validate_package(root)]
    assert problems[0].startswith("data/secondary/actors.csv, ligne 1 : ce fichier est un classeur Excel"), problems
    assert kind in problems[0]


def test_duplicate_id_is_reported_once(tmp_path):
    root = _copy(tmp_path)
    path = root / "data/secondary/sources.csv"
    rows = read_rows(path)
    rows.append(list(rows[1]))
    rows[-1][rows[0].index("url")] = "https://example.org/autre-adresse"
    write_rows(path, rows)
    problems = [str(p) for p in data.validate_package(root)]
    assert len([p for p in problems if "en double" in p]) == 1, problems
