# A third class on res.partner on purpose: models/res_partner.py holds the
# client codes, status and trash, this file the phone number search.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.fields import Domain

from extrabat_core import phones


class ResPartner(models.Model):
    """A phone number typed in any format ("06 12 45 78 90") finds the
    client whatever format it was saved in ("+33 6 12 45 78 90")."""

    _inherit = "res.partner"

    # === FIELDS ===
    extrabat_phone_key = fields.Char(
        string="Phone search key",
        compute="_compute_extrabat_phone_key",
        store=True,
        index="trigram",
        help="Digits of the phone number without the international prefix, "
        "the French country code and the trunk 0 (see "
        "extrabat_core.phones.search_key).",
    )
    extrabat_phone_search = fields.Char(
        string="Phone number",
        store=False,
        search="_search_extrabat_phone_search",
        help="Search field: the number is compared whatever format it was "
        "typed or saved in.",
    )

    # === COMPUTE ===
    @api.depends(lambda self: self._extrabat_phone_fields())
    def _compute_extrabat_phone_key(self):
        fnames = self._extrabat_phone_fields()
        for partner in self:
            keys = [phones.search_key(partner[fname]) for fname in fnames]
            partner.extrabat_phone_key = " ".join(key for key in keys if key) or False

    def _search_extrabat_phone_search(self, operator, value):
        """Partners whose number contains the typed number (``ilike``,
        ``like`` and their negations), compared by their search keys."""
        if operator not in ("ilike", "not ilike", "like", "not like"):
            return NotImplemented
        # Only a text that is a phone number (not a client code, not a
        # name typed in the same search box) is compared with the numbers.
        is_phone = isinstance(value, str) and phones.looks_like_phone(value)
        key = phones.search_key(value) if is_phone else ""
        positive = operator in ("ilike", "like")
        if not key:
            return Domain.FALSE if positive else Domain.TRUE
        return Domain("extrabat_phone_key", "ilike" if positive else "not ilike", key)

    def _search_phone_mobile_search(self, operator, value):
        """Odoo's "Phone Number" search (phone_validation) ignores spaces and
        dots but not the country code: "06 12 45 78 90" does not find
        "+33 6 12 45 78 90". Numbers whose search key contains the typed
        number's are found too."""
        domain = super()._search_phone_mobile_search(operator, value)
        if operator in ("ilike", "like") and isinstance(value, str):
            domain |= Domain("extrabat_phone_search", operator, value)
        return domain

    # === HOOKS ===
    @api.model
    def _extrabat_phone_fields(self):
        """Phone fields of the partner that the search key is made of
        (override to add one, e.g. a mobile field added by another module)."""
        return [fname for fname in ("phone", "mobile") if fname in self._fields]
