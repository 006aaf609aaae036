import doctest

import pytest

from extrabat_core import phones
from extrabat_core.phones import looks_like_phone, search_key


def test_doctests():
    assert doctest.testmod(phones).failed == 0


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 45 78 90",
        "0612457890",
        "06.12.45.78.90",
        "06-12-45-78-90",
        "+33 6 12 45 78 90",
        "+33612457890",
        "+33 (0)6 12 45 78 90",
        "0033 6 12 45 78 90",
        "612457890",
    ],
)
def test_every_format_of_a_french_number_has_the_same_key(typed):
    assert search_key(typed) == "612457890"


def test_a_partial_number_is_part_of_the_key():
    assert search_key("06 12 45") in search_key("+33 6 12 45 78 90")


def test_a_foreign_number_keeps_its_country_code():
    assert search_key("+32 485 11 22 33") == "32485112233"
    assert search_key("0032 485 11 22 33") == "32485112233"


def test_no_digit_no_key():
    assert search_key(None) == ""
    assert search_key("") == ""
    assert search_key("Dupont") == ""


@pytest.mark.parametrize("typed", ["06 12 45 78 90", "+33 6 12", "0033-6", "(0)6/12"])
def test_phone_like_texts(typed):
    assert looks_like_phone(typed)


@pytest.mark.parametrize("typed", ["C00042", "411DUPON", "Dupont 06", "", None, "  "])
def test_codes_and_names_are_not_phone_numbers(typed):
    assert not looks_like_phone(typed)
