import importlib.metadata

from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .common import untranslated_french_terms


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_framework_free_package_is_declared_and_installed(self):
        """The addon's external dependency is a real, installed distribution."""
        manifest = self.env["ir.module.module"].get_module_info("extrabat_crm")
        self.assertIn("extrabat_core", manifest["external_dependencies"]["python"])
        self.assertTrue(importlib.metadata.version("extrabat_core").startswith("19.0."))

    def test_manager_group_given_to_admin_not_to_salespeople(self):
        manager = self.env.ref("extrabat_crm.extrabat_crm_group_manager")
        admin = self.env.ref("base.user_admin")
        self.assertIn(manager, admin.all_group_ids)
        salesman = new_test_user(
            self.env, login="sales_install", groups="sales_team.group_sale_salesman"
        )
        self.assertNotIn(manager, salesman.all_group_ids)
        # A manager is a salesperson too.
        self.assertIn(
            self.env.ref("sales_team.group_sale_salesman"), manager.all_implied_ids
        )

    def test_every_term_is_translated_in_french(self):
        self.assertEqual(untranslated_french_terms(self.env, "extrabat_crm"), [])

    def test_scheduled_actions_are_not_reset_by_updates(self):
        """An administrator's changes to the crons (interval, active) survive
        a module update: the records are ``noupdate``."""
        crons = self.env["ir.model.data"].search(
            [("module", "=", "extrabat_crm"), ("model", "=", "ir.cron")]
        )
        self.assertTrue(crons)
        self.assertTrue(all(crons.mapped("noupdate")), crons.mapped("name"))
