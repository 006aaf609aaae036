import hashlib

from odoo.tests import HttpCase, tagged

from .flow_common import LetterFlowCommon, b64, signature_png


@tagged("post_install", "-at_install")
class TestLetterPortal(LetterFlowCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letter = cls._create_letter()
        cls.token = cls.letter._portal_ensure_token()

    def _sign(self, letter=None, token=None, name="Paul Durand", image=None):
        letter = letter or self.letter
        params = {"name": name, "signature": b64(image or signature_png())}
        if token is not None:
            params["access_token"] = token
        return self.make_jsonrpc_request(f"/my/letters/{letter.id}/sign", params)

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

    def test_attempts_are_rate_limited(self):
        for _attempt in range(10):
            self.assertEqual(self._sign(token="wrong"), {"error": "Invalid letter."})
        # Even the right token is refused for a while now.
        result = self._sign(token=self.token)
        self.assertIn("Too many signature attempts", result["error"])
        self._assert_unsigned()
        # Attempts older than the window no longer count.
        self.env["extrabat.letter.sign.attempt"].sudo().search(
            [("letter_ref", "=", self.letter.id)]
        ).write({"attempted_on": "2000-01-01 00:00:00"})
        self.assertTrue(self._sign(token=self.token).get("force_refresh"))

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
