"""Code assignment never blocks a confirmation (issue 13, point 8): the next
name-based code is found with one query however many namesakes there are;
when no code can be found at all, the document goes on without one and the
managers get a to-do activity."""

from odoo.tests import tagged

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeNeverBlocks(ExtrabatCrmCommon):
    def _use_name_format(self):
        self.company.write(
            {
                "client_code_mode": "name",
                "client_code_prefix": "411",
                "client_code_width": 5,
            }
        )

    def _break_the_sequence(self):
        """A configuration error: the sequence gives "X1", not a number."""
        self.company.client_code_sequence_id.sudo().write(
            {"implementation": "no_gap", "prefix": "X"}
        )

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

    def test_a_thousand_namesakes_do_not_block_a_confirmation(self):
        self._use_name_format()
        self.env["res.partner"].create(
            [{"name": "Dupont", "ref": "411DUPON"}]
            + [{"name": f"Dupont {n}", "ref": f"411DUPON{n}"} for n in range(1, 1000)]
        )
        self.env.flush_all()
        partner = self._create_partner("Dupont Jean")
        order = self._create_quote(partner, env=self.salesman.env)
        self.env.flush_all()
        before = self.cr.sql_log_count
        order.action_confirm()
        self.env.flush_all()
        queries = self.cr.sql_log_count - before
        self.assertEqual(order.state, "sale")
        self.assertEqual(partner.ref, "411DUPON1000")
        # One query for the taken codes, not one per namesake (the
        # confirmation itself takes about a hundred).
        self.assertLess(queries, 300)

    def test_impossible_code_confirms_the_order_and_tells_the_managers(self):
        self._break_the_sequence()
        manager = self.env.ref("base.user_admin")
        manager.company_ids |= self.company
        partner = self._create_partner("Dupont")
        order = self._create_quote(partner, env=self.salesman.env)
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING") as logs:
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)
        self.assertIn(f"#{partner.id}", "\n".join(logs.output))
        activities = self._no_code_activities(partner)
        self.assertIn(manager, activities.user_id)
        self.assertTrue(
            activities.user_id.all_group_ids
            & self.env.ref("extrabat_crm.extrabat_crm_group_manager")
        )
        self.assertIn("sequence", activities[0].note)
        self.assertIn(partner.name, activities[0].note)

    def test_impossible_code_does_not_block_an_invoice_nor_repeat_activities(self):
        self._break_the_sequence()
        partner = self._create_partner("Dupont")
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING"):
            self._create_order(partner)
            invoice = self._create_invoice(partner, post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(partner.ref)
        activities = self._no_code_activities(partner)
        self.assertTrue(activities)
        self.assertEqual(len(activities), len(activities.user_id))

    def test_impossible_code_does_not_stop_the_batch_assignment(self):
        self._break_the_sequence()
        partners = self._create_partner("Dupont") | self._create_partner("Durand")
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING"):
            assigned = partners._assign_client_code(self.company)
        self.assertFalse(assigned)
        self.assertFalse(any(partners.mapped("ref")))
        self.assertTrue(self._no_code_activities(partners[1]))
