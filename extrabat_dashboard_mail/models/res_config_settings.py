from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS ===

    dashboard_monthly_target = fields.Monetary(
        related="company_id.dashboard_monthly_target",
        currency_field="currency_id",
        readonly=False,
    )
