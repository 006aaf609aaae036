import base64
import os
from unittest.mock import patch

from odoo.tests import tagged

from .common import SIGNATURE_PNG, LettersCommon


@tagged("post_install", "-at_install")
class TestAttachmentFolder(LettersCommon):
    def _attach(self, **vals):
        return self.env["ir.attachment"].create(
            {"name": "fichier", "raw": b"contenu", **vals}
        )

    def test_folder_is_guessed_from_the_document(self):
        order = self._attach(res_model="sale.order", res_id=1)
        invoice = self._attach(res_model="account.move", res_id=1)
        photo = self._attach(
            name="chantier.png",
            raw=SIGNATURE_PNG,
            res_model="res.partner",
            res_id=self.client.id,
        )
        other = self._attach(res_model="res.partner", res_id=self.client.id)
        self.assertEqual(order.extrabat_folder, "devis")
        self.assertEqual(invoice.extrabat_folder, "factures")
        self.assertEqual(photo.mimetype, "image/png")
        self.assertEqual(photo.extrabat_folder, "photos")
        self.assertEqual(other.extrabat_folder, "autres")

    def test_chosen_folder_is_kept(self):
        attachment = self._attach(
            name="courrier.pdf",
            res_model="res.partner",
            res_id=self.client.id,
            extrabat_folder="courriers",
        )
        self.assertEqual(attachment.extrabat_folder, "courriers")
        attachment.write({"raw": base64.b64decode(base64.b64encode(SIGNATURE_PNG))})
        self.assertEqual(attachment.extrabat_folder, "courriers")
        attachment.extrabat_folder = "photos"  # the user may file it elsewhere
        self.assertEqual(attachment.extrabat_folder, "photos")


@tagged("post_install", "-at_install")
class TestPdfFailure(LettersCommon):
    def test_a_failed_conversion_is_shown_on_the_letter(self):
        # LibreOffice "installed" but failing: the document is kept, the PDF
        # is marked failed with LibreOffice's reason, in the user's language
        with patch.dict(os.environ, {"EXTRABAT_SOFFICE": "/bin/false"}):
            letter = self._create_letter(self.odt_template).with_context(lang="fr_FR")
        self.assertTrue(letter.document_attachment_id)
        self.assertFalse(letter.pdf_attachment_id)
        self.assertEqual(letter.pdf_state, "error")
        self.assertTrue(letter.generation_error)
        # once LibreOffice works again, regenerating makes the PDF
        letter.action_regenerate()
        self.assertEqual(letter.pdf_state, "done")
        self.assertFalse(letter.generation_error)
        self.assertTrue(letter.pdf_attachment_id.raw.startswith(b"%PDF"))
