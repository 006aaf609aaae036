"""Fixtures of the signing / emailing / document folder tests."""

import base64
import io
import zipfile

from PIL import Image

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.extrabat_crm.tests.common import ExtrabatCrmCommon

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"></Relationships>'
)


def docx_bytes(*paragraphs):
    """A minimal Word document, one paragraph per text."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


def signature_png(size=(300, 100)):
    """A drawn signature as the signature pad sends it (PNG)."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    for x in range(20, size[0] - 20):
        image.putpixel((x, size[1] // 2 + (x % 15) - 7), (0, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def b64(data):
    return base64.b64encode(data).decode()


class LetterFlowCommon(ExtrabatCrmCommon):
    """A client with a contact, a Word template with a signature marker and
    one without, a salesperson allowed to sign and send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Durand Rénovation",
                "is_company": True,
                "email": "contact@durand-renovation.example.com",
                "company_id": cls.company.id,
            }
        )
        cls.client_contact = cls.env["res.partner"].create(
            {
                "name": "Paul Durand",
                "parent_id": cls.client.id,
                "email": "paul@durand-renovation.example.com",
            }
        )
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Leroy Piscines", "is_company": True, "email": "leroy@example.com"}
        )
        Template = cls.env["extrabat.letter.template"]
        cls.template_marker = Template.create(
            {
                "name": "Bon pour accord",
                "kind": "file",
                "template_file": b64(
                    docx_bytes(
                        "[data.nom_prenom_client]",
                        "Bon pour accord des travaux.",
                        "[data.signature_client]",
                    )
                ),
                "template_filename": "bon_pour_accord.docx",
            }
        )
        cls.template_plain = Template.create(
            {
                "name": "Relance devis",
                "kind": "file",
                "template_file": b64(
                    docx_bytes("[data.nom_prenom_client]", "Notre devis vous attend.")
                ),
                "template_filename": "relance.docx",
            }
        )
        cls.seller = new_test_user(
            cls.env,
            login="extrabat_letter_seller",
            name="Luc Vendeur",
            email="luc@example.com",
            groups="sales_team.group_sale_salesman,base.group_partner_manager,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _create_letter(cls, template=None, partner=None, user=None):
        env = cls.env(user=user) if user else cls.env
        letter = env["extrabat.letter"].create(
            {
                "partner_id": (partner or cls.client).id,
                "template_id": (template or cls.template_marker).id,
            }
        )
        letter.action_regenerate()
        return letter

    @staticmethod
    def _docx_media(attachment):
        """Pictures embedded in a letter's Word file."""
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as package:
            return [
                package.read(name)
                for name in package.namelist()
                if name.startswith("word/media/")
            ]
