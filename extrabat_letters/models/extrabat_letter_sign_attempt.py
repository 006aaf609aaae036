from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

#: Signature attempts allowed per letter, then per client address, per window.
MAX_ATTEMPTS_PER_LETTER = 10
MAX_ATTEMPTS_PER_IP = 30
ATTEMPT_WINDOW = timedelta(hours=1)


class ExtrabatLetterSignAttempt(models.Model):
    """Signature attempts on the portal (no login), to rate-limit them.

    Stored in the database so that the limit holds across HTTP workers;
    kept one day (autovacuum). Only the portal controller writes here, as
    superuser.
    """

    _name = "extrabat.letter.sign.attempt"
    _description = "Letter signature attempt"
    _order = "id desc"
    _log_access = False

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # An integer, not a many2one: attempts on ids that do not exist count too.
    letter_ref = fields.Integer(string="Letter id", required=True, index=True)
    ip = fields.Char(string="IP address", index=True)
    attempted_on = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _register_attempt(self, letter_ref, ip):
        """Count one more attempt, unless the limit is reached.

        :return: True when the attempt may go on, False when it is refused
        """
        since = fields.Datetime.now() - ATTEMPT_WINDOW
        recent = Domain("attempted_on", ">=", since)
        per_letter = self.search_count(recent & Domain("letter_ref", "=", letter_ref))
        per_ip = self.search_count(recent & Domain("ip", "=", ip)) if ip else 0
        if per_letter >= MAX_ATTEMPTS_PER_LETTER or per_ip >= MAX_ATTEMPTS_PER_IP:
            return False
        self.create({"letter_ref": letter_ref, "ip": ip})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        self.search(
            [("attempted_on", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
