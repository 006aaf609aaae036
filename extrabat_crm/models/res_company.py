from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from extrabat_core.client_codes import (
    MODE_NAME,
    MODE_SEQUENCE,
    CodeFormat,
    CodeFormatError,
)

CLIENT_CODE_SEQUENCE_CODE = "extrabat_crm.client_code"


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS ===

    client_code_auto = fields.Boolean(
        string="Automatic Client Codes",
        default=True,
        help="Give a client code to a customer at its first confirmed order or "
        "customer invoice (or credit note).",
    )
    client_code_prefix = fields.Char(
        default="C",
        help="Written before every client code, e.g. 411 or C.",
    )
    client_code_mode = fields.Selection(
        selection=[
            (MODE_SEQUENCE, "Sequential number"),
            (MODE_NAME, "First letters of the name"),
        ],
        string="Client Code Format",
        default=MODE_SEQUENCE,
        required=True,
    )
    client_code_width = fields.Integer(
        default=5,
        help="Digits of the number (C00042), or letters taken from the name "
        "(411DUPON).",
    )
    client_code_sequence_id = fields.Many2one(
        "ir.sequence",
        copy=False,
        readonly=True,
        help="Numbers of the sequential client codes of this company.",
    )
    client_code_assign_pending = fields.Boolean(
        string="Client Codes Being Assigned",
        copy=False,
        readonly=True,
        help="Set by Settings › Client codes › Assign: the scheduled action "
        "gives a code to the existing customers of the company, a batch at a "
        "time, then clears it.",
    )

    # === CONSTRAINTS ===

    @api.constrains("client_code_prefix", "client_code_mode", "client_code_width")
    def _check_client_code_format(self):
        for company in self:
            company._get_client_code_format()

    # === CRUD ===

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_client_code_sequences()
        return companies

    # === BUSINESS ===

    def _get_client_code_company(self):
        """The company whose client code settings, sequence and code space
        apply to ``self``: its root company. Branches share one code space
        with their parent (the parent's FEC includes the branches' entries:
        one CompAuxNum must be one client)."""
        self.ensure_one()
        return self.sudo().root_id or self

    def _get_client_code_format(self):
        """The client code format of the company's root company
        (``extrabat_core.client_codes``).

        :raise ValidationError: when a setting is out of bounds (in French)
        """
        self.ensure_one()
        root = self._get_client_code_company()
        return self._make_client_code_format(
            root.client_code_prefix, root.client_code_mode, root.client_code_width
        )

    @api.model
    def _make_client_code_format(self, prefix, mode, width):
        """A client code format from raw settings.

        :raise ValidationError: naming the faulty setting, in French
        """
        try:
            return CodeFormat(
                prefix=(prefix or "").strip(),
                mode=mode or MODE_SEQUENCE,
                width=width,
            )
        except CodeFormatError as error:
            messages = {
                "prefix": self.env._(
                    "The client code prefix may have at most 10 characters: "
                    "letters without accents, digits, “_”, “.”, “-” or “/”."
                ),
                "mode": self.env._("Choose a client code format."),
                "width": self.env._("The client code width must be between 1 and 12."),
            }
            raise ValidationError(messages[error.field]) from error

    def _prepare_client_code_sequence_values(self):
        """Values of the ``ir.sequence`` that numbers this company's codes.

        Standard implementation on purpose: it draws with ``nextval()`` and
        never locks, where ``no_gap`` takes a ``FOR UPDATE NOWAIT`` lock that
        fails under concurrency. Prefix and padding stay empty: the format is
        the company's (``extrabat_core.client_codes``).
        """
        self.ensure_one()
        return {
            "name": self.env._("Client codes of %(company)s", company=self.name),
            "code": CLIENT_CODE_SEQUENCE_CODE,
            "implementation": "standard",
            "company_id": self.id,
            "prefix": False,
            "suffix": False,
            "padding": 0,
            "number_next": 1,
            "number_increment": 1,
        }

    def _create_client_code_sequences(self):
        """A sequence for each root company without one (branches use their
        root company's)."""
        companies = self.filtered(
            lambda c: not c.parent_id and not c.client_code_sequence_id
        )
        if not companies:
            return
        sequences = (
            self.env["ir.sequence"]
            .sudo()
            .create([c._prepare_client_code_sequence_values() for c in companies])
        )
        for company, sequence in zip(companies, sequences, strict=True):
            company.sudo().client_code_sequence_id = sequence

    def _get_client_code_sequence(self):
        """The sequence of the root company's codes (created if missing)."""
        self.ensure_one()
        root = self._get_client_code_company()
        if not root.sudo().client_code_sequence_id:
            root._create_client_code_sequences()
        return root.sudo().client_code_sequence_id

    def _draw_client_code_number(self):
        """The next number of the company's code sequence (consumed)."""
        sequence = self._get_client_code_sequence()
        if sequence.implementation == "standard" and not sequence.use_date_range:
            # What ir.sequence's standard implementation does, without its
            # prefix/suffix/date-range machinery (unused here): nextval().
            return self.env.execute_query(
                SQL("SELECT nextval(%s)", f"ir_sequence_{sequence.id:03d}")
            )[0][0]
        value = sequence.next_by_id()
        try:
            return int(value)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The sequence “%(sequence)s” must give plain numbers: "
                    "empty its prefix and suffix (the client code prefix is "
                    "set in the Settings).",
                    sequence=sequence.name,
                )
            ) from error

    def _get_client_code_preview(self, sample_name=None):
        """The next code, without drawing it (settings preview)."""
        self.ensure_one()
        fmt = self._get_client_code_format()
        sequence = self._get_client_code_company().sudo().client_code_sequence_id
        next_number = sequence.number_next_actual if sequence else 1
        return fmt.preview(next_number, sample_name)
