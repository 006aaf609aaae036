import base64
import hashlib

from odoo.tests import tagged

from odoo.addons.extrabat_crm.tests.common import ExtrabatCrmCommon
from odoo.addons.extrabat_crm.tests.common_merge import PartnerMergeNoLossMixin

from .common import SIGNATURE_PNG, read_fixture

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIGNED_FIELDS = ["name", "state", "signed_by", "signed_on", "signature", "write_date"]


@tagged("post_install", "-at_install")
class TestLetterMerge(PartnerMergeNoLossMixin, ExtrabatCrmCommon):
    """Merging two clients carries their letters and the letters' files
    over to the kept client; a signed letter stays sealed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_merge_fixture_common()
        cls.letter_template = cls.env["extrabat.letter.template"].create(
            {
                "name": "Relance",
                "kind": "file",
                "template_file": base64.b64encode(
                    read_fixture("demo/courrier_relance_devis.docx")
                ),
                "template_filename": "courrier_relance_devis.docx",
            }
        )

    def _build_merge_fixture(self, partner, tag, answers=None, properties=None):
        docs = super()._build_merge_fixture(
            partner, tag, answers=answers, properties=properties
        )
        docs["letter"] = self.env["extrabat.letter"].create(
            {
                "template_id": self.letter_template.id,
                "partner_id": partner.id,
                "name": f"Relance {tag}",
            }
        )
        docs["letter"].action_regenerate()
        return docs

    def _letter_files(self, letter):
        return letter.document_attachment_id | letter.pdf_attachment_id

    def test_letters_follow_the_kept_client(self):
        kept = self._create_partner("Dupont Chauffage")
        other = self._create_partner("Dupont Chauffage (doublon)")
        kept_docs = self._build_merge_fixture(kept, "K")
        other_docs = self._build_merge_fixture(other, "O")
        # a letter of a contact of the merged client
        contact_letter = self.env["extrabat.letter"].create(
            {
                "template_id": self.letter_template.id,
                "partner_id": other_docs["contact"].id,
                "name": "Relance contact",
            }
        )
        contact_letter.action_regenerate()
        signed = other_docs["letter"]
        signed._sign(base64.b64encode(SIGNATURE_PNG), "Jean Dupont")
        letters = kept_docs["letter"] | signed | contact_letter
        for letter in letters:
            self.assertEqual(letter.pdf_state, "done")
            self.assertEqual(
                self._letter_files(letter).mapped("mimetype"),
                [DOCX, "application/pdf"],
            )
        signed_pdf = signed.pdf_attachment_id
        sha256 = signed.signed_pdf_sha256
        self.assertEqual(signed.state, "signed")
        self.assertEqual(hashlib.sha256(signed_pdf.raw).hexdigest(), sha256)
        self.env.flush_all()
        signed_values = signed.read(SIGNED_FIELDS)[0]
        signed_checksums = self._letter_files(signed).mapped("checksum")

        # the preview counts the letters of each record, after the invoices
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(kept | other).ids)
            .create({})
        )
        wizard.dst_partner_id = kept
        labels = [label for label, _count in kept._extrabat_merge_preview_counts()]
        self.assertEqual(
            labels[labels.index("Invoices and credit notes") + 1], "Letters"
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        labels = [
            label
            for label, _count in kept.with_context(
                lang="fr_FR"
            )._extrabat_merge_preview_counts()
        ]
        self.assertEqual(labels[labels.index("Factures et avoirs") + 1], "Courriers")
        self.assertEqual(dict(kept._extrabat_merge_preview_counts())["Letters"], 1)
        self.assertEqual(dict(other._extrabat_merge_preview_counts())["Letters"], 2)
        self.assertIn("Letters", str(wizard.extrabat_preview))

        snapshot = self._merge_snapshot(kept | other)
        tables = {entry[1] for entry in snapshot if entry != ("properties",)}
        self.assertIn("extrabat_letter", tables)
        self._merge_with_wizard(kept, other)
        self._assert_merge_lost_nothing(snapshot, kept)

        self.assertEqual(kept_docs["letter"].partner_id, kept)
        self.assertEqual(signed.partner_id, kept)
        # a contact's letter stays the contact's, now a contact of kept
        self.assertEqual(contact_letter.partner_id, other_docs["contact"])
        self.assertEqual(contact_letter.partner_id.commercial_partner_id, kept)
        files = (
            self._letter_files(kept_docs["letter"])
            | self._letter_files(signed)
            | self._letter_files(contact_letter)
        )
        self.assertEqual(len(files), 6)
        self.assertEqual(set(files.mapped("res_model")), {"res.partner"})
        self.assertEqual(
            set(files.mapped("res_id")), {kept.id, other_docs["contact"].id}
        )
        self.assertEqual(set(files.mapped("extrabat_folder")), {"courriers"})
        self.assertEqual(files.mapped("extrabat_client_id"), kept)
        self.assertEqual(
            self.env["ir.attachment"].search(
                [
                    ("extrabat_client_id", "in", kept.ids),
                    ("extrabat_folder", "=", "courriers"),
                ]
            ),
            files,
        )
        self.assertEqual(dict(kept._extrabat_merge_preview_counts())["Letters"], 3)
        # the signed letter is untouched: same PDF, same fingerprint
        self.assertEqual(signed.pdf_attachment_id, signed_pdf)
        self.assertEqual(signed.signed_pdf_sha256, sha256)
        self.assertEqual(hashlib.sha256(signed_pdf.raw).hexdigest(), sha256)
        self.assertEqual(
            self._letter_files(signed).mapped("checksum"), signed_checksums
        )
        self.env.invalidate_all()
        self.assertEqual(signed.read(SIGNED_FIELDS)[0], signed_values)
