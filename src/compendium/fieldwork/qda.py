"""Exchange with qualitative-analysis software through the REFI-QDA standard.

Export of the codebook (``data/coding/codebook.csv``) to a REFI-QDA 1.0 codebook file
(``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``) that ATLAS.ti, NVivo, MAXQDA and
QualCoder import. Code GUIDs are derived from the code ids (UUID version 5), so that an
export is reproducible and a re-import recognises the same codes.

Import, for untrusted files: ``read_qdc`` (REFI-QDA codebook), ``read_qdpx`` (REFI-QDA project
archive) and ``read_taguette`` (Taguette CSV exports) give a :class:`QdaProject` (codes, text
sources, coded selections, coders, and a French report of everything skipped) or raise a one-line
French :class:`QdaImportError`.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium.prose import agree, os_error

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Namespace for the UUIDv5 of this project's codes.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compendium:jumeaux-numeriques-territoriaux:codebook")


def code_guid(code_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


def _description(row) -> str:
    def given(value) -> bool:
        return isinstance(value, str) and bool(value.strip())

    parts = [row["definition"] if given(row["definition"]) else "(définition à compléter)"]
    parts += [f"{label} : {row[key]}" for key, label in (("include", "Inclure"), ("exclude", "Exclure"),
                                                         ("example", "Exemple")) if given(row.get(key))]
    parts += [f"Origine : {' ; '.join(row['origin'])}", f"Identifiant : {row['id']}"]
    return "\n".join(parts)


def codebook_to_taguette_csv(codebook: pd.DataFrame) -> bytes:
    """The codebook as a CSV that Taguette's «Import a codebook» reads (its ``list_tags_csv``: a
    ``tag`` column and a ``description``; it reads no ``.qdc``): each tag is the code's id, which
    the import of the highlights maps back to the code, its description the label and definition."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["tag", "description"])
    for row in codebook.to_dict("records"):
        definition = row["definition"] if isinstance(row.get("definition"), str) and row["definition"].strip() else ""
        writer.writerow([row["id"], f"{row['label']} — {definition}" if definition else str(row["label"])])
    return buf.getvalue().encode("utf-8")


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


# ---------------------------------------------------------------------------------------------
# Import of REFI-QDA projects (.qdpx), codebooks (.qdc) and Taguette exports, for untrusted input
# ---------------------------------------------------------------------------------------------

PROJECT_NS = "urn:QDA-XML:project:1.0"
#: Coder name given to codings whose export names no author (``creatingUser``).
UNKNOWN_CODER = "codeur non indiqué"
#: Namespace for the UUIDv5 given to Taguette tags, documents and highlights (which have no GUID).
TAGUETTE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compendium:taguette-import")

CODE_COLUMNS = ["guid", "name", "parent_guid", "is_codable", "description"]
SOURCE_COLUMNS = ["guid", "name", "text_length", "description"]
SELECTION_COLUMNS = ["selection_guid", "source_guid", "source_name", "start", "end", "coder",
                     "code_guid", "code_name", "text", "where", "memo"]
TAGUETTE_HIGHLIGHT_COLUMNS = ["id", "document", "tag", "content"]
TAGUETTE_CODEBOOK_COLUMNS = ["tag", "description", "number of highlights", "number of documents"]

#: Most entries accepted in a .qdpx archive (the central directory is read before anything else).
MAX_ZIP_ENTRIES = 10_000
#: Below this declared size, an entry's compression ratio is not checked: a small, highly repetitive
#: file legitimately compresses beyond 200:1 and cannot amount to a bomb (the total stays capped).
RATIO_MIN_SIZE = 64 * 1024
_CHUNK = 1 << 20
_UNSAFE_NAME = re.compile(r"^(?:[/\\]|[A-Za-z]:)|(?:^|[/\\])\.\.(?:[/\\]|$)|\x00")
_INTEGER = re.compile(r"^\s*[+-]?\d{1,30}\s*$")


#: What each project section not imported usually holds, and which tool writes it.
SECTION_KINDS = {"Notes": " : notes et mémos, par ex. d'ATLAS.ti", "Links": " : liens", "Sets": " : ensembles, par ex. de MAXQDA",
                 "Graphs": " : réseaux", "Cases": " : cas, par ex. de NVivo", "Variables": " : variables"}


class QdaImportError(Exception):
    """An input that cannot be imported; the message is one line, in French, naming the file."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass
class QdaProject:
    """What an import yields: codes, text sources, coded selections, coders, and what was skipped.

    ``skipped`` holds one French line per item deliberately left out (or created) with the reason;
    nothing is dropped silently.
    """

    codes: pd.DataFrame
    sources: pd.DataFrame
    selections: pd.DataFrame
    users: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: The project's ``name`` attribute (REFI-QDA) or ``None``.
    name: str | None = None


def _show(value: object, limit: int = 120) -> str:
    """``value`` quoted for a one-line message: control characters escaped, long values cut."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(value))
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"«{text}»"


def normalize_guid(value: str | None) -> str:
    """A GUID in lower case without braces or surrounding blanks (``""`` if missing)."""
    if value is None:
        return ""
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text.lower()


def _unsafe_name(name: str) -> bool:
    """Whether a zip entry name is absolute, has a drive letter, climbs up (``..``) or holds NUL."""
    return bool(_UNSAFE_NAME.search(name))


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_xml(data: bytes, where: str) -> ET.Element:
    """Parse untrusted XML: no DTD, no entity, no external reference; errors as QdaImportError.

    ``defusedxml`` is imported here so that the exporter above keeps working without it.
    """
    try:
        import defusedxml
        import defusedxml.ElementTree as DET
    except ImportError:  # pragma: no cover - depends on the environment
        raise QdaImportError(f"{where} : le paquet defusedxml est requis pour lire un fichier XML non fiable") from None
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise QdaImportError(f"{where} : déclaration DTD (<!DOCTYPE>) refusée, "
                             "elle peut servir à une expansion d'entités ou à lire des fichiers externes") from None
    except defusedxml.EntitiesForbidden:
        raise QdaImportError(f"{where} : déclaration d'entité XML refusée (risque d'expansion d'entités)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise QdaImportError(f"{where} : référence XML externe refusée") from None
    except defusedxml.DefusedXmlException as exc:
        raise QdaImportError(f"{where} : construction XML refusée ({type(exc).__name__})") from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise QdaImportError(f"{where} : XML mal formé à la ligne {line}, colonne {column}") from None
    except LookupError:
        raise QdaImportError(f"{where} : encodage inconnu dans la déclaration XML") from None
    except (ValueError, RecursionError, MemoryError, UnicodeError, TypeError) as exc:
        raise QdaImportError(f"{where} : XML illisible ({type(exc).__name__})") from None


def _children(el: ET.Element, ns: str, name: str) -> list[ET.Element]:
    return el.findall(f"{{{ns}}}{name}" if ns else name)


def _child(el: ET.Element, ns: str, name: str) -> ET.Element | None:
    return el.find(f"{{{ns}}}{name}" if ns else name)


#: Namespace versions found in real exports besides the standard « 1.0 »: « 0:4 » (an older draft,
#: which QualCoder's importer says it has met in projects and codebooks) and « 1:0 » (a colon for
#: the dot, written by NVivo 12 for Mac codebooks and by tools that copied its header). The
#: elements are the same; only the namespace string differs.
NAMESPACE_VARIANTS = ("1.0", "0:4", "1:0")


def _root_ns(root: ET.Element, expected_ns: str, expected_name: str, where: str) -> str:
    """The namespace to use below ``root`` (``""`` when the file has none); error if unexpected.
    The standard's namespace and its variants met in real exports (:data:`NAMESPACE_VARIANTS`)
    are accepted."""
    tag = root.tag if isinstance(root.tag, str) else ""
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    stem = expected_ns.rsplit(":", 1)[0] + ":"
    known = {stem + version for version in NAMESPACE_VARIANTS}
    if _local(tag) != expected_name or (ns and ns not in known):
        raise QdaImportError(f"{where} : élément racine {_show(tag)} inattendu, "
                             f"attendu <{expected_name}> de l'espace de noms {expected_ns}")
    return ns


def _is_codable(value: str | None) -> bool:
    return (value or "true").strip().lower() not in ("false", "0")


def _walk_codes(codes_el: ET.Element | None, ns: str, where: str, problem) -> pd.DataFrame:
    """Flatten nested ``Code`` elements (iteratively: no recursion limit on hostile nesting).

    ``problem(message)`` is called for each code left out (missing or duplicate GUID); its children
    are then attached to the nearest kept ancestor.
    """
    rows: list[dict] = []
    seen: set[str] = set()
    if codes_el is None:
        return pd.DataFrame(columns=CODE_COLUMNS)
    stack = [(code, None) for code in reversed(_children(codes_el, ns, "Code"))]
    while stack:
        code, parent = stack.pop()
        guid = normalize_guid(code.get("guid"))
        name = code.get("name") or ""
        kept_parent = parent
        if not guid:
            problem(f"{where} : code {_show(name)} sans attribut guid ignoré")
        elif guid in seen:
            problem(f"{where} : code {_show(name)} ignoré, son guid {guid} est déjà utilisé")
        else:
            seen.add(guid)
            desc = _child(code, ns, "Description")
            rows.append({"guid": guid, "name": name, "parent_guid": parent,
                         "is_codable": _is_codable(code.get("isCodable")),
                         "description": (desc.text or "") if desc is not None else ""})
            kept_parent = guid
        stack.extend((child, kept_parent) for child in reversed(_children(code, ns, "Code")))
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise QdaImportError(f"{path.name} : fichier de {size} octets, au-delà de la limite de {max_bytes} octets")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise QdaImportError(f"{path.name} : fichier introuvable ({_show(str(path))})") from None
    except IsADirectoryError:
        raise QdaImportError(f"{path.name} : est un dossier, pas un fichier") from None
    except OSError as exc:
        raise QdaImportError(f"{path.name} : lecture impossible ({os_error(exc)})") from None
    if len(data) > max_bytes:
        raise QdaImportError(f"{path.name} : fichier au-delà de la limite de {max_bytes} octets")
    return data


def read_qdc(path, max_bytes: int = 200 * 2**20) -> pd.DataFrame:
    """Codes of a REFI-QDA ``.qdc`` codebook, nested codes flattened with their ``parent_guid``.

    Columns ``guid, name, parent_guid, is_codable, description``; GUIDs lower case without braces;
    a missing ``isCodable`` is read as true. A code without GUID or with a GUID already used is an
    error here (a bare codebook has no report to carry it).
    """
    path = Path(path)
    root = _parse_xml(_read_file(path, max_bytes), path.name)
    ns = _root_ns(root, CODEBOOK_NS, "CodeBook", path.name)

    def problem(message: str) -> None:
        raise QdaImportError(message)

    return _walk_codes(_child(root, ns, "Codes"), ns, path.name, problem)


class _Archive:
    """Read-only, in-memory access to the entries of an untrusted zip (nothing is extracted)."""

    def __init__(self, path: Path, max_total_bytes: int, max_ratio: float) -> None:
        self.label = path.name
        try:
            self.zf = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise QdaImportError(f"{path.name} : fichier introuvable ({_show(str(path))})") from None
        except IsADirectoryError:
            raise QdaImportError(f"{path.name} : est un dossier, pas une archive .qdpx") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise QdaImportError(f"{path.name} : n'est pas une archive ZIP lisible (un .qdpx est une archive ZIP)") from None
        except NotImplementedError as exc:
            raise QdaImportError(f"{path.name} : archive ZIP non prise en charge ({_show(exc, 80)})") from None
        except OSError as exc:
            raise QdaImportError(f"{path.name} : lecture impossible ({os_error(exc)})") from None
        self.infos = self.zf.infolist()
        if len(self.infos) > MAX_ZIP_ENTRIES:
            self.zf.close()
            raise QdaImportError(f"{path.name} : {len(self.infos)} entrées dans l'archive, au-delà de la limite de "
                                 f"{MAX_ZIP_ENTRIES}")
        total = sum(info.file_size for info in self.infos)
        if total > max_total_bytes:
            self.zf.close()
            raise QdaImportError(f"{path.name} : taille décompressée déclarée de {total} octets, au-delà de la limite "
                                 f"de {max_total_bytes} octets (bombe ZIP ?)")
        for info in self.infos:
            if info.file_size > RATIO_MIN_SIZE and info.file_size > max_ratio * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                self.zf.close()
                raise QdaImportError(f"{path.name} : entrée {_show(info.filename)} compressée {ratio:.0f} fois, "
                                     f"au-delà du rapport maximal de {max_ratio:g} (bombe ZIP ?)")
        self.budget = max_total_bytes

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The bytes of one entry, read in memory and capped (declared size and overall budget)."""
        where = f"{self.label} : entrée {_show(info.filename)}"
        if info.flag_bits & 0x1:
            raise QdaImportError(f"{where} chiffrée, illisible sans mot de passe")
        limit = min(info.file_size, self.budget)
        buf = bytearray()
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(min(_CHUNK, limit + 1 - len(buf)))
                    if not chunk:
                        break
                    buf += chunk
                    if len(buf) > limit:
                        raise QdaImportError(f"{where} plus grande que sa taille déclarée ou que la limite restante "
                                             f"de {self.budget} octets")
        except QdaImportError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise QdaImportError(f"{where} corrompue ({_show(exc, 80)})") from None
        except (NotImplementedError, RuntimeError) as exc:
            raise QdaImportError(f"{where} illisible : compression ou chiffrement non pris en charge "
                                 f"({_show(exc, 80)})") from None
        self.budget -= len(buf)
        return bytes(buf)


def _find_qde(archive: _Archive, skipped: list[str]) -> zipfile.ZipInfo:
    label = archive.label
    candidates = []
    for info in archive.infos:
        base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        if info.is_dir() or not base.lower().endswith(".qde"):
            continue
        if info.filename.startswith("__MACOSX/") or base.startswith("._"):
            skipped.append(f"{label} : entrée {_show(info.filename)} ignorée (métadonnées macOS, pas un projet)")
            continue
        candidates.append(info)
    if not candidates:
        raise QdaImportError(f"{label} : aucun fichier de projet .qde dans l'archive")
    if len(candidates) > 1:
        names = ", ".join(_show(info.filename, 60) for info in candidates[:10])
        raise QdaImportError(f"{label} : {len(candidates)} fichiers .qde dans l'archive ({names}), un seul est attendu")
    qde = candidates[0]
    if _unsafe_name(qde.filename):
        raise QdaImportError(f"{label} : entrée {_show(qde.filename)} refusée, chemin absolu ou sortant de l'archive")
    return qde


def _parse_offset(value: str | None) -> int | None:
    if value is None or not _INTEGER.match(value):
        return None
    return int(value)


def read_qdpx(path, max_total_bytes: int = 200 * 2**20, max_ratio: float = 200) -> QdaProject:
    """Codes, text sources, coded text selections and coders of a REFI-QDA ``.qdpx`` project.

    The archive is read in memory (never extracted); declared sizes and compression ratios are
    checked before any entry is read. The ``.qde`` project XML is parsed without DTD or entities.
    Text positions are Unicode code points from 0, end exclusive (for Windows line ends, see
    :func:`_line_ends`). The transcripts of audio and video sources are text sources too, their
    selections placed by their sync points. Whatever cannot be imported (picture, time-based
    selection, external file, coding of an undefined code, offsets out of range, selection without
    coding…) is left out and reported, one French line each, in ``skipped``, as are codings whose
    coder is not named (:data:`UNKNOWN_CODER`).
    """
    path = Path(path)
    archive = _Archive(path, max_total_bytes, max_ratio)
    try:
        return _ProjectReader(archive, path.name).read()
    finally:
        archive.zf.close()


class _ProjectReader:
    """One reading of a REFI-QDA project archive: the project's namespace and lookups, and what has
    been read so far (sources, coded selections, and the report of what was left out)."""

    def __init__(self, archive: _Archive, label: str) -> None:
        self.archive = archive
        self.label = label
        self.skipped: list[str] = []
        self.sources: list[dict] = []
        self.selections: list[dict] = []
        self.seen_sources: set[str] = set()

    def read(self) -> QdaProject:
        archive, label, skipped = self.archive, self.label, self.skipped
        qde = _find_qde(archive, skipped)
        for info in archive.infos:
            if info is not qde and _unsafe_name(info.filename):
                skipped.append(f"{label} : entrée {_show(info.filename)} ignorée, chemin absolu ou sortant de l'archive")
        where = self.where = f"{label} : {_show(qde.filename)}"
        root = _parse_xml(archive.read(qde), f"{label} : entrée {_show(qde.filename)}")
        ns = self.ns = _root_ns(root, PROJECT_NS, "Project", where)

        self.users: dict[str, str] = {}
        users_el = _child(root, ns, "Users")
        for user in _children(users_el, ns, "User") if users_el is not None else []:
            guid = normalize_guid(user.get("guid"))
            if not guid:
                skipped.append(f"{where} : utilisateur {_show(user.get('name') or '')} sans guid ignoré")
                continue
            self.users[guid] = user.get("name") or guid

        codebook = _child(root, ns, "CodeBook")
        codes = _walk_codes(_child(codebook, ns, "Codes") if codebook is not None else None, ns, where, skipped.append)
        codes, self.case_codes = _without_case_codes(codes, root, ns)
        self.code_names = dict(zip(codes["guid"], codes["name"]))

        self.qde_dir = posixpath.dirname(qde.filename.replace("\\", "/"))
        self.by_name = {info.filename.replace("\\", "/").lower(): info for info in archive.infos
                        if not info.is_dir() and not _unsafe_name(info.filename)}
        self.base_path = root.get("basePath")
        self.lf_tool = _lf_counting_tool(root.get("origin"))
        sources_el = _child(root, ns, "Sources")
        for src in list(sources_el) if sources_el is not None else []:
            kind = _local(src.tag)
            guid = normalize_guid(src.get("guid"))
            name = src.get("name") or guid
            what = f"{where} : source {_show(name)}"
            if kind in ("AudioSource", "VideoSource"):
                self._transcripts(src, kind, what)
            elif kind == "PictureSource":
                skipped.append(f"{what} ignorée, source non textuelle ({kind})")
            elif kind not in ("TextSource", "PDFSource"):
                skipped.append(f"{what} ignorée, élément {_show(kind)} inconnu dans <Sources>")
            else:
                self._text_source(src, kind, guid, name, what)

        selections = self.selections
        _distinct_source_names(self.sources, selections, where, skipped)
        if self.case_codes:
            n_cases = len(self.case_codes)
            skipped.append(f"{where} : {agree(n_cases, '{n} code de la grille qui est un cas', '{n} codes de la grille qui sont des cas')} "
                           f"(même guid qu'un <Case>, comme dans les exports de NVivo) {agree(n_cases, 'écarté', 'écartés')}, "
                           f"ainsi que {agree(sum(self.case_codes.values()), '{n} codage de cas', '{n} codages de cas')} : un cas n'est pas un code, et son nom "
                           "peut être celui d'une personne")
        anonymous = sum(1 for row in selections if row["coder"] == UNKNOWN_CODER)
        if anonymous:
            skipped.append(f"{where} : {agree(anonymous, '{n} codage', '{n} codages')} sans auteur (ni creatingUser sur le "
                           f"codage ni sur la sélection, par ex. les transcriptions exportées par QualCoder), "
                           f"{agree(anonymous, 'attribué', 'attribués')} à "
                           f"« {UNKNOWN_CODER} »")
        for kind in ("Notes", "Links", "Sets", "Graphs", "Cases", "Variables"):
            el = _child(root, ns, kind)
            if el is not None and len(el):
                skipped.append(f"{where} : section <{kind}> ({agree(len(el), '{n} élément', '{n} éléments')}{SECTION_KINDS[kind]}) non importée")
        book_sets = _child(codebook, ns, "Sets") if codebook is not None else None
        if book_sets is not None and len(book_sets):
            skipped.append(f"{where} : section <CodeBook><Sets> ({agree(len(book_sets), '{n} élément', '{n} éléments')}{SECTION_KINDS['Sets']}) "
                           "non importée")

        sel_frame = pd.DataFrame(selections, columns=SELECTION_COLUMNS)
        sel_frame[["start", "end"]] = sel_frame[["start", "end"]].astype("Int64")
        sources = pd.DataFrame(self.sources, columns=SOURCE_COLUMNS).astype({"text_length": "Int64"})
        return QdaProject(codes=codes, sources=sources, selections=sel_frame, users=self.users, skipped=skipped,
                          name=root.get("name"))

    def _text_source(self, src: ET.Element, kind: str, guid: str, name: str, what: str) -> None:
        """A ``TextSource``, or a ``PDFSource`` through its text representation."""
        ns, skipped = self.ns, self.skipped
        if not self._new_source(guid, what, f" ({kind})"):
            return
        text_el = src
        if kind == "PDFSource":
            for region in _children(src, ns, "PDFSelection"):
                skipped.append(f"{what} : sélection PDF {_show(normalize_guid(region.get('guid')))} ignorée "
                               "(zone graphique, pas un passage de texte)")
            text_el = _child(src, ns, "Representation")
            if text_el is None:
                skipped.append(f"{what} ignorée, PDF sans représentation textuelle (<Representation>)")
                return
        for whole in _children(src, ns, "Coding") + (_children(text_el, ns, "Coding") if text_el is not src else []):
            skipped.append(f"{what} : codage du document entier {_show(normalize_guid(whole.get('guid')))} ignoré "
                           "(seules les sélections de texte sont importées)")
        text = self._source_text(text_el, what)
        if text is None:
            return
        text_selections = _children(text_el, ns, "PlainTextSelection")
        text = _line_ends(text, text_selections, self.lf_tool, what, skipped)
        self._keep_source(src, guid, name, text)
        for sel in text_selections:
            self.selections.extend(self._selection_rows(sel, guid, name, text, what))

    def _transcripts(self, src: ET.Element, kind: str, what: str) -> None:
        """The transcripts of an audio or video source, read as text sources.

        An interview recorded and transcribed in the tool is exported as an ``AudioSource`` (or
        ``VideoSource``) holding a ``Transcript``: its text, ``SyncPoint`` elements that tie a text
        position to a time, and ``TranscriptSelection`` codings that run from one sync point to
        another. QualCoder exports a coded transcript in this form only. The positions of a
        selection are those of its two sync points; the time-based selections of the media itself
        (``AudioSelection``, ``VideoSelection``) have no text and are reported, not imported.
        """
        ns, skipped = self.ns, self.skipped
        media = kind[:-len("Source")]
        timed = _children(src, ns, f"{media}Selection")
        if timed:
            skipped.append(f"{what} : {agree(len(timed), '{n} sélection temporelle', '{n} sélections temporelles')} "
                           f"<{media}Selection> {agree(len(timed), 'ignorée', 'ignorées')}, "
                           "sans texte (seules les transcriptions sont importées)")
        transcripts = _children(src, ns, "Transcript")
        if not transcripts:
            skipped.append(f"{what} ignorée, source non textuelle ({kind}) sans transcription (<Transcript>)")
            return
        for tr in transcripts:
            guid = normalize_guid(tr.get("guid"))
            name = tr.get("name") or src.get("name") or guid
            here = f"{what} : transcription {_show(name)}"
            if not self._new_source(guid, here, ""):
                continue
            text = self._source_text(tr, here)
            if text is None:
                continue
            text = _line_ends(text, [], self.lf_tool, here, skipped)
            self._keep_source(tr, guid, name, text)
            sync = {normalize_guid(sp.get("guid")): sp.get("position") for sp in _children(tr, ns, "SyncPoint")}
            for sel in _children(tr, ns, "TranscriptSelection"):
                ends = []
                for attr in ("fromSyncPoint", "toSyncPoint"):
                    point = normalize_guid(sel.get(attr))
                    ends.append((attr, point, sync.get(point)))
                missing = [f"{attr}={_show(point)}" for attr, point, position in ends if position is None]
                if missing:
                    skipped.append(f"{here} : sélection {_show(normalize_guid(sel.get('guid')))} ignorée, point de "
                                   f"synchronisation absent de la transcription ({', '.join(missing)})")
                    continue
                self.selections.extend(self._selection_rows(sel, guid, name, text, here,
                                                            positions=(ends[0][2], ends[1][2])))

    def _new_source(self, guid: str, what: str, kind: str) -> bool:
        """Whether a source's GUID can be used: present, and not taken by an earlier source."""
        if not guid:
            self.skipped.append(f"{what}{kind} sans guid ignorée")
            return False
        if guid in self.seen_sources:
            self.skipped.append(f"{what} ignorée, son guid {guid} est déjà utilisé par une autre source")
            return False
        return True

    def _keep_source(self, el: ET.Element, guid: str, name: str, text: str) -> None:
        """Record a text source (its GUID taken, its length and description kept)."""
        self.seen_sources.add(guid)
        desc_el = _child(el, self.ns, "Description")
        self.sources.append({"guid": guid, "name": name, "text_length": len(text),
                             "description": (desc_el.text or "") if desc_el is not None else ""})

    def _source_text(self, el: ET.Element, what: str) -> str | None:
        """The plain text of a TextSource (or PDF representation), or ``None`` after reporting why not."""
        ns, skipped, base_path = self.ns, self.skipped, self.base_path
        content = _child(el, ns, "PlainTextContent")
        if content is not None:
            return content.text or ""
        ref = (el.get("plainTextPath") or "").strip()
        if not ref:
            skipped.append(f"{what} ignorée, ni <PlainTextContent> ni attribut plainTextPath")
            return None
        scheme, sep, rest = ref.partition("://")
        scheme = scheme.lower() if sep else ""
        if scheme == "relative":
            skipped.append(f"{what} ignorée, texte externe {_show(ref)} relatif à basePath {_show(base_path or '')} "
                           "non lu (hors de l'archive)")
            return None
        if scheme == "absolute":
            skipped.append(f"{what} ignorée, texte externe {_show(ref)} non lu (chemin absolu hors de l'archive)")
            return None
        if scheme != "internal":
            skipped.append(f"{what} ignorée, chemin de texte {_show(ref)} de forme inconnue")
            return None
        if not rest or "/" in rest or "\\" in rest or rest in (".", "..") or "\x00" in rest or _unsafe_name(rest):
            skipped.append(f"{what} ignorée, chemin {_show(ref)} hors du dossier sources/ de l'archive")
            return None
        info = None
        for folder in (posixpath.join(self.qde_dir, "sources"), "sources"):
            info = self.by_name.get(posixpath.join(folder, rest).lower())
            if info is not None:
                break
        if info is None:
            skipped.append(f"{what} ignorée, {_show(ref)} absent de l'archive (sources/{rest})")
            return None
        data = self.archive.read(info)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            skipped.append(f"{what} ignorée, entrée {_show(info.filename)} pas en UTF-8 (octet {exc.start})")
            return None

    def _selection_rows(self, sel: ET.Element, source_guid: str, source_name: str, text: str, what: str,
                        positions: tuple[str, str] | None = None) -> list[dict]:
        """The coded rows of one text selection; ``positions`` (start, end as written) replaces the
        selection's own ``startPosition`` and ``endPosition`` (a transcript selection's sync points).
        A coding of a case code (see :func:`_without_case_codes`) is counted in ``case_codes``, not kept."""
        ns, skipped, users, code_names, case_codes = self.ns, self.skipped, self.users, self.code_names, self.case_codes
        sel_guid = normalize_guid(sel.get("guid"))
        here = f"{what} : sélection {_show(sel_guid)}"
        raw_start, raw_end = positions or (sel.get("startPosition"), sel.get("endPosition"))
        start, end = _parse_offset(raw_start), _parse_offset(raw_end)
        if start is None or end is None:
            first, last = ("position du premier point", "du second") if positions else ("startPosition", "endPosition")
            skipped.append(f"{here} ignorée, positions non entières ou démesurées ({first}={_show(raw_start)}, "
                           f"{last}={_show(raw_end)})")
            return []
        if start < 0 or end < 0:
            skipped.append(f"{here} ignorée, position négative ({start}–{end})")
            return []
        if start > end:
            skipped.append(f"{here} ignorée, début {start} après la fin {end}")
            return []
        if end > len(text):
            skipped.append(f"{here} ignorée, fin {end} au-delà de la longueur du texte ({len(text)} caractères)")
            return []
        codings = _children(sel, ns, "Coding")
        if not codings:
            skipped.append(f"{here} ({start}–{end}) ignorée, sélection sans codage (<Coding>)")
            return []
        memo_el = _child(sel, ns, "Description")
        memo = (memo_el.text or "") if memo_el is not None else ""
        rows = []
        for coding in codings:
            refs = _children(coding, ns, "CodeRef")
            if not refs:
                skipped.append(f"{here} : codage {_show(normalize_guid(coding.get('guid')))} sans <CodeRef> ignoré")
                continue
            user = normalize_guid(coding.get("creatingUser")) or normalize_guid(sel.get("creatingUser"))
            coder = users.get(user, user) if user else UNKNOWN_CODER
            for ref in refs:
                target = normalize_guid(ref.get("targetGUID"))
                if target in case_codes:
                    case_codes[target] += 1
                    continue
                if target not in code_names:
                    skipped.append(f"{here} : codage ignoré, code {_show(target)} référencé mais non défini dans le CodeBook")
                    continue
                rows.append({"selection_guid": sel_guid, "source_guid": source_guid, "source_name": source_name,
                             "start": start, "end": end, "coder": coder, "code_guid": target,
                             "code_name": code_names[target], "text": text[start:end], "where": f"sélection {sel_guid}",
                             "memo": memo})
        return rows


def _without_case_codes(codes: pd.DataFrame, root: ET.Element, ns: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """The codes without those that are cases, and the case codes (guid → codings seen, 0 so far).

    Some exports (NVivo, as QualCoder's importer notes in ``clean_up_case_codes_and_case_text``)
    repeat each case of ``<Cases>`` as a code of the codebook, under the case's GUID, and mark the
    case's text with codings of that code. Such a code is not a theme, and a case is often named
    after a person: it is left out of the codes (its children move up to its parent), and its
    codings are counted, not imported. Names are never reported."""
    cases_el = _child(root, ns, "Cases")
    case_guids = {normalize_guid(case.get("guid")) for case in _children(cases_el, ns, "Case")} \
        if cases_el is not None else set()
    found = [g for g in codes["guid"] if g in case_guids]
    if not found:
        return codes, {}
    parent_of = dict(zip(codes["guid"], codes["parent_guid"]))
    kept = codes[~codes["guid"].isin(found)].copy()

    def first_kept(parent):
        while isinstance(parent, str) and parent in found:
            parent = parent_of.get(parent)
        return parent

    kept["parent_guid"] = [first_kept(p) for p in kept["parent_guid"]]
    return kept.reset_index(drop=True), {g: 0 for g in found}


def _distinct_source_names(sources: list[dict], selections: list[dict], where: str, skipped: list[str]) -> None:
    """Give each source a name of its own. Documents are tied to interviews by name, and MAXQDA
    can export two text sources under one name (as QualCoder's importer notes, which adds a
    prefix); left alone, the codings of two texts would go to one interview. The second source of
    a name becomes « name (2) », the third « name (3) »…, in the order of the project, and the
    report says so."""
    taken = {source["name"] for source in sources}
    seen: dict[str, int] = {}
    renamed: dict[str, str] = {}
    for source in sources:
        name = source["name"]
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            continue
        k = seen[name]
        while f"{name} ({k})" in taken:
            k += 1
        new = f"{name} ({k})"
        taken.add(new)
        renamed[source["guid"]] = new
        skipped.append(f"{where} : source {_show(source['guid'])} : nom {_show(name)} déjà porté par une autre "
                       f"source, lue sous le nom {_show(new)}")
        source["name"] = new
    for row in selections:
        if row["source_guid"] in renamed:
            row["source_name"] = renamed[row["source_guid"]]


def _lf_counting_tool(origin: str | None) -> str:
    """The name of the tool that wrote the project if it counts positions on LF line ends even
    when its text files have CR LF (``""`` otherwise); see :func:`_line_ends`."""
    origin = (origin or "").upper()
    return next((name for key, name in (("ATLAS", "ATLAS.ti"), ("QUALCODER", "QualCoder")) if key in origin), "")


def _line_ends(text: str, selections: list[ET.Element], lf_tool: str, what: str, skipped: list[str]) -> str:
    """The text against which the positions of its selections are counted, when it has Windows
    line ends (CR LF).

    The standard counts code points, so CR LF is two characters, and most tools count so. Two do
    not. ATLAS.ti counts CR LF as one character while its exported text keeps both (as QualCoder's
    importer notes, ``refi.py``, ``load_text_source``). QualCoder keeps its texts with LF line ends
    (it reads text files in Python's text mode) and counts on them, but writes the exported text
    files in text mode too, so with CR LF on Windows, and its export « for MAXQDA » writes CR LF
    anywhere. The evidence decides first: where a selection's ``name`` repeats the coded text
    (QualCoder writes it so), the reading under which more names match the text at their
    positions wins. Without such evidence (a transcript's selections carry no text), a project of
    ATLAS.ti or QualCoder is read with LF line ends, any other with the two characters. The report
    says when the LF reading is used."""
    if "\r\n" not in text:
        return text
    lf = text.replace("\r\n", "\n")
    raw_votes = lf_votes = 0
    for sel in selections:
        name = (sel.get("name") or "").replace("\r\n", "\n")
        start, end = _parse_offset(sel.get("startPosition")), _parse_offset(sel.get("endPosition"))
        if not name.strip() or start is None or end is None or not 0 <= start < end:
            continue
        raw_votes += text[start:end].replace("\r\n", "\n") == name
        lf_votes += lf[start:end] == name
    if lf_votes > raw_votes:
        skipped.append(f"{what} : fins de ligne Windows (CR LF) comptées pour un caractère, comme le font ses "
                       f"positions ({agree(lf_votes, '{n} sélection dont le nom reprend le texte codé le montre', '{n} sélections dont le nom reprend le texte codé le montrent')}) ; le "
                       "texte importé a des fins de ligne LF")
        return lf
    if lf_tool and not raw_votes:
        skipped.append(f"{what} : fins de ligne Windows (CR LF) comptées pour un caractère, comme {lf_tool} "
                       "compte ses positions ; le texte importé a des fins de ligne LF")
        return lf
    return text


# ----------------------------------------------- Taguette ----------------------------------------------


def _read_csv(path: Path, required: list[str], max_bytes: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (lower-cased, stripped) and ``(line, row)`` pairs of a UTF-8 CSV; errors name the line."""
    data = _read_file(path, max_bytes)
    if data.startswith(b"PK\x03\x04"):
        raise QdaImportError(f"{path.name} : semble être un classeur XLSX ou une archive, exportez en CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise QdaImportError(f"{path.name} : pas encodé en UTF-8 (ligne {line}, octet {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    first_line = 1  # a quoted field may span lines: a row is reported at the line where it starts
    try:
        for row in reader:
            line, first_line = first_line, reader.line_num + 1
            if header is None:
                header = [h.strip().lower() for h in row]
                continue
            if not row or all(not cell.strip() for cell in row):
                continue
            rows.append((line, row))
    except csv.Error as exc:
        raise QdaImportError(f"{path.name} : CSV mal formé à la ligne {first_line} ({_show(exc, 80)})") from None
    if header is None:
        raise QdaImportError(f"{path.name} : fichier vide, colonnes attendues {', '.join(required)}")
    missing = [c for c in required if c not in header]
    if missing:
        raise QdaImportError(f"{path.name} : {agree(len(missing), 'colonne manquante', 'colonnes manquantes')} {', '.join(missing)} "
                             f"(trouvées : {', '.join(_show(h, 40) for h in header)})")
    dupes = sorted({h for h in header if h in required and header.count(h) > 1})
    if dupes:
        raise QdaImportError(f"{path.name} : {agree(len(dupes), 'colonne', 'colonnes')} en double {', '.join(dupes)}")
    for line, row in rows:
        if len(row) != len(header):
            raise QdaImportError(f"{path.name} : ligne {line} a {agree(len(row), '{n} champ', '{n} champs')} au lieu de {len(header)}")
    return header, rows


def _taguette_guid(kind: str, value: str) -> str:
    return str(uuid.uuid5(TAGUETTE_NAMESPACE, f"{kind}:{value}"))


def read_taguette(highlights_csv, codebook_csv=None, max_bytes: int = 200 * 2**20) -> QdaProject:
    """Highlights (and optionally the codebook) exported by Taguette as CSV.

    Highlights CSV: ``id, document, tag, content`` (one row per highlight × tag); codebook CSV:
    ``tag, description, number of highlights, number of documents``. Taguette exports neither
    offsets nor coders: ``start``/``end`` are empty and ``coder`` is ``"taguette"``. Hierarchical tags
    (``a.b``) are kept as names (``parent_guid`` empty). GUIDs are UUIDv5 of the tag / document / id.
    A tag used in highlights but missing from a given codebook is created, and reported in
    ``skipped``; a highlight row without tag is left out and reported.
    """
    hl_path = Path(highlights_csv)
    skipped: list[str] = []
    codes: dict[str, dict] = {}
    if codebook_csv is not None:
        cb_path = Path(codebook_csv)
        header, rows = _read_csv(cb_path, TAGUETTE_CODEBOOK_COLUMNS, max_bytes)
        i_tag, i_desc = header.index("tag"), header.index("description")
        for line, row in rows:
            tag = row[i_tag].strip()
            if not tag:
                skipped.append(f"{cb_path.name} : ligne {line} ignorée, étiquette vide")
                continue
            if tag in codes:
                skipped.append(f"{cb_path.name} : ligne {line} ignorée, étiquette {_show(tag)} déjà définie")
                continue
            codes[tag] = {"guid": _taguette_guid("tag", tag), "name": tag, "parent_guid": None,
                          "is_codable": True, "description": row[i_desc]}
    header, rows = _read_csv(hl_path, TAGUETTE_HIGHLIGHT_COLUMNS, max_bytes)
    i_id, i_doc, i_tag, i_content = (header.index(c) for c in TAGUETTE_HIGHLIGHT_COLUMNS)
    sources: dict[str, dict] = {}
    selections: list[dict] = []
    for line, row in rows:
        hid, doc, tag, content = row[i_id].strip(), row[i_doc], row[i_tag].strip(), row[i_content]
        if not tag:
            skipped.append(f"{hl_path.name} : ligne {line} ignorée, surlignage {_show(hid)} sans étiquette")
            continue
        if not hid:
            skipped.append(f"{hl_path.name} : ligne {line} ignorée, surlignage sans identifiant")
            continue
        if tag not in codes:
            codes[tag] = {"guid": _taguette_guid("tag", tag), "name": tag, "parent_guid": None,
                          "is_codable": True, "description": ""}
            if codebook_csv is not None:
                skipped.append(f"{hl_path.name} : ligne {line} : étiquette {_show(tag)} absente du livre de codes "
                               f"{Path(codebook_csv).name}, code créé d'après les surlignages")
        if doc not in sources:
            sources[doc] = {"guid": _taguette_guid("document", doc), "name": doc, "text_length": pd.NA,
                            "description": ""}
        selections.append({"selection_guid": _taguette_guid("highlight", hid), "source_guid": sources[doc]["guid"],
                           "source_name": doc, "start": pd.NA, "end": pd.NA, "coder": "taguette",
                           "code_guid": codes[tag]["guid"], "code_name": tag, "text": content,
                           "where": f"ligne {line}, surlignage {hid}", "memo": ""})
    sel_frame = pd.DataFrame(selections, columns=SELECTION_COLUMNS).astype({"start": "Int64", "end": "Int64"})
    return QdaProject(codes=pd.DataFrame(list(codes.values()), columns=CODE_COLUMNS),
                      sources=pd.DataFrame(list(sources.values()), columns=SOURCE_COLUMNS).astype({"text_length": "Int64"}),
                      selections=sel_frame, users={"taguette": "taguette"}, skipped=skipped)
