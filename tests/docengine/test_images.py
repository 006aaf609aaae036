"""Image values: size rules, formats, refusals."""

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from extrabat_core.docengine import ImageValue, ImageValueError, TemplateError
from extrabat_core.docengine.images import DEFAULT_BOX_MM

from . import docfixtures as fx


def _image(fmt, size=(200, 100), dpi=None, mode="RGB"):
    out = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    Image.new(mode, size, 128).save(out, format=fmt, **extra)
    return out.getvalue()


def test_width_only_keeps_the_ratio():
    info = ImageValue(fx.png(300, 100), width_mm=60).info()
    assert (info.width_mm, info.height_mm) == (60, 20)


def test_height_only_keeps_the_ratio():
    info = ImageValue(fx.png(300, 100), height_mm=10).info()
    assert (info.width_mm, info.height_mm) == (30, 10)


def test_width_and_height_fit_in_the_box():
    info = ImageValue(fx.png(300, 100), width_mm=60, height_mm=10).info()
    assert (info.width_mm, info.height_mm) == (30, 10)


def test_natural_size_from_dpi():
    info = ImageValue(_image("PNG", (300, 150), dpi=(300, 300))).info()
    assert round(info.width_mm, 2) == 25.4
    assert round(info.height_mm, 2) == 12.7


def test_default_size_fits_the_default_box():
    info = ImageValue(fx.png(2000, 1000)).info()  # 529 mm at 96 dpi
    assert round(info.width_mm, 6) == DEFAULT_BOX_MM[0]
    assert round(info.height_mm, 6) == DEFAULT_BOX_MM[0] / 2


def test_png_and_jpeg_are_embedded_as_they_are():
    png, jpeg = fx.png(), fx.jpeg()
    assert ImageValue(png).info().data is not None
    assert ImageValue(png).info().data == png
    assert ImageValue(jpeg).info().extension == "jpeg"
    assert ImageValue(jpeg).info().data == jpeg


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_formats_are_converted_to_png(fmt):
    info = ImageValue(_image(fmt, mode="RGB" if fmt != "GIF" else "P")).info()
    assert info.extension == "png"
    assert info.data.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(info.data)).size == (200, 100)


def test_svg_is_refused_with_a_clear_message():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    with pytest.raises(ImageValueError) as info:
        ImageValue(svg).info("logo_societe")
    assert info.value.code == "bad_image"
    assert isinstance(info.value, TemplateError)
    assert "[data.logo_societe]" in info.value.message_en
    assert "PNG or JPEG" in info.value.message_en
    assert info.value.params["detail_code"] == "unreadable_image"


def test_too_many_pixels_are_refused():
    with pytest.raises(ImageValueError) as info:
        ImageValue(fx.png(400, 300)).info("x", max_pixels=100_000)
    assert "400x300" in info.value.message_en


def test_bad_arguments():
    with pytest.raises(TypeError):
        ImageValue("not bytes")
    with pytest.raises(ValueError):
        ImageValue(fx.png(), width_mm=0)
    with pytest.raises(ValueError):
        ImageValue(fx.png(), height_mm=-3)


_SAMPLES = [fx.png(), fx.jpeg(), _image("GIF", mode="P"), _image("BMP")]


@settings(
    max_examples=int(os.environ.get("EXTRABAT_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    sample=st.sampled_from(_SAMPLES),
    flips=st.lists(st.tuples(st.integers(0, 10**5), st.integers(1, 255)), max_size=6),
    cut=st.one_of(st.none(), st.integers(0, 10**5)),
)
def test_damaged_images_are_refused_cleanly(sample, flips, cut):
    data = bytearray(sample)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    try:
        info = ImageValue(bytes(data)).info("signature_client")
    except ImageValueError as error:
        assert error.code == "bad_image"
        return
    assert info.width_mm > 0 and info.height_mm > 0
