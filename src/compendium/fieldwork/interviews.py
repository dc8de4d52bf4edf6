"""The interviews of a case in the book: an honest empty state until coded interviews exist,
then the analyses, through the same functions as the documentary coding."""

from __future__ import annotations

import pandas as pd

from compendium import data
from compendium.cases.coding import cooccurrence, frequencies
from compendium.figures import heatmap, show
from compendium.prose import show_table

ACTOR_KINDS = {"COL": "collectivité", "ENT": "entreprise ou éditeur", "PME": "PME ou start-up",
               "DON": "détenteur de données", "REC": "recherche ou enseignement", "ASS": "association, pôle ou usagers"}


#: The interview table's coded values as a reader reads them (« chef_de_projet », « presentiel »).
ROLE_CATEGORY_LABELS = {"direction": "direction", "elu": "élu", "chef_de_projet": "chef de projet", "technique": "technique",
               "recherche": "recherche", "autre": "autre"}
MODE_LABELS = {"presentiel": "en présentiel", "visio": "en visioconférence", "telephone": "par téléphone"}


def case_interviews(case: str, interviews: pd.DataFrame | None = None,
                    segments: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    interviews = data.load_table("interviews") if interviews is None else interviews
    segments = data.load_table("interview_segments") if segments is None else segments
    mine = interviews[interviews["case"] == case]
    return mine.reset_index(drop=True), segments[segments["interview_id"].isin(mine["id"])].reset_index(drop=True)


def show_interviews(case: str, label: str, interviews: pd.DataFrame | None = None,
                    segments: pd.DataFrame | None = None, tables: list[str] | None = None,
                    codebook: pd.DataFrame | None = None, demo: bool = False) -> int:
    """Display the interview section of a case; returns the number of coded interviews.

    With ``demo``, titles carry « [Données fictives] » and figure names a ``demo-`` prefix."""
    title = "[Données fictives] " if demo else ""
    name = f"{'demo-' if demo else ''}{case}-entretiens"
    from IPython.display import Markdown, display

    tables = tables or ["interviews", "interview_segments", "codebook"]
    mine, segs = case_interviews(case, interviews, segments)
    coded = mine[mine["id"].isin(segs["interview_id"])]
    if coded.empty:
        display(Markdown(
            f"*Aucun entretien codé pour le moment ({label}).* Cette section se remplira d'elle-même dès que "
            "des entretiens pseudonymisés et leurs segments codés seront ajoutés dans `data/interviews/` : "
            "liste des entretiens, fréquence des codes par type d'acteur, co-occurrences et citations approuvées."))
        return 0
    codebook = data.load_table("codebook") if codebook is None else codebook
    labels = codebook.set_index("id")["label"]
    from compendium.prose import format_date

    listing = coded.assign(
        acteur=coded["actor_kind"].map(ACTOR_KINDS),
        role_category=coded["role_category"].map(lambda v: ROLE_CATEGORY_LABELS.get(v, v)),
        month=coded["month"].map(lambda v: format_date(v) if isinstance(v, str) and v else v),
        mode=coded["mode"].map(lambda v: MODE_LABELS.get(v, v)),
    )[["id", "acteur", "role_category", "month", "mode", "duration_min"]]
    show_table(listing.rename(columns={"id": "entretien", "role_category": "fonction", "month": "mois",
                                       "duration_min": "durée (min)"}), align={"durée (min)": "right"})
    documents = coded.assign(acteur=coded["actor_kind"].map(ACTOR_KINDS))
    freq = frequencies(segs.rename(columns={"interview_id": "document_id"}), documents, "acteur")
    freq.index = [labels.get(c, c) for c in freq.index]
    show(heatmap(freq, f"{title}Codes par type d'acteur ({label})", "entretiens"),
         f"{name}-codes", tables=tables)
    co = cooccurrence(segs.rename(columns={"interview_id": "document_id"}))
    co.index = co.columns = [labels.get(c, c) for c in co.index]
    show(heatmap(co, f"{title}Co-occurrence des codes ({label})", "entretiens"),
         f"{name}-cooccurrence", tables=tables,
         static=heatmap(co, f"{title}Co-occurrence des codes ({label})", "entretiens", for_print=True))
    quotes = segs[segs["quote"].notna()]
    if not quotes.empty:
        lines = [f"> « {q.quote} » — {q.interview_id}, *{labels.get(q.code_id, q.code_id)}*" for q in quotes.itertuples()]
        display(Markdown("**Citations approuvées**\n\n" + "\n>\n".join(lines)))
    return len(coded)


def interview_kind(kind: str, roles: list[str]) -> str | None:
    """The interview code (COL, ENT, PME, DON, REC, ASS) of an actor of the map, or None for an
    actor that is not interviewed as such (a European funder)."""
    if kind in ("grande_entreprise", "etat_agence") and "data_holder" in roles and "technology_provider" not in roles:
        return "DON"
    if kind == "etat_agence" and "public_authority" not in roles:
        return None  # a funding agency: met through the projects it funds, not as such
    return {"collectivite": "COL", "etat_agence": "COL", "grande_entreprise": "ENT", "pme_startup": "PME",
            "recherche_enseignement": "REC", "association_pole": "ASS", "citoyens_usagers": "ASS"}.get(kind)


def sampling_plan(actors: pd.DataFrame, relations: pd.DataFrame, case: str, per_kind: int = 2) -> pd.DataFrame:
    """Which kinds of actors to meet in ``case`` and whom first: for each interview kind, the
    organisations of the actor map ranked by betweenness then number of partners, the first
    ``per_kind`` proposed. Context-only actors (no relation in the case) are left out."""
    from compendium.cases.ecosystem import ROLE_LABELS, case_graph, centrality

    graph = case_graph(actors, relations, case)
    table = centrality(graph).set_index("id")
    rows = []
    for actor_id, attrs in graph.nodes(data=True):
        code = interview_kind(attrs["kind"], attrs["roles"])
        if code is None:
            continue
        rows.append({"type": code, "type d'acteur": ACTOR_KINDS[code], "organisation": attrs["name"],
                     "rôles": ", ".join(ROLE_LABELS[r] for r in attrs["roles"]),
                     "intermédiarité": table.loc[actor_id, "intermédiarité"],
                     "partenaires": int(table.loc[actor_id, "partenaires"])})
    frame = pd.DataFrame(rows).sort_values(["type", "intermédiarité", "partenaires", "organisation"],
                                            ascending=[True, False, False, True])
    frame["priorité"] = frame.groupby("type").cumcount() < per_kind
    return frame.reset_index(drop=True)
