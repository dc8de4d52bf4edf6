"""The book's coding to a REFI-QDA project (.qdpx) and back (issue 13, item 7)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from compendium import data
from compendium.fieldwork.qda import read_qdpx
from compendium.fieldwork.qda_export import build_project, export_qdpx, segments_from_qdpx, validate_xml, write_qdpx
from conftest import ROOT, compendium, qualcoder_reexport


def as_text(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    def cell(v):
        if isinstance(v, list):
            return ";".join(v)
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    return sorted(tuple(cell(v) for v in row) for row in frame.reindex(columns=columns).itertuples(index=False))


def test_book_coding_exports_to_a_valid_qdpx_and_round_trips(tmp_path):
    target = tmp_path / "codage.qdpx"
    result = export_qdpx(ROOT, target)
    documentary = data.load_table("documentary_segments", ROOT)
    codebook = data.load_table("codebook", ROOT)
    assert result["documentaire"] == len(documentary) > 0
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde")
    assert "project.qde" in names and all(n.startswith("sources/") for n in names if n != "project.qde")
    assert validate_xml(xml) == []
    project = read_qdpx(target)
    assert project.skipped == []
    assert len(project.codes) == len(codebook)
    back, interviews = segments_from_qdpx(target, codebook)
    columns = list(documentary.columns)  # includes any optional column added to the table
    assert as_text(back, columns) == as_text(documentary, columns)
    assert interviews.empty


def test_interview_segments_round_trip_with_transcripts(tmp_path):
    codebook = data.load_table("codebook", ROOT)
    documentary = data.load_table("documentary_segments", ROOT).head(3)
    texts = {"RNS-COL-01": "Q : Qui fixe les règles ?\nR : C'est la collectivité qui fixe les règles d'accès.\n",
             "TER-REC-01": "Q : Et les données ?\nR : Le laboratoire ouvre ses mesures, sous licence.\n"}
    segments = pd.DataFrame([
        {"id": "p-00001", "interview_id": "RNS-COL-01", "code_id": "gouv_regles_acces", "coder": "codeur-01",
         "start": 29, "end": 75, "unit": "caracteres", "quote": "la collectivité qui fixe les règles",
         "note": "à revoir : « règles » ambigu", "project": "p"},
        {"id": "p-00002", "interview_id": "RNS-COL-01", "code_id": "act_orchestrateur", "coder": "codeur-02",
         "start": None, "end": None, "unit": "aucune", "quote": None, "note": None, "project": "p"},
        {"id": "p-00003", "interview_id": "TER-REC-01", "code_id": "act_detenteur_donnees", "coder": "codeur-01",
         "start": 25, "end": 60, "unit": "caracteres", "quote": None, "note": "ligne 1\nligne 2", "project": "p"},
    ])
    xml, files, skipped = build_project(codebook, documentary, segments, texts)
    assert skipped == [] and validate_xml(xml) == []
    target = tmp_path / "retour.qdpx"
    write_qdpx(target, xml, files)
    project = read_qdpx(target)
    sel = project.selections.set_index("source_name")
    assert sel.loc["TER-REC-01", "text"] == texts["TER-REC-01"][25:60]
    _, back = segments_from_qdpx(target, codebook)
    columns = list(segments.columns)
    assert as_text(back, columns) == as_text(segments, columns)
    # without transcripts, interview segments are reported, not silently dropped
    _, _, skipped = build_project(codebook, documentary, segments, {})
    assert skipped == ["entretien RNS-COL-01 : 2 segments non exportés, transcription pseudonymisée non fournie "
                       "(--transcriptions)",
                       "entretien TER-REC-01 : 1 segment non exporté, transcription pseudonymisée non fournie "
                       "(--transcriptions)"]


def test_schema_check_catches_an_invalid_project():
    codebook = data.load_table("codebook", ROOT)
    xml, _, _ = build_project(codebook, data.load_table("documentary_segments", ROOT).head(2))
    broken = xml.replace(b'isCodable="true"', b"", 1)
    problems = validate_xml(broken)
    assert problems and "isCodable" in problems[0]


def test_export_command_and_transcripts_only_under_private(tmp_path):
    proc = compendium(ROOT, "export-qdpx", str(tmp_path / "c.qdpx"))
    assert "valide selon Project.xsd" in proc.stdout
    proc = compendium(ROOT, "export-qdpx", str(tmp_path / "c.qdpx"), "--transcriptions", str(tmp_path), check=False)
    assert proc.returncode == 1 and "ne s'écrit que sous private/" in proc.stderr


@pytest.mark.parametrize("name", ["Project", "Codebook"])
def test_vendored_schemas_have_their_licence(name):
    text = (ROOT / "src/compendium/fieldwork/assets/refi-qda" / f"{name}.xsd").read_text(encoding="utf-8")
    assert "MIT" in text and "qdasoftware.org" in text
    assert (ROOT / "src/compendium/fieldwork/assets/refi-qda/LICENSE.md").is_file()


def test_codebook_export_validates_against_codebook_xsd():
    from compendium.fieldwork.qda import codebook_to_qdc

    assert validate_xml(codebook_to_qdc(data.load_table("codebook", ROOT)), "Codebook") == []


def exported_book(tmp_path):
    """A copy of data/, its documentary segments as they were, and its coding exported to a .qdpx."""
    import shutil

    root = tmp_path / "book"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    original = (root / "data/coding/documentary_segments.csv").read_bytes()
    target = tmp_path / "codage.qdpx"
    compendium(root, "export-qdpx", str(target))
    return root, original, target


def test_reviewed_export_comes_back_into_data(tmp_path):
    """Export, review in a tool (a selection removed, one added by a named coder), bring back."""
    import re

    root, original, target = exported_book(tmp_path)
    proc = compendium(root, "import-qdpx-retour", str(target))
    assert "repris : " in proc.stdout
    assert (root / "data/coding/documentary_segments.csv").read_bytes() == original  # identical round trip

    with zipfile.ZipFile(target) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    xml = entries["project.qde"].decode("utf-8")
    first = re.search(r"<PlainTextSelection .*?</PlainTextSelection>\s*", xml, re.S)
    removed_id = re.search(r"id: (seg-[a-z0-9]+-\d{4})", first.group(0)).group(1)
    xml = xml.replace(first.group(0), "", 1)
    added_n = [1, 2]
    added = re.sub(r'guid="[^"]+"', lambda m: f'guid="99999999-0000-4000-8000-00000000000{added_n.pop()}"',
                   first.group(0))
    added = re.sub(r"<Description>.*?</Description>", "", added, count=1, flags=re.S)
    user = '99999999-0000-4000-8000-000000000009'
    added = re.sub(r'creatingUser="[^"]+"', f'creatingUser="{user}"', added)
    xml = xml.replace("</Users>", f'<User guid="{user}" name="Camille Durand-Lefèvre" /></Users>', 1)
    source_end = xml.index("</TextSource>")
    xml = xml[:source_end] + added + xml[source_end:]
    entries["project.qde"] = xml.encode("utf-8")
    reviewed = tmp_path / "revu.qdpx"
    with zipfile.ZipFile(reviewed, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    compendium(root, "import-qdpx-retour", str(reviewed))
    after = data.load_table("documentary_segments", root)
    before = data.load_table("documentary_segments", ROOT)
    assert len(after) == len(before)
    assert removed_id not in set(after["id"])
    new = after[after["id"].str.startswith("seg-retour-")]
    assert len(new) == 1 and new["status"].iloc[0] == "préliminaire"
    assert new["coder"].iloc[0].startswith("codeur-")
    assert "Camille" not in (root / "data/coding/documentary_segments.csv").read_text(encoding="utf-8")
    assert "Camille Durand-Lefèvre" in (root / "private/qda/codeurs.csv").read_text(encoding="utf-8")


def test_a_qualcoder_reexport_with_new_code_guids_comes_back(tmp_path):
    """QualCoder gives every code a new random GUID at each export (``get_codes`` calls
    ``create_guid``, a uuid4): a reviewed project keeps the codes' names and descriptions, not
    the export's GUIDs. Bringing it back used to fail on every segment («identifiant
    « Financements » introuvable»); the codes are now found by the « Identifiant » line of their
    description. A refused import leaves private/qda/codeurs.csv as it was."""
    import re

    root, original, target = exported_book(tmp_path)
    reviewed = tmp_path / "revu dans QualCoder.qdpx"
    renewed = qualcoder_reexport(target, reviewed)
    assert len(renewed) == len(data.load_table("codebook", ROOT))
    with zipfile.ZipFile(reviewed) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    xml = entries["project.qde"].decode("utf-8")
    proc = compendium(root, "import-qdpx-retour", str(reviewed))
    assert "repris : " in proc.stdout
    assert (root / "data/coding/documentary_segments.csv").read_bytes() == original

    # a selection on a code created in the tool (unknown to the grid), by a new coder: refused,
    # and nothing written, not even the new coder's id
    code = '<Code guid="99999999-0000-4000-8000-0000000000aa" name="Code créé dans QualCoder" isCodable="true" />'
    xml = xml.replace("</Codes>", code + "</Codes>", 1)
    xml = re.sub(r'targetGUID="[^"]+"', 'targetGUID="99999999-0000-4000-8000-0000000000aa"', xml, count=1)
    user = "99999999-0000-4000-8000-000000000009"
    xml = xml.replace("</Users>", f'<User guid="{user}" name="Yannick Le Bihan" /></Users>', 1)
    xml = re.sub(r'creatingUser="[^"]+"', f'creatingUser="{user}"', xml, count=2)
    entries["project.qde"] = xml.encode("utf-8")
    with zipfile.ZipFile(reviewed, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    coders = root / "private/qda/codeurs.csv"
    before = coders.read_bytes() if coders.exists() else None
    proc = compendium(root, "import-qdpx-retour", str(reviewed), check=False)
    assert proc.returncode != 0 and "Code créé dans QualCoder" in proc.stderr
    assert (root / "data/coding/documentary_segments.csv").read_bytes() == original
    assert (coders.read_bytes() if coders.exists() else None) == before
