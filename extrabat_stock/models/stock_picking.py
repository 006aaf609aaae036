from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # === FIELDS ===

    client_code = fields.Char(
        related="partner_id.commercial_partner_id.ref",
        string="Client Code",
        help="The client code of the customer (its commercial entity), as "
        "on the client's record and in the accounting export.",
    )

    # === BUSINESS ===

    @api.model
    def _direct_delivery_domain(self):
        """Delivery notes made without a sale order (the ones an order's
        confirmation did not already account for)."""
        return [
            ("picking_type_code", "=", "outgoing"),
            ("partner_id", "!=", False),
            ("sale_id", "=", False),
        ]

    def _action_done(self):
        """Validating a delivery note made without a sale order makes its
        customer a client, as confirming an order does (client code when the
        company's setting is on, client status; see extrabat_crm's
        ``_register_customer_document``). Before Odoo's validation, so that
        the confirmation email, which attaches the delivery slip, shows the
        code; a failed validation rolls it back with everything else."""
        self._register_customers()
        return super()._action_done()

    def _register_customers(self):
        deliveries = self.filtered_domain(self._direct_delivery_domain())
        for company, pickings in deliveries.grouped("company_id").items():
            pickings.partner_id._register_customer_document(company)
