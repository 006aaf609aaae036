"""The subscription form from My Preferences, and who may do what."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import DashboardMailCommon


@tagged("post_install", "-at_install")
class TestPreferences(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = cls._create_user(
            "admin_rh", "Hélène Admin", groups="base.group_user,base.group_erp_manager"
        )
        cls.sub_bob = cls._create_subscription(cls.user_bob, periodicity="daily")

    def test_opening_the_form_the_first_time_proposes_a_new_subscription(self):
        action = self.user_alice.with_user(
            self.user_alice
        ).action_open_dashboard_subscription()
        self.assertEqual(action["res_model"], "extrabat.dashboard.subscription")
        self.assertEqual(action["target"], "new")
        self.assertNotIn("res_id", action)
        subscription = (
            self.env["extrabat.dashboard.subscription"]
            .with_user(self.user_alice)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(subscription.user_id, self.user_alice)
        self.assertEqual(subscription.periodicity, "weekly")
        defaults = {
            e["key"] for e in self.Element._get_dashboard_elements() if e["default"]
        }
        self.assertEqual(set(subscription.element_ids.mapped("key")), defaults)
        again = self.user_alice.with_user(
            self.user_alice
        ).action_open_dashboard_subscription()
        self.assertEqual(again["res_id"], subscription.id)

    def test_summary_in_my_preferences(self):
        self._create_subscription(self.user_alice, periodicity="weekly", weekday="3")
        [values] = (
            self.user_alice.with_user(self.user_alice)
            .with_context(lang="fr_FR")
            .read(["dashboard_mail_summary"])
        )
        self.assertEqual(values["dashboard_mail_summary"], "Chaque semaine, le jeudi")

    def test_summary_says_when_not_received(self):
        summary = self.user_alice.with_context(lang="fr_FR").dashboard_mail_summary
        self.assertEqual(summary, "Non reçu")

    def test_a_user_cannot_see_someone_elses_subscription(self):
        with self.assertRaises(AccessError):
            self.sub_bob.with_user(self.user_alice).read(["periodicity"])
        with self.assertRaises(AccessError):
            self.user_bob.with_user(
                self.user_alice
            ).action_open_dashboard_subscription()

    def test_a_user_cannot_subscribe_someone_else(self):
        with self.assertRaises(AccessError):
            self.env["extrabat.dashboard.subscription"].with_user(
                self.user_alice
            ).create({"user_id": self.user_admin.id})

    def test_a_user_cannot_move_their_subscription_to_someone_else(self):
        subscription = self._create_subscription(self.user_alice)
        with self.assertRaises(UserError):
            subscription.with_user(self.user_alice).write(
                {"user_id": self.user_admin.id}
            )

    def test_a_user_cannot_fake_what_was_sent(self):
        subscription = self._create_subscription(self.user_alice)
        for field in ("last_period_end", "next_date"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                subscription.with_user(self.user_alice).write({field: "2020-01-01"})

    def test_a_user_cannot_create_a_subscription_as_already_sent(self):
        Subscription = self.env["extrabat.dashboard.subscription"]
        forged = {
            "last_period_start": "2099-01-01",
            "last_period_end": "2099-12-31",
            "last_sent_date": "2099-12-31 10:00:00",
            "next_date": "2099-12-31",
        }
        for user in (self.user_alice, self.user_admin):
            for field, value in forged.items():
                with (
                    self.subTest(user=user.login, field=field),
                    self.assertRaises(AccessError),
                ):
                    Subscription.with_user(user).create(
                        {"user_id": user.id, field: value}
                    )
        # Through default_* keys of the context (they end up in the values).
        with self.assertRaises(AccessError):
            Subscription.with_user(self.user_alice).with_context(
                default_last_period_end="2099-12-31"
            ).create({})
        self.assertFalse(
            Subscription.search(
                [("user_id", "in", (self.user_alice + self.user_admin).ids)]
            )
        )

    def test_a_user_creates_their_subscription_without_sending_fields(self):
        subscription = (
            self.env["extrabat.dashboard.subscription"]
            .with_user(self.user_alice)
            .create({"periodicity": "daily"})
        )
        self.assertFalse(subscription.last_period_end)
        self.assertFalse(subscription.last_sent_date)

    def test_an_administrator_opens_anyones_form(self):
        action = self.user_bob.with_user(
            self.user_admin
        ).action_open_dashboard_subscription()
        self.assertEqual(action["res_id"], self.sub_bob.id)
        self.sub_bob.with_user(self.user_admin).write(
            {"periodicity": "monthly", "monthday": 31}
        )
        self.assertEqual(self.sub_bob.periodicity, "monthly")

    def test_a_portal_user_has_no_dashboard(self):
        portal = new_test_user(
            self.env, login="portal_client", groups="base.group_portal"
        )
        with self.assertRaises(UserError):
            portal.action_open_dashboard_subscription()
        with self.assertRaises(ValidationError):
            self._create_subscription(portal)

    def test_day_of_the_month_out_of_range_is_explained_in_french(self):
        subscription = self._create_subscription(self.user_alice)
        with self.assertRaisesRegex(ValidationError, "entre 1 et 31"):
            subscription.with_user(self.user_alice).with_context(lang="fr_FR").write(
                {"periodicity": "monthly", "monthday": 32}
            )

    def test_follow_up_delay_must_be_positive(self):
        subscription = self._create_subscription(self.user_alice)
        with self.assertRaises(ValidationError):
            subscription.follow_up_days = 0

    def test_one_subscription_per_user(self):
        self._create_subscription(self.user_alice)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._create_subscription(self.user_alice)

    def test_subscription_of_another_company_is_explained(self):
        company_2 = self.env["res.company"].create({"name": "Martin Piscines"})
        self.user_alice.company_ids = [Command.link(company_2.id)]
        self.Subscription.create(
            {"user_id": self.user_alice.id, "company_id": company_2.id}
        )
        with self.assertRaisesRegex(UserError, "Martin Piscines"):
            self.user_alice.with_user(self.user_alice).with_context(
                allowed_company_ids=[self.company.id]
            ).action_open_dashboard_subscription()

    def test_header_company_defaults_to_the_users_company(self):
        company_2 = self.env["res.company"].create({"name": "Martin Piscines"})
        piscines = self._create_user("piscines", "Léa Piscines", companies=company_2)
        subscription = self.Subscription.create({"user_id": piscines.id})
        self.assertEqual(self.env.company, self.company)
        self.assertEqual(subscription.company_id, company_2)

    def test_header_company_must_be_one_of_the_users(self):
        company_2 = self.env["res.company"].create({"name": "Autre Société"})
        with self.assertRaises(ValidationError):
            self.Subscription.create(
                {"user_id": self.user_alice.id, "company_id": company_2.id}
            )


@tagged("post_install", "-at_install")
class TestCatalogue(DashboardMailCommon):
    def test_catalogue_is_mirrored_in_records(self):
        keys = [e["key"] for e in self.Element._get_dashboard_elements()]
        self.assertEqual(self.Element.search([]).mapped("key"), keys)

    def test_labels_follow_the_readers_language(self):
        element = self.Element.search([("key", "=", "quotes_sent")])
        self.assertEqual(
            element.with_context(lang="fr_FR").display_name, "Devis envoyés"
        )
        self.assertEqual(element.with_context(lang="en_US").display_name, "Quotes sent")

    def test_a_key_no_code_declares_is_archived_then_restored(self):
        ghost = self.Element.create({"key": "ghost"})
        self.Element._sync_catalogue()
        self.assertFalse(ghost.active)
        element = self.Element.search([("key", "=", "revenue")])
        element.active = False
        self.Element._sync_catalogue()
        self.assertTrue(element.active)

    def test_an_element_without_compute_method_is_skipped(self):
        ghost = self.Element.create({"key": "ghost"})
        subscription = self._create_subscription(self.user_alice)
        period, today = subscription._get_send_now_period()
        run = subscription._prepare_run(period, today)
        self.assertIsNone(ghost._get_block(run))
