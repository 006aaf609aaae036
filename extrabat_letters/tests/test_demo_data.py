"""The demo data reads well: the files of ``demo/`` are checked without
installing the demo data (tests never rely on it)."""

import base64
import io
import re

from lxml import etree
from PIL import Image

from odoo.tests import tagged
from odoo.tools.convert import convert_file
from odoo.tools.misc import file_open, file_path

from .common import LettersCommon, document_text

#: Where a paragraph ends, in a .docx, an .odt and an editor letter.
PARAGRAPH_END = re.compile(r"</w:p>|</text:p>|</text:h>|</p>|<br\s*/?>")


def paragraphs(markup):
    """The text of each paragraph of ``markup`` (tags removed, spaces
    collapsed)."""
    texts = (re.sub(r"<[^>]+>", "", part) for part in PARAGRAPH_END.split(markup))
    return [" ".join(text.split()) for text in texts]


def demo_editor_template_values():
    """The values of the demo editor template, read from its XML file."""
    tree = etree.parse(
        file_path("extrabat_letters/demo/extrabat_letter_template_demo.xml")
    )
    record = tree.find("record[@id='extrabat_letter_template_demo_editor']")
    values = {"name": "Demo editor letter", "kind": "html"}
    for name in ("header_html", "body_html", "footer_html"):
        field = record.find(f"field[@name='{name}']")
        values[name] = (field.text or "") + "".join(
            etree.tostring(child, encoding="unicode") for child in field
        )
    return values


@tagged("post_install", "-at_install")
class TestDemoData(LettersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company: it has no civility
        cls.company_client = cls.env["res.partner"].create(
            {
                "name": "Durand Rénovation",
                "is_company": True,
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "lang": "fr_FR",
            }
        )
        cls.demo_html_template = cls.env["extrabat.letter.template"].create(
            demo_editor_template_values()
        )

    def assertReadsWell(self, markup):
        texts = paragraphs(markup)
        self.assertIn("Madame, Monsieur,", texts)
        for text in texts:
            self.assertNotRegex(text, r"^[,;.]|,\s*,", f"in {texts}")

    def test_demo_letters_read_well_for_a_client_without_civility(self):
        """No ", ," nor a line starting with a comma when the client has no
        civility: the demo letters greet with "Madame, Monsieur"."""
        for template in (self.docx_template, self.odt_template):
            letter = self._create_letter(template, partner=self.company_client)
            with self.subTest(template=template.name):
                self.assertReadsWell(document_text(letter.document_attachment_id.raw))
        letter = self._create_letter(
            self.demo_html_template, partner=self.company_client
        )
        # under tests Odoo's report engine gives the HTML, not a PDF
        self.assertReadsWell(letter.pdf_attachment_id.raw.decode())

    def test_demo_company_has_a_logo(self):
        """The demo data gives the company a logo of its own: letters print
        it, not Odoo's "Your logo" placeholder. (The French demo company is
        skipped when l10n_fr's demo data is not installed, as here.)"""
        with file_open("extrabat_crm/demo/res_company_logo.png", "rb") as handle:
            logo = handle.read()
        with file_open("base/static/img/res_company_logo.png", "rb") as handle:
            placeholder = handle.read()
        self.assertNotEqual(logo, placeholder)
        self.assertEqual(Image.open(io.BytesIO(logo)).format, "PNG")
        company = self.env.ref("base.main_company")
        convert_file(
            self.env,
            "extrabat_crm",
            "demo/res_company_demo.xml",
            {},
            mode="init",
            noupdate=True,
        )
        self.assertEqual(base64.b64decode(company.logo), logo)
        letter = self._create_letter(self.html_template).with_company(company)
        letter.company_id = company
        parts = letter._get_html_parts()
        self.assertEqual(
            parts["logo"], "data:image/png;base64," + base64.b64encode(logo).decode()
        )
