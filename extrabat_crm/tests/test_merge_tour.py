from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMergeTour(HttpCase):
    def test_merge_from_the_contact_list(self):
        Partner = self.env["res.partner"]
        kept = Partner.create({"name": "Tour Martin", "ref": "C77001"})
        other = Partner.create({"name": "Tour Martin (doublon)", "ref": "C77002"})
        attachment = self.env["ir.attachment"].create(
            {"name": "Plan.pdf", "res_model": "res.partner", "res_id": other.id}
        )
        self.start_tour(
            "/odoo/contacts?view_type=list", "extrabat_crm_merge_tour", login="admin"
        )
        self.assertEqual(other.extrabat_merged_into_id, kept)
        self.assertTrue(other.is_trashed)
        self.assertEqual(kept.ref, "C77001")
        self.assertEqual(attachment.res_id, kept.id)
