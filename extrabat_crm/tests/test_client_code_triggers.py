from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeTriggers(ExtrabatCrmCommon):
    """What gives a client code (and the client status), and what does not."""

    def _expected_code(self, number):
        return f"C{number:05d}"

    def test_confirming_an_order_gives_a_code(self):
        partner = self._create_partner()
        number = self._next_number()
        self._create_order(partner)
        self.assertEqual(partner.ref, self._expected_code(number))

    def test_a_quote_alone_gives_no_code(self):
        partner = self._create_partner()
        number = self._next_number()
        quote = self._create_quote(partner)
        quote.action_quotation_sent()
        self.assertEqual(quote.state, "sent")
        self.assertFalse(partner.ref)
        self.assertEqual(self._next_number(), number, "no number drawn")

    def test_creating_a_customer_invoice_gives_a_code(self):
        partner = self._create_partner()
        invoice = self._create_invoice(partner)
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(partner.ref.startswith("C"))

    def test_creating_a_credit_note_gives_a_code(self):
        partner = self._create_partner()
        self._create_invoice(partner, move_type="out_refund")
        self.assertTrue(partner.ref)

    def test_a_vendor_bill_gives_no_code(self):
        partner = self._create_partner()
        self._create_invoice(partner, move_type="in_invoice", post=True)
        self.assertFalse(partner.ref)

    def test_a_supplier_refund_gives_no_code(self):
        partner = self._create_partner()
        self._create_invoice(partner, move_type="in_refund", post=True)
        self.assertFalse(partner.ref)

    def test_an_invoice_made_from_an_order_gives_a_code(self):
        partner = self._create_partner()
        self.company.client_code_auto = False
        order = self._create_order(partner)
        self.assertFalse(partner.ref)
        self.company.client_code_auto = True
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertTrue(partner.ref)

    def test_a_credit_note_by_reversal_gives_a_code(self):
        partner = self._create_partner()
        self.company.client_code_auto = False
        invoice = self._create_invoice(partner, post=True)
        self.company.client_code_auto = True
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "erreur"})
        )
        reversal.refund_moves()
        self.assertTrue(invoice.reversal_move_ids)
        self.assertTrue(partner.ref)

    def test_posting_gives_a_code_the_draft_did_not_get(self):
        partner = self._create_partner()
        self.company.client_code_auto = False
        invoice = self._create_invoice(partner)
        self.company.client_code_auto = True
        invoice.action_post()
        self.assertTrue(partner.ref)

    def test_setting_off_gives_no_code(self):
        self.company.client_code_auto = False
        partner = self._create_partner()
        self._create_order(partner)
        self._create_invoice(partner, post=True)
        self.assertFalse(partner.ref)

    def test_a_typed_code_is_never_overwritten(self):
        partner = self._create_partner(ref="DUP-1970")
        number = self._next_number()
        self._create_order(partner)
        self._create_invoice(partner, post=True)
        self.assertEqual(partner.ref, "DUP-1970")
        self.assertEqual(self._next_number(), number, "no number drawn")

    def test_a_second_document_keeps_the_first_code(self):
        partner = self._create_partner()
        number = self._next_number()
        self._create_order(partner)
        code = partner.ref
        self._create_order(partner)
        self._create_invoice(partner, post=True)
        self.assertEqual(partner.ref, code)
        self.assertEqual(self._next_number(), number + 1, "one number drawn")

    def test_the_code_goes_to_the_company_and_shows_on_its_contacts(self):
        company = self._create_partner("Chauffage Martin SARL", is_company=True)
        buyer = self._create_partner("Luc Martin", parent_id=company.id)
        self._create_order(buyer)
        self.assertTrue(company.ref)
        self.assertEqual(buyer.ref, company.ref)
        newcomer = self._create_partner("Anne Martin", parent_id=company.id)
        self.assertEqual(newcomer.ref, company.ref)

    def test_a_salesperson_confirming_an_order_gives_a_code(self):
        partner = self._create_partner()
        quote = self._create_quote(partner, env=self.env(user=self.salesman))
        quote.with_user(self.salesman).action_confirm()
        self.assertTrue(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_a_salesperson_without_contact_rights_gives_a_code_too(self):
        """The code is a system action: no write access on contacts needed."""
        seller = new_test_user(
            self.env,
            login="extrabat_seller_readonly",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(self.env["res.partner"].with_user(seller).has_access("write"))
        partner = self._create_partner()
        quote = self._create_quote(partner, env=self.env(user=seller))
        quote.with_user(seller).action_confirm()
        self.assertTrue(partner.ref)

    def test_the_first_document_makes_a_prospect_a_client(self):
        partner = self._create_partner()
        self.assertEqual(partner.client_status_id, self.status_prospect)
        self.assertFalse(partner.client_since)
        self._create_quote(partner)
        self.assertEqual(partner.client_status_id, self.status_prospect)
        self._create_order(partner)
        self.assertEqual(partner.client_status_id, self.status_client)
        self.assertTrue(partner.client_since)

    def test_a_customer_invoice_makes_a_prospect_a_client(self):
        partner = self._create_partner()
        self._create_invoice(partner)
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_a_vendor_bill_does_not_make_a_client(self):
        partner = self._create_partner()
        self._create_invoice(partner, move_type="in_invoice", post=True)
        self.assertEqual(partner.client_status_id, self.status_prospect)
        self.assertFalse(partner.client_since)

    def test_a_custom_status_is_kept_at_the_first_order(self):
        partner = self._create_partner(client_status_id=self.status_works.id)
        self._create_order(partner)
        self.assertEqual(partner.client_status_id, self.status_works)
        self.assertTrue(partner.client_since, "it did become a client")

    def test_client_since_is_not_moved_by_later_documents(self):
        partner = self._create_partner()
        self._create_order(partner)
        since = partner.client_since
        partner.client_status_id = self.status_works
        self._create_order(partner)
        self.assertEqual(partner.client_since, since)
        self.assertEqual(partner.client_status_id, self.status_works)

    def test_choosing_the_client_status_sets_client_since(self):
        partner = self._create_partner()
        partner.client_status_id = self.status_client
        self.assertTrue(partner.client_since)

    def test_a_shared_client_has_one_code_for_all_companies(self):
        """See readme/USAGE.md: one ``ref`` per partner."""
        other = self.env["res.company"].create(
            {"name": "Piscines du Sud", "client_code_prefix": "B"}
        )
        shared = self._create_partner("Client partagé", company_id=False)
        self._create_order(shared)
        code = shared.ref
        self.assertTrue(code.startswith("C"), "format of the first document's")
        self.assertFalse(shared._assign_client_code(other))
        self.assertEqual(shared.ref, code)
        with self.assertRaisesRegex(ValidationError, "already used"):
            self._create_partner("Client B", company_id=other.id, ref=code)
