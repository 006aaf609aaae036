"""Where the client's signature goes in a letter.

A letter template may place the client's signature itself, with the
``signature_client`` marker, and its date with the ``date_signature`` marker:
the values then fill those markers like any other. When the template has no
signature marker, a signed letter still shows the signature: it is printed
at the end of the letter, :data:`SIGNATURE_WIDTH_MM` wide, followed by the
date of signature unless the template already shows that date.

:func:`appended_signature` is this rule, the same for every kind of template
(Word and Writer files, letters written in the HTML editor). It needs no
framework: the caller renders what it returns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .letter_markers import SIGNATURE_DATE_MARKER, SIGNATURE_MARKER

#: Width of a signature printed at the end of a letter, in millimetres.
SIGNATURE_WIDTH_MM = 60


@dataclass(frozen=True)
class AppendedSignature:
    """The signature block printed at the end of a letter.

    :ivar image: the signature picture (PNG or JPEG bytes).
    :ivar date: the date of signature as shown under it, or ``None``.
    :ivar width_mm: width of the picture in the document (its aspect ratio
        is kept).
    """

    image: bytes
    date: str | None = None
    width_mm: int = SIGNATURE_WIDTH_MM


def appended_signature(
    values: Mapping[str, object], template_markers: Collection[str]
) -> AppendedSignature | None:
    """The signature to print at the end of a letter, if any.

    :param values: the letter's marker values; the signature picture is
        ``values["signature_client"]`` (bytes, empty or missing while the
        letter is not signed), its date ``values["date_signature"]``.
    :param template_markers: names of the markers the template contains.
    :return: ``None`` when the letter is not signed or when the template
        places the signature itself; else the signature, with its date
        unless the template shows the date itself (or it is empty).
    """
    image = values.get(SIGNATURE_MARKER)
    if not image or SIGNATURE_MARKER in template_markers:
        return None
    date = values.get(SIGNATURE_DATE_MARKER) or None
    if SIGNATURE_DATE_MARKER in template_markers:
        date = None
    return AppendedSignature(image=image, date=date)


__all__ = ["SIGNATURE_WIDTH_MM", "AppendedSignature", "appended_signature"]
