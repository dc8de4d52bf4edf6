"""Analytics of coded material: code frequencies, co-occurrence, intercoder reliability.

The same functions serve the documentary coding of public sources and, later, the coding of
interviews. A *segment* is a row (document_id, code_id, coder, …); reliability is measured on
the presence or absence of each code in each document, per coder.

Reliability thresholds follow Krippendorff: α ≥ 0.800 to rely on the data, 0.667 ≤ α < 0.800
for tentative conclusions only (see the case-method page for the references).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHA_RELY = 0.800
ALPHA_TENTATIVE = 0.667


def presence(segments: pd.DataFrame, documents: list[str] | None = None,
             codes: list[str] | None = None) -> pd.DataFrame:
    """Document × code matrix of 0/1: does any segment put this code on this document?"""
    documents = documents if documents is not None else sorted(segments["document_id"].unique())
    codes = codes if codes is not None else sorted(segments["code_id"].unique())
    matrix = pd.crosstab(segments["document_id"], segments["code_id"]).clip(upper=1)
    return matrix.reindex(index=documents, columns=codes, fill_value=0)


def frequencies(segments: pd.DataFrame, documents: pd.DataFrame, by: str) -> pd.DataFrame:
    """Number of documents carrying each code, per value of ``by`` (a column of ``documents``,
    e.g. ``case`` or ``actor_kind``), counted once per document whatever the coders."""
    doc_codes = segments[["document_id", "code_id"]].drop_duplicates()
    merged = doc_codes.merge(documents[["id", by]], left_on="document_id", right_on="id", how="left")
    if merged[by].isna().any():
        missing = sorted(merged.loc[merged[by].isna(), "document_id"].unique())
        raise KeyError(f"segments sur des documents inconnus : {missing[:5]}")
    return pd.crosstab(merged["code_id"], merged[by])


def cooccurrence(segments: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Code × code: number of documents carrying both codes (diagonal: documents with the code)."""
    x = presence(segments, codes=codes).to_numpy(dtype=np.int64)
    c = x.T @ x
    labels = codes if codes is not None else sorted(segments["code_id"].unique())
    return pd.DataFrame(c, index=labels, columns=labels)


def krippendorff_alpha_nominal(reliability: np.ndarray) -> float:
    """Krippendorff's α for nominal data.

    ``reliability`` is a coders × units array of category labels (numbers), with NaN where a
    coder gave no value. Units with fewer than two values are not pairable and are ignored.
    Returns NaN when there is no variation at all (α is undefined).
    """
    data = np.asarray(reliability, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    if values.size == 0:
        return float("nan")
    # counts[u, c]: how many coders gave category c to unit u
    counts = np.stack([(data == v).sum(axis=0) for v in values], axis=1).astype(float)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    if counts.size == 0:
        return float("nan")
    weights = 1.0 / (m - 1.0)
    observed = (counts * weights[:, None]).T @ counts - np.diag((counts * weights[:, None]).sum(axis=0))
    n_c = observed.sum(axis=0)
    n = n_c.sum()
    expected_disagreement = n * n - (n_c ** 2).sum()
    if expected_disagreement == 0:
        return float("nan")
    return float(1.0 - (n - 1.0) * (n - np.trace(observed)) / expected_disagreement)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's κ between two coders' labels on the same units (no missing values)."""
    a, b = np.asarray(a), np.asarray(b)
    labels = np.union1d(a, b)
    index = {v: i for i, v in enumerate(labels)}
    table = np.zeros((labels.size, labels.size))
    np.add.at(table, (np.vectorize(index.get)(a), np.vectorize(index.get)(b)), 1)
    n = table.sum()
    p_o = np.trace(table) / n
    p_e = (table.sum(axis=0) * table.sum(axis=1)).sum() / (n * n)
    return float("nan") if p_e == 1 else float((p_o - p_e) / (1 - p_e))


MIN_DOCUMENTS = 5  # below this, an α rests on too few positive decisions to mean much


def verdict(alpha: float, documents: int | None = None) -> str:
    if np.isnan(alpha):
        return "indéfini (aucune variation)"
    if documents is not None and documents < MIN_DOCUMENTS:
        return f"trop rare pour conclure (moins de {MIN_DOCUMENTS} documents)"
    if alpha >= ALPHA_RELY:
        return "fiable"
    if alpha >= ALPHA_TENTATIVE:
        return "conclusions provisoires seulement"
    return "insuffisant"


def reliability(segments: pd.DataFrame, documents: list[str], codes: list[str],
                coders: list[str] | None = None) -> pd.DataFrame:
    """Per code and overall: Krippendorff's α (nominal, presence of the code in each document)
    and, for two coders, Cohen's κ; with the verdict against the usual thresholds."""
    coders = coders or sorted(segments["coder"].unique())
    if len(coders) < 2:
        raise ValueError("la fiabilité demande au moins deux codeurs")
    stacks = {coder: presence(segments[segments["coder"] == coder], documents, codes).to_numpy()
              for coder in coders}
    rows = []
    for j, code in enumerate(codes):
        matrix = np.stack([stacks[c][:, j] for c in coders]).astype(float)
        alpha = krippendorff_alpha_nominal(matrix)
        kappa = cohen_kappa(matrix[0], matrix[1]) if len(coders) == 2 else float("nan")
        documents_coded = int(matrix.max(axis=0).sum())
        rows.append({"code": code, "documents codés": documents_coded, "alpha": alpha,
                     "kappa": kappa, "verdict": verdict(alpha, documents_coded)})
    # overall: every (document, code) decision is a unit
    full = np.stack([stacks[c].ravel() for c in coders]).astype(float)
    alpha = krippendorff_alpha_nominal(full)
    kappa = cohen_kappa(full[0], full[1]) if len(coders) == 2 else float("nan")
    rows.append({"code": "ensemble", "documents codés": int(full.max(axis=0).sum()), "alpha": alpha,
                 "kappa": kappa, "verdict": verdict(alpha)})
    return pd.DataFrame(rows)


def agreed(segments: pd.DataFrame, coders: list[str] | None = None) -> pd.DataFrame:
    """(document_id, code_id) pairs that every coder applied: the conservative evidence base."""
    coders = coders or sorted(segments["coder"].unique())
    pairs = None
    for coder in coders:
        mine = segments.loc[segments["coder"] == coder, ["document_id", "code_id"]].drop_duplicates()
        pairs = mine if pairs is None else pairs.merge(mine)
    return pairs.reset_index(drop=True)


def dimension_sources(evidence: pd.DataFrame, codebook: pd.DataFrame, sources: pd.DataFrame,
                      cases: list[str]) -> dict[tuple[str, str], list[str]]:
    """For each (root code of the grid, case): the sorted ids of the case's sources (among
    ``sources``) that carry at least one code of that dimension in ``evidence``."""
    parent = codebook.set_index("id")["parent"]
    roots = codebook.loc[codebook["parent"].isna(), "id"]
    frame = evidence.assign(root=evidence["code_id"].map(
        lambda c: parent.get(c) if isinstance(parent.get(c), str) else c))
    frame = frame.merge(sources[["id", "case"]], left_on="document_id", right_on="id")
    return {(root, case): sorted(frame.loc[(frame["root"] == root) & (frame["case"] == case),
                                           "document_id"].unique())
            for root in roots for case in cases}


def _cell(ids: list[str], total: int, link: callable, max_links: int, extra: str = "") -> str:
    from compendium.prose import format_quantity

    share = 100 * len(ids) / total if total else 0.0
    cell = f"{len(ids)} / {total} ({format_quantity(share, '%')}){extra}"
    if ids:
        more = " ; …" if len(ids) > max_links else ""
        cell += " — " + link(ids[:max_links]) + more
    return cell


def shares_by_case(evidence: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Code × case: share (%) of each case's sources that carry the code, unrounded: the text and
    the figures round it once, as they print it (rounded here to one decimal, 13 sources of 79,
    16.46 %, became 16.5, which the text then printed « 17 % »)."""
    frame = evidence.merge(sources[["id", "case"]], left_on="document_id", right_on="id")
    counts = frame.groupby(["code_id", "case"])["document_id"].nunique().unstack(fill_value=0)
    totals = sources["case"].value_counts()
    return 100 * counts / totals.reindex(counts.columns)


def origin_citations(keys: list[str]) -> str:
    """A code's origin as the book cites it: « {cite:alp}`Adner2006Match,Adner2010Value` »,
    which reads «Adner, 2006 ; Adner et Kapoor, 2010» with links to the bibliography, then
    « inductif » for a code born in the field."""
    cited = [k for k in keys if k != "inductif"]
    parts = [f"{{cite:alp}}`{','.join(cited)}`"] if cited else []
    if "inductif" in keys:
        parts.append("inductif")
    return " ; ".join(parts)


def grid_sentence(n_codes: int, n_roots: int, n_inductive: int, n_imported: int = 0) -> str:
    """The grid's size and where its codes come from, in French for any count: «La grille compte
    45 codes : 7 racines et 38 codes enfants. Aucun code n'est d'origine inductive à ce stade :
    tous sont déduits de la littérature…», «… 1 code est d'origine inductive…»."""
    from compendium.prose import format_count

    children = n_codes - n_roots
    size = (f"La grille compte {format_count(n_codes, 'code')} : {format_count(n_roots, 'racine')} et "
            f"{format_count(children, 'code enfant', noun_plural='codes enfants')}.")
    later = "pourront être complétés par des codes inductifs au fil du codage"
    if n_inductive == 0:
        origin = f"Aucun code n'est d'origine inductive à ce stade : tous sont déduits de la littérature et {later}."
    elif n_inductive >= n_codes:
        origin = "Tous les codes sont d'origine inductive à ce stade."
    else:
        verb = "est" if n_inductive < 2 else "sont"
        others = ("l'autre est déduit de la littérature et pourra être complété par des codes inductifs au fil "
                  "du codage" if n_codes - n_inductive == 1 else f"les autres sont déduits de la littérature et {later}")
        origin = f"{format_count(n_inductive, 'code')} {verb} d'origine inductive à ce stade ; {others}."
    if n_imported:
        # the codes the coded projects brought, counted apart (the annex said «Aucun code n'est
        # d'origine inductive» above a list of 337 codes imported as inductive)
        origin = origin.replace("à ce stade", "dans la grille", 1)
        origin += (f" S'y ajoutent {format_count(n_imported, 'code importé', noun_plural='codes importés')} des projets "
                   "d'analyse qualitative, listés plus bas.")
    return f"{size} {origin}"


def comparison_clause(confirmed: int, total: int, either: int, passage_only: int) -> str:
    """How the (source, code) pairs of the coding on summaries fare in the coding on passages,
    in French for any counts: «12 des 20 couples (source, code) retenus sur résumés se
    retrouvent dans le pré-codage commun sur passages (15 si un seul codeur de passages suffit),
    et 30 couples n'apparaissent que sur les passages»; «le seul couple … se retrouve …»,
    «aucun des 20 couples … ne se retrouve …», «1 couple n'apparaît que …»."""
    from compendium.prose import count_clause, format_count, format_number

    where = "dans le pré-codage commun sur passages"
    if total == 0:
        first = "aucun couple (source, code) n'est retenu sur résumés"
    elif total == 1:
        first = (f"le seul couple (source, code) retenu sur résumés {'se retrouve' if confirmed else 'ne se retrouve pas'} "
                 f"{where}")
    else:
        pairs = f"{format_count(total, 'couple')} (source, code) retenus sur résumés"
        first = count_clause(confirmed, f"aucun des {pairs} ne se retrouve {where}", f"{{n}} des {pairs} se retrouve {where}",
                       f"{{n}} des {pairs} se retrouvent {where}")
    if total:
        first += f" ({format_number(either)} si un seul codeur de passages suffit)"
    last = count_clause(passage_only, "aucun couple n'apparaît sur les seuls passages",
                  f"{format_count(1, 'couple')} n'apparaît que sur les passages",
                  f"{format_count(passage_only, 'couple')} n'apparaissent que sur les passages")
    return f"{first}, et {last}"


#: The fields of a code shown under its definition, with their French names.
CODE_FIELDS = (("include", "inclure si"), ("exclude", "exclure si"), ("example", "exemple de situation"))


def codes_markdown(codes: pd.DataFrame) -> str:
    """The codes of one dimension as a definition list (MyST ``deflist``): the label and the
    identifier, then the definition, what to include and exclude, an example and the origin.

    A table of six text columns ran off the page in the PDF and needed side scrolling on a
    phone; a list reads at any width."""
    blocks = []
    for code in codes.itertuples():
        definition = code.definition if isinstance(code.definition, str) and code.definition.strip() else "*à définir*"
        lines = [f"**{code.label}** (`{code.id}`)", f": {definition}", ""]
        for field, name in CODE_FIELDS:
            value = getattr(code, field)
            if isinstance(value, str) and value.strip():
                lines.append(f"  - *{name}* : {value.strip()}")
        origin = origin_citations(list(code.origin) if isinstance(code.origin, (list, tuple)) else [])
        if origin:
            lines.append(f"  - *origine* : {origin}")
        blocks.append("\n".join(lines).rstrip())
    return "\n\n".join(blocks) + "\n"


def codebook_outline(codebook: pd.DataFrame, project: str | None = None) -> pd.DataFrame:
    """The codes of ``project`` (``None``: the book's own grid) in tree order, with their depth,
    their path of labels and « à définir » where the definition is missing."""
    has_project = "project" in codebook.columns
    if has_project:
        mask = codebook["project"].isna() if project is None else codebook["project"] == project
        mine = codebook[mask]
    else:
        mine = codebook
    ids = set(mine["id"])
    children: dict[str | None, list] = {}
    for row in mine.itertuples():
        parent = row.parent if isinstance(row.parent, str) and row.parent in ids else None
        children.setdefault(parent, []).append(row)
    labels = codebook.set_index("id")["label"]
    rows: list[dict] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        outside = row.parent if isinstance(row.parent, str) and row.parent not in ids else None
        definition = row.definition if isinstance(row.definition, str) and row.definition.strip() else "à définir"
        rows.append({"id": row.id, "depth": depth, "label": row.label, "definition": definition,
                     "under": labels.get(outside) if outside else None})
        stack.extend((child, depth + 1) for child in reversed(children.get(row.id, [])))
    return pd.DataFrame(rows, columns=["id", "depth", "label", "definition", "under"])


#: The coders of the passage-based documentary coding (codes put on verbatim passages of the sources).
PASSAGE_CODERS = ("ia-codeur-a", "ia-codeur-b")


def is_passage_segment(segments: pd.DataFrame) -> pd.Series:
    """True for segments coded on a passage of the source itself (locator ``pass-NNNN``),
    False for the earlier coding on the project's own summaries."""
    return segments["locator"].astype(str).str.fullmatch(r"pass-\d{4}")


def reached_sources(segments: pd.DataFrame, coders: tuple[str, ...] = PASSAGE_CODERS) -> set[str]:
    """The sources on which every one of ``coders`` who has coded passages has coded at least
    one: the base of the passage agreement (a passage of a source that a coder has not reached
    yet is not a decision of absence)."""
    mine = segments[is_passage_segment(segments) & segments["coder"].isin(coders)]
    present = set(mine["coder"])
    per_source = mine.groupby("document_id")["coder"].nunique()
    return set(per_source[per_source == len(present)].index)


def passage_reliability(segments: pd.DataFrame, passages: pd.DataFrame, codes: list[str],
                        coders: tuple[str, ...] = PASSAGE_CODERS) -> pd.DataFrame | None:
    """Agreement of the passage-based coding: the unit is a passage, the decision whether
    each code applies to it. ``None`` while fewer than two of ``coders`` have coded. Only the
    passages of sources on which every coder has coded at least one passage are units."""
    mine = segments[is_passage_segment(segments) & segments["coder"].isin(coders)]
    present = [c for c in coders if c in set(mine["coder"])]
    if len(present) < 2:
        return None
    reached = reached_sources(segments, coders)
    units = mine.assign(document_id=mine["locator"])
    table = reliability(units, list(passages.loc[passages["document_id"].isin(reached), "id"]), codes,
                        list(present))
    return table.rename(columns={"documents codés": "passages codés"})


def passage_summary(segments: pd.DataFrame, passages: pd.DataFrame, sources: pd.DataFrame) -> dict:
    """Counts of the passage-based coding: passages, sources covered per case, segments per coder."""
    mine = segments[is_passage_segment(segments)]
    covered = sources[sources["id"].isin(passages["document_id"])]
    return {
        "passages": len(passages),
        "sources": int(passages["document_id"].nunique()),
        "sources_by_case": covered["case"].value_counts().to_dict(),
        "segments_by_coder": mine["coder"].value_counts().to_dict(),
        "uncovered": sorted(set(sources["id"]) - set(passages["document_id"])),
    }


def confirmation(summary_evidence: pd.DataFrame, passage_segments: pd.DataFrame) -> dict:
    """On the sources that have coded passages: how many (source, code) pairs of the summary-based
    evidence are also found on a passage, and how many passage pairs the summaries missed."""
    docs = set(passage_segments["document_id"])
    old = set(map(tuple, summary_evidence.loc[summary_evidence["document_id"].isin(docs),
                                              ["document_id", "code_id"]].drop_duplicates().to_numpy()))
    new = set(map(tuple, passage_segments[["document_id", "code_id"]].drop_duplicates().to_numpy()))
    return {"summary_pairs": len(old), "confirmed": len(old & new), "passage_pairs": len(new),
            "passage_only": len(new - old)}


def passage_evidence(segments: pd.DataFrame, coders: tuple[str, ...] = PASSAGE_CODERS,
                     rule: str = "both") -> pd.DataFrame:
    """(document_id, code_id) pairs of the passage-based pre-coding.

    ``rule="both"``: every one of ``coders`` put the code on at least one passage of the source
    (the agreed pre-coding, on which the cross-case matrix rests; empty while a coder is
    missing); ``rule="either"``: at least one of them did (the sensitivity count).
    """
    if rule not in ("both", "either"):
        raise ValueError(f"règle inconnue : {rule}")
    mine = segments[is_passage_segment(segments) & segments["coder"].isin(coders)]
    pairs = mine[["document_id", "code_id", "coder"]].drop_duplicates()
    if rule == "either":
        out = pairs[["document_id", "code_id"]].drop_duplicates()
    else:
        counts = pairs.groupby(["document_id", "code_id"])["coder"].nunique()
        out = counts[counts == len(coders)].reset_index()[["document_id", "code_id"]]
    return out.sort_values(["document_id", "code_id"]).reset_index(drop=True)


def passage_coverage(segments: pd.DataFrame, passages: pd.DataFrame, sources: pd.DataFrame,
                     coders: tuple[str, ...] = PASSAGE_CODERS) -> pd.DataFrame:
    """Per source that has passages: its case, its passages, and how many of them each coder
    coded (a passage counts as coded by a coder when the coder put at least one code on it)."""
    mine = segments[is_passage_segment(segments) & segments["coder"].isin(coders)]
    base = (passages.groupby("document_id")["id"].nunique().rename("passages").reset_index()
            .merge(sources[["id", "case"]], left_on="document_id", right_on="id").drop(columns="id"))
    for coder in coders:
        done = mine[mine["coder"] == coder].groupby("document_id")["locator"].nunique()
        base[coder] = base["document_id"].map(done).fillna(0).astype(int)
    return base


def passage_bases(segments: pd.DataFrame, passages: pd.DataFrame, sources: pd.DataFrame,
                  coders: tuple[str, ...] = PASSAGE_CODERS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two bases of the passage-based counts: the sources on which every coder has coded at
    least one passage (where an agreed pair can exist), and all the sources that have passages."""
    cover = passage_coverage(segments, passages, sources, coders)
    double = cover.loc[(cover[list(coders)] > 0).all(axis=1), "document_id"]
    return (sources[sources["id"].isin(double)].reset_index(drop=True),
            sources[sources["id"].isin(cover["document_id"])].reset_index(drop=True))


def passage_matrix(segments: pd.DataFrame, passages: pd.DataFrame, codebook: pd.DataFrame,
                   sources: pd.DataFrame, cases: list[str], link: callable, max_links: int = 3,
                   coders: tuple[str, ...] = PASSAGE_CODERS, sensitivity: bool = True) -> pd.DataFrame:
    """Dimension × case matrix on the passage-based pre-coding.

    Each cell counts the case's sources where both coders put a code of the dimension on a
    passage (agreed pre-coding), over the case's sources coded by both, and gives beside it the
    count when one coder suffices, over all the case's sources that have passages. The links go
    to the agreed sources. A source whose passages one coder left entirely uncoded counts as not
    yet coded by that coder. Without ``sensitivity``, the one-coder count is left out (the
    synthesis document's shorter matrix).
    """
    double, covered = passage_bases(segments, passages, sources, coders)
    both = dimension_sources(passage_evidence(segments, coders, "both"), codebook, double, cases)
    either = dimension_sources(passage_evidence(segments, coders, "either"), codebook, covered, cases)
    n_double, n_covered = double["case"].value_counts(), covered["case"].value_counts()
    rows = []
    for root in codebook[codebook["parent"].isna()].itertuples():
        row = {"dimension": root.label}
        for case in cases:
            extra = (f" ; un seul codeur suffit : {len(either[(root.id, case)])} / "
                     f"{int(n_covered.get(case, 0))}") if sensitivity else ""
            row[case] = _cell(both[(root.id, case)], int(n_double.get(case, 0)), link, max_links, extra)
        rows.append(row)
    return pd.DataFrame(rows)
