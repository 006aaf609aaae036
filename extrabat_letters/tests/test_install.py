from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_crm.tests.common import untranslated_french_terms


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_extrabat_manager_manages_letter_templates(self):
        letters_manager = self.env.ref(
            "extrabat_letters.extrabat_letters_group_manager"
        )
        crm_manager = self.env.ref("extrabat_crm.extrabat_crm_group_manager")
        self.assertIn(letters_manager, crm_manager.all_implied_ids)
        self.assertIn(letters_manager, self.env.ref("base.user_admin").all_group_ids)
        salesman = new_test_user(
            self.env, login="sales_letters", groups="sales_team.group_sale_salesman"
        )
        self.assertNotIn(letters_manager, salesman.all_group_ids)

    def test_every_term_is_translated_in_french(self):
        self.assertEqual(untranslated_french_terms(self.env, "extrabat_letters"), [])
