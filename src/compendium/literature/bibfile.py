"""The syntax of references.bib, read with pybtex, its errors said in French on one line.

Light on purpose (pybtex only, no pandas): the build checks the bibliography with the data
before any notebook runs, on every build, and skips the parse when the file's bytes are those
of the last good check.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from compendium.book.stamps import write_stamp
from compendium.data import DataError

BIB = "references.bib"
#: The digest of the last references.bib that parsed, so that an unchanged file is not parsed again.
STAMP = "_build/.bib-syntax-ok.sha256"

#: pybtex's messages (pybtex/scanner.py, pybtex/database/input/bibtex.py and __init__.py), in French
_PYBTEX_FR = [
    (r"(?P<what>.+) expected", "{what} attendu"),
    (r"unbalanced braces", "accolade fermante « }} » sans accolade ouvrante"),
    (r"too many nested braces", "trop d'accolades imbriquées"),
    (r"premature end of file", "fin du fichier avant la fin de l'entrée (une accolade « }} » manque ?)"),
    (r"repeated bibliography entry: (?P<key>.+)", "clé « {key} » en double : gardez une seule des deux entrées"),
    (r"entry with key (?P<key>\S+) has a duplicate (?P<field>\S+) field",
     "l'entrée « {key} » a deux champs « {field} »"),
]
_PYBTEX_WORDS = {"field value": "valeur du champ", "entry key": "clé de l'entrée", "field name": "nom de champ",
                 "entry type": "type d'entrée", " or ": " ou "}


def french(message: str) -> str:
    """pybtex's message in French (as it is when it is not one listed)."""
    for pattern, template in _PYBTEX_FR:
        match = re.fullmatch(pattern, message.strip())
        if match:
            parts = {k: re.sub(r"'([^']+)'", r"« \1 »", v) for k, v in match.groupdict().items()}
            if "what" in parts:
                for english, word in _PYBTEX_WORDS.items():
                    parts["what"] = parts["what"].replace(english, word)
            return template.format(**parts)
    return message


def parse(path: Path):
    """The parsed bibliography (pybtex ``BibliographyData``); :class:`DataError` with one French line
    (the file, the line when pybtex gives it, what is wrong) when it does not parse."""
    from pybtex.database import parse_file
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    name = path.name
    try:
        return parse_file(str(path), bib_format="bibtex")
    except PybtexSyntaxError as exc:
        where = f"{name}, ligne {exc.lineno}" if exc.lineno is not None else name
        raise DataError(f"{where} : syntaxe BibTeX invalide ({french(str(exc.args[0]))})") from None
    except PybtexError as exc:  # duplicate keys and fields are reported by pybtex as errors
        raise DataError(f"{name} : {french(str(exc.args[0]) if exc.args else str(exc))}") from None
    except Exception as exc:  # pragma: no cover - another failure of the parser
        raise DataError(f"{name} : {exc}") from None


def check(root: Path) -> str | None:
    """The one-line error of references.bib, or None when it parses (or is absent)."""
    path = root / BIB
    if not path.is_file():
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stamp = root / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return None
    try:
        parse(path)
    except DataError as exc:
        return str(exc)
    write_stamp(stamp, digest)  # a read-only tree parses again next time
    return None
