"""French formatting of numbers, dates and tables for the prose."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium.prose import NNBSP, format_date, format_number, format_quantity, markdown_table


@pytest.mark.parametrize("value,decimals,expected", [
    (0, 0, "0"),
    (5, 0, "5"),
    (1234, 0, f"1{NNBSP}234"),
    (4_700_000, 0, f"4{NNBSP}700{NNBSP}000"),
    (12.5, 1, "12,5"),
    (-1234.567, 2, f"-1{NNBSP}234,57"),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_rejects_text_and_booleans():
    with pytest.raises(TypeError):
        format_number("12")
    with pytest.raises(TypeError):
        format_number(True)


def test_format_quantity_units():
    assert format_quantity(80, "%") == f"80{NNBSP}%"
    assert format_quantity(5_000_000, "EUR") == f"5{NNBSP}000{NNBSP}000{NNBSP}€"
    assert format_quantity(386, "jeux de données") == f"386{NNBSP}jeux de données"


@pytest.mark.parametrize("value,expected", [
    ("1999", "1999"), ("2018-02", "février 2018"), ("2018-02-02", "2 février 2018"), ("2021-10-01", "1er octobre 2021"),
])
def test_format_date_keeps_precision(value, expected):
    assert format_date(value) == expected


def test_markdown_table_formats_cells():
    frame = pd.DataFrame({"a": ["x|y", None], "n": [1234, 5], "l": [["p", "q"], []]})
    lines = markdown_table(frame, align={"n": "right"}).splitlines()
    assert lines[0] == "| a | n | l |"
    assert lines[1] == "| :-- | --: | :-- |"
    assert lines[2] == f"| x\\|y | 1{NNBSP}234 | p ; q |"


def test_glued_decimals_survive_myst_nb_parsing():
    """myst-nb reads glued text/plain with literal_eval: a French decimal must come back intact."""
    from IPython.core.formatters import PlainTextFormatter
    from myst_nb.core.variables import format_plain_text

    for value in ("0,93", "12,5\u202f%", "1\u202f234", "Rennes Métropole", "l'« orchestrateur »"):
        plain = PlainTextFormatter()(value)
        assert format_plain_text(plain, "s") == value
