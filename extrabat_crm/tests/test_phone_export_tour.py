from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPhoneExportTour(HttpCase):
    """Contacts: a number typed as people say it finds the clients, and the
    questions export of 2 of them exports those 2 (not the filter)."""

    tour = "extrabat_crm_phone_export_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        for name, phone in (
            ("Tour Export A", "+33 6 12 45 78 90"),
            ("Tour Export B", "0612457890"),
            ("Tour Export C", "0033 6 12 45 78 90"),
            ("Tour Other", "+33 6 99 99 99 99"),
        ):
            Partner.create({"name": name, "phone": phone})

    def test_select_two_clients_found_by_phone_and_export_them(self):
        self.start_tour(
            "/odoo/contacts?view_type=list", self.tour, login="admin", timeout=120
        )


@tagged("post_install", "-at_install")
class TestPhoneExportMobileTour(TestPhoneExportTour):
    """The same on a phone (390×844, touch: a long press selects a row)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
    tour = "extrabat_crm_phone_export_mobile_tour"
