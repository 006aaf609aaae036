"""PDF jobs on committed data, in real transactions: two workers running
the jobs of the same letters at the same time (a job retried while its first
run is still alive, a job queued twice) convert each letter once, the batch
is closed and its user notified once; a job run by queue_job's own runner
code is retried when a conversion fails, and reported on its letters and
batch when it fails for good."""

import base64
import threading
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_crm.tests.concurrency import ConcurrencyMixin
from odoo.addons.extrabat_letters.models import extrabat_letter
from odoo.addons.extrabat_letters.tests.common import read_fixture
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestLetterJobsConcurrency(ConcurrencyMixin, TransactionCase):
    COUNT = extrabat_letter.SYNC_PDF_LIMIT + 2

    def setUp(self):
        super().setUp()
        with self.committed_env() as env, trap_jobs():
            template = env["extrabat.letter.template"].create(
                {
                    "name": "Lot concurrent",
                    "kind": "file",
                    "template_file": base64.b64encode(
                        read_fixture("demo/courrier_rendez_vous.odt")
                    ),
                    "template_filename": "courrier_rendez_vous.odt",
                }
            )
            partners = env["res.partner"].create(
                [{"name": f"Client concurrent {i}"} for i in range(self.COUNT)]
            )
            wizard = env["extrabat.letter.generate"].create(
                {"template_id": template.id, "partner_ids": [Command.set(partners.ids)]}
            )
            wizard.action_generate()  # the jobs are trapped: run by hand below
            letters = env["extrabat.letter"].search(
                [("partner_id", "in", partners.ids)]
            )
            self.template_id = template.id
            self.partner_ids = partners.ids
            self.letter_ids = letters.ids
            self.batch_id = letters.batch_id.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            env["extrabat.letter"].browse(self.letter_ids).unlink()
            env["extrabat.letter.batch"].browse(self.batch_id).unlink()
            env["extrabat.letter.template"].browse(self.template_id).unlink()
            env["res.partner"].browse(self.partner_ids)._unlink_bypassing_trash()

    def test_two_workers_on_the_same_letters_convert_each_once(self):
        converted = []
        lock = threading.Lock()
        real_make = extrabat_letter.ExtrabatLetter._make_pending_pdfs

        def spy(letters):
            with lock:
                converted.extend(letters.ids)
            return real_make(letters)

        errors = []
        barrier = threading.Barrier(2, timeout=30)

        def worker(wait):
            # retried on a serialization failure, as the job queue does
            for _try in range(5):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        if wait:
                            barrier.wait()
                        env["extrabat.letter"].browse(self.letter_ids)._job_make_pdfs()
                    return
                except psycopg2.errors.SerializationFailure:
                    wait = False
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)
                    return

        def run(*waits):
            threads = [
                threading.Thread(target=worker, args=(wait,), daemon=True)
                for wait in waits
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            self.assertFalse(any(thread.is_alive() for thread in threads))

        with (
            patch.object(extrabat_letter.ExtrabatLetter, "_make_pending_pdfs", spy),
            patch.object(Registry, "_lock", DummyRLock()),
        ):
            run(True, True)  # the same job in two workers at the same time
            run(False)  # and once more later (a retry after a lost answer)
        self.assertFalse(errors)
        self.assertEqual(sorted(converted), sorted(self.letter_ids))  # each once
        with self.committed_env() as env:
            letters = env["extrabat.letter"].browse(self.letter_ids)
            self.assertEqual(set(letters.mapped("pdf_state")), {"done"})
            pdfs = env["ir.attachment"].search_count(
                [
                    ("extrabat_letter_id", "in", self.letter_ids),
                    ("mimetype", "=", "application/pdf"),
                ]
            )
            self.assertEqual(pdfs, self.COUNT)
            batch = env["extrabat.letter.batch"].browse(self.batch_id)
            self.assertEqual(batch.state, "done")  # closed after the commit
            notified = batch.message_ids.filtered("partner_ids")
            self.assertEqual(len(notified), 1)
            self.assertIn(f"The {self.COUNT} PDFs are ready", str(notified.body))

    # --- queue_job's runner code (the /queue_job/runjob controller) ---

    def _store_job(self, letter_ids):
        """A real job (a ``queue.job`` row, committed) for these letters."""
        with self.committed_env() as env:
            job = (
                env["extrabat.letter"]
                .browse(letter_ids)
                .with_delay(max_retries=3)
                ._job_make_pdfs()
            )
            return job.uuid

    def _run_job(self, uuid):
        """Run the job as the job runner's HTTP call does; return the
        exception it ended with, if any."""
        with self.committed_env() as env:
            try:
                RunJobController._runjob(env, Job.load(env, uuid))
            except Exception as error:  # noqa: BLE001 - returned to the test
                env.cr.rollback()
                return error
        return None

    def test_the_runner_retries_a_job_whose_conversion_failed(self):
        uuid = self._store_job(self.letter_ids[:5])

        def fail(letter_model, documents):
            return [(None, "LibreOffice crashed")] * len(documents)

        with patch.object(extrabat_letter.ExtrabatLetter, "_convert_documents", fail):
            self.assertIsNone(self._run_job(uuid))
        with self.committed_env() as env:
            record = env["queue.job"].search([("uuid", "=", uuid)])
            self.assertEqual((record.state, record.retry), ("pending", 1))
            self.assertTrue(record.eta, "postponed by the retry pattern")
            letters = env["extrabat.letter"].browse(self.letter_ids[:5])
            self.assertEqual(set(letters.mapped("pdf_state")), {"pending"})
        self.assertIsNone(self._run_job(uuid))  # the next try converts them
        with self.committed_env() as env:
            record = env["queue.job"].search([("uuid", "=", uuid)])
            self.assertEqual((record.state, record.retry), ("done", 2))
            letters = env["extrabat.letter"].browse(self.letter_ids[:5])
            self.assertEqual(set(letters.mapped("pdf_state")), {"done"})
            env["queue.job"].search([("uuid", "=", uuid)]).unlink()

    def test_a_job_failing_for_good_is_reported_on_its_letters_and_batch(self):
        uuid = self._store_job(self.letter_ids)
        with (
            patch.object(
                extrabat_letter.ExtrabatLetter,
                "_make_pending_pdfs",
                side_effect=ValueError("disk full"),
            ),
            # the runner logs the failure with its traceback, as it should
            self.assertLogs("odoo.addons.queue_job.controllers.main", "ERROR"),
        ):
            error = self._run_job(uuid)
        self.assertIsInstance(error, ValueError)
        with self.committed_env() as env:
            record = env["queue.job"].search([("uuid", "=", uuid)])
            self.assertEqual(record.state, "failed")
            self.assertIn("disk full", record.exc_message)
            letters = env["extrabat.letter"].browse(self.letter_ids)
            self.assertEqual(set(letters.mapped("pdf_state")), {"error"})
            self.assertEqual(
                set(letters.mapped("generation_error")),
                {"The background job failed: disk full"},
            )
            batch = env["extrabat.letter.batch"].browse(self.batch_id)
            self.assertEqual(batch.state, "done")
            notified = batch.message_ids.filtered("partner_ids")
            self.assertEqual(len(notified), 1)
            self.assertIn(f"{self.COUNT} could not be made", str(notified.body))
            record.unlink()
