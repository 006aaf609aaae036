"""When the daily cron sends a dashboard, and which period it covers: every
periodicity boundary with frozen time, in the user's time zone."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DashboardMailCommon


@tagged("post_install", "-at_install")
class TestSchedule(DashboardMailCommon):
    def _run_cron_each_day(self, first, last, hour=5):
        """Run the cron once a day from ``first`` to ``last`` (UTC ``hour``).

        :return: ``{day: number queued}`` for the days something was queued
        """
        sent = {}
        day = first
        while day <= last:
            with self._at(
                datetime.combine(day, datetime.min.time()).replace(hour=hour)
            ):
                count = self._run_cron()
            if count:
                sent[day] = count
            day += timedelta(days=1)
        return sent

    def _subscribe(self, at, **values):
        with self._at(at):
            return self._create_subscription(self.user_alice, elements=(), **values)

    # --- first due date ---

    def test_first_dashboard_is_due_after_the_day_of_subscribing(self):
        subscription = self._subscribe(
            "2025-01-13 09:00", periodicity="weekly", weekday="0"
        )
        self.assertEqual(subscription.next_date, date(2025, 1, 20))

    def test_never_has_no_next_date_and_sends_nothing(self):
        subscription = self._subscribe("2025-01-13 09:00", periodicity="never")
        self.assertFalse(subscription.next_date)
        with self.mock_mail_gateway():
            sent = self._run_cron_each_day(date(2025, 1, 13), date(2025, 1, 21))
        self.assertEqual(sent, {})

    # --- daily ---

    def test_daily_sends_yesterday_every_morning(self):
        subscription = self._subscribe("2025-02-26 18:00", periodicity="daily")
        with self.mock_mail_gateway():
            sent = self._run_cron_each_day(date(2025, 2, 26), date(2025, 3, 1))
        self.assertEqual(
            list(sent), [date(2025, 2, 27), date(2025, 2, 28), date(2025, 3, 1)]
        )
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_start, date(2025, 2, 28))
        self.assertEqual(subscription.last_period_end, date(2025, 3, 1))
        self.assertEqual(subscription.next_date, date(2025, 3, 2))
        self.assertEqual(len(self._mails_to(self.user_alice)), 3)

    # --- weekly ---

    def test_weekly_sends_on_the_chosen_weekday_only(self):
        subscription = self._subscribe(
            "2025-01-01 09:00", periodicity="weekly", weekday="3"
        )  # Thursday
        with self.mock_mail_gateway():
            sent = self._run_cron_each_day(date(2025, 1, 1), date(2025, 1, 16))
        self.assertEqual(
            list(sent), [date(2025, 1, 2), date(2025, 1, 9), date(2025, 1, 16)]
        )
        subscription.invalidate_recordset()
        self.assertEqual(
            (subscription.last_period_start, subscription.last_period_end),
            (date(2025, 1, 9), date(2025, 1, 16)),
        )
        self.assertEqual(subscription.next_date, date(2025, 1, 23))

    def test_weekly_period_covers_the_seven_days_before_the_weekday(self):
        subscription = self._subscribe(
            "2025-01-10 09:00", periodicity="weekly", weekday="0"
        )
        with self.mock_mail_gateway(), self._at("2025-01-13 05:00"):
            self.assertEqual(self._run_cron(), 1)
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_start, date(2025, 1, 6))
        self.assertEqual(subscription.last_period_end, date(2025, 1, 13))
        mail = self._mails_to(self.user_alice)
        self.assertIn("6 au 12 janvier 2025", mail.subject)

    # --- monthly ---

    def test_monthly_on_the_31st_through_a_leap_february(self):
        subscription = self._subscribe(
            "2024-01-20 09:00", periodicity="monthly", monthday=31
        )
        self.assertEqual(subscription.next_date, date(2024, 1, 31))
        with self.mock_mail_gateway():
            sent = self._run_cron_each_day(date(2024, 1, 30), date(2024, 2, 1))
            sent.update(self._run_cron_each_day(date(2024, 2, 27), date(2024, 3, 1)))
            sent.update(self._run_cron_each_day(date(2024, 3, 30), date(2024, 4, 1)))
            sent.update(self._run_cron_each_day(date(2024, 4, 29), date(2024, 5, 1)))
        self.assertEqual(
            list(sent),
            [
                date(2024, 1, 31),
                date(2024, 2, 29),
                date(2024, 3, 31),
                date(2024, 4, 30),
            ],
        )
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_start, date(2024, 3, 31))
        self.assertEqual(subscription.next_date, date(2024, 5, 31))

    def test_monthly_on_the_31st_in_a_common_february(self):
        subscription = self._subscribe(
            "2023-02-01 09:00", periodicity="monthly", monthday=31
        )
        with self.mock_mail_gateway():
            sent = self._run_cron_each_day(date(2023, 2, 26), date(2023, 3, 2))
        self.assertEqual(list(sent), [date(2023, 2, 28)])
        subscription.invalidate_recordset()
        self.assertEqual(
            (subscription.last_period_start, subscription.last_period_end),
            (date(2023, 1, 31), date(2023, 2, 28)),
        )
        self.assertEqual(subscription.next_date, date(2023, 3, 31))

    def test_monthly_on_the_first_covers_the_previous_month(self):
        subscription = self._subscribe("2024-02-10 09:00", periodicity="monthly")
        with self.mock_mail_gateway(), self._at("2024-03-01 05:00"):
            self._run_cron()
        subscription.invalidate_recordset()
        self.assertEqual(
            (subscription.last_period_start, subscription.last_period_end),
            (date(2024, 2, 1), date(2024, 3, 1)),
        )
        self.assertIn("février 2024", self._mails_to(self.user_alice).subject)

    # --- late runs ---

    def test_catch_up_after_days_late_sends_one_mail_for_the_latest_period(self):
        subscription = self._subscribe("2025-02-28 09:00", periodicity="daily")
        self.assertEqual(subscription.next_date, date(2025, 3, 1))
        # The cron did not run from 1 to 4 March.
        with self.mock_mail_gateway(), self._at("2025-03-05 05:00"):
            self.assertEqual(self._run_cron(), 1)
            self.assertEqual(self._run_cron(), 0)
        subscription.invalidate_recordset()
        self.assertEqual(
            (subscription.last_period_start, subscription.last_period_end),
            (date(2025, 3, 4), date(2025, 3, 5)),
        )
        self.assertEqual(subscription.next_date, date(2025, 3, 6))
        self.assertEqual(len(self._mails_to(self.user_alice)), 1)

    def test_next_date_follows_the_period_not_a_late_send(self):
        subscription = self._subscribe(
            "2025-01-08 09:00", periodicity="weekly", weekday="0"
        )
        # Due Monday 13th; the cron only runs on Thursday 16th.
        with self.mock_mail_gateway(), self._at("2025-01-16 15:00"):
            self._run_cron()
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_end, date(2025, 1, 13))
        self.assertEqual(subscription.next_date, date(2025, 1, 20))

    def test_monthly_months_late_sends_the_last_complete_month(self):
        subscription = self._subscribe("2025-01-10 09:00", periodicity="monthly")
        with self.mock_mail_gateway(), self._at("2025-04-20 05:00"):
            self.assertEqual(self._run_cron(), 1)
        subscription.invalidate_recordset()
        self.assertEqual(
            (subscription.last_period_start, subscription.last_period_end),
            (date(2025, 3, 1), date(2025, 4, 1)),
        )
        self.assertEqual(subscription.next_date, date(2025, 5, 1))

    # --- time zones and daylight saving ---

    def test_due_day_is_the_users_day_not_utcs(self):
        subscription = self._subscribe("2025-01-10 09:00", periodicity="daily")
        self.assertEqual(subscription.next_date, date(2025, 1, 11))
        # 23:30 UTC on the 10th is already the 11th in Paris...
        with self.mock_mail_gateway(), self._at("2025-01-10 23:30"):
            self.assertEqual(self._run_cron(), 1)
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_start, date(2025, 1, 10))
        # ... but not yet in New York.
        self.user_bob.tz = "America/New_York"
        with self._at("2025-01-10 09:00"):
            late_riser = self._create_subscription(
                self.user_bob, elements=(), periodicity="daily"
            )
        with self.mock_mail_gateway(), self._at("2025-01-11 04:30"):
            self.assertEqual(self._run_cron(), 0)
        late_riser.invalidate_recordset()
        self.assertFalse(late_riser.last_period_end)

    def test_spring_forward_day_counts_its_23_hours_in_paris(self):
        self._create_order(
            self.user_alice, 100.0, sent_at="2025-03-29 23:30"
        )  # 00:30 on the 30th
        self._create_order(
            self.user_alice, 200.0, sent_at="2025-03-30 21:30"
        )  # 23:30 on the 30th
        self._create_order(
            self.user_alice, 400.0, sent_at="2025-03-30 22:30"
        )  # 00:30 on the 31st
        self._create_order(
            self.user_alice, 800.0, sent_at="2025-03-29 22:30"
        )  # 23:30 on the 29th
        with freeze_time("2025-03-29 09:00"):
            subscription = self._create_subscription(
                self.user_alice, periodicity="daily"
            )
        _subject, tree = self._render(subscription, "2025-03-31")
        block = self._block(tree, "quotes_sent")
        self.assertEqual(self._texts(block, "dm-value"), ["2", "300 €"])

    def test_fall_back_day_counts_its_25_hours_in_paris(self):
        self._create_order(
            self.user_alice, 100.0, sent_at="2025-10-25 22:30"
        )  # 00:30 on the 26th
        self._create_order(
            self.user_alice, 200.0, sent_at="2025-10-26 22:30"
        )  # 23:30 on the 26th
        self._create_order(
            self.user_alice, 400.0, sent_at="2025-10-26 23:30"
        )  # 00:30 on the 27th
        with freeze_time("2025-10-20 09:00"):
            subscription = self._create_subscription(
                self.user_alice, periodicity="daily"
            )
        _subject, tree = self._render(subscription, "2025-10-27")
        block = self._block(tree, "quotes_sent")
        self.assertEqual(self._texts(block, "dm-value"), ["2", "300 €"])

    def test_cron_on_the_dst_night_sends_once(self):
        subscription = self._subscribe("2025-03-28 09:00", periodicity="daily")
        with self.mock_mail_gateway():
            # 23:30 UTC on the 29th = 00:30 on the 30th; 22:30 UTC on the
            # 30th = 00:30 on the 31st (summer time since 02:00).
            for moment in ("2025-03-29 23:30", "2025-03-30 05:00", "2025-03-30 22:30"):
                with self._at(moment):
                    self._run_cron()
        subscription.invalidate_recordset()
        self.assertEqual(subscription.last_period_start, date(2025, 3, 30))
        self.assertEqual(len(self._mails_to(self.user_alice)), 2)
