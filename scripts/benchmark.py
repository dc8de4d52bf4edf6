"""Build benchmark (a script, not a test): run it with ``./run bench``.

Times, on a temporary copy of the project and in one run (these machines are noisy: compare
the ratios, not the seconds):

- cold build: every notebook executed, no ``_build`` (so no figure cache);
- no-op rebuild, by ``./run html`` (``compendium build html``) and by plain ``jupyter-book build .``;
- rebuild after editing one table, by both commands (a different table each time);
- the PDF build;
- the execution time of each notebook in the cold build and in the edits.

Prints the ratios with their targets (issue 8: edit ≤ 15 %, no-op ≤ 10 % of cold).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project, read_rows, set_cell  # noqa: E402

TARGET_EDIT, TARGET_NOOP = 0.15, 0.10


def run(root: Path, cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"échec de {' '.join(cmd)} :\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout + proc.stderr


def compendium(root: Path, *args: str) -> tuple[float, str]:
    return run(root, [sys.executable, "-m", "compendium", "--root", str(root), *args])


def jupyter_book(root: Path) -> tuple[float, str]:
    exe = Path(sys.executable).parent / "jupyter-book"
    return run(root, [str(exe), "build", str(root)])


def per_notebook(output: str) -> list[tuple[str, float]]:
    return [(m[0], float(m[1])) for m in re.findall(r"^\s+(chapters/\S+) : ([\d.]+) s$", output, re.M)]


def executed(output: str) -> list[str]:
    return re.findall(r"exécution de (\S+)", output)


def main() -> None:
    rows, details = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        cold, out = compendium(root, "build", "html", "--force")
        details.append(("froid", per_notebook(out)))
        noop, _ = compendium(root, "build", "html")
        noop_jb, _ = jupyter_book(root)
        set_cell(root / "data/secondary/indicators.csv", 2, "value", "424242")
        edit, out = compendium(root, "build", "html")
        details.append(("modification de indicators.csv (./run html)", per_notebook(out)))
        edit_nbs = executed(out)
        last = len(read_rows(root / "data/secondary/events.csv"))
        set_cell(root / "data/secondary/events.csv", last, "title", "Titre modifié pour la mesure")
        edit_jb, out = jupyter_book(root)
        edit_jb_nbs = executed(out)
        pdf, _ = compendium(root, "build", "pdf")
    rows = [
        ("construction à froid (tous les carnets exécutés, sans cache)", cold, None),
        ("sans changement, ./run html", noop, TARGET_NOOP),
        ("sans changement, jupyter-book build .", noop_jb, TARGET_NOOP),
        ("une table modifiée, ./run html", edit, TARGET_EDIT),
        ("une table modifiée, jupyter-book build .", edit_jb, TARGET_EDIT),
        ("PDF (après la construction HTML)", pdf, None),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"machine : {os.cpu_count()} cœur(s) ; noyaux en parallèle : "
          f"{os.environ.get('COMPENDIUM_JOBS', 'un par cœur (au plus 4)')}")
    failed = False
    for label, seconds, target in rows:
        line = f"{label:<{width}}  {seconds:7.2f} s"
        if target is not None:
            ratio = seconds / cold
            ok = ratio <= target
            failed |= not ok
            line += f"  {ratio:6.1%} du froid (objectif ≤ {target:.0%}) {'ok' if ok else 'DÉPASSÉ'}"
        print(line)
    for label, times in details:
        print(f"temps d'exécution par carnet — {label} :")
        for nb, seconds in sorted(times, key=lambda t: -t[1]):
            print(f"  {nb:<45} {seconds:6.1f} s")
    print(f"carnets réexécutés après indicators.csv (./run html) : {', '.join(edit_nbs) or 'aucun'}")
    print(f"carnets réexécutés après events.csv (jupyter-book build .) : {', '.join(edit_jb_nbs) or 'aucun'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
