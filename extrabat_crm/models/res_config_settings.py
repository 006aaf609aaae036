from odoo import api, fields, models
from odoo.exceptions import ValidationError

from extrabat_core.client_codes import MODE_NAME

# Name used by the preview of the name-based format.
_PREVIEW_NAME = "Dupont"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS ===

    # Client codes: the settings of the root company, shared by its branches
    # (one code space, one sequence); in a branch they show and change the
    # root company's.
    client_code_auto = fields.Boolean(
        related="company_id.root_id.client_code_auto", readonly=False
    )
    client_code_prefix = fields.Char(
        related="company_id.root_id.client_code_prefix", readonly=False
    )
    client_code_mode = fields.Selection(
        related="company_id.root_id.client_code_mode", readonly=False
    )
    client_code_width = fields.Integer(
        related="company_id.root_id.client_code_width", readonly=False
    )
    client_code_next_number = fields.Integer(
        string="Next Client Code Number",
        compute="_compute_client_code_next_number",
        inverse="_inverse_client_code_next_number",
        help="Number of the next sequential client code, e.g. to continue "
        "the numbering of your previous software.",
    )
    client_code_preview = fields.Char(
        string="Next Client Code", compute="_compute_client_code_preview"
    )
    extrabat_gdpr_anonymize = fields.Boolean(
        string="Anonymise Trashed Prospects",
        config_parameter="extrabat_crm.gdpr_anonymize",
        help="Erase the personal data of prospects left in the trash, that "
        "never had any commercial document, after the delay below.",
    )
    extrabat_gdpr_months = fields.Integer(
        string="Anonymise After (Months)",
        config_parameter="extrabat_crm.gdpr_months",
        default=36,
    )

    # === COMPUTE ===

    @api.depends("company_id")
    def _compute_client_code_next_number(self):
        for settings in self:
            sequence = (
                settings.company_id._get_client_code_company()
                .sudo()
                .client_code_sequence_id
            )
            settings.client_code_next_number = (
                sequence.number_next_actual if sequence else 1
            )

    def _inverse_client_code_next_number(self):
        for settings in self:
            if settings.client_code_next_number < 1:
                raise ValidationError(
                    self.env._("The next client code number must be 1 or more.")
                )
            sequence = settings.company_id._get_client_code_sequence()
            if sequence.number_next_actual != settings.client_code_next_number:
                sequence.number_next_actual = settings.client_code_next_number

    @api.depends(
        "client_code_prefix",
        "client_code_mode",
        "client_code_width",
        "client_code_next_number",
    )
    def _compute_client_code_preview(self):
        for settings in self:
            try:
                fmt = self.env["res.company"]._make_client_code_format(
                    settings.client_code_prefix,
                    settings.client_code_mode,
                    settings.client_code_width,
                )
            except ValidationError as error:
                settings.client_code_preview = str(error)
                continue
            if fmt.mode == MODE_NAME:
                settings.client_code_preview = self.env._(
                    "%(code)s for “%(name)s”, then %(next)s…",
                    code=fmt.name_base(_PREVIEW_NAME),
                    name=_PREVIEW_NAME,
                    next=fmt.candidates(_PREVIEW_NAME, 2)[1],
                )
            else:
                settings.client_code_preview = fmt.format_number(
                    max(settings.client_code_next_number, 0)
                )

    # === CONSTRAINTS ===

    @api.constrains("extrabat_gdpr_months")
    def _check_extrabat_gdpr_months(self):
        for settings in self:
            if settings.extrabat_gdpr_anonymize and settings.extrabat_gdpr_months < 1:
                raise ValidationError(
                    self.env._("The anonymisation delay must be 1 month or more.")
                )

    # === ACTIONS ===

    def action_open_client_code_assign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign Client Codes"),
            "res_model": "extrabat.client.code.assign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_company_id": self.company_id.id},
        }
