"""Templates that reach outside themselves are refused: linked pictures,
attached templates, external data, OLE objects, macros and scripts; hyperlinks
are text the reader clicks and are kept."""

import io
import zipfile

import pytest

from extrabat_core.docengine import TemplateError, list_markers, render

from . import docfixtures as fx

REL = fx.REL
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _refused(data, code):
    with pytest.raises(TemplateError) as info:
        list_markers(data)
    assert info.value.code == code, info.value.message_en
    assert not any(key.endswith("_fr") for key in info.value.params)
    return info.value


def _docx(*paragraphs, rels=(), extra=None, parts=()):
    package = fx.WordPackage("".join(paragraphs) or fx.para(fx.run("[data.x]")))
    package.doc_rels.extend(rels)
    package.extra_entries.update(extra or {})
    for part in parts:
        package.add_part(*part)
    return package.build()


def _odt(body="", styles=None, extra=None):
    data = fx.odt_package(fx.odt_content(body or fx.opara("[data.x]")), styles)
    if not extra:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


# === WORD ===


def test_plain_docx_with_hyperlinks_is_accepted():
    data = _docx(
        fx.para(fx.run("[data.x]")),
        rels=[("rId30", REL + "hyperlink", "https://example.com/?a=1&b=2", True)],
    )
    assert list_markers(data).names == ["x"]
    out = zipfile.ZipFile(io.BytesIO(render(data, {"x": "1"})))
    assert b"https://example.com/" in out.read("word/_rels/document.xml.rels")


@pytest.mark.parametrize(
    ("rel_type", "target"),
    [
        ("image", "http://attacker.example/pixel.png"),  # linked picture
        ("image", "file:///etc/passwd"),
        ("image", "\\\\attacker\\share\\x.png"),  # UNC path: NTLM leak
        ("oleObject", "file:///C:/data/prices.xlsx"),  # linked OLE (LINK)
        ("frame", "https://attacker.example/frame.html"),
        ("subDocument", "file:///srv/chapter.docx"),
        ("externalLinkPath", "https://attacker.example/data.xlsx"),
    ],
)
def test_external_relationships_of_the_document_are_refused(rel_type, target):
    error = _refused(
        _docx(rels=[("rId30", REL + rel_type, target, True)]), "external_reference"
    )
    assert rel_type in error.message_en and target[:20] in error.message_en


def test_scheme_without_target_mode_is_external():
    error = _refused(
        _docx(rels=[("rId30", REL + "image", "https://x.example/a.png", False)]),
        "external_reference",
    )
    assert "https://x.example/a.png" in error.message_en


def test_attached_template_in_settings_rels_is_refused():
    rels = fx.rels_xml(
        [("rId1", REL + "attachedTemplate", "https://attacker.example/t.dotm", True)]
    )
    error = _refused(
        _docx(extra={"word/_rels/settings.xml.rels": rels}), "external_reference"
    )
    assert "attachedTemplate" in error.message_en


def _changed(data, name, change):
    """The package with entry ``name`` replaced by ``change(its bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == name else content)
    return out.getvalue()


def test_external_relationship_of_a_header_is_refused(word_template):
    data = _changed(
        word_template,
        "word/_rels/header1.xml.rels",
        lambda rels: rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rId9" Type="' + REL.encode() + b'image" '
            b'Target="http://x.example/logo.png" TargetMode="External"/>'
            b"</Relationships>",
        ),
    )
    _refused(data, "external_reference")


def test_embedded_ole_object_is_refused():
    data = _docx(
        rels=[("rId30", REL + "oleObject", "embeddings/oleObject1.bin", False)],
        extra={"word/embeddings/oleObject1.bin": OLE},
    )
    error = _refused(data, "embedded_object")
    assert "oleObject1.bin" in error.message_en


def test_ole_compound_file_anywhere_is_refused():
    error = _refused(_docx(extra={"word/media/image9.emf": OLE}), "embedded_object")
    assert "word/media/image9.emf" in error.message_en


def test_activex_control_relationship_is_refused():
    _refused(
        _docx(rels=[("rId30", REL + "control", "activeX/activeX1.xml", False)]),
        "macros",
    )


@pytest.mark.parametrize(
    "instr",
    [
        'INCLUDEPICTURE "http://attacker.example/p.png" \\d',
        'INCLUDETEXT "C:\\\\secret.docx"',
        'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"',
        'LINK Excel.Sheet.12 "C:\\\\data.xlsx" "" \\a',
    ],
)
def test_fields_including_external_content_are_refused(instr):
    error = _refused(
        _docx(fx.para(fx.run("[data.x]"), fx.complex_field(instr, "x"))),
        "external_reference",
    )
    assert instr.split()[0] in error.message_en


def test_field_code_split_over_runs_is_refused():
    field = (
        fx.run_raw('<w:fldChar w:fldCharType="begin"/>')
        + fx.run_raw('<w:instrText xml:space="preserve"> INCLUDE</w:instrText>')
        + fx.run_raw('<w:instrText xml:space="preserve">PICTURE "x.png"</w:instrText>')
        + fx.run_raw('<w:fldChar w:fldCharType="end"/>')
    )
    _refused(_docx(fx.para(field)), "external_reference")


def test_simple_external_field_in_a_footer_is_refused():
    footer = fx.header_part(
        "ftr",
        [fx.para('<w:fldSimple w:instr=" DDE cmd /c calc "><w:r><w:t>x</w:t></w:r>'
                 "</w:fldSimple>")],
    )  # fmt: skip
    data = _docx(parts=[("word/footer1.xml", fx.FOOTER_TYPE, footer, REL + "footer",
                         "rId40")])  # fmt: skip
    _refused(data, "external_reference")


def test_mail_merge_data_source_is_refused(word_template):
    settings = (
        f"{fx.XML_DECL}<w:settings {fx.W_NAMESPACES}><w:mailMerge>"
        '<w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
        '<w:dataType w:val="native"/><w:connectString w:val="Provider='
        'Microsoft.ACE.OLEDB.12.0;Data Source=C:\\clients.xlsx"/>'
        '<w:query w:val="SELECT * FROM `Feuil1$`"/></w:mailMerge></w:settings>'
    )
    data = _changed(word_template, "word/settings.xml", lambda _old: settings.encode())
    error = _refused(data, "external_reference")
    assert "mail merge" in error.message_en
    assert error.params["detail_code"] == "mail_merge"


def test_harmless_fields_are_accepted():
    data = _docx(
        fx.para(
            fx.run("[data.x]"),
            fx.complex_field("PAGE \\* MERGEFORMAT", "1"),
            '<w:fldSimple w:instr=" DATE \\@ &quot;dd/MM/yyyy&quot; ">'
            "<w:r><w:t>01/01/2025</w:t></w:r></w:fldSimple>",
            fx.complex_field('HYPERLINK "https://example.com"', "lien"),
        )
    )
    assert list_markers(data).names == ["x"]


# === LIBREOFFICE ===


def test_odt_with_hyperlinks_is_accepted():
    data = _odt(
        fx.opara(
            "[data.x] ",
            '<text:a xlink:type="simple" xlink:href="https://example.com/">site</text:a>',
        )
    )
    assert list_markers(data).names == ["x"]


@pytest.mark.parametrize(
    "name",
    ["Basic/Standard/Module1.xml", "Basic/script-lc.xml", "Scripts/python/run.py",
     "Dialogs/Standard/Dialog1.xml"],
)  # fmt: skip
def test_odt_macros_and_scripts_are_refused(name):
    content = b"<x/>" if name.endswith(".xml") else b"import os"
    error = _refused(_odt(extra={name: content}), "macros")
    assert ".odt" in error.message_en


def test_odt_event_listener_is_refused():
    body = (
        '<office:event-listeners xmlns:script="urn:oasis:names:tc:opendocument:'
        'xmlns:script:1.0"><script:event-listener script:language="ooo:script" '
        'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.'
        'Module1.Main?language=Basic&amp;location=document"/></office:event-listeners>'
        + fx.opara("[data.x]")
    )
    _refused(_odt(body), "macros")


def test_odt_ole_object_is_refused():
    frame = (
        '<draw:frame draw:name="Objet1" svg:width="2cm" svg:height="2cm">'
        '<draw:object-ole xlink:href="./Object 1" xlink:type="simple"/></draw:frame>'
    )
    error = _refused(
        _odt(fx.opara("[data.x]", frame), extra={"Object 1": OLE}), "embedded_object"
    )
    assert "Object 1" in error.message_en


@pytest.mark.parametrize(
    "href",
    ["http://attacker.example/p.png", "file:///etc/passwd", "../../secret.png",
     "/etc/passwd", "\\\\attacker\\share\\x.png"],
)  # fmt: skip
def test_odt_linked_picture_is_refused(href):
    frame = (
        '<draw:frame draw:name="Image1" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed"/>'
        "</draw:frame>"
    )
    error = _refused(_odt(fx.opara("[data.x]", frame)), "external_reference")
    assert href[:10] in error.message_en


def test_odt_linked_section_is_refused():
    section = (
        '<text:section text:name="S1"><text:section-source '
        'xlink:href="file:///srv/clauses.odt" text:filter-name="writer8"/>'
        "</text:section>"
    )
    _refused(_odt(fx.opara("[data.x]") + section), "external_reference")


def test_odt_linked_picture_in_a_header_is_refused():
    master = (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        "<style:header>"
        + fx.opara(
            '<draw:frame draw:name="Logo"><draw:image '
            'xlink:href="https://attacker.example/logo.png"/></draw:frame>',
            style="Header",
        )
        + "</style:header></style:master-page>"
    )
    error = _refused(_odt(styles=fx.odt_styles(master)), "external_reference")
    assert "styles.xml" in error.message_en


def test_odt_linked_picture_in_an_embedded_object_is_refused():
    chart = (
        f"{fx.ODF_DECL}<office:document-content {fx.ODF_NAMESPACES}><office:body>"
        '<office:chart><draw:frame><draw:image xlink:href="http://x.example/p.png"/>'
        "</draw:frame></office:chart></office:body></office:document-content>"
    )
    error = _refused(_odt(extra={"Object 1/content.xml": chart}), "external_reference")
    assert "Object 1/content.xml" in error.message_en


def test_odt_embedded_chart_without_links_is_accepted():
    chart = (
        f"{fx.ODF_DECL}<office:document-content {fx.ODF_NAMESPACES}><office:body>"
        "<office:chart/></office:body></office:document-content>"
    )
    assert list_markers(_odt(extra={"Object 1/content.xml": chart})).names == ["x"]


def test_odt_embedded_picture_is_accepted(odt_template):
    assert "nom_societe" in list_markers(odt_template).names


# === IMPORTED DOCUMENTS (altChunk) ===

AFCHUNK = REL + "aFChunk"
HTML_CHUNK = (
    b'<html><body><img src="http://127.0.0.1:1/x.png">'
    b'<iframe src="file:///etc/passwd"></iframe></body></html>'
)


def _alt_chunk_docx(*, element=True, rel=True, rel_type=AFCHUNK, target="afchunk.htm"):
    body = fx.para(fx.run("[data.x]"))
    if element:
        body += '<w:altChunk r:id="rId40"/>'
    package = fx.WordPackage(body)
    if rel:
        package.doc_rels.append(("rId40", rel_type, target, False))
    package.extra_entries["word/afchunk.htm"] = HTML_CHUNK
    return package.build()


def test_word_document_importing_html_at_open_time_is_refused():
    error = _refused(_alt_chunk_docx(), "imported_document")
    assert "altChunk" in error.message_en


def test_alt_chunk_relationship_alone_is_refused():
    error = _refused(_alt_chunk_docx(element=False), "imported_document")
    assert "afchunk.htm" in error.message_en


def test_alt_chunk_element_alone_is_refused():
    _refused(_alt_chunk_docx(rel=False), "imported_document")


def test_alt_chunk_of_strict_open_xml_relationship_type_is_refused():
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships/aFChunk"
    _refused(_alt_chunk_docx(element=False, rel_type=strict), "imported_document")


def test_alt_chunk_imported_into_a_header_is_refused():
    header = fx.header_part("header", [fx.para(fx.run("x"))]).replace(
        "</w:hdr>", '<w:altChunk r:id="rId1"/></w:hdr>'
    )
    package = fx.WordPackage(fx.para(fx.run("[data.x]")))
    package.add_part("word/header1.xml", fx.HEADER_TYPE, header, REL + "header", "rId9")
    package.part_rels["word/header1.xml"] = [("rId1", AFCHUNK, "chunk.rtf")]
    package.extra_entries["word/chunk.rtf"] = b"{\\rtf1 x}"
    _refused(package.build(), "imported_document")


# === LIBREOFFICE LINKS THAT ESCAPE THE PACKAGE ===


def _frame(href, tag="draw:image"):
    return (
        '<draw:frame draw:name="Image1" svg:width="2cm" svg:height="2cm">'
        f'<{tag} xlink:href="{href}" xlink:type="simple" xlink:show="embed"/>'
        "</draw:frame>"
    )


@pytest.mark.parametrize(
    "href",
    [
        "./../secret.png",
        "Pictures/../../secret.png",
        "Pictures/./../../../etc/passwd",
        "Pictures\\..\\..\\secret.png",
        "..\\secret.png",
        "%2e%2e/secret.png",
        "Pictures/%2E%2E/%2e%2e/secret.png",
        "%252e%252e/secret.png",
        "Pictures%2f..%2f..%2fsecret.png",
        " //attacker.example/p.png",
        "\\\\attacker.example\\share\\p.png",
        "%2F%2Fattacker.example/p.png",
        "h&#9;ttp://127.0.0.1:1/p.png",
        "%68ttp://127.0.0.1:1/p.png",
        "C:\\Windows\\win.ini",
        "vnd.sun.star.expand:$UNO_USER_PACKAGES_CACHE/x.png",
    ],
)
def test_odt_picture_escaping_the_package_after_normalisation_is_refused(href):
    error = _refused(_odt(fx.opara("[data.x]", _frame(href))), "external_reference")
    assert "image" in error.message_en


@pytest.mark.parametrize(
    "element",
    [
        '<draw:frame><draw:object xlink:href="./../Object 1"/></draw:frame>',
        (
            '<text:list-style style:name="L1"><text:list-level-style-image '
            'text:level="1" xlink:href="Pictures/../../bullet.png"/></text:list-style>'
        ),
        (
            '<style:style style:name="fr1" style:family="graphic"><style:graphic-'
            'properties><style:background-image xlink:href="%2e%2e/bg.png"/>'
            "</style:graphic-properties></style:style>"
        ),
        (
            '<svg:font-face-uri xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:'
            'svg-compatible:1.0" xlink:href="//attacker.example/f.ttf"/>'
        ),
        (
            '<form:form xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0">'
            '<form:image form:image-data="http://127.0.0.1:1/b.png"/></form:form>'
        ),
    ],
)
def test_odt_link_escaping_the_package_in_any_element_is_refused(element):
    _refused(_odt(fx.opara("[data.x]") + element), "external_reference")


def test_odt_pictures_inside_the_package_are_accepted():
    body = fx.opara(
        "[data.x]",
        _frame("Pictures/a.png"),
        _frame("./Pictures/b.png"),
        _frame("Pictures/../Pictures/c.png"),
        _frame("Pictures/d%20e.png"),
    )
    assert list_markers(_odt(body)).names == ["x"]


def test_embedded_object_may_point_to_the_package_pictures():
    chart = (
        f"{fx.ODF_DECL}<office:document-content {fx.ODF_NAMESPACES}><office:body>"
        '<office:chart><draw:frame><draw:image xlink:href="../Pictures/a.png"/>'
        "</draw:frame></office:chart></office:body></office:document-content>"
    )
    assert list_markers(_odt(extra={"Object 1/content.xml": chart})).names == ["x"]


def test_embedded_object_cannot_climb_above_the_package():
    chart = (
        f"{fx.ODF_DECL}<office:document-content {fx.ODF_NAMESPACES}><office:body>"
        '<office:chart><draw:frame><draw:image xlink:href="../../a.png"/>'
        "</draw:frame></office:chart></office:body></office:document-content>"
    )
    _refused(_odt(extra={"Object 1/content.xml": chart}), "external_reference")


# === HYPERLINKS: only web pages, email addresses, phone numbers, bookmarks ===

UNSAFE_LINKS = [
    "file:///etc/passwd",
    "file://attacker.example/share/x",
    "\\\\attacker\\share\\x.docx",  # UNC path: NTLM leak when clicked
    "vnd.sun.star.script:Standard.Module1.Main?language=Basic&location=application",
    "javascript:alert(1)",
    "../../secret.odt",  # resolved against the server's folder by LibreOffice
    " FILE:///etc/passwd",
    "ht\ttp:x",
    "http:\\\\attacker\\share",
]
SAFE_LINKS = [
    "https://example.com/?a=1&b=2",
    "HTTP://example.com",
    "mailto:contact@example.fr",
    "tel:+33612457890",
    "#Signature",
]


@pytest.mark.parametrize("target", UNSAFE_LINKS)
def test_docx_hyperlink_to_anything_but_web_mail_phone_is_refused(target):
    error = _refused(
        _docx(rels=[("rId30", REL + "hyperlink", target, True)]), "unsafe_link"
    )
    assert "word/_rels/document.xml.rels" in error.message_en


@pytest.mark.parametrize("target", SAFE_LINKS)
def test_docx_hyperlinks_to_web_mail_phone_are_accepted(target):
    data = _docx(rels=[("rId30", REL + "hyperlink", target, True)])
    assert list_markers(data).names == ["x"]


@pytest.mark.parametrize(
    "instr",
    [
        'HYPERLINK "file:///etc/passwd"',
        'HYPERLINK \\o "https://example.com" "file:///etc/passwd"',
        'HYPERLINK "file:///C:/x.docx" \\l "Top"',
        "HYPERLINK vnd.sun.star.script:Standard.Module1.Main",
    ],
)
def test_docx_hyperlink_field_to_a_file_is_refused(instr):
    _refused(
        _docx(fx.para(fx.run("[data.x]"), fx.complex_field(instr, "x"))), "unsafe_link"
    )


@pytest.mark.parametrize(
    "instr",
    [
        'HYPERLINK \\l "Top"',
        'HYPERLINK "mailto:a@example.fr" \\o "file://x" \\t "_blank"',
    ],
)
def test_docx_hyperlink_field_to_a_bookmark_or_mail_is_accepted(instr):
    data = _docx(fx.para(fx.run("[data.x]"), fx.complex_field(instr, "x")))
    assert list_markers(data).names == ["x"]


def _odt_link(target, tag="text:a"):
    from xml.sax.saxutils import quoteattr

    return _odt(
        fx.opara(
            "[data.x] ",
            f'<{tag} xlink:type="simple" xlink:href={quoteattr(target)}>site</{tag}>',
        )
    )


@pytest.mark.parametrize("target", UNSAFE_LINKS)
def test_odt_hyperlink_to_anything_but_web_mail_phone_is_refused(target):
    error = _refused(_odt_link(target), "unsafe_link")
    assert "content.xml" in error.message_en


@pytest.mark.parametrize("target", SAFE_LINKS)
def test_odt_hyperlinks_to_web_mail_phone_are_accepted(target):
    assert list_markers(_odt_link(target)).names == ["x"]


def _odt_with_meta(meta_items):
    data = _odt()
    meta = fx.ODT_META.replace("</office:meta>", meta_items + "</office:meta>")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (
                meta.encode() if info.filename == "meta.xml" else source.read(info)
            )
            target.writestr(info, content)
    return out.getvalue()


def test_odt_template_link_and_auto_reload_are_dropped_from_the_result():
    data = _odt_with_meta(
        '<meta:template xlink:type="simple" xlink:actuate="onRequest" '
        'xlink:title="Papier" xlink:href="file:///C:/Modeles/papier.ott" '
        'meta:date="2025-01-01T00:00:00"/>'
        '<meta:auto-reload xlink:type="simple" xlink:show="replace" '
        'xlink:actuate="onLoad" xlink:href="http://attacker.example/x.odt" '
        'meta:delay="PT0S"/>'
    )
    assert list_markers(data).names == ["x"]
    out = zipfile.ZipFile(io.BytesIO(render(data, {"x": "1"})))
    meta = out.read("meta.xml")
    assert b"papier.ott" not in meta and b"attacker" not in meta
    assert b"<dc:title>Courrier</dc:title>" in meta


def test_odt_meta_without_links_is_kept_as_it_is():
    data = _odt()
    out = zipfile.ZipFile(io.BytesIO(render(data, {"x": "1"})))
    original = zipfile.ZipFile(io.BytesIO(data))
    assert out.read("meta.xml") == original.read("meta.xml")
