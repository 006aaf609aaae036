import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


class ExtrabatDashboardElement(models.Model):
    """The catalogue of dashboard elements a user can tick.

    The catalogue lives in code: :meth:`_get_dashboard_elements` lists the
    elements (other addons add theirs by overriding it) and each element
    ``key`` is computed by a method ``_get_block_<key>(run)`` (this
    addon's in ``extrabat_dashboard_element_<app>.py``, one file per
    application). The
    records of this model only mirror that list (one per key, synchronised by
    :meth:`_sync_catalogue`) so that a subscription can tick them with a
    many2many; their labels come from the code, in the reader's language.
    """

    _name = "extrabat.dashboard.element"
    _description = "Dashboard element"
    _order = "sequence, id"
    _rec_name = "key"

    # === FIELDS ===

    key = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=100)
    active = fields.Boolean(default=True)

    # === CONSTRAINTS ===

    _key_unique = models.UniqueIndex(
        "(key)", "A dashboard element is declared only once."
    )

    # === COMPUTE ===

    @api.depends("key")
    @api.depends_context("lang")
    def _compute_display_name(self):
        descriptors = self._get_descriptors()
        for element in self:
            element.display_name = descriptors.get(element.key, {}).get(
                "name", element.key
            )

    # === CATALOGUE ===

    @api.model
    def _get_dashboard_elements(self):
        """The elements a dashboard can show. Override to add yours (call
        ``super()`` and append) and write ``_get_block_<key>``.

        :return: list of dicts ``{'key': str, 'name': str (translated),
            'sequence': int,
            'default': bool (ticked for new subscriptions)}``
        """
        return [
            {
                "key": "revenue",
                "name": self.env._("Revenue invoiced"),
                "sequence": 10,
                "default": True,
            },
            {
                "key": "quotes_sent",
                "name": self.env._("Quotes sent"),
                "sequence": 20,
                "default": True,
            },
            {
                "key": "quotes_accepted",
                "name": self.env._("Quotes accepted"),
                "sequence": 30,
                "default": True,
            },
            {
                "key": "orders_confirmed",
                "name": self.env._("Orders confirmed"),
                "sequence": 40,
                "default": True,
            },
            {
                "key": "invoices_unpaid",
                "name": self.env._("Unpaid and overdue invoices"),
                "sequence": 50,
                "default": True,
            },
            {
                "key": "payments_received",
                "name": self.env._("Payments received"),
                "sequence": 60,
                "default": False,
            },
            {
                "key": "new_partners",
                "name": self.env._("New prospects and clients"),
                "sequence": 70,
                "default": True,
            },
            {
                "key": "quotes_follow_up",
                "name": self.env._("Quotes to follow up"),
                "sequence": 80,
                "default": True,
            },
            {
                "key": "agenda",
                "name": self.env._("Upcoming activities and meetings"),
                "sequence": 90,
                "default": True,
            },
            {
                "key": "top_clients",
                "name": self.env._("Top clients of the period"),
                "sequence": 100,
                "default": False,
            },
        ]

    @api.model
    def _get_descriptors(self):
        """:return: ``{key: descriptor}`` of :meth:`_get_dashboard_elements`"""
        return {d["key"]: d for d in self._get_dashboard_elements()}

    @api.model
    def _sync_catalogue(self):
        """Mirror :meth:`_get_dashboard_elements` in records: create the new
        keys, archive the keys no code declares any more (an uninstalled
        addon), restore the ones declared again. Cheap when nothing changed.

        :return: the active elements
        """
        descriptors = self._get_descriptors()
        elements = (
            self.sudo().with_context(active_test=False).search([("key", "!=", False)])
        )
        by_key = {element.key: element for element in elements}
        missing = [key for key in descriptors if key not in by_key]
        if missing:
            self.sudo().create(
                [
                    {"key": key, "sequence": descriptors[key]["sequence"]}
                    for key in missing
                ]
            )
        for key, element in by_key.items():
            if element.active != (key in descriptors):
                element.active = key in descriptors
        return self.search([("key", "!=", False)])

    @api.model
    def _default_elements(self):
        """Elements ticked for a new subscription."""
        descriptors = self._get_descriptors()
        return self._sync_catalogue().filtered(
            lambda e: descriptors[e.key].get("default", True)
        )

    # === BUSINESS ===

    def _get_block(self, run):
        """Compute this element's block for ``run``.

        :param run: :class:`~odoo.addons.extrabat_dashboard_mail.tools.
            dashboard_run.DashboardRun`
        :return: a block dict (see :meth:`_make_block`), or ``None`` when the
            recipient may not see this element (missing access rights)
        """
        self.ensure_one()
        method = getattr(self.with_env(run.env), f"_get_block_{self.key}", None)
        if method is None:
            _logger.info("Dashboard element %s has no compute method", self.key)
            return None
        try:
            block = method(run)
        except AccessError:
            # The recipient has no access to these documents: not theirs to see.
            return None
        if block is not None:
            block.setdefault("key", self.key)
            block.setdefault("title", self.with_env(run.env).display_name)
        return block

    @api.model
    def _make_block(self, **values):
        """A block as the mail template renders it. Every key is optional:

        - ``title`` (str): defaults to the element's name;
        - ``url`` (str): the list in Odoo behind the block;
        - ``figures``: list of ``{'label', 'value', 'note', 'variation'
          (see ``run.variation``), 'url'}``, shown as large numbers;
        - ``progress``: ``{'label', 'ratio' (0..1), 'text'}``, a gauge;
          (``width``, the HTML width of gauges and bars, is added here)
        - ``bars``: list of ``{'label', 'value', 'ratio' (0..1), 'highlight'}``,
          a horizontal bar chart in plain HTML;
        - ``rows``: list of ``{'label', 'value', 'note', 'url'}``, a short list;
        - ``more`` (str): a line under the list (e.g. "and 12 more");
        - ``empty`` (str): shown when the block has no figure, bar nor row.
        """
        block = {"figures": [], "bars": [], "rows": []}
        block.update(values)
        for gauge in [*block["bars"], block.get("progress") or {}]:
            if "ratio" in gauge:
                gauge["width"] = _width(gauge["ratio"])
        return block

    @api.model
    def _bars(self, labels_values, run, highlight_last=True):
        """Bars of a chart from ``[(label, amount)]``, scaled on the largest."""
        top = max((abs(v) for _label, v in labels_values), default=0) or 1
        last = len(labels_values) - 1
        return [
            {
                "label": label,
                "value": run.money(value),
                "ratio": max(value, 0) / top,
                "highlight": highlight_last and index == last,
            }
            for index, (label, value) in enumerate(labels_values)
        ]


def _width(ratio):
    """HTML width of a bar: at least 1% so that a small value still shows."""
    return f"{max(1, round(min(max(ratio, 0.0), 1.0) * 100))}%"
