"""Check a handwritten signature image received from an untrusted client.

A signature drawn on a tablet reaches the server as base64 text (the web
client's and the portal's signature pads send a PNG). Before it is stored and
put into a letter it must be a real, reasonably small PNG or JPEG picture:
:func:`check_signature_image` decodes it with Pillow (with a pixel limit set
before decoding, so a "decompression bomb" is refused without being expanded)
and returns the decoded bytes with their format.

Errors carry a stable ``code`` that callers translate; ``str(error)`` is an
English message.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass

#: Largest base64 text accepted (characters): 1.5 MB of text, 1.1 MB of bytes.
MAX_BASE64_CHARS = 1_500_000
#: Largest picture accepted, in pixels per side.
MAX_SIDE_PX = 4000
#: Largest picture accepted, in pixels in all.
MAX_PIXELS = 4_000_000
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}

MESSAGES = {
    "missing": "The signature is missing.",
    "too_large": "The signature image is too large.",
    "not_base64": "The signature is not valid base64 data.",
    "not_an_image": "The signature is not a PNG or JPEG image.",
    "bad_format": "The signature must be a PNG or JPEG image.",
    "too_many_pixels": "The signature image has too many pixels.",
}


class SignatureImageError(ValueError):
    """The signature image is refused; ``code`` is a key of :data:`MESSAGES`."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(MESSAGES[code])


@dataclass(frozen=True)
class SignatureImage:
    """A checked signature picture."""

    data: bytes
    format: str  # "PNG" or "JPEG"
    mimetype: str
    width: int
    height: int


def check_signature_image(
    value,
    *,
    max_base64_chars: int = MAX_BASE64_CHARS,
    max_side: int = MAX_SIDE_PX,
    max_pixels: int = MAX_PIXELS,
) -> SignatureImage:
    """Decode and check a base64 signature image.

    :param value: base64 text or bytes, optionally a ``data:image/...;base64,``
        URL as produced by a canvas.
    :return: the checked picture (decoded bytes, format, size).
    :raise SignatureImageError: missing, too large, not base64, not a PNG or
        JPEG picture Pillow can fully decode, or too many pixels.
    """
    if not value:
        raise SignatureImageError("missing")
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value)
        if len(value) > max_base64_chars:
            raise SignatureImageError("too_large")
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError as error:
            raise SignatureImageError("not_base64") from error
    if not isinstance(value, str):
        raise SignatureImageError("not_base64")
    if len(value) > max_base64_chars:
        raise SignatureImageError("too_large")
    if value.startswith("data:"):
        _header, _sep, value = value.partition(",")
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureImageError("not_base64") from error
    if not data:
        raise SignatureImageError("missing")
    return _check_picture(data, max_side, max_pixels)


def _check_picture(data: bytes, max_side: int, max_pixels: int) -> SignatureImage:
    # Imported here: Pillow is only needed when a signature arrives.
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
    except Image.DecompressionBombError as error:
        raise SignatureImageError("too_many_pixels") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise SignatureImageError("not_an_image") from error
    if image_format not in _FORMATS:
        raise SignatureImageError("bad_format")
    if width < 1 or height < 1 or width > max_side or height > max_side:
        raise SignatureImageError("too_many_pixels")
    if width * height > max_pixels:
        raise SignatureImageError("too_many_pixels")
    # Decode the whole picture: a truncated or corrupt file is refused here,
    # not later when the letter is rendered.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise SignatureImageError("not_an_image") from error
    return SignatureImage(
        data=data,
        format=image_format,
        mimetype=_FORMATS[image_format],
        width=width,
        height=height,
    )
