"""The literature: ``references.bib`` checked against the verification, reading and
screening tables, and the figures of the review method (PRISMA 2020 flow, concept matrix,
publications by year and type).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from compendium import data as _data
from compendium.literature import bibfile
from compendium.figures import EVERY_LABEL, PALETTE
from compendium.prose import count_clause, format_count, format_number

BIB = "references.bib"
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
#: bib field -> name used in verification.fields_seen
FIELD_NAMES = {"author": "author", "title": "title", "journal": "venue", "booktitle": "venue", "year": "year",
               "volume": "volume", "number": "number", "pages": "pages", "doi": "doi", "isbn": "isbn",
               "publisher": "publisher"}
TYPE_LABELS = {"article": "article", "book": "ouvrage", "incollection": "chapitre d'ouvrage",
               "inproceedings": "communication", "misc": "rapport ou document", "techreport": "rapport technique"}
CONCEPT_LABELS = {
    "ecosystem_business": "écosystème d'affaires", "ecosystem_innovation": "écosystème d'innovation",
    "platform": "plateforme", "platform_governance": "gouvernance de plateforme",
    "keystone_orchestrator": "clé de voûte, orchestrateur", "complementors": "complémenteurs",
    "value_creation_capture": "création et captation de valeur", "business_model": "modèle d'affaires",
    "network_effects": "effets de réseau", "smart_city": "ville intelligente",
    "territorial_innovation": "innovation territoriale", "digital_twin": "jumeau numérique",
    "urban_digital_twin": "jumeau numérique urbain", "data_governance": "gouvernance des données",
    "open_data": "données ouvertes", "data_intermediary": "intermédiaire de données",
    "trusted_third_party": "tiers de confiance", "interoperability": "interopérabilité",
    "cybersecurity": "cybersécurité", "public_policy": "politique publique",
    "case_study_method": "étude de cas", "qualitative_coding": "codage qualitatif",
    "reliability": "fiabilité inter-codeurs", "reporting_standard": "norme de compte rendu",
    "review_method": "méthode de revue",
    "technology_adoption": "adoption des technologies", "appropriation": "appropriation, structuration",
    "commons": "communs", "living_lab": "living lab", "innovation_intermediary": "intermédiaire d'innovation",
    "filiere": "filière",
}


CORPUS_LABELS = {"pages": "pages web publiques", "docs": "documentation de logiciels et d'éditeurs",
                 "code": "code public (recherche sémantique)", "issues": "tickets de dépôts publics",
                 "find_string": "code public (chaîne exacte)", "find_string (GitHub index)": "code public (chaîne exacte)",
                 "read_file": "lecture d'un fichier de code public",
                 "zotero": "import Zotero (autres méthodes)"}


@dataclass(frozen=True)
class BibProblem:
    """One problem of the bibliography: file, key, column (or bib field), what is wrong."""

    key: str
    message: str
    file: str = BIB
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, clé « {self.key} »"
        if self.column:
            where += f", {'champ' if self.file == BIB else 'colonne'} « {self.column} »"
        return f"{where} : {self.message}"


def read_bib(root: Path | None = None):
    """The parsed bibliography (pybtex); records the read for the build's freshness."""
    root = _data.project_root() if root is None else Path(root)
    _data.track_read(BIB)
    return bibfile.parse(root / BIB)


def bib_frame(root: Path | None = None) -> pd.DataFrame:
    """One row per entry: key, type, year, first author, title, venue, doi."""
    bib = read_bib(root)
    rows = []
    for key, entry in bib.entries.items():
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        rows.append({
            "key": key,
            "type": entry.type.lower(),
            "year": entry.fields.get("year"),
            "first_author": " ".join(persons[0].last_names) if persons else "",
            "title": entry.fields.get("title", ""),
            "venue": entry.fields.get("journal") or entry.fields.get("booktitle") or entry.fields.get("publisher", ""),
            "doi": entry.fields.get("doi"),
        })
    return pd.DataFrame(rows)


#: the page that renders data/literature/propositions.csv (its citations count as that page's)
PROPOSITIONS_PAGE = "chapters/cadre/05-cadre-analyse.ipynb"
PROPOSITION_LABELS = (("indicators", "Indicateurs observables"), ("rival", "Explication rivale"),
                      ("refutation", "Ce qui la réfuterait"))


def propositions_markdown(propositions: pd.DataFrame) -> str:
    """The research propositions as MyST Markdown: statement, then indicators, rival explanation and
    what would refute it (citation roles in the table are kept, the page renders them)."""
    blocks = []
    for row in propositions.itertuples(index=False):
        title = row.title.rstrip(".")
        lines = [f"**{row.id} — {title}.** {row.statement}", ""]
        lines += [f"- *{label}*\u00a0: {getattr(row, column)}" for column, label in PROPOSITION_LABELS]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def cited_keys(root: Path) -> dict[str, set[str]]:
    """Keys cited in each page of the book (``{cite:…}`…` `` roles in Markdown and notebooks, and in
    the propositions table, which :data:`PROPOSITIONS_PAGE` renders)."""
    from compendium.book.stamps import chapter_prose

    pattern = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")
    out: dict[str, set[str]] = {}
    texts: dict[str, list[str]] = {}
    for page, _, text in chapter_prose(root):
        texts.setdefault(page, []).append(text)
    for page, blocks in texts.items():
        text = re.sub(r"``.*?``", "", "\n".join(blocks), flags=re.S)  # examples in inline code are not citations
        keys = {k.strip() for m in pattern.finditer(text) for k in m.group(1).split(",")}
        if keys:
            out[page] = keys
    table = root / "data" / "literature" / "propositions.csv"
    if table.exists() and (root / PROPOSITIONS_PAGE).exists():
        text = table.read_text(encoding="utf-8")
        keys = {k.strip() for m in pattern.finditer(text) for k in m.group(1).split(",")}
        out.setdefault(PROPOSITIONS_PAGE, set()).update(keys)
    return out


VERIFICATION = "data/literature/verification.csv"
READINGS = "data/literature/readings.csv"
SCREENING = "data/literature/screening.csv"


def check_references(root: Path | None = None, strict: bool = True) -> list[BibProblem]:
    """Every problem of the bibliography, each naming its key, file and column.

    ``strict`` (``./run check-references`` and the tests on the committed bibliography) also
    reports what an import leaves to do: notices still « à vérifier », fields not seen on a
    public page, readings without summary, works not yet screened. Without it, only what
    stops the book is reported (duplicates, malformed DOI, keys cited but absent…)."""
    root = _data.project_root() if root is None else Path(root)
    bib = read_bib(root)
    problems: list[BibProblem] = []
    seen_doi: dict[str, str] = {}
    seen_title: dict[tuple[str, str], str] = {}
    verification = _data.load_table("verification", root)
    readings = _data.load_table("readings", root)
    screening = _data.load_table("screening", root)
    seen_fields: dict[str, set[str]] = {}
    pending = set(verification.loc[verification["evidence"] == "to_verify", "key"])
    for row in verification.itertuples():
        seen_fields.setdefault(row.key, set()).update(row.fields_seen if isinstance(row.fields_seen, list) else [])
    for key, entry in bib.entries.items():
        fields = {k.lower(): v for k, v in entry.fields.items()}
        if not fields.get("title"):
            problems.append(BibProblem(key, "titre manquant", column="title"))
        if strict and not fields.get("year"):
            problems.append(BibProblem(key, "année manquante (affichée « s. d. »)", column="year"))
        doi = fields.get("doi")
        if doi:
            if not DOI_RE.match(doi):
                problems.append(BibProblem(key, f"DOI mal formé « {doi} » (attendu 10.xxxx/…, sans https://doi.org/)",
                                           column="doi"))
            elif doi.lower() in seen_doi:
                problems.append(BibProblem(key, f"DOI « {doi} » déjà utilisé par « {seen_doi[doi.lower()]} »",
                                           column="doi"))
            else:
                seen_doi[doi.lower()] = key
        from compendium.literature.references import fold

        title = (fold(fields.get("title", "")), fields.get("year", ""))
        if title[0] and title in seen_title:
            problems.append(BibProblem(key, f"même titre et même année que « {seen_title[title]} »", column="title"))
        elif title[0]:
            seen_title[title] = key
        if not strict:
            continue
        if key not in seen_fields:
            problems.append(BibProblem(key, "aucune ligne de vérification", file=VERIFICATION, column="key"))
        elif key in pending:
            problems.append(BibProblem(key, "notice à vérifier (to_verify) : vérifiez-la sur une page publique, "
                                       "puis remplacez cette ligne par url, fields_seen, checked_on, evidence",
                                       file=VERIFICATION, column="evidence"))
        else:
            persons = {"author"} if entry.persons.get("author") else set()
            for f in sorted(set(fields) | persons):
                name = FIELD_NAMES.get(f)
                if name and name not in seen_fields[key]:
                    problems.append(BibProblem(key, f"champ « {f} » non vérifié (absent de fields_seen)",
                                               file=VERIFICATION, column="fields_seen"))
    for row in verification.itertuples() if strict else []:
        if row.evidence != "to_verify":
            for col in ("url", "fields_seen", "checked_on"):
                value = getattr(row, col)
                if value is None or (isinstance(value, float) and value != value) or value == [] or value == "":
                    problems.append(BibProblem(row.key, "cellule vide (obligatoire pour une notice vérifiée)",
                                               file=VERIFICATION, column=col))
    for key in sorted(set(verification["key"]) - set(bib.entries)):
        problems.append(BibProblem(key, "ligne sans entrée dans references.bib", file=VERIFICATION, column="key"))
    for key in sorted(set(readings["key"]) - set(bib.entries)):
        problems.append(BibProblem(key, "ligne sans entrée dans references.bib", file=READINGS, column="key"))
    if strict:
        for key in sorted(set(bib.entries) - set(readings["key"])):
            problems.append(BibProblem(key, "aucune ligne de lecture (ce qui a été lu)", file=READINGS, column="key"))
        for row in readings.itertuples():
            if row.key in bib.entries and (row.read == "not_read" or not isinstance(row.summary_fr, str)
                                           or not row.summary_fr.strip()):
                problems.append(BibProblem(row.key, "pas encore lue : indiquez ce qui a été lu (read) et un résumé "
                                           "dans vos mots (summary_fr)", file=READINGS, column="summary_fr"))
        screened = {k for k in screening["key"] if isinstance(k, str)}
        for key in sorted(set(bib.entries) - screened):
            problems.append(BibProblem(key, "aucune ligne de tri (PRISMA)", file=SCREENING, column="key"))
        for row in screening.itertuples():
            if row.decision == "to_verify":
                problems.append(BibProblem(row.key, f"notice {row.record_id} en attente : décision « to_verify » à "
                                           "remplacer par include ou une exclusion", file=SCREENING, column="decision"))
    cited_by_page = cited_keys(root)
    cited = set().union(*cited_by_page.values()) if cited_by_page else set()
    codebook = _data.load_table("codebook", root)
    origins = {k for ks in codebook["origin"] for k in ks if k != "inductif"}
    for key in sorted(set(bib.entries) - cited - origins) if strict else []:
        problems.append(BibProblem(key, "jamais citée dans le livre ni dans la grille de codage"))
    for page, keys in sorted(cited_by_page.items()):
        for key in sorted(keys - set(bib.entries)):
            problems.append(BibProblem(key, f"citée dans {page} mais absente de references.bib"))
    for key in sorted(origins - set(bib.entries)):
        problems.append(BibProblem(key, "citée dans data/coding/codebook.csv (origin) mais absente de references.bib"))
    return problems


def lint(root: Path | None = None) -> list[BibProblem]:
    """The strict checks (see :func:`check_references`)."""
    return check_references(root, strict=True)


#: bib field -> what a reader sees missing, for the « Références à vérifier » page
CHECKED_LABELS = {"author": "auteurs", "title": "titre", "venue": "revue ou ouvrage", "year": "année",
                  "volume": "volume", "number": "numéro", "pages": "pages", "doi": "DOI", "isbn": "ISBN",
                  "publisher": "éditeur"}


def to_verify(root: Path | None = None) -> pd.DataFrame:
    """One row per entry that still needs work: key, type, year, title and what it lacks
    (verification on a public page, fields not seen, identifier, reading, screening)."""
    root = _data.project_root() if root is None else Path(root)
    bib = read_bib(root)
    verification = _data.load_table("verification", root)
    readings = _data.load_table("readings", root).set_index("key")
    screening = _data.load_table("screening", root)
    seen: dict[str, set[str]] = {}
    for row in verification.itertuples():
        seen.setdefault(row.key, set()).update(row.fields_seen if isinstance(row.fields_seen, list) else [])
    pending = set(verification.loc[verification["evidence"] == "to_verify", "key"])
    decisions = dict(zip(screening["key"], screening["decision"]))
    rows = []
    for key, entry in bib.entries.items():
        fields = {k.lower(): v for k, v in entry.fields.items()}
        lacks = []
        if key not in seen:
            lacks.append("aucune vérification")
        elif key in pending:
            lacks.append("notice à vérifier sur une page publique")
        else:
            persons = {"author"} if entry.persons.get("author") else set()
            missing = [CHECKED_LABELS[FIELD_NAMES[f]] for f in sorted(set(fields) | persons)
                       if f in FIELD_NAMES and FIELD_NAMES[f] not in seen[key]]
            if missing:
                lacks.append("champs non vérifiés : " + ", ".join(dict.fromkeys(missing)))
        if not (fields.get("doi") or fields.get("isbn") or fields.get("url")):
            lacks.append("ni DOI, ni ISBN, ni adresse")
        if not fields.get("year"):
            lacks.append("année")
        if key not in readings.index or readings.loc[key, "read"] == "not_read":
            lacks.append("lecture et résumé")
        if decisions.get(key) in (None, "to_verify"):
            lacks.append("décision de tri")
        if lacks and (key in pending or key not in seen or decisions.get(key) in (None, "to_verify")
                      or any(x.startswith("champs") for x in lacks)):
            rows.append({"clé": key, "année": fields.get("year", "s. d."), "titre": fields.get("title", ""),
                         "à faire": " ; ".join(lacks)})
    return pd.DataFrame(rows, columns=["clé", "année", "titre", "à faire"])


# --------------------------------------------------------------------------- PRISMA 2020


def prisma_counts(screening: pd.DataFrame, search_log: pd.DataFrame) -> dict[str, int]:
    """Counts of the PRISMA 2020 flow, from the screening decisions actually recorded."""
    decisions = screening["decision"].value_counts()
    identified = len(screening)
    duplicates = int(decisions.get("duplicate", 0))
    screened = identified - duplicates
    excluded_scope = int(decisions.get("exclude_scope", 0))
    assessed = screened - excluded_scope
    unverifiable = int(decisions.get("exclude_unverifiable", 0))
    awaiting = int(decisions.get("to_verify", 0))
    included = int(decisions.get("include", 0))
    other = int(screening["record_id"].astype(str).str.startswith("Z-").sum())
    if assessed - unverifiable - awaiting != included:
        raise _data.DataError(f"{SCREENING} : les décisions ne s'additionnent pas ({assessed} examinées, "
                              f"{unverifiable} invérifiables, {awaiting} à vérifier, {included} incluses)")
    queries = int((~search_log["query_id"].astype(str).str.startswith("Z")).sum())
    return {"queries": queries, "identified": identified, "identified_other": other,
            "identified_search": identified - other, "duplicates": duplicates, "screened": screened,
            "excluded_scope": excluded_scope, "assessed": assessed, "excluded_unverifiable": unverifiable,
            "awaiting": awaiting, "included": included}


def prisma_sentences(counts: dict[str, int]) -> str:
    """The screening flow in French for any counts (Markdown: it names ``references.bib``)."""
    found = count_clause(counts["identified"], "Aucun travail n'a été repéré", "Sur {n} travail repéré",
                         "Sur {n} travaux repérés")
    steps = [
        count_clause(counts["duplicates"], "aucun doublon n'a été retiré", "{n} doublon a été retiré",
                     "{n} doublons ont été retirés"),
        count_clause(counts["excluded_scope"], "aucune notice n'a été écartée comme hors du sujet",
                     "{n} notice a été écartée comme hors du sujet", "{n} notices ont été écartées comme hors du sujet"),
        count_clause(counts["excluded_unverifiable"], "aucun travail n'a été exclu faute de pouvoir vérifier son "
                     "existence ou ses métadonnées", "{n} travail a été exclu faute de pouvoir vérifier son existence "
                     "ou ses métadonnées", "{n} travaux ont été exclus faute de pouvoir vérifier leur existence ou "
                     "leurs métadonnées"),
    ]
    kept = count_clause(counts["included"], "Aucun travail n'est retenu.",
                        "{n} travail est retenu ; il a une entrée dans `references.bib`.",
                        "{n} travaux sont retenus ; chacun a une entrée dans `references.bib`.")
    if counts["identified"] == 0:
        return f"{found}."
    return f"{found}, {steps[0]}, {steps[1]} et {steps[2]}. {kept}"


def prisma_figure(counts: dict[str, int]) -> go.Figure:
    """The PRISMA 2020 flow diagram (identification, screening, inclusion) drawn from ``counts``."""
    c = format_count
    n = format_number

    # Texts are broken into short lines so that each box holds its text on a 360-pixel phone.
    boxes = [  # (x0, y0, x1, y1, text)
        (0.05, 0.80, 0.55, 0.97, f"Travaux repérés<br>par {c(counts['queries'], 'requête')}<br>(n = {n(counts['identified'])})"
         if not counts.get("identified_other") else
         f"Repérés par {n(counts['queries'])}<br>{'requête' if counts['queries'] < 2 else 'requêtes'} (n = {n(counts['identified_search'])})<br>"
         f"et par d'autres<br>méthodes (n = {n(counts['identified_other'])})"),
        (0.62, 0.80, 0.98, 0.97, f"Doublons<br>retirés<br>(n = {n(counts['duplicates'])})"),
        (0.05, 0.55, 0.55, 0.72, f"Notices examinées<br>(titre, résumé)<br>(n = {n(counts['screened'])})"),
        (0.62, 0.55, 0.98, 0.72, f"Exclues :<br>hors du sujet<br>(n = {n(counts['excluded_scope'])})"),
        (0.05, 0.30, 0.55, 0.47, f"Travaux dont<br>la notice a été<br>vérifiée (n = {n(counts['assessed'])})"),
        (0.62, 0.30, 0.98, 0.47, f"Exclus : existence<br>ou champs<br>invérifiables<br>(n = {n(counts['excluded_unverifiable'])})"
         + (f"<br>En attente de<br>vérification (n = {n(counts['awaiting'])})" if counts.get("awaiting") else "")),
        (0.05, 0.05, 0.55, 0.22, f"Travaux inclus<br>dans la revue<br>(n = {n(counts['included'])})"),
    ]
    fig = go.Figure()
    for x0, y0, x1, y1, text in boxes:
        fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color="#222", width=1.5),
                      fillcolor="white")
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=text, showarrow=False, font=dict(size=12))
    for y_from, y_to in ((0.80, 0.72), (0.55, 0.47), (0.30, 0.22)):
        fig.add_annotation(x=0.30, y=y_to, ax=0.30, ay=y_from, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=2, arrowwidth=1.5, text="")
    for y in (0.885, 0.635, 0.385):
        fig.add_annotation(x=0.62, y=y, ax=0.55, ay=y, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=2, arrowwidth=1.5, text="")
    for label, y in (("Identification", 0.885), ("Examen", 0.51), ("Inclusion", 0.135)):
        fig.add_annotation(x=-0.02, y=y, text=f"<b>{label}</b>", textangle=-90, showarrow=False, font=dict(size=13))
    alt = (f"Diagramme de flux PRISMA 2020 : {c(counts['identified'], 'travail repéré', noun_plural='travaux repérés')}, "
           f"{c(counts['duplicates'], 'doublon retiré', noun_plural='doublons retirés')}, "
           f"{c(counts['screened'], 'notice examinée', noun_plural='notices examinées')}, "
           f"{c(counts['excluded_scope'], 'exclue hors du sujet', noun_plural='exclues hors du sujet')}, "
           f"{c(counts['excluded_unverifiable'], 'exclue comme invérifiable', noun_plural='exclues comme invérifiables')}, "
           f"{c(counts['included'], 'travail inclus', noun_plural='travaux inclus')}.")
    fig.update_layout(title="Diagramme de flux PRISMA 2020 de la revue", height=620, showlegend=False,
                      margin=dict(l=10, r=10, t=10, b=10), meta={"alt": alt},
                      xaxis=dict(visible=False, range=[-0.08, 1.0], fixedrange=True),
                      yaxis=dict(visible=False, range=[0, 1], fixedrange=True))
    return fig


# --------------------------------------------------------------------------- concepts and counts


def concept_matrix(readings: pd.DataFrame, bib: pd.DataFrame) -> pd.DataFrame:
    """Key × concept (1 = the reading covers the concept), keys ordered by year then key."""
    order = bib.set_index("key")["year"].fillna("")
    rows = {row.key: {c: 1 for c in row.concepts} for row in readings.itertuples() if row.concepts}  # unread: none
    matrix = pd.DataFrame.from_dict(rows, orient="index").fillna(0).astype(int)
    concepts = [c for c in CONCEPT_LABELS if c in matrix.columns]
    matrix = matrix[concepts]
    matrix = matrix.loc[sorted(matrix.index, key=lambda k: (order.get(k, ""), k))]
    return matrix


def citation_labels(root: Path | None = None) -> dict[str, str]:
    """Key → the reference as the book cites it, «Cooke et al. (1998)», «Cooke (2004a)»: the same
    names, particles, «et al.» and year letters as the citations and the bibliography list."""
    from compendium.book.sphinx_ext import citation_names, disambiguate

    bib = read_bib(root)
    disambiguate(bib)
    return {key: f"{citation_names(entry)} ({entry.fields['year']})" for key, entry in bib.entries.items()}


def concept_matrix_figure(matrix: pd.DataFrame, labels: dict[str, str] | None = None) -> go.Figure:
    """The matrix, one row per reference named as the book cites it (``labels``, by default
    :func:`citation_labels`), not by its BibTeX key."""
    labels = citation_labels() if labels is None else labels
    fig = go.Figure(go.Heatmap(
        z=matrix.values, x=[CONCEPT_LABELS[c] for c in matrix.columns], y=[labels.get(k, k) for k in matrix.index],
        colorscale=[[0, "#ffffff"], [1, PALETTE[0]]], showscale=False, xgap=1, ygap=1,
        hovertemplate="%{y} — %{x}<extra></extra>",
    ))
    alt = (f"Matrice des concepts : {format_count(len(matrix), 'référence')} (lignes) × "
           f"{format_count(len(matrix.columns), 'concept')} "
           "(colonnes) ; une case colorée signale qu’une référence traite le concept.")
    fig.update_layout(title="Matrice des concepts (référence × concept)", height=140 + 13 * len(matrix),
                      xaxis=dict(side="top", tickangle=-60, tickfont=dict(size=11), automargin=True, **EVERY_LABEL),
                      yaxis=dict(autorange="reversed", tickfont=dict(size=8), automargin=True, **EVERY_LABEL),
                      margin=dict(l=10, r=10, t=10, b=10), meta={"alt": alt})
    return fig


#: Print: rows of the concept matrix on one A4 page. At the print width (720 CSS pixels on a
#: line of about 15.5 cm) a 19-pixel row and a 12-pixel label read at about 7 points; the whole
#: matrix on one page (145 references) set its labels at 4 points, which no reader could read.
PRINT_ROWS_PER_PAGE = 45


def concept_matrix_print(matrix: pd.DataFrame, labels: dict[str, str] | None = None,
                         rows_per_page: int = PRINT_ROWS_PER_PAGE) -> list[go.Figure]:
    """The matrix for the PDF: in parts of at most ``rows_per_page`` references (parts of equal
    size, references in the order of the HTML figure), one page each, every part with the
    concepts at its head, labels large enough to read."""
    labels = citation_labels() if labels is None else labels
    count = max(1, math.ceil(len(matrix) / rows_per_page))
    size = max(1, math.ceil(len(matrix) / count))
    parts = []
    # (an empty matrix still prints, as one empty part)
    for number, start in enumerate(range(0, len(matrix), size) or [0], start=1):
        part = matrix.iloc[start:start + size]
        fig = concept_matrix_figure(part, labels)
        fig.update_layout(height=260 + 19 * len(part), margin=dict(b=40),
                          # upright labels: at -60° the labels of neighbouring columns touched
                          xaxis=dict(tickfont=dict(size=12), tickangle=-90), yaxis=dict(tickfont=dict(size=12)))
        if count > 1:  # the caption comes under the last part only: each part says where it stands
            more = " — suite à la page suivante" if number < count else ""
            fig.add_annotation(text=f"Partie {number} sur {count}{more}", xref="paper", yref="paper", x=0, y=0,
                               xanchor="left", yanchor="top", yshift=-8, showarrow=False, font=dict(size=12))
        parts.append(fig)
    return parts


def by_year_and_type(bib: pd.DataFrame) -> pd.DataFrame:
    frame = bib.assign(nature=bib["type"].map(TYPE_LABELS).fillna(bib["type"]))
    return frame.groupby(["year", "nature"]).size().rename("références").reset_index()


def by_year_figure(counts: pd.DataFrame) -> go.Figure:
    """Stacked bars of references by year and nature, on a time axis: a year without a
    reference keeps its place (as categories, 1980, 1984 and 1989 stood side by side). A year
    that is not a number (« s. d. ») leaves the axis as categories."""
    fig = go.Figure()
    numeric = pd.to_numeric(counts["year"], errors="coerce")
    timeline = bool(len(counts)) and bool(numeric.notna().all())
    for nature in sorted(counts["nature"].unique()):
        part = counts[counts["nature"] == nature]
        x = numeric[part.index].astype(int) if timeline else part["year"]
        fig.add_trace(go.Bar(x=x, y=part["références"], name=nature))
    total = int(counts["références"].sum())
    years = sorted(counts["year"].astype(str).unique())
    alt = (f"Références par année de publication et par nature : {format_count(total, 'référence')}, de {years[0]} à {years[-1]}, "
           "en barres empilées par nature.") if years else "Références par année de publication et par nature"
    fig.update_layout(barmode="stack", title="Références par année de publication et par nature",
                      xaxis=dict(type="linear", tickformat="d", dtick=5, title=None) if timeline else
                      dict(type="category", categoryorder="category ascending", title=None),
                      yaxis_title="références", meta={"alt": alt}, margin=dict(t=10, r=10),
                      legend=dict(title_text="Nature :", orientation="h", x=0, y=-0.18, yanchor="top"),
                      height=520)
    return fig


def without_identifier(root: Path | None = None) -> list[str]:
    """Keys of the entries a reader cannot follow: no DOI, ISBN or URL."""
    return _unfollowable(read_bib(root))


def _unfollowable(bib) -> list[str]:
    return [k for k, e in bib.entries.items() if not any(e.fields.get(f) for f in ("doi", "isbn", "url"))]


def without_identifier_table(root: Path | None = None) -> pd.DataFrame:
    """The references a reader cannot follow (:func:`without_identifier`), for the page that
    says how many there are: each cited (a link to its entry in the bibliography) with its title
    and the venue its entry gives, if any."""
    bib = read_bib(root)
    rows = []
    for key in _unfollowable(bib):
        fields = bib.entries[key].fields
        venue = next((fields[f] for f in ("journal", "booktitle", "publisher", "institution") if fields.get(f)), "")
        rows.append({"référence": f"{{cite:t}}`{key}`", "titre": fields.get("title", "").strip("{}"),
                     "revue, ouvrage ou éditeur": venue.strip("{}") or "non vu"})
    return pd.DataFrame(rows, columns=["référence", "titre", "revue, ouvrage ou éditeur"])


def pending_sentence(pending: int, without_id: int) -> str:
    """The French sentence of the « Références à vérifier » page, right for any count."""
    if pending == 0:
        first = "Aucune référence de la bibliographie n'attend de vérification."
    elif pending == 1:
        first = "Une référence de la bibliographie attend encore une vérification (tableau ci-dessous)."
    else:
        first = f"{format_number(pending)} références de la bibliographie attendent encore une vérification (tableau ci-dessous)."
    if without_id == 0:
        second = "Toutes ont un DOI, un ISBN ou une adresse qu'un lecteur peut suivre."
    elif without_id == 1:
        second = "Une référence n'a encore ni DOI, ni ISBN, ni adresse qu'un lecteur puisse suivre."
    else:
        second = f"{format_number(without_id)} références n'ont encore ni DOI, ni ISBN, ni adresse qu'un lecteur puisse suivre."
    return f"{first} {second}"
