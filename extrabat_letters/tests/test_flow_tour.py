from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import MockEmail

from .flow_common import b64, docx_bytes, signature_png


@tagged("post_install", "-at_install")
class TestFlowTour(HttpCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The tour's email goes from the admin (no address without demo data).
        cls.env.ref("base.user_admin").email = "admin@example.com"
        cls.client = cls.env["res.partner"].create(
            {"name": "Tour Martin", "email": "martin@example.com"}
        )
        cls.template = cls.env["extrabat.letter.template"].create(
            {
                "name": "Tour courrier",
                "kind": "file",
                "template_file": b64(
                    docx_bytes("[data.nom_prenom_client]", "[data.signature_client]")
                ),
                "template_filename": "tour.docx",
            }
        )

    def test_generate_sign_send(self):
        client = self.client
        with self.mock_mail_gateway():
            self.start_tour(
                f"/odoo/contacts/{client.id}",
                "extrabat_letters_flow_tour",
                login="admin",
                timeout=240,
            )
        letter = client.letter_ids
        self.assertEqual(len(letter), 1)
        self.assertEqual(letter.state, "sent")
        self.assertEqual(letter.signed_by, "Tour Martin")
        self.assertTrue(letter.signature and letter.signed_pdf_sha256)
        self.assertIn(
            letter.pdf_attachment_id.name,
            [att[0] for att in self._mails[0]["attachments"]],
        )

    def test_client_signs_on_the_portal(self):
        letter = self.env["extrabat.letter"].create(
            {"partner_id": self.client.id, "template_id": self.template.id}
        )
        letter.action_regenerate()
        self.start_tour(letter.get_portal_url(), "extrabat_letters_portal_sign_tour")
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "signed")
        self.assertEqual(letter.signed_by, "Tour Martin")
        self.assertTrue(letter.signed_pdf_sha256)

    def test_document_folder(self):
        self.env["extrabat.letter"].create(
            {"partner_id": self.client.id, "template_id": self.template.id}
        ).action_regenerate()
        self.env["ir.attachment"].create(
            {
                "name": "Chantier.png",
                "raw": signature_png(),
                "res_model": "res.partner",
                "res_id": self.client.id,
            }
        )
        self.start_tour(
            f"/odoo/contacts/{self.client.id}",
            "extrabat_letters_document_folder_tour",
            login="admin",
        )


@tagged("post_install", "-at_install")
class TestFlowMobileTour(TestFlowTour):
    """Template → generate → sign → email on a phone (390×844, touch).
    Only that flow: the document folder is covered at phone size by
    TestSignMobileTour, the portal page is the client's own."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
    test_client_signs_on_the_portal = None
    test_document_folder = None


@tagged("post_install", "-at_install")
class TestSignTour(HttpCase):
    """Issue 14, points 5 and 7, on a computer (the phone subclass below):
    signing a draft letter in one tap with its PDF in sight, and the
    client's document folder opened from its URL."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.env["res.partner"].create(
            {"name": "Tour Martin", "email": "martin@example.com"}
        )
        cls.template = cls.env["extrabat.letter.template"].create(
            {
                "name": "Tour courrier",
                "kind": "file",
                "template_file": b64(
                    docx_bytes("[data.nom_prenom_client]", "[data.signature_client]")
                ),
                "template_filename": "tour.docx",
            }
        )
        cls.letter = cls.env["extrabat.letter"].create(
            {"partner_id": cls.client.id, "template_id": cls.template.id}
        )
        cls.letter.action_regenerate()

    def test_sign_with_the_letter_in_sight(self):
        letter = self.letter
        self.assertEqual(letter.pdf_state, "done")
        shown_sha256 = letter._get_pdf_sha256()
        self.start_tour(
            f"/odoo/action-extrabat_letters.extrabat_letter_action/{letter.id}",
            "extrabat_letters_sign_tour",
            login="admin",
            timeout=240,
        )
        letter.invalidate_recordset()
        self.assertEqual(letter.state, "signed")
        self.assertEqual(letter.signed_by, "Tour Martin")
        self.assertTrue(letter.signature and letter.signed_pdf_sha256)
        # the signed PDF is a new one, made from the PDF shown
        self.assertNotEqual(letter.signed_pdf_sha256, shown_sha256)

    def test_document_folder_from_its_url(self):
        self.env["ir.attachment"].create(
            {
                "name": "Chantier.png",
                "raw": signature_png(),
                "res_model": "res.partner",
                "res_id": self.client.id,
            }
        )
        # A link or a new tab: nothing but the URL names the client.
        self.start_tour(
            f"/odoo/contacts/{self.client.id}/client-documents",
            "extrabat_letters_document_folder_url_tour",
            login="admin",
            timeout=180,
        )


@tagged("post_install", "-at_install")
class TestSignMobileTour(TestSignTour):
    """The same on a phone (390×844, touch)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
