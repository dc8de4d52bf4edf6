"""Tooling of the compendium «Écosystèmes d'innovation et jumeaux numériques territoriaux».

Chapters import from here: ``load_table`` (validated data), ``show`` (a figure in the house
style, interactive in HTML and static in the PDF, with its provenance line) and ``glue_value``
(a number for the prose, formatted the French way).
"""

from compendium.data import DataError, load_table

__all__ = ["DataError", "load_table"]
__version__ = "0.1.0"
