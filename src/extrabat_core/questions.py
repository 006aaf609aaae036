"""Complementary questions (questions complémentaires): framework-free rules.

The Odoo addon ``extrabat_crm`` stores questions, options and answers; this
module holds what needs no ORM:

- :func:`slugify_code`: the stable technical key of a question (letter markers
  ``[data.question_<code>]``);
- :func:`normalize_answer`: one canonical, typed value per answer type, from
  whatever a form, an RPC client or an import gives; :class:`AnswerError` says
  why a value is refused;
- :func:`format_answer` / :func:`format_number`: the display text of an answer
  in a language (letters, exports, the client's home page);
- :func:`parse_number` / :func:`parse_date`: user-typed numbers and dates;
- :func:`export_table`, :func:`table_to_csv`, :func:`table_to_xlsx`: the
  "one row per client, one column per question" export.

Canonical values (what :func:`normalize_answer` returns), by answer type:

==================  ====================================================
``char``, ``text``  non-empty ``str`` (``char`` is one line)
``number``          finite ``float``
``date``            :class:`datetime.date`
``boolean``         ``True`` (yes) or ``False`` (no: an explicit answer)
``selection``       ``int``: the chosen option's id
``multi``           non-empty ``tuple`` of distinct option ids, sorted
``selection_text``  :class:`ChoiceText` ``(option_id or None, text)``
==================  ====================================================

``None`` always means "no answer".
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

ANSWER_TYPES = (
    "char",
    "text",
    "selection",
    "selection_text",
    "boolean",
    "multi",
    "date",
    "number",
)
#: Answer types whose answers are options of the question.
CHOICE_TYPES = frozenset({"selection", "selection_text", "multi"})
#: Type changes that keep every existing answer meaningful (old, new).
SAFE_TYPE_CHANGES = frozenset(
    {
        ("char", "text"),
        ("selection", "selection_text"),
        ("selection", "multi"),
    }
)

CODE_MAX_LENGTH = 40
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class ChoiceText(NamedTuple):
    """Answer of a "dropdown + free text" question."""

    option_id: int | None
    text: str


class AnswerError(ValueError):
    """A value that cannot be the answer to a question.

    :ivar kind: machine-readable reason, one of ``not_text``, ``not_number``,
        ``not_date``, ``not_boolean``, ``not_option``, ``unknown_option``,
        ``several_options``, ``unknown_type``
    :ivar value: the refused value
    """

    def __init__(self, kind: str, value: Any = None):
        super().__init__(f"{kind}: {value!r}")
        self.kind = kind
        self.value = value


# === CODES ===


def slugify_code(name: str, taken: Iterable[str] = (), fallback: str = "question"):
    """ASCII snake_case key derived from a question's wording.

    >>> slugify_code("Type de chauffage")
    'type_de_chauffage'
    >>> slugify_code("Surface (m²) ?", taken={"surface_m2"})
    'surface_m2_2'
    >>> slugify_code("3 pièces")
    'q_3_pieces'

    :param name: the question, in any language
    :param taken: codes already used (the result is not one of them)
    :param fallback: key used when nothing usable is left of ``name``
    :return: a code matching :data:`CODE_PATTERN`, at most
        :data:`CODE_MAX_LENGTH` characters
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = text.replace("ß", "ss").replace("œ", "oe").replace("Œ", "oe")
    text = text.replace("æ", "ae").replace("Æ", "ae")
    # Drop the accents (combining marks), then anything else not ASCII
    # alphanumeric separates words.
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    code = re.sub(r"[^a-z0-9]+", "_", text).strip("_") or fallback
    if not code[0].isalpha():
        code = f"q_{code}"
    code = code[:CODE_MAX_LENGTH].rstrip("_")
    taken = set(taken)
    if code not in taken:
        return code
    index = 2
    while True:
        suffix = f"_{index}"
        candidate = code[: CODE_MAX_LENGTH - len(suffix)].rstrip("_") + suffix
        if candidate not in taken:
            return candidate
        index += 1


def is_valid_code(code: str) -> bool:
    """Whether ``code`` can be a question code (and a letter marker)."""
    return bool(
        isinstance(code, str)
        and len(code) <= CODE_MAX_LENGTH
        and CODE_PATTERN.match(code)
    )


# === PARSING ===

_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(text: str, decimal_point: str = ",") -> float:
    """Number typed by a user: ``"12,5"``, ``"1 200,50"``, ``"12.5"``, ``"-3"``.

    Both the language's decimal point and ``.`` are accepted; spaces,
    non-breaking spaces and apostrophes group thousands.

    :raise AnswerError: ``not_number``
    """
    raw = _NUMBER_SPACES.sub("", text or "")
    if decimal_point and decimal_point != ".":
        if raw.count(decimal_point) > 1:
            raise AnswerError("not_number", text)
        if decimal_point in raw:
            # "1.200,5": dots group thousands when the decimal point is a comma
            raw = raw.replace(".", "").replace(decimal_point, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        raise AnswerError("not_number", text)
    return float(raw)


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> datetime.date:
    """Date typed by a user or sent by a client: ISO ``YYYY-MM-DD`` or French
    ``DD/MM/YYYY`` (also with ``.`` or ``-``).

    :raise AnswerError: ``not_date``
    """
    raw = (text or "").strip()
    try:
        if match := _DMY.match(raw):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise AnswerError("not_date", text) from exc


_TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "y", "o", "x"})
_FALSE_WORDS = frozenset({"0", "false", "no", "non", "n"})


def _normalize_boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise AnswerError("not_boolean", value)


def _option_id(value):
    if value is None or value is False or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError("not_option", value)
    return value


def _check_known(option_ids, allowed):
    if allowed is not None:
        unknown = [option for option in option_ids if option not in allowed]
        if unknown:
            raise AnswerError("unknown_option", unknown[0])


def _normalize_text(value, one_line):
    if not isinstance(value, str):
        raise AnswerError("not_text", value)
    if one_line:
        value = " ".join(value.split())
    value = value.strip()
    return value or None


def _normalize_number(value, decimal_point):
    if isinstance(value, bool):
        raise AnswerError("not_number", value)
    if isinstance(value, str):
        if not value.strip():
            return None
        value = parse_number(value, decimal_point)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AnswerError("not_number", value)
    return float(value)


def _normalize_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_date(value) if value.strip() else None
    raise AnswerError("not_date", value)


def _normalize_multi(value, allowed):
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        value = [value]
    ids = {_option_id(item) for item in value} - {None}
    _check_known(ids, allowed)
    return tuple(sorted(ids)) or None


def _normalize_choice_text(value, allowed):
    if isinstance(value, Mapping):
        option, text = value.get("option_id"), value.get("text")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        option, text = value
    else:
        option, text = value, None
    option = _option_id(option)
    _check_known([option] if option else [], allowed)
    text = _normalize_text(text, one_line=False) if text else None
    if option is None and text is None:
        return None
    return ChoiceText(option, text or "")


def normalize_answer(
    answer_type: str,
    value: Any,
    allowed_options: Iterable[int] | None = None,
    decimal_point: str = ",",
):
    """Canonical answer (see the module's table), or ``None`` for "no answer".

    :param answer_type: one of :data:`ANSWER_TYPES`
    :param value: what was given: canonical values, strings typed by a user
        (numbers with the language's ``decimal_point``, dates in ISO or
        ``DD/MM/YYYY``), option ids (a one-item list for ``selection``), a
        ``{"option_id": ..., "text": ...}`` mapping or a pair for
        ``selection_text``; ``None``, ``False`` (except for ``boolean``),
        ``""`` and ``[]`` mean "no answer"
    :param allowed_options: option ids the answer may use (``None``: no check)
    :raise AnswerError: when the value does not fit the type
    """
    if answer_type not in ANSWER_TYPES:
        raise AnswerError("unknown_type", answer_type)
    if value is None:
        return None
    if answer_type == "boolean":
        return _normalize_boolean(value)
    if value is False or (isinstance(value, (list, tuple)) and not value):
        return None
    allowed = None if allowed_options is None else set(allowed_options)
    if answer_type in ("char", "text"):
        return _normalize_text(value, one_line=answer_type == "char")
    if answer_type == "number":
        return _normalize_number(value, decimal_point)
    if answer_type == "date":
        return _normalize_date(value)
    if answer_type == "multi":
        return _normalize_multi(value, allowed)
    if answer_type == "selection_text":
        return _normalize_choice_text(value, allowed)
    # selection: one option
    if isinstance(value, (list, tuple)):
        if len(value) > 1:
            raise AnswerError("several_options", value)
        value = value[0]
    option = _option_id(value)
    _check_known([option] if option else [], allowed)
    return option


# === FORMATTING ===


@dataclass(frozen=True)
class AnswerFormat:
    """How answers read in one language (Odoo's ``res.lang`` values).

    :ivar date_format: ``strftime`` pattern, e.g. ``"%d/%m/%Y"``
    :ivar grouping: Odoo grouping, e.g. ``[3, 0]`` (0 repeats the last group)
    :ivar yes: / no: labels of boolean answers, translated by the caller
    """

    date_format: str = "%d/%m/%Y"
    decimal_point: str = ","
    thousands_sep: str = "\u202f"
    grouping: Sequence[int] = field(default=(3, 0))
    yes: str = "Oui"
    no: str = "Non"
    list_separator: str = ", "
    choice_text_separator: str = " — "


def _group_digits(digits: str, grouping: Sequence[int], separator: str) -> str:
    """Odoo's grouping rules (``res.lang``): counts from the right; 0 repeats
    the previous count, -1 stops grouping."""
    if not separator:
        return digits
    rest, groups = digits[::-1], []
    saved = len(rest)
    for count in grouping:
        if not rest or count == -1:
            break
        if count == 0:
            while rest:
                groups.append(rest[:saved])
                rest = rest[saved:]
            break
        groups.append(rest[:count])
        rest = rest[count:]
        saved = count
    if rest:
        groups.append(rest)
    return separator.join(group[::-1] for group in reversed(groups))


def format_number(value: float, fmt: AnswerFormat = AnswerFormat()) -> str:
    """A number as a person writes it: no trailing zeros, the language's
    decimal point, and its thousands separator from five digits on (a year
    or "1200 m²" stays in one piece, as French typography allows).

    >>> format_number(12500.5)
    '12\\u202f500,5'
    >>> format_number(1978.0)
    '1978'
    """
    text = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    whole, _dot, decimals = text.partition(".")
    if len(whole) > 4:
        whole = _group_digits(whole, fmt.grouping, fmt.thousands_sep)
    sign = "-" if value < 0 and text.strip("0.") else ""
    return sign + whole + (fmt.decimal_point + decimals if decimals else "")


def format_answer(
    answer_type: str,
    value: Any,
    fmt: AnswerFormat = AnswerFormat(),
    option_names: Mapping[int, str] | None = None,
    unit: str = "",
) -> str:
    """Display text of a canonical answer; ``""`` when there is none.

    :param option_names: option id -> name (in the wanted language); for
        ``multi`` answers the ids are shown in the mapping's order, so give
        it in the options' order
    :param unit: suffix of numbers, e.g. ``"m²"``
    """
    if value is None:
        return ""
    names = option_names or {}
    if answer_type == "boolean":
        return fmt.yes if value else fmt.no
    if answer_type in ("char", "text"):
        return value
    if answer_type == "number":
        number = format_number(value, fmt)
        return f"{number}\u00a0{unit}" if unit else number
    if answer_type == "date":
        return value.strftime(fmt.date_format)
    if answer_type == "selection":
        return names.get(value, "")
    if answer_type == "multi":
        chosen = set(value)
        ordered = [oid for oid in names if oid in chosen]
        ordered += sorted(chosen - set(ordered))
        return fmt.list_separator.join(names.get(oid, "") for oid in ordered if oid)
    if answer_type == "selection_text":
        option, text = value
        parts = [names.get(option, "") if option else "", text]
        return fmt.choice_text_separator.join(part for part in parts if part)
    raise AnswerError("unknown_type", answer_type)


# === EXPORT ===


@dataclass(frozen=True)
class ExportQuestion:
    """One question column of the export."""

    id: int
    name: str
    answer_type: str
    unit: str = ""
    option_names: Mapping[int, str] = field(default_factory=dict)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets
    # (CSV/formula injection): answers are typed by users, so neutralise it.
    if text and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def export_cell(question: ExportQuestion, value: Any, fmt: AnswerFormat):
    """Typed cell of one answer: ``float`` for numbers, ``date`` for dates,
    display text otherwise, ``None`` for no answer."""
    if value is None:
        return None
    if question.answer_type in ("number", "date"):
        return value
    return _safe_text(
        format_answer(
            question.answer_type, value, fmt, question.option_names, question.unit
        )
    )


def export_table(
    base_columns: Sequence[str],
    questions: Sequence[ExportQuestion],
    records: Iterable[tuple[Sequence[Any], Mapping[int, Any]]],
    fmt: AnswerFormat = AnswerFormat(),
):
    """Rows of the answers export: one per client, one column per question.

    :param base_columns: headers of the client's own columns (name, code...)
    :param questions: the question columns, in order
    :param records: per client, ``(base values, {question id: canonical
        answer})``; base values are plain cells (text, numbers, dates)
    :return: ``(header, rows)``, cells typed as by :func:`export_cell`
    """
    header = [*base_columns, *(question.name for question in questions)]
    rows = []
    for base_values, answers in records:
        row = [
            _safe_text(cell) if isinstance(cell, str) else cell for cell in base_values
        ]
        row += [export_cell(q, answers.get(q.id), fmt) for q in questions]
        rows.append(row)
    return header, rows


def _csv_text(cell, fmt: AnswerFormat) -> str:
    if cell is None or cell is False:
        return ""
    if isinstance(cell, bool):
        return fmt.yes if cell else fmt.no
    if isinstance(cell, (int, float)):
        return format_number(
            cell, AnswerFormat(decimal_point=fmt.decimal_point, thousands_sep="")
        )
    if isinstance(cell, datetime.date):
        return cell.strftime(fmt.date_format)
    return str(cell)


def table_to_csv(header, rows, fmt: AnswerFormat = AnswerFormat()) -> bytes:
    """CSV for a spreadsheet: UTF-8 with a byte-order mark, ``;`` between
    cells when the language writes decimals with a comma (as French Excel
    expects), ``,`` otherwise."""
    delimiter = ";" if fmt.decimal_point == "," else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(cell, fmt) for cell in header])
    for row in rows:
        writer.writerow([_csv_text(cell, fmt) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_to_xlsx(header, rows, sheet_title: str = "Export") -> bytes:
    """XLSX workbook with typed cells (numbers, dates) and a frozen,
    filterable header row. Text is always stored as text, never as a
    formula."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    # Sheet titles may not contain []:*?/\ and are at most 31 characters.
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "Export"
    widths = [len(str(title)) for title in header]
    for col, title in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col, value=str(title))
        cell.data_type = TYPE_STRING
        cell.font = Font(bold=True)
    for row_index, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            if value is None or value is False:
                continue
            cell = sheet.cell(row=row_index, column=col)
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "DD/MM/YYYY"
                width = 10
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                width = len(str(value))
            else:
                cell.value = str(value)
                cell.data_type = TYPE_STRING
                width = len(cell.value)
            widths[col - 1] = max(widths[col - 1], min(width, 60))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width + 2
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
