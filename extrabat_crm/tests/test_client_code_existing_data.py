from odoo.tests import tagged

from odoo.addons.extrabat_crm.hooks import post_init_hook

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeExistingData(ExtrabatCrmCommon):
    """Installing on a database with data: contacts that had a reference of
    their own before the installation keep it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.client_code_auto = False
        cls.client = cls._create_partner("Chauffage Martin SARL", is_company=True)
        # Contacts imported before the installation: one with a reference of
        # its own (e.g. its number in a previous software), one without.
        cls.own = cls._create_partner(
            "Luc Martin", parent_id=cls.client.id, ref="EMP-7"
        )
        cls.plain = cls._create_partner("Anne Martin", parent_id=cls.client.id)
        cls._create_order(cls.client)

    def test_install_hook_keeps_contacts_refs(self):
        post_init_hook(self.env)
        self.assertEqual(self.own.ref, "EMP-7")
        self.assertFalse(self.plain.ref)

    def test_assigning_codes_to_existing_customers_keeps_contacts_refs(self):
        post_init_hook(self.env)
        result = self.env["res.partner"]._assign_client_codes_to_existing_customers(
            self.company
        )
        self.assertEqual(result["assigned"], 1)
        self.assertTrue(self.client.ref.startswith("C"))
        self.assertEqual(self.own.ref, "EMP-7")
        self.assertEqual(self.plain.ref, self.client.ref)

    def test_a_code_given_by_a_document_keeps_contacts_refs(self):
        self.company.client_code_auto = True
        self._create_order(self.plain)
        self.assertTrue(self.client.ref)
        self.assertEqual(self.own.ref, "EMP-7")
        self.assertEqual(self.plain.ref, self.client.ref)

    def test_changing_the_code_keeps_contacts_refs(self):
        self.client.ref = "C-OLD"
        self.assertEqual(self.plain.ref, "C-OLD")
        self.client.ref = "C-NEW"
        self.assertEqual(self.plain.ref, "C-NEW")
        self.assertEqual(self.own.ref, "EMP-7")
