from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # === FIELDS ===

    dashboard_subscription_ids = fields.One2many(
        "extrabat.dashboard.subscription",
        "user_id",
        string="Dashboard by Email",
        groups="base.group_erp_manager",
    )
    dashboard_mail_summary = fields.Char(
        string="Dashboard by Email Schedule",
        compute="_compute_dashboard_mail_summary",
    )
    dashboard_monthly_target = fields.Monetary(
        string="Personal Monthly Target",
        currency_field="dashboard_target_currency_id",
        groups="base.group_erp_manager",
        help="Untaxed revenue this salesperson should invoice each month. "
        "Empty: their dashboard compares with the company's target.",
    )
    dashboard_target_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Target Currency"
    )

    # === SELF ACCESS ===

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["dashboard_mail_summary"]

    # === COMPUTE ===

    @api.depends_context("lang")
    @api.depends(
        "dashboard_subscription_ids.periodicity",
        "dashboard_subscription_ids.weekday",
        "dashboard_subscription_ids.monthday",
    )
    def _compute_dashboard_mail_summary(self):
        Subscription = self.env["extrabat.dashboard.subscription"].sudo()
        subscriptions = Subscription.search([("user_id", "in", self.ids)])
        by_user = {sub.user_id.id: sub for sub in subscriptions}
        for user in self:
            subscription = by_user.get(user.id)
            user.dashboard_mail_summary = (
                subscription._get_schedule_summary()
                if subscription
                else self.env._("Not received")
            )

    # === ACTIONS ===

    def action_open_dashboard_subscription(self):
        """ "Accéder au formulaire": the user's dashboard by email settings."""
        self.ensure_one()
        return self.env["extrabat.dashboard.subscription"]._action_open_for_user(self)
