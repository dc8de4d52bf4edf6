"""Case data hold together, and the case analytics compute what they claim."""

from __future__ import annotations

import re

import datetime as dt

import pandas as pd
import pytest

from compendium import data
from compendium.cases.ecosystem import case_graph, centrality
from compendium.cases.secondary import chronology, interested_only, plot_date, source_links, sources_by_period
from conftest import ROOT


@pytest.fixture(scope="module")
def tables():
    return {name: data.load_table(name, ROOT) for name in ("sources", "actors", "relations", "events", "indicators")}


def test_every_actor_appears_in_a_relation_or_an_event(tables):
    used = set(tables["relations"]["from_actor"]) | set(tables["relations"]["to_actor"])
    used |= {a for ids in tables["events"]["actor_ids"].dropna() for a in ids}
    orphans = sorted(set(tables["actors"]["id"]) - used)
    assert not orphans, f"acteurs sans relation ni événement (data/secondary/actors.csv) : {orphans}"


def test_every_source_is_used(tables):
    cited = set()
    for name in ("actors", "relations", "events", "indicators"):
        cited |= {s for ids in tables[name]["source_ids"] for s in ids}
    cited |= set(data.load_table("code_uses", ROOT)["source_id"])
    unused = sorted(set(tables["sources"]["id"]) - cited)
    assert not unused, f"sources jamais citées (data/secondary/sources.csv) : {unused}"


def test_ids_carry_their_case(tables):
    for name in ("sources", "relations", "events", "indicators"):
        frame = tables[name]
        wrong = frame[[not i.startswith(c + "-") for i, c in zip(frame["id"], frame["case"])]]
        assert wrong.empty, f"{name} : identifiants qui ne commencent pas par leur cas : {list(wrong['id'])}"


def test_enough_public_sources_for_rennes(tables):
    rennes = tables["sources"][tables["sources"]["case"] == "rennes"]
    assert len(rennes) >= 30
    years = rennes["published"].dropna().map(lambda d: int(d[:4]))
    assert years.min() <= 2010 and years.max() >= 2021


def toy():
    actors = pd.DataFrame([
        {"id": "a", "name": "A", "kind": "collectivite", "helix": "public", "case": "x", "roles": ["orchestrator"]},
        {"id": "b", "name": "B", "kind": "pme_startup", "helix": "private", "case": "x", "roles": ["complementor"]},
        {"id": "c", "name": "C", "kind": "pme_startup", "helix": "private", "case": "x", "roles": ["complementor"]},
        {"id": "d", "name": "D", "kind": "recherche_enseignement", "helix": "academia", "case": "x", "roles": ["research"]},
    ])
    relations = pd.DataFrame([
        {"id": "x-r1", "from_actor": "a", "to_actor": "b", "kind": "contract", "case": "x"},
        {"id": "x-r2", "from_actor": "a", "to_actor": "c", "kind": "contract", "case": "x"},
        {"id": "x-r3", "from_actor": "a", "to_actor": "c", "kind": "funding", "case": "x"},
        {"id": "x-r4", "from_actor": "c", "to_actor": "d", "kind": "partnership", "case": "x"},
    ])
    return actors, relations


def test_centrality_on_a_known_graph():
    actors, relations = toy()
    graph = case_graph(actors, relations, "x")
    table = centrality(graph).set_index("id")
    # a-b, a-c (twice), c-d: a and c each lie on the paths between the other pairs
    assert table.loc["a", "relations"] == 3 and table.loc["a", "partenaires"] == 2
    assert table.loc["c", "partenaires"] == 2
    assert table.loc["a", "intermédiarité"] == pytest.approx(2 / 3, abs=1e-3)  # b–c, b–d
    assert table.loc["c", "intermédiarité"] == pytest.approx(2 / 3, abs=1e-3)  # a–d, b–d
    assert table.loc["b", "intermédiarité"] == 0
    assert table.loc["a", "degré"] == pytest.approx(2 / 3, abs=1e-3)


def test_partial_dates_are_placed_at_their_middle():
    assert plot_date("1999") == dt.date(1999, 7, 1)
    assert plot_date("2018-02") == dt.date(2018, 2, 15)
    assert plot_date("2018-02-02") == dt.date(2018, 2, 2)


def test_chronology_orders_and_separates_undated():
    events = pd.DataFrame([
        {"id": "x-e2", "date": "2018-02", "case": "x", "title": "b", "description": "", "source_ids": ["s"]},
        {"id": "x-e1", "date": "2018", "case": "x", "title": "a", "description": "", "source_ids": ["s"]},
        {"id": "x-e3", "date": None, "case": "x", "title": "c", "description": "", "source_ids": ["s"]},
    ])
    dated, undated = chronology(events, "x")
    assert list(dated["id"]) == ["x-e2", "x-e1"]  # February before the middle of the year
    assert list(dated["quand"]) == ["février 2018", "2018"]
    assert list(undated["id"]) == ["x-e3"]


def test_vendor_only_facts_are_flagged():
    sources = pd.DataFrame([{"id": "v", "kind": "vendor"}, {"id": "p", "kind": "press"}])
    facts = pd.DataFrame([{"id": 1, "source_ids": ["v"]}, {"id": 2, "source_ids": ["v", "p"]}])
    assert list(interested_only(facts, sources)["id"]) == [1]


def test_source_links_and_periods():
    sources = pd.DataFrame([
        {"id": "x-001", "case": "x", "publisher": "La [Tribune]", "url": "https://a", "published": "2018-02"},
        {"id": "x-002", "case": "x", "publisher": "Blog", "url": "https://b", "published": None},
        {"id": "x-003", "case": "x", "publisher": "GitHub (compte individuel)", "url": "https://c", "published": None},
    ])
    assert source_links(sources, ["x-001", "x-002"]) == "[La (Tribune), 2018](https://a) ; [Blog](https://b)"
    assert source_links(sources, ["x-003"]) == "dépôt de code individuel (x-003)"
    periods = sources_by_period(sources, "x")
    assert periods.to_dict("records") == [{"période": "2015–2019", "sources": 1}, {"période": "non datées", "sources": 2}]


CHAPTER_FILES = {"rennes": "chapters/cas/rennes.ipynb", "territoire": "chapters/cas/territoire.ipynb",
                 "croisee": "chapters/analyse/croisee.ipynb", "cas": "chapters/methode/cas.md"}


def _markdown(chapter: str) -> str:
    """The Markdown of a chapter: its Markdown cells one paragraph apart, or the Markdown page."""
    import json

    path = ROOT / CHAPTER_FILES[chapter]
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def _chapter_text(chapter: str) -> str:
    """The prose of a chapter, whitespace collapsed."""
    return " ".join(_markdown(chapter).split())


def test_every_claim_has_evidence_that_exists():
    claims = data.load_table("claims", ROOT)
    known = set()
    for name in ("sources", "events", "relations", "indicators", "actors", "code_uses"):
        known |= set(data.load_table(name, ROOT)["id"])
    problems = []
    for line, row in enumerate(claims.itertuples(), start=2):
        if not row.evidence_ids and row.status != "method":
            problems.append(f"data/secondary/claims.csv, ligne {line}, colonne « evidence_ids » : aucune preuve")
        for ev in row.evidence_ids or []:
            if ev not in known:
                problems.append(f"data/secondary/claims.csv, ligne {line}, colonne « evidence_ids » : « {ev} » inconnu")
    assert not problems, "\n".join(problems)


def test_a_sentence_that_counts_its_sources_in_words_matches_the_data():
    """«Une seule source … donne l'état de ce réseau» is typed, not computed: the facts its claim
    names must then cite one source in all, and that source must be the one the claim names."""
    claims = data.load_table("claims", ROOT)
    cited = {}
    for name in ("events", "indicators", "relations"):
        for row in data.load_table(name, ROOT).itertuples():
            cited[row.id] = set(row.source_ids)
    checked = 0
    for line, row in enumerate(claims.itertuples(), start=2):
        if not any("une seule source" in term.lower() for term in row.key_terms):
            continue
        facts = [e for e in row.evidence_ids if e in cited]
        sources = set().union(*(cited[f] for f in facts)) if facts else set()
        assert len(sources) == 1 and sources <= set(row.evidence_ids), (
            f"data/secondary/claims.csv, ligne {line} : la phrase dit « une seule source », mais les faits "
            f"{', '.join(facts)} en citent {len(sources)} ({', '.join(sorted(sources))}) ; réécrivez la phrase")
        checked += 1
    assert checked >= 1


def test_a_participle_typed_after_a_glued_count_agrees_with_it():
    """«{glue:text}`rennes_i013` soutenus»: the indicator's value comes with its noun in the right
    number, but the participle after it is typed. It agrees only while the value is 2 or more;
    the day the table says 1, the sentence must be rewritten, and this test says where."""
    from compendium.cases.secondary import SYMBOL_UNITS

    values = {row.id.replace("-", "_"): (row.value, row.unit)
              for row in data.load_table("indicators", ROOT).itertuples()}
    glued = re.compile(r"\{glue:text\}`((?:rennes|territoire)_i\d+)`[\s\u202f\u00a0]+(\w+)")
    plural_participle = re.compile(r"\w+(?:és|ées|us|ues|is|ies)")
    problems, checked = [], 0
    for chapter in ("rennes", "territoire"):
        for key, word in glued.findall(_markdown(chapter)):
            value, unit = values[key]
            if unit in SYMBOL_UNITS or not plural_participle.fullmatch(word):
                continue
            checked += 1
            if abs(float(value)) < 2:
                problems.append(f"{CHAPTER_FILES[chapter]} : « {key} {word} », mais l'indicateur vaut {value:g} ; "
                                "accordez la phrase au singulier")
    assert not problems, "\n".join(problems)
    assert checked >= 4


def test_every_claim_is_tied_to_its_chapter_text():
    """A claim's key terms occur in its chapter's prose, so the table follows the text."""
    claims = data.load_table("claims", ROOT)
    texts = {chapter: _chapter_text(chapter) for chapter in CHAPTER_FILES}
    missing = [f"data/secondary/claims.csv, ligne {line}, colonne « key_terms » : « {term} » absent de "
               f"{CHAPTER_FILES[row.chapter]}"
               for line, row in enumerate(claims.itertuples(), start=2)
               for term in row.key_terms if " ".join(term.split()) not in texts[row.chapter]]
    assert not missing, "\n".join(missing)


def _sentences(chapter: str) -> list[str]:
    """The sentences of a chapter's prose that may carry a claim: paragraphs split after « . ! ? »
    before a capital, a guillemet, an emphasis or a role; headings, labels, code fences, directive
    lines and tables left out; sentences under 40 characters (captions, list stubs) left out."""
    import re

    out = []
    for para in re.split(r"\n\s*\n", _markdown(chapter)):
        para = " ".join(para.split())
        if not para or para[0] in "#(|`:%<" or para.startswith("```"):
            continue
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ÝÉ«*{\[])", para) if len(s) > 40]
    return out


def test_every_sentence_of_the_case_chapters_is_in_the_claims_table():
    """Issue 10: every sentence of the case chapters, the cross-case chapter and the case method
    holds the key terms of a claim of its chapter: a fact with its evidence, or a sentence classed
    ``method`` (a definition, an announcement, a remark on the method, with no fact on the cases)."""
    claims = data.load_table("claims", ROOT)
    problems = []
    for chapter, path in CHAPTER_FILES.items():
        terms = [" ".join(t.split()) for row in claims[claims["chapter"] == chapter].itertuples() for t in row.key_terms]
        for sentence in _sentences(chapter):
            if not any(t in sentence for t in terms):
                problems.append(f"{path} : phrase sans affirmation dans data/secondary/claims.csv : « {sentence[:90]}… »")
    assert not problems, f"{len(problems)} phrase(s) :\n" + "\n".join(problems)


def test_every_chapter_has_claims():
    claims = data.load_table("claims", ROOT)
    assert set(claims["chapter"]) == set(CHAPTER_FILES)
    assert (claims["chapter"] == "rennes").sum() >= 30


def test_case_prose_glues_dates_with_their_preposition():
    """« en {glue:text}`rennes_e025` » would read « en 2 février 2018 »: the prose uses ``when_…``."""
    import re

    bad = []
    for chapter in ("rennes", "territoire", "croisee"):
        text = _chapter_text(chapter)
        bad += [f"{CHAPTER_FILES[chapter]} : « {m.group(0)} »"
                for m in re.finditer(r"\b(?:en|le|du|d'|depuis)\s*\{glue:text\}`[a-z]+_e\d{3}`", text)]
    assert not bad, "\n".join(bad)


def test_facts_resting_on_a_vendor_page_alone_include_relations():
    """The Rennes chapter isolates the facts whose only source is a vendor's page; a relation
    asserted by the contractor alone (Open, on its own page) is one of them, not only events
    and indicators."""
    from compendium import load_table
    from compendium.cases.secondary import interested_facts

    tables = {name: load_table(name) for name in ("events", "indicators", "relations", "actors", "sources")}
    flagged = interested_facts(tables["events"], tables["indicators"], tables["relations"], tables["actors"],
                               tables["sources"], "rennes")
    kinds = tables["sources"].set_index("id")["kind"]
    rel = tables["relations"]
    expected = {r.id for r in rel[rel["case"] == "rennes"].itertuples() if all(kinds[i] == "vendor" for i in r.source_ids)}
    assert expected and expected <= set(flagged["id"])
    row = flagged[flagged["id"] == "rennes-r030"].iloc[0]
    assert row["fait"].startswith("Open") and "→ Rennes Métropole" in row["fait"] and "fourniture de technologie" in row["fait"]
