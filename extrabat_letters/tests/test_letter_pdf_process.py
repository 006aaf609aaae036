"""Letters are stored in batches and their PDFs made by the LibreOffice kept
running by the Odoo process (issue 14 point 11, issue 15)."""

import subprocess
from unittest import mock

from odoo import Command
from odoo.tests import tagged

from extrabat_core.docengine import pdf as pdf_module
from extrabat_core.docengine import pdf_server

from ..models import extrabat_letter
from .common import LettersCommon, document_text


def _has_uno():
    return any(
        subprocess.run(
            [python, "-c", "import uno"], capture_output=True, check=False
        ).returncode
        == 0
        for python in pdf_server.find_uno_python()
    )


@tagged("post_install", "-at_install")
class TestLetterPdfProcess(LettersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clients = cls.env["res.partner"].create(
            [{"name": f"Client {name}", "lang": "fr_FR"} for name in "ABC"]
        )

    def _wizard(self, partners, user=None):
        return (
            self.env["extrabat.letter.generate"]
            .with_user(user or self.salesman)
            .with_context(default_partner_ids=partners.ids)
            .create(
                {
                    "template_id": self.docx_template.id,
                    "partner_ids": [Command.set(partners.ids)],
                }
            )
        )

    def test_letters_of_several_clients_are_stored_by_one_create(self):
        Attachment = type(self.env["ir.attachment"])
        real_create = Attachment.create
        batches = []

        def spy(model, vals_list):
            if isinstance(vals_list, dict):
                vals_list = [vals_list]
            if any("extrabat_letter_id" in vals for vals in vals_list):
                batches.append(len(vals_list))
            return real_create(model, vals_list)

        with mock.patch.object(Attachment, "create", spy):
            letters = self._wizard(self.clients)._generate_letters()
        # a document and a PDF per letter, in one create
        self.assertEqual(batches, [2 * len(self.clients)])
        self.assertEqual(len(letters), 3)
        for letter, client in zip(letters, self.clients, strict=True):
            self.assertEqual(letter.partner_id, client)
            self.assertEqual(letter.pdf_state, "done")
            for attachment in letter.document_attachment_id | letter.pdf_attachment_id:
                self.assertEqual(attachment.extrabat_letter_id, letter)
                self.assertEqual(attachment.res_id, client.id)
                self.assertEqual(attachment.extrabat_folder, "courriers")
            self.assertIn(client.name, document_text(letter.document_attachment_id.raw))
            self.assertTrue(letter.pdf_attachment_id.raw.startswith(b"%PDF"))
        # regenerating updates each letter's own files (no new attachment)
        files = letters.document_attachment_id | letters.pdf_attachment_id
        batches.clear()
        with mock.patch.object(Attachment, "create", spy):
            letters.action_regenerate()
        self.assertEqual(batches, [])
        self.assertEqual(
            letters.document_attachment_id | letters.pdf_attachment_id, files
        )

    def test_pdfs_are_made_by_the_libreoffice_kept_running(self):
        if not _has_uno():
            self.skipTest("no Python with LibreOffice's uno (python3-uno)")
        server = pdf_server.get_server()
        self._wizard(self.clients[0])._generate_letters()
        self.assertTrue(server.running)
        starts = server.starts
        with mock.patch.object(pdf_module, "_run") as one_shot:
            letters = self._wizard(self.clients[1:])._generate_letters()
        one_shot.assert_not_called()
        self.assertEqual(server.starts, starts)  # no new LibreOffice
        self.assertEqual(set(letters.mapped("pdf_state")), {"done"})

    def test_opening_the_wizard_starts_libreoffice_in_the_background(self):
        server = pdf_server.get_server()
        Wizard = self.env["extrabat.letter.generate"].with_user(self.salesman)
        Letter = self.env["extrabat.letter"].with_user(self.salesman)
        spec = {"template_id": {}, "partner_ids": {}}
        with mock.patch.object(pdf_server.PdfServer, "warm_up") as warm_up:
            Wizard.with_context(default_partner_ids=self.client.ids).onchange(
                {}, [], spec
            )
            self.assertEqual(warm_up.call_count, 1)
            # a field changed in the form: nothing more
            Wizard.with_context(default_partner_ids=self.client.ids).onchange(
                {"template_id": self.docx_template.id}, ["template_id"], spec
            )
            self.assertEqual(warm_up.call_count, 1)
            # many clients: the PDFs are made later by the scheduled action
            many = (
                self.env["res.partner"]
                .create(
                    [
                        {"name": f"Client {index}"}
                        for index in range(extrabat_letter.SYNC_PDF_LIMIT + 1)
                    ]
                )
                .ids
            )
            Wizard.with_context(default_partner_ids=many).onchange({}, [], spec)
            self.assertEqual(warm_up.call_count, 1)
            # nor when letters are created (the many clients' letters)
            self._wizard(self.clients)
            Letter.create(
                {"template_id": self.docx_template.id, "partner_id": self.client.id}
            )
            self.assertEqual(warm_up.call_count, 1)
            # a new letter's form
            Letter.onchange({}, [], {"name": {}, "template_id": {}})
            self.assertEqual(warm_up.call_count, 2)
        if _has_uno():
            server.close()
            Wizard.with_context(default_partner_ids=self.client.ids).onchange(
                {}, [], spec
            )
            self.assertTrue(server.running)
