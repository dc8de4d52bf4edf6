"""Numbers for the prose: French formatting and myst-nb ``glue``.

Every number quoted in the text that comes from data is computed in a notebook and glued
(``glue_value``), then pasted in Markdown with ``{glue:text}`name```: never typed by hand.
"""

from __future__ import annotations

import datetime as dt
import numbers
from decimal import ROUND_HALF_UP, Decimal

NNBSP = "\u202f"  # narrow no-break space: thousands separator and before « % », « € »

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]


def format_number(value: float | int, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` (French: comma decimal, narrow no-break space thousands).

    Halves are rounded up, as a reader rounds: 42 sources of 80 are « 52,5 % », « 53 % » at no
    decimal (Python's own format rounds half to even, « 52 % »). A float is read as the decimal
    it prints as (2.675 is « 2,68 », not the binary value just below it)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"nombre attendu, reçu {value!r}")
    exact = Decimal(int(value)) if isinstance(value, numbers.Integral) else Decimal(repr(float(value)))
    if exact.is_finite():
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{abs(rounded) if rounded == 0 else rounded:,.{decimals}f}"  # « 0 », not « -0 »
    else:  # as before: « nan », « inf »
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", NNBSP)


def format_quantity(value: float | int, unit: str = "", decimals: int = 0) -> str:
    """A number with its unit: ``format_quantity(0.8, '%', 0)`` gives ``0 %``; units stay as given."""
    number = format_number(value, decimals)
    if not unit:
        return number
    if unit == "EUR":
        unit = "€"
    return f"{number}{NNBSP}{unit}"


def format_date(value: str | dt.date) -> str:
    """A date at its own precision: ``2018`` → ``2018``, ``2018-02`` → ``février 2018``,
    ``2018-02-02`` → ``2 février 2018``."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS_FR[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def date_phrase(value: str | dt.date, preposition: str = "en") -> str:
    """A date with its preposition, at its own precision: ``2018`` → ``en 2018``, ``2018-02`` →
    ``en février 2018``, ``2018-02-02`` → ``le 2 février 2018``, ``2019-03-01`` → ``le 1er mars 2019``.
    With ``preposition="depuis"``: ``depuis 2018``, ``depuis février 2018``, ``depuis le 2 février 2018``.
    With ``preposition="de"``: ``de 2018``, ``de février 2018``, ``d’avril 2018``, ``du 2 février 2018``.

    For the prose: « lancé {glue:text}`when_…` » reads right whatever the date's precision."""
    text = format_date(value)
    has_day = text[:1].isdigit() and " " in text
    if preposition == "en":
        return f"le {text}" if has_day else f"en {text}"
    if preposition == "de":  # « datés du 16 novembre 2021 », « de novembre 2021 », « d'avril 2021 »
        if has_day:
            return f"du {text}"
        return f"d’{text}" if text[:1] in "aeiouéèh" else f"de {text}"
    return f"{preposition} le {text}" if has_day else f"{preposition} {text}"


# Plural nouns whose singular is not the noun without its final « s » (or « x »).
_SINGULARS = {"jeux": "jeu", "nœuds": "nœud", "lieux": "lieu", "bureaux": "bureau", "jumeaux": "jumeau",
              "réseaux": "réseau", "locaux": "local", "numériques": "numérique", "animaux": "animal"}
_LINKS = {"de", "d'", "d’", "à", "du", "des", "en", "pour", "par", "sur"}
# Nouns whose singular already ends in « s », « x » or « z »: the same in both numbers.
_INVARIABLE = {"mois", "fois", "pays", "prix", "cours", "temps", "avis", "choix", "taux", "voix", "poids",
               "repas", "discours", "concours", "recours", "procès", "accès", "succès", "index", "gaz"}


def _singular_word(word: str) -> str:
    if word in _INVARIABLE:
        return word
    if word in _SINGULARS:
        return _SINGULARS[word]
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def singular(noun: str) -> str:
    """The singular of a French plural noun phrase: the words before the first preposition
    are made singular (« jeux de données » → « jeu de données », « jumeaux numériques » →
    « jumeau numérique », « producteurs » → « producteur »)."""
    words = noun.split(" ")
    out, linked = [], False
    for word in words:
        linked = linked or word in _LINKS or word.startswith(("d'", "d’"))
        out.append(word if linked else _singular_word(word))
    return " ".join(out)


def plural(noun: str) -> str:
    """The regular French plural of a singular noun phrase (head words before the first
    preposition): « producteur » → « producteurs », « jeu de données » → « jeux de données »."""
    irregular = {v: k for k, v in _SINGULARS.items()}
    words = noun.split(" ")
    out, linked = [], False
    for word in words:
        linked = linked or word in _LINKS or word.startswith(("d'", "d’"))
        if linked:
            out.append(word)
        elif word in irregular:
            out.append(irregular[word])
        elif word.endswith(("s", "x", "z")):
            out.append(word)
        elif word.endswith(("eau", "eu")):
            out.append(word + "x")
        elif word.endswith("al"):
            out.append(word[:-2] + "aux")
        else:
            out.append(word + "s")
    return " ".join(out)


def format_count(value: float | int, noun: str, decimals: int = 0, noun_plural: str | None = None) -> str:
    """A count with its noun in the right number (French: singular below 2):
    ``format_count(1, 'producteur')`` → ``1 producteur``, ``format_count(2, 'producteur')`` →
    ``2 producteurs``; ``noun_plural`` overrides the regular plural."""
    number = format_number(value, decimals)
    word = noun if abs(value) < 2 else (noun_plural or plural(noun))
    return f"{number}{NNBSP}{word}"


_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
          "douze", "treize", "quatorze", "quinze", "seize")


def count_in_words(value: int, noun: str, feminine: bool = False, noun_plural: str | None = None) -> str:
    """A small count spelt out, as French prose writes it, with its noun in the right number:
    ``count_in_words(7, 'dimension', feminine=True)`` → « sept dimensions », ``(1, 'racine', True)``
    → « une racine ». Beyond seize, figures (:func:`format_count`): « 23 racines »."""
    if not 0 <= value < len(_WORDS) or value != int(value):
        return format_count(value, noun, noun_plural=noun_plural)
    number = "une" if value == 1 and feminine else _WORDS[int(value)]
    word = noun if value < 2 else (noun_plural or plural(noun))
    return f"{number} {word}"


def listing(items) -> str:
    """« a », « a et b », « a, b et c »: a French enumeration ("" for none)."""
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + " et " + items[-1] if len(items) > 1 else "".join(items)


def with_ties(values, n: int = 3, largest: bool = True) -> list:
    """The labels of the ``n`` largest (or smallest) values of a pandas Series, and of every
    other value tied with the last of them, in order: « the three least covered » must not
    leave out four concepts covered as little. Zero values count like the others."""
    ordered = values.sort_values(ascending=not largest, kind="stable")
    if len(ordered) <= n:
        return list(ordered.index)
    edge = ordered.iloc[n - 1]
    keep = ordered[ordered >= edge] if largest else ordered[ordered <= edge]
    return list(keep.index)


def agree(n: int, one: str, many: str) -> str:
    """``one`` or ``many`` as the count ``n`` asks (French: 0 and 1 take the singular), with
    ``{n}`` replaced by the number: for a message, where « 3 problème(s) » would do.
    ``agree(1, "{n} colonne manquante", "{n} colonnes manquantes")`` → « 1 colonne manquante »
    (:func:`count_clause` whose zero reads as one)."""
    return count_clause(n, one, one, many)


def count_clause(n: int, none: str, one: str, many: str) -> str:
    """The phrase for a count ``n`` whose verb or adjective agrees with it: ``none`` for 0 (French
    negates « aucun » with « ne »), ``one`` for 1, ``many`` otherwise; ``{n}`` is replaced by the
    number. ``count_clause(8, "aucun doublon n'a été retiré", "{n} doublon a été retiré",
    "{n} doublons ont été retirés")`` → « 8 doublons ont été retirés »."""
    if n == 0:
        return none.format(n=format_number(n))
    return (one if n == 1 else many).format(n=format_number(n))


def glue_value(name: str, value, unit: str = "", decimals: int = 0) -> None:
    """Glue ``value`` under ``name`` (formatted the French way). Returns nothing, so that a
    glue on the last line of a cell does not print its value in the page."""
    from myst_nb import glue

    # A plain str: its text/plain form is its repr, which myst-nb's {glue:text} turns back into
    # the string with literal_eval. (A bare "0,93" would be read as the tuple (0, 93).)
    text = value if isinstance(value, str) else format_quantity(value, unit, decimals)
    glue(name, str(text), display=False)


def markdown_table(frame, align: dict[str, str] | None = None) -> str:
    """A DataFrame as a Markdown table (renders the same in HTML and in the PDF).

    Numbers are formatted the French way; lists are joined with « ; »; pipes are escaped.
    """
    align = align or {}

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, list):
            value = " ; ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "oui" if value else "non"
        elif isinstance(value, numbers.Integral):
            value = format_number(int(value))
        elif isinstance(value, numbers.Real):
            value = format_number(float(value), 2 if float(value) % 1 else 0)
        return str(value).replace("|", "\\|").replace("\n", " ")

    columns = list(frame.columns)
    marks = {"left": ":--", "right": "--:", "center": ":-:"}
    lines = ["| " + " | ".join(columns) + " |",
             "| " + " | ".join(marks.get(align.get(c, "left"), ":--") for c in columns) + " |"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def show_table(frame, align: dict[str, str] | None = None) -> None:
    """Display a DataFrame as a Markdown table."""
    from IPython.display import Markdown, display

    display(Markdown(markdown_table(frame, align)))


def os_error(exc: OSError) -> str:
    """Why a file could not be read or written, in French (the system says it in English:
    «No such file or directory»)."""
    import errno

    reasons = {errno.ENOENT: "fichier introuvable", errno.EACCES: "accès refusé", errno.EPERM: "accès refusé",
               errno.EISDIR: "c'est un dossier, non un fichier", errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
               errno.ENOSPC: "plus de place sur le disque", errno.EROFS: "disque en lecture seule"}
    return reasons.get(exc.errno, exc.strerror or type(exc).__name__)
