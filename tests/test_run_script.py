"""``./run`` beyond Debian: on a machine without apt (macOS, another Linux), it installs nothing,
checks the commands it needs and names, in one French line, those that are missing; the HTML book
needs no tool besides Python. The machine is simulated by a ``PATH`` from which some commands are
hidden, and the script is run from a folder of its own (it stops before anything is written)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

NO_APT = ("dpkg-query", "dpkg", "apt-get")
PYTHONS = ("python3", "python3.11", "python3.12", "python3.13", "python")


def _path_without(folder: Path, hidden: tuple[str, ...]) -> str:
    """A folder of links to every command on this machine's ``PATH`` except ``hidden``."""
    farm = folder / "bin"
    farm.mkdir()
    for entry in os.environ["PATH"].split(os.pathsep):
        directory = Path(entry)
        if not directory.is_dir():
            continue
        for exe in directory.iterdir():
            link = farm / exe.name
            if exe.name in hidden or link.exists() or link.is_symlink():
                continue
            if exe.is_file() and os.access(exe, os.X_OK):
                link.symlink_to(exe)
    return str(farm)


def _run(tmp_path: Path, command: str, hidden: tuple[str, ...]) -> subprocess.CompletedProcess:
    project = tmp_path / "projet"
    project.mkdir()
    shutil.copy(ROOT / "run", project / "run")
    env = {"PATH": _path_without(tmp_path, hidden), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    return subprocess.run(["/bin/bash", str(project / "run"), command], capture_output=True, text=True,
                          env=env, cwd=project, timeout=60)


@pytest.mark.parametrize("command", ["pdf", "presentation", "synthese"])
def test_without_apt_the_missing_tools_are_named_in_one_line(tmp_path, command):
    proc = _run(tmp_path, command, NO_APT + ("xelatex", "latexmk"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("ERREUR outils manquants : latexmk, xelatex (système sans apt-get"), lines[0]
    assert "macOS" in lines[0] and "WSL" in lines[0]
    assert "installation" not in proc.stdout  # nothing was installed, no environment created
    assert not (tmp_path / "projet/.venv").exists()


def test_without_apt_a_browser_is_looked_for_where_it_is_installed(tmp_path):
    """The slides need a Chromium-family browser and pdftoppm, nothing from TeX."""
    proc = _run(tmp_path, "slides", NO_APT + ("chromium", "chromium-browser", "google-chrome", "pdftoppm"))
    assert proc.returncode == 1
    assert "outils manquants : Chromium ou Google Chrome, pdftoppm (poppler)" in proc.stderr, proc.stderr


def test_without_apt_present_tools_are_enough(tmp_path):
    """With the tools there, the command goes on to Python (hidden here, so it stops there)."""
    if not all(shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftoppm", "chromium")):
        pytest.skip("XeLaTeX, latexmk, pdftoppm and Chromium are needed to simulate a complete machine")
    proc = _run(tmp_path, "presentation", NO_APT + PYTHONS)
    assert proc.returncode == 1
    assert "outils manquants" not in proc.stderr
    assert proc.stderr.startswith("ERREUR python3 introuvable"), proc.stderr


@pytest.mark.parametrize("command", ["html", "serve"])
def test_the_html_book_needs_no_debian_package(tmp_path, command):
    """Print figures are rendered for the PDF only: writing and previewing the book need Python
    alone, on any system (here without apt, browser or TeX, and without Python, so it stops there)."""
    proc = _run(tmp_path, command, NO_APT + PYTHONS + ("chromium", "xelatex", "latexmk", "pdftoppm"))
    assert proc.returncode == 1
    assert "outils manquants" not in proc.stderr and "paquets" not in proc.stderr
    assert proc.stderr.startswith("ERREUR python3 introuvable"), proc.stderr


def test_run_script_passes_shellcheck():
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck absent (./run test l'installe)")
    proc = subprocess.run(["shellcheck", str(ROOT / "run"), str(ROOT / ".ci/run")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
