from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClientCodeDuplicateTour(HttpCase):
    """A salesperson types on a client's form a client code another client
    of the company already has: refused, with the message shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="tour_code_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        Partner = cls.env["res.partner"]
        cls.holder = Partner.create(
            {"name": "Tour Code Holder", "is_company": True, "ref": "C00042"}
        )
        cls.client = Partner.create({"name": "Tour Code New", "is_company": True})

    def test_a_duplicate_client_code_is_refused_with_its_message(self):
        self.start_tour(
            f"/odoo/contacts/{self.client.id}",
            "extrabat_crm_client_code_duplicate_tour",
            login="tour_code_sales",
            timeout=120,
        )
        self.env.invalidate_all()
        self.assertFalse(self.client.ref)
        self.assertEqual(self.holder.ref, "C00042")


@tagged("post_install", "-at_install")
class TestClientCodeDuplicateMobileTour(TestClientCodeDuplicateTour):
    """The same on a phone (390×844, touch)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
