from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

#: The letters' email templates (``noupdate``: see
#: :meth:`ExtrabatLetter._update_mail_templates_to_sender`).
MAIL_TEMPLATES = (
    "extrabat_letters.mail_template_extrabat_letter",
    "extrabat_letters.mail_template_extrabat_letter_sign_request",
)
#: What the templates said before 19.0.1.2.0 (sent from and signed by the
#: client's salesperson) and now (by the user who sends the email).
SENDER_EXPRESSIONS = (
    (
        (
            "object.user_id.email_formatted or object.company_id.email_formatted"
            " or user.email_formatted"
        ),
        "user.email_formatted or object.company_id.email_formatted",
    ),
    ("object.user_id.signature", "user.signature"),
)


class ExtrabatLetter(models.Model):
    """Emailing a letter: Odoo's mail composer with the letter's PDF and any
    other document of the client; the letter becomes *sent* and the email
    is logged on the client."""

    _inherit = "extrabat.letter"

    # === ACTIONS ===

    def action_send_email(self):
        """Open the mail composer with the letter's PDF attached; the
        client's quotes and invoices can be attached too (they get their
        PDF first if they have none)."""
        self.ensure_one()
        if not self.pdf_attachment_id:
            raise UserError(self.env._("The PDF of this letter is not ready yet."))
        self._check_signed_pdf_integrity()
        self.partner_id._extrabat_render_missing_pdfs()
        return self._action_open_composer(
            "extrabat_letters.mail_template_extrabat_letter",
            {
                "default_extrabat_attach_client_documents": True,
                "default_extrabat_document_ids": [
                    Command.set(self.pdf_attachment_id.ids)
                ],
                "mark_letter_as_sent": True,
            },
        )

    def action_send_for_signature(self):
        """Email the client a link to read and sign the letter online."""
        self.ensure_one()
        self._check_signable()
        self._portal_ensure_token()
        return self._action_open_composer(
            "extrabat_letters.mail_template_extrabat_letter_sign_request", {}
        )

    # === MAIL ===

    def message_post(self, **kwargs):
        if self.env.context.get("mark_letter_as_sent"):
            # the signed PDF is checked before it leaves by email
            self._check_signed_pdf_integrity()
        message = super().message_post(**kwargs)
        # The context key comes from the composer the browser opens: it only
        # counts for a real email to someone (an internal note or a message
        # to nobody posted with it does not make a letter "sent").
        if (
            self.env.context.get("mark_letter_as_sent")
            and message
            and message.partner_ids
            and message.message_type in ("comment", "email_outgoing")
            and not message.subtype_id.internal
        ):
            self.with_context(mark_letter_as_sent=False)._mark_sent(message)
        return message

    # === BUSINESS ===

    def _action_open_composer(self, template_xmlid, context):
        """The mail composer on this letter with a template (hook)."""
        self.ensure_one()
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the letter"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
                **context,
            },
        }

    def _mark_sent(self, message):
        """The letter was emailed with ``message``: mark it sent and log the
        email, with its attachments, on the client.

        The user may write the letters (checked); the note is posted on the
        client as superuser, with the user as author (they need not follow
        nor edit the client)."""
        self.check_access("write")
        self.filtered(lambda letter: letter.state != "sent")._write_server(
            {"state": "sent"}
        )
        author_id = message.author_id.id or self.env.user.partner_id.id
        recipients = ", ".join(message.partner_ids.mapped("display_name"))
        for letter in self:
            summary = self.env._(
                "Letter %(name)s sent by email to %(recipients)s.",
                name=letter.name,
                recipients=recipients or "-",
            )
            body = Markup("<p>%s</p>") % summary
            if message.subject:
                body += Markup("<p><b>%s</b></p>") % message.subject
            body += message.body or ""
            letter.partner_id.sudo().message_post(
                body=body,
                author_id=author_id,
                attachment_ids=message.attachment_ids.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _update_mail_templates_to_sender(self):
        """Make the letters' email templates of an existing database send
        from and sign with the user who sends (they are ``noupdate``): the
        expressions of :data:`SENDER_EXPRESSIONS` are replaced in the sender
        and in the body in every language; anything else a user changed in
        them is kept.

        :return: number of templates changed
        """
        templates = self.env["mail.template"]
        for xmlid in MAIL_TEMPLATES:
            templates |= self.env.ref(xmlid, raise_if_not_found=False) or templates
        if not templates:
            return 0
        templates.flush_recordset(["email_from", "body_html"])
        changed = set()
        for old, new in SENDER_EXPRESSIONS:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE mail_template t
                       SET email_from = replace(t.email_from, %(old)s, %(new)s),
                           body_html = (
                               SELECT jsonb_object_agg(
                                          key, replace(value, %(old)s, %(new)s))
                                 FROM jsonb_each_text(t.body_html))
                     WHERE t.id = ANY(%(ids)s)
                       AND (strpos(t.email_from, %(old)s) > 0
                            OR strpos(t.body_html::text, %(old)s) > 0)
                 RETURNING t.id
                    """,
                    old=old,
                    new=new,
                    ids=templates.ids,
                )
            )
            changed.update(row[0] for row in self.env.cr.fetchall())
        templates.invalidate_recordset(["email_from", "body_html"])
        return len(changed)
