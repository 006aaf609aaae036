from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTemplatePreviewTour(HttpCase):
    """A letters manager previews an editor template for a client chosen in
    the template form: the client reaches the server (the field is not
    stored) and the preview shows the client's name."""

    tour = "extrabat_letters_template_preview_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="tour_letters_manager",
            groups="base.group_user,extrabat_letters.extrabat_letters_group_manager",
        )
        cls.env["res.partner"].create(
            {"name": "Tour Preview Plomberie", "is_company": True}
        )
        cls.template = cls.env["extrabat.letter.template"].create(
            {
                "name": "Tour preview",
                "kind": "html",
                "body_html": "<p>Hello [data.nom_prenom_client]</p>",
            }
        )

    def test_preview_with_the_client_chosen_in_the_form(self):
        self.start_tour(
            "/odoo/action-extrabat_letters.extrabat_letter_template_action/"
            f"{self.template.id}",
            self.tour,
            login=self.manager.login,
            timeout=180,
        )
        previews = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "extrabat.letter.template"),
                ("res_id", "=", self.template.id),
                ("description", "=", "extrabat_letters_preview"),
            ]
        )
        self.assertEqual(len(previews), 1)
        self.assertIn(b"Tour Preview Plomberie", previews.raw)


@tagged("post_install", "-at_install")
class TestTemplatePreviewMobileTour(TestTemplatePreviewTour):
    """The same on a phone (390×844, touch: a client is chosen in a search
    dialog)."""

    allow_inherited_tests_method = True
    tour = "extrabat_letters_template_preview_mobile_tour"
    browser_size = "390x844"
    touch_enabled = True
