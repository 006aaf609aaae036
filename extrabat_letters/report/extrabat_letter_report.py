from odoo import api, fields, models


class ReportExtrabatLetter(models.AbstractModel):
    """Values of the letter report; previews of a template render a letter
    that is not saved (``data["extrabat_letter_preview"]``)."""

    _name = "report.extrabat_letters.report_extrabat_letter"
    _description = "Letter report"

    @api.model
    def _get_report_values(self, docids, data=None):
        Letter = self.env["extrabat.letter"]
        preview = (data or {}).get("extrabat_letter_preview")
        if preview:
            vals = dict(preview, date=fields.Date.to_date(preview["date"]))
            docs = Letter.new(vals)
        else:
            docs = Letter.browse(docids)
        return {"doc_ids": docids, "doc_model": Letter._name, "docs": docs}
