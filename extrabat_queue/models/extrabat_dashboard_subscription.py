import logging

from odoo import api, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)


class ExtrabatDashboardSubscription(models.Model):
    """Dashboards by email sent by jobs of the ``root.extrabat.dashboard``
    channel, one per user, instead of one long scheduled action."""

    _inherit = "extrabat.dashboard.subscription"

    @api.model
    def _cron_send_due_dashboards(self):
        """With the job queue, the daily scheduled action queues one job per
        subscription that may be due (a subscription already waiting in a job
        is not queued again) and returns the number of jobs asked for."""
        self.env["extrabat.dashboard.element"]._sync_catalogue()
        candidates = self.sudo().browse(self._search_due_candidates())
        for subscription in candidates:
            subscription.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "Dashboard by email of %(user)s", user=subscription.user_id.name
                ),
            )._job_send_due_dashboard()
        _logger.info("Dashboards by email: %s job(s) queued", len(candidates))
        return len(candidates)

    def _job_send_due_dashboard(self):
        """Job: queue the due dashboard of this subscription and record the
        period sent, in one transaction (see ``_send_scheduled``): run twice,
        it sends once. A subscription locked by another transaction is tried
        again later; any error rolls the job back and the job queue retries
        it or reports it as failed.

        :return: a summary, kept on the job
        """
        self.ensure_one()
        if not self.sudo().exists():
            return "Subscription deleted: nothing to send"
        subscription = self._lock_for_sending(self.id)
        if not subscription:
            raise RetryableJobError(
                "The subscription is locked by another transaction", seconds=60
            )
        if subscription._send_scheduled():
            return "Dashboard queued"
        return "Not due (already sent for this period)"
