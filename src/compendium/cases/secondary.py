"""Public secondary data of the cases: chronology, evidence, sources.

Dates are kept at the precision the sources give (``1999``, ``2018-02``, ``2018-02-02``).
For drawing, a year is placed at its middle (1 July) and a month at its 15th; the label
always shows the date as written.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from compendium.figures import PALETTE
from compendium.prose import date_phrase, format_count, format_date, format_quantity, singular

KIND_LABELS = {"press": "presse", "institutional": "institutionnel", "vendor": "éditeur ou prestataire",
               "academic": "académique", "report": "rapport", "blog": "blog", "code": "code",
               "dataset": "jeu de données"}
#: Each kind's noun, singular and plural, to count sources in prose (« 17 dépôts ou documents de code »).
KIND_NOUNS = {"press": ("article de presse", "articles de presse"),
              "institutional": ("page institutionnelle", "pages institutionnelles"),
              "vendor": ("page d’éditeur ou de prestataire", "pages d’éditeurs ou de prestataires"),
              "academic": ("publication académique", "publications académiques"),
              "report": ("rapport", "rapports"), "blog": ("billet de blog", "billets de blog"),
              "code": ("dépôt ou document de code", "dépôts ou documents de code"),
              "dataset": ("jeu de données", "jeux de données")}
#: Kinds of source that speak for a party with a commercial interest in the facts.
INTERESTED_KINDS = {"vendor"}


def plot_date(value: str) -> dt.date:
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 7, 1)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


def for_case(frame: pd.DataFrame, case: str) -> pd.DataFrame:
    return frame[frame["case"] == case].reset_index(drop=True)


def chronology(events: pd.DataFrame, case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated events of ``case`` in order, and its undated ones."""
    ev = for_case(events, case)
    dated = ev[ev["date"].notna()].copy()
    dated["quand"] = dated["date"].map(format_date)
    dated["_x"] = dated["date"].map(plot_date)
    dated = dated.sort_values(["_x", "id"]).reset_index(drop=True)
    return dated, ev[ev["date"].isna()].reset_index(drop=True)


#: Abbreviated French months for the date column of the chronology (the hover gives the full date).
MONTHS_ABBR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
#: Marker per date precision: the fuller the marker, the more precise the date (reads in print).
PRECISION_STYLE = {
    "day": ("jour", "circle", PALETTE[0]),
    "month": ("mois", "circle-open-dot", PALETTE[0]),
    "year": ("année", "circle-open", PALETTE[0]),
}
#: Characters per line of an event title: fits beside the date column on a 360-pixel phone.
TITLE_WRAP = 32


def date_precision(value: str) -> str:
    """``year``, ``month`` or ``day``: the precision at which a source gives a date."""
    return {1: "year", 2: "month", 3: "day"}[len(str(value).split("-"))]


def short_date(value: str) -> str:
    """``2018`` → ``2018``, ``2018-02`` → ``févr. 2018``, ``2018-02-02`` → ``2 févr. 2018``."""
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS_ABBR[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def chronology_figure(dated: pd.DataFrame, title: str, for_print: bool = False) -> go.Figure:
    """A vertical timeline, oldest at the top: one row per event, the date (as precise as the
    source gives it) to the left of the line, the title to its right, broken over lines so that
    it reads on a phone. The marker shows the date precision (filled: day, dotted: month,
    hollow: year); decades are shaded and named. The hover gives the full date and the
    description. Rows are evenly spaced (an axis in years would pile up the many recent events),
    so the decade bands carry the time scale.

    ``for_print`` gives the version for the A4 page of the PDF: longer lines and tighter rows, so
    that the whole timeline fits one page at a legible size.
    """
    from compendium.figures import wrap

    # a text line (pixels), the space between events and a decade heading (in lines)
    line_px, gap, head = (16, 0.35, 1.3) if for_print else (18, 0.8, 1.4)
    titles = [wrap(t, 64 if for_print else TITLE_WRAP) for t in dated["title"]]
    heights = [t.count("<br>") + 1 for t in titles]
    years = [int(str(d)[:4]) for d in dated["date"]]
    ys, tops, y, decade = [], {}, 0.0, None
    for h, year in zip(heights, years):
        if year // 10 * 10 != decade:  # a new decade opens with its heading
            decade = year // 10 * 10
            tops[decade] = y
            y += head
        ys.append(y + (h - 1) / 2)  # marker level with the middle of the title block
        y += h + gap
    total = y - gap
    precision = [date_precision(d) for d in dated["date"]]
    # shapes and annotations are collected and set once: adding them one by one re-validates every
    # annotation already there, which made a timeline of 40 events take seconds to draw
    fig, shapes, notes = go.Figure(), [], []
    # decade bands, alternately shaded, each headed by its name
    bounds = list(tops.values()) + [total + gap / 2]
    for k, (decade, top) in enumerate(tops.items()):
        shapes.append(dict(type="rect", xref="paper", xsizemode="pixel", xanchor=1, x0=-4000, x1=0, yref="y",
                      y0=top - gap / 2, y1=bounds[k + 1] - gap / 2, layer="below", line_width=0,
                      fillcolor="#eeeeee" if k % 2 == 0 else "#ffffff"))
        notes.append(dict(x=0, y=top + head / 2 - gap / 4, xanchor="right", xshift=-12, showarrow=False,
                          text=f"<b>années {decade}</b>", font=dict(size=11, color="#444444")))
    shapes.append(dict(type="line", xref="x", yref="y", x0=0, x1=0, y0=-0.5, y1=total + 0.5,
                       line=dict(color="#444444", width=1.5), layer="below"))
    for key, (label, symbol, colour) in PRECISION_STYLE.items():
        rows = [i for i, p in enumerate(precision) if p == key]
        if not rows:
            continue
        fig.add_trace(go.Scatter(
            x=[0] * len(rows), y=[ys[i] for i in rows], mode="markers", name=label, cliponaxis=False,
            marker=dict(size=11, symbol=symbol, color=colour, line=dict(color=colour, width=2)),
            hovertext=[f"<b>{dated['quand'].iloc[i]}</b><br>{wrap(dated['title'].iloc[i], 40)}<br>"
                       f"{wrap(dated['description'].iloc[i], 40)}" for i in rows],
            hoverinfo="text",
        ))
    for i, row_title in enumerate(titles):
        notes.append(dict(x=0, y=ys[i], xanchor="right", xshift=-12, showarrow=False, align="right",
                          text=short_date(dated["date"].iloc[i]), font=dict(size=11, color="#333333")))
        notes.append(dict(x=0, y=ys[i], xanchor="left", xshift=12, showarrow=False, align="left",
                          text=row_title, font=dict(size=12)))
    # the key to the markers, as one short line (a plotly legend would widen the margins on a phone)
    glyphs = {"day": "●", "month": "⊙", "year": "○"}
    key = "   ".join(f'<span style="color:{PALETTE[0]}">{glyphs[k]}</span> {PRECISION_STYLE[k][0]}'
                     for k in PRECISION_STYLE if k in precision)
    notes.append(dict(xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", xshift=-100,
                      yshift=8, showarrow=False, align="left", text=f"Date connue au : {key}",
                      font=dict(size=11, color="#333333")))
    fig.update_layout(shapes=shapes, annotations=notes)
    first, last = dated["quand"].iloc[0], dated["quand"].iloc[-1]
    alt = (f"{title} : frise verticale de {format_count(len(dated), 'événement daté', noun_plural='événements datés')}, du plus ancien ({first}) "
           f"au plus récent ({last}) ; chaque événement est décrit dans le texte et ses sources dans "
           "la table des événements.")
    fig.update_layout(
        title=title, height=int(40 + (total + 1.2) * line_px), showlegend=False,
        xaxis=dict(visible=False, range=[0, 1], fixedrange=True),
        yaxis=dict(visible=False, range=[total + 0.6, -0.6], fixedrange=True),
        margin=dict(l=104, r=8, t=30, b=4), meta={"alt": alt, "max_width": None if for_print else 640},
        hoverlabel=dict(align="left"),
    )
    return fig


def source_kinds(sources: pd.DataFrame, case: str) -> pd.DataFrame:
    counts = for_case(sources, case)["kind"].map(KIND_LABELS).value_counts()
    return counts.rename_axis("nature").reset_index(name="sources")


def largest_kind_clause(sources: pd.DataFrame, case: str) -> str:
    """The kind of source the case has most of, counted with its noun over the case's sources:
    « 17 dépôts ou documents de code sur 29 sources » (ties: every tied kind, joined by « et »)."""
    from compendium.prose import listing

    counts = for_case(sources, case)["kind"].value_counts()
    if counts.empty:
        return "aucune source"
    top = counts[counts == counts.iloc[0]]
    parts = [format_count(int(n), KIND_NOUNS.get(kind, (kind, None))[0], noun_plural=KIND_NOUNS.get(kind, (kind, None))[1])
             for kind, n in top.items()]
    return f"{listing(parts)} sur {format_count(int(counts.sum()), 'source')}"


def sources_by_period(sources: pd.DataFrame, case: str) -> pd.DataFrame:
    """Sources per publication period (5-year bins); undated pages counted apart."""
    src = for_case(sources, case)
    years = src["published"].dropna().map(lambda d: int(str(d)[:4]))
    bins = (years // 5 * 5).map(lambda y: f"{y}–{y + 4}")
    counts = bins.value_counts().sort_index()
    frame = counts.rename_axis("période").reset_index(name="sources")
    undated = int(src["published"].isna().sum())
    if undated:
        frame = pd.concat([frame, pd.DataFrame([{"période": "non datées", "sources": undated}])], ignore_index=True)
    return frame


def interested_only(table: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``table`` whose every source is a vendor or sponsored page (to flag in the text)."""
    kinds = sources.set_index("id")["kind"]
    mask = table["source_ids"].map(lambda ids: all(kinds[i] in INTERESTED_KINDS for i in ids))
    return table[mask].reset_index(drop=True)


def interested_facts(events: pd.DataFrame, indicators: pd.DataFrame, relations: pd.DataFrame,
                     actors: pd.DataFrame, sources: pd.DataFrame, case: str) -> pd.DataFrame:
    """The events, indicators and relations of ``case`` whose every source is a vendor's page,
    one row each (``id``, ``fait``): a relation is named by its two actors and its kind."""
    from compendium.cases.ecosystem import RELATION_LABELS

    names = actors.set_index("id")["name"]
    flagged_events = interested_only(for_case(events, case), sources)
    flagged_indicators = interested_only(for_case(indicators, case), sources)
    flagged_relations = interested_only(for_case(relations, case), sources)
    return pd.concat([
        pd.DataFrame({"id": flagged_events["id"], "fait": flagged_events["title"]}),
        pd.DataFrame({"id": flagged_indicators["id"], "fait": flagged_indicators["name"]}),
        pd.DataFrame({"id": flagged_relations["id"], "fait": [
            f"{names.get(r.from_actor, r.from_actor)} → {names.get(r.to_actor, r.to_actor)} "
            f"({RELATION_LABELS.get(r.kind, r.kind)})" for r in flagged_relations.itertuples()]}),
    ], ignore_index=True)


def indicator(indicators: pd.DataFrame, indicator_id: str) -> pd.Series:
    """One indicator row by id (an unknown id is an error naming it)."""
    rows = indicators[indicators["id"] == indicator_id]
    if rows.empty:
        raise KeyError(f"indicateur « {indicator_id} » absent de data/secondary/indicators.csv")
    return rows.iloc[0]


def source_link(sources: pd.DataFrame, source_id: str) -> str:
    row = sources[sources["id"] == source_id].iloc[0]
    return f"[{source_id}]({row['url']})"


def glue_key(row_id: str) -> str:
    """Glue name of a row id: ``rennes-e015`` → ``rennes_e015``."""
    return row_id.replace("-", "_")


#: Publisher label of code repositories owned by individuals (students): the book counts them
#: but neither names nor links them (their addresses stay in data/ for verification).
INDIVIDUAL_ACCOUNT = "compte individuel"


def source_links(sources: pd.DataFrame, ids: list[str]) -> str:
    """Markdown links to the sources, labelled by publisher and year: « [La Tribune, 2018](…) ».
    Repositories of individual accounts are shown as plain text, without their address."""
    index = sources.set_index("id")
    links = []
    for source_id in ids:
        row = index.loc[source_id]
        year = f", {str(row['published'])[:4]}" if isinstance(row["published"], str) else ""
        publisher = str(row["publisher"]).replace("[", "(").replace("]", ")")
        if INDIVIDUAL_ACCOUNT in publisher:
            links.append(f"dépôt de code individuel ({source_id})")
        else:
            links.append(f"[{publisher}{year}]({row['url']})")
    return " ; ".join(links)


SYMBOL_UNITS = {"%", "EUR", "€"}


def indicator_text(value, unit: str) -> str:
    """An indicator's value with its unit as the prose reads it: symbols after a narrow space
    (« 80 % », « 5 000 000 € »), nouns in the right number (« 1 producteur », « 386 jeux de
    données »; the tables hold the plural noun)."""
    value = float(value)
    decimals = 0 if value.is_integer() else 1
    if unit in SYMBOL_UNITS:
        return format_quantity(value, {"EUR": "€"}.get(unit, unit), decimals)
    return format_count(value, singular(unit), decimals, noun_plural=unit)


def glue_facts(events: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame, case: str) -> int:
    """Glue every dated event and indicator of ``case`` for the prose, with its sources.

    For an event ``rennes-e015``: ``rennes_e015`` is its date as written (« 2013 », « février
    2018 »), ``when_rennes_e015`` the same date with its preposition (« en 2013 », « le 2 février
    2018 »), ``since_rennes_e015`` with « depuis », ``of_rennes_e015`` with « de » (« datés du 2
    février 2018 »), and ``src_rennes_e015`` the links to its
    sources; for an indicator ``rennes-i017``:
    ``rennes_i017`` is its value with its unit and ``src_rennes_i017`` its sources. Returns how
    many facts were glued.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    from compendium.prose import glue_value

    count = 0
    for row in for_case(events, case).itertuples():
        if isinstance(row.date, str):
            glue_value(glue_key(row.id), format_date(row.date))
            glue_value(f"when_{glue_key(row.id)}", date_phrase(row.date))
            glue_value(f"since_{glue_key(row.id)}", date_phrase(row.date, "depuis"))
            glue_value(f"of_{glue_key(row.id)}", date_phrase(row.date, "de"))
        glue(f"src_{glue_key(row.id)}", Markdown(source_links(sources, row.source_ids)), display=False)
        count += 1
    for row in for_case(indicators, case).itertuples():
        glue_value(glue_key(row.id), indicator_text(row.value, row.unit))
        glue(f"src_{glue_key(row.id)}", Markdown(source_links(sources, row.source_ids)), display=False)
        count += 1
    return count
