"""The slide deck for project meetings (10–15 slides, French, speaker notes): ``./run slides``.

Tool: reveal.js 5, taken from the ``sphinx-revealjs`` package (pinned in requirements.txt) and
copied next to the deck, so the deck works offline (no CDN, the theme's fonts are local). The
deck is one HTML page written by this module from the same package functions and data as the
book; figures are the PNG exports of the book's plotly figures (drawn once, no script needed).
Speaker notes are reveal.js ``<aside class="notes">`` (press «s»). Each element id on a slide
links to its line in the book's register of evidence: next to the local book
(``_build/html``), or at the published book's address when ``COMPENDIUM_BOOK_URL`` gives it (the
publishing workflow does). The PDF, one page per slide,
is Chromium's print of reveal.js's ``?print-pdf`` view through Playwright, the same browser as
the book's offline test. Beamer would give the PDF but no offline HTML deck to present from a
browser, and a Sphinx reveal.js build would need the glued numbers re-pasted in a second book.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import sys
import time
from pathlib import Path

from compendium.book.titlepage import INSTITUTIONS, QUESTION, TITLE, authors, date_fr
from compendium.cases import synthesis as S
from compendium.cases.evidence_ids import REGISTER_DOC, label
from compendium.figures import browser_path

OUT_DIR = "_build/slides"
#: The published book's address (``https://…/``): the deck's ids link there instead of to
#: ``_build/html``, in the HTML deck and in its PDF.
BOOK_URL_ENV = "COMPENDIUM_BOOK_URL"
PDF_NAME = "slides.pdf"
WIDTH, HEIGHT = 1280, 720
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def reveal_dir() -> Path:
    import sphinx_revealjs

    return Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"


def esc(text) -> str:
    """``text`` for HTML, with the typographic apostrophe of French («l’Espace», not «l'Espace»):
    the book gets it from MyST's smart quotes and the synthesis PDF from TeX, the deck from here."""
    return html.escape(str(text).replace("'", "’"), quote=True)


CSS = """
.reveal { font-size: 34px; }
.reveal h1 { font-size: 1.7em; } .reveal h2 { font-size: 1.25em; margin-bottom: 0.4em; }
.reveal h1, .reveal h2 { text-transform: none; }
.reveal section { text-align: left; }
.reveal section.title { text-align: center; }
.reveal .question { font-style: italic; font-size: 0.95em; }
.reveal .small { font-size: 0.74em; } .reveal .tiny { font-size: 0.6em; color: #555; }
.reveal ul { margin-left: 1em; } .reveal li { margin-bottom: 0.25em; }
.reveal table { font-size: 0.56em; border-collapse: collapse; width: 100%; }
.reveal table th, .reveal table td { border-bottom: 1px solid #ccc; padding: 0.2em 0.4em; vertical-align: top; }
.reveal table.dense { font-size: 0.5em; }  /* eight propositions: the last row kept off the slide's foot */
.reveal .id { white-space: nowrap; }  /* a source identifier never breaks at its hyphen */
.reveal a.id { color: inherit; text-decoration: underline dotted; }
.reveal figure.figure { margin: 0; }
.reveal figure.figure figcaption { font-size: 0.6em; color: #333; text-align: center; margin-bottom: 0.3em; }
.reveal img.figure { display: block; margin: 0 auto; max-height: 530px; max-width: 100%; border: 0; box-shadow: none; }
.reveal .cols { display: flex; gap: 1.2em; } .reveal .cols > div { flex: 1; }
.reveal .footer { position: absolute; bottom: -1.6em; right: 0; font-size: 0.4em; color: #777; }
"""


class Numbers(dict):
    def __init__(self, values):
        super().__init__(values)
        self.used: set[str] = set()

    def __getitem__(self, key):
        self.used.add(key)
        return esc(super().__getitem__(key))


def _img(figure: tuple[bytes, str], alt: str) -> str:
    """A figure of the deck: its title as a caption above it, then the PNG."""
    png, title = figure
    caption = f'<figcaption>{esc(title)}</figcaption>' if title else ""
    return (f'<figure class="figure">{caption}<img class="figure" alt="{esc(alt)}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode()}"></figure>')


def _table(frame) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                   for row in frame.astype(str).itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _slide(body: str, notes: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f"<section{klass}>\n{body}\n<aside class=\"notes\">{esc(notes)}</aside>\n</section>"


class SlidesError(Exception):
    """A setting of the deck is wrong: the message is one French line."""


def register_page() -> str:
    """The address of the book's register of evidence, as the deck links to it: the published
    book's when ``COMPENDIUM_BOOK_URL`` is set, else the local book next to the deck
    (``_build/slides`` → ``_build/html``)."""
    base = os.environ.get(BOOK_URL_ENV, "").strip()
    if not base:
        return f"../html/{REGISTER_DOC}.html"
    if not re.match(r"https?://[^/\s]+", base):
        raise SlidesError(f"{BOOK_URL_ENV} : « {base} » n'est pas l'adresse d'un livre publié "
                          "(attendu : https://…, par exemple https://utilisateur.github.io/depot/)")
    return f"{base.rstrip('/')}/{REGISTER_DOC}.html"


def _id(element_id: str, register: dict, page: str) -> str:
    """An element id, linked to its line in the register when the register holds it."""
    text = f'<span class="id">{esc(element_id)}</span>'  # never broken at its hyphen («rennes-» / «048»)
    if element_id not in register:
        return text
    return f'<a class="id" href="{esc(page)}#{esc(label(element_id))}">{esc(element_id)}</a>'


def _vignette(syn: S.Synthesis, case: str, register: dict, page: str) -> str:
    ids = lambda sources: ", ".join(_id(i, register, page) for i in sources)  # noqa: E731
    items = "".join(f"<li><strong>{esc(f['lead'])}</strong> — {esc(f['text'])} <span class=\"tiny\">"
                    f"({ids(f['sources'])})</span></li>" for f in S.vignette(syn, case))
    return f'<ul class="small">{items}</ul>'


def dimensions_note(syn: S.Synthesis, top: int = 2) -> str:
    """The speaker's note of the dimensions slide, from the shares it shows: for each case, the
    ``top`` dimensions carried by the largest share of its pre-coded sources (a typed note had
    said more than the book: « deux profils opposés »)."""
    from compendium.prose import format_quantity, listing

    shares = S.dimension_shares(syn)
    parts = []
    for case in shares.columns:
        column = shares[case].sort_values(ascending=False).head(top)
        parts.append(f"{'à ' if case == 'Rennes' else 'pour '}{case}, "
                     + listing(f"{label[0].lower() + label[1:]} ({format_quantity(value, '%')})" for label, value in column.items()))
    return ("Les dimensions les plus présentes, en part des sources pré-codées de chaque cas : " + " ; ".join(parts)
            + ". Ces parts restent provisoires tant que le second codeur n’a pas codé toutes les sources.")


def figures(syn: S.Synthesis) -> dict[str, tuple[bytes, str]]:
    """PNG and title of each figure of the deck, drawn by the book's package functions.

    As in the book, the title is taken out of the drawing and set above it as a caption: inside,
    it collided with what plotly puts at the top of a figure (the network's key, the heatmap's
    column labels)."""
    from compendium import data
    from compendium.cases.ecosystem import case_graph, network_figure
    from compendium.figures import heatmap, to_png, use_house_style

    use_house_style()
    actors, relations = data.load_table("actors", syn.root), data.load_table("relations", syn.root)
    drawn = {
        "cadre": S.framework_figure(syn),
        "reseau": network_figure(case_graph(actors, relations, "rennes"), "Rennes : réseau des acteurs documentés"),
        "dimensions": heatmap(S.dimension_shares(syn), "Part des sources pré-codées de chaque cas portant chaque dimension (%)",
                              "% des sources"),
    }
    # the dimensions are two columns: their names read level, not slanted as the book's many do
    drawn["dimensions"].update_xaxes(tickangle=0)
    # its colour bar a little lower: the key's larger title would touch the last row
    drawn["dimensions"].update_traces(colorbar_y=-0.06)
    out = {}
    for name, fig in drawn.items():
        title = (fig.layout.title.text if fig.layout.title else None) or ""
        fig.update_layout(title=None)
        # the framework's eight rows of two-line labels have no room for the full scale
        out[name] = (to_png(legible(fig, 1.35 if name == "cadre" else FONT_SCALE), width=FIGURE_WIDTH), title)
    return out


#: The width at which the deck's figures are drawn, in CSS pixels: about the slide's (its image
#: is then shown near its own size), where the book draws them 900 wide for a page.
FIGURE_WIDTH = 1200
#: How much larger the deck's figures write than the book's: read on a screen across a room,
#: the book's 10-pixel labels were the smallest text of the deck.
FONT_SCALE = 1.6
#: The tallest a figure is shown on a slide (``img.figure``'s max-height in the deck's CSS).
FIGURE_MAX_HEIGHT = 530


def legible(fig, scale: float = FONT_SCALE):
    """A copy of ``fig`` for a slide: every font size it sets (its own, its traces', its
    template's) multiplied by ``scale``, and its height a little larger, so that two-line labels
    still fit their rows."""
    import plotly.graph_objects as go

    from compendium.figures import HEIGHT

    spec = fig.to_dict()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                    value["size"] = round(value["size"] * scale)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    # the margins hold text too (the network's key sits in the top one): as much larger
    margin = spec.get("layout", {}).get("margin", {})
    for side in ("t", "b", "l", "r"):
        if isinstance(margin.get(side), (int, float)):
            margin[side] = round(margin[side] * scale)
    out = go.Figure(spec)
    # a little taller for the larger text, but no taller than the slide shows an image (the CSS
    # max-height): a taller drawing would be shrunk back, its text with it
    out.update_layout(height=min(FIGURE_MAX_HEIGHT, round((fig.layout.height or HEIGHT) * 1.15)))
    return out


def network_key(syn: S.Synthesis, case: str = "rennes", top: int = 6) -> str:
    """The numbers of the map's most connected actors with their names, under the map of the
    deck (the book's map has its full table; the slide had only numbers)."""
    from compendium import data
    from compendium.cases.ecosystem import case_graph, network_table

    table = network_table(case_graph(data.load_table("actors", syn.root), data.load_table("relations", syn.root), case))
    most = table.sort_values(["partenaires", "n°"], ascending=[False, True]).head(top).sort_values("n°")
    # the name without its parenthesised or dashed complement, whole (the map's short name cut it at 32)
    names = [re.split(r" \(| – ", name)[0] for name in most["acteur"]]
    return " · ".join(f"{int(number)} {name}" for number, name in zip(most["n°"], names))


def network_hub(syn: S.Synthesis, case: str = "rennes") -> str:
    """The most central actor of the case's documented network, as the cross-case chapter names it
    (its first row by betweenness)."""
    from compendium import data
    from compendium.cases.ecosystem import case_graph, centrality

    graph = case_graph(data.load_table("actors", syn.root), data.load_table("relations", syn.root), case)
    return str(centrality(graph).iloc[0]["acteur"])


def deck(syn: S.Synthesis, numbers: Numbers, pngs: dict[str, tuple[bytes, str]], page: str | None = None) -> str:
    """The deck's HTML; ``page``: where its ids link (:func:`register_page`)."""
    from compendium.cases.evidence import elements
    from compendium.cases.secondary import largest_kind_clause

    n = numbers
    register, page = elements(syn.root), page or register_page()
    names = authors(syn.root)
    institutions = "<br>".join(esc(name) for name, _ in INSTITUTIONS)
    status = syn.status.set_index("id")
    prop_rows = "".join(
        f"<tr><td><strong>{esc(p.id)}</strong> {esc(p.title)}</td><td>{esc(S.STATUS_LABELS[status.loc[p.id, 'status']])}</td>"
        f"<td>{esc(status.loc[p.id, 'interview_needs'])}</td></tr>" for p in syn.propositions.itertuples())
    sentence = esc(S.status_sentence(syn))
    slides = [
        _slide(f"<h1>{esc(TITLE)}</h1><p class=\"question\">{esc(QUESTION)}</p>"
               f"<p class=\"small\">{'<br>'.join(esc(a) for a in names) or institutions}</p>"
               f"<p class=\"small\">Réunion de projet — {esc(date_fr())}</p>",
               "Présenter l’étude, ses deux institutions et l’objet de la réunion : faire le point sur la synthèse "
               "d’étape, avant les entretiens.", "title"),
        _slide("<h2>La question et pourquoi elle compte</h2><ul>"
               "<li>Les jumeaux numériques de territoires réunissent collectivités, détenteurs de données, industriels et recherche.</li>"
               "<li>Forment-ils un écosystème d’innovation <em>d’une nature nouvelle</em>, distinct des formes décrites par la littérature ?</li>"
               "<li>Comment s’organise-t-il : gouvernance et tiers de confiance, données, technologie, modèles d’affaires ?</li>"
               "<li>Deux cas : Rennes (maquette 3D, service public de la donnée, RUDI) et la plateforme Territoire de l’Institut Henri Fayol.</li></ul>",
               "Rappeler que la question vient de l’appel de l’institut ; insister sur le mot « nouvelle » : il faut "
               "comparer aux formes connues, pas seulement décrire."),
        _slide(f"<h2>Le matériau à ce jour</h2><ul>"
               f"<li>{n['syn_public_sources_rennes_txt']} pour Rennes, {n['syn_n_sources_territoire']} pour Territoire.</li>"
               f"<li>Deux pré-codages indépendants de {n['syn_passages_txt']} tirés de {n['syn_precoded_sources_txt']} ; "
               f"{n['syn_agreed_txt']} aux deux.</li>"
               f"<li>Cités par les tables de la synthèse (configuration, propositions) et vérifiés dans les données : {n['syn_cited_txt']}.</li>"
               f"<li>{n['syn_interviews'][0].upper() + n['syn_interviews'][1:]} : les entretiens sont la prochaine étape.</li></ul>",
               "Dire d’emblée la limite : tout ce qui suit vient de sources publiques, produites pour une large part "
               "par les porteurs de projets. Les chiffres de cette diapositive sont recalculés à chaque construction. "
               "Un couple source–code : une source et un code que les deux pré-codages lui donnent."),
        _slide("<h2>Le cadre et les propositions</h2>" + _img(pngs["cadre"], "Dimensions du cadre et propositions P1 à P8"),
               f"{n['syn_dimensions_txt']}, {n['syn_props_txt']}. La couleur donne le statut provisoire : {S.status_sentence(syn)}."),
        _slide("<h2>Rennes : de la maquette 3D au partage de données</h2>" + _vignette(syn, "rennes", register, page),
               f"{S.count(len(S.vignette(syn, 'rennes')), 'fait')}, chacun avec ses sources. Souligner le passage d’un outil 3D porté par une PME locale, "
               "rachetée par un grand éditeur, à des dispositifs publics de partage de données."),
        _slide("<h2>Rennes : le réseau documenté</h2>" + _img(pngs["reseau"], "Réseau des acteurs rennais")
               + f"<p class=\"tiny\">Les plus reliés : {esc(network_key(syn))}.</p>",
               f"Acteur le plus central du réseau documenté : {esc(network_hub(syn))} ; réserve : une part des récits "
               "publics vient de la collectivité elle-même, comme le relève l’analyse croisée du livre."),
        _slide("<h2>Territoire : une plateforme de données liées</h2>" + _vignette(syn, "territoire", register, page),
               f"La plus grande part des sources lues : {esc(largest_kind_clause(syn.sources, 'territoire'))}. "
               "Aucune source lue ne relie la plateforme à des acteurs du territoire stéphanois."),
        _slide("<h2>Les dimensions de la synthèse dans les sources</h2>"
               + _img(pngs["dimensions"], "Part des sources codées par dimension de la synthèse et par cas"),
               dimensions_note(syn)),
        _slide(f"<h2>Le tableau de configuration</h2>{_table(S.configuration_table(syn, short=True))}"
               f"<p class=\"tiny\">{n['syn_cells_sentence']}</p>",
               "Forme classique la plus proche, dimension par dimension. À Rennes, elle change selon la dimension : "
               "c’est l’hybridation qui fait la question de la nature nouvelle."),
        _slide("<h2>Une nature nouvelle ? Réponse provisoire</h2><ul class=\"small\">"
               "<li>À Rennes, une configuration <strong>hybride</strong>, que les sources montrent orchestrée par la collectivité et centrée sur les données ; "
               f"l’écosystème d’affaires à firme clé de voûte {n['syn_form_ecosysteme_affaires_rennes_txt']}.</li>"
               "<li>Trois explications rivales à écarter : un <em>portefeuille de projets publics</em> ; la <em>plateforme d’un éditeur</em> ; "
               "un <em>programme ordinaire d’ouverture des données</em>.</li>"
               "<li>Pour Territoire, pas encore d’écosystème visible au-delà du cercle académique.</li></ul>",
               "Réponse d’étape, pas une conclusion : chacune des rivales reste plausible au vu des sources publiques. "
               "Dire ce qui les départagerait : la survie de règles et de données entre projets, le rôle réel de l’éditeur, "
               "des échanges effectifs de données non ouvertes."),
        _slide(f"<h2>Les propositions</h2><table class=\"dense\"><thead><tr><th>Proposition</th><th>Statut</th><th>Ce que les entretiens doivent apporter</th></tr></thead>"
               f"<tbody>{prop_rows}</tbody></table>",
               f"{sentence[0].upper() + sentence[1:]}. {esc(S.open_propositions_sentence(syn))} Pourquoi chaque statut : "
               + " ".join(f"{p.id} — {status.loc[p.id, 'rationale']}" for p in syn.propositions.itertuples())),
        _slide("<h2>Limites</h2><ul>"
               "<li>Une part des sources émane des porteurs de projets (collectivité, éditeur, établissement) : elles montrent ce qu’ils choisissent de montrer.</li>"
               f"<li>Pré-codage documentaire : {n['syn_coding']}.</li>"
               f"<li>Deux cas inégaux : pour Rennes, {n['syn_backed_rennes_txt']} sur {n['syn_n_dimensions']} ; "
               f"pour Territoire, {n['syn_backed_territoire_txt']} sur {n['syn_n_dimensions']}.</li></ul>",
               "La comparaison porte autant sur la visibilité des deux cas que sur leur organisation."),
        _slide("<h2>Prochaines étapes : les entretiens</h2><ol>"
               "<li><strong>Qui décide et qui finance</strong> (P1, P6)</li>"
               "<li><strong>Comment circulent les données</strong> (P3, P4, P5)</li>"
               "<li><strong>Où s’arrête l’écosystème</strong> (P2, P7, P8), d’abord pour Territoire</li></ol>"
               "<p class=\"small\">Même grille de codage ; le livre, la synthèse et cette présentation seront recalculés avec les entretiens.</p>",
               "Demander à la réunion : les contacts pour les entretiens, en particulier côté Territoire, et les "
               "documents internes qui pourraient être versés au corpus."),
    ]
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{esc(TITLE)} — présentation</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="revealjs/dist/reset.css">
<link rel="stylesheet" href="revealjs/dist/reveal.css">
<link rel="stylesheet" href="revealjs/dist/theme/white.css">
<style>{CSS}</style>
</head>
<body>
<div class="reveal"><div class="slides">
{chr(10).join(slides)}
</div></div>
<script src="revealjs/dist/reveal.js"></script>
<script src="revealjs/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({{width: {WIDTH}, height: {HEIGHT}, hash: true, slideNumber: "c/t", controls: true,
  transition: "none", pdfMaxPagesPerSlide: 1, pdfSeparateFragments: false, plugins: [RevealNotes]}});
</script>
</body>
</html>
"""


def export_pdf(index: Path, target: Path) -> int:
    """Print reveal.js's ``?print-pdf`` view with Chromium: one page per slide; returns the slide count."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(index.resolve().as_uri() + "?print-pdf")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.wait_for_timeout(500)
        count = page.evaluate("Reveal.getTotalSlides()")
        # a relative link (the local book) would print as a file:// path of this machine: the
        # PDF keeps only the links to a published book
        page.evaluate("document.querySelectorAll('a[href]').forEach(a => {"
                      " if (!/^https?:/.test(a.getAttribute('href'))) a.removeAttribute('href'); })")
        page.pdf(path=str(target), width=f"{WIDTH}px", height=f"{HEIGHT}px", print_background=True,
                 prefer_css_page_size=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
        browser.close()
    return count


def build(root: Path) -> int:
    """Write the deck → ``_build/slides/index.html`` and print it → ``_build/slides.pdf``."""
    import json

    start = time.perf_counter()
    try:
        page = register_page()
        syn = S.load(root)
    except Exception as exc:  # SlidesError, DataError, SynthesisError: one line per problem
        for line in str(exc).splitlines():
            print(f"ERREUR {line}", file=sys.stderr)
        return 1
    out = root / OUT_DIR
    shutil.rmtree(out, ignore_errors=True)
    src = reveal_dir()
    for part in ("dist", "plugin/notes"):
        shutil.copytree(src / part, out / "revealjs" / part, ignore=shutil.ignore_patterns("*.map", "*.esm.js"))
    numbers = Numbers(S.key_numbers(syn))
    index = out / "index.html"
    index.write_text(deck(syn, numbers, figures(syn), page), encoding="utf-8")
    (out / "numbers.json").write_text(json.dumps({k: dict.__getitem__(numbers, k) for k in sorted(numbers.used)},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    count = export_pdf(index, root / "_build" / PDF_NAME)
    print(f"présentation : {index} ({count} diapositives) ; PDF : {root / '_build' / PDF_NAME}"
          f" (construits en {time.perf_counter() - start:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    from compendium.cases.synthesis import run_builder

    return run_builder(build, "python -m compendium.book.slides", "construit _build/slides/", argv)


if __name__ == "__main__":
    sys.exit(main())
