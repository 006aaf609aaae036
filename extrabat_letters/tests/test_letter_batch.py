"""Generating a letter for many clients: documents at once, PDFs by the
scheduled action in batches (one LibreOffice call per batch, one commit per
batch, never twice the same letter). Run for real, on committed data."""

import base64
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_crm.tests.concurrency import ConcurrencyMixin
from odoo.addons.extrabat_letters.models import extrabat_letter

from .common import read_fixture


@tagged("post_install", "-at_install")
class TestLetterBatch(ConcurrencyMixin, TransactionCase):
    COUNT = extrabat_letter.SYNC_PDF_LIMIT + 2

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            template = env["extrabat.letter.template"].create(
                {
                    "name": "Lot de courriers",
                    "kind": "file",
                    "template_file": base64.b64encode(
                        read_fixture("demo/courrier_rendez_vous.odt")
                    ),
                    "template_filename": "courrier_rendez_vous.odt",
                }
            )
            partners = env["res.partner"].create(
                [{"name": f"Client lot {index}"} for index in range(self.COUNT)]
            )
            self.template_id = template.id
            self.partner_ids = partners.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            letters = env["extrabat.letter"].search(
                [("template_id", "=", self.template_id)]
            )
            letters.unlink()
            env["extrabat.letter.template"].browse(self.template_id).unlink()
            env["res.partner"].browse(self.partner_ids)._unlink_bypassing_trash()

    def _generate(self):
        with self.committed_env() as env:
            wizard = env["extrabat.letter.generate"].create(
                {
                    "template_id": self.template_id,
                    "partner_ids": [Command.set(self.partner_ids)],
                }
            )
            action = wizard.action_generate()
            return env["extrabat.letter"].search(action["domain"]).ids

    def test_many_clients_get_their_pdf_from_the_scheduled_action(self):
        letter_ids = self._generate()
        self.assertEqual(len(letter_ids), self.COUNT)
        with self.committed_env() as env:
            letters = env["extrabat.letter"].browse(letter_ids)
            # the documents are there at once, the PDFs are waiting
            self.assertTrue(all(letters.mapped("document_attachment_id")))
            self.assertEqual(set(letters.mapped("pdf_state")), {"pending"})
            self.assertFalse(letters.pdf_attachment_id)
        calls = []
        real_convert = extrabat_letter.ExtrabatLetter._convert_documents

        def spy(letter_model, documents):
            calls.append(len(documents))
            return real_convert(letter_model, documents)

        with (
            patch.object(extrabat_letter.ExtrabatLetter, "_convert_documents", spy),
            self.committed_env() as env,
        ):
            env.ref(
                "extrabat_letters.ir_cron_extrabat_letter_pdf"
            ).method_direct_trigger()
        self.assertEqual(calls, [self.COUNT])  # one LibreOffice call for the batch
        with self.committed_env() as env:
            letters = env["extrabat.letter"].browse(letter_ids)
            self.assertEqual(set(letters.mapped("pdf_state")), {"done"})
            for letter in letters:
                self.assertTrue(letter.pdf_attachment_id.raw.startswith(b"%PDF"))
                self.assertEqual(letter.pdf_attachment_id.res_id, letter.partner_id.id)
            progress = env["ir.cron.progress"].search(
                [
                    (
                        "cron_id",
                        "=",
                        env.ref("extrabat_letters.ir_cron_extrabat_letter_pdf").id,
                    )
                ],
                order="id desc",
                limit=1,
            )
            self.assertEqual(progress.done, self.COUNT)
            self.assertEqual(progress.remaining, 0)

    def test_two_workers_never_convert_the_same_letter(self):
        letter_ids = self._generate()
        converted = []
        lock = threading.Lock()
        real_make = extrabat_letter.ExtrabatLetter._make_pending_pdfs

        def spy(letters):
            with lock:
                converted.extend(letters.ids)
            return real_make(letters)

        errors = []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["extrabat.letter"]._cron_generate_pending_pdfs(batch_size=4)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        # The test thread holds the registry lock (see extrabat_crm's
        # concurrency helpers); the workers only look the registry up.
        with (
            patch.object(extrabat_letter.ExtrabatLetter, "_make_pending_pdfs", spy),
            patch.object(Registry, "_lock", DummyRLock()),
        ):
            threads = [threading.Thread(target=worker, daemon=True) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        self.assertFalse(errors)
        self.assertEqual(sorted(converted), sorted(letter_ids))  # each one once
        with self.committed_env() as env:
            letters = env["extrabat.letter"].browse(letter_ids)
            self.assertEqual(set(letters.mapped("pdf_state")), {"done"})
