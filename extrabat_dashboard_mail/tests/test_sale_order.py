"""When a quote was sent: the date the dashboard counts quotes from."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.extrabat_dashboard_mail.hooks import pre_init_hook

from .common import DashboardMailCommon


@tagged("post_install", "-at_install")
class TestQuotationSentDate(DashboardMailCommon):
    def test_marking_a_quote_sent_records_when(self):
        order = self._create_order(self.user_alice, 100.0, sent_at="2025-03-04 10:00")
        self.assertEqual(order.quotation_sent_date, datetime(2025, 3, 4, 10, 0))

    def test_sending_it_by_email_records_when(self):
        order = self._create_order(self.user_alice, 100.0)
        self.assertFalse(order.quotation_sent_date)
        with freeze_time("2025-03-05 08:00"):
            order.with_context(mark_so_as_sent=True).message_post(body="Votre devis")
            order.flush_recordset()
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.quotation_sent_date, datetime(2025, 3, 5, 8, 0))

    def test_confirming_or_cancelling_keeps_the_first_date(self):
        order = self._create_order(
            self.user_alice,
            100.0,
            sent_at="2025-03-04 10:00",
            confirmed_at="2025-03-10 09:00",
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.quotation_sent_date, datetime(2025, 3, 4, 10, 0))
        order._action_cancel()
        self.assertEqual(order.quotation_sent_date, datetime(2025, 3, 4, 10, 0))

    def test_an_order_confirmed_without_being_sent_has_no_date(self):
        order = self._create_order(
            self.user_alice, 100.0, confirmed_at="2025-03-10 09:00"
        )
        self.assertFalse(order.quotation_sent_date)

    def test_installing_dates_the_quotes_already_sent_from_their_quotation(self):
        order = self._create_order(self.user_alice, 100.0, sent_at="2025-03-04 10:00")
        order.date_order = datetime(2025, 3, 1, 9, 0)
        order.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET quotation_sent_date = NULL WHERE id = %s",
                order.id,
            )
        )
        order.invalidate_recordset()
        pre_init_hook(self.env)
        order.invalidate_recordset()
        self.assertEqual(order.quotation_sent_date, datetime(2025, 3, 1, 9, 0))
