"""Browser flows (Odoo tours in headless Chromium)."""

import json
from urllib.parse import quote, urlencode

from odoo.tests import HttpCase, tagged

from .common import DashboardMailCommon


@tagged("post_install", "-at_install")
class TestTours(HttpCase, DashboardMailCommon):
    def test_a_salesperson_subscribes_from_my_preferences(self):
        user = self._create_user("tour_sales", "Tour Sales", lang="en_US")
        self.start_tour(
            "/odoo", "extrabat_dashboard_mail_preferences_tour", login="tour_sales"
        )
        subscription = self.Subscription.search([("user_id", "=", user.id)])
        self.assertEqual(len(subscription), 1)
        self.assertEqual(
            (subscription.periodicity, subscription.monthday), ("monthly", 31)
        )
        self.assertIn("payments_received", subscription.element_ids.mapped("key"))
        self.assertIn(
            "revenue", subscription.element_ids.mapped("key"), "defaults kept"
        )

    def test_a_link_of_the_mail_opens_the_filtered_list(self):
        user = self._create_user("tour_link", "Tour Link", lang="en_US")
        client = self.env["res.partner"].create({"name": "Tour Client"})
        shown = self._create_order(user, 500.0, partner=client)
        self._create_order(user, 900.0)  # same salesperson, not in the domain
        link = {
            "list_action": "sale.action_quotations",
            "list_domain": json.dumps([["id", "=", shown.id]]),
            "list_name": "Quotes of the tour",
        }
        link["list_sig"] = self.env["extrabat.dashboard.list.link"]._sign_list_link(
            *link.values()
        )
        query = urlencode(link, quote_via=quote)
        self.start_tour(
            f"/odoo/extrabat-dashboard-list?{query}",
            "extrabat_dashboard_mail_list_link_tour",
            login="tour_link",
        )


@tagged("post_install", "-at_install")
class TestToursMobileTour(TestTours):
    """Subscribing from My Preferences on a phone (390×844, touch). The
    mail's list link is covered at phone size by TestEmptyListLinkMobileTour."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
    test_a_link_of_the_mail_opens_the_filtered_list = None


@tagged("post_install", "-at_install")
class TestEmptyListLinkTour(HttpCase, DashboardMailCommon):
    """A link of the mail to a list that is empty by now."""

    def test_a_link_to_an_empty_list_shows_a_real_empty_state(self):
        self._create_user("tour_empty", "Tour Empty", lang="en_US")
        link = {
            "list_action": "sale.action_quotations",
            "list_domain": json.dumps([["id", "=", 0]]),
            "list_name": "Empty quotes of the tour",
        }
        link["list_sig"] = self.env["extrabat.dashboard.list.link"]._sign_list_link(
            *link.values()
        )
        query = urlencode(link, quote_via=quote)
        self.start_tour(
            f"/odoo/extrabat-dashboard-list?{query}",
            "extrabat_dashboard_mail_empty_list_tour",
            login="tour_empty",
        )


@tagged("post_install", "-at_install")
class TestEmptyListLinkMobileTour(TestEmptyListLinkTour):
    """The same on a phone (390×844, touch)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
