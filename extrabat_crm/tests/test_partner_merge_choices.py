"""Issue 14, point 3: a merge shows every value that differs between the
records and keeps, per row, the value the user chose; the other values are
written in the kept client's chatter. Person/company never changes unless
chosen. The choices are user input: checked against the records merged."""

from ast import literal_eval

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestPartnerMergeChoices(ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets only an administrator merge records whose emails differ
        cls.admin_env = cls.env(user=cls.env.ref("base.user_admin"))
        cls.country_fr = cls.env.ref("base.fr")
        cls.tag_pool = cls.env["res.partner.category"].create({"name": "Piscine"})
        cls.tag_roof = cls.env["res.partner.category"].create({"name": "Toiture"})

    def setUp(self):
        super().setUp()
        Partner = self.admin_env["res.partner"]
        # the client, a person, and the duplicate made with Contacts › New
        # (a company by default)
        self.kept = Partner.create(
            {
                "name": "Jean Martin",
                "phone": "+33 6 11 11 11 11",
                "email": "jean.martin@example.com",
                "street": "1 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "country_id": self.country_fr.id,
                "category_id": [Command.set(self.tag_pool.ids)],
            }
        )
        self.other = Partner.create(
            {
                "name": "Jean Martin",
                "is_company": True,
                "phone": "+33 6 22 22 22 22",
                "email": "j.martin@example.org",
                "street": "8 avenue Foch",
                "zip": "69006",
                "city": "Lyon",
                "function": "Gérant",
                "category_id": [Command.set(self.tag_roof.ids)],
            }
        )

    def _wizard(self, env=None):
        env = env or self.admin_env
        wizard = (
            env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_model="res.partner", active_ids=(self.kept | self.other).ids
            )
            .create({})
        )
        wizard.dst_partner_id = self.kept
        return wizard

    def _rows(self, wizard):
        return {row["key"]: row for row in wizard.extrabat_merge_differences["rows"]}

    def _log(self):
        return "".join(self.kept.message_ids.mapped("body"))

    # --- what the user sees ---

    def test_every_differing_value_is_a_row(self):
        rows = self._rows(self._wizard())
        for key in (
            "is_company",
            "phone",
            "email",
            "address",
            "function",
            "category_id",
        ):
            self.assertIn(key, rows)
        # the same name on both records: nothing to choose
        self.assertNotIn("name", rows)
        is_company = rows["is_company"]
        self.assertEqual(
            [(o["text"], o["kept"]) for o in is_company["options"]],
            [("Person", True), ("Company", False)],
        )
        self.assertEqual(is_company["default"], str(self.kept.id))
        self.assertEqual(rows["phone"]["default"], str(self.kept.id))
        self.assertIn("8 avenue Foch", rows["address"]["options"][1]["text"])
        # the kept record has no job position: the other's is kept
        self.assertEqual(rows["function"]["default"], str(self.other.id))
        self.assertEqual(rows["category_id"]["default"], "all")
        # nothing technical or server-only is offered
        self.assertFalse(
            set(rows)
            & {"contact_address_inline", "trash_date", "client_since", "ref", "active"}
        )

    def test_no_row_when_nothing_differs(self):
        twin = self.admin_env["res.partner"].create(
            {"name": "Paul Petit", "phone": "0612345678"}
        )
        twin_bis = twin.copy({"name": "Paul Petit"})
        wizard = (
            self.admin_env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(twin | twin_bis).ids)
            .create({})
        )
        self.assertFalse(wizard.extrabat_merge_differences)

    # --- what the merge keeps ---

    def test_by_default_the_person_stays_a_person_and_keeps_its_values(self):
        self._wizard().action_merge()
        self.assertFalse(self.kept.is_company)
        self.assertEqual(self.kept.phone, "+33 6 11 11 11 11")
        self.assertEqual(self.kept.email, "jean.martin@example.com")
        self.assertEqual(self.kept.street, "1 rue des Lilas")
        self.assertEqual(self.kept.zip, "69003")
        # an empty value is filled, tags are united
        self.assertEqual(self.kept.function, "Gérant")
        self.assertEqual(self.kept.category_id, self.tag_pool | self.tag_roof)
        # the other values are in the chatter: nothing lost
        log = self._log()
        for text in ("+33 6 22 22 22 22", "j.martin@example.org", "8 avenue Foch"):
            self.assertIn(text, log)
        self.assertIn("Company", log)
        # two records named alike: told apart by their ID
        self.assertIn(f"(from Jean Martin (ID {self.other.id}))", log)

    def test_chosen_values_are_kept_and_the_others_logged(self):
        wizard = self._wizard()
        other = str(self.other.id)
        wizard.extrabat_merge_choices = {
            "is_company": other,
            "phone": other,
            "address": other,
            "category_id": str(self.kept.id),
        }
        wizard.action_merge()
        self.assertTrue(self.kept.is_company)
        self.assertEqual(self.kept.phone, "+33 6 22 22 22 22")
        # the whole address of the other record, not a mix of both
        self.assertEqual(
            (self.kept.street, self.kept.zip, self.kept.country_id),
            ("8 avenue Foch", "69006", self.env["res.country"]),
        )
        self.assertEqual(self.kept.category_id, self.tag_pool)
        # not chosen: the kept record's email stays
        self.assertEqual(self.kept.email, "jean.martin@example.com")
        log = self._log()
        for text in ("+33 6 11 11 11 11", "1 rue des Lilas", "j.martin@example.org"):
            self.assertIn(text, log)
        self.assertIn("Person", log)
        self.assertIn("Toiture", log)

    def test_choosing_the_kept_values_undoes_what_odoo_would_copy(self):
        """Odoo copies "is a company" from a merged record; choosing the
        kept record's "Person" keeps it a person even when the kept record
        is the one Odoo's order would not prefer."""
        wizard = self._wizard()
        wizard.extrabat_merge_choices = {"is_company": str(self.kept.id)}
        wizard.action_merge()
        self.assertFalse(self.kept.is_company)
        self.assertEqual(self.kept.company_type, "person")

    def test_chatter_has_no_technical_tracking_line(self):
        """Odoo tracks the computed "Inlined Complete Address" of a partner
        whose address changes: the merge's own message says it instead."""
        # the tests' default context disables tracking: enabled here
        env = self.admin_env(
            context=dict(
                self.admin_env.context, tracking_disable=False, mail_notrack=False
            )
        )
        # and the records were created by earlier requests (creating a
        # record discards its tracking for the rest of the transaction)
        self.env.flush_all()
        self.env.cr.precommit.clear()
        wizard = self._wizard(env)
        wizard.extrabat_merge_choices = {"address": str(self.other.id)}
        wizard.action_merge()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = self.kept.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertNotIn("contact_address_inline", tracked)
        self.assertNotIn("Inlined Complete Address", self._log())

    def test_the_merged_record_keeps_its_own_values(self):
        wizard = self._wizard()
        wizard.extrabat_merge_choices = {"phone": str(self.other.id)}
        wizard.action_merge()
        other = self.other.with_context(active_test=False)
        self.assertEqual(other.phone, "+33 6 22 22 22 22")
        self.assertTrue(other.is_company)
        self.assertEqual(other.extrabat_merged_into_id, self.kept)

    # --- the end of the flow ---

    def test_merge_from_a_list_closes_the_dialog(self):
        action = self._wizard().action_merge()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        self.assertIn("Jean Martin", action["params"]["message"])

    def test_find_duplicates_goes_on_then_closes_after_the_last_group(self):
        Partner = self.env["res.partner"]
        first = Partner.create({"name": "Zinguerie Choix"})
        first_bis = Partner.create({"name": "Zinguerie Choix", "phone": "0611"})
        second = Partner.create({"name": "Menuiserie Choix"})
        second_bis = Partner.create({"name": "Menuiserie Choix"})
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"group_by_name": True}
        )
        wizard.action_start_manual_process()
        groups = [first | first_bis, second | second_bis]
        wanted = {frozenset(group.ids) for group in groups}
        wizard.line_ids.filtered(
            lambda line: frozenset(literal_eval(line.aggr_ids)) not in wanted
        ).unlink()
        wizard._action_next_screen()
        self.assertEqual(wizard.partner_ids, groups[0])
        wizard.extrabat_merge_choices = {"phone": str(first_bis.id)}
        action = wizard.action_merge()
        self.assertEqual(action["res_model"], wizard._name, "the next group")
        self.assertEqual(wizard.state, "selection")
        self.assertEqual(wizard.partner_ids, groups[1])
        self.assertFalse(wizard.extrabat_merge_choices, "not those of the last group")
        action = wizard.action_merge()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(
            first_bis.extrabat_merged_into_id or first.extrabat_merged_into_id
        )
        self.assertTrue(
            second_bis.extrabat_merged_into_id or second.extrabat_merged_into_id
        )

    def test_skipping_the_last_group_closes_the_dialog(self):
        Partner = self.env["res.partner"]
        twins = Partner.create([{"name": "Charpente Seule"}] * 2)
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"group_by_name": True}
        )
        wizard.action_start_manual_process()
        wizard.line_ids.filtered(
            lambda line: set(literal_eval(line.aggr_ids)) != set(twins.ids)
        ).unlink()
        wizard._action_next_screen()
        self.assertEqual(wizard.partner_ids, twins)
        self.assertEqual(wizard.action_skip(), {"type": "ir.actions.act_window_close"})
        self.assertFalse(twins.extrabat_merged_into_id)

    def test_finished_screen_hides_the_group_limit(self):
        arch = self.env["base.partner.merge.automatic.wizard"].get_view(
            self.env.ref("base.base_partner_merge_automatic_wizard_form").id, "form"
        )["arch"]
        self.assertIn('widget="extrabat_merge_choices"', arch)
        self.assertRegex(
            arch, r'name="maximum_group"[^>]*invisible="state != \'option\'"'
        )
        # skipping is for the groups of Find Duplicates, not a list's selection
        self.assertRegex(arch, r'name="action_skip"[^>]*not current_line_id')

    def test_merged_into_message_has_its_space(self):
        self._wizard().action_merge()
        other = self.other.with_context(active_test=False)
        self.assertRegex(other.message_ids[:1].body, r"Merged into <a ")
        arch = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('<span class="me-1">Merged into</span>', arch)

    # --- the choices are user input ---

    def test_a_choice_cannot_name_a_server_only_or_unknown_field(self):
        for key in (
            "trash_date",
            "client_since",
            "ref",
            "extrabat_merged_into_id",
            "x",
        ):
            wizard = self._wizard()
            wizard.extrabat_merge_choices = {key: str(self.other.id)}
            with self.assertRaisesRegex(UserError, "not a value that a merge"):
                wizard.action_merge()
            self.assertFalse(self.other.extrabat_merged_into_id)

    def test_a_choice_cannot_name_another_record(self):
        outsider = self.env["res.partner"].create(
            {"name": "Autre client", "phone": "+33 6 99 99 99 99"}
        )
        for value in (str(outsider.id), outsider.id, "all", ["1"]):
            wizard = self._wizard()
            wizard.extrabat_merge_choices = {"phone": value}
            with self.assertRaisesRegex(
                UserError, "not the value of one of the records"
            ):
                wizard.action_merge()
        self.assertEqual(self.kept.phone, "+33 6 11 11 11 11")
        self.assertFalse(self.other.extrabat_merged_into_id)

    def test_the_status_of_a_record_in_the_trash_is_not_offered(self):
        self.other.action_trash()
        rows = self._rows(self._wizard())
        self.assertEqual(
            [option["key"] for option in rows["client_status_id"]["options"]],
            [str(self.kept.id)],
        )
        wizard = self._wizard()
        wizard.extrabat_merge_choices = {"client_status_id": str(self.other.id)}
        with self.assertRaisesRegex(UserError, "not the value of one of the records"):
            wizard.action_merge()
        self.assertFalse(self.kept.is_trashed)

    def test_salesperson_choice_is_checked_too(self):
        """A salesperson (same emails: Odoo lets only an administrator merge
        different ones) chooses the other phone; a server-only field is
        refused for them as for anyone."""
        self.other.email = self.kept.email
        wizard = self._wizard(self.env(user=self.salesman))
        wizard.extrabat_merge_choices = {"trash_date": str(self.other.id)}
        with self.assertRaises(UserError):
            wizard.action_merge()
        wizard.extrabat_merge_choices = {"phone": str(self.other.id)}
        wizard.action_merge()
        self.assertEqual(self.kept.phone, "+33 6 22 22 22 22")
        self.assertEqual(self.other.extrabat_merged_into_id, self.kept)
