from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClientCodeConfirmTour(HttpCase):
    """A salesperson confirms a new client's quotation from Sales: the
    client's form then shows the client code it was given."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "client_code_auto": True,
                "client_code_prefix": "C",
                "client_code_mode": "sequence",
                "client_code_width": 5,
            }
        )
        salesperson = new_test_user(
            cls.env,
            login="tour_confirm_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Tour Code Client", "is_company": True}
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Boiler Service", "type": "service", "list_price": 100.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "user_id": salesperson.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )

    def test_confirming_a_new_client_quotation_shows_its_code(self):
        self.assertFalse(self.client.ref)
        self.start_tour(
            f"/odoo/sales/{self.order.id}",
            "extrabat_crm_client_code_confirm_tour",
            login="tour_confirm_sales",
            timeout=180,
        )
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "sale")
        self.assertRegex(self.client.ref, r"^C\d{5}$")


@tagged("post_install", "-at_install")
class TestClientCodeConfirmMobileTour(TestClientCodeConfirmTour):
    """The same on a phone (390×844, touch)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
