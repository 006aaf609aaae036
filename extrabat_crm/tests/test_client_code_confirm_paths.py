import base64

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ExtrabatCrmCommon

# A 1x1 PNG: the portal only needs valid image data as a signature.
_SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4"
        "890000000d4944415478da63f8ffff3f0005fe02fea7d6a3b70000000049454e"
        "44ae426082"
    )
).decode()


@tagged("post_install", "-at_install")
class TestClientCodeConfirmPaths(ExtrabatCrmCommon, HttpCase):
    """The customer confirms the quote themselves: by signing it on the
    portal, or by paying it online. Both give the client code and status."""

    def _portal_quote(self, partner, **vals):
        quote = self._create_quote(partner, **vals)
        quote.action_quotation_sent()
        self.assertEqual(quote.state, "sent")
        return quote

    def test_signing_the_quote_on_the_portal_gives_a_code(self):
        partner = self._create_partner("Client Portail")
        quote = self._portal_quote(
            partner, require_signature=True, require_payment=False
        )
        self.authenticate(None, None)
        result = self.make_jsonrpc_request(
            f"/my/orders/{quote.id}/accept",
            {
                "access_token": quote._portal_ensure_token(),
                "name": "Client Portail",
                "signature": _SIGNATURE,
            },
        )
        self.assertFalse(result.get("error"), result)
        self.assertEqual(quote.state, "sale")
        self.assertTrue(partner.ref.startswith("C"))
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_paying_the_quote_online_gives_a_code(self):
        partner = self._create_partner("Client Paiement")
        quote = self._portal_quote(
            partner, require_signature=False, require_payment=True
        )
        payment_method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(payment_method.ids)],
            }
        )
        payment_method.active = True
        journal = self.company_data["default_journal_bank"]
        self._create_dummy_payment_method_for_provider(provider, journal)
        journal.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        ).payment_account_id = self.inbound_payment_method_line.payment_account_id
        transaction = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": payment_method.id,
                "reference": f"{quote.name}-online",
                "amount": quote.amount_total,
                "currency_id": quote.currency_id.id,
                "partner_id": partner.id,
                "operation": "online_redirect",
                "sale_order_ids": [Command.set(quote.ids)],
            }
        )
        transaction._set_done()
        transaction._post_process()
        self.assertEqual(quote.state, "sale")
        self.assertTrue(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_every_confirmation_path_runs_the_registration(self):
        """Confirmation flows of other modules call ``_action_confirm``
        (the documented extension point) after writing the state."""
        partner = self._create_partner("Client Direct")
        quote = self._create_quote(partner)
        quote.write(quote._prepare_confirmation_values())
        quote._action_confirm()
        self.assertTrue(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)

    def test_signing_on_the_portal_is_not_blocked_when_no_code_can_be_found(self):
        """A broken client code configuration never makes the customer's own
        confirmation fail: the order is confirmed without a code, the
        managers get a to-do activity."""
        self.company.client_code_sequence_id.sudo().write(
            {"implementation": "no_gap", "prefix": "X"}
        )
        partner = self._create_partner("Client Portail Sans Code")
        quote = self._portal_quote(
            partner, require_signature=True, require_payment=False
        )
        self.authenticate(None, None)
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING"):
            result = self.make_jsonrpc_request(
                f"/my/orders/{quote.id}/accept",
                {
                    "access_token": quote._portal_ensure_token(),
                    "name": "Client Portail",
                    "signature": _SIGNATURE,
                },
            )
        self.assertFalse(result.get("error"), result)
        self.assertEqual(quote.state, "sale")
        self.assertFalse(partner.ref)
        self.assertEqual(partner.client_status_id, self.status_client)
        self.assertTrue(
            partner.activity_ids.filtered(lambda a: a.summary == "No client code")
        )
