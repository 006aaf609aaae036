"""The dashboard mail itself: French first, company colours and logo,
formatted figures, links to Odoo's lists, HTML bars, unsubscribe headers."""

import ast
import json
from datetime import date
from urllib.parse import parse_qs, urlparse

from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DashboardMailCommon

ALL_ELEMENTS = (
    "revenue",
    "quotes_sent",
    "quotes_accepted",
    "orders_confirmed",
    "invoices_unpaid",
    "new_partners",
    "quotes_follow_up",
    "agenda",
    "top_clients",
)


@tagged("post_install", "-at_install")
class TestMailRendering(DashboardMailCommon):
    """Alice's weekly dashboard due on Monday 24 February 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dashboard_monthly_target = 10000.0
        # Revenue of the week (17-23 Feb), of the week before and earlier.
        cls._create_invoice(cls.user_alice, 1000.0, "2025-02-18")
        cls._create_invoice(cls.user_alice, 500.0, "2025-02-21")
        cls._create_invoice(cls.user_alice, 1000.0, "2025-02-12")
        cls._create_invoice(cls.user_alice, 2500.0, "2025-01-15")
        cls._create_invoice(cls.user_alice, 300.0, "2025-02-19", move_type="out_refund")
        # Quotes: one sent and accepted in the week, one waiting for 10 days.
        cls.quote_accepted = cls._create_order(
            cls.user_alice,
            1200.0,
            sent_at="2025-02-17 09:00",
            confirmed_at="2025-02-20 15:00",
        )
        cls.quote_waiting = cls._create_order(
            cls.user_alice, 3400.0, sent_at="2025-02-14 09:00"
        )
        with freeze_time("2025-02-10 09:00"):
            cls.subscription = cls._create_subscription(
                cls.user_alice, elements=ALL_ELEMENTS, periodicity="weekly", weekday="0"
            )
        cls.today = "2025-02-24"

    def _alice_dashboard(self):
        return self._render(self.subscription, self.today)

    # --- language and layout ---

    def test_subject_and_period_are_in_french(self):
        subject, tree = self._alice_dashboard()
        self.assertEqual(
            subject,
            "Votre tableau de bord : du 17 au 23 février 2025 · Martin Chauffage",
        )
        self.assertEqual(self._texts(tree, "dm-period"), ["Du 17 au 23 février 2025"])
        self.assertEqual(tree.xpath("//html/@lang"), ["fr-FR"])

    def test_block_titles_are_in_french_in_catalogue_order(self):
        _subject, tree = self._alice_dashboard()
        self.assertEqual(
            self._texts(tree, "dm-title"),
            [
                "Chiffre d'affaires facturé",
                "Devis envoyés",
                "Devis acceptés",
                "Commandes confirmées",
                "Factures impayées et en retard",
                "Nouveaux prospects et clients",
                "Devis à relancer",
                "Activités et rendez-vous à venir",
                "Meilleurs clients de la période",
            ],
        )

    def test_an_english_user_reads_it_in_english(self):
        self.user_alice.lang = "en_US"
        subject, tree = self._alice_dashboard()
        self.assertTrue(
            subject.startswith("Your dashboard: from 17 to 23 February 2025")
        )
        self.assertEqual(self._texts(tree, "dm-title")[0], "Revenue invoiced")
        revenue = self._block(tree, "revenue")
        self.assertEqual(self._texts(revenue, "dm-value"), ["1,200 €"])

    def test_company_logo_and_colours(self):
        _subject, tree = self._alice_dashboard()
        logo = tree.xpath('//img[contains(@class, "dm-logo")]/@src')[0]
        self.assertEqual(logo, "cid:logo.png@extrabat-dashboard-mail")
        header = tree.xpath('//td[contains(@class, "dm-header")]/@style')[0]
        self.assertIn("background-color:#0b5394", header.replace(" ", ""))
        self.assertIn("color:#ffffff", header.replace(" ", ""))

    def test_layout_is_made_for_phones(self):
        _subject, tree = self._alice_dashboard()
        self.assertEqual(
            tree.xpath('//meta[@name="viewport"]/@content'),
            ["width=device-width, initial-scale=1"],
        )
        main = tree.xpath('//table[contains(@class, "dm-main")]/@style')[0]
        self.assertIn("max-width:600px", main.replace(" ", ""))
        self.assertFalse(tree.xpath("//script"))

    # --- figures ---

    def test_revenue_against_the_previous_period_and_the_target(self):
        _subject, tree = self._alice_dashboard()
        revenue = self._block(tree, "revenue")
        # 1 000 + 500 - 300 (credit note) this week; 1 000 the week before.
        self.assertEqual(self._texts(revenue, "dm-value"), ["1 200 €"])
        self.assertEqual(self._texts(revenue, "dm-variation"), ["▲ +20 %"])
        self.assertEqual(
            self._texts(revenue, "dm-progress-text"),
            ["2 200 € sur 10 000 € (22 %)"],
        )
        gauge = revenue.xpath('.//td[contains(@class, "dm-gauge")]/@width')
        self.assertEqual(gauge, ["22%"])

    def test_revenue_chart_is_made_of_html_bars(self):
        _subject, tree = self._alice_dashboard()
        revenue = self._block(tree, "revenue")
        self.assertEqual(
            self._texts(revenue, "dm-bar-label"),
            ["13 janv.", "20 janv.", "27 janv.", "3 févr.", "10 févr.", "17 févr."],
        )
        self.assertEqual(
            self._texts(revenue, "dm-bar-value"),
            ["2 500 €", "0 €", "0 €", "0 €", "1 000 €", "1 200 €"],
        )
        widths = revenue.xpath('.//td[contains(@class, "dm-bar-fill")]/@width')
        self.assertEqual(widths, ["100%", "40%", "48%"])

    def test_quotes_accepted_and_conversion_rate(self):
        _subject, tree = self._alice_dashboard()
        block = self._block(tree, "quotes_accepted")
        self.assertEqual(self._texts(block, "dm-value"), ["1", "1 200 €", "100 %"])

    def test_quotes_to_follow_up_link_to_each_quote(self):
        _subject, tree = self._alice_dashboard()
        block = self._block(tree, "quotes_follow_up")
        self.assertEqual(self._texts(block, "dm-value"), ["1", "3 400 €"])
        links = block.xpath('.//a[contains(@class, "dm-row-link")]/@href')
        self.assertEqual(len(links), 1)
        self.assertTrue(links[0].endswith(f"/odoo/sale.order/{self.quote_waiting.id}"))
        self.assertIn("envoyé il y a 10 jours", block.text_content())

    def test_each_block_links_to_its_list_in_odoo(self):
        _subject, tree = self._alice_dashboard()
        revenue = self._block(tree, "revenue")
        href = revenue.xpath('.//a[contains(@class, "dm-open")]/@href')[0]
        url = urlparse(href)
        self.assertEqual(url.path, "/odoo/extrabat-dashboard-list")
        query = parse_qs(url.query)
        self.assertEqual(query["list_action"], ["account.action_move_out_invoice_type"])
        domain = json.loads(query["list_domain"][0])
        self.assertIn(["invoice_date", ">=", "2025-02-17"], domain)
        self.assertIn(["invoice_date", "<", "2025-02-24"], domain)
        # The web client asks the server for the action behind the link.
        action = (
            self.env["extrabat.dashboard.list.link"]
            .with_user(self.user_alice)
            .get_list_action(
                query["list_action"][0],
                query["list_domain"][0],
                query["list_name"][0],
                query["list_sig"][0],
            )
        )
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(action["domain"], domain)
        invoices = (
            self.env["account.move"].with_user(self.user_alice).search(action["domain"])
        )
        self.assertEqual(
            sorted(invoices.mapped("amount_untaxed")), [300.0, 500.0, 1000.0]
        )

    def test_a_link_to_an_empty_list_has_an_html_empty_state(self):
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(self.user_alice)
        args = ("sale.action_quotations", "[]", "Quotes")
        action = ListLink.with_context(lang="fr_FR").get_list_action(
            *args, ListLink._sign_list_link(*args)
        )
        self.assertIsInstance(action["help"], Markup)
        self.assertIn('<p class="o_view_nocontent_empty_folder">', action["help"])
        self.assertIs(action["useSampleModel"], False)

    def test_a_damaged_link_gives_a_clear_error(self):
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(self.user_alice)
        for action, domain in (
            ("base.user_admin", "[]"),
            ("account.action_move_out_invoice_type", "not json"),
            ("nowhere.nothing", "[]"),
            ("account.action_move_out_invoice_type", '{"a": 1}'),
        ):
            with (
                self.subTest(action=action, domain=domain),
                self.assertRaises(UserError),
            ):
                ListLink.with_context(lang="fr_FR").get_list_action(action, domain, "x")

    def test_every_link_of_the_mail_is_signed_and_opens(self):
        _subject, tree = self._alice_dashboard()
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(self.user_alice)
        hrefs = tree.xpath(
            '//a[contains(@href, "/odoo/extrabat-dashboard-list")]/@href'
        )
        self.assertGreater(len(hrefs), 5)
        for href in hrefs:
            query = parse_qs(urlparse(href).query)
            self.assertIn(query["list_action"][0], ListLink._get_list_actions())
            action = ListLink.get_list_action(
                *(query[key][0] for key in ("list_action", "list_domain", "list_name")),
                query["list_sig"][0],
            )
            self.assertEqual(action["type"], "ir.actions.act_window")

    def test_a_link_opens_only_what_the_server_signed(self):
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(self.user_alice)
        action, domain, name = (
            "sale.action_quotations",
            f'[["user_id","=",{self.user_alice.id}]]',
            "Mes devis",
        )
        signature = ListLink._sign_list_link(action, domain, name)
        self.assertEqual(
            ListLink.get_list_action(action, domain, name, signature)["res_model"],
            "sale.order",
        )
        forged = {
            "no signature": (action, domain, name, None),
            "empty signature": (action, domain, name, ""),
            "another domain": (action, '[["user_id","!=",0]]', name, signature),
            "another title": (action, domain, "Compte suspendu", signature),
            "another action": ("sale.action_orders", domain, name, signature),
            "not a string": (action, [["id", "!=", 0]], name, signature),
        }
        for label, args in forged.items():
            with self.subTest(label), self.assertRaises(UserError):
                ListLink.get_list_action(*args)

    def test_only_whitelisted_actions_open_even_when_signed(self):
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(self.user_alice)
        for action in ("base.action_res_users", "base.ir_config_list_action"):
            self.assertNotIn(action, ListLink._get_list_actions())
            signature = ListLink._sign_list_link(action, "[]", "x")
            with self.subTest(action), self.assertRaises(UserError):
                ListLink.get_list_action(action, "[]", "x", signature)
        run = self.subscription._prepare_run(
            self.subscription._get_send_now_period()[0], date(2025, 2, 24)
        )
        with self.assertRaises(ValueError):
            run.list_url("base.action_res_users", [], "Users")

    def test_footer_links_to_preferences_and_unsubscribe(self):
        _subject, tree = self._alice_dashboard()
        unsubscribe = tree.xpath('//a[contains(@class, "dm-unsubscribe")]/@href')[0]
        self.assertIn(
            f"/extrabat_dashboard_mail/unsubscribe/{self.subscription.id}?token=",
            unsubscribe,
        )
        preferences = tree.xpath('//a[contains(@class, "dm-preferences")]/@href')[0]
        self.assertTrue(
            preferences.endswith(
                f"/odoo/extrabat.dashboard.subscription/{self.subscription.id}"
            )
        )

    # --- the queued mail ---

    def test_queued_mail_has_one_click_unsubscribe_headers(self):
        with self.mock_mail_gateway(), self._at("2025-02-24 05:00"):
            self._run_cron()
        mail = self._mails_to(self.user_alice)
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            mail.email_to, '"Alice Martin" <alice@martin-chauffage.example.com>'
        )
        self.assertEqual(
            mail.email_from, '"Martin Chauffage" <contact@martin-chauffage.example.com>'
        )
        headers = ast.literal_eval(mail.headers)
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertEqual(
            headers["List-Unsubscribe"],
            f"<{self.subscription._get_unsubscribe_url()}>",
        )
        tree = self._tree(mail.body_html)
        self.assertEqual(
            tree.xpath("//td/@data-element"),
            list(ALL_ELEMENTS),
        )
        self.subscription.invalidate_recordset()
        self.assertEqual(self.subscription.last_period_start, date(2025, 2, 17))
