import base64
import hashlib

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SIGNATURE_PNG, LettersCommon


@tagged("post_install", "-at_install")
class TestLetterSalespersonAccess(LettersCommon):
    """A salesperson without *Contacts / Creation* generates, signs and
    downloads letters: the files are the client's attachments, created as
    superuser once the checks on the letter have passed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.company_id = cls.company
        cls.outsider = new_test_user(
            cls.env,
            login="letters_outsider",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env["res.company"].create({"name": "Autre société"}).id,
        )

    def _download(self, attachment, user):
        """What ``/web/content/<id>`` does for ``user``."""
        IrBinary = self.env["ir.binary"].with_user(user)
        record = IrBinary._find_record(res_model="ir.attachment", res_id=attachment.id)
        return record.raw

    def _sign_with_wizard(self, letter, user):
        action = letter.with_user(user).action_sign()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.signer_name = "Jean Dupont"
        form.signature = base64.b64encode(SIGNATURE_PNG)
        return form.save().action_sign()

    def test_salesperson_without_partner_rights_generates_signs_downloads(self):
        salesman = self.salesman
        self.assertFalse(salesman.has_group("base.group_partner_manager"))
        # the client is not writable for them: only the letter is
        with self.assertRaises(AccessError):
            self.client.with_user(salesman).write({"name": "Autre nom"})
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(salesman).create(
                {
                    "name": "essai.txt",
                    "raw": b"essai",
                    "res_model": "res.partner",
                    "res_id": self.client.id,
                }
            )

        letter = self._create_letter(self.docx_template)
        self.assertEqual(letter.env.user, salesman)
        self.assertEqual(letter.pdf_state, "done")
        files = letter.document_attachment_id | letter.pdf_attachment_id
        self.assertEqual(len(files), 2)
        for attachment in files.sudo():
            self.assertEqual(
                (attachment.res_model, attachment.res_id),
                ("res.partner", self.client.id),
            )
            self.assertEqual(attachment.company_id, self.company)
            self.assertEqual(attachment.extrabat_folder, "courriers")
        # regenerating replaces the files in place
        letter.action_regenerate()
        self.assertEqual(
            letter.document_attachment_id | letter.pdf_attachment_id, files
        )

        self._sign_with_wizard(letter, salesman)
        self.assertEqual(letter.state, "signed")
        pdf = self._download(letter.pdf_attachment_id, salesman)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), letter.signed_pdf_sha256)
        self.assertTrue(
            self._download(letter.document_attachment_id, salesman).startswith(b"PK")
        )
        self.assertIn(
            f"/web/content/{letter.pdf_attachment_id.id}",
            letter.action_open_pdf()["url"],
        )
        # the client's folder lists them for the salesperson
        documents = (
            self.env["ir.attachment"]
            .with_user(salesman)
            .search(self.client._extrabat_documents_domain())
        )
        self.assertLessEqual(files, documents)
        # the signature is logged on the client with the signed PDF
        message = self.client.message_ids.filtered(
            lambda m: letter.pdf_attachment_id in m.attachment_ids
        )
        self.assertEqual(len(message), 1)

        # and they email it
        action = letter.with_user(salesman).action_send_email()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(salesman)
            .with_context(**action["context"])
        ).save()
        composer.action_send_mail()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.pdf_attachment_id.res_id, self.client.id)

    def test_user_of_another_company_cannot(self):
        letter = self._create_letter(self.html_template)
        pdf = letter.pdf_attachment_id
        self.assertTrue(pdf)
        outsider = self.outsider
        with self.assertRaises(AccessError):
            self._download(pdf, outsider)
        with self.assertRaises(AccessError):
            pdf.with_user(outsider).raw  # noqa: B018
        with self.assertRaises(AccessError):
            letter.with_user(outsider).action_sign()
        with self.assertRaises(AccessError):
            letter.with_user(outsider).action_regenerate()
        Letter = self.env["extrabat.letter"].with_user(outsider)
        for vals in ({"company_id": self.company.id}, {}):
            with self.assertRaises(AccessError):
                Letter.create(
                    {
                        "template_id": self.html_template.id,
                        "partner_id": self.client.id,
                        **vals,
                    }
                )
        self.assertEqual(
            self.env["extrabat.letter"].search_count(
                [("partner_id", "=", self.client.id)]
            ),
            1,
        )
