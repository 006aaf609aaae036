from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.extrabat_crm.models.res_partner import (
    PARTNER_UNLINK_ALLOWED,
    PARTNER_UNLINK_CONTEXT_KEY,
)

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestTrash(ExtrabatCrmCommon):
    """Trash and restore: archived with the contacts, exactly restored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls._create_partner(
            "Chauffage Martin SARL",
            is_company=True,
            client_status_id=cls.status_works.id,
        )
        cls.buyer = cls._create_partner("Luc Martin", parent_id=cls.client.id)
        cls.site = cls._create_partner(
            "Chantier Villeurbanne", parent_id=cls.client.id, type="delivery"
        )
        cls.former = cls._create_partner("Ancien comptable", parent_id=cls.client.id)
        cls.former.action_archive()

    def _search_names(self, name, env=None):
        env = env or self.env
        return env["res.partner"].search([("name", "ilike", name)])

    @freeze_time("2026-03-02 10:00:00")
    def test_trash_archives_the_client_and_its_contacts(self):
        self.client.with_user(self.salesman).action_trash()
        self.assertTrue(self.client.is_trashed)
        self.assertEqual(self.client.client_status_id, self.status_trash)
        self.assertFalse((self.client | self.buyer | self.site).filtered("active"))
        self.assertEqual(str(self.client.trash_date), "2026-03-02 10:00:00")
        self.assertEqual(self.client.trash_user_id, self.salesman)
        self.assertEqual(self.client.trash_previous_status_id, self.status_works)
        self.assertFalse(self._search_names("Martin"))

    def test_trashed_partners_vanish_from_dropdowns(self):
        self.client.action_trash()
        found = self.env["res.partner"].name_search("Martin")
        self.assertFalse(found)

    def test_restore_brings_back_the_exact_previous_state(self):
        self.client.action_trash()
        self.client.with_user(self.salesman).action_restore()
        self.assertFalse(self.client.is_trashed)
        self.assertEqual(self.client.client_status_id, self.status_works)
        self.assertTrue(self.client.active and self.buyer.active and self.site.active)
        self.assertFalse(self.former.active, "archived before: stays archived")
        self.assertFalse(self.client.trash_date or self.client.trash_user_id)
        self.assertEqual(self.buyer.client_status_id, self.status_works)

    def test_a_client_archived_before_the_trash_stays_archived(self):
        prospect = self._create_partner("Prospect endormi")
        prospect.action_archive()
        prospect.action_trash()
        prospect.action_restore()
        self.assertFalse(prospect.active)
        self.assertFalse(prospect.is_trashed)

    def test_a_partner_created_in_the_trash_is_archived(self):
        """E.g. a trashed client imported from Extrabat."""
        partner = self._create_partner("Importé", client_status_id=self.status_trash.id)
        self.assertFalse(partner.active)
        self.assertTrue(partner.trash_date)
        partner.action_restore()
        self.assertTrue(partner.active)
        self.assertEqual(partner.client_status_id, self.status_prospect)

    def test_choosing_the_trash_status_trashes(self):
        """Extrabat's way: set the status to Corbeille."""
        self.client.client_status_id = self.status_trash
        self.assertFalse(self.buyer.active)
        self.assertEqual(self.client.trash_previous_status_id, self.status_works)

    def test_choosing_another_status_restores_with_it(self):
        self.client.action_trash()
        self.client.client_status_id = self.status_client
        self.assertTrue(self.client.active and self.buyer.active)
        self.assertEqual(self.client.client_status_id, self.status_client)
        self.assertFalse(self.client.trash_date)

    def test_unarchiving_a_trashed_client_restores_it(self):
        self.client.action_trash()
        self.client.action_unarchive()
        self.assertFalse(self.client.is_trashed)
        self.assertEqual(self.client.client_status_id, self.status_works)
        self.assertTrue(self.buyer.active)

    def test_unarchiving_a_contact_of_a_trashed_client_is_refused(self):
        self.client.action_trash()
        for unarchive in (
            lambda: self.buyer.action_unarchive(),
            lambda: self.buyer.write({"active": True}),
            lambda: self.buyer.with_user(self.salesman).action_unarchive(),
        ):
            with self.assertRaisesRegex(UserError, "Restore the company"):
                unarchive()
        self.assertFalse(self.buyer.active)
        self.assertTrue(self.client.is_trashed)

    def test_unarchiving_a_contact_of_a_trashed_client_says_so_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["extrabat_crm"], ["fr_FR"])
        self.client.action_trash()
        with self.assertRaisesRegex(UserError, "Restaurez plutôt la société"):
            self.buyer.with_context(lang="fr_FR").action_unarchive()

    def test_unarchiving_a_contact_with_its_trashed_client_restores_both(self):
        self.client.action_trash()
        (self.client | self.buyer).action_unarchive()
        self.assertFalse(self.client.is_trashed)
        self.assertTrue(self.buyer.active)

    def test_unarchiving_a_contact_of_an_active_client_still_works(self):
        self.former.action_unarchive()
        self.assertTrue(self.former.active)

    def test_restore_falls_back_when_the_previous_status_is_gone(self):
        self.client.action_trash()
        self.status_works.active = False
        self.client.action_restore()
        self.assertEqual(self.client.client_status_id, self.status_prospect)

    def test_the_trash_lists_trashed_clients_only(self):
        archived = self._create_partner("Archivé, pas à la corbeille")
        archived.action_archive()
        self.client.action_trash()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.res_partner_action_trash"
        )
        # Among this test's partners: other trashed clients may exist.
        ours = self.client | self.buyer | self.site | self.former | archived
        trashed = (
            self.env["res.partner"]
            .with_context(**safe_eval(action["context"]))
            .search([*safe_eval(action["domain"]), ("id", "in", ours.ids)])
        )
        self.assertEqual(trashed, self.client, "not its contacts")

    def test_the_trash_list_is_searchable_by_code(self):
        self.client.ref = "C04242"
        self.client.action_trash()
        found = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("is_trashed", "=", True), ("ref", "ilike", "04242")])
        )
        self.assertIn(self.client, found)

    def test_a_contact_cannot_be_trashed_alone(self):
        with self.assertRaisesRegex(UserError, "contact of"):
            self.buyer.action_trash()
        with self.assertRaisesRegex(UserError, "contact of"):
            self.buyer.client_status_id = self.status_trash

    def test_the_company_address_cannot_be_trashed(self):
        with self.assertRaisesRegex(UserError, "your company"):
            self.company.partner_id.action_trash()

    def test_a_user_partner_cannot_be_trashed(self):
        with self.assertRaisesRegex(UserError, "user"):
            self.salesman.partner_id.action_trash()

    def test_a_user_without_contact_rights_cannot_trash(self):
        reader = new_test_user(
            self.env,
            login="extrabat_reader",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.client.with_user(reader).action_trash()
        self.assertFalse(self.client.is_trashed)

    def test_trash_and_restore_leave_a_trace_in_the_chatter(self):
        # As in the UI: the client was created in an earlier transaction.
        self.env.cr.precommit.run()
        client = self.client.with_context(tracking_disable=False, mail_notrack=False)
        client.action_trash()
        self.env.cr.precommit.run()  # tracking is written before the commit
        client.action_restore()
        self.env.cr.precommit.run()
        values = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", self.client.id),
                    ("field_id.name", "=", "client_status_id"),
                ]
            )
        )
        self.assertGreaterEqual(len(values), 2)


@tagged("post_install", "-at_install")
class TestTrashDocuments(ExtrabatCrmCommon):
    """A trashed client gets no new document; its documents stay intact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls._create_partner("Dupont")
        cls.order = cls._create_order(cls.client)
        cls.quote = cls._create_quote(cls.client)
        cls.invoice = cls._create_invoice(cls.client, post=True)
        cls.draft_invoice = cls._create_invoice(cls.client)
        cls.client.action_trash()

    def test_no_new_quote(self):
        with self.assertRaisesRegex(ValidationError, "Dupont.*trash"):
            self._create_quote(self.client)

    def test_no_new_quote_for_a_salesperson_through_rpc_create(self):
        with self.assertRaisesRegex(ValidationError, "trash"):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.client.id}
            )

    def test_no_trashed_partner_on_an_existing_quote(self):
        other_quote = self._create_quote(self._create_partner("Durand"))
        with self.assertRaisesRegex(ValidationError, "trash"):
            other_quote.write({"partner_id": self.client.id})

    def test_no_new_invoice(self):
        with self.assertRaisesRegex(ValidationError, "trash"):
            self._create_invoice(self.client)

    def test_no_new_vendor_bill(self):
        with self.assertRaisesRegex(ValidationError, "trash"):
            self._create_invoice(self.client, move_type="in_invoice")

    def test_a_quote_in_progress_cannot_be_confirmed(self):
        with self.assertRaisesRegex(UserError, "trash"):
            self.quote.action_confirm()
        self.assertEqual(self.quote.state, "draft")

    def test_an_invoice_in_progress_cannot_be_posted(self):
        with self.assertRaisesRegex(UserError, "trash"):
            self.draft_invoice.action_post()
        self.assertEqual(self.draft_invoice.state, "draft")

    def test_existing_documents_stay_intact_and_readable(self):
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.order.with_user(self.salesman).partner_id.name, "Dupont")
        self.assertEqual(self.invoice.state, "posted")
        self.assertEqual(self.invoice.partner_id, self.client)
        self.assertEqual(self.quote.state, "draft")

    def test_after_restore_documents_can_be_made_again(self):
        self.client.action_restore()
        self.quote.action_confirm()
        self.draft_invoice.action_post()
        self.assertEqual(self.quote.state, "sale")
        self.assertEqual(self.draft_invoice.state, "posted")


@tagged("post_install", "-at_install")
class TestTrashTwoCompanies(ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Piscines du Rhône")["company"]
        cls.salesman_b = new_test_user(
            cls.env,
            login="extrabat_trash_salesman_b",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.client_b = cls._create_partner("Client B", company_id=cls.company_b.id)

    def test_a_salesperson_trashes_and_restores_in_their_company(self):
        self.client_b.with_user(self.salesman_b).action_trash()
        self.assertTrue(self.client_b.is_trashed)
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.salesman_b)
            .search([("name", "=", "Client B")])
        )
        self.client_b.with_user(self.salesman_b).action_restore()
        self.assertTrue(self.client_b.active)

    def test_a_salesperson_cannot_trash_another_company_client(self):
        with self.assertRaises(AccessError):
            self.client_b.with_user(self.salesman).action_trash()


@tagged("post_install", "-at_install")
class TestNeverDeleted(ExtrabatCrmCommon):
    """Deletion is refused to everyone; internal flows use an explicit path."""

    def test_admin_cannot_delete(self):
        partner = self._create_partner()
        with self.assertRaisesRegex(UserError, "never deleted"):
            partner.unlink()
        self.assertTrue(partner.exists())

    def test_superuser_cannot_delete_either(self):
        partner = self._create_partner()
        with self.assertRaisesRegex(UserError, "never deleted"):
            partner.sudo().unlink()

    def test_salesperson_cannot_delete(self):
        partner = self._create_partner()
        self.assertTrue(
            self.env["res.partner"].with_user(self.salesman).has_access("unlink")
        )
        with self.assertRaisesRegex(UserError, "never deleted"):
            partner.with_user(self.salesman).unlink()

    def test_a_context_flag_from_a_client_does_not_unlock_deletion(self):
        """What an RPC call could send (JSON: True, a string...) is refused."""
        partner = self._create_partner()
        for value in (True, 1, "1", "PARTNER_UNLINK_ALLOWED"):
            with self.assertRaisesRegex(UserError, "never deleted"):
                partner.with_context(**{PARTNER_UNLINK_CONTEXT_KEY: value}).unlink()

    def test_the_explicit_internal_path_deletes(self):
        partner = self._create_partner()
        partner._unlink_bypassing_trash()
        self.assertFalse(partner.exists())
        other = self._create_partner()
        other.with_context(
            **{PARTNER_UNLINK_CONTEXT_KEY: PARTNER_UNLINK_ALLOWED}
        ).unlink()
        self.assertFalse(other.exists())

    def test_odoo_merge_wizard_still_merges(self):
        kept = self._create_partner("Dupont", email="dupont@example.com", ref="C09001")
        merged = self._create_partner("Dupont bis", email="dupont@example.com")
        order = self._create_order(merged)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | merged).ids, kept)
        # not deleted: in the trash, merged into the kept partner
        self.assertTrue(merged.exists())
        self.assertTrue(merged.is_trashed)
        self.assertEqual(merged.extrabat_merged_into_id, kept)
        self.assertEqual(order.partner_id, kept)
        self.assertEqual(kept.ref, "C09001")

    def test_merge_moves_the_code_to_a_kept_partner_without_one(self):
        kept = self._create_partner("Dupont", email="dupont@example.com")
        merged = self._create_partner(
            "Dupont bis", email="dupont@example.com", ref="C09002"
        )
        self.env["base.partner.merge.automatic.wizard"].create({})._merge(
            (kept | merged).ids, kept
        )
        self.assertEqual(kept.ref, "C09002")

    def test_merge_does_not_trash_the_kept_partner(self):
        kept = self._create_partner("Dupont", email="dupont@example.com")
        merged = self._create_partner("Dupont bis", email="dupont@example.com")
        merged.action_trash()
        self.env["base.partner.merge.automatic.wizard"].create({})._merge(
            (kept | merged).ids, kept
        )
        self.assertFalse(kept.is_trashed)
        self.assertFalse(kept.trash_date)
        self.assertFalse(kept.archived_by_trash)


@tagged("post_install", "-at_install")
class TestClientStatuses(ExtrabatCrmCommon):
    def test_a_new_partner_starts_as_prospect(self):
        self.assertEqual(self._create_partner().client_status_id, self.status_prospect)

    def test_contacts_show_their_company_status(self):
        company = self._create_partner("Martin SARL", is_company=True)
        contact = self._create_partner("Luc", parent_id=company.id)
        company.client_status_id = self.status_works
        self.assertEqual(contact.client_status_id, self.status_works)

    def test_the_trash_status_cannot_be_deleted_or_archived(self):
        with self.assertRaises(UserError):
            self.status_trash.unlink()
        with self.assertRaises(UserError):
            self.status_trash.active = False

    def test_a_status_in_use_cannot_be_deleted(self):
        self._create_partner(client_status_id=self.status_works.id)
        with self.assertRaisesRegex(UserError, "archive"):
            self.status_works.unlink()

    def test_an_unused_status_can_be_deleted(self):
        status = self.env["extrabat.client.status"].create({"name": "Ancien client"})
        status.unlink()
        self.assertFalse(status.exists())

    def test_only_one_client_status(self):
        with self.assertRaisesRegex(ValidationError, "Only one status"):
            self.env["extrabat.client.status"].create(
                {"name": "Deuxième client", "is_client": True}
            )

    def test_salespeople_read_statuses_managers_edit_them(self):
        Status = self.env["extrabat.client.status"]
        self.assertTrue(Status.with_user(self.salesman).has_access("read"))
        self.assertFalse(Status.with_user(self.salesman).has_access("write"))
        manager = new_test_user(
            self.env,
            login="extrabat_manager",
            groups="extrabat_crm.extrabat_crm_group_manager",
        )
        Status.with_user(manager).create({"name": "Ancien client"})

    def test_group_by_status_shows_every_status(self):
        self._create_partner("A")
        groups = (
            self.env["res.partner"]
            .with_context(read_group_expand=True)
            .formatted_read_group(
                [("name", "=", "A")], ["client_status_id"], ["__count"]
            )
        )
        statuses = [group["client_status_id"][0] for group in groups]
        self.assertIn(self.status_prospect.id, statuses)
        self.assertIn(self.status_trash.id, statuses, "empty columns shown too")
