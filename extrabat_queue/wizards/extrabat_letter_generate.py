from odoo import fields, models


class ExtrabatLetterGenerate(models.TransientModel):
    """When the PDFs are made in the background, the wizard opens the batch
    (its progress) instead of the list of letters."""

    _inherit = "extrabat.letter.generate"

    batch_id = fields.Many2one("extrabat.letter.batch", readonly=True)

    def action_generate(self):
        action = super().action_generate()
        if self.batch_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "extrabat.letter.batch",
                "res_id": self.batch_id.id,
                "views": [(False, "form")],
                "target": "current",
            }
        return action

    def _generate_letters(self):
        letters = super()._generate_letters()
        self.batch_id = letters.batch_id[:1]
        return letters
