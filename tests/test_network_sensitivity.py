"""Sensitivity of the network results to how the evidence was built: relations sourced only by
the focal actor's own pages, and consortium ties coded among all members."""

from __future__ import annotations

import pandas as pd

from compendium import load_table
from compendium.cases.ecosystem import (consortium_relations, sensitivity, sensitivity_summary, side_by_side,
                                        with_consortium_ties, without_own_communications)

ACTORS = pd.DataFrame({
    "id": ["hub", "firm", "lab", "ngo"], "name": ["Hub", "Firm", "Lab", "NGO"],
    "kind": ["collectivite", "grande_entreprise", "recherche_enseignement", "association_pole"],
    "helix": ["public", "private", "academia", "civil_society"], "case": "c",
    "roles": [["orchestrator"], ["technology_provider"], ["research"], ["user"]],
})


def rel(i, a, b, sources, kind="partnership"):
    return {"id": i, "from_actor": a, "to_actor": b, "kind": kind, "start": None, "end": None, "case": "c",
            "source_ids": sources, "note": ""}


RELATIONS = pd.DataFrame([rel("r1", "firm", "hub", ["own-1"]), rel("r2", "lab", "hub", ["own-1", "press-1"]),
                          rel("r3", "ngo", "hub", ["own-2"])])
OWN = pd.DataFrame({"source_id": ["own-1", "own-2"], "actor_id": ["hub", "hub"], "basis": ["site", "blog"]})
CONSORTIA = pd.DataFrame({"consortium_id": ["k"] * 3, "case": "c", "actor_id": ["hub", "firm", "lab"],
                          "source_ids": [["press-2"], ["press-2"], ["press-3"]], "note": ""})


def test_relations_resting_only_on_the_focal_actors_pages_are_dropped():
    kept = without_own_communications(RELATIONS, OWN, {"hub"})
    assert list(kept["id"]) == ["r2"]  # r2 keeps an independent press source
    assert list(without_own_communications(RELATIONS, OWN, {"someone-else"})["id"]) == ["r1", "r2", "r3"]


def test_consortium_members_are_tied_pairwise_without_doubling_documented_ties():
    ties = consortium_relations(CONSORTIA, "c")
    assert len(ties) == 3 and set(ties["kind"]) == {"consortium"}
    assert ties.set_index("id").loc["k:firm:lab", "source_ids"] == ["press-2", "press-3"]
    full = with_consortium_ties(RELATIONS, CONSORTIA, "c")
    # hub–firm and hub–lab are already documented: only firm–lab is added
    assert len(full) == 4 and full.iloc[-1][["from_actor", "to_actor"]].tolist() == ["firm", "lab"]


def test_sensitivity_tables_and_summary():
    tables = sensitivity(ACTORS, RELATIONS, "c", OWN, CONSORTIA, {"hub"})
    summary = sensitivity_summary(tables, ACTORS).set_index("variante")
    assert summary["relations"].tolist() == [3, 1, 4]
    assert summary.loc["documenté", "acteur le plus central"] == "Hub"
    assert summary.loc["documenté", "intermédiarité"] == 1.0
    assert summary["hub non marchand"].all()
    # with the consortium tie firm–lab, the hub no longer brokers between them
    assert summary.loc["avec les liens entre membres des consortiums", "intermédiarité"] < 1.0
    frame = side_by_side(tables, top=2)
    assert frame.columns[0] == "acteur" and len(frame.columns) == 4 and frame.iloc[0, 0] == "Hub"


def test_real_consortia_and_own_sources_are_coherent():
    actors = load_table("actors").set_index("id")
    consortia, own, sources = load_table("consortia"), load_table("own_sources"), load_table("sources")
    assert (consortia.groupby("consortium_id").size() >= 2).all()
    assert (consortia["case"] == consortia["actor_id"].map(actors["case"])).all()
    case = sources.set_index("id")["case"]
    assert (own["source_id"].map(case) == own["actor_id"].map(actors["case"])).all()


def test_sensitivity_display_is_short_and_french():
    from compendium.cases.ecosystem import sensitivity_display

    summary = sensitivity_summary(sensitivity(ACTORS, RELATIONS, "c", OWN, CONSORTIA, {"hub"}), ACTORS)
    shown = sensitivity_display(summary)
    assert list(shown.columns) == ["variante", "relations", "acteur central (part des relations)",
                                   "son intermédiarité", "entreprise la mieux placée (intermédiarité)"]
    # a colon, not parentheses: a name may hold its own (« Institut Henri Fayol (Mines Saint-Étienne) »)
    assert shown.iloc[0]["acteur central (part des relations)"] == "Hub\u00a0: 100,0\u202f%"
    assert shown.iloc[0]["entreprise la mieux placée (intermédiarité)"] == "Firm\u00a0: 0,00"
    assert shown.iloc[0]["son intermédiarité"] == "1,00"
