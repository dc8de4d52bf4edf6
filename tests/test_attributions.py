"""Every claim Part I attributes to a work is checked in data/literature/attributions.csv.

The table follows the text: each citation of chapters 1–5 has a row for its chapter, each row's
key terms occur in that chapter's prose, each key is in references.bib, and the reading depth
recorded at check time is still the one readings.csv gives (so the table cannot go stale).
"""

from __future__ import annotations

import json

from compendium import data
from compendium.literature.review import cited_keys, read_bib
from conftest import ROOT

TABLE = "data/literature/attributions.csv"
CHAPTERS = {
    "01-jumeaux-numeriques": "chapters/cadre/01-jumeaux-numeriques.md",
    "02-ecosystemes-plateformes": "chapters/cadre/02-ecosystemes-plateformes.md",
    "03-territoires-villes-intelligentes": "chapters/cadre/03-territoires-villes-intelligentes.md",
    "04-enjeux-plateformes-territoriales": "chapters/cadre/04-enjeux-plateformes-territoriales.md",
    "05-cadre-analyse": "chapters/cadre/05-cadre-analyse.ipynb",
}
#: chapter 5 displays the propositions table: its citations are that chapter's
PROPOSITIONS = "data/literature/propositions.csv"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _chapter_text(chapter: str) -> str:
    """The prose of a Part I chapter (Markdown, or the Markdown cells of the notebook plus the
    propositions table it renders), whitespace collapsed."""
    path = ROOT / CHAPTERS[chapter]
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        text += "\n" + (ROOT / PROPOSITIONS).read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return _collapse(text)


def _rows():
    return list(enumerate(data.load_table("attributions", ROOT).itertuples(), start=2))


def test_every_citation_of_part_one_is_checked():
    checked = {(row.chapter, row.key) for _, row in _rows()}
    cited = cited_keys(ROOT)
    problems = []
    for chapter, page in CHAPTERS.items():
        for key in sorted(cited.get(page, set())):
            if (chapter, key) not in checked:
                problems.append(f"{TABLE} : aucune ligne pour « {key} », cité dans {page}")
    assert not problems, "\n".join(problems)


def test_every_checked_key_is_cited_in_its_chapter():
    cited = cited_keys(ROOT)
    problems = [f"{TABLE}, ligne {line}, colonne « key » : « {row.key} » n'est plus cité dans {CHAPTERS[row.chapter]}"
                for line, row in _rows() if row.key not in cited.get(CHAPTERS[row.chapter], set())]
    assert not problems, "\n".join(problems)


def test_key_terms_occur_in_the_chapter_text():
    texts = {chapter: _chapter_text(chapter) for chapter in CHAPTERS}
    problems = [f"{TABLE}, ligne {line}, colonne « key_terms » : « {row.key_terms} » absent de {CHAPTERS[row.chapter]}"
                for line, row in _rows() if _collapse(row.key_terms) not in texts[row.chapter]]
    assert not problems, "\n".join(problems)


def test_every_key_is_in_the_bibliography():
    entries = set(read_bib(ROOT).entries)
    problems = [f"{TABLE}, ligne {line}, colonne « key » : « {row.key} » absent de references.bib"
                for line, row in _rows() if row.key not in entries]
    assert not problems, "\n".join(problems)


def test_reading_depth_is_the_current_one():
    depth = dict(zip(*(data.load_table("readings", ROOT)[c] for c in ("key", "read"))))
    problems = [f"{TABLE}, ligne {line}, colonne « read » : « {row.read} », mais readings.csv donne "
                f"« {depth.get(row.key, 'aucune ligne')} » pour « {row.key} » : revoir la phrase et la ligne"
                for line, row in _rows() if depth.get(row.key) != row.read]
    assert not problems, "\n".join(problems)


def test_reduced_and_qualified_rows_say_what_was_done():
    """A verdict other than « supported » needs a note naming the correction or the qualifier."""
    problems = [f"{TABLE}, ligne {line}, colonne « note » : vide pour le statut « {row.status} »"
                for line, row in _rows() if row.status != "supported" and not str(row.note or "").strip()]
    assert not problems, "\n".join(problems)
