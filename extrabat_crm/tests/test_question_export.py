import base64
import csv
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionExport(QuestionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner.ref = "C00042"
        cls._answer_all(cls, cls.partner)
        cls.martin = cls._create_partner("Martin", city="Lyon")
        cls.martin._extrabat_set_question_answers({cls.q_pool: False})
        cls.exporter = cls.manager

    def _wizard(self, **context):
        return (
            self.env["extrabat.question.export"]
            .with_user(self.exporter)
            .with_context(active_model="res.partner", **context)
            .create({})
        )

    def _xlsx_rows(self, wizard):
        action = wizard.action_export()
        self.assertIn(f"id={wizard.id}", action["url"])
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.data)))
        return list(book.active.iter_rows(values_only=True))

    def test_xlsx_one_row_per_client_one_column_per_question(self):
        wizard = self._wizard(active_ids=(self.partner | self.martin).ids)
        self.assertEqual(wizard.partner_count, 2)
        header, *rows = self._xlsx_rows(wizard)
        self.assertEqual(
            header,
            (
                "Client",
                "Client code",
                "Email",
                "Phone",
                "City",
                "Contact sur place",
                "Accès au chantier",
                "Type de chauffage",
                "Origine du contact",
                "Piscine",
                "Équipements",
                "Date de visite",
                "Surface",
            ),
        )
        rows = {row[0]: row for row in rows}
        self.assertEqual(
            rows["Dupont Chauffage"][1:],
            (
                "C00042",
                None,
                None,
                None,
                "M. Garnier",
                "Clé chez le gardien",
                "Pompe à chaleur",
                "Salon — Foire de Lyon",
                "Yes",
                "Radiateurs, Plancher chauffant",
                datetime(2024, 5, 1),
                120.5,
            ),
        )
        self.assertEqual(rows["Martin"][4], "Lyon")
        self.assertEqual(rows["Martin"][9], "No")

    def test_csv_of_the_current_filter(self):
        wizard = self._wizard(active_domain=[("name", "=", "Martin")])
        wizard.file_format = "csv"
        self.assertEqual(wizard.partner_count, 1)
        wizard.action_export()
        text = base64.b64decode(wizard.data).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text)))
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1][0], "Martin")
        self.assertEqual(lines[1][9], "No")

    def test_selection_without_filter_exports_the_selection(self):
        """The list without filter sends ``active_domain=[]``: the selected
        clients are exported, not 0 clients."""
        wizard = self._wizard(
            active_ids=(self.partner | self.martin).ids, active_domain=[]
        )
        self.assertEqual(wizard.scope, "selection")
        self.assertEqual(wizard.partner_count, 2)
        self.assertEqual(wizard.scope_description, "the 2 selected clients")
        _header, *rows = self._xlsx_rows(wizard)
        self.assertEqual(sorted(row[0] for row in rows), ["Dupont Chauffage", "Martin"])

    def test_selection_inside_a_filter_wins_over_the_filter(self):
        domain = [("id", "in", (self.partner | self.martin).ids)]
        wizard = self._wizard(active_ids=self.martin.ids, active_domain=domain)
        self.assertEqual(wizard.scope, "selection")
        self.assertEqual(wizard.partner_count, 1)
        _header, *rows = self._xlsx_rows(wizard)
        self.assertEqual([row[0] for row in rows], ["Martin"])

    def test_select_all_of_the_filter_exports_the_filter(self):
        domain = [("id", "in", (self.partner | self.martin).ids)]
        wizard = self._wizard(
            active_ids=(self.partner | self.martin).ids, active_domain=domain
        )
        self.assertEqual(wizard.scope, "domain")
        self.assertEqual(
            wizard.scope_description, "the 2 clients of the current filter"
        )

    def test_no_selection_exports_the_filter(self):
        wizard = self._wizard(active_domain=[("name", "=", "Martin")])
        self.assertEqual(wizard.scope, "domain")
        self.assertEqual(wizard.partner_count, 1)

    def test_chosen_questions_only(self):
        wizard = self._wizard(active_ids=self.partner.ids)
        wizard.question_ids = self.q_surface | self.q_heating
        header, row = self._xlsx_rows(wizard)
        self.assertEqual(header[5:], ("Type de chauffage", "Surface"))
        self.assertEqual(row[5:], ("Pompe à chaleur", 120.5))

    def test_nothing_to_export(self):
        wizard = self._wizard(active_domain=[("id", "=", 0)])
        with self.assertRaisesRegex(UserError, "no client"):
            wizard.action_export()

    def test_standard_export_of_answers(self):
        """Odoo's own export reaches the answers through the client."""
        data = self.partner.export_data(
            [
                "name",
                "extrabat_answer_ids/question_id",
                "extrabat_answer_ids/value_display",
            ]
        )["datas"]
        self.assertEqual(
            data[0][:3], ["Dupont Chauffage", "Contact sur place", "M. Garnier"]
        )
        self.assertEqual(len(data), 8)

    def test_binding_in_the_partner_list(self):
        action = self.env.ref("extrabat_crm.extrabat_question_export_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertEqual(action.binding_view_types, "list")
