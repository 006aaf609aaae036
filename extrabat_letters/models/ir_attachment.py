from odoo import api, fields, models

#: Folders of the client's document folder (porte-documents).
EXTRABAT_FOLDERS = [
    ("courriers", "Courriers"),
    ("devis", "Devis"),
    ("factures", "Factures"),
    ("photos", "Photos"),
    ("autres", "Autres"),
]


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # === FIELDS ===
    extrabat_folder = fields.Selection(
        EXTRABAT_FOLDERS,
        string="Folder",
        compute="_compute_extrabat_folder",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Folder of the client's document folder (porte-documents) the "
        "file is shown in. Guessed from the document it is attached to when "
        "not chosen.",
    )

    # === COMPUTE ===
    @api.depends("res_model", "mimetype")
    def _compute_extrabat_folder(self):
        for attachment in self:
            if not attachment.extrabat_folder:
                attachment.extrabat_folder = attachment._guess_extrabat_folder()

    # === BUSINESS ===
    def _guess_extrabat_folder(self):
        """The folder of an attachment nobody filed: quotes and orders in
        *Devis*, invoices in *Factures*, pictures in *Photos*, the rest in
        *Autres*. Override to file other documents."""
        self.ensure_one()
        if self.res_model == "sale.order":
            return "devis"
        if self.res_model == "account.move":
            return "factures"
        if (self.mimetype or "").startswith("image/"):
            return "photos"
        return "autres"
