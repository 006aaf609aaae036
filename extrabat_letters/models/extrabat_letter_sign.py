import base64

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, consteq

from extrabat_core.signature_image import SignatureImageError, check_signature_image

from .extrabat_letter import SERVER_WRITE, SERVER_WRITE_KEY, SYNC_PDF, SYNC_PDF_KEY

#: Longest signer name accepted (characters).
SIGNER_NAME_MAX = 128


class ExtrabatLetter(models.Model):
    """Signing a letter: on the tablet (wizard with Odoo's signature pad) or
    remotely by the client (portal page reached with the letter's access
    token)."""

    _name = "extrabat.letter"
    _inherit = ("extrabat.letter", "portal.mixin")

    # === COMPUTE ===

    def _compute_access_url(self):
        for letter in self:
            letter.access_url = f"/my/letters/{letter.id}"

    # === ACTIONS ===

    def action_sign(self):
        """Open the sign dialog: the letter's PDF and the signature pad
        (works with a finger on a tablet)."""
        self.ensure_one()
        self._check_signable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign the letter"),
            "res_model": "extrabat.letter.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "dialog_size": "extra-large",
                "default_letter_id": self.id,
                "default_signer_name": self.partner_id.name,
                "default_pdf_sha256": self._get_pdf_sha256(),
            },
        }

    def action_preview_portal(self):
        """Open the page the client sees to sign remotely."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "new",
        }

    # === BUSINESS ===

    def _portal_ensure_token(self):
        # the access token is a technical field: set by the server only
        return super(
            ExtrabatLetter, self.with_context(**{SERVER_WRITE_KEY: SERVER_WRITE})
        )._portal_ensure_token()

    def _get_portal_return_action(self):
        self.ensure_one()
        return self.env.ref("extrabat_letters.extrabat_letter_action")

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name

    def _check_signable(self):
        """:raise UserError: the letter is already signed or has no PDF to
        sign yet."""
        for letter in self:
            if letter.signed_on or letter.signature:
                raise UserError(
                    self.env._(
                        "The letter %(name)s is already signed.", name=letter.name
                    )
                )
            if not letter.template_id or not letter.pdf_attachment_id:
                raise UserError(
                    self.env._(
                        "The letter %(name)s has no PDF yet: generate it "
                        "before signing.",
                        name=letter.name,
                    )
                )

    def _signature_error_message(self, code):
        """The user's message for a refused signature image (see
        :data:`extrabat_core.signature_image.MESSAGES`)."""
        messages = {
            "missing": self.env._("The signature is missing."),
            "too_large": self.env._("The signature image is too large."),
            "not_base64": self.env._("The signature could not be read."),
            "not_an_image": self.env._("The signature is not a PNG or JPEG image."),
            "bad_format": self.env._("The signature must be a PNG or JPEG image."),
            "too_many_pixels": self.env._("The signature image is too large."),
        }
        return messages.get(code) or self.env._("The signature could not be read.")

    def _sign(self, signature, signer_name, author=None, viewed_pdf_sha256=None):
        """Sign the letter: store the signature, regenerate the PDF with it
        and seal the PDF with its SHA-256.

        The signature image comes from a browser: it is checked (PNG or JPEG
        that Pillow decodes, bounded size) before anything is written.
        The row is locked first, so two signatures at once cannot both pass
        the "not signed yet" check.

        :param signature: base64 PNG/JPEG (or a ``data:`` URL)
        :param signer_name: the name typed by the signer
        :param author: ``res.partner`` posting the "signed" message (the
            client when signed on the portal; default: the current user)
        :param viewed_pdf_sha256: SHA-256 (hex) of the PDF the signer was
            shown; when given, the signature is refused if the letter's PDF
            is no longer that one
        :return: True
        :raise UserError: already signed, no PDF, PDF changed since it was
            shown, empty name, bad image or the signed PDF could not be
            generated (nothing is kept then)
        """
        self.ensure_one()
        name = " ".join((signer_name or "").split())
        if not name:
            raise UserError(self.env._("Type the name of the signer."))
        if len(name) > SIGNER_NAME_MAX:
            raise UserError(
                self.env._(
                    "The signer's name is too long (at most %(max)s characters).",
                    max=SIGNER_NAME_MAX,
                )
            )
        try:
            image = check_signature_image(signature)
        except SignatureImageError as error:
            raise UserError(self._signature_error_message(error.code)) from error
        self.env.cr.execute(
            SQL(
                "SELECT id FROM extrabat_letter WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            )
        )
        self.invalidate_recordset(["signature", "signed_on", "signed_by", "state"])
        self._check_signable()
        if viewed_pdf_sha256 is not None:
            self._check_viewed_pdf(viewed_pdf_sha256)
        letter = self.with_context(
            **{SERVER_WRITE_KEY: SERVER_WRITE, SYNC_PDF_KEY: SYNC_PDF}
        )
        letter.write(
            {
                "signature": base64.b64encode(image.data),
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
                "state": "signed",
            }
        )
        letter._generate_files()
        sha256 = letter.pdf_state == "done" and letter._get_pdf_sha256()
        if not sha256:
            # Raised before anything is committed: the letter stays unsigned.
            raise UserError(
                self.env._(
                    "The signed PDF could not be generated: %(error)s",
                    error=letter.generation_error or self.env._("unknown error"),
                )
            )
        letter.write({"signed_pdf_sha256": sha256})
        letter._post_signed_message(author)
        return True

    def _check_viewed_pdf(self, viewed_pdf_sha256):
        """:raise UserError: the letter's PDF is not the one the signer saw
        (its SHA-256 is ``viewed_pdf_sha256``)."""
        self.ensure_one()
        current = self._get_pdf_sha256() or ""
        viewed = str(viewed_pdf_sha256 or "").lower().encode()
        if not viewed or not consteq(viewed, current.encode()):
            raise UserError(
                self.env._(
                    "The letter changed since you opened it: reload the page, "
                    "read it again and sign."
                )
            )

    def _post_signed_message(self, author=None):
        """Log the signature on the letter and on the client, with the
        signed PDF.

        Posting on the client needs no right on it: the user signed a
        letter they may write (checked), the note is posted as superuser
        with the user (or the signing client) as author."""
        self.ensure_one()
        self.check_access("write")
        author_id = (author or self.env.user.partner_id).id
        # In the salesperson's time zone: the note is for the office (the
        # portal runs as the public user, who has none).
        tz = self.user_id.tz or self.env.user.tz or "Europe/Paris"
        signed_on = fields.Datetime.context_timestamp(
            self.with_context(tz=tz), self.signed_on
        )
        body = self.env._(
            "Letter %(name)s signed by %(signer)s on %(date)s.",
            name=self.name,
            signer=self.signed_by,
            date=signed_on.strftime("%d/%m/%Y %H:%M"),
        )
        fingerprint = self.env._(
            "SHA-256 of the signed PDF: %(sha)s", sha=self.signed_pdf_sha256
        )
        html = Markup("<p>%s</p><p><small>%s</small></p>") % (body, fingerprint)
        self.message_post(
            body=html,
            author_id=author_id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.partner_id.sudo().message_post(
            body=html,
            author_id=author_id,
            attachment_ids=self._get_own_pdf().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
