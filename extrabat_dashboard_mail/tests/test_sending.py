"""Each user's dashboard exactly once per period: the cron commits one user
at a time, a failure or a crash leaves nothing half done."""

import logging
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.extrabat_dashboard_mail.models.extrabat_dashboard_subscription import (
    ExtrabatDashboardSubscription,
)

from .common import DashboardMailCommon

SUBSCRIPTION_LOGGER = (
    "odoo.addons.extrabat_dashboard_mail.models.extrabat_dashboard_subscription"
)


class CronKilled(BaseException):
    """The worker process dies (killed, out of memory, server stopped):
    nothing of the running transaction is committed."""


@tagged("post_install", "-at_install")
class TestSending(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-08 09:00"):
            cls.sub_alice = cls._create_subscription(
                cls.user_alice, periodicity="weekly", weekday="0"
            )
            cls.sub_bob = cls._create_subscription(
                cls.user_bob, periodicity="weekly", weekday="0"
            )
        cls.due_moment = "2025-01-13 05:00"  # Monday the 13th, 06:00 in Paris

    def _inject_failure_after_mail(self, user, exception):
        """Make the unit of ``user`` fail right after its mail.mail exists."""
        original = ExtrabatDashboardSubscription._create_dashboard_mail

        def create_then_fail(subscription, period, today):
            mail = original(subscription, period, today)
            if subscription.user_id == user:
                raise exception
            return mail

        return patch.object(
            ExtrabatDashboardSubscription, "_create_dashboard_mail", create_then_fail
        )

    def test_each_due_user_gets_one_mail_and_the_period_is_recorded(self):
        with self.mock_mail_gateway(), self._at(self.due_moment):
            self.assertEqual(self._run_cron(), 2)
        for subscription, user in (
            (self.sub_alice, self.user_alice),
            (self.sub_bob, self.user_bob),
        ):
            subscription.invalidate_recordset()
            self.assertEqual(subscription.last_period_end, date(2025, 1, 13))
            self.assertEqual(subscription.next_date, date(2025, 1, 20))
            mail = self._mails_to(user)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.state, "outgoing", "queued, not sent inline")

    def test_a_second_run_the_same_day_sends_nothing(self):
        with self.mock_mail_gateway(), self._at(self.due_moment):
            self._run_cron()
            self.assertEqual(self._run_cron(), 0)
        self.assertEqual(len(self._mails_to(self.user_alice)), 1)
        self.assertEqual(len(self._mails_to(self.user_bob)), 1)

    def test_one_users_failure_is_rolled_back_logged_and_does_not_block_others(self):
        with (
            self.mock_mail_gateway(),
            self._at(self.due_moment),
            self._inject_failure_after_mail(self.user_alice, RuntimeError("disk full")),
            self.assertLogs(SUBSCRIPTION_LOGGER, level=logging.ERROR) as logs,
        ):
            self.assertEqual(self._run_cron(), 1)
        self.assertEqual(len(logs.records), 1)
        self.assertIn(str(self.sub_alice.id), logs.records[0].getMessage())
        self.assertIsNotNone(logs.records[0].exc_info, "the exception is logged")
        # Alice: the mail created before the failure was rolled back with it.
        self.assertFalse(self._mails_to(self.user_alice))
        self.sub_alice.invalidate_recordset()
        self.assertFalse(self.sub_alice.last_period_end)
        self.assertEqual(self.sub_alice.next_date, date(2025, 1, 13))
        # Bob: sent and recorded.
        self.assertEqual(len(self._mails_to(self.user_bob)), 1)

    def test_no_double_send_after_a_failure_then_a_second_run(self):
        with self.mock_mail_gateway(), self._at(self.due_moment):
            with (
                self._inject_failure_after_mail(self.user_alice, RuntimeError("boom")),
                self.assertLogs(SUBSCRIPTION_LOGGER, level=logging.ERROR),
            ):
                self._run_cron()
            self.assertEqual(self._run_cron(), 1, "only Alice is left to send")
        self.assertEqual(len(self._mails_to(self.user_alice)), 1)
        self.assertEqual(len(self._mails_to(self.user_bob)), 1)

    def test_no_double_send_after_the_cron_is_killed_midway(self):
        # Alice's unit is committed, then the worker dies inside Bob's unit,
        # after his mail.mail was created.
        with self.mock_mail_gateway(), self._at(self.due_moment):
            # Not self.assertRaises: Odoo's rolls back a savepoint around its
            # block, which would also undo what the cron committed.
            killed = False
            with self._inject_failure_after_mail(self.user_bob, CronKilled()):
                try:
                    self._run_cron()
                except CronKilled:
                    killed = True
            self.assertTrue(killed)
            self.assertEqual(len(self._mails_to(self.user_alice)), 1)
            self.assertFalse(
                self._mails_to(self.user_bob), "nothing of Bob's unit survives"
            )
            # The next run (same day or days later) sends Bob's only.
            self.assertEqual(self._run_cron(), 1)
        self.assertEqual(len(self._mails_to(self.user_alice)), 1)
        self.assertEqual(len(self._mails_to(self.user_bob)), 1)
        self.sub_bob.invalidate_recordset()
        self.assertEqual(self.sub_bob.last_period_end, date(2025, 1, 13))

    def test_a_user_without_email_is_left_out_quietly(self):
        self.user_bob.email = False
        with self.mock_mail_gateway(), self._at(self.due_moment):
            self.assertEqual(self._run_cron(), 1)
        self.sub_bob.invalidate_recordset()
        self.assertFalse(self.sub_bob.last_period_end)

    def test_an_archived_user_receives_nothing(self):
        self.user_bob.action_archive()
        with self.mock_mail_gateway(), self._at(self.due_moment):
            self.assertEqual(self._run_cron(), 1)
        self.assertFalse(self._mails_to(self.user_bob))

    def test_send_now_queues_the_latest_period_and_keeps_the_schedule(self):
        with self.mock_mail_gateway(), self._at("2025-01-15 10:00"):
            action = self.sub_alice.with_user(self.user_alice).action_send_now()
        self.assertEqual(action["params"]["type"], "success")
        mail = self._mails_to(self.user_alice)
        self.assertEqual(len(mail), 1)
        self.assertIn("6 au 12 janvier 2025", mail.subject)
        self.assertFalse(self.sub_alice.last_period_end)
        self.assertEqual(self.sub_alice.next_date, date(2025, 1, 13))

    def test_send_now_without_email_says_so(self):
        self.user_alice.email = False
        with self.assertRaisesRegex(UserError, "adresse e-mail"):
            self.sub_alice.with_user(self.user_alice).with_context(
                lang="fr_FR"
            ).action_send_now()
