"""REFI-QDA projects as real tools write them, beyond the common case: interviews coded on the
transcript of an audio file (QualCoder writes these codings only as ``TranscriptSelection``
elements of an ``AudioSource``), Windows line ends counted differently by ATLAS.ti and by the
others, and the namespace variants met in real exports (« 0:4 », « 1:0 »).

Shapes follow QualCoder's exporter and importer (``src/qualcoder/refi.py`` of ccbogel/QualCoder,
read in a clone of its 2026-08-22 snapshot): ``RefiExport.sources_xml``, ``transcript_xml``,
``get_transcript_syncpoints``, ``get_transcript_selections``, ``av_selection_xml``,
``text_selection_xml`` (a selection's ``name`` is the coded text), the export « for MAXQDA »
that writes CR LF into the text files, and the importer's notes on ATLAS.ti's positions and on
the « 1.0, 0:4 » namespaces. The NVivo 12 for Mac codebook header is the one a public codebook
generator copies. All names and texts are invented."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from compendium import data
from compendium.fieldwork.qda import UNKNOWN_CODER, QdaImportError, read_qdc, read_qdpx
from conftest import ROOT, compendium
from test_qda_project import small_root

USER = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"
CODE_ACTEURS = "76414714-63c4-4a25-a47e-66fef80bd52e"
CODE_DONNEES = "0bd904ef-7dff-47d6-a94e-f47e9134a596"
TEXT_GUID, TEXT_FILE = "08cbced0-d736-44c8-8fd6-eb4d29fe46c5", "b1d2e3f4-0000-4000-8000-000000000001.txt"
AUDIO_GUID, AUDIO_FILE = "d7c91d8c-77f6-4058-b21e-010a157ba027", "a1b2c3d4-0000-4000-8000-000000000002.m4a"
TRANSCRIPT_GUID, TRANSCRIPT_FILE = "28b27114-5284-4481-837d-dc0d98a5a9a8", "c1d2e3f4-0000-4000-8000-000000000003.txt"

TYPED = ("Entretien avec la cheffe de projet SIG.\n"
         "La métropole réunit les partenaires autour de la maquette.\n"
         "Les données des réseaux restent chez les opérateurs.")
TRANSCRIBED = ("[00:00:05] Enquêtrice : Comment le projet a-t-il commencé ?\n"
               "[00:00:12] Élue : Nous avons ouvert les données dès 2010, puis le syndicat d'énergie a suivi.\n"
               "[00:01:40] Élue : Personne ne décide seul de ce qui est partagé.")


def _header(origin: str = "QualCoder 3.6", ns: str = "urn:QDA-XML:project:1.0") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Terrain audio" '
            f'origin="{origin}" creatingUserGUID="9f0e1d2c-3b4a-4596-8877-665544332211" '
            f'creationDateTime="2026-11-20T10:00:00Z" xmlns="{ns}">\n'
            f'<Users>\n<User guid="{USER}" name="Dominique Le Gall-Ségur" />\n</Users>\n'
            '<CodeBook>\n<Codes>\n'
            f'<Code guid="{CODE_ACTEURS}" name="Acteurs et rôles" isCodable="true" color="#F5A9A9">\n</Code>\n'
            f'<Code guid="{CODE_DONNEES}" name="Régimes de données" isCodable="true" color="#A9D0F5">\n</Code>\n'
            '</Codes>\n</CodeBook>\n')


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _text_selection(text: str, part: str, code: str, n: int) -> str:
    """``text_selection_xml``: positions, the coded text as ``name``, the coder on both elements."""
    start, end = _span(text, part)
    return (f'<PlainTextSelection guid="11111111-2222-4333-8444-{n:012d}" startPosition="{start}" '
            f'endPosition="{end}" name="{part}" creatingUser="{USER}" creationDateTime="2026-11-21T09:00:00Z">\n'
            f'<Coding guid="22222222-3333-4444-8555-{n:012d}" creatingUser="{USER}" >\n'
            f'<CodeRef targetGUID="{code}" />\n</Coding>\n</PlainTextSelection>\n')


def qualcoder_audio_project(path: Path, windows: bool = False) -> Path:
    """A QualCoder export of two interviews: one typed (a ``TextSource``), one recorded and
    transcribed in QualCoder (an ``AudioSource`` whose coded transcript is a ``Transcript``).
    ``windows``: written on Windows, where QualCoder's text-mode files get CR LF line ends while
    its positions still count LF."""
    ends = (lambda t: t.replace("\n", "\r\n")) if windows else (lambda t: t)
    sync, sels = [f'<SyncPoint guid="{"0" * 8}-0000-4000-8000-{0:012d}" position="0" timeStamp="0" />\n'], []
    coded = [("Nous avons ouvert les données dès 2010", CODE_DONNEES, 12000),
             ("Personne ne décide seul de ce qui est partagé.", CODE_ACTEURS, 100000)]
    for n, (part, code, msecs) in enumerate(coded, start=1):
        start, end = _span(TRANSCRIBED, part)
        g0, g1 = f"{n:08d}-0000-4000-8000-{2 * n:012d}", f"{n:08d}-0000-4000-8000-{2 * n + 1:012d}"
        sync += [f'<SyncPoint guid="{g0}" position="{start}" timeStamp="{msecs}" />\n',
                 f'<SyncPoint guid="{g1}" position="{end}" timeStamp="{msecs}" />\n']
        sels.append(f'<TranscriptSelection guid="{n:08d}-1111-4000-8000-000000000000" name="Entretien élue.m4a" '
                    f'fromSyncPoint="{g0}" toSyncPoint="{g1}">\n'
                    f'<Coding guid="{n:08d}-2222-4000-8000-000000000000" >\n'
                    f'<CodeRef targetGUID="{code}" />\n</Coding>\n</TranscriptSelection>\n')
    audio = (f'<AudioSource creatingUser="{USER}" creationDateTime="2026-11-20T10:05:00Z" '
             f'path="internal://{AUDIO_FILE}" guid="{AUDIO_GUID}" name="Entretien élue.m4a" >\n'
             f'<Transcript plainTextPath="internal://{TRANSCRIPT_FILE}" creatingUser="{USER}" '
             f'creationDateTime="2026-11-20T10:06:00Z" guid="{TRANSCRIPT_GUID}" name="Entretien élue.m4a.transcribed" >\n'
             + "".join(sync) + "".join(sels) + '</Transcript>\n'
             f'<AudioSelection guid="33333333-4444-4555-8666-000000000001" begin="5000" end="12000" name="" '
             f'creatingUser="{USER}" >\n<Coding guid="33333333-4444-4555-8666-000000000002" creatingUser="{USER}" '
             f'creationDateTime="2026-11-21T09:30:00Z">\n<CodeRef targetGUID="{CODE_ACTEURS}"/>\n</Coding>\n'
             '</AudioSelection>\n</AudioSource>\n')
    typed = (f'<TextSource plainTextPath="internal://{TEXT_FILE}" creatingUser="{USER}" '
             f'creationDateTime="2026-11-20T10:00:00Z" guid="{TEXT_GUID}" name="Entretien SIG.txt">\n'
             + _text_selection(TYPED, "La métropole réunit les partenaires", CODE_ACTEURS, 1)
             + _text_selection(TYPED, "Les données des réseaux restent chez les opérateurs", CODE_DONNEES, 2)
             + '</TextSource>\n')
    qde = _header() + "<Sources>\n" + typed + audio + "</Sources>\n</Project>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:  # shutil.make_archive: flat, no folder entry
        zf.writestr("project.qde", qde.encode("utf-8"))
        zf.writestr(f"sources/{TEXT_FILE}", ends(TYPED).encode("utf-8-sig"))
        zf.writestr(f"sources/{TRANSCRIPT_FILE}", ends(TRANSCRIBED).encode("utf-8-sig"))
        zf.writestr(f"sources/{AUDIO_FILE}", b"\x00\x00\x00\x20ftypM4A " + bytes(64))
    return path


@pytest.mark.parametrize("windows", [False, True])
def test_transcript_codings_of_an_audio_source_are_read_with_their_positions(tmp_path, windows):
    project = read_qdpx(qualcoder_audio_project(tmp_path / "Terrain audio.qdpx", windows=windows))
    assert list(project.sources["name"]) == ["Entretien SIG.txt", "Entretien élue.m4a.transcribed"]
    transcript = project.selections[project.selections["source_name"] == "Entretien élue.m4a.transcribed"]
    assert list(transcript["text"]) == ["Nous avons ouvert les données dès 2010",
                                        "Personne ne décide seul de ce qui est partagé."]
    assert list(transcript["code_name"]) == ["Régimes de données", "Acteurs et rôles"]
    assert list(transcript[["start", "end"]].itertuples(index=False, name=None)) == [
        _span(TRANSCRIBED, t) for t in transcript["text"]]
    # QualCoder writes no coder on transcript codings: named as unknown, and said so
    assert set(transcript["coder"]) == {UNKNOWN_CODER}
    typed = project.selections[project.selections["source_name"] == "Entretien SIG.txt"]
    assert set(typed["coder"]) == {"Dominique Le Gall-Ségur"}
    report = "\n".join(project.skipped)
    assert "2 codages sans auteur" in report
    assert "1 sélection temporelle <AudioSelection> ignorée" in report
    assert "source non textuelle" not in report
    line_ends = [line for line in project.skipped if "CR LF" in line]
    if windows:  # the typed text by its selections' names, the transcript by the tool's habit
        assert len(line_ends) == 2 and "le nom reprend le texte codé" in line_ends[0]
        assert "transcription" in line_ends[1] and "comme QualCoder compte ses positions" in line_ends[1]
    else:
        assert line_ends == []


def test_transcribed_interview_goes_into_data_end_to_end(tmp_path):
    root = small_root(tmp_path)
    qdpx = qualcoder_audio_project(tmp_path / "Terrain audio.qdpx")
    proc = compendium(root, "import-coding", str(qdpx), check=False)
    assert proc.returncode == 1 and "2 documents codés sans entretien" in proc.stderr
    docs = root / "private/qda/terrain-audio/documents.csv"
    names = [r["document"] for r in csv.DictReader(docs.open(encoding="utf-8"))]
    assert sorted(names) == ["Entretien SIG.txt", "Entretien élue.m4a.transcribed"]
    docs.write_text("document,entretien\n" + "".join(f"{n},RNS-COL-0{i + 1}\n" for i, n in enumerate(sorted(names))),
                    encoding="utf-8")
    with (root / "data/interviews/interviews.csv").open("a", encoding="utf-8") as fh:
        fh.write("RNS-COL-01,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n"
                 "RNS-COL-02,rennes,COL,technique,2026-11,visio,50,fr,complet,code\n")
    proc = compendium(root, "import-coding", str(qdpx))
    assert "4 codages" in proc.stdout
    assert data.validate_package(root) == []
    segments = data.load_table("interview_segments", root)
    mine = segments[segments["project"] == "terrain-audio"]
    assert mine.groupby("interview_id").size().to_dict() == {"RNS-COL-01": 2, "RNS-COL-02": 2}
    assert mine["coder"].nunique() == 2  # the named coder and the unknown one, each a pseudonymous id
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "data").rglob("*.csv"))
    assert "Le Gall" not in text and UNKNOWN_CODER not in text and "Entretien élue" not in text


def _crlf_project(path: Path, origin: str, positions_on_lf: bool, names_are_text: bool) -> Path:
    text = TYPED.replace("\n", "\r\n")
    counted = TYPED if positions_on_lf else text
    parts = ["La métropole réunit les partenaires", "Les données des réseaux restent chez les opérateurs"]
    sels = ""
    for n, part in enumerate(parts, start=1):
        start, end = _span(counted, part)
        sels += (f'<PlainTextSelection guid="11111111-2222-4333-8444-{n:012d}" startPosition="{start}" '
                 f'endPosition="{end}" name="{part if names_are_text else f"Citation {n}"}" creatingUser="{USER}">'
                 f'<Coding guid="22222222-3333-4444-8555-{n:012d}" creatingUser="{USER}">'
                 f'<CodeRef targetGUID="{CODE_ACTEURS}"/></Coding></PlainTextSelection>')
    qde = (_header(origin) + f'<Sources><TextSource guid="{TEXT_GUID}" name="Entretien SIG" '
           f'plainTextPath="internal://{TEXT_GUID.upper()}.txt">{sels}</TextSource></Sources></Project>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr(f"sources/{TEXT_GUID.upper()}.txt", "\ufeff".encode() + text.encode())
    return path


@pytest.mark.parametrize("origin, positions_on_lf, names_are_text, lf_reported", [
    ("ATLAS.ti Win 23.4.0", True, False, "comme ATLAS.ti"),  # ATLAS.ti: CR LF is one character
    ("NVivo for Windows 12.6", False, False, None),  # the standard's code points: two characters
    ("QualCoder 3.6", True, True, "2 sélections dont le nom reprend le texte codé"),  # export « for MAXQDA »
    ("ATLAS.ti Win 23.4.0", False, True, None),  # evidence beats the tool's name
])
def test_windows_line_ends_are_counted_as_the_tool_counted_them(tmp_path, origin, positions_on_lf, names_are_text,
                                                                 lf_reported):
    project = read_qdpx(_crlf_project(tmp_path / "crlf.qdpx", origin, positions_on_lf, names_are_text))
    assert list(project.selections["text"]) == ["La métropole réunit les partenaires",
                                                "Les données des réseaux restent chez les opérateurs"]
    report = [line for line in project.skipped if "CR LF" in line]
    if lf_reported:
        assert len(report) == 1 and lf_reported in report[0]
        assert project.sources["text_length"].iloc[0] == len(TYPED)
    else:
        assert report == [] and project.sources["text_length"].iloc[0] == len(TYPED.replace("\n", "\r\n"))


@pytest.mark.parametrize("ns", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:project:0:4", "urn:QDA-XML:project:1:0"])
def test_project_namespace_variants_of_real_exports_are_read(tmp_path, ns):
    qdpx = _crlf_project(tmp_path / "ns.qdpx", "NVivo 14", False, True)
    with zipfile.ZipFile(qdpx) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    entries["project.qde"] = entries["project.qde"].replace(b"urn:QDA-XML:project:1.0", ns.encode())
    with zipfile.ZipFile(qdpx, "w") as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    assert len(read_qdpx(qdpx).selections) == 2


def test_an_unknown_namespace_version_is_still_an_error(tmp_path):
    path = tmp_path / "futur.qdc"
    path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:2.0"><Codes/></CodeBook>', encoding="utf-8")
    with pytest.raises(QdaImportError, match="futur.qdc : élément racine"):
        read_qdc(path)


@pytest.mark.parametrize("header", [
    # NVivo 12 for Mac, as a public codebook generator copies it: a colon for the dot
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" '
    'xmlns="urn:QDA-XML:codebook:1:0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="urn:QDA-XML:codebook:1:0 Codebook.xsd"><Codes>',
    # the older « 0:4 » namespace that QualCoder's importer says it has met
    '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti Win 26.1.1">'
    '<Codes>',
    # ATLAS.ti Win 23.4.0: the standard namespace, an old schemaLocation and code groups as Sets
    '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd" origin="ATLAS.ti Win 23.4.0" '
    'xmlns="urn:QDA-XML:codebook:1.0">\n  <Codes>',
])
def test_codebook_namespace_variants_of_real_exports_are_read(tmp_path, header):
    body = ('<Code color="#00FF00" guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" isCodable="false" name="Acteurs">'
            '<Code guid="ECA18D76-2B8B-4F26-BC1D-19ECA1000001" isCodable="true" name="Métropole"/></Code>'
            '</Codes></CodeBook>')
    path = tmp_path / "grille.qdc"
    path.write_text(header + body, encoding="utf-8")
    codes = read_qdc(path)
    assert list(codes["name"]) == ["Acteurs", "Métropole"]
    assert codes["parent_guid"].iloc[1] == "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"


def test_a_transcript_selection_without_its_sync_point_is_reported(tmp_path):
    qdpx = qualcoder_audio_project(tmp_path / "a.qdpx")
    with zipfile.ZipFile(qdpx) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    qde = entries["project.qde"].decode()
    missing = qde.split('fromSyncPoint="', 1)[1].split('"', 1)[0]
    entries["project.qde"] = qde.replace(f'<SyncPoint guid="{missing}"', '<SyncPoint guid="ffffffff-0000-4000-8000-000000000000"').encode()
    with zipfile.ZipFile(qdpx, "w") as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    project = read_qdpx(qdpx)
    lines = [line for line in project.skipped if "point de synchronisation absent" in line]
    assert len(lines) == 1 and f"fromSyncPoint=«{missing}»" in lines[0]
    assert len(project.selections[project.selections["source_name"].str.endswith(".transcribed")]) == 1


def test_two_sources_with_one_name_stay_two_documents(tmp_path):
    """MAXQDA can export two texts under one name; each must remain its own document."""
    qdpx = _crlf_project(tmp_path / "double.qdpx", "MAXQDA 2022 (Release 22.4.0)", False, True)
    with zipfile.ZipFile(qdpx) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    qde = entries["project.qde"].decode()
    source = qde[qde.index("<TextSource"):qde.index("</TextSource>") + len("</TextSource>")]
    other_guid = "99999999-8888-4777-8666-555555555555"
    twin = source.replace(TEXT_GUID, other_guid).replace(TEXT_GUID.upper(), other_guid.upper())
    twin = twin.replace("11111111-2222-4333-8444-", "11111111-2222-4333-8445-").replace("22222222-3333-4444-8555-",
                                                                                       "22222222-3333-4444-8556-")
    entries["project.qde"] = qde.replace("</Sources>", twin + "</Sources>").encode()
    entries[f"sources/{other_guid.upper()}.txt"] = entries[f"sources/{TEXT_GUID.upper()}.txt"]
    with zipfile.ZipFile(qdpx, "w") as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    project = read_qdpx(qdpx)
    assert list(project.sources["name"]) == ["Entretien SIG", "Entretien SIG (2)"]
    assert project.selections.groupby("source_name").size().to_dict() == {"Entretien SIG": 2, "Entretien SIG (2)": 2}
    assert set(project.selections.loc[project.selections["source_name"] == "Entretien SIG (2)", "source_guid"]) == {
        other_guid}
    assert [line for line in project.skipped if "déjà porté" in line] == [
        f"double.qdpx : «project.qde» : source «{other_guid}» : nom «Entretien SIG» déjà porté par une autre "
        "source, lue sous le nom «Entretien SIG (2)»"]


def test_cases_repeated_as_codes_are_left_out_without_their_names(tmp_path):
    """NVivo repeats each case as a code under the case's GUID (QualCoder's importer,
    ``clean_up_case_codes_and_case_text``) and codes the case's text with it. A case is not a
    theme and is often named after a person: it must not enter the codebook."""
    case_guid = "4a463c0d-9263-494a-81d6-e9d5a229f227"
    start, end = _span(TYPED, "La métropole réunit les partenaires")
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
           'name="Untitled" origin="NVivo for Windows 12.6" creatingUserGUID="f93ad076-5ca1-4f46-abf4-b4b67130a6e2" '
           'creationDateTime="2025-02-21T15:09:07Z" basePath="" xmlns="urn:QDA-XML:project:1.0">\n'
           f'  <Users>\n    <User guid="{USER}" name="Coder" />\n  </Users>\n  <CodeBook>\n    <Codes>\n'
           f'      <Code guid="{CODE_ACTEURS}" name="Acteurs" isCodable="true" />\n'
           f'      <Code guid="{case_guid}" name="Anouk Kervella" isCodable="true">\n'
           f'        <Code guid="{CODE_DONNEES}" name="Données" isCodable="true" />\n      </Code>\n'
           '    </Codes>\n  </CodeBook>\n'
           f'  <Cases>\n    <Case guid="{case_guid}" name="Anouk Kervella">\n      <Description />\n'
           f'      <SourceRef targetGUID="{TEXT_GUID}" />\n    </Case>\n  </Cases>\n'
           f'  <Sources>\n    <TextSource guid="{TEXT_GUID}" name="Entretien SIG" plainTextPath="internal://{TEXT_GUID}.txt">\n'
           f'      <PlainTextSelection guid="11111111-2222-4333-8444-000000000001" name="" startPosition="0" '
           f'endPosition="{len(TYPED)}" creatingUser="{USER}">\n'
           f'        <Coding guid="22222222-3333-4444-8555-000000000001" creatingUser="{USER}">'
           f'<CodeRef targetGUID="{case_guid}" /></Coding>\n      </PlainTextSelection>\n'
           f'      <PlainTextSelection guid="11111111-2222-4333-8444-000000000002" name="" startPosition="{start}" '
           f'endPosition="{end}" creatingUser="{USER}">\n'
           f'        <Coding guid="22222222-3333-4444-8555-000000000002" creatingUser="{USER}">'
           f'<CodeRef targetGUID="{CODE_ACTEURS}" /></Coding>\n      </PlainTextSelection>\n'
           '    </TextSource>\n  </Sources>\n</Project>')
    path = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr(f"Sources/{TEXT_GUID}.txt", TYPED)  # NVivo: « Sources » with a capital
    project = read_qdpx(path)
    assert list(project.codes["name"]) == ["Acteurs", "Données"]
    assert project.codes["parent_guid"].isna().all()  # the case's child moves up to the case's parent
    assert list(project.selections["text"]) == ["La métropole réunit les partenaires"]
    report = "\n".join(project.skipped)
    assert "1 code de la grille qui est un cas" in report and "ainsi que 1 codage de cas" in report
    assert "Kervella" not in report and "Anouk" not in report


def test_taguette_codebook_as_taguette_writes_it(tmp_path):
    """Taguette's « Export codebook → QDC » (``taguette/export.py``, ``codebook_xml``): a SAX
    ``XMLGenerator`` with short empty elements, the standard namespace as default prefix, upper-case
    GUIDs derived from the tag path, flat codes, and an empty ``<Sets/>``. Written here with the same
    standard-library calls."""
    import io
    import uuid
    from xml.sax.saxutils import XMLGenerator
    from xml.sax.xmlreader import AttributesNSImpl

    tags = ["acteurs.orchestrateur", "gouvernance des données", "intérêt général"]
    buf = io.BytesIO()
    out = XMLGenerator(buf, encoding="utf-8", short_empty_elements=True)
    out.startDocument()
    out.startPrefixMapping(None, "urn:QDA-XML:codebook:1.0")
    out.startElementNS((None, "CodeBook"), "CodeBook",
                       AttributesNSImpl({(None, "origin"): "Taguette 1.5.1"}, {(None, "origin"): "origin"}))
    out.startElementNS((None, "Codes"), "Codes", AttributesNSImpl({}, {}))
    for tag in tags:
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, tag)).upper()
        attrs = {(None, "guid"): guid, (None, "name"): tag, (None, "isCodable"): "true"}
        out.startElementNS((None, "Code"), "Code", AttributesNSImpl(attrs, {k: k[1] for k in attrs}))
        out.endElementNS((None, "Code"), "Code")
    out.endElementNS((None, "Codes"), "Codes")
    out.startElementNS((None, "Sets"), "Sets", AttributesNSImpl({}, {}))
    out.endElementNS((None, "Sets"), "Sets")
    out.endElementNS((None, "CodeBook"), "CodeBook")
    out.endPrefixMapping(None)
    out.endDocument()
    path = tmp_path / "codebook.qdc"
    path.write_bytes(buf.getvalue())
    assert b"<Sets/>" in buf.getvalue() and b'xmlns="urn:QDA-XML:codebook:1.0"' in buf.getvalue()
    codes = read_qdc(path)
    assert list(codes["name"]) == tags
    assert codes["parent_guid"].isna().all() and codes["is_codable"].all()
    assert codes["guid"].iloc[0] == str(uuid.uuid5(uuid.NAMESPACE_URL, tags[0]))  # lower case, no braces


def test_the_grid_exports_as_a_codebook_taguette_imports(tmp_path):
    """Taguette imports a codebook from a CSV only (``import_codebook.list_tags_csv``: a ``tag``,
    ``name`` or ``path`` column, an optional ``description``); the guide told Taguette users to
    import the grid's .qdc, which it refuses. ``codebook-qdc grille.csv`` writes that CSV; its tags
    are the codes' ids, which the import of Taguette's highlights maps back to the grid."""
    import codecs
    import io

    from compendium.fieldwork.qda_import import _suggest_code

    target = tmp_path / "grille pour Taguette.csv"
    proc = compendium(ROOT, "codebook-qdc", str(target))
    assert "pour Taguette" in proc.stdout
    # read as Taguette's list_tags_csv reads it
    reader = csv.reader(codecs.getreader("utf-8")(io.BytesIO(target.read_bytes())))
    header = next(reader)
    assert ("tag" in header) + ("name" in header) + ("path" in header) == 1 and "description" in header
    tags = [{"path": row[header.index("tag")].strip(), "description": row[header.index("description")].strip()}
            for row in reader if any(row)]
    grid = data.load_table("codebook", ROOT)
    assert [t["path"] for t in tags] == list(grid["id"]) and all(t["path"] for t in tags)
    assert all(t["description"].startswith(str(label)) for t, label in zip(tags, grid["label"]))
    # a highlight tagged with one of them comes back as that code of the grid
    assert all(_suggest_code("guid-taguette", t["path"], grid) == t["path"] for t in tags)
