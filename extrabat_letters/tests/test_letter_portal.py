import hashlib

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.extrabat_letter import SERVER_WRITE, SERVER_WRITE_KEY
from .flow_common import LetterFlowCommon, b64, signature_png


@tagged("post_install", "-at_install")
class TestLetterPortal(LetterFlowCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letter = cls._create_letter()
        cls.token = cls.letter._portal_ensure_token()

    def _sign(
        self, letter=None, token=None, name="Paul Durand", image=None, sha256=None
    ):
        """Sign as the portal page does: with the hash of the PDF shown
        (``sha256``, default: the letter's current PDF)."""
        letter = letter or self.letter
        if sha256 is None:
            sha256 = (letter.exists() and letter._get_pdf_sha256()) or ""
        params = {
            "name": name,
            "signature": b64(image or signature_png()),
            "pdf_sha256": sha256,
        }
        if token is not None:
            params["access_token"] = token
        return self.make_jsonrpc_request(f"/my/letters/{letter.id}/sign", params)

    def _attempts(self):
        return self.env["extrabat.letter.sign.attempt"].sudo()

    def _assert_unsigned(self, letter=None):
        letter = letter or self.letter
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.signed_on or letter.signature or letter.signed_by)

    def test_client_signs_with_the_link(self):
        result = self._sign(token=self.token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn(f"access_token={self.token}", result["redirect_url"])
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, "signed")
        self.assertEqual(self.letter.signed_by, "Paul Durand")
        self.assertEqual(
            self.letter.signed_pdf_sha256,
            hashlib.sha256(self.letter.pdf_attachment_id.raw).hexdigest(),
        )
        # Logged as written by the client, on the letter and on the client.
        for record in (self.letter, self.client):
            note = record.message_ids.filtered(lambda m: "signed by" in (m.body or ""))
            self.assertEqual(note.author_id, self.client)

    def test_wrong_token_is_refused(self):
        result = self._sign(
            token=self.token[:-1] + ("0" if self.token[-1] != "0" else "1")
        )
        self.assertEqual(result, {"error": "Invalid letter."})
        self._assert_unsigned()

    def test_missing_token_is_refused(self):
        self.assertEqual(self._sign(), {"error": "Invalid letter."})
        self.assertEqual(self._sign(token=""), {"error": "Invalid letter."})
        self._assert_unsigned()

    def test_token_of_another_letter_is_refused(self):
        other = self._create_letter(partner=self.other_client)
        other_token = other._portal_ensure_token()
        self.assertEqual(self._sign(token=other_token), {"error": "Invalid letter."})
        self._assert_unsigned()
        self._assert_unsigned(other)

    def test_unknown_letter_is_refused(self):
        missing = self.env["extrabat.letter"].browse(999_999_999)
        self.assertEqual(
            self._sign(letter=missing, token=self.token), {"error": "Invalid letter."}
        )

    def test_replay_is_refused(self):
        self.assertTrue(self._sign(token=self.token).get("force_refresh"))
        self.letter.invalidate_recordset()
        sha, signed_on = self.letter.signed_pdf_sha256, self.letter.signed_on
        replay = self._sign(token=self.token, name="Quelqu'un d'autre")
        self.assertEqual(replay, {"error": "This letter is already signed."})
        self.letter.invalidate_recordset()
        self.assertEqual(
            (
                self.letter.signed_by,
                self.letter.signed_pdf_sha256,
                self.letter.signed_on,
            ),
            ("Paul Durand", sha, signed_on),
        )

    def test_untrusted_image_is_refused(self):
        for bad in (b"<svg onload='alert(1)'/>", b"GIF89a" + b"\0" * 40):
            result = self.make_jsonrpc_request(
                f"/my/letters/{self.letter.id}/sign",
                {"access_token": self.token, "name": "Paul", "signature": b64(bad)},
            )
            self.assertIn("error", result)
        result = self.make_jsonrpc_request(
            f"/my/letters/{self.letter.id}/sign",
            {"access_token": self.token, "name": "Paul", "signature": "A" * 1_600_000},
        )
        self.assertEqual(result, {"error": "The signature image is too large."})
        self._assert_unsigned()

    def test_wrong_tokens_are_rate_limited_per_address(self):
        Attempt = self._attempts()
        # 30 wrong tokens from this address (on any letters) block it
        Attempt.create(
            [{"letter_ref": self.letter.id + n, "ip": "127.0.0.1"} for n in range(29)]
        )
        self.assertEqual(self._sign(token="wrong"), {"error": "Invalid letter."})
        result = self._sign(token=self.token)
        self.assertIn("Too many signature attempts", result["error"])
        self._assert_unsigned()
        # Attempts older than the window no longer count.
        Attempt.search([("ip", "=", "127.0.0.1")]).write(
            {"attempted_on": "2000-01-01 00:00:00"}
        )
        self.assertTrue(self._sign(token=self.token).get("force_refresh"))

    def test_attempts_with_the_right_token_are_rate_limited_per_letter(self):
        for _attempt in range(10):
            result = self._sign(token=self.token, image=b"not an image")
            self.assertIn("PNG or JPEG", result["error"])
        result = self._sign(token=self.token)
        self.assertIn("Too many signature attempts", result["error"])
        self._assert_unsigned()

    def test_stranger_cannot_block_signing_with_wrong_tokens(self):
        # Ids are sequential: a stranger hammers every letter with wrong
        # tokens from their own address...
        self._attempts().create(
            [{"letter_ref": self.letter.id, "ip": "203.0.113.66"} for _n in range(200)]
        )
        # ...and the same from this address, below its own limit
        for _attempt in range(12):
            self.assertEqual(self._sign(token="wrong"), {"error": "Invalid letter."})
        # the client still signs
        self.assertTrue(self._sign(token=self.token).get("force_refresh"))
        self.letter.invalidate_recordset()
        self.assertEqual(self.letter.state, "signed")

    def test_forged_forwarded_for_header_does_not_change_the_counted_address(self):
        # without proxy_mode, X-Forwarded-For is the client's word
        result = self.make_jsonrpc_request(
            f"/my/letters/{self.letter.id}/sign",
            {"access_token": "wrong", "name": "x", "signature": "x"},
            headers={"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Host": "a.b"},
        )
        self.assertEqual(result, {"error": "Invalid letter."})
        attempt = self._attempts().search([("letter_ref", "=", self.letter.id)])
        self.assertEqual(attempt.ip, "127.0.0.1")
        self.assertFalse(attempt.token_ok)

    # --- the client signs exactly the PDF they saw ---

    def test_client_cannot_sign_a_changed_pdf(self):
        page = self.url_open(f"/my/letters/{self.letter.id}?access_token={self.token}")
        sha256 = hashlib.sha256(self.letter.pdf_attachment_id.raw).hexdigest()
        # the page carries the hash of the PDF it shows, to the iframe and
        # to the signature call
        self.assertIn(f"sha256={sha256}", page.text)
        self.assertRegex(
            page.text, rf"/sign\?access_token=[^&]+&(amp;)?pdf_sha256={sha256}"
        )
        for shown in ("0" * 64, "", "nope", "é" * 64):
            result = self._sign(token=self.token, sha256=shown)
            self.assertIn("changed since you opened it", result["error"])
        self._assert_unsigned()
        # the iframe of an outdated page gets no PDF either
        response = self.url_open(
            f"/my/letters/{self.letter.id}/pdf?access_token={self.token}"
            f"&sha256={'0' * 64}"
        )
        self.assertEqual(response.status_code, 409)
        self.assertNotIn(b"%PDF", response.content)
        self.assertTrue(
            self._sign(token=self.token, sha256=sha256).get("force_refresh")
        )

    def test_portal_pdf_route_never_serves_a_foreign_attachment(self):
        foreign = self.env["ir.attachment"].create(
            {
                "name": "secret.pdf",
                "raw": b"%PDF-1.4 secret",
                "res_model": "res.partner",
                "res_id": self.other_client.id,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE extrabat_letter SET pdf_attachment_id = %s WHERE id = %s",
                foreign.id,
                self.letter.id,
            )
        )
        self.env.invalidate_all()
        response = self.url_open(
            f"/my/letters/{self.letter.id}/pdf?access_token={self.token}"
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"secret", response.content)

    def test_altered_signed_pdf_is_not_served(self):
        self.assertTrue(self._sign(token=self.token).get("force_refresh"))
        self.letter.invalidate_recordset()
        self.letter.pdf_attachment_id.sudo().with_context(
            **{SERVER_WRITE_KEY: SERVER_WRITE}
        ).write({"raw": b"%PDF-1.4 forged"})
        with self.assertLogs(
            "odoo.addons.extrabat_letters.models.extrabat_letter", "WARNING"
        ):
            response = self.url_open(
                f"/my/letters/{self.letter.id}/pdf?access_token={self.token}"
            )
        self.assertEqual(response.status_code, 409)
        self.assertIn("was altered", response.text)
        self.assertNotIn(b"forged", response.content)

    def test_page_and_pdf_need_the_token(self):
        page = self.url_open(f"/my/letters/{self.letter.id}?access_token={self.token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.letter.name, page.text)
        self.assertIn("portal.signature_form", page.text)
        pdf = self.url_open(
            f"/my/letters/{self.letter.id}/pdf?access_token={self.token}"
        )
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(pdf.content, self.letter.pdf_attachment_id.raw)
        for url in (
            f"/my/letters/{self.letter.id}",
            f"/my/letters/{self.letter.id}?access_token=nope",
            f"/my/letters/{self.letter.id}/pdf?access_token=nope",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertNotIn(b"%PDF", response.content)

    def test_signed_letter_page_shows_no_signature_form(self):
        self._sign(token=self.token)
        page = self.url_open(f"/my/letters/{self.letter.id}?access_token={self.token}")
        self.assertIn("Paul Durand", page.text)
        self.assertNotIn("portal.signature_form", page.text)

    # --- the sign dialog of the office (issue 14, point 5) ---

    def test_sign_dialog_shows_the_pdf_whose_hash_it_sends(self):
        """The dialog's PDF viewer asks the letter's PDF by the hash the
        dialog sends when signing: a salesperson who may read the letter
        gets it without token, only while it is that PDF; a user who may
        not read the letter gets nothing."""
        letter = self._create_letter(user=self.seller)
        action = letter.with_user(self.seller).action_sign()
        sha256 = action["context"]["default_pdf_sha256"]
        self.assertEqual(
            sha256, hashlib.sha256(letter.pdf_attachment_id.raw).hexdigest()
        )
        self.authenticate(self.seller.login, self.seller.login)
        url = f"/my/letters/{letter.id}/pdf?sha256="
        response = self.url_open(url + sha256)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, letter.pdf_attachment_id.raw)
        response = self.url_open(url + "0" * 64)
        self.assertEqual(response.status_code, 409)
        self.assertNotIn(b"%PDF", response.content)
        # a visitor without the token gets nothing
        self.authenticate(None, None)
        response = self.url_open(url + sha256, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(b"%PDF", response.content)
