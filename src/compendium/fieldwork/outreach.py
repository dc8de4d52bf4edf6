"""The outreach kit for the interviews: the tracker of target organisations, the planned
schedule as a figure, and the one-page study presentation (XeLaTeX, built into _build/)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from compendium.figures import PALETTE

PRESENTATION_SOURCE = Path("chapters/terrain/presentation-etude.tex")
PRESENTATION_PDF = "presentation-etude.pdf"
STATUS_LABELS = {"a_contacter": "à contacter", "contacte": "contacté", "planifie": "planifié", "realise": "réalisé",
                 "refus": "refus"}


def schedule_problems(schedule: pd.DataFrame) -> list[str]:
    """One French line per phase that ends before it starts."""
    bad = schedule[schedule["end_month"] < schedule["start_month"]]
    return [f"data/fieldwork/schedule.csv, phase {row.id} : le mois de fin ({row.end_month}) précède le mois de "
            f"début ({row.start_month})" for row in bad.itertuples()]


def schedule_figure(schedule: pd.DataFrame, title: str) -> go.Figure:
    """A Gantt chart of the planned phases, in months from the start of the study."""
    problems = schedule_problems(schedule)
    if problems:
        raise ValueError("\n".join(problems))
    phases = schedule.sort_values(["start_month", "end_month", "id"])
    fig = go.Figure(go.Bar(
        y=phases["phase"], x=phases["end_month"] - phases["start_month"] + 1, base=phases["start_month"] - 1,
        orientation="h", marker=dict(color=PALETTE[0], line=dict(color="#222", width=1)),
        hovertext=phases["description"], hoverinfo="text", showlegend=False,
    ))
    last = int(phases["end_month"].max())
    fig.update_layout(
        title=title, height=140 + 40 * len(phases),
        yaxis=dict(autorange="reversed", title=None),
        xaxis=dict(title="mois de l'étude", tickmode="array", tickvals=[m - 0.5 for m in range(1, last + 1)],
                   ticktext=[f"mois {m}" for m in range(1, last + 1)], range=[0, last]),
        margin=dict(l=20, r=20, t=60, b=40),
        # the phase names need room: on a phone the chart keeps this width and scrolls in its box
        meta={"min_width": 560, "alt": f"Calendrier prévu du terrain : {len(phases)} phases sur {last} mois, "
                                       "de la prise de contact à la restitution."},
    )
    return fig


def groups_outside_tracker(tracker: pd.DataFrame, actors: pd.DataFrame, relations: pd.DataFrame) -> list[str]:
    """The priority actors of the sampling plans that are groups of citizens, users or students
    rather than organisations: the tracker has no row for them (one reaches them through the
    organisation that gathers them), so the prose says so when it counts the tracker's
    priorities against the plan's."""
    from compendium.fieldwork.interviews import sampling_plan

    index = actors.set_index("id")
    out = []
    for case in ("rennes", "territoire"):
        plan = sampling_plan(actors, relations, case)
        for name in plan.loc[plan["priorité"], "organisation"]:
            ids = index.index[index["name"] == name]
            if (len(ids) and index.loc[ids[0], "kind"] == "citoyens_usagers"
                    and ids[0] not in set(tracker["actor_id"])):
                out.append(name)
    return out


def groups_sentence(names: list[str]) -> str:
    """« » (none), or the sentence that names, as the actor table does, the groups the plan
    retains without a tracker row."""
    from compendium.prose import NNBSP, format_count, listing

    if not names:
        return ""
    listed = listing(f"«{NNBSP}{n}{NNBSP}»" for n in names)
    if len(names) == 1:
        return (f"Le plan retient aussi un groupe qui n'a pas de ligne propre, {listed}{NNBSP}: on le "
                "sollicite par l'organisation qui le réunit.")
    return (f"Le plan retient aussi {format_count(len(names), 'groupe')} qui n'ont pas de ligne propre, "
            f"{listed}{NNBSP}: on les sollicite par les organisations qui les réunissent.")


def tracker_view(tracker: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The tracker as shown in the book: organisation, role sought, priority, channel, status."""
    names = actors.set_index("id")["name"]
    frame = tracker.assign(
        organisation=tracker["actor_id"].map(names),
        canal=tracker["contact_url"].map(lambda u: f"[page officielle]({u})" if isinstance(u, str) else "à trouver"),
        état=tracker["status"].map(STATUS_LABELS),
    )
    frame = frame.sort_values(["case", "priority", "id"])
    return frame[["case", "organisation", "role_sought", "priority", "canal", "état"]].rename(
        columns={"case": "cas", "role_sought": "fonction recherchée", "priority": "priorité"}).reset_index(drop=True)


def build_presentation(root: Path) -> int:
    """Compile the one-page presentation with XeLaTeX into ``_build/presentation-etude.pdf``."""
    if shutil.which("xelatex") is None:
        print("ERREUR paquet Debian manquant pour la présentation : texlive-xetex (./run presentation l'installe)",
              file=sys.stderr)
        return 1
    work = root / "_build" / "presentation"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(root / PRESENTATION_SOURCE, work / "presentation-etude.tex")
    log = work / "xelatex.log"
    with open(log, "w", encoding="utf-8") as fh:
        code = subprocess.call(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "presentation-etude.tex"],
                               cwd=work, stdout=fh, stderr=subprocess.STDOUT)
    if code != 0:
        errors = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.startswith("!")]
        print(f"ERREUR XeLaTeX (présentation) : {errors[0] if errors else 'voir ' + str(log)}", file=sys.stderr)
        return code
    target = root / "_build" / PRESENTATION_PDF
    shutil.copy(work / PRESENTATION_PDF, target)
    print(f"présentation de l'étude (une page) : {target}")
    return 0
