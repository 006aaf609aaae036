from odoo.tools import SQL


def pre_init_hook(env):
    """Create ``sale_order.quotation_sent_date`` before the ORM does, filled
    with the quotation date of the quotes already sent: the ORM then leaves
    the column alone instead of computing it (which would give every quote
    already sent the installation time)."""
    env.cr.execute(
        SQL(
            "ALTER TABLE sale_order "
            "ADD COLUMN IF NOT EXISTS quotation_sent_date timestamp without time zone"
        )
    )
    env.cr.execute(
        SQL(
            "UPDATE sale_order SET quotation_sent_date = date_order "
            "WHERE state = 'sent' AND quotation_sent_date IS NULL"
        )
    )
