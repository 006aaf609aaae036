"""Where the client's signature goes in a letter
(extrabat_core.signature_placement)."""

import pytest

from extrabat_core.letter_markers import SIGNATURE_DATE_MARKER, SIGNATURE_MARKER
from extrabat_core.signature_placement import (
    SIGNATURE_WIDTH_MM,
    AppendedSignature,
    appended_signature,
)

IMAGE = b"\x89PNG\r\n\x1a\n fake picture"
DATE = "5 March 2025"
SIGNED = {SIGNATURE_MARKER: IMAGE, SIGNATURE_DATE_MARKER: DATE, "nom": "Jean"}


def test_signed_letter_without_markers_gets_the_signature_and_date_at_the_end():
    block = appended_signature(SIGNED, {"nom"})
    assert block == AppendedSignature(image=IMAGE, date=DATE, width_mm=60)
    assert SIGNATURE_WIDTH_MM == 60


@pytest.mark.parametrize(
    "markers",
    [{SIGNATURE_MARKER}, {SIGNATURE_MARKER, SIGNATURE_DATE_MARKER}],
)
def test_template_placing_the_signature_gets_nothing_appended(markers):
    assert appended_signature(SIGNED, markers) is None


@pytest.mark.parametrize("image", [None, b"", False])
def test_unsigned_letter_gets_nothing_appended(image):
    values = {SIGNATURE_MARKER: image, SIGNATURE_DATE_MARKER: ""}
    assert appended_signature(values, set()) is None
    assert appended_signature({}, set()) is None


def test_date_shown_by_the_template_is_not_repeated():
    block = appended_signature(SIGNED, [SIGNATURE_DATE_MARKER, "nom"])
    assert block.image == IMAGE
    assert block.date is None


@pytest.mark.parametrize("date", ["", None])
def test_empty_date_is_left_out(date):
    block = appended_signature({**SIGNED, SIGNATURE_DATE_MARKER: date}, ())
    assert block.image == IMAGE
    assert block.date is None


def test_the_block_is_immutable():
    block = appended_signature(SIGNED, ())
    with pytest.raises(AttributeError):
        block.width_mm = 10
