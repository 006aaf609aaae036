from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_crm.tests.common import untranslated_french_terms


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_with_its_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "extrabat_stock")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.auto_install)
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"extrabat_crm", "extrabat_dashboard_mail", "sale_stock"},
        )

    def test_every_term_is_translated_in_french(self):
        self.assertEqual(untranslated_french_terms(self.env, "extrabat_stock"), [])
