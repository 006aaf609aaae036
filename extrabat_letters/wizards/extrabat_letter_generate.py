from odoo import fields, models
from odoo.exceptions import UserError

from ..models import extrabat_letter


class ExtrabatLetterGenerate(models.TransientModel):
    """Generate the same letter for several clients at once (list action on
    contacts)."""

    _name = "extrabat.letter.generate"
    _description = "Generate letters"

    # === FIELDS ===
    template_id = fields.Many2one(
        "extrabat.letter.template",
        required=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    partner_ids = fields.Many2many("res.partner", string="Clients", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    partner_count = fields.Integer(compute="_compute_partner_count")

    # === CRUD ===
    def onchange(self, values, field_names, fields_spec):
        # the wizard opens for a few clients: their PDFs will be made at once
        partner_ids = self.env.context.get("default_partner_ids") or []
        if not field_names and len(partner_ids) <= extrabat_letter.SYNC_PDF_LIMIT:
            self.env["extrabat.letter"]._warm_up_pdf_conversion()
        return super().onchange(values, field_names, fields_spec)

    # === COMPUTE ===
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.partner_ids)

    # === ACTIONS ===
    def action_generate(self):
        self.ensure_one()
        letters = self._generate_letters()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.extrabat_letter_action"
        )
        action["domain"] = [("id", "in", letters.ids)]
        if len(letters) == 1:
            action.update(views=[(False, "form")], res_id=letters.id)
        return action

    # === BUSINESS ===
    def _prepare_letter_values(self, partner):
        """Values of the letter created for ``partner`` (hook)."""
        return {
            "template_id": self.template_id.id,
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "name": self.template_id.name,
        }

    def _generate_letters(self):
        """One letter per client; documents now, PDFs now or by the cron
        (see ``extrabat.letter._generate_files``).

        :return: the created ``extrabat.letter`` records
        """
        if not self.partner_ids:
            raise UserError(self.env._("Select at least one client."))
        letters = self.env["extrabat.letter"].create(
            [self._prepare_letter_values(partner) for partner in self.partner_ids]
        )
        letters._generate_files()
        return letters
