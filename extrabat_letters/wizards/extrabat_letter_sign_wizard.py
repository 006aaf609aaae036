from odoo import fields, models


class ExtrabatLetterSignWizard(models.TransientModel):
    """The signature pad of a letter, for the client signing on the
    salesperson's tablet or phone (Odoo's ``signature`` widget: finger,
    mouse or typed name)."""

    _name = "extrabat.letter.sign.wizard"
    _description = "Sign a letter"

    # === FIELDS ===

    letter_id = fields.Many2one("extrabat.letter", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="letter_id.partner_id")
    pdf_attachment_id = fields.Many2one(related="letter_id.pdf_attachment_id")
    signer_name = fields.Char(string="Signed by", required=True)
    signature = fields.Binary(required=True)
    pdf_sha256 = fields.Char(
        string="PDF shown",
        help="SHA-256 of the PDF when the pad was opened: the signature is "
        "refused if the letter's PDF changed since.",
    )

    # === ACTIONS ===

    def action_sign(self):
        self.ensure_one()
        self.letter_id._sign(
            self.signature,
            self.signer_name,
            viewed_pdf_sha256=self.pdf_sha256 or None,
        )
        return {"type": "ir.actions.act_window_close"}
