"""Two cron workers at the same time, with real concurrent transactions on
committed data: each user's dashboard is queued once, and a worker never
waits for another.

Nothing here depends on the wall clock: the time is frozen for the whole
test (the workers' threads included), the order of the steps is set by the
test itself (one thread, two connections) or by a barrier, and the lock
timeout only turns a wait — a bug — into an error instead of a hang.
"""

import logging
import threading
import uuid
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user

SUBSCRIPTION = "extrabat.dashboard.subscription"
LOGGER = "odoo.addons.extrabat_dashboard_mail.models.extrabat_dashboard_subscription"
#: 05:00 UTC, 06:00 in Paris: the cron's usual time, on Wednesday 5 March.
NOW = "2025-03-05 05:00:00"
TODAY = date(2025, 3, 5)


@tagged("post_install", "-at_install")
class TestConcurrentSenders(TransactionCase):
    """Fixtures are committed (other connections must see them) and removed
    afterwards; the cron runs in real cursors, outside the test transaction."""

    USERS = 4

    def setUp(self):
        super().setUp()
        frozen = freeze_time(NOW)
        frozen.start()
        self.addCleanup(frozen.stop)
        tag = uuid.uuid4().hex[:8]
        today = TODAY
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env["res.users"]
            for index in range(self.USERS):
                users |= new_test_user(
                    env,
                    login=f"dm_concurrent_{tag}_{index}",
                    email=f"dm.concurrent.{tag}.{index}@example.com",
                    tz="Europe/Paris",
                )
            subscriptions = env[SUBSCRIPTION].create(
                [
                    {
                        "user_id": user.id,
                        "company_id": user.company_id.id,
                        "periodicity": "daily",
                    }
                    for user in users
                ]
            )
            subscriptions.element_ids = False
            # Yesterday's dashboard was sent: today's is due.
            subscriptions.write(
                {
                    "last_period_start": today - timedelta(days=2),
                    "last_period_end": today - timedelta(days=1),
                }
            )
            self.user_ids, self.subscription_ids = users.ids, subscriptions.ids
            self.emails = users.mapped("email")
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.mail"].search(
                [("email_to", "in", self._formatted_emails(env))]
            ).unlink()
            env[SUBSCRIPTION].browse(self.subscription_ids).unlink()
            users = env["res.users"].browse(self.user_ids)
            partners = users.partner_id
            users.unlink()
            # extrabat_crm never deletes a partner, except on purpose:
            partners._unlink_bypassing_trash()

    def _formatted_emails(self, env):
        return env["res.users"].browse(self.user_ids).mapped("email_formatted")

    def _mail_counts(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            mails = env["mail.mail"].search(
                [("email_to", "in", self._formatted_emails(env))]
            )
            return sorted(
                len(mails.filtered(lambda m, e=e: m.email_to == e))
                for e in self._formatted_emails(env)
            )

    def test_a_row_locked_by_one_worker_is_skipped_by_the_other(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            worker_a = api.Environment(cr_a, SUPERUSER_ID, {})[SUBSCRIPTION]
            worker_b = api.Environment(cr_b, SUPERUSER_ID, {})[SUBSCRIPTION]
            locked = worker_a._lock_for_sending(self.subscription_ids[0])
            self.assertTrue(locked, "worker A holds the first user")
            # Worker B runs the whole cron meanwhile: it does not wait for A
            # (SKIP LOCKED) and leaves A's user alone. Were it to wait, the
            # lock timeout would end the wait with LockNotAvailable, which
            # the cron logs as "busy": no such line may appear.
            cr_b.execute("SET lock_timeout = '5s'")
            try:
                # logging.INFO, not "INFO": Odoo names its level 25 "INFO" too.
                with self.assertLogs(LOGGER, logging.INFO) as logs:
                    sent = worker_b._cron_send_due_dashboards()
            finally:
                cr_b.execute("RESET lock_timeout")
            self.assertEqual(sent, self.USERS - 1)
            self.assertFalse([line for line in logs.output if "busy" in line])
            self.assertTrue(locked._send_scheduled())
            cr_a.commit()
            # B again, after A committed: nothing is due any more.
            self.assertEqual(worker_b._cron_send_due_dashboards(), 0)
        self.assertEqual(self._mail_counts(), [1] * self.USERS)

    def test_a_worker_with_an_older_snapshot_does_not_send_again(self):
        first = self.subscription_ids[0]
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            worker_a = api.Environment(cr_a, SUPERUSER_ID, {})[SUBSCRIPTION]
            worker_b = api.Environment(cr_b, SUPERUSER_ID, {})[SUBSCRIPTION]
            # B takes its snapshot: the first user's dashboard is due.
            self.assertIn(first, worker_b._search_due_candidates())
            # A sends it and commits meanwhile.
            self.assertTrue(worker_a._send_due_dashboard(first))
            cr_a.commit()
            # B reaches that user with its older snapshot: the row is not
            # locked any more, but changed since; B must not send it again.
            self.assertFalse(worker_b._send_due_dashboard(first))
            cr_b.commit()
        self.assertEqual(self._mail_counts(), [0] * (self.USERS - 1) + [1])

    def test_two_workers_started_together_send_each_dashboard_once(self):
        barrier = threading.Barrier(2)
        results, errors = [], []

        def worker(env):
            try:
                barrier.wait(timeout=30)
                results.append(env[SUBSCRIPTION]._cron_send_due_dashboards())
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)

        # Cursors and environments are made here: the registry is locked by
        # the test runner while tests run, a thread could not load it.
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            threads = [
                threading.Thread(
                    target=worker, args=(api.Environment(cr, SUPERUSER_ID, {}),)
                )
                for cr in (cr_a, cr_b)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(sum(results), self.USERS)
        self.assertEqual(self._mail_counts(), [1] * self.USERS)
