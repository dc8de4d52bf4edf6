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
from compendium.prose import format_count, format_number

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


HELIX_ORDER = list(HELIX_STYLE)
#: Glyphs of the helix markers, for the key written above the map.
HELIX_GLYPHS = {"public": "●", "private": "■", "academia": "◆", "civil_society": "▲"}
#: Text colour of the number inside each marker (contrast with the marker's fill).
HELIX_TEXT = {"public": "white", "private": "#111111", "academia": "white", "civil_society": "#111111"}


def _root(simple: nx.Graph, nodes) -> str:
    return sorted(nodes, key=lambda n: (-simple.degree(n), n))[0]


def _radial_component(simple: nx.Graph, graph: nx.MultiGraph, nodes) -> tuple[dict, list]:
    """Radial tree layout of one connected component, with no randomness: its most connected
    actor at the centre, the others on rings by distance to it, each subtree in an angular
    sector as wide as its number of leaves, siblings ordered by helix then id. A crowded first
    ring is staggered on two radii so that neighbours on it stay apart. Returns the positions and
    the nodes in reading order (centre, then clockwise from the top, ring by ring)."""
    root = _root(simple, nodes)
    tree = nx.bfs_tree(simple.subgraph(nodes), root, sort_neighbors=sorted)

    def key(n):
        return (HELIX_ORDER.index(graph.nodes[n]["helix"]), n)

    children = {n: sorted(tree.successors(n), key=key) for n in tree}
    weight: dict = {}

    def leaves(n):
        weight[n] = sum(leaves(c) for c in children[n]) or 1
        return weight[n]

    leaves(root)
    angle, depth = {root: 0.0}, {root: 0}

    def place(n, lo, hi):
        span = hi - lo
        for c in children[n]:
            share = span * weight[c] / weight[n]
            angle[c], depth[c] = lo + share / 2, depth[n] + 1
            place(c, lo, lo + share)
            lo += share

    place(root, 0.0, 2 * math.pi)
    ring1 = sorted((n for n in tree if depth[n] == 1), key=lambda n: angle[n])
    stagger = {n: (0.28 if i % 2 and not children[n] else 0.0) for i, n in enumerate(ring1)} if len(ring1) > 12 else {}
    pos = {}
    for n in tree:
        radius = 1.0 + stagger.get(n, 0.0) if depth[n] == 1 else 0.8 * depth[n] + 0.4 * (depth[n] > 1)
        pos[n] = (radius * math.sin(angle[n]), radius * math.cos(angle[n]))
    order = sorted(tree, key=lambda n: (depth[n], angle[n]))
    return pos, order


def _layout(graph: nx.MultiGraph) -> tuple[dict, list]:
    """Positions of every actor and the reading order that numbers them: each connected
    component in a deterministic radial layout (same drawing at every build), the largest
    at the top and the others stacked under it (they stay legible on a narrow phone)."""
    simple = nx.Graph(graph)
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c)))
    pos, order, y_top = {}, [], 0.0
    for nodes in components:
        local, local_order = _radial_component(simple, graph, nodes)
        ys = [y for _, y in local.values()]
        shift = y_top - max(ys)
        for node, (x, y) in local.items():
            pos[node] = (x, y + shift)
        order += local_order
        y_top = min(ys) + shift - 1.0
    return pos, order


def node_numbers(graph: nx.MultiGraph) -> dict[str, int]:
    """The number of each actor on the map (centre first, then clockwise ring by ring)."""
    _, order = _layout(graph)
    return {node: i + 1 for i, node in enumerate(order)}


def network_table(graph: nx.MultiGraph, register_links: bool = False) -> pd.DataFrame:
    """The companion table of the map: one row per actor in the order of its number on the
    map, with its helix, nature, roles, partners and betweenness (the same information as the
    figure, for readers who cannot use it). With ``register_links``, each actor's name links to
    its entry in the register of evidence, where its note and sources are (MyST, for the book)."""
    from compendium.cases.evidence_ids import register_ref

    numbers = node_numbers(graph)
    frame = centrality(graph)
    frame.insert(0, "n°", frame["id"].map(numbers))
    if register_links:
        frame["acteur"] = [register_ref(name, i) for name, i in zip(frame["acteur"], frame["id"])]
    return frame.sort_values("n°").reset_index(drop=True)


def short_name(name: str) -> str:
    """A label for the map: the name without its parenthesised or dashed complement."""
    import re

    short = re.split(r" \(| – ", name)[0].strip()
    return short if len(short) <= 32 else short[:31] + "…"


def network_figure(graph: nx.MultiGraph, title: str, label_top: int = 8) -> go.Figure:
    """The ecosystem map: every actor is a numbered marker (the number leads to the table
    made by :func:`network_table`), its colour and shape give its helix, its size its number
    of partners. The hover gives its name, nature, helix, roles and partners. The layout is
    deterministic and numbers are short, so no label covers another at any width.

    ``label_top`` is kept for compatibility and no longer used: names are in the hover and the
    table, not on the map, where they collided.
    """
    from compendium.figures import wrap

    pos, order = _layout(graph)
    numbers = {node: i + 1 for i, node in enumerate(order)}
    simple = nx.Graph(graph)
    fig = go.Figure()
    xs, ys = [], []
    for a, b in sorted(simple.edges()):
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1),
                             hoverinfo="skip", showlegend=False))
    for helix, (colour, symbol) in HELIX_STYLE.items():
        nodes = [n for n in order if graph.nodes[n]["helix"] == helix]
        if not nodes:
            continue
        hover = []
        for n in nodes:
            attrs = graph.nodes[n]
            roles = ", ".join(ROLE_LABELS[r] for r in attrs["roles"])
            partners = simple.degree(n)
            hover.append(f"<b>{numbers[n]}. {wrap(attrs['name'], 40)}</b><br>nature : {KIND_LABELS[attrs['kind']]}"
                         f"<br>hélice : {HELIX_LABELS[helix]}<br>rôles : {wrap(roles, 44)}<br>"
                         f"{partners} partenaire{'s' if partners > 1 else ''}")
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text", cliponaxis=False,
            marker=dict(size=[22 + 2.5 * math.sqrt(simple.degree(n)) + (4 if symbol == "triangle-up" else 0)
                              for n in nodes],
                        color=colour, symbol=symbol, line=dict(color="#222", width=1)),
            text=[str(numbers[n]) for n in nodes], textposition="middle center",
            textfont=dict(size=11, color=HELIX_TEXT[helix]),
            hovertext=hover, hoverinfo="text", name=HELIX_LABELS[helix], showlegend=False,
        ))
    present = [h for h in HELIX_STYLE if any(graph.nodes[n]["helix"] == h for n in graph)]
    items = [f'<span style="color:{HELIX_STYLE[h][0]}">{HELIX_GLYPHS[h]}</span> {HELIX_LABELS[h]}' for h in present]
    key = "   ".join(items[:2]) + ("<br>" + "   ".join(items[2:]) if len(items) > 2 else "")
    fig.add_annotation(xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", yshift=6,
                       showarrow=False, align="left", text=f"Hélice : {key}", font=dict(size=11, color="#333333"))
    xs_all = [p[0] for p in pos.values()]
    ys_all = [p[1] for p in pos.values()]
    span_y = max(ys_all) - min(ys_all) or 1
    hub = order[0]
    alt = (f"{title} : réseau de {format_count(graph.number_of_nodes(), 'acteur')} et "
           f"{format_count(graph.number_of_edges(), 'relation documentée', noun_plural='relations documentées')} ; "
           f"chaque acteur est un numéro, repris dans le tableau qui suit ; au centre, "
           f"{graph.nodes[hub]['name']} ({format_count(simple.degree(hub), 'partenaire')}).")
    fig.update_layout(title=title, height=int(110 + 118 * (span_y + 0.6)), showlegend=False,
                      margin=dict(l=16, r=16, t=46, b=16), meta={"alt": alt}, hoverlabel=dict(align="left"),
                      xaxis=dict(visible=False, range=[min(xs_all) - 0.25, max(xs_all) + 0.25], fixedrange=True),
                      yaxis=dict(visible=False, range=[min(ys_all) - 0.25, max(ys_all) + 0.25], fixedrange=True))
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

    def with_value(name, value, decimals, unit=""):
        # « Rennes Métropole : 77,5 % », not in parentheses: some names hold their own
        # (« Institut Henri Fayol (Mines Saint-Étienne) (60,0 %) » read badly)
        return f"{name}\u00a0: {format_number(value, decimals)}{unit}" if name else ""

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
