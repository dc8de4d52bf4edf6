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
