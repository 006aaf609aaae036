from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.extrabat_crm.hooks import post_init_hook

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeFec(ExtrabatCrmCommon):
    """The code reaches the French FEC export as the customer's CompAuxNum.

    The FEC export belongs to ``l10n_fr_account``, which this addon does not
    depend on: skipped without it (``make test`` installs it in its database).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ensure_installed("l10n_fr_account")  # SkipTest without it

    def test_the_fec_carries_the_code_as_auxiliary_account(self):
        partner = self._create_partner("Dupont Plomberie")
        invoice = self._create_invoice(partner, post=True)
        self.assertTrue(partner.ref)
        wizard = self.env["l10n_fr.fec.export.wizard"].create(
            {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
        content = wizard.generate_fec()["file_content"].decode()
        header, *lines = content.split("\r\n")
        columns = header.split("|")
        rows = [dict(zip(columns, line.split("|"), strict=True)) for line in lines]
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        receivable_rows = [
            row for row in rows if row["CompteNum"] == receivable.account_id.code
        ]
        self.assertEqual(len(receivable_rows), 1)
        self.assertEqual(receivable_rows[0]["CompAuxNum"], partner.ref)
        self.assertEqual(receivable_rows[0]["CompAuxLib"], "Dupont Plomberie")
        self.assertEqual(receivable_rows[0]["EcritureNum"], invoice.name)


@tagged("post_install", "-at_install")
class TestAssignExistingCustomers(ExtrabatCrmCommon):
    """The batch action for an installation on a live database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.client_code_auto = False
        cls.with_order = cls._create_partner("Client commande")
        cls._create_order(cls.with_order)
        cls.with_invoice = cls._create_partner("Client facture")
        cls._create_invoice(cls.with_invoice, post=True)
        cls.company_customer = cls._create_partner("Martin SARL", is_company=True)
        cls._create_order(cls._create_partner("Luc", parent_id=cls.company_customer.id))
        cls.with_code = cls._create_partner("Client codé", ref="ANCIEN-1")
        cls._create_order(cls.with_code)
        cls.prospect = cls._create_partner("Prospect devis")
        cls._create_quote(cls.prospect)
        cls.supplier = cls._create_partner("Fournisseur")
        cls._create_invoice(cls.supplier, move_type="in_invoice", post=True)
        cls.company.client_code_auto = True
        cls.manager = new_test_user(
            cls.env,
            login="extrabat_codes_manager",
            groups="extrabat_crm.extrabat_crm_group_manager,base.group_partner_manager",
            company_id=cls.company.id,
        )

    def test_customers_get_a_code_in_batches_and_counts_are_reported(self):
        result = self.env["res.partner"]._assign_client_codes_to_existing_customers(
            self.company, batch_size=2
        )
        customers = self.with_order | self.with_invoice | self.company_customer
        self.assertTrue(all(customers.mapped("ref")))
        self.assertEqual(len(set(customers.mapped("ref"))), 3)
        self.assertEqual(self.with_code.ref, "ANCIEN-1")
        self.assertFalse(self.prospect.ref)
        self.assertFalse(self.supplier.ref)
        self.assertGreaterEqual(result["assigned"], 3)
        self.assertGreaterEqual(result["skipped"], 1)
        self.assertEqual(result["total"], result["assigned"] + result["skipped"])

    def test_running_it_twice_assigns_nothing_more(self):
        self.env["res.partner"]._assign_client_codes_to_existing_customers(self.company)
        result = self.env["res.partner"]._assign_client_codes_to_existing_customers(
            self.company
        )
        self.assertEqual(result["assigned"], 0)

    def test_the_wizard_schedules_the_assignment(self):
        """No giant transaction in the request: the wizard asks the scheduled
        action, which works a batch at a time (test_client_code_assign_cron)."""
        form = Form(
            self.env["extrabat.client.code.assign.wizard"]
            .with_user(self.manager)
            .with_context(default_company_id=self.company.id)
        )
        self.assertGreaterEqual(form.without_code_count, 3)
        wizard = form.save()
        cron = self.env.ref("extrabat_crm.ir_cron_client_code_assign")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        wizard.action_assign()
        self.assertEqual(wizard.state, "done")
        self.assertTrue(self.company.client_code_assign_pending)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        )
        self.assertFalse(self.with_invoice.ref, "not in the request")

    def test_only_managers_run_the_wizard(self):
        wizard = (
            self.env["extrabat.client.code.assign.wizard"]
            .with_user(self.manager)
            .create({"company_id": self.company.id})
        )
        with self.assertRaises(UserError):
            wizard.with_user(self.salesman).action_assign()


@tagged("post_install", "-at_install")
class TestInstallOnLiveDatabase(ExtrabatCrmCommon):
    """What the installation does to partners that existed before it."""

    def test_existing_customers_become_clients_since_their_first_document(self):
        customer = self._create_partner("Client d'avant")
        order = self._create_order(customer)
        order.date_order = "2024-03-05 10:00:00"
        prospect = self._create_partner("Prospect d'avant")
        contact = self._create_partner("Contact", parent_id=customer.id)
        self.env.flush_all()
        # As before the installation: no status, no history.
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET client_status_id = NULL, client_since = NULL"
                " WHERE id IN %s",
                (customer | prospect | contact)._ids,
            )
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        self.assertEqual(customer.client_status_id, self.status_client)
        self.assertEqual(str(customer.client_since), "2024-03-05 10:00:00")
        self.assertEqual(contact.client_status_id, self.status_client)
        self.assertEqual(prospect.client_status_id, self.status_prospect)
        self.assertFalse(prospect.client_since)

    def test_the_settings_form_shows_the_client_code_section(self):
        form = Form(self.env["res.config.settings"])
        form.client_code_prefix = "411"
        form.client_code_mode = "name"
        self.assertTrue(form.client_code_preview.startswith("411DUPON"))
