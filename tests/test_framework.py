"""The analytical framework applied to the cases: every judgement rests on evidence that exists."""

from __future__ import annotations

from compendium import load_table

EVIDENCE_TABLES = ["sources", "relations", "events", "indicators", "actors", "code_uses", "documentary_passages"]
LEVELS = {"digital_model", "digital_shadow", "digital_twin", "not_a_twin"}


def test_every_judgement_has_evidence_that_exists():
    frame = load_table("framework")
    known = set()
    for name in EVIDENCE_TABLES:
        table = load_table(name)
        known |= set(table["id"])
    for row in frame.itertuples():
        assert row.evidence_ids, row.id
        missing = [e for e in row.evidence_ids if e not in known]
        assert not missing, (row.id, missing)


def test_framework_values_follow_the_typologies():
    frame = load_table("framework")
    levels = frame[frame["analysis"] == "integration"]
    assert set(levels["value"]) <= LEVELS
    blueprint = frame[frame["analysis"] == "blueprint"]
    assert (blueprint["element"] == "offre focale").sum() == 1
    ids = set(blueprint["id"])
    assert all(set(links) <= ids for links in blueprint["links_to"].dropna())
    assert frame.loc[frame["risk"].notna(), "analysis"].eq("blueprint").all()
    access = frame[frame["analysis"] == "access_control"]
    assert set(access["element"]) == {"accès", "contrôle"}
    assert (access.groupby("object")["element"].nunique() == 2).all()
