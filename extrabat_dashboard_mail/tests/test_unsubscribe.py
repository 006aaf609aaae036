"""One-click unsubscribe with a signed token, and the preview in the browser."""

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import DashboardMailCommon


@tagged("post_install", "-at_install")
class TestUnsubscribe(HttpCase, DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-08 09:00"):
            cls.sub_alice = cls._create_subscription(
                cls.user_alice, periodicity="weekly"
            )
            cls.sub_bob = cls._create_subscription(cls.user_bob, periodicity="daily")

    def _url(self, subscription, token):
        return f"/extrabat_dashboard_mail/unsubscribe/{subscription.id}?token={token}"

    def test_get_with_a_valid_token_only_asks_to_confirm(self):
        response = self.url_open(
            self._url(self.sub_alice, self.sub_alice._get_unsubscribe_token())
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ne plus envoyer le tableau de bord", response.text)
        self.assertIn('<form method="post"', response.text)
        self.sub_alice.invalidate_recordset()
        self.assertEqual(self.sub_alice.periodicity, "weekly")

    def test_post_from_the_page_unsubscribes(self):
        response = self.url_open(
            f"/extrabat_dashboard_mail/unsubscribe/{self.sub_alice.id}",
            data={"token": self.sub_alice._get_unsubscribe_token()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("ne recevra plus le tableau de bord", response.text)
        self.sub_alice.invalidate_recordset()
        self.assertEqual(self.sub_alice.periodicity, "never")
        self.assertFalse(self.sub_alice.next_date)
        self.assertEqual(self.sub_bob.periodicity, "daily", "Bob is untouched")

    def test_one_click_post_from_the_mail_client(self):
        url = self.sub_bob._get_unsubscribe_url()
        response = self.url_open(url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.sub_bob.invalidate_recordset()
        self.assertEqual(self.sub_bob.periodicity, "never")

    def test_a_forged_token_is_refused(self):
        token = self.sub_alice._get_unsubscribe_token()
        forged = ("0" if token[0] != "0" else "1") + token[1:]
        for method_data in (None, {"token": forged}):
            response = self.url_open(
                self._url(self.sub_alice, forged), data=method_data
            )
            self.assertEqual(response.status_code, 404)
        self.sub_alice.invalidate_recordset()
        self.assertEqual(self.sub_alice.periodicity, "weekly")

    def test_another_users_token_is_refused(self):
        bobs_token = self.sub_bob._get_unsubscribe_token()
        response = self.url_open(
            f"/extrabat_dashboard_mail/unsubscribe/{self.sub_alice.id}",
            data={"token": bobs_token},
        )
        self.assertEqual(response.status_code, 404)
        self.sub_alice.invalidate_recordset()
        self.assertEqual(self.sub_alice.periodicity, "weekly")

    def test_no_token_is_refused(self):
        response = self.url_open(
            f"/extrabat_dashboard_mail/unsubscribe/{self.sub_alice.id}"
        )
        self.assertEqual(response.status_code, 404)

    def test_token_depends_on_subscription_and_user(self):
        self.assertNotEqual(
            self.sub_alice._get_unsubscribe_token(),
            self.sub_bob._get_unsubscribe_token(),
        )
        self.assertTrue(
            self.sub_alice._check_unsubscribe_token(
                self.sub_alice._get_unsubscribe_token()
            )
        )
        self.assertFalse(
            self.sub_alice._check_unsubscribe_token(
                self.sub_bob._get_unsubscribe_token()
            )
        )
        self.assertFalse(self.sub_alice._check_unsubscribe_token(""))

    def test_preview_shows_the_users_dashboard(self):
        self.authenticate("alice", "alicexxx")
        response = self.url_open(
            f"/extrabat_dashboard_mail/preview/{self.sub_alice.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-element="quotes_sent"', response.text)
        self.assertIn("Aperçu", response.text)

    def test_preview_of_someone_elses_dashboard_is_forbidden(self):
        self.authenticate("alice", "alicexxx")
        with mute_logger("odoo.http"):  # the access error is logged by Odoo
            response = self.url_open(
                f"/extrabat_dashboard_mail/preview/{self.sub_bob.id}"
            )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("data-element", response.text)
