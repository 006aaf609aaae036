"""Exactly one client code when delivery notes and orders of the same
customer are validated at the same moment: real concurrent transactions on
PostgreSQL (threads, one connection each), as extrabat_crm's own tests."""

import uuid

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.extrabat_crm.tests.concurrency import ConcurrencyMixin

from .common import create_delivery

ROUNDS = 10


@tagged("post_install", "-at_install")
class TestDeliveryClientCodeConcurrency(ConcurrencyMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            # A prefix of its own: no code of another test can collide.
            self.prefix = f"L{uuid.uuid4().hex[:4].upper()}"
            company = env["res.company"].create(
                {
                    "name": f"Extrabat Livraisons {self.prefix}",
                    "client_code_prefix": self.prefix,
                }
            )
            product = env["product.product"].create(
                {"name": "Radiateur acier", "type": "consu", "list_price": 250}
            )
            self.company_id, self.product_id = company.id, product.id
            self.sequence_id = company.client_code_sequence_id.id
        # What the rounds committed stays in the throw-away database (done
        # deliveries cannot be deleted), in a company of its own, archived.
        self.addCleanup(self._archive_fixtures)

    def _archive_fixtures(self):
        with self.committed_env() as env:
            env["product.product"].browse(self.product_id).action_archive()
            env["res.company"].browse(self.company_id).action_archive()

    # --- fixtures, committed ---

    def _committed_partner(self, name):
        with self.committed_env() as env:
            return (
                env["res.partner"]
                .create({"name": name, "company_id": self.company_id})
                .id
            )

    def _committed_deliveries(self, partner_id, count):
        """``count`` delivery notes of the partner, ready to validate."""
        with self.committed_env() as env:
            company = env["res.company"].browse(self.company_id)
            partner = env["res.partner"].browse(partner_id)
            product = env["product.product"].browse(self.product_id)
            pickings = env["stock.picking"]
            for _index in range(count):
                pickings |= create_delivery(env, partner, product, company=company)
            pickings.action_confirm()
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
            pickings.move_ids.picked = True
            return pickings.ids

    def _committed_quote(self, partner_id):
        with self.committed_env() as env:
            return (
                env["sale.order"]
                .create(
                    {
                        "partner_id": partner_id,
                        "company_id": self.company_id,
                        "order_line": [Command.create({"product_id": self.product_id})],
                    }
                )
                .id
            )

    # --- jobs ---

    @staticmethod
    def _validate(picking_id):
        def job(env):
            picking = env["stock.picking"].browse(picking_id)
            picking.button_validate()
            assert picking.state == "done", picking.state

        return job

    @staticmethod
    def _confirm(order_id):
        def job(env):
            env["sale.order"].browse(order_id).action_confirm()

        return job

    # --- checks ---

    def _read(self, partner_id):
        with self.committed_env() as env:
            partner = env["res.partner"].browse(partner_id)
            sequence = env["ir.sequence"].browse(self.sequence_id)
            return (
                partner.ref,
                partner.client_status_id.is_client,
                (sequence.number_next_actual),
            )

    def _assert_one_code_per_round(self, make_jobs):
        """``ROUNDS`` times, a new code-less partner gets two concurrent
        documents: both transactions succeed, the partner ends with one code,
        one number is drawn, and the race really happened."""
        contended = 0
        for index in range(ROUNDS):
            partner_id = self._committed_partner(f"Client {index}")
            _code, _client, number_before = self._read(partner_id)
            result = self.run_concurrently(*make_jobs(partner_id))
            self.assertEqual(result["errors"], [], f"round {index}")
            code, is_client, number_after = self._read(partner_id)
            self.assertEqual(
                code, f"{self.prefix}{number_before:05d}", f"round {index}"
            )
            self.assertTrue(is_client)
            self.assertEqual(number_after, number_before + 1, "one number drawn")
            contended += result["waited"] and sum(result["retries"]) > 0
        # The second transaction waited for the first one's lock and was
        # retried after a serialization failure, round after round.
        self.assertGreaterEqual(contended, ROUNDS // 2)

    def test_two_deliveries_validated_at_once_give_one_code(self):
        def jobs(partner_id):
            first, second = self._committed_deliveries(partner_id, 2)
            return self._validate(first), self._validate(second)

        self._assert_one_code_per_round(jobs)

    def test_a_delivery_and_an_order_at_once_give_one_code(self):
        def jobs(partner_id):
            (delivery,) = self._committed_deliveries(partner_id, 1)
            quote = self._committed_quote(partner_id)
            return self._validate(delivery), self._confirm(quote)

        self._assert_one_code_per_round(jobs)
