"""The data package: the real data validate, and every kind of bad input stops with one
line naming the file, the row and the column."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from compendium import data
from conftest import ROOT, compendium, read_rows, set_cell, write_rows

SRC = "data/secondary/sources.csv"
ACT = "data/secondary/actors.csv"
REL = "data/secondary/relations.csv"
EVT = "data/secondary/events.csv"
IND = "data/secondary/indicators.csv"
PAS = "data/coding/documentary_passages.csv"


def test_real_data_are_valid():
    assert data.validate_package(ROOT) == []


def test_every_csv_in_data_is_described():
    package = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    on_disk = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*.csv")}
    assert on_disk <= described, f"CSV non décrits dans datapackage.json : {sorted(on_disk - described)}"


def test_load_table_types_and_lists():
    actors = data.load_table("actors", ROOT)
    assert isinstance(actors, pd.DataFrame) and len(actors) > 0
    assert all(isinstance(v, list) and v for v in actors["source_ids"])
    indicators = data.load_table("indicators", ROOT)
    assert str(indicators["value"].dtype) == "Float64"


# --- bad input: (mutation, file, line, column, words expected in the message) -------------

def _first_id(root, rel):
    return read_rows(root / rel)[1][0]


def m_missing_file(root):
    (root / EVT).unlink()


def m_missing_column(root):
    rows = read_rows(root / ACT)
    i = rows[0].index("kind")
    write_rows(root / ACT, [r[:i] + r[i + 1:] for r in rows])


def m_unknown_column(root):
    rows = read_rows(root / SRC)
    rows[0][rows[0].index("summary")] = "resume"
    write_rows(root / SRC, rows)


def m_duplicate_header(root):
    rows = read_rows(root / IND)
    rows[0][rows[0].index("note")] = "unit"
    write_rows(root / IND, rows)


def m_bad_encoding(root):
    text = (root / SRC).read_text(encoding="utf-8").splitlines(keepends=True)
    text[2] = text[2].replace(",fr,", ",fr,").rstrip("\n") + "\n"
    raw = "".join(text[:2]).encode("utf-8") + "".join(text[2:]).encode("latin-1", errors="replace")
    (root / SRC).write_bytes(raw if raw != (root / SRC).read_bytes() else raw + "é".encode("latin-1"))


def m_bad_encoding_simple(root):
    content = (root / SRC).read_bytes()
    lines = content.split(b"\n")
    lines[3] = lines[3] + "é".encode("latin-1")  # a Latin-1 byte on line 4
    (root / SRC).write_bytes(b"\n".join(lines))


def m_empty_file(root):
    (root / REL).write_text("", encoding="utf-8")


def m_extra_cell(root):
    rows = read_rows(root / ACT)
    rows[1].append("en trop")
    write_rows(root / ACT, rows)


def m_bad_number(root):
    set_cell(root / IND, 2, "value", "5 000")


def m_bad_iso_date(root):
    set_cell(root / SRC, 2, "accessed", "29/11/2026")


def m_impossible_date(root):
    set_cell(root / EVT, 2, "date", "2021-02-30")


def m_old_date(root):
    set_cell(root / EVT, 2, "date", "1850")


def m_future_date(root):
    set_cell(root / EVT, 2, "date", "2999-01")


def m_bad_date_format(root):
    set_cell(root / REL, 2, "start", "2021/02")


def m_duplicate_id(root):
    rows = read_rows(root / SRC)
    dup = list(rows[2])
    dup[0] = rows[1][0]
    dup[rows[0].index("url")] = "https://example.org/doublon"
    write_rows(root / SRC, rows + [dup])


def m_dangling_fk(root):
    set_cell(root / REL, 2, "from_actor", "acteur-inexistant")


def m_dangling_list_fk(root):
    set_cell(root / ACT, 2, "source_ids", _first_id(root, SRC) + ";rennes-999")


def m_unknown_category(root):
    set_cell(root / ACT, 2, "kind", "Entreprise")


def m_unknown_list_item(root):
    set_cell(root / ACT, 2, "roles", "orchestrator;sponsor")


def m_empty_required(root):
    set_cell(root / SRC, 2, "title", "  ")


def m_empty_list_item(root):
    set_cell(root / EVT, 2, "source_ids", _first_id(root, SRC) + ";;")


def m_bad_url(root):
    set_cell(root / SRC, 2, "url", "www.exemple.fr/page")


def m_bad_id_pattern(root):
    set_cell(root / IND, 2, "id", "IND-1")


def m_duplicate_url(root):
    rows = read_rows(root / SRC)
    set_cell(root / SRC, 3, "url", rows[1][rows[0].index("url")])


def m_too_long(root):
    set_cell(root / SRC, 2, "summary", "x" * 700)


def m_unterminated_quote(root):
    with open(root / IND, "a", encoding="utf-8") as fh:
        fh.write('territoire-i998,territoire,"Libellé sans fin,3,EUR,2020,territoire-001,\n')


def m_long_anchor(root):
    set_cell(root / PAS, 2, "anchor", " ".join(["mot"] * 31))


def m_bad_boolean_like_number(root):
    set_cell(root / IND, 3, "value", "vingt")


def m_french_thousands(root):  # as French prose, or a French spreadsheet, writes a number
    set_cell(root / IND, 2, "value", "38\u202f000")


def m_decimal_comma(root):
    set_cell(root / IND, 2, "value", "0,61")


BAD_INPUTS = [
    (m_missing_file, EVT, None, None, ["introuvable"]),
    (m_missing_column, ACT, 1, None, ["colonnes manquantes : kind"]),
    (m_unknown_column, SRC, 1, None, ["colonnes inconnues : resume", "colonnes manquantes : summary"]),
    (m_duplicate_header, IND, 1, None, ["colonnes en double : unit"]),
    (m_bad_encoding_simple, SRC, 4, None, ["encodage invalide", "UTF-8"]),
    (m_empty_file, REL, 1, None, ["fichier vide"]),
    (m_extra_cell, ACT, 2, None, ["cellules au lieu de"]),
    (m_bad_number, IND, 2, "value", ["« 5 000 » n'est pas un nombre"]),
    (m_bad_iso_date, SRC, 2, "accessed", ["n'est pas une date AAAA-MM-JJ"]),
    (m_impossible_date, EVT, 2, "date", ["« 2021-02-30 » n'est pas une date qui existe"]),
    (m_old_date, EVT, 2, "date", ["hors de la période"]),
    (m_future_date, EVT, 2, "date", ["hors de la période"]),
    (m_bad_date_format, REL, 2, "start", ["format attendu", "AAAA, AAAA-MM ou AAAA-MM-JJ"]),
    (m_duplicate_id, SRC, None, "id", ["en double (déjà à la ligne 2)"]),
    (m_dangling_fk, REL, 2, "from_actor", ["« acteur-inexistant » introuvable dans data/secondary/actors.csv"]),
    (m_dangling_list_fk, ACT, 2, "source_ids", ["« rennes-999 » introuvable dans data/secondary/sources.csv"]),
    (m_unknown_category, ACT, 2, "kind", ["« Entreprise » inconnue", "collectivite"]),
    (m_unknown_list_item, ACT, 2, "roles", ["« sponsor » inconnue"]),
    (m_empty_required, SRC, 2, "title", ["valeur obligatoire manquante"]),
    (m_empty_list_item, EVT, 2, "source_ids", ["élément vide"]),
    (m_bad_url, SRC, 2, "url", ["format attendu", "http"]),
    (m_bad_id_pattern, IND, 2, "id", ["« IND-1 » ne respecte pas le format attendu"]),
    (m_duplicate_url, SRC, 3, "url", ["en double (déjà à la ligne 2)"]),
    (m_too_long, SRC, 2, "summary", ["trop long"]),
    (m_unterminated_quote, IND, None, None, ["CSV illisible"]),
    (m_bad_boolean_like_number, IND, 3, "value", ["« vingt » n'est pas un nombre"]),
    (m_french_thousands, IND, 2, "value", ["n'est pas un nombre", "; écrivez 38000"]),
    (m_decimal_comma, IND, 2, "value", ["« 0,61 » n'est pas un nombre", "; écrivez 0.61"]),
    (m_long_anchor, PAS, 2, "anchor", ["trop long (31 mots, au plus 30 attendus)"]),
]


@pytest.mark.parametrize("mutate,rel,line,column,words", BAD_INPUTS, ids=[b[0].__name__[2:] for b in BAD_INPUTS])
def test_bad_input_gives_one_precise_line(tmp_path, mutate, rel, line, column, words):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    mutate(root)
    problems = data.validate_package(root)
    assert problems, "the mutation went unnoticed"
    first = problems[0]
    message = str(first)
    assert "\n" not in message
    assert message.startswith(rel), message
    if line is not None:
        assert first.row == line and f"ligne {line}" in message, message
    if column is not None:
        assert first.column == column and f"colonne « {column} »" in message, message
    for word in words:
        assert word in message, message
    with pytest.raises(data.DataError) as err:
        data.load_table("sources", root)
    assert str(err.value) == message


def test_invalid_descriptor_json(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    text = (root / "data/datapackage.json").read_text(encoding="utf-8")
    (root / "data/datapackage.json").write_text(text.replace('"resources"', '"resources" "', 1), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"^data/datapackage.json, ligne \d+, colonne \d+ : JSON invalide"):
        data.validate_package(root)


def test_unknown_table_name():
    with pytest.raises(data.DataError, match="aucune table « acteurs » ; tables connues : actors"):
        data.load_table("acteurs", ROOT)


def test_validate_command_lists_every_problem(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    m_bad_number(root)
    m_unknown_category(root)
    m_dangling_fk(root)
    proc = compendium(root, "validate", check=False)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR ")]
    assert len(errors) == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "3 problèmes" in proc.stderr


def test_dates_a_spreadsheet_rewrote_are_named_with_what_to_write(tmp_path):
    """events.csv opened in a French spreadsheet and saved again (CRLF, dates as displayed:
    «2010-05» → «mai-10», «2008-03-03» → «03/03/2008»): each date gets its line with the value to
    write back, and one piece of advice names the file to restore."""
    import csv
    import io
    import re

    root = tmp_path / "p"
    shutil.copytree(ROOT / "data", root / "data")
    path = root / "data/secondary/events.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("date")
    months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
    typed = {}
    for number, row in enumerate(rows[1:], start=2):
        value = row[col]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            row[col] = f"{value[8:]}/{value[5:7]}/{value[:4]}"
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            row[col] = f"{months[int(value[5:]) - 1]}-{value[2:4]}"
        else:
            continue  # a year alone stays a number in the sheet
        typed[number] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    assert len(typed) >= 20 and any(len(v) == 7 for v in typed.values()) and any(len(v) == 10 for v in typed.values())
    proc = compendium(root, "validate", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERREUR ")]
    assert len(errors) == len(typed), proc.stderr
    for line in errors:
        number = int(re.search(r"ligne (\d+)", line)[1])
        assert line.startswith(f"ERREUR data/secondary/events.csv, ligne {number}, colonne « date » : "), line
        assert re.search(rf"date réécrite par un tableur \? écrivez {re.escape(typed[number])}\b", line) or (
            f"ou {typed[number]} si la date n'était connue qu'au mois" in line), line
    advice = [line for line in proc.stderr.splitlines() if line.startswith("CONSEIL ")]
    assert advice == [f"CONSEIL data/secondary/events.csv : {data.SPREADSHEET_DATES_ADVICE.format(path='data/secondary/events.csv')}"]


@pytest.mark.parametrize("raw,expected", [
    ("03/03/2008", "2008-03-03"), ("1/9/2014", "2014-09-01 (ou 2014-09 si la date n'était connue qu'au mois)"),
    ("mai-10", "2010-05"), ("May-10", "2010-05"), ("oct.-85", "1985-10"), ("sept. 2016", "2016-09"),
    ("05/2010", "2010-05"), ("2008-03-03 00:00:00", "2008-03-03"),
    ("Rennes 2016", None), ("31/02/2010", None), ("13/2010", None), ("2010", None), ("2010-05", None),
])
def test_spreadsheet_date_reads_what_a_sheet_writes(raw, expected):
    assert data.spreadsheet_date(raw) == expected


def test_the_data_dictionary_sets_an_address_pattern_as_code():
    """In the PDF, French typography puts a space before every colon of plain text: the hint
    « adresse http(s)://… » printed « http(s) ://… »; as code it keeps its form."""
    fields = data.describe_fields("sources").set_index("champ")
    assert fields.loc["url", "valeurs admises"] == "adresse `http(s)://…`"
    # and the types in French: the schema's « string » is « texte » to a reader
    assert (fields.loc["url", "type"], fields.loc["accessed", "type"]) == ("texte", "date")
    assert data.describe_fields("actors").set_index("champ").loc["roles", "type"] == "liste de textes (séparateur « ; »)"


def test_a_quotation_of_an_interview_consented_without_quotations_is_refused(project):
    """A quote in interviews/segments.csv for an interview whose consent is «sans_citation»
    passed validation and was published in the case chapter."""
    interviews = project / "data/interviews/interviews.csv"
    segments = project / "data/interviews/segments.csv"
    with interviews.open("a", encoding="utf-8", newline="") as fh:
        fh.write("RNS-DON-01,rennes,DON,direction,2026-10,visio,55,fr,sans_citation,code\n"
                 "RNS-COL-01,rennes,COL,direction,2026-10,presentiel,60,fr,complet,code\n")
    code = data.load_table("codebook", project)["id"].iloc[-1]
    with segments.open("a", encoding="utf-8", newline="") as fh:
        fh.write(f"s1,RNS-DON-01,{code},codeur-01,0,10,caracteres,,,\n"
                 f"s2,RNS-DON-01,{code},codeur-01,10,20,caracteres,« Une phrase approuvée »,,\n"
                 f"s3,RNS-COL-01,{code},codeur-01,0,10,caracteres,« Une phrase approuvée »,,\n")
    problems = [str(p) for p in data.validate_package(project)]
    assert problems == ["data/interviews/segments.csv, ligne 3, colonne « quote » : citation interdite : l’entretien a "
                        "été consenti sans citation (« RNS-DON-01 » : « sans_citation » dans "
                        "data/interviews/interviews.csv, colonne « consent ») ; videz la cellule"], problems
