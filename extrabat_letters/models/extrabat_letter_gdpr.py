from odoo import models

from .extrabat_letter import SERVER_WRITE, SERVER_WRITE_KEY


class ExtrabatLetter(models.Model):
    """GDPR anonymisation of letters (called by the anonymisation of their
    client, see ``res.partner._extrabat_anonymize_scope``)."""

    # Its own file on purpose (the letter model's file is another concern);
    # _name and a tuple, like extrabat_letter_sign.py: pylint-odoo's
    # consider-merging-classes-inherited counts plain-string _inherit only,
    # and Odoo wants the _name of a tuple _inherit.
    _name = "extrabat.letter"
    _inherit = ("extrabat.letter",)

    # === BUSINESS: GDPR ===
    def _anonymize_for_gdpr(self):
        """Erase the personal data of these letters: the signature image,
        the signer's name, the letter's name (free text), its files (the
        filled document and the PDF, signed or not), its chatter (messages
        with their attachments, activities, followers). The letter itself
        stays, with its state, dates and the fingerprint of the signed PDF
        (no personal data): it still shows that a letter existed and was
        signed.

        :return: ``{extrabat.gdpr.log count field: count}``
        """
        letters = self.sudo().with_context(active_test=False)
        if not letters:
            return {"letter_count": 0}
        files = letters.document_attachment_id | letters.pdf_attachment_id
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", letters.ids)])
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", letters.ids),
                    ("res_field", "=", False),
                ]
            )
        )
        counts = {
            "letter_count": len(letters),
            "message_count": len(messages),
            "attachment_count": len(files | attachments),
        }
        for letter in letters:
            # Server-only write: a signed letter's content is frozen for
            # everyone else (the GDPR anonymisation is the exception).
            letter.with_context(tracking_disable=True)._write_server(
                {
                    "name": self.env._("Anonymised letter %(id)s", id=letter.id),
                    "signature": False,
                    "signed_by": False,
                    "document_attachment_id": False,
                    "pdf_attachment_id": False,
                    "pdf_state": "none",
                    "generation_error": False,
                }
            )
        messages.unlink()
        # The files of a signed letter are sealed: only the server removes them.
        (files | attachments).with_context(**{SERVER_WRITE_KEY: SERVER_WRITE}).unlink()
        self.env["mail.activity"].sudo().with_context(active_test=False).search(
            [("res_model", "=", self._name), ("res_id", "in", letters.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", letters.ids)]
        ).unlink()
        return counts
