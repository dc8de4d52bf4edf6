"""Shared helpers: temporary copies of the project, and CSV mutations for bad-input tests."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".pytest_cache", ".jupyter_cache",
                                "private", "*.egg-info", ".ipynb_checkpoints", "kernel-*")


def glued_values(notebook: Path) -> dict[str, str]:
    """The text myst-nb puts in place of each ``{glue:text}`` key of an executed notebook (a
    ``{glue:md}`` key keeps its plain-text stand-in, an object's repr)."""
    import ast
    import json

    values = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text:
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def copy_project(target: Path) -> Path:
    """A copy of the project (sources, data, notebooks with their outputs) under ``target``."""
    dest = target / "book"
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def compendium(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m compendium --root ROOT ARGS`` and return the finished process."""
    proc = subprocess.run([sys.executable, "-m", "compendium", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root)
    if check and proc.returncode != 0:
        raise AssertionError(f"compendium {' '.join(args)} a échoué :\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set the cell at file line ``line`` (header = 1) and column ``column``."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def add_probe_notebook(root: Path, path: str, table: str, column: str, sentence: str, glue: str,
                       figure: str) -> None:
    """Add to the book's table of contents a small page that reads only ``table``: it glues
    the table's row count into ``sentence`` (which holds ``{n}``) and draws a bar chart of
    ``column``, so that tests can watch a glued number and a figure follow the data."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Sonde\n\n" + sentence.replace("{n}", "{glue:text}`" + glue + "`")),
        nbformat.v4.new_code_cell(
            "from compendium import load_table\n"
            "from compendium.figures import horizontal_bars, show\n"
            "from compendium.prose import glue_value\n"
            f"frame = load_table({table!r})\n"
            f"glue_value({glue!r}, len(frame))\n"
            f"counts = frame[{column!r}].value_counts()\n"
            "show(horizontal_bars(list(counts.index), [int(v) for v in counts.values], 'Sonde', 'nombre'),"
            f" {figure!r}, tables=[{table!r}])"
        ),
    ]
    nbformat.write(nb, root / path)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    (root / "_toc.yml").write_text(toc.replace("    chapters:\n", f"    chapters:\n      - file: {path[:-6]}\n", 1),
                                   encoding="utf-8")


def qualcoder_reexport(source: Path, target: Path) -> dict[str, str]:
    """Write to ``target`` the project ``source`` as QualCoder exports it again: every code with
    a new random GUID (its ``get_codes`` calls ``create_guid``, a uuid4), the codings following.
    Returns the map old GUID → new GUID."""
    import re
    import uuid
    import zipfile

    with zipfile.ZipFile(source) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    xml = entries["project.qde"].decode("utf-8")
    renewed = {old: str(uuid.uuid4()) for old in re.findall(r'<Code guid="([^"]+)"', xml)}
    xml = re.sub(r'(<Code guid="|targetGUID=")([^"]+)"', lambda m: f'{m[1]}{renewed.get(m[2], m[2])}"', xml)
    entries["project.qde"] = xml.encode("utf-8")
    with zipfile.ZipFile(target, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return renewed
