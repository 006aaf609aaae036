"""Measurement part of bench_dashboard_mail.py, run inside ``odoo shell``
(fed on stdin, ``env`` being the shell's superuser environment).

Prints one line ``BENCH_RESULT {json}``. Commits: this runs on a throw-away
database made for the benchmark.
"""

import json
import os
import platform
import resource
import statistics
import time
from datetime import timedelta

import psutil

from odoo import fields, release
from odoo.fields import Command
from odoo.tools import SQL

from extrabat_core.periods import Period, Schedule, today_in_zone

env = globals()["env"]
cr = env.cr
USERS = int(os.environ.get("BENCH_USERS", "200"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "100000"))
MANAGERS = max(1, USERS // 10)
PARTNERS = 2000
PAYMENTS = 2000
MB = 1024 * 1024
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
    "mail_activity_quick_update": True,
    "no_mail_to_attendees": True,
}


def rss_mb():
    return psutil.Process().memory_info().rss / MB


def ref_ids(*xmlids):
    return [env.ref(x).id for x in xmlids]


# --- fixtures made through the ORM ---

fixtures_started = time.perf_counter()
env["res.lang"]._activate_lang("fr_FR")  # loaded with --load-language already
company = env.company
company.dashboard_monthly_target = 400000
today = today_in_zone(fields.Datetime.now(), "Europe/Paris")
salesman_groups = ref_ids("base.group_user", "sales_team.group_sale_salesman")
manager_groups = ref_ids(
    "base.group_user",
    "sales_team.group_sale_salesman_all_leads",
    "account.group_account_invoice",
)
users = (
    env["res.users"]
    .with_context(**QUIET)
    .create(
        [
            {
                "name": f"Commercial {index:03d}",
                "login": f"bench_{index:03d}",
                "email": f"bench.{index:03d}@example.com",
                "lang": "fr_FR",
                "tz": "Europe/Paris",
                "group_ids": [
                    Command.set(manager_groups if index < MANAGERS else salesman_groups)
                ],
            }
            for index in range(USERS)
        ]
    )
)
prospect = env.ref("extrabat_crm.client_status_prospect")
client = env.ref("extrabat_crm.client_status_client")
partners = (
    env["res.partner"]
    .with_context(**QUIET)
    .create(
        [
            {
                "name": f"Client {index:04d}",
                "user_id": users[index % USERS].id,
                "client_status_id": (client if index % 3 == 0 else prospect).id,
            }
            for index in range(PARTNERS)
        ]
    )
)
product = env["product.product"].create(
    {"name": "Entretien chaudière", "type": "service", "list_price": 180.0}
)
template_order = env["sale.order"].create(
    {
        "partner_id": partners[0].id,
        "user_id": users[0].id,
        "order_line": [Command.create({"product_id": product.id, "price_unit": 180.0})],
    }
)
template_invoice = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": partners[0].id,
        "invoice_user_id": users[0].id,
        "invoice_date": today,
        "invoice_line_ids": [
            Command.create({"name": "Entretien", "quantity": 1, "price_unit": 180.0})
        ],
    }
)
template_invoice.action_post()
template_payment = env["account.payment"].create(
    {
        "amount": 180.0,
        "payment_type": "inbound",
        "partner_type": "customer",
        "partner_id": partners[0].id,
    }
)
template_payment.action_post()
Activity = env["mail.activity"].with_context(**QUIET)
partner_model = env["ir.model"]._get_id("res.partner")
Activity.create(
    [
        {
            "res_model_id": partner_model,
            "res_id": partners[(index * 7) % PARTNERS].id,
            "activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "summary": f"Rappeler le client {index}",
            "user_id": users[index % USERS].id,
            "date_deadline": today + timedelta(days=(index % 9) - 3),
        }
        for index in range(USERS * 3)
    ]
)
env["calendar.event"].with_context(**QUIET).create(
    [
        {
            "name": f"Visite technique {index}",
            "user_id": users[index % USERS].id,
            "partner_ids": [Command.set([users[index % USERS].partner_id.id])],
            "start": fields.Datetime.now() + timedelta(days=1 + index % 5),
            "stop": fields.Datetime.now() + timedelta(days=1 + index % 5, hours=1),
        }
        for index in range(USERS * 2)
    ]
)
schedule = Schedule("weekly", weekday=0)
period = schedule.latest_complete_period(today)
subscriptions = env["extrabat.dashboard.subscription"].create(
    [
        {
            "user_id": user.id,
            "company_id": company.id,
            "periodicity": "weekly",
            "weekday": "0",
            "element_ids": [
                Command.set(env["extrabat.dashboard.element"]._sync_catalogue().ids)
            ],
        }
        for user in users
    ]
)
# The previous week was sent: this week's dashboard is due for everyone.
subscriptions.write(
    {"last_period_start": period.start, "last_period_end": period.start}
)
env.flush_all()

# --- the bulk: SQL copies of the ORM-made documents ---


def columns(table):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            table,
        )
    )
    return [name for (name,) in cr.fetchall()]


def copy_rows(table, template_id, first, count, overrides):
    """Insert ``count`` copies of a row, numbered ``g`` from ``first``, with
    ``overrides``: {column: SQL expression of g}."""
    names = columns(table)
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s t, generate_series(%s, %s) g "
            "WHERE t.id = %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(
                overrides.get(name, SQL.identifier("t", name)) for name in names
            ),
            SQL.identifier(table),
            first,
            first + count - 1,
            template_id,
        )
    )


def pick(ids, factor):
    return SQL("(%s::int[])[1 + mod(g * %s, %s)]", ids, factor, len(ids))


now_utc = SQL("(now() AT TIME ZONE 'UTC')")
minutes_ago = SQL("make_interval(mins => mod(g * 7919, 259200))")  # 180 days
amount = SQL("(100 + mod(g * 37, 5000))::numeric")
order_partner = pick(partners.ids, 13)


def add_orders(first, count):
    copy_rows(
        "sale_order",
        template_order.id,
        first,
        count,
        {
            "name": SQL("'BENCH-S' || g"),
            "user_id": pick(users.ids, 7),
            "partner_id": order_partner,
            "partner_invoice_id": order_partner,
            "partner_shipping_id": order_partner,
            "state": SQL(
                "CASE mod(g, 4) WHEN 0 THEN 'draft' WHEN 1 THEN 'sent' ELSE 'sale' END"
            ),
            "date_order": SQL("%s - %s", now_utc, minutes_ago),
            "quotation_sent_date": SQL(
                "CASE WHEN mod(g, 4) = 0 THEN NULL "
                "ELSE %s - %s - interval '2 days' END",
                now_utc,
                minutes_ago,
            ),
            "amount_untaxed": amount,
            "amount_tax": SQL("%s * 0.2", amount),
            "amount_total": SQL("%s * 1.2", amount),
            "access_token": SQL("NULL"),
        },
    )


def add_invoices(first, count):
    sign = SQL("(CASE WHEN mod(g, 10) = 0 THEN -1 ELSE 1 END)")
    paid_share = SQL("(CASE mod(g, 5) WHEN 0 THEN 1 WHEN 1 THEN 0.5 ELSE 0 END)")
    invoice_date = SQL("(current_date - mod(g * 13, 180))")
    invoice_partner = pick(partners.ids, 17)
    copy_rows(
        "account_move",
        template_invoice.id,
        first,
        count,
        {
            "name": SQL("'BENCH/' || g"),
            "move_type": SQL(
                "CASE WHEN mod(g, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END"
            ),
            "invoice_user_id": pick(users.ids, 11),
            "partner_id": invoice_partner,
            "commercial_partner_id": invoice_partner,
            "date": invoice_date,
            "invoice_date": invoice_date,
            "invoice_date_due": SQL("%s + 30", invoice_date),
            "payment_state": SQL(
                "CASE mod(g, 5) WHEN 0 THEN 'not_paid' WHEN 1 THEN 'partial' "
                "ELSE 'paid' END"
            ),
            "amount_untaxed": amount,
            "amount_untaxed_signed": SQL("%s * %s", sign, amount),
            "amount_tax": SQL("%s * 0.2", amount),
            "amount_total": SQL("%s * 1.2", amount),
            "amount_total_signed": SQL("%s * %s * 1.2", sign, amount),
            "amount_residual": SQL("%s * 1.2 * %s", amount, paid_share),
            "amount_residual_signed": SQL(
                "%s * %s * 1.2 * %s", sign, amount, paid_share
            ),
            "access_token": SQL("NULL"),
        },
    )


def add_payments(first, count):
    copy_rows(
        "account_payment",
        template_payment.id,
        first,
        count,
        {
            "name": SQL("'BENCH-P' || g"),
            "move_id": SQL("NULL"),
            "partner_id": pick(partners.ids, 19),
            "date": SQL("current_date - mod(g * 3, 180)"),
            "amount": amount,
            "amount_company_currency_signed": amount,
        },
    )


def spread_partner_dates():
    cr.execute(
        SQL(
            "UPDATE res_partner "
            "SET create_date = %s - make_interval(days => mod(id * 7, 180)), "
            "client_since = CASE WHEN client_since IS NULL THEN NULL "
            "ELSE %s - make_interval(days => mod(id * 11, 180)) END "
            "WHERE id = ANY(%s)",
            now_utc,
            now_utc,
            partners.ids,
        )
    )


orders_total = DOCUMENTS // 2
invoices_total = DOCUMENTS - orders_total
small_orders, small_invoices = orders_total // 10, invoices_total // 10
add_orders(1, small_orders)
add_invoices(1, small_invoices)
add_payments(1, PAYMENTS)
spread_partner_dates()
env.invalidate_all()
cr.commit()
cr.execute(SQL("ANALYZE"))

# --- queries of a dashboard, with 10x fewer documents, then with all ---

Subscription = env["extrabat.dashboard.subscription"]
sample = subscriptions[:5] + subscriptions[MANAGERS : MANAGERS + 5]


def render_queries():
    counts = []
    for subscription in sample:
        env.invalidate_all()
        before = cr.sql_log_count
        subscription._render_dashboard(period, today)
        counts.append(cr.sql_log_count - before)
    return counts


render_queries()  # warm the caches (templates, translations, rules)
queries_small = render_queries()
add_orders(small_orders + 1, orders_total - small_orders)
add_invoices(small_invoices + 1, invoices_total - small_invoices)
env.invalidate_all()
cr.commit()
cr.execute(SQL("ANALYZE"))
queries_large = render_queries()
fixture_seconds = time.perf_counter() - fixtures_started

# --- the cron, every dashboard due ---

units = []
original = type(Subscription)._send_due_dashboard


def measured(self, subscription_id):
    before_queries, before = self.env.cr.sql_log_count, time.perf_counter()
    result = original(self, subscription_id)
    units.append(
        (time.perf_counter() - before, self.env.cr.sql_log_count - before_queries)
    )
    return result


type(Subscription)._send_due_dashboard = measured
env.invalidate_all()
rss_before = rss_mb()
started = time.perf_counter()
sent = Subscription._cron_send_due_dashboards()
cron_seconds = time.perf_counter() - started
rss_after = rss_mb()
type(Subscription)._send_due_dashboard = original
cr.execute(
    SQL(
        "SELECT count(*), avg(length(body_html)) FROM mail_mail WHERE email_to LIKE %s",
        "%bench.%",
    )
)
mail_count, body_mean = cr.fetchone()
unit_ms = sorted(seconds * 1000 for seconds, _queries in units)
unit_queries = [queries for _seconds, queries in units]

# --- the peer: the same three elements, record by record ---

Element = env["extrabat.dashboard.element"]
PEER_MANAGERS = min(5, MANAGERS)
peer_subscriptions = (
    subscriptions[:PEER_MANAGERS] + subscriptions[MANAGERS : MANAGERS + 15]
)
revenue_domain = [
    ("move_type", "in", ("out_invoice", "out_refund")),
    ("state", "=", "posted"),
]


def naive(run):
    Move = run.env["account.move"]
    span = run.date_domain(
        "invoice_date", Period(run.previous_period.start, run.period.end)
    )
    invoices = Move.search(revenue_domain + span)
    current = sum(
        m.amount_untaxed_signed for m in invoices if m.invoice_date in run.period
    )
    previous = sum(m.amount_untaxed_signed for m in invoices) - current
    quotes = run.env["sale.order"].search(run.datetime_domain("quotation_sent_date"))
    quoted = sum(o.amount_untaxed for o in quotes)
    unpaid = Move.search(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
    )
    residual = sum(m.amount_residual_signed for m in unpaid)
    overdue = sum(
        m.amount_residual_signed for m in unpaid if m.invoice_date_due < run.today
    )
    return (current, previous, len(quotes), quoted, residual, overdue), len(
        invoices
    ) + len(quotes) + len(unpaid)


def measure(function):
    """(milliseconds, queries) per user of ``function(run)``, the run being
    prepared in the measure (the same for both sides), caches emptied."""
    per_user = []
    for subscription in peer_subscriptions:
        env.invalidate_all()
        before_queries, before = cr.sql_log_count, time.perf_counter()
        function(subscription._prepare_run(period, today))
        per_user.append(
            ((time.perf_counter() - before) * 1000, cr.sql_log_count - before_queries)
        )
    return per_user


def means(per_user):
    return {
        "ms": statistics.mean(ms for ms, _q in per_user),
        "queries": statistics.mean(q for _ms, q in per_user),
        "managers_ms": statistics.mean(ms for ms, _q in per_user[:PEER_MANAGERS]),
    }


records = []
peer = means(measure(lambda run: records.append(naive(run)[1])))
three = Element.search([("key", "in", ("revenue", "quotes_sent", "invoices_unpaid"))])
ours = means(measure(lambda run: [element._get_block(run) for element in three]))

cr.execute(SQL("SHOW server_version"))
print(
    "BENCH_RESULT "
    + json.dumps(
        {
            "odoo": release.version,
            "python": platform.python_version(),
            "postgres": cr.fetchone()[0],
            "cpus": os.cpu_count(),
            "users": USERS,
            "managers": MANAGERS,
            "orders": orders_total,
            "invoices": invoices_total,
            "partners": PARTNERS,
            "payments": PAYMENTS,
            "elements": len(subscriptions[0].element_ids),
            "fixture_seconds": fixture_seconds,
            "ours": {
                "sent": sent,
                "mails": mail_count,
                "seconds": cron_seconds,
                "p95_ms": unit_ms[int(len(unit_ms) * 0.95) - 1] if unit_ms else 0,
                "max_ms": unit_ms[-1] if unit_ms else 0,
                "queries_mean": statistics.mean(unit_queries) if unit_queries else 0,
                "queries_max": max(unit_queries, default=0),
                "queries_min": min(unit_queries, default=0),
                "queries_small_data": f"{max(queries_small)} at most per dashboard "
                f"rendered with {small_orders + small_invoices:,} documents, "
                f"{max(queries_large)} with {orders_total + invoices_total:,}",
                "rss_before_mb": rss_before,
                "rss_after_mb": rss_after,
                "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                / 1024,
                "body_kb_mean": float(body_mean or 0) / 1024,
            },
            "peer": {
                "users": len(peer_subscriptions),
                "ms_per_user": peer["ms"],
                "queries_per_user": peer["queries"],
                "managers_ms": peer["managers_ms"],
                "records_per_user": statistics.mean(records),
                "records_per_manager": statistics.mean(records[:PEER_MANAGERS]),
                "managers": PEER_MANAGERS,
                "ours_ms_per_user": ours["ms"],
                "ours_queries_per_user": ours["queries"],
                "ours_managers_ms": ours["managers_ms"],
            },
        }
    )
)
cr.commit()
