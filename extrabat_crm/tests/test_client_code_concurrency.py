"""Exactly one client code under concurrency, proven with real concurrent
transactions on PostgreSQL (threads, one connection each)."""

import logging
import uuid

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .concurrency import ConcurrencyMixin

_logger = logging.getLogger(__name__)

ROUNDS = 20


@tagged("post_install", "-at_install")
class TestClientCodeConcurrency(ConcurrencyMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fixtures = {"partner": [], "order": [], "move": []}

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            # A prefix of its own: no code of another test can collide.
            self.prefix = f"T{uuid.uuid4().hex[:4].upper()}"
            company = env["res.company"].create(
                {
                    "name": f"Extrabat Concurrence {self.prefix}",
                    "client_code_prefix": self.prefix,
                }
            )
            journal = env["account.journal"].create(
                {
                    "name": "Ventes",
                    "code": "XVTE",
                    "type": "sale",
                    "company_id": company.id,
                }
            )
            product = env["product.product"].create(
                {"name": "Entretien chaudière", "type": "service", "list_price": 120}
            )
            self.company_id, self.journal_id, self.product_id = (
                company.id,
                journal.id,
                product.id,
            )
            self.sequence_id = company.client_code_sequence_id.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        """Remove what the test committed (the database is thrown away after
        the run anyway): documents, then partners through the explicit
        deletion path, then product, journal and company are archived."""
        with self.committed_env() as env:
            orders = env["sale.order"].browse(self.fixtures["order"]).exists()
            orders._action_cancel()
            orders.unlink()
            env["account.move"].browse(self.fixtures["move"]).exists().unlink()
            partners = env["res.partner"].browse(self.fixtures["partner"]).exists()
            partners._unlink_bypassing_trash()
            env["product.product"].browse(self.product_id).unlink()
            env["account.journal"].browse(self.journal_id).action_archive()
            env["res.company"].browse(self.company_id).action_archive()
        self.fixtures = {"partner": [], "order": [], "move": []}

    # --- fixtures, committed ---

    def _committed_partners(self, *names, **vals):
        with self.committed_env() as env:
            company = env["res.company"].browse(self.company_id)
            if vals:
                company.write(vals)
            partners = env["res.partner"].create(
                [{"name": name, "company_id": self.company_id} for name in names]
            )
            self.fixtures["partner"] += partners.ids
            return partners.ids

    def _committed_quotes(self, partner_id, count):
        with self.committed_env() as env:
            quotes = env["sale.order"].create(
                [
                    {
                        "partner_id": partner_id,
                        "company_id": self.company_id,
                        "order_line": [Command.create({"product_id": self.product_id})],
                    }
                    for _index in range(count)
                ]
            )
            self.fixtures["order"] += quotes.ids
            return quotes.ids

    # --- jobs ---

    @staticmethod
    def _confirm(order_id):
        def job(env):
            env["sale.order"].browse(order_id).action_confirm()

        return job

    def _create_invoice(self, partner_id):
        fixtures = self.fixtures

        def job(env):
            move = (
                env["account.move"]
                .with_company(self.company_id)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner_id,
                        "journal_id": self.journal_id,
                    }
                )
            )
            fixtures["move"].append(move.id)

        return job

    # --- checks ---

    def _read(self, partner_ids):
        with self.committed_env() as env:
            partners = env["res.partner"].browse(partner_ids)
            sequence = env["ir.sequence"].browse(self.sequence_id)
            return (
                [(p.ref, p.client_status_id.is_client) for p in partners],
                sequence.number_next_actual,
            )

    def _assert_one_code_per_round(self, make_jobs):
        """``ROUNDS`` times, a new code-less partner gets two concurrent
        documents: both transactions succeed, the partner ends with one code,
        one number is drawn, and the race really happened."""
        contended = 0
        for index in range(ROUNDS):
            (partner_id,) = self._committed_partners(f"Client {index}")
            (_codes, number_before) = self._read([partner_id])
            result = self.run_concurrently(*make_jobs(partner_id))
            self.assertEqual(result["errors"], [], f"round {index}")
            ((code, is_client),), number_after = self._read([partner_id])
            self.assertEqual(
                code, f"{self.prefix}{number_before:05d}", f"round {index}"
            )
            self.assertTrue(is_client)
            self.assertEqual(number_after, number_before + 1, "one number drawn")
            contended += result["waited"] and sum(result["retries"]) > 0
        # The second transaction waited for the first one's lock and was
        # retried after a serialization failure, round after round.
        _logger.info(
            "%s: in %s/%s rounds a transaction waited for the other's lock "
            "and was retried",
            self._testMethodName,
            contended,
            ROUNDS,
        )
        self.assertGreaterEqual(contended, ROUNDS // 2)

    def test_two_orders_confirmed_at_once_give_one_code(self):
        def jobs(partner_id):
            first, second = self._committed_quotes(partner_id, 2)
            return self._confirm(first), self._confirm(second)

        self._assert_one_code_per_round(jobs)

    def test_two_invoices_created_at_once_give_one_code(self):
        def jobs(partner_id):
            return self._create_invoice(partner_id), self._create_invoice(partner_id)

        self._assert_one_code_per_round(jobs)

    def test_an_order_and_an_invoice_at_once_give_one_code(self):
        def jobs(partner_id):
            (quote,) = self._committed_quotes(partner_id, 1)
            return self._confirm(quote), self._create_invoice(partner_id)

        self._assert_one_code_per_round(jobs)

    def test_two_namesakes_at_once_get_two_codes(self):
        """Name-based codes: two different clients with the same first letters
        at the same moment get 411DUPON and 411DUPON1, without error."""
        for index in range(ROUNDS // 2):
            first, second = self._committed_partners(
                f"Dupont {index}",
                f"Dupond {index}",
                client_code_mode="name",
                client_code_prefix=f"4{index:02d}",
            )
            quote_1 = self._committed_quotes(first, 1)[0]
            quote_2 = self._committed_quotes(second, 1)[0]
            result = self.run_concurrently(
                self._confirm(quote_1), self._confirm(quote_2)
            )
            self.assertEqual(result["errors"], [])
            codes, _number = self._read([first, second])
            self.assertEqual(
                sorted(code for code, _client in codes),
                [f"4{index:02d}DUPON", f"4{index:02d}DUPON1"],
            )

    def test_namesakes_of_a_branch_and_its_parent_at_once_get_two_codes(self):
        """A branch shares its root company's code space: a client of the
        branch and one of the parent, with the same first letters, confirmed
        at the same moment, get 411DUPON and 411DUPON1 (never both the same
        CompAuxNum in the parent's FEC)."""
        with self.committed_env() as env:
            branch = env["res.company"].create(
                {"name": f"Agence {self.prefix}", "parent_id": self.company_id}
            )
            branch_id = branch.id
        self.addCleanup(self._archive_company, branch_id)
        for index in range(ROUNDS // 2):
            (first,) = self._committed_partners(
                f"Dupont {index}",
                client_code_mode="name",
                client_code_prefix=f"4{index:02d}",
            )
            with self.committed_env() as env:
                second = (
                    env["res.partner"]
                    .create({"name": f"Dupond {index}", "company_id": branch_id})
                    .id
                )
                self.fixtures["partner"].append(second)
                quote_2 = (
                    env["sale.order"]
                    .create(
                        {
                            "partner_id": second,
                            "company_id": branch_id,
                            "order_line": [
                                Command.create({"product_id": self.product_id})
                            ],
                        }
                    )
                    .id
                )
                self.fixtures["order"].append(quote_2)
            quote_1 = self._committed_quotes(first, 1)[0]
            result = self.run_concurrently(
                self._confirm(quote_1), self._confirm(quote_2)
            )
            self.assertEqual(result["errors"], [])
            codes, _number = self._read([first, second])
            self.assertEqual(
                sorted(code for code, _client in codes),
                [f"4{index:02d}DUPON", f"4{index:02d}DUPON1"],
            )

    def _archive_company(self, company_id):
        with self.committed_env() as env:
            env["res.company"].browse(company_id).action_archive()
