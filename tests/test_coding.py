"""Coding analytics: reliability coefficients against published values and an independent
implementation, frequencies and co-occurrence on known data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compendium.cases.coding import (cohen_kappa, cooccurrence, frequencies, krippendorff_alpha_nominal, presence,
                               reliability, verdict)

NAN = np.nan
#: Krippendorff's worked example (4 coders × 12 units, nominal): α = 0.743.
KRIPPENDORFF_EXAMPLE = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


def test_alpha_matches_the_published_example():
    assert krippendorff_alpha_nominal(KRIPPENDORFF_EXAMPLE) == pytest.approx(0.743, abs=5e-4)


def test_alpha_matches_the_krippendorff_package():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(42)
    for _ in range(20):
        data = rng.integers(0, 4, size=(3, 40)).astype(float)
        data[rng.random(data.shape) < 0.15] = NAN
        assert krippendorff_alpha_nominal(data) == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9)


def test_alpha_edge_cases():
    assert krippendorff_alpha_nominal(np.array([[1, 1, 1], [1, 1, 1]])) != krippendorff_alpha_nominal(
        np.array([[1, 0, 1], [1, 1, 1]]))
    assert np.isnan(krippendorff_alpha_nominal(np.array([[1, 1], [1, 1]])))  # no variation
    assert krippendorff_alpha_nominal(np.array([[0, 1, 0, 1], [0, 1, 0, 1]])) == 1.0


def test_kappa_on_a_hand_computed_table():
    # 10 units: agree on 4 × "1" and 4 × "0", disagree twice → p_o = 0.8, p_e = 0.5, κ = 0.6
    a = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0])
    b = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 1])
    assert cohen_kappa(a, b) == pytest.approx(0.6)


def test_verdicts_follow_the_thresholds():
    assert verdict(0.81) == "fiable"
    assert verdict(0.70) == "conclusions provisoires seulement"
    assert verdict(0.5) == "insuffisant"


SEGMENTS = pd.DataFrame([
    {"document_id": "d1", "code_id": "x", "coder": "c1"},
    {"document_id": "d1", "code_id": "y", "coder": "c1"},
    {"document_id": "d2", "code_id": "x", "coder": "c1"},
    {"document_id": "d1", "code_id": "x", "coder": "c2"},
    {"document_id": "d2", "code_id": "y", "coder": "c2"},
    {"document_id": "d3", "code_id": "x", "coder": "c2"},
])
DOCUMENTS = pd.DataFrame([{"id": "d1", "case": "a"}, {"id": "d2", "case": "a"}, {"id": "d3", "case": "b"}])


def test_presence_frequencies_cooccurrence():
    assert presence(SEGMENTS).loc["d1"].tolist() == [1, 1]
    freq = frequencies(SEGMENTS, DOCUMENTS, "case")
    assert freq.loc["x", "a"] == 2 and freq.loc["x", "b"] == 1 and freq.loc["y", "a"] == 2
    co = cooccurrence(SEGMENTS)
    assert co.loc["x", "y"] == 2 and co.loc["x", "x"] == 3


def test_reliability_table():
    table = reliability(SEGMENTS, ["d1", "d2", "d3"], ["x", "y"]).set_index("code")
    # code x: c1 = [1,1,0], c2 = [1,0,1]
    expected_x = krippendorff_alpha_nominal(np.array([[1, 1, 0], [1, 0, 1]], dtype=float))
    assert table.loc["x", "alpha"] == pytest.approx(expected_x)
    assert "ensemble" in table.index
    with pytest.raises(ValueError):
        reliability(SEGMENTS[SEGMENTS["coder"] == "c1"], ["d1"], ["x"])


def test_unknown_document_is_named():
    with pytest.raises(KeyError, match="d9"):
        frequencies(pd.concat([SEGMENTS, pd.DataFrame([{"document_id": "d9", "code_id": "x", "coder": "c1"}])]),
                    DOCUMENTS, "case")


def test_codebook_outline_and_the_codebook_page_with_imported_codes():
    """Imported codes are listed in tree order on the codebook page, « à définir » flagged."""
    import json

    from compendium import data
    from compendium.cases.coding import codebook_outline
    from conftest import ROOT

    grid = data.load_table("codebook", ROOT)
    imported = pd.DataFrame([
        {"id": "mobilite", "parent": None, "label": "Mobilité", "definition": "Déplacements.", "origin": ["inductif"],
         "project": "terrain"},
        {"id": "velo", "parent": "mobilite", "label": "Vélo", "definition": None, "origin": ["inductif"],
         "project": "terrain"},
        {"id": "sous_acteurs", "parent": "acteurs_roles", "label": "Sous-code", "definition": None,
         "origin": ["inductif"], "project": "terrain"},
    ])
    both = pd.concat([grid, imported], ignore_index=True)
    outline = codebook_outline(both, "terrain")
    assert list(outline["id"]) == ["mobilite", "velo", "sous_acteurs"]
    assert list(outline["depth"]) == [0, 1, 0]
    assert list(outline["definition"]) == ["Déplacements.", "à définir", "à définir"]
    assert outline["under"].iloc[2] == "Acteurs et rôles"
    assert len(codebook_outline(both)) == len(grid)
    # the page's cell runs on such a codebook
    nb = json.loads((ROOT / "chapters/annexes/grille-de-codage.ipynb").read_text(encoding="utf-8"))
    cell = next("".join(c["source"]) for c in nb["cells"] if "codebook_outline" in "".join(c["source"]))
    shown = []
    namespace = {"codebook": grid, "imported": imported, "display": shown.append,
                 "Markdown": lambda text: text, "show_table": shown.append}
    exec(compile(cell, "grille-de-codage", "exec"), namespace)
    assert "### Projet « terrain »\n\n3 codes importés, dont 2 codes à définir." in shown


# --- coding on passages of the sources themselves -------------------------------------------

def test_passage_anchors_are_short_verbatim_and_tied_to_their_passage():
    from compendium import load_table
    from compendium.cases.coding import is_passage_segment

    passages = load_table("documentary_passages").set_index("id")
    segments = load_table("documentary_segments")
    assert (passages["anchor"].str.split().str.len() <= 30).all()
    mine = segments[is_passage_segment(segments)]
    assert len(mine) > 0 and set(mine["coder"]) <= {"ia-codeur-a", "ia-codeur-b"}
    for row in mine.itertuples():
        passage = passages.loc[row.locator]
        assert row.document_id == passage["document_id"], row.id
        assert row.anchor == passage["anchor"] and row.location == passage["location"], row.id
        assert len(row.anchor.split()) <= 30, row.id
    # the summary-based rows carry no anchor
    assert segments.loc[~is_passage_segment(segments), "anchor"].isna().all()


def test_passage_reliability_waits_for_the_second_coder_then_measures_per_passage():
    import pandas as pd
    from compendium.cases.coding import passage_reliability

    passages = pd.DataFrame({"id": [f"pass-{i:04d}" for i in range(1, 9)], "document_id": ["d1"] * 8})
    a = pd.DataFrame({"id": [f"s{i}" for i in range(8)], "document_id": "d1",
                      "code_id": ["x", "x", "x", "x", "y", "y", "y", "y"], "coder": "ia-codeur-a",
                      "locator": list(passages["id"])})
    assert passage_reliability(a, passages, ["x", "y"]) is None
    same = pd.concat([a, a.assign(coder="ia-codeur-b")])
    table = passage_reliability(same, passages, ["x", "y"]).set_index("code")
    assert table.loc["ensemble", "alpha"] == 1.0 and table.loc["x", "passages codés"] == 4
    # coder b swaps the code on two passages: all within one document, which a document-level
    # measure would not see, but the passage-level one does
    b = a.assign(coder="ia-codeur-b").copy()
    b.loc[[0, 4], "code_id"] = ["y", "x"]
    table = passage_reliability(pd.concat([a, b]), passages, ["x", "y"]).set_index("code")
    assert table.loc["ensemble", "alpha"] < 0.8


def test_coreq_labels_the_documentary_coding_as_a_precoding_and_counts_only_solicited_refusals():
    from compendium import load_table
    from compendium.fieldwork.reporting import coreq_status

    empty = load_table("interviews").iloc[0:0]
    fieldwork = pd.DataFrame({"id": ["rennes-t001", "rennes-t002"], "status": ["a_contacter", "refus"],
                              "approach": [None, "courriel"]})
    status = coreq_status(empty, load_table("interview_segments"), load_table("codebook"), fieldwork,
                          load_table("documentary_segments"))
    assert "pré-codage" in status[24] and "logiciel d'analyse qualitative" in status[24]
    assert status[13] == "1 refus sur 1 organisation sollicitée"
    status = coreq_status(empty, load_table("interview_segments"), load_table("codebook"), fieldwork.iloc[:1])
    assert status[13].startswith("aucune organisation sollicitée")


def _passage_frames():
    """A small grid (two dimensions), three sources in two cases, five passages, two coders."""
    codebook = pd.DataFrame({"id": ["gov", "gov_a", "gov_b", "dat", "dat_a"],
                             "parent": [None, "gov", "gov", None, "dat"],
                             "label": ["Gouvernance", "A", "B", "Données", "C"]})
    sources = pd.DataFrame({"id": ["r1", "r2", "r3", "t1"], "case": ["r", "r", "r", "t"],
                            "publisher": "P", "url": "https://x", "published": None})
    passages = pd.DataFrame({"id": [f"pass-{i:04d}" for i in range(1, 6)],
                             "document_id": ["r1", "r1", "r2", "t1", "t1"]})
    rows = [  # (coder, passage, code)
        ("ia-codeur-a", "pass-0001", "gov_a"), ("ia-codeur-b", "pass-0002", "gov_a"),  # agreed on r1, other passage
        ("ia-codeur-a", "pass-0001", "dat_a"),                                          # only coder a
        ("ia-codeur-a", "pass-0003", "gov_b"),                                          # r2: coder b not yet there
        ("ia-codeur-a", "pass-0004", "dat_a"), ("ia-codeur-b", "pass-0004", "dat_a"),  # agreed on t1
        ("ia-codeur-b", "pass-0005", "gov_b"),
    ]
    doc = passages.set_index("id")["document_id"]
    segments = pd.DataFrame([{"id": f"s{i}", "document_id": doc[p], "code_id": c, "coder": coder, "locator": p}
                             for i, (coder, p, c) in enumerate(rows)])
    # a summary-based row on the same source never counts for the passage coding
    segments = pd.concat([segments, pd.DataFrame([{"id": "old", "document_id": "r3", "code_id": "gov_a",
                                                   "coder": "assistant-1", "locator": "résumé"}])])
    return codebook, sources, passages, segments


def test_passage_evidence_counts_a_pair_when_both_coders_put_the_code_on_the_source():
    from compendium.cases.coding import passage_evidence

    _, _, _, segments = _passage_frames()
    both = passage_evidence(segments)
    assert list(map(tuple, both.to_numpy())) == [("r1", "gov_a"), ("t1", "dat_a")]
    either = passage_evidence(segments, rule="either")
    assert list(map(tuple, either.to_numpy())) == [("r1", "dat_a"), ("r1", "gov_a"), ("r2", "gov_b"),
                                                   ("t1", "dat_a"), ("t1", "gov_b")]
    # with one coder only there is no agreed pair at all
    assert passage_evidence(segments[segments["coder"] != "ia-codeur-b"]).empty
    with pytest.raises(ValueError):
        passage_evidence(segments, rule="most")


def test_passage_bases_and_matrix_count_agreed_sources_over_the_doubly_coded_ones():
    from compendium.cases.coding import passage_bases, passage_matrix

    codebook, sources, passages, segments = _passage_frames()
    double, covered = passage_bases(segments, passages, sources)
    assert list(double["id"]) == ["r1", "t1"] and list(covered["id"]) == ["r1", "r2", "t1"]
    matrix = passage_matrix(segments, passages, codebook, sources, ["r", "t"],
                            lambda ids: ",".join(ids)).set_index("dimension")
    # r1 agreed on governance, over the one doubly-coded Rennes-like source; r1 and r2 with either coder,
    # over the two sources of the case that have passages (r3 has none)
    assert matrix.loc["Gouvernance", "r"] == "1 / 1 (100\u202f%) ; un seul codeur suffit : 2 / 2 — r1"
    assert matrix.loc["Données", "r"] == "0 / 1 (0\u202f%) ; un seul codeur suffit : 1 / 2"
    assert matrix.loc["Données", "t"] == "1 / 1 (100\u202f%) ; un seul codeur suffit : 1 / 1 — t1"
    assert matrix.loc["Gouvernance", "t"] == "0 / 1 (0\u202f%) ; un seul codeur suffit : 1 / 1"


def test_passage_reliability_leaves_out_the_sources_a_coder_has_not_reached():
    from compendium.cases.coding import passage_reliability

    codebook, _, passages, segments = _passage_frames()
    table = passage_reliability(segments, passages, ["gov_a", "gov_b", "dat_a"]).set_index("code")
    # units: the four passages of r1 and t1; pass-0003 of r2 (coder b not there yet) is not one,
    # so its code counts nowhere: five coded (passage, code) cells, not six
    assert table.loc["ensemble", "passages codés"] == 5
    assert table.loc["gov_b", "passages codés"] == 1 and table.loc["dat_a", "passages codés"] == 2


def test_grid_sentence_reads_right_for_any_count():
    from compendium.cases.coding import grid_sentence

    assert grid_sentence(45, 7, 0) == (
        "La grille compte 45\u202fcodes : 7\u202fracines et 38\u202fcodes enfants. Aucun code n'est d'origine "
        "inductive à ce stade : tous sont déduits de la littérature et pourront être complétés par des codes "
        "inductifs au fil du codage.")
    assert "1\u202fcode est d'origine inductive à ce stade ; les autres sont déduits" in grid_sentence(45, 7, 1)
    assert "3\u202fcodes sont d'origine inductive" in grid_sentence(45, 7, 3)
    assert grid_sentence(45, 7, 44).endswith("44\u202fcodes sont d'origine inductive à ce stade ; l'autre est "
                                             "déduit de la littérature et pourra être complété par des codes "
                                             "inductifs au fil du codage.")
    assert grid_sentence(2, 1, 2).endswith("1\u202fracine et 1\u202fcode enfant. Tous les codes sont d'origine "
                                           "inductive à ce stade.")
    # the codes imported with coded projects are counted apart, not denied by «aucun code inductif»
    with_imports = grid_sentence(45, 7, 0, 337)
    assert "Aucun code n'est d'origine inductive dans la grille" in with_imports
    assert with_imports.endswith("S'y ajoutent 337\u202fcodes importés des projets d'analyse qualitative, listés plus bas.")


def test_codes_read_as_a_list_with_their_origin_cited():
    """One entry per code (a table of six text columns ran off the PDF page): label and
    identifier, definition (« à définir » when empty), the criteria given, origin as citations."""
    import pandas as pd

    from compendium.cases.coding import codes_markdown

    codes = pd.DataFrame([
        {"id": "coop_x", "label": "Complémentarités", "definition": "Liens de valeur.", "include": "Un acteur dit…",
         "exclude": None, "example": "Un développeur…", "origin": ["Adner2010Value", "Amit2001Value"]},
        {"id": "coop_y", "label": "Code neuf", "definition": None, "include": None, "exclude": None, "example": None,
         "origin": ["inductif"]},
    ])
    assert codes_markdown(codes) == (
        "**Complémentarités** (`coop_x`)\n: Liens de valeur.\n\n  - *inclure si* : Un acteur dit…\n"
        "  - *exemple de situation* : Un développeur…\n  - *origine* : {cite:alp}`Adner2010Value,Amit2001Value`\n\n"
        "**Code neuf** (`coop_y`)\n: *à définir*\n\n  - *origine* : inductif\n")


def test_comparison_clause_reads_right_for_any_count():
    """The sentence comparing the coding on summaries with the coding on passages agrees its
    verbs with each count (it typed «des N (source, code) … se retrouvent» before)."""
    from compendium.cases.coding import comparison_clause

    n = "\u202f"
    assert comparison_clause(12, 20, 15, 30) == (
        f"12 des 20{n}couples (source, code) retenus sur résumés se retrouvent dans le pré-codage commun sur "
        f"passages (15 si un seul codeur de passages suffit), et 30{n}couples n'apparaissent que sur les passages")
    assert comparison_clause(1, 20, 3, 1).startswith(f"1 des 20{n}couples (source, code) retenus sur résumés se retrouve dans")
    assert comparison_clause(1, 20, 3, 1).endswith(f"et 1{n}couple n'apparaît que sur les passages")
    assert comparison_clause(0, 20, 0, 0) == (
        f"aucun des 20{n}couples (source, code) retenus sur résumés ne se retrouve dans le pré-codage commun sur "
        "passages (0 si un seul codeur de passages suffit), et aucun couple n'apparaît sur les seuls passages")
    assert comparison_clause(0, 1, 0, 2).startswith("le seul couple (source, code) retenu sur résumés ne se retrouve pas dans")
    assert comparison_clause(0, 0, 0, 5) == (f"aucun couple (source, code) n'est retenu sur résumés, et 5{n}couples "
                                             "n'apparaissent que sur les passages")


def test_coreq_counts_read_right_for_one_interview_and_for_several():
    from compendium import load_table
    from compendium.fieldwork.reporting import coreq_status

    def status(n: int) -> dict[int, str]:
        interviews = pd.DataFrame({"id": [f"RNS-COL-{i + 1:02d}" for i in range(n)], "case": ["rennes"] * n,
                                   "actor_kind": ["COL"] * n, "mode": ["visio"] * n, "consent": ["complet"] * n,
                                   "duration_min": [60.0] * n})
        segments = pd.DataFrame({"coder": ["codeur-a"] * n, "quote": ["citation approuvée"] * n})
        return coreq_status(interviews, segments, load_table("codebook"), pd.DataFrame())

    one, two = status(1), status(2)
    assert (one[12], one[19]) == ("1\u202fentretien", "1\u202fentretien enregistré sur 1")
    assert one[29].startswith("1\u202fcitation approuvée, identifiée par")
    assert one[24].startswith("entretiens : 1\u202fcodeur")
    assert (two[12], two[19]) == ("2\u202fentretiens", "2\u202fentretiens enregistrés sur 2")
    assert two[29].startswith("2\u202fcitations approuvées, identifiées par")


def test_a_share_is_rounded_once_and_alike_in_the_text_and_the_figure():
    """13 of 79 sources is 16.46 %: the cross-case text printed « 17 % » (the share rounded to
    16.5 first, then half up) while its heatmap cell read « 16 »."""
    from compendium.cases.coding import shares_by_case
    from compendium.figures import heatmap
    from compendium.prose import format_quantity

    sources = pd.DataFrame({"id": [f"s{i}" for i in range(80)], "case": ["a"] * 79 + ["b"]})
    evidence = pd.DataFrame({"document_id": [f"s{i}" for i in range(13)] + ["s79"],
                             "code_id": ["c"] * 13 + ["d"]})
    shares = shares_by_case(evidence, sources).fillna(0)
    assert shares.loc["c", "a"] == pytest.approx(100 * 13 / 79)
    fig = heatmap(shares, "t", "%")
    cell = fig.data[0].text[list(shares.index).index("c")][list(shares.columns).index("a")]
    assert format_quantity(shares.loc["c", "a"], "%") == "16\u202f%" and cell == "16"
    # halves go up in both, as the prose rounds them: 52.5 is « 53 »
    half = heatmap(pd.DataFrame({"a": [52.5]}, index=["c"]), "t", "%")
    assert half.data[0].text[0][0] == "53" and "53" in half.data[0].customdata[0][0]


def test_coreq_items_say_the_tables_values_in_words():
    """Once interviews existed, item 16 printed a Python tuple («('rennes', 'COL') : 1»), item 14
    the raw values («presentiel : 1»), item 19 counted only «complet» as recorded (a
    «sans_citation» interview is recorded), and item 25 counted the projects' codes in the grid."""
    from compendium import load_table
    from compendium.fieldwork.reporting import coreq_status

    interviews = pd.DataFrame({"id": ["RNS-COL-01", "RNS-DON-01", "TER-REC-01"],
                               "case": ["rennes", "rennes", "territoire"], "actor_kind": ["COL", "DON", "REC"],
                               "mode": ["presentiel", "visio", "telephone"],
                               "consent": ["complet", "sans_citation", "sans_enregistrement"],
                               "duration_min": [60.0, 45.0, 30.0]})
    segments = pd.DataFrame({"coder": ["codeur-01"], "quote": [None]})
    codebook = load_table("codebook")
    grid = len(codebook)
    imported = pd.DataFrame({"id": ["projet_a", "projet_b"], "parent": [None, "projet_a"], "project": ["p", "p"]})
    status = coreq_status(interviews, segments, pd.concat([codebook, imported], ignore_index=True), pd.DataFrame())
    assert "(" not in status[16] and "'" not in status[16]
    assert status[16].startswith("Rennes, collectivité : 1 ; Rennes, ")
    assert status[14] == "en présentiel : 1 ; en visioconférence : 1 ; par téléphone : 1"
    assert status[19] == "2\u202fentretiens enregistrés sur 3"
    assert status[25].startswith(f"grille de {grid}\u202fcodes dont ") and status[25].endswith(
        "2\u202fcodes importés des projets codés")
