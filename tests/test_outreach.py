"""The outreach kit: the tracker follows the sampling plan, the schedule is checked, and the
one-page presentation really is one page."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from compendium import load_table
from compendium.fieldwork.interviews import sampling_plan
from compendium.fieldwork.outreach import build_presentation, schedule_figure, schedule_problems
from conftest import ROOT


def test_tracker_rows_follow_the_sampling_plan():
    tracker, actors, relations = load_table("fieldwork"), load_table("actors"), load_table("relations")
    names = actors.set_index("id")["name"]
    kinds = actors.set_index("id")["kind"]
    for case in ("rennes", "territoire"):
        plan = sampling_plan(actors, relations, case).set_index("organisation")
        mine = tracker[tracker["case"] == case]
        for row in mine.itertuples():
            expected = "prioritaire" if plan.loc[names[row.actor_id], "priorité"] else "secondaire"
            assert row.priority == expected, row.id
        # every priority organisation of the plan has a row (groups of citizens or students are not organisations)
        wanted = {a for a in actors.loc[actors["case"] == case, "id"]
                  if names[a] in plan.index and plan.loc[names[a], "priorité"] and kinds[a] != "citoyens_usagers"}
        assert wanted <= set(mine["actor_id"]), wanted - set(mine["actor_id"])
    assert (tracker["status"] == "a_contacter").all()
    assert tracker["actor_id"].is_unique


def test_schedule_problems_are_reported_in_french_and_stop_the_figure():
    schedule = load_table("fieldwork_schedule")
    assert schedule_problems(schedule) == []
    assert len(schedule_figure(schedule, "t").data[0].y) == len(schedule)
    bad = pd.concat([schedule, pd.DataFrame([{"id": "s99", "phase": "x", "start_month": 4, "end_month": 2,
                                              "description": "x"}])])
    assert schedule_problems(bad) == ["data/fieldwork/schedule.csv, phase s99 : le mois de fin (2) précède le mois "
                                      "de début (4)"]
    with pytest.raises(ValueError):
        schedule_figure(bad, "t")


@pytest.mark.skipif(shutil.which("xelatex") is None or shutil.which("pdfinfo") is None, reason="XeLaTeX absent")
def test_presentation_is_a_one_page_pdf_without_names(tmp_path):
    (tmp_path / "chapters" / "terrain").mkdir(parents=True)
    shutil.copy(ROOT / "chapters/terrain/presentation-etude.tex", tmp_path / "chapters/terrain")
    assert build_presentation(tmp_path) == 0
    pdf = tmp_path / "_build" / "presentation-etude.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rennes" in text and "[adresse" in text and "@" not in text


def test_the_tracker_and_the_groups_account_for_every_priority_of_the_plan():
    """The contact page counts the tracker's priorities « selon le plan d'échantillonnage »: with
    the groups it names (students, residents: no row of their own), they are the plan's."""
    from compendium.fieldwork.outreach import groups_outside_tracker, groups_sentence

    tracker, actors, relations = load_table("fieldwork"), load_table("actors"), load_table("relations")
    groups = groups_outside_tracker(tracker, actors, relations)
    plans = sum(int(sampling_plan(actors, relations, case)["priorité"].sum()) for case in ("rennes", "territoire"))
    assert int((tracker["priority"] == "prioritaire").sum()) + len(groups) == plans
    assert groups == ["Étudiants des projets de web sémantique (EMSE / master CPS2)"]
    assert groups_sentence(groups).startswith("Le plan retient aussi un groupe qui n'a pas de ligne propre, "
                                              "«\u202fÉtudiants des projets de web")
    assert groups_sentence([]) == ""
    assert "2\u202fgroupes qui n'ont pas de ligne propre, «\u202fA\u202f» et «\u202fB\u202f»\u202f: on les" in \
        groups_sentence(["A", "B"])


def test_every_coded_value_of_the_interview_table_has_its_french_label():
    """The interview listing showed « chef_de_projet », « presentiel » and « 2027-02 »: each value
    the schema allows for the role and the mode has the words the book prints."""
    import json

    from compendium.fieldwork.interviews import MODE_LABELS, ROLE_CATEGORY_LABELS

    package = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "interviews" for f in r["schema"]["fields"]}
    assert set(fields["role_category"]["constraints"]["enum"]) == set(ROLE_CATEGORY_LABELS)
    assert set(fields["mode"]["constraints"]["enum"]) == set(MODE_LABELS)
    assert all("_" not in label for label in [*ROLE_CATEGORY_LABELS.values(), *MODE_LABELS.values()])
