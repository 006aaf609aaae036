"""The GDPR scheduled action, run for real: its own transaction, a commit
per partner, on committed fixtures."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL

from .concurrency import ConcurrencyMixin

LOGGER = "odoo.addons.extrabat_crm.models.res_partner_gdpr"


@tagged("post_install", "-at_install")
class TestGdprCron(ConcurrencyMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.order_ids = []
        with self.committed_env() as env:
            Partner = env["res.partner"]
            long_ago = fields.Datetime.now() - relativedelta(months=40)
            self.old_prospect = Partner.create(
                {
                    "name": "Jean Oublié",
                    "email": "jean.oublie@example.com",
                    "phone": "06 12 34 56 78",
                    "street": "3 rue des Lilas",
                    "city": "Vénissieux",
                    "zip": "69200",
                    "bank_ids": [
                        Command.create({"acc_number": "FR7630001007941234567890185"})
                    ],
                }
            )
            self.old_contact = Partner.create(
                {
                    "name": "Marie Oubliée",
                    "email": "marie@example.com",
                    "parent_id": self.old_prospect.id,
                }
            )
            self.old_prospect.message_post(body="Rappeler M. Oublié pour sa chaudière")
            self.recent_prospect = Partner.create(
                {"name": "Paul Récent", "email": "paul@example.com"}
            )
            self.old_with_quote = Partner.create(
                {"name": "Luc Devis", "email": "luc@example.com"}
            )
            product = env["product.product"].create(
                {"name": "Ramonage", "type": "service"}
            )
            self.product_id = product.id
            quote = env["sale.order"].create(
                {
                    "partner_id": self.old_with_quote.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            self.order_ids.append(quote.id)
            self.old_client = Partner.create(
                {"name": "Anne Cliente", "email": "anne@example.com"}
            )
            self.old_client._internal_write(
                {"client_since": long_ago - relativedelta(years=2)}
            )
            self.untrashed = Partner.create(
                {"name": "Marc Présent", "email": "marc@example.com"}
            )
            trashed = (
                self.old_prospect
                | self.recent_prospect
                | self.old_with_quote
                | self.old_client
            )
            trashed.action_trash()
            (trashed - self.recent_prospect)._internal_write({"trash_date": long_ago})
            self.partner_ids = (trashed | self.untrashed | self.old_contact).ids
            params = env["ir.config_parameter"]
            self.previous_params = (
                params.get_param("extrabat_crm.gdpr_anonymize"),
                params.get_param("extrabat_crm.gdpr_months"),
            )
            params.set_param("extrabat_crm.gdpr_anonymize", "True")
            params.set_param("extrabat_crm.gdpr_months", "36")
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            # The records of the anonymisations refuse deletion (on purpose).
            env.cr.execute(
                SQL(
                    "DELETE FROM extrabat_gdpr_log WHERE partner_ref IN %s",
                    tuple(self.partner_ids),
                )
            )
            orders = env["sale.order"].browse(self.order_ids).exists()
            orders._action_cancel()
            orders.unlink()
            partners = env["res.partner"].browse(self.partner_ids).exists()
            partners.bank_ids.unlink()
            partners._unlink_bypassing_trash()
            env["product.product"].browse(self.product_id).unlink()
            params = env["ir.config_parameter"]
            params.set_param(
                "extrabat_crm.gdpr_anonymize", self.previous_params[0] or False
            )
            params.set_param(
                "extrabat_crm.gdpr_months", self.previous_params[1] or False
            )

    def _run_cron(self):
        """Run the scheduled action as the scheduler does (own cursor, commits).

        :return: (log lines of the addon, partners counted done by the run)
        """
        with self.committed_env() as env:
            cron = env.ref("extrabat_crm.ir_cron_gdpr_anonymize")
            with self.assertLogs(LOGGER, level=logging.INFO) as logs:
                cron.method_direct_trigger()
        with self.committed_env() as env:  # a snapshot taken after the run
            progress = env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            return logs.output, progress.done

    def test_old_trashed_prospects_without_documents_are_anonymised(self):
        logs, done = self._run_cron()
        with self.committed_env() as env:
            prospect = (
                env["res.partner"]
                .browse(self.old_prospect.id)
                .with_context(active_test=False)
            )
            contact = env["res.partner"].browse(self.old_contact.id)
            self.assertTrue(prospect.gdpr_anonymized_date)
            self.assertNotIn("Oublié", prospect.name)
            self.assertFalse(
                prospect.email or prospect.phone or prospect.street or prospect.city
            )
            self.assertNotIn("7630001", "".join(prospect.bank_ids.mapped("acc_number")))
            self.assertNotIn("chaudière", "".join(prospect.message_ids.mapped("body")))
            self.assertNotIn("Oubliée", contact.name)
            self.assertFalse(contact.email)
            self.assertTrue(
                prospect.exists() and prospect.is_trashed, "kept, in the trash"
            )
            records = env["extrabat.gdpr.log"].search(
                [("partner_ref", "in", self.partner_ids)]
            )
            self.assertEqual(records.partner_ref, self.old_prospect.id, "one record")
            self.assertIn("run #", records.cron_run)
            self.assertEqual(records.partner_count, 2)
        self.assertEqual(done, 1, "one partner done, one commit counted")
        self.assertTrue(
            any(f"#{self.old_prospect.id} anonymised" in line for line in logs)
        )
        self.assertNotIn("Oublié", "\n".join(logs), "no personal data in the log")

    def test_partners_with_documents_recent_or_clients_are_untouched(self):
        self._run_cron()
        with self.committed_env() as env:
            partners = env["res.partner"].with_context(active_test=False)
            for partner_id, name in (
                (self.recent_prospect.id, "Paul Récent"),
                (self.old_with_quote.id, "Luc Devis"),
                (self.old_client.id, "Anne Cliente"),
                (self.untrashed.id, "Marc Présent"),
            ):
                partner = partners.browse(partner_id)
                self.assertEqual(partner.name, name)
                self.assertTrue(partner.email)
                self.assertFalse(partner.gdpr_anonymized_date)

    def test_nothing_happens_when_the_option_is_off(self):
        with self.committed_env() as env:
            env["ir.config_parameter"].set_param("extrabat_crm.gdpr_anonymize", False)
        self._run_cron_without_logs()
        with self.committed_env() as env:
            prospect = env["res.partner"].browse(self.old_prospect.id)
            self.assertEqual(prospect.name, "Jean Oublié")

    def test_a_second_run_does_nothing_more(self):
        self._run_cron()
        _logs, done = self._run_cron()
        self.assertEqual(done, 0)

    def _run_cron_without_logs(self):
        with self.committed_env() as env:
            env.ref("extrabat_crm.ir_cron_gdpr_anonymize").method_direct_trigger()
