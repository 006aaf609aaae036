from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ExtrabatLetterPortal(CustomerPortal):
    """The client's page of a letter: read the PDF and sign it remotely.

    Reached without login through the link of the "Send for signature"
    email, which carries the letter's access token (checked in constant
    time by :meth:`_document_check_access`).

    The page shows the PDF and carries its SHA-256 to the signature call
    (``pdf_sha256`` in the signature URL): the client signs exactly the PDF
    they were shown, a PDF changed since then is refused.
    """

    def _extrabat_letter_sudo(self, letter_id, access_token):
        """The letter as superuser when the token (or the user) may see it.

        :raise AccessError, MissingError: wrong token or no such letter
        """
        return self._document_check_access(
            "extrabat.letter", letter_id, access_token=access_token
        )

    def _extrabat_client_address(self):
        """The client's IP address, to rate-limit wrong tokens.

        Odoo already rewrites ``remote_addr`` from ``X-Forwarded-For``
        (werkzeug's ProxyFix, in ``odoo.http.Application.__call__``) when
        the server runs with ``proxy_mode`` behind a proxy that sets
        ``X-Forwarded-Host``; otherwise the header is ignored, so a client
        cannot choose the address it is counted under."""
        return request.httprequest.remote_addr

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
        pdf_sha256 = letter_sudo._get_pdf_sha256() or ""
        values = {
            "letter": letter_sudo,
            "message": message,
            "res_company": letter_sudo.company_id,
            "page_name": "extrabat_letter",
            "pdf_sha256": pdf_sha256,
            "pdf_query": f"&sha256={pdf_sha256}" if pdf_sha256 else "",
            "sign_query": f"&pdf_sha256={pdf_sha256}",
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
        self, letter_id, access_token=None, download=False, sha256=None, **kwargs
    ):
        """The letter's own PDF; a signed PDF only if it still matches the
        fingerprint taken at signing, and only the PDF of SHA-256 ``sha256``
        when it is given (the one the page was made for)."""
        try:
            letter_sudo = self._extrabat_letter_sudo(letter_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        pdf = letter_sudo._get_own_pdf().raw
        if not pdf:
            raise request.not_found()
        try:
            letter_sudo._check_signed_pdf_integrity()
            if sha256 and sha256 != letter_sudo._get_pdf_sha256():
                raise UserError(
                    request.env._(
                        "The letter changed since the page was opened: reload the page."
                    )
                )
        except UserError as error:
            return request.make_response(
                error.args[0],
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=409,
            )
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
        self, letter_id, access_token=None, name=None, signature=None, pdf_sha256=None
    ):
        """Sign the letter with the image drawn on the portal's signature
        pad, if its PDF is still the one shown (``pdf_sha256``). Errors are
        returned (``{"error": message}``), never raised, so the attempt is
        counted even when it fails.

        The token is checked first: wrong tokens count against the client's
        address only (a stranger cannot block a letter's signing), attempts
        with the right token against the letter."""
        args = request.httprequest.args
        access_token = access_token or args.get("access_token")
        pdf_sha256 = pdf_sha256 or args.get("pdf_sha256") or ""
        env = request.env
        ip = self._extrabat_client_address()
        attempts = env["extrabat.letter.sign.attempt"].sudo()
        too_many = {
            "error": env._("Too many signature attempts. Try again in an hour.")
        }
        if attempts._is_ip_blocked(ip):
            return too_many
        try:
            letter_sudo = self._extrabat_letter_sudo(letter_id, access_token)
        except (AccessError, MissingError):
            attempts._register_wrong_token(letter_id, ip)
            return {"error": env._("Invalid letter.")}
        if not attempts._register_attempt(letter_sudo.id, ip):
            return too_many
        if letter_sudo.signed_on or letter_sudo.signature:
            return {"error": env._("This letter is already signed.")}
        author = (
            letter_sudo.partner_id if env.user._is_public() else env.user.partner_id
        )
        try:
            with env.cr.savepoint():
                letter_sudo._sign(
                    signature, name, author=author, viewed_pdf_sha256=pdf_sha256
                )
        except UserError as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": letter_sudo.get_portal_url(query_string="&message=sign_ok"),
        }
