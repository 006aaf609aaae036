from odoo import api, fields, models
from odoo.exceptions import UserError


class ExtrabatGdprLog(models.Model):
    """The lasting record of one GDPR anonymisation: which partner (its id
    only: the record keeps no personal data), when, by whom, during which
    run of the scheduled action, and how much was erased.

    Written by the server only (no create/write/unlink right for anyone),
    read by the Extrabat managers, never changed nor deleted.
    """

    _name = "extrabat.gdpr.log"
    _description = "GDPR Anonymisation Record"
    _order = "anonymized_date desc, id desc"
    _rec_name = "partner_ref"

    # === FIELDS ===
    # An id, not a link: the partner's name is precisely what was erased.
    partner_ref = fields.Integer(
        string="Partner ID",
        required=True,
        readonly=True,
        index=True,
        help="Id of the anonymised client (res.partner); its contacts were "
        "anonymised with it.",
    )
    anonymized_date = fields.Datetime(
        string="Anonymised on", required=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Run by",
        readonly=True,
        ondelete="restrict",
        help="The user the anonymisation ran as (the scheduled action's user "
        "for an automatic run).",
    )
    cron_run = fields.Char(
        string="Scheduled Run",
        readonly=True,
        help="The run of the scheduled action that anonymised the client "
        "(empty when not run by the scheduler).",
    )
    partner_count = fields.Integer(
        string="Partners", readonly=True, help="The client and its contacts."
    )
    message_count = fields.Integer(string="Messages Erased", readonly=True)
    attachment_count = fields.Integer(string="Attachments Erased", readonly=True)

    # === CRUD ===
    def write(self, vals):
        if vals:
            self.check_access("write")
            raise UserError(
                self.env._("A GDPR anonymisation record cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A GDPR anonymisation record cannot be deleted."))

    # === BUSINESS ===
    @api.model
    def _record(self, partner, counts, cron_run=False):
        """Write the record of the anonymisation of ``partner``.

        :param counts: ``{field name: count}`` of this model's ``*_count``
            fields (unknown keys are ignored, so that addons may count more)
        :return: extrabat.gdpr.log
        """
        vals = {
            "partner_ref": partner.id,
            "anonymized_date": fields.Datetime.now(),
            "user_id": self.env.uid,
            "cron_run": cron_run or False,
        }
        vals.update(
            {fname: count for fname, count in counts.items() if fname in self._fields}
        )
        return self.sudo().create(vals)
