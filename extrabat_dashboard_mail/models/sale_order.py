from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === FIELDS ===

    quotation_sent_date = fields.Datetime(
        string="Quotation Sent On",
        compute="_compute_quotation_sent_date",
        store=True,
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the quotation was first marked as sent (by email, by "
        "hand, or shared online). The dashboard by email counts the quotes "
        "sent, the conversion rate and the quotes to follow up from it.",
    )

    # === COMPUTE ===

    @api.depends("state")
    def _compute_quotation_sent_date(self):
        # Every path to the "sent" state (email composer, "mark as sent",
        # portal sharing) writes state = 'sent'; the first time is kept,
        # confirming or cancelling afterwards does not erase it.
        now = fields.Datetime.now()
        for order in self:
            if order.state == "sent" and not order.quotation_sent_date:
                order.quotation_sent_date = now
            else:
                order.quotation_sent_date = order.quotation_sent_date
