"""The letters' screens open in a real browser without errors."""

import base64

from odoo.tests import HttpCase, tagged

from .common import read_fixture

WAIT_FOR = """
(async () => {
    const until = Date.now() + 30000;
    const wait = async (selector) => {
        while (!document.querySelector(selector)) {
            if (Date.now() > until) {
                throw new Error("not found: " + selector);
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return document.querySelector(selector);
    };
    %s
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestViews(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["extrabat.letter.template"]
        cls.file_template = Template.create(
            {
                "name": "Rendez-vous",
                "kind": "file",
                "template_file": base64.b64encode(
                    read_fixture("demo/courrier_rendez_vous.odt")
                ),
                "template_filename": "courrier_rendez_vous.odt",
            }
        )
        cls.html_template = Template.create(
            {
                "name": "Bienvenue",
                "kind": "html",
                "body_html": "<p>[data.nom_client]</p>",
            }
        )
        cls.client = cls.env["res.partner"].create({"name": "Jean Dupont"})
        cls.letter = cls.env["extrabat.letter"].create(
            {"partner_id": cls.client.id, "template_id": cls.file_template.id}
        )
        cls.letter.action_regenerate()

    def _open(self, path, steps):
        self.browser_js(path, WAIT_FOR % steps, login="admin", timeout=90)

    def test_template_forms(self):
        action = "extrabat_letters.extrabat_letter_template_action"
        for template, field in (
            (self.file_template, "template_file"),
            (self.html_template, "body_html"),
        ):
            self._open(
                f"/odoo/action-{action}/{template.id}",
                f"await wait('.o_form_view .o_field_widget[name=\"{field}\"]');",
            )

    def test_letter_form(self):
        self._open(
            f"/odoo/action-extrabat_letters.extrabat_letter_action/{self.letter.id}",
            "await wait('.o_form_view .o_field_widget[name=\"pdf_file\"]');",
        )

    def test_courriers_button_of_the_client(self):
        self._open(
            f"/odoo/contacts/{self.client.id}",
            """
            (await wait('button[name="action_view_letters"]')).click();
            await wait('.o_list_view .o_data_row');
            """,
        )
