from odoo import models

#: Domain part of the Content-IDs of inline images: an attachment named
#: ``logo.png`` whose HTML body shows ``cid:logo.png@<CID_DOMAIN>`` is sent
#: inline (multipart/related), not as a file to download.
CID_DOMAIN = "extrabat-dashboard-mail"


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def _build_email__(
        self, email_from, email_to, subject, body, *args, attachments=None, **kwargs
    ):
        """Send as inline images (RFC 2387, ``multipart/related``) the
        attachments the HTML body refers to by ``cid:<name>@`` +
        :data:`CID_DOMAIN`: mail clients show them without fetching anything
        (no remote image, no login, no huge ``data:`` URI)."""
        inline, others = _split_inline(body, attachments)
        msg = super()._build_email__(
            email_from, email_to, subject, body, *args, attachments=others, **kwargs
        )
        html = msg.get_body(("html",)) if inline else None
        for name, content, mimetype, cid in inline:
            maintype, subtype = mimetype.split("/", 1)
            if html is None:  # no HTML to show it in: a plain attachment
                msg.add_attachment(content, maintype, subtype, filename=name)
                continue
            html.add_related(
                content,
                maintype,
                subtype,
                cid=f"<{cid}>",
                disposition="inline",
                filename=name,
            )
        return msg


def _split_inline(body, attachments):
    """:return: ``(inline, others)``: ``(name, content, mimetype, cid)`` of the
    images ``body`` refers to by Content-ID, and the other attachments"""
    inline, others = [], []
    for attachment in attachments or []:
        name, content, mimetype = attachment
        cid = f"{name}@{CID_DOMAIN}"
        if body and (mimetype or "").startswith("image/") and f"cid:{cid}" in body:
            inline.append((name, content, mimetype, cid))
        else:
            others.append(attachment)
    return inline, others
