"""Build benchmark (a script, not a test): run it with ``./run bench``.

Times, on a temporary copy of the project, in one run so that ratios are comparable:
cold build (every notebook executed, no _build), no-op rebuild, rebuild after editing one
table, PDF build, and the static-image export of one figure. Prints a table and the ratios
no-op/cold and edit/cold, and which notebooks the edit re-executed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project, set_cell  # noqa: E402


def timed(root: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "compendium", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"échec de compendium {' '.join(args)} :\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def figure_export_seconds(n: int = 10) -> tuple[float, float]:
    import plotly.graph_objects as go

    from compendium.figures import to_png

    fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2]))
    start = time.perf_counter()
    to_png(fig)  # starts the browser
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(n):
        to_png(fig)
    return first, (time.perf_counter() - start) / n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        cold, _ = timed(root, "build", "html", "--force")
        noop, _ = timed(root, "build", "html")
        set_cell(root / "data/secondary/indicators.csv", 2, "value", "424242")
        edit, out = timed(root, "build", "html")
        rerun = re.findall(r"exécution de (\S+)", out)
        pdf, _ = timed(root, "build", "pdf")
    first, per_figure = figure_export_seconds()
    rows = [
        ("construction à froid (tous les carnets exécutés)", cold),
        ("reconstruction sans changement", noop),
        ("reconstruction après modification d'une table", edit),
        ("construction du PDF", pdf),
        ("export PNG d'une figure (navigateur déjà lancé)", per_figure),
        ("lancement du navigateur + première figure", first),
    ]
    width = max(len(r[0]) for r in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:7.2f} s")
    print(f"ratio sans changement / froid : {noop / cold:.1%} (objectif ≤ 10 %)")
    print(f"ratio modification / froid    : {edit / cold:.1%}")
    print(f"carnets réexécutés après modification de indicators.csv : {', '.join(rerun) or 'aucun'}")


if __name__ == "__main__":
    main()
