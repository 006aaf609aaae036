"""Parsing untrusted XML parts: no DTD, no entity, no network, ever.

Any DTD or markup declaration (``<!DOCTYPE``, ``<!ENTITY``, ``<!ELEMENT``...)
is refused *before* parsing (XXE, billion laughs), encodings are limited to
UTF-8/UTF-16 and ASCII-compatible single-byte ones (so the check above cannot
be dodged), and the parser itself never loads a DTD, resolves an entity or
touches the network.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import TemplateError

_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SINGLE_BYTE = {
    "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1",
    "iso-8859-15", "windows-1252", "cp1252",
}  # fmt: skip


def _parser():
    # A parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


def check_declarations(name: str, data: bytes) -> None:
    """Refuse DTDs, entity declarations and unexpected encodings."""
    head = data[:4]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) or head in (
        b"\x00\x00\x00<",
        b"<\x00\x00\x00",
    ):
        raise TemplateError("bad_encoding", name=name, encoding="UTF-32")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head in (
        b"<\x00?\x00",
        b"\x00<\x00?",
    ):
        if head.startswith((b"\xff\xfe", b"<\x00")):
            codec = "utf-16-le"
        else:
            codec = "utf-16-be"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise TemplateError("bad_encoding", name=name, encoding="UTF-16") from None
        probe = text.lstrip("\ufeff").encode("utf-8", "surrogatepass")
        if _DECLARATION.search(probe):
            raise TemplateError("forbidden_dtd", name=name)
        return
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body.lstrip()[:1] == b"<":
        raise TemplateError("invalid_xml", name=name, detail="no XML content")
    match = _ENCODING.match(body)
    if match:
        encoding = match.group(1).decode("ascii").lower()
        if encoding not in _SINGLE_BYTE and encoding not in ("utf-16", "utf16"):
            raise TemplateError("bad_encoding", name=name, encoding=encoding)
    if _DECLARATION.search(body):
        raise TemplateError("forbidden_dtd", name=name)


#: Entries read as XML by Word or LibreOffice whatever their first bytes.
XML_SUFFIXES = (".xml", ".rels", ".vml", ".svg", ".rdf", ".xsl", ".xslt")
# First bytes of XML in UTF-16/UTF-32 without a byte order mark, and of
# "<?xm" in EBCDIC: check_declarations refuses them or finds the DTD.
_XML_SIGNATURES = (
    b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00<\x00?", b"<\x00?\x00",
    b"\x4c\x6f\xa7\x94",
)  # fmt: skip
_UTF32_BOMS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def looks_like_xml(data: bytes) -> bool:
    """Whether an XML parser could read ``data`` as a document.

    A byte order mark alone is not enough (an obfuscated font or any binary
    may start with ``FF FE``): the text after it must start with ``<``.
    """
    head = data[:4]
    if head in _XML_SIGNATURES or head.startswith(_UTF32_BOMS):
        return True
    codec = _UTF16_BOMS.get(head[:2])
    if codec:
        text = data[2:1026].decode(codec, "ignore")
        return text.lstrip(" \t\r\n")[:1] == "<"
    if head.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data[:1024].lstrip(b" \t\r\n")[:1] == b"<"


def check_package_xml(entries) -> None:
    """Refuse a DTD or entity declaration in *any* XML entry of a package.

    Only some parts are parsed by the engine, but every part is copied into
    the output and read by Word or LibreOffice (the PDF conversion), which
    may expand entities: styles, settings, relationships, metadata, the
    manifest, SVG pictures... are checked too. An entry is XML when its name
    says so (:data:`XML_SUFFIXES`) or its first bytes do.

    :param entries: :class:`~.package.Entry` objects (with their data).
    :raise TemplateError: ``forbidden_dtd``, ``bad_encoding`` or
        ``invalid_xml`` (an entry named ``.xml`` that is not XML).
    """
    for entry in entries:
        data = entry.data
        if not data:
            continue
        if entry.name.lower().endswith(XML_SUFFIXES) or looks_like_xml(data):
            check_declarations(entry.name, data)


def parse_xml(name: str, data: bytes) -> etree._ElementTree:
    """Parse one XML part of a template.

    :param name: the part's name, for messages.
    :raise TemplateError: DTD/entities, bad encoding, or malformed XML.
    """
    check_declarations(name, data)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else "syntax error"
        raise TemplateError("invalid_xml", name=name, detail=detail) from None
    except (ValueError, LookupError) as exc:
        raise TemplateError("invalid_xml", name=name, detail=str(exc)[:200]) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise TemplateError("forbidden_dtd", name=name)
    return tree


def serialize(tree: etree._ElementTree) -> bytes:
    """Serialise a part as Office does: UTF-8 with an XML declaration."""
    return etree.tostring(
        tree,
        xml_declaration=True,
        encoding="UTF-8",
        standalone=tree.docinfo.standalone,
    )
