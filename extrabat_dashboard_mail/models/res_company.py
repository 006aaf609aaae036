from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS ===

    dashboard_monthly_target = fields.Monetary(
        string="Monthly Revenue Target",
        currency_field="currency_id",
        help="Untaxed revenue to invoice each month. The dashboard by email "
        "compares the month to date with it; a salesperson's own target, "
        "when set on their user, replaces it in their dashboard.",
    )
