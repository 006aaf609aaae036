from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTrashUi(TransactionCase):
    """What the web client gets for the trash: the confirmation of a
    restore, a card view for phones, no Delete where the server refuses it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="extrabat_trash_ui_salesman",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        Partner = cls.env["res.partner"]
        status = cls.env.ref("extrabat_crm.client_status_client")
        cls.dupont = Partner.create(
            {"name": "Chauffage Dupont", "client_status_id": status.id}
        )
        cls.martin = Partner.create(
            {"name": "Piscines Martin", "client_status_id": status.id}
        )

    def _arch(self, view_type, action=None):
        views = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .get_views([(action.get(view_type) if action else False, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    # --- the confirmation of a restore ---

    def test_restore_says_which_client_is_restored(self):
        self.dupont.action_trash()
        action = self.dupont.with_user(self.salesman).action_restore()
        self.assertFalse(self.dupont.is_trashed)
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("Chauffage Dupont", params["message"])
        # Then the view reloads: the client leaves the trash list.
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})

    def test_restoring_several_clients_counts_them(self):
        (self.dupont | self.martin).action_trash()
        action = (self.dupont | self.martin).action_restore()
        self.assertIn("2", action["params"]["message"])
        self.assertFalse((self.dupont | self.martin).filtered("is_trashed"))

    def test_restoring_a_client_not_in_the_trash_confirms_nothing(self):
        self.assertIs(self.dupont.action_restore(), True)

    # --- the trash on a phone ---

    def test_a_phone_opens_the_trash_as_cards_with_restore(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.res_partner_action_trash"
        )
        self.assertEqual(action["view_mode"].split(","), ["list", "kanban", "form"])
        self.assertEqual(action["mobile_view_mode"], "kanban")
        views = {view_type: view_id for view_id, view_type in action["views"]}
        kanban = self._arch("kanban", views)
        self.assertEqual(kanban.get("js_class"), "extrabat_trash_kanban")
        self.assertTrue(kanban.xpath("//button[@name='action_restore']"))
        trash_list = self._arch("list", views)
        self.assertEqual(trash_list.get("js_class"), "extrabat_trash_list")

    # --- no Delete where the server refuses it ---

    def test_partner_views_offer_no_delete(self):
        for view_type in ("list", "kanban", "form"):
            with self.subTest(view_type=view_type):
                self.assertEqual(self._arch(view_type).get("delete"), "0")
        contacts = self._arch("form").xpath("//field[@name='child_ids']/kanban")
        self.assertEqual(contacts[0].get("delete"), "0")

    def test_the_server_still_refuses_the_deletion(self):
        with self.assertRaises(UserError):
            self.dupont.with_user(self.salesman).unlink()

    def test_the_status_bar_confirms_the_trash(self):
        statusbar = self._arch("form").xpath("//field[@name='client_status_id']")
        self.assertEqual(statusbar[0].get("widget"), "extrabat_client_status_statusbar")
