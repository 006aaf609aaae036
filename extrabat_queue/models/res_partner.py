import logging

from odoo import api, models

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)

#: States of a job that may still run.
LIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


class ResPartner(models.Model):
    """Client codes of existing customers (``root.extrabat.codes``) and GDPR
    anonymisation (``root.extrabat.gdpr``) by jobs instead of long scheduled
    actions."""

    _inherit = "res.partner"

    # === BUSINESS: client codes ===
    @api.model
    def _get_client_code_job_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("extrabat_crm.client_code_batch_size")
        )
        try:
            return max(int(value or 200), 1)
        except ValueError:
            return 200

    @api.model
    def _client_code_job_key(self, company):
        """Identity of the job that ends the assignment of ``company``."""
        return f"extrabat_queue.client_codes.{company.id}"

    @api.model
    def _cron_assign_client_codes(self):
        """With the job queue, the scheduled action queues, for each company
        where the assignment was asked, one job per
        ``extrabat_crm.client_code_batch_size`` customers and a last job,
        run when they are all done, that ends the assignment. A company whose
        jobs are still queued or running is left alone.

        :return: number of companies whose jobs were queued
        """
        size = self._get_client_code_job_size()
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("client_code_assign_pending", "=", True)])
        )
        Job = self.env["queue.job"].sudo()
        queued = 0
        for company in companies:
            key = self._client_code_job_key(company)
            if Job.search_count(
                [("identity_key", "=", key), ("state", "in", LIVE_JOB_STATES)]
            ):
                continue
            ids = self._get_customer_partner_ids(company)
            partners = self.sudo().with_context(active_test=False)
            chunks = [
                partners.browse(ids[start : start + size])
                .delayable(
                    description=self.env._(
                        "Client codes of %(count)s customers (%(company)s)",
                        count=len(ids[start : start + size]),
                        company=company.name,
                    )
                )
                ._job_assign_client_codes(company)
                for start in range(0, len(ids), size)
            ]
            finish = company.delayable(
                identity_key=key,
                description=self.env._(
                    "Client codes of %(company)s: end of the assignment",
                    company=company.name,
                ),
            )._job_client_codes_assigned()
            if chunks:
                group(*chunks).on_done(finish).delay()
            else:
                finish.delay()
            queued += 1
        return queued

    def _job_assign_client_codes(self, company):
        """Job: give a code of ``company`` to those of these customers that
        have none (never twice: see ``_assign_client_code``).

        :return: a summary, kept on the job
        """
        assigned = self._assign_client_code(company)
        return f"{len(assigned)} code(s) assigned, {len(self) - len(assigned)} skipped"

    # === BUSINESS: GDPR ===
    @api.model
    def _cron_gdpr_anonymize(self):
        """With the job queue, the scheduled action queues one job per
        trashed prospect due for anonymisation (one already waiting in a job
        is not queued again).

        :return: number of partners queued
        """
        enabled, months = self._get_gdpr_settings()
        if not enabled:
            return 0
        partners = self._get_gdpr_candidates(months)
        for partner in partners:
            partner.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "GDPR: anonymise trashed prospect #%(id)s", id=partner.id
                ),
            )._job_gdpr_anonymize()
        _logger.info("GDPR: %s anonymisation job(s) queued", len(partners))
        return len(partners)

    def _job_gdpr_anonymize(self):
        """Job: anonymise this trashed prospect if it is still due, under a
        lock of its row; run twice, it anonymises once (the second run finds
        it anonymised, no longer a candidate).

        :return: a summary, kept on the job
        """
        self.ensure_one()
        enabled, months = self._get_gdpr_settings()
        if not enabled:
            return "GDPR anonymisation is switched off: nothing done"
        partner = self.sudo().with_context(active_test=False)
        partner._lock_client_rows()
        partner.invalidate_recordset()
        if not partner._get_gdpr_candidates(months, partner_ids=partner.ids):
            return "No longer due (anonymised, restored or with documents)"
        job_uuid = self.env.context.get("job_uuid")
        partner._extrabat_anonymize(
            cron_run=f"queue.job {job_uuid}" if job_uuid else False
        )
        _logger.info("GDPR: trashed prospect #%s anonymised", partner.id)
        return "Anonymised"
