"""A letter is signed once, even when two signatures arrive at the same time
(two tablets, or the tablet and the portal): real concurrent transactions
on committed data."""

import base64
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

from odoo.addons.extrabat_crm.tests.concurrency import ConcurrencyMixin
from odoo.addons.extrabat_letters.models import extrabat_letter
from odoo.addons.extrabat_letters.models.extrabat_letter import (
    SERVER_WRITE,
    SERVER_WRITE_KEY,
)

from .flow_common import b64, docx_bytes, signature_png


@tagged("post_install", "-at_install")
class TestLetterSignConcurrency(ConcurrencyMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            template = env["extrabat.letter.template"].create(
                {
                    "name": "Signature concurrente",
                    "kind": "file",
                    "template_file": base64.b64encode(
                        docx_bytes(
                            "[data.nom_prenom_client]", "[data.signature_client]"
                        )
                    ),
                    "template_filename": "concurrence.docx",
                }
            )
            partner = env["res.partner"].create({"name": "Client Concurrent"})
            letter = env["extrabat.letter"].create(
                {"partner_id": partner.id, "template_id": template.id}
            )
            letter.action_regenerate()
            self.template_id, self.partner_id, self.letter_id = (
                template.id,
                partner.id,
                letter.id,
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            # A signed letter and its files are sealed: removed behind the
            # ORM's back, as only a test cleanup may.
            letter = env["extrabat.letter"].browse(self.letter_id)
            files = letter._get_own_attachments()
            env["mail.message"].search(
                [("model", "=", "extrabat.letter"), ("res_id", "=", letter.id)]
            ).unlink()
            env.cr.execute(SQL("DELETE FROM extrabat_letter WHERE id = %s", letter.id))
            files.with_context(**{SERVER_WRITE_KEY: SERVER_WRITE}).unlink()
            env["extrabat.letter.template"].browse(self.template_id).unlink()
            env["res.partner"].browse(self.partner_id)._unlink_bypassing_trash()

    def test_two_signatures_at_once_sign_once(self):
        generations = []
        real_generate = extrabat_letter.ExtrabatLetter._generate_files

        def spy(letters, *args, **kwargs):
            generations.append(letters.ids)
            return real_generate(letters, *args, **kwargs)

        def sign_as(name):
            def job(env):
                env["extrabat.letter"].browse(self.letter_id)._sign(
                    b64(signature_png()), name
                )

            return job

        # The loser's row lock ends in a serialization failure (logged by
        # odoo.sql_db), retried as Odoo retries every request.
        with (
            patch.object(extrabat_letter.ExtrabatLetter, "_generate_files", spy),
            mute_logger("odoo.sql_db"),
        ):
            result = self.run_concurrently(sign_as("Paul"), sign_as("Marie"))

        self.assertTrue(result["waited"], "the second signature waited for the lock")
        self.assertEqual(len(result["errors"]), 1, result)
        self.assertIsInstance(result["errors"][0], UserError)
        self.assertIn("already signed", str(result["errors"][0]))
        # LibreOffice ran once: the loser stopped before generating.
        self.assertEqual(generations, [[self.letter_id]])
        with self.committed_env() as env:
            letter = env["extrabat.letter"].browse(self.letter_id)
            self.assertIn(letter.signed_by, ("Paul", "Marie"))
            notes = letter.message_ids.filtered(lambda m: "signed by" in (m.body or ""))
            self.assertEqual(len(notes), 1)
