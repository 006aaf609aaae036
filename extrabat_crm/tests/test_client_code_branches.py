"""Branches share one code space with their root company (issue 13, point
10): settings, sequence and uniqueness come from the root company, whose FEC
includes the branches (one CompAuxNum, one client)."""

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeBranches(ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls._create_company(name="Agence Lyon", parent_id=cls.company.id)
        cls.env.user.company_ids |= cls.branch
        cls.salesman_branch = new_test_user(
            cls.env,
            login="extrabat_salesman_branch",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.branch.id,
            company_ids=[Command.set((cls.company | cls.branch).ids)],
        )

    def _settings(self, company):
        return self.env["res.config.settings"].with_company(company).create({})

    def test_branch_settings_are_the_root_company_settings(self):
        settings = self._settings(self.branch)
        self.assertEqual(settings.client_code_prefix, "C")
        settings.client_code_prefix = "411"
        settings.execute()
        self.assertEqual(self.company.client_code_prefix, "411")
        self.assertEqual(self.branch._get_client_code_format().prefix, "411")

    def test_branch_only_administrator_changes_the_shared_settings(self):
        # An administrator of the branch alone (the root company is not in
        # their companies) sees and saves the settings the branch uses.
        admin = new_test_user(
            self.env,
            login="extrabat_admin_branch",
            groups="base.group_system,sales_team.group_sale_manager",
            company_id=self.branch.id,
            company_ids=[Command.set(self.branch.ids)],
        )
        settings = (
            self.env["res.config.settings"]
            .with_user(admin)
            .with_company(self.branch)
            .create({})
        )
        self.assertEqual(settings.client_code_prefix, "C")
        settings.write({"client_code_prefix": "411", "client_code_next_number": 500})
        settings.execute()
        self.assertEqual(self.company.client_code_prefix, "411")
        self.assertEqual(self._next_number(), 500)
        client = self._create_partner("Dupont", company_id=self.branch.id)
        client.with_user(admin).with_company(self.branch)._assign_client_code(
            self.branch
        )
        self.assertTrue(client.ref.startswith("411"))
        self.assertTrue(client.ref.endswith("500"))

    def test_branch_client_and_parent_client_get_different_codes(self):
        # The branch's settings show the next number of the shared sequence;
        # setting it there (as one would in an older version, where the
        # branch had a sequence of its own) must not start a second series.
        settings = self._settings(self.branch)
        settings.client_code_next_number = self._next_number()
        settings.execute()
        branch_client = self._create_partner("Dupont", company_id=self.branch.id)
        parent_client = self._create_partner("Durand", company_id=self.company.id)
        self._create_order(
            branch_client,
            env=self.salesman_branch.env,
            company_id=self.branch.id,
        )
        self._create_order(parent_client)
        self.assertTrue(branch_client.ref)
        self.assertTrue(parent_client.ref)
        self.assertNotEqual(branch_client.ref, parent_client.ref)

    def test_name_codes_of_a_branch_count_on_the_parent_clients(self):
        self.company.write({"client_code_mode": "name", "client_code_prefix": "411"})
        parent_client = self._create_partner("Dupont", company_id=self.company.id)
        parent_client._assign_client_code(self.company)
        branch_client = self._create_partner("Dupond", company_id=self.branch.id)
        branch_client._assign_client_code(self.branch)
        self.assertEqual(parent_client.ref, "411DUPON")
        self.assertEqual(branch_client.ref, "411DUPON1")

    def test_typing_a_branch_clients_code_on_a_parent_client_is_refused(self):
        self._create_partner("Dupont", company_id=self.branch.id, ref="C09901")
        Partner = self.env["res.partner"].with_user(self.salesman)
        with self.assertRaisesRegex(ValidationError, "C09901.*Dupont"):
            Partner.create(
                {"name": "Durand", "company_id": self.company.id, "ref": "C09901"}
            )
        partner = Partner.create({"name": "Martin", "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "Dupont"):
            partner.ref = "c 09901"

    def test_typing_a_parent_clients_code_on_a_branch_client_is_refused(self):
        self._create_partner("Dupont", company_id=self.company.id, ref="C09902")
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman_branch)
            .create({"name": "Durand", "company_id": self.branch.id})
        )
        with self.assertRaisesRegex(ValidationError, "Dupont"):
            partner.ref = "C09902"

    def test_the_database_refuses_a_code_shared_by_a_branch_and_its_parent(self):
        self._create_partner("Dupont", company_id=self.branch.id, ref="C09903")
        partner = self._create_partner("Durand", company_id=self.company.id)
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL("UPDATE res_partner SET ref = 'C09903' WHERE id = %s", partner.id)
            )

    def test_branch_has_no_sequence_of_its_own(self):
        self.assertFalse(self.branch.client_code_sequence_id)
        self.assertEqual(
            self.branch._get_client_code_sequence(),
            self.company.client_code_sequence_id,
        )
