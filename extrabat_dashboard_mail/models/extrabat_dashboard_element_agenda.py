from odoo import fields, models

from ..tools.dashboard_run import LIST_LIMIT


class ExtrabatDashboardElement(models.Model):
    """Dashboard elements about the recipient's agenda (activities, Calendar)."""

    # One file per application, as Odoo splits big models by concern.
    _inherit = "extrabat.dashboard.element"  # pylint: disable=consider-merging-classes-inherited

    def _get_block_agenda(self, run):
        """The recipient's activities (overdue, and due before the next
        dashboard) and meetings until the next dashboard."""
        window = run.schedule.upcoming_window(run.today)
        user = run.user
        Activity = self.env["mail.activity"]
        mine = [("user_id", "=", user.id)]
        overdue_domain = mine + [
            ("date_deadline", "<", fields.Date.to_string(run.today))
        ]
        coming_domain = mine + run.date_domain("date_deadline", window)
        overdue_count = Activity.search_count(overdue_domain)
        activities = Activity.search_fetch(
            mine + [("date_deadline", "<", fields.Date.to_string(window.end))],
            [
                "res_name",
                "summary",
                "activity_type_id",
                "date_deadline",
                "res_model",
                "res_id",
            ],
            order="date_deadline, id",
            limit=LIST_LIMIT,
        )
        Event = self.env["calendar.event"]
        event_domain = [
            ("partner_ids", "in", user.partner_id.ids)
        ] + run.datetime_domain("start", window)
        event_count = Event.search_count(event_domain)
        events = Event.search_fetch(
            event_domain,
            ["name", "start", "allday", "start_date"],
            order="start, id",
            limit=LIST_LIMIT,
        )
        rows = [
            {
                "label": event.name,
                "value": run.day(event.start_date, "EEE d MMM")
                if event.allday
                else run.moment(event.start),
                "note": self.env._("Meeting"),
                "url": run.record_url(event),
            }
            for event in events
        ]
        for activity in activities:
            late = activity.date_deadline < run.today
            rows.append(
                {
                    "label": " · ".join(
                        filter(
                            None,
                            (
                                activity.summary or activity.activity_type_id.name,
                                activity.res_name,
                            ),
                        )
                    ),
                    "value": run.day(activity.date_deadline, "EEE d MMM"),
                    "note": self.env._("Late") if late else self.env._("Activity"),
                    "alert": late,
                    "url": f"{run.base_url}/odoo/{activity.res_model}/{activity.res_id}"
                    if activity.res_model and activity.res_id
                    else "",
                }
            )
        return self._make_block(
            url=run.list_url(
                "calendar.action_calendar_event",
                event_domain,
                self.env._("My meetings until %(day)s", day=run.day(window.last_day)),
            ),
            figures=[
                {
                    "label": self.env._("Meetings"),
                    "value": run.number(event_count),
                    "url": run.list_url(
                        "calendar.action_calendar_event",
                        event_domain,
                        self.env._(
                            "My meetings until %(day)s", day=run.day(window.last_day)
                        ),
                    ),
                },
                {
                    "label": self.env._("Activities due"),
                    "value": run.number(Activity.search_count(coming_domain)),
                    "url": run.list_url(
                        "mail.mail_activity_action",
                        coming_domain,
                        self.env._(
                            "My activities until %(day)s", day=run.day(window.last_day)
                        ),
                    ),
                },
                {
                    "label": self.env._("Activities late"),
                    "value": run.number(overdue_count),
                    "alert": bool(overdue_count),
                    "url": run.list_url(
                        "mail.mail_activity_action",
                        overdue_domain,
                        self.env._("My late activities"),
                    ),
                },
            ],
            rows=rows,
            empty=self.env._("Nothing planned until the next dashboard."),
        )
