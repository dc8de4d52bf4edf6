"""The register of evidence (compendium.cases.evidence): what each id the book cites stands for."""

from __future__ import annotations

import re

from pathlib import Path

from compendium import data
from compendium.cases import evidence as E
from compendium.cases.secondary import INDIVIDUAL_ACCOUNT
from conftest import read_rows, set_cell, write_rows

E_ROOT = Path(__file__).resolve().parents[1]


def test_every_row_of_the_five_tables_is_in_the_register(project):
    register = E.elements(project)
    for table in E.TABLES:
        ids = list(data.load_table(table, project)["id"])
        assert [e.id for e in register.values() if e.table == table] == ids
    # an element the text cites by id has an id of that shape (an actor is named, not cited)
    cited = [i for i, e in register.items() if e.table != "actors"]
    assert all(E.ID_PATTERN.fullmatch(i) for i in cited), [i for i in cited if not E.ID_PATTERN.fullmatch(i)]


def test_an_actor_reads_with_its_nature_helix_roles_note_and_sources(project):
    set_cell(project / "data/secondary/actors.csv", 2, "roles", "funder")
    actors = data.load_table("actors", project).set_index("id")
    register = E.elements(project)
    first = actors.index[0]
    element = register[first]
    assert element.table == "actors" and element.kind == "acteur"
    assert element.text.startswith(f"*{actors.loc[first, 'name']}* : collectivité ; hélice : public ; rôle : financeur. ")
    assert element.source_ids == list(actors.loc[first, "source_ids"])
    dassault = register["dassault-systemes"].text
    assert "grande entreprise ; hélice : privé ; rôles : fournisseur de technologie, complémenteur." in dassault
    entry = E.register_markdown(register, "rennes", "actors")
    assert entry.startswith(f"{int((actors['case'] == 'rennes').sum())}\u202facteurs, dans l'ordre de `data/secondary/actors.csv`.")
    assert f"(preuve-{first})=\n**{first}** — " in entry and "Sources : " in entry
    assert "42\u202facteurs" in E.register_counts(E.elements(E_ROOT))  # the project's own count


def test_a_named_actor_links_to_its_entry():
    from compendium.cases.evidence_ids import register_ref

    assert register_ref("Rennes Métropole", "rennes-metropole") == "{ref}`Rennes Métropole <preuve-rennes-metropole>`"
    assert register_ref("A `b` <c>", "x") == "{ref}`A b c <preuve-x>`"  # no markup of its own


def test_a_source_reads_with_its_title_publisher_dates_and_address(project):
    sources = data.load_table("sources", project).set_index("id")
    element = E.elements(project)["rennes-001"]
    row = sources.loc["rennes-001"]
    assert element.url == row["url"] and element.host == "a-brest.net"
    assert f"*{row['title']}*" in element.text and row["publisher"] in element.text
    assert "publié le 22 janvier 2008" in element.text and "consulté le 29 novembre 2026" in element.text
    entry = E.register_markdown(E.elements(project), "rennes", "sources")
    assert f"(preuve-rennes-001)=\n**rennes-001** — {element.text} [a-brest.net]({row['url']})" in entry


def test_an_individual_repository_is_neither_named_nor_linked(project):
    sources = data.load_table("sources", project)
    personal = sources[sources["publisher"].str.contains(INDIVIDUAL_ACCOUNT, regex=False)]
    assert len(personal) >= 2
    register = E.elements(project)
    text = "\n".join(E.register_markdown(register, case, "sources") for case in E.CASE_LABELS)
    for row in personal.itertuples():
        assert register[row.id].url is None
        assert row.url not in text and row.title not in text
        assert f"**{row.id}** — dépôt de code d'un compte individuel" in text


def test_events_relations_and_indicators_read_with_names_dates_and_sources(project):
    register = E.elements(project)
    relation = register["rennes-r024"]
    assert "→ Rennes Métropole : financement, de 2019 à mai 2023." in relation.text
    assert "rennes-metropole" not in relation.text  # the actor's name, not its id
    event = register["rennes-e025"]
    assert event.text.startswith("2 février 2018 : *Lancement officiel du SPMD*.")
    assert event.source_ids == ["rennes-034", "rennes-032", "rennes-035", "rennes-033"]
    indicator = register["rennes-i042"]
    assert indicator.text.startswith("Producteurs opérant leur propre nœud RUDI : 1\u202fproducteur.")
    entry = E.register_markdown(register, "rennes", "indicators")
    assert "**rennes-i042** — " in entry and indicator.text + " Source : rennes-061." in entry


def test_dates_and_spans_read_right_at_every_precision():
    assert E.span("2012", "2014-12") == "de 2012 à décembre 2014"
    assert E.span("2012-04", "2014") == "d'avril 2012 à 2014"
    assert E.span("2013-10-09", "2014-03-01") == "du 9 octobre 2013 au 1er mars 2014"
    assert E.span("2019-08", "2023-10-03") == "d'août 2019 au 3 octobre 2023"
    assert E._until("2014") == "jusqu'en 2014" and E._until("2023-05") == "jusqu'en mai 2023"
    assert E._until("2014-03-03") == "jusqu'au 3 mars 2014"


def test_a_table_edit_reaches_the_register(project):
    set_cell(project / "data/secondary/events.csv", 2, "title", "Titre corrigé [sic] pour l'essai")
    first = data.load_table("events", project)["id"][0]
    text = E.register_markdown(E.elements(project), "rennes", "events")
    assert r"*Titre corrigé \[sic\] pour l'essai*" in text  # Markdown taken literally
    assert text.count("(preuve-") == int((data.load_table("events", project)["case"] == "rennes").sum())
    assert f"(preuve-{first})=" in text


def test_the_short_list_resolves_every_id_it_prints(project):
    register = E.elements(project)
    lines = E.cited_lines(register, ["rennes-e025", "rennes-040", "territoire-r006", "rennes-metropole", "rennes-r024"])
    ids = [i for i, _ in lines]
    assert ids == ["rennes-040", "rennes-e025", "rennes-r024", "territoire-r006"]  # sources first; an actor is left out
    for _, text in lines:
        assert set(E.linkable(text)) <= set(ids), text  # no id the list does not resolve
        assert not re.search(r"[*`\\]", text), text
    assert dict(lines)["rennes-040"].endswith("(123dok.net)")
    assert dict(lines)["rennes-e025"].startswith("événement — 2 février 2018 : Lancement officiel du SPMD.")


def test_ids_are_found_as_whole_words_only():
    text = "rennes-057, rennes-e025 ; (territoire-r006) mais pas xrennes-001, rennes-0012 ni rennes-001-b ni pass-0013"
    assert E.linkable(text) == ["rennes-057", "rennes-e025", "territoire-r006"]


def test_a_source_of_the_general_context_has_its_own_section(project):
    path = project / "data/secondary/sources.csv"
    rows = read_rows(path)
    general = list(rows[1])
    general[rows[0].index("id")], general[rows[0].index("case")] = "general-001", "general"
    general[rows[0].index("url")] = "https://example.org/contexte-general"
    write_rows(path, rows + [general])
    register = E.elements(project)
    assert "general-001" not in E.register_markdown(register, "rennes", "sources")
    others = E.other_cases_markdown(register)
    assert others.startswith("## Contexte général\n\n### Sources\n\n1\u202fsource")
    assert "(preuve-general-001)=\n**general-001** — " in others
    assert E.other_cases_markdown(E.elements(E_ROOT)) == ""  # the project's data: Rennes and Territoire only
    assert E.linkable("voir general-001") == ["general-001"]


def test_an_empty_group_reads_right_for_each_kind():
    assert E.register_markdown({}, "rennes", "sources").startswith("Aucune source pour ce cas")
    assert E.register_markdown({}, "rennes", "events").startswith("Aucun événement pour ce cas")
    assert E.register_markdown({}, "rennes", "relations").startswith("Aucune relation pour ce cas")
    assert E.register_markdown({}, "rennes", "indicators").startswith("Aucun indicateur pour ce cas")
    assert E.register_markdown({}, "rennes", "actors").startswith("Aucun acteur pour ce cas")
    assert set(E.NONE) == set(E.TABLES)


def test_the_register_writes_its_dates_in_french():
    """The notes of the tables enter the register as they are: a date typed there the ISO way
    (« certification du 2016-03-25 ») printed so in the book; notes write dates in words."""
    iso = re.compile(r"(?<![\w/.:-])\d{4}-\d{2}-\d{2}(?![\w/-])")
    found = [f"{e.id} : {iso.search(e.text)[0]}" for e in E.elements(E_ROOT).values() if iso.search(e.text)]
    assert found == [], found


def test_an_id_no_table_holds_is_named_before_the_build(tmp_path):
    """A mistyped id in a chapter («(rennes-099)») stayed plain text without a word: the evidence
    it meant could not be traced. It is now a remark, named with its file and line (and its cell
    in a notebook), that does not stop the build (a chapter may cite an element before its row is
    written); the ids the register holds pass."""
    from compendium.book.build import input_problems
    from compendium.cases.evidence import TABLES
    from compendium.cases.evidence_ids import REGISTER_TABLES
    from conftest import copy_project

    assert set(REGISTER_TABLES) == set(TABLES)
    root = copy_project(tmp_path)
    assert input_problems(root).errors == [] and input_problems(root).remarks == []
    page = root / "chapters/methode/cas.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines + ["", "Un fait (rennes-099), un autre (rennes-001), écrit en code : `rennes-098`.",
                                        "", "```", "rennes-097", "```"]) + "\n", encoding="utf-8")
    check = input_problems(root)
    assert check.errors == []
    assert check.remarks == [f"REMARQUE chapters/methode/cas.md, ligne {len(lines) + 2} : « rennes-099 » n'est "
                             "l'identifiant d'aucun élément de data/ (sources, acteurs, événements, relations, "
                             "indicateurs) : il reste du texte, sans lien vers le registre ; vérifiez-le, ou ajoutez "
                             "la ligne qui lui manque"]
