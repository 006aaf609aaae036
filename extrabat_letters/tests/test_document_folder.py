import io
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .flow_common import LetterFlowCommon, b64, signature_png


def report_pdf():
    """What wkhtmltopdf returns for a one-page report (a real PDF)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Report")
    page.save()
    return buffer.getvalue()


def rendering_reports():
    """Reports rendered as PDF in a test (Odoo renders HTML in tests unless
    ``force_report_rendering``). Only the wkhtmltopdf process is replaced:
    run inside a test (it loads the report's assets over HTTP from the test
    server) it hung in our runs."""
    pdf = report_pdf()
    return patch.object(
        IrActionsReport, "_run_wkhtmltopdf", new=lambda *args, **kwargs: pdf
    )


@tagged("post_install", "-at_install")
class TestDocumentFolder(LetterFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Attachment = cls.env["ir.attachment"]
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.client.id, "user_id": cls.seller.id}
        )
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.client, amounts=[80.0]
        )
        cls.letter = cls._create_letter(template=cls.template_plain)
        cls.docs = {
            "quote": Attachment.create(
                {
                    "name": "Devis.pdf",
                    "raw": b"%PDF-1.4 q",
                    "res_model": "sale.order",
                    "res_id": cls.order.id,
                }
            ),
            "invoice": Attachment.create(
                {
                    "name": "Facture.pdf",
                    "raw": b"%PDF-1.4 i",
                    "res_model": "account.move",
                    "res_id": cls.invoice.id,
                }
            ),
            "photo": Attachment.create(
                {
                    "name": "Chantier.png",
                    "raw": signature_png(),
                    "res_model": "res.partner",
                    "res_id": cls.client_contact.id,
                }
            ),
            "other": Attachment.create(
                {
                    "name": "Notice.txt",
                    "raw": b"notice",
                    "res_model": "res.partner",
                    "res_id": cls.client.id,
                }
            ),
            "letter_chatter": Attachment.create(
                {
                    "name": "Accuse.txt",
                    "raw": b"ok",
                    "res_model": "extrabat.letter",
                    "res_id": cls.letter.id,
                }
            ),
        }
        cls.stranger = Attachment.create(
            {
                "name": "Autre.pdf",
                "raw": b"%PDF-1.4 o",
                "res_model": "res.partner",
                "res_id": cls.other_client.id,
            }
        )

    def _folder(self, partner=None, user=None):
        partner = (partner or self.client).with_user(user or self.env.user)
        action = partner.action_view_extrabat_documents()
        return (
            self.env["ir.attachment"]
            .with_user(user or self.env.user)
            .search(action["domain"])
        )

    def test_folder_holds_every_document_of_the_client(self):
        documents = self._folder()
        expected = self.env["ir.attachment"].union(*self.docs.values())
        expected |= self.letter.document_attachment_id | self.letter.pdf_attachment_id
        self.assertEqual(documents, expected)
        self.assertNotIn(self.stranger, documents)
        # The same folder from a contact of the client.
        self.assertEqual(self._folder(self.client_contact), documents)
        self.assertEqual(self.client.extrabat_document_count, len(expected))
        self.assertEqual(self.client_contact.extrabat_document_count, len(expected))
        self.assertEqual(self.other_client.extrabat_document_count, 1)

    def test_folder_is_grouped_by_folder(self):
        action = self.client.action_view_extrabat_documents()
        self.assertEqual(
            action["context"]["search_default_group_by_extrabat_folder"], 1
        )
        groups = self.env["ir.attachment"]._read_group(
            action["domain"], ["extrabat_folder"], ["__count"]
        )
        self.assertEqual(
            dict(groups),
            {"courriers": 2, "devis": 1, "factures": 1, "photos": 1, "autres": 2},
        )

    def test_field_binaries_of_the_client_are_not_documents(self):
        self.client.image_1920 = b64(signature_png())
        self.assertNotIn(
            "res.partner,image_1920",
            {f"{a.res_model},{a.res_field}" for a in self._folder()},
        )
        self.assertEqual(len(self._folder()), 7)

    def test_upload_files_into_a_folder(self):
        uploads = (
            self.env["ir.attachment"]
            .with_user(self.seller)
            .create(
                [
                    {
                        "name": name,
                        "raw": raw,
                        "res_model": "extrabat.document.upload",
                        "res_id": 0,
                    }
                    for name, raw in (("Mur.png", signature_png()), ("Sol.jpg", b"x"))
                ]
            )
        )
        action = self.client.with_user(self.seller).action_view_extrabat_documents()
        wizard_form = Form(
            self.env["extrabat.document.upload"]
            .with_user(self.seller)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard_form.partner_id, self.client)
        wizard_form.extrabat_folder = "photos"
        for upload in uploads:
            wizard_form.attachment_ids.add(upload)
        wizard_form.save().action_upload()
        for upload in uploads:
            self.assertEqual(
                (upload.res_model, upload.res_id, upload.extrabat_folder),
                ("res.partner", self.client.id, "photos"),
            )
        self.assertLessEqual(uploads, self._folder(user=self.seller))

    def test_upload_from_a_contact_goes_to_the_client(self):
        upload = self.env["ir.attachment"].create(
            {"name": "a.txt", "raw": b"a", "res_model": "extrabat.document.upload"}
        )
        wizard = self.env["extrabat.document.upload"].create(
            {
                "partner_id": self.client_contact.id,
                "attachment_ids": [Command.set(upload.ids)],
            }
        )
        wizard.action_upload()
        self.assertEqual(
            (upload.res_id, upload.extrabat_folder), (self.client.id, "autres")
        )

    def test_upload_does_not_move_files_of_others(self):
        wizard = (
            self.env["extrabat.document.upload"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.client.id,
                    "attachment_ids": [Command.set(self.stranger.ids)],
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_upload()
        self.assertEqual(self.stranger.res_id, self.other_client.id)

    def test_user_sees_only_the_documents_they_may_read(self):
        # A salesperson without invoicing rights does not see invoices'
        # files; one restricted to their own orders does not see the
        # orders of others.
        own_orders_only = new_test_user(
            self.env,
            login="extrabat_own_orders",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        documents = self._folder(user=own_orders_only)
        self.assertNotIn(self.docs["invoice"], documents)
        self.assertNotIn(self.docs["quote"], documents)
        self.assertIn(self.docs["photo"], documents)
        # nor the files of letters they neither follow nor wrote (issue 13)
        self.assertTrue(self.letter.user_id)
        self.assertNotEqual(self.letter.user_id, own_orders_only)
        self.assertNotIn(self.letter.pdf_attachment_id, documents)

    def test_documents_of_another_company_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Autre société"})
        foreign_client = self.env["res.partner"].create(
            {"name": "Client B", "company_id": other_company.id}
        )
        foreign_doc = self.env["ir.attachment"].create(
            {
                "name": "B.pdf",
                "raw": b"%PDF b",
                "res_model": "res.partner",
                "res_id": foreign_client.id,
            }
        )
        Attachment = self.env["ir.attachment"].with_user(self.seller)
        self.assertFalse(
            Attachment.search([("extrabat_client_id", "in", foreign_client.ids)])
        )
        self.assertEqual(
            self.env["ir.attachment"].search(
                [("extrabat_client_id", "in", foreign_client.ids)]
            ),
            foreign_doc,
        )

    def test_client_of_each_attachment(self):
        for document in self.docs.values():
            self.assertEqual(document.extrabat_client_id, self.client, document.name)
        self.assertEqual(self.stranger.extrabat_client_id, self.other_client)
        by_name = self.env["ir.attachment"].search(
            [("extrabat_client_id.name", "=", "Durand Rénovation")]
        )
        self.assertEqual(by_name, self._folder())

    # === The folder opened from its URL (issue 14, point 7) ===

    def _run_folder_url(self, user, context):
        """The folder as the web client rebuilds it from its URL: the server
        action of the URL's path, run with the URL's ``active_id``."""
        server_action = self.env.ref(
            "extrabat_letters.res_partner_action_server_client_documents"
        )
        return server_action.with_user(user).with_context(**context).run()

    def test_folder_url_names_the_client(self):
        action = self.client.with_user(self.seller).action_view_extrabat_documents()
        self.assertEqual(action["path"], "client-documents")
        self.assertEqual(action["context"]["active_id"], self.client.id)

    def test_folder_reopens_from_its_url(self):
        # A new tab has no context but the URL's active_id (a contact here).
        action = self._run_folder_url(
            self.seller,
            {
                "active_id": self.client_contact.id,
                "active_ids": [self.client_contact.id],
            },
        )
        documents = (
            self.env["ir.attachment"].with_user(self.seller).search(action["domain"])
        )
        self.assertEqual(documents, self._folder(user=self.seller))
        self.assertIn(self.docs["photo"], documents)
        self.assertEqual(action["context"]["extrabat_client_id"], self.client.id)

    def test_folder_url_without_a_client_is_refused(self):
        for context in ({}, {"active_id": self.order.id, "active_model": "sale.order"}):
            with self.subTest(context=context), self.assertRaises(UserError):
                self._run_folder_url(self.seller, context)

    # === Quotes and invoices without a PDF yet (issue 14, point 7) ===

    @rendering_reports()
    def test_quotes_and_invoices_get_their_pdf_in_the_folder(self):
        quote = self._create_quote(self.client_contact, user_id=self.seller.id)
        invoice = self._create_invoice(self.client, post=True)
        seller = self.client.with_user(self.seller).with_context(
            force_report_rendering=True
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", quote.id)]
            )
        )
        documents = (
            self.env["ir.attachment"]
            .with_user(self.seller)
            .search(seller.action_view_extrabat_documents()["domain"])
        )
        quote_pdf = documents.filtered(lambda a: a.res_id == quote.id)
        invoice_pdf = documents.filtered(
            lambda a: a.res_model == "account.move" and a.res_id == invoice.id
        )
        self.assertEqual(len(quote_pdf), 1)
        self.assertEqual(
            (quote_pdf.res_model, quote_pdf.extrabat_folder, quote_pdf.mimetype),
            ("sale.order", "devis", "application/pdf"),
        )
        self.assertTrue(quote_pdf.raw.startswith(b"%PDF"))
        self.assertIn(quote.name, quote_pdf.name)
        # The invoice's PDF is its legal document, as Odoo makes it when
        # sending; the invoice is not marked sent for all that.
        self.assertEqual(invoice_pdf, invoice.invoice_pdf_report_id)
        self.assertEqual(invoice_pdf.extrabat_folder, "factures")
        self.assertFalse(invoice.is_move_sent)
        # made once
        self.assertFalse(seller._extrabat_render_missing_pdfs())
        self.assertEqual(
            self.env["ir.attachment"]
            .with_user(self.seller)
            .search(seller.action_view_extrabat_documents()["domain"]),
            documents,
        )

    @rendering_reports()
    def test_only_records_the_user_may_read_get_a_pdf(self):
        # A salesperson who sees their own orders only, in their company
        # only: only their own quote of the company gets a PDF.
        shared_client = self.env["res.partner"].create({"name": "Client partagé"})
        other_company = self.env["res.company"].create({"name": "Autre société"})
        own_orders_only = new_test_user(
            self.env,
            login="extrabat_own_orders_pdf",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        own_quote = self._create_quote(shared_client, user_id=own_orders_only.id)
        self._create_quote(shared_client, user_id=self.seller.id)
        self.env["sale.order"].create(
            {
                "partner_id": shared_client.id,
                "company_id": other_company.id,
                "user_id": own_orders_only.id,
            }
        )
        rendered = (
            shared_client.with_user(own_orders_only)
            .with_context(force_report_rendering=True)
            ._extrabat_render_missing_pdfs()
        )
        self.assertEqual(
            [(a.res_model, a.res_id) for a in rendered], [("sale.order", own_quote.id)]
        )

    def test_user_who_may_not_read_quotes_renders_nothing(self):
        employee = new_test_user(
            self.env,
            login="extrabat_employee_pdf",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self._create_quote(self.client, user_id=self.seller.id)
        self.assertFalse(
            self.client.with_user(employee)._extrabat_render_missing_pdfs()
        )
