from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrashTour(HttpCase):
    def test_trash_then_find_in_the_trash_then_restore(self):
        client_status = self.env.ref("extrabat_crm.client_status_client")
        partner = self.env["res.partner"].create(
            {"name": "Tour Dupont", "client_status_id": client_status.id}
        )
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": partner.id}
        )
        self.start_tour(
            f"/odoo/contacts/{partner.id}", "extrabat_crm_trash_tour", login="admin"
        )
        self.assertFalse(partner.is_trashed)
        self.assertTrue(partner.active and contact.active)
        self.assertEqual(partner.client_status_id, client_status)
        self.assertFalse(partner.trash_date)
        tracked = partner.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "client_status_id"
        )
        self.assertEqual(len(tracked), 2, "trashed then restored, by the tour")
