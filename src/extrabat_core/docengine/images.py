"""Image values: a picture inserted in place of a marker.

Only the image header is read to learn its format and size (Pillow never
decodes PNG or JPEG here); other formats Pillow can read (GIF, BMP, WebP,
TIFF) are converted to PNG once, within a pixel limit.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from .errors import ImageValueError

#: Size of an image given without a width: its natural size (from its DPI,
#: 96 when unknown) shrunk to fit this box, in millimetres.
DEFAULT_BOX_MM = (60.0, 40.0)
_NATIVE = {"PNG": ("png", "image/png"), "JPEG": ("jpeg", "image/jpeg")}
_CONVERTIBLE = {"GIF", "BMP", "WEBP", "TIFF", "ICO", "PPM", "TGA"}


@dataclass(frozen=True)
class ImageInfo:
    """What the renderer needs to embed an image."""

    data: bytes
    extension: str  # "png" or "jpeg"
    mimetype: str
    width_mm: float
    height_mm: float


class ImageValue:
    """A value rendered as an inline picture, its aspect ratio kept.

    :param data: PNG or JPEG bytes (GIF, BMP, WebP, TIFF are converted to PNG).
    :param width_mm: width of the picture in the document. With
        ``height_mm`` too, the picture fits in that box. Neither: its natural
        size, shrunk to fit :data:`DEFAULT_BOX_MM` (60 x 40 mm).
    :param height_mm: height of the picture (see ``width_mm``).

    Raw ``bytes`` given as a value are taken as ``ImageValue(data)``.
    """

    __slots__ = ("_info", "data", "height_mm", "width_mm")

    def __init__(
        self,
        data: bytes,
        width_mm: float | None = None,
        height_mm: float | None = None,
    ):
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("ImageValue data must be bytes")
        for size in (width_mm, height_mm):
            if size is not None and not (0 < float(size) <= 10_000):
                raise ValueError("image sizes must be positive millimetres")
        self.data = bytes(data)
        self.width_mm = None if width_mm is None else float(width_mm)
        self.height_mm = None if height_mm is None else float(height_mm)
        self._info = None

    def __repr__(self):
        return (
            f"ImageValue(<{len(self.data)} bytes>, width_mm={self.width_mm}, "
            f"height_mm={self.height_mm})"
        )

    def info(self, name: str | None = None, max_pixels: int = 40_000_000) -> ImageInfo:
        """Format, embeddable bytes and size in millimetres (computed once).

        :param name: the marker's name, for error messages (``None``: an image
            appended at the end of the document).
        :raise ImageValueError: unreadable, unsupported or too large image.
        """
        if self._info is None:
            self._info = _probe(self, name, max_pixels)
        return self._info


def _probe(value: ImageValue, name: str, max_pixels: int) -> ImageInfo:
    from PIL import Image

    # the slot {target}: the marker, or the phrase "end_image"
    target = (
        {"target_code": "end_image"} if name is None else {"target": f"[data.{name}]"}
    )

    def refuse(detail_code, **params):
        return ImageValueError(
            "bad_image", name=name or "", **target, **params, detail_code=detail_code
        )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(value.data))
            width_px, height_px = image.size
            fmt = image.format
            dpi = image.info.get("dpi")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise refuse("unreadable_image") from None
    if width_px <= 0 or height_px <= 0 or width_px * height_px > max_pixels:
        raise refuse("image_too_large", width=width_px, height=height_px)
    data = value.data
    if fmt in _NATIVE:
        extension, mimetype = _NATIVE[fmt]
    elif fmt in _CONVERTIBLE:
        data = _to_png(image, refuse)
        extension, mimetype = _NATIVE["PNG"]
    else:
        raise refuse("image_format", fmt=fmt)
    width_mm, height_mm = _size_mm(value, width_px, height_px, dpi)
    return ImageInfo(data, extension, mimetype, width_mm, height_mm)


def _to_png(image, refuse) -> bytes:
    try:
        image.seek(0)
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="PNG")
    except (OSError, ValueError, SyntaxError, EOFError):
        raise refuse("damaged_image") from None
    return out.getvalue()


def _dpi(dpi) -> tuple[float, float]:
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return 96.0, 96.0
    x = x if 30 <= x <= 2400 else 96.0
    y = y if 30 <= y <= 2400 else x
    return x, y


def _size_mm(value: ImageValue, width_px, height_px, dpi) -> tuple[float, float]:
    ratio = height_px / width_px
    if value.width_mm and value.height_mm:
        width = min(value.width_mm, value.height_mm / ratio)
        return width, width * ratio
    if value.width_mm:
        return value.width_mm, value.width_mm * ratio
    if value.height_mm:
        return value.height_mm / ratio, value.height_mm
    dpi_x, dpi_y = _dpi(dpi)
    width = width_px / dpi_x * 25.4
    height = height_px / dpi_y * 25.4
    scale = min(1.0, DEFAULT_BOX_MM[0] / width, DEFAULT_BOX_MM[1] / height)
    return width * scale, height * scale


def as_image_value(value) -> ImageValue | None:
    """The image a value stands for, or ``None`` when it is text."""
    if isinstance(value, ImageValue):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return ImageValue(bytes(value))
    return None
