"""The scheduled assignment of client codes to existing customers, run for
real: its own transaction, a commit per batch, on committed fixtures."""

import time
import uuid

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .concurrency import ConcurrencyMixin


@tagged("post_install", "-at_install")
class TestClientCodeAssignCron(ConcurrencyMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            company = env["res.company"].create(
                {
                    # Archived, not deleted, afterwards (see _cleanup): a
                    # name of its own.
                    "name": f"Extrabat test codes {uuid.uuid4().hex[:8]}",
                    "client_code_auto": False,
                    "client_code_prefix": "T",
                }
            )
            self.company_id = company.id
            product = env["product.product"].create(
                {"name": "Ramonage", "type": "service"}
            )
            self.product_id = product.id
            Partner = env["res.partner"]
            customers = Partner.create(
                [{"name": f"Client {i}", "company_id": company.id} for i in range(5)]
            )
            self.with_code = Partner.create(
                {"name": "Client codé", "company_id": company.id, "ref": "T-OLD"}
            )
            customers |= self.with_code
            self.customer_ids = customers.ids
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                    for partner in customers
                ]
            )
            orders.action_confirm()
            self.order_ids = orders.ids
            self.assertFalse(any((customers - self.with_code).mapped("ref")))
            params = env["ir.config_parameter"]
            self.previous_batch = params.get_param(
                "extrabat_crm.client_code_batch_size"
            )
            params.set_param("extrabat_crm.client_code_batch_size", "2")
            company.client_code_assign_pending = True
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            orders = env["sale.order"].browse(self.order_ids).exists()
            orders._action_cancel()
            orders.unlink()
            env["res.partner"].browse(
                self.customer_ids
            ).exists()._unlink_bypassing_trash()
            env["product.product"].browse(self.product_id).unlink()
            env["ir.config_parameter"].set_param(
                "extrabat_crm.client_code_batch_size", self.previous_batch or False
            )
            # Archived: with Inventory installed (extrabat_stock), its
            # warehouse, locations and operation types keep it from being
            # deleted (the test database is thrown away anyway).
            env["res.company"].browse(self.company_id).action_archive()

    def _codes(self):
        """The codes as committed (a new connection)."""
        with self.committed_env() as env:
            partners = env["res.partner"].browse(self.customer_ids)
            return dict(zip(partners.ids, partners.mapped("ref"), strict=True))

    def _pending(self):
        with self.committed_env() as env:
            return env["res.company"].browse(self.company_id).client_code_assign_pending

    def test_the_cron_assigns_every_code_once(self):
        with self.committed_env() as env:
            cron = env.ref("extrabat_crm.ir_cron_client_code_assign")
            cron.method_direct_trigger()
        codes = self._codes()
        self.assertTrue(all(codes.values()))
        self.assertEqual(len(set(codes.values())), 6)
        self.assertEqual(codes[self.with_code.id], "T-OLD", "never overwritten")
        self.assertFalse(self._pending())
        with self.committed_env() as env:
            progress = env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual((progress.done, progress.remaining), (6, 0))
            # Asked again: nothing changes.
            env["res.company"].browse(self.company_id).client_code_assign_pending = True
        with self.committed_env() as env:
            env.ref("extrabat_crm.ir_cron_client_code_assign").method_direct_trigger()
        self.assertEqual(self._codes(), codes)
        self.assertFalse(self._pending())

    def test_a_run_out_of_time_keeps_its_batches_and_resumes(self):
        with self.committed_env() as env:
            cron = env.ref("extrabat_crm.ir_cron_client_code_assign")
            progress = env["ir.cron.progress"].create(
                {"cron_id": cron.id, "remaining": 0, "done": 0}
            )
            # As the scheduler calls it, with its time already spent.
            env["res.partner"].with_context(
                cron_id=cron.id,
                ir_cron_progress_id=progress.id,
                cron_end_time=time.monotonic(),
            )._cron_assign_client_codes()
            first_batch = set(
                env["res.partner"]._get_customer_partner_ids(
                    env["res.company"].browse(self.company_id)
                )[:2]
            )
        codes = self._codes()
        # The first batch (2 partners) was committed, then the run stopped.
        coded = {pid for pid, code in codes.items() if code}
        self.assertEqual(coded, first_batch | {self.with_code.id})
        self.assertTrue(self._pending())
        with self.committed_env() as env:
            env.ref("extrabat_crm.ir_cron_client_code_assign").method_direct_trigger()
        resumed = self._codes()
        self.assertTrue(all(resumed.values()))
        self.assertEqual(len(set(resumed.values())), 6)
        for partner_id, code in codes.items():
            if code:
                self.assertEqual(resumed[partner_id], code, "kept, not twice")
        self.assertFalse(self._pending())
