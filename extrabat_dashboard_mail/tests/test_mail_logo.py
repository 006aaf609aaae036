"""The company logo travels with the mail as an inline image (Content-ID):
mail clients show it without fetching anything, without a login and
without a huge ``data:`` URI."""

import base64
import email
import email.policy

from lxml import html

from odoo.tests import tagged

from .common import DashboardMailCommon

CID = "logo.png@extrabat-dashboard-mail"


@tagged("post_install", "-at_install")
class TestMailLogo(DashboardMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._create_subscription(cls.user_alice)
        cls.logo = base64.b64decode(cls.company.logo_web)

    def _queue(self):
        with self.mock_mail_gateway():
            return self.subscription._send_now()

    def _sent_message(self, mail):
        """The MIME message as it leaves for the SMTP server."""
        with self.mock_smtplib_connection():
            mail.send(raise_exception=True)
        self.assertEqual(len(self.emails), 1)
        return email.message_from_string(
            self.emails[0]["message"], policy=email.policy.SMTP
        )

    def test_rendered_mail_shows_the_logo_by_content_id(self):
        _subject, tree = self._render(self.subscription, "2025-02-24")
        [src] = tree.xpath('//img[contains(@class, "dm-logo")]/@src')
        self.assertEqual(src, f"cid:{CID}")
        self.assertFalse(tree.xpath('//img[starts-with(@src, "data:")]'))
        self.assertFalse(tree.xpath('//img[contains(@src, "/web/image")]'))

    def test_queued_mail_carries_the_logo(self):
        mail = self._queue()
        self.assertEqual(mail.attachment_ids.mapped("name"), ["logo.png"])
        self.assertEqual(mail.attachment_ids.raw, self.logo)
        self.assertEqual(mail.attachment_ids.res_model, "mail.message")
        self.assertIn(f'src="cid:{CID}"', mail.body_html)

    def test_sent_message_has_the_logo_inline_next_to_the_html(self):
        message = self._sent_message(self._queue())
        [related] = [
            part
            for part in message.walk()
            if part.get_content_type() == "multipart/related"
        ]
        html_part, image = related.get_payload()
        self.assertEqual(html_part.get_content_type(), "text/html")
        self.assertEqual(image.get_content_type(), "image/png")
        self.assertEqual(image["Content-ID"], f"<{CID}>")
        self.assertEqual(image.get_content_disposition(), "inline")
        self.assertEqual(image.get_payload(decode=True), self.logo)
        # The HTML shows exactly that part; no other attachment to download.
        tree = html.fromstring(html_part.get_content())
        [src] = tree.xpath('//img[contains(@class, "dm-logo")]/@src')
        self.assertEqual(f"<{src.removeprefix('cid:')}>", image["Content-ID"])
        attachments = [
            part
            for part in message.walk()
            if part.get_content_disposition() == "attachment"
        ]
        self.assertEqual(attachments, [])

    def test_other_attachments_stay_attachments(self):
        mail = self._queue()
        mail.attachment_ids += self.env["ir.attachment"].create(
            {"name": "devis.pdf", "raw": b"%PDF-1.4 x", "mimetype": "application/pdf"}
        )
        message = self._sent_message(mail)
        attachments = [
            part.get_filename()
            for part in message.walk()
            if part.get_content_disposition() == "attachment"
        ]
        self.assertEqual(attachments, ["devis.pdf"])

    def test_logo_is_deleted_with_the_sent_mail(self):
        mail = self._queue()
        logo = mail.attachment_ids
        self._sent_message(mail)
        self.assertFalse(mail.exists())
        self.assertFalse(logo.exists())

    def test_no_logo_no_image(self):
        self.company.logo = False
        self.assertFalse(self.subscription._get_logo())
        _subject, tree = self._render(self.subscription, "2025-02-24")
        self.assertFalse(tree.xpath('//img[contains(@class, "dm-logo")]'))
        self.assertFalse(self._queue().attachment_ids)

    def test_preview_in_the_browser_uses_the_logo_route(self):
        tree = html.fromstring(self.subscription._render_preview())
        [src] = tree.xpath('//img[contains(@class, "dm-logo")]/@src')
        self.assertTrue(src.endswith(f"/logo.png?company={self.company.id}"))
