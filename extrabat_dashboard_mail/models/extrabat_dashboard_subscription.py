import base64
import logging
from datetime import timedelta

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, consteq
from odoo.tools.mimetypes import guess_mimetype

from extrabat_core.periods import (
    DAILY,
    MONTHLY,
    NEVER,
    WEEKLY,
    Schedule,
    today_in_zone,
)

from ..tools.dashboard_run import DashboardRun
from .ir_mail_server import CID_DOMAIN

_logger = logging.getLogger(__name__)

UNSUBSCRIBE_SCOPE = "extrabat_dashboard_mail-unsubscribe"
# Fields only the sending machinery writes (with sudo): a subscriber cannot
# fake "already sent" or "due now" by writing them through RPC.
# Logos mail clients show inline (SVG is not among them).
LOGO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
SENDING_FIELDS = frozenset(
    {"last_period_start", "last_period_end", "last_sent_date", "next_date"}
)


class ExtrabatDashboardSubscription(models.Model):
    """One user's dashboard by email: which elements, how often, and what
    was last sent. One subscription per user; the cron sends each due
    dashboard exactly once per period (see :meth:`_cron_send_due_dashboards`).
    """

    _name = "extrabat.dashboard.subscription"
    _description = "Dashboard by Email"
    _order = "user_id"
    _rec_name = "user_id"

    # === FIELDS ===

    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        help="Company whose logo, colours, currency and revenue target the "
        "dashboard uses. The figures cover every company the user works for.",
    )
    email = fields.Char(related="user_id.email", string="Sent To")
    periodicity = fields.Selection(
        [
            (NEVER, "Never"),
            (DAILY, "Every day"),
            (WEEKLY, "Every week"),
            (MONTHLY, "Every month"),
        ],
        required=True,
        default=WEEKLY,
    )
    weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Day of the Week",
        required=True,
        default="0",
    )
    monthday = fields.Integer(
        string="Day of the Month",
        required=True,
        default=1,
        help="1 to 31. In a shorter month the dashboard comes on its last day.",
    )
    element_ids = fields.Many2many(
        "extrabat.dashboard.element",
        string="Elements",
        default=lambda self: self.env["extrabat.dashboard.element"]._default_elements(),
    )
    follow_up_days = fields.Integer(
        string="Follow Up Quotes After (Days)",
        required=True,
        default=7,
        help="A quote sent more than this many days ago and still not "
        'accepted is listed in "Quotes to follow up".',
    )
    next_date = fields.Date(
        string="Next Dashboard",
        compute="_compute_next_date",
        store=True,
        readonly=True,
        index=True,
    )
    last_period_start = fields.Date(
        string="Last Period Sent From", readonly=True, copy=False
    )
    last_period_end = fields.Date(
        string="Last Period Sent Until",
        readonly=True,
        copy=False,
        help="The day after the last period sent: its due date.",
    )
    last_sent_date = fields.Datetime(string="Last Sent On", readonly=True, copy=False)
    schedule_summary = fields.Char(
        string="Schedule", compute="_compute_schedule_summary"
    )

    # === CONSTRAINTS ===

    _user_unique = models.UniqueIndex(
        "(user_id)", "Each user has a single dashboard by email."
    )

    @api.constrains("monthday")
    def _check_monthday(self):
        for subscription in self:
            if not 1 <= subscription.monthday <= 31:
                raise ValidationError(
                    self.env._(
                        "The day of the month must be between 1 and 31 (%(day)s "
                        "was given). Choose 31 to receive it on the last day "
                        "of every month.",
                        day=subscription.monthday,
                    )
                )

    @api.constrains("follow_up_days")
    def _check_follow_up_days(self):
        for subscription in self:
            if subscription.follow_up_days < 1:
                raise ValidationError(
                    self.env._(
                        "Quotes are followed up after at least one day (%(days)s "
                        "was given).",
                        days=subscription.follow_up_days,
                    )
                )

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        for subscription in self:
            user = subscription.user_id.sudo()
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal user: only internal users "
                        "receive the dashboard by email.",
                        user=user.name,
                    )
                )
            if subscription.company_id not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s: choose one of "
                        "their companies for the dashboard's header.",
                        user=user.name,
                        company=subscription.company_id.name,
                    )
                )

    # === COMPUTE ===

    @api.depends("periodicity", "weekday", "monthday", "last_period_end")
    def _compute_next_date(self):
        for subscription in self:
            schedule = subscription._get_schedule()
            if not schedule.active:
                subscription.next_date = False
            elif subscription.last_period_end:
                # From the period last sent, never from the time of sending.
                subscription.next_date = schedule.due_after(
                    subscription.last_period_end
                )
            else:
                subscription.next_date = schedule.first_due_date(
                    subscription._get_today()
                )

    @api.depends("periodicity", "weekday", "monthday")
    @api.depends_context("lang")
    def _compute_schedule_summary(self):
        for subscription in self:
            subscription.schedule_summary = subscription._get_schedule_summary()

    # === CRUD ===

    @api.model_create_multi
    def create(self, vals_list):
        # The header company defaults to the recipient's own company (not
        # the current user's: an administrator may create it for someone).
        Users = self.env["res.users"].sudo()
        # default_* keys of the context become values after this override.
        defaults = {
            key.removeprefix("default_")
            for key in self.env.context
            if key.startswith("default_")
        }
        for vals in vals_list:
            self._check_sending_fields(defaults.union(vals))
            if vals.get("user_id") and not vals.get("company_id"):
                vals["company_id"] = Users.browse(vals["user_id"]).company_id.id
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals and any(s.user_id.id != vals["user_id"] for s in self):
            raise UserError(
                self.env._(
                    "A dashboard by email belongs to its user for good: create "
                    "another one for the other user."
                )
            )
        self._check_sending_fields(vals)
        return super().write(vals)

    @api.model
    def _check_sending_fields(self, field_names):
        """Refuse :data:`SENDING_FIELDS` among ``field_names`` (the fields a
        create or write gives, ``default_*`` context keys included) unless the
        sending machinery writes them (superuser): through RPC, a user could
        otherwise create or change a subscription as "already sent" or "due
        now".

        :raises AccessError: when a sending field is given by a user
        """
        if SENDING_FIELDS.intersection(field_names) and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the sending of the dashboards records what was sent "
                    "and when the next one is due."
                )
            )

    # === ACTIONS ===

    def action_preview(self):
        """ "Aperçu": the dashboard as it would be sent now, in a new tab."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/extrabat_dashboard_mail/preview/{self.id}",
            "target": "new",
        }

    def action_send_now(self):
        """ "Envoyer maintenant": queue the latest complete period's dashboard
        at once; the schedule is left as it is."""
        self.ensure_one()
        mail = self._send_now()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Your dashboard is on its way to %(email)s.", email=mail.email_to
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _action_open_for_user(self, user):
        """The form of ``user``'s subscription (a new one when none yet), as a
        dialog: from My Preferences, or from the user form for an admin.

        :raises AccessError: when someone else than ``user`` or an
            administrator asks for it
        :raises UserError: for a portal user, or when the subscription belongs
            to a company not selected in the company switcher
        """
        user.ensure_one()
        if user != self.env.user and not self.env.user.has_group(
            "base.group_erp_manager"
        ):
            raise AccessError(
                self.env._("You can only change your own dashboard by email.")
            )
        if user.share:
            raise UserError(
                self.env._("Only internal users receive the dashboard by email.")
            )
        self.env["extrabat.dashboard.element"]._sync_catalogue()
        subscription = self.search([("user_id", "=", user.id)], limit=1)
        if not subscription:
            hidden = self.sudo().search([("user_id", "=", user.id)], limit=1)
            if hidden:
                raise UserError(
                    self.env._(
                        "This dashboard by email belongs to %(company)s: select "
                        "that company in the company switcher to change it.",
                        company=hidden.company_id.name,
                    )
                )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Receive the dashboard by email"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [
                [
                    self.env.ref("extrabat_dashboard_mail.subscription_view_form").id,
                    "form",
                ]
            ],
            "target": "new",
        }
        if subscription:
            action["res_id"] = subscription.id
        else:
            company = (
                user.company_id
                if user.company_id in self.env.companies
                else (self.env.companies & user.company_ids)[:1]
            )
            action["context"] = {
                "default_user_id": user.id,
                "default_company_id": company.id,
            }
        return action

    # === BUSINESS: SCHEDULE ===

    def _get_schedule(self):
        """:return: the :class:`~extrabat_core.periods.Schedule` chosen"""
        self.ensure_one()
        return Schedule(
            self.periodicity or NEVER,
            weekday=int(self.weekday or 0),
            monthday=min(max(self.monthday or 1, 1), 31),
        )

    def _get_tz(self):
        """The recipient's time zone (their company's when they set none)."""
        self.ensure_one()
        user = self.user_id.sudo()
        return user.tz or user.company_id.partner_id.tz or "UTC"

    def _get_today(self):
        """Today in the recipient's time zone."""
        return today_in_zone(fields.Datetime.now(), self._get_tz())

    def _get_schedule_summary(self):
        """ "Every Monday", "Every month on day 31 (or the last day)"..."""
        self.ensure_one()
        if self.periodicity == DAILY:
            return self.env._("Every day")
        if self.periodicity == WEEKLY:
            weekdays = dict(self._fields["weekday"]._description_selection(self.env))
            return self.env._(
                "Every week on %(weekday)s", weekday=weekdays[self.weekday]
            )
        if self.periodicity == MONTHLY:
            if self.monthday >= 29:
                return self.env._(
                    "Every month on day %(day)s (or the last day of shorter months)",
                    day=self.monthday,
                )
            return self.env._("Every month on day %(day)s", day=self.monthday)
        return self.env._("Not received")

    def _get_monthly_target(self):
        """The recipient's own monthly target, else their company's."""
        self.ensure_one()
        user = self.user_id.sudo()
        return (
            user.dashboard_monthly_target
            or self.company_id.sudo().dashboard_monthly_target
        )

    # === BUSINESS: RENDERING ===

    def _get_recipient_env(self):
        """The recipient's environment: their user (their access rights and
        record rules), every company they work for, their language and time
        zone. Every figure of their dashboard is computed in it."""
        self.ensure_one()
        user = self.user_id.sudo()
        company_ids = [user.company_id.id] + (user.company_ids - user.company_id).ids
        return (
            self.with_user(user)
            .with_context(
                allowed_company_ids=company_ids,
                lang=user.lang or self.env.lang or "en_US",
                tz=self._get_tz(),
            )
            .env
        )

    def _prepare_run(self, period, today):
        """:return: the :class:`DashboardRun` of ``period`` for this user"""
        self.ensure_one()
        env = self._get_recipient_env()
        subscription = self.with_env(env)
        company = self.company_id.with_env(env)
        return DashboardRun(
            env=env,
            subscription=subscription,
            schedule=self._get_schedule(),
            period=period,
            today=today,
            tz=self._get_tz(),
            currency=company.sudo().currency_id.with_env(env),
            company=company,
            base_url=self.get_base_url(),
        )

    def _get_blocks(self, run):
        """The blocks of the ticked elements, in catalogue order; elements
        the recipient may not see are left out.

        :return: list of block dicts (see ``_make_block``)
        """
        blocks = []
        for element in self.element_ids.sorted():
            block = element._get_block(run)
            if block is not None:
                blocks.append(block)
        return blocks

    def _get_colors(self):
        """The company's colours, with a readable text colour on each."""
        company = self.company_id.sudo()
        primary = company.primary_color or "#1f4e79"
        secondary = company.secondary_color or "#e8863a"
        return {
            "primary": primary,
            "on_primary": _text_color_on(primary),
            "secondary": secondary,
        }

    def _get_logo(self):
        """The header company's logo as the mail carries it: the web-sized
        logo (180 px wide), a PNG, JPEG or GIF.

        :return: ``(file name, bytes, mimetype)``, or ``None`` (no logo, or
            one mail clients would not show)
        """
        self.ensure_one()
        logo = self.company_id.sudo().logo_web
        raw = base64.b64decode(logo) if logo else b""
        mimetype = guess_mimetype(raw) if raw else None
        if mimetype not in LOGO_EXTENSIONS:
            return None
        return f"logo.{LOGO_EXTENSIONS[mimetype]}", raw, mimetype

    def _get_logo_src(self, base_url, preview=False):
        """``src`` of the logo: in the mail, the Content-ID of the logo sent
        inline with it (shown by mail clients without fetching anything, no
        login, no ``data:`` URI); in the preview (a logged-in browser), the
        company's logo route."""
        if preview:
            return f"{base_url}/logo.png?company={self.company_id.id}"
        logo = self._get_logo()
        return logo and f"cid:{logo[0]}@{CID_DOMAIN}"

    def _prepare_render_values(self, run, blocks, preview=False):
        """Values of the QWeb template ``dashboard_mail``."""
        base_url = run.base_url
        company = self.company_id.sudo()
        return {
            "run": run,
            "blocks": blocks,
            "preview": preview,
            "company_name": company.name,
            "logo_url": self._get_logo_src(base_url, preview=preview),
            "colors": self._get_colors(),
            "title": run.env._("Your dashboard"),
            "period_label": _capitalize(run.period_label()),
            "schedule_summary": self.with_env(run.env)._get_schedule_summary(),
            "odoo_url": f"{base_url}/odoo",
            "preferences_url": f"{base_url}/odoo/{self._name}/{self.id}",
            "unsubscribe_url": self._get_unsubscribe_url(),
        }

    def _render_dashboard(self, period, today, preview=False):
        """Render the dashboard of ``period`` for this subscription's user.

        :return: ``(subject, html body)``
        """
        self.ensure_one()
        run = self._prepare_run(period, today)
        blocks = self._get_blocks(run)
        values = self._prepare_render_values(run, blocks, preview=preview)
        body = run.env["ir.qweb"]._render(
            "extrabat_dashboard_mail.dashboard_mail", values
        )
        subject = run.env._(
            "Your dashboard: %(period)s · %(company)s",
            period=run.period_label(),
            company=values["company_name"],
        )
        return subject, body

    def _render_preview(self):
        """The HTML of the dashboard as "Envoyer maintenant" would send it."""
        self.ensure_one()
        period, today = self._get_send_now_period()
        return self._render_dashboard(period, today, preview=True)[1]

    # === BUSINESS: SENDING ===

    def _get_unsubscribe_token(self):
        """A token signed with the database secret, proving the link was
        made for this subscription and this user."""
        self.ensure_one()
        return tools.hmac(
            self.env(su=True), UNSUBSCRIBE_SCOPE, (self.id, self.user_id.id)
        )

    def _check_unsubscribe_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self._get_unsubscribe_token(), str(token))

    def _get_unsubscribe_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/extrabat_dashboard_mail/unsubscribe/"
            f"{self.id}?token={self._get_unsubscribe_token()}"
        )

    def _unsubscribe(self):
        """One-click unsubscribe: nothing more is sent (periodicity never)."""
        self.sudo().write({"periodicity": NEVER})

    def _prepare_mail_values(self, subject, body):
        """Values of the queued ``mail.mail``: the logo goes with it as an
        attachment the body shows inline (``cid:``); owned by the mail's
        message, it is deleted with the sent mail."""
        self.ensure_one()
        company = self.company_id.sudo()
        unsubscribe_url = self._get_unsubscribe_url()
        logo = self._get_logo()
        attachments = []
        if logo and f"cid:{logo[0]}@{CID_DOMAIN}" in body:
            name, raw, mimetype = logo
            attachments.append(
                Command.create(
                    {
                        "name": name,
                        "raw": raw,
                        "mimetype": mimetype,
                        "res_model": "mail.message",
                        "res_id": 0,
                    }
                )
            )
        return {
            "attachment_ids": attachments,
            "subject": subject,
            "body_html": body,
            "email_from": company.partner_id.email_formatted
            or self.env.ref("base.user_root").email_formatted,
            "email_to": self.user_id.sudo().email_formatted,
            "auto_delete": True,
            "state": "outgoing",
            "headers": repr(
                {
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    # no out-of-office replies from Exchange
                    "X-Auto-Response-Suppress": "OOF",
                }
            ),
        }

    def _create_dashboard_mail(self, period, today):
        """Render and queue the dashboard of ``period``.

        :return: the ``mail.mail`` created (outgoing: the mail queue sends it)
        """
        self.ensure_one()
        subject, body = self._render_dashboard(period, today)
        return (
            self.env["mail.mail"]
            .sudo()
            .create(self._prepare_mail_values(subject, body))
        )

    def _get_send_now_period(self):
        """The period "Envoyer maintenant" and "Aperçu" show: the latest
        complete one (yesterday, last week, last month when never sent)."""
        today = self._get_today()
        schedule = self._get_schedule()
        if not schedule.active:
            schedule = Schedule(WEEKLY, weekday=0)
        return schedule.latest_complete_period(today), today

    def _send_now(self):
        self.ensure_one()
        if not self.user_id.sudo().email:
            raise UserError(
                self.env._(
                    "%(user)s has no email address: add one in their "
                    "preferences first.",
                    user=self.user_id.sudo().name,
                )
            )
        period, today = self._get_send_now_period()
        return self._create_dashboard_mail(period, today)

    def _send_scheduled(self):
        """Queue the due dashboard of this (locked) subscription and record
        the period sent, in the same transaction.

        Rechecks under the lock that a period is still due: another worker may
        have sent it between the search and the lock. When days late, sends
        the latest complete period only.

        :return: whether a mail was queued
        """
        self.ensure_one()
        today = self._get_today()
        schedule = self._get_schedule()
        if not schedule.active or not self.next_date or self.next_date > today:
            return False
        period = schedule.latest_complete_period(today)
        if self.last_period_end and self.last_period_end >= period.end:
            return False
        self._create_dashboard_mail(period, today)
        self.sudo().write(
            {
                "last_period_start": period.start,
                "last_period_end": period.end,
                "last_sent_date": fields.Datetime.now(),
            }
        )
        return True

    @api.model
    def _search_due_candidates(self):
        """Subscriptions that may be due today somewhere (time zones ahead of
        UTC included); each is rechecked in its user's time zone.

        :return: list of ids, oldest due first
        """
        horizon = fields.Date.today() + timedelta(days=1)
        return (
            self.sudo()
            .search(
                [
                    ("periodicity", "!=", NEVER),
                    ("next_date", "<=", horizon),
                    ("user_id.active", "=", True),
                    ("user_id.share", "=", False),
                    ("user_id.email", "!=", False),
                ],
                order="next_date, id",
            )
            .ids
        )

    @api.model
    def _lock_for_sending(self, subscription_id):
        """Lock one subscription row for the rest of the transaction, or
        skip it when another transaction holds it (two senders never work on
        the same user).

        :return: the locked subscription (sudo, fresh from the database), or
            an empty recordset when it is locked elsewhere or gone
        """
        # SKIP LOCKED: never wait for another worker. A row changed since our
        # snapshot raises SerializationFailure, expected and handled by the
        # caller: not an "ERROR bad query" in the log.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                subscription_id,
            ),
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        subscription = self.sudo().browse(row[0] if row else [])
        subscription.invalidate_recordset()
        return subscription

    @api.model
    def _send_due_dashboard(self, subscription_id):
        """One unit of work of the cron: lock, recheck, render, queue and
        record one user's dashboard. On any error the unit is rolled back
        (nothing queued, nothing recorded) and logged; the next run retries.

        :return: whether a mail was queued
        """
        try:
            subscription = self._lock_for_sending(subscription_id)
            return bool(subscription) and subscription._send_scheduled()
        except (LockNotAvailable, SerializationFailure):
            # Another worker changed this row since our snapshot: its business.
            self.env.cr.rollback()
            _logger.info("Dashboard subscription %s is busy, skipped", subscription_id)
            return False
        except Exception:
            self.env.cr.rollback()
            _logger.exception(
                "The dashboard by email of subscription %s could not be sent; "
                "nothing was queued, the next run retries it",
                subscription_id,
            )
            return False

    @api.model
    def _cron_send_due_dashboards(self):
        """Daily: queue every due dashboard, one committed unit per user.

        Exactly once per period: each unit locks the user's subscription,
        rechecks it is due, creates the ``mail.mail`` and records the period
        sent in one transaction, committed by ``ir.cron._commit_progress``. A
        crash before the commit leaves nothing queued and nothing recorded;
        after it, the mail is queued once and the recheck stops a resend.
        """
        self.env["extrabat.dashboard.element"]._sync_catalogue()
        candidate_ids = self._search_due_candidates()
        IrCron = self.env["ir.cron"]
        IrCron._commit_progress(remaining=len(candidate_ids))
        sent = 0
        for subscription_id in candidate_ids:
            sent += self._send_due_dashboard(subscription_id)
            if not IrCron._commit_progress(1):
                break  # out of time: the cron runs again soon for the rest
        _logger.info("Dashboards by email: %s queued", sent)
        return sent


def _capitalize(text):
    return text[:1].upper() + text[1:]


def _text_color_on(background):
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    value = (background or "").lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#ffffff"
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#1b1b1b" if luminance > 160 else "#ffffff"
