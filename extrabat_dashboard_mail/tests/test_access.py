"""Each dashboard is computed with its recipient's own rights: two
salespeople of one company, a salesperson of another company and a manager
of both each see their own figures, and nothing else."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MANAGER_GROUPS, DashboardMailCommon

ELEMENTS = (
    "revenue",
    "quotes_sent",
    "payments_received",
    "new_partners",
    "top_clients",
)


@tagged("post_install", "-at_install")
class TestAccessRights(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Martin Piscines", "currency_id": cls.company.currency_id.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_2, install_demo=False
        )
        # The chart sets its own currency; both companies work in euros.
        cls.company_2.currency_id = cls.company.currency_id
        cls.user_carol = cls._create_user(
            "carol", "Carol Petit", companies=cls.company_2
        )
        cls.user_manon = cls._create_user(
            "manon",
            "Manon Martin",
            groups=MANAGER_GROUPS,
            companies=cls.company + cls.company_2,
        )
        cls.user_paul = cls._create_user(
            "paul", "Paul Martin", groups=MANAGER_GROUPS, companies=cls.company
        )
        cls.partner_2 = cls.env["res.partner"].create({"name": "Camping Les Pins"})
        # Week of Monday 24 February 2025, sent on Monday 3 March.
        cls._create_invoice(cls.user_alice, 1000.0, "2025-02-25")
        cls._create_invoice(cls.user_bob, 2000.0, "2025-02-26")
        cls._create_invoice(
            cls.user_carol,
            4000.0,
            "2025-02-27",
            company=cls.company_2,
            partner=cls.partner_2,
        )
        cls._create_order(cls.user_alice, 100.0, sent_at="2025-02-25 10:00")
        cls._create_order(cls.user_bob, 200.0, sent_at="2025-02-25 10:00")
        cls._create_order(cls.user_bob, 200.0, sent_at="2025-02-26 10:00")
        cls._create_order(
            cls.user_carol, 400.0, sent_at="2025-02-27 10:00", company=cls.company_2
        )
        with freeze_time("2025-02-20 09:00"):
            cls.subscriptions = {
                user: cls._create_subscription(
                    user, elements=ELEMENTS, periodicity="weekly", weekday="0"
                )
                for user in (
                    cls.user_alice,
                    cls.user_bob,
                    cls.user_carol,
                    cls.user_manon,
                    cls.user_paul,
                )
            }

    def _figures(self, user, key):
        _subject, tree = self._render(self.subscriptions[user], "2025-03-03")
        block = self._block(tree, key)
        return block is not None and self._texts(block, "dm-value")

    def test_each_salesperson_sees_only_their_revenue(self):
        self.assertEqual(self._figures(self.user_alice, "revenue")[0], "1 000 €")
        self.assertEqual(self._figures(self.user_bob, "revenue")[0], "2 000 €")

    def test_each_salesperson_sees_only_their_quotes(self):
        self.assertEqual(self._figures(self.user_alice, "quotes_sent"), ["1", "100 €"])
        self.assertEqual(self._figures(self.user_bob, "quotes_sent"), ["2", "400 €"])

    def test_a_salesperson_of_the_other_company_sees_only_that_company(self):
        self.assertEqual(self._figures(self.user_carol, "revenue")[0], "4 000 €")
        self.assertEqual(self._figures(self.user_carol, "quotes_sent"), ["1", "400 €"])

    def test_a_manager_of_both_companies_sees_both(self):
        self.assertEqual(self._figures(self.user_manon, "revenue")[0], "7 000 €")
        self.assertEqual(self._figures(self.user_manon, "quotes_sent"), ["4", "900 €"])

    def test_a_manager_of_one_company_sees_that_company_only(self):
        self.assertEqual(self._figures(self.user_paul, "revenue")[0], "3 000 €")

    def test_top_clients_follow_the_same_scope(self):
        _subject, tree = self._render(self.subscriptions[self.user_alice], "2025-03-03")
        labels = self._texts(self._block(tree, "top_clients"), "dm-bar-label")
        self.assertEqual(labels, ["Famille Dupont"])
        _subject, tree = self._render(self.subscriptions[self.user_manon], "2025-03-03")
        labels = self._texts(self._block(tree, "top_clients"), "dm-bar-label")
        self.assertEqual(labels, ["Camping Les Pins", "Famille Dupont"])

    def test_an_element_the_user_may_not_read_is_left_out(self):
        # Salespeople have no access to payments; accountants do.
        self.assertFalse(self._figures(self.user_alice, "payments_received"))
        self.assertEqual(
            self._figures(self.user_manon, "payments_received"), ["0", "0 €"]
        )

    def test_new_prospects_and_clients_follow_the_salesperson(self):
        prospect = self.env.ref("extrabat_crm.client_status_prospect")
        client = self.env.ref("extrabat_crm.client_status_client")
        Partner = self.env["res.partner"]
        # create_date comes from the transaction's clock (cr.now()): frozen too.
        with self.mock_datetime_and_now(datetime(2025, 2, 25, 10, 0)):
            Partner.create(
                [
                    {"name": "M. Bernard", "user_id": self.user_alice.id},
                    {"name": "Mme Roux", "user_id": self.user_alice.id},
                    {
                        "name": "SCI Les Tilleuls",
                        "is_company": True,
                        "user_id": self.user_bob.id,
                    },
                ]
            ).client_status_id = prospect
            won = Partner.create(
                {
                    "name": "M. Garnier",
                    "user_id": self.user_alice.id,
                    "client_status_id": prospect.id,
                }
            )
            # A company's contact shares its status: not counted again.
            Partner.create({"name": "Mme Tilleul", "parent_id": won.id})
        with freeze_time("2025-02-28 16:00"):
            won.client_status_id = client
        self.assertEqual(self._figures(self.user_alice, "new_partners"), ["2", "1"])
        self.assertEqual(self._figures(self.user_bob, "new_partners"), ["1", "0"])
        self.assertEqual(self._figures(self.user_manon, "new_partners"), ["3", "1"])

    def test_queries_do_not_grow_with_the_number_of_documents(self):
        subscription = self.subscriptions[self.user_manon]
        subscription.element_ids = self.Element.search([])
        self._render(subscription, "2025-03-03")  # warm the caches

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._render(subscription, "2025-03-03")
            return self.env.cr.sql_log_count - before

        queries = count_queries()
        for day in ("2025-02-24", "2025-02-25", "2025-02-27", "2025-03-01"):
            for user in (self.user_alice, self.user_bob):
                self._create_invoice(user, 150.0, day)
                self._create_order(
                    user, 80.0, sent_at=f"{day} 08:00", confirmed_at=f"{day} 16:00"
                )
        self.assertEqual(count_queries(), queries)
        self.assertLessEqual(queries, 6 * len(subscription.element_ids) + 20)
