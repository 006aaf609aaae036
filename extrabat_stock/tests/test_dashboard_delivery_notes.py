"""The "Delivery notes" element of the dashboard by email: delivery notes
validated over the period and late deliveries, counted with the recipient's
own rights and companies, each figure linking to its list."""

import json
from urllib.parse import parse_qs, urlparse

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.extrabat_dashboard_mail.tests.common import (
    MANAGER_GROUPS,
    DashboardMailCommon,
)

from .common import create_delivery, validate

KEY = "delivery_notes"


@tagged("post_install", "-at_install")
class TestDashboardDeliveryNotes(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Martin Piscines", "currency_id": cls.company.currency_id.id}
        )
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
        cls.user_marc = cls._create_user(
            "marc", "Marc Magasinier", groups="base.group_user,stock.group_stock_user"
        )
        cls.user_eve = cls._create_user("eve", "Eve Employée", groups="base.group_user")
        cls.goods = cls.env["product.product"].create(
            {"name": "Radiateur acier", "type": "consu", "list_price": 250.0}
        )
        Partner = cls.env["res.partner"]
        cls.client_alice = Partner.create(
            {"name": "Famille Garnier", "user_id": cls.user_alice.id}
        )
        cls.client_bob = Partner.create(
            {"name": "SCI Les Tilleuls", "is_company": True, "user_id": cls.user_bob.id}
        )
        cls.site_bob = Partner.create(
            {"name": "Chantier Tilleuls", "parent_id": cls.client_bob.id}
        )
        cls.client_2 = Partner.create(
            {"name": "Camping Les Pins", "user_id": cls.user_carol.id}
        )
        # Week of Monday 24 February 2025 (Paris time), sent on Monday 3 March.
        cls.in_period = cls.env["stock.picking"]
        cls.in_period |= cls._validated_at("2025-02-25 10:00", cls.client_alice)
        # A contact of Bob's client.
        cls.in_period |= cls._validated_at("2025-02-26 10:00", cls.site_bob)
        # Alice's order, delivered to Bob's client: Alice's delivery.
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client_bob.id,
                "user_id": cls.user_alice.id,
                "order_line": [
                    Command.create({"product_id": cls.goods.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        cls.in_period |= cls._validated_at(
            "2025-02-27 10:00", picking=order.picking_ids
        )
        # Sunday 2 March 23:30 in Paris is still in the period (22:30 UTC).
        cls.in_period |= cls._validated_at("2025-03-02 22:30", cls.client_alice)
        cls.other_company = cls._validated_at(
            "2025-02-27 10:00", cls.client_2, company=cls.company_2
        )
        cls.previous_period = cls._validated_at("2025-02-18 10:00", cls.client_alice)
        # Monday 3 March 00:30 in Paris: the next period.
        cls._validated_at("2025-03-02 23:30", cls.client_alice)
        # Not delivery notes: a receipt, a cancelled delivery.
        warehouse = cls._warehouse(cls.company)
        cls._validated_at(
            "2025-02-25 11:00",
            picking=cls.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.in_type_id.id,
                    "partner_id": cls.client_alice.id,
                    "move_ids": [
                        Command.create(
                            {"product_id": cls.goods.id, "product_uom_qty": 2}
                        )
                    ],
                }
            ),
        )
        create_delivery(cls.env, cls.client_alice, cls.goods).action_cancel()
        # Late: to do, planned before the sending day (Alice's client).
        cls.late = create_delivery(
            cls.env, cls.client_alice, cls.goods, scheduled_date="2025-02-28 09:00"
        )
        cls.late.action_confirm()
        create_delivery(
            cls.env, cls.client_bob, cls.goods, scheduled_date="2025-03-05 09:00"
        ).action_confirm()
        with freeze_time("2025-02-20 09:00"):
            cls.subscriptions = {
                user: cls._create_subscription(
                    user, elements=(KEY,), periodicity="weekly", weekday="0"
                )
                for user in (
                    cls.user_alice,
                    cls.user_bob,
                    cls.user_carol,
                    cls.user_manon,
                    cls.user_paul,
                    cls.user_marc,
                    cls.user_eve,
                )
            }

    @classmethod
    def _warehouse(cls, company):
        return cls.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )

    @classmethod
    def _validated_at(cls, moment, partner=None, company=None, picking=None):
        """A delivery note (or ``picking``) validated at ``moment`` (UTC)."""
        picking = picking or create_delivery(
            cls.env, partner, cls.goods, company=company or cls.company
        )
        with freeze_time(moment):
            validate(picking)
            picking.flush_recordset()
        return picking

    def _block_of(self, user):
        _subject, tree = self._render(self.subscriptions[user], "2025-03-03")
        return self._block(tree, KEY)

    def _figures(self, user):
        block = self._block_of(user)
        return block is not None and self._texts(block, "dm-value")

    def test_the_element_is_in_the_catalogue(self):
        element = self.Element.search([("key", "=", KEY)])
        self.assertTrue(element)
        self.assertEqual(
            element.with_context(lang="en_US").display_name, "Delivery notes"
        )
        self.assertNotIn(element, self.Element._default_elements())
        keys = [e["key"] for e in self.Element._get_dashboard_elements()]
        self.assertEqual(keys[keys.index("orders_confirmed") + 1], KEY)

    def test_a_manager_of_both_companies_counts_both(self):
        self.assertEqual(self._figures(self.user_manon), ["5", "1"])

    def test_a_manager_of_one_company_counts_that_company_only(self):
        self.assertEqual(self._figures(self.user_paul), ["4", "1"])
        self.assertEqual(self._figures(self.user_carol), ["1", "0"])

    def test_a_storekeeper_counts_every_delivery_of_the_company(self):
        self.assertEqual(self._figures(self.user_marc), ["4", "1"])

    def test_a_salesperson_counts_their_orders_and_clients(self):
        # Alice: her client twice and her order delivered to Bob's client.
        self.assertEqual(self._figures(self.user_alice), ["3", "1"])
        # Bob: his client's site; the delivery of Alice's order is not his.
        self.assertEqual(self._figures(self.user_bob), ["1", "0"])

    def test_the_previous_period_is_compared(self):
        block = self._block_of(self.user_paul)
        variation = block.xpath('.//*[contains(@class, "dm-variation")]')[0]
        self.assertEqual(variation.get("data-trend"), "up")
        self.assertIn("300", variation.text_content())

    def test_late_deliveries_are_an_alert(self):
        block = self._block_of(self.user_paul)
        late = block.xpath('.//*[contains(@class, "dm-value")]')[1]
        self.assertIn("#b42318", late.get("style"))

    def test_a_user_who_may_not_read_deliveries_does_not_get_the_element(self):
        self.assertIs(self._block_of(self.user_eve), None)

    def _open_links(self, user):
        """The pickings each figure's link opens for ``user``."""
        ListLink = self.env["extrabat.dashboard.list.link"].with_user(user)
        Picking = (
            self.env["stock.picking"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
        )
        opened = []
        for href in self._block_of(user).xpath(
            './/*[contains(@class, "dm-value")]/a/@href'
        ):
            query = parse_qs(urlparse(href).query)
            action = ListLink.get_list_action(
                *(query[key][0] for key in ("list_action", "list_domain", "list_name")),
                query["list_sig"][0],
            )
            self.assertEqual(action["res_model"], "stock.picking")
            self.assertEqual(action["views"][0][1], "list")
            self.assertEqual(action["domain"], json.loads(query["list_domain"][0]))
            opened.append(Picking.search(action["domain"]))
        return opened

    def test_each_figure_links_to_its_deliveries(self):
        validated, late = self._open_links(self.user_manon)
        self.assertEqual(validated, self.in_period | self.other_company)
        self.assertEqual(late, self.late)

    def test_a_salesperson_s_links_open_their_own_deliveries(self):
        validated, late = self._open_links(self.user_alice)
        self.assertEqual(len(validated), 3)
        self.assertEqual(
            validated.partner_id.commercial_partner_id,
            self.client_alice | self.client_bob,
        )
        self.assertEqual(late, self.late)

    def test_queries_do_not_grow_with_the_number_of_deliveries(self):
        subscription = self.subscriptions[self.user_manon]
        self._render(subscription, "2025-03-03")  # warm the caches

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._render(subscription, "2025-03-03")
            return self.env.cr.sql_log_count - before

        queries = count_queries()
        for day in ("2025-02-24", "2025-02-25", "2025-02-27"):
            self._validated_at(f"{day} 10:00", self.client_alice)
            self._validated_at(f"{day} 11:00", self.client_bob)
        self.assertEqual(count_queries(), queries)
