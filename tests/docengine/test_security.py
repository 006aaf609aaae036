"""Untrusted templates: every refusal has a stable code and a clear message."""

import io
import warnings
import zipfile
import zlib

import pytest

from extrabat_core.docengine import Limits, TemplateError, list_markers, render
from extrabat_core.docengine.errors import PHRASES, TEMPLATE_MESSAGES
from extrabat_core.docengine.errors import TemplateError as TE
from extrabat_core.docengine.package import OutEntry, write_zip

from . import docfixtures as fx

DOCUMENT = "word/document.xml"


def _refused(data, code, **kwargs):
    with pytest.raises(TemplateError) as info:
        list_markers(data, **kwargs)
    assert info.value.code == code, info.value.message_en
    assert str(info.value) == info.value.message_en
    assert not any(key.endswith("_fr") for key in info.value.params)
    return info.value


def _replace(data, name, content, method=zipfile.ZIP_DEFLATED):
    """The package with one entry's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            payload = content if info.filename == name else source.read(info)
            target.writestr(info.filename, payload, method)
    return out.getvalue()


def _add(data, name, content):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def _raw_zip(entries):
    """entries: (name, data, overrides for OutEntry) — to forge headers."""
    out = []
    for name, data, forged in entries:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        raw = compressor.compress(data) + compressor.flush()
        fields = {
            "method": zipfile.ZIP_DEFLATED,
            "flags": 0,
            "crc": zlib.crc32(data),
            "raw": raw,
            "size": len(data),
            **forged,
        }
        entry = OutEntry(
            name, fields["method"], 0, (2025, 1, 1, 0, 0, 0), 0, fields["crc"],
            fields["raw"], fields["size"],
        )  # fmt: skip
        if fields["flags"]:
            # OutEntry keeps only harmless flags: set the forged ones by hand.
            flags = fields["flags"].to_bytes(2, "little")
            entry.blob = entry.blob[:6] + flags + entry.blob[8:]
            entry.central_head = (
                entry.central_head[:8] + flags + entry.central_head[10:]
            )
        out.append(entry)
    return write_zip(out)


# === NOT A DOCUMENT ===


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"<html><body>x</body></html>", "HTML"),
        (b"\x00\x01\x02 random bytes", ""),
    ],
)
def test_not_a_zip(data, hint):
    error = _refused(data, "not_a_zip")
    assert hint in error.message_en


def test_empty_file():
    _refused(b"", "empty_file")


def test_password_protected_office_file_is_an_ole_container():
    error = _refused(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ole_container"
    )
    assert "password" in error.message_en


def test_truncated_zip(word_template):
    _refused(word_template[: len(word_template) // 2], "corrupt_zip")


def test_zip_that_is_neither_docx_nor_odt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(out.getvalue(), "unsupported_format")


def test_spreadsheet_is_refused(word_template):
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        "</Types>"
    )
    data = _replace(word_template, "[Content_Types].xml", content_types)
    error = _refused(data, "unsupported_format")
    assert "spreadsheetml" in error.message_en


def test_odf_spreadsheet_is_refused():
    data = fx.odt_package(
        fx.odt_content(""), mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    _refused(data, "unsupported_format")


def test_missing_main_part(word_template):
    source = zipfile.ZipFile(io.BytesIO(word_template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != DOCUMENT:
                target.writestr(info, source.read(info))
    _refused(out.getvalue(), "missing_part")


def test_strict_open_xml_is_refused(word_template):
    strict = fx.XML_DECL + (
        '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main">'
        "<w:body/></w:document>"
    )
    _refused(_replace(word_template, DOCUMENT, strict), "unsupported_format")


# === ENCRYPTION, MACROS ===


def test_zip_encryption_flag_is_refused():
    _refused(_raw_zip([("[Content_Types].xml", b"<a/>", {"flags": 1})]), "encrypted")


def test_encrypted_odt_is_refused(odt_template):
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
        'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
        'manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm '
        'manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/>'
        "</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    _refused(_replace(odt_template, "META-INF/manifest.xml", manifest), "encrypted")


def test_password_protected_odt_is_refused_as_encrypted_not_damaged():
    # the parts themselves are encrypted: meta.xml, content.xml are not XML
    error = _refused(fx.encrypted_odt(), "encrypted")
    assert "password" in error.message_en
    with pytest.raises(TemplateError) as info:
        render(fx.encrypted_odt(), {"x": "1"})
    assert info.value.code == "encrypted"


@pytest.mark.parametrize("filename", ["lettre.odt", "lettre.ott"])
def test_password_protected_odt_upload_is_refused_as_encrypted(filename):
    _refused(fx.encrypted_odt(), "encrypted", filename=filename)


def test_macro_enabled_docm_is_refused(word_template):
    source = zipfile.ZipFile(io.BytesIO(word_template)).read("[Content_Types].xml")
    docm = source.replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.document.x"
    ).replace(
        b"</Types>",
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
    )
    _refused(_replace(word_template, "[Content_Types].xml", docm), "macros")


def test_vba_project_is_refused_even_when_undeclared(word_template):
    _refused(_add(word_template, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0"), "macros")


def test_activex_controls_are_refused(word_template):
    source = zipfile.ZipFile(io.BytesIO(word_template)).read("[Content_Types].xml")
    with_activex = source.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.activeX"/>'
        b"</Types>",
    )
    _refused(_replace(word_template, "[Content_Types].xml", with_activex), "macros")


# === ZIP BOMBS AND PATHS ===


def test_file_too_large(word_template):
    error = _refused(word_template, "file_too_large", limits=Limits(max_size=1000))
    assert "KB" in error.message_en


def test_too_many_entries(word_template):
    _refused(word_template, "too_many_entries", limits=Limits(max_entries=5))


def test_uncompressed_total_too_large(word_template):
    _refused(
        word_template, "uncompressed_too_large", limits=Limits(max_uncompressed=20_000)
    )


def test_highly_compressed_entry_is_a_zip_bomb(word_template):
    bomb = _add(word_template, "word/media/bomb.bin", b"\x00" * 5_000_000)
    error = _refused(bomb, "compression_ratio")
    assert "word/media/bomb.bin" in error.message_en


def test_entry_larger_than_declared_is_refused():
    data = b"<a>" + b"x" * 5000 + b"</a>"
    forged = _raw_zip([("[Content_Types].xml", data, {"size": 100})])
    error = _refused(forged, "corrupt_zip")
    assert "declared" in error.message_en


def test_entry_smaller_than_declared_is_refused():
    data = b"<a>xx</a>"
    _refused(_raw_zip([("[Content_Types].xml", data, {"size": 5000})]), "corrupt_zip")


def test_bad_crc_is_refused():
    data = b"<a>xx</a>"
    _refused(_raw_zip([("[Content_Types].xml", data, {"crc": 1234})]), "corrupt_zip")


def test_unsupported_compression_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<a/>", zipfile.ZIP_BZIP2)
    _refused(out.getvalue(), "unsupported_compression")


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "/etc/passwd", "word/../../evil.xml", "word\\evil.xml",
     "C:/evil.xml", "word//x.xml", "./x.xml"],
)  # fmt: skip
def test_unsafe_paths_are_refused(word_template, name):
    _refused(_add(word_template, name, b"x"), "unsafe_path")


def test_duplicate_entries_are_refused(word_template):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        data = _add(word_template, DOCUMENT, b"<x/>")
    _refused(data, "duplicate_entry")


def test_overlapping_entries_are_refused():
    entry = OutEntry.deflated("a.xml", b"<a/>" * 100, (2025, 1, 1, 0, 0, 0))
    twin = OutEntry.deflated("b.xml", b"<a/>" * 100, (2025, 1, 1, 0, 0, 0))
    data = bytearray(write_zip([entry, twin]))
    # Point b.xml's central record at a.xml's local header.
    central = data.rindex(b"PK\x01\x02")
    data[central + 42 : central + 46] = (0).to_bytes(4, "little")
    _refused(bytes(data), "corrupt_zip")


# === XML ===

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.com/x.dtd">'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body/></w:document>"
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE, EXTERNAL_DTD])
def test_dtd_and_entities_are_refused_in_docx(word_template, xml):
    error = _refused(_replace(word_template, DOCUMENT, xml), "forbidden_dtd")
    assert DOCUMENT in error.message_en


def test_dtd_is_refused_in_any_part_even_utf16(odt_template):
    xml = XXE.replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    data = _replace(odt_template, "styles.xml", xml.encode("utf-16"))
    _refused(data, "forbidden_dtd")


def test_utf16_parts_without_dtd_are_fine(word_template):
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
        "[data.x]</w:t></w:r></w:p></w:body></w:document>"
    )
    data = _replace(word_template, DOCUMENT, xml.encode("utf-16"))
    assert list_markers(data).names[0] == "x"
    assert b"ok" in zipfile.ZipFile(io.BytesIO(render(data, {"x": "ok"}))).read(
        DOCUMENT
    )


def _secondary(root, dtd):
    """A secondary part's XML with ``dtd`` and an entity used in it."""
    return f'<?xml version="1.0"?>{dtd}<{root}>&e;</{root}>'


SECONDARY_DTDS = {
    "billion_laughs": (
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;">]>'
    ),
    "external_entity": '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "parameter_entity": (
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;'
        '<!ENTITY e "x">]>'
    ),
}
DOCX_SECONDARY = [
    "word/styles.xml",
    "word/settings.xml",
    "word/header2.xml",
    "word/footer1.xml",
    "word/_rels/document.xml.rels",
    "word/_rels/header1.xml.rels",
    "_rels/.rels",
    "[Content_Types].xml",
    "docProps/core.xml",
    "docProps/app.xml",
]
ODT_SECONDARY = ["styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml"]


@pytest.mark.parametrize("attack", sorted(SECONDARY_DTDS))
@pytest.mark.parametrize("name", DOCX_SECONDARY)
def test_dtd_is_refused_in_every_docx_part(word_template, name, attack):
    xml = _secondary("x", SECONDARY_DTDS[attack])
    error = _refused(_replace(word_template, name, xml), "forbidden_dtd")
    assert name in error.message_en
    with pytest.raises(TemplateError):
        render(_replace(word_template, name, xml), {"nom_client": "x"})


@pytest.mark.parametrize("attack", sorted(SECONDARY_DTDS))
@pytest.mark.parametrize("name", ODT_SECONDARY)
def test_dtd_is_refused_in_every_odt_part(odt_template, name, attack):
    xml = _secondary("x", SECONDARY_DTDS[attack])
    error = _refused(_replace(odt_template, name, xml), "forbidden_dtd")
    assert error.params["name"] == name


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("word/settings.xml", "utf-16"), ("docProps/custom.xml", "utf-16-le")],
)
def test_dtd_is_refused_in_utf16_secondary_parts(word_template, name, encoding):
    xml = _secondary("x", SECONDARY_DTDS["external_entity"])
    data = (b"\xff\xfe" if encoding == "utf-16-le" else b"") + xml.encode(encoding)
    names = zipfile.ZipFile(io.BytesIO(word_template)).namelist()
    change = _replace if name in names else _add
    _refused(change(word_template, name, data), "forbidden_dtd")


@pytest.mark.parametrize(
    "name",
    ["word/media/logo.svg", "customXml/item1.bin", "Pictures/drawing", "word/x.dat"],
)
def test_dtd_is_refused_in_xml_entries_whatever_their_name(word_template, name):
    svg = _secondary("svg", SECONDARY_DTDS["billion_laughs"])
    _refused(_add(word_template, name, "\n  " + svg), "forbidden_dtd")


def test_entry_named_xml_that_is_not_xml_is_refused(odt_template):
    _refused(_replace(odt_template, "settings.xml", b"\x00\x01binary"), "invalid_xml")


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG<!DOCTYPE", b"\xff\xfe\x00\xd8 random font bytes <!",
     b"\xfe\xff\x12\x34<!DOCTYPE", b"\xff\xd8\xff\xe0 JPEG <!DOCTYPE"],
)  # fmt: skip
def test_binary_entries_are_not_taken_for_xml(word_template, content):
    data = _add(word_template, "word/fonts/font1.odttf", content)
    assert list_markers(data).names


@pytest.mark.parametrize("encoding", ["UTF-7", "EBCDIC-US", "UTF-32"])
def test_unusual_encodings_are_refused(word_template, encoding):
    xml = f'<?xml version="1.0" encoding="{encoding}"?><w:document/>'
    _refused(_replace(word_template, DOCUMENT, xml), "bad_encoding")


def test_broken_xml_is_refused(odt_template):
    error = _refused(
        _replace(odt_template, "content.xml", "<office:document-content>"),
        "invalid_xml",
    )
    assert error.params["name"] == "content.xml"


def test_undefined_entity_is_broken_xml(word_template):
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        'main"><w:body><w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p></w:body></w:document>'
    )
    _refused(_replace(word_template, DOCUMENT, xml), "invalid_xml")


# === MESSAGES ===


@pytest.mark.parametrize("code", sorted(TEMPLATE_MESSAGES))
def test_every_message_is_complete(code):
    error = TE(
        code, size="2 MB", limit="1 MB", count=3, name="x.xml", ratio=500,
        detail="d", encoding="e", hint="", tried="soffice", target="[data.x]",
    )  # fmt: skip
    assert error.message_en and "{" not in error.message_en
    assert "}" not in error.message_en and str(error) == error.message_en
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_every_phrase_fills_its_slot(phrase):
    params = {
        "names": "a.txt", "name": "x.xml", "field": "INCLUDETEXT", "part": "p.xml",
        "extension": "docx", "found": "f", "width": 9, "height": 8, "fmt": "SVG",
    }  # fmt: skip
    error = TE("unsupported_format", **params, detail_code=phrase)
    detail = PHRASES[phrase].format(**params)
    assert detail.strip() and "{" not in detail
    assert f"({detail})" in error.message_en


def test_unknown_zip_version_is_corrupt(word_template):
    # Found by atheris: zipfile raises NotImplementedError for it.
    data = bytearray(word_template)
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (231).to_bytes(2, "little")  # "version 23.1"
    _refused(bytes(data), "corrupt_zip")
