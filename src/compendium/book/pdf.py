"""The PDF of the whole book: Sphinx LaTeX builder, then XeLaTeX (French babel) via latexmk.

Figures reach the PDF as the PNG half of each figure bundle (see :mod:`compendium.figures`).
:func:`check_pdf` is what the tests assert: the PDF exists, it embeds one image per figure of
the book, and no reference is left unresolved («??»).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from compendium.book.build import notebooks, run_jupyter_book

PDF_NAME = "livre.pdf"
TEX_TOOLS = {"xelatex": "texlive-xetex", "latexmk": "latexmk", "pdftotext": "poppler-utils", "pdfimages": "poppler-utils"}


def missing_tools() -> list[str]:
    return sorted({pkg for tool, pkg in TEX_TOOLS.items() if shutil.which(tool) is None})


def build_pdf(root: Path) -> int:
    missing = missing_tools()
    if missing:
        print(f"ERREUR paquets Debian manquants pour le PDF : {' '.join(missing)} (./run pdf les installe)", file=sys.stderr)
        return 1
    latex_dir = root / "_build" / "latex"
    shutil.rmtree(latex_dir, ignore_errors=True)  # files of an earlier engine break babel
    code = run_jupyter_book(root, "latex")
    if code != 0:
        return code
    log = latex_dir / "latexmk.log"
    with open(log, "w", encoding="utf-8") as fh:
        code = subprocess.call(
            ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "livre.tex"],
            cwd=latex_dir, stdout=fh, stderr=subprocess.STDOUT,
        )
    if code != 0:
        errors = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.startswith("!")]
        print(f"ERREUR XeLaTeX : {errors[0] if errors else 'voir ' + str(log)} (journal : {latex_dir / 'livre.log'})",
              file=sys.stderr)
        return code
    target = root / "_build" / PDF_NAME
    shutil.copy(latex_dir / PDF_NAME, target)
    print(f"livre PDF : {target}")
    tex_log = latex_dir / "livre.log"
    if tex_log.is_file():
        for line in missing_character_lines(tex_log.read_text(encoding="utf-8", errors="replace")):
            print(line, file=sys.stderr)
    from compendium.fieldwork.outreach import build_presentation

    return build_presentation(root)


_MISSING = re.compile(r"^Missing character: There is no (?P<char>.+?) (?:\((?P<code>U\+[0-9A-Fa-f]+)\) )?"
                      r"in font (?P<font>[^:;!/\]]+)")


def missing_character_lines(log: str) -> list[str]:
    """One line per character XeLaTeX left out of the PDF because the font lacks it (it says so
    only in its log, and the PDF shows nothing in its place), with the font, in French."""
    seen: dict[str, str] = {}
    for line in log.splitlines():
        match = _MISSING.match(line.strip())
        if match and match["char"] not in seen:
            code = match["code"] or f"U+{ord(match['char'][0]):04X}"
            font = match["font"].strip("[] ")
            seen[match["char"]] = (f"ATTENTION PDF : le caractère « {match['char']} » ({code}) manque à la police "
                                   f"{font} ; il n'apparaît pas dans le PDF : remplacez-le dans le texte, ou ajoutez "
                                   "au livre une police qui l'a")
    return list(seen.values())


def figure_count(root: Path, printed: bool = False) -> int:
    """Figures in the book: outputs that :func:`compendium.figures.show` produced; with
    ``printed``, the images they make in the PDF (a figure too tall for a page prints in parts)."""
    count = 0
    for path in notebooks(root):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                meta = out.get("metadata", {}).get("compendium", {})
                if "figure" in meta:
                    count += meta.get("printed_parts", 1) if printed else 1
    return count


@dataclass
class PdfReport:
    pages: int
    images: int
    unresolved: list[str]
    missing_glyphs: list[str]


def check_pdf(pdf: Path) -> PdfReport:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.split() and line.split()[2] == "image"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    unresolved = [line.strip() for line in text.splitlines() if "??" in line]
    log = pdf.parent / "latex" / "livre.log"
    missing = []
    if log.is_file():  # XeLaTeX drops a character its font lacks, with only a log line
        missing = sorted({line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                          if line.startswith("Missing character")})
    return PdfReport(pages=pages, images=len(images), unresolved=unresolved, missing_glyphs=missing)


def _gray_pages(pdf: Path, dpi: int) -> list[tuple[int, int, bytes]]:
    """Every page of ``pdf`` as a grey raster (width, height, pixels), by pdftoppm."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), f"{tmp}/p"], check=True)
        pages = []
        for path in sorted(Path(tmp).glob("p-*.pgm")):
            data = path.read_bytes()
            head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
            pages.append((int(head[1]), int(head[2]), data[head.end():]))
    return pages


def _rules(width: int, height: int, pixels: bytes) -> list[int]:
    """The rows of a page that hold a horizontal rule: ink over more than half the width."""
    rows = []
    for y in range(height):
        row = pixels[y * width:(y + 1) * width]
        if sum(1 for value in row if value < 160) > width // 2:
            rows.append(y)
    return rows


def blank_before_figures(pdf: Path, threshold: float = 0.3, dpi: int = 30) -> list[tuple[int, float]]:
    """The pages left partly blank because the next page begins with a figure: pages (numbered
    from 1) with a running head, whose text stops more than ``threshold`` of the text height
    above the footer rule, followed by a page of the same chapter (it has a running head too)
    that holds an image. A chapter's last page may end anywhere, and is not counted."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    with_image = {int(line.split()[0]) for line in listing.splitlines()[2:] if line.split()}
    pages = _gray_pages(pdf, dpi)
    frames = []  # (head rule, foot rule) of each page, None without a running head
    for width, height, pixels in pages:
        rules = _rules(width, height, pixels)
        top = [y for y in rules if y < height // 8]
        bottom = [y for y in rules if y > height * 7 // 8]
        frames.append((max(top), min(bottom)) if top and bottom else None)
    found = []
    for number, ((width, height, pixels), frame) in enumerate(zip(pages, frames), start=1):
        if frame is None or number >= len(pages) or frames[number] is None or number + 1 not in with_image:
            continue
        head, foot = frame
        inked = [y for y in range(head + 2, foot - 1) if min(pixels[y * width:(y + 1) * width]) < 200]
        last = max(inked) if inked else head
        blank = (foot - last) / (foot - head)
        if blank > threshold:
            found.append((number, round(blank, 2)))
    return found
