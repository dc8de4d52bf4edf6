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


def chronology_figure(dated: pd.DataFrame, title: str) -> go.Figure:
    """One line per event, oldest at the top: the date as written and the title on the left,
    a marker at its place on the time axis."""
    labels = [f"{q} — {t}" for q, t in zip(dated["quand"], dated["title"])]
    fig = go.Figure(go.Scatter(
        x=dated["_x"], y=labels, mode="markers",
        marker=dict(size=9, color=PALETTE[0], line=dict(color="#222", width=1)),
        hovertext=[f"{q} : {d}" for q, d in zip(dated["quand"], dated["description"])], hoverinfo="text",
        showlegend=False,
    ))
    first, last = dated["_x"].min(), dated["_x"].max()
    fig.update_layout(
        title=title, height=120 + 24 * len(dated),
        yaxis=dict(autorange="reversed", title=None, tickfont=dict(size=11), showgrid=True, gridcolor="#eeeeee",
                   ticks=""),
        xaxis=dict(title=None, tickformat="%Y", dtick="M60" if last.year - first.year > 20 else "M24",
                   tickangle=0, side="top",
                   range=[dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 12, 31)]),
        margin=dict(l=20, r=20, t=90, b=20),
    )
    return fig


def source_kinds(sources: pd.DataFrame, case: str) -> pd.DataFrame:
    counts = for_case(sources, case)["kind"].map(KIND_LABELS).value_counts()
    return counts.rename_axis("nature").reset_index(name="sources")


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
    2018 »), ``since_rennes_e015`` with « depuis », and ``src_rennes_e015`` the links to its
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
        glue(f"src_{glue_key(row.id)}", Markdown(source_links(sources, row.source_ids)), display=False)
        count += 1
    for row in for_case(indicators, case).itertuples():
        glue_value(glue_key(row.id), indicator_text(row.value, row.unit))
        glue(f"src_{glue_key(row.id)}", Markdown(source_links(sources, row.source_ids)), display=False)
        count += 1
    return count
