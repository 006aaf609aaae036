import base64

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SIGNATURE_PNG, LettersCommon, document_media, document_text


@tagged("post_install", "-at_install")
class TestLetterGeneration(LettersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "extrabat_letters"], ["fr_FR"]
        )

    @freeze_time("2025-03-05 10:00:00")
    def test_marker_values_in_the_client_language(self):
        letter = self._create_letter(
            self.html_template, date=fields.Date.to_date("2025-03-05")
        )
        values = letter._get_marker_values()
        self.assertEqual(values["nom_prenom_client"], "Monsieur Jean Dupont")
        self.assertEqual(values["civilite_client"], "Monsieur")
        self.assertEqual(values["prenom_client"], "Jean")
        self.assertEqual(values["nom_client"], "Dupont")
        self.assertEqual(
            values["adresse_client"], "12 rue des Lilas\nBâtiment B\n69100 Villeurbanne"
        )
        self.assertEqual(values["rue_client"], "12 rue des Lilas\nBâtiment B")
        self.assertEqual(values["mobile_client"], "06 12 34 56 78")
        self.assertEqual(values["code_client"], "C00042")
        self.assertEqual(values["date_du_jour"], "5 mars 2025")
        self.assertEqual(values["suivi_par"], "Paul Martin")
        self.assertEqual(values["email_utilisateur"], "paul.martin@chauffage-martin.fr")
        self.assertEqual(values["nom_societe"], "Chauffage Martin SARL")
        self.assertEqual(values["siret_societe"], "812 345 678 00012")
        self.assertEqual(
            values["adresse_societe"], "14 rue de la République\n69002 Lyon"
        )
        self.assertIsNone(values["signature_client"])
        self.assertEqual(values["date_signature"], "")

    def test_country_and_date_follow_the_recipient_language(self):
        self.client.write({"country_id": self.env.ref("base.de").id})
        letter = self._create_letter(
            self.html_template, date=fields.Date.to_date("2025-03-05")
        )
        values = letter._get_marker_values()
        self.assertEqual(values["pays_client"], "Allemagne")
        # a foreign country is printed on the address block
        self.assertTrue(values["adresse_client"].endswith("Allemagne"))
        self.client.lang = "en_US"
        values = letter._get_marker_values()
        self.assertEqual(values["pays_client"], "Germany")
        self.assertEqual(values["date_du_jour"], "March 5, 2025")
        self.assertEqual(values["civilite_client"], "Mr")

    def test_company_client_and_contact(self):
        company = self.env["res.partner"].create(
            {"name": "Dupont Rénovation", "is_company": True, "ref": "C00077"}
        )
        contact = self.env["res.partner"].create(
            {"name": "Marie Curie", "parent_id": company.id}
        )
        letter = self._create_letter(self.html_template, partner=contact)
        values = letter._get_marker_values()
        self.assertEqual(values["societe_client"], "Dupont Rénovation")
        self.assertEqual(values["code_client"], "C00077")
        self.assertEqual(values["nom_prenom_client"], "Marie Curie")

    def test_question_markers(self):
        question = self.env["extrabat.question"].create(
            {"name": "Énergie", "code": "energie_test", "answer_type": "text"}
        )
        self.client._extrabat_set_question_answers({question: "Gaz naturel"})
        letter = self._create_letter(self.html_template)
        self.assertEqual(
            letter._get_marker_values()["question_energie_test"], "Gaz naturel"
        )
        # only computed when the template uses a question's marker
        self.assertNotIn(
            "question_energie_test", letter._get_marker_values({"nom_client"})
        )
        self.assertEqual(
            letter._get_marker_values({"question_energie_test"})[
                "question_energie_test"
            ],
            "Gaz naturel",
        )

    def test_generate_a_word_letter_from_the_client(self):
        letter = self._create_letter(self.docx_template)
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.name, "Relance")
        self.assertEqual(letter.user_id, self.salesman)
        document = letter.document_attachment_id
        pdf = letter.pdf_attachment_id
        for attachment in document | pdf:
            self.assertEqual(attachment.res_model, "res.partner")
            self.assertEqual(attachment.res_id, self.client.id)
            self.assertEqual(attachment.extrabat_folder, "courriers")
        self.assertTrue(document.name.endswith(".docx"))
        text = document_text(document.raw)
        self.assertIn("Jean Dupont", text)
        self.assertIn("Paul Martin", text)
        self.assertNotIn("[data.", text)
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertEqual(letter.pdf_state, "done")
        self.assertEqual(self.client.letter_count, 1)
        action = self.client.action_view_letters()
        self.assertEqual(action["domain"], [("partner_id", "=", self.client.id)])
        self.assertEqual(action["context"]["default_partner_id"], self.client.id)

    def test_files_are_made_by_generate_not_by_create(self):
        """Saving a letter makes no file: the
        form's *Generate* button makes them, then *Regenerate* remakes
        them."""
        letter = (
            self.env["extrabat.letter"]
            .with_user(self.salesman)
            .create({"template_id": self.odt_template.id, "partner_id": self.client.id})
        )
        self.assertFalse(letter.document_attachment_id | letter.pdf_attachment_id)
        self.assertEqual(letter.pdf_state, "none")
        arch = etree.fromstring(
            self.env["extrabat.letter"].get_view(view_type="form")["arch"]
        )
        generate = arch.xpath(
            "//header/button[contains(@class, 'o_extrabat_letter_generate')]"
        )
        self.assertEqual(generate[0].get("name"), "action_regenerate")
        letter.action_regenerate()
        self.assertIn("Jean Dupont", document_text(letter.document_attachment_id.raw))
        self.assertEqual(letter.pdf_state, "done")

    def test_signature_is_appended_when_the_template_has_no_marker(self):
        letter = self._create_letter(self.odt_template)
        self.assertFalse(document_media(letter.document_attachment_id.raw))
        document_id = letter.document_attachment_id.id
        letter._write_server(
            {
                "signature": base64.b64encode(SIGNATURE_PNG),
                "signed_by": "Jean Dupont",
                "signed_on": "2025-03-05 10:00:00",
            }
        )
        self.assertNotIn(
            "5 mars 2025", document_text(letter.document_attachment_id.raw)
        )
        letter._generate_files()
        # the same attachment is updated, the signature and its date added
        # at the end (extrabat_core.signature_placement)
        self.assertEqual(letter.document_attachment_id.id, document_id)
        self.assertEqual(len(document_media(letter.document_attachment_id.raw)), 1)
        self.assertIn("5 mars 2025", document_text(letter.document_attachment_id.raw))

    def test_signature_marker_of_the_template_is_filled(self):
        letter = self._create_letter(self.docx_template)
        letter._write_server(
            {
                "signature": base64.b64encode(SIGNATURE_PNG),
                "signed_on": "2025-03-05 10:00:00",
            }
        )
        letter._generate_files()
        document = letter.document_attachment_id.raw
        self.assertEqual(len(document_media(document)), 2)  # logo and signature
        self.assertIn("Bon pour accord, le 5 mars 2025", document_text(document))

    def test_signed_letter_is_frozen(self):
        letter = self._create_letter(self.html_template)
        letter._write_server(
            {
                "state": "signed",
                "signature": base64.b64encode(SIGNATURE_PNG),
                "signed_on": fields.Datetime.now(),
            }
        )
        with self.assertRaisesRegex(UserError, "signed letter cannot be modified"):
            letter.write({"date": "2020-01-01"})
        with self.assertRaises(UserError):
            letter.write({"template_id": self.docx_template.id})
        with self.assertRaises(UserError):
            letter.unlink()
        with self.assertRaisesRegex(UserError, "Only draft letters"):
            letter.action_regenerate()
        letter._write_server({"state": "sent"})  # the status still moves on
        self.assertEqual(letter.state, "sent")

    def test_draft_letter_can_be_deleted_with_its_files(self):
        letter = self._create_letter(self.odt_template)
        files = letter.document_attachment_id | letter.pdf_attachment_id
        self.assertEqual(len(files), 2)
        letter.unlink()
        self.assertFalse(files.exists())

    def test_editor_letter_report(self):
        letter = self._create_letter(self.html_template, date="2025-03-05")
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "extrabat_letters.action_report_extrabat_letter", letter.ids
        )
        html = html.decode()
        self.assertIn("data:image/png;base64,", html)  # the company's logo
        html = html.split('class="header', 1)[1].replace(";base64,", "\n")
        html = "\n".join(line for line in html.splitlines() if len(line) < 500)
        self.assertIn("Bonjour Monsieur Jean Dupont,", html)
        self.assertIn("12 rue des Lilas<br>Bâtiment B<br>69100 Villeurbanne", html)
        self.assertIn("Le 5 mars 2025", html)
        self.assertIn("SIRET 812 345 678 00012", html)
        self.assertNotIn("[data.", html)

    def test_editor_letter_is_stored_by_the_report_engine(self):
        letter = self._create_letter(self.html_template)
        self.assertFalse(letter.document_attachment_id)
        pdf = letter.pdf_attachment_id
        self.assertEqual(pdf.extrabat_folder, "courriers")
        self.assertEqual(pdf.mimetype, "application/pdf")
        self.assertEqual((pdf.res_model, pdf.res_id), ("res.partner", self.client.id))
        # under tests Odoo's report engine gives the HTML, not wkhtmltopdf's PDF
        self.assertTrue(b"Bonjour Monsieur Jean Dupont" in pdf.raw)

    def test_preview_keeps_no_letter(self):
        template = self.odt_template.with_user(self.manager)
        template.preview_partner_id = self.client
        action = template.action_preview()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertEqual(attachment.res_model, "extrabat.letter.template")
        self.assertFalse(self.env["extrabat.letter"].search_count([]))
        template.action_preview()
        self.assertFalse(attachment.exists())  # replaced by the new preview

    def test_preview_of_an_editor_template(self):
        template = self.html_template.with_user(self.manager)
        template.preview_partner_id = self.client
        action = template.action_preview()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        raw = self.env["ir.attachment"].browse(attachment_id).raw
        # under tests the report engine gives the HTML of the letter
        self.assertTrue(b"Bonjour Monsieur Jean Dupont," in raw)
        self.assertFalse(self.env["extrabat.letter"].search_count([]))

    def test_preview_with_the_client_chosen_in_the_form(self):
        """The form's Preview button sends the chosen client in its context
        (the field is not stored: the button call does not see it)."""
        template = self.html_template.with_user(self.manager)
        self.assertFalse(template.preview_partner_id)
        with self.assertRaises(UserError):
            template.action_preview()
        action = template.with_context(
            extrabat_preview_partner_id=self.client.id
        ).action_preview()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        raw = self.env["ir.attachment"].browse(attachment_id).raw
        self.assertTrue(b"Bonjour Monsieur Jean Dupont," in raw)

    def test_preview_refuses_a_client_the_user_cannot_read(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        stranger = self.env["res.partner"].create(
            {"name": "Client caché", "company_id": other.id}
        )
        template = self.html_template.with_user(self.manager)
        with self.assertRaises(AccessError):
            template.with_context(
                extrabat_preview_partner_id=stranger.id
            ).action_preview()
        for value in ("1", True, [self.client.id]):
            with self.assertRaises(UserError):
                template.with_context(
                    extrabat_preview_partner_id=value
                ).action_preview()

    def test_generated_letters_send_no_assignment_notification(self):
        """A colleague generates letters for the clients of a salesperson
        (in the form, which sends the salesperson, and in the wizard): the
        salesperson gets no "You have been assigned" notification per
        letter (but follows the one made in the form); a later change of
        salesperson is a real assignment and is notified as usual."""
        colleague = new_test_user(
            self.env,
            login="letters_colleague",
            email="colleague@chauffage-martin.fr",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        other_client = self.env["res.partner"].create(
            {"name": "Durand Rénovation", "user_id": self.salesman.id}
        )
        Letter = self.env["extrabat.letter"].with_user(colleague)
        # as the form sends it: the salesperson is among the values
        letter = Letter.create(
            {
                "template_id": self.html_template.id,
                "partner_id": self.client.id,
                "user_id": self.salesman.id,
            }
        )
        wizard = (
            self.env["extrabat.letter.generate"]
            .with_user(colleague)
            .create(
                {
                    "template_id": self.html_template.id,
                    "partner_ids": [(6, 0, (self.client | other_client).ids)],
                }
            )
        )
        letters = letter | Letter.search(wizard.action_generate()["domain"])
        self.assertEqual(len(letters), 3)
        self.assertEqual(letters.user_id, self.salesman)
        Message = self.env["mail.message"].sudo()
        notifications = [
            ("model", "=", "extrabat.letter"),
            ("res_id", "in", letters.ids),
            ("message_type", "=", "user_notification"),
        ]
        self.assertFalse(Message.search(notifications))
        self.assertIn(self.salesman.partner_id, letter.message_partner_ids)
        letter.with_user(colleague).user_id = self.manager
        self.assertEqual(
            Message.search(notifications).partner_ids, self.manager.partner_id
        )

    def test_regenerate_follows_the_client(self):
        letter = self._create_letter(self.odt_template)
        self.client.name = "Jeanne Durand"
        letter.action_regenerate()
        self.assertIn("Jeanne Durand", document_text(letter.document_attachment_id.raw))

    def test_letters_of_another_company_are_hidden(self):
        letter = self._create_letter(self.html_template)
        other = self.env["res.company"].create({"name": "Autre société"})
        self.salesman.write({"company_ids": [(4, other.id)], "company_id": other.id})
        Letter = self.env["extrabat.letter"].with_user(self.salesman)
        self.assertFalse(
            Letter.with_context(allowed_company_ids=[other.id]).search(
                [("id", "=", letter.id)]
            )
        )
        self.assertTrue(
            Letter.with_context(allowed_company_ids=[self.company.id]).search(
                [("id", "=", letter.id)]
            )
        )
