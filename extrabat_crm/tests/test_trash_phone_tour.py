from odoo.fields import Domain
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrashPhoneTour(HttpCase):
    """The trash on a computer (1440×900): statusbar confirmation, no
    Delete, ribbon beside the banner, Restore confirmed, empty-state wording
    (extrabat_crm_trash_phone_tour.js)."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(active_test=False)
        cls.client_status = cls.env.ref("extrabat_crm.client_status_client")
        # The tour ends on an empty trash: only its two clients in it.
        Partner.search(
            Domain("is_trashed", "=", True)
            & (Domain("is_company", "=", True) | Domain("parent_id", "=", False))
        ).action_restore()
        cls.dupont = Partner.create(
            {"name": "Tour Dupont", "client_status_id": cls.client_status.id}
        )
        cls.kept = Partner.create(
            {"name": "Tour Kept", "client_status_id": cls.client_status.id}
        )
        cls.kept.action_trash()

    def test_trash_from_the_statusbar_then_restore(self):
        self.start_tour(
            f"/odoo/trash/{self.dupont.id}",
            "extrabat_crm_trash_phone_tour",
            login="admin",
            timeout=180,
        )
        for partner in self.dupont | self.kept:
            self.assertFalse(partner.is_trashed, partner.name)
            self.assertTrue(partner.active, partner.name)
            self.assertEqual(partner.client_status_id, self.client_status)
        tracked = self.dupont.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "client_status_id"
        )
        self.assertEqual(len(tracked), 2, "trashed once (after a cancel), restored")


@tagged("post_install", "-at_install")
class TestTrashPhoneTourMobile(TestTrashPhoneTour):
    """The same on a phone (390×844, touch): the trash is a list of cards."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
