import base64
import io
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.translate import code_translations

from .common import LettersCommon, read_fixture


@tagged("post_install", "-at_install")
class TestLetterTemplate(LettersCommon):
    def test_upload_lists_markers_and_format(self):
        self.assertEqual(self.docx_template.file_format, "docx")
        self.assertEqual(self.odt_template.file_format, "odt")
        names = self.docx_template.marker_names.split(", ")
        self.assertIn("nom_prenom_client", names)
        self.assertIn("signature_client", names)
        self.assertFalse(self.docx_template.unknown_marker_names)
        self.assertFalse(self.odt_template.unknown_marker_names)

    def test_unknown_and_malformed_markers_are_flagged_before_saving(self):
        form = Form(self.env["extrabat.letter.template"].with_user(self.manager))
        form.name = "Inconnus"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.template_file = base64.b64encode(
                read_fixture("tests/fixtures/marqueurs_inconnus.docx")
            )
        # the user is warned, and the form shows the problems, before saving
        self.assertIn("montant_ht", logs.output[0])
        self.assertEqual(form.unknown_marker_names, "montant_ht")
        self.assertEqual(form.malformed_markers, "[data.ville client]")
        template = form.save()
        warning = template._onchange_template_file()["warning"]
        self.assertIn("montant_ht", warning["message"])
        self.assertIn("[data.ville client]", warning["message"])

    def test_bad_file_is_refused_with_a_clear_message(self):
        Template = self.env["extrabat.letter.template"]
        with self.assertRaisesRegex(ValidationError, "is not a Word"):
            Template.create(
                {
                    "name": "Pas un document",
                    "template_file": base64.b64encode(b"just some text"),
                    "template_filename": "lettre.docx",
                }
            )
        with self.assertRaisesRegex(ValidationError, "needs a Word"):
            Template.create({"name": "Sans fichier"})

    def test_file_not_what_its_name_says_is_refused(self):
        """The engine checks the content against the uploaded file's name:
        an .odt renamed .docx, or a zip that is neither, is refused."""
        Template = self.env["extrabat.letter.template"]
        odt = read_fixture("demo/courrier_rendez_vous.odt")
        with self.assertRaisesRegex(
            ValidationError,
            r"The file lettre\.docx is not what its name says: "
            r"it is a LibreOffice Writer document \(\.odt\)",
        ):
            Template.create(
                {
                    "name": "Renommé",
                    "template_file": base64.b64encode(odt),
                    "template_filename": "lettre.docx",
                }
            )
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("notes.txt", "pas un courrier")
        with self.assertRaisesRegex(
            ValidationError,
            r"The file lettre\.odt is not what its name says: "
            r"it is not a \.odt document \(a zip archive holding notes\.txt\)",
        ):
            Template.create(
                {
                    "name": "Archive",
                    "template_file": base64.b64encode(archive.getvalue()),
                    "template_filename": "lettre.odt",
                }
            )
        # renaming a good template to the other extension is refused too
        with self.assertRaisesRegex(ValidationError, "is not what its name says"):
            self.docx_template.template_filename = "relance.odt"
        # the same .odt under its own name is accepted
        template = Template.create(
            {
                "name": "Bon nom",
                "template_file": base64.b64encode(odt),
                "template_filename": "lettre.odt",
            }
        )
        self.assertEqual(template.file_format, "odt")
        self.assertFalse(template.file_error)

    def test_bad_file_is_refused_on_write_too(self):
        with self.assertRaises(ValidationError):
            self.docx_template.template_file = base64.b64encode(b"PK\x03\x04broken")
        self.assertEqual(self.docx_template.file_format, "docx")

    def test_complementary_question_markers_are_known(self):
        self.env["extrabat.question"].create(
            {
                "name": "Surface du jardin",
                "code": "surface_jardin",
                "answer_type": "number",
            }
        )
        template = self.env["extrabat.letter.template"].create(
            {
                "name": "Question",
                "kind": "html",
                "body_html": "<p>[data.question_surface_jardin] "
                "[data.question_inconnue]</p>",
            }
        )
        self.assertEqual(
            template.marker_names, "question_surface_jardin, question_inconnue"
        )
        self.assertEqual(template.unknown_marker_names, "question_inconnue")

    def test_editor_template_markers(self):
        self.assertEqual(
            self.html_template.marker_names,
            "nom_societe, nom_prenom_client, adresse_client, date_du_jour, "
            "siret_societe",
        )
        self.assertFalse(self.html_template.file_format)

    def test_marker_picker_inserts_the_marker(self):
        form = Form(self.html_template.with_user(self.manager))
        form.insert_marker = "suivi_par"
        self.assertIn("[data.suivi_par]", str(form.body_html))
        self.assertFalse(form.insert_marker)
        choices = dict(self.env["extrabat.letter.template"]._selection_insert_marker())
        self.assertIn("logo_societe", choices)

    def test_catalogue_is_shown_in_the_user_language(self):
        html = str(self.html_template.marker_catalogue_html)
        self.assertIn("[data.suivi_par]", html)
        self.assertIn("Salesperson following the client", html)
        french = {
            "Salesperson following the client": "Commercial qui suit le client",
            "Salesperson": "Suivi par",
        }
        with self._french_translations(french):
            template = self.html_template.with_context(lang="fr_FR")
            html = str(template.marker_catalogue_html)
            choices = dict(template._selection_insert_marker())
        self.assertIn("<td>Suivi par</td><td>Commercial qui suit le client</td>", html)
        self.assertEqual(
            choices["suivi_par"], "[data.suivi_par] — Commercial qui suit le client"
        )

    def _french_translations(self, translations):
        """French active, with ``translations`` as extrabat_letters' code
        translations (the addon translates the core's English with env._)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        return patch.dict(
            code_translations.python_translations,
            {("extrabat_letters", "fr_FR"): translations},
        )

    def test_engine_errors_are_translated_by_the_addon(self):
        """The core gives a code and parameters; the addon builds the
        message in the user's language, phrases included."""
        french = {
            "The file %(filename)s is not what its name says: %(detail)s. Save it "
            "again as a Word (.docx) or LibreOffice Writer (.odt) document, with the "
            "matching extension.": "Le fichier %(filename)s n'est pas ce que son nom "
            "annonce : %(detail)s. Enregistrez-le à nouveau.",
            "it is not a .%(extension)s document (%(found)s)": "ce n'est pas un "
            "document .%(extension)s (%(found)s)",
            "a zip archive holding %(names)s": "une archive zip contenant %(names)s",
        }
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("notes.txt", "pas un courrier")
        with self._french_translations(french):
            Template = self.env["extrabat.letter.template"].with_context(lang="fr_FR")
            with self.assertRaises(ValidationError) as error:
                Template.create(
                    {
                        "name": "Archive",
                        "template_file": base64.b64encode(archive.getvalue()),
                        "template_filename": "lettre.odt",
                    }
                )
        self.assertEqual(
            error.exception.args[0],
            "Le fichier lettre.odt n'est pas ce que son nom annonce : ce n'est pas "
            "un document .odt (une archive zip contenant notes.txt). "
            "Enregistrez-le à nouveau.",
        )

    def test_duplicate(self):
        copy = self.docx_template.copy()
        self.assertEqual(copy.name, "Relance (copy)")
        self.assertEqual(copy.template_file, self.docx_template.template_file)
        self.assertEqual(copy.marker_names, self.docx_template.marker_names)
        html_copy = self.html_template.copy()
        self.assertEqual(html_copy.body_html, self.html_template.body_html)

    def test_archive(self):
        self.docx_template.action_archive()
        self.assertNotIn(
            self.docx_template, self.env["extrabat.letter.template"].search([])
        )

    def test_only_managers_manage_templates(self):
        with self.assertRaises(AccessError):
            self.env["extrabat.letter.template"].with_user(self.salesman).create(
                {"name": "X", "kind": "html"}
            )
        with self.assertRaises(AccessError):
            self.docx_template.with_user(self.salesman).write({"name": "X"})
        # salespeople read and use them
        self.assertTrue(self.docx_template.with_user(self.salesman).marker_names)
        template = (
            self.env["extrabat.letter.template"]
            .with_user(self.manager)
            .create({"name": "Y", "kind": "html", "body_html": "<p>Y</p>"})
        )
        self.assertEqual(template.company_id, self.company)

    def test_templates_of_another_company_are_hidden(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        template = self.env["extrabat.letter.template"].create(
            {"name": "Autre", "kind": "html", "company_id": other.id}
        )
        shared = self.env["extrabat.letter.template"].create(
            {"name": "Partagé", "kind": "html", "company_id": False}
        )
        visible = (
            self.env["extrabat.letter.template"].with_user(self.salesman).search([])
        )
        self.assertNotIn(template, visible)
        self.assertIn(shared, visible)
