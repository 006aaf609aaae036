"""Filling ``[data.name]`` markers of letters written in an HTML editor,
framework-free.

Marker values come from client records that untrusted people edit (a portal
user sets his city or email from ``/my/account``): they are **text, never
markup**. A marker is therefore filled only where it is text of the page —
the text and tail of elements — and the value is escaped by the serialiser;
``"\\n"`` becomes ``<br>``. A marker typed inside an attribute (``style``,
``src``, ``href``...) would let a value steer what wkhtmltopdf fetches or
runs (``http://127.0.0.1:...``, ``javascript:``, ``" onerror="...``): such
markers are reported by :func:`attribute_markers` (the addon refuses them
when a template is saved) and removed by :func:`fill_markers` (templates
saved before the check). Markers in comments, ``<script>`` and ``<style>``
are removed, never filled.

The rendered HTML is printed by wkhtmltopdf, which fetches what the page
references: :func:`fill_markers` also drops references to other hosts
(``src``/``srcset``/``poster``/``background``/``data`` attributes, ``url()``
in ``style``, ``<link>``, ``<base>``, ``<meta>``), keeping ``data:`` pictures
and paths of the server itself (``/web/image/...``, the pictures inserted in
the editor). Hyperlinks (``<a href>``) are kept: they are not fetched.

>>> fill_markers('<p style="color:red">[data.ville]</p>', {"ville": "<b>Lyon</b>"})
'<p style="color:red">&lt;b&gt;Lyon&lt;/b&gt;</p>'
>>> [m.attribute for m in attribute_markers('<a href="mailto:[data.email]">x</a>')]
['href']
>>> fill_markers('<a href="mailto:[data.email]">[data.email]</a>', {"email": "a@b.fr"})
'<a href="mailto:">a@b.fr</a>'
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from .docengine.markers import MARKER_RE, normalise_name

#: Elements whose text is not page text: markers there are never filled.
_NOT_TEXT = frozenset(("script", "style", "template", "textarea", "title", "xmp"))
#: Elements removed from the result: they make the printer fetch or run.
_FORBIDDEN = frozenset(("link", "base", "meta", "script", "iframe", "object", "embed"))
#: Attributes whose URL the printer fetches.
_FETCHED = frozenset(
    ("src", "srcset", "poster", "background", "data", "lowsrc", "dynsrc", "xlink:href")
)
_URL_IN_CSS = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)

#: Pictures: magic bytes -> MIME type (anything else is not printed).
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass(frozen=True)
class AttributeMarker:
    """A marker found inside an HTML attribute.

    :ivar marker: the marker as typed, e.g. ``"[data.ville_client]"``.
    :ivar attribute: the attribute's name, e.g. ``"style"``.
    :ivar tag: the element's tag, e.g. ``"img"``.
    """

    marker: str
    attribute: str
    tag: str


def _parse(html: str):
    """The fragment inside a ``<div>`` wrapper (``None`` when empty)."""
    if not html or not str(html).strip():
        return None
    try:
        return lxml_html.fragment_fromstring(str(html), create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _serialise(wrapper) -> str:
    out = [_escape_text(wrapper.text or "")]
    out.extend(
        lxml_html.tostring(child, encoding="unicode", method="html")
        for child in wrapper
    )
    return "".join(out)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute_markers(html: str) -> list[AttributeMarker]:
    """The markers typed inside attributes of ``html`` (any attribute of any
    element), in document order, without duplicates.

    >>> attribute_markers('<img src="[data.logo]"><p>[data.nom]</p>')
    [AttributeMarker(marker='[data.logo]', attribute='src', tag='img')]
    """
    wrapper = _parse(html)
    if wrapper is None:
        return []
    found = []
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            for match in MARKER_RE.finditer(value or ""):
                item = AttributeMarker(match.group(0), str(attribute), element.tag)
                if item not in found:
                    found.append(item)
    return found


def image_data_url(data: bytes) -> str | None:
    """A ``data:`` URL of a PNG, JPEG or GIF picture; ``None`` for anything
    else (never printed)."""
    for magic, mimetype in _IMAGE_TYPES:
        if data.startswith(magic):
            return f"data:{mimetype};base64,{base64.b64encode(data).decode()}"
    return None


def _image_bytes(value) -> bytes | None:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    data = getattr(value, "data", None)  # docengine.ImageValue
    return bytes(data) if isinstance(data, bytes | bytearray) else None


def _pieces(text: str, values: Mapping, image_class: str) -> list:
    """``text`` with its markers replaced: strings and elements."""
    pieces = []
    position = 0
    for match in MARKER_RE.finditer(text):
        pieces.append(text[position : match.start()])
        position = match.end()
        name = normalise_name(match.group(1))
        value = values.get(name)
        if value is None or value is False or value == "":
            continue
        data = _image_bytes(value)
        if data is not None:
            url = image_data_url(data)
            if url:
                img = etree.Element("img")
                img.set("class", f"{image_class} {image_class}_{name}")
                img.set("src", url)
                img.set("alt", "")
                pieces.append(img)
            continue
        lines = str(value).replace("\r\n", "\n").split("\n")
        for index, line in enumerate(lines):
            if index:
                pieces.append(etree.Element("br"))
            pieces.append(line)
    pieces.append(text[position:])
    return pieces


def _splice(parent, index: int, pieces: list, set_first) -> None:
    """Write ``pieces`` at a text slot: the leading string through
    ``set_first``, each element inserted at ``parent[index]``, ``index+1``...
    with the strings after it as its tail."""
    first = []
    while pieces and isinstance(pieces[0], str):
        first.append(pieces.pop(0))
    set_first("".join(first) or None)
    current = None
    for piece in pieces:
        if isinstance(piece, str):
            current.tail = (current.tail or "") + piece
        else:
            piece.tail = None
            parent.insert(index, piece)
            index += 1
            current = piece
    if current is not None and not current.tail:
        current.tail = None


def _fill_slots(wrapper, values, image_class) -> None:
    slots = []  # (element, "text" | "tail")
    for element in wrapper.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.lower() not in _NOT_TEXT:
            if element.text and "[" in element.text:
                slots.append((element, "text"))
        elif element.text and "[" in element.text:
            # comments, processing instructions, script/style: never filled
            element.text = MARKER_RE.sub("", element.text)
        if element is not wrapper and element.tail and "[" in element.tail:
            slots.append((element, "tail"))
    for element, attr in slots:
        text = getattr(element, attr)
        if not MARKER_RE.search(text):
            continue
        pieces = _pieces(text, values, image_class)
        if attr == "text":
            _splice(element, 0, pieces, lambda t, e=element: setattr(e, "text", t))
        else:
            parent = element.getparent()
            _splice(
                parent,
                parent.index(element) + 1,
                pieces,
                lambda t, e=element: setattr(e, "tail", t),
            )


def is_fetched_url_allowed(url: str) -> bool:
    """Whether the printer may fetch ``url``: a ``data:`` picture or a path
    of the server itself (``/web/image/1``, ``web/image/1``); not another
    host (``http://...``, ``//host``, ``\\\\host``), not another scheme.

    >>> is_fetched_url_allowed("/web/image/12"), is_fetched_url_allowed("//x/y")
    (True, False)
    """
    url = _INVISIBLE.sub("", url or "").replace("\\", "/")
    if _DATA_IMAGE.match(url):
        return True
    return not (_SCHEME.match(url) or url.startswith("//"))


def _clean_css(style: str) -> str:
    # CSS escapes (``\\75 rl(``) would hide a url() from the check below
    if _CSS_IMPORT.search(style) or "\\" in style:
        return ""

    def replace(match):
        return match.group(0) if is_fetched_url_allowed(match.group(2)) else "none"

    return _URL_IN_CSS.sub(replace, style)


def _drop_external(wrapper) -> None:
    for element in list(wrapper.iter()):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag.lower() in _FORBIDDEN:
            element.drop_tree()
            continue
        for attribute, value in list(element.attrib.items()):
            name = str(attribute).lower()
            if MARKER_RE.search(value or ""):
                value = MARKER_RE.sub("", value)
                element.set(attribute, value)
            fetched = name in _FETCHED or name.endswith("}href")
            if name == "href" and tag.lower() not in ("a", "area"):
                fetched = True  # SVG <image href>, <use href>...
            if fetched:
                if name == "srcset" or not is_fetched_url_allowed(value):
                    del element.attrib[attribute]
            elif name == "style":
                cleaned = _clean_css(value)
                if cleaned != value:
                    element.set(attribute, cleaned)
            elif name.startswith("on"):
                del element.attrib[attribute]


def fill_markers(
    html: str, values: Mapping, *, image_class: str = "o_extrabat_marker"
) -> str:
    """``html`` with its ``[data.*]`` markers filled from ``values``.

    :param html: an HTML fragment (a template's header, body or footer).
    :param values: marker name (without ``data.``) -> ``str`` (text; any
        other object is converted with ``str()``; ``"\\n"`` gives ``<br>``),
        ``bytes`` or an object with ``.data`` bytes (a PNG/JPEG/GIF picture,
        printed as an ``<img>`` with a ``data:`` URL and the classes
        ``image_class`` and ``image_class_<name>``); ``None``, ``False`` or
        ``""`` (and markers without a value) print nothing.
    :return: the HTML fragment, markers filled in text only; markers inside
        attributes, comments, scripts and styles removed; references to
        other hosts dropped (see the module's documentation).
    """
    wrapper = _parse(html)
    if wrapper is None:
        return ""
    values = {
        normalise_name(str(k)).removeprefix("data."): v for k, v in values.items()
    }
    _drop_external(wrapper)
    _fill_slots(wrapper, values, image_class)
    return _serialise(wrapper)


__all__ = [
    "AttributeMarker",
    "attribute_markers",
    "fill_markers",
    "image_data_url",
    "is_fetched_url_allowed",
]
