from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === CONSTRAINTS ===

    @api.constrains("partner_id", "partner_invoice_id", "partner_shipping_id")
    def _check_partner_not_trashed(self):
        """A client in the trash gets no new quote or order (also by RPC).
        Existing documents keep their partner: this only runs when a partner
        is set."""
        for order in self:
            message = order._get_trashed_partner_message()
            if message:
                raise ValidationError(message)

    # === BUSINESS ===

    def _action_confirm(self):
        """Every confirmation path runs this, the orders already confirmed
        (button, portal signature, online payment, website, other modules'
        flows): the customer becomes a client and gets its client code."""
        res = super()._action_confirm()
        self._register_customers()
        return res

    def _confirmation_error_message(self):
        return (
            self._get_trashed_partner_message() or super()._confirmation_error_message()
        )

    def _get_trashed_partner_message(self):
        self.ensure_one()
        partners = (
            self.partner_id | self.partner_invoice_id | self.partner_shipping_id
        ).commercial_partner_id
        trashed = partners.filtered("is_trashed")
        if not trashed:
            return False
        return self.env._(
            "“%(partner)s” is in the trash: restore it (Contacts › Trash) "
            "before making it a quote or an order.",
            partner=trashed[0].display_name,
        )

    def _register_customers(self):
        for company, orders in (
            self.filtered(lambda o: o.state == "sale").grouped("company_id").items()
        ):
            orders.partner_id._register_customer_document(company)
