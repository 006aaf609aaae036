"""PDFs of a batch of letters made by queue_job jobs on root.extrabat.pdf:
queued on the right channel, each letter converted once whatever runs
twice, failures retried then reported, the batch followed by its user."""

import base64
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_letters.models import extrabat_letter
from odoo.addons.extrabat_letters.tests.common import read_fixture
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

PDF_CHANNEL = "root.extrabat.pdf"


@tagged("post_install", "-at_install")
class TestLetterJobs(TransactionCase):
    COUNT = extrabat_letter.SYNC_PDF_LIMIT + 2  # 12: made in the background

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("extrabat_queue.pdf_job_size", "5")
        cls.salesman = new_test_user(
            cls.env,
            login="queue_salesman",
            groups="sales_team.group_sale_salesman",
            email="queue.salesman@example.com",
        )
        cls.other_salesman = new_test_user(
            cls.env, login="queue_salesman_2", groups="sales_team.group_sale_salesman"
        )
        cls.template = cls.env["extrabat.letter.template"].create(
            {
                "name": "Rendez-vous",
                "kind": "file",
                "template_file": base64.b64encode(
                    read_fixture("demo/courrier_rendez_vous.odt")
                ),
                "template_filename": "courrier_rendez_vous.odt",
            }
        )
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"Client lot {index}", "user_id": cls.salesman.id}
                for index in range(cls.COUNT)
            ]
        )

    def _generate(self):
        """Generate the letter for every client as the salesperson.

        :return: (the wizard's action, the letters)
        """
        wizard = (
            self.env["extrabat.letter.generate"]
            .with_user(self.salesman)
            .create(
                {
                    "template_id": self.template.id,
                    "partner_ids": [Command.set(self.partners.ids)],
                }
            )
        )
        action = wizard.action_generate()
        letters = self.env["extrabat.letter"].search(
            [("partner_id", "in", self.partners.ids)]
        )
        return action, letters

    def _pdf_attachments(self, letter):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("extrabat_letter_id", "=", letter.id),
                    ("mimetype", "=", "application/pdf"),
                ]
            )
        )

    def _stored_jobs(self, letters):
        jobs = self.env["queue.job"].search(
            [
                ("model_name", "=", "extrabat.letter"),
                ("method_name", "=", "_job_make_pdfs"),
            ]
        )
        return jobs.filtered(lambda job: set(job.records.ids) & set(letters.ids))

    # --- queued ---

    def test_a_batch_of_letters_queues_pdf_jobs_on_the_pdf_channel(self):
        action, letters = self._generate()
        self.assertEqual(len(letters), self.COUNT)
        self.assertEqual(set(letters.mapped("pdf_state")), {"pending"})
        self.assertTrue(all(letters.mapped("document_attachment_id")))
        batch = letters.batch_id
        self.assertEqual(len(batch), 1)
        self.assertEqual(batch.user_id, self.salesman)
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("extrabat.letter.batch", batch.id)
        )
        self.assertEqual((batch.letter_count, batch.pending_count), (self.COUNT, 12))
        self.assertEqual(batch.state, "running")
        jobs = self._stored_jobs(letters)
        self.assertEqual(len(jobs), 3)  # 5 + 5 + 2 letters
        self.assertEqual(set(jobs.mapped("channel")), {PDF_CHANNEL})
        self.assertEqual(set(jobs.mapped("user_id")), {self.salesman})
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.assertEqual(
            sorted(i for job in jobs for i in job.records.ids), sorted(letters.ids)
        )

    def test_the_scheduled_action_does_not_queue_waiting_letters_again(self):
        _action, letters = self._generate()
        before = self._stored_jobs(letters)
        self.env["extrabat.letter"]._cron_generate_pending_pdfs()
        self.assertEqual(self._stored_jobs(letters), before)  # identity_key

    def test_the_scheduled_action_queues_jobs_for_letters_left_pending(self):
        with trap_jobs():
            _action, letters = self._generate()  # jobs lost
        with trap_jobs() as trap:
            self.env["extrabat.letter"]._cron_generate_pending_pdfs()
            trap.assert_jobs_count(3)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.job_config.channel, PDF_CHANNEL)
                self.assertTrue(job.identity_key)
            trap.perform_enqueued_jobs()
        self.assertEqual(set(letters.mapped("pdf_state")), {"done"})

    # --- done once ---

    def test_each_letter_is_converted_once_even_when_a_job_runs_twice(self):
        converted = []
        real_convert = extrabat_letter.ExtrabatLetter._convert_documents

        def spy(letter_model, documents):
            converted.append(len(documents))
            return real_convert(letter_model, documents)

        with (
            patch.object(extrabat_letter.ExtrabatLetter, "_convert_documents", spy),
            trap_jobs() as trap,
        ):
            _action, letters = self._generate()
            jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
            self.assertEqual(converted, [5, 5, 2])  # one LibreOffice call per job
            for job in jobs:  # run again (a retry, a duplicate)
                job.perform()
        self.assertEqual(converted, [5, 5, 2])
        letters.invalidate_recordset()
        self.assertEqual(set(letters.mapped("pdf_state")), {"done"})
        for letter in letters:
            pdf = self._pdf_attachments(letter)
            self.assertEqual(len(pdf), 1)
            self.assertEqual(letter.pdf_attachment_id, pdf)
            self.assertTrue(pdf.raw.startswith(b"%PDF"))
        batch = letters.batch_id
        self.assertEqual((batch.done_count, batch.pending_count), (self.COUNT, 0))
        self.assertEqual(batch.progress, 100.0)
        self.assertIn("already done", jobs[0].perform())

    def test_a_job_whose_letters_were_deleted_does_nothing(self):
        with trap_jobs() as trap:
            _action, letters = self._generate()
            jobs = list(trap.enqueued_jobs)
        letters.unlink()
        self.assertIn("0 PDF(s) made", jobs[0].perform())

    # --- failures ---

    def _failing_conversion(self):
        def fail(letter_model, documents):
            return [(None, "LibreOffice crashed")] * len(documents)

        return patch.object(extrabat_letter.ExtrabatLetter, "_convert_documents", fail)

    def test_a_failed_conversion_is_retried_then_reported_to_the_user(self):
        _action, letters = self._generate()
        record = self._stored_jobs(letters).sorted(lambda job: min(job.records.ids))[0]
        chunk = record.records
        self.assertEqual(record.max_retries, 3)
        with self._failing_conversion():
            job = Job.load(self.env, record.uuid)
            with self.assertRaises(RetryableJobError), self.env.cr.savepoint():
                job.perform()
            chunk.invalidate_recordset()
            self.assertEqual(set(chunk.mapped("pdf_state")), {"pending"})  # rolled back
            record.with_context(_job_edit_sentinel=record.EDIT_SENTINEL).write(
                {"retry": 2}  # the last try
            )
            Job.load(self.env, record.uuid).perform()
        chunk.invalidate_recordset()
        self.assertEqual(set(chunk.mapped("pdf_state")), {"error"})
        self.assertEqual(set(chunk.mapped("generation_error")), {"LibreOffice crashed"})
        # the rest of the batch is made, then the user is told
        others = letters - chunk
        others._job_make_pdfs()
        batch = letters.batch_id
        self.assertEqual(
            (batch.done_count, batch.error_count, batch.pending_count), (7, 5, 0)
        )
        self.assertEqual(batch._check_finished(), batch)
        self.assertEqual(batch.state, "done")
        message = batch.message_ids.filtered(
            lambda m: self.salesman.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn("5 could not be made", str(message.body))
        self.assertFalse(batch._check_finished(), "notified once")

    def test_a_job_that_fails_for_good_marks_its_pending_letters_failed(self):
        with trap_jobs():
            _action, letters = self._generate()
        done, failed = letters[:1], letters[1:5]
        done._job_make_pdfs()
        config = self.env["queue.job.function"].job_config(
            "<extrabat.letter>._job_make_pdfs"
        )
        self.assertEqual(config.on_fail_method_name, "_job_make_pdfs_failed")
        self.assertEqual(config.channel, PDF_CHANNEL)
        (done | failed)._job_make_pdfs_failed(exc_message="disk full")
        self.assertEqual(done.pdf_state, "done")
        self.assertEqual(set(failed.mapped("pdf_state")), {"error"})
        self.assertEqual(
            set(failed.mapped("generation_error")),
            {"The background job failed: disk full"},
        )

    def test_a_batch_is_not_closed_while_letters_are_pending(self):
        with trap_jobs():
            _action, letters = self._generate()
        letters[:5]._job_make_pdfs()
        batch = letters.batch_id
        self.assertEqual((batch.done_count, batch.pending_count), (5, 7))
        self.assertFalse(batch._check_finished())
        self.assertEqual(batch.state, "running")

    # --- security ---

    def test_the_batch_of_a_letter_is_set_by_the_server_only(self):
        with trap_jobs():
            _action, letters = self._generate()
        batch = letters.batch_id
        letter = letters[0].with_user(self.salesman)
        with self.assertRaises(AccessError):
            letter.write({"batch_id": False})
        Letter = self.env["extrabat.letter"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Letter.create(
                {
                    "partner_id": self.partners[0].id,
                    "name": "x",
                    "batch_id": batch.id,
                }
            )
        created = Letter.with_context(default_batch_id=batch.id).create(
            {"partner_id": self.partners[0].id, "name": "x"}
        )
        self.assertFalse(created.batch_id)
        with self.assertRaises(AccessError):
            batch.with_user(self.salesman).write({"state": "done"})

    def test_a_salesperson_sees_only_the_batches_they_launched(self):
        with trap_jobs():
            _action, letters = self._generate()
        Batch = self.env["extrabat.letter.batch"]
        self.assertEqual(Batch.with_user(self.salesman).search([]), letters.batch_id)
        self.assertFalse(Batch.with_user(self.other_salesman).search([]))

    def test_a_batch_of_another_company_is_not_seen(self):
        other_company = self.env["res.company"].create({"name": "Autre société"})
        Batch = self.env["extrabat.letter.batch"].sudo()
        own = Batch.create({"name": "Own", "user_id": self.salesman.id})
        Batch.create(
            {
                "name": "Other company",
                "user_id": self.salesman.id,
                "company_id": other_company.id,
            }
        )
        self.assertEqual(
            self.env["extrabat.letter.batch"].with_user(self.salesman).search([]), own
        )
