"""Templates built by code that reproduce what Word and LibreOffice write.

Word: runs split by spell-check (``w:proofErr``), revision ids (``w:rsidR``),
formatting changes and bookmarks; simple and complex fields, hyperlinks,
nested tables, content controls, tracked changes, headers and footers
(default/first/even), a text box (``mc:AlternateContent`` with ``wps:txbx``
and its VML ``v:textbox`` fallback), footnotes and endnotes.

LibreOffice: ``text:span`` with automatic styles carrying ``officeooo:rsid``,
``text:soft-page-break``, bookmarks, hyperlinks, fields, frames with text
boxes, notes, nested tables, tracked deletions, comments, and headers and
footers (default/first/left) in ``styles.xml``.
"""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape

# === IMAGES ===


def png(width=120, height=60, color=(200, 30, 30)) -> bytes:
    """A small valid PNG (built without Pillow)."""
    row = b"\x00" + bytes(color) * width
    raw = row * height

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg(width=80, height=160) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


# === WORD ===

W_NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14 wp14"'
)
_RSIDS = itertools.cycle(["00A12B34", "00C56D78", "005E9F10", "003B2A41", "00F1E2D3"])
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
PROOF_START = '<w:proofErr w:type="spellStart"/>'
PROOF_END = '<w:proofErr w:type="spellEnd"/>'
GRAM_START = '<w:proofErr w:type="gramStart"/>'
GRAM_END = '<w:proofErr w:type="gramEnd"/>'


def rpr(bold=False, italic=False, color=None, size=None, style=None) -> str:
    props = []
    if style:
        props.append(f'<w:rStyle w:val="{style}"/>')
    props.append('<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>')
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    if color:
        props.append(f'<w:color w:val="{color}"/>')
    if size:
        props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return "<w:rPr>" + "".join(props) + "</w:rPr>"


def run(text, **props) -> str:
    """A run as Word writes it (revision id, properties, preserved spaces)."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (
        f'<w:r w:rsidR="{next(_RSIDS)}">{rpr(**props)}'
        f"<w:t{space}>{escape(text)}</w:t></w:r>"
    )


def para(*items, style=None, align=None) -> str:
    ppr = ""
    if style or align:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        ppr += "</w:pPr>"
    rsid = next(_RSIDS)
    return (
        f'<w:p w:rsidR="{rsid}" w:rsidRDefault="{rsid}" w:rsidP="{next(_RSIDS)}">'
        f"{ppr}{''.join(items)}</w:p>"
    )


def word_split(name, **props) -> str:
    """``[data.<name>]`` split the way Word's spell-checker splits it."""
    return (
        run("[", **props)
        + PROOF_START
        + run(f"data.{name}", **props)
        + PROOF_END
        + run("]", **props)
    )


def word_split_many(name, **props) -> str:
    """A marker in five runs, with a bookmark, a formatting change and a
    grammar mark inside it."""
    half = len(name) // 2
    return (
        run("[da", **props)
        + '<w:bookmarkStart w:id="7" w:name="_Hlk1"/>'
        + run("ta.", italic=True)
        + GRAM_START
        + run(name[:half], color="FF0000")
        + '<w:bookmarkEnd w:id="7"/>'
        + run(name[half:])
        + GRAM_END
        + run("]")
    )


def complex_field(instr, result) -> str:
    return (
        run_raw('<w:fldChar w:fldCharType="begin"/>')
        + run_raw(f'<w:instrText xml:space="preserve"> {instr} </w:instrText>')
        + run_raw('<w:fldChar w:fldCharType="separate"/>')
        + run(result)
        + run_raw('<w:fldChar w:fldCharType="end"/>')
    )


def run_raw(content) -> str:
    return f'<w:r w:rsidR="{next(_RSIDS)}">{rpr()}{content}</w:r>'


def table(rows, width=3000) -> str:
    """rows: list of lists of cell XML (paragraphs, tables...)."""
    cols = max(len(r) for r in rows)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(cols))
    body = ""
    for row in rows:
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{cell}</w:tc>'
            for cell in row
        )
        body += f'<w:tr w:rsidR="{next(_RSIDS)}">{cells}</w:tr>'
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="Grilledutableau"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def text_box(paragraphs) -> str:
    """A run holding a DrawingML text box with its VML fallback."""
    return (
        f'<w:r w:rsidR="{next(_RSIDS)}"><w:rPr><w:noProof/></w:rPr>'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" '
        'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1" wp14:anchorId="0A1B2C3D" '
        'wp14:editId="4E5F6A7B"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>3600000</wp:posOffset>'
        '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="2360930" cy="600000"/>'
        '<wp:effectExtent l="0" t="0" r="0" '
        'b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="217" name="Zone de texte 2"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"><a:spLocks '
        'noChangeArrowheads="1"/></wps:cNvSpPr><wps:spPr bwMode="auto"><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="2360930" cy="600000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr '
        'val="FFFFFF"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr '
        'val="000000"/></a:solidFill><a:miter lim="800000"/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" '
        'rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:spAutoFit/>'
        "</wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        '<v:shape id="Zone de texte 2" o:spid="_x0000_s1026" type="#_x0000_t202" '
        'style="position:absolute;margin-left:283.5pt;margin-top:0;width:185.9pt;'
        'height:47.25pt;z-index:251659264" o:gfxdata="">'
        f'<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent>{paragraphs}'
        '</w:txbxContent></v:textbox><w10:wrap type="square"/></v:shape>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def picture(rid, cx=1080000, cy=540000, docpr=1) -> str:
    return (
        f'<w:r w:rsidR="{next(_RSIDS)}"><w:rPr><w:noProof/></w:rPr><w:drawing>'
        '<wp:inline distT="0" distB="0" distL="0" distR="0" wp14:anchorId="1A2B3C4D" '
        f'wp14:editId="5E6F7A8B"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{docpr}" name="Image {docpr}" descr="logo"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.'
        'openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/>'
        '</wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats'
        '.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats'
        '.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.'
        'openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" '
        'name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r>"
    )


def header_part(kind, paragraphs) -> str:
    tag = "w:hdr" if kind == "header" else "w:ftr"
    return f"{XML_DECL}<{tag} {W_NAMESPACES}>{paragraphs}</{tag}>"


def notes_part(kind, notes) -> str:
    """kind: footnote or endnote; notes: {id: paragraphs XML}."""
    tag = f"w:{kind}"
    sep = (
        f'<{tag} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/>'
        "</w:pPr><w:r><w:separator/></w:r></w:p></"
        f'{tag}><{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></{tag}>"
    )
    body = "".join(
        f'<{tag} w:id="{i}">{content}</{tag}>' for i, content in notes.items()
    )
    return f"{XML_DECL}<{tag}s {W_NAMESPACES}>{sep}{body}</{tag}s>"


STYLES_XML = (
    f"{XML_DECL}<w:styles {W_NAMESPACES}>"
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" '
    'w:hAnsi="Calibri"/><w:sz w:val="22"/><w:lang w:val="fr-FR"/></w:rPr>'
    "</w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" '
    'w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="En-tte"><w:name w:val="header"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="character" w:styleId="Lienhypertexte"><w:name w:val="Hyperlink"/>'
    '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Appelnotedebasdep"><w:name '
    'w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    "</w:style>"
    '<w:style w:type="table" w:styleId="Grilledutableau"><w:name w:val="Table Grid"/>'
    '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" '
    'w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    "</w:tblBorders></w:tblPr></w:style></w:styles>"
)
SETTINGS_XML = (
    f'{XML_DECL}<w:settings {W_NAMESPACES}><w:zoom w:percent="100"/>'
    '<w:proofState w:spelling="clean" w:grammar="clean"/>'
    '<w:defaultTabStop w:val="708"/><w:evenAndOddHeaders/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:rsids>'
    '<w:rsidRoot w:val="00A12B34"/><w:rsid w:val="00A12B34"/><w:rsid w:val="00C56D78"/>'
    '</w:rsids><w:themeFontLang w:val="fr-FR"/></w:settings>'
)
CORE_XML = (
    f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
    'package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Courrier</dc:title>'
    "<dc:creator>Atelier Martin</dc:creator><cp:revision>3</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-06T09:12:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP_XML = (
    f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
    '2006/extended-properties"><Application>Microsoft Office Word</Application>'
    "<AppVersion>16.0000</AppVersion></Properties>"
)


class WordPackage:
    """A .docx assembled from parts, as Word lays them out."""

    MAIN = (
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document.main+xml"
    )

    def __init__(self, body, *, sect=None):
        self.body = body
        self.parts = {}  # name -> (content type, xml)
        self.doc_rels = []  # (id, type, target, external)
        self.part_rels = {}  # part -> [(id, type, target)]
        self.media = {}  # name -> bytes
        self.sect = sect
        self.main_type = self.MAIN
        self.extra_entries = {}

    def add_part(self, name, ctype, xml, rel_type, rid):
        self.parts[name] = (ctype, xml)
        self.doc_rels.append((rid, rel_type, name.split("/", 1)[1], False))

    def build(self) -> bytes:
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        sect = self.sect or (
            '<w:sectPr w:rsidR="00A12B34"><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" '
            'w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/>'
            '<w:docGrid w:linePitch="360"/></w:sectPr>'
        )
        document = (
            f"{XML_DECL}<w:document {W_NAMESPACES}><w:body>{self.body}{sect}"
            "</w:body></w:document>"
        )
        overrides = {
            "/word/document.xml": self.main_type,
            "/word/styles.xml": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.styles+xml",
            "/word/settings.xml": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.settings+xml",
            "/docProps/core.xml": "application/vnd.openxmlformats-package."
            "core-properties+xml",
            "/docProps/app.xml": "application/vnd.openxmlformats-officedocument."
            "extended-properties+xml",
        }
        for name, (ctype, _xml) in self.parts.items():
            overrides["/" + name] = ctype
        content_types = (
            f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="png" ContentType="image/png"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            + "".join(
                f'<Override PartName="{n}" ContentType="{t}"/>'
                for n, t in overrides.items()
            )
            + "</Types>"
        )
        root_rels = rels_xml(
            [
                (
                    "rId3",
                    rel.replace("officeDocument/2006/relationships/", "")
                    + "package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                    False,
                ),
                ("rId2", rel + "extended-properties", "docProps/app.xml", False),
                ("rId1", rel + "officeDocument", "word/document.xml", False),
            ]
        )
        doc_rels = [
            ("rId1", rel + "styles", "styles.xml", False),
            ("rId2", rel + "settings", "settings.xml", False),
            *self.doc_rels,
        ]
        files = {
            "[Content_Types].xml": content_types,
            "_rels/.rels": root_rels,
            "word/document.xml": document,
            "word/_rels/document.xml.rels": rels_xml(doc_rels),
            "word/styles.xml": STYLES_XML,
            "word/settings.xml": SETTINGS_XML,
            "docProps/core.xml": CORE_XML,
            "docProps/app.xml": APP_XML,
        }
        for name, (_ctype, xml) in self.parts.items():
            files[name] = xml
        for part, rels in self.part_rels.items():
            folder, base = part.rsplit("/", 1)
            files[f"{folder}/_rels/{base}.rels"] = rels_xml(
                [(i, t, target, False) for i, t, target in rels]
            )
        files.update(self.media)
        files.update(self.extra_entries)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                data = content.encode("utf-8") if isinstance(content, str) else content
                archive.writestr(name, data)
        return out.getvalue()


def rels_xml(rels) -> str:
    items = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{escape(target)}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for i, t, target, external in rels
    )
    return (
        f'{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships">{items}</Relationships>'
    )


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HEADER_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
)
FOOTER_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
)


def simple_docx(*paragraphs) -> bytes:
    """A minimal but complete Word document with the given body paragraphs."""
    return WordPackage("".join(paragraphs)).build()


#: Markers of the Word kitchen sink, in order of first appearance, with their
#: counts and locations.
WORD_EXPECTED = [
    ("civilite_client", 1, ["body"]),
    ("nom_client", 2, ["body"]),
    ("prenom_client", 1, ["body"]),
    ("date_du_jour", 1, ["body"]),
    ("ville_client", 1, ["body"]),
    ("email_client", 1, ["body"]),
    ("code_client", 1, ["body"]),
    ("adresse_client", 1, ["body"]),
    ("telephone_client", 1, ["body"]),
    ("suivi_par", 1, ["body"]),
    ("mobile_client", 1, ["body"]),
    ("pays_client", 1, ["body"]),
    ("statut_client", 1, ["body"]),
    ("société", 1, ["body"]),
    ("code_postal_client", 1, ["body"]),
    ("nom_societe", 2, ["header1.xml", "footer2.xml"]),
    ("adresse_societe", 1, ["header2.xml"]),
    ("telephone_societe", 1, ["header3.xml"]),
    ("email_societe", 1, ["footer1.xml"]),
    ("siret_societe", 1, ["footnotes"]),
    ("tva_societe", 1, ["endnotes"]),
]


def word_kitchen_sink() -> bytes:
    """A Word document with markers in every place a user can type one."""
    body = "".join(
        [
            para(
                run("Objet : ", bold=True),
                run("[data.civilite_client]", bold=True, color="1F3864"),
                run(" "),
                word_split("nom_client", italic=True),
            ),
            para(
                run("Bonjour "),
                word_split_many("prenom_client", bold=True),
                run(","),
                run_raw(
                    '<w:rPr><w:rStyle w:val="Appelnotedebasdep"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/>'
                ),
                run_raw('<w:endnoteReference w:id="1"/>'),
            ),
            para(
                run("Le [data.date_du_jour] à [data.ville_client], suite à"),
                align="right",
            ),
            para(
                run("Courriel : "),
                '<w:hyperlink r:id="rId20" w:history="1">'
                + run("[data.em", style="Lienhypertexte")
                + run("ail_client]", style="Lienhypertexte")
                + "</w:hyperlink>",
            ),
            para(
                '<w:fldSimple w:instr=" DATE \\@ &quot;dd/MM/yyyy&quot; ">'
                + run("06/01/2025")
                + "</w:fldSimple>",
                run(" — page "),
                complex_field("PAGE", "1"),
                run(" — code "),
                word_split("code_client"),
            ),
            table(
                [
                    [para(run("Adresse")), para(word_split("adresse_client"))],
                    [
                        para(run("Contact")),
                        table(
                            [
                                [
                                    para(run("Tél.")),
                                    para(word_split_many("telephone_client")),
                                ]
                            ],
                            width=1400,
                        )
                        + para(),
                    ],
                ]
            ),
            para(text_box(para(run("Suivi par "), word_split("suivi_par", bold=True)))),
            para(
                run("Mobile : [data."),
                '<w:ins w:id="11" w:author="Paul" w:date="2025-01-06T10:00:00Z">'
                + run("mobile_client]")
                + "</w:ins>",
                run(" pays : [data.pays"),
                '<w:del w:id="12" w:author="Paul" w:date="2025-01-06T10:00:00Z">'
                "<w:r><w:delText>xx</w:delText></w:r></w:del>",
                run("_client]"),
            ),
            para(
                '<w:sdt><w:sdtPr><w:alias w:val="Statut"/><w:id w:val="-1"/></w:sdtPr>'
                "<w:sdtContent>"
                + word_split("statut_client")
                + "</w:sdtContent></w:sdt>"
            ),
            para(run("Fin [data.no")),
            para(run("pe] ici, pas de marqueur.")),
            para(run("[data.ta"), run_raw("<w:tab/>"), run("b] non plus.")),
            para(run("Accents : [data.société]")),
            para(
                '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" '
                'w:element="PostalCode">'
                + run("[data.code_postal_client]")
                + "</w:smartTag>",
                run(" et encore "),
                word_split("nom_client"),
            ),
        ]
    )
    sect = (
        '<w:sectPr w:rsidR="00A12B34"><w:headerReference w:type="even" r:id="rId12"/>'
        '<w:headerReference w:type="default" r:id="rId10"/>'
        '<w:footerReference w:type="default" r:id="rId13"/>'
        '<w:headerReference w:type="first" r:id="rId11"/>'
        '<w:footerReference w:type="first" r:id="rId14"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" '
        'w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    package = WordPackage(body, sect=sect)
    package.add_part(
        "word/header1.xml",
        HEADER_TYPE,
        header_part(
            "header",
            para(
                picture("rId1"),
                run(" "),
                word_split("nom_societe", bold=True),
                style="En-tte",
            ),
        ),
        REL + "header",
        "rId10",
    )
    package.part_rels["word/header1.xml"] = [
        ("rId1", REL + "image", "media/image1.png")
    ]
    package.media["word/media/image1.png"] = png()
    package.add_part(
        "word/header2.xml",
        HEADER_TYPE,
        header_part(
            "header", para(run("Première page : "), word_split("adresse_societe"))
        ),
        REL + "header",
        "rId11",
    )
    package.add_part(
        "word/header3.xml",
        HEADER_TYPE,
        header_part(
            "header", para(run("Page paire "), word_split("telephone_societe"))
        ),
        REL + "header",
        "rId12",
    )
    package.add_part(
        "word/footer1.xml",
        FOOTER_TYPE,
        header_part(
            "footer",
            para(word_split("email_societe"), run(" — "), complex_field("PAGE", "2")),
        ),
        REL + "footer",
        "rId13",
    )
    package.add_part(
        "word/footer2.xml",
        FOOTER_TYPE,
        header_part("footer", para(run("[data.nom_societe]"))),
        REL + "footer",
        "rId14",
    )
    package.add_part(
        "word/footnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        notes_part(
            "footnote",
            {
                1: para(
                    run_raw("<w:footnoteRef/>"),
                    run(" SIRET "),
                    word_split("siret_societe"),
                )
            },
        ),
        REL + "footnotes",
        "rId15",
    )
    package.add_part(
        "word/endnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
        notes_part(
            "endnote",
            {
                1: para(
                    run_raw("<w:endnoteRef/>"), run(" TVA "), word_split("tva_societe")
                )
            },
        ),
        REL + "endnotes",
        "rId16",
    )
    package.doc_rels.append(
        ("rId20", REL + "hyperlink", "mailto:contact@example.fr", True)
    )
    return package.build()


# === LIBREOFFICE ===

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:'
    'xmlns:loext:1.0" '
    'xmlns:officeooo="http://openoffice.org/2009/office" '
    'xmlns:field="urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0" '
    'office:version="1.3"'
)
ODF_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def span(text, style="T1") -> str:
    return f'<text:span text:style-name="{style}">{escape(text)}</text:span>'


def opara(*items, style="P1") -> str:
    return f'<text:p text:style-name="{style}">{"".join(items)}</text:p>'


def lo_split(name, style="T2") -> str:
    """``[data.<name>]`` split over rsid spans the way LibreOffice saves edits."""
    half = len(name) // 2
    return span("[data.", style) + span(name[:half], "T3") + escape(name[half:]) + "]"


def otable(name, rows) -> str:
    cols = max(len(r) for r in rows)
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell table:style-name="{name}.A1" '
            f'office:value-type="string">'
            f"{cell}</table:table-cell>"
            for cell in row
        )
        + "</table:table-row>"
        for row in rows
    )
    return (
        f'<table:table table:name="{name}" table:style-name="{name}">'
        f'<table:table-column table:style-name="{name}.A" '
        f'table:number-columns-repeated="{cols}"/>{body}</table:table>'
    )


ODT_AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="Tableau1" style:family="table"><style:table-properties '
    'style:width="16.51cm" table:align="margins"/></style:style>'
    '<style:style style:name="Tableau1.A" style:family="table-column">'
    '<style:table-column-properties style:column-width="8.255cm"/></style:style>'
    '<style:style style:name="Tableau1.A1" style:family="table-cell">'
    '<style:table-cell-properties fo:padding="0.097cm" '
    'fo:border="0.5pt solid #000000"/>'
    "</style:style>"
    '<style:style style:name="Tableau2" style:family="table"/>'
    '<style:style style:name="Tableau2.A" style:family="table-column"/>'
    '<style:style style:name="Tableau2.A1" style:family="table-cell"/>'
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name='
    '"Standard"><style:text-properties officeooo:paragraph-rsid="0012a3b4"/>'
    "</style:style>"
    '<style:style style:name="P2" style:family="paragraph" style:parent-style-name='
    '"Standard"><style:paragraph-properties fo:text-align="end"/></style:style>'
    '<style:style style:name="T1" style:family="text"><style:text-properties '
    'fo:font-weight="bold" officeooo:rsid="0012a3b4" style:font-weight-asian="bold"/>'
    "</style:style>"
    '<style:style style:name="T2" style:family="text"><style:text-properties '
    'officeooo:rsid="0013c5d6"/></style:style>'
    '<style:style style:name="T3" style:family="text"><style:text-properties '
    'fo:font-style="italic" officeooo:rsid="0014e7f8"/></style:style>'
    '<style:style style:name="fr1" style:family="graphic" '
    'style:parent-style-name="Frame">'
    '<style:graphic-properties style:wrap="parallel" style:vertical-pos="top" '
    'style:horizontal-pos="right" fo:border="0.06pt solid #000000"/></style:style>'
    "</office:automatic-styles>"
)

ODT_EXPECTED = [
    ("civilite_client", 1, ["body"]),
    ("nom_client", 2, ["body"]),
    ("prenom_client", 1, ["body"]),
    ("date_du_jour", 1, ["body"]),
    ("ville_client", 1, ["body"]),
    ("email_client", 1, ["body"]),
    ("code_client", 1, ["body"]),
    ("adresse_client", 1, ["body"]),
    ("telephone_client", 1, ["body"]),
    ("suivi_par", 1, ["body"]),
    ("siret_societe", 1, ["footnotes"]),
    ("tva_societe", 1, ["endnotes"]),
    ("statut_client", 1, ["body"]),
    ("société", 1, ["body"]),
    ("nom_societe", 2, ["header", "footer-first"]),
    ("telephone_societe", 1, ["header-even"]),
    ("adresse_societe", 1, ["header-first"]),
    ("email_societe", 1, ["footer"]),
]


def odt_content(body) -> str:
    return (
        f"{ODF_DECL}<office:document-content {ODF_NAMESPACES}>"
        "<office:scripts/><office:font-face-decls><style:font-face "
        'style:name="Liberation '
        'Serif" svg:font-family="\'Liberation '
        'Serif\'" style:font-family-generic="roman"/>'
        f"</office:font-face-decls>{ODT_AUTOMATIC_STYLES}<office:body><office:text>"
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" '
        'text:name="Illustration"/></text:sequence-decls>'
        f"{body}</office:text></office:body></office:document-content>"
    )


def odt_styles(master_page="") -> str:
    return (
        f"{ODF_DECL}<office:document-styles {ODF_NAMESPACES}><office:styles>"
        '<style:default-style style:family="paragraph"><style:text-properties '
        'style:font-name="Liberation Serif" fo:font-size="12pt" fo:language="fr" '
        'fo:country="FR"/></style:default-style>'
        '<style:style style:name="Standard" '
        'style:family="paragraph" style:class="text"/>'
        '<style:style style:name="Header" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra"/>'
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra"/>'
        "</office:styles><office:automatic-styles>"
        '<style:page-layout style:name="pm1"><style:page-layout-properties '
        'fo:page-width="21.001cm" fo:page-height="29.7cm" fo:margin-top="2cm" '
        'fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0cm" '
        'fo:margin-bottom="0.499cm"/></style:header-style><style:footer-style>'
        '<style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.499cm"/>'
        "</style:footer-style></style:page-layout>"
        '<style:style style:name="MP1" style:family="text"><style:text-properties '
        'fo:font-weight="bold" officeooo:rsid="001a2b3c"/></style:style>'
        '<style:style style:name="Mfr1" '
        'style:family="graphic"><style:graphic-properties '
        'style:vertical-pos="top" style:horizontal-pos="left"/></style:style>'
        "</office:automatic-styles><office:master-styles>"
        + (
            master_page
            or '<style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
        )
        + "</office:master-styles></office:document-styles>"
    )


ODT_META = (
    f"{ODF_DECL}<office:document-meta {ODF_NAMESPACES}><office:meta>"
    "<meta:generator>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2"
    "</meta:generator><dc:title>Courrier</dc:title></office:meta>"
    "</office:document-meta>"
)
ODT_SETTINGS = (
    f"{ODF_DECL}<office:document-settings {ODF_NAMESPACES} "
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0">'
    '<office:settings><config:config-item-set config:name="ooo:view-settings">'
    '<config:config-item config:name="ViewAreaTop" config:type="long">0'
    "</config:config-item></config:config-item-set></office:settings>"
    "</office:document-settings>"
)


def odt_package(content, styles=None, pictures=None, *, mimetype=None) -> bytes:
    """An .odt laid out as LibreOffice writes it (mimetype first, stored)."""
    mimetype = mimetype or "application/vnd.oasis.opendocument.text"
    pictures = pictures or {}
    manifest = (
        f'{ODF_DECL}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        f'manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" '
        'manifest:media-type="image/png"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{n}" '
            'manifest:media-type="image/png"/>'
            for n in pictures
        )
        + '<manifest:file-entry manifest:full-path="settings.xml" '
        'manifest:media-type="text/xml"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" '
        'manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        for name, data in [
            ("Configurations2/", b""),
            *pictures.items(),
            ("content.xml", content),
            ("styles.xml", styles or odt_styles()),
            ("meta.xml", ODT_META),
            ("settings.xml", ODT_SETTINGS),
            ("Thumbnails/thumbnail.png", png(32, 45, (255, 255, 255))),
            ("META-INF/manifest.xml", manifest),
        ]:
            data = data.encode("utf-8") if isinstance(data, str) else data
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def simple_odt(*paragraphs) -> bytes:
    return odt_package(odt_content("".join(paragraphs)))


def odt_kitchen_sink() -> bytes:
    """A LibreOffice document with markers in every place a user can type one."""
    body = "".join(
        [
            opara(
                span("Objet : "),
                span("[data.civilite_client]", "T1"),
                " ",
                lo_split("nom_client"),
            ),
            opara(
                "Bonjour ",
                span("[data.pre", "T2"),
                '<text:bookmark-start text:name="b1"/>',
                span("nom", "T3"),
                '<text:bookmark-end text:name="b1"/><text:soft-page-break/>',
                "_client],",
            ),
            opara("Le [data.date_du_jour] à [data.ville_client], suite à", style="P2"),
            opara(
                "Courriel : ",
                '<text:a xlink:type="simple" xlink:href="mailto:contact@example.fr" '
                'text:style-name="Internet_20_link" text:visited-style-name='
                '"Visited_20_Internet_20_Link">'
                + span("[data.em", "T2")
                + "ail_client]</text:a>",
            ),
            opara(
                '<text:date style:data-style-name="N37" text:date-value="2025-01-06">'
                "06/01/2025</text:date> — page <text:page-number "
                'text:select-page="current">1</text:page-number> — code ',
                lo_split("code_client"),
            ),
            otable(
                "Tableau1",
                [
                    [opara("Adresse"), opara(lo_split("adresse_client"))],
                    [
                        opara("Contact"),
                        otable(
                            "Tableau2",
                            [[opara("Tél."), opara(lo_split("telephone_client"))]],
                        )
                        + opara(),
                    ],
                ],
            ),
            opara(
                '<draw:frame draw:style-name="fr1" draw:name="Cadre1" '
                'text:anchor-type="paragraph" svg:width="6cm" draw:z-index="0">'
                '<draw:text-box fo:min-height="1cm">'
                + opara("Suivi par ", lo_split("suivi_par"))
                + "</draw:text-box></draw:frame>Texte après le cadre."
            ),
            opara(
                "Voir note",
                '<text:note text:id="ftn1" text:note-class="footnote">'
                "<text:note-citation>1</text:note-citation><text:note-body>"
                + opara("SIRET ", lo_split("siret_societe"), style="Footnote")
                + "</text:note-body></text:note> et note de fin",
                '<text:note text:id="ftn2" text:note-class="endnote">'
                "<text:note-citation>i</text:note-citation><text:note-body>"
                + opara("TVA ", span("[data.tva_societe]", "T2"), style="Endnote")
                + "</text:note-body></text:note>.",
            ),
            '<text:list text:style-name="L1"><text:list-item>'
            + opara("Statut : ", span("[data.statut", "T2"), "_client]")
            + "</text:list-item></text:list>",
            opara("Fin [data.no"),
            opara("pe] ici, pas de marqueur."),
            opara("[data.ta<text:tab/>b] non plus, [data.a<text:s/>b] non plus."),
            opara("Accents : [data.société]"),
            opara(
                "<office:annotation><dc:creator>Paul</dc:creator><dc:date>2025-01-06T10:00"
                ":00</dc:date>"
                + opara("[data.commentaire]")
                + "</office:annotation>Et encore ",
                lo_split("nom_client"),
            ),
        ]
    )
    tracked = (
        '<text:tracked-changes text:track-changes="false"><text:changed-region '
        'xml:id="ct1" text:id="ct1"><text:deletion><office:change-info><dc:creator>Paul'
        "</dc:creator><dc:date>2025-01-06T10:00:00</dc:date></office:change-info>"
        + opara("[data.supprime]")
        + "</text:deletion></text:changed-region></text:tracked-changes>"
    )
    content = odt_content(tracked + body)
    logo_frame = (
        '<draw:frame draw:style-name="Mfr1" '
        'draw:name="Logo" text:anchor-type="as-char" '
        'svg:width="3cm" svg:height="1.5cm" draw:z-index="1"><draw:image '
        'xlink:href="Pictures/logo.png" xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad" draw:mime-type="image/png"/></draw:frame>'
    )
    master = (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        "<style:header>"
        + opara(logo_frame, " ", span("[data.nom_", "MP1"), "societe]", style="Header")
        + "</style:header><style:header-left>"
        + opara("Page paire ", lo_split("telephone_societe"), style="Header")
        + "</style:header-left><style:header-first>"
        + opara("Première page ", lo_split("adresse_societe"), style="Header")
        + "</style:header-first><style:footer>"
        + opara(
            lo_split("email_societe"),
            ' — <text:page-number text:select-page="current">1</text:page-number>',
            style="Footer",
        )
        + "</style:footer><style:footer-first>"
        + opara("[data.nom_societe]", style="Footer")
        + "</style:footer-first></style:master-page>"
    )
    return odt_package(content, odt_styles(master), {"Pictures/logo.png": png()})


def encrypted_odt(plain: bytes | None = None) -> bytes:
    """An .odt saved by LibreOffice with a password ("Save with password").

    ODF encrypts each part (deflated, then AES-256-CBC with a key derived by
    PBKDF2 from the password), stores it uncompressed in the zip, and
    describes it in the manifest with ``manifest:encryption-data``; the
    mimetype, the manifest and the thumbnail stay in clear. The engine only
    sees that layout, which this reproduces with random bytes for the
    encrypted parts (nothing decrypts them).
    """
    import os

    plain = plain or simple_odt(opara("[data.x]"))
    source = zipfile.ZipFile(io.BytesIO(plain))
    encrypted = ("content.xml", "styles.xml", "meta.xml", "settings.xml")
    entries = []
    for name in encrypted:
        size = len(source.read(name))
        entries.append(
            f'<manifest:file-entry manifest:full-path="{name}" '
            f'manifest:media-type="text/xml" manifest:size="{size}">'
            '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="'
            'mPHa1fLnqxUYBZT0Hq3jmWxF9vVGs9R3mpGwT8e4mwQ="><manifest:algorithm '
            'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
            'manifest:initialisation-vector="hbT1F0VtJjF8gX2cQmlN5w=="/>'
            "<manifest:start-key-generation manifest:start-key-generation-name="
            '"http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/>'
            '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" '
            'manifest:key-size="32" manifest:iteration-count="100000" '
            'manifest:salt="1C7sWZ1a0q9cM5Ukz5rjDw=="/></manifest:encryption-data>'
            "</manifest:file-entry>"
        )
    manifest = (
        f'{ODF_DECL}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" '
        'manifest:media-type="image/png"/>' + "".join(entries) + "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), source.read("mimetype"))
        for name in encrypted:
            # deflated then encrypted: random-looking bytes, stored
            archive.writestr(name, os.urandom(len(source.read(name)) // 2 + 16))
        archive.writestr(
            "Thumbnails/thumbnail.png", source.read("Thumbnails/thumbnail.png")
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()
