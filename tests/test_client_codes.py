"""Client codes without Odoo: folding, formats, candidates, collisions."""

import doctest
import itertools

import pytest

from extrabat_core import client_codes
from extrabat_core.client_codes import (
    FALLBACK_LETTER,
    MODE_NAME,
    MODE_SEQUENCE,
    CodeFormat,
    CodeFormatError,
    InvalidCodeError,
    ascii_fold,
    first_free,
    iter_sequence_codes,
    next_free_name_code,
    normalize_code,
)


def test_doctests():
    failures, tried = doctest.testmod(client_codes)
    assert tried > 0
    assert failures == 0


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Dupont", "DUPONT"),
        ("  jean   dupont ", "JEANDUPONT"),
        ("Électricité Générale", "ELECTRICITEGENERALE"),
        ("Çà et là, où ?", "CAETLAOU"),
        ("Lœuvre", "LOEUVRE"),
        ("ÆSIR", "AESIR"),
        ("Straße", "STRASSE"),
        ("Øster Łódź", "OSTERLODZ"),
        ("L'Atelier d'Hélène", "LATELIERDHELENE"),
        ("SARL 2B-Bâtiment", "SARL2BBATIMENT"),
        ("ﬁne", "FINE"),  # compatibility ligature
        ("１２３", "123"),  # full-width digits
        ("李小龍", ""),
        ("---", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_ascii_fold(text, folded):
    assert ascii_fold(text) == folded


def test_sequential_codes_are_zero_padded_to_the_width():
    fmt = CodeFormat(prefix="C", mode=MODE_SEQUENCE, width=5)
    assert fmt.format_number(42) == "C00042"
    assert fmt.format_number(0) == "C00000"


def test_sequential_codes_are_never_truncated():
    assert CodeFormat("C", MODE_SEQUENCE, 2).format_number(1234) == "C1234"


def test_negative_number_is_refused():
    with pytest.raises(ValueError):
        CodeFormat().format_number(-1)


def test_empty_prefix_is_allowed():
    assert CodeFormat("", MODE_SEQUENCE, 4).format_number(7) == "0007"
    assert CodeFormat(None, MODE_NAME, 4).name_base("Martin") == "MART"


def test_name_codes_start_with_the_first_letters_then_count():
    fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=5)
    assert fmt.candidates("Dupont", 4) == [
        "411DUPON",
        "411DUPON1",
        "411DUPON2",
        "411DUPON3",
    ]


def test_name_codes_fold_accents_and_drop_spaces():
    fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=8)
    assert fmt.name_base("Hélène Éluard") == "411HELENEEL"


def test_accented_and_plain_names_collide_on_the_same_base():
    fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=5)
    assert fmt.name_base("Dupônt") == fmt.name_base("DUPONT") == "411DUPON"


def test_short_name_gives_a_short_code():
    fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=5)
    assert fmt.name_base("Li") == "411LI"
    assert fmt.candidates("Li", 2) == ["411LI", "411LI1"]


@pytest.mark.parametrize("name", ["", None, "   ", "***", "李小龍"])
def test_name_without_usable_letters_falls_back(name):
    fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=5)
    base = "411" + FALLBACK_LETTER * 5
    assert fmt.candidates(name, 2) == [base, base + "1"]


def test_counter_goes_past_nine():
    fmt = CodeFormat(prefix="C", mode=MODE_NAME, width=3)
    codes = list(itertools.islice(fmt.iter_name_codes("Bob"), 12))
    assert codes[0] == "CBOB"
    assert codes[10] == "CBOB10"
    assert codes[11] == "CBOB11"
    assert len(set(codes)) == 12


def test_preview_of_each_mode():
    assert CodeFormat("C", MODE_SEQUENCE, 5).preview(42) == "C00042"
    assert CodeFormat("411", MODE_NAME, 5).preview(42, "Dupont") == "411DUPON"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"prefix": "X" * 11}, "prefix"),
        ({"prefix": "41 1"}, "prefix"),
        ({"prefix": "41|1"}, "prefix"),
        ({"mode": "random"}, "mode"),
        ({"width": 0}, "width"),
        ({"width": 13}, "width"),
    ],
)
def test_bad_formats_are_refused_naming_the_setting(kwargs, field):
    with pytest.raises(CodeFormatError) as info:
        CodeFormat(**kwargs)
    assert info.value.field == field


def test_first_free_skips_taken_codes():
    taken = {"411DUPON", "411DUPON1"}
    fmt = CodeFormat("411", MODE_NAME, 5)
    assert first_free(fmt.iter_name_codes("Dupont"), taken.__contains__) == (
        "411DUPON2"
    )


def test_first_free_gives_up_after_max_tries():
    with pytest.raises(LookupError):
        first_free(itertools.repeat("C1"), lambda code: True, max_tries=50)


def test_sequence_codes_draw_a_new_number_for_each_candidate():
    numbers = iter([7, 8, 9])
    fmt = CodeFormat("C", MODE_SEQUENCE, 5)
    taken = {"C00007", "C00008"}
    code = first_free(
        iter_sequence_codes(fmt, lambda: next(numbers)), taken.__contains__
    )
    assert code == "C00009"
    # Every number was drawn once: a skipped number is not drawn again.
    assert list(numbers) == []


def test_sequence_codes_draw_lazily():
    drawn = []

    def draw():
        drawn.append(len(drawn) + 1)
        return drawn[-1]

    fmt = CodeFormat("C", MODE_SEQUENCE, 5)
    assert first_free(iter_sequence_codes(fmt, draw), lambda code: False) == "C00001"
    assert drawn == [1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  C42 ", "C42"),
        ("", ""),
        (None, ""),
        (" ", ""),
        ("C-MANUEL_1.2/3", "C-MANUEL_1.2/3"),
    ],
)
def test_normalize_code(typed, stored):
    assert normalize_code(typed) == stored


@pytest.mark.parametrize(
    "lookalike",
    [
        "c00002",  # lower case
        "C\u200b00002",  # zero-width space (Cf)
        "C\u200e00002\u2060",  # direction mark, word joiner (Cf)
        "C\u00ad00002",  # soft hyphen (Cf)
        "C 00002",  # space inside
        "C\u00a000002\t",  # no-break space, tab
        "\uff23\uff10\uff10\uff10\uff10\uff12",  # full-width
        "\uff4300002",  # full-width lower case
    ],
)
def test_lookalike_codes_normalise_to_the_code_people_read(lookalike):
    assert normalize_code(lookalike) == "C00002"


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("C\u00e900002", "\u00c9"),  # accented letter
        ("\u0421\u041e00002", "\u0421\u041e"),  # Cyrillic look-alikes of C, O
        ("C#00002%", "#%"),
        ("C00002\x00", "\x00"),  # control character
    ],
)
def test_codes_with_other_characters_are_refused_naming_them(typed, refused):
    with pytest.raises(InvalidCodeError) as error:
        normalize_code(typed)
    assert error.value.characters == refused


def test_generated_codes_are_already_normalised():
    fmt = CodeFormat("c-411/", MODE_NAME, 5)
    assert fmt.prefix == "C-411/"
    for code in fmt.candidates("Hélène Ærø", 3):
        assert normalize_code(code) == code
    fmt = CodeFormat("c", MODE_SEQUENCE, 5)
    assert normalize_code(fmt.format_number(7)) == fmt.format_number(7) == "C00007"


def test_next_free_name_code_past_a_thousand_taken():
    fmt = CodeFormat("411", MODE_NAME, 5)
    taken = ["411DUPON", *(f"411DUPON{n}" for n in range(1, 1000))]
    assert next_free_name_code(fmt, "Dupont", taken) == "411DUPON1000"


def test_next_free_name_code_fills_the_first_hole():
    fmt = CodeFormat("411", MODE_NAME, 5)
    assert next_free_name_code(fmt, "Dupont", []) == "411DUPON"
    taken = ["411DUPON", "411DUPON1", "411DUPON2", "411DUPON4", "411DUPON01"]
    assert next_free_name_code(fmt, "Dupont", taken) == "411DUPON3"


def test_next_free_name_code_gives_up_beyond_the_longest_code():
    fmt = CodeFormat("411", MODE_NAME, 5)
    with pytest.raises(LookupError):
        next_free_name_code(fmt, "Dupont", ["411DUPON"], max_length=8)
