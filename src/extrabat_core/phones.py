"""Phone numbers as they are searched: a number typed in any format finds
the same number stored in any other format.

The search key of a number is its digits, without the international prefix
(``+`` or ``00``) and, for a number of the home country, without the country
code nor the national trunk ``0``: the national significant number.

>>> search_key("06 12 45 78 90")
'612457890'
>>> search_key("+33 6 12 45 78 90")
'612457890'
>>> search_key("0033 (0)6.12.45.78.90")
'612457890'
>>> search_key("+32 485 11 22 33")
'32485112233'
>>> search_key("Dupont")
''
"""

from __future__ import annotations

import re

#: Country calling code of the home country (France).
HOME_COUNTRY_CODE = "33"

_NOT_DIGIT = re.compile(r"\D")
#: The trunk ``0`` some people write in brackets after the country code.
_BRACKETED_TRUNK = re.compile(r"\(\s*0\s*\)")


#: What a typed phone number is made of (digits and separators only).
_PHONE_TEXT = re.compile(r"^\+?[\d\s.\-/()]+$")


def looks_like_phone(text: str | None) -> bool:
    """Whether a searched text is (part of) a phone number: digits and the
    usual separators only, so that a client code (``C00042``) or a name
    typed in the same search box is not compared with phone numbers.

    >>> looks_like_phone("06 12 45"), looks_like_phone("+33 (0)6.12")
    (True, True)
    >>> looks_like_phone("C00042"), looks_like_phone("Dupont"), looks_like_phone("")
    (False, False, False)
    """
    return bool(text and _PHONE_TEXT.match(text.strip()))


def search_key(number: str | None, country_code: str = HOME_COUNTRY_CODE) -> str:
    """Digits to store and search a phone number by.

    :param number: the number as typed (any spaces, dots, dashes, brackets),
        complete or partial
    :param country_code: calling code of the home country, whose numbers
        are reduced to their national significant number
    :return: the digits of the key; ``""`` when the text has no digit
    """
    if not number:
        return ""
    text = _BRACKETED_TRUNK.sub("", number.strip())
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0"):
        return digits[1:]
    else:
        return digits
    if country_code and international.startswith(country_code):
        return international[len(country_code) :]
    return international
