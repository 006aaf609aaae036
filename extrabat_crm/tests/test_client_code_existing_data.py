from odoo.tests import tagged
from odoo.tools import SQL, sql

from odoo.addons.extrabat_crm.hooks import post_init_hook

from .common import ExtrabatCrmCommon

LOGGER = "odoo.addons.extrabat_crm.models.res_partner_client_code"


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


@tagged("post_install", "-at_install")
class TestClientCodeDuplicatesAtInstall(ExtrabatCrmCommon):
    """A database that already has two clients with one reference in a
    company: the unique index waits until they are fixed, the log says which
    ones, nothing crashes and nothing is renamed."""

    INDEX = "res_partner_unique_client_code"

    def _index_exists(self):
        return sql.index_exists(self.env.cr, self.INDEX)

    def test_duplicates_are_reported_and_the_index_waits(self):
        self.assertTrue(self._index_exists())
        self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(self.INDEX)))
        first = self._create_partner("Dupont", ref="411DUP")
        second = self._create_partner("Dupond")
        self.env.flush_all()
        # As imported before the installation (no check then).
        self.env.cr.execute(
            SQL("UPDATE res_partner SET ref = '411DUP' WHERE id = %s", second.id)
        )
        self.env.invalidate_all()
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.env["res.partner"]._add_sql_constraints()
        self.assertFalse(self._index_exists())
        self.assertEqual(len(logs.output), 1)
        self.assertIn("'411DUP'", logs.output[0])
        self.assertIn(f"#{first.id}, #{second.id}", logs.output[0])
        self.assertEqual((first | second).mapped("ref"), ["411DUP", "411DUP"])

        second.ref = "411DUP1"
        self.env.flush_all()
        self.env["res.partner"]._add_sql_constraints()
        self.assertTrue(self._index_exists())
