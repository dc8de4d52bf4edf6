"""The synthesis: configuration table, status of the propositions, key numbers, vignettes.

The judgements live in data tables (``data/synthesis/*.csv``, ``data/literature/propositions.csv``);
this module checks that every evidence id they cite exists in the data (sources, events,
relations, actors, indicators, documentary or interview segments), assembles the tables shown
in the book, the synthesis PDF and the slides, and computes the numbers the three of them quote.
One function, :func:`key_numbers`, gives every shared number: the book glues it, the synthesis
PDF and the slides print it, and a test checks that the values agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from compendium import data as _data
from compendium.cases.coding import passage_bases, passage_evidence, passage_reliability, reached_sources, verdict
from compendium.cases.evidence_ids import ID_SHAPE
from compendium.prose import count_clause, format_date, format_number, listing

CASES = ["rennes", "territoire"]
CASE_LABELS = {"rennes": "Rennes", "territoire": "Territoire"}
TO_ESTABLISH = "à établir par les entretiens"

STATUS_LABELS = {
    "confortee_partiellement": "plutôt confortée",
    "indices": "premiers indices",
    "contrastee": "contrastée selon les cas",
    "non_documentee": "non documentée",
    "prematuree": "prématurée",
}

#: Tables whose ids may be cited as evidence, and the column holding the id.
EVIDENCE_TABLES = {
    "sources": "id",
    "events": "id",
    "relations": "id",
    "actors": "id",
    "indicators": "id",
    "documentary_segments": "id",
    "interview_segments": "id",
}

EVIDENCE_COLUMNS = {
    "synthesis_configuration": ["evidence_ids"],
    "synthesis_propositions": ["evidence_for", "evidence_against"],
}


class SynthesisError(Exception):
    """One line per problem, all problems at once."""


@dataclass
class Synthesis:
    """Every table the synthesis needs, loaded and checked once."""

    root: Path
    dimensions: pd.DataFrame
    forms: pd.DataFrame
    configuration: pd.DataFrame
    propositions: pd.DataFrame
    status: pd.DataFrame
    vignettes: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    indicators: pd.DataFrame
    codebook: pd.DataFrame
    evidence: pd.DataFrame  # agreed (document_id, code_id) pairs of the passage pre-coding
    precoding: dict  # passages, sources with passages, overall alpha of the passage pre-coding, words per passage
    interviews: pd.DataFrame
    index: dict[str, str]  # evidence id -> table name
    segments: pd.DataFrame  # the documentary pre-coding, as loaded (for the cross-case matrix)
    passages: pd.DataFrame
    #: the sources both coders pre-coded: the base of every share, as in the cross-case chapter
    double_coded: pd.DataFrame


def _ids(value) -> list[str]:
    return list(value) if isinstance(value, list) else []


def _bib_keys(root: Path) -> set[str]:
    text = (root / "references.bib").read_text(encoding="utf-8")
    _data.track_read("references.bib")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


#: A word that may be an element id: letters, digits and underscores joined by dashes.
_TOKEN = re.compile(r"(?<![\w-])([A-Za-z]\w*(?:-\w+)+)(?![\w-])")
#: The shape of the ids the tables give their rows (sources, events, relations, indicators,
#: documentary segments): a word of this shape is taken for an id even if no table holds it.
_ID_SHAPE = re.compile(rf"{ID_SHAPE}|seg-[a-z0-9]+-\d{{4}}")
#: What an unknown id is not.
_NOT_EVIDENCE = "(ni source, ni événement, ni relation, ni acteur, ni indicateur, ni segment)"


def rationale_ids(text, index: dict[str, str] | None = None) -> list[str]:
    """The element ids a status rationale cites: the words that are ids of ``index`` (any
    evidence table: an actor or an interview segment too) or that have the shape of one
    (« (rennes-034, rennes-e025) » → both; « Saint-Étienne », « 2022-2023 » → none)."""
    if not isinstance(text, str):
        return []
    return [t for t in _TOKEN.findall(text) if (index is not None and t in index) or _ID_SHAPE.fullmatch(t)]


def evidence_index(root: Path | None = None) -> dict[str, str]:
    """Every id that may be cited as evidence, with the table that holds it."""
    index: dict[str, str] = {}
    for table, column in EVIDENCE_TABLES.items():
        for value in _data.load_table(table, root)[column]:
            index.setdefault(str(value), table)
    return index


def problems(syn: Synthesis) -> list[str]:
    """Everything wrong with the synthesis tables, one French line per problem."""
    out = []
    tables = {"synthesis_configuration": syn.configuration, "synthesis_propositions": syn.status}
    for name, frame in tables.items():
        path = _data.get_table(name, syn.root).rel_path
        for line, row in enumerate(frame.to_dict("records"), start=2):
            for column in EVIDENCE_COLUMNS[name]:
                for item in _ids(row[column]):
                    if item not in syn.index:
                        out.append(f"{path}, ligne {line}, colonne « {column} » : identifiant « {item} » inconnu {_NOT_EVIDENCE}")
    path = _data.get_table("synthesis_propositions", syn.root).rel_path
    for line, row in enumerate(syn.status.to_dict("records"), start=2):
        own = set(_ids(row["evidence_for"])) | set(_ids(row["evidence_against"]))
        for item in rationale_ids(row["rationale"], syn.index):
            if item not in syn.index:
                out.append(f"{path}, ligne {line}, colonne « rationale » : identifiant « {item} » inconnu {_NOT_EVIDENCE}")
            elif item not in own:
                out.append(f"{path}, ligne {line}, colonne « rationale » : « {item} » n’est ni dans evidence_for ni "
                           f"dans evidence_against de la même ligne (ajoutez-le à l’une des deux, ou retirez-le)")
    keys = _bib_keys(syn.root)
    path = _data.get_table("synthesis_forms", syn.root).rel_path
    for line, row in enumerate(syn.forms.to_dict("records"), start=2):
        for key in _ids(row["references"]):
            if key not in keys:
                out.append(f"{path}, ligne {line}, colonne references : clé « {key} » absente de references.bib")
    path = _data.get_table("synthesis_configuration", syn.root).rel_path
    present = set(zip(syn.configuration["dimension"], syn.configuration["case"]))
    for dim in syn.dimensions["id"]:
        for case in CASES:
            if (dim, case) not in present:
                out.append(f"{path} : aucune ligne pour la dimension « {dim} » et le cas « {case} »")
    path = _data.get_table("synthesis_propositions", syn.root).rel_path
    for pid in syn.propositions["id"]:
        if pid not in set(syn.status["id"]):
            out.append(f"{path} : aucun statut pour la proposition « {pid} »")
    path = _data.get_table("synthesis_vignettes", syn.root).rel_path
    facts = set(syn.events["id"]) | set(syn.indicators["id"])
    for line, fact in enumerate(syn.vignettes["fact_id"], start=2):
        if fact not in facts:
            out.append(f"{path}, ligne {line}, colonne fact_id : « {fact} » n'est ni un événement ni un indicateur")
    return out


def _precoding(segments: pd.DataFrame, passages: pd.DataFrame, codebook: pd.DataFrame) -> dict:
    """What the synthesis says of the documentary pre-coding: passages, sources, overall α."""
    leaves = list(codebook.loc[codebook["parent"].notna(), "id"])
    table = passage_reliability(segments, passages, leaves)
    alpha = float(table.loc[table["code"] == "ensemble", "alpha"].iloc[0]) if table is not None else float("nan")
    # the agreement's base: the passages of the sources that both coders have coded (the
    # synthesis gave α for «299 passages tirés de 91 sources» when it was measured on 297 of 90)
    both = reached_sources(segments)
    return {"passages": len(passages), "sources": int(passages["document_id"].nunique()), "alpha": alpha,
            "alpha_passages": int(passages["document_id"].isin(both).sum()), "alpha_sources": len(both)}


def coding_sentence(syn: "Synthesis") -> str:
    """The documentary pre-coding in one sentence, for any counts and any agreement."""
    pre = syn.precoding
    what = (f"deux assistants logiciels ont pré-codé, chacun sans voir l’autre, "
            f"{count(pre['passages'], 'passage')} tirés de {count(pre['sources'], 'source')} "
            f"(extraits de {count(pre['max_words'], 'mot')} au plus)")
    if pre["alpha"] != pre["alpha"]:  # NaN: no second coder yet
        agreement = "leur accord ne peut pas encore être mesuré"
    else:
        base = ("sur ces passages" if pre["alpha_passages"] == pre["passages"] else
                f"sur les {count(pre['alpha_passages'], 'passage')} des {count(pre['alpha_sources'], 'source')} "
                "que les deux ont codées")
        agreement = (f"leur accord, mesuré {base} (α de Krippendorff\u00a0=\u00a0{format_number(pre['alpha'], 2)}), "
                     f"est jugé «\u00a0{verdict(pre['alpha'])}\u00a0»")
    return f"{what} ; {agreement} ; ce pré-codage reste à valider par l’équipe de recherche dans un logiciel d’analyse qualitative"


def load(root: Path | None = None) -> Synthesis:
    """Load and check every synthesis table; raise :class:`SynthesisError` listing all problems."""
    root = _data.project_root() if root is None else Path(root).resolve()
    table = lambda name: _data.load_table(name, root)  # noqa: E731
    segments, codebook = table("documentary_segments"), table("codebook")
    passages, sources = table("documentary_passages"), table("sources")
    syn = Synthesis(
        root=root,
        dimensions=table("synthesis_dimensions").sort_values("position").reset_index(drop=True),
        forms=table("synthesis_forms"),
        configuration=table("synthesis_configuration"),
        propositions=table("propositions"),
        status=table("synthesis_propositions"),
        vignettes=table("synthesis_vignettes").sort_values(["case", "position"]).reset_index(drop=True),
        sources=sources,
        events=table("events"),
        indicators=table("indicators"),
        codebook=codebook,
        evidence=passage_evidence(segments, rule="both"),
        precoding=dict(_precoding(segments, passages, codebook),
                       max_words=next(f["x-max-words"] for f in _data.get_table("documentary_passages", root).fields
                                      if f["name"] == "anchor")),
        interviews=table("interviews"),
        index=evidence_index(root),
        segments=segments,
        passages=passages,
        double_coded=passage_bases(segments, passages, sources)[0],
    )
    found = problems(syn)
    if found:
        raise SynthesisError("\n".join(found))
    return syn


# --------------------------------------------------------------------------- counting

def coded_sources(syn: Synthesis, dimension: str, case: str) -> list[str]:
    """Sources of ``case`` that carry, in the agreed documentary coding, a code of ``dimension``."""
    codes = set(syn.dimensions.set_index("id").loc[dimension, "codes"])
    docs = set(syn.evidence.loc[syn.evidence["code_id"].isin(codes), "document_id"])
    case_docs = set(syn.sources.loc[syn.sources["case"] == case, "id"])
    return sorted(docs & case_docs)


def cell(syn: Synthesis, dimension: str, case: str) -> dict:
    row = syn.configuration[(syn.configuration["dimension"] == dimension) & (syn.configuration["case"] == case)].iloc[0]
    ids = _ids(row["evidence_ids"])
    form = row["form"] if isinstance(row["form"], str) and row["form"] else None
    return {"judgement": row["judgement"], "form": form, "evidence": ids,
            "coded": coded_sources(syn, dimension, case), "backed": bool(ids)}


def interviews_clause(n: int) -> str:
    """« le livre ne compte aucun entretien enregistré » / « le livre compte 1 entretien enregistré »
    / « … 3 entretiens enregistrés »: the whole clause, since French negates « aucun » with « ne »."""
    if n == 0:
        return "le livre ne compte aucun entretien enregistré"
    return f"le livre compte {count(n, 'entretien enregistré', 'entretiens enregistrés')}"


def closest_form_clause(n: int) -> str:
    """What a classic form is for a case, over its ``n`` dimensions where it is the closest:
    « n’est la forme la plus proche sur aucune dimension », « … que sur 1 dimension »,
    « … que sur 3 dimensions » (the whole clause: « aucune » takes « ne » without « que »)."""
    if n == 0:
        return "n’est la forme la plus proche sur aucune dimension"
    return f"n’est la forme la plus proche que sur {count(n, 'dimension')}"


def cells_sentence(n_cells: int, n_backed: int) -> str:
    """« Sur 14 cellules, 9 sont fondées sur des éléments identifiés ; 5 restent à établir par
    les entretiens. », for any counts (the verbs agree; « aucune » takes « ne »)."""
    n_open = n_cells - n_backed
    backed = count_clause(n_backed, "aucune n’est fondée sur des éléments identifiés",
                    "{n} est fondée sur des éléments identifiés", "{n} sont fondées sur des éléments identifiés")
    if n_open == 0:
        rest = "aucune ne reste à établir par les entretiens"
    else:
        rest = count_clause(n_open, "", "{n} reste à établir par les entretiens", "{n} restent à établir par les entretiens")
    return f"Sur {count(n_cells, 'cellule')}, {backed} ; {rest}."


def cited_detail(kinds: pd.Series) -> str:
    """« 40 sources, 12 événements, 9 relations et 3 indicateurs » (the kinds that are cited)."""
    words = [("sources", "source"), ("events", "événement"), ("relations", "relation"), ("indicators", "indicateur")]
    parts = [count(int(kinds.get(kind, 0)), noun) for kind, noun in words if int(kinds.get(kind, 0))]
    return listing(parts) or "aucun élément"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 cellule``, ``2 cellules``, ``0 cellule`` (French: 0 and 1 take the singular)."""
    word = singular if abs(n) < 2 else (plural or singular + "s")
    return f"{format_number(n)}\u00a0{word}"


def form_labels(syn: Synthesis) -> dict[str, str]:
    return dict(zip(syn.forms["id"], syn.forms["label"]))


def configuration_table(syn: Synthesis, ids=lambda ids: ", ".join(ids), short: bool = False) -> pd.DataFrame:
    """Dimension × case table: in each cell the judgement (or «à établir par les entretiens»),
    the nearest classic form, the evidence ids and how many of the case's sources are coded on
    the dimension. ``short`` leaves the judgement out (for the synthesis PDF and the slides)."""
    forms = form_labels(syn)
    rows = []
    for dim in syn.dimensions.itertuples():
        row = {"Dimension": dim.label}
        for case in CASES:
            c = cell(syn, dim.id, case)
            nearest = forms[c["form"]] if c["form"] else "aucune forme classique"
            coded = f"{count(len(c['coded']), 'source codée', 'sources codées')}"
            open_ = TO_ESTABLISH[0].upper() + TO_ESTABLISH[1:]
            if short:
                text = (f"{nearest[0].upper() + nearest[1:]} ({count(len(c['evidence']), 'élément')} ; {coded})"
                        if c["backed"] else f"{open_} ({coded})")
            elif c["backed"]:
                text = f"**{nearest[0].upper() + nearest[1:]}.** {c['judgement']} Éléments : {ids(c['evidence'])} ({coded})."
            else:
                text = f"{c['judgement']} **{open_}** ({coded})."
            row[CASE_LABELS[case]] = text
        rows.append(row)
    return pd.DataFrame(rows)


def form_counts(syn: Synthesis) -> pd.DataFrame:
    """Form × case: on how many dimensions each classic form is the nearest; a cell that no
    identified element founds counts as «à établir», apart from a founded cell close to no
    classic form (the configuration table tells them apart too)."""
    def nearest(row) -> str:
        if isinstance(row["form"], str) and row["form"]:
            return row["form"]
        return "aucune" if _ids(row["evidence_ids"]) else "a_etablir"

    frame = syn.configuration.assign(form=syn.configuration.apply(nearest, axis=1))
    counts = frame.groupby(["form", "case"]).size().unstack(fill_value=0).reindex(columns=CASES, fill_value=0)
    order = list(syn.forms["id"]) + ["aucune", "a_etablir"]
    labels = {**form_labels(syn), "aucune": "Aucune forme classique",
              "a_etablir": TO_ESTABLISH[0].upper() + TO_ESTABLISH[1:]}
    counts = counts.reindex(order, fill_value=0)
    counts.index = [labels[i] for i in counts.index]
    return counts.rename(columns=CASE_LABELS)


def propositions_table(syn: Synthesis, ids=lambda ids: ", ".join(ids), full: bool = True) -> pd.DataFrame:
    """One row per proposition: title, status, evidence for and against, refutation, interview needs."""
    status = syn.status.set_index("id")
    rows = []
    for prop in syn.propositions.itertuples():
        st = status.loc[prop.id]
        row = {"Proposition": f"{prop.id} — {prop.title}", "Statut": STATUS_LABELS[st["status"]],
               "Pour": ids(_ids(st["evidence_for"])) or "—", "Contre": ids(_ids(st["evidence_against"])) or "—"}
        if full:
            row["Indicateurs"] = prop.indicators
            row["Réfutée si"] = prop.refutation
            row["Entretiens"] = st["interview_needs"]
        rows.append(row)
    return pd.DataFrame(rows)


def cited_ids(syn: Synthesis) -> set[str]:
    ids = set()
    for value in syn.configuration["evidence_ids"]:
        ids |= set(_ids(value))
    for column in ("evidence_for", "evidence_against"):
        for value in syn.status[column]:
            ids |= set(_ids(value))
    return ids


def key_numbers(syn: Synthesis) -> dict[str, str]:
    """Every number the synthesis quotes, formatted for the prose (name -> text)."""
    cells = [cell(syn, d, c) for d in syn.dimensions["id"] for c in CASES]
    backed = sum(c["backed"] for c in cells)
    cited = cited_ids(syn)
    kinds = pd.Series([syn.index[i] for i in cited]).value_counts()
    out = {
        "syn_n_dimensions": format_number(len(syn.dimensions)),
        "syn_n_forms": format_number(len(syn.forms)),
        "syn_n_cells": format_number(len(cells)),
        "syn_n_backed": format_number(backed),
        "syn_n_open": format_number(len(cells) - backed),
        "syn_cells_open": count(len(cells) - backed, "cellule"),
        "syn_n_cited": format_number(len(cited)),
        "syn_n_cited_sources": format_number(int(kinds.get("sources", 0))),
        "syn_n_cited_events": format_number(int(kinds.get("events", 0))),
        "syn_n_cited_relations": format_number(int(kinds.get("relations", 0))),
        "syn_n_cited_indicators": format_number(int(kinds.get("indicators", 0))),
        "syn_n_props": format_number(len(syn.propositions)),
        "syn_n_interviews": format_number(len(syn.interviews)),
        "syn_interviews": (count(len(syn.interviews), "entretien enregistré", "entretiens enregistrés")
                           if len(syn.interviews) else "aucun entretien enregistré"),
        "syn_book_interviews": interviews_clause(len(syn.interviews)),
        "syn_n_agreed": format_number(len(syn.evidence)),
        "syn_n_passages": format_number(syn.precoding["passages"]),
        "syn_coding": coding_sentence(syn),
        # the same counts with their nouns (and verbs) in the right number, for the prose
        "syn_dimensions_txt": count(len(syn.dimensions), "dimension"),
        "syn_props_txt": count(len(syn.propositions), "proposition"),
        "syn_forms_txt": count(len(syn.forms), "forme classique", "formes classiques"),
        "syn_cells_sentence": cells_sentence(len(cells), backed),
        "syn_agreed_txt": count(len(syn.evidence), "couple source–code commun", "couples source–code communs"),
        "syn_pairs_txt": count(len(syn.evidence), "couple"),
        "syn_passages_txt": count(syn.precoding["passages"], "passage"),
        "syn_precoded_sources_txt": count(syn.precoding["sources"], "source"),
        "syn_cited_txt": count(len(cited), "élément identifié", "éléments identifiés"),
        "syn_cited_detail": cited_detail(kinds),
    }
    for case in CASES:
        mine = [c for c, (d, k) in zip(cells, [(d, k) for d in syn.dimensions["id"] for k in CASES]) if k == case]
        n_backed = sum(c["backed"] for c in mine)
        n_sources = int((syn.sources["case"] == case).sum())
        out[f"syn_n_backed_{case}"] = format_number(n_backed)
        out[f"syn_backed_{case}_txt"] = count(n_backed, "cellule fondée", "cellules fondées")
        out[f"syn_n_sources_{case}"] = format_number(n_sources)
        out[f"syn_sources_{case}_txt"] = count(n_sources, "source")
        out[f"syn_public_sources_{case}_txt"] = count(n_sources, "source publique", "sources publiques")
    for status in STATUS_LABELS:
        out[f"syn_n_status_{status}"] = format_number(int((syn.status["status"] == status).sum()))
    # each proposition's status as the discussion gives it (« syn_status_p5 »: « premiers indices »)
    for row in syn.status.itertuples():
        out[f"syn_status_{row.id.lower()}"] = STATUS_LABELS[row.status]
    documented = syn.status["status"].isin(["confortee_partiellement", "indices", "contrastee"]).sum()
    out["syn_n_props_with_evidence"] = format_number(int(documented))
    counts = form_counts(syn)
    forms = form_labels(syn)
    for form_id in syn.forms["id"]:
        for case in CASES:
            n = int(counts.loc[forms[form_id], CASE_LABELS[case]])
            out[f"syn_form_{form_id}_{case}"] = format_number(n)
            out[f"syn_form_{form_id}_{case}_txt"] = closest_form_clause(n)
            out[f"syn_form_{form_id}_{case}_dims"] = count(n, "dimension")
    return out


def status_sentence(syn: Synthesis) -> str:
    """« 1 proposition plutôt confortée, 4 avec de premiers indices… » generated from the data."""
    words = {
        "confortee_partiellement": ("proposition plutôt confortée", "propositions plutôt confortées"),
        "indices": ("proposition avec de premiers indices", "propositions avec de premiers indices"),
        "contrastee": ("proposition contrastée selon les cas", "propositions contrastées selon les cas"),
        "non_documentee": ("proposition non documentée", "propositions non documentées"),
        "prematuree": ("proposition prématurée", "propositions prématurées"),
    }
    parts = []
    for status, (one, many) in words.items():
        n = int((syn.status["status"] == status).sum())
        if n:
            parts.append(count(n, one, many))
    return listing(parts) or "aucune proposition"


#: The statuses of propositions on which the public sources give nothing yet to weigh.
OPEN_STATUSES = ("non_documentee", "prematuree")


def open_propositions_sentence(syn: Synthesis) -> str:
    """« Restent à instruire : P6 (modèles d’affaires hybrides, non documentée) et P8 (…). »,
    the propositions whose status says the sources give nothing yet, from the data."""
    rows = syn.status[syn.status["status"].isin(OPEN_STATUSES)]
    items = [f"{pid} ({label}, {STATUS_LABELS[st]})" for pid, label, st in zip(rows["id"], rows["label"], rows["status"])]
    if not items:
        return "Chaque proposition a au moins de premiers indices dans les sources publiques."
    verb = "Reste" if len(items) == 1 else "Restent"
    return f"{verb} à instruire\u00a0: {listing(items)}."


# --------------------------------------------------------------------------- vignettes

def vignette(syn: Synthesis, case: str) -> list[dict]:
    """The facts of a case vignette, as a dated list: the date in French (« Date non établie »
    when the table has none), the text, the source ids. An event's text begins with its title,
    which names who does what (the description alone said « L'éditeur acquiert la PME »); an
    indicator's is its name and value (« Financement européen de RUDI : 4 000 000 € »), so that
    every item of the list leads with a date."""
    # here, not at the top: the case module imports plotly, which the data checks that load this
    # module (compendium.book.build.synthesis_problems) do not need
    from compendium.cases.secondary import indicator_text

    events = syn.events.set_index("id")
    indicators = syn.indicators.set_index("id")

    def lead(date) -> str:
        when = format_date(date) if isinstance(date, str) and date else "date non établie"
        return when[:1].upper() + when[1:]  # it heads a list item: «Janvier 2021 — …»

    facts = []
    chosen = syn.vignettes[syn.vignettes["case"] == case].sort_values("position", kind="stable")
    for fact_id in chosen["fact_id"]:
        if fact_id in events.index:
            row = events.loc[fact_id]
            title = str(row["title"]).strip().rstrip(".")
            facts.append({"id": fact_id, "lead": lead(row["date"]), "text": f"{title}. {row['description']}",
                          "sources": _ids(row["source_ids"]), "_date": row["date"]})
        else:
            row = indicators.loc[fact_id]
            # « 4 000 000 € », « 3 laboratoires » (the noun agrees with the count), as in the chapters
            amount = indicator_text(row["value"], row["unit"])
            facts.append({"id": fact_id, "lead": lead(row["date"]), "text": f"{row['name']}\u00a0: {amount}.",
                          "sources": _ids(row["source_ids"]), "_date": row["date"]})
    # in the order of their dates («2013», «2021-01», «2021-01-16» compare as written), the
    # table's order between facts of one date, and the undated ones last: an undated item had
    # sat between 2018 and 2021
    dated = lambda f: isinstance(f["_date"], str) and bool(f["_date"])  # noqa: E731
    facts.sort(key=lambda f: (not dated(f), f["_date"] if dated(f) else ""))
    for fact in facts:
        del fact["_date"]
    return facts


# --------------------------------------------------------------------------- figure

STATUS_COLOURS = {
    "confortee_partiellement": "#009E73",
    "indices": "#56B4E9",
    "contrastee": "#E69F00",
    "non_documentee": "#999999",
    "prematuree": "#CC79A7",
}


def framework_figure(syn: Synthesis):
    """The framework and the propositions in one figure: the seven dimensions on the left, the
    propositions on the right, a line for each dimension a proposition concerns, the
    propositions coloured by their status."""
    import plotly.graph_objects as go

    dims = list(syn.dimensions.itertuples())
    props = syn.propositions.merge(syn.status, on="id")
    n = max(len(dims), len(props))
    y_dim = {d.id: (n - 1) * (1 - i / max(len(dims) - 1, 1)) for i, d in enumerate(dims)}
    y_prop = {p: (n - 1) * (1 - i / max(len(props) - 1, 1)) for i, p in enumerate(props["id"])}
    fig = go.Figure()
    xs, ys = [], []
    for p in props.itertuples():
        for d in p.dimensions:
            xs += [0.05, 0.95, None]
            ys += [y_dim[d], y_prop[p.id], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#bbbbbb", width=1.2),
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=[0.0] * len(dims), y=[y_dim[d.id] for d in dims], mode="markers+text",
        marker=dict(symbol="square", size=14, color="#0072B2"), text=[_wrap(d.label) for d in dims],
        textposition="middle left", hovertemplate="%{text}<extra></extra>", showlegend=False))
    for status, label in STATUS_LABELS.items():
        mine = props[props["status"] == status]
        if mine.empty:
            continue
        fig.add_trace(go.Scatter(
            x=[1.0] * len(mine), y=[y_prop[p] for p in mine["id"]], mode="markers+text",
            marker=dict(symbol="circle", size=16, color=STATUS_COLOURS[status], line=dict(color="#222", width=1)),
            text=[f"{p} — {lab}" for p, lab in zip(mine["id"], mine["label"])], textposition="middle right",
            hovertext=[f"{p} — {t}" for p, t in zip(mine["id"], mine["title"])],
            name=label, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(
        title="Dimensions du cadre et propositions (couleur : statut provisoire)",
        xaxis=dict(visible=False, range=[-1.0, 2.6]), yaxis=dict(visible=False, range=[-0.8, n - 0.2]),
        height=520, margin=dict(l=10, r=10, t=60, b=10),
        meta={"min_width": 660},  # labels on both sides: on a phone the figure scrolls in its box (680 scrolled 8 px in the laptop's column of 672)
        legend=dict(orientation="h", yanchor="top", y=-0.01, xanchor="center", x=0.5, font=dict(size=12)),
        font=dict(size=12))
    return fig


def _wrap(label: str, width: int = 22) -> str:
    """A long label on two lines, cut at the space nearest its middle."""
    if len(label) <= width or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "<br>" + label[cut + 1:]


def _short(title: str, width: int = 30) -> str:
    return title if len(title) <= width else title[: width - 1].rsplit(" ", 1)[0] + "…"


def dimension_shares(syn: Synthesis) -> pd.DataFrame:
    """Dimension × case: share (%) of the case's sources coded on the dimension, over the case's
    sources that both coders pre-coded (the base of the cross-case chapter's matrix: over all the
    case's sources, Territoire's 18 sources without passages made its shares look small)."""
    totals = syn.double_coded["case"].value_counts()
    rows = {}
    for dim in syn.dimensions.itertuples():
        rows[dim.label] = {CASE_LABELS[c]: 100 * len(coded_sources(syn, dim.id, c)) / max(int(totals.get(c, 0)), 1)
                           for c in CASES}
    return pd.DataFrame(rows).T[[CASE_LABELS[c] for c in CASES]]


def run_builder(build, prog: str, description: str, argv: list[str] | None = None) -> int:
    """Command line of an output built from the book's data (``python -m compendium.book.slides``,
    ``python -m compendium.book.synthdoc``): validate ``data/`` (one French line per problem), then
    ``build(root)``."""
    import argparse
    import sys

    from compendium import data

    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--root", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root).resolve() if args.root else data.project_root()
    from compendium.book.build import input_problems

    check = input_problems(root)
    if check.errors:
        for line in check.lines:
            print(line, file=sys.stderr)
        return 1
    return build(root)
