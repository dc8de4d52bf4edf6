"""The analytical framework of Part I applied to the cases, from ``data/secondary/framework.csv``.

Four analyses, each judgement tied to evidence ids (sources, passages, relations, events,
indicators, code uses): the integration level of the twin (Kritzinger et al. 2018: digital
model, digital shadow, digital twin), RUDI's value blueprint (Adner 2012, 2017: focal offer,
components, complements, intermediaries, end customer; co-innovation and adoption-chain
risks), access versus control (Boudreau 2010), and the coordination type (Cooke 2004;
Vievard 2014).
"""

from __future__ import annotations

import pandas as pd

from compendium.cases.secondary import source_links

LEVEL_LABELS = {"digital_model": "modèle numérique", "digital_shadow": "ombre numérique",
                "digital_twin": "jumeau numérique", "not_a_twin": "sans objet (ce n'est pas un jumeau)"}
#: The columns shown for each analysis (few, so that the tables fit the page).
COLUMNS = {"integration": ["objet", "jugement", "preuves", "réserve"],
           "blueprint": ["élément", "acteur", "activité", "risque", "preuves"],
           "access_control": ["objet", "élément", "jugement", "preuves"],
           "coordination": ["élément", "jugement", "preuves", "réserve"]}
BLUEPRINT_ORDER = ["composant", "offre focale", "complément", "intermédiaire", "client final", "financeur"]


def evidence_sources(evidence_ids: list[str], tables: dict[str, pd.DataFrame]) -> list[str]:
    """The source ids behind evidence ids: a source is itself, a passage its document, a
    relation, event or indicator its sources, a code use its source, an actor its sources."""
    ids = set(tables["sources"]["id"])
    lookup = {}
    for name, column in (("documentary_passages", "document_id"), ("code_uses", "source_id")):
        lookup.update({i: [v] for i, v in zip(tables[name]["id"], tables[name][column])})
    for name in ("relations", "events", "indicators", "actors"):
        lookup.update({i: list(v) for i, v in zip(tables[name]["id"], tables[name]["source_ids"])})
    out: list[str] = []
    for eid in evidence_ids:
        for sid in ([eid] if eid in ids else lookup.get(eid, [])):
            if sid not in out:
                out.append(sid)
    return out


def evidence_cell(evidence_ids: list[str], tables: dict[str, pd.DataFrame], max_links: int = 3) -> str:
    """The evidence ids (for tracing) followed by links to the first sources behind them."""
    sources = evidence_sources(evidence_ids, tables)
    more = " ; …" if len(sources) > max_links else ""
    return f"{', '.join(evidence_ids)} — " + source_links(tables["sources"], sources[:max_links]) + more


def view(frame: pd.DataFrame, analysis: str, tables: dict[str, pd.DataFrame], case: str | None = None) -> pd.DataFrame:
    """The rows of one analysis, ready to show: actor names, labels, evidence with links."""
    rows = frame[frame["analysis"] == analysis]
    if case is not None:
        rows = rows[rows["case"] == case]
    names = tables["actors"].set_index("id")["name"]
    out = pd.DataFrame({
        "objet": rows["object"], "élément": rows["element"],
        "acteur": rows["actor_id"].map(lambda a: names.get(a, "") if isinstance(a, str) else ""),
        "jugement": rows["value"].map(lambda v: LEVEL_LABELS.get(v, v)),
        "risque": rows["risk"].fillna(""), "preuves": rows["evidence_ids"].map(lambda e: evidence_cell(e, tables)),
        "réserve": rows["note"].fillna(""),
    })
    if analysis == "blueprint":
        out = out.assign(_o=out["élément"].map(BLUEPRINT_ORDER.index)).sort_values("_o", kind="stable").drop(columns="_o")
        out = out.rename(columns={"jugement": "activité"})
    return out[COLUMNS[analysis]].reset_index(drop=True)


def fragile_points(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Blueprint elements carrying a co-innovation or adoption-chain risk."""
    rows = frame[(frame["analysis"] == "blueprint") & frame["risk"].notna()]
    names = tables["actors"].set_index("id")["name"]
    return pd.DataFrame({"acteur": rows["actor_id"].map(names), "élément": rows["element"], "risque": rows["risk"]})


def judgement(frame: pd.DataFrame, fw_id: str) -> str:
    """The judgement of one row, labelled (for glue)."""
    value = frame.set_index("id").loc[fw_id, "value"]
    return LEVEL_LABELS.get(value, value)
