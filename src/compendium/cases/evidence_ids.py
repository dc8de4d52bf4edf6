"""The shape of the ids the book cites as evidence, and their targets in the register.

Kept apart from :mod:`compendium.cases.evidence` (which reads the tables with pandas) so that
the book's Sphinx extension, which only needs to recognise and link an id, imports nothing
heavy: a build with nothing to do stays quick.
"""

from __future__ import annotations

import re

#: Every id the register can hold: a case, a dash, an optional kind letter, three digits.
ID_SHAPE = r"(?:rennes|territoire|general)-[eri]?\d{3}"
#: An id as a whole word in a text.
ID_PATTERN = re.compile(rf"(?<![\w-])({ID_SHAPE})(?![\w-])")
LABEL_PREFIX = "preuve-"
#: The annex page (its docname), where every target lives.
REGISTER_DOC = "chapters/annexes/preuves"


def label(element_id: str) -> str:
    """The Sphinx target of an element: ``rennes-057`` → ``preuve-rennes-057``."""
    return LABEL_PREFIX + element_id


def register_ref(text: str, element_id: str) -> str:
    """MyST for ``text`` linked to the entry of ``element_id`` in the register, for an element
    the text names rather than cites by id (an actor in a table: « Rennes Métropole »). The
    book's extension counts it as a mention of the element, for the entry's « Cité dans »."""
    shown = re.sub(r"[`<>]", "", str(text)).strip()
    return f"{{ref}}`{shown} <{label(element_id)}>`"


#: The tables whose rows the register holds (:data:`compendium.cases.evidence.TABLES`).
REGISTER_TABLES = ("sources", "actors", "events", "relations", "indicators")


def _known_ids(root) -> set[str]:
    import csv
    import json

    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    known: set[str] = set()
    for resource in package.get("resources", []):
        if resource.get("name") in REGISTER_TABLES:
            with open(root / "data" / resource["path"], encoding="utf-8-sig", newline="") as fh:
                known |= {row.get("id", "") for row in csv.DictReader(fh)}
    return known


def unknown_ids(root) -> list[str]:
    """A line for each id cited in a chapter's prose («(rennes-099)») that no table of the register
    holds: a mistyped id stayed plain text, and the evidence it meant could not be traced."""
    from compendium.book.stamps import chapter_prose

    known = _known_ids(root)
    problems = []
    for page, cell, text in chapter_prose(root):
        fenced = False
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if fenced:
                continue
            where = f"{page}, ligne {number}" if cell is None else f"{page}, cellule {cell}, ligne {number}"
            # written as code («`rennes-NNN`»), an id is text, not a citation (see the user guide)
            for match in ID_PATTERN.finditer(re.sub(r"`[^`]*`", "", line)):
                if match[1] not in known:
                    problems.append(f"{where} : « {match[1]} » n'est l'identifiant d'aucun élément de data/ "
                                    "(sources, acteurs, événements, relations, indicateurs) : il reste du texte, "
                                    "sans lien vers le registre ; vérifiez-le, ou ajoutez la ligne qui lui manque")
    return problems
