"""Editor letters: client data (which portal users edit from /my/account)
is text, never markup — it cannot add attributes, event handlers or URLs that
wkhtmltopdf would fetch or run."""

import lxml.html

from odoo.exceptions import ValidationError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import LettersCommon

#: The host the hostile values point to (the report's own base URL is
#: 127.0.0.1 with another port under tests).
HOSTILE_HOST = "127.0.0.1:1/"
HOSTILE_CITY = 'x" onerror="fetch(\'http://127.0.0.1:1/city\')" y="'
HOSTILE_STREET = "javascript:alert(1)"
HOSTILE_ZIP = "http://127.0.0.1:1/zip"
#: Markers in attributes, as a template saved before the check may hold.
LEGACY_BODY = (
    '<p style="background-image:url([data.code_postal_client])">'
    "Ville : [data.ville_client]</p>"
    '<p><img src="[data.code_postal_client]" alt="[data.ville_client]"></p>'
    '<p><a href="[data.rue_client]">Rue : [data.rue_client]</a></p>'
    '<p title="[data.ville_client]">CP : [data.code_postal_client]</p>'
)


def _letter_parts(html):
    """The header, body and footer of the letter in the report's HTML (the
    page around them is Odoo's)."""
    tree = lxml.html.fromstring(html)
    parts = [
        tree.xpath(f"//div[contains(@class, '{name}')]")
        for name in (
            "o_extrabat_letter_header",
            "o_extrabat_letter_body",
            "o_extrabat_letter_footer",
        )
    ]
    assert all(len(found) == 1 for found in parts), parts
    return [found[0] for found in parts]


def _attributes(html):
    """``(tag, attribute, value)`` of every element of the letter's parts."""
    return [
        (element.tag, name, value)
        for part in _letter_parts(html)
        for element in part.iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
    ]


@tagged("post_install", "-at_install")
class TestEditorTemplateMarkersInAttributes(LettersCommon):
    def _create_html_template(self, **vals):
        return (
            self.env["extrabat.letter.template"]
            .with_user(self.manager)
            .create({"name": "Injection", "kind": "html", **vals})
        )

    def test_manager_cannot_save_a_marker_inside_a_style_attribute(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"The marker \[data\.ville_client\] is inside an HTML attribute "
            r"\(style\): markers can only be placed in the text\.",
        ):
            self._create_html_template(
                body_html='<p style="color:red;width:[data.ville_client]">x</p>'
            )

    def test_manager_cannot_save_a_marker_inside_an_image_source(self):
        template = self._create_html_template(body_html="<p>[data.ville_client]</p>")
        with self.assertRaisesRegex(ValidationError, r"\(src\)"):
            template.write({"header_html": '<img src="[data.email_client]">'})

    def test_manager_cannot_save_a_marker_inside_a_link_target(self):
        with self.assertRaisesRegex(ValidationError, r"\(href\)"):
            self._create_html_template(
                footer_html='<p><a href="mailto:[data.email_client]">mail</a></p>'
            )

    def test_markers_in_the_text_are_accepted(self):
        template = self._create_html_template(
            body_html='<p style="color:red"><a href="https://example.fr">'
            "[data.email_client]</a> [data.ville_client]</p>"
        )
        self.assertEqual(template.marker_names, "email_client, ville_client")


@tagged("post_install", "-at_install")
class TestEditorLetterInjection(LettersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="letters_portal_client",
            password="letters_portal_client",
            groups="base.group_portal",
            name="Jean Dupont",
            email="jean.dupont@example.fr",
        )
        cls.portal_client = cls.portal_user.partner_id
        cls.portal_client.write(
            {"user_id": cls.salesman.id, "country_id": cls.env.ref("base.fr").id}
        )
        cls.legacy_template = cls.env["extrabat.letter.template"].create(
            {"name": "Ancien modèle", "kind": "html", "body_html": "<p>x</p>"}
        )
        # a template saved before markers in attributes were refused
        cls.env.cr.execute(
            SQL(
                "UPDATE extrabat_letter_template SET body_html = %s, "
                "marker_names = %s WHERE id = %s",
                LEGACY_BODY,
                "code_postal_client, ville_client, rue_client",
                cls.legacy_template.id,
            )
        )
        cls.legacy_template.invalidate_recordset()

    def _portal_user_sets_hostile_address(self):
        """What the client types in /my/account (its address form)."""
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(
            "/my/address/submit",
            data={
                "partner_id": str(self.portal_client.id),
                "name": "Jean Dupont",
                "email": "jean.dupont@example.fr",
                "phone": "06 12 34 56 78",
                "street": HOSTILE_STREET,
                "city": HOSTILE_CITY,
                "zipcode": HOSTILE_ZIP,
                "country_id": str(self.env.ref("base.fr").id),
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("invalid_fields", response.json())
        self.portal_client.invalidate_recordset()
        self.assertEqual(self.portal_client.city, HOSTILE_CITY)
        self.assertEqual(self.portal_client.zip, HOSTILE_ZIP)

    def _printed_html(self, template):
        """The HTML given to wkhtmltopdf for a letter of ``template`` (under
        tests, the report engine stores the HTML instead of the PDF)."""
        letter = self._create_letter(template, partner=self.portal_client)
        return letter.pdf_attachment_id.raw.decode()

    def test_portal_client_address_cannot_inject_attributes_into_an_old_template(self):
        self._portal_user_sets_hostile_address()
        html = self._printed_html(self.legacy_template)
        for _tag, name, value in _attributes(html):
            self.assertFalse(name.startswith("on"), (name, value))
            self.assertNotIn(HOSTILE_HOST, value)
            self.assertNotIn("javascript", value.lower())
            self.assertNotIn("[data.", value)
        # the values are printed as text where the markers were in the text
        text = _letter_parts(html)[1].text_content()
        self.assertIn(f"Ville : {HOSTILE_CITY}", text)
        self.assertIn(f"Rue : {HOSTILE_STREET}", text)
        self.assertIn(f"CP : {HOSTILE_ZIP}", text)

    def test_portal_client_address_is_printed_as_text_in_a_valid_template(self):
        self._portal_user_sets_hostile_address()
        self.portal_client.sudo().name = "<img src=http://127.0.0.1:1/name.png>"
        template = self.env["extrabat.letter.template"].create(
            {
                "name": "Modèle",
                "kind": "html",
                "body_html": '<p style="color:red">[data.nom_prenom_client] '
                "[data.ville_client]</p><p>[data.adresse_client]</p>",
            }
        )
        html = self._printed_html(template)
        self.assertNotIn("<img src=http", html)
        self.assertIn("&lt;img src=http://127.0.0.1:1/name.png&gt;", html)
        for _tag, name, value in _attributes(html):
            self.assertFalse(name.startswith("on"), (name, value))
            self.assertNotIn(HOSTILE_HOST, value)

    def test_template_cannot_make_the_printer_fetch_another_host(self):
        template = self.env["extrabat.letter.template"].create(
            {
                "name": "Images",
                "kind": "html",
                "body_html": '<p><img src="http://127.0.0.1:1/logo.png">'
                '<img src="//127.0.0.1:1/logo.png"></p>'
                '<p style="background-image:url(http://127.0.0.1:1/bg.png)">x</p>',
            }
        )
        html = self._printed_html(template)
        self.assertNotIn(HOSTILE_HOST, html)
