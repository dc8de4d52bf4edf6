"""Import of REFI-QDA projects (.qdpx), codebooks (.qdc) and Taguette exports: realistic exports from
several tools read correctly, and hostile or broken files give a one-line French error or a reported
skip, never a crash, a hang or a file written to disk."""

from __future__ import annotations

import csv
import io
import os
import random
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from compendium.fieldwork.qda import (CODEBOOK_NS, PROJECT_NS, QdaImportError, QdaProject, code_guid, codebook_to_qdc,
                            read_qdc, read_qdpx, read_taguette)

# --------------------------------------------------------------------------------------------- helpers

U_ANNE = "{8A3C1E52-0B7D-4F21-9C66-1D2E3F405A61}"
U_BRUNO = "{5F0E2D11-7C3B-4A8E-B1D2-00AA11BB22CC}"
C_ACTEURS = "{11111111-AAAA-4BBB-8CCC-000000000001}"
C_ORCH = "{11111111-AAAA-4BBB-8CCC-000000000002}"
C_COLL = "{11111111-AAAA-4BBB-8CCC-000000000003}"
C_GOUV = "{11111111-AAAA-4BBB-8CCC-000000000004}"
SRC1 = "{22222222-BBBB-4CCC-8DDD-000000000001}"
TEXT1 = ("Entretien 1 — Élodie : la métropole réunit les partenaires 🏙 et arbitre les priorités.\n"
         "Le syndicat d'énergie fournit les données ; la gouvernance reste floue.")


def g(guid: str) -> str:
    """Normalised form of a test GUID."""
    return guid.strip("{}").lower()


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def make_zip(path: Path, entries: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def project_xml(sources: str, codes: str = "", users: str = "", ns: str | None = PROJECT_NS,
                extra: str = "", attrs: str = "") -> str:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project{xmlns} name="Test" origin="pytest"{attrs}>\n'
            f"<Users>{users}</Users>\n<CodeBook><Codes>{codes}</Codes></CodeBook>\n"
            f"<Sources>{sources}</Sources>\n{extra}</Project>\n")


SIMPLE_CODES = f'<Code guid="{C_ACTEURS}" name="Acteurs" isCodable="true"/>'
SIMPLE_USERS = f'<User guid="{U_ANNE}" name="Anne"/>'


def text_source(selections: str, path: str = "internal://t1.txt", guid: str = SRC1, name: str = "Entretien 1") -> str:
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="{path}">{selections}</TextSource>'


def selection(start, end, code: str = C_ACTEURS, guid: str = "{33333333-0000-4000-8000-000000000001}",
              user: str = U_ANNE) -> str:
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
            f'<Coding guid="{{44444444-0000-4000-8000-{guid[-13:-1]}}}" creatingUser="{user}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def simple_qdpx(tmp_path: Path, selections: str, name: str = "hostile.qdpx", text: str = TEXT1,
                path: str = "internal://t1.txt", extra_entries: dict | None = None) -> Path:
    xml = project_xml(text_source(selections, path=path), SIMPLE_CODES, SIMPLE_USERS)
    entries = {"project.qde": xml, "sources/t1.txt": text}
    entries.update(extra_entries or {})
    return make_zip(tmp_path / name, entries)


def one_line_error(exc_info, file_name: str) -> str:
    """The message of a QdaImportError, checked to be one line that names the file."""
    message = str(exc_info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{file_name} : "), message
    return message


def skipped_matching(project: QdaProject, *fragments: str) -> list[str]:
    return [line for line in project.skipped if all(f in line for f in fragments)]


# ------------------------------------------------------------------------------------- realistic files


def atlas_like(tmp_path: Path) -> Path:
    """ATLAS.ti-like: upper-case braced GUIDs, internal text file with BOM, two coders, nested codes."""
    codes = (f'<Code guid="{C_ACTEURS}" name="Acteurs et rôles" isCodable="false" color="#FF0000">'
             f"<Description>Organisations et personnes de l'écosystème</Description>"
             f'<Code guid="{C_ORCH}" name="Orchestrateur" isCodable="true"/>'
             f'<Code guid="{C_COLL}" name="Collectivité" isCodable="true"/></Code>'
             f'<Code guid="{C_GOUV}" name="Gouvernance" isCodable="true"/>')
    users = f'<User guid="{U_ANNE}" name="Anne"/><User guid="{U_BRUNO}" name="Bruno"/>'
    s1, s2, s3 = span(TEXT1, "la métropole"), span(TEXT1, "réunit les partenaires 🏙"), span(TEXT1, "la gouvernance reste floue")
    sels = (f'<PlainTextSelection guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="q1" '
            f'startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="{U_ANNE}">'
            f'<Coding guid="{{BBBBBBBB-0000-4000-8000-000000000001}}" creatingUser="{U_ANNE}">'
            f'<CodeRef targetGUID="{C_COLL}"/></Coding>'
            f'<Coding guid="{{BBBBBBBB-0000-4000-8000-000000000002}}" creatingUser="{U_BRUNO}">'
            f'<CodeRef targetGUID="{C_ORCH}"/></Coding></PlainTextSelection>'
            f'<PlainTextSelection guid="{{AAAAAAAA-0000-4000-8000-000000000002}}" '
            f'startPosition="{s2[0]}" endPosition="{s2[1]}" creatingUser="{U_BRUNO}">'
            f'<Coding guid="{{BBBBBBBB-0000-4000-8000-000000000003}}">'
            f'<CodeRef targetGUID="{C_ORCH.lower()}"/></Coding></PlainTextSelection>'
            f'<PlainTextSelection guid="{{AAAAAAAA-0000-4000-8000-000000000003}}" '
            f'startPosition="{s3[0]}" endPosition="{s3[1]}" creatingUser="{U_ANNE}">'
            f'<Coding guid="{{BBBBBBBB-0000-4000-8000-000000000004}}" creatingUser="{U_ANNE}">'
            f'<CodeRef targetGUID="{C_GOUV}"/></Coding></PlainTextSelection>')
    xml = project_xml(f'<TextSource guid="{SRC1}" name="Entretien 1" plainTextPath="internal://{g(SRC1).upper()}.txt">'
                      f"{sels}</TextSource>", codes, users)
    return make_zip(tmp_path / "atlas.qdpx", {"project.qde": xml,
                                              f"sources/{g(SRC1).upper()}.txt": "\ufeff".encode() + TEXT1.encode()})


def test_atlas_like_project_is_read_with_coders_and_code_point_offsets(tmp_path):
    project = read_qdpx(atlas_like(tmp_path))
    assert project.users == {g(U_ANNE): "Anne", g(U_BRUNO): "Bruno"}
    codes = project.codes.set_index("guid")
    assert list(project.codes["name"]) == ["Acteurs et rôles", "Orchestrateur", "Collectivité", "Gouvernance"]
    assert codes.loc[g(C_ORCH), "parent_guid"] == g(C_ACTEURS)
    assert codes.loc[g(C_COLL), "parent_guid"] == g(C_ACTEURS)
    assert pd.isna(codes.loc[g(C_GOUV), "parent_guid"])
    assert not codes.loc[g(C_ACTEURS), "is_codable"] and codes.loc[g(C_ORCH), "is_codable"]
    assert codes.loc[g(C_ACTEURS), "description"] == "Organisations et personnes de l'écosystème"
    assert project.sources.to_dict("records") == [{"guid": g(SRC1), "name": "Entretien 1", "text_length": len(TEXT1),
                                                   "description": ""}]
    sel = project.selections
    assert len(sel) == 4
    assert list(zip(sel["code_name"], sel["coder"], sel["text"])) == [
        ("Collectivité", "Anne", "la métropole"),
        ("Orchestrateur", "Bruno", "la métropole"),  # Coding@creatingUser overrides the selection's user
        ("Orchestrateur", "Bruno", "réunit les partenaires 🏙"),  # emoji = one code point
        ("Gouvernance", "Anne", "la gouvernance reste floue"),
    ]
    assert sel["selection_guid"].iloc[0] == "aaaaaaaa-0000-4000-8000-000000000001"
    assert set(sel["source_guid"]) == {g(SRC1)}
    assert project.skipped == []


def test_qualcoder_like_project_with_inline_text_and_pdf_representation(tmp_path):
    text2 = "Q : Qui finance ?\nR : La région, puis l'Europe."
    pdf_text = "Rapport annuel : le jumeau numérique sert la planification."
    codes = (f'<Code guid="{C_ACTEURS}" name="Financeurs" isCodable="true" color="#00ff00"/>'
             f'<Code guid="{C_GOUV}" name="Planification" isCodable="true"/>')
    users = f'<User guid="{U_ANNE}" name="default"/>'
    a, b = span(text2, "La région")
    c, d = span(pdf_text, "la planification")
    sources = (f'<TextSource guid="{SRC1}" name="entretien2.txt" creatingUser="{U_ANNE}">'
               f"<PlainTextContent>{text2}</PlainTextContent>"
               f'<PlainTextSelection guid="{{55555555-0000-4000-8000-000000000001}}" startPosition="{a}" '
               f'endPosition="{b}" creatingUser="{U_ANNE}"><Coding guid="{{55555555-0000-4000-8000-000000000002}}" '
               f'creatingUser="{U_ANNE}"><CodeRef targetGUID="{C_ACTEURS}"/></Coding></PlainTextSelection>'
               "</TextSource>"
               '<PDFSource guid="{66666666-0000-4000-8000-000000000001}" name="rapport.pdf" path="internal://r.pdf">'
               '<Representation guid="{66666666-0000-4000-8000-000000000002}" name="rapport.txt" '
               'plainTextPath="internal://r.txt">'
               f'<PlainTextSelection guid="{{66666666-0000-4000-8000-000000000003}}" startPosition="{c}" '
               f'endPosition="{d}" creatingUser="{U_ANNE}"><Coding guid="{{66666666-0000-4000-8000-000000000004}}">'
               f'<CodeRef targetGUID="{C_GOUV}"/></Coding></PlainTextSelection></Representation></PDFSource>')
    path = make_zip(tmp_path / "qualcoder.qdpx", {"MonProjet/Project.QDE": project_xml(sources, codes, users),
                                                  "MonProjet/Sources/r.txt": pdf_text, "MonProjet/Sources/r.pdf": b"%PDF-1.4"})
    project = read_qdpx(path)
    assert project.skipped == []
    assert list(project.sources["name"]) == ["entretien2.txt", "rapport.pdf"]
    assert list(project.sources["text_length"]) == [len(text2), len(pdf_text)]
    assert list(project.selections["text"]) == ["La région", "la planification"]
    assert list(project.selections["source_guid"]) == [g(SRC1), "66666666-0000-4000-8000-000000000001"]
    assert list(project.selections["coder"]) == ["default", "default"]
    assert list(project.selections["start"]) == [a, c]


def test_maxqda_like_quirks_are_tolerated_and_reported(tmp_path):
    a, b = span(TEXT1, "Élodie")
    codes = f'<Code guid="{C_ACTEURS}" name="Acteurs"/><Code guid="{C_GOUV}" name="Gouvernance" isCodable="0"/>'
    sels = (f'<PlainTextSelection guid="{{77777777-0000-4000-8000-000000000001}}" startPosition="{a}" '
            f'endPosition="{b}" creatingUser="{U_ANNE}"/>' + selection(a, b, code=C_ACTEURS))
    xml = project_xml(text_source(sels), codes, SIMPLE_USERS, extra="<Sets></Sets>")
    project = read_qdpx(make_zip(tmp_path / "maxqda.qdpx", {"project.qde": xml, "sources/t1.txt": TEXT1}))
    assert list(project.codes["is_codable"]) == [True, False]  # missing isCodable read as true
    assert list(project.selections["text"]) == ["Élodie"]
    assert len(project.skipped) == 1
    assert "maxqda.qdpx" in project.skipped[0] and "77777777-0000-4000-8000-000000000001" in project.skipped[0]
    assert "sans codage" in project.skipped[0]


def test_project_without_namespace_and_without_codes_is_read(tmp_path):
    xml = project_xml(text_source(""), "", SIMPLE_USERS, ns=None).replace("<Codes></Codes>", "<Codes/>")
    project = read_qdpx(make_zip(tmp_path / "nons.qdpx", {"project.qde": xml, "sources/t1.txt": TEXT1}))
    assert project.codes.empty and list(project.codes.columns) == ["guid", "name", "parent_guid", "is_codable",
                                                                   "description"]
    assert project.sources["text_length"].tolist() == [len(TEXT1)]
    assert project.selections.empty and project.skipped == []


# ---------------------------------------------------------------------------------------- codebooks


def test_codebook_round_trip_through_qdc(tmp_path):
    codebook = pd.DataFrame([
        {"id": "acteurs", "parent": None, "label": "Acteurs et rôles"},
        {"id": "act_orch", "parent": "acteurs", "label": "Orchestrateur"},
        {"id": "act_orch_metro", "parent": "act_orch", "label": "Métropole « pilote »"},
        {"id": "gouv", "parent": None, "label": "Gouvernance & règles"},
    ]).assign(definition="déf", include="inc", exclude="exc", example="ex", origin=[["A2017"]] * 4)
    path = tmp_path / "codebook.qdc"
    path.write_bytes(codebook_to_qdc(codebook))
    codes = read_qdc(path)
    assert len(codes) == 4
    by_guid = codes.set_index("guid")
    for row in codebook.itertuples():
        assert by_guid.loc[code_guid(row.id), "name"] == row.label
        parent = by_guid.loc[code_guid(row.id), "parent_guid"]
        assert (parent == code_guid(row.parent)) if isinstance(row.parent, str) else pd.isna(parent)
    assert by_guid["is_codable"].all()
    assert "Identifiant : act_orch" in by_guid.loc[code_guid("act_orch"), "description"]


def test_read_qdc_accepts_braces_missing_iscodable_and_deep_nesting(tmp_path):
    depth = 3000  # deeper than Python's recursion limit: the walk must be iterative
    inner = "".join(f'<Code guid="{{0000{i:04X}-0000-4000-8000-000000000000}}" name="n{i}">' for i in range(depth))
    xml = f'<CodeBook xmlns="{CODEBOOK_NS}" origin="x"><Codes>{inner}{"</Code>" * depth}</Codes></CodeBook>'
    path = tmp_path / "deep.qdc"
    path.write_text(xml, encoding="utf-8")
    codes = read_qdc(path)
    assert len(codes) == depth and codes["is_codable"].all()
    assert codes["guid"].iloc[1] == "00000001-0000-4000-8000-000000000000"
    assert codes["parent_guid"].iloc[-1] == f"0000{depth - 2:04x}-0000-4000-8000-000000000000"


def test_read_qdc_rejects_a_project_file_and_duplicate_guids(tmp_path):
    path = tmp_path / "wrong.qdc"
    path.write_text(project_xml(""), encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_qdc(path)
    assert "élément racine" in one_line_error(exc, "wrong.qdc")
    path = tmp_path / "dup.qdc"
    path.write_text(f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid="{C_ACTEURS}" name="a" isCodable="true"/>'
                    f'<Code guid="{C_ACTEURS.lower()}" name="b" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_qdc(path)
    message = one_line_error(exc, "dup.qdc")
    assert "«b»" in message and "déjà utilisé" in message


# ------------------------------------------------------------------------------------------ Taguette


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_taguette_export_pair_is_read_and_unknown_tag_reported(tmp_path):
    highlights = write_csv(tmp_path / "highlights.csv", [
        ["id", "document", "tag", "content"],
        ["12", "entretien-1", "acteurs.orchestrateur", "la métropole réunit les partenaires"],
        ["12", "entretien-1", "gouvernance", "la métropole réunit les partenaires"],
        ["15", "entretien-2", "financement", "La région, puis l'Europe,\nsur plusieurs lignes"],
        ["16", "entretien-2", "", "surlignage sans étiquette"],
    ])
    codebook = write_csv(tmp_path / "codebook.csv", [
        ["tag", "description", "number of highlights", "number of documents"],
        ["acteurs.orchestrateur", "Acteur qui fédère", "1", "1"],
        ["gouvernance", "Règles et arbitrages", "1", "1"],
    ])
    project = read_taguette(highlights, codebook)
    assert list(project.codes["name"]) == ["acteurs.orchestrateur", "gouvernance", "financement"]
    assert project.codes["parent_guid"].isna().all()
    assert list(project.codes["description"]) == ["Acteur qui fédère", "Règles et arbitrages", ""]
    sel = project.selections
    assert len(sel) == 3
    assert sel["start"].isna().all() and sel["end"].isna().all() and set(sel["coder"]) == {"taguette"}
    assert sel["selection_guid"].iloc[0] == sel["selection_guid"].iloc[1] != sel["selection_guid"].iloc[2]
    assert sel["text"].iloc[2] == "La région, puis l'Europe,\nsur plusieurs lignes"
    assert list(project.sources["name"]) == ["entretien-1", "entretien-2"]
    assert len(project.skipped) == 2
    assert skipped_matching(project, "highlights.csv", "ligne 4", "«financement»", "codebook.csv", "créé")
    assert skipped_matching(project, "highlights.csv", "ligne 6", "sans étiquette")  # the quoted newline counts
    # Same GUIDs on a second import (reproducible).
    assert read_taguette(highlights, codebook).codes.equals(project.codes)


def test_taguette_without_codebook_creates_codes_silently(tmp_path):
    highlights = write_csv(tmp_path / "h.csv", [["id", "document", "tag", "content"], ["1", "d", "t", "x"]])
    project = read_taguette(highlights)
    assert list(project.codes["name"]) == ["t"] and project.skipped == [] and len(project.selections) == 1


def test_taguette_missing_columns(tmp_path):
    path = write_csv(tmp_path / "highlights.csv", [["id", "document", "tags", "text"], ["1", "d", "t", "x"]])
    with pytest.raises(QdaImportError) as exc:
        read_taguette(path)
    message = one_line_error(exc, "highlights.csv")
    assert "colonnes manquantes tag, content" in message
    path = write_csv(tmp_path / "codebook.csv", [["tag", "description"], ["t", "d"]])
    with pytest.raises(QdaImportError) as exc:
        read_taguette(write_csv(tmp_path / "h.csv", [["id", "document", "tag", "content"]]), path)
    assert "colonnes manquantes number of highlights, number of documents" in one_line_error(exc, "codebook.csv")


def test_taguette_not_utf8_names_the_line(tmp_path):
    path = write_csv(tmp_path / "latin1.csv", [["id", "document", "tag", "content"], ["1", "d", "t", "ok"],
                                               ["2", "d", "t", "métropole"]], encoding="latin-1")
    with pytest.raises(QdaImportError) as exc:
        read_taguette(path)
    assert "UTF-8 (ligne 3" in one_line_error(exc, "latin1.csv")


def test_taguette_ragged_row_and_xlsx(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,document,tag,content\n1,d,t,x\n2,d,t\n", encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_taguette(path)
    assert "ligne 3 a 3 champs au lieu de 4" in one_line_error(exc, "ragged.csv")
    path.write_text('id,document,tag,content\n1,d,t,x\n2,d,t,"guillemet jamais fermé\n', encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_taguette(path)
    assert "CSV mal formé à la ligne 3" in one_line_error(exc, "ragged.csv")
    xlsx = make_zip(tmp_path / "highlights.csv", {"[Content_Types].xml": "<Types/>"})
    with pytest.raises(QdaImportError) as exc:
        read_taguette(xlsx)
    assert "XLSX" in one_line_error(exc, "highlights.csv")


# --------------------------------------------------------------------------------- hostile archives


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.qdpx"
    path.write_text(project_xml(""), encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    assert "n'est pas une archive ZIP" in one_line_error(exc, "fake.qdpx")
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(tmp_path / "absent.qdpx")
    assert "introuvable" in one_line_error(exc, "absent.qdpx")


def test_zip_without_qde(tmp_path):
    path = make_zip(tmp_path / "empty.qdpx", {"sources/t1.txt": TEXT1, "project.xml": project_xml("")})
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    assert "aucun fichier de projet .qde" in one_line_error(exc, "empty.qdpx")


def test_several_qde_are_named(tmp_path):
    path = make_zip(tmp_path / "two.qdpx", {"project.qde": project_xml(""), "old/Copie.QDE": project_xml(""),
                                            "__MACOSX/._project.qde": b"\x00\x05\x16\x07"})
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    message = one_line_error(exc, "two.qdpx")
    assert "2 fichiers .qde" in message and "«project.qde»" in message and "«old/Copie.QDE»" in message


def test_macos_resource_fork_is_ignored_and_reported(tmp_path):
    path = simple_qdpx(tmp_path, selection(0, 9), extra_entries={"__MACOSX/._project.qde": b"\x00\x05\x16\x07"})
    project = read_qdpx(path)
    assert len(project.selections) == 1
    assert skipped_matching(project, "hostile.qdpx", "«__MACOSX/._project.qde»", "macOS")


def test_malformed_xml_gives_line_and_column(tmp_path):
    xml = '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n  <Users><User guid="1" </Users>'
    path = make_zip(tmp_path / "broken.qdpx", {"project.qde": xml})
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    message = one_line_error(exc, "broken.qdpx")
    assert "«project.qde»" in message and "XML mal formé à la ligne 3, colonne" in message


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE Project [\n<!ENTITY a "lol">\n'
                  + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
                  + ']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&j;"/>')


def test_billion_laughs_is_refused_fast(tmp_path):
    path = make_zip(tmp_path / "laughs.qdpx", {"project.qde": BILLION_LAUGHS})
    started = time.perf_counter()
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    assert time.perf_counter() - started < 1
    message = one_line_error(exc, "laughs.qdpx")
    assert "«project.qde»" in message and "DTD" in message
    qdc = tmp_path / "laughs.qdc"
    qdc.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(QdaImportError) as exc:
        read_qdc(qdc)
    assert "DTD" in one_line_error(exc, "laughs.qdc")


def test_external_entity_is_refused(tmp_path):
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           f'<Project xmlns="{PROJECT_NS}" name="&x;"/>')
    path = make_zip(tmp_path / "xxe.qdpx", {"project.qde": xxe})
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    message = one_line_error(exc, "xxe.qdpx")
    assert "DTD" in message and "root:" not in message


def test_zip_bomb_of_50_mb_is_rejected_before_extraction_and_fast(tmp_path):
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("project.qde", project_xml(""))
        zf.writestr("sources/bomb.txt", b"\0" * (50 * 2**20))
    assert path.stat().st_size < 2 * 2**20
    started = time.perf_counter()
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.3, elapsed
    message = one_line_error(exc, "bomb.qdpx")
    assert "«sources/bomb.txt»" in message and "bombe ZIP" in message and "rapport maximal de 200" in message


def test_total_declared_size_over_the_limit(tmp_path):
    path = simple_qdpx(tmp_path, selection(0, 9), name="big.qdpx")
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path, max_total_bytes=500)
    assert "au-delà de la limite de 500 octets" in one_line_error(exc, "big.qdpx")


def test_declared_size_that_lies_is_caught_when_reading(tmp_path):
    """Central directory says the text is 10 bytes: reading stops there and the entry is reported corrupt."""
    path = simple_qdpx(tmp_path, selection(0, 9), name="liar.qdpx")
    data = bytearray(path.read_bytes())
    marker = b"PK\x01\x02"
    pos = data.find(marker)
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + name_len] == b"sources/t1.txt":
            data[pos + 24:pos + 28] = (10).to_bytes(4, "little")
        pos = data.find(marker, pos + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    message = one_line_error(exc, "liar.qdpx")
    assert "«sources/t1.txt»" in message and "corrompue" in message


def test_path_traversal_entries_are_reported_and_nothing_is_written(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    evil = {"../evil.txt": "x", "/etc/evil.txt": "x", "C:\\evil.txt": "x", "sources/../../evil2.txt": "x",
            "sources/bad\nname.txt": "x"}
    path = simple_qdpx(tmp_path, selection(0, 9), name="traversal.qdpx", extra_entries=evil)
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(work))
    project = read_qdpx(path)
    assert (sorted(os.listdir(tmp_path)), sorted(os.listdir(work))) == before
    assert len(project.selections) == 1
    for name in ["../evil.txt", "/etc/evil.txt", "C:\\evil.txt", "sources/../../evil2.txt"]:
        assert skipped_matching(project, "traversal.qdpx", f"«{name}»", "sortant de l'archive"), name
    assert len(project.skipped) == 4  # the odd but harmless "bad\nname" entry is only never read
    assert all("\n" not in line for line in project.skipped)


def test_qde_itself_outside_the_archive_is_an_error(tmp_path):
    for i, name in enumerate(["../project.qde", "/tmp/project.qde", "C:\\proj\\project.qde"]):
        path = make_zip(tmp_path / f"evilqde{i}.qdpx", {name: project_xml("")})
        with pytest.raises(QdaImportError) as exc:
            read_qdpx(path)
        message = one_line_error(exc, f"evilqde{i}.qdpx")
        assert f"«{name}» refusée" in message


def test_internal_paths_outside_sources_or_missing_are_skipped(tmp_path):
    sources = "".join(text_source(selection(0, 5), path=p, guid=f"{{99999999-0000-4000-8000-00000000000{i}}}",
                                  name=f"S{i}")
                      for i, p in enumerate(["internal://../project.qde", "internal://sub/../../x.txt",
                                             "internal://absent.txt", "internal://T1.TXT"]))
    xml = project_xml(sources, SIMPLE_CODES, SIMPLE_USERS)
    project = read_qdpx(make_zip(tmp_path / "paths.qdpx", {"project.qde": xml, "sources/t1.txt": TEXT1}))
    assert list(project.sources["name"]) == ["S3"]  # case-insensitive match of sources/t1.txt
    assert len(project.selections) == 1
    assert skipped_matching(project, "paths.qdpx", "«S0»", "«internal://../project.qde»", "hors du dossier sources/")
    assert skipped_matching(project, "«S1»", "hors du dossier sources/")
    assert skipped_matching(project, "«S2»", "«internal://absent.txt» absent de l'archive")
    assert len(project.skipped) == 3


def test_external_relative_and_absolute_texts_are_not_read(tmp_path):
    sources = (text_source("", path="relative://../../etc/passwd", name="Rel")
               + text_source("", path="absolute:///etc/passwd", guid="{99999999-0000-4000-8000-000000000009}",
                             name="Abs")
               + text_source("", path="ftp://host/x.txt", guid="{99999999-0000-4000-8000-000000000008}", name="Ftp"))
    xml = project_xml(sources, SIMPLE_CODES, SIMPLE_USERS, attrs=' basePath="/home/anne/projet"')
    project = read_qdpx(make_zip(tmp_path / "ext.qdpx", {"project.qde": xml}))
    assert project.sources.empty and project.selections.empty
    assert skipped_matching(project, "ext.qdpx", "«Rel»", "relatif à basePath «/home/anne/projet» non lu")
    assert skipped_matching(project, "ext.qdpx", "«Abs»", "chemin absolu hors de l'archive")
    assert skipped_matching(project, "ext.qdpx", "«Ftp»", "forme inconnue")
    assert len(project.skipped) == 3


def test_undefined_code_is_skipped_and_reported(tmp_path):
    sels = selection(0, 9) + selection(0, 9, code="{DEADBEEF-0000-4000-8000-000000000000}",
                                       guid="{33333333-0000-4000-8000-000000000002}")
    project = read_qdpx(simple_qdpx(tmp_path, sels, name="undef.qdpx"))
    assert list(project.selections["code_name"]) == ["Acteurs"]
    assert len(project.skipped) == 1
    assert skipped_matching(project, "undef.qdpx", "«33333333-0000-4000-8000-000000000002»",
                            "«deadbeef-0000-4000-8000-000000000000» référencé mais non défini")


def test_bad_offsets_are_each_skipped_with_the_reason(tmp_path):
    n = len(TEXT1)
    bad = [(-1, 4, "position négative"), (10, 4, "début 10 après la fin 4"),
           (0, n + 1, f"fin {n + 1} au-delà de la longueur du texte ({n} caractères)"),
           ("3.5", 8, "positions non entières"), ("abc", 8, "positions non entières"),
           (0, "99999999999999999999999999999999999", "positions non entières")]
    sels = selection(0, n, guid="{33333333-0000-4000-8000-0000000000ff}")  # the whole text is valid
    sels += "".join(selection(s, e, guid=f"{{33333333-0000-4000-8000-0000000000{i:02d}}}") for i, (s, e, _) in enumerate(bad))
    project = read_qdpx(simple_qdpx(tmp_path, sels, name="offsets.qdpx"))
    assert list(project.selections["text"]) == [TEXT1]
    assert len(project.skipped) == len(bad)
    for i, (_, _, reason) in enumerate(bad):
        assert skipped_matching(project, "offsets.qdpx", f"«33333333-0000-4000-8000-0000000000{i:02d}»", reason), reason


def test_non_text_sources_and_whole_document_codings_are_reported(tmp_path):
    sources = (text_source(selection(0, 9) + f'<Coding guid="{{CCCCCCCC-0000-4000-8000-000000000001}}">'
                           f'<CodeRef targetGUID="{C_ACTEURS}"/></Coding>')
               + '<PictureSource guid="{A0000000-0000-4000-8000-000000000001}" name="photo.jpg" path="internal://p.jpg"/>'
               + '<AudioSource guid="{A0000000-0000-4000-8000-000000000002}" name="son.mp3" path="internal://s.mp3"/>'
               + '<VideoSource guid="{A0000000-0000-4000-8000-000000000003}" name="film.mp4" path="internal://f.mp4"/>'
               + '<PDFSource guid="{A0000000-0000-4000-8000-000000000004}" name="scan.pdf" path="internal://s.pdf">'
               '<PDFSelection guid="{A0000000-0000-4000-8000-000000000005}" page="1" firstX="0" firstY="0" '
               'secondX="5" secondY="5"/></PDFSource>')
    xml = project_xml(sources, SIMPLE_CODES, SIMPLE_USERS)
    project = read_qdpx(make_zip(tmp_path / "media.qdpx", {"project.qde": xml, "sources/t1.txt": TEXT1}))
    assert list(project.sources["name"]) == ["Entretien 1"] and len(project.selections) == 1
    for name, kind in [("photo.jpg", "PictureSource"), ("son.mp3", "AudioSource"), ("film.mp4", "VideoSource")]:
        assert skipped_matching(project, "media.qdpx", f"«{name}»", f"non textuelle ({kind})")
    assert skipped_matching(project, "«scan.pdf»", "sans représentation textuelle")
    assert skipped_matching(project, "«scan.pdf»", "sélection PDF", "zone graphique")
    assert skipped_matching(project, "«Entretien 1»", "codage du document entier")
    assert len(project.skipped) == 6


def test_text_file_not_utf8_is_skipped(tmp_path):
    path = simple_qdpx(tmp_path, selection(0, 9), name="latin.qdpx", text=TEXT1.encode("latin-1", "replace"))
    project = read_qdpx(path)
    assert project.sources.empty and project.selections.empty
    assert skipped_matching(project, "latin.qdpx", "«Entretien 1»", "«sources/t1.txt» pas en UTF-8 (octet")


def test_unexpected_root_or_namespace_is_an_error(tmp_path):
    xml = project_xml("", ns="urn:QDA-XML:project:9.9")
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(make_zip(tmp_path / "ns.qdpx", {"project.qde": xml}))
    assert "élément racine «{urn:QDA-XML:project:9.9}Project» inattendu" in one_line_error(exc, "ns.qdpx")
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(make_zip(tmp_path / "html.qdpx", {"project.qde": "<html><body/></html>"}))
    assert "«html»" in one_line_error(exc, "html.qdpx")


def test_encrypted_entry_is_an_error_not_a_crash(tmp_path):
    path = simple_qdpx(tmp_path, selection(0, 9), name="crypt.qdpx")
    data = bytearray(path.read_bytes())
    for marker, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" flag bit everywhere
        pos = data.find(marker)
        while pos != -1:
            data[pos + flag_at] |= 0x1
            pos = data.find(marker, pos + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    assert "«project.qde» chiffrée" in one_line_error(exc, "crypt.qdpx")


def test_truncated_archive_is_an_error(tmp_path):
    path = atlas_like(tmp_path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(path)
    assert "n'est pas une archive ZIP lisible" in one_line_error(exc, "atlas.qdpx")


def test_unknown_xml_encoding_is_an_error(tmp_path):
    xml = project_xml("").replace('encoding="utf-8"', 'encoding="rot13"')
    with pytest.raises(QdaImportError) as exc:
        read_qdpx(make_zip(tmp_path / "enc.qdpx", {"project.qde": xml}))
    assert "«project.qde» : encodage inconnu" in one_line_error(exc, "enc.qdpx")


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_random_corruption_never_crashes(tmp_path, compression):
    """Seeded byte mutations of a valid archive: every outcome is a project or a one-line QdaImportError."""
    with zipfile.ZipFile(atlas_like(tmp_path)) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}
    base = make_zip(tmp_path / "base.qdpx", entries, compression=compression).read_bytes()
    rng = random.Random(20240501 + compression)
    outcomes = {"project": 0, "error": 0}
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.choice(b'<>"&{}/=0-9\x00\xff ')
        path = tmp_path / "mut.qdpx"
        path.write_bytes(bytes(data))
        try:
            project = read_qdpx(path)
        except QdaImportError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("mut.qdpx : "), str(exc)
            outcomes["error"] += 1
        else:
            assert all("\n" not in line and line.startswith("mut.qdpx : ") for line in project.skipped)
            outcomes["project"] += 1
    assert outcomes["error"] > 0 and outcomes["project"] + outcomes["error"] == 300


def test_sections_not_imported_are_reported(tmp_path):
    extra = ('<Notes><Note guid="{E0000000-0000-4000-8000-000000000001}" name="mémo"/></Notes>'
             '<Sets></Sets>')
    xml = project_xml(text_source(selection(0, 9)), SIMPLE_CODES, SIMPLE_USERS, extra=extra)
    xml = xml.replace("<Sources>", '<Cases><Case guid="{E0000000-0000-4000-8000-000000000002}" name="c"/>'
                      '<Case guid="{E0000000-0000-4000-8000-000000000003}" name="d"/></Cases><Sources>')
    project = read_qdpx(make_zip(tmp_path / "notes.qdpx", {"project.qde": xml, "sources/t1.txt": TEXT1}))
    assert len(project.selections) == 1
    assert sorted(project.skipped) == [
        "notes.qdpx : «project.qde» : section <Cases> (2 éléments : cas, par ex. de NVivo) non importée",
        "notes.qdpx : «project.qde» : section <Notes> (1 élément : notes et mémos, par ex. d'ATLAS.ti) non importée"]


def test_a_second_download_of_an_export_is_the_same_project():
    """Taguette always names its export all_tags.csv; the browser saves the next one as
    «all_tags (1).csv», which became a second project whose segments doubled the first's."""
    from compendium.fieldwork.qda_import import file_project_name, project_slug

    assert project_slug(file_project_name(Path("Téléchargements/all_tags (1).csv"))) == \
        project_slug(file_project_name(Path("all_tags.csv"))) == "all-tags"
    assert project_slug(file_project_name(Path("Terrain Rennes (2).qdpx"))) == "terrain-rennes"
    assert project_slug(file_project_name(Path("entretien 2024.csv"))) == "entretien-2024"
