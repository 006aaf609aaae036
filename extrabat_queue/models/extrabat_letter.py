import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.extrabat_letters.models.extrabat_letter import (
    PDF_BATCH_SIZE,
    without_defaults,
)
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)

#: Letters converted by one job (one LibreOffice call): small enough for the
#: jobs of a batch to spread over the workers, big enough to pay for starting
#: LibreOffice. System parameter ``extrabat_queue.pdf_job_size`` changes it.
PDF_JOB_SIZE = 20
#: Tries of a job whose conversions failed before its letters are marked
#: failed (a LibreOffice that crashed or timed out usually works next time).
PDF_MAX_RETRIES = 3


class ExtrabatLetter(models.Model):
    """PDFs of many letters made by jobs of the ``root.extrabat.pdf``
    channel instead of the hourly scheduled action."""

    _inherit = "extrabat.letter"

    # === FIELDS ===
    batch_id = fields.Many2one(
        "extrabat.letter.batch",
        string="Batch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    # === CRUD ===
    @api.model_create_multi
    def create(self, vals_list):
        model = self
        if not self._is_server_write():
            # the batch is set by the server only, not by a context default
            model = self.with_env(
                self.env(context=without_defaults(self.env.context, {"batch_id"}))
            )
        return super(ExtrabatLetter, model).create(vals_list)

    # === BUSINESS: guards ===
    def _check_no_technical_fields(self, vals_list, create=False):
        super()._check_no_technical_fields(vals_list, create=create)
        if any(
            "batch_id" in vals and (vals["batch_id"] or not create)
            for vals in vals_list
        ):
            raise AccessError(
                self.env._("The batch of a letter is set by the application only.")
            )

    # === BUSINESS: files ===
    def _schedule_pdf(self):
        """The PDFs are made by jobs (see :meth:`_enqueue_pdf_jobs`), in a
        batch the user follows, instead of the scheduled action."""
        self._write_server({"pdf_state": "pending"})
        self.env["extrabat.letter.batch"]._create_for(self)
        self._enqueue_pdf_jobs()

    @api.model
    def _get_pdf_job_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("extrabat_queue.pdf_job_size")
        )
        try:
            return max(int(value or PDF_JOB_SIZE), 1)
        except ValueError:
            return PDF_JOB_SIZE

    def _enqueue_pdf_jobs(self):
        """One job per :data:`PDF_JOB_SIZE` letters (by id, batch by batch).
        The same letters waiting in a job already are not queued again
        (``identity_key``); a job that runs anyway does nothing twice (see
        :meth:`_job_make_pdfs`).

        :return: number of jobs asked for
        """
        size = self._get_pdf_job_size()
        count = 0
        by_batch = {}
        for letter in self.sorted("id"):
            by_batch.setdefault(letter.batch_id, []).append(letter.id)
        for batch, ids in by_batch.items():
            for start in range(0, len(ids), size):
                chunk = self.browse(ids[start : start + size])
                chunk.with_delay(
                    identity_key=identity_exact,
                    max_retries=PDF_MAX_RETRIES,
                    description=self.env._(
                        "PDFs of %(count)s letters (%(batch)s)",
                        count=len(chunk),
                        batch=batch.name or self.env._("no batch"),
                    ),
                )._job_make_pdfs()
                count += 1
        return count

    @api.model
    def _cron_generate_pending_pdfs(self, batch_size=PDF_BATCH_SIZE):
        """With the job queue, the scheduled action only queues jobs for the
        pending letters (those of a job that was lost, or made pending
        before the jobs existed) and closes the finished batches whose
        notification was lost. ``batch_size`` is kept for the callers; the
        size of a job is :data:`PDF_JOB_SIZE`."""
        pending = self.sudo().search([("pdf_state", "=", "pending")], order="id")
        count = pending._enqueue_pdf_jobs()
        running = self.env["extrabat.letter.batch"].search([("state", "=", "running")])
        running._check_finished()
        _logger.info(
            "Letters: %s job(s) queued for %s pending PDF(s)", count, len(pending)
        )
        return count

    # === BUSINESS: jobs ===
    def _job_make_pdfs(self):
        """Job: make the PDFs of those of these letters still pending.

        Idempotent: the rows are locked (``FOR UPDATE SKIP LOCKED``) and
        only letters still ``pending`` are converted, so a job run twice, or
        beside another job on the same letters, converts nothing twice.
        When a conversion failed and tries are left, the job is retried
        (everything rolled back: the letters stay pending); on the last try
        the failures are kept on the letters (``Failed``) and reported.

        :return: a summary, kept on the job
        """
        existing = self.exists()  # letters deleted since: nothing to do
        letters = existing._lock_pending_among()
        failed = self.browse()
        if letters:
            letters._make_pending_pdfs()
            failed = letters.filtered(lambda letter: letter.pdf_state == "error")
            if failed and not self._is_last_job_try():
                raise RetryableJobError(
                    self.env._(
                        "%(count)s PDF(s) failed: %(error)s",
                        count=len(failed),
                        error=failed[0].generation_error,
                    ),
                )  # tried again after the job function's retry pattern
        existing.batch_id._notify_when_finished()
        return self.env._(
            "%(done)s PDF(s) made, %(failed)s failed, %(skipped)s already done",
            done=len(letters) - len(failed),
            failed=len(failed),
            skipped=len(self) - len(letters),
        )

    def _job_make_pdfs_failed(self, exc_name=None, exc_message=None, exc_info=None):
        """Called by the job queue when a job of :meth:`_job_make_pdfs`
        failed for good: its letters still pending are marked failed with
        the reason, and their batch is checked (the user is told)."""
        letters = self.sudo().exists()
        pending = letters.filtered(lambda letter: letter.pdf_state == "pending")
        pending._write_server(
            {
                "pdf_state": "error",
                "generation_error": self.env._(
                    "The background job failed: %(error)s",
                    error=exc_message or exc_name or "?",
                ),
            }
        )
        letters.batch_id._notify_when_finished()

    def _lock_pending_among(self):
        """Those of these letters still pending, their rows locked for the
        transaction; rows locked by another transaction are skipped (that
        one is converting them)."""
        if not self.ids:
            return self.browse()
        self.flush_model(["pdf_state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM extrabat_letter WHERE id IN %s"
                " AND pdf_state = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        letters = self.browse([row[0] for row in self.env.cr.fetchall()])
        letters.invalidate_recordset()
        return letters

    def _is_last_job_try(self):
        """Whether the running job has no try left (also when not run by
        the job queue)."""
        uuid = self.env.context.get("job_uuid")
        job = self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
        if not job or not job.max_retries:
            return not job
        # ``retry`` counts the tries before this one
        return job.retry + 1 >= job.max_retries
