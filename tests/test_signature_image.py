"""Untrusted signature images (extrabat_core.signature_image)."""

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from extrabat_core.signature_image import (
    SignatureImageError,
    check_signature_image,
)


def picture(fmt="PNG", size=(300, 100), mode="RGBA"):
    buffer = io.BytesIO()
    Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else 255).save(
        buffer, format=fmt
    )
    return buffer.getvalue()


def b64(data):
    return base64.b64encode(data).decode()


def png_header_only(width, height):
    """A tiny PNG announcing ``width`` x ``height`` pixels (a bomb's header)."""

    def chunk(kind, payload):
        body = kind + payload
        return (
            struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def error_code(value, **kwargs):
    with pytest.raises(SignatureImageError) as info:
        check_signature_image(value, **kwargs)
    return info.value.code


def test_png_from_the_signature_pad_is_accepted():
    data = picture()
    checked = check_signature_image(b64(data))
    assert checked.data == data
    assert (checked.format, checked.mimetype) == ("PNG", "image/png")
    assert (checked.width, checked.height) == (300, 100)


def test_data_url_and_bytes_are_accepted():
    data = picture("JPEG", mode="L")
    assert check_signature_image("data:image/jpeg;base64," + b64(data)).data == data
    assert check_signature_image(b64(data).encode()).format == "JPEG"


@pytest.mark.parametrize("value", [None, "", b""])
def test_missing_signature(value):
    assert error_code(value) == "missing"


def test_not_base64():
    assert error_code("not base64 at all!") == "not_base64"
    assert error_code(b"\xff\xfe") == "not_base64"
    assert error_code(12) == "not_base64"


def test_text_is_not_an_image():
    assert error_code(b64(b"<svg onload=alert(1)></svg>")) == "not_an_image"


def test_other_image_formats_are_refused():
    assert error_code(b64(picture("GIF", mode="L"))) == "bad_format"
    assert error_code(b64(picture("BMP", mode="RGB"))) == "bad_format"


def test_truncated_png_is_refused():
    data = picture(size=(400, 400), mode="RGB")
    assert error_code(b64(data[: len(data) // 2])) == "not_an_image"


def test_oversized_text_is_refused_before_decoding():
    assert error_code("A" * 2000, max_base64_chars=1000) == "too_large"
    assert error_code(b"A" * 2000, max_base64_chars=1000) == "too_large"


def test_decompression_bomb_is_refused_from_its_header():
    assert error_code(b64(png_header_only(100_000, 100_000))) == "too_many_pixels"
    assert error_code(b64(png_header_only(3000, 3000))) == "too_many_pixels"


def test_limits_are_configurable():
    assert error_code(b64(picture(size=(300, 100))), max_side=200) == "too_many_pixels"
    assert (
        error_code(b64(picture(size=(100, 100))), max_pixels=5000) == "too_many_pixels"
    )


def test_error_message_is_english_text():
    with pytest.raises(SignatureImageError, match="PNG or JPEG"):
        check_signature_image(b64(picture("GIF", mode="L")))
