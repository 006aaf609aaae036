from odoo import api, models
from odoo.exceptions import UserError, ValidationError

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    # === CONSTRAINTS ===

    @api.constrains("partner_id")
    def _check_partner_not_trashed(self):
        """A partner in the trash gets no new invoice, credit note or bill
        (also by RPC). Existing documents keep their partner."""
        for move in self:
            message = move._get_trashed_partner_message()
            if message:
                raise ValidationError(message)

    # === CRUD ===

    @api.model_create_multi
    def create(self, vals_list):
        """A customer invoice or credit note gives its customer a client code
        as soon as it is created (Extrabat's rule, so that the draft shows
        it), whatever made it: the form, an order, a reversal, an import."""
        moves = super().create(vals_list)
        moves._register_customers()
        return moves

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self._register_customers()
        return res

    # === BUSINESS ===

    def _post(self, soft=True):
        for move in self:
            message = move._get_trashed_partner_message()
            if message:
                raise UserError(message)
        posted = super()._post(soft=soft)
        # Safety net: a code is guaranteed on every posted customer entry
        # (for the FEC), even if the setting was off when the draft was made.
        posted._register_customers()
        return posted

    def _get_trashed_partner_message(self):
        self.ensure_one()
        if not self.is_invoice(include_receipts=True):
            return False
        partner = self.partner_id.commercial_partner_id
        if not partner.is_trashed:
            return False
        return self.env._(
            "“%(partner)s” is in the trash: restore it (Contacts › Trash) "
            "before invoicing it or posting its documents.",
            partner=partner.display_name,
        )

    def _register_customers(self):
        customer_moves = self.filtered(
            lambda m: m.move_type in CUSTOMER_MOVE_TYPES and m.partner_id
        )
        for company, moves in customer_moves.grouped("company_id").items():
            moves.partner_id._register_customer_document(company)
