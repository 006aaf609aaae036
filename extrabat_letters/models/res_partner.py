from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS ===
    # Odoo 19 has no partner title any more; letters need the civilité.
    extrabat_civility = fields.Selection(
        [("mr", "Mr"), ("mrs", "Mrs"), ("mr_mrs", "Mr and Mrs")],
        string="Civility",
        help="Printed in letters as [data.civilite_client].",
    )
    letter_ids = fields.One2many("extrabat.letter", "partner_id", string="Letters")
    letter_count = fields.Integer(
        string="Letter count", compute="_compute_letter_count"
    )

    # === COMPUTE ===
    def _compute_letter_count(self):
        counts = dict(
            self.env["extrabat.letter"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.letter_count = counts.get(partner, 0)

    # === ACTIONS ===
    def action_view_letters(self):
        """The client's *Courriers*: its letters, *New* generates one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.extrabat_letter_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_partner_id": False,
        }
        return action

    def action_generate_letters(self):
        """Open the wizard that generates one letter per selected client."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generate a letter"),
            "res_model": "extrabat.letter.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }
