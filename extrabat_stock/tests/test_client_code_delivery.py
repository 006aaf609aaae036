"""A delivery note validated without a sale order gives its customer a
client code, as a confirmed order or a customer invoice does."""

from odoo import Command
from odoo.tests import tagged

from .common import ExtrabatStockCommon, validate


@tagged("post_install", "-at_install")
class TestClientCodeOnDelivery(ExtrabatStockCommon):
    def _no_code_activities(self, partner):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("summary", "=", "No client code"),
                ]
            )
        )

    def test_validating_a_delivery_without_order_gives_a_code(self):
        partner = self._create_partner(client_status_id=self.status_prospect.id)
        number = self._next_number()
        # The storekeeper may not edit contacts: the code is given anyway.
        self._deliver(partner, env=self.storekeeper.env)
        self.assertEqual(partner.ref, f"C{number:05d}")
        self.assertEqual(partner.client_status_id, self.status_client)
        self.assertTrue(partner.client_since)
        self.assertEqual(self._next_number(), number + 1)

    def test_a_delivery_not_validated_gives_no_code(self):
        partner = self._create_partner()
        number = self._next_number()
        delivery = self._create_delivery(partner)
        delivery.action_confirm()
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        self.assertFalse(partner.ref)
        self.assertEqual(self._next_number(), number, "no number drawn")

    def test_a_receipt_gives_no_code(self):
        supplier = self._create_partner("Grossiste Chauffage")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": supplier.id,
                "move_ids": [
                    Command.create({"product_id": self.goods.id, "product_uom_qty": 2})
                ],
            }
        )
        validate(receipt)
        self.assertFalse(supplier.ref)

    def test_a_contact_delivered_gives_the_code_to_its_company(self):
        company = self._create_partner("SCI Les Tilleuls", is_company=True)
        site = self._create_partner("Chantier Tilleuls", parent_id=company.id)
        self._deliver(site)
        self.assertTrue(company.ref.startswith("C"))
        self.assertEqual(site.commercial_partner_id, company)

    def test_a_client_with_a_code_keeps_it(self):
        partner = self._create_partner(ref="DUPONT")
        number = self._next_number()
        self._deliver(partner)
        self.assertEqual(partner.ref, "DUPONT")
        self.assertEqual(self._next_number(), number)

    def test_setting_off_gives_the_client_status_but_no_code(self):
        self.company.client_code_auto = False
        partner = self._create_partner(client_status_id=self.status_prospect.id)
        self._deliver(partner)
        self.assertFalse(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_a_delivery_of_an_order_follows_the_order_not_the_address(self):
        """The order gave its customer the code at confirmation; its delivery
        to the address of another firm (a main contractor's site) does not
        make that firm a client."""
        customer = self._create_partner("Dupont")
        contractor = self._create_partner("Bâtiment Martin", is_company=True)
        order = self._create_order(
            customer,
            partner_shipping_id=contractor.id,
            order_line=[
                Command.create({"product_id": self.goods.id, "product_uom_qty": 2})
            ],
        )
        self.assertTrue(customer.ref)
        delivery = order.picking_ids
        self.assertEqual(delivery.partner_id, contractor)
        validate(delivery)
        self.assertFalse(contractor.ref)

    def test_no_possible_code_validates_and_tells_the_managers(self):
        self.company.client_code_sequence_id.sudo().write(
            {"implementation": "no_gap", "prefix": "X"}
        )
        manager = self.env.ref("base.user_admin")
        manager.company_ids |= self.company
        partner = self._create_partner("Dupont")
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING") as logs:
            delivery = self._deliver(partner, env=self.storekeeper.env)
        self.assertEqual(delivery.state, "done")
        self.assertFalse(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)
        self.assertIn(f"#{partner.id}", "\n".join(logs.output))
        activities = self._no_code_activities(partner)
        self.assertIn(manager, activities.user_id)
        self.assertIn(partner.name, activities[0].note)

    def test_assign_to_existing_customers_includes_the_delivered_ones(self):
        self.company.client_code_auto = False
        delivered = self._create_partner("Dupont")
        only_planned = self._create_partner("Durand")
        self._deliver(delivered)
        self._create_delivery(only_planned).action_confirm()
        self.company.client_code_auto = True
        result = self.env["res.partner"]._assign_client_codes_to_existing_customers(
            self.company
        )
        self.assertTrue(delivered.ref)
        self.assertFalse(only_planned.ref)
        self.assertGreaterEqual(result["assigned"], 1)

    def test_a_trashed_prospect_with_a_delivery_is_not_anonymised(self):
        with_delivery = self._create_partner("Dupont")
        without = self._create_partner("Durand")
        self._create_delivery(with_delivery)
        partners = (with_delivery | without)._filter_without_commercial_documents()
        self.assertEqual(partners, without)

    def test_the_picking_form_shows_the_client_code(self):
        partner = self._create_partner()
        delivery = self._deliver(partner)
        self.assertEqual(delivery.client_code, partner.ref)
        arch = delivery.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="client_code"', arch)
        self.assertEqual(
            self.env["stock.picking"].search([("client_code", "=", partner.ref)]),
            delivery,
        )
