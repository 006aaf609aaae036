from odoo import api, fields, models
from odoo.exceptions import UserError


class ExtrabatClientCodeAssignWizard(models.TransientModel):
    """Give a client code to the existing customers of a company (those with
    a confirmed order or a customer invoice), for an installation on a live
    database. Codes already set are kept. The work is done by a scheduled
    action, a batch at a time (see ``res.partner._cron_assign_client_codes``):
    the wizard only asks for it."""

    _name = "extrabat.client.code.assign.wizard"
    _description = "Assign Client Codes to Existing Customers"

    # === FIELDS ===

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    state = fields.Selection(
        [("draft", "To Do"), ("done", "Scheduled")], default="draft", required=True
    )
    customer_count = fields.Integer(
        string="Customers", compute="_compute_customer_counts"
    )
    without_code_count = fields.Integer(
        string="Customers Without Code", compute="_compute_customer_counts"
    )
    assign_pending = fields.Boolean(
        related="company_id.client_code_assign_pending",
        string="Assignment in Progress",
    )
    client_code_preview = fields.Char(
        string="Next Client Code", compute="_compute_client_code_preview"
    )

    # === COMPUTE ===

    @api.depends("company_id", "state")
    def _compute_customer_counts(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for wizard in self:
            ids = Partner._get_customer_partner_ids(wizard.company_id)
            wizard.customer_count = len(ids)
            wizard.without_code_count = Partner.search_count(
                [("id", "in", ids), ("ref", "in", (False, ""))]
            )

    @api.depends("company_id")
    def _compute_client_code_preview(self):
        for wizard in self:
            wizard.client_code_preview = wizard.company_id._get_client_code_preview(
                "Dupont"
            )

    # === ACTIONS ===

    def action_assign(self):
        self.ensure_one()
        if not self.env.user.has_group("extrabat_crm.extrabat_crm_group_manager"):
            raise UserError(
                self.env._("Only Extrabat managers can assign client codes in bulk.")
            )
        self.company_id.sudo().client_code_assign_pending = True
        self.env.ref("extrabat_crm.ir_cron_client_code_assign").sudo()._trigger()
        self.state = "done"
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Assign Client Codes"),
        }
