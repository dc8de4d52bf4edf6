"""Sphinx's warnings in French, with what to do, for the mistakes a writer of chapters makes.

The book builds with ``-W`` (a warning stops it), so a mistyped citation key, label, glued value
or role is reported as a warning of Sphinx, myst-parser, myst-nb or sphinxcontrib-bibtex, in
English and in their terms. The book's extension adds a filter to Sphinx's log handlers that
rewrites those messages, whichever command runs the build (``./run html``, ``jupyter-book
build .``, ``./run serve``); a message not listed here is left as it is.
:func:`error_line` then gives the line ``compendium build`` prints the shape of the data
errors: « fichier, ligne N : message ».
"""

from __future__ import annotations

import logging
import re

#: (pattern of Sphinx's message, French message with what to do); ``{name}`` are the groups.
FRENCH = [
    (r"No key '(?P<path>[^']+\.ipynb):' found in glue data for this document\..*",
     "une valeur collée d'un autre carnet s'écrit {{glue:text}}`{path}::nom:s` (le « :s » final est "
     "nécessaire, sans lui le chemin est lu comme un nom)"),
    (r"No key '(?P<key>[^']+)' found in glue data for this document\..*",
     "aucune valeur nommée « {key} » n'est collée (glue) dans cette page : vérifiez le nom donné à "
     "glue_value dans le carnet ; pour une valeur d'un autre carnet, écrivez "
     "{{glue:text}}`/chemin/du/carnet.ipynb::{key}:s`"),
    (r"Glue reference '(?P<key>[^']+)' not found in doc '(?P<doc>[^']+)'",
     "le carnet « {doc} » ne colle aucune valeur nommée « {key} » : vérifiez le nom et le chemin du "
     "carnet"),
    (r'could not find bibtex key "(?P<key>[^"]+)"',
     "la référence « {key} » n'est pas dans references.bib : vérifiez la clé (majuscules comprises) ou "
     "ajoutez la référence (./run add-references export.bib)"),
    (r"undefined label: '(?P<label>[^']+)'",
     "le renvoi vers « {label} » ne mène à aucune étiquette : il manque la ligne « ({label})= » "
     "au-dessus du titre visé, ou le nom diffère"),
    (r'Unknown interpreted text role "(?P<role>[^"]+)"\.?',
     "rôle « {role} » inconnu : faute de frappe ? (les rôles du livre : cite:p, cite:t, ref, numref, "
     "doc, glue:text)"),
    (r"Unknown directive type:? '?\"?(?P<name>[^'\"]+)'?\"?\.?",
     "directive « {name} » inconnue : faute de frappe ? (par ex. note, warning, figure, glue:figure)"),
    (r'Duplicate explicit target name: "(?P<label>[^"]+)"\.?',
     "l'étiquette « {label} » est définie deux fois : chaque ligne « ({label})= » doit porter un nom "
     "unique dans le livre"),
    (r"duplicate label (?P<label>[^,]+), other instance in (?P<doc>.+)",
     "l'étiquette « {label} » est déjà définie dans {doc} : donnez-lui un autre nom"),
    (r"image file not readable: (?P<path>.+)",
     "image introuvable : {path} (le chemin se lit depuis le dossier du chapitre)"),
    (r"toctree contains reference to nonexisting document '(?P<doc>[^']+)'",
     "_toc.yml cite « {doc} », qui n'existe pas : fichier renommé ou supprimé ? ({doc}.md ou "
     "{doc}.ipynb attendu)"),
]
_COMPILED = [(re.compile(pattern), french) for pattern, french in FRENCH]
_TYPE = re.compile(r"\s*\[[\w.]+\]$")  # « [myst.role_unknown] », which some libraries write themselves


def french_warning(message: str) -> str | None:
    """The French message for one of Sphinx's, or None when it is not one the book translates."""
    message = _TYPE.sub("", message.strip())
    for pattern, french in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return french.format(**match.groupdict())
    return None


class FrenchWarnings(logging.Filter):
    """Rewrites, in place, the warnings :func:`french_warning` knows; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            try:  # the message alone: Sphinx's record class would add its location and prefix
                french = french_warning(logging.LogRecord.getMessage(record))
            except Exception:  # pragma: no cover - a record whose arguments do not format
                return True
            if french is not None:
                record.msg, record.args = french, ()
        return True


def install(app) -> None:
    """Add the filter to the handlers Sphinx set up for this application (a filter on a handler
    sees the records of every ``sphinx.*`` logger, a filter on a logger only its own), first, so
    that the message is French before ``-W`` turns it into an error."""
    for handler in logging.getLogger("sphinx").handlers:
        if not any(isinstance(f, FrenchWarnings) for f in handler.filters):
            handler.filters.insert(0, FrenchWarnings())


_LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*?):(?P<line>\d*):? (?:WARNING|ERROR|CRITICAL): (?P<message>.*?)"
                      r"(?: \[[\w.]+\])?$")
_BARE = re.compile(r"^(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)(?: \[[\w.]+\])?$")


def error_line(line: str) -> str:
    """« chapters/x.md:76: WARNING: message [type] » → « chapters/x.md, ligne 76 : message »."""
    match = _LOCATED.match(line)
    if match:
        if match["message"].startswith("_toc.yml "):  # located by Sphinx at the root page
            return match["message"]
        where = match["path"] + (f", ligne {match['line']}" if match["line"] else "")
        return f"{where} : {match['message']}"
    match = _BARE.match(line)
    return match["message"] if match else line


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class ErrorLines:
    """A stream for Sphinx's warnings that writes each as ``compendium build`` prints it:
    « ERREUR fichier, ligne N : message », paths relative to the book (``./run serve``)."""

    encoding = "utf-8"

    def __init__(self, out, root) -> None:
        self.out = out
        self.prefix = str(root).rstrip("/") + "/"
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            line = _ANSI.sub("", line).replace(self.prefix, "").strip()
            if line:
                self.out.write(f"ERREUR {error_line(line)}\n")
        self.out.flush()
        return len(text)

    def flush(self) -> None:
        self.out.flush()
