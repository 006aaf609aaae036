"""Security audit (issue 13, point 3): letters and the GDPR anonymisation.

Letters are commercial documents: a trashed prospect with letters (its own
or a contact's) is never anonymised by the scheduled action, so that its
signed letters cannot be destroyed by getting it anonymised. When the
anonymisation is asked for partners with letters all the same (server code,
e.g. an erasure request handled by an administrator), the letters' personal
data is erased with theirs, and recorded."""

import base64

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SIGNATURE_PNG, LettersCommon


@tagged("post_install", "-at_install")
class TestLetterGdpr(LettersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="letters_gdpr_seller",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.company.id,
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Jean Oublié", "email": "jean.oublie@example.fr"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Marie Oubliée", "parent_id": cls.prospect.id}
        )
        cls.long_ago = fields.Datetime.now() - relativedelta(months=40)

    def _signed_letter(self, partner):
        letter = self.env["extrabat.letter"].create(
            {"template_id": self.html_template.id, "partner_id": partner.id}
        )
        letter.action_regenerate()
        letter.message_post(body="Rappeler Jean Oublié", subtype_xmlid="mail.mt_note")
        letter._sign(base64.b64encode(SIGNATURE_PNG), "Jean Oublié")
        self.assertEqual(letter.state, "signed")
        self.assertTrue(letter.pdf_attachment_id)
        return letter

    def _trash_long_ago(self, partner):
        """In the trash for 40 months (the server's own bookkeeping)."""
        partner.action_trash()
        partner._internal_write({"trash_date": self.long_ago})

    def test_salesperson_cannot_get_signed_letters_destroyed_by_the_gdpr_cron(self):
        letter = self._signed_letter(self.prospect)
        self.prospect.with_user(self.seller).action_trash()
        with self.assertRaises(AccessError):
            self.prospect.with_user(self.seller).write({"trash_date": self.long_ago})
        # even once the delay is really over, the letter keeps it
        self.prospect._internal_write({"trash_date": self.long_ago})
        candidates = self.env["res.partner"]._get_gdpr_candidates(36)
        self.assertNotIn(self.prospect, candidates)
        self.assertTrue(letter.pdf_attachment_id.raw)
        self.assertEqual(letter.signed_by, "Jean Oublié")

    def test_a_contact_letter_keeps_its_prospect_from_the_anonymisation(self):
        self._create_letter(self.html_template, partner=self.contact)
        self._trash_long_ago(self.prospect)
        candidates = self.env["res.partner"]._get_gdpr_candidates(36)
        self.assertNotIn(self.prospect, candidates)

    def test_a_prospect_without_letters_is_still_anonymised(self):
        self._trash_long_ago(self.prospect)
        candidates = self.env["res.partner"]._get_gdpr_candidates(36)
        self.assertIn(self.prospect, candidates)

    def test_anonymising_erases_the_letters_signature_signer_files_and_chatter(self):
        letter = self._signed_letter(self.contact)
        files = letter.document_attachment_id | letter.pdf_attachment_id
        sha256 = letter.signed_pdf_sha256
        self._trash_long_ago(self.prospect)
        log = self.prospect._extrabat_anonymize()
        self.assertFalse(letter.signature)
        self.assertFalse(letter.signed_by)
        self.assertNotIn("Oubli", letter.name)
        self.assertFalse(files.exists())
        self.assertFalse(letter.pdf_attachment_id or letter.document_attachment_id)
        messages = self.env["mail.message"].search(
            [("model", "=", "extrabat.letter"), ("res_id", "=", letter.id)]
        )
        self.assertFalse(messages)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "extrabat.letter"),
                    ("res_id", "=", letter.id),
                    ("res_field", "=", "signature"),
                ]
            ),
            "the signature image is gone too",
        )
        # what proves that a letter was signed stays (no personal data)
        self.assertEqual(letter.state, "signed")
        self.assertTrue(letter.signed_on)
        self.assertEqual(letter.signed_pdf_sha256, sha256)
        self.assertEqual(log.letter_count, 1)
        self.assertEqual(log.partner_ref, self.prospect.id)
