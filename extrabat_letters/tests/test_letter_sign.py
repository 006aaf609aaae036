import base64
import hashlib

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .flow_common import LetterFlowCommon, b64, signature_png


@tagged("post_install", "-at_install")
class TestLetterSign(LetterFlowCommon):
    def _sign_with_wizard(self, letter, user=None, name="Paul Durand", image=None):
        letter = letter.with_user(user) if user else letter
        action = letter.action_sign()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.env.user)
            .with_context(**action["context"])
        )
        wizard_form.signer_name = name
        wizard_form.signature = b64(image or signature_png())
        wizard = wizard_form.save()
        return wizard.action_sign()

    def test_salesperson_signs_on_the_tablet(self):
        letter = self._create_letter(user=self.seller)
        self.assertEqual(letter.pdf_state, "done")
        unsigned_pdf = letter.pdf_attachment_id.raw
        png = signature_png()

        self._sign_with_wizard(letter, user=self.seller, image=png)

        self.assertEqual(letter.state, "signed")
        self.assertEqual(letter.signed_by, "Paul Durand")
        self.assertTrue(letter.signed_on)
        self.assertEqual(base64.b64decode(letter.signature), png)
        signed_pdf = letter.pdf_attachment_id.raw
        self.assertTrue(signed_pdf.startswith(b"%PDF"))
        self.assertNotEqual(signed_pdf, unsigned_pdf, "the PDF is regenerated")
        # The signature is where the template's [data.signature_client] was.
        self.assertIn(png, self._docx_media(letter.document_attachment_id))

    def test_signed_pdf_fingerprint_is_its_sha256(self):
        letter = self._create_letter()
        self._sign_with_wizard(letter)
        self.assertEqual(
            letter.signed_pdf_sha256,
            hashlib.sha256(letter.pdf_attachment_id.raw).hexdigest(),
        )
        self.assertEqual(len(letter.signed_pdf_sha256), 64)

    def test_signature_goes_after_the_text_without_marker(self):
        letter = self._create_letter(template=self.template_plain)
        self.assertEqual(self._docx_media(letter.document_attachment_id), [])
        png = signature_png((200, 80))
        self._sign_with_wizard(letter, image=png)
        self.assertIn(png, self._docx_media(letter.document_attachment_id))

    def test_signature_is_logged_on_the_client_with_the_pdf(self):
        # the seller sees their own letters only (Own Documents Only)
        letter = self._create_letter(user=self.seller)
        self._sign_with_wizard(letter, user=self.seller)
        note = self.client.message_ids[:1]
        self.assertIn("Paul Durand", note.body)
        self.assertIn(letter.signed_pdf_sha256, note.body)
        self.assertEqual(note.attachment_ids, letter.pdf_attachment_id)
        self.assertEqual(note.author_id, self.seller.partner_id)

    def test_signed_letter_cannot_be_edited(self):
        letter = self._create_letter()
        self._sign_with_wizard(letter)
        with self.assertRaises(UserError):
            letter.with_user(self.seller).write({"name": "Autre courrier"})
        with self.assertRaises(UserError):
            letter.with_user(self.seller).write({"signed_by": "Quelqu'un d'autre"})
        self.assertEqual(letter.signed_by, "Paul Durand")

    def test_signed_letter_cannot_be_signed_again(self):
        letter = self._create_letter()
        self._sign_with_wizard(letter)
        sha = letter.signed_pdf_sha256
        with self.assertRaises(UserError):
            letter.action_sign()
        with self.assertRaises(UserError):
            letter._sign(b64(signature_png()), "Autre signataire")
        self.assertEqual(
            (letter.signed_by, letter.signed_pdf_sha256), ("Paul Durand", sha)
        )

    def test_bad_signature_image_is_refused_and_nothing_is_written(self):
        letter = self._create_letter()
        pdf = letter.pdf_attachment_id.raw
        for bad in (b64(b"<svg/>"), "%%%", "", b64(b"GIF89a" + b"\0" * 30)):
            with self.assertRaises(UserError):
                letter._sign(bad, "Paul Durand")
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.signature or letter.signed_on or letter.signed_by)
        self.assertEqual(letter.pdf_attachment_id.raw, pdf)

    def test_signer_name_is_required(self):
        letter = self._create_letter()
        with self.assertRaises(UserError):
            letter._sign(b64(signature_png()), "   ")
        with self.assertRaises(UserError):
            letter._sign(b64(signature_png()), "x" * 200)
        self.assertFalse(letter.signed_on)

    def test_letter_without_pdf_cannot_be_signed(self):
        letter = self.env["extrabat.letter"].create(
            {"partner_id": self.client.id, "template_id": self.template_marker.id}
        )
        with self.assertRaises(UserError):
            letter.action_sign()

    def test_editor_letter_is_signed_too(self):
        template = self.env["extrabat.letter.template"].create(
            {
                "name": "Accord (éditeur)",
                "kind": "html",
                "body_html": "<p>Bonjour [data.nom_prenom_client],</p>",
            }
        )
        letter = self._create_letter(template=template)
        self.assertEqual(letter.pdf_state, "done")
        png = signature_png()
        self._sign_with_wizard(letter, image=png)
        self.assertEqual(letter.state, "signed")
        self.assertEqual(
            letter.signed_pdf_sha256,
            hashlib.sha256(letter.pdf_attachment_id.raw).hexdigest(),
        )
        # No marker in the body: the signature is printed after it.
        self.assertIn(b64(png), letter._get_html_parts()["signature"])

    # --- the sign dialog on a tablet or a phone (issue 14, point 5) ---

    def test_sign_is_the_first_button_of_a_draft_letter(self):
        """On a phone, Odoo shows the first visible header button and puts
        the others under ⋮: Sign comes before Regenerate."""
        arch = etree.fromstring(
            self.env["extrabat.letter"].get_view(view_type="form")["arch"]
        )
        names = [button.get("name") for button in arch.xpath("//header/button")]
        self.assertEqual(names[0], "action_sign")
        self.assertLess(names.index("action_sign"), names.index("action_regenerate"))

    def test_sign_dialog_has_the_pad_and_the_pdf_shown(self):
        arch = etree.fromstring(
            self.env["extrabat.letter.sign.wizard"].get_view(view_type="form")["arch"]
        )
        (pad,) = arch.xpath("//field[@name='signature']")
        self.assertEqual(pad.get("widget"), "extrabat_letter_sign_pad")
        self.assertTrue(arch.xpath("//field[@name='pdf_sha256'][@force_save='1']"))
        self.assertEqual(
            arch.xpath("//footer/button[contains(@class, 'btn-primary')]/@name"),
            ["action_sign"],
        )
