"""Security audit (issue 13): attacks of low-privilege users over RPC,
reproduced with the user's environment (what ``create``/``write``/``unlink``
and the actions do when called by JSON-RPC)."""

import base64
import hashlib
import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..models.extrabat_letter import SERVER_WRITE, SERVER_WRITE_KEY
from .common import SIGNATURE_PNG, LettersCommon


@tagged("post_install", "-at_install")
class TestLetterSecurity(LettersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.company_id = cls.company
        cls.other_company = cls.env["res.company"].create({"name": "Autre société"})
        cls.foreign_client = cls.env["res.partner"].create(
            {"name": "Client étranger", "company_id": cls.other_company.id}
        )
        # A file of another company's client: what the attacker points at.
        cls.foreign_file = cls.env["ir.attachment"].create(
            {
                "name": "confidentiel.pdf",
                "raw": b"%PDF-1.4 secret of another company",
                "res_model": "res.partner",
                "res_id": cls.foreign_client.id,
                "company_id": cls.other_company.id,
            }
        )
        # Another file of the same client, uploaded by hand.
        cls.client_file = cls.env["ir.attachment"].create(
            {
                "name": "devis-signe.pdf",
                "raw": b"%PDF-1.4 the client's own quote",
                "res_model": "res.partner",
                "res_id": cls.client.id,
                "company_id": cls.company.id,
            }
        )
        cls.editor = new_test_user(
            cls.env,
            login="letters_partner_editor",
            groups="sales_team.group_sale_salesman_all_leads,"
            "base.group_partner_manager",
            company_id=cls.company.id,
        )

    def _sign(self, letter, user=None):
        user = user or self.salesman
        action = letter.with_user(user).action_sign()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.signer_name = "Jean Dupont"
        form.signature = base64.b64encode(SIGNATURE_PNG)
        form.save().action_sign()
        return letter

    def _poison(self, letter, attachment, field="pdf_attachment_id"):
        """What an attacker could store before the fix (or a bad import)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE extrabat_letter SET %s = %s WHERE id = %s",
                SQL.identifier(field),
                attachment.id,
                letter.id,
            )
        )
        letter.invalidate_recordset()

    # --- 1. a letter only ever touches its own files ---

    def test_salesperson_cannot_point_letter_at_foreign_attachment(self):
        letter = self._create_letter(self.html_template)
        for field in ("pdf_attachment_id", "document_attachment_id"):
            for target in (self.foreign_file, self.client_file):
                with self.assertRaises(AccessError):
                    letter.write({field: target.id})
        letter.invalidate_recordset()
        self.assertNotIn(
            letter.pdf_attachment_id | letter.document_attachment_id,
            self.foreign_file | self.client_file,
        )

    def test_salesperson_cannot_create_letter_with_technical_fields(self):
        Letter = self.env["extrabat.letter"].with_user(self.salesman)
        base = {"template_id": self.html_template.id, "partner_id": self.client.id}
        for vals in (
            {"pdf_attachment_id": self.foreign_file.id},
            {"document_attachment_id": self.client_file.id},
            {"state": "signed"},
            {"pdf_state": "done"},
            {"generation_error": "x"},
            {"signature": base64.b64encode(SIGNATURE_PNG)},
            {"signed_by": "Quelqu'un"},
            {"signed_on": "2025-01-01 10:00:00"},
            {"signed_pdf_sha256": "0" * 64},
            {"access_token": "known-token"},
        ):
            with self.subTest(vals=list(vals)), self.assertRaises(AccessError):
                Letter.create({**base, **vals})
        # defaults sent in the context are client data too
        letter = Letter.with_context(
            default_state="signed",
            default_pdf_attachment_id=self.foreign_file.id,
            default_access_token="known-token",
        ).create(base)
        self.assertEqual(letter.state, "draft")
        self.assertNotEqual(letter.pdf_attachment_id, self.foreign_file)
        self.assertNotEqual(letter.access_token, "known-token")

    def test_salesperson_cannot_slip_technical_fields_in_as_saved_defaults(self):
        # any user may save defaults for themselves (ir.default over RPC);
        # create() adds them after its own checks
        IrDefault = self.env["ir.default"].with_user(self.salesman)
        IrDefault.set("extrabat.letter", "state", "signed", user_id=True)
        IrDefault.set("extrabat.letter", "signed_by", "Le client", user_id=True)
        IrDefault.set("extrabat.letter", "access_token", "known-token", user_id=True)
        letter = (
            self.env["extrabat.letter"]
            .with_user(self.salesman)
            .create(
                {"template_id": self.html_template.id, "partner_id": self.client.id}
            )
        )
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.signed_by)
        self.assertNotEqual(letter.access_token, "known-token")

    def test_salesperson_cannot_write_technical_fields_of_a_letter(self):
        letter = self._create_letter(self.html_template)
        for vals in (
            {"state": "signed"},
            {"state": "sent"},
            {"pdf_state": "error"},
            {"generation_error": "x"},
            {"signature": base64.b64encode(SIGNATURE_PNG)},
            {"signed_by": "Quelqu'un"},
            {"signed_on": "2025-01-01 10:00:00"},
            {"signed_pdf_sha256": "0" * 64},
            {"access_token": "known-token"},
        ):
            with self.subTest(vals=list(vals)), self.assertRaises(AccessError):
                letter.write(vals)
        # the client flag of old unlocks nothing
        with self.assertRaises(AccessError):
            letter.with_context(extrabat_letter_signing=True).write({"state": "signed"})

    def test_regenerate_never_overwrites_a_foreign_attachment(self):
        letter = self._create_letter(self.html_template)
        own_pdf = letter.pdf_attachment_id
        self._poison(letter, self.foreign_file)
        letter.with_user(self.salesman).action_regenerate()
        self.assertEqual(self.foreign_file.raw, b"%PDF-1.4 secret of another company")
        self.assertEqual(self.foreign_file.res_id, self.foreign_client.id)
        self.assertNotEqual(letter.pdf_attachment_id, self.foreign_file)
        self.assertEqual(letter.pdf_attachment_id.sudo().extrabat_letter_id, letter)
        self.assertNotEqual(letter.pdf_attachment_id, own_pdf)

    def test_deleting_a_letter_never_deletes_a_foreign_attachment(self):
        letter = self._create_letter(self.odt_template)
        document = letter.document_attachment_id
        self._poison(letter, self.foreign_file)
        self._poison(letter, self.client_file, "document_attachment_id")
        letter.with_user(self.salesman).unlink()
        self.assertTrue(self.foreign_file.exists())
        self.assertTrue(self.client_file.exists())
        # its own file (no longer referenced) is not touched either
        self.assertTrue(document.exists())

    def test_salesperson_cannot_claim_a_file_for_a_letter(self):
        letter = self._create_letter(self.html_template)
        Attachment = self.env["ir.attachment"].with_user(self.editor)
        with self.assertRaises(AccessError):
            Attachment.create(
                {
                    "name": "faux.pdf",
                    "raw": b"%PDF-1.4 fake",
                    "res_model": "res.partner",
                    "res_id": self.client.id,
                    "extrabat_letter_id": letter.id,
                }
            )
        with self.assertRaises(AccessError):
            self.client_file.with_user(self.editor).write(
                {"extrabat_letter_id": letter.id}
            )
        upload = Attachment.with_context(default_extrabat_letter_id=letter.id).create(
            {
                "name": "faux.pdf",
                "raw": b"%PDF-1.4 fake",
                "res_model": "res.partner",
                "res_id": self.client.id,
            }
        )
        self.assertFalse(upload.extrabat_letter_id)

    def _run_migration(self):
        """The 19.0.1.1.0 migration script, as the module update runs it."""
        path = Path(get_module_path("extrabat_letters")) / "migrations"
        script = path / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("letters_migrate", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.0.0")

    def test_legacy_files_are_linked_to_their_letter_only(self):
        letter = self._create_letter(self.odt_template)
        poisoned = self._create_letter(self.html_template)
        files = letter._get_own_attachments()
        self.assertEqual(len(files), 2)
        self._poison(poisoned, self.client_file)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET extrabat_letter_id = NULL WHERE id IN %s",
                tuple(files.ids + poisoned.pdf_attachment_id.ids),
            )
        )
        self.env.invalidate_all()
        self.assertFalse(letter._get_own_attachments())
        self._run_migration()
        self.assertEqual(letter._get_own_attachments(), files)
        # a file of the client the letter did not make stays unlinked
        self.assertFalse(self.client_file.extrabat_letter_id)
        self.assertFalse(poisoned._get_own_attachments())

    # --- 2. a signed letter is immutable, its PDF too ---

    def test_salesperson_cannot_put_signed_letter_back_to_draft(self):
        letter = self._sign(self._create_letter(self.docx_template))
        self.assertEqual(letter.state, "signed")
        with self.assertRaises(AccessError):
            letter.write({"state": "draft"})
        with self.assertRaises(AccessError):
            letter.with_context(extrabat_letter_signing=True).write({"state": "draft"})
        # not even the server goes back
        with self.assertRaisesRegex(UserError, "previous status"):
            letter._write_server({"state": "draft"})
        letter._write_server({"state": "sent"})
        for state in ("draft", "signed"):
            with self.assertRaisesRegex(UserError, "previous status"):
                letter._write_server({"state": state})

    def test_browser_signing_flag_does_not_unfreeze_signed_letter(self):
        letter = self._sign(self._create_letter(self.docx_template))
        frozen = letter.with_user(self.salesman).with_context(
            extrabat_letter_signing=True
        )
        with self.assertRaisesRegex(UserError, "signed letter cannot be modified"):
            frozen.write({"date": "2020-01-01"})
        with self.assertRaisesRegex(UserError, "signed letter cannot be modified"):
            frozen.write({"partner_id": self.client.id, "name": "Autre"})

    def test_signed_letter_cannot_be_regenerated_resigned_or_deleted(self):
        letter = self._sign(self._create_letter(self.docx_template))
        sha256 = letter.signed_pdf_sha256
        as_salesman = letter.with_user(self.salesman)
        with self.assertRaises(UserError):
            as_salesman.action_regenerate()
        with self.assertRaises(UserError):
            as_salesman.action_sign()
        with self.assertRaises(UserError):
            as_salesman._sign(base64.b64encode(SIGNATURE_PNG), "Autre")
        with self.assertRaises(UserError):
            as_salesman.unlink()
        with self.assertRaises(UserError):
            letter._store_files({letter: {"format": "pdf", "pdf": b"%PDF-1.4 other"}})
        self.assertEqual(
            hashlib.sha256(letter.pdf_attachment_id.raw).hexdigest(), sha256
        )

    def test_partner_editor_cannot_rewrite_or_delete_signed_pdf(self):
        letter = self._sign(self._create_letter(self.docx_template))
        pdf = letter.pdf_attachment_id
        raw = pdf.raw
        # the editor may write the client and its attachments...
        self.client_file.with_user(self.editor).write({"raw": b"%PDF-1.4 new"})
        # ...but not the files of a signed letter, nor may the superuser
        for attachment in (
            pdf.with_user(self.editor),
            letter.document_attachment_id.with_user(self.editor),
            pdf.sudo(),
        ):
            for vals in (
                {"raw": b"%PDF-1.4 forged"},
                {"datas": base64.b64encode(b"%PDF-1.4 forged")},
                {"res_model": "res.users"},
            ):
                with self.subTest(vals=list(vals)), self.assertRaises(UserError):
                    attachment.write(vals)
            with self.assertRaises(UserError):
                attachment.unlink()
        pdf.invalidate_recordset()
        self.assertEqual(pdf.raw, raw)
        self.assertEqual(hashlib.sha256(pdf.raw).hexdigest(), letter.signed_pdf_sha256)
        # renaming stays possible
        pdf.with_user(self.editor).write({"name": "Bon pour accord.pdf"})

    def test_altered_signed_pdf_is_not_emailed(self):
        letter = self._sign(self._create_letter(self.docx_template))
        letter.pdf_attachment_id.with_context(**self._server_context()).sudo().write(
            {"raw": b"%PDF-1.4 forged"}
        )
        with (
            self.assertLogs(
                "odoo.addons.extrabat_letters.models.extrabat_letter", "WARNING"
            ) as logs,
            self.assertRaisesRegex(UserError, "was altered"),
        ):
            letter.with_user(self.salesman).action_send_email()
        self.assertIn("does not match its fingerprint", logs.output[0])
        self.assertEqual(letter.state, "signed")

    @staticmethod
    def _server_context():
        return {SERVER_WRITE_KEY: SERVER_WRITE}

    # --- 9. own-documents salespeople see their own letters only ---

    def test_own_documents_salesperson_cannot_read_colleagues_letters(self):
        colleague = new_test_user(
            self.env,
            login="letters_colleague",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        head = new_test_user(
            self.env,
            login="letters_head",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
        )
        # user_id (the letter's salesperson, like sale.order.user_id) is the
        # client's salesperson: the salesman
        mine = self._create_letter(self.html_template)
        self.assertEqual(mine.user_id, self.salesman)
        # written by the colleague for another client of theirs
        other_client = self.env["res.partner"].create(
            {"name": "Client du collègue", "user_id": colleague.id}
        )
        theirs = (
            self.env["extrabat.letter"]
            .with_user(colleague)
            .create(
                {"template_id": self.html_template.id, "partner_id": other_client.id}
            )
        )
        # created by the salesman, followed by the colleague: both see it
        created = self._create_letter(
            self.html_template, partner=other_client, user_id=colleague.id
        )
        letters = mine | theirs | created
        Letter = self.env["extrabat.letter"]
        self.assertEqual(
            Letter.with_user(self.salesman).search([("id", "in", letters.ids)]),
            mine | created,
        )
        self.assertEqual(
            Letter.with_user(colleague).search([("id", "in", letters.ids)]),
            theirs | created,
        )
        with self.assertRaises(AccessError):
            mine.with_user(colleague).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(colleague).write({"name": "Lu"})
        # "All Documents" see every letter of the company
        self.assertEqual(
            Letter.with_user(head).search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )
        # nobody's letters are everybody's, as for sale orders
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE extrabat_letter SET user_id = NULL WHERE id = %s", mine.id)
        )
        self.env.invalidate_all()
        self.assertIn(mine, Letter.with_user(colleague).search([]))

    def test_own_documents_salesperson_cannot_open_colleagues_letter_files(self):
        """The files of a letter hang on the client (its document folder),
        whom every salesperson may read: they still follow the letter's
        rules."""
        colleague = new_test_user(
            self.env,
            login="letters_file_colleague",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        letter = self._create_letter(self.html_template)
        files = letter.sudo().document_attachment_id | letter.sudo().pdf_attachment_id
        self.assertTrue(files)
        self.assertEqual(set(files.mapped("res_model")), {"res.partner"})
        Attachment = self.env["ir.attachment"]
        # the client is readable by the colleague, its letter is not
        self.client.with_user(colleague).check_access("read")
        for domain in (
            [("id", "in", files.ids)],
            [("res_model", "=", "res.partner"), ("res_id", "=", self.client.id)],
            [("extrabat_client_id", "in", self.client.ids)],
        ):
            found = Attachment.with_user(colleague).search(domain)
            self.assertFalse(found & files, domain)
        # the client's other files stay in the colleague's view
        self.assertIn(
            self.client_file,
            Attachment.with_user(colleague).search(
                [("extrabat_client_id", "in", self.client.ids)]
            ),
        )
        for operation in ("read", "write", "unlink"):
            with self.assertRaises(AccessError, msg=operation):
                files.with_user(colleague).check_access(operation)
        with self.assertRaises(AccessError):
            files[0].with_user(colleague).read(["datas"])
        # the letter's salesperson still opens them from the client's folder
        self.assertEqual(
            Attachment.with_user(self.salesman).search(
                [("extrabat_client_id", "in", self.client.ids), ("id", "in", files.ids)]
            ),
            files,
        )
        files.with_user(self.salesman).check_access("read")

    def test_salesperson_not_following_client_signs_and_emails(self):
        stranger_client = self.env["res.partner"].create(
            {
                "name": "Client sans abonné",
                "email": "sans.abonne@example.fr",
                "company_id": self.company.id,
            }
        )
        self.assertFalse(stranger_client.message_partner_ids)
        letter = self._create_letter(self.docx_template, partner=stranger_client)
        self._sign(letter)
        self.assertEqual(letter.state, "signed")
        note = stranger_client.message_ids.filtered(
            lambda m: letter.pdf_attachment_id in m.attachment_ids
        )
        self.assertEqual(note.author_id, self.salesman.partner_id)
        action = letter.with_user(self.salesman).action_send_email()
        Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        ).save().action_send_mail()
        self.assertEqual(letter.state, "sent")
        sent = stranger_client.message_ids.filtered(
            lambda m: "sent by email" in (m.body or "")
        )
        self.assertEqual(sent.author_id, self.salesman.partner_id)

    # --- search of the client's documents ---

    def test_salesperson_cannot_probe_hidden_client_fields_through_documents(self):
        self.client.sudo().credit_limit = 5000
        self.assertFalse(self.salesman.has_group("account.group_account_invoice"))
        Attachment = self.env["ir.attachment"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Attachment.search(
                [("extrabat_client_id", "any", [("credit_limit", ">", 4000)])]
            )
        # what the salesperson may read still works
        self.assertIn(
            self.client_file,
            Attachment.search(
                [("extrabat_client_id", "any", [("name", "=", self.client.name)])]
            ),
        )
        self.assertNotIn(
            self.foreign_file,
            Attachment.search(
                [
                    (
                        "extrabat_client_id",
                        "any",
                        [("id", "=", self.foreign_client.id)],
                    )
                ]
            ),
        )
