"""The ecosystem of a case as a network: actors are nodes, documented relations are edges.

Centrality is computed on the undirected graph (a partnership or a funding link ties both
ends): degree (how many documented partners an actor has) and betweenness (how often an
actor lies on the shortest path between two others: who brokers between otherwise distant
parts of the ecosystem). Both are normalised by networkx to [0, 1].
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from compendium.figures import PALETTE

HELIX_LABELS = {"public": "public", "private": "privé", "academia": "recherche et enseignement",
                "civil_society": "société civile"}
HELIX_STYLE = {  # colour and marker per helix: distinct in colour and in black-and-white print
    "public": (PALETTE[0], "circle"),
    "private": (PALETTE[1], "square"),
    "academia": (PALETTE[2], "diamond"),
    "civil_society": (PALETTE[3], "triangle-up"),
}
KIND_LABELS = {
    "collectivite": "collectivité", "etat_agence": "État ou agence", "grande_entreprise": "grande entreprise",
    "pme_startup": "PME ou start-up", "recherche_enseignement": "recherche ou enseignement",
    "association_pole": "association ou pôle", "financeur_europeen": "financeur européen",
    "citoyens_usagers": "citoyens ou usagers",
}
RELATION_LABELS = {
    "partnership": "partenariat", "acquisition": "acquisition", "funding": "financement", "contract": "contrat",
    "data_provision": "fourniture de données", "governance": "gouvernance", "membership": "adhésion",
    "technology_supply": "fourniture de technologie",
}
ROLE_LABELS = {
    "orchestrator": "orchestrateur", "complementor": "complémenteur", "data_holder": "détenteur de données",
    "technology_provider": "fournisseur de technologie", "public_authority": "autorité publique",
    "research": "recherche", "funder": "financeur", "user": "usager", "intermediary": "intermédiaire",
}


def case_graph(actors: pd.DataFrame, relations: pd.DataFrame, case: str) -> nx.MultiGraph:
    """Actors of ``case`` (and ``general`` ones it is tied to) with its relations as edges."""
    rel = relations[relations["case"] == case]
    graph = nx.MultiGraph()
    index = actors.set_index("id")
    ids = set(actors.loc[actors["case"] == case, "id"]) | set(rel["from_actor"]) | set(rel["to_actor"])
    for actor_id in sorted(ids):
        row = index.loc[actor_id]
        graph.add_node(actor_id, name=row["name"], kind=row["kind"], helix=row["helix"], roles=list(row["roles"]))
    for row in rel.itertuples():
        graph.add_edge(row.from_actor, row.to_actor, key=row.id, kind=row.kind)
    return graph


def centrality(graph: nx.MultiGraph) -> pd.DataFrame:
    """One row per actor: relations, distinct partners, normalised degree and betweenness."""
    simple = nx.Graph(graph)
    degree = nx.degree_centrality(simple)
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    rows = []
    for node, attrs in graph.nodes(data=True):
        rows.append({
            "id": node,
            "acteur": attrs["name"],
            "nature": KIND_LABELS[attrs["kind"]],
            "hélice": HELIX_LABELS[attrs["helix"]],
            "rôles": [ROLE_LABELS[r] for r in attrs["roles"]],
            "relations": graph.degree(node),
            "partenaires": simple.degree(node),
            "degré": round(degree[node], 3),
            "intermédiarité": round(betweenness[node], 3),
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values(["intermédiarité", "degré", "acteur"], ascending=[False, False, True]).reset_index(drop=True)


def _layout(graph: nx.MultiGraph) -> dict:
    """Spring layout per connected component, components side by side (largest first), so that
    a small unconnected group does not crush the main one."""
    simple = nx.Graph(graph)
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c)))
    pos, x_offset = {}, 0.0
    for nodes in components:
        sub = simple.subgraph(nodes)
        width = math.sqrt(len(nodes))
        if len(nodes) == 1:
            local = {next(iter(nodes)): (0.0, 0.0)}
        else:
            local = nx.spring_layout(sub, seed=7, k=1.2 / math.sqrt(len(nodes)), iterations=200)
        for node, (x, y) in local.items():
            pos[node] = (x_offset + (x + 1) / 2 * width, y * width / 2)
        x_offset += width + 0.6
    return pos


def short_name(name: str) -> str:
    """A label for the map: the name without its parenthesised or dashed complement."""
    import re

    short = re.split(r" \(| – ", name)[0].strip()
    return short if len(short) <= 32 else short[:31] + "…"


def network_figure(graph: nx.MultiGraph, title: str, label_top: int = 8) -> go.Figure:
    """The ecosystem map: node size by number of partners, colour and marker by helix.

    The ``label_top`` most connected actors are labelled on the figure; every actor is named
    on hover.
    """
    pos = _layout(graph)
    simple = nx.Graph(graph)
    fig = go.Figure()
    xs, ys = [], []
    for a, b in simple.edges():
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1),
                             hoverinfo="skip", showlegend=False))
    ranked = sorted(simple.nodes, key=lambda n: (-simple.degree(n), graph.nodes[n]["name"]))
    labelled = set(ranked[:label_top])
    for helix, (colour, symbol) in HELIX_STYLE.items():
        nodes = [n for n in ranked if graph.nodes[n]["helix"] == helix]
        if not nodes:
            continue
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes],
            mode="markers+text",
            marker=dict(size=[10 + 4 * math.sqrt(simple.degree(n)) * 2 for n in nodes], color=colour,
                        symbol=symbol, line=dict(color="#222", width=1)),
            text=[short_name(graph.nodes[n]["name"]) if n in labelled else "" for n in nodes],
            textposition="top center", textfont=dict(size=11),
            hovertext=[f"{graph.nodes[n]['name']} — {KIND_LABELS[graph.nodes[n]['kind']]} — "
                       f"{simple.degree(n)} partenaire(s)" for n in nodes],
            hoverinfo="text",
            name=HELIX_LABELS[helix],
        ))
    xs_all = [p[0] for p in pos.values()]
    ys_all = [p[1] for p in pos.values()]
    pad_x = 0.25 * (max(xs_all) - min(xs_all) or 1)
    pad_y = 0.15 * (max(ys_all) - min(ys_all) or 1)
    fig.update_layout(title=title, height=650, legend_title_text="Hélice",
                      xaxis=dict(visible=False, range=[min(xs_all) - pad_x, max(xs_all) + pad_x]),
                      yaxis=dict(visible=False, range=[min(ys_all) - pad_y, max(ys_all) + pad_y]))
    return fig


def relation_counts(relations: pd.DataFrame, case: str) -> pd.DataFrame:
    rel = relations[relations["case"] == case]
    counts = rel["kind"].map(RELATION_LABELS).value_counts()
    return counts.rename_axis("type").reset_index(name="relations")


# --- sensitivity of the network to how the evidence was built -------------------------------

RELATION_LABELS.setdefault("consortium", "co-membre d'un consortium")
#: Kinds of organisation that sell on a market (used to read proposition P1).
MARKET_KINDS = {"grande_entreprise", "pme_startup"}


def without_own_communications(relations: pd.DataFrame, own: pd.DataFrame, focal: set[str]) -> pd.DataFrame:
    """The relations that keep at least one source which is not a communication of a ``focal``
    actor (``own``: table own_sources). A relation documented only by the focal actor's own
    pages is dropped."""
    own_ids = set(own.loc[own["actor_id"].isin(focal), "source_id"])
    keep = relations["source_ids"].map(lambda ids: any(s not in own_ids for s in ids))
    return relations[keep].reset_index(drop=True)


def consortium_relations(consortia: pd.DataFrame, case: str) -> pd.DataFrame:
    """One relation between every two members of each consortium of ``case``, sourced by the
    union of the sources naming the two as members."""
    rows = []
    for cid, members in consortia[consortia["case"] == case].groupby("consortium_id", sort=True):
        members = members.sort_values("actor_id").to_dict("records")
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                rows.append({"id": f"{cid}:{a['actor_id']}:{b['actor_id']}", "from_actor": a["actor_id"],
                             "to_actor": b["actor_id"], "kind": "consortium", "start": None, "end": None,
                             "case": case, "source_ids": sorted(set(a["source_ids"]) | set(b["source_ids"])),
                             "note": f"co-membres du consortium {cid}"})
    return pd.DataFrame(rows, columns=["id", "from_actor", "to_actor", "kind", "start", "end", "case",
                                       "source_ids", "note"])


def with_consortium_ties(relations: pd.DataFrame, consortia: pd.DataFrame, case: str) -> pd.DataFrame:
    """The documented relations plus a consortium tie for every pair of co-members not already
    tied by a documented relation (so that a pair is never counted twice for one consortium)."""
    rel = relations[relations["case"] == case]
    tied = {frozenset(p) for p in zip(rel["from_actor"], rel["to_actor"])}
    extra = consortium_relations(consortia, case)
    pairs = extra.apply(lambda r: frozenset((r["from_actor"], r["to_actor"])), axis=1) if len(extra) else []
    extra = extra[[p not in tied for p in pairs]].drop_duplicates(subset=["from_actor", "to_actor"])
    return pd.concat([relations, extra], ignore_index=True)


def sensitivity(actors: pd.DataFrame, relations: pd.DataFrame, case: str, own: pd.DataFrame,
                consortia: pd.DataFrame, focal: set[str]) -> dict[str, pd.DataFrame]:
    """Centralities of ``case`` under three codings of the evidence: as documented, without the
    relations documented only by the focal actors' own communications, and with consortium
    relations coded among all members. Returns one centrality table per variant."""
    variants = {
        "documenté": relations,
        "sans la parole de l'acteur central": without_own_communications(relations, own, focal),
        "avec les liens entre membres des consortiums": with_consortium_ties(relations, consortia, case),
    }
    return {name: centrality(case_graph(actors, rel, case)) for name, rel in variants.items()}


def sensitivity_summary(tables: dict[str, pd.DataFrame], actors: pd.DataFrame) -> pd.DataFrame:
    """Per variant: relations, the most central actor (betweenness), its share of the relations,
    its betweenness, and the best-placed market actor."""
    kinds = actors.set_index("id")["kind"]
    rows = []
    for name, table in tables.items():
        total = int(table["relations"].sum() // 2)
        top = table.iloc[0]
        market = table[table["id"].map(kinds).isin(MARKET_KINDS)]
        best = market.iloc[0] if len(market) else None
        rows.append({"variante": name, "relations": total, "acteur le plus central": top["acteur"],
                     "part de ses relations": round(100 * top["relations"] / total, 1) if total else 0.0,
                     "intermédiarité": float(top["intermédiarité"]),
                     "entreprise la mieux placée": best["acteur"] if best is not None else "",
                     "son intermédiarité": float(best["intermédiarité"]) if best is not None else float("nan"),
                     "hub non marchand": kinds[top["id"]] not in MARKET_KINDS})
    return pd.DataFrame(rows)


def side_by_side(tables: dict[str, pd.DataFrame], top: int = 8) -> pd.DataFrame:
    """Betweenness of the ``top`` actors of the first variant, one column per variant."""
    first = next(iter(tables.values()))
    ids = list(first["id"].head(top))
    frame = pd.DataFrame({"acteur": first.set_index("id").loc[ids, "acteur"].to_numpy()})
    for name, table in tables.items():
        frame[name] = table.set_index("id").reindex(ids)["intermédiarité"].to_numpy()
    return frame


def sensitivity_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary in few, short columns for the page: the central actor with its share of the
    relations, the best-placed firm with its betweenness."""
    from compendium.prose import format_number

    def with_value(name, value, decimals, unit=""):
        return f"{name} ({format_number(value, decimals)}{unit})" if name else ""

    out = pd.DataFrame({
        "variante": summary["variante"], "relations": summary["relations"],
        "acteur central (part des relations)": [with_value(n, v, 1, "\u202f%") for n, v in
                                                zip(summary["acteur le plus central"], summary["part de ses relations"])],
        "son intermédiarité": summary["intermédiarité"].map(lambda v: format_number(v, 2)),
        "entreprise la mieux placée (intermédiarité)": [with_value(n, v, 2) for n, v in
                                                       zip(summary["entreprise la mieux placée"], summary["son intermédiarité"])],
    })
    if "cas" in summary:
        out.insert(0, "cas", summary["cas"])
    return out
