from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ExtrabatLetterPortal(CustomerPortal):
    """The client's page of a letter: read the PDF and sign it remotely.

    Reached without login through the link of the "Send for signature"
    email, which carries the letter's access token (checked in constant
    time by :meth:`_document_check_access`).
    """

    def _extrabat_letter_sudo(self, letter_id, access_token):
        """The letter as superuser when the token (or the user) may see it.

        :raise AccessError, MissingError: wrong token or no such letter
        """
        return self._document_check_access(
            "extrabat.letter", letter_id, access_token=access_token
        )

    @http.route(
        ["/my/letters/<int:letter_id>"], type="http", auth="public", website=True
    )
    def portal_extrabat_letter_page(
        self, letter_id, access_token=None, message=False, **kwargs
    ):
        try:
            letter_sudo = self._extrabat_letter_sudo(letter_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            "letter": letter_sudo,
            "message": message,
            "res_company": letter_sudo.company_id,
            "page_name": "extrabat_letter",
        }
        values = self._get_page_view_values(
            letter_sudo, access_token, values, "my_letters_history", True, **kwargs
        )
        return request.render("extrabat_letters.extrabat_letter_portal_page", values)

    @http.route(
        ["/my/letters/<int:letter_id>/pdf"],
        type="http",
        auth="public",
        readonly=True,
    )
    def portal_extrabat_letter_pdf(
        self, letter_id, access_token=None, download=False, **kwargs
    ):
        try:
            letter_sudo = self._extrabat_letter_sudo(letter_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        pdf = letter_sudo.pdf_attachment_id.raw
        if not pdf:
            return request.not_found()
        filename = f"{letter_sudo.name}.pdf"
        disposition = "attachment" if download else "inline"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(len(pdf))),
                ("Content-Disposition", content_disposition(filename, disposition)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @http.route(
        ["/my/letters/<int:letter_id>/sign"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_extrabat_letter_sign(
        self, letter_id, access_token=None, name=None, signature=None
    ):
        """Sign the letter with the image drawn on the portal's signature
        pad. Errors are returned (``{"error": message}``), never raised, so
        the attempt is counted even when it fails."""
        access_token = access_token or request.httprequest.args.get("access_token")
        env = request.env
        attempts = env["extrabat.letter.sign.attempt"].sudo()
        if not attempts._register_attempt(letter_id, request.httprequest.remote_addr):
            return {
                "error": env._("Too many signature attempts. Try again in an hour.")
            }
        try:
            letter_sudo = self._extrabat_letter_sudo(letter_id, access_token)
        except (AccessError, MissingError):
            return {"error": env._("Invalid letter.")}
        if letter_sudo.signed_on or letter_sudo.signature:
            return {"error": env._("This letter is already signed.")}
        author = (
            letter_sudo.partner_id if env.user._is_public() else env.user.partner_id
        )
        try:
            with env.cr.savepoint():
                letter_sudo._sign(signature, name, author=author)
        except UserError as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": letter_sudo.get_portal_url(query_string="&message=sign_ok"),
        }
