import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ExtrabatLetterBatch(models.Model):
    """The letters whose PDFs one user asked for at once (the *Generate a
    letter* action on many clients, or regenerating many letters), made in
    the background by jobs of the ``root.extrabat.pdf`` channel.

    The counts come from the letters themselves (``pdf_state``): they are
    always true, whatever job or retry made the PDFs. When none is left, the
    user who launched the batch is notified once (message in the batch's
    chatter addressed to them, and a notification in their browser).
    """

    _name = "extrabat.letter.batch"
    _description = "Batch of letters"
    _inherit = ("mail.thread",)
    _order = "id desc"
    _check_company_auto = True

    # === FIELDS ===
    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Launched by",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    letter_ids = fields.One2many(
        "extrabat.letter", "batch_id", string="Letters", readonly=True
    )
    state = fields.Selection(
        [("running", "In progress"), ("done", "Finished")],
        string="Status",
        required=True,
        default="running",
        readonly=True,
        tracking=True,
    )
    date_done = fields.Datetime(string="Finished on", readonly=True)
    letter_count = fields.Integer(string="Letter count", compute="_compute_counts")
    done_count = fields.Integer(string="PDFs ready", compute="_compute_counts")
    error_count = fields.Integer(string="PDFs failed", compute="_compute_counts")
    pending_count = fields.Integer(string="PDFs left", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts", help="Percentage done.")

    # === COMPUTE ===
    @api.depends("letter_ids.pdf_state")
    def _compute_counts(self):
        counts = {}
        if self.ids:
            groups = (
                self.env["extrabat.letter"]
                .sudo()
                ._read_group(
                    [("batch_id", "in", self.ids)],
                    ["batch_id", "pdf_state"],
                    ["__count"],
                )
            )
            for batch, pdf_state, count in groups:
                counts.setdefault(batch.id, {})[pdf_state] = count
        for batch in self:
            by_state = counts.get(batch._origin.id, {})
            batch.letter_count = sum(by_state.values())
            batch.done_count = by_state.get("done", 0)
            batch.error_count = by_state.get("error", 0)
            batch.pending_count = by_state.get("pending", 0)
            finished = batch.letter_count - batch.pending_count
            batch.progress = (
                100.0 * finished / batch.letter_count if batch.letter_count else 100.0
            )

    # === ACTIONS ===
    def action_open_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.extrabat_letter_action"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # === BUSINESS ===
    @api.model
    def _create_for(self, letters):
        """A running batch for ``letters`` (which must be saved), launched by
        the current user.

        :return: the new batch (superuser: the users read it, only the
            server writes it)
        """
        template = letters.template_id[:1]
        batch = self.sudo().create(
            {
                "name": self.env._(
                    "%(template)s, %(count)s letters",
                    template=template.name or self.env._("Letters"),
                    count=len(letters),
                ),
                "user_id": self.env.user.id,
                "company_id": letters.company_id[:1].id or self.env.company.id,
            }
        )
        letters.sudo()._write_server({"batch_id": batch.id})
        return batch

    def _notify_when_finished(self):
        """Check the batches again once the current transaction is committed
        (then it sees every job's committed work: a check inside the
        transaction could not see the jobs running beside it)."""
        if not self:
            return
        batch_ids = self.ids
        registry = self.env.registry

        @self.env.cr.postcommit.add
        def check():
            with registry.cursor() as cr:
                env = api.Environment(cr, self.env.uid, {})
                env[self._name].browse(batch_ids)._check_finished()

    def _check_finished(self):
        """Close the running batches without a pending letter left and
        notify their user, exactly once: a batch is closed by one
        transaction only (row locked, state rechecked).

        :return: the batches closed now
        """
        closed = self.browse()
        for batch in self.sudo():
            if batch.state != "running" or batch.pending_count:
                continue
            try:
                with self.env.cr.savepoint():
                    self.env.cr.execute(
                        SQL(
                            "UPDATE extrabat_letter_batch"
                            " SET state = 'done', date_done = now() at time zone 'UTC'"
                            " WHERE id IN (SELECT id FROM extrabat_letter_batch"
                            "  WHERE id = %s AND state = 'running'"
                            "  FOR NO KEY UPDATE SKIP LOCKED) RETURNING id",
                            batch.id,
                        ),
                        log_exceptions=False,
                    )
                    won = bool(self.env.cr.fetchone())
            except (
                psycopg2.errors.SerializationFailure,
                psycopg2.errors.LockNotAvailable,
            ):
                won = False  # another transaction is closing it
            if not won:
                continue
            batch.invalidate_recordset(["state", "date_done"])
            batch._post_finished()
            closed |= batch
        return closed

    def _post_finished(self):
        """Tell the user who launched the batch that it is over (hook)."""
        self.ensure_one()
        if self.error_count:
            body = self.env._(
                "%(done)s of %(total)s PDFs are ready; %(failed)s could not be "
                "made (see the letters marked Failed).",
                done=self.done_count,
                total=self.letter_count,
                failed=self.error_count,
            )
        else:
            body = self.env._("The %(total)s PDFs are ready.", total=self.letter_count)
        self.message_post(
            body=body,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": "warning" if self.error_count else "success",
                "title": self.name,
                "message": body,
            },
        )
        _logger.info(
            "Letter batch %s finished: %s done, %s failed",
            self.id,
            self.done_count,
            self.error_count,
        )
