"""The short synthesis document for committees (4 to 8 A4 pages): ``compendium synthese``.

Route: a LaTeX document written by this module from the same package functions and data as
the book (:mod:`compendium.cases.synthesis`, :func:`compendium.cases.coding.passage_matrix`, the figures
of :mod:`compendium.figures`), then XeLaTeX. A second Sphinx build would have to re-execute or
re-glue notebooks for a handful of pages and gives little control over a 6-page layout; the
LaTeX route takes a few seconds, needs no new dependency and shares the book's title page.
Every number it prints comes from :func:`compendium.cases.synthesis.key_numbers`, and the names it
used are written to ``_build/synthese/numbers.json`` so that a test compares them with the
values glued in the book.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from compendium.book.titlepage import latex_escape as e
from compendium.book.titlepage import latex_titlepage
from compendium.cases import evidence as E
from compendium.cases import synthesis as S
from compendium.cases.coding import passage_matrix

OUT_DIR = "_build/synthese"
PDF_NAME = "synthese.pdf"


class Numbers(dict):
    """The key numbers; remembers which ones the document printed."""

    def __init__(self, values: dict[str, str]):
        super().__init__(values)
        self.used: set[str] = set()

    def __getitem__(self, key):
        self.used.add(key)
        return e(super().__getitem__(key))


PREAMBLE = r"""
\documentclass[11pt,a4paper]{article}
\usepackage{fontspec}
\setmainfont{FreeSerif}[Extension=.otf,UprightFont=*,BoldFont=*Bold,ItalicFont=*Italic,BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf,UprightFont=*,BoldFont=*Bold,ItalicFont=*Oblique,BoldItalicFont=*BoldOblique]
\usepackage[french]{babel}
\usepackage[a4paper,margin=2.1cm]{geometry}
\usepackage{graphicx,booktabs,tabularx,longtable,array,xcolor,enumitem,multicol,needspace}
\usepackage[hidelinks]{hyperref}
\setlength{\parskip}{0.4em}\setlength{\parindent}{0pt}
\setlist{itemsep=0.15em,topsep=0.3em}
\renewcommand{\arraystretch}{1.15}
\newcolumntype{L}{>{\raggedright\arraybackslash}X}
\pagestyle{plain}
\title{Synthèse}
"""


def _vignette(syn: S.Synthesis, case: str) -> str:
    items = []
    for fact in S.vignette(syn, case):
        items.append(rf"\item \textbf{{{e(fact['lead'])}}} — {e(fact['text'])} {{\footnotesize ({e(', '.join(fact['sources']))})}}")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


def _table(frame, spec: str, size: str = r"\small") -> str:
    head = " & ".join(rf"\textbf{{{e(c)}}}" for c in frame.columns) + r" \\ \midrule"
    rows = [" & ".join(e(v) for v in row) + r" \\" for row in frame.astype(str).itertuples(index=False)]
    return (rf"{{{size}\begin{{tabularx}}{{\linewidth}}{{{spec}}}\toprule" + "\n" + head + "\n"
            + "\n".join(rows) + "\n" + r"\bottomrule\end{tabularx}}")


def cited_section(body: str, register: dict[str, E.Element]) -> tuple[str, str]:
    """The body with each element id it prints made a link to its line in a closing list,
    and that list: what each id stands for, so that a committee can look up any id it reads
    without the book at hand (the book's register gives the addresses)."""
    lines = E.cited_lines(register, E.linkable(body))
    if not lines:
        return body, ""
    held = {element_id for element_id, _ in lines}

    def link(match) -> str:
        return rf"\hyperlink{{{E.label(match[1])}}}{{{match[1]}}}" if match[1] in held else match[0]

    body = E.ID_PATTERN.sub(link, body)
    groups: dict[str, list[str]] = {}  # the same description (individual repositories) once, with its ids
    for element_id, text in lines:
        groups.setdefault(text, []).append(element_id)

    def item(text: str, ids: list[str]) -> str:
        heads = ", ".join(rf"\hypertarget{{{E.label(i)}}}{{{e(i)}}}" for i in ids)
        # several ids: in the text, where they may wrap (a label is one unbreakable box)
        return rf"\item[{heads}] {e(text)}" if len(ids) == 1 else rf"\item[] \textbf{{{heads}}} {e(text)}"

    items = "\n".join(item(text, ids) for text, ids in groups.items())
    section = (r"\section*{Éléments cités}" "\n"
               f"Ce que désigne chacun des identifiants cités dans ce document ({S.count(len(lines), 'identifiant')}) ; l’annexe "
               "« Registre des éléments de preuve » du livre donne de plus l’adresse de chaque source et les "
               "sources de chaque événement, relation ou indicateur."
               "\n{\\footnotesize\\raggedright\\begin{multicols}{2}\\begin{description}[itemsep=0.1em,font=\\normalfont\\bfseries]\n"
               + items + "\n\\end{description}\\end{multicols}}\n")
    return body, section


def document(syn: S.Synthesis, numbers: Numbers, figure: str) -> str:
    return _with_cited(_document(syn, numbers, figure), E.elements(syn.root))


def _with_cited(tex: str, register: dict[str, E.Element]) -> str:
    start = tex.index(r"\section*{La question")
    end = tex.index(r"\end{document}")
    body, section = cited_section(tex[start:end], register)
    return tex[:start] + french_ties(body + section) + tex[end:]


_UNIT_TIE = re.compile(r"(\d) (M€|k€|€|\\%)")  # « \\% »: the percent sign as LaTeX escapes it


def french_ties(tex: str) -> str:
    """Unbreakable spaces inside guillemets and between a number and its unit, so that no line
    ends with « or begins with », « M€ » or « % » (seen in the list of cited elements: « 4 / M€ »)."""
    return _UNIT_TIE.sub(r"\1~\2", tex.replace("« ", "«~").replace(" »", "~»"))


def _document(syn: S.Synthesis, numbers: Numbers, figure: str) -> str:
    n = numbers
    # the cross-case chapter's matrix, on the same base (the sources both coders pre-coded)
    matrix = passage_matrix(syn.segments, syn.passages, syn.codebook, syn.sources, S.CASES,
                            lambda ids: ", ".join(ids), max_links=2, sensitivity=False)
    matrix = matrix.rename(columns={"dimension": "Dimension", **S.CASE_LABELS})
    grid_dims = S.count(len(matrix), "dimension")
    config = S.configuration_table(syn, short=True)
    props = S.propositions_table(syn, full=False)
    status = syn.status.set_index("id")
    prop_rows = []
    for prop in syn.propositions.itertuples():
        st = status.loc[prop.id]
        prop_rows.append(
            rf"\textbf{{{e(prop.id)}}} {e(prop.title)} & {e(S.STATUS_LABELS[st['status']])} & "
            rf"{{\footnotesize {e(st['rationale'])}}} & {{\footnotesize {e(st['interview_needs'])}}} \\")
    del props
    small = r"\footnotesize"
    matrix_tex = _table(matrix, "p{4.2cm}LL", small)
    config_tex = _table(config, "p{4.2cm}LL", small)
    sentence = e(S.status_sentence(syn))
    sentence = sentence[0].upper() + sentence[1:]
    prop_tex = "\n".join(prop_rows)
    return PREAMBLE + r"\begin{document}" + latex_titlepage(syn.root, kind="Document de synthèse") + rf"""
\section*{{La question et pourquoi elle compte}}
Dans le prolongement des villes intelligentes, les jumeaux numériques de territoires réunissent des
acteurs hétérogènes : collectivités, détenteurs de données urbaines, industriels, organismes de
recherche. L’étude se demande si l’on peut identifier autour de ces jumeaux un écosystème d’innovation
d’une nature nouvelle, distinct des formes que décrit la littérature (écosystème d’affaires, d’innovation,
de plateforme, de données ouvertes, système régional d’innovation, filière), et comment il s’organise :
gouvernance et tiers de confiance, données, choix technologiques, services et modèles d’affaires.
La question compte pour les collectivités qui investissent dans ces outils, pour les entreprises qui
les fournissent et pour l’Institut Henri Fayol, dont l’appel à l’origine de l’étude présente la
plateforme de données Territoire.

\textbf{{Matériau à ce jour.}} {n['syn_public_sources_rennes_txt']} pour Rennes et
{n['syn_n_sources_territoire']} pour Territoire, leur chronologie, le réseau de leurs acteurs et un codage
documentaire préliminaire (deux pré-codages indépendants de {n['syn_passages_txt']} tirés de
{n['syn_precoded_sources_txt']} ; {n['syn_agreed_txt']} aux deux) ;
{n['syn_interviews']}. Chaque jugement ci-dessous est tenu dans une table de données, avec les
identifiants des éléments qui le fondent ; le compendium complet (livre HTML et PDF) les donne tous,
avec le détail et les références, et ce document est recalculé à partir des mêmes tables.

\section*{{Le cadre et les propositions}}
Le cadre d’analyse croise les théories des écosystèmes et des plateformes avec les travaux sur les
territoires et les villes intelligentes. Il retient {n['syn_dimensions_txt']} et formule
{n['syn_props_txt']} ; la figure relie chaque proposition aux dimensions qu’elle concerne,
la couleur donnant son statut provisoire.

\begin{{center}}\includegraphics[width=\linewidth]{{{figure}}}\end{{center}}

\section*{{Deux cas}}
\subsection*{{Rennes : de la maquette 3D au partage de données}}
{_vignette(syn, "rennes")}
\subsection*{{Territoire : la plateforme de données liées que l’appel attribue à l’Institut Henri Fayol}}
{_vignette(syn, "territoire")}

\section*{{La matrice croisée}}
Part des sources de chaque cas qui portent au moins un code de chaque dimension de la grille de
codage ({grid_dims} ; le tableau de configuration répartit les mêmes codes en {n['syn_dimensions_txt']} de comparaison),
parmi celles que les deux codeurs ont pré-codées (pré-codage des passages commun aux deux
codeurs ; premiers identifiants), comme dans l’analyse croisée du livre.

{matrix_tex}

\medskip
\needspace{{12\baselineskip}}% the table's introduction stays with the table (it was left at a page's foot)
Forme classique la plus proche, dimension par dimension, dans le tableau de configuration
(nombre d’éléments identifiés qui fondent le jugement, nombre de sources codées sur la dimension).
{n['syn_cells_sentence']}

{config_tex}

\section*{{Où en sont les propositions}}
{sentence}.
{{\footnotesize
\begin{{longtable}}{{>{{\raggedright\arraybackslash}}p{{3.3cm}}>{{\raggedright\arraybackslash}}p{{1.6cm}}>{{\raggedright\arraybackslash}}p{{6.3cm}}>{{\raggedright\arraybackslash}}p{{3.6cm}}}}
\toprule \textbf{{Proposition}} & \textbf{{Statut}} & \textbf{{Pourquoi ce statut}} & \textbf{{Ce que les entretiens doivent apporter}} \\ \midrule
\endhead
{prop_tex}
\bottomrule
\end{{longtable}}}}

\section*{{Réponse provisoire}}
Une configuration hybride, que les sources montrent orchestrée par la collectivité et centrée sur les
données, est visible à Rennes : d’une dimension à l’autre ({n['syn_dimensions_txt']}), la forme classique la plus proche y change
(écosystème de plateforme sur {n['syn_form_ecosysteme_plateforme_rennes_dims']}, écosystème de données sur
{n['syn_form_ecosysteme_donnees_rennes_dims']}, système régional d’innovation sur {n['syn_form_sri_rennes_dims']}), et
l’écosystème d’affaires à firme clé de voûte {e(n['syn_form_ecosysteme_affaires_rennes_txt'])}. Sa nouveauté reste à
démontrer contre trois explications rivales : un portefeuille de projets publics financés par appels,
la plateforme d’un éditeur dont la collectivité serait le client, un programme ordinaire d’ouverture des
données. Le cas Territoire ne montre pas encore d’écosystème au-delà du cercle académique.

\section*{{Limites et prochaines étapes}}
\begin{{itemize}}
\item \textbf{{Une part des sources vient des porteurs de projets}} : les pages de la collectivité, de
l’éditeur, de l’établissement et les journaux de projets montrent ce qu’ils choisissent de montrer.
\item \textbf{{Pré-codage documentaire}} : {e(n['syn_coding'])}.
\item \textbf{{Deux cas inégaux}} : pour Rennes, {n['syn_backed_rennes_txt']} sur {n['syn_n_dimensions']} ;
pour Territoire, {n['syn_backed_territoire_txt']} sur {n['syn_n_dimensions']} ; la comparaison porte aussi sur la visibilité des cas.
\item \textbf{{Prochaine étape : les entretiens}}, avec chaque catégorie d’acteurs des deux cas, sur trois
priorités : qui décide et qui finance (P1, P6) ; comment circulent les données (P3, P4, P5) ; où
s’arrête l’écosystème (P2, P7, P8). Le tableau de configuration et le statut des propositions seront
repris avec les mêmes règles, et ce document sera recalculé avec eux.
\end{{itemize}}
\end{{document}}
"""


def build(root: Path) -> int:
    """Write and compile the synthesis document → ``_build/synthese.pdf``."""
    from compendium.book.pdf import missing_tools
    from compendium.figures import to_png, use_house_style

    start = time.perf_counter()
    missing = missing_tools()
    if missing:
        print(f"ERREUR paquets Debian manquants pour le PDF : {' '.join(missing)} (./run synthese les installe)",
              file=sys.stderr)
        return 1
    try:
        syn = S.load(root)
    except (S.SynthesisError, Exception) as exc:  # DataError, SynthesisError: one line per problem
        for line in str(exc).splitlines():
            print(f"ERREUR {line}", file=sys.stderr)
        return 1
    out = root / OUT_DIR
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    use_house_style()
    (out / "cadre.png").write_bytes(to_png(S.framework_figure(syn)))
    numbers = Numbers(S.key_numbers(syn))
    (out / "synthese.tex").write_text(document(syn, numbers, "cadre.png"), encoding="utf-8")
    (out / "numbers.json").write_text(json.dumps({k: dict.__getitem__(numbers, k) for k in sorted(numbers.used)},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    log = out / "latexmk.log"
    with open(log, "w", encoding="utf-8") as fh:
        code = subprocess.call(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "synthese.tex"],
                               cwd=out, stdout=fh, stderr=subprocess.STDOUT)
    if code != 0:
        errors = [line for line in (out / "synthese.log").read_text(encoding="utf-8", errors="replace").splitlines()
                  if line.startswith("!")]
        print(f"ERREUR XeLaTeX : {errors[0] if errors else 'voir ' + str(log)}", file=sys.stderr)
        return code
    target = root / "_build" / PDF_NAME
    shutil.copy(out / PDF_NAME, target)
    print(f"document de synthèse : {target} (construit en {time.perf_counter() - start:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    from compendium.cases.synthesis import run_builder

    return run_builder(build, "python -m compendium.book.synthdoc", "construit _build/synthese.pdf", argv)


if __name__ == "__main__":
    sys.exit(main())
