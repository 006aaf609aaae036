"""Complementary questions: codes, answers, formatting and export (no Odoo)."""

import csv
import datetime
import doctest
import io

import openpyxl
import pytest

from extrabat_core import questions
from extrabat_core.questions import (
    AnswerError,
    AnswerFormat,
    ChoiceText,
    ExportQuestion,
    export_table,
    format_answer,
    format_number,
    is_valid_code,
    normalize_answer,
    parse_date,
    parse_number,
    slugify_code,
    table_to_csv,
    table_to_xlsx,
)

FR = AnswerFormat()
EN = AnswerFormat(
    date_format="%m/%d/%Y",
    decimal_point=".",
    thousands_sep=",",
    yes="Yes",
    no="No",
)


def test_doctests():
    result = doctest.testmod(questions)
    assert result.attempted > 0
    assert result.failed == 0


# === CODES ===


@pytest.mark.parametrize(
    "name, code",
    [
        ("Type de chauffage", "type_de_chauffage"),
        ("Surface habitable (m²) ?", "surface_habitable_m2"),
        ("Piscine oui/non", "piscine_oui_non"),
        ("Origine du contact", "origine_du_contact"),
        ("  Année de construction  ", "annee_de_construction"),
        ("Œuvre & cœur", "oeuvre_coeur"),
        ("Straße", "strasse"),
        ("2 salles de bain", "q_2_salles_de_bain"),
        ("???", "question"),
        ("", "question"),
        ("Ça marche – d’accord", "ca_marche_d_accord"),
    ],
)
def test_slugify_code(name, code):
    assert slugify_code(name) == code
    assert is_valid_code(code)


def test_slugify_code_avoids_taken_codes():
    taken = {"surface", "surface_2"}
    assert slugify_code("Surface", taken) == "surface_3"


def test_slugify_code_is_bounded_even_with_a_suffix():
    name = "Une question vraiment très longue qui dépasse la limite des codes"
    first = slugify_code(name)
    assert len(first) <= questions.CODE_MAX_LENGTH
    second = slugify_code(name, {first})
    assert second.endswith("_2") and len(second) <= questions.CODE_MAX_LENGTH
    assert is_valid_code(second)


@pytest.mark.parametrize("code", ["", "Type", "1abc", "a-b", "é", "a" * 41, None])
def test_invalid_codes(code):
    assert not is_valid_code(code)


# === PARSING ===


@pytest.mark.parametrize(
    "text, number",
    [
        ("12,5", 12.5),
        ("1 200,50", 1200.5),
        ("1\u202f200,5", 1200.5),
        ("1.200,5", 1200.5),
        ("12.5", 12.5),
        ("-3", -3.0),
        ("+4", 4.0),
        (",5", 0.5),
    ],
)
def test_parse_number_french(text, number):
    assert parse_number(text, ",") == number


def test_parse_number_english():
    assert parse_number("1,200.5".replace(",", ""), ".") == 1200.5
    assert parse_number("3.25", ".") == 3.25


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12 m²", "--1", "1e5"])
def test_parse_number_refuses(text):
    with pytest.raises(AnswerError) as info:
        parse_number(text, ",")
    assert info.value.kind == "not_number"


@pytest.mark.parametrize(
    "text, date",
    [
        ("2024-05-01", datetime.date(2024, 5, 1)),
        ("01/05/2024", datetime.date(2024, 5, 1)),
        ("1.5.2024", datetime.date(2024, 5, 1)),
        ("2024-05-01 10:00:00", datetime.date(2024, 5, 1)),
    ],
)
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["31/02/2024", "demain", "2024-13-01", ""])
def test_parse_date_refuses(text):
    with pytest.raises(AnswerError) as info:
        parse_date(text)
    assert info.value.kind == "not_date"


# === NORMALIZING ===


@pytest.mark.parametrize(
    "answer_type, value, expected",
    [
        ("char", "  Pompe  à chaleur \n", "Pompe à chaleur"),
        ("char", "   ", None),
        ("text", "Ligne 1\nLigne 2 ", "Ligne 1\nLigne 2"),
        ("number", "120,5", 120.5),
        ("number", 120, 120.0),
        ("number", 0, 0.0),
        ("number", "", None),
        ("date", "2024-05-01", datetime.date(2024, 5, 1)),
        ("date", datetime.datetime(2024, 5, 1, 8), datetime.date(2024, 5, 1)),
        ("boolean", True, True),
        ("boolean", False, False),
        ("boolean", "oui", True),
        ("boolean", "Non", False),
        ("boolean", 0, False),
        ("boolean", "", None),
        ("selection", 7, 7),
        ("selection", [7], 7),
        ("selection", False, None),
        ("multi", [9, 7, 9], (7, 9)),
        ("multi", 7, (7,)),
        ("multi", [], None),
        ("selection_text", {"option_id": 7, "text": " à vérifier "}, (7, "à vérifier")),
        ("selection_text", (False, "autre"), (None, "autre")),
        ("selection_text", {"option_id": 7}, (7, "")),
        ("selection_text", {"option_id": False, "text": ""}, None),
        ("selection_text", 7, (7, "")),
    ],
)
def test_normalize_answer(answer_type, value, expected):
    assert normalize_answer(answer_type, value) == expected


@pytest.mark.parametrize("answer_type", questions.ANSWER_TYPES)
def test_none_is_no_answer_for_every_type(answer_type):
    assert normalize_answer(answer_type, None) is None


def test_false_is_an_answer_only_for_booleans():
    assert normalize_answer("boolean", False) is False
    for answer_type in set(questions.ANSWER_TYPES) - {"boolean"}:
        assert normalize_answer(answer_type, False) is None


def test_choice_text_is_a_named_pair():
    value = normalize_answer("selection_text", {"option_id": 3, "text": "x"})
    assert isinstance(value, ChoiceText)
    assert value.option_id == 3 and value.text == "x"


@pytest.mark.parametrize(
    "answer_type, value, kind",
    [
        ("char", 12, "not_text"),
        ("number", "douze", "not_number"),
        ("number", True, "not_number"),
        ("number", float("nan"), "not_number"),
        ("date", 20240501, "not_date"),
        ("date", "hier", "not_date"),
        ("boolean", "peut-être", "not_boolean"),
        ("boolean", 2, "not_boolean"),
        ("selection", "Pompe", "not_option"),
        ("selection", [1, 2], "several_options"),
        ("multi", ["a"], "not_option"),
        ("color", "red", "unknown_type"),
    ],
)
def test_normalize_answer_refuses(answer_type, value, kind):
    with pytest.raises(AnswerError) as info:
        normalize_answer(answer_type, value)
    assert info.value.kind == kind


def test_normalize_answer_checks_options_of_the_question():
    assert normalize_answer("selection", 1, allowed_options=[1, 2]) == 1
    for answer_type, value in (
        ("selection", 3),
        ("multi", [1, 3]),
        ("selection_text", {"option_id": 3, "text": ""}),
    ):
        with pytest.raises(AnswerError) as info:
            normalize_answer(answer_type, value, allowed_options=[1, 2])
        assert info.value.kind == "unknown_option"
        assert info.value.value == 3


def test_normalize_number_uses_the_language_decimal_point():
    assert normalize_answer("number", "1,200.5".replace(",", ""), decimal_point=".")
    assert normalize_answer("number", "3,5", decimal_point=",") == 3.5


# === FORMATTING ===


@pytest.mark.parametrize(
    "value, fmt, text",
    [
        (120.0, FR, "120"),
        (12.5, FR, "12,5"),
        (1234567.25, FR, "1\u202f234\u202f567,25"),
        (-1500.0, FR, "-1500"),
        (1978.0, FR, "1978"),
        (-15000.0, FR, "-15\u202f000"),
        (1234567.25, EN, "1,234,567.25"),
        (0.1 + 0.2, FR, "0,3"),
        (-0.0, FR, "0"),
    ],
)
def test_format_number(value, fmt, text):
    assert format_number(value, fmt) == text


def test_format_number_indian_grouping():
    fmt = AnswerFormat(decimal_point=".", thousands_sep=",", grouping=(3, 2, 0))
    assert format_number(123456789.0, fmt) == "12,34,56,789"


def test_format_number_keeps_four_digits_whole():
    assert format_number(1200.5, FR) == "1200,5"
    assert format_number(1200.5, EN) == "1200.5"
    assert format_number(12000.0, EN) == "12,000"


def test_format_number_without_separator():
    assert format_number(12345.0, AnswerFormat(thousands_sep="")) == "12345"


OPTIONS = {1: "Pompe à chaleur", 2: "Chaudière gaz", 3: "Poêle à bois"}


@pytest.mark.parametrize(
    "answer_type, value, fmt, text",
    [
        ("char", "Maison", FR, "Maison"),
        ("boolean", True, FR, "Oui"),
        ("boolean", False, FR, "Non"),
        ("boolean", False, EN, "No"),
        ("date", datetime.date(2024, 5, 1), FR, "01/05/2024"),
        ("date", datetime.date(2024, 5, 1), EN, "05/01/2024"),
        ("selection", 2, FR, "Chaudière gaz"),
        ("multi", (3, 1), FR, "Pompe à chaleur, Poêle à bois"),
        ("selection_text", (1, "air/eau"), FR, "Pompe à chaleur — air/eau"),
        ("selection_text", (None, "géothermie"), FR, "géothermie"),
        ("selection_text", (1, ""), FR, "Pompe à chaleur"),
        ("number", None, FR, ""),
    ],
)
def test_format_answer(answer_type, value, fmt, text):
    assert format_answer(answer_type, value, fmt, OPTIONS) == text


def test_format_answer_number_with_unit():
    assert format_answer("number", 120.5, FR, unit="m²") == "120,5\u00a0m²"


def test_format_answer_multi_follows_the_options_order():
    ordered = {3: "Poêle à bois", 1: "Pompe à chaleur"}
    assert format_answer("multi", (1, 3), FR, ordered) == (
        "Poêle à bois, Pompe à chaleur"
    )


# === EXPORT ===

HEATING = ExportQuestion(1, "Type de chauffage", "selection", option_names=OPTIONS)
SURFACE = ExportQuestion(2, "Surface", "number", unit="m²")
POOL = ExportQuestion(3, "Piscine", "boolean")
VISIT = ExportQuestion(4, "Date de visite", "date")
NOTE = ExportQuestion(5, "Remarque", "text")


def _table():
    records = [
        (
            ["Dupont", "C00001"],
            {1: 1, 2: 120.5, 3: True, 4: datetime.date(2024, 5, 1), 5: "=1+1"},
        ),
        (["Martin", ""], {3: False}),
    ]
    return export_table(
        ["Client", "Code client"], [HEATING, SURFACE, POOL, VISIT, NOTE], records
    )


def test_export_table_one_row_per_client_one_column_per_question():
    header, rows = _table()
    assert header == [
        "Client",
        "Code client",
        "Type de chauffage",
        "Surface",
        "Piscine",
        "Date de visite",
        "Remarque",
    ]
    assert rows[0] == [
        "Dupont",
        "C00001",
        "Pompe à chaleur",
        120.5,
        "Oui",
        datetime.date(2024, 5, 1),
        "'=1+1",
    ]
    assert rows[1] == ["Martin", "", None, None, "Non", None, None]


def test_export_neutralises_formulas_in_client_columns_too():
    _header, rows = export_table(["Client"], [], [(["@SUM(A1)"], {})])
    assert rows == [["'@SUM(A1)"]]


def test_table_to_csv_french():
    header, rows = _table()
    data = table_to_csv(header, rows, FR)
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][2] == "Type de chauffage"
    assert lines[1] == [
        "Dupont",
        "C00001",
        "Pompe à chaleur",
        "120,5",
        "Oui",
        "01/05/2024",
        "'=1+1",
    ]
    assert lines[2] == ["Martin", "", "", "", "Non", "", ""]


def test_table_to_csv_english_uses_commas():
    header, rows = _table()
    text = table_to_csv(header, rows, EN).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][3] == "120.5"
    assert lines[1][5] == "05/01/2024"


def test_table_to_xlsx_typed_cells():

    header, rows = _table()
    data = table_to_xlsx(header, rows, "Questions: clients/2024")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "Questions  clients 2024"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(header)
    assert values[1][3] == 120.5
    assert values[1][5] == datetime.datetime(2024, 5, 1)
    # text that looks like a formula stays text
    assert sheet.cell(row=2, column=7).data_type == "s"
    assert values[2] == ("Martin", None, None, None, "Non", None, None)
    assert sheet.freeze_panes == "A2"


def test_table_to_xlsx_without_rows():

    data = table_to_xlsx(["Client"], [], "")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Export"
    assert list(sheet.iter_rows(values_only=True)) == [("Client",)]
