"""Client codes (codes clients / codes comptables), without Odoo.

A client code is the auxiliary account of a customer in French accounting
(``411DUPON``, ``C00042``): a prefix, then either a zero-padded number drawn
from a sequence or the first letters of the client's name, folded to ASCII
upper case, with a counter when the code is already taken.

The Odoo addon ``extrabat_crm`` draws the numbers, locks the rows and checks
which codes are taken; everything about the *shape* of a code lives here:

>>> fmt = CodeFormat(prefix="411", mode=MODE_NAME, width=5)
>>> fmt.candidates(name="Société Dupont & Fils")[:3]
['411SOCIE', '411SOCIE1', '411SOCIE2']
>>> CodeFormat(prefix="C", mode=MODE_SEQUENCE, width=5).format_number(42)
'C00042'
>>> first_free(["411DUPON", "411DUPON1", "411DUPON2"], {"411DUPON"}.__contains__)
'411DUPON1'

Codes compare as people read them: a typed or imported code is normalised
before it is stored (:func:`normalize_code`), so that ``c00002``, ``C 00002``
or a full-width ``Ｃ００００２`` are the same code as ``C00002``:

>>> normalize_code(" c 00002 ") == normalize_code("Ｃ００００２") == "C00002"
True
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

MODE_SEQUENCE = "sequence"
MODE_NAME = "name"
MODES = (MODE_SEQUENCE, MODE_NAME)

#: Limits of the settings (a FEC ``CompAuxNum`` is free text, but accounting
#: software importing it often cuts auxiliary accounts at 17 characters).
MAX_PREFIX_LENGTH = 10
MIN_WIDTH = 1
MAX_WIDTH = 12
#: Longest code accepted, typed or generated.
MAX_CODE_LENGTH = 32
#: Letters used when a name has nothing usable (empty, only symbols or a
#: script without a Latin transliteration): ``411XXXXX``, ``411XXXXX1`` ...
FALLBACK_LETTER = "X"

# Letters NFKD does not decompose into an ASCII base letter.
_SPECIAL_FOLDS = str.maketrans(
    {
        "Œ": "OE",
        "œ": "oe",
        "Æ": "AE",
        "æ": "ae",
        "ß": "ss",
        "ẞ": "SS",
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Þ": "TH",
        "þ": "th",
        "ı": "i",
    }
)
_NOT_CODE_CHAR = re.compile(r"[^A-Z0-9]")
_PREFIX_ALLOWED = re.compile(r"[A-Za-z0-9_.\-/]*")
#: Characters of a client code besides A-Z and 0-9 (those of the prefix).
CODE_PUNCTUATION = "-_./"
_CODE_ALLOWED = re.compile(r"[A-Z0-9_.\-/]*")


class InvalidCodeError(ValueError):
    """A typed client code with characters a code may not have.

    ``characters`` lists them, once each, in the order they appear (after
    normalisation), so that the caller can build a translated message.
    """

    def __init__(self, code: str, characters: str):
        super().__init__(
            f"client code {code!r}: characters other than A-Z, 0-9 and "
            f"{' '.join(CODE_PUNCTUATION)} ({characters!r})"
        )
        self.code = code
        self.characters = characters


class CodeFormatError(ValueError):
    """A client code format that cannot be used (bad prefix, mode or width).

    ``field`` names the faulty setting (``prefix``, ``mode`` or ``width``) so
    that the caller can build a translated message.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def ascii_fold(text: str | None) -> str:
    """Upper-case ASCII letters and digits of ``text``, nothing else.

    Accents are removed (``é`` → ``E``), ligatures expanded (``Œ`` → ``OE``),
    spaces, punctuation and characters without a Latin equivalent dropped.

    >>> ascii_fold("  Électricité Lœuvre-Müller  ")
    'ELECTRICITELOEUVREMULLER'
    >>> ascii_fold("李") == ascii_fold("") == ascii_fold(None) == ""
    True
    """
    if not text:
        return ""
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_CODE_CHAR.sub("", ascii_only.upper())


def normalize_code(code: str | None) -> str:
    """A typed client code as stored, so that codes compare as people read
    them; ``""`` means no code.

    Compatibility forms are folded (NFKC: full-width ``Ｃ`` → ``C``), letters
    put in upper case, white space (anywhere) and invisible format characters
    (Unicode category Cf: zero-width space, soft hyphen, direction marks)
    removed. What remains must be A-Z, 0-9 or one of :data:`CODE_PUNCTUATION`.

    >>> normalize_code("  c-manuel\u200b  ")
    'C-MANUEL'
    >>> normalize_code(None) == normalize_code(" \u00a0") == ""
    True
    >>> normalize_code("C#0é2")
    Traceback (most recent call last):
    ...
    extrabat_core.client_codes.InvalidCodeError: client code 'C#0É2': \
characters other than A-Z, 0-9 and - _ . / ('#É')

    :raise InvalidCodeError: when other characters remain (accented letters,
        symbols, other scripts): refused rather than silently changed
    """
    if not code:
        return ""
    text = unicodedata.normalize("NFKC", code)
    text = "".join(
        char
        for char in text
        if not char.isspace() and unicodedata.category(char) != "Cf"
    )
    # upper() may produce compatibility characters again (rare): fold twice.
    text = unicodedata.normalize("NFKC", text.upper())
    if not _CODE_ALLOWED.fullmatch(text):
        bad = dict.fromkeys(char for char in text if not _CODE_ALLOWED.fullmatch(char))
        raise InvalidCodeError(text, "".join(bad))
    return text


@dataclass(frozen=True)
class CodeFormat:
    """The shape of the client codes of one company.

    :param prefix: written before every code (``"411"``, ``"C"``, ``""``)
    :param mode: :data:`MODE_SEQUENCE` (prefix + zero-padded number) or
        :data:`MODE_NAME` (prefix + first letters of the name + counter)
    :param width: digits of the number, or letters taken from the name
    """

    prefix: str = "C"
    mode: str = MODE_SEQUENCE
    width: int = 5

    def __post_init__(self):
        prefix = self.prefix or ""
        if len(prefix) > MAX_PREFIX_LENGTH:
            raise CodeFormatError(
                "prefix", f"prefix longer than {MAX_PREFIX_LENGTH} characters"
            )
        if not _PREFIX_ALLOWED.fullmatch(prefix):
            raise CodeFormatError(
                "prefix", "prefix with characters other than A-Z, 0-9, _ . - /"
            )
        if self.mode not in MODES:
            raise CodeFormatError("mode", f"unknown mode {self.mode!r}")
        if not isinstance(self.width, int) or not (
            MIN_WIDTH <= self.width <= MAX_WIDTH
        ):
            raise CodeFormatError(
                "width", f"width must be between {MIN_WIDTH} and {MAX_WIDTH}"
            )
        # Codes are stored in upper case (normalize_code): so is the prefix.
        object.__setattr__(self, "prefix", prefix.upper())

    # --- sequential mode ---

    def format_number(self, number: int) -> str:
        """``prefix`` + ``number`` zero-padded to ``width`` (never truncated).

        >>> CodeFormat("C", MODE_SEQUENCE, 3).format_number(12345)
        'C12345'
        """
        if number < 0:
            raise ValueError("a client code number cannot be negative")
        return f"{self.prefix}{number:0{self.width}d}"

    # --- name-based mode ---

    def name_base(self, name: str | None) -> str:
        """``prefix`` + the first ``width`` ASCII letters/digits of ``name``.

        A short name gives a short code (``411LI``); a name with nothing
        usable gives :data:`FALLBACK_LETTER` repeated (``411XXXXX``).
        """
        letters = ascii_fold(name)[: self.width] or FALLBACK_LETTER * self.width
        return f"{self.prefix}{letters}"

    def iter_name_codes(self, name: str | None) -> Iterator[str]:
        """The codes to try for ``name``, in order: the base then a counter.

        >>> list(itertools.islice(CodeFormat("411", MODE_NAME, 5)
        ...     .iter_name_codes("Dupont"), 3))
        ['411DUPON', '411DUPON1', '411DUPON2']
        """
        base = self.name_base(name)
        yield base
        for counter in itertools.count(1):
            yield f"{base}{counter}"

    def candidates(self, name: str | None = None, count: int = 3) -> list[str]:
        """The first ``count`` candidates of the name-based mode (previews)."""
        return list(itertools.islice(self.iter_name_codes(name), count))

    # --- both modes ---

    def preview(self, next_number: int, sample_name: str | None = None) -> str:
        """The next code this format would give: the number to be drawn next
        in sequential mode, or the base for ``sample_name`` in name mode."""
        if self.mode == MODE_SEQUENCE:
            return self.format_number(next_number)
        return self.name_base(sample_name)


def first_free(
    candidates: Iterable[str],
    is_taken: Callable[[str], bool],
    max_tries: int = 1000,
) -> str:
    """The first candidate for which ``is_taken`` is false.

    :raise LookupError: when ``max_tries`` candidates are all taken (a sign of
        a broken configuration rather than bad luck)
    """
    for candidate in itertools.islice(candidates, max_tries):
        if not is_taken(candidate):
            return candidate
    raise LookupError(f"no free client code among {max_tries} candidates")


def iter_sequence_codes(
    fmt: CodeFormat, draw_number: Callable[[], int]
) -> Iterator[str]:
    """Codes of the sequential mode, drawing a new number for each candidate.

    The numbers come from ``draw_number`` (a database sequence): a number whose
    code is already taken (typed by hand, imported) is skipped for good.
    """
    while True:
        yield fmt.format_number(draw_number())


def next_free_name_code(
    fmt: CodeFormat,
    name: str | None,
    taken: Iterable[str],
    max_length: int = MAX_CODE_LENGTH,
) -> str:
    """The first code of the name-based mode for ``name`` not in ``taken``.

    ``taken`` is every code already held that starts with the base (the
    caller reads them in one query): the answer is found among the first
    ``len(taken) + 1`` candidates, however many clients share the name.

    >>> fmt = CodeFormat("411", MODE_NAME, 5)
    >>> next_free_name_code(fmt, "Dupont", ["411DUPON", "411DUPON1", "411DUPON3"])
    '411DUPON2'

    :raise LookupError: when that code would be longer than ``max_length``
    """
    taken = set(taken)
    code = first_free(
        fmt.iter_name_codes(name), taken.__contains__, max_tries=len(taken) + 1
    )
    if len(code) > max_length:
        raise LookupError(f"the next client code {code!r} is too long")
    return code
