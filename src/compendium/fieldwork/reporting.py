"""Reporting standards: the COREQ checklist (Tong, Sainsbury and Craig 2007), each of its 32
items linked to the section of the book that answers it, with a status computed from the data
where the data can say it, and « à compléter » otherwise."""

from __future__ import annotations

import pandas as pd

from compendium.prose import agree, format_count, format_number

TODO = "à compléter"
#: The tables' values as a reader says them (item 14 printed «presentiel : 1 ; visio : 1»).
MODE_LABELS = {"presentiel": "en présentiel", "visio": "en visioconférence", "telephone": "par téléphone"}
APPROACH_LABELS = {"courriel": "par courriel", "telephone": "par téléphone", "rencontre": "par une rencontre",
                   "intermediaire": "par un intermédiaire"}
CASE_LABELS = {"rennes": "Rennes", "territoire": "Territoire"}
DOMAINS = {1: "Équipe de recherche et réflexivité", 2: "Conception de l'étude", 3: "Analyse et résultats"}

#: (number, domain, item, section label or None)
ITEMS = [
    (1, 1, "Enquêteur ou animateur", None), (2, 1, "Diplômes", None), (3, 1, "Fonction", None),
    (4, 1, "Genre", None), (5, 1, "Expérience et formation", None),
    (6, 1, "Relation établie avant l'étude", None),
    (7, 1, "Ce que les participants savent de l'enquêteur", "terrain-notice"),
    (8, 1, "Caractéristiques de l'enquêteur", None),
    (9, 2, "Orientation méthodologique et théorie", "methode-cas"),
    (10, 2, "Échantillonnage", "terrain-echantillon"), (11, 2, "Mode de prise de contact", "terrain-contact"),
    (12, 2, "Taille de l'échantillon", None), (13, 2, "Non-participation", None),
    (14, 2, "Lieu de la collecte", None), (15, 2, "Présence de non-participants", None),
    (16, 2, "Description de l'échantillon", None), (17, 2, "Guide d'entretien", "terrain-guide"),
    (18, 2, "Entretiens répétés", None), (19, 2, "Enregistrement audio ou vidéo", "terrain-notice"),
    (20, 2, "Notes de terrain", "terrain-guide"), (21, 2, "Durée", None), (22, 2, "Saturation des données", None),
    (23, 2, "Transcriptions retournées aux participants", "terrain-protocole"),
    (24, 3, "Nombre de codeurs", "methode-cas"), (25, 3, "Description de l'arbre de codage", "annexe-grille"),
    (26, 3, "Dérivation des thèmes", "methode-cas"), (27, 3, "Logiciel", "annexe-donnees"),
    (28, 3, "Vérification par les participants", None), (29, 3, "Citations présentées", None),
    (30, 3, "Cohérence entre données et résultats", "analyse-croisee"),
    (31, 3, "Clarté des thèmes majeurs", "analyse-croisee"), (32, 3, "Clarté des thèmes mineurs", None),
]


def documentary_precoding(documentary: pd.DataFrame) -> str:
    """COREQ item 24 for the documentary material: the passage-based coding, labelled as a
    pre-coding to be validated by the researcher in a QDA tool."""
    from compendium.cases.coding import is_passage_segment

    mine = documentary[is_passage_segment(documentary)]
    if mine.empty:
        return ""
    coders = sorted(mine["coder"].unique())
    who = " et ".join(f"« {c} »" for c in coders)
    pending = "" if len(coders) >= 2 else " ; second codeur indépendant attendu, accord en attente"
    return (f"sources publiques : pré-codage de {format_count(mine['locator'].nunique(), 'passage')} par "
            f"{format_count(len(coders), 'codeur logiciel', noun_plural='codeurs logiciels')} ({who}){pending} ; à valider par le chercheur dans un logiciel d'analyse qualitative")


def coreq_status(interviews: pd.DataFrame, segments: pd.DataFrame, codebook: pd.DataFrame,
                 fieldwork: pd.DataFrame, documentary: pd.DataFrame | None = None) -> dict[int, str]:
    """What the data already establish for the items they can speak to."""
    n = len(interviews)
    status: dict[int, str] = {i: TODO for i, *_ in ITEMS}
    status.update({7: "documenté (notice d'information)", 9: "documenté (étude de cas multiples, codage déductif et inductif)",
                   17: "documenté (guide par type d'acteur)", 20: "documenté (fiche post-entretien du guide)",
                   26: "documenté (grille déduite du cadre, ouverte aux codes inductifs)",
                   27: "compendium (Python) ; import et export REFI-QDA (ATLAS.ti, NVivo, MAXQDA, QualCoder), Taguette"})
    # the study's grid, apart from the codes imported with the coded projects (item 25 said «382
    # codes dont 14 racines», the projects' codes and categories counted in the grid)
    imported = codebook["project"].notna() if "project" in codebook else pd.Series(False, index=codebook.index)
    grid = codebook[~imported]
    status[25] = (f"grille de {format_count(len(grid), 'code')} dont {format_count(int(grid['parent'].isna().sum()), 'racine')} (annexe)"
                  + (f" ; {format_count(int(imported.sum()), 'code importé', noun_plural='codes importés')} des projets codés"
                     if imported.any() else ""))
    if not fieldwork.empty:
        approaches = fieldwork["approach"].dropna().value_counts()
        if not approaches.empty:
            status[11] = " ; ".join(f"{APPROACH_LABELS.get(k, k)} : {v}" for k, v in approaches.items())
        solicited = fieldwork[fieldwork["status"] != "a_contacter"]
        plural = "s" if len(solicited) > 1 else ""
        status[13] = (f"{int((solicited['status'] == 'refus').sum())} refus sur {len(solicited)} "
                      f"organisation{plural} sollicitée{plural}"
                      if len(solicited) else f"aucune organisation sollicitée à ce jour ({len(fieldwork)} à contacter)")
    precoding = documentary_precoding(documentary) if documentary is not None else ""
    if precoding:
        status[24] = precoding
    if n == 0:
        status[12] = "0 entretien à ce jour"
        return status
    interview_coders = f"entretiens : {format_count(segments['coder'].nunique() if not segments.empty else 0, 'codeur')}"
    status[12] = format_count(n, "entretien")
    from compendium.fieldwork.interviews import ACTOR_KINDS

    status[14] = " ; ".join(f"{MODE_LABELS.get(k, k)} : {v}" for k, v in interviews["mode"].value_counts().items())
    status[16] = " ; ".join(f"{CASE_LABELS.get(case, case)}, {ACTOR_KINDS.get(kind, kind)} : {v}"
                            for (case, kind), v in interviews.groupby(["case", "actor_kind"]).size().items())
    # recorded unless the consent excludes the recording («sans_citation» allows it)
    recorded = int((interviews["consent"] != "sans_enregistrement").sum())
    status[19] = f"{format_count(recorded, 'entretien enregistré')} sur {format_number(n)}"
    d = interviews["duration_min"].astype(float)
    status[21] = f"{format_number(d.min())} à {format_number(d.max())} min (moyenne {format_number(d.mean())})"
    status[24] = interview_coders + (f" ; {precoding}" if precoding else "")
    quotes = segments[segments["quote"].notna()] if not segments.empty else segments
    status[29] = (f"{format_count(len(quotes), 'citation approuvée')}, {agree(len(quotes), 'identifiée', 'identifiées')} "
                  "par le code d'entretien" if len(quotes)
                  else "aucune citation approuvée")
    return status


def coreq_table(interviews, segments, codebook, fieldwork, documentary=None) -> pd.DataFrame:
    status = coreq_status(interviews, segments, codebook, fieldwork, documentary)
    rows = []
    for number, domain, item, label in ITEMS:
        rows.append({"n°": number, "domaine": DOMAINS[domain], "item": item,
                     "où dans le livre": f"{{ref}}`{label}`" if label else "", "état": status[number]})
    return pd.DataFrame(rows)
