"""The benchmark's letter: a realistic two-page French business letter.

Header with a logo and the company's name and address, footer with its legal
identifiers, the client's address block, ~20 distinct markers (several split
across runs/spans the way Word and LibreOffice save them, with proofing
marks), a table of prices and a signature block. Built in each syntax from
the same description so that every engine does the same work:

* ``build_docx("data")``: ``[data.name]`` markers (extrabat_core.docengine);
* ``build_docx("jinja")``: ``{{ name }}`` markers (docxtpl);
* ``build_odt("data")``: ``[data.name]`` markers in spans;
* ``build_odt("py3o")``: ``py3o.name`` user fields (py3o.template).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

VALUES = {
    "nom_societe": "Chauffage Martin SARL",
    "adresse_societe": "14 rue de la République, 69002 Lyon",
    "telephone_societe": "04 72 00 00 00",
    "email_societe": "contact@chauffage-martin.fr",
    "siret_societe": "812 345 678 00012",
    "tva_societe": "FR 12 812345678",
    "civilite_client": "Monsieur",
    "nom_prenom_client": "Jean Dupont",
    "adresse_client": "12 rue des Lilas\nBâtiment B",
    "code_postal_client": "69100",
    "ville_client": "Villeurbanne",
    "code_client": "C00042",
    "telephone_client": "06 12 34 56 78",
    "email_client": "jean.dupont@example.fr",
    "date_du_jour": "6 janvier 2025",
    "objet": "Remplacement de votre chaudière",
    "reference_devis": "DEV-2025-0012",
    "montant_ht": "8 450,00 €",
    "montant_ttc": "8 914,75 €",
    "suivi_par": "Paul Martin",
    "email_utilisateur": "paul.martin@chauffage-martin.fr",
    "telephone_utilisateur": "06 98 76 54 32",
}

LOREM = (
    "Suite à notre visite du {visit}, nous avons le plaisir de vous adresser "
    "notre proposition pour le remplacement de votre installation de chauffage. "
    "La chaudière actuelle, installée il y a plus de vingt ans, présente un "
    "rendement faible et des pièces d'usure difficiles à remplacer. Nous vous "
    "proposons une chaudière à condensation de dernière génération, associée à "
    "un thermostat connecté, qui réduira votre consommation de gaz d'environ "
    "trente pour cent. Les travaux comprennent la dépose de l'ancien matériel, "
    "la mise en conformité du conduit de fumée, le désembouage du circuit et la "
    "mise en service par un technicien qualifié. "
)

ROWS = [
    ("Chaudière gaz à condensation 25 kW", "1", "4 200,00 €"),
    ("Thermostat connecté et sonde extérieure", "1", "390,00 €"),
    ("Tubage du conduit de fumée", "1", "1 150,00 €"),
    ("Désembouage du circuit de chauffage", "1", "610,00 €"),
    ("Main d'œuvre (pose et mise en service)", "16 h", "2 100,00 €"),
]


def _marker(kind, name):
    return f"[data.{name}]" if kind == "data" else f"{{{{ {name} }}}}"


def _split_pieces(kind, name):
    """How an editor splits a marker typed in several goes."""
    text = _marker(kind, name)
    head = 6 if kind == "data" else 3  # "[data." / "{{ "
    cut = head + max(1, len(name) // 2)
    return [text[:head], text[head:cut], text[cut:]]


# === DOCX ===


def build_docx(kind: str, logo: bytes) -> bytes:
    """The letter as a .docx, built with python-docx (Word's default styles)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)

    def proof(paragraph, kind_attr):
        element = OxmlElement("w:proofErr")
        element.set(qn("w:type"), kind_attr)
        paragraph._p.append(element)

    def text(paragraph, value, bold=False, size=None):
        run = paragraph.add_run(value)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        return run

    def marker(paragraph, name, split=False, bold=False):
        if not split:
            text(paragraph, _marker(kind, name), bold)
            return
        first, middle, last = _split_pieces(kind, name)
        text(paragraph, first, bold)
        proof(paragraph, "spellStart")
        text(paragraph, middle, bold)
        proof(paragraph, "spellEnd")
        text(paragraph, last)

    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(logo), width=Mm(35))
    text(header, "   ")
    marker(header, "nom_societe", split=True, bold=True)
    line = section.header.add_paragraph()
    marker(line, "adresse_societe")
    text(line, " — Tél. ")
    marker(line, "telephone_societe", split=True)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text(footer, "SIRET ", size=8)
    marker(footer, "siret_societe")
    text(footer, " — TVA ", size=8)
    marker(footer, "tva_societe", split=True)
    text(footer, " — ", size=8)
    marker(footer, "email_societe")

    for name, split in (
        ("nom_prenom_client", True),
        ("adresse_client", False),
        (("code_postal_client", "ville_client"), True),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if isinstance(name, tuple):
            marker(paragraph, name[0])
            text(paragraph, " ")
            marker(paragraph, name[1], split=split)
        else:
            marker(paragraph, name, split=split, bold=name == "nom_prenom_client")
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    text(paragraph, "Lyon, le ")
    marker(paragraph, "date_du_jour", split=True)
    paragraph = document.add_paragraph()
    text(paragraph, "Objet : ", bold=True)
    marker(paragraph, "objet", bold=True)
    paragraph = document.add_paragraph()
    text(paragraph, "Réf. client : ")
    marker(paragraph, "code_client", split=True)
    text(paragraph, " — Devis n° ")
    marker(paragraph, "reference_devis")
    paragraph = document.add_paragraph()
    marker(paragraph, "civilite_client", split=True)
    text(paragraph, ",")

    for number in range(5):
        paragraph = document.add_paragraph()
        text(paragraph, LOREM.format(visit="2 janvier"))
        if number == 1:
            text(paragraph, "Nous restons à votre disposition, ")
            marker(paragraph, "civilite_client")
            text(paragraph, " ")
            marker(paragraph, "nom_prenom_client", split=True)
            text(paragraph, ", au ")
            marker(paragraph, "telephone_client")
            text(paragraph, " comme à ")
            marker(paragraph, "email_client")
            text(paragraph, ".")

    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ("Désignation", "Qté", "Prix HT"), strict=True
    ):
        cell.paragraphs[0].add_run(title).bold = True
    for row in ROWS:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.paragraphs[0].add_run(value)
    for label, name in (("Total HT", "montant_ht"), ("Total TTC", "montant_ttc")):
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        marker(cells[2].paragraphs[0], name, split=True, bold=True)

    for _number in range(4):
        text(document.add_paragraph(), LOREM.format(visit="2 janvier"))
    paragraph = document.add_paragraph()
    text(paragraph, "Votre interlocuteur : ")
    marker(paragraph, "suivi_par", split=True, bold=True)
    paragraph = document.add_paragraph()
    marker(paragraph, "email_utilisateur")
    text(paragraph, " — ")
    marker(paragraph, "telephone_utilisateur", split=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# === ODT ===
# Built with the test suite's ODF builder (namespaces, paragraphs, tables,
# content/styles parts, package): one description of an .odt for both.


def _fixtures():
    """``tests/docengine/docfixtures.py``, the shared document builder."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from tests.docengine import docfixtures

    return docfixtures


def _odt_marker(kind, name, split=False, bold=False):
    if kind == "py3o":
        return (
            f'<text:user-field-get text:name="py3o.{name}">{name}</text:user-field-get>'
        )
    style = "T1" if bold else "T2"
    if not split:
        return f'<text:span text:style-name="{style}">{_marker(kind, name)}</text:span>'
    first, middle, last = _split_pieces(kind, name)
    return (
        f'<text:span text:style-name="{style}">{first}</text:span>'
        f'<text:span text:style-name="T3">{middle}</text:span>{last}'
    )


def build_odt(kind: str, logo: bytes) -> bytes:
    """The letter as an .odt laid out as LibreOffice writes it."""
    fx = _fixtures()
    p = fx.opara

    def m(name, split=False, bold=False):
        return _odt_marker(kind, name, split, bold)

    body = [
        p(m("nom_prenom_client", True, True), style="P2"),
        p(m("adresse_client"), style="P2"),
        p(m("code_postal_client"), " ", m("ville_client", True), style="P2"),
        p("Lyon, le ", m("date_du_jour", True), style="P2"),
        p(fx.span("Objet : "), m("objet", bold=True)),
        p(
            "Réf. client : ",
            m("code_client", True),
            " — Devis n° ",
            m("reference_devis"),
        ),
        p(m("civilite_client", True), ","),
    ]
    for number in range(5):
        extra = ""
        if number == 1:
            extra = (
                "Nous restons à votre disposition, "
                + m("civilite_client")
                + " "
                + m("nom_prenom_client", True)
                + ", au "
                + m("telephone_client")
                + " comme à "
                + m("email_client")
                + "."
            )
        body.append(p(escape(LOREM.format(visit="2 janvier")), extra))
    rows = [
        [p(escape(value)) for value in row]
        for row in [("Désignation", "Qté", "Prix HT"), *ROWS]
    ]
    for label, name in (("Total HT", "montant_ht"), ("Total TTC", "montant_ttc")):
        rows.append(
            [
                p(fx.span(label)),
                p(),
                p(m(name, True, True)),
            ]
        )
    body.append(fx.otable("Tableau1", rows))
    body += [p(escape(LOREM.format(visit="2 janvier"))) for _ in range(4)]
    body += [
        p("Votre interlocuteur : ", m("suivi_par", True, True)),
        p(m("email_utilisateur"), " — ", m("telephone_utilisateur", True)),
    ]
    decls = ""
    if kind == "py3o":
        decls = (
            "<text:user-field-decls>"
            + "".join(
                '<text:user-field-decl office:value-type="string" '
                f'office:string-value="" text:name="py3o.{name}"/>'
                for name in VALUES
            )
            + "</text:user-field-decls>"
        )
    logo_frame = (
        '<draw:frame draw:name="Logo" text:anchor-type="as-char" svg:width="3.5cm" '
        'svg:height="1.75cm" draw:z-index="0"><draw:image xlink:href='
        '"Pictures/logo.png" xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad"/></draw:frame>   '
    )
    master = (
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        "<style:header>"
        + p(logo_frame, m("nom_societe", True, True), style="Header")
        + p(
            m("adresse_societe"),
            " — Tél. ",
            m("telephone_societe", True),
            style="Header",
        )
        + "</style:header><style:footer>"
        + p(
            "SIRET ",
            m("siret_societe"),
            " — TVA ",
            m("tva_societe", True),
            " — ",
            m("email_societe"),
            style="Footer",
        )
        + "</style:footer></style:master-page>"
    )
    return fx.odt_package(
        fx.odt_content(decls + "".join(body)),
        fx.odt_styles(master),
        {"Pictures/logo.png": logo},
    )


def logo_png() -> bytes:
    """A 400x200 logo, gradient and texture, weighing like a real one (~30 KB)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(image)
    for x in range(400):
        draw.line([(x, 0), (x, 200)], fill=(x % 256, 80, 255 - x % 256))
    texture = Image.effect_noise((160, 120), 60).convert("RGB")
    image.paste(texture, (30, 40))
    draw.ellipse((60, 60, 160, 140), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
