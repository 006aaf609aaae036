"""Installation on a database that already has partners and documents."""

from odoo.tools import SQL


def post_init_hook(env):
    """Give existing partners a status, existing customers the client status
    (``client_since`` = their first confirmed order or customer invoice), and
    every root company its client code sequence, normalise the codes already
    typed (see ``res.partner._normalize_existing_client_codes``). Codes are
    not assigned here: the
    administrator runs Settings › Codes clients › Assign to existing customers.
    """
    env["res.company"].with_context(active_test=False).search(
        []
    )._create_client_code_sequences()
    # References typed before the installation become client codes: stored
    # as codes are (normalised); those that cannot be are reported.
    env["res.partner"]._normalize_existing_client_codes()
    statuses = env["extrabat.client.status"]
    default_status = statuses._get_default_status()
    client_status = statuses._get_client_status()
    env.flush_all()
    if default_status:
        env.cr.execute(
            SQL(
                "UPDATE res_partner SET client_status_id = %s"
                " WHERE client_status_id IS NULL",
                default_status.id,
            )
        )
    # First commercial document of each commercial partner.
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET client_since = first.since,
                   client_status_id = COALESCE(%(client)s, p.client_status_id)
              FROM (
                    SELECT partner.commercial_partner_id AS id,
                           MIN(doc.since) AS since
                      FROM (
                            SELECT partner_id, date_order AS since
                              FROM sale_order
                             WHERE state = 'sale'
                             UNION ALL
                            SELECT partner_id, create_date AS since
                              FROM account_move
                             WHERE move_type IN ('out_invoice', 'out_refund')
                               AND state != 'cancel'
                           ) doc
                      JOIN res_partner partner ON partner.id = doc.partner_id
                     GROUP BY partner.commercial_partner_id
                   ) first
             WHERE p.id = first.id AND p.client_since IS NULL
            """,
            client=client_status.id or None,
        )
    )
    # Contacts show their commercial partner's status.
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner child
               SET client_status_id = cp.client_status_id,
                   client_since = cp.client_since
              FROM res_partner cp
             WHERE child.commercial_partner_id = cp.id AND child.id != cp.id
            """
        )
    )
    env["res.partner"].invalidate_model(["client_status_id", "client_since"])
