from odoo import fields, models


class ExtrabatGdprLog(models.Model):
    _inherit = "extrabat.gdpr.log"

    # === FIELDS ===
    letter_count = fields.Integer(
        string="Letters Anonymised",
        readonly=True,
        help="Letters of the client and its contacts whose signature, signer, "
        "files and chatter were erased.",
    )
