"""Factories of the letters' tests."""

import base64
import io
import zipfile

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools.misc import file_open

#: A 1x1 red PNG, the signature of the tests.
SIGNATURE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def read_fixture(path):
    """Bytes of a file of the addon (``demo/...`` or ``tests/fixtures/...``)."""
    with file_open(f"extrabat_letters/{path}", "rb") as handle:
        return handle.read()


def document_text(data):
    """The text of a .docx or .odt (all its XML parts), to look for values."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [
            name
            for name in archive.namelist()
            if name in ("word/document.xml", "content.xml")
        ]
        return "".join(archive.read(name).decode() for name in names)


def document_media(data):
    """Names of the pictures embedded in a .docx or .odt."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith(("word/media/", "Pictures/"))
        ]


class LettersCommon(TransactionCase):
    """A French company, a salesperson, a letters manager, a French client
    and the three kinds of templates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Chauffage Martin SARL",
                "street": "14 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "phone": "04 72 00 00 00",
                "email": "contact@chauffage-martin.fr",
                "company_registry": "81234567800012",
                "vat": "FR23334175221",
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="letters_salesman",
            name="Paul Martin",
            email="paul.martin@chauffage-martin.fr",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="letters_manager",
            groups="extrabat_letters.extrabat_letters_group_manager",
            company_id=cls.company.id,
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Jean Dupont",
                "extrabat_civility": "mr",
                "street": "12 rue des Lilas",
                "street2": "Bâtiment B",
                "zip": "69100",
                "city": "Villeurbanne",
                "country_id": cls.env.ref("base.fr").id,
                "phone": "06 12 34 56 78",
                "email": "jean.dupont@example.fr",
                "lang": "fr_FR",
                "user_id": cls.salesman.id,
                "ref": "C00042",
            }
        )
        Template = cls.env["extrabat.letter.template"]
        cls.docx_template = Template.create(cls._file_template_vals(
            "Relance", "demo/courrier_relance_devis.docx"
        ))  # fmt: skip
        cls.odt_template = Template.create(cls._file_template_vals(
            "Rendez-vous", "demo/courrier_rendez_vous.odt"
        ))  # fmt: skip
        cls.html_template = Template.create(
            {
                "name": "Bienvenue",
                "kind": "html",
                "header_html": "<p>[data.nom_societe]</p>",
                "body_html": "<p>Bonjour [data.nom_prenom_client],</p>"
                "<p>[data.adresse_client]</p><p>Le [data.date_du_jour]</p>",
                "footer_html": "<p>SIRET [data.siret_societe]</p>",
            }
        )

    @classmethod
    def _file_template_vals(cls, name, path):
        return {
            "name": name,
            "kind": "file",
            "template_file": base64.b64encode(read_fixture(path)),
            "template_filename": path.rsplit("/", 1)[1],
        }

    def _create_letter(self, template, partner=None, **vals):
        """A letter made as in the form: saved, then *Generate*."""
        letter = (
            self.env["extrabat.letter"]
            .with_user(self.salesman)
            .create(
                {
                    "template_id": template.id,
                    "partner_id": (partner or self.client).id,
                    **vals,
                }
            )
        )
        letter.action_regenerate()
        return letter
