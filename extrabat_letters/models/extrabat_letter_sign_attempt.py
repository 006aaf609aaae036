from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

#: Signature attempts allowed per letter with its right token (only the
#: holder of the link can use them up), and wrong tokens per client address,
#: per window.
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

    # === FIELDS ===

    # An integer, not a many2one: attempts on ids that do not exist are kept.
    letter_ref = fields.Integer(string="Letter id", required=True, index=True)
    token_ok = fields.Boolean(
        string="Right token",
        help="Attempts with the letter's token count against the letter; "
        "wrong tokens count against the client address only (a stranger "
        "cannot block the signing of a letter).",
    )
    ip = fields.Char(string="IP address", index=True)
    attempted_on = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True
    )

    # === BUSINESS ===

    @api.model
    def _recent_domain(self):
        return Domain("attempted_on", ">=", fields.Datetime.now() - ATTEMPT_WINDOW)

    @api.model
    def _is_ip_blocked(self, ip):
        """Whether the address sent too many wrong tokens lately."""
        if not ip:
            return False
        failures = self.search_count(
            self._recent_domain()
            & Domain("ip", "=", ip)
            & Domain("token_ok", "=", False),
            limit=MAX_ATTEMPTS_PER_IP,
        )
        return failures >= MAX_ATTEMPTS_PER_IP

    @api.model
    def _register_wrong_token(self, letter_ref, ip):
        """Count a wrong token (or unknown letter), against ``ip`` only."""
        self.create({"letter_ref": letter_ref, "ip": ip, "token_ok": False})

    @api.model
    def _register_attempt(self, letter_ref, ip):
        """Count one more attempt with the letter's right token, unless the
        letter's limit is reached.

        :return: True when the attempt may go on, False when it is refused
        """
        per_letter = self.search_count(
            self._recent_domain()
            & Domain("letter_ref", "=", letter_ref)
            & Domain("token_ok", "=", True),
            limit=MAX_ATTEMPTS_PER_LETTER,
        )
        if per_letter >= MAX_ATTEMPTS_PER_LETTER:
            return False
        self.create({"letter_ref": letter_ref, "ip": ip, "token_ok": True})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        self.search(
            [("attempted_on", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
