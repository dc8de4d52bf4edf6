"""The data package: one validated entry point to every table in ``data/``.

``data/datapackage.json`` (Frictionless Data Package, Table Schema) describes each CSV:
its fields, types, constraints, primary key and foreign keys. Nothing else in the project
reads a CSV directly: chapters call :func:`load_table`, which validates the whole package
first and stops at the first problem with :class:`DataError`, one line naming file, row,
column and what was expected. :func:`validate_package` returns every problem at once
(used by ``compendium validate``).

Supported Table Schema subset: types ``string integer number boolean date year list``
(``list`` from Table Schema v2, with ``delimiter``); constraints ``required unique enum
pattern minimum maximum minLength maxLength``, and ``x-max-words`` (at most N whitespace-separated words); ``primaryKey``; ``foreignKeys`` (also on
list fields, each item checked, and self-references with ``"resource": ""``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pandas is imported where frames are made: validation and the build do without
    import pandas as pd

PACKAGE_FILE = "datapackage.json"
TRUE_VALUES = {"true", "vrai", "oui", "1"}
FALSE_VALUES = {"false", "faux", "non", "0"}


class DataError(Exception):
    """A problem in data/: the message is one line naming file, row and column."""


@dataclass(frozen=True)
class Problem:
    """One validation problem, located as precisely as possible."""

    path: str
    message: str
    row: int | None = None  # line number in the file (header = line 1)
    column: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column is not None:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


@dataclass
class Table:
    """A validated table: typed rows plus what is needed to cite it."""

    name: str
    path: Path
    rel_path: str
    fields: list[dict]
    rows: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        columns = [f["name"] for f in self.fields]
        df = pd.DataFrame(self.rows, columns=columns)
        for f in self.fields:
            if f.get("type") == "integer" and not df.empty:
                df[f["name"]] = df[f["name"]].astype("Int64")
            elif f.get("type") == "number" and not df.empty:
                df[f["name"]] = df[f["name"]].astype("Float64")
        df.attrs["table"] = self.name
        df.attrs["digest"] = self.digest
        return df


# --------------------------------------------------------------------------- locating


def project_root(start: Path | None = None) -> Path:
    """The folder holding ``data/datapackage.json``: $COMPENDIUM_ROOT, else the first parent."""
    env = os.environ.get("COMPENDIUM_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in [here, *here.parents]:
        if (candidate / "data" / PACKAGE_FILE).is_file():
            return candidate
    raise DataError(f"{here} : aucun data/{PACKAGE_FILE} trouvé dans ce dossier ni au-dessus")


#: The lock files office programs keep beside a file they have open: LibreOffice's
#: ``.~lock.<name>#`` (it holds the user's name and the computer's name) and
#: Microsoft Office's owner file ``~$<name>`` (the user's name). Never a source of the book.
LOCK_FILE_RE = re.compile(r"^(?:\.~lock\..+#|~\$.+)$")


def is_lock_file(path: Path | str) -> bool:
    """True for an office program's lock file (see :data:`LOCK_FILE_RE`)."""
    return bool(LOCK_FILE_RE.match(Path(path).name))


def file_digest(path: Path) -> str:
    """Full SHA-256 of a file's bytes (short forms are its first 8 characters)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_descriptor(root: Path) -> dict:
    path = root / "data" / PACKAGE_FILE
    rel = f"data/{PACKAGE_FILE}"
    if not path.is_file():
        raise DataError(f"{rel} : fichier introuvable")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{rel} : encodage invalide (UTF-8 attendu), octet {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{rel}, ligne {exc.lineno}, colonne {exc.colno} : JSON invalide ({exc.msg})") from None
    if not isinstance(descriptor.get("resources"), list):
        raise DataError(f"{rel} : la clé « resources » (liste des tables) manque")
    return descriptor


# --------------------------------------------------------------------------- cell parsing

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|[+-]?\d+,\d+")


def _number_hint(raw: str, integer: bool = False) -> str:
    """« ; écrivez 38000 » for a number written as French prose or a French spreadsheet writes it
    (« 38 000 », « 0,61 », « 1.234,5 »), else nothing."""
    if not _THOUSANDS_RE.fullmatch(raw):
        return ""
    digits = re.sub(r"[ \u00a0\u202f.]", "", raw).replace(",", ".")
    if integer and "." in digits:
        return ""
    return f" ; écrivez {digits}"


def _parse_scalar(raw: str, ftype: str, fdef: dict) -> tuple[Any, str | None]:
    """Parse one non-empty cell; return (value, error message or None)."""
    if ftype in ("string", "any"):
        return raw, None
    if ftype == "integer":
        if re.fullmatch(r"[+-]?\d+", raw):
            return int(raw), None
        return None, f"« {raw} » n'est pas un nombre entier{_number_hint(raw, integer=True)}"
    if ftype == "number":
        try:
            value = float(raw)
        except ValueError:
            return None, f"« {raw} » n'est pas un nombre (point décimal, sans séparateur de milliers){_number_hint(raw)}"
        if value != value or value in (float("inf"), float("-inf")):
            return None, f"« {raw} » n'est pas un nombre fini"
        return value, None
    if ftype == "boolean":
        low = raw.lower()
        if low in TRUE_VALUES:
            return True, None
        if low in FALSE_VALUES:
            return False, None
        return None, f"« {raw} » n'est pas un booléen (true/false)"
    if ftype == "date":
        if not _DATE_RE.match(raw):
            typed = spreadsheet_date(raw)
            if typed:
                return None, f"« {raw} » n'est pas une date AAAA-MM-JJ ; date réécrite par un tableur ? écrivez {typed}"
            return None, f"« {raw} » n'est pas une date AAAA-MM-JJ"
        try:
            return dt.date.fromisoformat(raw), None
        except ValueError:
            return None, f"« {raw} » n'est pas une date valide"
    if ftype == "year":
        if re.fullmatch(r"\d{4}", raw):
            return int(raw), None
        return None, f"« {raw} » n'est pas une année AAAA"
    return None, f"type « {ftype} » non pris en charge par le schéma"


EARLIEST_YEAR = 1980  # the oldest fact of either case: Archividéo founded in Rennes in 1985

#: Month abbreviations as French and English spreadsheets display a date at the month
#: (Excel shows a typed «2010-05» as «mai-10» or «May-10» and saves the CSV so).
_MONTHS = {m: i for i, names in enumerate(
    [("janv", "jan", "janvier", "january"), ("févr", "fevr", "feb", "février", "fevrier", "february"),
     ("mars", "mar", "march"), ("avr", "apr", "avril", "april"), ("mai", "may"), ("juin", "jun", "june"),
     ("juil", "jul", "juillet", "july"), ("août", "aout", "aug", "august"), ("sept", "sep", "septembre", "september"),
     ("oct", "octobre", "october"), ("nov", "novembre", "november"), ("déc", "dec", "décembre", "decembre", "december")],
    start=1) for m in names}
_SHEET_DAY_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_SHEET_MONTH_RE = re.compile(r"(\d{1,2})/(\d{4})")
_SHEET_NAMED_RE = re.compile(r"([^\W\d_]+)\.?[-\s](\d{4}|\d{2})")
_SHEET_TIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?")
#: The advice printed once for a file whose dates a spreadsheet has rewritten ({path}: the file).
SPREADSHEET_DATES_ADVICE = (
    "des dates semblent réécrites par un tableur (Excel ou LibreOffice peuvent afficher « 2010-05 » en "
    "« mai-10 » et « 2008-03-03 » en « 03/03/2008 », puis l'enregistrer ainsi) : annulez l'enregistrement "
    "(git restore {path}) ou écrivez chaque date comme indiqué ; pour modifier la table dans un tableur, "
    "importez ses colonnes de dates comme « Texte »")


def _year(text: str) -> int:
    """A year a spreadsheet wrote with two digits: the latest one not after this year."""
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year if year <= dt.date.today().year else year - 100


def spreadsheet_date(raw: str) -> str | None:
    """What a date rewritten by a spreadsheet was most likely typed as, or None if ``raw`` is
    not such a date: « 03/03/2008 » → « 2008-03-03 », « mai-10 » → « 2010-05 », « 05/2010 » →
    « 2010-05 », « 2008-03-03 00:00:00 » → « 2008-03-03 ». A first of the month adds the month
    alone as the other reading (the spreadsheet turned « 2010-05 » into « 01/05/2010 »). Day
    first, as a French spreadsheet writes it."""
    raw = raw.strip()
    try:
        if m := _SHEET_TIME_RE.fullmatch(raw):
            return m[1]
        if m := _SHEET_DAY_RE.fullmatch(raw):
            date = dt.date(_year(m[3]), int(m[2]), int(m[1]))
            iso = date.isoformat()
            return f"{iso} (ou {iso[:7]} si la date n'était connue qu'au mois)" if date.day == 1 else iso
        if m := _SHEET_MONTH_RE.fullmatch(raw):
            return dt.date(int(m[2]), int(m[1]), 1).isoformat()[:7]
        if (m := _SHEET_NAMED_RE.fullmatch(raw)) and m[1].lower() in _MONTHS:
            return dt.date(_year(m[2]), _MONTHS[m[1].lower()], 1).isoformat()[:7]
    except ValueError:  # no such day or month: not a date
        return None
    return None


def _check_partial_date(raw: str) -> str | None:
    """A date at year, month or day precision must exist and lie between 1990 and today."""
    parts = [int(p) for p in raw.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return f"« {raw} » n'est pas une date qui existe"
    if year < EARLIEST_YEAR or date > dt.date.today():
        return f"« {raw} » est hors de la période plausible ({EARLIEST_YEAR} à aujourd'hui)"
    return None


def _n(n: int, noun: str) -> str:
    """« 1 caractère », « 12 caractères » (French: 0 and 1 take the singular). Not
    prose.format_count: error lines are read in a terminal, with plain spaces and plain digits."""
    return f"{n} {noun}{_s(n)}"


def _s(n) -> str:
    return "" if abs(n) < 2 else "s"


def _check_constraints(value: Any, raw: str, fdef: dict) -> str | None:
    cons = fdef.get("constraints", {})
    if "enum" in cons and raw not in cons["enum"]:
        return f"valeur « {raw} » inconnue ; attendu l'une de : {', '.join(cons['enum'])}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        hint = fdef.get("x-pattern-hint") or f"motif {cons['pattern']}"
        if fdef.get("x-partial-date") and (typed := spreadsheet_date(raw)):
            return f"« {raw} » ne respecte pas le format attendu ({hint}) ; date réécrite par un tableur ? écrivez {typed}"
        return f"« {raw} » ne respecte pas le format attendu ({hint})"
    if fdef.get("x-partial-date"):
        err = _check_partial_date(raw)
        if err:
            return err
    if "minLength" in cons and len(raw) < cons["minLength"]:
        return f"texte trop court ({_n(len(raw), 'caractère')}, au moins {cons['minLength']} attendu{_s(cons['minLength'])})"
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        return f"texte trop long ({_n(len(raw), 'caractère')}, au plus {cons['maxLength']} attendu{_s(cons['maxLength'])})"
    if "x-max-words" in fdef and len(raw.split()) > fdef["x-max-words"]:
        return f"texte trop long ({_n(len(raw.split()), 'mot')}, au plus {fdef['x-max-words']} attendu{_s(fdef['x-max-words'])})"
    if "minimum" in cons and value is not None and value < _bound(cons["minimum"], fdef):
        return f"« {raw} » est inférieur au minimum {cons['minimum']}"
    if "maximum" in cons and value is not None and value > _bound(cons["maximum"], fdef):
        return f"« {raw} » est supérieur au maximum {cons['maximum']}"
    return None


def _bound(bound: Any, fdef: dict) -> Any:
    if fdef.get("type") == "date" and isinstance(bound, str):
        return dt.date.fromisoformat(bound)
    return bound


def _parse_cell(raw: str, fdef: dict) -> tuple[Any, str | None]:
    """Parse and check one cell (raw is already stripped); empty cells are None."""
    ftype = fdef.get("type", "string")
    required = fdef.get("constraints", {}).get("required", False)
    if raw == "":
        return None, ("valeur obligatoire manquante" if required else None)
    if ftype == "list":
        delim = fdef.get("delimiter", ";")
        items = [item.strip() for item in raw.split(delim)]
        if any(item == "" for item in items):
            return None, f"liste « {raw} » avec un élément vide (séparateur « {delim} »)"
        item_def = {"type": fdef.get("itemType", "string"), "constraints": fdef.get("itemConstraints", {})}
        values = []
        for item in items:
            value, err = _parse_scalar(item, item_def["type"], item_def)
            err = err or _check_constraints(value, item, item_def)
            if err:
                return None, f"élément {err}"
            values.append(value)
        return values, None
    value, err = _parse_scalar(raw, ftype, fdef)
    if err:
        return None, err
    return value, _check_constraints(value, raw, fdef)


# --------------------------------------------------------------------------- reading


def _read_table(root: Path, resource: dict, problems: list[Problem]) -> Table | None:
    name = resource.get("name", "?")
    rel = f"data/{resource.get('path', '?')}"
    path = root / "data" / resource.get("path", "")
    schema = resource.get("schema", {})
    fields = schema.get("fields", [])
    table = Table(name=name, path=path, rel_path=rel, fields=fields)
    if not path.is_file():
        problems.append(Problem(rel, f"fichier introuvable (table « {name} » déclarée dans data/{PACKAGE_FILE})"))
        return None
    data = path.read_bytes()
    table.digest = hashlib.sha256(data).hexdigest()
    resave = "ouvrez-le dans Excel ou LibreOffice et enregistrez-le en « CSV UTF-8 (délimité par des virgules) »"
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        kind = "classeur Excel (.xlsx)" if data[:2] == b"PK" else "classeur Excel ancien format (.xls)"
        problems.append(Problem(rel, f"ce fichier est un {kind} enregistré sous un nom .csv : {resave}", row=1))
        return None
    first_line = data.split(b"\n", 1)[0]
    semicolons = first_line.count(b";") >= max(1, len(fields) // 2) and b"," not in first_line
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        also = " et séparateur « ; » (CSV d'Excel en français)" if semicolons else ""
        problems.append(
            Problem(rel, f"encodage invalide à l'octet {exc.start}{also} : UTF-8 attendu ({resave})", row=line)
        )
        return None
    if semicolons:
        # (Excel set to French may write the « ; » of its regional settings even in « CSV UTF-8
        # (délimité par des virgules) »: the advice that fixes the encoding does not fix this)
        problems.append(Problem(rel, "séparateur « ; » (CSV d'Excel en français) au lieu de la virgule : ouvrez-le "
                                "dans LibreOffice Calc et enregistrez-le en « Texte CSV » en cochant « Éditer les "
                                "paramètres du filtre » (séparateur de champ « , », jeu de caractères « Unicode "
                                "(UTF-8) ») ; Excel réglé en français peut remettre le « ; » même en « CSV UTF-8 »",
                                row=1))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(rel, "fichier vide : la ligne d'en-tête manque", row=1))
        return None
    except csv.Error as exc:
        problems.append(Problem(rel, f"CSV illisible ({exc})", row=1))
        return None
    header = [h.strip() for h in header]
    expected = [f["name"] for f in fields]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or dupes:
        parts = []
        if missing:
            parts.append("colonnes manquantes : " + ", ".join(missing))
        if unknown:
            parts.append("colonnes inconnues : " + ", ".join(unknown))
        if dupes:
            parts.append("colonnes en double : " + ", ".join(dupes))
        problems.append(Problem(rel, "en-tête invalide (" + " ; ".join(parts) + f") ; attendu : {','.join(expected)}", row=1))
        return None
    position = {c: header.index(c) for c in expected}
    by_name = {f["name"]: f for f in fields}
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(rel, f"CSV illisible ({exc})", row=reader.line_num))
            return None
        line = reader.line_num
        if not cells or all(c.strip() == "" for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.append(
                Problem(rel, f"{_n(len(cells), 'cellule')} au lieu de {len(header)} (" + (
                    "virgule ou guillemet en trop ?" if len(cells) > len(header) else
                    f"cellules manquantes : attendu {','.join(header)}") + ")", row=line)
            )
            continue
        row: dict[str, Any] = {"_line": line}
        for col in expected:
            value, err = _parse_cell(cells[position[col]].strip(), by_name[col])
            if err:
                problems.append(Problem(rel, err, row=line, column=col))
            row[col] = value
        table.rows.append(row)
    return table


#: Foreign keys on list fields (``source_ids`` → ``sources.id``, item by item) live under this
#: custom schema property: the Data Package standard (and ``frictionless validate``) only
#: knows foreign keys on scalar fields. Link tables would say the same, but they would force
#: the researcher to edit two files for one fact; a custom property keeps one row per fact
#: and leaves the package valid for the standard tool, which ignores it.
LIST_FK_KEY = "x-listForeignKeys"


def foreign_keys(schema: dict) -> list[dict]:
    """Every foreign key of a table schema: the standard ones and those on list fields."""
    return list(schema.get("foreignKeys", [])) + list(schema.get(LIST_FK_KEY, []))


def _check_fk_placement(res: dict, problems: list[Problem]) -> None:
    """A foreign key on a list field must be declared under :data:`LIST_FK_KEY`."""
    schema = res.get("schema", {})
    types = {f.get("name"): f.get("type") for f in schema.get("fields", [])}
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        if any(types.get(f) == "list" for f in fields):
            problems.append(Problem(
                f"data/{PACKAGE_FILE}",
                f"table « {res.get('name')} » : la clé étrangère sur la colonne de liste « {', '.join(fields)} » "
                f"doit être déclarée sous « {LIST_FK_KEY} », pas « foreignKeys » (le validateur standard "
                f"frictionless ne l'accepte pas)",
            ))


def _check_keys(tables: dict[str, Table], resources: list[dict], problems: list[Problem]) -> None:
    for res in resources:
        _check_fk_placement(res, problems)
        table = tables.get(res.get("name"))
        if table is None:
            continue
        schema = res.get("schema", {})
        # unique constraints and primary key
        pk = schema.get("primaryKey")
        pk = ([pk] if isinstance(pk, str) else list(pk)) if pk else []
        for f in schema.get("fields", []):
            if f.get("constraints", {}).get("unique") and [f["name"]] != pk:  # the key check says it once
                _check_unique(table, [f["name"]], problems)
        if pk:
            _check_unique(table, pk, problems, primary=True)
        for fk in foreign_keys(schema):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            target_name = ref.get("resource") or table.name
            target = tables.get(target_name)
            if target is None:
                continue  # the missing table is reported already
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            known = {tuple(r[f] for f in ref_fields) for r in target.rows}
            by_name = {f["name"]: f for f in table.fields}
            for row in table.rows:
                values = [row[f] for f in fields]
                if any(v is None for v in values):
                    continue
                if len(fields) == 1 and by_name[fields[0]].get("type") == "list":
                    candidates = [(item,) for item in values[0]]
                else:
                    candidates = [tuple(values)]
                for cand in candidates:
                    if cand not in known:
                        shown = ", ".join(str(c) for c in cand)
                        problems.append(
                            Problem(
                                table.rel_path,
                                f"identifiant « {shown} » introuvable dans {target.rel_path} (colonne {', '.join(ref_fields)})",
                                row=row["_line"],
                                column=", ".join(fields),
                            )
                        )


#: A field that must stay empty when a row it refers to has one of some values: ``{"fields":
#: [...], "reference": {"resource": ..., "fields": [...]}, "field": ..., "values": [...],
#: "message": ...}`` (a quotation of an interview whose consent excludes quotations). A custom
#: property, which the standard validators ignore.
FORBIDDEN_WHEN_KEY = "x-forbiddenWhen"


def _check_forbidden_when(tables: dict[str, Table], resources: list[dict], problems: list[Problem]) -> None:
    for res in resources:
        table = tables.get(res.get("name"))
        if table is None:
            continue
        for f in res.get("schema", {}).get("fields", []):
            rule = f.get(FORBIDDEN_WHEN_KEY)
            if not rule:
                continue
            target = tables.get(rule["reference"]["resource"])
            if target is None:
                continue
            fields, ref_fields = list(rule["fields"]), list(rule["reference"]["fields"])
            barred = {tuple(r[k] for k in ref_fields): r[rule["field"]] for r in target.rows
                      if r.get(rule["field"]) in set(rule["values"])}
            for row in table.rows:
                value = row.get(f["name"])
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                key = tuple(row[k] for k in fields)
                if key in barred:
                    shown = ", ".join(str(k) for k in key)
                    problems.append(Problem(
                        table.rel_path,
                        f"{rule['message']} (« {shown} » : « {barred[key]} » dans {target.rel_path}, "
                        f"colonne « {rule['field']} ») ; videz la cellule",
                        row=row["_line"], column=f["name"]))


def _check_unique(table: Table, cols: list[str], problems: list[Problem], primary: bool = False) -> None:
    seen: dict[tuple, int] = {}
    for row in table.rows:
        key = tuple(row[c] for c in cols)
        if any(k is None for k in key):
            if primary:
                continue  # reported as a missing required value
            continue
        if key in seen:
            shown = ", ".join(str(k) for k in key)
            kind = "identifiant" if primary else "valeur"
            problems.append(
                Problem(
                    table.rel_path,
                    f"{kind} « {shown} » en double (déjà à la ligne {seen[key]})",
                    row=row["_line"],
                    column=", ".join(cols),
                )
            )
        else:
            seen[key] = row["_line"]


# --------------------------------------------------------------------------- public API


@dataclass
class Package:
    root: Path
    descriptor: dict
    tables: dict[str, Table]
    problems: list[Problem]


_CACHE: dict[tuple, Package] = {}


def _fingerprint(root: Path, descriptor_bytes: bytes, resources: Iterable[dict]) -> tuple:
    stats = []
    for res in resources:
        p = root / "data" / res.get("path", "")
        try:
            st = p.stat()
            stats.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((str(p), None, None))
    return (str(root), hashlib.sha256(descriptor_bytes).hexdigest(), tuple(stats))


def read_package(root: Path | None = None) -> Package:
    """Read and check every table; problems are collected, not raised."""
    root = project_root() if root is None else Path(root).resolve()
    descriptor = read_descriptor(root)
    resources = descriptor["resources"]
    key = _fingerprint(root, (root / "data" / PACKAGE_FILE).read_bytes(), resources)
    if key in _CACHE:
        return _CACHE[key]
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for res in resources:
        table = _read_table(root, res, problems)
        if table is not None:
            tables[table.name] = table
    _check_keys(tables, resources, problems)
    _check_forbidden_when(tables, resources, problems)
    package = Package(root=root, descriptor=descriptor, tables=tables, problems=problems)
    _CACHE[key] = package
    return package


def advice(problems: Iterable[Problem]) -> list[str]:
    """What to do about the problems as a whole, said once after them (not one line each):
    today, dates a spreadsheet rewrote."""
    paths = dict.fromkeys(p.path for p in problems if "réécrite par un tableur" in p.message)
    return [f"CONSEIL {path} : {SPREADSHEET_DATES_ADVICE.format(path=path)}" for path in paths]


def validate_package(root: Path | None = None) -> list[Problem]:
    """Every problem in the package, in file order (for ``compendium validate``)."""
    return list(read_package(root).problems)


def track_read(rel_path: str) -> None:
    """Tell the build that this process read ``rel_path`` (relative to the project root).

    The build re-executes a notebook when a file it read changed; :func:`load_table` calls
    this itself, other readers (the bibliography, say) must call it too.
    """
    log = os.environ.get("COMPENDIUM_READS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{rel_path}\n")


def _record_read(root: Path, table: Table) -> None:
    track_read(f"data/{PACKAGE_FILE}")
    track_read(table.rel_path)


def get_table(name: str, root: Path | None = None) -> Table:
    """The validated :class:`Table` named ``name``; raises :class:`DataError` on the first problem."""
    package = read_package(root)
    if package.problems:
        raise DataError(str(package.problems[0]))
    if name not in package.tables:
        known = ", ".join(sorted(package.tables))
        raise DataError(f"data/{PACKAGE_FILE} : aucune table « {name} » ; tables connues : {known}")
    table = package.tables[name]
    _record_read(package.root, table)
    return table


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """The validated table ``name`` as a DataFrame (list fields hold Python lists)."""
    return get_table(name, root).frame()


def table_names(root: Path | None = None) -> list[str]:
    return [r["name"] for r in read_package(root).descriptor["resources"]]


def describe_package(root: Path | None = None) -> pd.DataFrame:
    """One row per table: name, file, title, description, rows, fields, short hash (reads every table)."""
    names = table_names(root)
    rows = []
    package = read_package(root)
    for name in names:
        table = get_table(name, root)
        res = next(r for r in package.descriptor["resources"] if r["name"] == name)
        rows.append(
            {
                "table": name,
                "fichier": table.rel_path,
                "titre": res.get("title", ""),
                "description": res.get("description", ""),
                "lignes": len(table.rows),
                "champs": len(table.fields),
                "empreinte": table.digest[:8],
            }
        )
    import pandas as pd

    return pd.DataFrame(rows)


#: The Table Schema types as the data dictionary of the book names them.
TYPE_LABELS = {"string": "texte", "integer": "entier", "number": "nombre", "boolean": "booléen",
               "date": "date", "year": "année", "yearmonth": "année et mois", "datetime": "date et heure",
               "list": "liste"}


def describe_fields(name: str, root: Path | None = None) -> pd.DataFrame:
    """One row per field of table ``name``: name, type, required, allowed values, description."""
    table = get_table(name, root)
    package = read_package(root)
    res = next(r for r in package.descriptor["resources"] if r["name"] == name)
    pk = res.get("schema", {}).get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    fks = {}
    for fk in foreign_keys(res.get("schema", {})):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        target = ref.get("resource") or name
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        for f in fields:
            fks[f] = f"{target}.{','.join(ref_fields)}"
    rows = []
    for f in table.fields:
        cons = f.get("constraints", {}) | f.get("itemConstraints", {})
        allowed = ", ".join(cons["enum"]) if "enum" in cons else f.get("x-pattern-hint", "")
        # an address as code: the PDF's French typography set « http(s) ://… » in plain text
        allowed = re.sub(r"(\S*://\S*)", r"`\1`", allowed)
        ftype = TYPE_LABELS.get(f.get("type", "string"), f.get("type", "string"))
        if f.get("type") == "list":
            items = {"string": "de textes", "integer": "d'entiers", "number": "de nombres"}.get(
                f.get("itemType", "string"), f"de valeurs {f.get('itemType')}")
            ftype = f"liste {items} (séparateur « {f.get('delimiter', ';')} »)"
        rows.append(
            {
                "champ": f["name"],
                "type": ftype,
                "obligatoire": "oui" if f.get("constraints", {}).get("required") else "non",
                "clé": "primaire" if f["name"] in pk else (f"→ {fks[f['name']]}" if f["name"] in fks else ""),
                "valeurs admises": allowed,
                "description": f.get("description", ""),
            }
        )
    import pandas as pd

    return pd.DataFrame(rows)
