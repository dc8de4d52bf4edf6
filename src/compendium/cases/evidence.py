"""The register of evidence: what each id the book cites stands for, and where it was read.

The synthesis, the case chapters and the synthesis PDF cite their evidence by id
(``rennes-057`` a source, ``rennes-e025`` an event, ``rennes-r024`` a relation, ``rennes-i042``
an indicator). This module describes every such element in one line of French, with the
sources it rests on, so that a reader can go from an id to the public page behind it. The
actors of the ecosystem maps are in the register too (``rennes-metropole``): their nature,
helix and roles are facts read in sources like the others; the maps' tables link each
actor's name to its entry (:func:`compendium.cases.evidence_ids.register_ref`).

- :func:`elements` reads the five tables of ``data/secondary/`` and returns one
  :class:`Element` per row;
- :func:`register_markdown` writes the annex page, one paragraph per element, each under a
  target :func:`label` that the book's Sphinx extension links every mention of the id to;
- :func:`cited_lines` gives the short form the synthesis PDF prints for the ids it cites.

The book's Sphinx extension (:mod:`compendium.book.sphinx_ext`) does the rest at build time:
each mention of an id on any page becomes a link to its entry, and each entry ends with the
pages that name it («Cité dans»), both kept up to date when a table or a page changes.

A code repository of an individual account is named as such, without its title or address
(as in the case chapters: the address stays in ``data/`` for verification).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from compendium import data as _data
from compendium.cases.ecosystem import HELIX_LABELS, KIND_LABELS as ACTOR_KINDS, RELATION_LABELS, ROLE_LABELS
from compendium.cases.evidence_ids import ID_PATTERN, ID_SHAPE, LABEL_PREFIX, REGISTER_DOC, label  # noqa: F401
from compendium.cases.secondary import INDIVIDUAL_ACCOUNT, KIND_LABELS, indicator_text
from compendium.prose import date_phrase, format_count, format_date, listing

#: The tables of the register, in the order the annex gives them, with the French noun of an element.
TABLES = {"sources": ("source", "sources"), "actors": ("acteur", "acteurs"), "events": ("événement", "événements"),
          "relations": ("relation", "relations"), "indicators": ("indicateur", "indicateurs")}
#: « Aucune source », « aucun événement »: the determiner agrees with the noun.
NONE = {"sources": "Aucune", "actors": "Aucun", "events": "Aucun", "relations": "Aucune", "indicators": "Aucun"}
CASE_LABELS = {"rennes": "Rennes", "territoire": "Territoire", "general": "Contexte général"}
#: The cases the annex gives a section of its own (the others follow, see :func:`other_cases_markdown`).
MAIN_CASES = ["rennes", "territoire"]
@dataclass
class Element:
    id: str
    table: str  # sources, actors, events, relations, indicators
    case: str
    text: str  # one line of French, Markdown (the title in italics)
    url: str | None = None  # a source's own address (None for an individual account's repository)
    host: str | None = None  # the address's host, for the short form
    source_ids: list[str] = field(default_factory=list)  # what an actor, event, relation or indicator rests on

    @property
    def kind(self) -> str:
        return TABLES[self.table][0]


def _text(value) -> str:
    return str(value).strip() if isinstance(value, str) else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _escape(text: str) -> str:
    """Markdown-safe text: brackets, asterisks and underscores taken literally."""
    return re.sub(r"([\[\]*_`<>])", r"\\\1", text)


def _host(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host


def _source(row: dict) -> Element:
    publisher = _text(row["publisher"])
    if INDIVIDUAL_ACCOUNT in publisher:
        return Element(row["id"], "sources", row["case"],
                       "dépôt de code d'un compte individuel (titre et adresse conservés dans `data/` pour vérification).")
    parts = [f"*{_escape(_text(row['title']))}*", _escape(publisher)]
    kind = KIND_LABELS.get(_text(row["kind"]))
    if kind:
        parts.append(kind)
    if _text(row["published"]):
        parts.append(f"publié {date_phrase(row['published'])}")
    parts.append(f"consulté {date_phrase(row['accessed'])}")
    url = _text(row["url"])
    return Element(row["id"], "sources", row["case"], ", ".join(parts) + ".", url, _host(url))


def _event(row: dict) -> Element:
    when = format_date(row["date"]) if _text(row["date"]) else "date non établie"
    text = f"{when[:1].upper() + when[1:]} : *{_escape(_text(row['title']))}*. {_sentence(_escape(_text(row['description'])))}"
    return Element(row["id"], "events", row["case"], text.strip(), source_ids=list(row["source_ids"]))


def span(start: str, end: str) -> str:
    """« de 2012 à décembre 2014 », « d'avril 2012 à 2014 », « du 9 octobre 2013 au 3 mars 2014 »."""
    first, last = format_date(start), format_date(end)
    if first[:1].isdigit() and " " in first:
        head = f"du {first}"
    else:
        head = f"d'{first}" if first[:1] in "aeiouéèêâîôûyh" else f"de {first}"
    return f"{head} {'au' if last[:1].isdigit() and ' ' in last else 'à'} {last}"


def _until(end: str) -> str:
    """« jusqu'en 2014 », « jusqu'en mai 2023 », « jusqu'au 3 mars 2014 »."""
    last = format_date(end)
    return f"jusqu'au {last}" if last[:1].isdigit() and " " in last else f"jusqu'en {last}"


def _noted(row: dict, table: str, text: str) -> Element:
    """The element of ``row``: ``text`` as a sentence, then the row's note, then its sources."""
    text = _sentence(text)
    if _text(row["note"]):
        text += " " + _sentence(_escape(_text(row["note"])))
    return Element(row["id"], table, row["case"], text, source_ids=list(row["source_ids"]))


def _relation(row: dict, names: dict[str, str]) -> Element:
    kind = RELATION_LABELS.get(row["kind"], row["kind"])
    text = f"{_escape(names.get(row['from_actor'], row['from_actor']))} → {_escape(names.get(row['to_actor'], row['to_actor']))} : {kind}"
    start, end = _text(row["start"]), _text(row["end"])
    if start and end:
        text += ", " + span(start, end)
    elif start:
        text += f", {date_phrase(start, 'depuis')}"
    elif end:
        text += ", " + _until(end)
    return _noted(row, "relations", text)


def _actor(row: dict) -> Element:
    """« *Rennes Métropole* : collectivité ; hélice : public ; rôles : orchestrateur, … » (the
    words of the ecosystem map's table), then the row's note and its sources."""
    text = f"*{_escape(_text(row['name']))}* : {ACTOR_KINDS.get(row['kind'], row['kind'])}"
    text += f" ; hélice : {HELIX_LABELS.get(row['helix'], row['helix'])}"
    roles = [ROLE_LABELS.get(r, r) for r in row["roles"]]
    if roles:
        text += f" ; {'rôle' if len(roles) == 1 else 'rôles'} : " + ", ".join(roles)
    return _noted(row, "actors", text)


def _indicator(row: dict) -> Element:
    text = f"{_escape(_text(row['name']))} : {indicator_text(row['value'], row['unit'])}"
    if _text(row["date"]):
        text += f" ({format_date(row['date'])})"
    return _noted(row, "indicators", text)


def elements(root: Path | None = None) -> dict[str, Element]:
    """Every source, actor, event, relation and indicator of the cases, by id, in the tables' order."""
    actors = _data.load_table("actors", root)
    names = dict(zip(actors["id"], actors["name"]))
    out: dict[str, Element] = {}
    for row in _data.load_table("sources", root).to_dict("records"):
        out[row["id"]] = _source(row)
    for row in actors.to_dict("records"):
        out[row["id"]] = _actor(row)
    for row in _data.load_table("events", root).to_dict("records"):
        out[row["id"]] = _event(row)
    for row in _data.load_table("relations", root).to_dict("records"):
        out[row["id"]] = _relation(row, names)
    for row in _data.load_table("indicators", root).to_dict("records"):
        out[row["id"]] = _indicator(row)
    return out


def _entry(element: Element) -> str:
    line = f"**{element.id}** — {element.text}"
    if element.url:
        line += f" [{_escape(element.host or element.url)}]({element.url})"
    if element.source_ids:
        line += " " + ("Source" if len(element.source_ids) == 1 else "Sources") + " : " + ", ".join(element.source_ids) + "."
    return f"({label(element.id)})=\n{line}"


def register_counts(register: dict[str, Element]) -> str:
    """« 118 sources, 42 acteurs, 67 événements, 50 relations et 56 indicateurs » for the annex's opening."""
    frame = pd.Series([e.table for e in register.values()]).value_counts()
    parts = [format_count(int(frame.get(t, 0)), one, noun_plural=many) for t, (one, many) in TABLES.items()]
    return listing(parts)


def register_markdown(register: dict[str, Element], case: str, table: str) -> str:
    """The elements of one kind of one case, for the annex: a sentence that counts them, then a
    paragraph per element under its target (MyST Markdown, rendered by myst-nb)."""
    group = [e for e in register.values() if e.case == case and e.table == table]
    one, many = TABLES[table]
    path = f"data/secondary/{table}.csv"
    if not group:
        return f"{NONE[table]} {one} pour ce cas dans `{path}`.\n"
    head = f"{format_count(len(group), one, noun_plural=many)}, dans l'ordre de `{path}`."
    return "\n\n".join([head] + [_entry(e) for e in group]) + "\n"


def other_cases_markdown(register: dict[str, Element]) -> str:
    """The elements of any case beyond Rennes and Territoire (``general``: the context common
    to both), a heading per case and per kind; empty when there are none."""
    blocks = []
    for case in sorted({e.case for e in register.values()} - set(MAIN_CASES)):
        blocks.append(f"## {CASE_LABELS.get(case, case)}")
        for table, (one, many) in TABLES.items():
            if any(e.case == case and e.table == table for e in register.values()):
                blocks.append(f"### {many[:1].upper() + many[1:]}")
                blocks.append(register_markdown(register, case, table))
    return "\n\n".join(blocks)


def cited_lines(register: dict[str, Element], ids) -> list[tuple[str, str]]:
    """(id, short description) for each id, sources first, then events, relations and
    indicators, each by case and id: the list the synthesis PDF prints so that a committee can
    look up any id it reads. The sources of an event, relation or indicator are left to the
    book's register (listing them here would print ids this list does not resolve). Ids outside
    the register (coded segments) are left out, and so are actors: the synthesis names an actor,
    it does not cite its id."""
    wanted = {i for i in ids if i in register and register[i].table != "actors"}
    cases = list(CASE_LABELS)
    chosen = sorted((e for e in register.values() if e.id in wanted),
                    key=lambda e: (list(TABLES).index(e.table), cases.index(e.case) if e.case in cases else len(cases), e.id))
    out = []
    for element in chosen:
        text = re.sub(r"\\(.)", r"\1", element.text).replace("*", "").replace("`", "")
        if element.table == "sources":
            text = text.split(", consulté")[0]
            text = f"{text} ({element.host})" if element.host else text
        else:
            text = f"{element.kind} — {text}"
        out.append((element.id, text))
    return out


def linkable(text: str) -> list[str]:
    """The element ids a piece of text mentions, in order."""
    return ID_PATTERN.findall(text)
