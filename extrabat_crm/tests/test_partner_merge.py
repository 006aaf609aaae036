from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import ExtrabatCrmCommon
from .common_merge import PartnerMergeNoLossMixin


@tagged("post_install", "-at_install")
class TestPartnerMerge(PartnerMergeNoLossMixin, ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_merge_fixture_common()

    def setUp(self):
        super().setUp()
        self.kept = self._create_partner("Dupont Chauffage")
        self.other = self._create_partner("Dupont Chauffage (doublon)")

    def _full_fixtures(self):
        self.kept_docs = self._build_merge_fixture(
            self.kept,
            "K",
            answers=self._answers_kept(),
            properties={"chantier": "Lyon 3e"},
        )
        self.other_docs = self._build_merge_fixture(
            self.other,
            "O",
            answers=self._answers_other(),
            properties={"chantier": "Villeurbanne", "origine": "Salon"},
        )

    # --- no loss ---

    def test_merge_loses_nothing(self):
        self._full_fixtures()
        snapshot = self._merge_snapshot(self.kept | self.other)
        # the fixture reaches many tables: the proof is not vacuous
        tables = {entry[1] for entry in snapshot if entry != ("properties",)}
        for table in (
            "sale_order",
            "account_move",
            "account_move_line",
            "account_payment",
            "ir_attachment",
            "mail_message",
            "mail_followers",
            "mail_activity",
            "extrabat_question_answer",
            "res_partner",
            "res_partner_bank",
            "res_partner_res_partner_category_rel",
        ):
            self.assertIn(table, tables)
        self.assertGreater(self._merge_snapshot_count(snapshot), 60)
        self._merge_with_wizard(self.kept, self.other)
        self._assert_merge_lost_nothing(snapshot, self.kept)
        self.assertTrue(self.other.exists())

    def test_salesperson_merges_without_loss(self):
        self._build_merge_fixture(self.kept, "K", answers=self._answers_kept())
        self._build_merge_fixture(self.other, "O", answers=self._answers_other())
        snapshot = self._merge_snapshot(self.kept | self.other)
        kept = self.kept.with_user(self.salesman)
        self._merge_with_wizard(kept, self.other.with_user(self.salesman))
        self._assert_merge_lost_nothing(snapshot, self.kept)
        self.assertEqual(self.other.extrabat_merged_into_id, self.kept)

    def test_proof_detects_a_lost_row(self):
        """The proof fails when a row is deleted or left behind."""
        self._build_merge_fixture(self.other, "O")
        snapshot = self._merge_snapshot(self.kept | self.other)
        self._merge_with_wizard(self.kept, self.other)
        self.other_attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.kept.id)], limit=1
        )
        self.other_attachment.res_id = self.other.id
        with self.assertRaises(AssertionError):
            self._assert_merge_lost_nothing(snapshot, self.kept)
        self.other_attachment.unlink()
        with self.assertRaises(AssertionError):
            self._assert_merge_lost_nothing(snapshot, self.kept)

    def test_documents_follow(self):
        self._full_fixtures()
        self._merge_with_wizard(self.kept, self.other)
        docs = self.other_docs
        self.assertEqual(docs["order"].partner_id, self.kept)
        self.assertEqual(docs["invoice"].partner_id, self.kept)
        self.assertEqual(docs["invoice"].line_ids.partner_id, self.kept)
        self.assertEqual(docs["payment"].partner_id, self.kept)
        self.assertEqual(docs["contact"].parent_id, self.kept)
        self.assertEqual(docs["contact"].commercial_partner_id, self.kept)
        # commercial fields follow the new company (client code, status)
        self.assertTrue(self.kept.ref)
        self.assertEqual(docs["contact"].ref, self.kept.ref)
        self.assertEqual(docs["contact"].client_status_id, self.kept.client_status_id)
        self.assertEqual(docs["activity"].res_id, self.kept.id)
        self.assertEqual(set(docs["attachments"].mapped("res_id")), {self.kept.id})
        self.assertEqual(docs["message"].res_id, self.kept.id)
        self.assertEqual(docs["message"].attachment_ids.res_id, self.kept.id)
        self.assertEqual(
            sorted(self.kept.bank_ids.mapped("acc_number")),
            ["FR76 1111 2222 3333", "FR76 3000 4000 K", "FR76 3000 4000 O"],
        )
        self.assertEqual(self.kept.category_id, self.merge_tag)
        self.assertIn(self.merge_follower, self.kept.message_partner_ids)

    def test_followers_united(self):
        """Both followed the same document: one follower, with the
        subtypes of both (Odoo would delete the merged one's followers)."""
        note = self.env.ref("mail.mt_note")
        comment = self.env.ref("mail.mt_comment")
        doc = self.merge_document
        doc.message_subscribe(partner_ids=self.kept.ids, subtype_ids=comment.ids)
        doc.message_subscribe(partner_ids=self.other.ids, subtype_ids=note.ids)
        self.kept.message_subscribe(
            partner_ids=self.merge_follower.ids, subtype_ids=comment.ids
        )
        self.other.message_subscribe(
            partner_ids=self.merge_follower.ids, subtype_ids=note.ids
        )
        self._merge_with_wizard(self.kept, self.other)
        follower = doc.message_follower_ids.filtered(
            lambda f: f.partner_id == self.kept
        )
        self.assertEqual(follower.subtype_ids, note | comment)
        self.assertFalse(
            doc.message_follower_ids.filtered(lambda f: f.partner_id == self.other)
        )
        follower = self.kept.message_follower_ids.filtered(
            lambda f: f.partner_id == self.merge_follower
        )
        self.assertEqual(follower.subtype_ids, note | comment)

    def test_answers_and_properties(self):
        self._full_fixtures()
        self._merge_with_wizard(self.kept, self.other)
        answers = self.kept._extrabat_question_answers()
        pump, gas = self.merge_q_heating.option_ids
        self.assertEqual(answers[self.merge_q_heating.id], pump)
        self.assertEqual(answers[self.merge_q_surface.id], 140)
        self.assertEqual(answers[self.merge_q_access.id].text, "Chez le voisin")
        props = self.kept.properties
        self.assertEqual(props["chantier"], "Lyon 3e")
        self.assertEqual(props["origine"], "Salon")
        notes = "".join(self.kept.message_ids.mapped("body"))
        self.assertIn(gas.name, notes)
        self.assertIn("Villeurbanne", notes)

    # --- the merged record ---

    def test_merged_record_goes_to_the_trash(self):
        self._build_merge_fixture(self.other, "O")
        self._merge_with_wizard(self.kept, self.other)
        other = self.other.with_context(active_test=False)
        self.assertTrue(other.exists())
        self.assertTrue(other.is_trashed)
        self.assertFalse(other.active)
        self.assertEqual(other.extrabat_merged_into_id, self.kept)
        self.assertTrue(other.extrabat_merge_date)
        self.assertIn(f'data-oe-id="{self.kept.id}"', other.message_ids[:1].body)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", other.id)]
            )
        )
        self.assertTrue(self.kept.active)
        self.assertFalse(self.kept.is_trashed)

    def test_client_code_kept_and_logged(self):
        self._create_order(self.kept)
        self._create_order(self.other)
        kept_code, other_code = self.kept.ref, self.other.ref
        self.assertTrue(kept_code and other_code)
        self._merge_with_wizard(self.kept, self.other)
        self.assertEqual(self.kept.ref, kept_code)
        # never reused: the merged record keeps it in the trash
        self.assertEqual(self.other.ref, other_code)
        self.assertIn(other_code, "".join(self.kept.message_ids.mapped("body")))

    def test_client_code_taken_when_kept_has_none(self):
        self._create_order(self.other)
        other_code = self.other.ref
        self.assertFalse(self.kept.ref)
        self._merge_with_wizard(self.kept, self.other)
        self.assertEqual(self.kept.ref, other_code)
        self.assertFalse(self.other.ref)
        self.assertIn(other_code, "".join(self.kept.message_ids.mapped("body")))

    def test_client_since_is_the_earliest(self):
        self.kept._internal_write({"client_since": "2025-03-01 00:00:00"})
        self.other._internal_write({"client_since": "2021-06-01 00:00:00"})
        self._merge_with_wizard(self.kept, self.other)
        self.assertEqual(str(self.kept.client_since), "2021-06-01 00:00:00")

    def test_sealed_journal_items_keep_their_partner(self):
        """Entries sealed by the inalterability hash (partner_id is hashed)
        stay on the merged record; the hash still checks."""
        journal = self.company_data["default_journal_sale"]
        journal.restrict_mode_hash_table = True
        sealed = self._create_invoice(self.other, post=True)
        self.assertTrue(sealed.inalterable_hash)
        free = self._create_invoice(self.kept, post=True)
        snapshot = self._merge_snapshot(self.kept | self.other)
        self._merge_with_wizard(self.kept, self.other)
        staying = {("account_move", sealed.id)} | {
            ("account_move_line", line.id) for line in sealed.line_ids
        }
        self._assert_merge_lost_nothing(snapshot, self.kept, staying=staying)
        self.assertEqual(sealed.line_ids.partner_id, self.other)
        self.assertEqual(free.partner_id, self.kept)
        results = self.company._check_hash_integrity()["results"]
        statuses = {r["journal_name"]: r["status"] for r in results}
        sale_statuses = [v for k, v in statuses.items() if k.startswith(journal.name)]
        self.assertEqual(sale_statuses, ["verified"])

    # --- special cases ---

    def test_trashed_record_into_active_one(self):
        contact = self._create_partner("Mme Doublon", parent_id=self.other.id)
        self._build_merge_fixture(self.other, "O")
        self.other.action_trash()
        self.assertFalse(contact.active)
        snapshot = self._merge_snapshot(self.kept | self.other)
        self._merge_with_wizard(self.kept, self.other)
        self._assert_merge_lost_nothing(snapshot, self.kept)
        self.assertEqual(contact.parent_id, self.kept)
        self.assertFalse(contact.archived_by_trash)
        self.assertEqual(self.other.extrabat_merged_into_id, self.kept)
        self.assertTrue(self.other.is_trashed)
        self.kept.action_trash()
        self.kept.action_restore()
        self.assertFalse(contact.active, "it was archived before the merge")

    def test_keeping_a_trashed_record_is_refused(self):
        self.other.action_trash()
        with self.assertRaisesRegex(UserError, "restore it"):
            self._merge_with_wizard(self.other, self.kept)
        self.assertFalse(self.kept.extrabat_merged_into_id)

    def test_two_companies_refused(self):
        company_b = self.setup_other_company(name="Piscines du Sud")["company"]
        self.kept.company_id = self.company
        self.other.company_id = company_b
        with self.assertRaisesRegex(UserError, "same company"):
            self._merge_with_wizard(self.kept, self.other)
        self.assertTrue(self.other.active)

    def test_shared_clients_may_be_merged(self):
        self.kept.company_id = False
        self.other.company_id = False
        self._merge_with_wizard(self.kept, self.other)
        self.assertFalse(self.kept.company_id, "the kept client stays shared")
        self.assertEqual(self.other.extrabat_merged_into_id, self.kept)

    def test_salesperson_cannot_leak_a_client_files_by_merging_it_into_a_shared_one(
        self,
    ):
        """Issue 13, point 5: a client of company A merged into a client
        shared between companies would hand its attachments and internal
        notes to company B's users."""
        company_b = self.setup_other_company(name="Piscines du Sud")["company"]
        user_b = new_test_user(
            self.env,
            login="extrabat_salesman_b",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.kept.company_id = False
        self.other.company_id = self.company
        secret = self.env["ir.attachment"].create(
            {
                "name": "Devis concurrent.pdf",
                "raw": b"%PDF prices of company A",
                "res_model": "res.partner",
                "res_id": self.other.id,
            }
        )
        note = self.other.message_post(
            body="Marge 40 %, ne pas baisser", subtype_xmlid="mail.mt_note"
        )
        refusal = None
        try:
            self._merge_with_wizard(
                self.kept.with_user(self.salesman), self.other.with_user(self.salesman)
            )
        except UserError as error:
            refusal = str(error)
        # what company B's salesperson sees of the shared client afterwards
        shared = self.kept.with_user(user_b)
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(user_b)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", shared.id)])
        )
        with self.assertRaises(AccessError):
            secret.with_user(user_b).read(["raw"])
        self.assertNotIn(note, shared.message_ids)
        with self.assertRaises(AccessError):
            note.with_user(user_b).read(["body"])
        self.assertIn("shared between companies", refusal or "")
        self.assertEqual(secret.res_id, self.other.id)
        self.assertFalse(self.other.extrabat_merged_into_id)

    def test_preview_warns_before_merging_into_a_shared_client(self):
        self.kept.company_id = False
        self.other.company_id = self.company
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_model="res.partner", active_ids=(self.kept | self.other).ids
            )
            .create({})
        )
        wizard.dst_partner_id = self.kept
        preview = str(wizard.extrabat_preview)
        self.assertIn("alert-danger", preview)
        self.assertIn("shared between companies", preview)

    def test_colliding_row_stays_and_is_reported(self):
        """A row that a unique constraint refuses on the kept partner stays
        on the merged one (Odoo would delete it) and is reported."""
        self.env.cr.execute(
            "CREATE TABLE extrabat_test_merge_unique ("
            " id serial PRIMARY KEY, partner_id int REFERENCES res_partner(id),"
            " label varchar, UNIQUE (partner_id, label))"
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO extrabat_test_merge_unique (partner_id, label)"
                " VALUES (%s, 'a'), (%s, 'a'), (%s, 'b')",
                self.kept.id,
                self.other.id,
                self.other.id,
            )
        )
        self._merge_with_wizard(self.kept, self.other)
        self.env.cr.execute(
            "SELECT partner_id, label FROM extrabat_test_merge_unique ORDER BY id"
        )
        self.assertEqual(
            self.env.cr.fetchall(),
            [(self.kept.id, "a"), (self.other.id, "a"), (self.kept.id, "b")],
        )
        self.assertIn(
            "extrabat_test_merge_unique",
            "".join(self.kept.message_ids.mapped("body")),
        )

    # --- preview ---

    def test_preview(self):
        self._full_fixtures()
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_model="res.partner", active_ids=(self.kept | self.other).ids
            )
            .create({})
        )
        wizard.dst_partner_id = self.kept
        preview = str(wizard.extrabat_preview)
        self.assertIn(self.kept.ref, preview)
        self.assertIn(self.other.ref, preview)
        self.assertIn(self.kept.client_status_id.name, preview)
        self.assertIn("Chaudière gaz", preview)
        self.assertIn("Chez le voisin", preview)
        self.assertLess(preview.index("Dupont Chauffage<"), preview.index("doublon"))
        labels = [label for label, _count in self.kept._extrabat_merge_preview_counts()]
        own = [
            "Orders and quotations",
            "Invoices and credit notes",
            "Attachments",
            "Messages",
            "Contacts",
        ]
        # Other addons extend the hook (extrabat_letters adds "Letters"):
        # this addon's counts are all there, in this order.
        self.assertEqual([label for label in labels if label in own], own)
        counts = dict(self.other._extrabat_merge_preview_counts())
        self.assertEqual(counts["Orders and quotations"], 2)
        self.assertEqual(counts["Invoices and credit notes"], 2)
        self.assertEqual(counts["Attachments"], 3)
        self.assertEqual(counts["Contacts"], 1)
        self.assertGreaterEqual(counts["Messages"], 1)

    def test_preview_escapes_what_users_typed(self):
        """Names and statuses are text: the preview escapes them, and its
        values are plain data (no record reaches the template)."""
        self.other.name = "<img src=x onerror=alert(1)> Dupont"
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_model="res.partner", active_ids=(self.kept | self.other).ids
            )
            .create({})
        )
        wizard.dst_partner_id = self.kept
        preview = str(wizard.extrabat_preview)
        self.assertNotIn("<img", preview)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; Dupont", preview)
        self.assertNotIn("alert-danger", preview)
        values = wizard._extrabat_prepare_preview_values(
            self.kept | self.other, self.kept
        )
        self.assertEqual(
            [(col["name"], col["kept"]) for col in values["columns"]],
            [(self.kept.display_name, True), (self.other.display_name, False)],
        )
        self.assertEqual(
            values["count_labels"],
            [label for label, _c in self.kept._extrabat_merge_preview_counts()],
        )
        self.assertRegex(preview, r'<th class="table-success">\s*Dupont Chauffage<br/>')

    def test_preview_warns_before_a_refused_merge(self):
        self.kept.action_trash()
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_model="res.partner", active_ids=(self.kept | self.other).ids
            )
            .create({})
        )
        wizard.dst_partner_id = self.kept
        self.assertIn("alert-danger", str(wizard.extrabat_preview))

    # --- where users find it ---

    def test_duplicate_finder_shows_the_preview(self):
        """Contacts › Find Duplicates: Odoo's finder groups the duplicates,
        the preview shows them, merging trashes the other one."""
        menu = self.env.ref("extrabat_crm.res_partner_menu_deduplicate")
        self.assertEqual(menu.action, self.env.ref("base.action_partner_deduplicate"))
        twin = self._create_partner("Piscines Martin")
        other_twin = self._create_partner("Piscines Martin")
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"group_by_name": True}
        )
        wizard.action_start_manual_process()
        while wizard.state == "selection" and wizard.partner_ids != twin | other_twin:
            wizard.action_skip()
        self.assertEqual(wizard.partner_ids, twin | other_twin)
        wizard.dst_partner_id = twin
        self.assertIn("Piscines Martin", str(wizard.extrabat_preview))
        wizard.action_merge()
        self.assertEqual(other_twin.extrabat_merged_into_id, twin)
        self.assertTrue(other_twin.is_trashed)

    def test_merge_action_on_partner_lists(self):
        action = self.env.ref("base.action_partner_merge")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        arch = self.env["base.partner.merge.automatic.wizard"].get_view(
            action.view_id.id, "form"
        )["arch"]
        self.assertIn('name="extrabat_preview"', arch)

    def test_automatic_merge_skips_refused_groups(self):
        """ "Merge Automatically" merges what it may and skips the groups it
        must refuse (two companies), instead of stopping."""
        company_b = self.setup_other_company(name="Piscines du Nord")["company"]
        Partner = self.env["res.partner"]
        twin_a = Partner.create(
            {"name": "Zinguerie Robert", "company_id": self.company.id}
        )
        twin_b = Partner.create(
            {"name": "Zinguerie Robert", "company_id": company_b.id}
        )
        same = Partner.create({"name": "Menuiserie Petit"})
        same_bis = Partner.create({"name": "Menuiserie Petit"})
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"group_by_name": True}
        )
        # the automatic process commits after each group: not in a test
        self.patch(self.env.cr, "commit", lambda: None)
        wizard.action_start_automatic_process()
        self.assertFalse((twin_a | twin_b).extrabat_merged_into_id)
        self.assertTrue(twin_a.active and twin_b.active)
        merged = (same | same_bis).filtered("extrabat_merged_into_id")
        self.assertEqual(len(merged), 1)
        self.assertEqual(merged.extrabat_merged_into_id, (same | same_bis) - merged)

    def test_three_records_lose_nothing(self):
        third = self._create_partner("Dupont Chauffage (ancien)")
        self._build_merge_fixture(self.kept, "K", answers=self._answers_kept())
        self._build_merge_fixture(self.other, "O", answers=self._answers_other())
        self._build_merge_fixture(third, "T", answers=self._answers_other())
        snapshot = self._merge_snapshot(self.kept | self.other | third)
        self._merge_with_wizard(self.kept, self.other | third)
        self._assert_merge_lost_nothing(snapshot, self.kept)
        self.assertEqual((self.other | third).extrabat_merged_into_id, self.kept)
        followers = self.merge_document.message_follower_ids.partner_id
        self.assertIn(self.kept, followers)
        self.assertFalse(followers & (self.other | third))

    def test_merging_a_contact_of_a_company(self):
        """Two contacts of a company, one a duplicate: the duplicate leaves
        the company and goes to the trash; the company keeps its code."""
        company = self._create_partner("Piscines Azur", is_company=True)
        self._create_order(company)
        jean = self._create_partner("Jean Azur", parent_id=company.id)
        jean_bis = self._create_partner("Jean Azur", parent_id=company.id)
        self._build_merge_fixture(jean_bis, "J")
        snapshot = self._merge_snapshot(jean | jean_bis)
        self._merge_with_wizard(jean, jean_bis)
        self._assert_merge_lost_nothing(snapshot, jean)
        self.assertFalse(jean_bis.parent_id)
        self.assertTrue(jean_bis.is_trashed)
        self.assertEqual(jean_bis.extrabat_merged_into_id, jean)
        self.assertFalse(jean_bis.ref, "the company's code stays the company's")
        self.assertTrue(company.ref)
        self.assertEqual(jean.ref, company.ref)
        self.assertTrue(company.active and jean.active)

    def test_channel_member_collision_stays(self):
        """Both are members of one channel: Odoo would delete every channel
        membership of the merged one; here only the colliding one stays on
        it (reported), the others move."""
        Channel = self.env["discuss.channel"]
        shared = Channel.create({"name": "Chantier Dupont", "channel_type": "channel"})
        own = Channel.create({"name": "Devis piscine", "channel_type": "channel"})
        shared._add_members(partners=self.kept | self.other)
        own._add_members(partners=self.other)
        collided = shared.channel_member_ids.filtered(
            lambda m: m.partner_id == self.other
        )
        moved = own.channel_member_ids.filtered(lambda m: m.partner_id == self.other)
        self._merge_with_wizard(self.kept, self.other)
        self.assertEqual(collided.partner_id, self.other)
        self.assertEqual(moved.partner_id, self.kept)
        self.assertIn(self.kept, shared.channel_member_ids.partner_id)
        notes = "".join(self.kept.message_ids.mapped("body"))
        self.assertIn("Channel Member (discuss_channel_member.partner_id)", notes)
