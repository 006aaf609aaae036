from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from ..models.extrabat_letter_send import SENDER_EXPRESSIONS
from .flow_common import LetterFlowCommon, b64, signature_png


@tagged("post_install", "-at_install")
class TestLetterSend(LetterFlowCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.client_contact.id, "user_id": cls.seller.id}
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.client, amounts=[1200.0]
        )
        Attachment = cls.env["ir.attachment"]
        cls.quote_pdf = Attachment.create(
            {
                "name": "Devis piscine.pdf",
                "raw": b"%PDF-1.4 quote",
                "res_model": "sale.order",
                "res_id": cls.order.id,
            }
        )
        cls.invoice_pdf = Attachment.create(
            {
                "name": "Facture.pdf",
                "raw": b"%PDF-1.4 invoice",
                "res_model": "account.move",
                "res_id": cls.invoice.id,
            }
        )
        cls.photo = Attachment.create(
            {
                "name": "Chantier.png",
                "raw": signature_png(),
                "res_model": "res.partner",
                "res_id": cls.client_contact.id,
            }
        )
        cls.notice = Attachment.create(
            {
                "name": "Notice pompe.pdf",
                "raw": b"%PDF-1.4 notice",
                "res_model": "res.partner",
                "res_id": cls.client.id,
            }
        )
        cls.stranger_doc = Attachment.create(
            {
                "name": "Autre client.pdf",
                "raw": b"%PDF-1.4 other",
                "res_model": "res.partner",
                "res_id": cls.other_client.id,
            }
        )

    def _composer(self, action, user=None):
        env = self.env(user=user) if user else self.env
        return Form(env["mail.compose.message"].with_context(**action["context"]))

    def _letter_composer(self, letter, user=None):
        return self._composer(
            letter.with_user(user or self.env.user).action_send_email(), user
        )

    def _record_composer(self, records, user=None):
        return self._composer(
            {
                "context": {
                    "default_model": records._name,
                    "default_res_ids": records.ids,
                    "default_composition_mode": "comment",
                }
            },
            user,
        )

    # === LETTER ===

    def test_letter_email_carries_its_pdf_and_other_client_documents(self):
        letter = self._create_letter(user=self.seller)
        composer_form = self._letter_composer(letter, user=self.seller)
        self.assertEqual(composer_form.extrabat_client_id, self.client)
        self.assertTrue(composer_form.extrabat_attach_client_documents)
        self.assertEqual(
            list(composer_form.extrabat_document_ids.ids),
            letter.pdf_attachment_id.ids,
        )
        self.assertIn(self.client, composer_form.partner_ids[:])
        for document in (self.quote_pdf, self.invoice_pdf, self.photo):
            composer_form.extrabat_document_ids.add(document.with_user(self.seller))
        composer = composer_form.save()
        upload = (
            self.env["ir.attachment"]
            .with_user(self.seller)
            .create(
                {
                    "name": "Plan.pdf",
                    "raw": b"%PDF-1.4 plan",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        composer.attachment_ids |= upload

        with self.mock_mail_gateway():
            composer.action_send_mail()

        expected = letter.pdf_attachment_id | self.quote_pdf | self.invoice_pdf
        expected |= self.photo | upload
        message = letter.message_ids.filtered(lambda m: m.message_type == "comment")
        message = message.filtered("attachment_ids")[:1]
        self.assertEqual(message.attachment_ids, expected)
        self.assertEqual(len(self._mails), 1)
        sent_names = sorted(att[0] for att in self._mails[0]["attachments"])
        self.assertEqual(sent_names, sorted(expected.mapped("name")))
        self.assertEqual(
            self._mails[0]["email_to"],
            ['"Durand Rénovation" <contact@durand-renovation.example.com>'],
        )
        # Client documents are linked, not moved; the upload joins the letter.
        self.assertEqual(
            (letter.pdf_attachment_id.res_model, letter.pdf_attachment_id.res_id),
            ("res.partner", self.client.id),
        )
        self.assertEqual(self.quote_pdf.res_model, "sale.order")
        self.assertEqual((upload.res_model, upload.res_id), (letter._name, letter.id))

    def test_emailed_letter_is_sent_and_logged_on_the_client(self):
        letter = self._create_letter(user=self.seller)
        composer = self._letter_composer(letter, user=self.seller).save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertEqual(letter.state, "sent")
        note = self.client.message_ids.filtered(
            lambda m: letter.name in (m.body or "") and "email" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Durand Rénovation", note.body)
        self.assertEqual(note.attachment_ids, letter.pdf_attachment_id)
        self.assertEqual(note.author_id, self.seller.partner_id)

    def test_letter_emails_come_from_and_are_signed_by_the_sender(self):
        """Emailing a letter or asking for its signature: the email comes
        from the user who sends it and carries their signature, not the
        client's salesperson's."""
        salesperson = new_test_user(
            self.env,
            login="extrabat_letter_salesperson",
            name="Anne Commerciale",
            email="anne@example.com",
            signature="<p>Anne Commerciale, conseillère</p>",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        self.seller.signature = "<p>Luc Vendeur, service clients</p>"
        letter = (
            self.env["extrabat.letter"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.client.id,
                    "template_id": self.template_marker.id,
                    "user_id": salesperson.id,
                }
            )
        )
        letter.action_regenerate()
        self.assertEqual(letter.user_id, salesperson)
        letter = letter.with_user(self.seller)
        for action in (letter.action_send_for_signature(), letter.action_send_email()):
            composer = self._composer(action, user=self.seller).save()
            self.assertEqual(composer.author_id, self.seller.partner_id)
            self.assertIn("luc@example.com", composer.email_from)
            self.assertIn("Luc Vendeur, service clients", composer.body)
            self.assertNotIn("Anne", composer.body)
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertEqual(letter.state, "sent")
        self.assertIn("luc@example.com", self._mails[0]["email_from"])

    def test_templates_of_an_existing_database_are_signed_by_the_sender(self):
        """The templates are not updated by a module update (noupdate): the
        migration to 19.0.1.2.0 replaces the old sender and signature in
        every language and keeps the rest of the text."""
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("extrabat_letters.mail_template_extrabat_letter")
        old_from, new_from = SENDER_EXPRESSIONS[0]
        old_signature, new_signature = SENDER_EXPRESSIONS[1]
        template.email_from = "{{ (" + old_from + ") }}"
        body = template.body_html.replace(new_signature, old_signature)
        template.body_html = body.replace("Hello,", "Good morning,")
        template.with_context(lang="fr_FR").body_html = body.replace(
            "Hello,", "Bonjour,"
        )
        self.assertIn(old_signature, template.with_context(lang="fr_FR").body_html)
        Letter = self.env["extrabat.letter"]
        self.assertEqual(Letter._update_mail_templates_to_sender(), 1)
        self.assertEqual(template.email_from, "{{ (" + new_from + ") }}")
        for lang, greeting in (("en_US", "Good morning,"), ("fr_FR", "Bonjour,")):
            body = template.with_context(lang=lang).body_html
            self.assertIn(greeting, body)
            self.assertIn(new_signature, body)
            self.assertNotIn(old_signature, body)
        self.assertEqual(Letter._update_mail_templates_to_sender(), 0)

    def test_salesperson_cannot_mark_a_letter_sent_with_a_note(self):
        """The composer's context key, sent back by a script with a note or
        a message to nobody, does not move a letter to "sent"."""
        letter = self._create_letter(user=self.seller)
        posting = letter.with_user(self.seller).with_context(mark_letter_as_sent=True)
        with self.mock_mail_gateway():
            posting.message_post(body="note", subtype_xmlid="mail.mt_note")
            posting.message_post(
                body="to nobody",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(letter.state, "draft")
        with self.assertRaises(AccessError):
            letter.with_user(self.seller).write({"state": "sent"})
        self.assertEqual(letter.state, "draft")

    def test_signed_letter_can_be_emailed(self):
        letter = self._create_letter()
        letter._sign(b64(signature_png()), "Paul Durand")
        sha = letter.signed_pdf_sha256
        composer = self._letter_composer(letter).save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.signed_pdf_sha256, sha)

    def test_send_for_signature_emails_the_portal_link(self):
        letter = self._create_letter(user=self.seller)
        action = letter.with_user(self.seller).action_send_for_signature()
        composer = self._composer(action, user=self.seller).save()
        self.assertTrue(letter.access_token)
        self.assertIn(letter.get_portal_url(), composer.body)
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertEqual(letter.state, "draft", "not sent until signed and emailed")
        self.assertIn(f"access_token={letter.access_token}", self._mails[0]["body"])

    def test_signed_letter_is_not_sent_for_signature(self):
        letter = self._create_letter()
        letter._sign(b64(signature_png()), "Paul Durand")
        with self.assertRaises(UserError):
            letter.action_send_for_signature()

    # === ANY EMAIL OF A CLIENT ===

    def test_composer_knows_the_client_of_its_records(self):
        for records in (
            self.client,
            self.client_contact,
            self.order,
            self.invoice,
            self.order | self.order.copy(),
        ):
            composer = self._record_composer(records, user=self.seller)
            self.assertEqual(composer.extrabat_client_id, self.client, records)
        mixed = self.client | self.other_client
        self.assertFalse(self._record_composer(mixed).extrabat_client_id)
        self.assertFalse(
            self._record_composer(self.env.ref("base.main_company")).extrabat_client_id
        )

    def test_order_email_carries_several_client_documents(self):
        composer_form = self._record_composer(self.order, user=self.seller)
        composer_form.partner_ids.add(self.client_contact)
        composer_form.subject = "Vos documents"
        composer_form.extrabat_attach_client_documents = True
        composer_form.extrabat_document_ids.add(self.notice)
        composer_form.extrabat_document_ids.add(self.invoice_pdf)
        composer = composer_form.save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        message = self.order.message_ids.filtered("attachment_ids")[:1]
        self.assertEqual(message.attachment_ids, self.notice | self.invoice_pdf)
        self.assertEqual(
            sorted(att[0] for att in self._mails[0]["attachments"]),
            ["Facture.pdf", "Notice pompe.pdf"],
        )

    def test_documents_are_not_sent_when_the_option_is_off(self):
        composer_form = self._record_composer(self.client)
        composer_form.partner_ids.add(self.client)
        composer_form.subject = "Bonjour"
        composer_form.extrabat_attach_client_documents = True
        composer_form.extrabat_document_ids.add(self.notice)
        composer_form.extrabat_attach_client_documents = False
        composer = composer_form.save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertFalse(self._mails[0]["attachments"])

    def _signed_letter_signature(self):
        """A letter signed on the tablet: its signature image is stored as an
        attachment of the letter's ``signature`` field."""
        letter = self._create_letter(user=self.seller)
        letter.sudo()._sign(b64(signature_png()), "Paul Durand")
        signature = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "extrabat.letter"),
                    ("res_id", "=", letter.id),
                    ("res_field", "=", "signature"),
                ]
            )
        )
        self.assertEqual(len(signature), 1)
        return signature

    def test_signature_image_is_not_offered_as_a_client_document(self):
        signature = self._signed_letter_signature()
        Attachment = self.env["ir.attachment"].with_user(self.seller)
        # The composer's "add" dialog leaves out the documents already
        # picked by id: Odoo then keeps the binary fields' attachments.
        offered = Attachment.search(
            [
                ("extrabat_client_id", "in", self.client.ids),
                ("id", "not in", self.notice.ids),
            ]
        )
        self.assertIn(self.quote_pdf, offered)
        self.assertNotIn(signature, offered)
        self.assertFalse(signature.with_user(self.seller).extrabat_client_id)

    def test_salesperson_cannot_attach_a_signature_image_as_a_client_document(self):
        signature = self._signed_letter_signature()
        composer = self._record_composer(self.client, user=self.seller).save()
        composer.write(
            {
                "subject": "Bonjour",
                "partner_ids": [Command.link(self.client.id)],
                "extrabat_attach_client_documents": True,
                "extrabat_document_ids": [Command.set(signature.ids)],
            }
        )
        with self.mock_mail_gateway(), self.assertRaises(UserError):
            composer.action_send_mail()
        self.assertFalse(self._mails)

    def test_document_of_another_client_is_refused(self):
        composer = self._record_composer(self.client).save()
        composer.write(
            {
                "subject": "Bonjour",
                "partner_ids": [Command.link(self.client.id)],
                "extrabat_attach_client_documents": True,
                "extrabat_document_ids": [
                    Command.set((self.notice | self.stranger_doc).ids)
                ],
            }
        )
        with self.mock_mail_gateway(), self.assertRaises(UserError):
            composer.action_send_mail()
        self.assertFalse(self._mails)

    def test_scheduled_email_keeps_the_client_documents(self):
        composer = self._record_composer(self.client).save()
        composer.write(
            {
                "subject": "Plus tard",
                "partner_ids": [Command.link(self.client.id)],
                "scheduled_date": "2099-01-01 08:00:00",
                "extrabat_attach_client_documents": True,
                "extrabat_document_ids": [Command.set(self.notice.ids)],
            }
        )
        composer.action_schedule_message()
        scheduled = self.env["mail.scheduled.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.client.id)]
        )
        self.assertEqual(scheduled.attachment_ids, self.notice)
        self.assertEqual(
            (self.notice.res_model, self.notice.res_id), ("res.partner", self.client.id)
        )

    def test_letter_list_buttons_open_the_pad_and_the_composer(self):
        letter = self._create_letter(user=self.seller)
        arch = self.env["extrabat.letter"].get_view(view_type="list")["arch"]
        self.assertIn('name="action_send_email"', arch)
        self.assertIn('name="action_sign"', arch)
        self.assertEqual(
            letter.with_user(self.seller).action_sign()["res_model"],
            "extrabat.letter.sign.wizard",
        )

    def test_documents_the_user_cannot_read_are_refused(self):
        no_invoicing = new_test_user(
            self.env,
            login="extrabat_no_invoicing",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        composer = self._record_composer(self.client, user=no_invoicing).save()
        with self.assertRaises(AccessError):
            composer.write(
                {
                    "extrabat_attach_client_documents": True,
                    "extrabat_document_ids": [Command.set(self.invoice_pdf.ids)],
                }
            )
