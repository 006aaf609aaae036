"""Dashboards by email, client codes of existing customers and GDPR
anonymisation: their scheduled actions queue jobs on their channels, and
each job run twice does its work once."""

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_dashboard_mail.tests.common import DashboardMailCommon
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestDashboardJobs(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-08 09:00"):
            cls.sub_alice = cls._create_subscription(
                cls.user_alice, periodicity="weekly", weekday="0"
            )
            cls.sub_bob = cls._create_subscription(
                cls.user_bob, periodicity="weekly", weekday="0"
            )

    def test_one_job_per_due_user_on_the_dashboard_channel_sent_once(self):
        Subscription = self.env["extrabat.dashboard.subscription"]
        with (
            self.mock_mail_gateway(),
            freeze_time("2025-01-13 05:00"),
            trap_jobs() as trap,
        ):
            self.assertEqual(Subscription._cron_send_due_dashboards(), 2)
            trap.assert_jobs_count(2)
            self.assertEqual(
                {job.method_name for job in trap.enqueued_jobs},
                {"_job_send_due_dashboard"},
            )
            self.assertEqual(
                {job.recordset for job in trap.enqueued_jobs},
                {self.sub_alice, self.sub_bob},
            )
            for job in trap.enqueued_jobs:
                self.assertEqual(job.job_config.channel, "root.extrabat.dashboard")
                self.assertTrue(job.identity_key)
            # nothing sent by the scheduled action itself
            self.assertFalse(self._mails_to(self.user_alice))
            jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
            self.assertEqual(
                jobs[0].perform(), "Not due (already sent for this period)"
            )
        self.assertEqual(len(self._mails_to(self.user_alice)), 1)
        self.assertEqual(len(self._mails_to(self.user_bob)), 1)
        self.sub_alice.invalidate_recordset()
        self.assertEqual(str(self.sub_alice.last_period_end), "2025-01-13")


@tagged("post_install", "-at_install")
class TestClientCodeJobs(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {
                "name": "Extrabat queue codes",
                "client_code_auto": False,
                "client_code_prefix": "Q",
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Ramonage", "type": "service"}
        )
        Partner = cls.env["res.partner"]
        cls.customers = Partner.create(
            [{"name": f"Client {i}", "company_id": cls.company.id} for i in range(5)]
        )
        cls.with_code = Partner.create(
            {"name": "Client codé", "company_id": cls.company.id, "ref": "Q-OLD"}
        )
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for partner in cls.customers | cls.with_code
            ]
        )
        orders.action_confirm()
        cls.env["ir.config_parameter"].set_param(
            "extrabat_crm.client_code_batch_size", "2"
        )
        cls.company.client_code_assign_pending = True

    def test_jobs_per_batch_of_customers_then_one_ending_the_assignment(self):
        Partner = self.env["res.partner"]
        with trap_jobs() as trap:
            self.assertEqual(Partner._cron_assign_client_codes(), 1)
            trap.assert_jobs_count(4)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.job_config.channel, "root.extrabat.codes")
            chunks = [
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_job_assign_client_codes"
            ]
            self.assertEqual(len(chunks), 3)  # 6 customers, 2 per job
            (finish,) = (
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_job_client_codes_assigned"
            )
            self.assertEqual(set(finish.depends_on), set(chunks))
            self.assertTrue(self.company.client_code_assign_pending)
            trap.perform_enqueued_jobs()
        codes = (self.customers | self.with_code).mapped("ref")
        self.assertTrue(all(codes))
        self.assertEqual(len(set(codes)), 6)
        self.assertEqual(self.with_code.ref, "Q-OLD")
        self.assertFalse(self.company.client_code_assign_pending)
        # a chunk run again gives no second code
        before = {p.id: p.ref for p in self.customers}
        for job in chunks:
            self.assertIn("0 code(s) assigned", job.perform())
        self.assertEqual({p.id: p.ref for p in self.customers}, before)

    def test_a_company_whose_jobs_wait_is_not_queued_again(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._cron_assign_client_codes(), 1)  # stored jobs
        jobs = self.env["queue.job"].search([("channel", "=", "root.extrabat.codes")])
        self.assertEqual(len(jobs), 4)
        self.assertEqual(Partner._cron_assign_client_codes(), 0)
        self.assertEqual(
            self.env["queue.job"].search_count(
                [("channel", "=", "root.extrabat.codes")]
            ),
            4,
        )


@tagged("post_install", "-at_install")
class TestGdprJobs(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.prospect = Partner.create(
            {"name": "Jean Oublié", "email": "jean.oublie@example.com"}
        )
        cls.recent = Partner.create({"name": "Paul Récent"})
        (cls.prospect | cls.recent).action_trash()
        cls.prospect._internal_write(
            {"trash_date": fields.Datetime.now() - relativedelta(months=40)}
        )
        params = cls.env["ir.config_parameter"]
        params.set_param("extrabat_crm.gdpr_anonymize", "True")
        params.set_param("extrabat_crm.gdpr_months", "36")

    def test_one_job_per_due_prospect_on_the_gdpr_channel_anonymising_once(self):
        Partner = self.env["res.partner"]
        with trap_jobs() as trap:
            Partner._cron_gdpr_anonymize()
            jobs = [job for job in trap.enqueued_jobs if job.recordset == self.prospect]
            self.assertEqual(len(jobs), 1)
            self.assertFalse(
                [job for job in trap.enqueued_jobs if job.recordset == self.recent]
            )
            self.assertEqual(jobs[0].job_config.channel, "root.extrabat.gdpr")
            self.assertEqual(self.prospect.email, "jean.oublie@example.com")
            self.assertEqual(jobs[0].perform(), "Anonymised")
            self.assertIn("No longer due", jobs[0].perform())
        self.assertFalse(self.prospect.email)
        self.assertTrue(self.prospect.gdpr_anonymized_date)
        logs = self.env["extrabat.gdpr.log"].search(
            [("partner_ref", "=", self.prospect.id)]
        )
        self.assertEqual(len(logs), 1)

    def test_nothing_is_queued_when_anonymisation_is_off(self):
        self.env["ir.config_parameter"].set_param(
            "extrabat_crm.gdpr_anonymize", "False"
        )
        with trap_jobs() as trap:
            self.assertEqual(self.env["res.partner"]._cron_gdpr_anonymize(), 0)
            trap.assert_jobs_count(0)
